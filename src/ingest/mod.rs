//! Reading the input folder: which files there are, their bytes and hash, and their
//! sheets as rows of [`Cell`]s. Formats live in `excel`, `csv`, `html` (HTML tables
//! named .xls) and `xmlss` (Excel 2003 XML), found by content; header recognition in
//! `header` (and `known` for systems in the catalogue), value parsing in `value`.
//! Nothing here knows what a KPI is.

pub mod csv;
pub mod error;
pub mod evidence;
pub mod excel;
pub mod header;
pub mod html;
pub mod known;
pub mod markup;
pub mod packed;
pub mod profile;
mod rowstream;
pub mod sheet_xml;
pub mod value;
pub mod xlsx;
pub mod xmlss;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::Limits;
pub use error::ReadError;
pub use header::{HeaderMap, Recogniser, SheetFacts};
pub use value::{push_integer_text, Cell};

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
    /// Set when the rows below `rows` were handed to a [`RowSink`] as they were read
    /// and not kept: `rows` is then the sheet's first rows only (its header).
    pub streamed: Option<Streamed>,
}

impl RawSheet {
    pub fn failed(name: &str, error: ReadError) -> RawSheet {
        RawSheet {
            error: Some(error),
            ..RawSheet::named(Some(name.to_string()))
        }
    }

    /// An empty sheet of the given name (a sheet's facts, a window of a streamed sheet;
    /// readers fill in what they found).
    pub fn named(name: Option<String>) -> RawSheet {
        RawSheet {
            sheet: name,
            rows: Vec::new(),
            row_offset: 0,
            hidden: false,
            error: None,
            row_numbers: Vec::new(),
            formula_texts: Vec::new(),
            hidden_rows: Vec::new(),
            autofilter: false,
            merged: Vec::new(),
            streamed: None,
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
    let name = file_name(path);
    if name.starts_with('.') || name.starts_with("~$") {
        return FileType::Ignored;
    }
    let ext = extension(path);
    let stem = file_stem(path).to_lowercase();
    if name.eq_ignore_ascii_case("genomgang.toml") {
        return FileType::Config;
    }
    if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        return FileType::Spreadsheet;
    }
    match ext.as_str() {
        "csv" | "tsv" => FileType::Delimited,
        // Web pages and XML are read only when their content is a table or an Excel
        // 2003 XML spreadsheet: a saved page or a configuration file is not an export.
        "htm" | "html" | "xml" => match sniff_file(path) {
            Sniffed::Html | Sniffed::XmlSpreadsheet => FileType::Spreadsheet,
            Sniffed::Other => FileType::Ignored,
        },
        "md" | "markdown" if SECTION_FILES.contains(&section_key(&stem).as_str()) => {
            FileType::Section
        }
        "txt" if SECTION_FILES.contains(&section_key(&stem).as_str()) => FileType::Section,
        "txt" => FileType::Delimited,
        _ => FileType::Ignored,
    }
}

/// The file's name as Windows would show it: trailing spaces and dots removed (Windows
/// strips them, so "Risker.xlsx " and "Risker.xlsx." are Risker.xlsx to the user).
pub fn file_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let trimmed = name.trim_end_matches([' ', '.']);
    if trimmed.is_empty() {
        name
    } else {
        trimmed.to_string()
    }
}

/// True when the name on disk ends in spaces or dots that Windows would strip.
pub fn has_trailing_dot_or_space(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .is_some_and(|n| n != file_name(path))
}

/// The stem of [`file_name`]: "Risker" for "Risker.xlsx ".
pub fn file_stem(path: &Path) -> String {
    let name = file_name(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name,
    }
}

/// Section file stem without diacritics: "omvärld" → "omvarld".
/// What a file's first bytes say it is, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// An HTML document or fragment with a table.
    Html,
    /// An Excel 2003 XML spreadsheet.
    XmlSpreadsheet,
    Other,
}

/// How many bytes from the start are enough to tell a table page or an XML spreadsheet.
const SNIFF_BYTES: usize = 256 * 1024;

