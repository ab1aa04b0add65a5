//! `Jämförelse YYYY.xlsx`: the units of a city side by side, for a city director.
//!
//! Truth first: a rate's numerator and denominator come from the same units (incidents
//! per 100 employees only over units that have a headcount), a unit without an input
//! shows "Underlag saknas" (never 0 or an empty bar), medians only over three or more
//! units with data, and colours say Röd/Gul/Grön against each KPI's target, never a
//! scale relative to the other units. The KPIs are split over tables that fit an A4
//! page, with the city total and median under each; an overview ranks the units and
//! counts their red figures and missing inputs, and three lines of conclusions open it.

use std::path::Path;

use rust_xlsxwriter::{
    Chart, ChartType, Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook,
    Worksheet, XlsxError,
};

use crate::error::Error;
use crate::kpi::Status;
use crate::model::Severity;
use crate::report::workbook::{
    charts, data_sheet_for, fit_wrapped_rows, write_table, Formats, Out, TablePlace, GREEN_FILL,
    GREEN_TEXT, RED_FILL, RED_TEXT, YELLOW_FILL, YELLOW_TEXT,
};
use crate::review::format::{number, percent};
use crate::review::Review;
use crate::schema::{InputKind, KpiId, ValueKind};
use crate::textnorm::swedish_cmp;

/// What a unit shows where no input carries the figure.
const NO_DATA: &str = "Underlag saknas";

/// Medians are shown only over at least this many units with data.
const MEDIAN_MIN_UNITS: usize = 3;

/// The KPI tables, each narrow enough for an A4 landscape page: the schema's KPIs in
/// their order, training and incidents first, then the registers.
const TABLES: [(&str, &str, &[KpiId]); 2] = [
    (
        "Utbildning och incidenter",
        "JamforelseUtbildningIncidenter",
        KpiId::ALL.split_at(8).0,
    ),
    (
        "Registerförteckning, informationsklassning, risker och åtgärder",
        "JamforelseStyrning",
        KpiId::ALL.split_at(8).1,
    ),
];

/// Last year and the change, for the figures that have a previous year.
const CHANGE_IDS: [KpiId; 4] = [
    KpiId::TrainingCompletionRateAll,
    KpiId::IncidentsTotal,
    KpiId::IncidentsPersonalData,
    KpiId::IncidentsReportedImy,
];

/// The counts shown per 100 employees.
const PER_HUNDRED: [(KpiId, &str); 3] = [
    (KpiId::IncidentsTotal, "Incidenter per 100 medarbetare"),
    (
        KpiId::IncidentsPersonalData,
        "Personuppgiftsincidenter per 100 medarbetare",
    ),
    (
        KpiId::IncidentsReportedImy,
        "IMY-anmälningar per 100 medarbetare",
    ),
];

/// The inputs a unit is expected to have, for "which inputs each unit lacks".
const INPUTS: [(&[InputKind], &str); 6] = [
    (
        &[InputKind::Training, InputKind::TrainingWide],
        "utbildning",
    ),
    (&[InputKind::Incidents], "incidenter"),
    (&[InputKind::Register], "registerförteckning"),
    (&[InputKind::Classification], "klassning"),
    (&[InputKind::Risks], "risker"),
    (&[InputKind::Actions], "åtgärder"),
];

/// A count per 100 employees, when the unit has both (and a headcount above zero).
pub fn per_hundred(r: &Review, id: KpiId) -> Option<f64> {
    match (r.value(id), r.value(KpiId::TrainingHeadcount)) {
        (Some(n), Some(h)) if h > 0.0 => Some(n * 100.0 / h),
        _ => None,
    }
}

/// The city's count per 100 employees: numerator and denominator over the same units,
/// those with both a headcount and the count.
pub fn city_per_hundred(reviews: &[&Review], id: KpiId) -> Option<f64> {
    let (mut n, mut h) = (0.0, 0.0);
    for r in reviews {
        if let (Some(count), Some(heads)) = (r.value(id), r.value(KpiId::TrainingHeadcount)) {
            if heads > 0.0 {
                n += count;
                h += heads;
            }
        }
    }
    (h > 0.0).then(|| n * 100.0 / h)
}

/// The city-wide value of a KPI: sums for counts, pooled ratios for rates (over the
/// units that have both the rate and its base).
pub fn city_value(reviews: &[&Review], id: KpiId) -> Option<f64> {
    match id.denominator() {
        Some(base) => {
            let (mut num, mut den) = (0.0, 0.0);
            for r in reviews {
                if let (Some(v), Some(b)) = (r.value(id), r.value(base)) {
                    num += v * b;
                    den += b;
                }
            }
            (den > 0.0).then(|| num / den)
        }
        None => {
            let values: Vec<f64> = reviews.iter().filter_map(|r| r.value(id)).collect();
            (!values.is_empty()).then(|| values.iter().sum())
        }
    }
}

/// The median of the units that have a value, when there are enough of them.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.len() < MEDIAN_MIN_UNITS {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let m = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[m - 1] + values[m]) / 2.0
    } else {
        values[m]
    })
}

/// How many of a unit's KPIs are red against their targets.
fn red_count(r: &Review) -> usize {
    r.kpis.iter().filter(|k| k.status == Status::Bad).count()
}

