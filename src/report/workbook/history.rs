//! The years of the review in the workbook: the hidden data sheet that next year's run
//! reads back, and the trend table of the Sammanfattning sheet (up to five years per
//! KPI, a sparkline, the direction and how often the target was met), with the chart
//! of training per year.
//!
//! Why a hidden sheet and not a custom XML part: rust_xlsxwriter writes no custom XML
//! parts, calamine (which reads the inputs) reads every sheet, and a sheet survives
//! opening and saving in Excel or LibreOffice, where a foreign XML part may be dropped.

use rust_xlsxwriter::{Chart, ChartEmptyCells, ChartType, Sparkline, Worksheet, XlsxError};
use serde::Serialize;

use super::charts::{fill, label_values, rate_axis, THIS_YEAR};
use super::{write_table, Formats, Out};
use crate::kpi::history::{format_value, History, Series, TREND_YEARS};
use crate::kpi::Kpi;
use crate::review::Review;
use crate::schema::{KpiId, KpiKey, ValueKind, KPI_DATA_SHEET, KPI_SCHEMA_VERSION};

/// Excel holds at most 32 767 characters in a cell; the JSON is cut in pieces below that.
const CHUNK_BYTES: usize = 30_000;

/// What the data sheet holds: the KPI document without the breakdowns (aggregates per
/// KPI only; `schema/kpi.schema.json` describes it).
#[derive(Serialize)]
struct DataDocument<'a> {
    schema_version: u32,
    unit: &'a str,
    year: i32,
    generated_by: &'a str,
    kpis: &'a [Kpi],
    history: &'a History,
}

/// The KPI document as compact JSON.
pub(crate) fn data_json(report: &Review) -> String {
    serde_json::to_string(&DataDocument {
        schema_version: KPI_SCHEMA_VERSION,
        unit: &report.unit,
        year: report.year,
        generated_by: &report.generated_by,
        kpis: &report.kpis,
        history: &report.history,
    })
    .unwrap_or_default()
}

/// The hidden sheet: A1 says what it is, A2… hold the JSON in pieces.
pub(crate) fn data_sheet(report: &Review) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(KPI_DATA_SHEET)?;
    ws.write_string(
        0,
        0,
        format!(
            "Nyckeltalen som JSON (schemaversion {KPI_SCHEMA_VERSION}) för nästa års genomgång. Ändra inte bladet."
        ),
    )?;
    let json = data_json(report);
    for (i, piece) in chunks(&json, CHUNK_BYTES).into_iter().enumerate() {
        ws.write_string(1 + i as u32, 0, piece)?;
    }
    ws.set_hidden(true);
    Ok(ws)
}

