//! The management review workbook, `Ledningens genomgång YYYY - UNIT.xlsx`.
//!
//! One module per sheet family; this module holds what they share: the formats, a
//! helper that writes an Excel table from typed cells (every input text as a string,
//! never a formula), and the assembly in SPEC §4.1 order. The data sheets are built
//! first so the summary's charts can point at their tables; the sheets are then pushed
//! into the workbook in the order the reader meets them. The file is built in memory and
//! renamed into place, so an interrupted run leaves no half-written workbook.

pub(crate) mod charts;
mod governance;
pub(crate) mod history;
mod incidents;
mod quality;
mod summary;
mod text;
mod training;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn,
    TableStyle, Workbook, Worksheet, XlsxError,
};

use crate::report::control::DocumentControl;
use crate::review::format::share_decimals;
use crate::review::Review;

/// Widest a column may become when fitted to its content, in pixels.
const MAX_COLUMN_PX: u32 = 420;

/// The workbook as bytes, without document control on its first sheet.
pub fn build(report: &Review) -> Result<Vec<u8>, XlsxError> {
    build_with_control(report, None)
}

/// The workbook as bytes; `control`, when given, stands at the top of the first sheet
/// with the same facts as the Word title page.
pub fn build_with_control(
    report: &Review,
    control: Option<&DocumentControl>,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // Fast deflate: the parts are small XML, level 1 packs them nearly as tight as the
    // default level 6 at a fraction of the time (one workbook per unit in a batch).
    wb.set_zip_compression_level(1);
    // A fixed creation date keeps two runs on the same inputs byte-identical.
    let created = ExcelDateTime::from_ymd((report.year + 1).clamp(1900, 9999) as u16, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Ledningens genomgång {} – {}",
                report.year, report.unit
            ))
            .set_subject("Informationssäkerhet och dataskydd, ISO/IEC 27001 9.3")
            .set_company(report.unit.as_str())
            .set_creation_datetime(&created)
            .set_custom_property(crate::ingest::OUTPUT_MARKER_PROPERTY, "ja"),
    );

    let mut charts = ChartSources::default();
    let mut data_sheets: Vec<Worksheet> = Vec::new();
    if let Some(ws) = training::sheet(report, &f, &mut charts)? {
        data_sheets.push(ws);
    }
    if let Some(ws) = incidents::sheet(report, &f, &mut charts)? {
        data_sheets.push(ws);
    }
    for ws in governance::sheets(report, &f)? {
        data_sheets.push(ws);
    }
    let present: Vec<String> = data_sheets.iter().map(|w| w.name()).collect();

    let mut summary = summary::sheet(report, &f, &charts, &present, control)?;
    summary.set_active(true);
    wb.push_worksheet(summary);
    if !report.doc.sections.is_empty() {
        wb.push_worksheet(text::report_sheet(report, &f)?);
    }
    for ws in data_sheets {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(text::iso_sheet(report, &f)?);
    wb.push_worksheet(quality::problems_sheet(report, &f)?);
    wb.push_worksheet(quality::sources_sheet(report, &f)?);
    wb.push_worksheet(quality::configuration_sheet(report, &f)?);
    wb.push_worksheet(history::data_sheet(report)?);
    wb.save_to_buffer()
}

/// Where the data behind the summary's charts sits: (sheet, first row, last row) of a
/// table whose column 0 holds the categories.
#[derive(Default)]
pub(crate) struct ChartSources {
    /// Incidents per category: columns 1 = this year, 2 = previous year.
    pub incidents_by_category: Option<ChartRange>,
    /// Incidents per month: columns 1 = this year, 2 = previous year.
    pub incidents_by_month: Option<ChartRange>,
    /// Training by unit: column 3 = completion rate; the target in `target_column`.
    pub training_by_unit: Option<ChartRange>,
    /// Column of the training table holding the target on every row, if there is one.
    pub training_target_column: Option<u16>,
}

