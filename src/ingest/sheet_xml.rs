//! What calamine does not tell about an xlsx sheet, found by scanning the bytes of its
//! XML part while the zip check inflates them anyway: rows hidden (by an autofilter or
//! by hand) and merged cells. The scan looks only for a few rare byte strings, so a
//! sheet of 640 000 rows costs a memchr pass, not a second XML parse.

use std::collections::HashMap;

use crate::ingest::value::Cell;

/// One merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u32,
    pub last_col: u32,
}

impl Merge {
    /// As Excel writes it: "A3:A6".
    pub fn label(&self) -> String {
        use crate::ingest::header::column_letter;
        format!(
            "{}{}:{}{}",
            column_letter(self.first_col as usize),
            self.first_row + 1,
            column_letter(self.last_col as usize),
            self.last_row + 1
        )
    }
}

/// A merged cell whose value was spread down over data rows of its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSpread {
    /// The merged range, "A3:A6".
    pub range: String,
    /// 1-based rows that took the value (the first row of the range is not among them).
    pub rows: Vec<u32>,
}

/// What the scan of one worksheet part found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartFacts {
    /// 1-based numbers of rows marked `hidden="1"`, in file order.
    pub hidden_rows: Vec<u32>,
    /// The sheet has an autofilter (hidden rows are then most likely filtered out).
    pub autofilter: bool,
    pub merges: Vec<Merge>,
}

impl PartFacts {
    pub fn is_empty(&self) -> bool {
        self.hidden_rows.is_empty() && !self.autofilter && self.merges.is_empty()
    }
}

/// A tag longer than this is not looked at (no real row or mergeCell tag comes close).
const MAX_TAG: usize = 4096;

/// Scans a worksheet part fed in chunks of any size.
pub struct PartScanner {
    /// The tail of the previous chunk from its last unfinished tag on.
    pending: Vec<u8>,
    facts: PartFacts,
    hidden: memchr::memmem::Finder<'static>,
    merge: memchr::memmem::Finder<'static>,
    filter: memchr::memmem::Finder<'static>,
}

impl Default for PartScanner {
    fn default() -> Self {
        PartScanner {
            pending: Vec::new(),
            facts: PartFacts::default(),
            hidden: memchr::memmem::Finder::new(b"hidden="),
            merge: memchr::memmem::Finder::new(b"mergeCell"),
            filter: memchr::memmem::Finder::new(b"autoFilter"),
        }
    }
}

impl PartScanner {
    pub fn feed(&mut self, chunk: &[u8]) {
        self.pending.extend_from_slice(chunk);
        // Every tag before the last '<' is complete; the last may go on in the next chunk.
        let len = self.pending.len();
        let cut = match memchr::memrchr(b'<', &self.pending) {
            Some(i) if len - i <= MAX_TAG => i,
            _ => len.saturating_sub(16),
        };
        let pending = std::mem::take(&mut self.pending);
        self.scan(&pending[..cut]);
        self.pending = pending;
        self.pending.drain(..cut);
    }

    pub fn finish(mut self) -> PartFacts {
        let rest = std::mem::take(&mut self.pending);
        self.scan(&rest);
        self.facts
    }

    fn scan(&mut self, text: &[u8]) {
        for hit in self.hidden.find_iter(text) {
            let Some(tag) = tag_around(text, hit) else {
                continue;
            };
            if local_name(tag) != b"row" {
                continue;
            }
            let mut row = None;
            let mut hidden = false;
            for (name, value) in attributes(tag) {
                match local(name) {
                    b"r" => row = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()),
                    b"hidden" => hidden = matches!(value, b"1" | b"true"),
                    _ => {}
                }
            }
            if let (true, Some(row)) = (hidden, row) {
                self.facts.hidden_rows.push(row);
            }
        }
        for hit in self.merge.find_iter(text) {
            // "mergeCells" (the list) is not a merge.
            if !matches!(text.get(hit + 9), Some(b' ' | b'\t' | b'\r' | b'\n' | b'/')) {
                continue;
            }
            let Some(tag) = tag_around(text, hit) else {
                continue;
            };
            if local_name(tag) != b"mergeCell" {
                continue;
            }
            let merge = attributes(tag)
                .find(|(name, _)| local(name) == b"ref")
                .and_then(|(_, value)| parse_range(value));
            if let Some(merge) = merge {
                self.facts.merges.push(merge);
            }
        }
        if !self.facts.autofilter {
            self.facts.autofilter = self
                .filter
                .find_iter(text)
                .any(|hit| tag_around(text, hit).is_some_and(|t| local_name(t) == b"autoFilter"));
        }
    }
}

