//! Training completion lists: the long form (one row per person and course) and the
//! wide matrix (one column per course). Both become [`Completion`] records.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::fasthash::{FxHashMap, FxHashSet, TextMemo};
use crate::ingest::header::Recogniser;
use crate::ingest::value::parse_datetime;
use crate::ingest::Cell;
use crate::model::roster::identified;
use crate::model::sheet::SheetReader;
use crate::model::{PersonIds, Severity};
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Completion {
    /// Shared: a person's rows (one per course) hold one record of their identifiers.
    pub ids: Arc<PersonIds>,
    /// Shared: a list repeats a few units and courses on every row.
    pub unit: Option<Arc<str>>,
    pub course: Arc<str>,
    /// Index into the configured mandatory courses, when the course is one (u32: a
    /// list holds hundreds of thousands of these; see `a_completion_is_56_bytes`).
    pub mandatory: Option<u32>,
    pub completed: bool,
    /// Completion date, when the export gives one.
    pub date: Option<NaiveDate>,
}

/// What a completion cell says.
#[derive(Clone, Copy)]
enum Reading {
    Done(Option<NaiveDate>),
    NotDone,
    Unknown,
}

/// The configured status words, normalised once per sheet rather than once per row,
/// and what each distinct status text of the sheet says (a list repeats a handful).
struct StatusWords {
    completed: Vec<String>,
    not_completed: Vec<String>,
    seen: TextMemo<Reading>,
}

impl StatusWords {
    fn new(cfg: &Config) -> StatusWords {
        let norm = |list: &[String]| list.iter().map(|v| normalize(v)).collect();
        StatusWords {
            completed: norm(&cfg.training.values.completed),
            not_completed: norm(&cfg.training.values.not_completed),
            seen: TextMemo::default(),
        }
    }

    /// [`read_status`], once per distinct text.
    fn read(&mut self, cell: &Cell) -> Reading {
        let Cell::Text(text) = cell else {
            return read_status(cell, self);
        };
        if let Some(reading) = self.seen.get(text, text) {
            return reading;
        }
        let reading = read_status(cell, self);
        self.seen.insert(text, text, reading);
        reading
    }
}

/// The mandatory course a course name is, once per distinct name of the sheet.
struct MandatoryMemo<'r> {
    rec: &'r Recogniser,
    seen: TextMemo<Option<usize>>,
}

impl<'r> MandatoryMemo<'r> {
    fn new(rec: &'r Recogniser) -> MandatoryMemo<'r> {
        MandatoryMemo {
            rec,
            seen: TextMemo::default(),
        }
    }

    fn index(&mut self, course: &Arc<str>) -> Option<usize> {
        if let Some(index) = self.seen.get(course, course) {
            return index;
        }
        let index = self.rec.mandatory_index(course);
        self.seen.insert(course, course, index);
        index
    }
}

fn read_status(cell: &Cell, words: &StatusWords) -> Reading {
    if cell.is_empty() {
        return Reading::NotDone;
    }
    if let Cell::DateTime(_) | Cell::Number(_) = cell {
        if let Some(d) = parse_datetime(cell) {
            return Reading::Done(Some(d.date()));
        }
    }
    let t = normalize(&cell.text());
    if words.not_completed.contains(&t) {
        return Reading::NotDone;
    }
    if words.completed.contains(&t) {
        return Reading::Done(None);
    }
    // Progress of a per-lesson matrix: "8/8" is completed, "6/8" is not.
    if let Some((done, total)) = crate::ingest::profile::progress_fraction(&cell.text()) {
        return if done == total {
            Reading::Done(None)
        } else {
            Reading::NotDone
        };
    }
    // Several statuses in one cell ("In progress, past due", "Completed / Passed"):
    // completed when one part says so, not completed when every part says not.
    let parts = crate::ingest::profile::status_parts(&cell.text());
    if parts.len() >= 2 {
        if parts.iter().any(|p| words.completed.contains(p)) {
            return Reading::Done(None);
        }
        if parts.iter().all(|p| words.not_completed.contains(p)) {
            return Reading::NotDone;
        }
    }
    match parse_datetime(cell) {
        Some(d) => Reading::Done(Some(d.date())),
        None => Reading::Unknown,
    }
}

/// Long list: person, course, status and/or completion date per row.
pub fn read_long(r: &mut SheetReader, cfg: &Config, rec: &Recogniser) -> Vec<Completion> {
    // One record per row at most: sized once, so a list of 10⁶ rows is not copied
    // while it doubles (and does not hold up to twice its size).
    let mut out = Vec::with_capacity(r.row_count());
    LongReader::new(cfg, rec).read(r, &mut out);
    out
}

/// Reads a long list's rows, in one go or window by window as the sheet streams in: what
/// repeats (statuses, courses, persons) is looked at once for the whole list.
pub struct LongReader<'r> {
    words: StatusWords,
    mandatory: MandatoryMemo<'r>,
    people: PeopleMemo,
    by_cells: CellsMemo,
}

