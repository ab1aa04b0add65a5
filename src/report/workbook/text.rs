//! The text sheets: `Rapport` (the review text, laid out for reading and printing) and
//! `ISO 27001 9.3` (each review input of clause 9.3.2 and where the workbook answers it).

use rust_xlsxwriter::{
    Color, ConditionalFormatText, ConditionalFormatTextRule, Format, Worksheet, XlsxError,
};

use super::{
    data_sheet, finish_sheet, fitted, page_sheet, wrapped_lines, write_table, Formats, Out,
    FIRST_ROW,
};
use crate::review::doc::{Block, LinkText};
use crate::review::Review;

/// Width of the text (both columns), in character units.
const TEXT_WIDTH: f64 = 84.0;

/// Width of the list-marker column, in character units.
const MARKER_WIDTH: f64 = 3.5;

/// Widths of the ISO sheet's two text columns, in character units.
const REQUIREMENT_WIDTH: f64 = 52.0;
const ANSWER_WIDTH: f64 = 72.0;

/// Lines a text needs in the text column at a font size in points (headings are larger
/// than the 11 pt body text); the row height is written explicitly so Excel and
/// LibreOffice show the same layout.
fn lines_at_size(text: &str, points: f64) -> u32 {
    wrapped_lines(text, TEXT_WIDTH * 11.0 / points)
}

/// What a cut text ends with in its cell.
const CUT_NOTE: &str = " [Kortat: en cell i Excel rymmer 32 767 tecken. Hela stycket finns i Word-dokumentet och .md-filen.]";

/// `text` as one cell holds it: whole when it fits, else cut with [`CUT_NOTE`] at the
/// end. Excel's limit belongs to this sheet alone; the tree and the other outputs keep
/// the whole text.
pub(crate) fn cell_fit(text: &str) -> std::borrow::Cow<'_, str> {
    let limit = crate::privacy::EXCEL_CELL_CHARS;
    if text.len() <= limit || text.chars().count() <= limit {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = limit - CUT_NOTE.chars().count() - 1;
    let mut cut: String = text.chars().take(keep).collect();
    cut.push('…');
    cut.push_str(CUT_NOTE);
    std::borrow::Cow::Owned(cut)
}

pub(crate) fn report_sheet(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    // Portrait and not scaled: the two columns together are as wide as an A4 page.
    // Column A holds list markers ("•", "1."), so list items hang: their wrapped lines
    // start under the text, not under the marker. Everything else spans both columns.
    let mut ws = page_sheet("Rapport", report)?;
    ws.set_margins(0.8, 0.8, 0.9, 0.9, 0.3, 0.3);
    ws.set_column_width(0, MARKER_WIDTH)?;
    ws.set_column_width(1, TEXT_WIDTH - MARKER_WIDTH)?;
    ws.set_screen_gridlines(false);
    let doc = &report.doc;
    let mut row = 0u32;
    let mut breaks: Vec<u32> = Vec::new();
    let mut previous_was_item = false;
    let span = |ws: &mut Worksheet, row: u32, text: &str, format: &Format, height: f64| {
        ws.merge_range(row, 0, row, 1, &cell_fit(text), format)?;
        ws.set_row_height(row, height.min(409.0))?;
        Ok::<(), XlsxError>(())
    };
    let item = |ws: &mut Worksheet, row: u32, marker: &str, text: &str| {
        ws.write_string_with_format(row, 0, marker, &f.marker)?;
        ws.write_string_with_format(row, 1, cell_fit(text), &f.paragraph)?;
        let lines = wrapped_lines(text, TEXT_WIDTH - MARKER_WIDTH);
        ws.set_row_height(row, (15.0 * lines as f64 + 1.0).min(409.0))?;
        Ok::<(), XlsxError>(())
    };
    let heading = |ws: &mut Worksheet, row: &mut u32, text: &str, level: u8, gap: bool| {
        // (format, font size, line height).
        let (format, size, line) = match level {
            0 => (&f.h1, 16.0, 24.0),
            1 => (&f.h2, 13.0, 20.0),
            _ => (&f.h3, 11.0, 17.0),
        };
        if gap {
            *row += 1;
        }
        let height = line * lines_at_size(text, size) as f64 + 2.0;
        span(ws, *row, text, format, height)?;
        *row += 1;
        Ok::<(), XlsxError>(())
    };
    let paragraph = |ws: &mut Worksheet, row: &mut u32, text: &str, after_item: bool| {
        if after_item {
            *row += 1;
        }
        span(
            ws,
            *row,
            text,
            &f.paragraph,
            15.0 * lines_at_size(text, 11.0) as f64 + 3.0,
        )?;
        *row += 2;
        Ok::<(), XlsxError>(())
    };
    if !doc.title.is_empty() {
        heading(&mut ws, &mut row, &doc.title, 0, false)?;
    }
    let mut figure = 0usize;
    let mut tables = 0usize;
    for section in &doc.sections {
        if section.page_break && row > 0 {
            breaks.push(row);
        }
        if !section.title.is_empty() {
            let gap = section.level == 1 || previous_was_item;
            let gap = gap && row > 0;
            heading(&mut ws, &mut row, &section.heading(), section.level, gap)?;
            previous_was_item = false;
        }
        for block in &section.blocks {
            match block {
                Block::Paragraph(runs) => {
                    let text = doc.plain(runs, LinkText::WithAddress);
                    paragraph(&mut ws, &mut row, &text, previous_was_item)?;
                }
                Block::Heading(runs) => {
                    let text = doc.plain(runs, LinkText::WithAddress);
                    heading(&mut ws, &mut row, &text, 3, previous_was_item)?;
                }
                Block::List(list) => {
                    let mut n = list.start.unwrap_or(1);
                    for it in &list.items {
                        let marker = match (list.start, it.depth) {
                            (Some(_), 0) => {
                                let m = format!("{n}.");
                                n += 1;
                                m
                            }
                            (None, 0) => "•".to_string(),
                            _ => "–".to_string(),
                        };
                        item(
                            &mut ws,
                            row,
                            &marker,
                            &doc.plain(&it.runs, LinkText::WithAddress),
                        )?;
                        row += 1;
                    }
                }
                Block::Table(t) => {
                    if previous_was_item {
                        row += 1;
                    }
                    // A form (Beslut / Ort och datum / Underskrift / Namnförtydligande):
                    // each label with an empty bordered field to write in.
                    if t.form {
                        for label in &t.head {
                            span(&mut ws, row, label, &f.h3, 17.0)?;
                            span(&mut ws, row + 1, "", &f.decision_field, 28.0)?;
                            row += 2;
                        }
                        row += 1;
                    } else {
                        if let Some(caption) = &t.caption {
                            tables += 1;
                            let text = format!("Tabell {tables}. {caption}");
                            span(
                                &mut ws,
                                row,
                                &text,
                                &f.h3,
                                17.0 * lines_at_size(&text, 11.0) as f64,
                            )?;
                            row += 1;
                        }
                        // One line per row, cells separated by "|", the header in bold.
                        let head = t.head.join("  |  ");
                        let body = t.rows.iter().map(|r| {
                            r.iter()
                                .map(|c| c.value.display())
                                .collect::<Vec<_>>()
                                .join("  |  ")
                        });
                        for (i, text) in std::iter::once(head).chain(body).enumerate() {
                            let format = if i == 0 { &f.h3 } else { &f.paragraph };
                            // Counted as if set a point larger: a row of short cells breaks
                            // early at its separators, and a line too few would print the
                            // row's end under the next row.
                            span(
                                &mut ws,
                                row,
                                &text,
                                format,
                                15.0 * lines_at_size(&text, 12.0) as f64 + 1.0,
                            )?;
                            row += 1;
                        }
                        row += 1;
                    }
                }
                Block::Figure(fig) => {
                    figure += 1;
                    let text = format!("Figur {figure}. {}", fig.caption);
                    paragraph(&mut ws, &mut row, &text, previous_was_item)?;
                }
            }
            previous_was_item = matches!(block, Block::List(_));
        }
    }
    breaks.dedup();
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    Ok(ws)
}

