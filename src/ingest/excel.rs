//! Spreadsheet files (.xlsx .xlsm .xls .xlsb .ods) through calamine, with the checks
//! that keep a broken or hostile file from taking the run down: the container is
//! sniffed before parsing, zip entries' declared sizes are checked against the limits,
//! and a sheet whose used range is absurd is refused.

use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

use crate::config::Limits;
use crate::ingest::value::{parse_datetime_text, Cell};
use crate::ingest::RawSheet;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads every worksheet of a spreadsheet file held in memory.
pub fn read_workbook(
    bytes: &[u8],
    extension: &str,
    limits: &Limits,
) -> Result<Vec<RawSheet>, String> {
    if bytes.is_empty() {
        return Err("filen är tom (0 byte). Exportera den igen".to_string());
    }
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    let is_ole = bytes.starts_with(OLE_MAGIC);
    if is_ole && matches!(extension, "xlsx" | "xlsm" | "xlsb") && looks_encrypted(bytes) {
        return Err(password_message());
    }
    if !is_zip && !is_ole {
        return Err(if looks_like_text(bytes) {
            format!("filen heter .{extension} men är en textfil, inte ett kalkylark. Om den är en CSV-export: byt filändelse till .csv; annars öppna den i Excel och spara som .xlsx")
        } else {
            format!("filen är inget läsbart kalkylark (varken Excel- eller OpenDocument-format), trots filändelsen .{extension}. Den kan vara skadad: exportera den igen")
        });
    }
    if is_zip {
        check_zip_sizes(bytes, limits)?;
    }
    let cursor = Cursor::new(bytes);
    if is_ole {
        calamine::open_workbook_from_rs::<Xls<_>, _>(cursor)
            .map_err(|e| match e {
                calamine::XlsError::Password => password_message(),
                other => damaged(&other.to_string()),
            })
            .and_then(|wb| collect(wb, limits))
    } else if is_ods(bytes) {
        calamine::open_workbook_from_rs::<Ods<_>, _>(cursor)
            .map_err(|e| damaged(&e.to_string()))
            .and_then(|wb| collect(wb, limits))
    } else if extension == "xlsb" {
        calamine::open_workbook_from_rs::<Xlsb<_>, _>(cursor)
            .map_err(|e| damaged(&e.to_string()))
            .and_then(|wb| collect(wb, limits))
    } else {
        calamine::open_workbook_from_rs::<Xlsx<_>, _>(cursor)
            .map_err(|e| match e {
                calamine::XlsxError::Password => password_message(),
                other => damaged(&other.to_string()),
            })
            .and_then(|wb| collect_xlsx(wb, limits))
    }
}

fn password_message() -> String {
    "arbetsboken är lösenordsskyddad — spara en kopia utan lösenord och lägg den i mappen"
        .to_string()
}

fn damaged(detail: &str) -> String {
    format!("filen kunde inte läsas som kalkylark; den verkar skadad eller ofullständig ({detail}). Öppna den i Excel och spara om den, eller exportera den igen")
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
fn check_zip_sizes(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!("filen är en trasig zip-behållare ({e}); den är troligen avbruten mitt i kopieringen. Exportera den igen")
    })?;
    let limit = limits.max_unpacked_mib * 1024 * 1024;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| damaged(&e.to_string()))?;
        let size = entry.size();
        let entry_name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        if size > limit || total > limit.saturating_mul(2) {
            return Err(format!(
                "filen packas upp till mer än {} MiB ({} i \"{}\") och läses inte, för att skydda datorns minne. Är filen verkligen en export? Gränsen ändras med limits.max_unpacked_mib i genomgang.toml",
                limits.max_unpacked_mib,
                human_size(size.max(total)),
                entry_name
            ));
        }
        // A compressed part that inflates far beyond its declared size is cut off here.
        if entry_name.starts_with("xl/worksheets/") || entry_name == "content.xml" {
            drop(entry);
            let mut part = archive.by_index(i).map_err(|e| damaged(&e.to_string()))?;
            let mut sink = std::io::sink();
            let read = std::io::copy(&mut (&mut part).take(limit + 1), &mut sink).map_err(|e| {
                if e.to_string().contains("larger than its declared") {
                    "en del av filen packas upp till mer än den uppger (möjlig zip-bomb) och läses inte, för att skydda datorns minne. Exportera filen igen från källsystemet".to_string()
                } else {
                    damaged(&e.to_string())
                }
            })?;
            if read > limit {
                return Err(format!(
                    "en del av filen packas upp till mer än {} MiB och läses inte, för att skydda datorns minne (möjlig zip-bomb). Gränsen ändras med limits.max_unpacked_mib i genomgang.toml",
                    limits.max_unpacked_mib
                ));
            }
        }
    }
    Ok(())
}