/// Sniffs markup from the first bytes (UTF-8, UTF-16 by BOM, or Windows-1252).
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Sniffed::Other;
    }
    // Most files sniffed are CSV: their first character says it, before the whole head
    // is decoded (an invalid byte is U+FFFD there, no markup either).
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 {
        let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
        let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        let first = head.utf8_chunks().find_map(|chunk| {
            match chunk.valid().chars().find(|c| !c.is_whitespace()) {
                Some(c) => Some(c),
                None => (!chunk.invalid().is_empty()).then_some(char::REPLACEMENT_CHARACTER),
            }
        });
        if first != Some('<') {
            return Sniffed::Other;
        }
    }
    let text = head_text(bytes);
    let start = text.trim_start();
    if !start.starts_with('<') {
        return Sniffed::Other;
    }
    if xmlss::looks_like_xml_spreadsheet(&text) {
        Sniffed::XmlSpreadsheet
    } else if html::looks_like_html(start) {
        Sniffed::Html
    } else {
        Sniffed::Other
    }
}

/// True when the first bytes hold a table (a page without one is not an export).
fn has_table(bytes: &[u8]) -> bool {
    head_text(bytes).to_ascii_lowercase().contains("<table")
}

/// The first [`SNIFF_BYTES`] as text: UTF-16 by its BOM, else UTF-8 (a BOM dropped) with
/// anything else replaced, which is enough to see markup.
fn head_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(rest) = head.strip_prefix(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0
    } else if let Some(rest) = head.strip_prefix(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0
    } else {
        String::from_utf8_lossy(head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head))
    }
}

/// Sniffs a file on disk by its first bytes; unreadable, or a web page without a
/// table, is `Other`.
fn sniff_file(path: &Path) -> Sniffed {
    use std::io::Read;
    let mut head = Vec::new();
    match std::fs::File::open(path) {
        Ok(f) => match f.take(SNIFF_BYTES as u64).read_to_end(&mut head) {
            Ok(_) => match sniff(&head) {
                Sniffed::Html if !has_table(&head) => Sniffed::Other,
                sniffed => sniffed,
            },
            Err(_) => Sniffed::Other,
        },
        Err(_) => Sniffed::Other,
    }
}

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

/// The lowercase extension of [`file_name`] (trailing spaces and dots ignored).
pub fn extension(path: &Path) -> String {
    let name = file_name(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_lowercase(),
        _ => String::new(),
    }
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
    /// Why a workbook with one sign of being genomgang's output was read all the same.
    pub output_doubt: Option<&'static str>,
}

/// Rows of a sheet held before it may stream: the configured number, but never fewer
/// than recognition looks at (the header search and the sample of rows under it), so a
/// streamed sheet is recognised as the whole sheet would be.
pub fn stream_head_rows(limits: &Limits) -> usize {
    limits
        .stream_after_rows
        .max(header::HEADER_SEARCH_ROWS + profile::SAMPLE_ROWS + 1)
}

/// Takes a long sheet's rows while the file is read, instead of keeping them: a list of
/// a million rows then never exists as cells (peak memory is the records, not the
/// sheet). The reader shows the hook a sheet's first rows once it has
/// [`Limits::stream_after_rows`](crate::config::Limits) of them; the hook recognises
/// them and either takes the rest through a [`RowSink`] or declines (the sheet is then
/// kept whole, as without a hook). The xlsx and CSV readers stream; the other formats
/// keep every sheet whole.
pub trait RowHook {
    /// `head`: the sheet's first rows (row 0 is sheet row 0); `rows_hint`: the rows the
    /// sheet says it has (its `<dimension>`, unchecked).
    fn begin(&mut self, head: &RawSheet, rows_hint: usize) -> Option<Box<dyn RowSink + '_>>;
}

/// Receives the rows of one sheet in windows, in order.
pub trait RowSink {
    /// The next rows: `window.rows[i]` is sheet row `window.row_offset + i` (0-based).
    /// The first window is the head given to [`RowHook::begin`].
    fn take(&mut self, window: &RawSheet) -> Result<(), StreamAbort>;
    /// The sheet is read. What only its end tells (hidden rows, formula texts) is on the
    /// sheet the reader returns; a sheet with merged ranges is read again whole.
    fn finish(self: Box<Self>) -> Result<Streamed, StreamAbort>;
}

/// The sink cannot give what reading the whole sheet would (a merged range, a column
/// whose date order depends on every row): the sheet is read again and kept whole.
#[derive(Debug)]
pub struct StreamAbort;