/// How many of a unit's KPIs could be judged against a target at all (a value and a
/// target): a unit without data has none, and its 0 red says nothing.
fn assessed_count(r: &Review) -> usize {
    r.kpis
        .iter()
        .filter(|k| k.value.is_some() && k.status != Status::Info)
        .count()
}

/// The share of a unit's judged KPIs that are red; `None` when none could be judged.
fn red_share(r: &Review) -> Option<f64> {
    let assessed = assessed_count(r);
    (assessed > 0).then(|| red_count(r) as f64 / assessed as f64)
}

/// How many units carry a figure, for the "Förvaltningar med underlag" row under the
/// city total: a total over part of the city must say so where it is shown.
fn coverage(units: &[&Review], has: impl Fn(&Review) -> bool) -> usize {
    units.iter().filter(|r| has(r)).count()
}

/// Whether the unit's headcount came from a personnel list (otherwise from the people
/// in its training list).
fn headcount_from_roster(r: &Review) -> bool {
    r.context.kinds_present.contains(&InputKind::Roster)
}

/// The inputs a unit lacks, in words.
fn missing_inputs(r: &Review) -> Vec<&'static str> {
    INPUTS
        .iter()
        .filter(|(kinds, _)| !kinds.iter().any(|k| r.context.kinds_present.contains(k)))
        .map(|(_, name)| *name)
        .collect()
}

/// Writes the comparison of `reports`; `remarks` are the units the reader must know
/// about besides the compared ones: (unit, what) — a unit that could not be run and
/// why, a unit reviewed for another year.
pub fn write_comparison(
    reports: &[Review],
    remarks: &[(String, String)],
    year: i32,
    path: &Path,
) -> Result<(), Error> {
    let bytes = build(reports, remarks, year).map_err(|source| Error::Workbook {
        path: path.to_path_buf(),
        source,
    })?;
    crate::report::write_atomically(path, &bytes)
}

/// Status formats for a value cell, by the unit's KPI status against its target.
struct StatusFormats {
    count: [Format; 4],
    rate: [Format; 4],
    /// Shares below 10 % with one decimal, as the review text writes them.
    rate_tenth: [Format; 4],
    no_data: Format,
}

impl StatusFormats {
    fn new(f: &Formats) -> StatusFormats {
        let coloured = |base: &Format| {
            let with = |fill: u32, text: u32| {
                base.clone()
                    .set_background_color(Color::RGB(fill))
                    .set_font_color(Color::RGB(text))
            };
            [
                with(GREEN_FILL, GREEN_TEXT),
                with(YELLOW_FILL, YELLOW_TEXT),
                with(RED_FILL, RED_TEXT),
                base.clone(),
            ]
        };
        StatusFormats {
            count: coloured(&f.count),
            rate: coloured(&f.rate),
            rate_tenth: coloured(&f.rate_tenth),
            no_data: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x7F7F7F))
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::Top),
        }
    }

    /// The format for `value`: its status colour, and for a share the decimals
    /// [`crate::review::format::percent`] writes.
    fn of(&self, kind: ValueKind, status: Status, value: f64) -> &Format {
        let i = match status {
            Status::Good => 0,
            Status::Warning => 1,
            Status::Bad => 2,
            Status::Info => 3,
        };
        match kind {
            ValueKind::Count => &self.count[i],
            ValueKind::Rate if crate::review::format::share_decimals(value * 100.0) == 1 => {
                &self.rate_tenth[i]
            }
            ValueKind::Rate => &self.rate[i],
        }
    }
}

