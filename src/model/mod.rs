//! The typed model of the inputs: one module per input kind turns recognised sheets into
//! records, and everything that could not be used becomes a [`Problem`] with its place.
//!
//! Everything downstream (KPIs, workbook, JSON) reads [`Inputs`] only, never raw cells.

pub mod actions;
pub mod classification;
pub mod history;
pub mod incidents;
pub mod register;
pub mod risks;
pub mod roster;
pub mod sheet;
pub mod training;

use serde::Serialize;

pub use actions::Action;
pub use classification::Asset;
pub use incidents::Incident;
pub use register::Activity;
pub use risks::Risk;
pub use roster::Employee;
pub use training::Completion;

use crate::privacy;
pub use crate::schema::InputKind;

/// How serious a data quality problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file could not be read at all.
    FileError,
    /// A row or value was left out of a KPI.
    RowRejected,
    /// Worth knowing; nothing was left out.
    Note,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::FileError => "Fil oläslig",
            Severity::RowRejected => "Rad utelämnad",
            Severity::Note => "Notering",
        }
    }
}

/// Where in the inputs something was found: as precise as is known. File, sheet and
/// column names are screened for identifiers when a place is made (they are input text
/// too: a file may be named after a person).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// File name relative to the input folder (or a label such as "(incidenter)" for
    /// findings about a whole kind).
    pub file: String,
    pub sheet: Option<String>,
    /// 1-based row number as the user sees it in Excel.
    pub row: Option<u32>,
    /// Column letter and header, e.g. "C (Händelsedatum)".
    pub column: Option<String>,
}

impl Place {
    /// A whole file.
    pub fn file(file: &str) -> Place {
        Place {
            file: privacy::screen(file),
            ..Place::default()
        }
    }

    /// A sheet of a file (`None` for a CSV).
    pub fn sheet(file: &str, sheet: Option<String>) -> Place {
        Place {
            file: privacy::screen(file),
            sheet: sheet.map(|s| privacy::screen(&s)),
            ..Place::default()
        }
    }

    pub fn at_row(mut self, row: u32) -> Place {
        self.row = Some(row);
        self
    }

    pub fn at_column(mut self, column: impl Into<String>) -> Place {
        self.column = Some(privacy::screen(&column.into()));
        self
    }

    /// "fil, blad "X", rad 4, kolumn C (Datum)".
    pub fn describe(&self) -> String {
        let mut place = self.file.clone();
        if let Some(s) = &self.sheet {
            place.push_str(&format!(", blad \"{s}\""));
        }
        if let Some(r) = self.row {
            place.push_str(&format!(", rad {r}"));
        }
        if let Some(c) = &self.column {
            place.push_str(&format!(", kolumn {c}"));
        }
        place
    }
}

/// One data quality problem, with its place in the inputs.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub place: Place,
    /// What the offending value looks like ("ser ut som ett personnummer", "text,
    /// 23 tecken"): never the value itself (SPEC §4.2).
    pub value: Option<String>,
    /// The value as the terminal of `check` may show it: screened for identifiers.
    /// Never written to an output file.
    #[serde(skip)]
    pub shown: Option<String>,
    /// What is wrong, in Swedish.
    pub message: String,
    /// What genomgang did about it, in Swedish.
    pub action: String,
}

impl Problem {
    pub fn new(severity: Severity, place: Place, message: &str, action: &str) -> Problem {
        Problem {
            severity,
            place,
            value: None,
            shown: None,
            message: privacy::screen(message),
            action: action.to_string(),
        }
    }

    /// A file (or one of its sheets) that could not be read at all.
    pub fn file_error(file: &str, sheet: Option<String>, message: &str, action: &str) -> Problem {
        Problem::new(
            Severity::FileError,
            Place::sheet(file, sheet),
            message,
            action,
        )
    }

