//! Delimited text (.csv, .txt): the encoding (UTF-8 with or without BOM, UTF-16 LE/BE
//! with BOM as Excel's "Unicode text" writes it, else Windows-1252) and the delimiter
//! (`;`, `,` or tab) are detected from the content, never assumed.

use std::borrow::Cow;
use std::sync::Arc;

use crate::config::Limits;
use crate::fasthash::FxHashSet;
use crate::ingest::error::ReadError;
use crate::ingest::rowstream::{Ending as RowEnding, HeldRows, RowStream};
use crate::ingest::value::Cell;
use crate::ingest::RawSheet;

/// Which text encoding a file was in, for the Källor sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
    /// Windows-1252 lines with UTF-8 lines appended (an export extended by another
    /// tool): each line decoded in its own encoding.
    Mixed,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 med BOM",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Mixed => {
                "Windows-1252 och UTF-8 blandat (raderna avkodades var för sig; kontrollera å, ä och ö)"
            }
        }
    }
}

/// Decodes bytes as UTF-16 (by its BOM), UTF-8 (BOM stripped) or Windows-1252.
/// Refuses binary data, and UTF-16 with an odd byte or half a character.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    for (bom, codec, encoding) in [
        ([0xFF, 0xFE], encoding_rs::UTF_16LE, Encoding::Utf16Le),
        ([0xFE, 0xFF], encoding_rs::UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            let (text, had_errors) = codec.decode_without_bom_handling(rest);
            if had_errors || rest.len() % 2 == 1 {
                return Err(ReadError::BadUtf16);
            }
            return Ok((Cow::Owned(text.into_owned()), encoding));
        }
    }
    if let Some((codec, encoding)) = utf16_without_bom(bytes) {
        let (text, had_errors) = codec.decode_without_bom_handling(bytes);
        if had_errors || bytes.len() % 2 == 1 {
            return Err(ReadError::BadUtf16);
        }
        return Ok((Cow::Owned(text.into_owned()), encoding));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), Encoding::Utf8Bom)),
            Err(_) => Err(ReadError::BadUtf8AfterBom),
        };
    }
    // Binary data has NUL bytes or many control characters; one stray control
    // character in a text export (a pasted tab stop, a form feed) is not binary.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if sample.contains(&0) || controls > 8 && controls * 100 > sample.len() {
        return Err(ReadError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), Encoding::Utf8)),
        Err(_) => {
            if let Some(text) = decode_mixed(bytes) {
                return Ok((Cow::Owned(text), Encoding::Mixed));
            }
            let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
            if had_errors {
                return Err(ReadError::UnknownEncoding);
            }
            Ok((text, Encoding::Windows1252))
        }
    }
}

/// UTF-16 saved without a BOM: text whose every other byte is zero (ASCII and Latin
/// letters, å, ä and ö included, have a zero high byte). Binary data does not look so.
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, Encoding)> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 9 && even * 20 <= pairs {
        Some((encoding_rs::UTF_16LE, Encoding::Utf16Le))
    } else if even * 10 >= pairs * 9 && odd * 20 <= pairs {
        Some((encoding_rs::UTF_16BE, Encoding::Utf16Be))
    } else {
        None
    }
}

/// Decodes line by line when some lines are UTF-8 with letters beyond ASCII and others
/// are not UTF-8 at all: `None` unless both kinds are present.
fn decode_mixed(bytes: &[u8]) -> Option<String> {
    let mut utf8_lines = 0;
    let mut other_lines = 0;
    for line in bytes.split(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) if !s.is_ascii() => utf8_lines += 1,
            Ok(_) => {}
            Err(_) => other_lines += 1,
        }
    }
    if utf8_lines == 0 || other_lines == 0 {
        return None;
    }
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(s) => out.push_str(s),
            Err(_) => out.push_str(
                &encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(line)
                    .0,
            ),
        }
    }
    Some(out)
}

/// The delimiter whose count per line is most consistent over the first lines.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b';', 0usize, 0usize);
    for delim in [b';', b'\t', b','] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, delim))
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        if max == 0 {
            continue;
        }
        // Lines that hold the most common non-zero count: the header and data rows.
        let mut freq = std::collections::BTreeMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let (mode, agree) = freq
            .into_iter()
            .max_by_key(|(c, n)| (*n, *c))
            .unwrap_or((0, 0));
        if (agree, mode) > (best.1, best.2) {
            best = (delim, agree, mode);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delim: u8) -> usize {
    let mut inside = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            inside = !inside;
        } else if b == delim && !inside {
            n += 1;
        }
    }
    n
}