#[derive(Clone)]
pub(crate) struct ChartRange {
    pub sheet: String,
    pub first_row: u32,
    pub last_row: u32,
    /// Whether the previous year's column holds data.
    pub has_previous: bool,
    /// The largest value the chart draws (for whole-number ticks).
    pub max: f64,
}

/// The formats every sheet uses.
pub(crate) struct Formats {
    pub title: Format,
    pub subtitle: Format,
    pub heading: Format,
    pub header: Format,
    /// Header of a numeric column: right-aligned over its numbers.
    pub header_number: Format,
    pub text: Format,
    /// "–" for a missing value, aligned with the numbers.
    pub missing: Format,
    pub wrap: Format,
    pub count: Format,
    pub rate: Format,
    pub decimal: Format,
    pub date: Format,
    pub bold: Format,
    pub bold_count: Format,
    pub bold_rate: Format,
    pub bold_decimal: Format,
    pub change_count: Format,
    /// A change in percentage points with one decimal ("+6,8 p.e.").
    pub change_points: Format,
    /// … and whole ("+12 p.e."), as [`crate::review::format::change`] writes it.
    pub change_points_whole: Format,
    /// Percent with one decimal ("9,2 %"), as [`crate::review::format::percent`] writes
    /// shares below 10 %.
    pub rate_tenth: Format,
    pub bold_rate_tenth: Format,
    pub h1: Format,
    pub h2: Format,
    pub h3: Format,
    pub paragraph: Format,
    pub bullet: Format,
    /// A list marker ("•", "1.") in its own column, right-aligned against the text.
    pub marker: Format,
    pub mono: Format,
    pub link: Format,
    pub decision_label: Format,
    pub decision_field: Format,
    pub matrix_header: Format,
    pub matrix_low: Format,
    pub matrix_medium: Format,
    pub matrix_high: Format,
}

impl Formats {
    /// A share's cell format: the decimals [`crate::review::format::percent`] writes.
    pub(crate) fn rate_for(&self, rate: f64) -> &Format {
        if share_decimals(rate * 100.0) == 1 {
            &self.rate_tenth
        } else {
            &self.rate
        }
    }

    /// A change in percentage points: the decimals [`crate::review::format::change`]
    /// writes.
    pub(crate) fn change_points_for(&self, points: f64) -> &Format {
        if share_decimals(points) == 1 {
            &self.change_points
        } else {
            &self.change_points_whole
        }
    }
}

pub(crate) const DARK_BLUE: u32 = 0x1F4E79;
/// Percent as Swedish typography writes it: "16 %".
pub(crate) const RATE_FORMAT: &str = "0\" \"%";
/// … with one decimal: "9,2 %".
pub(crate) const RATE_TENTH_FORMAT: &str = "0.0\" \"%";
pub(crate) const GREEN_FILL: u32 = 0xC6EFCE;
pub(crate) const GREEN_TEXT: u32 = 0x006100;
pub(crate) const YELLOW_FILL: u32 = 0xFFEB9C;
pub(crate) const YELLOW_TEXT: u32 = 0x9C5700;
pub(crate) const RED_FILL: u32 = 0xFFC7CE;
pub(crate) const RED_TEXT: u32 = 0x9C0006;

