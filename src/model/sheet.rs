//! Row access shared by the input kinds: walks the data rows under a recognised header,
//! skipping what is not data (blank rows, repeated headers, totals rows), and records
//! problems with their file, sheet, row and column.
//!
//! This is where input text enters the model, so the privacy rule is applied here:
//! [`SheetReader::text`] gives screened text (identifiers replaced, see
//! [`crate::privacy`]), only [`SheetReader::identity`] gives a raw value, for matching
//! persons and case numbers, and a problem never carries the cell's value, only a
//! description of it.

use std::borrow::Cow;
use std::sync::Arc;

use crate::fasthash::TextMemo;
use crate::ingest::header::{column_ref, HeaderMap};
use crate::ingest::value::DateOrder;
use crate::ingest::{Cell, RawSheet};
use crate::model::{Place, Problem, Severity};
use crate::privacy;
use crate::textnorm::normalize;

/// One sheet being turned into records.
pub struct SheetReader<'a> {
    pub file: &'a str,
    pub sheet: &'a RawSheet,
    pub map: &'a HeaderMap,
    pub problems: Vec<Problem>,
    pub rows_read: usize,
    pub rows_rejected: usize,
    /// Date order decided per column (role → order).
    date_orders: Vec<(String, DateOrder)>,
    /// Screened text per distinct raw text (statuses, courses, units repeat on every
    /// row): each distinct value is screened once. `None`: longer than a cell holds.
    screened: TextMemo<Option<Arc<str>>>,
    /// The data rows, found once (the readers and each date column's order use them).
    data_rows: Vec<Row<'a>>,
    /// Where each role's value is, found once: asked for several roles on every row.
    sources: Vec<(&'a str, RoleSource<'a>)>,
}

/// Where the value of a role comes from in a sheet.
#[derive(Clone, Copy)]
enum RoleSource<'a> {
    Column(usize),
    /// The same value on every row, from outside the columns.
    Constant(&'a Cell),
}

/// Distinct texts remembered per sheet; a column of unique values (titles) stops
/// being remembered there, so memory stays bounded by what repeats. The readers'
/// own memos (a course's mandatory index, a status) use the same bound.
pub const SCREEN_MEMO_LIMIT: usize = crate::fasthash::TEXT_MEMO_LIMIT;

/// What one window's reader of a streamed sheet hands to the next window's.
#[derive(Default)]
pub struct ReaderCarry {
    pub problems: Vec<Problem>,
    pub rows_read: usize,
    pub rows_rejected: usize,
    date_orders: Vec<(String, DateOrder)>,
    screened: TextMemo<Option<Arc<str>>>,
}

/// One data row.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    pub index: usize,
    pub cells: &'a [Cell],
}

static EMPTY: Cell = Cell::Empty;

impl<'a> Row<'a> {
    pub fn at(&self, col: usize) -> &'a Cell {
        self.cells.get(col).unwrap_or(&EMPTY)
    }
}

impl<'a> SheetReader<'a> {
    pub fn new(file: &'a str, sheet: &'a RawSheet, map: &'a HeaderMap) -> SheetReader<'a> {
        SheetReader::of_rows(file, sheet, map, None)
    }

    /// A reader of some of the sheet's rows only (`only`: indices into its rows, in
    /// order; the rows of one förvaltning in a city-wide sheet), or of every row.
    pub fn of_rows(
        file: &'a str,
        sheet: &'a RawSheet,
        map: &'a HeaderMap,
        only: Option<&[usize]>,
    ) -> SheetReader<'a> {
        let first = map.header_index + 1;
        SheetReader::with_carry(file, sheet, map, only, first, ReaderCarry::default())
    }