fn build(
    reports: &[Review],
    remarks: &[(String, String)],
    year: i32,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    let created = ExcelDateTime::from_ymd((year + 1).clamp(1900, 9999) as u16, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Jämförelse {year}"))
            .set_subject("Ledningens genomgång per förvaltning")
            .set_creation_datetime(&created)
            .set_custom_property(crate::ingest::OUTPUT_MARKER_PROPERTY, "ja"),
    );
    let f = Formats::new();
    let mut units: Vec<&Review> = reports.iter().collect();
    units.sort_by(|a, b| swedish_cmp(&a.unit, &b.unit));
    let authority = units
        .first()
        .map(|r| r.context.nis_authority.clone())
        .unwrap_or_else(|| "MSB".into());
    let title = format!("Jämförelse {year}");

    wb.push_worksheet(comparison_sheet(
        &units, remarks, year, &title, &authority, &f,
    )?);
    if let Some(ws) =
        crate::report::workbook::history::comparison_sheet(&units, year, &title, &authority, &f)?
    {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(categories_sheet(&units, year, &title, &f)?);
    wb.push_worksheet(sources_sheet(&units, &title, &f)?);
    wb.save_to_buffer()
}

/// The `Jämförelse` sheet: conclusions, the overview, the KPI tables, last year beside
/// this year and the training chart.
fn comparison_sheet(
    units: &[&Review],
    remarks: &[(String, String)],
    year: i32,
    title: &str,
    authority: &str,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let sf = StatusFormats::new(f);
    let mut ws = data_sheet_for("Jämförelse", title)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Jämförelse {year} – {} förvaltningar", units.len()),
        &f.title,
    )?;
    ws.write_string_with_format(
        1,
        0,
        format!("Nyckeltal per förvaltning. Staden totalt: summor, och för andelar och per 100 medarbetare bara de förvaltningar som har både täljare och nämnare. Median när minst {MEDIAN_MIN_UNITS} förvaltningar har underlag. Färg: Röd/Gul/Grön mot målen i genomgang.toml."),
        &f.subtitle,
    )?;
    let mut row = 3;
    ws.write_string_with_format(row, 0, "Slutsatser", &f.heading)?;
    row += 1;
    for line in conclusions(units, year) {
        ws.write_string_with_format(row, 0, format!("•  {line}"), &f.text)?;
        row += 1;
    }
    row += 1;
    if !remarks.is_empty() {
        ws.write_string_with_format(row, 0, "Förvaltningar att observera", &f.heading)?;
        row += 1;
        for (unit, what) in remarks {
            ws.write_string_with_format(
                row,
                0,
                format!("•  {unit}: {}", crate::privacy::screen(what)),
                &f.text,
            )?;
            row += 1;
        }
        row += 1;
    }

    let overview = overview_table(&mut ws, units, row, f, &sf)?;
    let mut end = overview.1;
    for (heading, name, ids) in TABLES {
        end = kpi_table(
            &mut ws,
            units,
            end + 3,
            (heading, name, ids),
            authority,
            f,
            &sf,
        )?;
    }
    // Last year's table and the chart start a page of their own.
    ws.set_page_breaks(&[end + 2])?;
    let changes = change_table(&mut ws, units, end + 3, year, authority, f, &sf)?;
    let chart_row = changes.last_row + 3;

    // Every column as wide as its headers' longest word, so a header wraps between
    // words ("Personuppgiftsincidenter" whole), and "Underlag saknas" fits a cell.
    let mut widths = [15.0f64; 11];
    widths[0] = 28.0;
    // "Underlag som saknas" lists input kinds.
    widths[3] = 22.0;
    let mut fit = |col: usize, header: &str| {
        if let Some(w) = widths.get_mut(col) {
            *w = w.max(header_word_width(header));
        }
    };
    for (col, header) in overview_headers().iter().enumerate() {
        fit(col, header);
    }
    for (_, _, ids) in TABLES {
        for (j, id) in ids.iter().enumerate() {
            fit(1 + j, &id.short_label(authority));
        }
    }
    for (k, id) in CHANGE_IDS.iter().enumerate() {
        let label = id.short_label(authority);
        fit(1 + 2 * k, &label);
        fit(2 + 2 * k, &label);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for place in [&overview.0, &changes] {
        if !place.empty {
            ws.set_row_height(place.header_row, 47)?;
        }
    }
    ws.set_freeze_panes(0, 1)?;

    training_chart(&mut ws, units, chart_row, f)?;
    Ok(ws)
}

/// Width (Excel character units) a bold header needs for its longest word on one line.
fn header_word_width(header: &str) -> f64 {
    let longest = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    longest as f64 * 1.15 + 1.0
}

/// The overview table's headers.
fn overview_headers() -> Vec<String> {
    let mut headers: Vec<String> = vec![
        "Förvaltning".into(),
        "Röda nyckeltal".into(),
        "Bedömda nyckeltal".into(),
        "Underlag som saknas".into(),
        "Andel genomfört utbildning".into(),
        "Rang utbildning".into(),
    ];
    headers.extend(PER_HUNDRED.iter().map(|(_, l)| l.to_string()));
    headers
}

/// Columns of the overview table.
const COL_RED: u16 = 1;
const COL_RATE: u16 = 4;
const COL_RANK: u16 = 5;
const COL_PER_HUNDRED: u16 = 6;

/// Red figures (of those that could be judged), missing inputs, training rank and
/// per-100 rates per unit; returns the table and the last row used.
fn overview_table(
    ws: &mut Worksheet,
    units: &[&Review],
    row: u32,
    f: &Formats,
    sf: &StatusFormats,
) -> Result<(TablePlace, u32), XlsxError> {
    let rank = training_rank(units);
    let headers = overview_headers();
    let rows: Vec<Vec<Out>> = units
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let missing = missing_inputs(r);
            let assessed = assessed_count(r);
            let mut cells = vec![
                Out::text(&r.unit),
                if assessed > 0 {
                    Out::count(red_count(r) as f64)
                } else {
                    Out::Missing
                },
                Out::count(assessed as f64),
                Out::Wrapped(if missing.is_empty() {
                    "–".into()
                } else {
                    missing.join(", ")
                }),
                Out::Rate(r.value(KpiId::TrainingCompletionRateAll)),
                rank[i]
                    .map(|p| Out::count(p as f64))
                    .unwrap_or(Out::Missing),
            ];
            cells.extend(PER_HUNDRED.iter().map(|(id, _)| {
                per_hundred(r, *id)
                    .map(Out::Decimal)
                    .unwrap_or(Out::Missing)
            }));
            cells
        })
        .collect();
    let overview = write_table(
        ws,
        row,
        "Översikt",
        "JamforelseOversikt",
        &headers,
        &rows,
        f,
    )?;
    // A unit that lacks several inputs lists them on lines of their own, row grown to fit.
    fit_wrapped_rows(ws, &overview, &rows, &[(3, 22.0)])?;
    for (i, r) in units.iter().enumerate() {
        let at = overview.first_row + i as u32;
        if assessed_count(r) == 0 {
            ws.write_string_with_format(at, COL_RED, NO_DATA, &sf.no_data)?;
        }
        status_cell(ws, at, COL_RATE, r, KpiId::TrainingCompletionRateAll, sf)?;
        for (j, (id, _)) in PER_HUNDRED.iter().enumerate() {
            if per_hundred(r, *id).is_none() {
                ws.write_string_with_format(at, COL_PER_HUNDRED + j as u16, NO_DATA, &sf.no_data)?;
            }
        }
        if rank[i].is_none() {
            ws.write_string_with_format(at, COL_RANK, NO_DATA, &sf.no_data)?;
        }
    }
    let per_hundred_id = |col: u16| PER_HUNDRED[(col - COL_PER_HUNDRED) as usize].0;
    let per_hundred_cols = COL_PER_HUNDRED..COL_PER_HUNDRED + PER_HUNDRED.len() as u16;
    let end = totals(
        ws,
        &overview,
        f,
        TotalColumns {
            total: &|col| {
                if col == COL_RATE {
                    city_value(units, KpiId::TrainingCompletionRateAll).map(|v| Out::Rate(Some(v)))
                } else if per_hundred_cols.contains(&col) {
                    city_per_hundred(units, per_hundred_id(col)).map(Out::Decimal)
                } else {
                    None
                }
            },
            median: &|col| {
                if col == COL_RATE {
                    median(
                        units
                            .iter()
                            .filter_map(|r| r.value(KpiId::TrainingCompletionRateAll))
                            .collect(),
                    )
                    .map(|v| Out::Rate(Some(v)))
                } else if per_hundred_cols.contains(&col) {
                    median(
                        units
                            .iter()
                            .filter_map(|r| per_hundred(r, per_hundred_id(col)))
                            .collect(),
                    )
                    .map(Out::Decimal)
                } else {
                    None
                }
            },
            covered: &|col| {
                if col == COL_RATE {
                    Some(coverage(units, |r| {
                        r.value(KpiId::TrainingCompletionRateAll).is_some()
                    }))
                } else if per_hundred_cols.contains(&col) {
                    Some(coverage(units, |r| {
                        per_hundred(r, per_hundred_id(col)).is_some()
                    }))
                } else {
                    None
                }
            },
            units: units.len(),
        },
    )?;

    Ok((overview, end))
}

