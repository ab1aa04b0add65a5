//! Spreadsheet files (.xlsx .xlsm .xls .xlsb .ods) through calamine, with the checks
//! that keep a broken or hostile file from taking the run down: the container is
//! sniffed before parsing, zip entries' declared sizes are checked against the limits,
//! and a sheet whose used range is absurd is refused.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

use crate::config::Limits;
use crate::ingest::error::ReadError;
use crate::ingest::sheet_xml::{self, Merge, PartFacts, PartScanner};
use crate::ingest::value::{parse_datetime_text, Cell};
use crate::ingest::xlsx::{self, SheetGrid};
use crate::ingest::RawSheet;

/// Hidden rows and merges per sheet name.
type SheetFacts = HashMap<String, PartFacts>;

fn merge_of(d: &calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0,
        last_row: d.end.0,
        first_col: d.start.1,
        last_col: d.end.1,
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads every worksheet of a spreadsheet file held in memory.
pub fn read_workbook(
    bytes: &[u8],
    extension: &str,
    limits: &Limits,
) -> Result<Vec<RawSheet>, ReadError> {
    read_workbook_with(bytes, extension, limits, None)
}

/// As [`read_workbook`]; an xlsx workbook hands long sheets' rows to `hook` as they are
/// read (the other formats keep every sheet whole).
pub fn read_workbook_with(
    bytes: &[u8],
    extension: &str,
    limits: &Limits,
    hook: Option<&mut dyn crate::ingest::RowHook>,
) -> Result<Vec<RawSheet>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    let is_ole = bytes.starts_with(OLE_MAGIC);
    if is_ole && matches!(extension, "xlsx" | "xlsm" | "xlsb") && looks_encrypted(bytes) {
        return Err(ReadError::Password);
    }
    if !is_zip && !is_ole {
        let extension = extension.to_string();
        return Err(if looks_like_text(bytes) {
            ReadError::TextWithSpreadsheetName { extension }
        } else {
            ReadError::NotASpreadsheet { extension }
        });
    }
    let ooxml = is_zip && !is_ods(bytes) && extension != "xlsb";
    if ooxml {
        // Declared sizes only: our reader counts what each worksheet inflates to as it
        // reads it.
        check_zip_sizes(bytes, limits, false)?;
        return match xlsx::read_with(bytes, limits, hook) {
            Ok(sheets) => Ok(sheets),
            Err(xlsx::Failure::Read(e)) => Err(e),
            Err(xlsx::Failure::NotUnderstood(why)) => {
                if std::env::var_os("GENOMGANG_DEBUG").is_some() {
                    eprintln!("debug: xlsx reader: {why}; the file is read through calamine");
                }
                read_xlsx_with_calamine(bytes, limits)
            }
        };
    }
    if is_zip {
        check_zip_sizes(bytes, limits, true)?;
    }
    let cursor = Cursor::new(bytes);
    if is_ole {
        calamine::open_workbook_from_rs::<Xls<_>, _>(cursor)
            .map_err(|e| match e {
                calamine::XlsError::Password => ReadError::Password,
                other => damaged(other),
            })
            .and_then(|wb| {
                // The binary format keeps its merges in the parsed sheet records: free.
                let facts = wb
                    .sheet_names()
                    .into_iter()
                    .filter_map(|name| {
                        let merges = wb.merge_cells_by_sheet_name(&name).ok()?;
                        let merges = merges.iter().map(merge_of).collect();
                        Some((
                            name,
                            PartFacts {
                                merges,
                                ..Default::default()
                            },
                        ))
                    })
                    .collect();
                collect(wb, limits, &facts)
            })
    } else if is_ods(bytes) {
        calamine::open_workbook_from_rs::<Ods<_>, _>(cursor)
            .map_err(damaged)
            .and_then(|wb| collect(wb, limits, &HashMap::new()))
    } else {
        calamine::open_workbook_from_rs::<Xlsb<_>, _>(cursor)
            .map_err(damaged)
            .and_then(|wb| collect(wb, limits, &HashMap::new()))
    }
}

