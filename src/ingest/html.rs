//! HTML tables, as web systems export them and name them `.xls` (Excel opens them
//! without a word) or `.htm`/`.html`. Each top-level `<table>` is one sheet; a cell's
//! text is its text with tags removed, `<br>` as a line break and runs of white space
//! as one space; `colspan` leaves empty cells after the cell, so columns stay in place.
//! A table inside a cell is that cell's text. Found by content, never by extension.

use crate::config::Limits;
use crate::ingest::error::ReadError;
use crate::ingest::header::column_letter;
use crate::ingest::markup::{tokens, Token};
use crate::ingest::sheet_xml::MergeSpread;
use crate::ingest::value::Cell;
use crate::ingest::RawSheet;

/// True when decoded text looks like an HTML document or fragment with a table.
pub fn looks_like_html(head: &str) -> bool {
    let lower = head.trim_start().to_ascii_lowercase();
    let starts = [
        "<!doctype html",
        "<html",
        "<table",
        "<head",
        "<body",
        "<meta",
        "<style",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    starts || (lower.starts_with('<') && lower.contains("<table"))
}

/// A cell spanning rows below it: its value, the rows it still covers, where it began.
struct Carry {
    cell: Cell,
    left: usize,
    /// Index of its range in the table's `merged`.
    merge: usize,
}

/// One top-level table being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    /// Per column, a cell of an earlier row spanning down into the next rows.
    carries: Vec<Option<Carry>>,
    merged: Vec<MergeSpread>,
}

impl Table {
    /// Fills the columns of `row` from `row.len()` on that cells above span into, up to
    /// the first free column (or all of them at the end of a row).
    fn fill_carried(&mut self, row: &mut Vec<Cell>, to_end: bool) {
        let r = self.rows.len();
        loop {
            let c = row.len();
            if c >= self.carries.len() {
                return;
            }
            let later = self.carries[c..].iter().any(Option::is_some);
            match &mut self.carries[c] {
                Some(carry) => {
                    row.push(carry.cell.clone());
                    carry.left -= 1;
                    if let Some(m) = self.merged.get_mut(carry.merge) {
                        m.rows.push(r as u32 + 1);
                    }
                    if carry.left == 0 {
                        self.carries[c] = None;
                    }
                }
                None if to_end && later => row.push(Cell::Empty),
                None => return,
            }
        }
    }
}