/// `text` cut into pieces of at most `max` bytes, on character boundaries.
fn chunks(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(max);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Where the trend table ended, and the row of training per year for its chart.
pub(crate) struct TrendPlace {
    pub next_row: u32,
    training: Option<(u32, u16)>,
    header_row: u32,
}

/// The years shown: up to [`TREND_YEARS`] consecutive years ending with the review
/// year, from the oldest year any shown series knows.
fn shown_years(series: &[&Series], year: i32) -> Vec<i32> {
    let oldest = series
        .iter()
        .flat_map(|s| s.recent(year))
        .filter(|p| p.value.is_some())
        .map(|p| p.year)
        .min()
        .unwrap_or(year);
    (oldest..=year).collect()
}

/// "Ökar", "Minskar 2 år i rad", "Oförändrad", from the last known years.
fn direction(s: &Series, year: i32) -> String {
    // This year first, then each year before it while known.
    let mut raw = Vec::new();
    let mut y = year;
    while let Some(v) = s.at(y) {
        raw.push(v);
        y -= 1;
        if raw.len() >= TREND_YEARS {
            break;
        }
    }
    if raw.len() < 2 {
        return "–".to_string();
    }
    let sign = |a: f64, b: f64| {
        if format_value(Some(a), s.kind) == format_value(Some(b), s.kind) {
            0
        } else if a > b {
            1
        } else {
            -1
        }
    };
    // raw[0] is this year, raw[1] last year …
    let first = sign(raw[0], raw[1]);
    let mut run = 1;
    while run + 1 < raw.len() && sign(raw[run], raw[run + 1]) == first && first != 0 {
        run += 1;
    }
    let word = match first {
        1 => "Ökar",
        -1 => "Minskar",
        _ => return "Oförändrad".to_string(),
    };
    if run >= 2 {
        format!("{word} {run} år i rad")
    } else {
        word.to_string()
    }
}

/// "2 av 3 år": the years whose review judged the figure against a target, and how
/// many of them met it.
fn targets_met(s: &Series, year: i32) -> String {
    let judged: Vec<&str> = s
        .recent(year)
        .iter()
        .filter_map(|p| p.status)
        .filter(|st| matches!(*st, "good" | "warning" | "bad"))
        .collect();
    if judged.is_empty() {
        return "–".to_string();
    }
    let met = judged.iter().filter(|st| **st == "good").count();
    format!("{met} av {} år", judged.len())
}

/// How many of the last five years have a known figure.
fn known_years(s: &Series, year: i32) -> usize {
    s.recent(year).iter().filter(|p| p.value.is_some()).count()
}

/// The trend table at `row` of Sammanfattning: every KPI with two or more known years
/// among the last five. Nothing is written unless some KPI has three.
pub(crate) fn trend_table(
    ws: &mut Worksheet,
    report: &Review,
    f: &Formats,
    row: u32,
) -> Result<TrendPlace, XlsxError> {
    let year = report.year;
    let series: Vec<&Series> = report
        .history
        .series
        .iter()
        .filter(|s| known_years(s, year) >= 2)
        .collect();
    // Two years are already side by side in the KPI table above.
    if !series.iter().any(|s| known_years(s, year) >= 3) {
        return Ok(TrendPlace {
            next_row: row,
            training: None,
            header_row: row,
        });
    }
    let years = shown_years(&series, year);
    let mut headers: Vec<String> = vec!["Nyckeltal".into()];
    headers.extend(years.iter().map(|y| y.to_string()));
    headers.extend(["Utveckling".into(), "Riktning".into(), "Mål nått".into()]);
    let rows: Vec<Vec<Out>> = series
        .iter()
        .map(|s| {
            let mut cells = vec![Out::text(&s.label)];
            cells.extend(years.iter().map(|&y| year_cell(Some(*s), y)));
            cells.push(Out::text(""));
            cells.push(Out::text(direction(s, year)));
            cells.push(Out::text(targets_met(s, year)));
            cells
        })
        .collect();
    let place = write_table(
        ws,
        row,
        &format!(
            "Utveckling {}–{year} (siffror för tidigare år ur årets underlag eller tidigare genomgångar)",
            years[0]
        ),
        "Utveckling",
        &headers,
        &rows,
        f,
    )?;
    let found: Vec<Option<&Series>> = series.iter().map(|s| Some(*s)).collect();
    sparklines(ws, place.first_row, &found, &years, f)?;
    // The KPI table above fixes the widths of columns 0–6 (column 6, 22 wide, holds
    // any text); the direction ("Minskar 3 år i rad") and "2 av 3 år" need room
    // wherever the number of years puts them.
    let direction_col = years.len() as u16 + 2;
    if direction_col != 6 {
        ws.set_column_width(direction_col, 16)?;
    }
    if direction_col + 1 > 6 {
        ws.set_column_width(direction_col + 1, 10)?;
    }
    let training = series
        .iter()
        .position(|s| s.id == KpiKey::Fixed(KpiId::TrainingCompletionRateAll))
        .map(|i| (place.first_row + i as u32, years.len() as u16));
    Ok(TrendPlace {
        next_row: place.last_row + 2,
        training,
        header_row: place.header_row,
    })
}

/// Blanks the unknown years of each row (so the sparkline leaves a gap rather than
/// reading "–") and adds the sparkline in the column after the years. Rows start at
/// `first_row`, years at column 1.
fn sparklines(
    ws: &mut Worksheet,
    first_row: u32,
    rows: &[Option<&Series>],
    years: &[i32],
    f: &Formats,
) -> Result<(), XlsxError> {
    let sheet = ws.name();
    let last_year_col = years.len() as u16;
    for (i, s) in rows.iter().enumerate() {
        let r = first_row + i as u32;
        for (c, &y) in years.iter().enumerate() {
            if s.and_then(|s| s.at(y)).is_none() {
                ws.write_blank(r, 1 + c as u16, &f.missing)?;
            }
        }
        let sparkline = Sparkline::new()
            .set_range((sheet.as_str(), r, 1, r, last_year_col))
            .show_markers(true)
            .show_last_point(true)
            .show_empty_cells_as(ChartEmptyCells::Gaps)
            .set_sparkline_color(rust_xlsxwriter::Color::RGB(THIS_YEAR));
        ws.add_sparkline(r, last_year_col + 1, &sparkline)?;
    }
    Ok(())
}

/// A year's figure of a series as a table cell ("–" when unknown).
fn year_cell(s: Option<&Series>, y: i32) -> Out {
    match s.and_then(|s| s.at(y).map(|v| (v, s.kind))) {
        None => Out::Missing,
        Some((v, ValueKind::Rate)) => Out::Rate(Some(v)),
        Some((v, ValueKind::Count)) => Out::Count(v),
    }
}

/// The KPIs the comparison follows per unit over the years.
const COMPARISON_TRENDS: [KpiId; 4] = [
    KpiId::TrainingCompletionRateAll,
    KpiId::IncidentsTotal,
    KpiId::IncidentsPersonalData,
    KpiId::IncidentsReportedImy,
];

/// The comparison's `Utveckling` sheet: per KPI, each unit's last five years with a
/// sparkline and the direction. `None` unless some unit knows three years of one.
pub(crate) fn comparison_sheet(
    units: &[&Review],
    year: i32,
    title: &str,
    authority: &str,
    f: &Formats,
) -> Result<Option<Worksheet>, XlsxError> {
    fn series_of(r: &Review, id: KpiId) -> Option<&Series> {
        r.history.series.iter().find(|s| s.id == KpiKey::Fixed(id))
    }
    let all: Vec<&Series> = units
        .iter()
        .flat_map(|r| COMPARISON_TRENDS.iter().filter_map(|id| series_of(r, *id)))
        .collect();
    if !all.iter().any(|s| known_years(s, year) >= 3) {
        return Ok(None);
    }
    let years = shown_years(&all, year);
    let mut ws = super::data_sheet_for("Utveckling", title)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{title}: utveckling per förvaltning"),
        &f.title,
    )?;
    let mut row = super::FIRST_ROW;
    for (i, id) in COMPARISON_TRENDS.iter().enumerate() {
        let found: Vec<Option<&Series>> = units.iter().map(|r| series_of(r, *id)).collect();
        let mut headers: Vec<String> = vec!["Förvaltning".into()];
        headers.extend(years.iter().map(|y| y.to_string()));
        headers.extend(["Utveckling".into(), "Riktning".into()]);
        let rows: Vec<Vec<Out>> = units
            .iter()
            .zip(&found)
            .map(|(r, s)| {
                let mut cells = vec![Out::text(&r.unit)];
                cells.extend(years.iter().map(|&y| year_cell(*s, y)));
                cells.push(Out::text(""));
                cells.push(Out::text(
                    s.map(|s| direction(s, year)).unwrap_or_else(|| "–".into()),
                ));
                cells
            })
            .collect();
        let place = write_table(
            &mut ws,
            row,
            &format!("{} {}–{year}", id.short_label(authority), years[0]),
            &format!("Utveckling{}", i + 1),
            &headers,
            &rows,
            f,
        )?;
        sparklines(&mut ws, place.first_row, &found, &years, f)?;
        row = place.last_row + 3;
    }
    ws.set_column_width(0, 30)?;
    Ok(Some(ws))
}

/// The chart of training per year (the share who completed every mandatory course),
/// over every year the trend table shows, at `row`. True when drawn.
pub(crate) fn training_chart(
    ws: &mut Worksheet,
    place: &TrendPlace,
    row: u32,
    col: u16,
) -> Result<bool, XlsxError> {
    let Some((data_row, last_col)) = place.training else {
        return Ok(false);
    };
    let sheet = ws.name();
    let mut chart = Chart::new(ChartType::Column);
    let series = chart
        .add_series()
        .set_name("Andel som genomfört alla obligatoriska utbildningar")
        .set_categories((
            sheet.as_str(),
            place.header_row,
            1,
            place.header_row,
            last_col,
        ))
        .set_values((sheet.as_str(), data_row, 1, data_row, last_col))
        .set_format(&mut fill(THIS_YEAR));
    label_values(series);
    chart
        .title()
        .set_name("Obligatoriska utbildningar genomförda, per år");
    rate_axis(chart.y_axis());
    chart.legend().set_hidden();
    chart.set_width(480).set_height(300);
    ws.insert_chart(row, col, &chart)?;
    Ok(true)
}