impl<'r> LongReader<'r> {
    pub fn new(cfg: &Config, rec: &'r Recogniser) -> LongReader<'r> {
        LongReader {
            words: StatusWords::new(cfg),
            mandatory: MandatoryMemo::new(rec),
            people: PeopleMemo::default(),
            by_cells: CellsMemo::default(),
        }
    }

    /// Adds a record to `out` for each row of `r` that reads.
    pub fn read(&mut self, r: &mut SheetReader, out: &mut Vec<Completion>) {
        let LongReader {
            words,
            mandatory,
            people,
            by_cells,
        } = self;
        let id_cols: Vec<usize> = ID_ROLES.iter().filter_map(|role| r.map.col(role)).collect();
        for row in r.rows() {
            let key = CellsKey::of(&id_cols, row);
            let known = key.as_ref().and_then(|k| by_cells.get(k));
            let ids = match known {
                Some(ids) => ids,
                None => {
                    let Some(ids) = identified(r, row) else {
                        continue;
                    };
                    let (ids, known_person) = people.shared_and_known(ids);
                    if let Some(key) = key {
                        by_cells.remember(key, &id_cols, row, &ids, known_person);
                    }
                    ids
                }
            };
            let Some(course) = r.shared_text(row, "course") else {
                r.reject(row, "course", "raden saknar kursnamn");
                continue;
            };
            let status = if r.has("completion_status") {
                words.read(r.cell(row, "completion_status"))
            } else {
                Reading::Done(None)
            };
            let date_cell = r.cell(row, "completion_date");
            let (completed, date) = match status {
                Reading::NotDone => (false, None),
                Reading::Unknown => {
                    r.reject(
                        row,
                        "completion_status",
                        "statusen går inte att tolka som genomförd eller ej genomförd",
                    );
                    continue;
                }
                Reading::Done(from_status) => {
                    if date_cell.is_empty() {
                        // With only a date column, a blank date means not completed.
                        if r.has("completion_status") {
                            (true, from_status)
                        } else {
                            (false, None)
                        }
                    } else {
                        match r.datetime(row, "completion_date") {
                            Some(d) => (true, Some(d.date())),
                            None => {
                                r.reject(
                                    row,
                                    "completion_date",
                                    "datumet går inte att läsa (använd ÅÅÅÅ-MM-DD)",
                                );
                                continue;
                            }
                        }
                    }
                }
            };
            r.rows_read += 1;
            out.push(Completion {
                ids,
                unit: r.shared_text(row, "unit"),
                mandatory: mandatory.index(&course).and_then(|i| u32::try_from(i).ok()),
                course,
                completed,
                date,
            });
        }
    }
}

/// The roles a person's identifiers are read from (`roster::person_ids`).
const ID_ROLES: [&str; 7] = [
    "employee_number",
    "user_id",
    "personal_number",
    "email",
    "name",
    "first_name",
    "last_name",
];

/// Persons remembered by their rows' cells at most: a full table of 2^18 slots (hashbrown
/// fills 7/8 of its slots, so it never doubles to 2^19), ~27 MB at most, dropped when the
/// list is read. A list of more persons reads the rest by content through
/// [`PeopleMemo`]. At city scale (220 000 persons in one list) remembering every person
/// saved 4 % of that unit's instructions against a 2^16-slot table (callgrind), and the
/// batch's peak memory stayed the same (it comes later, with the KPIs).
const CELLS_MEMO_LIMIT: usize = (1 << 18) / 8 * 7;

/// A person's record by the very cells of their row's identifier columns: a person's
/// rows repeat the same shared texts (a workbook's shared strings) and numbers, so the
/// record is found without normalising and hashing the identifiers again. Texts are
/// compared by allocation: the key holds them, so an allocation is never another
/// text's. Cells that differ only by allocation miss and go through [`PeopleMemo`],
/// which finds the same record by content.
#[derive(Default)]
struct CellsMemo {
    seen: FxHashMap<CellsKey, Arc<PersonIds>>,
    /// The texts the kept keys point at, held so that their addresses stay theirs.
    texts: Vec<Arc<str>>,
    hits: usize,
    /// A person met again in other allocations (a CSV, a reader that does not share
    /// texts): past [`CELLS_MEMO_MISSES`] such misses beyond the hits, nothing more is
    /// remembered, so the memo never holds a list's texts for nothing.
    missed_again: usize,
}

/// See [`CellsMemo::missed_again`].
const CELLS_MEMO_MISSES: usize = 1024;

impl CellsMemo {
    fn get(&mut self, key: &CellsKey) -> Option<Arc<PersonIds>> {
        let found = self.seen.get(key).cloned();
        self.hits += usize::from(found.is_some());
        found
    }