/// Reads a delimited text file into one sheet. `None` when the text is prose, not a table.
pub fn read_delimited(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(RawSheet, Encoding, u8), ReadError> {
    read_delimited_with(bytes, limits, None)
}

/// Distinct texts shared per column (a list repeats its courses, statuses and units on
/// every row): one allocation each, and the readers' per-text memos find them by
/// pointer. A column of unique values stops being remembered at this many.
const SHARED_TEXTS_PER_COLUMN: usize = 4096;

/// As [`read_delimited`]; a file longer than [`crate::ingest::stream_head_rows`] is
/// shown to `hook`, which may take its rows as they are read (see [`RowHook`]).
pub fn read_delimited_with(
    bytes: &[u8],
    limits: &Limits,
    hook: Option<&mut dyn crate::ingest::RowHook>,
) -> Result<(RawSheet, Encoding, u8), ReadError> {
    let head_rows = crate::ingest::stream_head_rows(limits);
    let mut streaming = RowStream::new(hook);
    let named = RawSheet::named(None);
    let (text, encoding) = decode(bytes)?;
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut held = HeldRows::default();
    let mut shared: Vec<FxHashSet<Arc<str>>> = Vec::new();
    let mut cells_total: u64 = 0;
    // One record reused for every line (`records()` allocates two buffers per line).
    let mut record = csv::StringRecord::new();
    for i in 0.. {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ReadError::CsvSyntax {
                line: i + 1,
                source: ReadError::cause(e),
            })?;
        if !more {
            break;
        }
        if record.len() > limits.max_columns {
            return Err(ReadError::CsvTooManyColumns {
                line: i + 1,
                columns: record.len(),
                limit: limits.max_columns,
            });
        }
        cells_total += record.len() as u64;
        if cells_total > limits.max_cells {
            return Err(ReadError::CsvTooManyCells {
                limit: limits.max_cells,
            });
        }
        // Blank lines are skipped by the parser; pad so row numbers stay the file's lines.
        // (The reported position is where the parser started, before any blank lines.)
        let line = record
            .position()
            .map(|p| {
                let skipped = text
                    .as_bytes()
                    .get(p.byte() as usize..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .filter(|b| **b == b'\n')
                    .count();
                p.line() as usize + skipped
            })
            .unwrap_or(held.base + held.rows.len() + 1);
        while held.base + held.rows.len() + 1 < line {
            held.rows.push(Vec::new());
        }
        if shared.len() < record.len() {
            shared.resize_with(record.len(), FxHashSet::default);
        }
        let mut cells = HeldRows::reused_row(&mut held.spare, record.len());
        for (f, known) in record.iter().zip(shared.iter_mut()) {
            cells.push(if f.trim().is_empty() {
                Cell::Empty
            } else if let Some(text) = known.get(f) {
                Cell::Text(Arc::clone(text))
            } else {
                let text: Arc<str> = f.into();
                if known.len() < SHARED_TEXTS_PER_COLUMN {
                    known.insert(Arc::clone(&text));
                }
                Cell::Text(text)
            });
        }
        while matches!(cells.last(), Some(Cell::Empty)) {
            cells.pop();
        }
        held.rows.push(cells);
        if !streaming.after_row(&mut held, &named, head_rows, 0) {
            // The sink gave up: the file is read again and kept whole.
            return read_delimited_with(bytes, limits, None);
        }
    }
    let mut sheet = match streaming.finish(held, named, false) {
        RowEnding::Kept(sheet) => sheet,
        RowEnding::Streamed(sheet) => return Ok((sheet, encoding, delimiter)),
        RowEnding::ReadAgain => return read_delimited_with(bytes, limits, None),
    };
    while matches!(sheet.rows.last(), Some(r) if r.is_empty()) {
        sheet.rows.pop();
    }
    Ok((sheet, encoding, delimiter))
}

pub fn delimiter_label(d: u8) -> &'static str {
    match d {
        b';' => "semikolon",
        b',' => "komma",
        b'\t' => "tabb",
        _ => "okänd",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Namn;Enhet\nÅsa;Äldreomsorg\n");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Windows1252);
        assert!(text.contains("Åsa;Äldreomsorg"));
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("Åtgärd,Status\n".as_bytes());
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Utf8Bom);
        assert!(text.starts_with("Åtgärd"));
    }

    #[test]
    fn windows_1252_with_utf8_rows_appended_is_decoded_per_line() {
        let (start, _, _) = encoding_rs::WINDOWS_1252.encode("Namn;Enhet\nÅsa;Förskola\n");
        let mut bytes = start.into_owned();
        bytes.extend_from_slice("Örjan;Förskola\n".as_bytes());
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Mixed);
        assert_eq!(text, "Namn;Enhet\nÅsa;Förskola\nÖrjan;Förskola\n");
    }

    #[test]
    fn one_control_character_is_not_binary() {
        let (text, _) = decode(b"Risk;Status\nA\x0b;Klar\n").unwrap();
        assert!(text.contains("Klar"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(&[0x00, 0x01, 0x02, 0x41]).is_err());
        // UTF-16 with an odd byte, or half a surrogate pair.
        assert!(decode(&[0xFF, 0xFE, 0x41, 0x00, 0x42]).is_err());
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).is_err());
    }

    #[test]
    fn utf16_with_tabs_as_excel_writes_unicode_text() {
        let text = "Namn\tEnhet\tSlutförd\r\nÅsa Öberg\tÄldreomsorg\t2025-03-14\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        // Saved without a BOM, it is still told from binary data by its zero bytes.
        let bomless = le[2..].to_vec();
        for (bytes, want) in [
            (le, Encoding::Utf16Le),
            (be, Encoding::Utf16Be),
            (bomless, Encoding::Utf16Le),
        ] {
            let (sheet, enc, delim) = read_delimited(&bytes, &Limits::default()).unwrap();
            assert_eq!((enc, delim), (want, b'\t'));
            assert_eq!(sheet.rows[1][0], Cell::Text("Åsa Öberg".into()));
            assert_eq!(sheet.rows[1][1], Cell::Text("Äldreomsorg".into()));
        }
    }

    #[test]
    fn delimiter_from_content() {
        assert_eq!(detect_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        // Decimal commas inside a semicolon file do not fool it.
        assert_eq!(detect_delimiter("Risk;Värde\nA;3,5\nB;2,0\nC;1,5\n"), b';');
        assert_eq!(detect_delimiter("\"a;x\",b,c\n\"1;y\",2,3\n"), b',');
    }

    #[test]
    fn quoted_fields_with_newlines() {
        let text = "Åtgärd,Status\n\"Rad ett\nrad två\",Klar\n";
        let (sheet, _, d) = read_delimited(text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(d, b',');
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1][0], Cell::Text("Rad ett\nrad två".into()));
    }
}