fn human_size(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / 1024.0 / 1024.0)
}

fn collect<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    mut wb: R,
    limits: &Limits,
) -> Result<Vec<RawSheet>, String>
where
    R::Error: std::fmt::Display,
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
                    format!("bladet kunde inte läsas ({e})"),
                ));
                continue;
            }
        };
        let (height, width) = range.get_size();
        if width > limits.max_columns {
            sheets.push(RawSheet::failed(
                &name,
                format!("bladet har {width} kolumner, fler än gränsen {} (limits.max_columns); en export har sällan fler än några tiotal. Ta bort tomma kolumner och spara om", limits.max_columns),
            ));
            continue;
        }
        if (height as u64).saturating_mul(width as u64) > limits.max_cells {
            sheets.push(RawSheet::failed(
                &name,
                format!("bladet har {} celler, fler än gränsen {} (limits.max_cells). Dela upp filen eller höj gränsen", height as u64 * width as u64, limits.max_cells),
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
        sheets.push(RawSheet {
            sheet: Some(name),
            rows,
            row_offset: row0,
            hidden,
            error: None,
            row_numbers: Vec::new(),
        });
    }
    Ok(sheets)
}

/// Reads xlsx sheets cell by cell, so a sheet whose dimension or stray cell claims the
/// whole grid (A1:XFD1048576) costs only the cells it really has.
fn collect_xlsx<RS: std::io::Read + std::io::Seek>(
    mut wb: Xlsx<RS>,
    limits: &Limits,
) -> Result<Vec<RawSheet>, String> {
    let metas: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    for (name, hidden) in metas {
        match read_xlsx_sheet(&mut wb, &name, limits) {
            Ok(rows) => sheets.push(RawSheet {
                sheet: Some(name),
                rows,
                row_offset: 0,
                hidden,
                error: None,
                row_numbers: Vec::new(),
            }),
            Err(message) => sheets.push(RawSheet::failed(&name, message)),
        }
    }
    Ok(sheets)
}

fn read_xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Vec<Cell>>, String> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(format!("bladet kunde inte läsas ({e})")),
    };
    // A declared used range beyond the limits means an export gone wrong or a hostile file.
    let dim = reader.dimensions();
    let width = dim.end.1.saturating_sub(dim.start.1) as u64 + 1;
    let height = dim.end.0.saturating_sub(dim.start.0) as u64 + 1;
    if width > limits.max_columns as u64
        || width.saturating_mul(height) > limits.max_cells.saturating_mul(4)
    {
        return Err(format!(
            "bladet anger att det omfattar {}{}:{}{} ({} kolumner × {} rader), långt mer än en export brukar; det läses inte för att skydda datorns minne. Kopiera de använda cellerna till en ny arbetsbok och spara den",
            crate::ingest::header::column_letter(dim.start.1 as usize),
            dim.start.0 + 1,
            crate::ingest::header::column_letter(dim.end.1 as usize),
            dim.end.0 + 1,
            width,
            height
        ));
    }
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut count: u64 = 0;
    const MAX_ROWS: u32 = 1_048_576;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(format!(
                    "bladet kunde inte läsas; filen verkar skadad ({e})"
                ))
            }
        };
        let value = convert_ref(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        if col as usize >= limits.max_columns {
            return Err(format!(
                "bladet har värden i kolumn {}, bortom gränsen {} kolumner (limits.max_columns). Ta bort innehållet långt till höger och spara om",
                crate::ingest::header::column_letter(col as usize),
                limits.max_columns
            ));
        }
        count += 1;
        if count > limits.max_cells || row >= MAX_ROWS {
            return Err(format!("bladet har fler än {} ifyllda celler (limits.max_cells). Dela upp filen eller höj gränsen", limits.max_cells));
        }
        let (row, col) = (row as usize, col as usize);
        if rows.len() <= row {
            // Cells come row by row: the finished row gives back its spare capacity,
            // which on a sheet of many short rows is a third of its memory.
            if let Some(done) = rows.last_mut() {
                done.shrink_to_fit();
            }
            rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut rows[row];
        if cells.len() <= col {
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = value;
    }
    Ok(rows)
}

fn convert_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => convert(&Data::Int(*i)),
        DataRef::Float(f) => convert(&Data::Float(*f)),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => convert(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
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
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// Reads a whole file, refusing files over the size limit before reading them.
pub fn read_limited(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("filen kunde inte öppnas ({e})"))?;
    let limit = limits.max_file_mib * 1024 * 1024;
    if meta.len() > limit {
        return Err(format!(
            "filen är {} stor, större än gränsen {} MiB (limits.max_file_mib). Exportera bara det år som behövs, eller höj gränsen",
            human_size(meta.len()),
            limits.max_file_mib
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| crate::platform::read_error(&e))?;
    Ok(bytes)
}
