//! Excel 2003 XML spreadsheets (`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`),
//! saved as `.xml` or `.xls` by older systems and report generators. Each `<Worksheet>`
//! is a sheet; `ss:Index` on a row or cell skips rows or columns, `ss:MergeAcross`
//! leaves empty cells after a merged cell, and `<Data ss:Type>` says whether a value
//! is a number, a date, a boolean or text.

use chrono::NaiveDateTime;

use crate::config::Limits;
use crate::ingest::error::ReadError;
use crate::ingest::markup::{tokens, Token};
use crate::ingest::value::Cell;
use crate::ingest::RawSheet;

/// True when decoded text is an Excel 2003 XML spreadsheet.
pub fn looks_like_xml_spreadsheet(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.contains("urn:schemas-microsoft-com:office:spreadsheet") && lower.contains("<workbook")
}

/// What the reader is inside of.
struct Current {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    /// Column of the next cell (0-based).
    col: usize,
    /// Cell being read: its column, type, text and the columns it spans beyond itself.
    cell: Option<(usize, String, String, usize)>,
    in_data: bool,
    cells_total: u64,
}

/// Reads every worksheet of an XML spreadsheet.
pub fn read_xml_spreadsheet(text: &str, limits: &Limits) -> Result<Vec<RawSheet>, ReadError> {
    let mut sheets: Vec<RawSheet> = Vec::new();
    let mut cur: Option<(String, Current)> = None;
    let mut in_options = false;
    let mut visible_text = String::new();
    let mut cells_total = 0u64;
    for token in tokens(text) {
        match &token {
            Token::Start {
                name, self_closing, ..
            } if name == "worksheet" => {
                let sheet_name = token.attr("name").unwrap_or("").to_string();
                let sheet_name = if sheet_name.is_empty() {
                    format!("Blad{}", sheets.len() + 1)
                } else {
                    sheet_name
                };
                if *self_closing {
                    sheets.push(finish(sheet_name, Vec::new(), false));
                    continue;
                }
                cur = Some((
                    sheet_name,
                    Current {
                        rows: Vec::new(),
                        row: None,
                        col: 0,
                        cell: None,
                        in_data: false,
                        cells_total,
                    },
                ));
                visible_text.clear();
            }
            Token::End { name } if name == "worksheet" => {
                if let Some((name, mut c)) = cur.take() {
                    end_row(&mut c, limits)?;
                    cells_total = c.cells_total;
                    let hidden = visible_text.to_ascii_lowercase().contains("hidden");
                    sheets.push(finish(name, c.rows, hidden));
                }
            }
            Token::Start { name, .. } if name == "worksheetoptions" => in_options = true,
            Token::End { name } if name == "worksheetoptions" => in_options = false,
            Token::Text(t) if in_options => visible_text.push_str(t),
            _ => {
                if let Some((_, c)) = cur.as_mut() {
                    step(c, &token, limits)?;
                }
            }
        }
    }
    if let Some((name, mut c)) = cur.take() {
        end_row(&mut c, limits)?;
        sheets.push(finish(name, c.rows, false));
    }
    if sheets.is_empty() {
        return Err(ReadError::XmlWithoutWorksheet);
    }
    Ok(sheets)
}

fn finish(name: String, mut rows: Vec<Vec<Cell>>, hidden: bool) -> RawSheet {
    while matches!(rows.last(), Some(r) if r.is_empty()) {
        rows.pop();
    }
    let mut sheet = RawSheet::failed(&name, ReadError::Empty);
    sheet.error = None;
    sheet.rows = rows;
    sheet.hidden = hidden;
    sheet
}

/// A 1-based `ss:Index` as a 0-based position, never before `at_least` and never
/// beyond `limit` (a hostile index must not allocate).
fn index_attr(token: &Token, at_least: usize, limit: usize) -> Result<usize, usize> {
    match token
        .attr("index")
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        Some(i) if i >= 1 => {
            let i = (i - 1).max(at_least);
            if i > limit {
                Err(i)
            } else {
                Ok(i)
            }
        }
        _ => Ok(at_least),
    }
}

fn step(c: &mut Current, token: &Token, limits: &Limits) -> Result<(), ReadError> {
    match token {
        Token::Start {
            name, self_closing, ..
        } if name == "row" => {
            end_row(c, limits)?;
            let at = index_attr(token, c.rows.len(), limits.max_cells as usize).map_err(|_| {
                ReadError::CsvTooManyCells {
                    limit: limits.max_cells,
                }
            })?;
            // Rows skipped by ss:Index are empty rows, so row numbers stay the sheet's.
            let skipped = (at - c.rows.len()) as u64;
            c.cells_total += skipped;
            if c.cells_total > limits.max_cells {
                return Err(ReadError::CsvTooManyCells {
                    limit: limits.max_cells,
                });
            }
            while c.rows.len() < at {
                c.rows.push(Vec::new());
            }
            c.row = Some(Vec::new());
            c.col = 0;
            if *self_closing {
                end_row(c, limits)?;
            }
        }
        Token::End { name } if name == "row" => end_row(c, limits)?,
        Token::Start {
            name, self_closing, ..
        } if name == "cell" => {
            end_cell(c);
            let col = index_attr(token, c.col, limits.max_columns).map_err(|i| {
                ReadError::TableTooManyColumns {
                    row: c.rows.len() + 1,
                    columns: i + 1,
                    limit: limits.max_columns,
                }
            })?;
            let across = token
                .attr("mergeacross")
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0)
                .min(limits.max_columns);
            c.cell = Some((col, String::new(), String::new(), across));
            if *self_closing {
                end_cell(c);
            }
        }
        Token::End { name } if name == "cell" => end_cell(c),
        Token::Start {
            name, self_closing, ..
        } if name == "data" && !self_closing => {
            c.in_data = true;
            if let Some(cell) = c.cell.as_mut() {
                cell.1 = token.attr("type").unwrap_or("String").to_ascii_lowercase();
            }
        }
        Token::End { name } if name == "data" => c.in_data = false,
        Token::Start { name, .. } if name == "br" && c.in_data => {
            if let Some(cell) = c.cell.as_mut() {
                cell.2.push('\n');
            }
        }
        Token::Text(t) if c.in_data => {
            if let Some(cell) = c.cell.as_mut() {
                cell.2.push_str(t);
            }
        }
        _ => {}
    }
    if let Some(row) = &c.row {
        if row.len() > limits.max_columns {
            return Err(ReadError::TableTooManyColumns {
                row: c.rows.len() + 1,
                columns: row.len(),
                limit: limits.max_columns,
            });
        }
    }
    Ok(())
}