impl Formats {
    pub(crate) fn new() -> Formats {
        let top = || Format::new().set_align(FormatAlign::Top);
        let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        let cell = |fill: u32, text: u32| {
            Format::new()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(text))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_bold()
        };
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color(Color::RGB(DARK_BLUE)),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            heading: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(DARK_BLUE)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(DARK_BLUE))
                .set_font_color(Color::White),
            header_number: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Right)
                .set_background_color(Color::RGB(DARK_BLUE))
                .set_font_color(Color::White),
            text: top(),
            missing: top().set_align(FormatAlign::Right),
            wrap: top().set_text_wrap(),
            count: top().set_num_format("#,##0"),
            rate: top().set_num_format(RATE_FORMAT),
            decimal: top().set_num_format("0.0"),
            date: top().set_num_format("yyyy-mm-dd"),
            bold: total.clone(),
            bold_count: total.clone().set_num_format("#,##0"),
            bold_rate: total.clone().set_num_format(RATE_FORMAT),
            bold_rate_tenth: total.clone().set_num_format(RATE_TENTH_FORMAT),
            bold_decimal: total.set_num_format("0.0"),
            change_count: top().set_num_format("+#,##0;\"−\"#,##0;\"±\"0"),
            change_points: top().set_num_format("+0.0\" p.e.\";\"−\"0.0\" p.e.\";\"±\"0\" p.e.\""),
            change_points_whole: top()
                .set_num_format("+0\" p.e.\";\"−\"0\" p.e.\";\"±\"0\" p.e.\""),
            rate_tenth: top().set_num_format(RATE_TENTH_FORMAT),
            h1: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color(Color::RGB(DARK_BLUE))
                .set_text_wrap()
                .set_align(FormatAlign::Bottom),
            h2: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_font_color(Color::RGB(DARK_BLUE))
                .set_text_wrap()
                .set_align(FormatAlign::Bottom),
            h3: Format::new()
                .set_bold()
                .set_font_size(11)
                .set_text_wrap()
                .set_align(FormatAlign::Bottom),
            paragraph: top().set_text_wrap(),
            bullet: top().set_text_wrap().set_indent(1),
            marker: top().set_align(FormatAlign::Right),
            mono: Format::new().set_font_name("Consolas").set_font_size(9),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)
                .set_align(FormatAlign::Top),
            decision_label: Format::new()
                .set_bold()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xF2F2F2)),
            decision_field: Format::new()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin),
            matrix_header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2)),
            matrix_low: cell(GREEN_FILL, GREEN_TEXT),
            matrix_medium: cell(YELLOW_FILL, YELLOW_TEXT),
            matrix_high: cell(RED_FILL, RED_TEXT),
        }
    }
}

/// One cell of a table, typed so the writer picks the number format and never lets an
/// input text become a formula.
pub(crate) enum Out {
    /// Text from an input or from genomgang: always written as a string.
    Text(String),
    /// Long text, wrapped in its column.
    Wrapped(String),
    Count(f64),
    /// A fraction shown as percent; none is shown as "–".
    Rate(Option<f64>),
    Decimal(f64),
    Date(Option<NaiveDate>),
    /// No value: "–".
    Missing,
}

impl Out {
    pub fn text(s: impl Into<String>) -> Out {
        Out::Text(s.into())
    }

    pub fn count(n: impl Into<f64>) -> Out {
        Out::Count(n.into())
    }

    pub fn opt_count(n: Option<u32>) -> Out {
        n.map(|n| Out::Count(n as f64)).unwrap_or(Out::Missing)
    }
}

/// A text cut to what one Excel cell holds: the last guard, so that no text can end
/// a run (texts from inputs are already cut with a note where they are read).
pub(crate) fn fitted(text: &str) -> std::borrow::Cow<'_, str> {
    match crate::privacy::fit_cell(text) {
        Some(cut) => std::borrow::Cow::Owned(cut),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Writes one cell.
pub(crate) fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Out,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value {
        Out::Text(s) => ws.write_string_with_format(row, col, fitted(s), &f.text)?,
        Out::Wrapped(s) => ws.write_string_with_format(row, col, fitted(s), &f.wrap)?,
        Out::Count(n) => ws.write_number_with_format(row, col, *n, &f.count)?,
        Out::Rate(Some(r)) => ws.write_number_with_format(row, col, *r, f.rate_for(*r))?,
        Out::Decimal(n) => ws.write_number_with_format(row, col, *n, &f.decimal)?,
        Out::Date(Some(d)) => {
            let dt = ExcelDateTime::from_ymd(
                d.year().clamp(1900, 9999) as u16,
                d.month() as u8,
                d.day() as u8,
            )?;
            ws.write_datetime_with_format(row, col, &dt, &f.date)?
        }
        Out::Rate(None) | Out::Date(None) | Out::Missing => {
            ws.write_string_with_format(row, col, "–", &f.missing)?
        }
    };
    Ok(())
}

