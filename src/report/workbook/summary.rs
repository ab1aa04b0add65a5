//! The `Sammanfattning` sheet: the decision page first (conclusions, "Förslag till
//! beslut", an empty decision and signature block), then every KPI with the previous year,
//! the change, the target and a traffic-light status, a link to the sheet that breaks
//! it down, and the main charts (incidents by category and by month, this year against
//! last; training completion by unit against the target), drawn from the data sheets.

use rust_xlsxwriter::{
    Color, ConditionalFormatText, ConditionalFormatTextRule, Format, Url, Worksheet, XlsxError,
};

use super::charts::{spec_chart, SpecCells};
use super::{
    data_sheet, previous_year, wrapped_lines, write_table, ChartRange, ChartSources, Formats, Out,
    FIRST_ROW, GREEN_FILL, GREEN_TEXT, RED_FILL, RED_TEXT, YELLOW_FILL, YELLOW_TEXT,
};
use crate::model::Severity;
use crate::report::control::DocumentControl;
use crate::review::charts::{ChartId, ChartSpec, SeriesRole};
use crate::review::Review;
use crate::schema::ValueKind;

/// Width of the KPI name column, in character units.
const NAME_WIDTH: f64 = 52.0;

/// The widths of the KPI table's seven columns; the decision block above spans them all,
/// so its row heights are reckoned from their sum.
const COLUMN_WIDTHS: [f64; 7] = [
    NAME_WIDTH, 10.0, 10.0, 12.0, 9.0,
    // "Uppgift saknas" on one line, not over the Underlag column.
    14.0, 22.0,
];

pub(crate) fn sheet(
    report: &Review,
    f: &Formats,
    charts: &ChartSources,
    present: &[String],
    control: Option<&DocumentControl>,
) -> Result<Worksheet, XlsxError> {
    // Portrait, one page wide: page 1 is the decision page and the KPI table, the
    // charts follow on page 2.
    let mut ws = data_sheet("Sammanfattning", report)?;
    ws.set_portrait();
    let year = report.year;
    let prev = previous_year(report);
    let headers: Vec<String> = vec![
        "Nyckeltal".into(),
        year.to_string(),
        prev.clone(),
        "Förändring".into(),
        "Mål".into(),
        "Status".into(),
        "Underlag".into(),
    ];
    // Values first through the typed writer; the cells that need their own format
    // (signed change, link) are overwritten below.
    let value = |v: Option<f64>, kind: ValueKind| match (v, kind) {
        (None, _) => Out::Missing,
        (Some(x), ValueKind::Rate) => Out::Rate(Some(x)),
        (Some(x), ValueKind::Count) => Out::Count(x),
    };
    let rows: Vec<Vec<Out>> = report
        .kpis
        .iter()
        .map(|k| {
            vec![
                Out::text(&k.label),
                value(k.value, k.kind),
                value(k.previous, k.kind),
                Out::Missing,
                value(k.target, k.kind),
                // Unknown is not zero: say so beside the "–".
                Out::text(k.status_text()),
                Out::text(k.sheet),
            ]
        })
        .collect();
    let first = match control {
        Some(c) => control_block(&mut ws, c, f)?,
        None => FIRST_ROW,
    };
    let table_row = decision_block(&mut ws, report, f, first)?;
    let place = write_table(
        &mut ws,
        table_row,
        &format!("Nyckeltal {year} jämfört med {prev}"),
        "Nyckeltal",
        &headers,
        &rows,
        f,
    )?;
    for (i, k) in report.kpis.iter().enumerate() {
        let row = place.first_row + i as u32;
        if let Some(c) = k.change() {
            match k.kind {
                ValueKind::Rate => {
                    let points = c * 100.0;
                    ws.write_number_with_format(row, 3, points, f.change_points_for(points))?
                }
                ValueKind::Count => ws.write_number_with_format(row, 3, c, &f.change_count)?,
            };
        }
        if present.iter().any(|s| s == k.sheet) {
            ws.write_url_with_format(
                row,
                6,
                Url::new(format!("internal:'{}'!A1", k.sheet)).set_text(k.sheet),
                &f.link,
            )?;
        }
    }
    if !place.empty {
        for (text, fill, font) in [
            ("Grön", GREEN_FILL, GREEN_TEXT),
            ("Gul", YELLOW_FILL, YELLOW_TEXT),
            ("Röd", RED_FILL, RED_TEXT),
        ] {
            let rule = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains(text.to_string()))
                .set_format(
                    Format::new()
                        .set_background_color(Color::RGB(fill))
                        .set_font_color(Color::RGB(font))
                        .set_bold(),
                );
            ws.add_conditional_format(place.first_row, 5, place.last_row, 5, &rule)?;
        }
    }
    let legend = place.last_row + 2;
    ws.write_string_with_format(legend, 0, crate::kpi::types::STATUS_LEGEND, &f.subtitle)?;
    // Fixed widths: the fit would size the figures by the header and filter button, and
    // the decision block above is laid out for these widths.
    for (col, width) in COLUMN_WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }

    // Title, and a plain account of the data quality so no reader misses it.
    ws.write_string_with_format(
        0,
        0,
        format!("Ledningens genomgång {year} – {}", report.unit),
        &f.title,
    )?;
    let unreadable = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::FileError)
        .count();
    let rejected = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::RowRejected)
        .count();
    let mut subtitle = format!(
        "Informationssäkerhet och dataskydd enligt ISO/IEC 27001 avsnitt 9.3. Underlag: {} ({}).",
        crate::model::FileCount::of(&report.sources).text(),
        report.generated_by
    );
    if unreadable + rejected > 0 {
        subtitle.push_str(&format!(
            " Datakvalitet: {unreadable} {} kunde inte läsas och {rejected} {} utelämnades – se bladet Datakvalitet.",
            if unreadable == 1 { "fil" } else { "filer" },
            if rejected == 1 { "rad eller värde" } else { "rader eller värden" }
        ));
    }
    ws.write_string_with_format(1, 0, subtitle, &f.subtitle)?;

    // Up to five years per KPI, when earlier years are known.
    let trend = super::history::trend_table(&mut ws, report, f, legend + 2)?;

    // The main charts below the tables, on a page of their own.
    let mut chart_row = trend.next_row.max(legend + 2);
    ws.set_page_breaks(&[chart_row])?;
    let mut side_by_side = false;
    // The review's chart specifications, drawn over the data sheets' tables: column 1
    // holds this year, column 2 last year.
    let year_cols = |spec: &ChartSpec| -> Vec<u16> {
        spec.series
            .iter()
            .map(|s| match s.role {
                SeriesRole::PreviousYear => 2,
                _ => 1,
            })
            .collect()
    };
    fn cells(src: &ChartRange, cols: Vec<u16>) -> SpecCells<'_> {
        SpecCells {
            sheet: &src.sheet,
            first_row: src.first_row,
            last_row: src.last_row,
            category_col: 0,
            series_cols: cols,
            name_row: None,
        }
    }
    if let (Some(src), Some(spec)) = (
        &charts.incidents_by_category,
        report.chart(ChartId::IncidentsByCategory),
    ) {
        let mut chart = spec_chart(spec, &cells(src, year_cols(spec)));
        chart.set_width(520).set_height(400);
        ws.insert_chart(chart_row, 0, &chart)?;
        side_by_side = true;
    }
    if let (Some(src), Some(spec)) = (
        &charts.incidents_by_month,
        report.chart(ChartId::IncidentsByMonth),
    ) {
        let mut chart = spec_chart(spec, &cells(src, year_cols(spec)));
        chart.set_width(440).set_height(400);
        ws.insert_chart(chart_row, if side_by_side { 3 } else { 0 }, &chart)?;
        side_by_side = true;
    }
    if side_by_side {
        chart_row += 22;
    }
    if let (Some(src), Some(spec)) = (
        &charts.training_by_unit,
        report.chart(ChartId::TrainingByUnit),
    ) {
        // Column 3 holds the completion rate; the target, when there is one, its own.
        let cols: Vec<u16> = spec
            .series
            .iter()
            .filter_map(|s| match s.role {
                SeriesRole::Target => charts.training_target_column,
                _ => Some(3),
            })
            .collect();
        let mut chart = spec_chart(spec, &cells(src, cols));
        chart.set_width(960).set_height(360);
        ws.insert_chart(chart_row, 0, &chart)?;
        chart_row += 20;
    }
    super::history::training_chart(&mut ws, &trend, chart_row, 0)?;
    Ok(ws)
}

