//! The `Sammanfattning` sheet: every KPI with the previous year, the change, the target
//! and a traffic-light status, a link to the sheet that breaks it down, and the main
//! charts (incidents by category and by month, this year against last; training
//! completion by unit), drawn from the tables on the data sheets.

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatText, ConditionalFormatTextRule, Format, Url,
    Worksheet, XlsxError,
};

use super::{
    data_sheet, previous_year, write_table, ChartSources, Formats, Out, FIRST_ROW, GREEN_FILL,
    GREEN_TEXT, RED_FILL, RED_TEXT, YELLOW_FILL, YELLOW_TEXT,
};
use crate::model::Severity;
use crate::review::Review;
use crate::schema::ValueKind;

/// Column where the charts start, right of the KPI table.
const CHART_COLUMN: u16 = 8;

pub(crate) fn sheet(
    report: &Review,
    f: &Formats,
    charts: &ChartSources,
    present: &[String],
) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet("Sammanfattning", report)?;
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
                Out::text(if k.value.is_none() {
                    "Uppgift saknas"
                } else {
                    k.status.label()
                }),
                Out::text(k.sheet),
            ]
        })
        .collect();
    let place = write_table(
        &mut ws,
        FIRST_ROW,
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
                    ws.write_number_with_format(row, 3, c * 100.0, &f.change_points)?
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
    ws.write_string_with_format(
        legend,
        0,
        "Status: Grön = målet nås, Gul = nära målet, Röd = målet nås inte, Info = inget mål. Mål och gränser anges i genomgang.toml. Förändring för andelar i procentenheter (p.e.).",
        &f.subtitle,
    )?;
    ws.set_freeze_panes(place.first_row, 1)?;
    ws.set_autofit_max_width(440);
    ws.autofit();
    // Fixed widths for the figures: the fit would size them by the header and filter button.
    for (col, width) in [
        (1u16, 10.0),
        (2, 10.0),
        (3, 12.0),
        (4, 9.0),
        (5, 9.0),
        (6, 22.0),
    ] {
        ws.set_column_width(col, width)?;
    }

    // Title, and a plain account of the data quality so no reader misses it.
    ws.write_string_with_format(
        0,
        0,
        format!("Ledningens genomgång {year} – {}", report.unit),
        &f.title,
    )?;
    let files: std::collections::BTreeSet<&str> = report
        .sources
        .iter()
        .filter(|s| s.kind.is_some())
        .map(|s| s.file.as_str())
        .collect();
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
        "Informationssäkerhet och dataskydd enligt ISO/IEC 27001 avsnitt 9.3. Underlag: {} {} ({}).",
        files.len(),
        if files.len() == 1 { "fil" } else { "filer" },
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

    // The main charts, stacked to the right of the table.
    let mut chart_row = FIRST_ROW;
    if let Some(src) = &charts.incidents_by_category {
        let mut chart = Chart::new(ChartType::Bar);
        year_series(&mut chart, src, year, &prev);
        chart.title().set_name("Incidenter per kategori");
        chart.y_axis().set_reverse();
        chart.set_width(560).set_height(360);
        ws.insert_chart(chart_row, CHART_COLUMN, &chart)?;
        chart_row += 19;
    }
    if let Some(src) = &charts.incidents_by_month {
        let mut chart = Chart::new(ChartType::Line);
        year_series(&mut chart, src, year, &prev);
        chart.title().set_name("Incidenter per månad");
        chart.y_axis().set_min(0.0);
        chart.set_width(560).set_height(300);
        ws.insert_chart(chart_row, CHART_COLUMN, &chart)?;
        chart_row += 16;
    }
    if let Some(src) = &charts.training_by_unit {
        let mut chart = Chart::new(ChartType::Bar);
        let s = src.sheet.as_str();
        chart
            .add_series()
            .set_name("Andel som genomfört alla obligatoriska utbildningar")
            .set_categories((s, src.first_row, 0, src.last_row, 0))
            .set_values((s, src.first_row, 3, src.last_row, 3));
        chart
            .title()
            .set_name("Obligatoriska utbildningar genomförda, per enhet");
        chart
            .x_axis()
            .set_num_format("0%")
            .set_min(0.0)
            .set_max(1.0);
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        let units = src.last_row - src.first_row + 1;
        chart.set_width(560).set_height((140 + 24 * units).min(900));
        ws.insert_chart(chart_row, CHART_COLUMN, &chart)?;
    }
    Ok(ws)
}

/// This year's series (column 1) and, when the data has it, last year's (column 2) of a
/// table whose column 0 holds the categories.
fn year_series(chart: &mut Chart, src: &super::ChartRange, year: i32, prev: &String) {
    let s = src.sheet.as_str();
    chart
        .add_series()
        .set_name(&year.to_string())
        .set_categories((s, src.first_row, 0, src.last_row, 0))
        .set_values((s, src.first_row, 1, src.last_row, 1));
    if src.has_previous {
        chart
            .add_series()
            .set_name(prev)
            .set_categories((s, src.first_row, 0, src.last_row, 0))
            .set_values((s, src.first_row, 2, src.last_row, 2));
    }
}
