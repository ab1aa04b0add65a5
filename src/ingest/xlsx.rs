//! Our own reader of .xlsx/.xlsm workbooks held in memory: one pass over each worksheet
//! part, inflated in chunks, yielding the same [`RawSheet`]s as calamine's cell reader
//! did (`excel::read_xlsx_with_calamine`, kept as the fallback and the reference of the
//! equivalence test).
//!
//! Why: calamine parses each cell through quick_xml events and allocates per cell, and
//! the zip-bomb check had to inflate every worksheet a first time only to count its bytes
//! and find hidden rows and merges. Here each part is inflated once: its bytes are counted
//! against the limits as they come (a zip bomb is refused as before), and cells, hidden
//! rows, the autofilter and merged ranges are collected from the same chunks.
//!
//! How, in reading order:
//! 1. [`Package`]: the zip, parts found by name case-insensitively; [`PartReader`]
//!    inflates one part, counting bytes and checking its CRC.
//! 2. [`Workbook::open`]: `_rels/.rels`, `xl/workbook.xml` (+ rels) for sheet names, order,
//!    state and the 1904 flag; `styles.xml` for which cell styles are dates;
//!    `sharedStrings.xml`, read once into `Arc<str>`s that cells share.
//! 3. [`Workbook::read_sheet`]: the worksheet XML, scanned with memchr: tags are found by
//!    `<` and `>`, names compared without namespace prefix (`<x:c>` from .NET). Each
//!    inflated chunk also goes through `sheet_xml::PartScanner` (a few memmem searches)
//!    for hidden rows, the autofilter and merged ranges.
//!
//! The reader copies calamine 0.38's decisions where they matter for values (which
//! number formats are dates, `_xHHHH_` escapes, trimming of shared strings, positions of
//! cells without `r`). Whatever it meets that it does not handle (an unusual encoding,
//! markup inside a value, a damaged part) is [`Failure::NotUnderstood`]: the caller then
//! reads the file through calamine, which gives today's result, error included.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use memchr::{memchr, memchr3};

use crate::config::Limits;
use crate::ingest::error::ReadError;
use crate::ingest::rowstream::{Ending, HeldRows, RowStream};
use crate::ingest::sheet_xml::{self, PartScanner};
use crate::ingest::value::Cell;
use crate::ingest::{RawSheet, RowHook};

/// Why [`read`] gave no sheets.
#[derive(Debug)]
pub enum Failure {
    /// A real problem, reported to the user as before (a zip bomb).
    Read(ReadError),
    /// Something this reader does not handle; read the file through calamine instead.
    NotUnderstood(&'static str),
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Self {
        Failure::Read(e)
    }
}

type Result<T> = std::result::Result<T, Failure>;

fn not_understood<T>(why: &'static str) -> Result<T> {
    Err(Failure::NotUnderstood(why))
}

const MIB: u64 = 1024 * 1024;
/// Inflated bytes asked for at a time.
const CHUNK: usize = 256 * 1024;
/// Excel's last row.
const MAX_ROWS: u32 = 1_048_576;

/// Reads every worksheet of an .xlsx/.xlsm. The zip's declared sizes have been checked
/// by the caller (`excel::check_zip_sizes`); inflated sizes are checked here.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Vec<RawSheet>> {
    read_with(bytes, limits, None)
}

/// As [`read`]; a sheet longer than [`crate::ingest::stream_head_rows`] is shown to
/// `hook`, which may take its rows as they are read (see [`RowHook`]).
pub fn read_with(
    bytes: &[u8],
    limits: &Limits,
    mut hook: Option<&mut (dyn RowHook + '_)>,
) -> Result<Vec<RawSheet>> {
    let mut package = Package::open(bytes, limits)?;
    let workbook = Workbook::open(&mut package)?;
    let mut sheets = Vec::with_capacity(workbook.sheets.len());
    for sheet in &workbook.sheets {
        sheets.push(workbook.read_sheet(&mut package, sheet, limits, hook.as_deref_mut())?);
    }
    // Worksheet parts no sheet points at were inflated by the old check too: a bomb
    // hidden there is still a bomb.
    let read: Vec<usize> = workbook.sheets.iter().map(|s| s.part).collect();
    for index in 0..package.archive.len() {
        let is_sheet_folder = package
            .lower_names
            .get(index)
            .is_some_and(|n| n.starts_with("xl/worksheets/"));
        if is_sheet_folder && !read.contains(&index) {
            package.part(index)?.count_rest()?;
        }
    }
    Ok(sheets)
}

// ---------------------------------------------------------------------------------------
// The zip

/// The zip archive and its entry names, lower-cased with forward slashes (calamine finds
/// parts case-insensitively).
struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    lower_names: Vec<String>,
    by_name: HashMap<String, usize>,
    limit: u64,
    limit_mib: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self> {
        let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return not_understood("zip");
        };
        let mut lower_names = Vec::with_capacity(archive.len());
        let mut by_name = HashMap::new();
        for index in 0..archive.len() {
            let Some(Ok(name)) = archive.name_for_index(index) else {
                return not_understood("zip entry name");
            };
            let lower = name.replace('\\', "/").to_ascii_lowercase();
            if by_name.insert(lower.clone(), index).is_some() {
                return not_understood("two zip entries of one name");
            }
            lower_names.push(lower);
        }
        Ok(Package {
            archive,
            lower_names,
            by_name,
            limit: limits.max_unpacked_mib.saturating_mul(MIB),
            limit_mib: limits.max_unpacked_mib,
        })
    }

    fn find(&self, path: &str) -> Option<usize> {
        self.by_name.get(&path.to_ascii_lowercase()).copied()
    }

    fn part(&mut self, index: usize) -> Result<PartReader<'_>> {
        let (limit, limit_mib) = (self.limit, self.limit_mib);
        let Ok(entry) = self.archive.by_index_raw(index) else {
            return not_understood("zip entry");
        };
        if entry.encrypted() {
            return not_understood("encrypted zip entry");
        }
        let declared = entry.size();
        let crc = entry.crc32();
        let inflate: Box<dyn Read + '_> = match entry.compression() {
            zip::CompressionMethod::Stored => Box::new(entry),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(entry)),
            _ => return not_understood("compression method"),
        };
        Ok(PartReader {
            inner: flate2::CrcReader::new(inflate),
            declared,
            crc,
            inflated: 0,
            limit,
            limit_mib,
            finished: false,
        })
    }

    /// A whole (small) part, or `None` when the zip has no such part.
    fn whole(&mut self, path: &str) -> Result<Option<Vec<u8>>> {
        let Some(index) = self.find(path) else {
            return Ok(None);
        };
        let mut part = self.part(index)?;
        // Sized by what the zip declares (checked against the limit as it comes), so
        // a small part is not given, and zeroed, a whole chunk.
        let mut bytes = vec![0; part.next_want()];
        let mut filled = 0;
        loop {
            let n = part.fill(&mut bytes[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
            if filled == bytes.len() {
                bytes.resize(filled + part.next_want(), 0);
            }
        }
        bytes.truncate(filled);
        Ok(Some(bytes))
    }
}

/// One zip part being inflated. Bytes are counted against the limit as they come, and
/// at the end against the size the zip declared (a part that inflates beyond it is a
/// zip bomb that lies).
struct PartReader<'z> {
    inner: flate2::CrcReader<Box<dyn Read + 'z>>,
    declared: u64,
    crc: u32,
    inflated: u64,
    limit: u64,
    limit_mib: u64,
    finished: bool,
}

impl PartReader<'_> {
    /// How much to ask for next: what the zip says is left (and one byte more, to
    /// see the end), at least a page and at most a chunk (a part may lie about its size).
    fn next_want(&self) -> usize {
        let left = self
            .declared
            .saturating_sub(self.inflated)
            .saturating_add(1);
        usize::try_from(left).unwrap_or(CHUNK).clamp(4096, CHUNK)
    }

    /// Fills `out` with inflated bytes as far as the part goes; 0 at its end.
    fn fill(&mut self, out: &mut [u8]) -> Result<usize> {
        if self.finished {
            return Ok(0);
        }
        let mut filled = 0;
        while filled < out.len() {
            match self.inner.read(&mut out[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return not_understood("inflate"),
            }
        }
        if self.inflated == 0 {
            check_prolog(&out[..filled])?;
        }
        self.inflated += filled as u64;
        if self.inflated > self.limit {
            return Err(Failure::Read(ReadError::ZipBomb {
                entry: String::new(),
                size_mib: self.inflated / MIB,
                limit_mib: self.limit_mib,
                lying: false,
            }));
        }
        if filled == 0 {
            self.finished = true;
            if self.inflated > self.declared {
                return Err(Failure::Read(ReadError::ZipBomb {
                    entry: String::new(),
                    size_mib: self.inflated / MIB,
                    limit_mib: self.limit_mib,
                    lying: true,
                }));
            }
            if self.inner.crc().sum() != self.crc {
                return not_understood("crc");
            }
        }
        Ok(filled)
    }

    /// Inflates the rest only to count it (the part's content is no longer needed).
    fn count_rest(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        let mut scratch = vec![0; self.next_want()];
        while self.fill(&mut scratch)? > 0 {}
        Ok(())
    }
}