/// Writes a heading line and an Excel table (filter buttons, banded rows) below it,
/// starting at `row`. Returns the row of the table's last data row, or the row of the
/// "none" line when there are no rows. `name` must be unique in the workbook.
pub(crate) fn write_table(
    ws: &mut Worksheet,
    row: u32,
    heading: &str,
    name: &str,
    headers: &[String],
    rows: &[Vec<Out>],
    f: &Formats,
) -> Result<TablePlace, XlsxError> {
    ws.write_string_with_format(row, 0, heading, &f.heading)?;
    let header_row = row + 1;
    if rows.is_empty() {
        ws.write_string_with_format(header_row, 0, "Inga rader.", &f.subtitle)?;
        return Ok(TablePlace {
            header_row,
            columns: headers.len() as u16,
            first_row: header_row,
            last_row: header_row,
            empty: true,
        });
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            write_cell(ws, header_row + 1 + i as u32, c as u16, v, f)?;
        }
    }
    let last_row = header_row + rows.len() as u32;
    let columns: Vec<TableColumn> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let format = if numeric_column(rows, c) {
                &f.header_number
            } else {
                &f.header
            };
            TableColumn::new()
                .set_header(h.as_str())
                .set_header_format(format)
        })
        .collect();
    // No repeated header here: a sheet has one range of print titles, printed on every
    // page, so the first table's header would stand above the next table's overflow
    // and over charts below. A sheet whose only block is one table says so with
    // [`repeat_header`].
    ws.add_table(
        header_row,
        0,
        last_row,
        headers.len().saturating_sub(1) as u16,
        &Table::new()
            .set_name(name)
            .set_style(TableStyle::Light9)
            .set_columns(&columns),
    )?;
    Ok(TablePlace {
        header_row,
        columns: headers.len() as u16,
        first_row: header_row + 1,
        last_row,
        empty: false,
    })
}

/// A column whose cells are numbers or dates (and "–" for missing ones): its header is
/// right-aligned like its values.
pub(crate) fn numeric_column(rows: &[Vec<Out>], col: usize) -> bool {
    let mut any = false;
    for r in rows {
        match r.get(col) {
            Some(Out::Count(_) | Out::Rate(_) | Out::Decimal(_) | Out::Date(_)) => any = true,
            Some(Out::Missing) | None => {}
            Some(Out::Text(_) | Out::Wrapped(_)) => return false,
        }
    }
    any
}

/// Writes a bold totals row directly below a table (outside it, so sorting and
/// filtering the table leave it in place). Returns the row written.
pub(crate) fn write_totals(
    ws: &mut Worksheet,
    place: &TablePlace,
    cells: &[Out],
    f: &Formats,
) -> Result<u32, XlsxError> {
    let row = place.last_row + 1;
    for (c, v) in cells.iter().enumerate() {
        let col = c as u16;
        match v {
            Out::Count(n) => ws.write_number_with_format(row, col, *n, &f.bold_count)?,
            Out::Rate(Some(r)) => {
                let format = if share_decimals(r * 100.0) == 1 {
                    &f.bold_rate_tenth
                } else {
                    &f.bold_rate
                };
                ws.write_number_with_format(row, col, *r, format)?
            }
            Out::Text(t) | Out::Wrapped(t) => {
                ws.write_string_with_format(row, col, fitted(t), &f.bold)?
            }
            _ => ws.write_string_with_format(row, col, "", &f.bold)?,
        };
    }
    Ok(row)
}