    /// Worth knowing; nothing was left out.
    pub fn note(place: Place, message: &str, action: &str) -> Problem {
        Problem::new(Severity::Note, place, message, action)
    }

    /// The offending value, described (`description`) and, for the terminal only,
    /// screened (`raw`).
    pub fn with_cell(mut self, description: &str, raw: &str) -> Problem {
        self.value = Some(description.to_string());
        self.shown = (!raw.trim().is_empty()).then(|| privacy::screen(raw.trim()));
        self
    }

    /// A value that is safe to show as it is (a case number already screened, a count).
    pub fn with_value(mut self, value: Option<String>) -> Problem {
        self.value = value.map(|v| privacy::screen(&v));
        self
    }

    /// One line for outputs and stderr: "fil, blad, rad, kolumn: meddelande (värdet:
    /// text, 6 tecken)".
    pub fn one_line(&self) -> String {
        self.line(self.value.as_deref().map(|v| format!(" (värdet: {v})")))
    }

    /// One line for the terminal of `check`, which may show the value (screened).
    pub fn terminal_line(&self) -> String {
        let shown = self
            .shown
            .as_deref()
            .map(|v| format!(" (värde \"{}\")", crate::privacy::shorten(v, 60)));
        self.line(shown.or_else(|| self.value.as_deref().map(|v| format!(" (värdet: {v})"))))
    }

    fn line(&self, value: Option<String>) -> String {
        let place = self.place.describe();
        let value = value.unwrap_or_default();
        // A message that already ends a sentence gets no extra full stop.
        let stop = if value.is_empty() && self.message.ends_with(['.', '?', '!']) {
            ""
        } else {
            "."
        };
        format!("{place}: {}{value}{stop} {}", self.message, self.action)
    }
}

/// What was read from one sheet (or CSV file), for the Källor sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub file: String,
    pub sheet: Option<String>,
    /// Recognised kind, or none when the sheet was ignored.
    pub kind: Option<InputKind>,
    /// 1-based header row.
    pub header_row: Option<u32>,
    pub rows_read: usize,
    pub rows_rejected: usize,
    pub sha256: String,
    /// Column mapping, or why the sheet was ignored.
    pub note: String,
    /// What a file that is not a data export was used for ("Textavsnitt",
    /// "Konfiguration"); `None` for data sheets and unused files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_as: Option<&'static str>,
    /// How the kind and each column not named by an exact synonym were decided, for
    /// `check` (not written to outputs: the notes say enough there).
    #[serde(skip)]
    pub explain: Vec<String>,
}

impl Source {
    /// A file or sheet with nothing read from it yet.
    pub fn new(file: &str, sheet: Option<String>, sha256: &str, note: &str) -> Source {
        Source {
            file: privacy::screen(file),
            sheet: sheet.map(|s| privacy::screen(&s)),
            kind: None,
            header_row: None,
            rows_read: 0,
            rows_rejected: 0,
            sha256: sha256.to_string(),
            note: privacy::screen(note),
            used_as: None,
            explain: Vec::new(),
        }
    }

    /// A file used for something other than data: a text section or the configuration.
    pub fn used_as(mut self, what: &'static str) -> Source {
        self.used_as = Some(what);
        self
    }
}

/// The files a review rests on, counted one way for every output: files with a sheet
/// read as data, and files used as configuration or text sections. A sheet that was not
/// recognised is neither; a file counts once however many sheets it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileCount {
    pub data: usize,
    pub other: usize,
}

impl FileCount {
    pub fn of(sources: &[Source]) -> FileCount {
        let mut data: Vec<&str> = Vec::new();
        let mut other: Vec<&str> = Vec::new();
        for s in sources {
            if s.kind.is_some() {
                data.push(&s.file);
            } else if s.used_as.is_some() {
                other.push(&s.file);
            }
        }
        for list in [&mut data, &mut other] {
            list.sort_unstable();
            list.dedup();
        }
        other.retain(|f| !data.contains(f));
        FileCount {
            data: data.len(),
            other: other.len(),
        }
    }