/// One table of KPIs per unit, with the city total and median; returns the last row.
fn kpi_table(
    ws: &mut Worksheet,
    units: &[&Review],
    row: u32,
    (heading, name, ids): (&str, &str, &[KpiId]),
    authority: &str,
    f: &Formats,
    sf: &StatusFormats,
) -> Result<u32, XlsxError> {
    let mut headers: Vec<String> = vec!["Förvaltning".into()];
    headers.extend(ids.iter().map(|id| id.short_label(authority)));
    let rows: Vec<Vec<Out>> = units
        .iter()
        .map(|r| {
            let mut cells = vec![Out::text(&r.unit)];
            cells.extend(ids.iter().map(|id| match r.value(*id) {
                None => Out::Missing,
                Some(v) => value_out(*id, v),
            }));
            cells
        })
        .collect();
    let place = write_table(ws, row, heading, name, &headers, &rows, f)?;
    if !place.empty {
        ws.set_row_height(place.header_row, 47)?;
    }
    for (i, r) in units.iter().enumerate() {
        for (j, id) in ids.iter().enumerate() {
            status_cell(ws, place.first_row + i as u32, 1 + j as u16, r, *id, sf)?;
        }
    }
    let id_of = |col: u16| ids[col as usize - 1];
    totals(
        ws,
        &place,
        f,
        TotalColumns {
            total: &|col| city_value(units, id_of(col)).map(|v| value_out(id_of(col), v)),
            median: &|col| {
                let id = id_of(col);
                median(units.iter().filter_map(|r| r.value(id)).collect()).map(|v| value_out(id, v))
            },
            covered: &|col| Some(units_in_city_value(units, id_of(col))),
            units: units.len(),
        },
    )
}

/// Last year beside this year for the figures that have a previous year.
fn change_table(
    ws: &mut Worksheet,
    units: &[&Review],
    row: u32,
    year: i32,
    authority: &str,
    f: &Formats,
    sf: &StatusFormats,
) -> Result<TablePlace, XlsxError> {
    let change_ids = CHANGE_IDS;
    let mut headers: Vec<String> = vec!["Förvaltning".into()];
    for id in change_ids {
        let label = id.short_label(authority);
        headers.push(format!("{label} {year}"));
        headers.push(format!("{label} {}", year - 1));
    }
    let rows: Vec<Vec<Out>> = units
        .iter()
        .map(|r| {
            let mut cells = vec![Out::text(&r.unit)];
            for id in change_ids {
                let k = r.kpi(id);
                let out = |v: Option<f64>| match v {
                    None => Out::Missing,
                    Some(v) => value_out(id, v),
                };
                cells.push(out(k.and_then(|k| k.value)));
                cells.push(out(k.and_then(|k| k.previous)));
            }
            cells
        })
        .collect();
    let changes = write_table(
        ws,
        row,
        &format!("Förändring mot {}", year - 1),
        "JamforelseForandring",
        &headers,
        &rows,
        f,
    )?;
    for (i, r) in units.iter().enumerate() {
        for (j, id) in change_ids.iter().enumerate() {
            let k = r.kpi(*id);
            for (offset, v) in [
                (0u16, k.and_then(|k| k.value)),
                (1, k.and_then(|k| k.previous)),
            ] {
                if v.is_none() {
                    ws.write_string_with_format(
                        changes.first_row + i as u32,
                        1 + 2 * j as u16 + offset,
                        NO_DATA,
                        &sf.no_data,
                    )?;
                }
            }
        }
    }
    Ok(changes)
}

