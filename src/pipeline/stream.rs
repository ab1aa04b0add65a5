//! Long training lists read as they stream in: a unit's training export can hold a
//! million rows (a row per person and course), and holding them as cells cost more
//! memory than everything else the unit needs. The xlsx and CSV readers show a long
//! sheet's first rows to [`TrainingStream`]; when they are recognised as a long
//! training list, every
//! later window of rows goes through [`LongReader`] into records at once, and only the
//! records are kept. `load::load_sheet` then finds the records on the sheet
//! ([`StreamedTraining`]) and says everything about the sheet as for one read whole.
//!
//! A sheet whose reading needs all its rows at once is not streamed, or is read again
//! whole when that shows only later: a known system's text dates, a förvaltning column
//! in a unit's folder (the unit's rows are picked from every row), slash dates (their
//! day/month order is decided from the whole column), merged cells (spread over rows at
//! the sheet's end), rows out of order.

use crate::config::Config;
use crate::ingest::{
    Cell, HeaderMap, RawSheet, Recogniser, RowHook, RowSink, StreamAbort, Streamed,
};
use crate::model::sheet::{ReaderCarry, SheetReader};
use crate::model::training::LongReader;
use crate::model::{Completion, InputKind, Problem};
use crate::pipeline::load::recognise_sheet;

/// Largest number of records reserved at once from what a sheet says of its size.
const MAX_RESERVED: usize = 1 << 20;

/// The hook given to the readers for one file of a unit.
pub struct TrainingStream<'c> {
    pub file: &'c str,
    pub cfg: &'c Config,
    pub rec: &'c Recogniser,
    /// A unit of a batch is being read: a sheet with a förvaltning column gives that
    /// unit's rows only, which needs every row, so such a sheet is kept whole.
    pub picks_unit_rows: bool,
}

/// What a streamed training list gave: the records and what its reader said.
pub struct StreamedTraining {
    pub completions: Vec<Completion>,
    /// In row order, as a reader of the whole sheet would have them.
    pub problems: Vec<Problem>,
    pub rows_read: usize,
    pub rows_rejected: usize,
    /// The sheet rows (1-based) of every data row, for what is said of hidden rows.
    pub data_rows: Vec<u32>,
}

impl RowHook for TrainingStream<'_> {
    fn begin(&mut self, head: &RawSheet, rows_hint: usize) -> Option<Box<dyn RowSink + '_>> {
        // As load_sheet recognises the sheet (which it does again on these rows).
        let (prepared, recognised) = recognise_sheet(head, self.file, self.cfg, self.rec);
        if prepared.system.is_some_and(|s| !s.date_formats.is_empty()) {
            return None;
        }
        let map = recognised.ok()?;
        if map.kind != InputKind::Training {
            return None;
        }
        if self.picks_unit_rows && map.col("administration").is_some() {
            return None;
        }
        Some(Box::new(TrainingSink {
            file: self.file,
            long: LongReader::new(self.cfg, self.rec),
            out: Vec::with_capacity(rows_hint.min(MAX_RESERVED)),
            carry: ReaderCarry::default(),
            first_window: true,
            data_rows: Vec::new(),
            map,
        }))
    }
}

struct TrainingSink<'c> {
    file: &'c str,
    map: HeaderMap,
    long: LongReader<'c>,
    out: Vec<Completion>,
    carry: ReaderCarry,
    first_window: bool,
    data_rows: Vec<u32>,
}

impl RowSink for TrainingSink<'_> {
    fn take(&mut self, window: &RawSheet) -> Result<(), StreamAbort> {
        // The first window is the head: its data rows start under the header.
        let first = if std::mem::take(&mut self.first_window) {
            self.map.header_index + 1
        } else {
            0
        };
        let carry = std::mem::take(&mut self.carry);
        let mut reader = SheetReader::of_window(self.file, window, &self.map, first, carry);
        let rows = reader.rows();
        if let Some(col) = self.map.col("completion_date") {
            // A slash date's order (day or month first) is decided from every date of
            // the column: only the whole sheet can say it.
            if rows
                .iter()
                .any(|row| matches!(row.at(col), Cell::Text(t) if t.contains('/')))
            {
                return Err(StreamAbort);
            }
        }
        self.data_rows
            .extend(rows.iter().map(|row| window.excel_row(row.index)));
        self.long.read(&mut reader, &mut self.out);
        self.carry = reader.into_carry();
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Streamed, StreamAbort> {
        let TrainingSink {
            file,
            mut out,
            carry,
            data_rows,
            ..
        } = *self;
        if std::env::var_os("GENOMGANG_DEBUG").is_some() {
            eprintln!(
                "debug: {file}: {} data rows read as the file streamed in, {} records",
                data_rows.len(),
                out.len()
            );
        }
        // A sheet that said it was much longer than it is leaves no reserve behind.
        if out.capacity() > out.len() + out.len() / 4 + 1024 {
            out.shrink_to_fit();
        }
        Ok(Streamed::new(Box::new(StreamedTraining {
            completions: out,
            problems: carry.problems,
            rows_read: carry.rows_read,
            rows_rejected: carry.rows_rejected,
            data_rows,
        })))
    }
}