/// A part in UTF-16 or declaring another encoding than UTF-8 is left to calamine (its
/// XML reader decodes it); a UTF-8 byte order mark is text before the first tag.
fn check_prolog(head: &[u8]) -> Result<()> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return not_understood("UTF-16");
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(declaration) = head.strip_prefix(b"<?xml") else {
        return Ok(());
    };
    let declaration = &declaration[..find(declaration, b"?>").unwrap_or(declaration.len())];
    let Some(at) = find(declaration, b"encoding") else {
        return Ok(());
    };
    let value = declaration[at..]
        .split(|b| *b == b'"' || *b == b'\'')
        .nth(1)
        .unwrap_or_default();
    if value.eq_ignore_ascii_case(b"utf-8") || value.eq_ignore_ascii_case(b"utf8") {
        Ok(())
    } else {
        not_understood("encoding")
    }
}

/// A part read in chunks: `buf[pos..end]` is inflated and not yet parsed. The buffer
/// stays initialised beyond `end`, so each chunk is inflated into it without zeroing.
struct Stream<'z> {
    part: PartReader<'z>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// For a worksheet: finds hidden rows, the autofilter and merged ranges in each
    /// chunk as it comes (the byte scan calamine's path uses, so both agree even on
    /// damaged markup).
    facts: Option<PartScanner>,
}

impl<'z> Stream<'z> {
    fn new(part: PartReader<'z>) -> Self {
        Stream {
            part,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            facts: None,
        }
    }

    /// Brings more of the part into the buffer; false at its end. Text with no tag
    /// in it is dropped; an element longer than a chunk doubles what is read, so
    /// parsing it again from its start stays linear.
    fn refill(&mut self) -> Result<bool> {
        if memchr(b'<', self.rest()).is_none() {
            self.pos = self.end;
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        // A part smaller than a chunk gets no more than it declares.
        let (start, want) = (self.end, self.part.next_want().max(self.end));
        if self.buf.len() < start + want {
            self.buf.resize(start + want, 0);
        }
        let read = self.part.fill(&mut self.buf[start..start + want])?;
        self.end += read;
        if let Some(scanner) = self.facts.as_mut() {
            scanner.feed(&self.buf[start..self.end]);
        }
        Ok(read > 0)
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }
}

// ---------------------------------------------------------------------------------------
// Markup

/// One piece of markup: a start tag (`empty` for `<a/>`), an end tag, or something to
/// skip (comment, processing instruction, CDATA outside a value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup<'a> {
    Start {
        name: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    End {
        name: &'a [u8],
    },
    Skip,
}

impl<'a> Markup<'a> {
    fn local(&self) -> &'a [u8] {
        match self {
            Markup::Start { name, .. } | Markup::End { name } => local(name),
            Markup::Skip => b"",
        }
    }
}

/// The first `byte` in `hay`. In a sheet it is mostly a few bytes on (the end of a
/// name, an attribute value or a number; the next tag): those bytes are looked at one
/// by one, where starting a vectorised search cost more (memchr's set-up was ~4 % of
/// the read's time), and only the rest is searched.
#[inline]
fn find_byte(byte: u8, hay: &[u8]) -> Option<usize> {
    const NEAR: usize = 16;
    if let Some(i) = hay.iter().take(NEAR).position(|&b| b == byte) {
        return Some(i);
    }
    memchr(byte, hay.get(NEAR..)?).map(|i| i + NEAR)
}

/// The name without its namespace prefix: `x:c` → `c`.
fn local(name: &[u8]) -> &[u8] {
    match find_byte(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The next markup at or after `from`: (where its `<` is, the markup, where it ends).
/// `Ok(None)` when the text ends first (more bytes needed).
fn next_markup(text: &[u8], from: usize) -> Result<Option<(usize, Markup<'_>, usize)>> {
    // Tags mostly follow one another with nothing between.
    let lt = if text.get(from) == Some(&b'<') {
        from
    } else {
        let Some(lt) = memchr(b'<', &text[from..]).map(|i| from + i) else {
            return Ok(None);
        };
        lt
    };
    let rest = &text[lt..];
    if rest.len() < 2 {
        return Ok(None);
    }
    match rest[1] {
        b'/' => {
            // Quotes count even here, as calamine's XML reader counts them.
            let Some(gt) = tag_end(rest) else {
                return Ok(None);
            };
            let name = rest[2..gt].trim_ascii_end();
            Ok(Some((lt, Markup::End { name }, lt + gt + 1)))
        }
        b'?' => Ok(find(rest, b"?>").map(|end| (lt, Markup::Skip, lt + end + 2))),
        b'!' => {
            if rest.starts_with(b"<!--") {
                Ok(find(&rest[4..], b"-->").map(|end| (lt, Markup::Skip, lt + 4 + end + 3)))
            } else if rest.len() < 9 {
                Ok(None)
            } else if rest.starts_with(b"<![CDATA[") {
                Ok(find(&rest[9..], b"]]>").map(|end| (lt, Markup::Skip, lt + 9 + end + 3)))
            } else {
                // A DOCTYPE may declare entities: not for us.
                not_understood("<! declaration")
            }
        }
        _ => {
            let Some(gt) = tag_end(rest) else {
                return Ok(None);
            };
            let inner = &rest[1..gt];
            let (inner, empty) = match inner.strip_suffix(b"/") {
                Some(inner) => (inner, true),
                None => (inner, false),
            };
            let name_end = inner
                .iter()
                .position(|b| b.is_ascii_whitespace())
                .unwrap_or(inner.len());
            Ok(Some((
                lt,
                Markup::Start {
                    name: &inner[..name_end],
                    attrs: &inner[name_end..],
                    empty,
                },
                lt + gt + 1,
            )))
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The `>` that closes the tag starting `tag`, skipping quoted attribute values.
fn tag_end(tag: &[u8]) -> Option<usize> {
    // A tag of a sheet is a few dozen bytes: looked at byte by byte (a vectorised
    // search costs more to start than that), longer ones searched.
    let mut i = 0;
    while i < tag.len().min(64) {
        match tag[i] {
            b'>' => return Some(i),
            quote @ (b'"' | b'\'') => i = i + 1 + find_byte(quote, &tag[i + 1..])? + 1,
            _ => i += 1,
        }
    }
    loop {
        let j = i + memchr3(b'>', b'"', b'\'', tag.get(i..)?)?;
        if tag[j] == b'>' {
            return Some(j);
        }
        i = j + 1 + memchr(tag[j], &tag[j + 1..])? + 1;
    }
}

/// The attributes of a start tag as (name, raw value). A malformed attribute list is
/// not understood (calamine refuses it too).
fn attrs(raw: &[u8]) -> impl Iterator<Item = Result<(&[u8], &[u8])>> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let Some(eq) = find_byte(b'=', rest) else {
            rest = b"";
            return Some(not_understood("attribute"));
        };
        let name = rest[..eq].trim_ascii_end();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = after.first().copied();
        let (Some(b'"' | b'\''), Some(len)) =
            (quote, quote.and_then(|q| find_byte(q, after.get(1..)?)))
        else {
            rest = b"";
            return Some(not_understood("attribute"));
        };
        let value = &after[1..1 + len];
        rest = &after[len + 2..];
        if find_byte(b'<', value).is_some() {
            // Not XML; calamine's reader may cut this tag elsewhere.
            rest = b"";
            return Some(not_understood("'<' in an attribute value"));
        }
        Some(Ok((name, value)))
    })
}

/// The `r`, `s` and `t` attributes of a cell's start tag written the plain way Excel
/// writes them (` name="value"` each: one space, no space around `=`, double quotes, no
/// `<` in a value, none twice); `None` for anything else, which [`attrs`] then reads
/// and judges. For a plain tag the two read the same.
fn plain_cell_attrs(raw: &[u8]) -> Option<[Option<&[u8]>; 3]> {
    let mut found: [Option<&[u8]>; 3] = [None; 3];
    let mut rest = raw;
    while !rest.is_empty() {
        let pair = rest.strip_prefix(b" ")?;
        let eq = pair.iter().position(|&b| b == b'=')?;
        let name = &pair[..eq];
        if name.is_empty() || name.iter().any(u8::is_ascii_whitespace) {
            return None;
        }
        let quoted = pair[eq + 1..].strip_prefix(b"\"")?;
        let len = quoted.iter().position(|&b| b == b'"')?;
        let value = &quoted[..len];
        if find_byte(b'<', value).is_some() {
            return None;
        }
        rest = &quoted[len + 1..];
        keep_cell_attr(&mut found, name, value)?;
    }
    Some(found)
}

/// Keeps a cell's `r`, `s` or `t` attribute in its slot (any other is passed over);
/// `None` when one is given twice.
fn keep_cell_attr<'a>(
    slots: &mut [Option<&'a [u8]>; 3],
    name: &[u8],
    value: &'a [u8],
) -> Option<()> {
    let slot = match name {
        b"r" => 0,
        b"s" => 1,
        b"t" => 2,
        _ => return Some(()),
    };
    slots[slot].replace(value).is_none().then_some(())
}

/// A cell's start tag read in one pass by [`plain_cell_tag`].
#[derive(Clone, Copy)]
struct PlainCellTag<'a> {
    /// The attributes as [`next_markup`] gives them (from the space after the name).
    raw: &'a [u8],
    /// `r`, `s` and `t`, as [`plain_cell_attrs`] reads them.
    attrs: [Option<&'a [u8]>; 3],
    empty: bool,
    /// Where the tag ends.
    end: usize,
}

/// `text` starts with a `<c` start tag written the plain way (attributes as
/// [`plain_cell_attrs`] takes them, names of letters, digits, `:`, `_` and `-`, then `>`
/// or `/>`): the tag, read in one pass. `None` for anything else, and for a tag the
/// text cuts short: [`next_markup`] and [`plain_cell_attrs`] then read it as before,
/// and read the same from a plain tag (a test holds the two to that).
fn plain_cell_tag(text: &[u8]) -> Option<PlainCellTag<'_>> {
    let rest = text.strip_prefix(b"<c")?;
    let mut attrs: [Option<&[u8]>; 3] = [None; 3];
    let mut i = 0;
    loop {
        match *rest.get(i)? {
            b'>' => {
                return Some(PlainCellTag {
                    raw: &rest[..i],
                    attrs,
                    empty: false,
                    end: 2 + i + 1,
                })
            }
            b'/' if rest.get(i + 1) == Some(&b'>') => {
                return Some(PlainCellTag {
                    raw: &rest[..i],
                    attrs,
                    empty: true,
                    end: 2 + i + 2,
                })
            }
            b' ' => {
                let name_start = i + 1;
                let name_len = rest[name_start..].iter().position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-'))
                })?;
                let eq = name_start + name_len;
                if name_len == 0 || rest.get(eq..eq + 2)? != b"=\"" {
                    return None;
                }
                let name = &rest[name_start..eq];
                let value_start = eq + 2;
                let len = find_byte(b'"', &rest[value_start..])?;
                let value = &rest[value_start..value_start + len];
                if find_byte(b'<', value).is_some() {
                    return None;
                }
                i = value_start + len + 1;
                keep_cell_attr(&mut attrs, name, value)?;
            }
            _ => return None,
        }
    }
}