/// Training completion of the units that have training data, ranked, against the
/// target: a table and a column chart, with no empty bar for a unit without data.
fn training_chart(
    ws: &mut Worksheet,
    units: &[&Review],
    row: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    let with_rate: Vec<(&str, f64, Option<f64>)> = {
        let mut v: Vec<(&str, f64, Option<f64>)> = units
            .iter()
            .filter_map(|r| {
                let k = r.kpi(KpiId::TrainingCompletionRateAll)?;
                Some((r.unit.as_str(), k.value?, k.target))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| swedish_cmp(a.0, b.0)));
        v
    };
    if !with_rate.is_empty() {
        let headers: Vec<String> =
            vec!["Förvaltning".into(), "Andel genomfört".into(), "Mål".into()];
        let rows: Vec<Vec<Out>> = with_rate
            .iter()
            .map(|(u, v, t)| vec![Out::text(*u), Out::Rate(Some(*v)), Out::Rate(*t)])
            .collect();
        let place = write_table(
            ws,
            row,
            "Andel som genomfört de obligatoriska utbildningarna, förvaltningar med underlag",
            "JamforelseUtbildningRang",
            &headers,
            &rows,
            f,
        )?;
        let range = crate::report::workbook::ChartRange {
            sheet: "Jämförelse".into(),
            first_row: place.first_row,
            last_row: place.last_row,
            has_previous: false,
            max: 1.0,
        };
        let mut chart = Chart::new(ChartType::Column);
        let series = chart
            .add_series()
            .set_name("Andel genomfört")
            .set_categories(("Jämförelse", place.first_row, 0, place.last_row, 0))
            .set_values(("Jämförelse", place.first_row, 1, place.last_row, 1))
            .set_format(&mut charts::fill(charts::THIS_YEAR));
        charts::label_values(series);
        if with_rate.iter().any(|(_, _, t)| t.is_some()) {
            let mut target = Chart::new(ChartType::Line);
            charts::target_series(&mut target, &range, 2, "Mål");
            chart.combine(&target);
        }
        chart
            .title()
            .set_name("Andel som genomfört de obligatoriska utbildningarna");
        charts::rate_axis(chart.y_axis());
        chart
            .legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        chart
            .set_width((200 + 60 * with_rate.len() as u32).clamp(560, 1000))
            .set_height(340);
        ws.insert_chart(place.last_row + 2, 0, &chart)?;
    }
    Ok(())
}

fn value_out(id: KpiId, v: f64) -> Out {
    match id.kind() {
        ValueKind::Rate => Out::Rate(Some(v)),
        ValueKind::Count => Out::Count(v),
    }
}

/// Writes a unit's value with its status colour, or "Underlag saknas".
fn status_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    r: &Review,
    id: KpiId,
    sf: &StatusFormats,
) -> Result<(), XlsxError> {
    match r.kpi(id) {
        Some(k) => match k.value {
            Some(v) => ws.write_number_with_format(row, col, v, sf.of(k.kind, k.status, v))?,
            None => ws.write_string_with_format(row, col, NO_DATA, &sf.no_data)?,
        },
        None => ws.write_string_with_format(row, col, NO_DATA, &sf.no_data)?,
    };
    Ok(())
}

/// What the rows under a table show per column (columns without a value stay empty).
struct TotalColumns<'a> {
    /// The city's value.
    total: &'a dyn Fn(u16) -> Option<Out>,
    median: &'a dyn Fn(u16) -> Option<Out>,
    /// How many units the city's value is over.
    covered: &'a dyn Fn(u16) -> Option<usize>,
    /// How many units the table has.
    units: usize,
}

