//! The reading side of streaming (see [`RowHook`]): rows are kept until there are enough
//! to show the hook, then handed to its sink window by window, each window as long as the
//! head, so a reader holds at most that many rows. Shared by the xlsx and CSV readers.

use crate::ingest::{Cell, RawSheet, RowHook, RowSink};

/// Whether a sheet's rows go to a [`RowSink`] as they are read.
pub(crate) enum RowStream<'h, 'o> {
    /// Rows are kept (no hook, the hook declined, or a sheet read again whole).
    Off,
    /// Rows are kept until there are enough to show the hook.
    Waiting(&'h mut (dyn RowHook + 'o)),
    /// Rows go to the sink in windows; the head shown to the hook is kept as the sheet's
    /// rows (its header).
    On(Box<dyn RowSink + 'h>, Box<RawSheet>),
}

/// A reader's rows: those from sheet row `base` on (earlier ones went to the sink), and
/// the emptied row vectors of the last window, for reuse.
#[derive(Default)]
pub(crate) struct HeldRows {
    pub rows: Vec<Vec<Cell>>,
    pub base: usize,
    pub spare: Vec<Vec<Cell>>,
}

impl HeldRows {
    /// An empty row vector, reused from a window handed on when there is one.
    pub fn reused_row(spare: &mut Vec<Vec<Cell>>, width: usize) -> Vec<Cell> {
        let mut cells = spare.pop().unwrap_or_default();
        cells.clear();
        cells.reserve(width);
        cells
    }
}

/// How a streamed sheet ended.
pub(crate) enum Ending {
    /// It did not stream: the sheet given to [`RowStream::finish`] with all its rows.
    Kept(RawSheet),
    /// The sink took every row: the sheet with its head rows and what the sink built.
    Streamed(RawSheet),
    /// The sink gave up: read the sheet again, whole.
    ReadAgain,
}

impl<'h, 'o> RowStream<'h, 'o> {
    pub fn new(hook: Option<&'h mut (dyn RowHook + 'o)>) -> Self {
        match hook {
            Some(hook) => RowStream::Waiting(hook),
            None => RowStream::Off,
        }
    }

    /// After a complete row: shows the head to the hook or hands a full window to the
    /// sink. False when the sink gave up (the sheet must be read again, whole).
    /// `sheet`: the sheet's name and hidden state; `rows_hint`: the rows it says it has.
    pub fn after_row(
        &mut self,
        held: &mut HeldRows,
        sheet: &RawSheet,
        head_rows: usize,
        rows_hint: usize,
    ) -> bool {
        if held.rows.len() < head_rows {
            return true;
        }
        match self {
            RowStream::Off => true,
            RowStream::Waiting(_) => {
                let RowStream::Waiting(hook) = std::mem::replace(self, RowStream::Off) else {
                    return true;
                };
                let mut head = window_of(sheet, 0);
                head.rows = std::mem::take(&mut held.rows);
                match hook.begin(&head, rows_hint) {
                    Some(mut sink) => {
                        if sink.take(&head).is_err() {
                            return false;
                        }
                        held.base = head.rows.len();
                        *self = RowStream::On(sink, Box::new(head));
                    }
                    // Declined: the rows stay, the sheet is kept whole.
                    None => held.rows = head.rows,
                }
                true
            }
            RowStream::On(sink, _) => {
                let mut window = window_of(sheet, held.base);
                window.rows = std::mem::take(&mut held.rows);
                held.base += window.rows.len();
                let taken = sink.take(&window).is_ok();
                // The window's row vectors are reused for the next rows' cells.
                held.spare = window.rows;
                taken
            }
        }
    }

    /// At the sheet's end. `facts`: the sheet without rows, with what only its end tells
    /// (hidden rows, formula texts); `whole_needed`: something the rows no longer held
    /// would need (merged ranges to spread over them).
    pub fn finish(self, held: HeldRows, mut facts: RawSheet, whole_needed: bool) -> Ending {
        let RowStream::On(mut sink, head) = self else {
            facts.rows = held.rows;
            return Ending::Kept(facts);
        };
        let mut window = window_of(&facts, held.base);
        window.rows = held.rows;
        if whole_needed || sink.take(&window).is_err() {
            return Ending::ReadAgain;
        }
        let mut sheet = facts;
        match sink.finish() {
            Ok(streamed) => {
                sheet.rows = head.rows;
                sheet.streamed = Some(streamed);
                Ending::Streamed(sheet)
            }
            Err(_) => Ending::ReadAgain,
        }
    }
}

/// An empty window of `sheet` starting at sheet row `base` (0-based).
fn window_of(sheet: &RawSheet, base: usize) -> RawSheet {
    let mut window = RawSheet::named(sheet.sheet.clone());
    window.hidden = sheet.hidden;
    window.row_offset = base as u32;
    window
}