/// An .xlsx/.xlsm read through calamine's cell reader, the zip check inflating every
/// worksheet part to count it and to find hidden rows and merges. The fallback of
/// [`xlsx::read`] for what it does not understand, and the reference it is tested against.
pub fn read_xlsx_with_calamine(bytes: &[u8], limits: &Limits) -> Result<Vec<RawSheet>, ReadError> {
    let facts = check_zip_sizes(bytes, limits, true)?;
    calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
        .map_err(|e| match e {
            calamine::XlsxError::Password => ReadError::Password,
            other => damaged(other),
        })
        .and_then(|wb| collect_xlsx(wb, limits, facts))
}

fn damaged<E: std::error::Error + Send + Sync + 'static>(e: E) -> ReadError {
    ReadError::Damaged {
        source: ReadError::cause(e),
    }
}

/// Encrypted OOXML files are OLE containers holding an "EncryptedPackage" stream.
fn looks_encrypted(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    !sample.contains(&0) && sample.iter().filter(|b| **b < 0x09).count() == 0
}

fn is_ods(bytes: &[u8]) -> bool {
    // The first zip entry of an OpenDocument file is an uncompressed "mimetype".
    bytes.len() > 80 && bytes[30..38.min(bytes.len())] == *b"mimetype" && {
        let head = &bytes[38..bytes.len().min(120)];
        head.windows(11).any(|w| w == b"opendocumen")
    }
}

/// Refuses a zip whose entries claim more than the limit when unpacked (a zip bomb).
/// With `inflate_worksheets`, the worksheet parts are inflated to count what they
/// really unpack to, and scanned on the way for hidden rows and merged cells, which
/// calamine does not report (or reports only at the cost of a second parse of the
/// sheet); those facts are returned per sheet name. Without it (our own xlsx reader
/// counts as it reads) only an ODS's content.xml is inflated here.
fn check_zip_sizes(
    bytes: &[u8],
    limits: &Limits,
    inflate_worksheets: bool,
) -> Result<SheetFacts, ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::BrokenZip {
            source: ReadError::cause(e),
        })?;
    let limit = limits.max_unpacked_mib * 1024 * 1024;
    let mut total: u64 = 0;
    let mut by_part: HashMap<String, PartFacts> = HashMap::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(damaged)?;
        let size = entry.size();
        let entry_name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        if size > limit || total > limit.saturating_mul(2) {
            return Err(ReadError::ZipBomb {
                entry: entry_name,
                size_mib: size.max(total) / MIB,
                limit_mib: limits.max_unpacked_mib,
                lying: false,
            });
        }
        // A compressed part that inflates far beyond its declared size is cut off here.
        if (inflate_worksheets && entry_name.starts_with("xl/worksheets/"))
            || entry_name == "content.xml"
        {
            let stored = entry.compression() == zip::CompressionMethod::Stored;
            drop(entry);
            // Inflate the raw part ourselves and count what it really unpacks to: the
            // zip reader would stop at the declared size with an error that says nothing
            // we can decide on.
            let raw = archive.by_index_raw(i).map_err(damaged)?;
            let mut reader: Box<dyn Read> = if stored {
                Box::new(raw)
            } else {
                Box::new(flate2::read::DeflateDecoder::new(raw))
            };
            let part = entry_name.to_lowercase().replace('\\', "/");
            let mut scanner = is_worksheet_part(&part).then(PartScanner::default);
            let mut buffer = vec![0u8; 64 * 1024];
            let mut read: u64 = 0;
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => {
                        read += n as u64;
                        if let Some(scanner) = scanner.as_mut() {
                            scanner.feed(&buffer[..n]);
                        }
                    }
                    Err(e) => return Err(damaged(e)),
                }
                if read > limit {
                    return Err(ReadError::ZipBomb {
                        entry: String::new(),
                        size_mib: read / MIB,
                        limit_mib: limits.max_unpacked_mib,
                        lying: false,
                    });
                }
            }
            if read > size {
                return Err(ReadError::ZipBomb {
                    entry: entry_name,
                    size_mib: read / MIB,
                    limit_mib: limits.max_unpacked_mib,
                    lying: true,
                });
            }
            if let Some(facts) = scanner.map(PartScanner::finish).filter(|f| !f.is_empty()) {
                by_part.insert(part, facts);
            }
        }
    }
    if by_part.is_empty() {
        return Ok(HashMap::new());
    }
    let names = sheet_xml::sheet_parts(
        &small_part(&mut archive, "xl/workbook.xml", limit),
        &small_part(&mut archive, "xl/_rels/workbook.xml.rels", limit),
    );
    Ok(by_part
        .into_iter()
        .filter_map(|(part, facts)| Some((names.get(&part)?.clone(), facts)))
        .collect())
}