    /// "8 filer med data och 3 med inställningar eller text" — the same words in the
    /// workbook, the Word document and the .md.
    pub fn text(&self) -> String {
        let files = |n: usize| if n == 1 { "fil" } else { "filer" };
        if self.other == 0 {
            format!("{} {} med data", self.data, files(self.data))
        } else {
            format!(
                "{} {} med data och {} med inställningar eller text",
                self.data,
                files(self.data),
                self.other
            )
        }
    }
}

/// Sheets that were read but not recognised as any input, nor used as configuration or
/// text: what the appendix calls "blad kändes inte igen".
pub fn unrecognised_sheets(sources: &[Source]) -> usize {
    sources
        .iter()
        .filter(|s| s.kind.is_none() && s.used_as.is_none())
        .count()
}

/// Identifiers of one person, normalised (lowercase, trimmed). Never written out.
///
/// Held as one text with the end of each identifier (40 bytes and one allocation per
/// person, where five optional strings took 120 bytes and up to five allocations: a
/// city-scale list holds hundreds of thousands of persons). Equal identifiers give an
/// equal record, so the derived equality and hash compare persons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PersonIds {
    /// The identifiers present, one after another in key order ([`PersonIds::keys`]).
    text: Box<str>,
    /// Where each kind's identifier ends in `text` (an absent one ends where the one
    /// before it does).
    ends: [u32; ID_KINDS],
    /// Bit `k` set: kind `k` is present (it may be an empty text).
    present: u8,
}

/// Kinds of identifier in [`PersonIds`], in matching priority order.
const ID_KINDS: usize = 5;

impl PersonIds {
    pub const EMPLOYEE_NUMBER: u8 = 0;
    pub const PERSONAL_NUMBER: u8 = 1;
    pub const USER_ID: u8 = 2;
    pub const EMAIL: u8 = 3;
    pub const NAME: u8 = 4;

    /// A person's identifiers by kind (index = kind, see the constants).
    pub fn new(ids: [Option<&str>; ID_KINDS]) -> PersonIds {
        let mut b = PersonIdsBuilder::default();
        for (kind, id) in ids.into_iter().enumerate() {
            if let Some(id) = id {
                b.push(kind as u8, id);
            }
        }
        b.build()
    }

    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The identifier of `kind`, when present.
    pub fn get(&self, kind: u8) -> Option<&str> {
        let k = usize::from(kind);
        if k >= ID_KINDS || self.present & (1 << k) == 0 {
            return None;
        }
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.text.get(start..self.ends[k] as usize)
    }

    pub fn name(&self) -> Option<&str> {
        self.get(Self::NAME)
    }

    /// The identifiers in matching priority order, tagged by kind.
    pub fn keys(&self) -> impl Iterator<Item = (u8, &str)> {
        (0..ID_KINDS as u8).filter_map(|k| self.get(k).map(|v| (k, v)))
    }
}

/// Builds a [`PersonIds`] kind by kind, in key order, into one text.
#[derive(Default)]
pub struct PersonIdsBuilder {
    text: String,
    ends: [u32; ID_KINDS],
    present: u8,
    /// The next kind to be given: kinds come in order.
    next: usize,
}

impl PersonIdsBuilder {
    /// Adds the identifier of `kind`; kinds must come in increasing order (a kind given
    /// out of order, or twice, is ignored).
    pub fn push(&mut self, kind: u8, id: &str) {
        self.push_with(kind, |text| text.push_str(id));
    }

    /// Adds the identifier of `kind` that `write` appends to the text.
    pub fn push_with(&mut self, kind: u8, write: impl FnOnce(&mut String)) {
        let k = usize::from(kind);
        if k >= ID_KINDS || k < self.next {
            return;
        }
        self.close_until(k);
        write(&mut self.text);
        self.present |= 1 << k;
        self.ends[k] = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.next = k + 1;
    }