/// Reads every top-level table of an HTML text.
pub fn read_html(text: &str, limits: &Limits) -> Result<Vec<RawSheet>, ReadError> {
    let mut tables: Vec<Table> = Vec::new();
    // Nesting depth of <table>: only depth 1 makes rows and cells.
    let mut depth = 0usize;
    let mut row: Option<Vec<Cell>> = None;
    // The open cell: its text, the columns and the rows it spans.
    let mut cell: Option<(String, usize, usize)> = None;
    let mut cells_total: u64 = 0;
    for token in tokens(text) {
        match &token {
            Token::Start { name, .. } if name == "table" => {
                depth += 1;
                if depth == 1 {
                    tables.push(Table::default());
                } else if let Some((text, ..)) = cell.as_mut() {
                    text.push(' ');
                }
            }
            Token::End { name } if name == "table" => {
                if depth == 1 {
                    end_row(&mut tables, &mut row, &mut cell, limits, &mut cells_total)?;
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth != 1 => {
                if let (Token::Text(t), Some((text, ..))) = (&token, cell.as_mut()) {
                    text.push_str(t);
                } else if let (Token::Start { name, .. } | Token::End { name }, Some((text, ..))) =
                    (&token, cell.as_mut())
                {
                    if matches!(name.as_str(), "td" | "th" | "tr" | "br") {
                        text.push(' ');
                    }
                }
            }
            Token::Start { name, .. } if name == "tr" => {
                end_row(&mut tables, &mut row, &mut cell, limits, &mut cells_total)?;
                row = Some(Vec::new());
            }
            Token::End { name } if name == "tr" => {
                end_row(&mut tables, &mut row, &mut cell, limits, &mut cells_total)?;
            }
            Token::Start { name, .. } if name == "td" || name == "th" => {
                end_cell(&mut tables, &mut row, &mut cell);
                let span = |key: &str, max: usize| {
                    token
                        .attr(key)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, max.max(1))
                };
                let cols = span("colspan", limits.max_columns);
                // HTML caps rowspan at 65534; a larger one is clamped, not allocated.
                let rows = span("rowspan", 65_534);
                row.get_or_insert_with(Vec::new);
                cell = Some((String::new(), cols, rows));
            }
            Token::End { name } if name == "td" || name == "th" => {
                end_cell(&mut tables, &mut row, &mut cell)
            }
            Token::Start { name, .. } if name == "br" => {
                if let Some((text, ..)) = cell.as_mut() {
                    text.push('\n');
                }
            }
            Token::End { name } if matches!(name.as_str(), "p" | "div" | "li") => {
                if let Some((text, ..)) = cell.as_mut() {
                    text.push('\n');
                }
            }
            Token::Text(t) => {
                if let Some((text, ..)) = cell.as_mut() {
                    text.push_str(t);
                }
            }
            _ => {}
        }
        if let Some(r) = &row {
            if r.len() > limits.max_columns {
                return Err(ReadError::TableTooManyColumns {
                    row: tables.last().map(|t| t.rows.len() + 1).unwrap_or(1),
                    columns: r.len(),
                    limit: limits.max_columns,
                });
            }
        }
    }
    end_row(&mut tables, &mut row, &mut cell, limits, &mut cells_total)?;
    tables.retain(|t| t.rows.iter().any(|r| !r.is_empty()));
    if tables.is_empty() {
        return Err(ReadError::HtmlWithoutTable);
    }
    let several = tables.len() > 1;
    Ok(tables
        .into_iter()
        .enumerate()
        .map(|(i, mut table)| {
            while matches!(table.rows.last(), Some(r) if r.is_empty()) {
                table.rows.pop();
            }
            let mut sheet = RawSheet::failed("", ReadError::Empty);
            sheet.error = None;
            sheet.sheet = several.then(|| format!("Tabell {}", i + 1));
            sheet.rows = table.rows;
            table.merged.retain(|m| !m.rows.is_empty());
            sheet.merged = table.merged;
            sheet
        })
        .collect())
}

/// Ends the open cell: first the columns that cells above span into, then its text with
/// white space collapsed, then one empty cell per extra column it spans. A cell spanning
/// rows is carried into the rows below (its value spread, as merged cells are).
fn end_cell(
    tables: &mut [Table],
    row: &mut Option<Vec<Cell>>,
    cell: &mut Option<(String, usize, usize)>,
) {
    let Some((text, cols, rows)) = cell.take() else {
        return;
    };
    let row = row.get_or_insert_with(Vec::new);
    let Some(table) = tables.last_mut() else {
        return;
    };
    table.fill_carried(row, false);
    let clean = collapse(&text);
    let value = if clean.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(clean.into())
    };
    let at = row.len();
    if rows > 1 && !value.is_empty() {
        if table.carries.len() < at + 1 {
            table.carries.resize_with(at + 1, || None);
        }
        let first_row = table.rows.len();
        let merge = table.merged.len();
        table.merged.push(MergeSpread {
            range: format!(
                "{}{}:{}{}",
                column_letter(at),
                first_row + 1,
                column_letter(at),
                first_row + rows
            ),
            rows: Vec::new(),
        });
        table.carries[at] = Some(Carry {
            cell: value.clone(),
            left: rows - 1,
            merge,
        });
    }
    row.push(value);
    row.extend(std::iter::repeat_n(Cell::Empty, cols - 1));
}

fn end_row(
    tables: &mut [Table],
    row: &mut Option<Vec<Cell>>,
    cell: &mut Option<(String, usize, usize)>,
    limits: &Limits,
    cells_total: &mut u64,
) -> Result<(), ReadError> {
    end_cell(tables, row, cell);
    let Some(mut r) = row.take() else {
        return Ok(());
    };
    let Some(t) = tables.last_mut() else {
        return Ok(());
    };
    t.fill_carried(&mut r, true);
    while matches!(r.last(), Some(Cell::Empty)) {
        r.pop();
    }
    // An empty row counts as one cell, so that a file of empty rows is bounded too.
    *cells_total += r.len().max(1) as u64;
    if *cells_total > limits.max_cells {
        return Err(ReadError::CsvTooManyCells {
            limit: limits.max_cells,
        });
    }
    t.rows.push(r);
    Ok(())
}