/// "xl/worksheets/sheet1.xml", not its relationships.
pub(crate) fn is_worksheet_part(lower_name: &str) -> bool {
    lower_name
        .strip_prefix("xl/worksheets/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".xml"))
}

/// A small part's bytes (empty when it is missing or unreadable), at most `limit`.
fn small_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Vec<u8> {
    let Some(index) = (0..archive.len()).find(|i| {
        archive
            .name_for_index(*i)
            .and_then(|n| n.ok())
            .is_some_and(|n| n.replace('\\', "/").eq_ignore_ascii_case(name))
    }) else {
        return Vec::new();
    };
    let mut bytes = Vec::new();
    if let Ok(part) = archive.by_index(index) {
        if part.take(limit).read_to_end(&mut bytes).is_err() {
            bytes.clear();
        }
    }
    bytes
}

const MIB: u64 = 1024 * 1024;

fn collect<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    mut wb: R,
    limits: &Limits,
    facts: &SheetFacts,
) -> Result<Vec<RawSheet>, ReadError>
where
    R::Error: std::error::Error + Send + Sync + 'static,
{
    let metas: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    for (name, hidden) in metas {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                sheets.push(RawSheet::failed(
                    &name,
                    ReadError::Sheet {
                        source: ReadError::cause(e),
                    },
                ));
                continue;
            }
        };
        let (height, width) = range.get_size();
        if width > limits.max_columns {
            sheets.push(RawSheet::failed(
                &name,
                ReadError::TooManyColumns {
                    columns: width,
                    limit: limits.max_columns,
                },
            ));
            continue;
        }
        if (height as u64).saturating_mul(width as u64) > limits.max_cells {
            sheets.push(RawSheet::failed(
                &name,
                ReadError::TooManyCells {
                    cells: height as u64 * width as u64,
                    limit: limits.max_cells,
                },
            ));
            continue;
        }
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(height);
        for r in range.rows() {
            let mut cells: Vec<Cell> = r.iter().map(convert).collect();
            while matches!(cells.last(), Some(c) if c.is_empty()) {
                cells.pop();
            }
            rows.push(cells);
        }
        while matches!(rows.last(), Some(r) if r.is_empty()) {
            rows.pop();
        }
        // Cells left of the used range are empty; pad so column letters stay true.
        if col0 > 0 {
            for r in rows.iter_mut() {
                if !r.is_empty() {
                    let mut padded = vec![Cell::Empty; col0 as usize];
                    padded.append(r);
                    *r = padded;
                }
            }
        }
        let mut sheet = RawSheet {
            rows,
            row_offset: row0,
            hidden,
            ..RawSheet::named(Some(name))
        };
        apply_facts(&mut sheet, facts, limits);
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Records the sheet's hidden rows and spreads its merged cells over their rows.
fn apply_facts(sheet: &mut RawSheet, facts: &SheetFacts, limits: &Limits) {
    let Some(facts) = sheet.sheet.as_ref().and_then(|name| facts.get(name)) else {
        return;
    };
    sheet.hidden_rows = facts.hidden_rows.clone();
    sheet.hidden_rows.sort_unstable();
    sheet.hidden_rows.dedup();
    sheet.autofilter = facts.autofilter;
    sheet.merged = sheet_xml::spread_merges(
        &mut sheet.rows,
        sheet.row_offset,
        &facts.merges,
        limits.max_cells,
    );
}