    /// A reader of one window of a sheet streamed as it is read (see
    /// [`crate::ingest::RowSink`]): its data rows start at `first` (after the header in
    /// the first window, 0 in the next), and it goes on from what the reader of the
    /// window before handed on ([`SheetReader::into_carry`]).
    pub fn of_window(
        file: &'a str,
        window: &'a RawSheet,
        map: &'a HeaderMap,
        first: usize,
        carry: ReaderCarry,
    ) -> SheetReader<'a> {
        SheetReader::with_carry(file, window, map, None, first, carry)
    }

    fn with_carry(
        file: &'a str,
        sheet: &'a RawSheet,
        map: &'a HeaderMap,
        only: Option<&[usize]>,
        first: usize,
        carry: ReaderCarry,
    ) -> SheetReader<'a> {
        SheetReader {
            file,
            sheet,
            map,
            problems: carry.problems,
            rows_read: carry.rows_read,
            rows_rejected: carry.rows_rejected,
            date_orders: carry.date_orders,
            screened: carry.screened,
            data_rows: SheetReader::find_rows(sheet, map, only, first),
            sources: SheetReader::role_sources(map),
        }
    }

    /// The roles' columns, then the constants of roles without a column (a column
    /// wins); a `Vec` scanned by length first costs less per row than the maps.
    fn role_sources(map: &'a HeaderMap) -> Vec<(&'a str, RoleSource<'a>)> {
        let mut sources: Vec<(&'a str, RoleSource<'a>)> = map
            .roles
            .iter()
            .map(|(role, col)| (role.as_str(), RoleSource::Column(*col)))
            .collect();
        for (role, cell) in &map.constants {
            if !map.roles.contains_key(role) {
                sources.push((role.as_str(), RoleSource::Constant(cell)));
            }
        }
        sources
    }

    fn source(&self, role: &str) -> Option<RoleSource<'a>> {
        self.sources
            .iter()
            .find(|(r, _)| r.len() == role.len() && r.as_bytes() == role.as_bytes())
            .map(|(_, source)| *source)
    }

    fn column(&self, role: &str) -> Option<usize> {
        match self.source(role) {
            Some(RoleSource::Column(c)) => Some(c),
            _ => None,
        }
    }

    /// What the reader of the next window of a streamed sheet goes on from: problems
    /// and counts so far, the decided date orders and the screened texts.
    pub fn into_carry(self) -> ReaderCarry {
        ReaderCarry {
            problems: self.problems,
            rows_read: self.rows_read,
            rows_rejected: self.rows_rejected,
            date_orders: self.date_orders,
            screened: self.screened,
        }
    }

    /// Data rows below the header, without blank rows, repeated header rows and totals rows.
    pub fn rows(&self) -> Vec<Row<'a>> {
        self.data_rows.clone()
    }

    /// How many [`SheetReader::rows`] there are.
    pub fn row_count(&self) -> usize {
        self.data_rows.len()
    }

    fn find_rows(
        sheet: &'a RawSheet,
        map: &HeaderMap,
        only: Option<&[usize]>,
        first: usize,
    ) -> Vec<Row<'a>> {
        let header = Headings::new(map.headers.iter().map(|h| normalize(h)));
        let key_cols: Vec<usize> = map.roles.values().copied().collect();
        // Per column, whether a text normalises to its heading: a status column under
        // "Status" holds "Slutförd" and "Startad" on every row, one shared text each.
        let mut heading_memo: Vec<TextMemo<bool>> = header
            .norm
            .iter()
            .map(|_| TextMemo::bounded(HEADING_MEMO_LIMIT))
            .collect();
        let mut is_data = |cells: &[Cell]| {
            cells.iter().any(|c| !c.is_empty())
                && !is_repeated_header(cells, &header, &mut heading_memo)
                && !is_totals_row(cells, &key_cols)
        };
        let row = |index: usize| Row {
            index,
            cells: sheet.rows[index].as_slice(),
        };
        match only {
            Some(indices) => indices
                .iter()
                .copied()
                .filter(|i| *i >= first && *i < sheet.rows.len())
                .map(row)
                .filter(|r| is_data(r.cells))
                .collect(),
            None => (first..sheet.rows.len())
                .map(row)
                .filter(|r| is_data(r.cells))
                .collect(),
        }
    }

    /// The cell of a role in a row; a constant for every row when the role comes from
    /// outside the columns (file name, title row, `[[files]] set`).
    pub fn cell(&self, row: Row<'a>, role: &str) -> &'a Cell {
        match self.source(role) {
            Some(RoleSource::Column(c)) => row.at(c),
            Some(RoleSource::Constant(cell)) => cell,
            None => &EMPTY,
        }
    }

    pub fn has(&self, role: &str) -> bool {
        self.source(role).is_some()
    }

    /// True when the role has a column of its own (not a constant).
    pub fn has_column(&self, role: &str) -> bool {
        self.column(role).is_some()
    }

    /// Reads a date of a role's column in the order (day or month first) decided for
    /// the whole column.
    pub fn datetime(&mut self, row: Row<'a>, role: &str) -> Option<chrono::NaiveDateTime> {
        let order = self.date_order(role);
        crate::ingest::value::parse_datetime_in(self.cell(row, role), order)
    }

    /// The day/month order of a column's slash dates, decided once from every value in
    /// it; an undecidable column is read day first (Swedish), and either decision that
    /// is not the default is noted.
    pub fn date_order(&mut self, role: &str) -> DateOrder {
        if let Some(o) = self.date_orders.iter().find(|(r, _)| r == role) {
            return o.1;
        }
        let order = match self.column(role) {
            None => DateOrder::DayFirst,
            Some(col) => {
                let rows = self.rows();
                let texts = rows.iter().filter_map(|r| match r.at(col) {
                    Cell::Text(t) => Some(&**t),
                    _ => None,
                });
                let (order, decided) = crate::ingest::value::decide_date_order(texts);
                let label = column_ref(col, &self.map.headers);
                match (order, decided) {
                    (DateOrder::MonthFirst, _) => self.note_column(
                        &label,
                        "datumen står med månaden först (MM/DD/ÅÅÅÅ, amerikansk ordning): minst ett datum har en dag över 12 på andra plats",
                        "Hela kolumnen läses med månaden först.",
                    ),
                    (DateOrder::DayFirst, false) => self.note_column(
                        &label,
                        "datumen med snedstreck kan läsas både med dagen och med månaden först (t.ex. 03/04/25)",
                        "Hela kolumnen läses med dagen först (svensk ordning). Kontrollera exporten om systemet skriver amerikanska datum.",
                    ),
                    _ => {}
                }
                order
            }
        };
        self.date_orders.push((role.to_string(), order));
        order
    }

    fn note_column(&mut self, column: &str, message: &str, action: &str) {
        self.push(
            None,
            Some(column.to_string()),
            &EMPTY,
            Severity::Note,
            message,
            action,
        );
    }

    /// Text of a role's cell, trimmed and screened for identifiers; `None` when blank.
    /// This is the text that may reach an output (a title, a unit, a category), so a
    /// text longer than an Excel cell holds is cut, with a note.
    pub fn text(&mut self, row: Row<'a>, role: &str) -> Option<String> {
        self.shared_text(row, role).map(|t| t.to_string())
    }

    /// [`SheetReader::text`], shared: the same value on many rows (a course, a unit)
    /// is one allocation however many records hold it.
    pub fn shared_text(&mut self, row: Row<'a>, role: &str) -> Option<Arc<str>> {
        let cell = self.cell(row, role);
        let fits = match cell {
            Cell::Text(whole) => {
                let raw = whole.trim();
                if raw.is_empty() {
                    return None;
                }
                match self.screened.get(whole, raw) {
                    Some(fits) => fits,
                    None => {
                        let fits = screen_fitting(raw).map(Arc::from);
                        self.screened.insert(whole, raw, fits.clone());
                        fits
                    }
                }
            }
            _ => screen_fitting(&self.identity(row, role)?).map(Arc::from),
        };
        match fits {
            Some(text) => Some(text),
            None => {
                let raw = self.identity(row, role)?;
                self.problem(
                    row,
                    role,
                    Severity::Note,
                    &format!(
                        "texten är längre än de {} tecken en cell i Excel rymmer",
                        privacy::EXCEL_CELL_CHARS
                    ),
                    "Texten kortades.",
                );
                privacy::fit_cell(&privacy::screen(&raw)).map(Arc::from)
            }
        }
    }

    /// The raw text of a role's cell, trimmed; `None` when blank. Only for values that
    /// are matched and never shown: person identifiers and case numbers.
    pub fn identity(&self, row: Row<'a>, role: &str) -> Option<String> {
        self.identity_str(row, role).map(Cow::into_owned)
    }

    /// [`SheetReader::identity`] borrowed from the cell where it is a text (no copy
    /// for a value that is only compared or normalised further).
    pub fn identity_str(&self, row: Row<'a>, role: &str) -> Option<Cow<'a, str>> {
        match self.cell(row, role) {
            Cell::Text(t) => {
                let t = t.trim();
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            other => {
                let t = other.text();
                let trimmed = t.trim();
                if trimmed.is_empty() {
                    None
                } else if trimmed.len() == t.len() {
                    Some(Cow::Owned(t))
                } else {
                    Some(Cow::Owned(trimmed.to_string()))
                }
            }
        }
    }

    fn column_label(&self, role: &str) -> Option<String> {
        self.column(role).map(|c| column_ref(c, &self.map.headers))
    }

    /// Records a problem with the cell of `role` in `row`.
    pub fn problem(
        &mut self,
        row: Row<'a>,
        role: &str,
        severity: Severity,
        message: &str,
        action: &str,
    ) {
        let cell = self.cell(row, role);
        self.push(
            Some(row),
            self.column_label(role),
            cell,
            severity,
            message,
            action,
        );
    }

    /// Records a problem with a column given by index (wide training matrices).
    pub fn problem_at(
        &mut self,
        row: Row<'a>,
        col: usize,
        severity: Severity,
        message: &str,
        action: &str,
    ) {
        let label = Some(column_ref(col, &self.map.headers));
        self.push(Some(row), label, row.at(col), severity, message, action);
    }

    /// Records a problem with a whole row and marks it rejected.
    pub fn reject(&mut self, row: Row<'a>, role: &str, message: &str) {
        self.rows_rejected += 1;
        self.problem(
            row,
            role,
            Severity::RowRejected,
            message,
            "Raden är utelämnad från nyckeltalen.",
        );
    }

    /// Records a sheet-level note.
    pub fn note(&mut self, message: &str, action: &str) {
        self.push(None, None, &EMPTY, Severity::Note, message, action);
    }

    fn push(
        &mut self,
        row: Option<Row<'a>>,
        column: Option<String>,
        cell: &Cell,
        severity: Severity,
        message: &str,
        action: &str,
    ) {
        let mut place = Place::sheet(self.file, self.sheet.sheet.clone());
        if let Some(r) = row {
            place = place.at_row(self.sheet.excel_row(r.index));
        }
        if let Some(c) = column {
            place = place.at_column(c);
        }
        let problem = Problem::new(severity, place, message, action);
        self.problems.push(if row.is_some() {
            problem.with_cell(&describe_cell(cell), &cell.display())
        } else {
            problem
        });
    }
}

/// The screened text when it fits in an Excel cell; `None` when it must be cut.
fn screen_fitting(raw: &str) -> Option<String> {
    let text = privacy::screen(raw);
    privacy::fit_cell(&text).is_none().then_some(text)
}

/// What a cell holds, for a problem description: its kind and size, never its value.
pub fn describe_cell(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "tomt".to_string(),
        Cell::Text(t) => privacy::describe_text(t),
        Cell::Number(_) => "tal".to_string(),
        Cell::Bool(_) => "sant/falskt".to_string(),
        Cell::DateTime(_) => "datum".to_string(),
        // Excel's own error codes (#N/A, #REF!) hold no input text.
        Cell::Error(e) => format!("felvärde {}", privacy::screen(e)),
    }
}

/// The first letter or digit of a text, lowercased, as `normalize` would begin it.
fn first_alnum_lower(text: &str) -> Option<char> {
    // Most texts begin with an ASCII letter or digit: read without decoding.
    if let Some(b) = text.bytes().next().filter(u8::is_ascii_alphanumeric) {
        return Some(char::from(b.to_ascii_lowercase()));
    }
    text.chars()
        .find(|c| c.is_alphanumeric())
        .and_then(|c| c.to_lowercase().next())
}

/// Distinct texts per column whose comparison with the heading is remembered.
const HEADING_MEMO_LIMIT: usize = 256;

/// A sheet's normalised headings, each with its first character (`None` for a blank
/// heading): every row is compared with them.
struct Headings {
    norm: Vec<String>,
    first: Vec<Option<char>>,
}

impl Headings {
    fn new(norm: impl Iterator<Item = String>) -> Headings {
        let norm: Vec<String> = norm.collect();
        let first = norm.iter().map(|h| h.chars().next()).collect();
        Headings { norm, first }
    }
}

/// `header` holds the normalised headings; `memo`, one per heading, what earlier rows'
/// texts gave.
fn is_repeated_header(cells: &[Cell], header: &Headings, memo: &mut [TextMemo<bool>]) -> bool {
    let mut same = 0;
    let mut filled = 0;
    for (i, c) in cells.iter().enumerate() {
        if c.is_empty() {
            continue;
        }
        filled += 1;
        // Decided once half the filled cells can no longer be headings, not even if
        // this cell and every one after it were.
        if 2 * same + (cells.len() - i) + 1 < filled {
            return false;
        }
        let Some(first) = header.first.get(i).copied().flatten() else {
            continue;
        };
        // Only a text cell can repeat a header; most data cells differ in their first
        // letter, so compare that before normalising.
        let Cell::Text(t) = c else {
            continue;
        };
        if first_alnum_lower(t) != Some(first) {
            continue;
        }
        let h = &header.norm[i];
        let is_heading = match memo.get_mut(i) {
            Some(memo) => match memo.get(t, t) {
                Some(known) => known,
                None => {
                    let known = *h == normalize(t);
                    memo.insert(t, t, known);
                    known
                }
            },
            None => *h == normalize(t),
        };
        if is_heading {
            same += 1;
        }
    }
    filled >= 2 && same * 2 >= filled
}

/// First words of a totals row's label.
const TOTALS_WORDS: [&str; 12] = [
    "summa",
    "totalt",
    "total",
    "totals",
    "sum",
    "delsumma",
    "antal",
    "medel",
    "medelvärde",
    "genomsnitt",
    "average",
    "count",
];

/// First words of the container headings `normalize` looks inside ("Custom field (X)").
const CONTAINER_WORDS: [&str; 6] = [
    "custom",
    "customfield",
    "anpassat",
    "anpassade",
    "egendefinierat",
    "extra",
];

/// False when a cell's text cannot begin with a totals word once normalised, decided
/// without copying it (the first cell of almost every row is a name, a number or a
/// date); true when it may, and `normalize` decides.
fn may_begin_with_totals_word(cell: &Cell) -> bool {
    let text = match cell {
        Cell::Text(t) => &**t,
        Cell::Error(e) => &**e,
        // Numbers, dates and SANT/FALSKT read as digits or those two words.
        _ => return false,
    };
    // The first word as `normalize` makes it: the first run of letters and digits,
    // lowercased. Read here while the text is Latin-1 (U+0000–U+00FF), where lowercasing
    // keeps a character a letter or not and maps it to one character (À–Þ but × up by
    // 0x20); at anything beyond, `normalize` decides. Most first words are names
    // ("Åsa", "Björn"), numbers and dates, and are refused without a copy.
    let beyond_latin1 = |c: char| u32::from(c) > 0xFF;
    let mut chars = text
        .char_indices()
        .skip_while(|(_, c)| !c.is_alphanumeric() && !beyond_latin1(*c));
    let Some((start, first)) = chars.next() else {
        return false;
    };
    if beyond_latin1(first) {
        return true;
    }
    let mut end = text.len();
    for (i, c) in chars {
        if beyond_latin1(c) {
            return true;
        }
        if !c.is_alphanumeric() {
            end = i;
            break;
        }
    }
    let word = &text[start..end];
    let mut words = TOTALS_WORDS.iter().chain(CONTAINER_WORDS.iter());
    if word.is_ascii() {
        return words.any(|w| w.eq_ignore_ascii_case(word));
    }
    let lower = |c: char| match u32::from(c) {
        code @ (0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE) => char::from((code + 0x20) as u8),
        _ => c,
    };
    words.any(|w| w.len() == word.len() && w.chars().eq(word.chars().map(lower)))
}

fn is_totals_row(cells: &[Cell], key_cols: &[usize]) -> bool {
    let Some((label_col, label)) = cells.iter().enumerate().find(|(_, c)| !c.is_empty()) else {
        return false;
    };
    if !may_begin_with_totals_word(label) {
        return false;
    }
    let first = normalize(&label.text());
    let word = first.split(' ').next().unwrap_or("");
    if !TOTALS_WORDS.contains(&word) {
        return false;
    }
    // A totals row fills few of the key columns (besides the one holding its label).
    let filled = key_cols
        .iter()
        .filter(|c| **c != label_col && cells.get(**c).is_some_and(|x| !x.is_empty()))
        .count();
    filled * 2 <= key_cols.len().max(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick look never refuses a text whose normalised first word is a totals word
    /// (it may let through more: `normalize` then decides), on texts of every kind.
    #[test]
    fn the_quick_look_lets_every_totals_label_through() {
        let pieces = [
            "",
            " ",
            "Summa",
            "summa",
            "TOTALT",
            "Sum",
            "Åsa",
            "Björn",
            "\u{a0}",
            "–",
            "(",
            ")",
            "[kr]",
            "İ",
            "\u{212a}",
            "x",
            "9",
            ":",
            "Custom field",
            "é",
            "\u{200b}",
            "Delsumma",
            "ß",
            "×",
            "MEDELVÄRDE",
            "Medelvärde",
            "medelv",
            "ärde",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    let norm = normalize(&text);
                    let first = norm.split(' ').next().unwrap_or("");
                    let cell = Cell::Text(Arc::from(text.as_str()));
                    let quick = may_begin_with_totals_word(&cell);
                    if TOTALS_WORDS.contains(&first) || CONTAINER_WORDS.contains(&first) {
                        assert!(quick, "{text:?}");
                    }
                }
            }
        }
        // Names, numbers and dates are refused by the quick look, never normalised.
        for text in [
            "Åsa Öberg",
            "Björn",
            "ÖSTERMALM",
            "2025-03-14",
            "E1043",
            "×",
        ] {
            assert!(
                !may_begin_with_totals_word(&Cell::Text(text.into())),
                "{text}"
            );
        }
    }

    /// The early decision of `is_repeated_header` gives what counting every cell gives,
    /// on every row of up to five cells of headings, values and blanks.
    #[test]
    fn a_repeated_header_is_decided_early_as_by_counting_every_cell() {
        let names = ["Namn", "Status", "Slutförd", "Enhet", ""];
        let header = Headings::new(names.iter().map(|h| normalize(h)));
        let counted = |cells: &[Cell]| {
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            let same = cells
                .iter()
                .enumerate()
                .filter(|(i, c)| match c {
                    Cell::Text(t) => header
                        .norm
                        .get(*i)
                        .is_some_and(|h| !h.is_empty() && *h == normalize(t)),
                    _ => false,
                })
                .count();
            filled >= 2 && same * 2 >= filled
        };
        // Per column: its heading, a value, a blank, a number.
        let choices = |col: usize| {
            [
                Cell::Text(Arc::from(names[col].to_uppercase().as_str())),
                Cell::Text(Arc::from("Åsa Öberg")),
                Cell::Empty,
                Cell::Number(3.0),
            ]
        };
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
        for col in 0..names.len() {
            let mut longer = Vec::new();
            for row in &rows {
                for c in choices(col) {
                    let mut next = row.clone();
                    next.push(c);
                    longer.push(next);
                }
            }
            rows.extend(longer);
        }
        for row in &rows {
            let mut memo: Vec<TextMemo<bool>> =
                header.norm.iter().map(|_| TextMemo::default()).collect();
            assert_eq!(
                is_repeated_header(row, &header, &mut memo),
                counted(row),
                "{row:?}"
            );
        }
    }

    #[test]
    fn a_repeated_header_is_known_by_its_shared_texts_as_by_their_content() {
        let header = Headings::new(["Namn", "Status", "Slutförd"].iter().map(|h| normalize(h)));
        let text = |t: &str| Cell::Text(Arc::from(t));
        // One shared text per distinct value, as a workbook's shared strings give them.
        let (status, started, done) = (text("STATUS"), text("Startad"), text("2025–03–14"));
        // A heading written with a non-breaking space and an emoji beside the value.
        let spaced = text("Slutförd\u{a0}✅");
        let heading_row = vec![text("Namn"), status.clone(), text("Slutförd")];
        let data_row = vec![text("Åsa Öberg"), started.clone(), done.clone()];
        let half_row = vec![text("Nils Ökvist"), status.clone(), done.clone()];
        let spaced_row = vec![text("NAMN"), status.clone(), spaced.clone()];
        let mut memo: Vec<TextMemo<bool>> =
            header.norm.iter().map(|_| TextMemo::default()).collect();
        for _ in 0..3 {
            for (row, repeated) in [
                (&heading_row, true),
                (&data_row, false),
                (&half_row, false),
                (&spaced_row, true),
            ] {
                assert_eq!(is_repeated_header(row, &header, &mut memo), repeated);
                assert_eq!(is_repeated_header(row, &header, &mut []), repeated);
            }
        }
    }

    #[test]
    fn the_quick_totals_check_passes_every_label_normalize_could_call_totals() {
        let labels = [
            "Summa",
            "  SUMMA:",
            "- Totalt (kr)",
            "Medelvärde",
            "Custom field (Summa)",
            "Anpassat fält (Antal)",
            "Sum(ma)",
            "Ämne",
            "Antal\u{0301}",
            "count",
        ];
        for label in labels {
            let cell = Cell::Text(label.into());
            let word = normalize(label).split(' ').next().unwrap_or("").to_string();
            if TOTALS_WORDS.contains(&word.as_str()) {
                assert!(may_begin_with_totals_word(&cell), "{label}");
            }
        }
        for label in ["Anna Andersson", "E1043", "2024-03-01", "Summary of", "Sam"] {
            assert!(
                !may_begin_with_totals_word(&Cell::Text(label.into())),
                "{label}"
            );
        }
        assert!(!may_begin_with_totals_word(&Cell::Number(5.0)));
        let rows = [
            vec![Cell::Text("Summa".into()), Cell::Empty, Cell::Number(5.0)],
            vec![
                Cell::Text("Anna".into()),
                Cell::Text("x".into()),
                Cell::Number(5.0),
            ],
        ];
        assert!(is_totals_row(&rows[0], &[1, 2]));
        assert!(!is_totals_row(&rows[1], &[1, 2]));
    }
}