/// The tag (from '<' to '>') that the byte at `at` lies in, if it lies in one.
fn tag_around(text: &[u8], at: usize) -> Option<&[u8]> {
    let start = memchr::memrchr(b'<', &text[..at])?;
    if at - start > MAX_TAG || memchr::memchr(b'>', &text[start..at]).is_some() {
        return None;
    }
    let end = at + memchr::memchr(b'>', &text[at..(at + MAX_TAG).min(text.len())])?;
    Some(&text[start..=end])
}

/// The element name of a tag without its namespace prefix: `<x:row r="1">` → `row`.
fn local_name(tag: &[u8]) -> &[u8] {
    let body = &tag[1..];
    let end = body
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(body.len());
    local(&body[..end])
}

fn local(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The attributes of a tag as (name, raw value) pairs.
pub(crate) fn attributes(tag: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let name_end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(tag.len());
    let mut rest = &tag[name_end..];
    std::iter::from_fn(move || loop {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let eq = rest.iter().position(|b| *b == b'=' || *b == b'>')?;
        if rest[eq] == b'>' {
            return None;
        }
        let name = rest[..eq].trim_ascii();
        let after = &rest[eq + 1..];
        let q = after.iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = after[q];
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = q + 1;
        let len = after[value_start..].iter().position(|b| *b == quote)?;
        let value = &after[value_start..value_start + len];
        rest = &after[value_start + len + 1..];
        if name.is_empty() {
            continue;
        }
        return Some((name, value));
    })
}

/// "B3" → (row 2, column 1), 0-based.
fn parse_cell(text: &[u8]) -> Option<(u32, u32)> {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 || letters == text.len() {
        return None;
    }
    let mut col: u32 = 0;
    for b in &text[..letters] {
        col = col * 26 + (b.to_ascii_uppercase() - b'A') as u32 + 1;
    }
    let row: u32 = std::str::from_utf8(&text[letters..]).ok()?.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// "A3:A6" → the merge; a single cell is no merge.
fn parse_range(text: &[u8]) -> Option<Merge> {
    let colon = memchr::memchr(b':', text)?;
    let (a, b) = (parse_cell(&text[..colon])?, parse_cell(&text[colon + 1..])?);
    let merge = Merge {
        first_row: a.0.min(b.0),
        last_row: a.0.max(b.0),
        first_col: a.1.min(b.1),
        last_col: a.1.max(b.1),
    };
    (merge.first_row != merge.last_row || merge.first_col != merge.last_col).then_some(merge)
}

/// Sheet names by worksheet part ("xl/worksheets/sheet1.xml"), from the workbook part
/// and its relationships. Part names are lower-case with forward slashes.
pub fn sheet_parts(workbook: &[u8], rels: &[u8]) -> HashMap<String, String> {
    let mut targets: HashMap<Vec<u8>, String> = HashMap::new();
    for tag in tags_named(rels, b"Relationship") {
        let mut id = None;
        let mut target = None;
        for (name, value) in attributes(tag) {
            match name {
                b"Id" => id = Some(value.to_vec()),
                b"Target" => target = Some(unescape(value)),
                _ => {}
            }
        }
        if let (Some(id), Some(target)) = (id, target) {
            let target = target.replace('\\', "/");
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{}", target.trim_start_matches("./")),
            };
            targets.insert(id, part.to_lowercase());
        }
    }
    let mut parts = HashMap::new();
    for tag in tags_named(workbook, b"sheet") {
        let mut sheet = None;
        let mut id = None;
        for (name, value) in attributes(tag) {
            if name == b"name" {
                sheet = Some(unescape(value));
            } else if local(name) == b"id" && name.contains(&b':') {
                id = Some(value);
            }
        }
        if let (Some(sheet), Some(part)) = (sheet, id.and_then(|id| targets.get(id))) {
            parts.insert(part.clone(), sheet);
        }
    }
    parts
}

/// Every tag in a small part whose local name is `name`.
fn tags_named<'a>(text: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    memchr::memchr_iter(b'<', text).filter_map(move |start| {
        let len = memchr::memchr(b'>', &text[start..])?;
        let tag = &text[start..=start + len];
        (local_name(tag) == name).then_some(tag)
    })
}