/// "Staden totalt", "Median" and "Förvaltningar med underlag" rows under a table: a
/// total over part of the city says over how many units it is ("1 av 4"), so one unit's
/// figure never reads as the city's. Returns the last row written.
fn totals(
    ws: &mut Worksheet,
    place: &TablePlace,
    f: &Formats,
    columns_of: TotalColumns,
) -> Result<u32, XlsxError> {
    if place.empty {
        return Ok(place.last_row);
    }
    let total_row = place.last_row + 1;
    let mut next = total_row + 1;
    ws.write_string_with_format(total_row, 0, "Staden totalt", &f.bold)?;
    let columns = ws_columns(place);
    let any_median = (1..=columns).any(|c| (columns_of.median)(c).is_some());
    let median_row = any_median.then(|| {
        next += 1;
        next - 1
    });
    let any_coverage = (1..=columns).any(|c| (columns_of.covered)(c).is_some());
    let coverage_row = any_coverage.then_some(next);
    if let Some(at) = median_row {
        ws.write_string_with_format(at, 0, "Median", &f.text)?;
    }
    if let Some(at) = coverage_row {
        ws.write_string_with_format(at, 0, "Förvaltningar med underlag", &f.text)?;
    }
    for col in 1..=columns {
        let covered = (columns_of.covered)(col);
        match (columns_of.total)(col) {
            Some(Out::Count(v)) => ws.write_number_with_format(total_row, col, v, &f.bold_count)?,
            Some(Out::Rate(Some(v))) => {
                ws.write_number_with_format(total_row, col, v, &f.bold_rate)?
            }
            Some(Out::Decimal(v)) => {
                ws.write_number_with_format(total_row, col, v, &f.bold_decimal)?
            }
            _ if covered == Some(0) => {
                ws.write_string_with_format(total_row, col, NO_DATA, &f.bold)?
            }
            _ => ws.write_string_with_format(total_row, col, "", &f.bold)?,
        };
        if let Some(at) = median_row {
            match (columns_of.median)(col) {
                Some(Out::Count(v)) if v.fract() == 0.0 => {
                    ws.write_number_with_format(at, col, v, &f.count)?
                }
                Some(Out::Count(v) | Out::Decimal(v)) => {
                    ws.write_number_with_format(at, col, v, &f.decimal)?
                }
                Some(Out::Rate(Some(v))) => {
                    ws.write_number_with_format(at, col, v, f.rate_for(v))?
                }
                _ => ws,
            };
        }
        if let (Some(at), Some(n)) = (coverage_row, covered) {
            // Right-aligned under the figures; bold where the total is partial.
            let format = if n < columns_of.units {
                f.bold.clone().set_align(FormatAlign::Right)
            } else {
                f.text.clone().set_align(FormatAlign::Right)
            };
            ws.write_string_with_format(at, col, format!("{n} av {}", columns_of.units), &format)?;
        }
    }
    Ok(coverage_row.or(median_row).unwrap_or(total_row))
}

/// How many units a city value is computed over: those with the value (and, for a
/// rate, its base).
fn units_in_city_value(units: &[&Review], id: KpiId) -> usize {
    coverage(units, |r| {
        r.value(id).is_some() && id.denominator().is_none_or(|base| r.value(base).is_some())
    })
}

fn ws_columns(place: &TablePlace) -> u16 {
    place.columns.saturating_sub(1)
}

/// Each unit's rank by training completion (1 = highest), `None` without data.
fn training_rank(units: &[&Review]) -> Vec<Option<usize>> {
    let mut rates: Vec<(usize, f64)> = units
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.value(KpiId::TrainingCompletionRateAll).map(|v| (i, v)))
        .collect();
    rates.sort_by(|a, b| b.1.total_cmp(&a.1));
    (0..units.len())
        .map(|i| rates.iter().position(|(k, _)| *k == i).map(|p| p + 1))
        .collect()
}

/// Three lines for a city director: training against the target, incidents per 100
/// employees, and the units with the most red figures or missing inputs.
fn conclusions(units: &[&Review], year: i32) -> Vec<String> {
    let mut out = Vec::new();
    let with_training: Vec<&&Review> = units
        .iter()
        .filter(|r| r.value(KpiId::TrainingCompletionRateAll).is_some())
        .collect();
    match city_value(units, KpiId::TrainingCompletionRateAll) {
        Some(rate) => {
            let target = with_training.iter().find_map(|r| {
                r.kpi(KpiId::TrainingCompletionRateAll)
                    .and_then(|k| k.target)
            });
            let reached = with_training
                .iter()
                .filter(|r| {
                    r.kpi(KpiId::TrainingCompletionRateAll)
                        .is_some_and(|k| k.status == Status::Good)
                })
                .count();
            out.push(match target {
                Some(t) => format!(
                    "Staden som helhet: {} av medarbetarna har genomfört de obligatoriska utbildningarna (målet är {}); {} av {} förvaltningar med underlag når målet.",
                    percent(rate),
                    percent(t),
                    number(reached as f64),
                    number(with_training.len() as f64)
                ),
                None => format!(
                    "Staden som helhet: {} av medarbetarna har genomfört de obligatoriska utbildningarna.",
                    percent(rate)
                ),
            });
        }
        None => out.push("Ingen förvaltning har underlag om utbildning.".to_string()),
    }
    match city_per_hundred(units, KpiId::IncidentsTotal) {
        Some(v) => {
            let counted: Vec<&&Review> = units
                .iter()
                .filter(|r| per_hundred(r, KpiId::IncidentsTotal).is_some())
                .collect();
            let from_roster = counted.iter().filter(|r| headcount_from_roster(r)).count();
            let base = match (from_roster, counted.len() - from_roster) {
                (_, 0) => "antalet medarbetare enligt personalförteckningen".to_string(),
                (0, _) => "antalet medarbetare i utbildningslistan (ingen av dem har en personalförteckning)".to_string(),
                (_, from_training) => format!(
                    "antalet medarbetare enligt personalförteckningen, för {} av dem enligt utbildningslistan",
                    crate::kpi::count_noun(from_training, "förvaltning", "förvaltningar")
                ),
            };
            out.push(format!(
                "Under {year} registrerades {} incidenter per 100 medarbetare i de {} som har både incidentlogg och {base}.",
                format!("{v:.1}").replace('.', ","),
                crate::kpi::count_noun(counted.len(), "förvaltning", "förvaltningar"),
            ));
        }
        None => out.push(format!(
            "Incidenter per 100 medarbetare kan inte anges för {year}: ingen förvaltning har både incidentlogg och antal medarbetare."
        )),
    }
    let lacking: Vec<String> = units
        .iter()
        .filter(|r| !missing_inputs(r).is_empty())
        .map(|r| r.unit.clone())
        .collect();
    // The highest share of red among the KPIs that could be judged: a unit without data
    // has no red figures because it has no figures, and must not look best.
    let most_red = units
        .iter()
        .filter_map(|r| red_share(r).map(|share| (share, r)))
        .max_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then_with(|| swedish_cmp(&b.1.unit, &a.1.unit))
        });
    let mut third = match most_red {
        Some((share, r)) if share > 0.0 => format!(
            "Störst andel röda nyckeltal har {} ({} av {} bedömda).",
            r.unit,
            number(red_count(r) as f64),
            number(assessed_count(r) as f64)
        ),
        Some(_) => "Ingen förvaltning har röda nyckeltal bland dem som kunde bedömas.".to_string(),
        None => "Inget nyckeltal kunde bedömas mot målen: underlag saknas.".to_string(),
    };
    if !lacking.is_empty() {
        third.push_str(&format!(
            " Underlag saknas delvis för {}: {}.",
            crate::kpi::count_noun(lacking.len(), "förvaltning", "förvaltningar"),
            lacking.join(", ")
        ));
    }
    out.push(third);
    out
}