    /// Kinds before `k` not given end where the text ends now.
    fn close_until(&mut self, k: usize) {
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        for e in &mut self.ends[self.next..k] {
            *e = end;
        }
    }

    pub fn build(mut self) -> PersonIds {
        self.record()
    }

    /// The record given so far, in one allocation of exactly its text; then the builder
    /// is empty again and keeps its buffer (a list builds one record per row).
    pub fn record(&mut self) -> PersonIds {
        self.close_until(ID_KINDS);
        let ids = if u32::try_from(self.text.len()).is_err() {
            // Over 4 GB of identifiers cannot come from a file within the limits;
            // should it, the person is kept without identifiers rather than wrongly.
            PersonIds::default()
        } else {
            PersonIds {
                text: Box::from(self.text.as_str()),
                ends: self.ends,
                present: self.present,
            }
        };
        self.clear();
        ids
    }

    /// Empty again, keeping the text buffer.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends = [0; ID_KINDS];
        self.present = 0;
        self.next = 0;
    }
}

/// Everything read from one unit's input folder.
#[derive(Debug, Default)]
pub struct Inputs {
    pub employees: Vec<Employee>,
    /// True when at least one roster sheet was read.
    pub has_roster: bool,
    pub completions: Vec<Completion>,
    pub incidents: Vec<Incident>,
    pub activities: Vec<Activity>,
    pub assets: Vec<Asset>,
    pub risks: Vec<Risk>,
    pub actions: Vec<Action>,
    pub sources: Vec<Source>,
    pub problems: Vec<Problem>,
    /// Text sections (e.g. omvarld.md): file stem → Markdown text.
    pub sections: Vec<(String, String)>,
    /// Contents read so far (SHA-256 → file name): a file with the same bytes as one
    /// already read is a copy and is read once.
    pub read_contents: std::collections::HashMap<String, String>,
    /// Workbooks genomgang wrote that were found among the inputs and not read.
    pub own_outputs: usize,
    /// The unit this folder belongs to: a sheet with a förvaltning column gives this
    /// unit's rows only. `None`: every row is read.
    pub unit_filter: Option<String>,
    /// Rows already read, by kind and facts, for finding the same rows in another file.
    pub seen_rows: SeenRows,
    /// Things the user should read on stderr besides the problems (a subfolder read or
    /// not read, a file whose name ends in a dot), in Swedish; also in Datakvalitet.
    pub notices: Vec<String>,
    /// Earlier reviews found among the inputs, in `historik/` or `--historik`: the
    /// figures of past years (aggregates only).
    pub history: Vec<history::PastReview>,
}

/// The facts of a record that make it "the same row" as a row of another file: every
/// value read, normalised so that the same table saved as .xlsx and as .csv, or opened
/// and saved again in Excel, gives the same facts. Where it was read is not a fact.
pub trait Facts {
    fn facts(&self) -> String;

    /// False for a record another rule already matches across files (an incident
    /// with a case number: [`crate::pipeline::load::finish`] lists each one it merges).
    fn matched_by_content(&self) -> bool {
        true
    }
}

/// Normalised text for [`Facts`]: lowercase, whitespace collapsed.
pub fn fact_text(text: &str) -> String {
    crate::textnorm::norm_id(text).unwrap_or_default()
}

/// Rows read so far per kind and facts: how many of them each file had, and how many
/// were kept. A row of a later file whose facts are already kept as often as that file
/// has them is a copy; rows of one file are never merged with each other (a log may
/// really hold two incidents with the same shown facts).
#[derive(Debug, Default)]
pub struct SeenRows {
    rows: crate::fasthash::FxHashMap<(InputKind, String), SeenFacts>,
}

#[derive(Debug, Default)]
struct SeenFacts {
    kept: usize,
    /// The first file the facts were kept from (for the note).
    first_file: String,
    per_file: crate::fasthash::FxHashMap<String, usize>,
}