/// The raw value of the attribute named exactly `key`.
fn attr<'a>(raw: &'a [u8], key: &[u8]) -> Result<Option<&'a [u8]>> {
    for pair in attrs(raw) {
        let (name, value) = pair?;
        if name == key {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// Text content as XML 1.0 gives it: line ends normalised to `\n`, entities and
/// character references resolved (as quick_xml does for calamine).
fn decode_text(raw: &[u8], out: &mut String) -> Result<()> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return not_understood("invalid UTF-8");
    };
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest.find(['&', '\r']).unwrap_or(rest.len());
        out.push_str(&rest[..cut]);
        rest = &rest[cut..];
        if let Some(after) = rest.strip_prefix('\r') {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
        } else if !rest.is_empty() {
            let Some(semi) = rest.find(';') else {
                return not_understood("entity");
            };
            out.push(entity(&rest[1..semi])?);
            rest = &rest[semi + 1..];
        }
    }
    Ok(())
}

/// An attribute value with entities resolved (line ends kept, as calamine's `decode_attr`).
fn decode_attr(raw: &[u8]) -> Result<String> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return not_understood("invalid UTF-8");
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let Some(semi) = rest[amp..].find(';') else {
            return not_understood("entity");
        };
        out.push(entity(&rest[amp + 1..amp + semi])?);
        rest = &rest[amp + semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `amp` → '&', `#229` → 'å', `#xE5` → 'å'.
fn entity(name: &str) -> Result<char> {
    let c = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let code = match name.strip_prefix("#x") {
                Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                Some(_) => None,
                None => name
                    .strip_prefix('#')
                    .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|d| d.parse().ok()),
            };
            code.filter(|c| *c != 0).and_then(char::from_u32)
        }
    };
    match c {
        Some(c) => Ok(c),
        None => not_understood("entity"),
    }
}