fn end_cell(c: &mut Current) {
    let Some((col, kind, text, across)) = c.cell.take() else {
        return;
    };
    let row = c.row.get_or_insert_with(Vec::new);
    while row.len() < col {
        row.push(Cell::Empty);
    }
    row.push(typed(&kind, &text));
    row.extend(std::iter::repeat_n(Cell::Empty, across));
    c.col = row.len();
}

fn end_row(c: &mut Current, limits: &Limits) -> Result<(), ReadError> {
    end_cell(c);
    let Some(mut row) = c.row.take() else {
        return Ok(());
    };
    while matches!(row.last(), Some(Cell::Empty)) {
        row.pop();
    }
    // An empty row counts as one cell, so that a file of empty rows is bounded too.
    c.cells_total += row.len().max(1) as u64;
    if c.cells_total > limits.max_cells {
        return Err(ReadError::CsvTooManyCells {
            limit: limits.max_cells,
        });
    }
    c.rows.push(row);
    Ok(())
}

/// A value by its `ss:Type`: a number or date that does not read as one stays text,
/// for the value parsers to report with its place.
fn typed(kind: &str, text: &str) -> Cell {
    if text.trim().is_empty() {
        return Cell::Empty;
    }
    match kind {
        "number" => text
            .trim()
            .parse::<f64>()
            .map(Cell::Number)
            .unwrap_or_else(|_| Cell::Text(text.into())),
        "datetime" => {
            let t = text.trim();
            NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
                .map(Cell::DateTime)
                .unwrap_or_else(|_| Cell::Text(text.into()))
        }
        "boolean" => match text.trim() {
            "1" => Cell::Bool(true),
            "0" => Cell::Bool(false),
            _ => Cell::Text(text.into()),
        },
        "error" => Cell::Error(text.trim().into()),
        _ => Cell::Text(text.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Utbildning">
  <Table>
   <Row><Cell ss:MergeAcross="1"><Data ss:Type="String">Kurs: Grundläggande informationssäkerhet</Data></Cell></Row>
   <Row ss:Index="3"><Cell><Data ss:Type="String">Namn</Data></Cell><Cell><Data ss:Type="String">Förvaltning</Data></Cell><Cell ss:Index="4"><Data ss:Type="String">Slutförd</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">Åsa Öberg &amp; co</Data></Cell><Cell><Data ss:Type="String">Äldreomsorg</Data></Cell><Cell ss:Index="4"><Data ss:Type="DateTime">2025-03-14T00:00:00.000</Data></Cell><Cell><Data ss:Type="Number">3.5</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell></Row>
  </Table>
 </Worksheet>
 <Worksheet ss:Name="Dolt"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
</Workbook>"#;

    #[test]
    fn worksheets_with_indexes_merges_and_types() {
        assert!(looks_like_xml_spreadsheet(BOOK));
        let sheets = read_xml_spreadsheet(BOOK, &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 2);
        let s = &sheets[0];
        assert_eq!(s.sheet.as_deref(), Some("Utbildning"));
        assert!(!s.hidden);
        assert!(sheets[1].hidden);
        assert_eq!(
            s.rows[0],
            [Cell::Text(
                "Kurs: Grundläggande informationssäkerhet".into()
            )]
        );
        assert!(s.rows[1].is_empty());
        assert_eq!(s.rows[2][1], Cell::Text("Förvaltning".into()));
        assert_eq!(s.rows[2][2], Cell::Empty);
        assert_eq!(s.rows[2][3], Cell::Text("Slutförd".into()));
        assert_eq!(s.rows[3][0], Cell::Text("Åsa Öberg & co".into()));
        assert_eq!(
            s.rows[3][3],
            Cell::DateTime(
                chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
            )
        );
        assert_eq!(s.rows[3][4], Cell::Number(3.5));
        assert_eq!(s.rows[3][5], Cell::Bool(true));
    }

    #[test]
    fn hostile_indexes_are_refused_not_allocated() {
        let huge_col = BOOK.replace("<Cell ss:Index=\"4\">", "<Cell ss:Index=\"999999999\">");
        assert!(matches!(
            read_xml_spreadsheet(&huge_col, &Limits::default()),
            Err(ReadError::TableTooManyColumns { .. })
        ));
        let huge_row = BOOK.replace("<Row ss:Index=\"3\">", "<Row ss:Index=\"999999999999\">");
        assert!(read_xml_spreadsheet(&huge_row, &Limits::default()).is_err());
        assert!(read_xml_spreadsheet("<Workbook>", &Limits::default()).is_err());
    }
}