pub(crate) fn iso_sheet(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = data_sheet("ISO 27001 9.3", report)?;
    let headers: Vec<String> = vec![
        "Avsnitt".into(),
        "Vad ledningens genomgång ska omfatta".into(),
        "Besvaras av underlaget".into(),
        "Var i arbetsboken, eller vad som saknas".into(),
    ];
    let rows: Vec<Vec<Out>> = report
        .iso
        .iter()
        .map(|r| {
            vec![
                Out::text(&r.clause),
                Out::text(&r.requirement),
                Out::text(r.status()),
                Out::text(&r.answer),
            ]
        })
        .collect();
    let place = write_table(
        &mut ws,
        FIRST_ROW,
        "Ledningens genomgång enligt ISO/IEC 27001:2022 avsnitt 9.3.2 och 9.3.3",
        "IsoGenomgang",
        &headers,
        &rows,
        f,
    )?;
    // The sheet's only block: its header stands on every printed page.
    super::repeat_header(&mut ws, &place)?;
    if !place.empty {
        // Long texts wrap; the row height follows the longest cell.
        for (i, r) in report.iso.iter().enumerate() {
            let row = place.first_row + i as u32;
            ws.write_string_with_format(row, 1, &r.requirement, &f.wrap)?;
            ws.write_string_with_format(row, 3, fitted(&r.answer), &f.wrap)?;
            ws.write_string_with_format(row, 2, r.status(), &f.wrap)?;
            let lines = wrapped_lines(&r.requirement, REQUIREMENT_WIDTH)
                .max(wrapped_lines(&r.answer, ANSWER_WIDTH))
                .max(wrapped_lines(r.status(), 14.0));
            ws.set_row_height(row, 15.0 * lines as f64 + 3.0)?;
        }
        let yes = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith("Ja".into()))
            .set_format(
                Format::new()
                    .set_background_color(Color::RGB(super::GREEN_FILL))
                    .set_font_color(Color::RGB(super::GREEN_TEXT)),
            );
        let no = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith("Nej".into()))
            .set_format(
                Format::new()
                    .set_background_color(Color::RGB(super::RED_FILL))
                    .set_font_color(Color::RGB(super::RED_TEXT)),
            );
        let partly = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith("Delvis".into()))
            .set_format(
                Format::new()
                    .set_background_color(Color::RGB(super::YELLOW_FILL))
                    .set_font_color(Color::RGB(super::YELLOW_TEXT)),
            );
        ws.add_conditional_format(place.first_row, 2, place.last_row, 2, &yes)?;
        ws.add_conditional_format(place.first_row, 2, place.last_row, 2, &no)?;
        ws.add_conditional_format(place.first_row, 2, place.last_row, 2, &partly)?;
    }
    ws.set_freeze_panes(place.first_row, 0)?;
    finish_sheet(
        &mut ws,
        "ISO/IEC 27001 9.3 – ledningens genomgång",
        "Varje underlag som standarden kräver, och var arbetsboken besvarar det. Det som saknas anges med den fil som skulle täcka det.",
        f,
    )?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, REQUIREMENT_WIDTH)?;
    ws.set_column_width(2, 14)?;
    ws.set_column_width(3, ANSWER_WIDTH)?;
    // "Besvaras av underlaget" wraps in its narrow column.
    ws.set_row_height(place.header_row, 32)?;
    Ok(ws)
}