/// Excel's escapes of characters XML cannot hold: `_x000D_` is '\r' (a UTF-16 unit, so
/// a character beyond the BMP is a surrogate pair) and `_x005F_` a literal '_'.
/// calamine's `unescape_xml`, rule for rule.
fn unescape_excel(text: &str) -> std::borrow::Cow<'_, str> {
    fn unit_at(text: &str, at: usize) -> Option<u16> {
        let b = text.as_bytes().get(at..at + 7)?;
        if b[0] != b'_'
            || b[1] != b'x'
            || b[6] != b'_'
            || !b[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    fn next_escape(text: &str, mut from: usize) -> Option<(usize, u16)> {
        while let Some(i) = text[from..].find('_') {
            if let Some(unit) = unit_at(text, from + i) {
                return Some((from + i, unit));
            }
            from += i + 1;
        }
        None
    }
    let Some((mut at, mut unit)) = next_escape(text, 0) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        out.push_str(&text[copied..at]);
        at += 7;
        match unit {
            0xD800..=0xDBFF => match unit_at(text, at) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    at += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = at;
        match next_escape(text, at) {
            Some(next) => (at, unit) = next,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The content of a text element up to its end tag `</name>` at or after `from`:
/// (where the content ends, where the end tag ends). Markup inside (other than CDATA,
/// which is not expected in values) is not understood.
fn element_text(text: &[u8], from: usize, name: &[u8]) -> Result<Option<(usize, usize)>> {
    let Some(lt) = memchr(b'<', &text[from..]).map(|i| from + i) else {
        return Ok(None);
    };
    let end = &text[lt..];
    let close = 2 + name.len();
    if end.len() < close + 1 {
        return Ok(None);
    }
    if end[1] == b'/' && &end[2..close] == name && end[close] == b'>' {
        return Ok(Some((lt, lt + close + 1)));
    }
    not_understood("markup inside a value")
}

/// A rich or plain string (`<si>` of the shared strings, `<is>` of an inline string)
/// whose start tag ended at `from`, up to its end tag `</closing>`: (the string, where
/// its end tag ends, the depth after it). Runs are joined, phonetic runs (`<rPh>`) left
/// out, text not marked `xml:space="preserve"` trimmed, `_xHHHH_` escapes resolved —
/// calamine's rules.
fn string_item(
    text: &[u8],
    from: usize,
    closing: &[u8],
    depth: Depth,
) -> Result<Option<(Arc<str>, usize, Depth)>> {
    string_item_with(text, from, closing, depth, &mut TextScratch::default())
}

/// Buffers a string item's text is built in, kept between items: the one allocation
/// per item is its shared text.
#[derive(Default)]
struct TextScratch {
    value: String,
    run: String,
}

/// [`string_item`] with buffers kept by the caller.
fn string_item_with(
    text: &[u8],
    from: usize,
    closing: &[u8],
    depth: Depth,
    scratch: &mut TextScratch,
) -> Result<Option<(Arc<str>, usize, Depth)>> {
    match plain_item(text, from, closing, depth) {
        Some(item) => Ok(Some(item)),
        None => string_item_walked(text, from, closing, depth, scratch),
    }
}

/// The item most workbooks hold, one run and nothing else: `<t>text</t></si>` (or
/// `<t xml:space="preserve">`), its text without markup, entities, carriage returns or
/// `_x` escapes, all of it in `text`. Read in one look, as [`string_item_walked`] reads
/// it; `None` for anything else, which takes the walk.
fn plain_item(
    text: &[u8],
    from: usize,
    closing: &[u8],
    depth: Depth,
) -> Option<(Arc<str>, usize, Depth)> {
    const PLAIN: &[u8] = b"<t>";
    const PRESERVED: &[u8] = b"<t xml:space=\"preserve\">";
    let rest = text.get(from..)?;
    let (preserve, open) = if rest.starts_with(PLAIN) {
        (false, PLAIN.len())
    } else if rest.starts_with(PRESERVED) {
        (true, PRESERVED.len())
    } else {
        return None;
    };
    let start = from + open;
    let lt = start + memchr(b'<', &text[start..])?;
    let content = &text[start..lt];
    if content.iter().any(|b| matches!(b, b'&' | b'\r' | b'_')) {
        return None;
    }
    let after_run = lt + b"</t>".len();
    if text.get(lt..after_run)? != b"</t>" {
        return None;
    }
    let end = after_run + closing.len() + 3;
    let close = text.get(after_run..end)?;
    if &close[..2] != b"</"
        || &close[2..2 + closing.len()] != closing
        || close[end - after_run - 1] != b'>'
    {
        return None;
    }
    let content = std::str::from_utf8(content).ok()?;
    let value = if preserve {
        content
    } else {
        content.trim_matches([' ', '\t', '\r', '\n'])
    };
    // The run opened and closed; the item's end tag closes the item.
    let mut after = depth;
    after.close().ok()?;
    Some((Arc::from(value), end, after))
}

/// [`string_item`] element by element: rich text, phonetic runs, entities, escapes.
fn string_item_walked(
    text: &[u8],
    from: usize,
    closing: &[u8],
    mut depth: Depth,
    scratch: &mut TextScratch,
) -> Result<Option<(Arc<str>, usize, Depth)>> {
    let TextScratch { value, run } = scratch;
    // The item's text is its runs' texts one after the other (phonetic runs left out).
    value.clear();
    let mut phonetic = false;
    let mut at = from;
    loop {
        let Some((lt, markup, end)) = next_markup(text, at)? else {
            return Ok(None);
        };
        skipped_text(&text[at..lt])?;
        at = end;
        depth.follow(markup)?;
        match markup {
            Markup::End { name } if name == closing => {
                return Ok(Some((Arc::from(value.as_str()), at, depth)))
            }
            Markup::End { name } if local(name) == b"rPh" => phonetic = false,
            Markup::Start { name, empty, .. } if local(name) == b"rPh" => phonetic = !empty,
            Markup::Start {
                name,
                attrs: raw,
                empty,
            } if local(name) == b"t" && !phonetic => {
                let preserve = attr(raw, b"xml:space")? == Some(b"preserve");
                run.clear();
                if !empty {
                    let Some((content_end, after)) = element_text(text, at, name)? else {
                        return Ok(None);
                    };
                    decode_text(&text[at..content_end], run)?;
                    at = after;
                    depth.close()?;
                }
                if preserve {
                    value.push_str(&unescape_excel(run));
                } else {
                    value.push_str(&unescape_excel(run.trim_matches([' ', '\t', '\r', '\n'])));
                }
            }
            _ => {}
        }
    }
}

/// Text between tags that no reader uses. An entity there is left to calamine (its
/// XML reader may refuse it).
fn skipped_text(text: &[u8]) -> Result<()> {
    match find_byte(b'&', text) {
        Some(_) => not_understood("entity outside a value"),
        None => Ok(()),
    }
}

/// How many elements are open, counted as calamine's XML reader counts them (names
/// are not compared): an end tag with none open is damage it reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Depth(u32);

impl Depth {
    fn follow(&mut self, markup: Markup) -> Result<()> {
        match markup {
            Markup::Start { empty: false, .. } => {
                self.0 += 1;
                Ok(())
            }
            Markup::End { .. } => self.close(),
            _ => Ok(()),
        }
    }

    fn close(&mut self) -> Result<()> {
        match self.0.checked_sub(1) {
            Some(d) => {
                self.0 = d;
                Ok(())
            }
            None => not_understood("end tag without start"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The workbook

/// One worksheet as the workbook lists it.
struct SheetEntry {
    name: String,
    hidden: bool,
    /// Its zip entry.
    part: usize,
}

struct Workbook {
    sheets: Vec<SheetEntry>,
    date1904: bool,
    /// Per cell style (`s`): whether its number format is a date.
    date_styles: Vec<bool>,
    shared: Vec<Arc<str>>,
}

impl Workbook {
    fn open(package: &mut Package) -> Result<Workbook> {
        let Some(root_rels) = package.whole("_rels/.rels")? else {
            return not_understood("no _rels/.rels");
        };
        // Hidden rows and merges were found by the old scan only for xl/workbook.xml's
        // worksheets: a workbook elsewhere goes to calamine, so the results agree.
        match office_document(&root_rels)?.as_deref() {
            Some("xl/workbook.xml" | "/xl/workbook.xml") => {}
            _ => return not_understood("workbook not at xl/workbook.xml"),
        }
        let Some(rels) = package.whole("xl/_rels/workbook.xml.rels")? else {
            return not_understood("no workbook relationships");
        };
        let Some(workbook) = package.whole("xl/workbook.xml")? else {
            return not_understood("no workbook part");
        };
        let (sheets, date1904) = read_workbook_part(package, &workbook, &rels)?;
        let date_styles = match package.whole("xl/styles.xml")? {
            Some(styles) => date_styles(&styles)?,
            None => Vec::new(),
        };
        let shared = match package.find("xl/sharedStrings.xml") {
            Some(index) => shared_strings(Stream::new(package.part(index)?))?,
            None => Vec::new(),
        };
        Ok(Workbook {
            sheets,
            date1904,
            date_styles,
            shared,
        })
    }
}

/// The target of the package's officeDocument relationship.
fn office_document(rels: &[u8]) -> Result<Option<String>> {
    let mut at = 0;
    while let Some((_, markup, end)) = next_markup(rels, at)? {
        at = end;
        if let Markup::Start { attrs: raw, .. } = markup {
            if markup.local() == b"Relationship"
                && attr(raw, b"Type")?
                    .is_some_and(|t| t.ends_with(b"/relationships/officeDocument"))
            {
                return attr(raw, b"Target")?.map(decode_attr).transpose();
            }
        }
    }
    Ok(None)
}

/// The worksheets in workbook order and the 1904 flag.
fn read_workbook_part(
    package: &Package,
    workbook: &[u8],
    rels: &[u8],
) -> Result<(Vec<SheetEntry>, bool)> {
    // Relationship id → (target, type), raw as calamine keeps them.
    let mut targets: HashMap<&[u8], (&[u8], &[u8])> = HashMap::new();
    let mut at = 0;
    while let Some((_, markup, end)) = next_markup(rels, at)? {
        at = end;
        if let Markup::Start { attrs: raw, .. } = markup {
            if markup.local() == b"Relationship" {
                if let Some(id) = attr(raw, b"Id")? {
                    let target = attr(raw, b"Target")?.unwrap_or_default();
                    let kind = attr(raw, b"Type")?.unwrap_or_default();
                    targets.insert(id, (target, kind));
                }
            }
        }
    }
    // The old scan's view of which part is which sheet: both must agree.
    let scanned = sheet_xml::sheet_parts(workbook, rels);
    let mut sheets: Vec<SheetEntry> = Vec::new();
    let mut date1904 = false;
    let mut at = 0;
    while let Some((_, markup, end)) = next_markup(workbook, at)? {
        at = end;
        let Markup::Start { attrs: raw, .. } = markup else {
            continue;
        };
        match markup.local() {
            b"workbookPr" => {
                if let Some(v) = attr(raw, b"date1904")? {
                    date1904 = v == b"1" || v == b"true";
                }
            }
            b"sheet" => {
                let (mut name, mut hidden, mut rel_id) = (String::new(), false, &b""[..]);
                for pair in attrs(raw) {
                    let (key, value) = pair?;
                    match key {
                        b"name" => name = decode_attr(value)?,
                        b"state" => {
                            hidden = match value {
                                b"visible" => false,
                                b"hidden" | b"veryHidden" => true,
                                _ => return not_understood("sheet state"),
                            }
                        }
                        _ if local(key) == b"id" => rel_id = value,
                        _ => {}
                    }
                }
                let Some((target, kind)) = targets.get(rel_id) else {
                    return not_understood("sheet relationship");
                };
                match kind.rsplit(|b| *b == b'/').next() {
                    Some(b"worksheet") => {}
                    Some(b"chartsheet" | b"dialogsheet") => continue,
                    _ => return not_understood("sheet type"),
                }
                let Ok(target) = std::str::from_utf8(target) else {
                    return not_understood("sheet target");
                };
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                let lower = path.to_ascii_lowercase();
                let Some(part) = package.find(&path) else {
                    return not_understood("worksheet part missing");
                };
                if !crate::ingest::excel::is_worksheet_part(&lower)
                    || scanned.get(&lower) != Some(&name)
                    || sheets.iter().any(|s| s.name == name)
                {
                    return not_understood("worksheet part not where the scan looks");
                }
                sheets.push(SheetEntry { name, hidden, part });
            }
            _ => {}
        }
    }
    Ok((sheets, date1904))
}

/// Per cell style (`cellXfs`), whether its number format shows a date.
fn date_styles(styles: &[u8]) -> Result<Vec<bool>> {
    let mut custom: HashMap<&[u8], String> = HashMap::new();
    let mut dates = Vec::new();
    let (mut in_formats, mut in_cell_xfs) = (false, false);
    let mut at = 0;
    while let Some((_, markup, end)) = next_markup(styles, at)? {
        at = end;
        match markup {
            Markup::Start {
                attrs: raw, empty, ..
            } => match markup.local() {
                b"numFmts" => in_formats = !empty,
                b"cellXfs" => in_cell_xfs = !empty,
                b"numFmt" if in_formats => {
                    if let (Some(id), Some(code)) =
                        (attr(raw, b"numFmtId")?, attr(raw, b"formatCode")?)
                    {
                        custom.insert(id, decode_attr(code)?);
                    }
                }
                b"xf" if in_cell_xfs => dates.push(match attr(raw, b"numFmtId")? {
                    None => false,
                    Some(id) => match custom.get(id) {
                        Some(code) => custom_format_is_date(code),
                        None => builtin_format_is_date(id),
                    },
                }),
                _ => {}
            },
            Markup::End { .. } => match markup.local() {
                b"numFmts" => in_formats = false,
                b"cellXfs" => in_cell_xfs = false,
                _ => {}
            },
            Markup::Skip => {}
        }
    }
    Ok(dates)
}

/// Built-in number formats that are dates or times: 14–22, 27–36, 45, 47, 50–58
/// (46, `[h]:mm:ss`, is a duration: a number). calamine's `builtin_format_by_id`.
fn builtin_format_is_date(id: &[u8]) -> bool {
    matches!(
        id,
        b"14"
            | b"15"
            | b"16"
            | b"17"
            | b"18"
            | b"19"
            | b"20"
            | b"21"
            | b"22"
            | b"45"
            | b"47"
            | b"27"
            | b"28"
            | b"29"
            | b"30"
            | b"31"
            | b"32"
            | b"33"
            | b"34"
            | b"35"
            | b"36"
            | b"50"
            | b"51"
            | b"52"
            | b"53"
            | b"54"
            | b"55"
            | b"56"
            | b"57"
            | b"58"
    )
}

/// Whether a custom number format shows a date: a d, m, h, y or s (or AM/PM) outside
/// quotes, brackets and escapes in its first section; `[h]`-style elapsed times are
/// durations. calamine 0.38's `detect_custom_number_format`, rule for rule.
fn custom_format_is_date(format: &str) -> bool {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return false,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return false,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return true
            }
            _ => {
                if hms && s.eq_ignore_ascii_case(&prev) {
                } else {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    false
}

/// The shared strings table, read once; cells share its `Arc`s.
fn shared_strings(mut stream: Stream) -> Result<Vec<Arc<str>>> {
    let mut strings = Vec::new();
    let mut scratch = TextScratch::default();
    let mut in_table = false;
    let mut depth = Depth::default();
    loop {
        let text = stream.rest();
        let Some((lt, markup, end)) = next_markup(text, 0)? else {
            if !stream.refill()? {
                return not_understood("shared strings end early");
            }
            continue;
        };
        skipped_text(&text[..lt])?;
        let mut after_depth = depth;
        after_depth.follow(markup)?;
        let consumed = match (markup, markup.local()) {
            (Markup::Start { attrs: raw, .. }, b"sst") if !in_table => {
                in_table = true;
                if let Some(Ok(n)) = attr(raw, b"uniqueCount")?
                    .map(|n| std::str::from_utf8(n).map(str::parse::<usize>))
                    .and_then(|r| r.ok())
                {
                    strings.reserve(n.min(1 << 20));
                }
                end
            }
            (Markup::Start { name, empty, .. }, b"si") if in_table => {
                if empty {
                    strings.push(Arc::from(""));
                    end
                } else {
                    let Some((s, after, d)) =
                        string_item_with(text, end, name, after_depth, &mut scratch)?
                    else {
                        if !stream.refill()? {
                            return not_understood("shared strings end early");
                        }
                        continue;
                    };
                    strings.push(s);
                    after_depth = d;
                    after
                }
            }
            (Markup::End { .. }, b"sst") if in_table => {
                stream.part.count_rest()?;
                return Ok(strings);
            }
            _ => end,
        };
        depth = after_depth;
        stream.pos += consumed;
    }
}

// ---------------------------------------------------------------------------------------
// A worksheet

/// Where the worksheet reading is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `<sheetData>`; whether some element was seen (a part without sheetData
    /// is then an empty sheet, as calamine has it).
    Head {
        seen: bool,
    },
    Data,
    Tail,
}

/// A cell's type attribute `t`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CellType {
    Number,
    Shared,
    Bool,
    Error,
    InlineString,
    FormulaString,
    IsoDate,
}

impl CellType {
    fn parse(t: Option<&[u8]>) -> Result<CellType> {
        Ok(match t {
            None | Some(b"n") => CellType::Number,
            Some(b"s") => CellType::Shared,
            Some(b"b") => CellType::Bool,
            Some(b"e") => CellType::Error,
            Some(b"inlineStr" | b"is") => CellType::InlineString,
            Some(b"str") => CellType::FormulaString,
            Some(b"d") => CellType::IsoDate,
            Some(_) => return not_understood("cell type"),
        })
    }
}

/// One `<c>` element read.
#[derive(Debug)]
struct CellRecord {
    /// 0-based (row, column); `None` for a cell without `r` (it takes the next column).
    pos: Option<(u32, u32)>,
    value: Cell,
    /// The text of a plain formula (`<f>`), shared formulas left out as calamine does.
    formula: Option<String>,
}

impl Workbook {
    fn read_sheet<'h, 'o>(
        &self,
        package: &mut Package,
        entry: &SheetEntry,
        limits: &Limits,
        hook: Option<&'h mut (dyn RowHook + 'o)>,
    ) -> Result<RawSheet> {
        let head_rows = crate::ingest::stream_head_rows(limits);
        let mut streaming = RowStream::new(hook);
        let mut named = RawSheet::named(Some(entry.name.clone()));
        named.hidden = entry.hidden;
        // Set when a sink gives up: the sheet is read again from its start and kept.
        let mut restart = false;
        let mut stream = Stream::new(package.part(entry.part)?);
        stream.facts = Some(PartScanner::default());
        let mut grid = SheetGrid::new(limits);
        // Row and column of the next cell without `r`, as calamine counts them.
        let (mut row, mut col) = (0u32, 0u32);
        let mut dimension = ((0, 0), (0, 0));
        let mut phase = Phase::Head { seen: false };
        let mut failed: Option<ReadError> = None;
        // calamine's XML reader stops after </sheetData>: damage after it is no damage.
        let mut depth = Depth::default();
        loop {
            let text = stream.rest();
            // A cell's start tag written the plain way is read in one pass, its
            // attributes with it; anything else (and a tag the buffer cuts) the general way.
            let plain = match phase {
                Phase::Data => plain_cell_tag(text),
                _ => None,
            };
            let found = match plain {
                Some(tag) => Some((
                    0,
                    Markup::Start {
                        name: b"c",
                        attrs: tag.raw,
                        empty: tag.empty,
                    },
                    tag.end,
                )),
                None => next_markup(text, 0)?,
            };
            let Some((lt, markup, mut end)) = found else {
                if stream.refill()? {
                    continue;
                }
                match phase {
                    Phase::Tail => break,
                    // No sheetData: an empty sheet, if the XML ended cleanly.
                    Phase::Head { seen: true } if stream.rest().is_empty() => break,
                    _ => return not_understood("worksheet ends early"),
                }
            };
            let is_cell = phase == Phase::Data
                && markup.local() == b"c"
                && matches!(markup, Markup::Start { .. });
            if phase != Phase::Tail {
                skipped_text(&text[..lt])?;
                if !is_cell {
                    depth.follow(markup)?;
                }
            }
            match (phase, markup, markup.local()) {
                (Phase::Head { .. }, Markup::Start { attrs: raw, .. }, b"dimension") => {
                    let Some(range) = attr(raw, b"ref")? else {
                        return not_understood("dimension without ref");
                    };
                    dimension = parse_dimension(range)?;
                }
                (Phase::Head { .. }, Markup::Start { empty, .. }, b"sheetData") => {
                    phase = if empty { Phase::Tail } else { Phase::Data };
                    if let Err(e) =
                        crate::ingest::excel::check_dimension(dimension.0, dimension.1, limits)
                    {
                        failed = Some(e);
                        break;
                    }
                }
                (Phase::Head { .. }, Markup::Start { .. }, _) => phase = Phase::Head { seen: true },
                (
                    Phase::Data,
                    Markup::Start {
                        attrs: raw, empty, ..
                    },
                    b"row",
                ) => {
                    if let Some(r) = attr(raw, b"r")? {
                        row = parse_reference(r)?.0;
                    }
                    if empty {
                        row = row.saturating_add(1);
                        col = 0;
                        if !streaming.after_row(
                            &mut grid.held,
                            &named,
                            head_rows,
                            dimension.1 .0 as usize + 1,
                        ) {
                            restart = true;
                            break;
                        }
                    }
                }
                (Phase::Data, Markup::End { .. }, b"row") => {
                    row = row.saturating_add(1);
                    col = 0;
                    if !streaming.after_row(
                        &mut grid.held,
                        &named,
                        head_rows,
                        dimension.1 .0 as usize + 1,
                    ) {
                        restart = true;
                        break;
                    }
                }
                (
                    Phase::Data,
                    Markup::Start {
                        attrs: raw, empty, ..
                    },
                    b"c",
                ) => {
                    let parsed = plain.map(|tag| tag.attrs);
                    let Some((cell, after, d)) = self.cell(text, end, raw, parsed, empty, depth)?
                    else {
                        if stream.refill()? {
                            continue;
                        }
                        return not_understood("worksheet ends inside a cell");
                    };
                    end = after;
                    depth = d;
                    let pos = match cell.pos {
                        Some(pos) => pos,
                        None => (row, col),
                    };
                    col = pos.1.saturating_add(1);
                    if (pos.0 as usize) < grid.held.base {
                        // A cell of a row already handed to the sink (rows out of
                        // order): only the whole sheet can be read right.
                        restart = true;
                        break;
                    }
                    if let Err(e) = grid.add(pos.0, pos.1, cell.value, cell.formula.as_deref()) {
                        failed = Some(e);
                        stream.pos += end;
                        break;
                    }
                }
                (Phase::Data, Markup::End { .. }, b"sheetData") => phase = Phase::Tail,
                _ => {}
            }
            stream.pos += end;
        }
        if restart {
            drop(stream);
            return self.read_sheet(package, entry, limits, None);
        }
        if let Some(error) = failed {
            // The part is still inflated to its end: a bomb is a bomb even in a sheet
            // refused for its size.
            stream.part.count_rest()?;
            return Ok(RawSheet::failed(&entry.name, error));
        }
        let mut facts = stream
            .facts
            .take()
            .map(PartScanner::finish)
            .unwrap_or_default();
        facts.hidden_rows.sort_unstable();
        facts.hidden_rows.dedup();
        let (held, formula_texts) = grid.finish_held();
        let mut facts_sheet = named;
        facts_sheet.formula_texts = formula_texts;
        facts_sheet.hidden_rows = facts.hidden_rows;
        facts_sheet.autofilter = facts.autofilter;
        // Merged ranges of more than one row spread values over rows a streamed sheet no
        // longer holds (a title merged across columns spreads nothing: `spread_merges`).
        let whole_needed = facts.merges.iter().any(|m| m.last_row > m.first_row);
        let mut sheet = match streaming.finish(held, facts_sheet, whole_needed) {
            Ending::Kept(sheet) => sheet,
            Ending::Streamed(sheet) => return Ok(sheet),
            Ending::ReadAgain => {
                drop(stream);
                return self.read_sheet(package, entry, limits, None);
            }
        };
        sheet.merged =
            sheet_xml::spread_merges(&mut sheet.rows, 0, &facts.merges, limits.max_cells);
        Ok(sheet)
    }

    /// Reads the `<c>` element whose start tag ended at `from`: the cell, where the
    /// element ends and the depth after it, or `None` when the buffer ends first.
    /// `parsed`: the `r`, `s` and `t` attributes when [`plain_cell_tag`] read them.
    fn cell(
        &self,
        text: &[u8],
        from: usize,
        raw: &[u8],
        parsed: Option<[Option<&[u8]>; 3]>,
        empty: bool,
        mut depth: Depth,
    ) -> Result<Option<(CellRecord, usize, Depth)>> {
        let (mut reference, mut style, mut kind) = (None, None, None);
        if let Some([r, s, t]) = parsed.or_else(|| plain_cell_attrs(raw)) {
            (reference, style, kind) = (r, s, t);
        } else {
            for pair in attrs(raw) {
                let slot = match pair? {
                    (b"r", v) => (&mut reference, v),
                    (b"s", v) => (&mut style, v),
                    (b"t", v) => (&mut kind, v),
                    _ => continue,
                };
                if slot.0.replace(slot.1).is_some() {
                    return not_understood("attribute twice");
                }
            }
        }
        let pos = match reference {
            Some(r) => match parse_reference(r)? {
                (row, Some(col)) => Some((row, col)),
                (_, None) => return not_understood("cell reference without column"),
            },
            None => None,
        };
        let mut record = CellRecord {
            pos,
            value: Cell::Empty,
            formula: None,
        };
        if empty {
            return Ok(Some((record, from, depth)));
        }
        let kind = CellType::parse(kind)?;
        // Most cells are `<v>value</v></c>` with nothing between: read without walking
        // the markup (the depth is back where it was after `</c>`). Anything else, and
        // a buffer that ends first, takes the walk below.
        if let Some(rest) = text[from..].strip_prefix(b"<v>") {
            if let Some(lt) = find_byte(b'<', rest) {
                if rest[lt..].starts_with(b"</v></c>") {
                    record.value = self.value(kind, style, &rest[..lt])?;
                    return Ok(Some((record, from + 3 + lt + 8, depth)));
                }
            }
        }
        depth.0 += 1;
        let mut at = from;
        loop {
            let Some((lt, markup, end)) = next_markup(text, at)? else {
                return Ok(None);
            };
            skipped_text(&text[at..lt])?;
            at = end;
            depth.follow(markup)?;
            let Markup::Start {
                name: child,
                attrs: child_attrs,
                empty,
            } = markup
            else {
                if markup.local() == b"c" && matches!(markup, Markup::End { .. }) {
                    return Ok(Some((record, at, depth)));
                }
                continue;
            };
            // The content of a `<v>` or `<f>`: empty for `<v/>`.
            let mut content: &[u8] = b"";
            let local_name = local(child);
            if !empty && matches!(local_name, b"v" | b"f") {
                let Some((content_end, after)) = element_text(text, at, child)? else {
                    return Ok(None);
                };
                content = &text[at..content_end];
                at = after;
                depth.close()?;
            }
            match local_name {
                b"v" => record.value = self.value(kind, style, content)?,
                b"f" => record.formula = formula(child_attrs, content)?,
                b"is" if empty => record.value = Cell::Text(Arc::from("")),
                b"is" => {
                    let Some((s, after, d)) = string_item(text, at, child, depth)? else {
                        return Ok(None);
                    };
                    at = after;
                    depth = d;
                    record.value = Cell::Text(s);
                }
                _ => return not_understood("cell child"),
            }
        }
    }

    /// A `<v>` value as calamine's cell reader and `excel::convert` made it.
    fn value(&self, kind: CellType, style: Option<&[u8]>, raw: &[u8]) -> Result<Cell> {
        match kind {
            CellType::InlineString => Ok(Cell::Empty),
            CellType::Number => {
                if raw.is_empty() {
                    return Ok(Cell::Empty);
                }
                let Some(n) = parse_number(raw) else {
                    return not_understood("number");
                };
                let is_date = match style {
                    None => false,
                    Some(s) => self
                        .date_styles
                        .get(parse_index(s)?)
                        .copied()
                        .unwrap_or(false),
                };
                Ok(if is_date {
                    crate::ingest::excel::convert(&Data::DateTime(ExcelDateTime::new(
                        n,
                        ExcelDateTimeType::DateTime,
                        self.date1904,
                    )))
                } else {
                    Cell::Number(n)
                })
            }
            CellType::Shared => {
                if raw.is_empty() {
                    return Ok(Cell::Empty);
                }
                match self.shared.get(parse_index(raw)?) {
                    Some(s) => Ok(Cell::Text(s.clone())),
                    None => not_understood("shared string index"),
                }
            }
            CellType::Bool => match raw.trim_ascii() {
                b"" => Ok(Cell::Empty),
                b"0" => Ok(Cell::Bool(false)),
                b"1" => Ok(Cell::Bool(true)),
                v if v.eq_ignore_ascii_case(b"false") => Ok(Cell::Bool(false)),
                v if v.eq_ignore_ascii_case(b"true") => Ok(Cell::Bool(true)),
                _ => not_understood("boolean"),
            },
            CellType::Error => match raw {
                b"#DIV/0!" | b"#N/A" | b"#NAME?" | b"#NULL!" | b"#NUM!" | b"#REF!" | b"#VALUE!" => {
                    Ok(Cell::Error(String::from_utf8_lossy(raw).as_ref().into()))
                }
                _ => not_understood("error value"),
            },
            CellType::FormulaString => {
                let mut text = String::new();
                decode_text(raw, &mut text)?;
                Ok(Cell::Text(Arc::from(unescape_excel(&text).as_ref())))
            }
            CellType::IsoDate => {
                let mut text = String::new();
                decode_text(raw, &mut text)?;
                Ok(crate::ingest::excel::convert(&Data::DateTimeIso(text)))
            }
        }
    }
}

/// The text of a plain formula; `None` for a shared one (calamine reports those apart).
fn formula(raw_attrs: &[u8], content: &[u8]) -> Result<Option<String>> {
    let mut text = String::new();
    decode_text(content, &mut text)?;
    let (mut kind, mut index, mut range) = (None, None, None);
    for pair in attrs(raw_attrs) {
        match pair? {
            (b"t", v) => kind = Some(v),
            (b"si", v) => index = Some(v),
            (b"ref", v) => range = Some(v),
            _ => {}
        }
    }
    if kind == Some(b"shared") {
        match index {
            Some(i) if !i.is_empty() && i.iter().all(u8::is_ascii_digit) => {}
            _ => return not_understood("shared formula index"),
        }
        if let Some(range) = range {
            parse_dimension(range)?;
        }
        return Ok(None);
    }
    Ok(Some(text))
}

/// A decimal number as Excel writes it. Other spellings (`+1`, `inf`, spaces) are left
/// to calamine, whose parser may read them differently.
fn parse_number(raw: &[u8]) -> Option<f64> {
    let mut i = usize::from(raw.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while raw.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if raw.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(raw.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(raw.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != raw.len() {
        return None;
    }
    // A whole number of up to 15 digits is exact in an f64: no float parsing.
    if raw.len() <= 15 && raw.iter().all(u8::is_ascii_digit) {
        return Some(raw.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64);
    }
    std::str::from_utf8(raw).ok()?.parse().ok()
}

/// A style or shared-string index.
fn parse_index(raw: &[u8]) -> Result<usize> {
    if raw.is_empty() || raw.len() > 9 || !raw.iter().all(u8::is_ascii_digit) {
        return not_understood("index");
    }
    Ok(raw.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
}

/// "B3" → (2, Some(1)), "3" → (2, None): 0-based, as calamine's `get_row_column`.
fn parse_reference(raw: &[u8]) -> Result<(u32, Option<u32>)> {
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &raw[letters..];
    if letters > 3
        || digits.is_empty()
        || digits.len() > 7
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return not_understood("cell reference");
    }
    let col = raw[..letters].iter().fold(0u32, |c, b| {
        c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits
        .iter()
        .fold(0u32, |r, d| r * 10 + u32::from(d - b'0'));
    if row == 0 {
        return not_understood("row 0");
    }
    Ok((row - 1, col.checked_sub(1)))
}

/// "A1:C9" (or one cell) → ((first row, first col), (last row, last col)).
fn parse_dimension(raw: &[u8]) -> Result<((u32, u32), (u32, u32))> {
    let cell = |r: &[u8]| match parse_reference(r)? {
        (row, Some(col)) => Ok((row, col)),
        _ => not_understood("range"),
    };
    match memchr(b':', raw) {
        None => cell(raw).map(|c| (c, c)),
        Some(colon) => {
            let (a, b) = (cell(&raw[..colon])?, cell(&raw[colon + 1..])?);
            // calamine subtracts start from end; a reversed range is left to it.
            if b.0 < a.0 || b.1 < a.1 {
                return not_understood("reversed range");
            }
            Ok((a, b))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cells into rows: shared with the calamine path in `excel`

/// The cells of one sheet as they come in file order, placed in rows, with the limits
/// on columns and filled cells. A formula without a saved value becomes the text the
/// user typed ("=Namn"), noted in `formula_texts`.
pub(crate) struct SheetGrid<'l> {
    /// Rows from sheet row `held.base` on (rows before it went to a streaming sink).
    held: HeldRows,
    formula_texts: Vec<String>,
    count: u64,
    limits: &'l Limits,
}

impl<'l> SheetGrid<'l> {
    pub(crate) fn new(limits: &'l Limits) -> Self {
        SheetGrid {
            held: HeldRows::default(),
            formula_texts: Vec::new(),
            count: 0,
            limits,
        }
    }

    /// Places one cell (0-based row and column). Empty cells without a formula are
    /// left out and do not count.
    pub(crate) fn add(
        &mut self,
        row: u32,
        col: u32,
        mut value: Cell,
        formula: Option<&str>,
    ) -> std::result::Result<(), ReadError> {
        use crate::ingest::header::column_letter;
        if value.is_empty() {
            // A formula with no saved value is how scripts store a text typed with a
            // leading "=": the formula is the text the user meant.
            match formula {
                Some(f) if !f.trim().is_empty() => {
                    value = Cell::Text(format!("={f}").into());
                    self.formula_texts
                        .push(format!("{}{}", column_letter(col as usize), row + 1));
                }
                _ => return Ok(()),
            }
        }
        if col as usize >= self.limits.max_columns {
            return Err(ReadError::ValueBeyondColumns {
                column: column_letter(col as usize),
                limit: self.limits.max_columns,
            });
        }
        self.count += 1;
        if self.count > self.limits.max_cells || row >= MAX_ROWS {
            return Err(ReadError::TooManyFilledCells {
                limit: self.limits.max_cells,
            });
        }
        // The caller never places a cell in a row already handed on.
        let (row, col) = (row as usize - self.held.base, col as usize);
        let streamed = self.held.base > 0;
        let HeldRows { rows, spare, .. } = &mut self.held;
        if rows.len() <= row {
            // Cells come row by row, and rows of an export are as wide as the one
            // before: a new row is made that wide at once (no growing, no spare
            // capacity to give back), and a finished row that grew is trimmed.
            let width = match rows.last_mut() {
                Some(done) => {
                    // Streamed rows are short-lived: trimming them costs for nothing.
                    if !streamed && done.capacity() > done.len() {
                        done.shrink_to_fit();
                    }
                    done.len()
                }
                None => 0,
            };
            rows.resize_with(row, Vec::new);
            rows.push(HeldRows::reused_row(spare, width.max(col + 1)));
        }
        let cells = &mut rows[row];
        // Cells come left to right: most are the row's next one.
        match cells.len().cmp(&col) {
            std::cmp::Ordering::Equal => cells.push(value),
            std::cmp::Ordering::Less => {
                cells.resize(col, Cell::Empty);
                cells.push(value);
            }
            std::cmp::Ordering::Greater => cells[col] = value,
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> (Vec<Vec<Cell>>, Vec<String>) {
        (self.held.rows, self.formula_texts)
    }

    /// As [`SheetGrid::finish`], with where the rows start (for a streamed sheet).
    pub(crate) fn finish_held(self) -> (HeldRows, Vec<String>) {
        (self.held, self.formula_texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood<T: std::fmt::Debug>(r: Result<T>) -> T {
        match r {
            Ok(v) => v,
            Err(Failure::NotUnderstood(why)) => panic!("not understood: {why}"),
            Err(Failure::Read(e)) => panic!("{e}"),
        }
    }

    #[test]
    fn tags_are_found_with_prefixes_quotes_and_self_closing() {
        let text = br#"<x:c r="A1" t='s' x="a>b"/><!-- <c> --><?pi x?></x:row >"#;
        let (lt, m, end) = understood(next_markup(text, 0)).unwrap();
        assert_eq!(lt, 0);
        assert_eq!(
            m,
            Markup::Start {
                name: b"x:c",
                attrs: br#" r="A1" t='s' x="a>b""#,
                empty: true
            }
        );
        assert_eq!(m.local(), b"c");
        let pairs: Vec<_> = attrs(br#" r="A1" t='s' x="a>b""#).map(understood).collect();
        assert_eq!(
            pairs,
            vec![(&b"r"[..], &b"A1"[..]), (b"t", b"s"), (b"x", b"a>b")]
        );
        let (_, m, end) = understood(next_markup(text, end)).unwrap();
        assert_eq!(m, Markup::Skip, "comment");
        let (_, m, end) = understood(next_markup(text, end)).unwrap();
        assert_eq!(m, Markup::Skip, "processing instruction");
        let (_, m, end) = understood(next_markup(text, end)).unwrap();
        assert_eq!(m, Markup::End { name: b"x:row" });
        assert_eq!(end, text.len());
        // Cut anywhere inside a tag: more bytes are needed, nothing is made up.
        for cut in 1..text.len() {
            if let Some((_, _, end)) = understood(next_markup(&text[..cut], 0)) {
                assert!(end <= cut);
            }
        }
        assert!(matches!(
            next_markup(b"<!DOCTYPE x [<!ENTITY a 'b'>]>", 0),
            Err(Failure::NotUnderstood(_))
        ));
    }

    /// The plain reading of a cell's attributes agrees with [`attrs`] wherever it
    /// reads at all, and tags of 64 bytes and more end where the search says.
    #[test]
    fn plain_cell_attributes_read_as_the_general_reader_reads_them() {
        fn general(raw: &[u8]) -> Option<[Option<&[u8]>; 3]> {
            let mut found: [Option<&[u8]>; 3] = [None; 3];
            for pair in attrs(raw) {
                let (name, value) = pair.ok()?;
                let slot = match name {
                    b"r" => 0,
                    b"s" => 1,
                    b"t" => 2,
                    _ => continue,
                };
                if found[slot].replace(value).is_some() {
                    return None;
                }
            }
            Some(found)
        }
        let plain: [&[u8]; 6] = [
            b"",
            br#" r="A5""#,
            br#" r="B12" s="3" t="s""#,
            br#" t="n" r="XFD1048576""#,
            br#" r="C3" cm="1" s="0""#,
            br#" s="7" x:foo="a b" t="str""#,
        ];
        for raw in plain {
            assert_eq!(plain_cell_attrs(raw), general(raw), "{raw:?}");
            assert!(plain_cell_attrs(raw).is_some(), "{raw:?}");
        }
        let other: [&[u8]; 9] = [
            br#"  r="A5""#,
            br#" r = "A5""#,
            br#" r='A5'"#,
            br#" r="A5" r="A6""#,
            br#" r="A<5""#,
            br#" r="A5"s="1""#,
            br#" r="A5"#,
            br#" r"#,
            b" \tr=\"A5\"",
        ];
        for raw in other {
            assert_eq!(plain_cell_attrs(raw), None, "{raw:?}");
        }
        let long = format!("<c {}>rest", "x=\"y\" ".repeat(20));
        assert_eq!(tag_end(long.as_bytes()), Some(long.len() - 5));
        let quoted = format!("<c a=\"{}>\">", "q".repeat(70));
        assert_eq!(tag_end(quoted.as_bytes()), Some(quoted.len() - 1));
        assert_eq!(tag_end(format!("<c {}", "x".repeat(80)).as_bytes()), None);
        assert_eq!(parse_number(b"24000214"), Some(24000214.0));
        assert_eq!(
            parse_number(b"999999999999999"),
            Some(999_999_999_999_999.0)
        );
        assert_eq!(
            parse_number(b"12345678901234567890"),
            Some(12345678901234567890.0)
        );
        assert_eq!(parse_number(b"007"), Some(7.0));
        assert_eq!(parse_number(b"-3"), Some(-3.0));
        assert_eq!(parse_number(b"45063.5"), Some(45063.5));
    }

    /// A cell's start tag read in one pass is the tag the general reader finds, with the
    /// attributes it reads; every other tag, and every tag cut short, is left to it.
    #[test]
    fn a_plain_cell_tag_reads_as_the_general_reader_reads_it() {
        let tags: [&str; 22] = [
            "<c>",
            "<c/>",
            r#"<c r="A5"><v>1</v></c>"#,
            r#"<c r="B12" s="3" t="s"><v>0</v></c>"#,
            r#"<c t="n" r="XFD1048576"/>"#,
            r#"<c r="C3" cm="1" s="0">"#,
            r#"<c s="7" x:foo="a b" t="str">"#,
            r#"<c r="D4" t="inlineStr"><is><t>Åsa – Öberg</t></is></c>"#,
            r#"<c r="E5" x="a>b">"#,
            r#"<c  r="A5">"#,
            r#"<c r = "A5">"#,
            r#"<c r='A5'>"#,
            r#"<c r="A5" r="A6">"#,
            r#"<c r="A<5">"#,
            r#"<c r="A5"s="1">"#,
            r#"<c r="A5" >"#,
            r#"<c r="A5" />"#,
            r#"<cols><col min="1"/></cols>"#,
            r#"<x:c r="A5">"#,
            r#"<c r="A5" s"#,
            r#"<c r="A5"#,
            "<c\tr=\"A5\">",
        ];
        let mut read_plain = 0;
        for tag in tags.map(str::as_bytes) {
            for cut in 0..=tag.len() {
                let text = &tag[..cut];
                let Some(plain) = plain_cell_tag(text) else {
                    continue;
                };
                read_plain += 1;
                let Ok(Some((0, Markup::Start { name, attrs, empty }, end))) = next_markup(text, 0)
                else {
                    panic!("{text:?}: the general reader finds no start tag");
                };
                assert_eq!(name, b"c", "{text:?}");
                assert_eq!(
                    (plain.raw, plain.empty, plain.end),
                    (attrs, empty, end),
                    "{text:?}"
                );
                assert_eq!(Some(plain.attrs), plain_cell_attrs(attrs), "{text:?}");
            }
        }
        // The first nine are plain, the rest are not (or are cut short).
        for (i, tag) in tags.map(str::as_bytes).iter().enumerate() {
            assert_eq!(plain_cell_tag(tag).is_some(), i < 9, "{tag:?}");
        }
        assert!(read_plain > 40, "{read_plain}");
    }

    /// A `<v>value</v></c>` cell read without walking its markup is the cell the walk
    /// reads (with a space between the tags the walk is taken).
    #[test]
    fn a_plain_value_cell_reads_as_the_walk_reads_it() {
        let book = Workbook {
            sheets: Vec::new(),
            shared: vec![Arc::from("Anna"), Arc::from("Bo")],
            date_styles: vec![false, true],
            date1904: false,
        };
        for (raw, content) in [
            (&br#" r="A1" t="s""#[..], &b"1"[..]),
            (br#" r="B1""#, b"24000214"),
            (br#" r="C1" s="1""#, b"45063"),
            (br#" r="D1" t="b""#, b"1"),
            (br#" r="E1" t="e""#, b"#N/A"),
            (br#" r="F1" t="str""#, b"a &amp; b"),
            (br#" r="G1""#, b""),
        ] {
            let fast = format!("<v>{}</v></c><c/>", String::from_utf8_lossy(content));
            let walked = format!("<v>{}</v> </c><c/>", String::from_utf8_lossy(content));
            let (a, a_end, a_depth) =
                understood(book.cell(fast.as_bytes(), 0, raw, None, false, Depth(3))).unwrap();
            let (b, b_end, b_depth) =
                understood(book.cell(walked.as_bytes(), 0, raw, None, false, Depth(3))).unwrap();
            assert_eq!((a.pos, &a.value), (b.pos, &b.value), "{raw:?}");
            assert_eq!((a_end + 1, a_depth), (b_end, b_depth), "{raw:?}");
            assert_eq!(&fast.as_bytes()[a_end..], b"<c/>");
        }
        // Cut before `</c>` is whole: more bytes are needed.
        assert!(understood(book.cell(b"<v>1</v></", 0, b"", None, false, Depth(3))).is_none());
        assert!(matches!(
            book.cell(b"<v>x</v></c>", 0, b"", None, false, Depth(3)),
            Err(Failure::NotUnderstood(_))
        ));
    }

    #[test]
    fn only_utf8_parts_are_read_here() {
        for ok in [
            &b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><a/>"[..],
            b"\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>",
            b"<?xml version=\"1.0\"?><a/>",
            b"<a/>",
        ] {
            assert!(check_prolog(ok).is_ok(), "{}", String::from_utf8_lossy(ok));
        }
        for other in [
            &b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"[..],
            b"\xFF\xFE<\x00?\x00",
        ] {
            assert!(
                check_prolog(other).is_err(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    #[test]
    fn text_gets_entities_and_xml_line_ends() {
        let mut out = String::new();
        understood(decode_text(
            "a&amp;b &lt;&gt;&quot;&apos; &#229;&#xE4;\r\nx\ry".as_bytes(),
            &mut out,
        ));
        assert_eq!(out, "a&b <>\"' åä\nx\ny");
        for bad in ["&nbsp;", "&#X41;", "&#0;", "a & b", "&#xD800;"] {
            assert!(
                matches!(
                    decode_text(bad.as_bytes(), &mut String::new()),
                    Err(Failure::NotUnderstood(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            understood(decode_attr(b"Personal &amp; l&#xF6;n")),
            "Personal & lön"
        );
    }

    #[test]
    fn excel_escapes_as_calamine_reads_them() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDE42_"), "🙂");
        assert_eq!(unescape_excel("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_excel("_x00e5_"), "å");
        assert_eq!(unescape_excel("_x12_ _xZZZZ_ plain"), "_x12_ _xZZZZ_ plain");
    }

    /// A plain item read in one look gives what the walk gives, whole and cut by the
    /// buffer at every byte, and leaves to the walk what it does not take.
    #[test]
    fn a_plain_item_reads_as_the_walk_reads_it() {
        let items: [&[u8]; 12] = [
            b"<t>Informationss\xc3\xa4kerhet \xe2\x80\x93 grund</t></si><si>",
            b"<t> trimmad\t</t></si>",
            b"<t xml:space=\"preserve\"> kvar </t></si>",
            b"<t></t></si>",
            b"<t>a&amp;b</t></si>",
            b"<t>rad\r\nbryt</t></si>",
            b"<t>_x000A_</t></si>",
            b"<t>a</t><t>b</t></si>",
            b"<t>a</t></x:si>",
            b"<t>ogiltig \xff</t></si>",
            b"<t>a</t></sj>",
            b"<t>a</t></si",
        ];
        fn outcome(r: Result<Option<(Arc<str>, usize, Depth)>>) -> String {
            match r {
                Ok(Some((s, end, depth))) => format!("{s:?} {end} {depth:?}"),
                Ok(None) => "more".to_string(),
                Err(Failure::NotUnderstood(why)) => format!("not understood: {why}"),
                Err(Failure::Read(e)) => format!("{e}"),
            }
        }
        let mut plain = 0;
        for item in items {
            for cut in 0..=item.len() {
                let text = &item[..cut];
                let walked =
                    string_item_walked(text, 0, b"si", Depth(1), &mut TextScratch::default());
                let read = string_item_with(text, 0, b"si", Depth(1), &mut TextScratch::default());
                assert_eq!(
                    outcome(read),
                    outcome(walked),
                    "{:?}",
                    String::from_utf8_lossy(text)
                );
                plain += usize::from(plain_item(text, 0, b"si", Depth(1)).is_some());
            }
        }
        // The four plain ones were read in one look whenever whole (the first also with
        // each cut of the next item's tag after it: 5 + 1 + 1 + 1).
        assert_eq!(plain, 8);
    }

    #[test]
    fn rich_and_phonetic_runs_and_whitespace() {
        let item = br#"<r><rPr><b/></rPr><t> Rik </t></r><r><t xml:space="preserve"> text </t></r><rPh sb="0" eb="1"><t>yomi</t></rPh><phoneticPr fontId="1"/></si>tail"#;
        let (s, end, depth) = understood(string_item(item, 0, b"si", Depth(1))).unwrap();
        assert_eq!(depth, Depth(0));
        assert_eq!(&*s, "Rik text ");
        assert_eq!(&item[end..], b"tail");
        let (s, _, _) = understood(string_item(b"<t/></si>", 0, b"si", Depth(1))).unwrap();
        assert_eq!(&*s, "");
        let (s, _, _) = understood(string_item(
            b"<x:t>a&amp;b_x000A_</x:t></x:is>",
            0,
            b"x:is",
            Depth(1),
        ))
        .unwrap();
        assert_eq!(&*s, "a&b\n");
        assert!(understood(string_item(b"<t>unfinished", 0, b"si", Depth(1))).is_none());
        assert!(matches!(
            string_item(b"<t>a</t></r></si>", 0, b"si", Depth(1)),
            Err(Failure::NotUnderstood(_))
        ));
        assert!(matches!(
            string_item(b"<t>a<b/>c</t></si>", 0, b"si", Depth(1)),
            Err(Failure::NotUnderstood(_))
        ));
    }

    #[test]
    fn number_formats_that_are_dates() {
        for date in [
            "yyyy-mm-dd",
            "DD/MM/YY",
            "H:MM:SS;@",
            "m\"M\"d\"D\";@",
            "[$-404]e\"\\xfc\"m",
            "ha/p\\\\m",
            "*-yyyy-mm-dd",
            "hh:mm AM/PM",
        ] {
            assert!(custom_format_is_date(date), "{date}");
        }
        for other in [
            "0.00",
            "[h]:mm:ss",
            "[mm]",
            "\"dag\" 0",
            "#,##0*y",
            "\\Y000000",
            "#,##0.0####\" YMD\"",
            "[>=100][Magenta]General",
            "0_ ;[Red]\\-0\\ ",
        ] {
            assert!(!custom_format_is_date(other), "{other}");
        }
        assert!(
            builtin_format_is_date(b"14")
                && builtin_format_is_date(b"22")
                && builtin_format_is_date(b"58")
        );
        assert!(
            !builtin_format_is_date(b"46")
                && !builtin_format_is_date(b"0")
                && !builtin_format_is_date(b"014")
        );
        let styles = br#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;-&quot;mm"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"><alignment/></xf><xf/></cellXfs><dxfs><dxf><numFmt numFmtId="0" formatCode="yyyy"/></dxf></dxfs></styleSheet>"#;
        assert_eq!(
            understood(date_styles(styles)),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn references_numbers_and_indexes() {
        assert_eq!(understood(parse_reference(b"B3")), (2, Some(1)));
        assert_eq!(understood(parse_reference(b"aa10")), (9, Some(26)));
        assert_eq!(understood(parse_reference(b"7")), (6, None));
        for bad in [&b"A0"[..], b"A", b"", b"A-1", b"ABCD1", b"A1B"] {
            assert!(
                parse_reference(bad).is_err(),
                "{:?}",
                std::str::from_utf8(bad)
            );
        }
        assert_eq!(
            understood(parse_dimension(b"A1:XFD1048576")),
            ((0, 0), (1_048_575, 16_383))
        );
        assert_eq!(understood(parse_dimension(b"C4")), ((3, 2), (3, 2)));
        assert!(parse_dimension(b"B5:A1").is_err());
        assert_eq!(parse_number(b"0.30000000000000004"), Some(0.1 + 0.2));
        assert_eq!(parse_number(b"-1.5E-3"), Some(-0.0015));
        assert_eq!(parse_number(b"45730"), Some(45730.0));
        assert_eq!(parse_number(b".5"), Some(0.5));
        for other in [&b"+1"[..], b"inf", b" 1", b"1e", b"-", b"1,5", b""] {
            assert_eq!(
                parse_number(other),
                None,
                "{:?}",
                std::str::from_utf8(other)
            );
        }
        assert_eq!(understood(parse_index(b"0042")), 42);
        assert!(parse_index(b"-1").is_err() && parse_index(b"").is_err());
    }
}
