//! `Jämförelse YYYY.xlsx`: every KPI by förvaltning in one table, with the city total and
//! median, incidents per 100 employees, a ranking, conditional formats, native charts
//! and a Källor sheet.

use std::path::Path;

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormat3ColorScale, ConditionalFormatDataBar, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn, Workbook, Worksheet,
    XlsxError,
};

use crate::error::Error;
use crate::model::Severity;
use crate::review::Review;
use crate::schema::{Better, KpiId, ValueKind};

/// The city-wide value of a KPI: sums for counts, pooled ratios for rates.
fn city_value(reports: &[Review], id: KpiId) -> Option<f64> {
    let sum = |k: KpiId| -> Option<f64> {
        let values: Vec<f64> = reports.iter().filter_map(|r| r.value(k)).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    };
    let pooled = |rate: KpiId, base: KpiId| -> Option<f64> {
        let (mut num, mut den) = (0.0, 0.0);
        for r in reports {
            if let (Some(v), Some(b)) = (r.value(rate), r.value(base)) {
                num += v * b;
                den += b;
            }
        }
        (den > 0.0).then(|| num / den)
    };
    match id.denominator() {
        Some(base) => pooled(id, base),
        None => sum(id),
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
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

fn per_hundred(r: &Review) -> Option<f64> {
    match (
        r.value(KpiId::IncidentsTotal),
        r.value(KpiId::TrainingHeadcount),
    ) {
        (Some(i), Some(h)) if h > 0.0 => Some(i * 100.0 / h),
        _ => None,
    }
}

struct Formats {
    title: Format,
    header: Format,
    count: Format,
    rate: Format,
    decimal: Format,
    bold_count: Format,
    bold_rate: Format,
    bold_decimal: Format,
    bold: Format,
    wrap: Format,
}

fn formats() -> Formats {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0x1F4E79))
        .set_font_color(Color::White);
    let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
    Formats {
        title: Format::new().set_bold().set_font_size(16),
        header,
        count: Format::new().set_num_format("#,##0"),
        rate: Format::new().set_num_format("0\" \"%"),
        decimal: Format::new().set_num_format("0.0"),
        bold_count: total.clone().set_num_format("#,##0"),
        bold_rate: total.clone().set_num_format("0\" \"%"),
        bold_decimal: total.clone().set_num_format("0.0"),
        bold: total,
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    }
}

pub fn write_comparison(reports: &[Review], year: i32, path: &Path) -> Result<(), Error> {
    let bytes = build(reports, year).map_err(|source| Error::Workbook {
        path: path.to_path_buf(),
        source,
    })?;
    crate::report::write_atomically(path, &bytes)
}

