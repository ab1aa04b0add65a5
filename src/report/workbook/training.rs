//! The `Utbildning` sheet: completion of the mandatory courses per organisational unit,
//! and completions per course this year against last year.

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::charts::{count_axis, year_series};
use super::{
    data_sheet, finish_sheet, previous_year, write_table, ChartRange, ChartSources, Formats, Out,
    FIRST_ROW,
};
use crate::review::Review;
use crate::schema::KpiId;

pub(crate) fn sheet(
    report: &Review,
    f: &Formats,
    charts: &mut ChartSources,
) -> Result<Option<Worksheet>, XlsxError> {
    let b = &report.breakdowns;
    if b.training_by_unit.is_empty() && b.training_by_course.is_empty() {
        return Ok(None);
    }
    let name = "Utbildning";
    let mut ws = data_sheet(name, report)?;
    let year = report.year;
    let prev = previous_year(report);

    // Per unit.
    let mut headers: Vec<String> = vec![
        "Enhet".into(),
        "Medarbetare".into(),
        "Genomfört alla obligatoriska".into(),
        "Andel".into(),
    ];
    headers.extend(
        b.mandatory_courses
            .iter()
            .map(|c| format!("Genomfört: {c}")),
    );
    // The target on every row, for the chart's target line.
    let target = report
        .kpi(KpiId::TrainingCompletionRateAll)
        .and_then(|k| k.target);
    if target.is_some() {
        headers.push("Mål".into());
    }
    let rows: Vec<Vec<Out>> = b
        .training_by_unit
        .iter()
        .map(|u| {
            let mut r = vec![
                Out::text(&u.unit),
                Out::count(u.headcount),
                Out::count(u.completed_all),
                Out::Rate(u.rate),
            ];
            r.extend(u.per_course.iter().map(|n| Out::count(*n)));
            if let Some(t) = target {
                r.push(Out::Rate(Some(t)));
            }
            r
        })
        .collect();
    let width = headers.len() as u16;
    let units = write_table(
        &mut ws,
        FIRST_ROW,
        &format!("Genomförda obligatoriska utbildningar per enhet, 31 december {year}"),
        "UtbildningPerEnhet",
        &headers,
        &rows,
        f,
    )?;
    let mut next = units.next();
    if !units.empty {
        // Totals below the table, as numbers (no formulas).
        let total_row = units.last_row + 1;
        ws.write_string_with_format(total_row, 0, "Totalt", &f.bold)?;
        let headcount: u32 = b.training_by_unit.iter().map(|u| u.headcount).sum();
        let completed: u32 = b.training_by_unit.iter().map(|u| u.completed_all).sum();
        ws.write_number_with_format(total_row, 1, headcount as f64, &f.bold_count)?;
        ws.write_number_with_format(total_row, 2, completed as f64, &f.bold_count)?;
        match report.value(KpiId::TrainingCompletionRateAll) {
            Some(r) => ws.write_number_with_format(total_row, 3, r, &f.bold_rate)?,
            None => ws.write_string_with_format(total_row, 3, "–", &f.bold)?,
        };
        for i in 0..b.mandatory_courses.len() {
            let n: u32 = b
                .training_by_unit
                .iter()
                .map(|u| u.per_course.get(i).copied().unwrap_or(0))
                .sum();
            ws.write_number_with_format(total_row, 4 + i as u16, n as f64, &f.bold_count)?;
        }
        next = total_row + 3;
        if let Some(t) = target {
            let col = 4 + b.mandatory_courses.len() as u16;
            ws.write_number_with_format(total_row, col, t, &f.bold_rate)?;
            charts.training_target_column = Some(col);
        }
        charts.training_by_unit = Some(ChartRange {
            sheet: name.into(),
            first_row: units.first_row,
            last_row: units.last_row,
            has_previous: false,
            max: 1.0,
        });
    }

    // Per course.
    let headers: Vec<String> = vec![
        "Kurs".into(),
        "Obligatorisk".into(),
        format!("Genomfört {year}"),
        format!("Genomfört {prev}"),
        "Andel av medarbetarna".into(),
    ];
    let rows: Vec<Vec<Out>> = b
        .training_by_course
        .iter()
        .map(|c| {
            vec![
                Out::text(&c.course),
                Out::text(if c.mandatory { "Ja" } else { "Nej" }),
                Out::count(c.completed),
                Out::opt_count(c.completed_previous),
                Out::Rate(c.rate),
            ]
        })
        .collect();
    let courses = write_table(
        &mut ws,
        next,
        &format!("Genomförda utbildningar per kurs (ackumulerat till och med {year})"),
        "UtbildningPerKurs",
        &headers,
        &rows,
        f,
    )?;
    ws.set_freeze_panes(FIRST_ROW + 2, 1)?;
    finish_sheet(
        &mut ws,
        &format!("Utbildning {year}"),
        "Medarbetare i personalförteckningen som genomfört de obligatoriska utbildningarna. Varje person räknas en gång; tidigaste genomförandedatum gäller.",
        f,
    )?;
    // Figures need no more room than their wrapped headers; those get three lines.
    for c in 1..width.max(5) {
        ws.set_column_width(c, 18)?;
    }
    if !units.empty {
        ws.set_row_height(units.header_row, 47)?;
    }
    if !courses.empty {
        ws.set_row_height(courses.header_row, 32)?;
    }

    // Chart: completions per course, this year against last.
    if !courses.empty {
        let mut chart = Chart::new(ChartType::Bar);
        // Columns 2 and 3 hold this year and last year; the year series helper reads
        // columns 1 and 2 of a range, so point it one column to the right.
        let range = ChartRange {
            sheet: name.into(),
            first_row: courses.first_row,
            last_row: courses.last_row,
            has_previous: b
                .training_by_course
                .iter()
                .any(|c| c.completed_previous.is_some()),
            max: b
                .training_by_course
                .iter()
                .map(|c| c.completed.max(c.completed_previous.unwrap_or(0)))
                .max()
                .unwrap_or(0) as f64,
        };
        year_series(&mut chart, &range, 2, year, &prev, false);
        chart.title().set_name("Genomförda utbildningar per kurs");
        chart.y_axis().set_reverse();
        count_axis(chart.x_axis(), range.max);
        chart.set_width(560).set_height(320);
        ws.insert_chart(FIRST_ROW + 1, width + 1, &chart)?;
    }
    Ok(Some(ws))
}