    /// Remembers the person of `row`, whose identifier cells (in `cols`) make `key`.
    fn remember(
        &mut self,
        key: CellsKey,
        cols: &[usize],
        row: crate::model::sheet::Row,
        ids: &Arc<PersonIds>,
        known_person: bool,
    ) {
        self.missed_again += usize::from(known_person);
        let useful = self.missed_again <= self.hits + CELLS_MEMO_MISSES;
        if useful && self.seen.len() < CELLS_MEMO_LIMIT {
            for col in cols {
                if let Cell::Text(t) = row.at(*col) {
                    self.texts.push(Arc::clone(t));
                }
            }
            self.seen.insert(key, Arc::clone(ids));
        }
    }
}

/// The identifier cells of a row (at most four columns; blank ones included) as words:
/// a number by its bits, a text by its allocation's address (40 bytes, no count taken
/// on the texts). The memo holds the texts of the keys it keeps, so an address found
/// there is never another text's.
#[derive(PartialEq, Eq, Hash, Default)]
struct CellsKey {
    kinds: [u8; 4],
    words: [u64; 4],
}

const BLANK: u8 = 0;
const NUMBER: u8 = 1;
const TEXT: u8 = 2;

impl CellsKey {
    /// `None` for a row this memo cannot key (more than four identifier columns, or a
    /// cell that is neither text, number nor blank).
    fn of(cols: &[usize], row: crate::model::sheet::Row) -> Option<CellsKey> {
        if cols.len() > 4 {
            return None;
        }
        let mut key = CellsKey::default();
        for (i, col) in cols.iter().enumerate() {
            (key.kinds[i], key.words[i]) = match row.at(*col) {
                Cell::Empty => (BLANK, 0),
                Cell::Number(n) => (NUMBER, n.to_bits()),
                Cell::Text(t) => (TEXT, Arc::as_ptr(t) as *const u8 as usize as u64),
                _ => return None,
            };
        }
        Some(key)
    }
}

/// The persons of a long list, each once: a person has a row per course, and their
/// rows share one record of identifiers instead of a copy each.
#[derive(Default)]
struct PeopleMemo {
    seen: FxHashSet<Arc<PersonIds>>,
}

impl PeopleMemo {
    /// The person's shared record, and whether the person was met before.
    fn shared_and_known(&mut self, ids: PersonIds) -> (Arc<PersonIds>, bool) {
        if let Some(known) = self.seen.get(&ids) {
            return (Arc::clone(known), true);
        }
        let ids = Arc::new(ids);
        self.seen.insert(Arc::clone(&ids));
        (ids, false)
    }
}

/// Wide matrix: one column per course holding a date, a status or X.
pub fn read_wide(r: &mut SheetReader, cfg: &Config, rec: &Recogniser) -> Vec<Completion> {
    let mut words = StatusWords::new(cfg);
    let mut out = Vec::new();
    // Course names are header texts: screened once, matched to the mandatory courses
    // as written.
    let courses: Vec<(usize, Arc<str>, Option<usize>)> = r
        .map
        .course_columns
        .iter()
        .map(|(col, name)| {
            (
                *col,
                Arc::from(crate::privacy::screen(name)),
                rec.mandatory_index(name),
            )
        })
        .collect();
    for row in r.rows() {
        let Some(ids) = identified(r, row) else {
            continue;
        };
        let ids = Arc::new(ids);
        r.rows_read += 1;
        let unit = r.shared_text(row, "unit");
        for (col, course, mandatory) in &courses {
            let (completed, date) = match words.read(row.at(*col)) {
                Reading::Done(d) => (true, d),
                Reading::NotDone => (false, None),
                Reading::Unknown => {
                    r.problem_at(row, *col, Severity::RowRejected, "värdet går inte att tolka som genomförd (datum, Genomförd, X) eller ej genomförd", "Kursen räknas inte som genomförd för personen.");
                    continue;
                }
            };
            out.push(Completion {
                ids: ids.clone(),
                unit: unit.clone(),
                course: course.clone(),
                mandatory: mandatory.and_then(|i| u32::try_from(i).ok()),
                completed,
                date,
            });
        }
    }
    out
}