impl SeenRows {
    /// Keeps the records of one sheet of `file` that are not copies of rows of other
    /// files already read; returns the kept records and, per earlier file, how many
    /// rows were copies of its rows.
    pub fn keep_new<T: Facts>(
        &mut self,
        kind: InputKind,
        file: &str,
        mut records: Vec<T>,
    ) -> (Vec<T>, Vec<(String, usize)>) {
        let mut copies: Vec<(String, usize)> = Vec::new();
        // In place: a second list of the kept records would double a large log's
        // share of the peak memory while both are alive.
        records.retain(|record| {
            if !record.matched_by_content() {
                return true;
            }
            let seen = self.rows.entry((kind, record.facts())).or_default();
            // The file's name is copied once, not per row.
            let in_file = match seen.per_file.get_mut(file) {
                Some(n) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.per_file.insert(file.to_string(), 1);
                    1
                }
            };
            if in_file <= seen.kept {
                match copies.iter_mut().find(|(f, _)| *f == seen.first_file) {
                    Some((_, n)) => *n += 1,
                    None => copies.push((seen.first_file.clone(), 1)),
                }
                return false;
            }
            seen.kept += 1;
            if seen.first_file.is_empty() {
                seen.first_file = file.to_string();
            }
            true
        });
        (records, copies)
    }

    /// Forgets the rows of `file` (a file whose reading failed half-way), so that a
    /// later copy of it is read rather than taken for a copy of rows that were dropped.
    pub fn forget_file(&mut self, file: &str) {
        self.rows.retain(|_, seen| {
            seen.per_file.remove(file);
            // Rows are kept up to the most any one file holds.
            seen.kept = seen.per_file.values().copied().max().unwrap_or(0);
            if seen.first_file == file {
                seen.first_file = seen
                    .per_file
                    .iter()
                    .max_by_key(|(f, n)| (**n, std::cmp::Reverse((*f).clone())))
                    .map(|(f, _)| f.clone())
                    .unwrap_or_default();
            }
            !seen.per_file.is_empty()
        });
    }
}

/// How far each list of [`Inputs`] reached: what [`Inputs::rollback`] returns to.
#[derive(Debug, Clone, Copy)]
pub struct InputsMark([usize; 11], bool);

impl Inputs {
    /// The current length of every list, to undo a file's half-read rows.
    pub fn mark(&self) -> InputsMark {
        InputsMark(
            [
                self.employees.len(),
                self.completions.len(),
                self.incidents.len(),
                self.activities.len(),
                self.assets.len(),
                self.risks.len(),
                self.actions.len(),
                self.sources.len(),
                self.problems.len(),
                self.sections.len(),
                self.notices.len(),
            ],
            self.has_roster,
        )
    }

    /// Drops everything added since `mark` (a file whose reading failed half-way).
    pub fn rollback(&mut self, mark: InputsMark) {
        let [e, c, i, ac, as_, r, at, s, p, se, no] = mark.0;
        self.employees.truncate(e);
        self.completions.truncate(c);
        self.incidents.truncate(i);
        self.activities.truncate(ac);
        self.assets.truncate(as_);
        self.risks.truncate(r);
        self.actions.truncate(at);
        self.sources.truncate(s);
        self.problems.truncate(p);
        self.sections.truncate(se);
        self.notices.truncate(no);
        self.has_roster = mark.1;
    }

    /// Adds a source; its note (which may quote header texts) is screened.
    pub fn add_source(&mut self, mut source: Source) {
        source.note = privacy::screen(&source.note);
        self.sources.push(source);
    }

    /// Kinds for which at least one sheet was read.
    pub fn kinds_present(&self) -> Vec<InputKind> {
        let mut kinds: Vec<InputKind> = self.sources.iter().filter_map(|s| s.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// True when some input file could not be read at all.
    pub fn has_file_errors(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.severity == Severity::FileError)
    }
}