/// Sets the height of each table row to fit its wrapped cells: Excel and LibreOffice
/// do not grow a row for wrapped text they did not write themselves. `widths` gives the
/// wrapped columns and their widths in character units.
pub(crate) fn fit_wrapped_rows(
    ws: &mut Worksheet,
    place: &TablePlace,
    rows: &[Vec<Out>],
    widths: &[(u16, f64)],
) -> Result<(), XlsxError> {
    if place.empty {
        return Ok(());
    }
    for (col, width) in widths {
        ws.set_column_width(*col, *width)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let lines = widths
            .iter()
            .filter_map(|(col, width)| match row.get(*col as usize) {
                Some(Out::Wrapped(t)) => Some(wrapped_lines(t, *width)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(
                place.first_row + i as u32,
                (15.0 * lines as f64 + 2.0).min(409.0),
            )?;
        }
    }
    Ok(())
}

/// Lines a text needs when wrapped in a column `width` characters wide (Excel measures
/// column width in widths of the digit 0 of Calibri 11). Word wrap is simulated with
/// approximate Calibri letter widths, so a row is neither clipped nor left half empty.
pub(crate) fn wrapped_lines(text: &str, width: f64) -> u32 {
    wrapped_lines_with(text, width, word_width)
}

/// [`wrapped_lines`] with a given measure of a word's width.
fn wrapped_lines_with(text: &str, width: f64, word_width: impl Fn(&str) -> f64) -> u32 {
    let capacity = (width - 0.5).max(1.0);
    text.split('\n')
        .map(|paragraph| {
            let mut lines = 1u32;
            let mut used = 0.0f64;
            for word in paragraph.split(' ') {
                let w = word_width(word);
                let needed = if used == 0.0 {
                    w
                } else {
                    used + char_width(' ') + w
                };
                if needed <= capacity || used == 0.0 {
                    used = needed;
                    // A word longer than the line breaks inside itself.
                    while used > capacity {
                        lines += 1;
                        used -= capacity;
                    }
                } else {
                    lines += 1;
                    used = w;
                }
            }
            lines
        })
        .sum()
}

/// The width of a word in digit widths: its letters' widths added in order (the same
/// sum, to the last bit, for every word), ASCII through a table, since every text of
/// the workbook is measured.
fn word_width(word: &str) -> f64 {
    let mut width = 0.0f64;
    if word.is_ascii() {
        for b in word.bytes() {
            width += ASCII_WIDTHS[b as usize];
        }
    } else {
        for c in word.chars() {
            width += char_width(c);
        }
    }
    width
}

/// [`char_width`] of each ASCII character.
const ASCII_WIDTHS: [f64; 128] = {
    let mut table = [0.0f64; 128];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = ascii_width(b);
        b += 1;
    }
    table
};

/// [`char_width`] of an ASCII character, usable in a constant.
const fn ascii_width(b: u8) -> f64 {
    match b {
        b'i' | b'l' | b'j' | b'\'' | b'.' | b',' | b':' | b';' | b'|' | b'!' => 0.45,
        b' ' | b'f' | b't' | b'r' | b'I' | b'(' | b')' | b'[' | b']' | b'-' | b'/' => 0.6,
        b'm' | b'w' | b'M' | b'W' | b'%' | b'@' => 1.5,
        b'A'..=b'Z' => 1.15,
        b'0'..=b'9' => 1.0,
        _ => 0.92,
    }
}

/// Approximate width of a character in Calibri 11, in digit widths.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '\'' | '.' | ',' | ':' | ';' | '|' | '!' => 0.45,
        ' ' | 'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' | '/' => 0.6,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 1.5,
        c if c.is_uppercase() => 1.15,
        c if c.is_ascii_digit() => 1.0,
        _ => 0.92,
    }
}

/// Where a table landed on its sheet.
pub(crate) struct TablePlace {
    pub header_row: u32,
    /// Number of columns.
    pub columns: u16,
    pub first_row: u32,
    pub last_row: u32,
    pub empty: bool,
}

/// Repeats `place`'s header row on every printed page. Only for a table that is its
/// sheet's only block: Excel and LibreOffice print the rows on every page of the sheet.
pub(crate) fn repeat_header(ws: &mut Worksheet, place: &TablePlace) -> Result<(), XlsxError> {
    if !place.empty {
        ws.set_repeat_rows(place.header_row, place.header_row)?;
    }
    Ok(())
}

impl TablePlace {
    /// The row where the next block may start, leaving two blank rows.
    pub fn next(&self) -> u32 {
        self.last_row + 3
    }
}

