//! The account of what was read: `Datakvalitet` (every problem with its place in the
//! inputs and what genomgang did about it) and `Källor` (every file and sheet, its kind,
//! header row, rows read and rejected, SHA-256; the tool version and the configuration).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{data_sheet, finish_sheet, fit_wrapped_rows, write_table, Formats, Out, FIRST_ROW};
use crate::model::Severity;
use crate::review::Review;

pub(crate) fn problems_sheet(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet("Datakvalitet", report)?;
    let count = |s: Severity| report.problems.iter().filter(|p| p.severity == s).count();
    let headers: Vec<String> = vec!["Typ".into(), "Antal".into()];
    let rows: Vec<Vec<Out>> = [Severity::FileError, Severity::RowRejected, Severity::Note]
        .into_iter()
        .map(|s| vec![Out::text(s.label()), Out::count(count(s) as f64)])
        .collect();
    let summary = write_table(
        &mut ws,
        FIRST_ROW,
        "Sammanställning",
        "DatakvalitetSummering",
        &headers,
        &rows,
        f,
    )?;
    let headers: Vec<String> = vec![
        "Typ".into(),
        "Fil".into(),
        "Blad".into(),
        "Rad".into(),
        "Kolumn".into(),
        "Värde".into(),
        "Problem".into(),
        "Åtgärd".into(),
    ];
    let rows: Vec<Vec<Out>> = report
        .problems
        .iter()
        .map(|p| {
            vec![
                Out::text(p.severity.label()),
                Out::text(&p.place.file),
                p.place
                    .sheet
                    .as_ref()
                    .map(Out::text)
                    .unwrap_or(Out::Missing),
                p.place
                    .row
                    .map(|r| Out::count(r as f64))
                    .unwrap_or(Out::Missing),
                p.place
                    .column
                    .as_ref()
                    .map(Out::text)
                    .unwrap_or(Out::Missing),
                p.value.as_ref().map(Out::text).unwrap_or(Out::Missing),
                Out::Wrapped(p.message.clone()),
                Out::Wrapped(p.action.clone()),
            ]
        })
        .collect();
    let list = write_table(
        &mut ws,
        summary.next(),
        "Alla problem i underlaget",
        "DatakvalitetProblem",
        &headers,
        &rows,
        f,
    )?;
    let subtitle = if report.problems.is_empty() {
        "Allt underlag lästes utan anmärkning.".to_string()
    } else {
        "Varje fil, rad och värde som inte kunde användas, med plats i underlaget (fil, blad, rad, kolumn) och vad som gjordes. Rätta i källsystemet och kör igen.".to_string()
    };
    // After the fit, so the wrapped columns keep their widths and the sentence below
    // does not widen column A.
    finish_sheet(&mut ws, "Datakvalitet", &subtitle, f)?;
    fit_wrapped_rows(&mut ws, &list, &rows, &[(6, 60.0), (7, 40.0)])?;
    if list.empty {
        ws.write_string_with_format(
            list.header_row,
            0,
            "Inga problem: varje rad i underlaget kunde användas.",
            &f.subtitle,
        )?;
    } else {
        ws.set_freeze_panes(list.first_row, 0)?;
    }
    Ok(ws)
}

pub(crate) fn sources_sheet(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet("Källor", report)?;
    let headers: Vec<String> = vec![
        "Fil".into(),
        "Blad".into(),
        "Typ av underlag".into(),
        "Rubrikrad".into(),
        "Rader lästa".into(),
        "Rader utelämnade".into(),
        "SHA-256".into(),
        "Kolumner eller varför bladet inte användes".into(),
    ];
    let rows: Vec<Vec<Out>> = report
        .sources
        .iter()
        .map(|s| {
            vec![
                Out::text(&s.file),
                s.sheet.as_ref().map(Out::text).unwrap_or(Out::Missing),
                Out::text(
                    s.kind
                        .map(|k| k.label())
                        .or(s.used_as)
                        .unwrap_or("Används inte"),
                ),
                s.header_row
                    .map(|r| Out::count(r as f64))
                    .unwrap_or(Out::Missing),
                Out::count(s.rows_read as f64),
                Out::count(s.rows_rejected as f64),
                Out::text(&s.sha256),
                Out::Wrapped(s.note.clone()),
            ]
        })
        .collect();
    let files = write_table(
        &mut ws,
        FIRST_ROW,
        "Filer och blad i underlaget",
        "KallorFiler",
        &headers,
        &rows,
        f,
    )?;
    // Column widths before the free-form lines below, which would otherwise widen A.
    ws.set_autofit_max_width(420);
    ws.autofit();
    fit_wrapped_rows(&mut ws, &files, &rows, &[(7, 80.0)])?;
    ws.set_column_width(6, 68)?;

    let mut row = files.next();
    ws.write_string_with_format(row, 0, "Körning", &f.heading)?;
    row += 1;
    let facts = [
        ("Verktyg", report.generated_by.clone()),
        ("Förvaltning", report.unit.clone()),
        ("År", report.year.to_string()),
        ("Årsval", report.context.year_choice.clone()),
        ("Konfiguration", report.context.config_sources.join(" + ")),
    ];
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &f.bold)?;
        ws.write_string(row, 1, super::fitted(&v))?;
        row += 1;
    }
    let problems = report.problems.len();
    if problems > 0 {
        ws.write_string_with_format(row, 0, "Datakvalitet", &f.bold)?;
        ws.write_string(
            row,
            1,
            format!("{problems} anmärkningar, se bladet Datakvalitet"),
        )?;
        row += 1;
    }
    ws.write_string(
        row,
        0,
        "Inställningarna som användes finns på det dolda bladet Konfiguration (visa det med Högerklick → Ta fram).",
    )?;
    ws.write_string_with_format(0, 0, "Källor", &f.title)?;
    ws.write_string_with_format(
        1,
        0,
        "Varje fil och blad som lästes, med kontrollsumma (SHA-256) så att underlaget kan spåras.",
        &f.subtitle,
    )?;
    Ok(ws)
}

/// The configuration in force, as TOML, on a hidden sheet: kept with the review as
/// evidence of how it was made, but out of what is read and printed.
pub(crate) fn configuration_sheet(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet("Konfiguration", report)?;
    ws.write_string_with_format(0, 0, "Konfiguration som användes (TOML)", &f.title)?;
    for (i, line) in report.context.config_toml.lines().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, super::fitted(line), &f.mono)?;
        if crate::privacy::fit_cell(line).is_some() {
            ws.write_string_with_format(
                row,
                1,
                format!(
                    "Raden är längre än de {} tecken en cell i Excel rymmer och visas förkortad; hela värdet finns i konfigurationsfilen.",
                    crate::privacy::EXCEL_CELL_CHARS
                ),
                &f.text,
            )?;
        }
    }
    ws.set_column_width(0, 120)?;
    ws.set_hidden(true);
    Ok(ws)
}