/// Incidents per category and unit: the counts, the same per 100 employees for the
/// units with a headcount (units of different size compare only so), and a chart of
/// incidents per 100 employees per unit, one colour, highest first.
fn categories_sheet(
    units: &[&Review],
    year: i32,
    title: &str,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let name = "Incidenter per kategori";
    let mut ws = data_sheet_for(name, title)?;
    let categories: Vec<(String, String)> = units
        .iter()
        .find(|r| !r.breakdowns.incidents_by_category.is_empty())
        .map(|r| {
            r.breakdowns
                .incidents_by_category
                .iter()
                .map(|c| (c.slug.clone(), c.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let with_incidents: Vec<&Review> = units
        .iter()
        .copied()
        .filter(|r| r.value(KpiId::IncidentsTotal).is_some())
        .collect();
    let count_in = |r: &Review, slug: &str| {
        r.breakdowns
            .incidents_by_category
            .iter()
            .find(|c| c.slug == slug)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    let mut headers: Vec<String> = vec!["Förvaltning".into()];
    headers.extend(categories.iter().map(|(_, l)| l.clone()));
    headers.push("Totalt".into());
    let rows: Vec<Vec<Out>> = with_incidents
        .iter()
        .map(|r| {
            let mut cells = vec![Out::text(&r.unit)];
            let mut total = 0u32;
            for (slug, _) in &categories {
                let n = count_in(r, slug);
                total += n;
                cells.push(Out::count(n));
            }
            cells.push(Out::count(total));
            cells
        })
        .collect();
    // Below the subtitle, and not at the first table row: the sheet has two tables and a
    // chart, so no header row is repeated over the pages after the first.
    let place = write_table(
        &mut ws,
        4,
        &format!("Incidenter {year} per kategori, antal, förvaltningar med incidentlogg"),
        "IncidenterKategori",
        &headers,
        &rows,
        f,
    )?;
    let column_sum = |rows: &[Vec<Out>], col: u16| -> f64 {
        rows.iter()
            .filter_map(|r| match r.get(col as usize) {
                Some(Out::Count(n)) => Some(*n),
                _ => None,
            })
            .sum()
    };
    let mut end = place.last_row;
    if !place.empty {
        end = totals(
            &mut ws,
            &place,
            f,
            TotalColumns {
                total: &|col| Some(Out::Count(column_sum(&rows, col))),
                median: &|_| None,
                covered: &|_| Some(with_incidents.len()),
                units: units.len(),
            },
        )?;
    }
    let without: Vec<&str> = units
        .iter()
        .filter(|r| r.value(KpiId::IncidentsTotal).is_none())
        .map(|r| r.unit.as_str())
        .collect();
    if !without.is_empty() {
        end += 2;
        ws.write_string_with_format(
            end,
            0,
            format!(
                "Underlag saknas (ingen incidentlogg): {}.",
                without.join(", ")
            ),
            &f.subtitle,
        )?;
    }

    // Per 100 employees: only units with both an incident log and a headcount.
    let heads = |r: &Review| r.value(KpiId::TrainingHeadcount).filter(|h| *h > 0.0);
    let mut with_heads: Vec<(&Review, f64)> = with_incidents
        .iter()
        .filter_map(|r| heads(r).map(|h| (*r, h)))
        .collect();
    with_heads.sort_by(|a, b| {
        let per = |(r, h): &(&Review, f64)| r.value(KpiId::IncidentsTotal).unwrap_or(0.0) / h;
        per(b)
            .total_cmp(&per(a))
            .then_with(|| swedish_cmp(&a.0.unit, &b.0.unit))
    });
    let per_rows: Vec<Vec<Out>> = with_heads
        .iter()
        .map(|(r, h)| {
            let mut cells = vec![Out::text(&r.unit)];
            let mut total = 0.0;
            for (slug, _) in &categories {
                let n = count_in(r, slug) as f64;
                total += n;
                cells.push(Out::Decimal(n * 100.0 / h));
            }
            cells.push(Out::Decimal(total * 100.0 / h));
            cells
        })
        .collect();
    let per_place = write_table(
        &mut ws,
        end + 3,
        &format!(
            "Incidenter {year} per kategori och 100 medarbetare, förvaltningar med incidentlogg och antal medarbetare"
        ),
        "IncidenterKategoriPer100",
        &headers,
        &per_rows,
        f,
    )?;
    let staff: f64 = with_heads.iter().map(|(_, h)| h).sum();
    end = per_place.last_row;
    if !per_place.empty {
        let sums: Vec<f64> = (0..=categories.len())
            .map(|j| {
                with_heads
                    .iter()
                    .map(|(r, _)| match categories.get(j) {
                        Some((slug, _)) => count_in(r, slug) as f64,
                        None => r.value(KpiId::IncidentsTotal).unwrap_or(0.0),
                    })
                    .sum()
            })
            .collect();
        end = totals(
            &mut ws,
            &per_place,
            f,
            TotalColumns {
                total: &|col| {
                    sums.get(col as usize - 1)
                        .map(|n| Out::Decimal(n * 100.0 / staff))
                },
                median: &|_| None,
                covered: &|_| Some(with_heads.len()),
                units: units.len(),
            },
        )?;
    }

    ws.write_string_with_format(0, 0, format!("Incidenter {year} per kategori"), &f.title)?;
    ws.write_string_with_format(
        1,
        0,
        "Antal per förvaltning, och samma antal per 100 medarbetare: förvaltningar av olika storlek jämförs bara per 100 medarbetare.",
        &f.subtitle,
    )?;
    ws.set_column_width(0, 28)?;
    for c in 1..=categories.len() as u16 + 1 {
        ws.set_column_width(c, 12)?;
    }
    for p in [&place, &per_place] {
        if !p.empty {
            ws.set_row_height(p.header_row, 47)?;
        }
    }
    if !per_place.empty {
        let total_col = categories.len() as u16 + 1;
        let mut chart = Chart::new(ChartType::Bar);
        let series = chart
            .add_series()
            .set_name("Incidenter per 100 medarbetare")
            .set_categories((name, per_place.first_row, 0, per_place.last_row, 0))
            .set_values((
                name,
                per_place.first_row,
                total_col,
                per_place.last_row,
                total_col,
            ))
            .set_format(&mut charts::fill(charts::THIS_YEAR));
        charts::label_values(series);
        chart.title().set_name(&format!(
            "Incidenter {year} per 100 medarbetare och förvaltning"
        ));
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        chart
            .set_width(760)
            .set_height((160 + 26 * with_heads.len() as u32).min(1000));
        ws.set_page_breaks(&[end + 2])?;
        ws.insert_chart(end + 3, 0, &chart)?;
    }
    Ok(ws)
}

/// What each unit's review was built from.
fn sources_sheet(units: &[&Review], title: &str, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet_for("Källor", title)?;
    let headers: Vec<String> = [
        "Förvaltning",
        "Filer med data",
        "Filer med inställningar eller text",
        "Blad med indata",
        "Rader lästa",
        "Rader utelämnade",
        "Oläsliga filer",
        "Problem i Datakvalitet",
        "Typer av indata",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows: Vec<Vec<Out>> = units
        .iter()
        .map(|r| {
            // Counted as the unit's own workbook and review count them.
            let files = crate::model::FileCount::of(&r.sources);
            let used = r.sources.iter().filter(|s| s.kind.is_some()).count();
            let read: usize = r.sources.iter().map(|s| s.rows_read).sum();
            let rejected: usize = r.sources.iter().map(|s| s.rows_rejected).sum();
            let unreadable = r
                .problems
                .iter()
                .filter(|p| p.severity == Severity::FileError)
                .count();
            let mut kinds: Vec<&str> = r
                .sources
                .iter()
                .filter_map(|s| s.kind.map(|k| k.label()))
                .collect();
            kinds.sort_by(|a, b| swedish_cmp(a, b));
            kinds.dedup();
            vec![
                Out::text(&r.unit),
                Out::count(files.data as f64),
                Out::count(files.other as f64),
                Out::count(used as f64),
                Out::count(read as f64),
                Out::count(rejected as f64),
                Out::count(unreadable as f64),
                Out::count(r.problems.len() as f64),
                Out::Wrapped(kinds.join(", ")),
            ]
        })
        .collect();
    let place = write_table(
        &mut ws,
        3,
        "Underlag per förvaltning",
        "KallorPerForvaltning",
        &headers,
        &rows,
        f,
    )?;
    ws.write_string_with_format(0, 0, "Källor", &f.title)?;
    ws.set_column_width(0, 28)?;
    for (c, header) in headers.iter().enumerate().take(8).skip(1) {
        ws.set_column_width(c as u16, header_word_width(header).max(11.0))?;
    }
    if !place.empty {
        // Headers wrap between words; the longest takes three lines.
        ws.set_row_height(place.header_row, 47)?;
    }
    crate::report::workbook::fit_wrapped_rows(&mut ws, &place, &rows, &[(8, 60.0)])?;
    ws.write_string(
        place.last_row + 2,
        0,
        format!(
            "Skapad av {}",
            units
                .first()
                .map(|r| r.generated_by.as_str())
                .unwrap_or("genomgang")
        ),
    )?;
    Ok(ws)
}