/// Reads xlsx sheets cell by cell, so a sheet whose dimension or stray cell claims the
/// whole grid (A1:XFD1048576) costs only the cells it really has.
fn collect_xlsx<RS: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<RS>,
    limits: &Limits,
    facts: SheetFacts,
) -> Result<Vec<RawSheet>, ReadError> {
    let metas: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    for (name, hidden) in metas {
        match read_xlsx_sheet(&mut wb, &name, limits) {
            Ok((rows, formula_texts)) => {
                let mut sheet = RawSheet {
                    rows,
                    hidden,
                    formula_texts,
                    ..RawSheet::named(Some(name))
                };
                apply_facts(&mut sheet, &facts, limits);
                sheets.push(sheet);
            }
            Err(error) => sheets.push(RawSheet::failed(&name, error)),
        }
    }
    Ok(sheets)
}

fn read_xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    limits: &Limits,
) -> Result<(Vec<Vec<Cell>>, Vec<String>), ReadError> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok((Vec::new(), Vec::new())),
        Err(e) => {
            return Err(ReadError::Sheet {
                source: ReadError::cause(e),
            })
        }
    };
    let dim = reader.dimensions();
    check_dimension(dim.start, dim.end, limits)?;
    let mut grid = SheetGrid::new(limits);
    loop {
        let cell = match reader.next_cell_with_formula_metadata() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(ReadError::SheetDamaged {
                    source: ReadError::cause(e),
                })
            }
        };
        let formula = match &cell.formula {
            Some(calamine::XlsxFormulaMetadata::Normal { formula }) => Some(formula.as_str()),
            _ => None,
        };
        grid.add(cell.pos.0, cell.pos.1, convert_ref(&cell.value), formula)?;
    }
    Ok(grid.finish())
}

/// Refuses a sheet whose declared used range (0-based start and end) is beyond the
/// limits: an export gone wrong or a hostile file.
pub(crate) fn check_dimension(
    start: (u32, u32),
    end: (u32, u32),
    limits: &Limits,
) -> Result<(), ReadError> {
    let width = end.1.saturating_sub(start.1) as u64 + 1;
    let height = end.0.saturating_sub(start.0) as u64 + 1;
    if width > limits.max_columns as u64
        || width.saturating_mul(height) > limits.max_cells.saturating_mul(4)
    {
        return Err(ReadError::HugeDimension {
            range: format!(
                "{}{}:{}{}",
                crate::ingest::header::column_letter(start.1 as usize),
                start.0 + 1,
                crate::ingest::header::column_letter(end.1 as usize),
                end.0 + 1,
            ),
            columns: width,
            rows: height,
        });
    }
    Ok(())
}

fn convert_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.as_str().into()),
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::Int(i) => convert(&Data::Int(*i)),
        DataRef::Float(f) => convert(&Data::Float(*f)),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => convert(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.as_str().into()),
        DataRef::Error(e) => Cell::Error(e.to_string().into()),
    }
}

pub(crate) fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.as_str().into()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, da, h, mi, s, ms) = dt.to_ymd_hms_milli();
            chrono::NaiveDate::from_ymd_opt(y as i32, mo as u32, da as u32)
                .and_then(|date| date.and_hms_milli_opt(h as u32, mi as u32, s as u32, ms as u32))
                .map(Cell::DateTime)
                .unwrap_or(Cell::Number(dt.as_f64()))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => parse_datetime_text(s)
            .map(Cell::DateTime)
            .unwrap_or_else(|| Cell::Text(s.as_str().into())),
        Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Error(e.to_string().into()),
    }
}

/// Reads a whole file, refusing files over the size limit before reading them.
pub fn read_limited(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Open {
        source: ReadError::cause(e),
    })?;
    let limit = limits.max_file_mib * MIB;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size_mib: meta.len() / MIB,
            limit_mib: limits.max_file_mib,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| {
            if crate::platform::is_sharing_violation(&e) {
                ReadError::Locked
            } else {
                ReadError::Io {
                    source: ReadError::cause(e),
                }
            }
        })?;
    Ok(bytes)
}