/// What a sink built from a streamed sheet, taken once by whoever loads the sheet.
#[derive(Clone)]
pub struct Streamed(std::sync::Arc<std::sync::Mutex<Option<Box<dyn std::any::Any + Send>>>>);

impl Streamed {
    pub fn new(built: Box<dyn std::any::Any + Send>) -> Streamed {
        Streamed(std::sync::Arc::new(std::sync::Mutex::new(Some(built))))
    }

    /// The built value, once; `None` when taken already or of another type.
    pub fn take<T: 'static>(&self) -> Option<T> {
        let mut slot = self.0.lock().ok()?;
        match slot.take()?.downcast::<T>() {
            Ok(built) => Some(*built),
            Err(other) => {
                *slot = Some(other);
                None
            }
        }
    }
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Streamed")
    }
}

/// The custom document property every workbook genomgang writes carries, so that an
/// output lying among the inputs is recognised by content, not by its name.
pub const OUTPUT_MARKER_PROPERTY: &str = "genomgang-utdata";

/// The sheets every review workbook genomgang writes has, whatever the inputs.
pub const REVIEW_SHEETS: [&str; 3] = ["Sammanfattning", "Datakvalitet", "Källor"];
/// The sheets every comparison workbook genomgang writes has.
pub const COMPARISON_SHEETS: [&str; 2] = ["Jämförelse", "Källor"];

/// What a workbook says about who wrote it: the output marker (a custom document
/// property) and the sheet layout of a review or a comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputSigns {
    /// The custom properties carry [`OUTPUT_MARKER_PROPERTY`].
    pub marker: bool,
    /// The sheets of a review ([`REVIEW_SHEETS`]) or a comparison ([`COMPARISON_SHEETS`]).
    pub layout: bool,
}

impl OutputSigns {
    /// Both signs: the workbook is genomgang's own output, never an export. One sign
    /// alone is not enough: a register saved from last year's review keeps the marker,
    /// and a register may have sheets named Källor and Datakvalitet.
    pub fn is_own_output(self) -> bool {
        self.marker && self.layout
    }

    /// Why a workbook with only one of the signs was still read, in Swedish.
    pub fn doubt(self) -> Option<&'static str> {
        match (self.marker, self.layout) {
            (true, false) => Some("arbetsboken bär genomgangs markering för utdata men har inte en genomgångs eller jämförelses blad; den lästes som underlag"),
            (false, true) => Some("arbetsboken har blad som en genomgång (Sammanfattning, Datakvalitet, Källor) men saknar genomgangs markering för utdata; den lästes som underlag"),
            _ => None,
        }
    }
}

/// The signs of [`OutputSigns`] in a workbook's bytes and sheets.
pub fn output_signs(bytes: &[u8], sheets: &[RawSheet]) -> OutputSigns {
    let names: Vec<&str> = sheets.iter().filter_map(|s| s.sheet.as_deref()).collect();
    let has_all = |wanted: &[&str]| wanted.iter().all(|w| names.contains(w));
    OutputSigns {
        marker: has_output_marker(bytes),
        layout: has_all(&REVIEW_SHEETS) || has_all(&COMPARISON_SHEETS),
    }
}

/// True when a workbook is one genomgang wrote (a review or a comparison): it carries
/// the output marker AND has the sheets of one. The single test of "our own output".
pub fn is_own_output(bytes: &[u8], sheets: &[RawSheet]) -> bool {
    output_signs(bytes, sheets).is_own_output()
}

/// The custom document properties carry [`OUTPUT_MARKER_PROPERTY`].
fn has_output_marker(bytes: &[u8]) -> bool {
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
    read_file_with(path, limits, None)
}

/// As [`read_file`], handing long sheets' rows to `hook` as they are read.
pub fn read_file_with(
    path: &Path,
    limits: &Limits,
    hook: Option<&mut dyn RowHook>,
) -> Result<ReadFile, (ReadError, Option<String>)> {
    let bytes = excel::read_limited(path, limits).map_err(|e| (e, None))?;
    read_bytes_with(bytes, &extension(path), limits, hook)
}

