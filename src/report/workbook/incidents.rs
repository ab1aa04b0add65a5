//! The `Incidenter` sheet: incidents by category and by month (this year against last),
//! the multi-year trend with reports to IMY and the NIS authority, incidents per unit,
//! and the category texts that did not match a configured category.

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::charts::{count_axis, fill, label_values, LAST_YEAR, THIS_YEAR};
use super::{
    data_sheet, finish_sheet, previous_year, write_table, write_totals, ChartRange, ChartSources,
    Formats, Out, FIRST_ROW,
};
use crate::review::Review;
use crate::schema::KpiId;

pub(crate) fn sheet(
    report: &Review,
    f: &Formats,
    charts: &mut ChartSources,
) -> Result<Option<Worksheet>, XlsxError> {
    let b = &report.breakdowns;
    if report.value(KpiId::IncidentsTotal).is_none() && b.incidents_by_year.is_empty() {
        return Ok(None);
    }
    let name = "Incidenter";
    let mut ws = data_sheet(name, report)?;
    let year = report.year;
    let prev = previous_year(report);
    let authority = report.context.nis_authority.clone();
    let has_previous = b.incidents_by_category.iter().any(|c| c.previous.is_some());

    // By category.
    let headers: Vec<String> = vec![
        "Kategori".into(),
        year.to_string(),
        prev.clone(),
        "Förändring".into(),
    ];
    let rows: Vec<Vec<Out>> = b
        .incidents_by_category
        .iter()
        .map(|c| {
            vec![
                Out::text(&c.label),
                Out::count(c.count),
                Out::opt_count(c.previous),
                c.previous
                    .map(|p| Out::Count(c.count as f64 - p as f64))
                    .unwrap_or(Out::Missing),
            ]
        })
        .collect();
    let categories = write_table(
        &mut ws,
        FIRST_ROW,
        &format!("Incidenter per kategori, {year} och {prev}"),
        "IncidenterPerKategori",
        &headers,
        &rows,
        f,
    )?;
    // Show changes with a sign.
    if !categories.empty {
        for (i, c) in b.incidents_by_category.iter().enumerate() {
            if let Some(p) = c.previous {
                ws.write_number_with_format(
                    categories.first_row + i as u32,
                    3,
                    c.count as f64 - p as f64,
                    &f.change_count,
                )?;
            }
        }
        charts.incidents_by_category = Some(ChartRange {
            sheet: name.into(),
            first_row: categories.first_row,
            last_row: categories.last_row,
            has_previous,
            max: b
                .incidents_by_category
                .iter()
                .map(|c| c.count.max(c.previous.unwrap_or(0)))
                .max()
                .unwrap_or(0) as f64,
        });
    }
    let category_totals = totals_row(
        &mut ws,
        &categories,
        b.incidents_by_category
            .iter()
            .map(|c| (c.count, c.previous)),
        f,
    )?;

    // By month.
    let headers: Vec<String> = vec!["Månad".into(), year.to_string(), prev.clone()];
    let rows: Vec<Vec<Out>> = b
        .incidents_by_month
        .iter()
        .map(|m| {
            vec![
                Out::text(&m.label),
                Out::count(m.count),
                Out::opt_count(m.previous),
            ]
        })
        .collect();
    let months = write_table(
        &mut ws,
        category_totals + 3,
        &format!("Incidenter per månad (händelsedatum), {year} och {prev}"),
        "IncidenterPerManad",
        &headers,
        &rows,
        f,
    )?;
    if !months.empty {
        charts.incidents_by_month = Some(ChartRange {
            sheet: name.into(),
            first_row: months.first_row,
            last_row: months.last_row,
            has_previous: b.incidents_by_month.iter().any(|m| m.previous.is_some()),
            max: b
                .incidents_by_month
                .iter()
                .map(|m| m.count.max(m.previous.unwrap_or(0)))
                .max()
                .unwrap_or(0) as f64,
        });
    }
    let month_totals = totals_row(
        &mut ws,
        &months,
        b.incidents_by_month.iter().map(|m| (m.count, m.previous)),
        f,
    )?;

    // By year: the trend and the reports to authorities.
    let headers: Vec<String> = vec![
        "År".into(),
        "Incidenter".into(),
        "Personuppgiftsincidenter".into(),
        "Anmälda till IMY".into(),
        format!("Anmälda till {authority}"),
    ];
    let rows: Vec<Vec<Out>> = b
        .incidents_by_year
        .iter()
        .map(|y| {
            vec![
                Out::text(y.year.to_string()),
                Out::count(y.total),
                Out::opt_count(y.personal_data),
                Out::opt_count(y.reported_imy),
                Out::opt_count(y.reported_msb),
            ]
        })
        .collect();
    let years = write_table(
        &mut ws,
        month_totals + 3,
        "Incidenter per år och anmälningar till myndigheter",
        "IncidenterPerAr",
        &headers,
        &rows,
        f,
    )?;

    // By unit.
    let headers: Vec<String> = vec![
        "Enhet".into(),
        format!("Incidenter {year}"),
        "Varav personuppgiftsincidenter".into(),
    ];
    let rows: Vec<Vec<Out>> = b
        .incidents_by_unit
        .iter()
        .map(|u| {
            vec![
                Out::text(&u.unit),
                Out::count(u.count),
                Out::opt_count(u.personal_data),
            ]
        })
        .collect();
    let mut next = years.next();
    if !rows.is_empty() {
        next = write_table(
            &mut ws,
            next,
            &format!("Incidenter per enhet, {year}"),
            "IncidenterPerEnhet",
            &headers,
            &rows,
            f,
        )?
        .next();
    }

    // Category texts that matched no configured category.
    if !b.unmapped_categories.is_empty() {
        let headers: Vec<String> = vec!["Kategori i underlaget".into(), "Antal".into()];
        let rows: Vec<Vec<Out>> = b
            .unmapped_categories
            .iter()
            .map(|t| vec![Out::text(&t.text), Out::count(t.count)])
            .collect();
        write_table(
            &mut ws,
            next,
            "Kategorier som räknats som Övrigt (lägg till synonymer i genomgang.toml)",
            "OkandaKategorier",
            &headers,
            &rows,
            f,
        )?;
    }

    ws.set_freeze_panes(FIRST_ROW + 2, 1)?;
    finish_sheet(
        &mut ws,
        &format!("Incidenter {year}"),
        &format!(
            "Incidenter räknas efter händelsedatum (upptäcktsdatum när det saknas). Samma ärendenummer räknas en gång när datum och kategori stämmer; annars räknas båda, och ärendenumret redovisas i Datakvalitet. Anmälningar enligt NIS-regelverket görs {} till {authority}.",
            if authority == "MCF" { "från 2026" } else { "" }
        )
        .replace("görs  till", "görs till"),
        f,
    )?;

    // The multi-year trend, when there are years to compare.
    if b.incidents_by_year.len() >= 2 && !years.empty {
        let mut chart = Chart::new(ChartType::Column);
        for (col, label, color) in [
            (1u16, "Incidenter", THIS_YEAR),
            (2, "Personuppgiftsincidenter", 0x5B9BD5),
            (3, "Anmälda till IMY", LAST_YEAR),
        ] {
            let series = chart
                .add_series()
                .set_name(label)
                .set_categories((name, years.first_row, 0, years.last_row, 0))
                .set_values((name, years.first_row, col, years.last_row, col))
                .set_format(&mut fill(color));
            label_values(series);
        }
        chart.title().set_name("Incidenter per år");
        let max = b
            .incidents_by_year
            .iter()
            .map(|y| y.total)
            .max()
            .unwrap_or(0);
        count_axis(chart.y_axis(), max as f64);
        chart.set_width(560).set_height(320);
        ws.insert_chart(FIRST_ROW + 1, 6, &chart)?;
    }
    Ok(Some(ws))
}

/// "Totalt" below a table of (this year, last year) counts, with the change; returns the
/// last row used.
fn totals_row(
    ws: &mut Worksheet,
    place: &super::TablePlace,
    counts: impl Iterator<Item = (u32, Option<u32>)>,
    f: &Formats,
) -> Result<u32, XlsxError> {
    if place.empty {
        return Ok(place.last_row);
    }
    let (mut now, mut before, mut has_before) = (0u32, 0u32, false);
    for (n, p) in counts {
        now += n;
        if let Some(p) = p {
            before += p;
            has_before = true;
        }
    }
    let mut cells = vec![Out::text("Totalt"), Out::count(now)];
    if has_before {
        cells.push(Out::count(before));
    }
    let row = write_totals(ws, place, &cells, f)?;
    if has_before && place.header_row + 1 < place.last_row {
        ws.write_number_with_format(row, 3, now as f64 - before as f64, &f.change_count)?;
    }
    Ok(row)
}