/// Runs of white space (non-breaking spaces included) as one space, per line; lines
/// kept (a `<br>` inside a cell), empty lines dropped.
fn collapse(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.replace('\u{ad}', "")
                .split(|c: char| c.is_whitespace() || c == '\u{a0}')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheet: &RawSheet) -> Vec<Vec<String>> {
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .collect()
    }

    #[test]
    fn a_table_saved_as_xls_by_a_web_system() {
        let html = "<html><head><meta charset=\"utf-8\"><style>td {x:1}</style></head><body>\
            <table border=1><tr><th>Ärende&shy;nummer</th><th colspan=2>Kategori</th><th>Anmäld&nbsp;datum</th></tr>\
            <tr><td>IN-1</td><td><b>Nätfiske</b></td><td>x</td><td>2025-03-04</td></tr>\
            <tr><td>IN-2</td><td>Förlorad<br>dator</td><td></td><td>2025-04-05</td></tr>\
            <tr><td>IN-3</td><td>Obehörig &amp; åtkomst<table><tr><td>inre</td></tr></table></td></tr>\
            </table></body></html>";
        assert!(looks_like_html(html));
        let sheets = read_html(html, &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].sheet, None);
        let t = texts(&sheets[0]);
        assert_eq!(t[0], ["Ärendenummer", "Kategori", "", "Anmäld datum"]);
        assert_eq!(t[1], ["IN-1", "Nätfiske", "x", "2025-03-04"]);
        assert_eq!(t[2], ["IN-2", "Förlorad\ndator", "", "2025-04-05"]);
        assert_eq!(t[3], ["IN-3", "Obehörig & åtkomst inre"]);
    }

    #[test]
    fn a_cell_spanning_rows_is_spread_down_and_noted() {
        let html = "<table><tr><th>Enhet</th><th>Namn</th><th>Kurs</th></tr>\
            <tr><td rowspan=3>Äldreomsorg</td><td>Åsa</td><td>GDPR</td></tr>\
            <tr><td>Örjan</td><td>GDPR</td></tr>\
            <tr><td>Märta</td></tr>\
            <tr><td>Hemtjänst</td><td>Bo</td><td rowspan=2>GDPR</td></tr>\
            <tr><td>Hemtjänst</td><td>Eva</td></tr></table>";
        let sheets = read_html(html, &Limits::default()).unwrap();
        let t = texts(&sheets[0]);
        assert_eq!(t[1], ["Äldreomsorg", "Åsa", "GDPR"]);
        assert_eq!(t[2], ["Äldreomsorg", "Örjan", "GDPR"]);
        assert_eq!(t[3], ["Äldreomsorg", "Märta"]);
        assert_eq!(t[5], ["Hemtjänst", "Eva", "GDPR"]);
        let merged: Vec<(&str, &[u32])> = sheets[0]
            .merged
            .iter()
            .map(|m| (m.range.as_str(), m.rows.as_slice()))
            .collect();
        assert_eq!(merged, [("A2:A4", &[3, 4][..]), ("C5:C6", &[6][..])]);
    }

    #[test]
    fn several_tables_are_several_sheets_and_no_table_is_an_error() {
        let html = "<table><tr><td>Risk</td><td>Ägare</td></tr></table><p>text</p><table><tr><td>Åtgärd</td></tr></table>";
        let sheets = read_html(html, &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[1].sheet.as_deref(), Some("Tabell 2"));
        let err =
            read_html("<html><body><p>Hej</p></body></html>", &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("ingen tabell"), "{err}");
    }

    #[test]
    fn limits_hold() {
        let limits = Limits {
            max_columns: 3,
            ..Limits::default()
        };
        let html = "<table><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr></table>";
        assert!(matches!(
            read_html(html, &limits),
            Err(ReadError::TableTooManyColumns { .. })
        ));
        // A huge colspan is clamped, not allocated.
        let html = "<table><tr><td colspan=999999>a</td></tr></table>";
        assert_eq!(read_html(html, &limits).unwrap()[0].rows[0].len(), 1);
        let limits = Limits {
            max_cells: 3,
            ..Limits::default()
        };
        let html = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>";
        assert!(read_html(html, &limits).is_err());
        // A file of empty rows is bounded by the cell limit too.
        let limits = Limits {
            max_cells: 100_000,
            ..Limits::default()
        };
        let html = format!("<table>{}</table>", "<tr></tr>".repeat(200_000));
        assert!(matches!(
            read_html(&html, &limits),
            Err(ReadError::CsvTooManyCells { .. })
        ));
    }

    #[test]
    fn many_scripts_are_skipped_in_one_pass() {
        let html = format!(
            "{}<table><tr><td>Risk</td><td>Ägare</td></tr></table>",
            "<SCRIPT>var a = 1 < 2;</Script>".repeat(100_000)
        );
        let sheets = read_html(&html, &Limits::default()).unwrap();
        assert_eq!(texts(&sheets[0]), [["Risk", "Ägare"]]);
    }
}