/// An attribute value with XML's entities replaced.
fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.contains('&') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|s| *s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Spreads the value of each merged cell that spans several rows down over the rows of
/// its range, in its first column, where those rows hold data and the cell is empty
/// (Excel keeps the value in the first cell only). `rows[i]` is sheet row
/// `row_offset + i` (0-based). At most `budget` cells are looked at, so overlapping
/// merges in a hostile file cannot make this quadratic.
pub fn spread_merges(
    rows: &mut [Vec<Cell>],
    row_offset: u32,
    merges: &[Merge],
    mut budget: u64,
) -> Vec<MergeSpread> {
    let mut spreads = Vec::new();
    for merge in merges.iter().filter(|m| m.last_row > m.first_row) {
        let col = merge.first_col as usize;
        let Some(first) = merge.first_row.checked_sub(row_offset) else {
            continue;
        };
        let value = match rows.get(first as usize).and_then(|r| r.get(col)) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => continue,
        };
        let last = (merge.last_row - row_offset) as usize;
        let mut filled = Vec::new();
        for index in first as usize + 1..=last.min(rows.len().saturating_sub(1)) {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let row = &mut rows[index];
            if !row.iter().any(|c| !c.is_empty()) || row.get(col).is_some_and(|c| !c.is_empty()) {
                continue;
            }
            if row.len() <= col {
                row.resize(col + 1, Cell::Empty);
            }
            row[col] = value.clone();
            filled.push(row_offset + index as u32 + 1);
        }
        if !filled.is_empty() {
            spreads.push(MergeSpread {
                range: merge.label(),
                rows: filled,
            });
        }
    }
    spreads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_in_chunks(xml: &str, size: usize) -> PartFacts {
        let mut scanner = PartScanner::default();
        for chunk in xml.as_bytes().chunks(size) {
            scanner.feed(chunk);
        }
        scanner.finish()
    }

    const SHEET: &str = r#"<?xml version="1.0"?><x:worksheet xmlns:x="main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>hidden="1" row</x:t></x:is></x:c></x:row><x:row r="2" spans="1:2" hidden="1" ht="15"><x:c r="A2"><x:v>1</x:v></x:c></x:row><x:row r="3"/><x:row hidden='true' r="14"/></x:sheetData><x:autoFilter ref="A1:B14"/><x:mergeCells count="2"><x:mergeCell ref="A3:A6"/><x:mergeCell ref="B1:C1"/></x:mergeCells></x:worksheet>"#;

    #[test]
    fn hidden_rows_filter_and_merges_are_found_whatever_the_chunk_size() {
        let expected = PartFacts {
            hidden_rows: vec![2, 14],
            autofilter: true,
            merges: vec![
                Merge {
                    first_row: 2,
                    last_row: 5,
                    first_col: 0,
                    last_col: 0,
                },
                Merge {
                    first_row: 0,
                    last_row: 0,
                    first_col: 1,
                    last_col: 2,
                },
            ],
        };
        for size in [1, 2, 3, 7, 16, 64, 100_000] {
            assert_eq!(scan_in_chunks(SHEET, size), expected, "chunk size {size}");
        }
    }

    #[test]
    fn sheet_names_are_mapped_to_their_parts() {
        let workbook = br#"<workbook xmlns:r="rel"><sheets><sheet name="Personal &amp; l&#xF6;n" sheetId="1" r:id="rId2"/><sheet name="B" sheetId="2" r:id="rId1"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Type="t" Target="/xl/worksheets/Sheet2.xml"/><Relationship Id="rId2" Type="t" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let parts = sheet_parts(workbook, rels);
        assert_eq!(parts["xl/worksheets/sheet1.xml"], "Personal & lön");
        assert_eq!(parts["xl/worksheets/sheet2.xml"], "B");
    }

    #[test]
    fn a_merged_value_goes_to_the_data_rows_of_its_range_only() {
        let t = |s: &str| Cell::Text(s.into());
        let mut rows = vec![
            vec![t("Namn"), t("Enhet")],
            vec![t("Anna"), t("Skola")],
            vec![t("Bo")],
            vec![],
            vec![t("Cecilia"), t("Annan")],
            vec![t("David")],
        ];
        let merge = Merge {
            first_row: 1,
            last_row: 5,
            first_col: 1,
            last_col: 1,
        };
        let spreads = spread_merges(&mut rows, 0, &[merge], 1000);
        assert_eq!(
            spreads,
            vec![MergeSpread {
                range: "B2:B6".into(),
                rows: vec![3, 6]
            }]
        );
        assert_eq!(rows[2][1], t("Skola"));
        assert!(rows[3].is_empty());
        assert_eq!(rows[4][1], t("Annan"));
        assert_eq!(rows[5][1], t("Skola"));
    }
}
