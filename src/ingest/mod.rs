//! Reading the input folder: which files there are, their bytes and hash, and their
//! sheets as rows of [`Cell`]s. Formats live in `excel` and `csv`, header recognition in
//! `header`, value parsing in `value`. Nothing here knows what a KPI is.

pub mod csv;
pub mod error;
pub mod evidence;
pub mod excel;
pub mod header;
pub mod profile;
pub mod sheet_xml;
pub mod value;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::Limits;
pub use error::ReadError;
pub use header::{HeaderMap, Recogniser, SheetFacts};
pub use value::Cell;

/// One sheet of a workbook, or a whole CSV file, as rows of cells.
#[derive(Debug, Clone)]
pub struct RawSheet {
    /// Sheet name; `None` for CSV.
    pub sheet: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    /// 0-based sheet row of `rows[0]` (calamine skips leading empty rows).
    pub row_offset: u32,
    pub hidden: bool,
    /// Why this sheet could not be read, if it could not.
    pub error: Option<ReadError>,
    /// Explicit 1-based row numbers per index, for a sheet cut out of a larger one
    /// (a city-wide file split by förvaltning). Empty: rows are consecutive.
    pub row_numbers: Vec<u32>,
    /// Cells (e.g. "B4") that hold a formula without a saved value, read as the text
    /// the user typed ("=Namn"): files written by scripts store text starting with "="
    /// that way.
    pub formula_texts: Vec<String>,
    /// 1-based rows Excel hides (by an autofilter or by hand), sorted. They are data
    /// like any other row; the review says that they were counted.
    pub hidden_rows: Vec<u32>,
    /// The sheet has an autofilter (hidden rows are then most likely filtered out).
    pub autofilter: bool,
    /// Merged cells whose value was spread down over the rows of their range.
    pub merged: Vec<sheet_xml::MergeSpread>,
}

impl RawSheet {
    pub fn failed(name: &str, error: ReadError) -> RawSheet {
        RawSheet {
            sheet: Some(name.to_string()),
            rows: Vec::new(),
            row_offset: 0,
            hidden: false,
            error: Some(error),
            row_numbers: Vec::new(),
            formula_texts: Vec::new(),
            hidden_rows: Vec::new(),
            autofilter: false,
            merged: Vec::new(),
        }
    }

    /// The row number the user sees in Excel (1-based) for an index into `rows`.
    pub fn excel_row(&self, index: usize) -> u32 {
        match self.row_numbers.get(index) {
            Some(n) => *n,
            None => self.row_offset + index as u32 + 1,
        }
    }
}

/// What one input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Spreadsheet,
    Delimited,
    /// A Markdown or text section for the report text.
    Section,
    Config,
    Ignored,
}

/// Spreadsheet extensions read with calamine.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Text section files that replace a default part of the report text.
pub const SECTION_FILES: [&str; 8] = [
    "inledning",
    "omvarld",
    "sverige-eu",
    "staden",
    "handelser",
    "risker",
    "prioriteringar",
    "intressenter",
];

pub fn file_type(path: &Path) -> FileType {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.starts_with("~$") {
        return FileType::Ignored;
    }
    let ext = extension(path);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_lowercase();
    if name.eq_ignore_ascii_case("genomgang.toml") {
        return FileType::Config;
    }
    if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        return FileType::Spreadsheet;
    }
    match ext.as_str() {
        "csv" | "tsv" => FileType::Delimited,
        "md" | "markdown" if SECTION_FILES.contains(&section_key(&stem).as_str()) => {
            FileType::Section
        }
        "txt" if SECTION_FILES.contains(&section_key(&stem).as_str()) => FileType::Section,
        "txt" => FileType::Delimited,
        _ => FileType::Ignored,
    }
}

/// Section file stem without diacritics: "omvärld" → "omvarld".
pub fn section_key(stem: &str) -> String {
    stem.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            ' ' | '_' => '-',
            c => c,
        })
        .collect()
}

pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}

/// Files directly in a folder, sorted by name so every run reads them in the same order.
/// Lock files, system files and empty OneDrive placeholders are left out without a word.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && !crate::platform::skipped_silently(p))
        .collect();
    files.sort();
    Ok(files)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file read into sheets, with what the Källor sheet needs to know about it.
pub struct ReadFile {
    pub sheets: Vec<RawSheet>,
    pub sha256: String,
    /// E.g. "Windows-1252, semikolon" for CSV.
    pub format_note: String,
    /// The file is a workbook genomgang wrote (a review or a comparison), not an export.
    pub own_output: bool,
}

/// The custom document property every workbook genomgang writes carries, so that an
/// output lying among the inputs is recognised by content, not by its name.
pub const OUTPUT_MARKER_PROPERTY: &str = "genomgang-utdata";

/// True when a workbook is one genomgang wrote: its custom properties carry
/// [`OUTPUT_MARKER_PROPERTY`], or (for workbooks written before the marker) it has
/// the review's account sheets, Datakvalitet and Källor, together.
pub fn is_own_output(bytes: &[u8], sheets: &[RawSheet]) -> bool {
    let names: Vec<&str> = sheets.iter().filter_map(|s| s.sheet.as_deref()).collect();
    if names.contains(&"Datakvalitet") && names.contains(&"Källor") {
        return true;
    }
    if !bytes.starts_with(b"PK") {
        return false;
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let Ok(part) = zip.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut text = String::new();
    use std::io::Read;
    part.take(64 * 1024).read_to_string(&mut text).is_ok() && text.contains(OUTPUT_MARKER_PROPERTY)
}

/// Reads one input file. Never panics: a reader that panics on a malformed file is
/// caught and reported as an unreadable file.
pub fn read_file(path: &Path, limits: &Limits) -> Result<ReadFile, (ReadError, Option<String>)> {
    let bytes = excel::read_limited(path, limits).map_err(|e| (e, None))?;
    read_bytes(bytes, &extension(path), limits)
}

/// Reads a file's bytes as the format its extension names (the fuzzing entry point).
pub fn read_bytes(
    bytes: Vec<u8>,
    ext: &str,
    limits: &Limits,
) -> Result<ReadFile, (ReadError, Option<String>)> {
    let sha = sha256_hex(&bytes);
    let ext = ext.to_lowercase();
    let limits = limits.clone();
    let outcome = std::panic::catch_unwind(
        move || -> Result<(Vec<RawSheet>, String, bool), ReadError> {
            if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
                let sheets = excel::read_workbook(&bytes, &ext, &limits)?;
                let own = is_own_output(&bytes, &sheets);
                Ok((sheets, String::new(), own))
            } else {
                let (sheet, enc, delim) = csv::read_delimited(&bytes, &limits)?;
                Ok((
                    vec![sheet],
                    format!("{}, {}", enc.label(), csv::delimiter_label(delim)),
                    false,
                ))
            }
        },
    );
    match outcome {
        Ok(Ok((sheets, format_note, own_output))) => Ok(ReadFile {
            sheets,
            sha256: sha,
            format_note,
            own_output,
        }),
        Ok(Err(message)) => Err((message, Some(sha))),
        Err(_) => Err((ReadError::ReaderPanicked, Some(sha))),
    }
}