/// A new data sheet with the print setup every data sheet shares: landscape, fit to one
/// page wide, a header naming the review and a page number in the footer.
pub(crate) fn data_sheet(name: &str, report: &Review) -> Result<Worksheet, XlsxError> {
    data_sheet_for(name, &review_title(report))
}

/// [`data_sheet`] with the running header's title given.
pub(crate) fn data_sheet_for(name: &str, title: &str) -> Result<Worksheet, XlsxError> {
    let mut ws = page_sheet_for(name, title)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    Ok(ws)
}

/// "Ledningens genomgång 2025 – Kungsholmen".
fn review_title(report: &Review) -> String {
    format!("Ledningens genomgång {} – {}", report.year, report.unit)
}

/// A new sheet on A4 with the review's running header and page numbers.
pub(crate) fn page_sheet(name: &str, report: &Review) -> Result<Worksheet, XlsxError> {
    page_sheet_for(name, &review_title(report))
}

/// A new sheet on A4 with a running header (title left, sheet right) and page numbers.
pub(crate) fn page_sheet_for(name: &str, title: &str) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    ws.set_paper_size(9); // A4
    ws.set_header(format!(
        "&L{}&R{}",
        header_escape(title),
        header_escape(name)
    ));
    ws.set_footer("&CSida &P av &N");
    Ok(ws)
}

/// `&` starts a control code in Excel headers; a literal one is `&&`.
fn header_escape(s: &str) -> String {
    s.replace('&', "&&")
}

/// Fits the columns written so far to their content (capped), then writes the sheet's
/// title and subtitle, which are left out of the fit so they do not widen column A.
pub(crate) fn finish_sheet(
    ws: &mut Worksheet,
    title: &str,
    subtitle: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_autofit_max_width(MAX_COLUMN_PX);
    ws.autofit();
    ws.write_string_with_format(0, 0, title, &f.title)?;
    if !subtitle.is_empty() {
        ws.write_string_with_format(1, 0, subtitle, &f.subtitle)?;
    }
    Ok(())
}

/// The first row where a sheet's content starts, below title and subtitle.
pub(crate) const FIRST_ROW: u32 = 3;

/// "2024" for the previous-year column headers.
pub(crate) fn previous_year(report: &Review) -> String {
    (report.year - 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The measure as first written: each word's letters summed through `char_width`.
    fn wrapped_lines_by_chars(text: &str, width: f64) -> u32 {
        wrapped_lines_with(text, width, |word| word.chars().map(char_width).sum())
    }

    #[test]
    fn the_ascii_table_holds_each_characters_width() {
        for b in 0u8..128 {
            assert_eq!(ASCII_WIDTHS[b as usize], char_width(b as char), "{b}");
        }
    }

    #[test]
    fn words_are_measured_as_their_letters_added_in_order() {
        let texts = [
            "",
            " ",
            "Förvaltningsledningen föreslås besluta att fastställa handlingsplanen.",
            "IIIIII llllll MMMMMM WWWWW 0123456789 (a) [b] -/- %@ ÅÄÖ åäö é ü",
            "Ett  stycke med  dubbla mellanslag\noch en ny rad\n\nOch ett tomt stycke.",
            "Ordsomärlängreänenraddelarsiginutisigsjälvordsomärlängreänenraddelarsig",
            "Incidenter  |  12  |  9,2 %  |  +3  |  –",
        ];
        for text in texts {
            for width in [1.0, 3.5, 10.0, 22.0, 52.0, 80.5, 84.0] {
                assert_eq!(
                    wrapped_lines(text, width),
                    wrapped_lines_by_chars(text, width),
                    "{text:?} at {width}"
                );
            }
            for word in text.split([' ', '\n']) {
                let by_chars: f64 = word.chars().map(char_width).sum();
                assert_eq!(word_width(word).to_bits(), (by_chars + 0.0).to_bits());
            }
        }
        assert_eq!(wrapped_lines("kort", 84.0), 1);
        assert_eq!(wrapped_lines("a\nb\nc", 84.0), 3);
    }
}