fn build(reports: &[Review], year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd((year + 1).clamp(1900, 9999) as u16, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Jämförelse {year}"))
            .set_creation_datetime(&created)
            .set_custom_property(crate::ingest::OUTPUT_MARKER_PROPERTY, "ja"),
    );
    let f = formats();
    let authority = reports
        .first()
        .map(|r| r.context.nis_authority.clone())
        .unwrap_or_else(|| "MSB".into());
    let mut units: Vec<&Review> = reports.iter().collect();
    units.sort_by(|a, b| crate::textnorm::swedish_cmp(&a.unit, &b.unit));

    // --- Jämförelse: units as rows.
    let ws = wb.add_worksheet();
    ws.set_name("Jämförelse")?;
    ws.write_string_with_format(
        0,
        0,
        format!("Jämförelse {year} – {} förvaltningar", units.len()),
        &f.title,
    )?;
    ws.write_string(1, 0, "Nyckeltal per förvaltning. Staden totalt: summor, och för andelar den sammanvägda andelen. Rangordning efter andel som genomfört de obligatoriska utbildningarna.")?;
    let first = 3u32;
    let mut headers: Vec<String> = vec!["Förvaltning".into()];
    headers.extend(KpiId::ALL.iter().map(|id| id.short_label(&authority)));
    headers.push("Incidenter per 100 medarbetare".into());
    headers.push("Rang utbildning".into());
    let per100_col = (KpiId::ALL.len() + 1) as u16;
    let rank_col = per100_col + 1;
    let mut rates: Vec<(usize, f64)> = units
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.value(KpiId::TrainingCompletionRateAll).map(|v| (i, v)))
        .collect();
    rates.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (i, r) in units.iter().enumerate() {
        let row = first + 1 + i as u32;
        ws.write_string(row, 0, &r.unit)?;
        for (j, &id) in KpiId::ALL.iter().enumerate() {
            let col = j as u16 + 1;
            match r.value(id) {
                Some(v) => ws.write_number_with_format(
                    row,
                    col,
                    v,
                    if id.kind() == ValueKind::Rate {
                        &f.rate
                    } else {
                        &f.count
                    },
                )?,
                None => ws.write_string(row, col, "–")?,
            };
        }
        match per_hundred(r) {
            Some(v) => ws.write_number_with_format(row, per100_col, v, &f.decimal)?,
            None => ws.write_string(row, per100_col, "–")?,
        };
        match rates.iter().position(|(k, _)| *k == i) {
            Some(p) => ws.write_number(row, rank_col, (p + 1) as f64)?,
            None => ws.write_string(row, rank_col, "–")?,
        };
    }
    let last = first + units.len() as u32;
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(h.as_str())
                .set_header_format(&f.header)
        })
        .collect();
    ws.add_table(
        first,
        0,
        last,
        rank_col,
        &Table::new().set_name("Jamforelse").set_columns(&columns),
    )?;
    // City total and median below the table.
    let total_row = last + 1;
    let median_row = last + 2;
    ws.write_string_with_format(total_row, 0, "Staden totalt", &f.bold)?;
    ws.write_string_with_format(median_row, 0, "Median", &f.bold)?;
    for (j, &id) in KpiId::ALL.iter().enumerate() {
        let col = j as u16 + 1;
        let rate = id.kind() == ValueKind::Rate;
        let (fmt_total, fmt_median) = if rate {
            (&f.bold_rate, &f.rate)
        } else {
            (&f.bold_count, &f.decimal)
        };
        match city_value(reports, id) {
            Some(v) => ws.write_number_with_format(total_row, col, v, fmt_total)?,
            None => ws.write_string_with_format(total_row, col, "–", &f.bold)?,
        };
        match median(units.iter().filter_map(|r| r.value(id)).collect()) {
            // A median of counts is whole unless the middle falls between two units.
            Some(v) if !rate && v.fract() == 0.0 => {
                ws.write_number_with_format(median_row, col, v, &f.count)?
            }
            Some(v) => ws.write_number_with_format(median_row, col, v, fmt_median)?,
            None => ws.write_string(median_row, col, "–")?,
        };
    }
    let city_per100 = match (
        city_value(reports, KpiId::IncidentsTotal),
        city_value(reports, KpiId::TrainingHeadcount),
    ) {
        (Some(i), Some(h)) if h > 0.0 => Some(i * 100.0 / h),
        _ => None,
    };
    if let Some(v) = city_per100 {
        ws.write_number_with_format(total_row, per100_col, v, &f.bold_decimal)?;
    }
    if let Some(v) = median(units.iter().filter_map(|r| per_hundred(r)).collect()) {
        ws.write_number_with_format(median_row, per100_col, v, &f.decimal)?;
    }
    // Colour scales: rates green high, per-100 and overdue red high.
    if !units.is_empty() {
        for (j, &id) in KpiId::ALL.iter().enumerate() {
            let col = j as u16 + 1;
            if id.kind() == ValueKind::Rate {
                let scale = ConditionalFormat3ColorScale::new()
                    .set_minimum_color(Color::RGB(0xF8696B))
                    .set_midpoint_color(Color::RGB(0xFFEB84))
                    .set_maximum_color(Color::RGB(0x63BE7B));
                ws.add_conditional_format(first + 1, col, last, col, &scale)?;
            } else if id.better() == Better::Lower {
                let scale = ConditionalFormat3ColorScale::new()
                    .set_minimum_color(Color::RGB(0x63BE7B))
                    .set_midpoint_color(Color::RGB(0xFFEB84))
                    .set_maximum_color(Color::RGB(0xF8696B));
                ws.add_conditional_format(first + 1, col, last, col, &scale)?;
            }
        }
        ws.add_conditional_format(
            first + 1,
            per100_col,
            last,
            per100_col,
            &ConditionalFormatDataBar::new(),
        )?;
    }
    ws.set_column_width(0, 30)?;
    for c in 1..=rank_col {
        ws.set_column_width(c, 14)?;
    }
    ws.set_row_height(first, 45)?;
    ws.set_freeze_panes(first + 1, 1)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);

    // Chart: training completion rate by unit.
    let rate_col = 3u16;
    let charts_row = median_row + 3;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name("Andel genomfört")
        .set_categories(("Jämförelse", first + 1, 0, last, 0))
        .set_values(("Jämförelse", first + 1, rate_col, last, rate_col));
    chart
        .title()
        .set_name("Andel som genomfört de obligatoriska utbildningarna");
    chart
        .x_axis()
        .set_num_format("0\" \"%")
        .set_min(0.0)
        .set_max(1.0);
    chart.legend().set_hidden();
    chart
        .set_width(620)
        .set_height((120 + 22 * units.len() as u32).min(900));
    ws.insert_chart(charts_row, 0, &chart)?;

    // --- Incidenter per kategori: units × categories, and a stacked chart.
    let ws2 = wb.add_worksheet();
    ws2.set_name("Incidenter per kategori")?;
    ws2.write_string_with_format(
        0,
        0,
        format!("Incidenter {year} per kategori och förvaltning"),
        &f.title,
    )?;
    let categories: Vec<(String, String)> = units
        .first()
        .map(|r| {
            r.breakdowns
                .incidents_by_category
                .iter()
                .map(|c| (c.slug.clone(), c.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut cols = vec![TableColumn::new()
        .set_header("Förvaltning")
        .set_header_format(&f.header)];
    cols.extend(categories.iter().map(|(_, l)| {
        TableColumn::new()
            .set_header(l.as_str())
            .set_header_format(&f.header)
    }));
    cols.push(
        TableColumn::new()
            .set_header("Totalt")
            .set_header_format(&f.header),
    );
    let top = 2u32;
    for (i, r) in units.iter().enumerate() {
        let row = top + 1 + i as u32;
        ws2.write_string(row, 0, &r.unit)?;
        let mut total = 0u32;
        for (j, (slug, _)) in categories.iter().enumerate() {
            let count = r
                .breakdowns
                .incidents_by_category
                .iter()
                .find(|c| &c.slug == slug)
                .map(|c| c.count)
                .unwrap_or(0);
            total += count;
            ws2.write_number(row, j as u16 + 1, count as f64)?;
        }
        ws2.write_number(row, categories.len() as u16 + 1, total as f64)?;
    }
    let last2 = top + units.len() as u32;
    ws2.add_table(
        top,
        0,
        last2,
        categories.len() as u16 + 1,
        &Table::new()
            .set_name("IncidenterKategori")
            .set_columns(&cols),
    )?;
    ws2.set_column_width(0, 30)?;
    for c in 1..=categories.len() as u16 + 1 {
        ws2.set_column_width(c, 13)?;
    }
    ws2.set_row_height(top, 32)?;
    ws2.set_freeze_panes(top + 1, 1)?;
    ws2.set_landscape().set_print_fit_to_pages(1, 0);
    if !categories.is_empty() && !units.is_empty() {
        let mut stacked = Chart::new(ChartType::BarStacked);
        for (j, (_, label)) in categories.iter().enumerate() {
            let col = j as u16 + 1;
            stacked
                .add_series()
                .set_name(label.as_str())
                .set_categories(("Incidenter per kategori", top + 1, 0, last2, 0))
                .set_values(("Incidenter per kategori", top + 1, col, last2, col));
        }
        stacked
            .title()
            .set_name(&format!("Incidenter {year} per kategori och förvaltning"));
        stacked
            .set_width(760)
            .set_height((160 + 22 * units.len() as u32).min(1000));
        ws2.insert_chart(last2 + 3, 0, &stacked)?;
    }

    // --- Källor: what each unit's review was built from.
    let ws3 = wb.add_worksheet();
    ws3.set_name("Källor")?;
    write_sources(ws3, &units, &f)?;
    ws3.write_string(
        units.len() as u32 + 4,
        0,
        format!(
            "Skapad av {}",
            units
                .first()
                .map(|r| r.generated_by.as_str())
                .unwrap_or("genomgang")
        ),
    )?;

    wb.save_to_buffer()
}

fn write_sources(ws: &mut Worksheet, units: &[&Review], f: &Formats) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Underlag per förvaltning", &f.title)?;
    let headers = [
        "Förvaltning",
        "Filer",
        "Blad med indata",
        "Rader lästa",
        "Rader utelämnade",
        "Oläsliga filer",
        "Problem i Datakvalitet",
        "Typer av indata",
    ];
    for (i, r) in units.iter().enumerate() {
        let row = 3 + i as u32;
        let mut files: Vec<&str> = r.sources.iter().map(|s| s.file.as_str()).collect();
        files.sort();
        files.dedup();
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
        kinds.sort();
        kinds.dedup();
        ws.write_string(row, 0, &r.unit)?;
        ws.write_number(row, 1, files.len() as f64)?;
        ws.write_number(row, 2, used as f64)?;
        ws.write_number(row, 3, read as f64)?;
        ws.write_number(row, 4, rejected as f64)?;
        ws.write_number(row, 5, unreadable as f64)?;
        ws.write_number(row, 6, r.problems.len() as f64)?;
        ws.write_string_with_format(row, 7, kinds.join(", "), &f.wrap)?;
    }
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&f.header)
        })
        .collect();
    ws.add_table(
        2,
        0,
        2 + units.len() as u32,
        7,
        &Table::new()
            .set_name("KallorPerForvaltning")
            .set_columns(&cols),
    )?;
    ws.set_column_width(0, 30)?;
    for c in 1..=6 {
        ws.set_column_width(c, 12)?;
    }
    ws.set_column_width(7, 60)?;
    ws.set_freeze_panes(3, 1)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    Ok(())
}