/// Document control, the same facts as the Word title page, two to a row: "label: value"
/// in column A and in columns B–G. Returns the row where the decision block starts.
fn control_block(ws: &mut Worksheet, c: &DocumentControl, f: &Formats) -> Result<u32, XlsxError> {
    let mut row = FIRST_ROW;
    ws.write_string_with_format(row, 0, "Dokumentinformation", &f.heading)?;
    row += 1;
    for pair in c.rows().chunks(2) {
        ws.write_string_with_format(row, 0, format!("{}: {}", pair[0].0, pair[0].1), &f.text)?;
        if let Some((label, value)) = pair.get(1) {
            ws.merge_range(row, 1, row, 6, &format!("{label}: {value}"), &f.text)?;
        }
        row += 1;
    }
    Ok(row + 1)
}

/// The decision page at the top of the sheet: conclusions, the numbered proposals and
/// the empty decision and signature block. Returns the row where the KPI table starts.
fn decision_block(
    ws: &mut Worksheet,
    report: &Review,
    f: &Formats,
    first_row: u32,
) -> Result<u32, XlsxError> {
    // The block spans the KPI table's seven columns.
    const LAST_COL: u16 = 6;
    let width: f64 = COLUMN_WIDTHS.iter().sum();
    let mut row = first_row;
    let line = |ws: &mut Worksheet, row: &mut u32, text: &str, format: &Format| {
        ws.merge_range(*row, 0, *row, LAST_COL, text, format)?;
        let lines = wrapped_lines(text, width);
        if lines > 1 {
            ws.set_row_height(*row, 15.0 * lines as f64 + 2.0)?;
        }
        *row += 1;
        Ok::<(), XlsxError>(())
    };
    ws.write_string_with_format(row, 0, "Slutsatser", &f.heading)?;
    row += 1;
    for c in &report.plan.conclusions {
        line(ws, &mut row, &format!("•  {c}"), &f.bullet)?;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Förslag till beslut", &f.heading)?;
    row += 1;
    line(
        ws,
        &mut row,
        "Förvaltningsledningen föreslås besluta",
        &f.paragraph,
    )?;
    for (i, p) in report.plan.proposals.iter().enumerate() {
        line(ws, &mut row, &format!("{}.  {p}", i + 1), &f.bullet)?;
    }
    row += 1;
    for label in crate::report::control::SIGNATURE_ROWS {
        ws.write_string_with_format(row, 0, label, &f.decision_label)?;
        ws.merge_range(row, 1, row, LAST_COL, "", &f.decision_field)?;
        let height = match label {
            "Beslut" => 45.0,
            "Underskrift, förvaltningschef" => 36.0,
            _ => 22.0,
        };
        ws.set_row_height(row, height)?;
        row += 1;
    }
    Ok(row + 1)
}
