//! A sheet held compactly while it waits: the parts of a city-wide file are split out at
//! the start of a batch and each waits until its unit runs. As cells (24 bytes each, a
//! vector per row) the parts of a 250 000-row incident log took ~75 MB for the whole
//! run's first minutes; packed — each distinct text once in a table, a cell a tag and a
//! few bytes — they take a fraction of it. [`PackedSheet::unpack`] gives back exactly the
//! sheet that was packed.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime};

use crate::fasthash::TextMemo;
use crate::ingest::{Cell, RawSheet};

/// A sheet's rows as bytes, its texts in a table; everything else as it was.
#[derive(Debug)]
pub struct PackedSheet {
    /// The sheet without its rows.
    sheet: RawSheet,
    texts: Vec<Arc<str>>,
    bytes: Vec<u8>,
    rows: usize,
}

const EMPTY: u8 = 0;
const TEXT: u8 = 1;
const NUMBER: u8 = 2;
const FALSE: u8 = 3;
const TRUE: u8 = 4;
const DATETIME: u8 = 5;
const ERROR: u8 = 6;

/// Packs a sheet's rows one by one, as they are read (a city-wide file is split while
/// it streams in, its rows never held as cells); [`Packer::finish`] gives the same
/// [`PackedSheet`] as [`PackedSheet::pack`] of the whole sheet.
pub struct Packer {
    texts: Vec<Arc<str>>,
    /// Every distinct text's place in `texts` (all of them: a text missing here would
    /// be stored twice).
    index: TextMemo<u32>,
    bytes: Vec<u8>,
    rows: usize,
}

impl Default for Packer {
    fn default() -> Self {
        Packer {
            texts: Vec::new(),
            index: TextMemo::bounded(usize::MAX),
            bytes: Vec::new(),
            rows: 0,
        }
    }
}

impl Packer {
    pub fn push_row(&mut self, row: &[Cell]) {
        let Packer {
            texts,
            index,
            bytes,
            rows,
        } = self;
        let mut text_index = |t: &Arc<str>| -> u32 {
            if let Some(i) = index.get(t, t) {
                return i;
            }
            texts.push(Arc::clone(t));
            let i = (texts.len() - 1) as u32;
            index.insert(t, t, i);
            i
        };
        put_varint(bytes, row.len() as u64);
        for cell in row {
            match cell {
                Cell::Empty => bytes.push(EMPTY),
                Cell::Text(t) => {
                    bytes.push(TEXT);
                    put_varint(bytes, text_index(t) as u64);
                }
                Cell::Number(n) => {
                    bytes.push(NUMBER);
                    bytes.extend_from_slice(&n.to_le_bytes());
                }
                Cell::Bool(b) => bytes.push(if *b { TRUE } else { FALSE }),
                Cell::DateTime(dt) => {
                    let at = dt.and_utc();
                    bytes.push(DATETIME);
                    bytes.extend_from_slice(&at.timestamp().to_le_bytes());
                    bytes.extend_from_slice(&at.timestamp_subsec_nanos().to_le_bytes());
                }
                Cell::Error(e) => {
                    bytes.push(ERROR);
                    put_varint(bytes, text_index(e) as u64);
                }
            }
        }
        *rows += 1;
    }

    /// The packed sheet: `sheet`'s facts (its rows, if any, are not used) and the rows
    /// pushed.
    pub fn finish(self, mut sheet: RawSheet) -> PackedSheet {
        let Packer {
            mut texts,
            mut bytes,
            rows,
            ..
        } = self;
        sheet.rows = Vec::new();
        bytes.shrink_to_fit();
        texts.shrink_to_fit();
        PackedSheet {
            sheet,
            texts,
            bytes,
            rows,
        }
    }
}

impl PackedSheet {
    pub fn pack(mut sheet: RawSheet) -> PackedSheet {
        let rows = std::mem::take(&mut sheet.rows);
        let mut packer = Packer::default();
        for row in &rows {
            packer.push_row(row);
        }
        packer.finish(sheet)
    }

    /// How many rows the sheet has.
    pub fn row_count(&self) -> usize {
        self.rows
    }

    /// The sheet as it was packed.
    pub fn unpack(self) -> RawSheet {
        let PackedSheet {
            mut sheet,
            texts,
            bytes,
            rows,
        } = self;
        let mut at = 0usize;
        let mut out = Vec::with_capacity(rows);
        for _ in 0..rows {
            let width = varint(&bytes, &mut at) as usize;
            let mut row = Vec::with_capacity(width);
            for _ in 0..width {
                let tag = bytes[at];
                at += 1;
                row.push(match tag {
                    TEXT => Cell::Text(Arc::clone(&texts[varint(&bytes, &mut at) as usize])),
                    ERROR => Cell::Error(Arc::clone(&texts[varint(&bytes, &mut at) as usize])),
                    NUMBER => Cell::Number(f64::from_le_bytes(take(&bytes, &mut at))),
                    FALSE => Cell::Bool(false),
                    TRUE => Cell::Bool(true),
                    DATETIME => {
                        let secs = i64::from_le_bytes(take(&bytes, &mut at));
                        let nanos = u32::from_le_bytes(take(&bytes, &mut at));
                        // Written from a valid date-time above: always one again.
                        DateTime::from_timestamp(secs, nanos)
                            .map(|d| Cell::DateTime(d.naive_utc()))
                            .unwrap_or(Cell::DateTime(NaiveDateTime::MIN))
                    }
                    _ => Cell::Empty,
                });
            }
            out.push(row);
        }
        sheet.rows = out;
        sheet
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[*at..*at + N]);
    *at += N;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_packed_sheet_unpacks_to_the_same_cells_and_facts() {
        let shared: Arc<str> = Arc::from("Nätfiske – phishing\u{a0}(ÅÄÖ)");
        let mut sheet = RawSheet::named(Some("Ärenden".into()));
        sheet.row_offset = 3;
        sheet.row_numbers = vec![4, 9, 12, 13];
        sheet.hidden_rows = vec![9];
        sheet.formula_texts = vec!["B9".into()];
        let when = NaiveDate::from_ymd_opt(2025, 3, 14)
            .unwrap()
            .and_hms_nano_opt(10, 22, 33, 123_456_789)
            .unwrap();
        let early = NaiveDate::from_ymd_opt(1899, 12, 31)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        sheet.rows = vec![
            vec![
                Cell::Text("Ärendenummer".into()),
                Cell::Text("Datum".into()),
            ],
            vec![],
            vec![
                Cell::Text(Arc::clone(&shared)),
                Cell::DateTime(when),
                Cell::Empty,
                Cell::Number(-0.5),
                Cell::Number(f64::MAX),
                Cell::Bool(true),
                Cell::Bool(false),
                Cell::Error("#N/A".into()),
            ],
            (0..200)
                .map(|i| match i % 3 {
                    0 => Cell::Text(Arc::clone(&shared)),
                    1 => Cell::DateTime(early),
                    _ => Cell::Number(i as f64 * 1e9),
                })
                .collect(),
        ];
        let before = format!("{sheet:?}");
        let packed = PackedSheet::pack(sheet);
        assert_eq!(packed.row_count(), 4);
        // The shared text is in the table once.
        assert_eq!(packed.texts.iter().filter(|t| ***t == *shared).count(), 1);
        assert_eq!(format!("{:?}", packed.unpack()), before);
    }
}