/// Reads a file's bytes as the format its extension names (the fuzzing entry point).
pub fn read_bytes(
    bytes: Vec<u8>,
    ext: &str,
    limits: &Limits,
) -> Result<ReadFile, (ReadError, Option<String>)> {
    read_bytes_with(bytes, ext, limits, None)
}

/// As [`read_bytes`], handing long sheets' rows to `hook` as they are read.
pub fn read_bytes_with(
    bytes: Vec<u8>,
    ext: &str,
    limits: &Limits,
    hook: Option<&mut dyn RowHook>,
) -> Result<ReadFile, (ReadError, Option<String>)> {
    let sha = sha256_hex(&bytes);
    let ext = ext.to_lowercase();
    let limits = limits.clone();
    // A panic in the hook (recognising, typing rows) is this file's error like a
    // panic in a reader; nothing it built has reached the unit's inputs.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        move || -> Result<(Vec<RawSheet>, String, OutputSigns), ReadError> {
            let sniffed = sniff(&bytes);
            if sniffed != Sniffed::Other {
                let (text, enc) = csv::decode(&bytes)?;
                let (sheets, what) = match sniffed {
                    Sniffed::Html => (html::read_html(&text, &limits)?, "HTML-tabell"),
                    _ => (
                        xmlss::read_xml_spreadsheet(&text, &limits)?,
                        "XML-kalkylblad (Excel 2003)",
                    ),
                };
                let named = if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
                    format!("filen heter .{ext} men är en {what}; läst som tabell")
                } else {
                    what.to_string()
                };
                return Ok((
                    sheets,
                    format!("{named}, {}", enc.label()),
                    OutputSigns::default(),
                ));
            }
            if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
                let sheets = excel::read_workbook_with(&bytes, &ext, &limits, hook)?;
                let signs = output_signs(&bytes, &sheets);
                Ok((sheets, String::new(), signs))
            } else {
                let (sheet, enc, delim) = csv::read_delimited_with(&bytes, &limits, hook)?;
                Ok((
                    vec![sheet],
                    format!("{}, {}", enc.label(), csv::delimiter_label(delim)),
                    OutputSigns::default(),
                ))
            }
        },
    ));
    match outcome {
        Ok(Ok((sheets, format_note, signs))) => Ok(ReadFile {
            sheets,
            sha256: sha,
            format_note,
            own_output: signs.is_own_output(),
            output_doubt: signs.doubt(),
        }),
        Ok(Err(message)) => Err((message, Some(sha))),
        Err(_) => Err((ReadError::ReaderPanicked, Some(sha))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first-character look of `sniff` says what decoding the whole head said, on
    /// heads of every kind: BOMs, Unicode spaces, Windows-1252 bytes, markup or none.
    #[test]
    fn sniffing_by_the_first_character_agrees_with_the_decoded_head() {
        fn decoded(bytes: &[u8]) -> Sniffed {
            if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
                return Sniffed::Other;
            }
            let text = head_text(bytes);
            let start = text.trim_start();
            if !start.starts_with('<') {
                Sniffed::Other
            } else if xmlss::looks_like_xml_spreadsheet(&text) {
                Sniffed::XmlSpreadsheet
            } else if html::looks_like_html(start) {
                Sniffed::Html
            } else {
                Sniffed::Other
            }
        }
        let starts: [&[u8]; 9] = [
            b"",
            &[0xEF, 0xBB, 0xBF],
            &[0xFF, 0xFE],
            b" \t\r\n",
            "\u{a0}\u{2003}".as_bytes(),
            &[0xE5, 0xE4],
            &[0xC2],
            "\u{feff}".as_bytes(),
            b"x",
        ];
        let bodies: [&[u8]; 6] = [
            b"<table><tr><td>Namn</td></tr></table>",
            b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet/></Workbook>",
            b"Namn;Enhet\n\xc5sa;\xc4ldre\n",
            "<html><body><table><tr><td>Åsa</td></tr></table></body></html>".as_bytes(),
            b"<p>ingen tabell</p>",
            &[0x3C, 0x00, 0x74, 0x00],
        ];
        for a in starts {
            for b in starts {
                for body in bodies {
                    let bytes = [a, b, body].concat();
                    assert_eq!(sniff(&bytes), decoded(&bytes), "{bytes:?}");
                }
            }
        }
    }
}
