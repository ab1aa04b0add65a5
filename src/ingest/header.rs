//! Header recognition: finds the header row of a sheet (it may sit below title rows)
//! and decides the sheet's kind from the column names, never from the file name.
//!
//! Every kind names the roles it needs; a column's role comes from the synonyms in the
//! configuration, matched exactly first and then by evidence (`evidence`: inflection,
//! words inside longer headings, English field names). The row with a complete set of
//! required roles wins; among kinds on the same row, the one that explains the most
//! columns, then the one with the strongest evidence. Ties and weak matches are kept
//! as decisions for `check` to explain, never silently taken. Facts outside the
//! columns (the course in a file name or title row, a breach-form export, `[[files]]
//! set`) become constants for every row.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::Config;
use crate::fasthash::FxHashMap;
use crate::ingest::evidence::{self, How, Words, TAKE, WEAK};
use crate::ingest::profile::{self, ColumnProfile, Vocabularies};
use crate::ingest::value::Cell;
use crate::schema::{person_priority, role_label, InputKind};
use crate::textnorm::normalize;

/// How many rows from the top are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

struct KindSpec {
    kind: InputKind,
    /// Header groups in the configuration whose roles this kind uses.
    groups: &'static [&'static str],
    /// Each entry: at least one of these roles must be present.
    required: &'static [&'static [&'static str]],
}

const SPECS: [KindSpec; 7] = [
    KindSpec {
        kind: InputKind::Risks,
        groups: &["risks", "org"],
        required: &[&["risk"], &["likelihood"], &["consequence"]],
    },
    KindSpec {
        kind: InputKind::Incidents,
        groups: &["incidents", "org"],
        required: &[
            &["event_date", "discovered_date", "registered_date"],
            &["category"],
        ],
    },
    KindSpec {
        kind: InputKind::Register,
        groups: &["register", "org"],
        // A register without a purpose column is still a register: it is counted and
        // the missing purpose said (every activity incomplete for it).
        required: &[
            &["activity"],
            &[
                "purpose",
                "legal_basis",
                "data_subjects",
                "data_categories",
                "recipients",
                "retention",
                "security",
                "dpia",
            ],
        ],
    },
    KindSpec {
        kind: InputKind::Classification,
        groups: &["classification", "org"],
        required: &[&["asset"], &["confidentiality"]],
    },
    KindSpec {
        kind: InputKind::Training,
        groups: &["person", "org", "training"],
        required: &[
            &PERSON_KEYS,
            &["course"],
            &["completion_status", "completion_date"],
        ],
    },
    KindSpec {
        kind: InputKind::Actions,
        groups: &["actions", "org"],
        required: &[&["action"], &["status"]],
    },
    KindSpec {
        kind: InputKind::Roster,
        groups: &["person", "org", "roster"],
        required: &[&PERSON_KEYS, &["unit"]],
    },
];

/// What is known about a sheet besides its cells: the file's name and the constants
/// configured for it in `[[files]]` (`set = { course = "…" }`).
#[derive(Debug, Clone, Default)]
pub struct SheetFacts {
    pub file: String,
    /// Role → value that holds for every row.
    pub constants: BTreeMap<String, String>,
}

/// One decision about one column: the role it got (or nearly got), and why.
#[derive(Debug, Clone)]
pub struct Decision {
    pub col: usize,
    pub role: String,
    pub score: u32,
    pub how: How,
    /// The synonym that matched, as configured.
    pub synonym: String,
    /// The next best role for the column and its score.
    pub runner_up: Option<(String, u32)>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Taken,
    /// Two roles (or two columns) scored the same: neither is taken.
    Tie,
    /// Below the score at which a role is taken: reported, not taken.
    Weak,
    /// The heading names the role but the values say otherwise: not taken.
    Contradicted,
}

/// The recognised layout of one sheet.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    pub kind: InputKind,
    /// Index into the sheet's rows of the header row.
    pub header_index: usize,
    /// Role → column index.
    pub roles: BTreeMap<String, usize>,
    /// For wide training matrices: column index → course name as written.
    pub course_columns: Vec<(usize, String)>,
    /// Header texts of every column (as written).
    pub headers: Vec<String>,
    /// Role → value for every row, from outside the columns (file name, title row,
    /// `[[files]] set`, a breach-form export).
    pub constants: BTreeMap<String, Cell>,
    /// Every column decision, for `check`.
    pub decisions: Vec<Decision>,
    /// Why this kind: score and runner-up, for `check`.
    pub kind_note: String,
    /// Facts taken from outside the columns, for the Datakvalitet sheet.
    pub notes: Vec<String>,
    /// What each column's first rows hold (see `profile`), for `check`.
    pub profiles: Vec<ColumnProfile>,
}

impl HeaderMap {
    pub fn col(&self, role: &str) -> Option<usize> {
        // Asked for several roles on every row of a sheet: a few roles, compared by
        // length first, cost less than a search that compares every text it passes.
        self.roles
            .iter()
            .find(|(r, _)| r.len() == role.len() && r.as_bytes() == role.as_bytes())
            .map(|(_, c)| *c)
    }

    /// Column indices that no role uses, with their header text.
    pub fn ignored_columns(&self) -> Vec<(usize, String)> {
        let used: Vec<usize> = self
            .roles
            .values()
            .copied()
            .chain(self.course_columns.iter().map(|(c, _)| *c))
            .collect();
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !used.contains(i) && !h.trim().is_empty())
            .map(|(i, h)| (i, h.clone()))
            .collect()
    }

    /// Column mapping for the Källor sheet and `check`: "Datum → C (Händelsedatum); …".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut roles: Vec<(&String, &usize)> = self.roles.iter().collect();
        roles.sort_by_key(|(_, c)| **c);
        for (role, col) in roles {
            parts.push(format!(
                "{} = {}",
                role_label(role),
                column_ref(*col, &self.headers)
            ));
        }
        for (col, name) in &self.course_columns {
            parts.push(format!("kurs \"{name}\" = {}", column_letter(*col)));
        }
        for role in self.constants.keys() {
            parts.push(format!("{} = samma för alla rader", role_label(role)));
        }
        let ignored = self.ignored_columns();
        if !ignored.is_empty() {
            let names: Vec<String> = ignored
                .iter()
                .map(|(c, _)| column_ref(*c, &self.headers))
                .collect();
            parts.push(format!("ej använda: {}", names.join(", ")));
        }
        parts.join("; ")
    }

    /// One line per decision that was not an exact synonym, and the kind's score:
    /// what `check` prints so that every decision can be followed.
    pub fn explain(&self) -> Vec<String> {
        let mut out = vec![self.kind_note.clone()];
        for d in self.decisions.iter().filter(|d| d.how != How::Exact) {
            let verdict = match d.outcome {
                Outcome::Taken => "tagen",
                Outcome::Tie => "oavgjord, inte tagen",
                Outcome::Weak => "för svag, inte tagen",
                Outcome::Contradicted => "värdena säger emot, inte tagen",
            };
            let runner = match &d.runner_up {
                Some((r, s)) => format!("; näst bäst: {} {s} p", role_label(r)),
                None => String::new(),
            };
            out.push(format!(
                "{} → {}: {} (\"{}\", {} p, {verdict}{runner})",
                column_ref(d.col, &self.headers),
                role_label(&d.role),
                d.how.label(),
                d.synonym,
                d.score
            ));
        }
        for (role, value) in &self.constants {
            out.push(format!(
                "{} för alla rader: \"{}\"",
                role_label(role),
                value.text()
            ));
        }
        out.extend(self.column_evidence());
        out
    }

    /// Per column: what the heading says and what the values say, and where the two
    /// disagree.
    pub fn column_evidence(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (col, p) in self.profiles.iter().enumerate() {
            if p.filled == 0 && column_text(col, &self.headers).is_empty() {
                continue;
            }
            let role = self
                .roles
                .iter()
                .find(|(_, c)| **c == col)
                .map(|(r, _)| r.as_str());
            let by_heading = self
                .decisions
                .iter()
                .find(|d| d.col == col && d.how != How::Values)
                .map(|d| role_label(&d.role).to_string());
            let by_values = value_role(p).map(|r| role_label(r).to_string());
            let taken = match role {
                Some(r) => format!("→ {}", role_label(r)),
                None if self.course_columns.iter().any(|(c, _)| *c == col) => "→ kurs".into(),
                None => "ej använd".into(),
            };
            let heading = by_heading.unwrap_or_else(|| "–".into());
            let values = by_values.unwrap_or_else(|| "–".into());
            let mut line = format!(
                "kolumn {} {taken}; rubriken säger: {heading}; värdena säger: {values} ({})",
                column_ref(col, &self.headers),
                p.describe()
            );
            if let Some(r) = role {
                if supports(p, r) == Some(false) {
                    line.push_str("; rubriken och värdena säger olika");
                }
            }
            out.push(line);
        }
        out
    }
}

/// Excel column letters for a 0-based index: 0 → A, 27 → AB.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut s = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        s.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header text of a column, trimmed.
fn column_text(index: usize, headers: &[String]) -> String {
    headers
        .get(index)
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// "C (Händelsedatum)".
pub fn column_ref(index: usize, headers: &[String]) -> String {
    match headers
        .get(index)
        .map(|h| h.trim())
        .filter(|h| !h.trim().is_empty())
    {
        Some(h) => format!("{} ({h})", column_letter(index)),
        None => column_letter(index),
    }
}

/// One role's synonyms: as configured, normalised, and prepared for evidence.
#[derive(Clone)]
struct RoleSyns {
    role: String,
    written: Vec<String>,
    norm: Vec<String>,
    words: Vec<Words>,
    /// This role's place among all of the recogniser's (in every group), for the memo
    /// of heading evidence.
    slot: usize,
}

/// Roles of person identifiers and organisation: never found inside longer headings,
/// whose help texts and questions mention "medarbetare" or "enhet" in passing.
const EXACT_ONLY_ROLES: [&str; 9] = [
    "employee_number",
    "personal_number",
    "user_id",
    "email",
    "name",
    "first_name",
    "last_name",
    "unit",
    "administration",
];

/// Yes/no roles: found inside a longer heading only by a phrase, never by one word
/// ("Vems personuppgifter berörs?" is not a yes/no column).
const FLAG_ROLES: [&str; 5] = [
    "personal_data",
    "reported_imy",
    "reported_msb",
    "third_country",
    "sensitive",
];

/// The best incomplete reading of a sheet: header row, kind, missing required roles,
/// the column decisions and the headers no role used.
type Partial<'a> = (
    usize,
    InputKind,
    Vec<&'a str>,
    Vec<Decision>,
    Vec<String>,
    Vec<String>,
);

/// Evidence that a column has a role: score, column, role order, role, synonym, the
/// words of the heading it covered, and how it matched.
type Candidate<'a> = (u32, usize, usize, &'a str, &'a str, (usize, usize), How);

/// How a sheet's columns map to one kind's roles.
struct Mapping {
    roles: BTreeMap<String, usize>,
    decisions: Vec<Decision>,
    score: u32,
}

/// The best unplaced reading of a sheet, for `check --suggest`.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub kind: InputKind,
    pub header_index: usize,
    /// Header as written → role.
    pub columns: Vec<(String, String)>,
    /// Required roles with no column.
    pub missing: Vec<&'static str>,
}

/// Synonym lookup tables built once per configuration.
#[derive(Clone)]
pub struct Recogniser {
    /// group → roles with their synonyms, in configuration order.
    groups: BTreeMap<String, Vec<RoleSyns>>,
    /// Normalised headers configured for this file in `[[files]]`.
    configured: Vec<String>,
    mandatory: Vec<Vec<String>>,
    /// File name prefixes after which an export names its course ("completion-").
    course_prefixes: Vec<String>,
    /// The roles' value vocabularies, for column profiles.
    vocab: Vocabularies,
    /// Which synonyms these are: a number of its own for every recogniser made or
    /// changed (`new`, `with_columns`), so remembered evidence is never another's.
    id: u64,
    /// How many roles there are in all groups (`RoleSyns::slot` is below it).
    slots: usize,
}

/// Recognisers made so far, to number them.
static RECOGNISERS: AtomicU64 = AtomicU64::new(1);

/// The best evidence of a heading for a role: the match and the synonym's index.
type Evidence = Option<(evidence::Match, usize)>;

/// Distinct headings whose evidence a thread remembers; the memo starts over when full.
const EVIDENCE_MEMO_LIMIT: usize = 4096;

/// Per heading (its [`evidence_key`]), the evidence for each role slot found so far, for
/// one recogniser: the exports of one system repeat their headings in every unit's
/// folder, and the kinds tried on one sheet share roles.
#[derive(Default)]
struct RememberedEvidence {
    recogniser: u64,
    headings: FxHashMap<String, Vec<Option<Evidence>>>,
}

thread_local! {
    static EVIDENCE: RefCell<RememberedEvidence> = RefCell::new(RememberedEvidence::default());
}

/// What a heading's evidence depends on: its normalised text and its stems (which the
/// camelCase split can make differ for the same normalised text).
fn evidence_key(w: &Words) -> String {
    let mut key = String::with_capacity(w.norm.len() * 2 + 1);
    key.push_str(&w.norm);
    for stem in &w.stems {
        key.push('\u{1f}');
        key.push_str(stem);
    }
    key
}

impl Recogniser {
    /// The recogniser of a configuration. It reads only what [`Recogniser::same_source`]
    /// compares (headers, categories, completion words, mandatory courses, course file
    /// prefixes): whatever else it comes to read must be compared there too.
    pub fn new(cfg: &Config) -> Recogniser {
        let mut groups = BTreeMap::new();
        for (group, roles) in &cfg.headers {
            let mut list: Vec<RoleSyns> = roles
                .iter()
                .map(|(role, syns)| RoleSyns {
                    role: role.clone(),
                    written: syns.clone(),
                    norm: syns.iter().map(|s| normalize(s)).collect(),
                    words: syns.iter().map(|s| Words::of(s)).collect(),
                    slot: 0,
                })
                .collect();
            // Person roles are tried in priority order; others in table order.
            if group == "person" {
                list.sort_by_key(|r| person_priority(&r.role).unwrap_or(99));
            }
            groups.insert(group.clone(), list);
        }
        let mut slots = 0;
        for r in groups.values_mut().flatten() {
            r.slot = slots;
            slots += 1;
        }
        let mandatory = cfg
            .training
            .mandatory
            .iter()
            .map(|m| m.matches.iter().map(|s| course_key(s)).collect())
            .collect();
        Recogniser {
            groups,
            configured: Vec::new(),
            vocab: Vocabularies::new(cfg),
            mandatory,
            course_prefixes: cfg
                .training
                .course_file_prefixes
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
            id: RECOGNISERS.fetch_add(1, Ordering::Relaxed),
            slots,
        }
    }

    /// Whether two configurations give the same recogniser (agree on all that
    /// [`Recogniser::new`] reads): batch builds one for every unit that shares it.
    pub fn same_source(a: &Config, b: &Config) -> bool {
        let same_categories = a.incidents.categories.len() == b.incidents.categories.len()
            && a.incidents
                .categories
                .iter()
                .zip(&b.incidents.categories)
                .all(|(x, y)| x.slug == y.slug && x.label == y.label && x.synonyms == y.synonyms);
        let same_mandatory = a.training.mandatory.len() == b.training.mandatory.len()
            && a.training
                .mandatory
                .iter()
                .zip(&b.training.mandatory)
                .all(|(x, y)| x.matches == y.matches);
        a.headers == b.headers
            && same_categories
            && a.training.values.completed == b.training.values.completed
            && a.training.values.not_completed == b.training.values.not_completed
            && same_mandatory
            && a.training.course_file_prefixes == b.training.course_file_prefixes
    }

    /// A recogniser for one file: the configured header texts take their roles first,
    /// and no other role claims them.
    pub fn with_columns(&self, columns: &BTreeMap<String, String>) -> Recogniser {
        let mut rec = self.clone();
        rec.id = RECOGNISERS.fetch_add(1, Ordering::Relaxed);
        for (header, role) in columns {
            let h = normalize(header);
            rec.configured.push(h.clone());
            for roles in rec.groups.values_mut() {
                for r in roles.iter_mut() {
                    let keep: Vec<bool> = r.norm.iter().map(|s| s != &h).collect();
                    let mut i = 0;
                    r.written.retain(|_| {
                        i += 1;
                        keep[i - 1]
                    });
                    let mut i = 0;
                    r.words.retain(|_| {
                        i += 1;
                        keep[i - 1]
                    });
                    r.norm.retain(|s| s != &h);
                    if &r.role == role {
                        r.norm.insert(0, h.clone());
                        r.written.insert(0, header.clone());
                        r.words.insert(0, Words::of(header));
                    }
                }
            }
        }
        rec
    }

    /// The evidence remembered on this thread for a heading (its key and one entry per
    /// role slot; `None` where not yet found), taken out of the memo until
    /// [`Recogniser::keep_evidence`] puts it back.
    fn remembered_evidence(&self, w: &Words) -> (String, Vec<Option<Evidence>>) {
        let key = evidence_key(w);
        let known = EVIDENCE.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.recogniser != self.id {
                memo.headings.clear();
                memo.recogniser = self.id;
            }
            memo.headings.remove(&key)
        });
        let known = known.unwrap_or_else(|| vec![None; self.slots]);
        (key, known)
    }

    fn keep_evidence(&self, (key, known): (String, Vec<Option<Evidence>>)) {
        EVIDENCE.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.recogniser == self.id {
                if memo.headings.len() >= EVIDENCE_MEMO_LIMIT {
                    memo.headings.clear();
                }
                memo.headings.insert(key, known);
            }
        });
    }

    /// True when a normalised heading is some role's synonym.
    fn known(&self, norm: &str) -> bool {
        !norm.is_empty()
            && self
                .groups
                .values()
                .flatten()
                .any(|r| r.norm.iter().any(|s| s == norm))
    }

    /// True when a header names a mandatory course (for wide training matrices).
    pub fn is_mandatory_course(&self, header: &str) -> bool {
        let h = course_key(header);
        self.mandatory
            .iter()
            .flatten()
            .any(|m| !m.is_empty() && h.contains(m.as_str()))
    }

    /// Index of the mandatory course a course name matches, if any. Diacritics are
    /// ignored: a course short name in a file name ("infosak-grund") loses them.
    pub fn mandatory_index(&self, course: &str) -> Option<usize> {
        let c = course_key(course);
        self.mandatory
            .iter()
            .position(|ms| ms.iter().any(|m| !m.is_empty() && c.contains(m.as_str())))
    }

    /// Finds the header row and kind of a sheet, or says why there is none.
    pub fn recognise(&self, rows: &[Vec<Cell>]) -> Result<HeaderMap, String> {
        self.recognise_in(rows, &SheetFacts::default())
    }

    /// As [`Recogniser::recognise`], with what is known about the sheet from outside
    /// its cells.
    pub fn recognise_in(
        &self,
        rows: &[Vec<Cell>],
        facts: &SheetFacts,
    ) -> Result<HeaderMap, String> {
        let mut best_partial: Option<Partial> = None;
        let mut best_partial_found = 0usize;
        for HeaderRow {
            index,
            headers,
            normalized,
            words,
            constants,
            profiles,
        } in self.header_rows(rows, facts)
        {
            let mut candidates: Vec<(HeaderMap, u32)> = Vec::new();
            let mut scored: Vec<(InputKind, usize, u32)> = Vec::new();
            for spec in &SPECS {
                let m = self.map_roles(spec.groups, &normalized, &words, &profiles, TAKE);
                let missing: Vec<&str> = spec
                    .required
                    .iter()
                    .filter(|any| {
                        !any.iter()
                            .any(|r| m.roles.contains_key(*r) || constants.contains_key(*r))
                    })
                    .map(|any| any[0])
                    .collect();
                if missing.is_empty() {
                    scored.push((spec.kind, m.roles.len(), m.score));
                    candidates.push((
                        HeaderMap {
                            kind: spec.kind,
                            header_index: index,
                            roles: m.roles,
                            course_columns: Vec::new(),
                            headers: headers.clone(),
                            constants: self.constants_for_kind(spec.groups, &constants),
                            decisions: m.decisions,
                            kind_note: String::new(),
                            notes: Vec::new(),
                            profiles: profiles.clone(),
                        },
                        m.score,
                    ));
                } else {
                    let found = spec.required.len() - missing.len();
                    let weak = m.decisions.iter().any(|d| d.outcome != Outcome::Taken);
                    let better = best_partial.is_none() || found > best_partial_found;
                    if better && (found >= 1 || weak) && m.roles.len() + usize::from(weak) >= 2 {
                        best_partial_found = found;
                        let unused: Vec<String> = headers
                            .iter()
                            .enumerate()
                            .filter(|(i, h)| {
                                !h.trim().is_empty() && !m.roles.values().any(|c| c == i)
                            })
                            .map(|(_, h)| h.trim().to_string())
                            .collect();
                        best_partial = Some((
                            index,
                            spec.kind,
                            missing,
                            m.decisions,
                            unused,
                            headers.clone(),
                        ));
                    }
                }
            }
            // A sheet with person columns and a course name per column is a wide matrix.
            let person = self.map_roles(
                &["person", "org", "roster"],
                &normalized,
                &words,
                &profiles,
                TAKE,
            );
            let has_person = PERSON_KEYS.iter().any(|r| person.roles.contains_key(*r));
            // Exact names only: a course column's heading ("Utbildning säker e-post") holds
            // the word "utbildning" without being the course-name column.
            let training = self.map_roles(&["training"], &normalized, &words, &[], u32::MAX);
            if has_person
                && !training.roles.contains_key("course")
                && !constants.contains_key("course")
            {
                let courses: Vec<(usize, String)> = headers
                    .iter()
                    .enumerate()
                    .filter(|(i, h)| {
                        !person.roles.values().any(|c| c == i)
                            && (self.is_mandatory_course(h) || {
                                let n = normalize(h);
                                n.contains("kurs") || n.contains("utbildning")
                            })
                    })
                    .map(|(i, h)| (i, h.trim().to_string()))
                    .collect();
                if courses.iter().any(|(_, h)| self.is_mandatory_course(h)) {
                    candidates.retain(|(c, _)| c.kind != InputKind::Roster);
                    let score = person.score + 100 * courses.len() as u32;
                    candidates.push((
                        HeaderMap {
                            kind: InputKind::TrainingWide,
                            header_index: index,
                            roles: person.roles,
                            course_columns: courses,
                            headers: headers.clone(),
                            constants: BTreeMap::new(),
                            decisions: person.decisions,
                            kind_note: String::new(),
                            notes: Vec::new(),
                            profiles: profiles.clone(),
                        },
                        score,
                    ));
                }
            }
            // A column of incident categories makes a sheet an incident list, never a
            // list of people: a reporter's name and department are no roster.
            // (A course column of phishing courses is the course, not a category.)
            let categories: Vec<usize> = profiles
                .iter()
                .enumerate()
                .filter(|(_, p)| value_strength(p, "category").is_some())
                .map(|(c, _)| c)
                .collect();
            candidates.retain(|(c, _)| {
                !matches!(
                    c.kind,
                    InputKind::Roster | InputKind::Training | InputKind::TrainingWide
                ) || categories.iter().all(|col| {
                    c.roles.values().any(|r| r == col)
                        || c.course_columns.iter().any(|(cc, _)| cc == col)
                })
            });
            // A roster has no course column; otherwise it is a training list.
            if candidates
                .iter()
                .any(|(c, _)| c.kind == InputKind::Training)
            {
                candidates.retain(|(c, _)| c.kind != InputKind::Roster);
            }
            let mut ranked: Vec<(usize, HeaderMap, u32)> = candidates
                .into_iter()
                .enumerate()
                .map(|(order, (c, s))| (order, c, s))
                .collect();
            ranked.sort_by_key(|(order, c, s)| {
                std::cmp::Reverse((
                    c.roles.len() + c.course_columns.len(),
                    *s,
                    usize::MAX - order,
                ))
            });
            let mut ranked = ranked.into_iter();
            if let Some((_, mut best, score)) = ranked.next() {
                let runner = ranked
                    .next()
                    .map(|(_, c, s)| {
                        format!(
                            "; näst bäst: {} ({}, {s} p)",
                            c.kind.label().to_lowercase(),
                            crate::textnorm::count_noun(
                                (c.roles.len() + c.course_columns.len()) as u64,
                                "kolumn",
                                "kolumner"
                            )
                        )
                    })
                    .unwrap_or_default();
                best.kind_note = format!(
                    "Igenkänd som {} på rad {}: {}, {score} p{runner}",
                    best.kind.label().to_lowercase(),
                    index + 1,
                    crate::textnorm::count_noun(
                        (best.roles.len() + best.course_columns.len()) as u64,
                        "kolumn",
                        "kolumner"
                    ),
                );
                self.facts_outside_columns(&mut best, rows, facts);
                return Ok(best);
            }
        }
        Err(match best_partial {
            Some((index, kind, missing, decisions, unused, unused_headers)) => {
                let names: Vec<&str> = missing.iter().map(|r| role_label(r)).collect();
                let mut cands: Vec<String> = decisions
                    .iter()
                    .filter(|d| d.outcome != Outcome::Taken)
                    .map(|d| {
                        format!(
                            "\"{}\" som {}?",
                            column_text(d.col, &unused_headers),
                            role_label(&d.role)
                        )
                    })
                    .collect();
                if cands.is_empty() {
                    cands = unused.iter().take(4).map(|h| format!("\"{h}\"")).collect();
                }
                let cands = if cands.is_empty() {
                    String::new()
                } else {
                    format!(" (kandidater: {})", cands.join(", "))
                };
                format!(
                    "rad {} ser ut som {} men saknar kolumn för {}{cands}. Lägg till kolumnens namn under [[files]] i genomgang.toml (genomgang check --suggest skriver ett förslag)",
                    index + 1,
                    kind.label().to_lowercase(),
                    names.join(" och ")
                )
            }
            None => "ingen rubrikrad med kända kolumnnamn hittades bland de första 30 raderna"
                .to_string(),
        })
    }

    /// The best reading of a sheet that is not (fully) placed, taking weak matches too:
    /// what `check --suggest` writes as a `[[files]]` block.
    pub fn suggest(&self, rows: &[Vec<Cell>], facts: &SheetFacts) -> Option<Suggestion> {
        let mut best: Option<(usize, usize, u32, Suggestion)> = None;
        for HeaderRow {
            index,
            headers,
            normalized,
            words,
            constants,
            profiles,
        } in self.header_rows(rows, facts)
        {
            for spec in &SPECS {
                let m = self.map_roles(spec.groups, &normalized, &words, &profiles, WEAK);
                let missing: Vec<&'static str> = spec
                    .required
                    .iter()
                    .filter(|any| {
                        !any.iter()
                            .any(|r| m.roles.contains_key(*r) || constants.contains_key(*r))
                    })
                    .map(|any| any[0])
                    .collect();
                let found = spec.required.len() - missing.len();
                if found == 0 {
                    continue;
                }
                let mut columns: Vec<(usize, String, String)> = m
                    .roles
                    .iter()
                    .map(|(r, c)| (*c, headers[*c].trim().to_string(), r.clone()))
                    .collect();
                columns.sort();
                let key = (found, m.roles.len(), m.score);
                if best.as_ref().is_none_or(|(f, n, s, _)| key > (*f, *n, *s)) {
                    best = Some((
                        key.0,
                        key.1,
                        key.2,
                        Suggestion {
                            kind: spec.kind,
                            header_index: index,
                            columns: columns.into_iter().map(|(_, h, r)| (h, r)).collect(),
                            missing,
                        },
                    ));
                }
            }
        }
        best.map(|(_, _, _, s)| s)
    }

    /// Constants that hold for every row of a sheet: `[[files]] set`, the course from
    /// a title row above the header ("Kurs: …") or from the file name
    /// ("completion-infosak.csv").
    /// The rows that could be a header row (two or more filled cells among the first
    /// [`HEADER_SEARCH_ROWS`]), with their texts taken apart once.
    fn header_rows<'r>(
        &'r self,
        rows: &'r [Vec<Cell>],
        facts: &'r SheetFacts,
    ) -> impl Iterator<Item = HeaderRow> + 'r {
        rows.iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .filter_map(move |(index, row)| {
                let headers: Vec<String> = row.iter().map(|c| c.text()).collect();
                // "Incident - Category": the field after the object's name, when only
                // the field is a known heading.
                let matched: Vec<String> = headers
                    .iter()
                    .map(|h| match object_field(h) {
                        Some(field)
                            if !self.known(&normalize(h)) && self.known(&normalize(field)) =>
                        {
                            field.to_string()
                        }
                        _ => h.clone(),
                    })
                    .collect();
                let normalized: Vec<String> = matched.iter().map(|h| normalize(h)).collect();
                if normalized.iter().filter(|h| !h.is_empty()).count() < 2 || is_data_row(row) {
                    return None;
                }
                let words = matched.iter().map(|h| Words::of(h)).collect();
                let profiles =
                    profile::profile_columns(rows, index + 1, headers.len(), &self.vocab);
                Some(HeaderRow {
                    index,
                    constants: self.constants_for(rows, index, facts),
                    headers,
                    normalized,
                    words,
                    profiles,
                })
            })
    }

    fn constants_for(
        &self,
        rows: &[Vec<Cell>],
        header_index: usize,
        facts: &SheetFacts,
    ) -> BTreeMap<String, String> {
        let mut constants = facts.constants.clone();
        if !constants.contains_key("course") {
            if let Some(course) = course_from_title(&rows[..header_index.min(rows.len())])
                .or_else(|| course_from_file(&facts.file, &self.course_prefixes))
            {
                constants.insert("course".to_string(), course);
            }
        }
        constants
    }

    /// Constants restricted to the roles a kind uses.
    fn constants_for_kind(
        &self,
        groups: &[&str],
        constants: &BTreeMap<String, String>,
    ) -> BTreeMap<String, Cell> {
        constants
            .iter()
            .filter(|(role, _)| {
                groups
                    .iter()
                    .filter_map(|g| self.groups.get(*g))
                    .flatten()
                    .any(|r| &r.role == *role)
            })
            .map(|(role, v)| (role.clone(), Cell::Text(v.as_str().into())))
            .collect()
    }

    /// Facts a sheet states outside its columns, once its kind is known: a
    /// personal-data-breach form export makes every row a personal data incident.
    fn facts_outside_columns(&self, map: &mut HeaderMap, rows: &[Vec<Cell>], facts: &SheetFacts) {
        if let Some(course) = map.constants.get("course") {
            if !facts.constants.contains_key("course") && map.kind == InputKind::Training {
                map.notes.push(format!(
                    "kursen står inte i en kolumn; \"{}\" (från filens namn eller en rubrikrad) gäller alla rader",
                    course.text()
                ));
            }
        }
        if map.kind != InputKind::Incidents
            || map.roles.contains_key("personal_data")
            || map.constants.contains_key("personal_data")
        {
            return;
        }
        let mentions = map
            .headers
            .iter()
            .filter(|h| {
                Words::of(h)
                    .stems
                    .iter()
                    .any(|w| w.starts_with("personuppgift"))
            })
            .count();
        let title = rows[..map.header_index]
            .iter()
            .flatten()
            .any(|c| normalize(&c.text()).contains("personuppgiftsincident"));
        let file = normalize(&facts.file).contains("personuppgiftsincident");
        if mentions >= 2 || title || file {
            map.constants
                .insert("personal_data".to_string(), Cell::Text("Ja".into()));
            map.notes.push(
                "exporten är en anmälan av personuppgiftsincidenter (rubrikerna frågar om personuppgifter); varje rad räknas som en personuppgiftsincident".to_string(),
            );
        }
    }

    /// Maps columns to roles within the groups. Exact synonyms first, as configured
    /// (the first column wins a role); then, for the columns and roles left, the
    /// strongest evidence at or above `take`. A column with two roles at the same
    /// score from the same words is a tie and takes neither; one heading naming two
    /// roles with different words ("kategorierna av registrerade och … personuppgifter")
    /// fills both.
    fn map_roles(
        &self,
        groups: &[&str],
        normalized: &[String],
        words: &[Words],
        profiles: &[ColumnProfile],
        take: u32,
    ) -> Mapping {
        let ordered: Vec<&RoleSyns> = groups
            .iter()
            .filter_map(|g| self.groups.get(*g))
            .flatten()
            .collect();
        let mut roles: BTreeMap<String, usize> = BTreeMap::new();
        let mut decisions: Vec<Decision> = Vec::new();
        let mut exact_cols: Vec<usize> = Vec::new();
        let mut score = 0;
        // The values' verdict on a role for a column: `Some(false)` when they
        // clearly hold something else.
        let verdict = |col: usize, role: &str| profiles.get(col).and_then(|p| supports(p, role));
        let contradicted = |col: usize, role: &str, h: &str| {
            CONTRADICTABLE_ROLES.contains(&role)
                && !self.configured.iter().any(|c| c == h)
                && verdict(col, role) == Some(false)
        };
        for (i, h) in normalized.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some((r, k)) = ordered
                .iter()
                .find_map(|r| r.norm.iter().position(|s| s == h).map(|k| (r, k)))
            {
                exact_cols.push(i);
                if contradicted(i, &r.role, h) {
                    decisions.push(Decision {
                        col: i,
                        role: r.role.clone(),
                        score: 100,
                        how: How::Exact,
                        synonym: r.written[k].clone(),
                        runner_up: None,
                        outcome: Outcome::Contradicted,
                    });
                    continue;
                }
                if !roles.contains_key(&r.role) {
                    roles.insert(r.role.clone(), i);
                    score += 100;
                    decisions.push(Decision {
                        col: i,
                        role: r.role.clone(),
                        score: 100,
                        how: if self.configured.contains(h) {
                            How::Configured
                        } else {
                            How::Exact
                        },
                        synonym: r.written[k].clone(),
                        runner_up: None,
                        outcome: Outcome::Taken,
                    });
                }
            }
        }
        // Evidence for the rest: (score, col, order, role, synonym, span).
        let mut cands: Vec<Candidate> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            if normalized[i].is_empty() || exact_cols.contains(&i) {
                continue;
            }
            let mut known = self.remembered_evidence(w);
            for (order, r) in ordered.iter().enumerate() {
                if roles.contains_key(&r.role) {
                    continue;
                }
                let best = match &mut known.1[r.slot] {
                    Some(best) => best.clone(),
                    empty => empty.insert(best_evidence(r, w, &normalized[i])).clone(),
                };
                if let Some((m, k)) = best {
                    let mut s = m.score;

                    if s >= WEAK && s < take && take <= TAKE && verdict(i, &r.role) == Some(true) {
                        // A weak heading whose values agree: the two together decide.
                        s = take;
                    }
                    if s >= take && contradicted(i, &r.role, &normalized[i]) {
                        decisions.push(Decision {
                            col: i,
                            role: r.role.clone(),
                            score: s,
                            how: m.how,
                            synonym: r.written[k].clone(),
                            runner_up: None,
                            outcome: Outcome::Contradicted,
                        });
                        continue;
                    }
                    if s >= WEAK.min(take) {
                        cands.push((s, i, order, &r.role, &r.written[k], m.span, m.how));
                    }
                }
            }
            self.keep_evidence(known);
        }
        cands.sort_by_key(|(s, col, order, ..)| (std::cmp::Reverse(*s), *col, *order));
        let mut col_spans: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        let mut blocked: Vec<usize> = Vec::new();
        let mut reported: Vec<usize> = Vec::new();
        for (idx, &(s, col, _, role, syn, span, how)) in cands.iter().enumerate() {
            if roles.contains_key(role) || blocked.contains(&col) {
                continue;
            }
            let runner = cands
                .iter()
                .filter(|c| c.1 == col && c.3 != role)
                .map(|c| (c.3.to_string(), c.0))
                .next();
            if s < take {
                if !col_spans.contains_key(&col) && !reported.contains(&col) {
                    reported.push(col);
                    decisions.push(Decision {
                        col,
                        role: role.to_string(),
                        score: s,
                        how,
                        synonym: syn.to_string(),
                        runner_up: runner,
                        outcome: Outcome::Weak,
                    });
                }
                continue;
            }
            let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
            if let Some(spans) = col_spans.get(&col) {
                // A second role for a column: only by a phrase of several words, from
                // other words of its heading than the first role's phrase.
                let phrase = span.1 - span.0 >= 2 && spans.iter().all(|sp| sp.1 - sp.0 >= 2);
                if how != How::Contained || !phrase || spans.iter().any(|sp| overlaps(*sp, span)) {
                    continue;
                }
            }
            // Same score for another role from the same words of this heading, or for
            // this role in another column not yet placed: a tie, not a guess.
            let tie = cands.iter().enumerate().any(|(j, c)| {
                j != idx
                    && c.0 == s
                    && !roles.contains_key(c.3)
                    && !blocked.contains(&c.1)
                    && ((c.1 == col && c.3 != role && overlaps(c.5, span))
                        || (c.1 != col && c.3 == role && !col_spans.contains_key(&c.1)))
            });
            if tie {
                blocked.push(col);
                decisions.push(Decision {
                    col,
                    role: role.to_string(),
                    score: s,
                    how,
                    synonym: syn.to_string(),
                    runner_up: runner,
                    outcome: Outcome::Tie,
                });
                continue;
            }
            roles.insert(role.to_string(), col);
            col_spans.entry(col).or_default().push(span);
            score += s;
            decisions.push(Decision {
                col,
                role: role.to_string(),
                score: s,
                how,
                synonym: syn.to_string(),
                runner_up: runner,
                outcome: Outcome::Taken,
            });
        }
        score += self.roles_from_values(
            &ordered,
            normalized,
            words,
            profiles,
            &exact_cols,
            &col_spans,
            &blocked,
            &mut roles,
            &mut decisions,
        );
        decisions.sort_by_key(|d| d.col);
        Mapping {
            roles,
            decisions,
            score,
        }
    }

    /// Roles no heading gave, found by the values of a column no role uses: incident
    /// categories, completion statuses, the mandatory courses, e-mail addresses and
    /// personnummer decide alone; a sheet of incidents with one date column and no
    /// dated heading takes it as the event date. Two columns with the same evidence
    /// for a role are a tie: neither is taken.
    #[allow(clippy::too_many_arguments)]
    fn roles_from_values(
        &self,
        ordered: &[&RoleSyns],
        normalized: &[String],
        words: &[Words],
        profiles: &[ColumnProfile],
        exact_cols: &[usize],
        col_spans: &BTreeMap<usize, Vec<(usize, usize)>>,
        blocked: &[usize],
        roles: &mut BTreeMap<String, usize>,
        decisions: &mut Vec<Decision>,
    ) -> u32 {
        let mut score = 0;
        let free = |col: usize, roles: &BTreeMap<String, usize>| {
            !exact_cols.contains(&col)
                && !col_spans.contains_key(&col)
                && !blocked.contains(&col)
                && !roles.values().any(|c| *c == col)
        };
        let has_role = |key: &str| ordered.iter().any(|r| r.role == key);
        // A heading's claim on a vocabulary role yields to a column whose values are
        // that vocabulary when its own values are not: "Kategori" of "Incident" and
        // "Request" beside a custom field of "Nätfiske" and "Malware".
        for role in ["category", "course"] {
            let Some(&held) = roles.get(role) else {
                continue;
            };
            if self
                .configured
                .iter()
                .any(|c| Some(c) == normalized.get(held))
                || profiles.get(held).and_then(|p| supports(p, role)) == Some(true)
                || profiles.get(held).is_none_or(|p| p.filled < MIN_VALUES)
            {
                continue;
            }
            let stronger = profiles
                .iter()
                .enumerate()
                .any(|(c, p)| c != held && free(c, roles) && value_strength(p, role).is_some());
            if stronger {
                roles.remove(role);
                for d in decisions.iter_mut() {
                    if d.col == held && d.role == role && d.outcome == Outcome::Taken {
                        d.outcome = Outcome::Contradicted;
                    }
                }
            }
        }
        for role in VALUE_ROLES {
            if !has_role(role) || roles.contains_key(role) {
                continue;
            }
            let mut found: Vec<(f64, usize, usize)> = profiles
                .iter()
                .enumerate()
                .filter(|(c, _)| free(*c, roles))
                .filter_map(|(c, p)| value_strength(p, role).map(|s| (s, c, p.distinct)))
                .collect();
            found.sort_by(|a, b| {
                b.0.partial_cmp(&a.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.2.cmp(&b.2))
                    .then(a.1.cmp(&b.1))
            });
            let Some(&(share, col, distinct)) = found.first() else {
                continue;
            };
            let tie = found
                .get(1)
                .is_some_and(|&(s2, _, d2)| s2 == share && d2 == distinct);
            let summary = profiles[col].describe();
            decisions.push(Decision {
                col,
                role: role.to_string(),
                score: VALUE_SCORE,
                how: How::Values,
                synonym: summary,
                runner_up: found
                    .get(1)
                    .map(|&(_, c, _)| (format!("{role} i {}", column_letter(c)), VALUE_SCORE)),
                outcome: if tie { Outcome::Tie } else { Outcome::Taken },
            });
            if !tie {
                roles.insert(role.to_string(), col);
                score += VALUE_SCORE;
            }
        }
        // A list that names each item in a plain "name" or "title" column: the
        // headings around it say what the names are of (processing activities beside
        // "processing_nature" or "dpia_required"; risks beside likelihood and impact).
        let about_processing = words.iter().any(|w| {
            w.stems.iter().any(|s| {
                ["processing", "behandling", "dpia", "personuppgift"]
                    .iter()
                    .any(|p| s.starts_with(p))
            })
        });
        let rated = roles.contains_key("likelihood") && roles.contains_key("consequence");
        for (role, context, why) in [
            (
                "activity",
                about_processing,
                "rubrikerna gäller personuppgiftsbehandlingar",
            ),
            (
                "risk",
                rated,
                "rubrikerna bedömer sannolikhet och konsekvens",
            ),
        ] {
            if !context || !has_role(role) || roles.contains_key(role) {
                continue;
            }
            let name_col = normalized.iter().enumerate().find(|(c, h)| {
                matches!(
                    h.as_str(),
                    "name" | "namn" | "title" | "titel" | "benämning"
                ) && free(*c, roles)
            });
            if let Some((col, h)) = name_col {
                decisions.push(Decision {
                    col,
                    role: role.to_string(),
                    score: TAKE,
                    how: How::Contained,
                    synonym: format!("{h} ({why})"),
                    runner_up: None,
                    outcome: Outcome::Taken,
                });
                roles.insert(role.to_string(), col);
                score += TAKE;
            }
        }
        // One date column in an incident sheet without a dated heading.
        let dated = ["event_date", "discovered_date", "registered_date"];
        if has_role("event_date") && !dated.iter().any(|r| roles.contains_key(*r)) {
            let dates: Vec<usize> = profiles
                .iter()
                .enumerate()
                .filter(|(c, p)| {
                    free(*c, roles)
                        && !normalized.get(*c).is_some_and(|h| h.is_empty())
                        && p.filled >= MIN_VALUES
                        && p.share(p.dates) >= 0.8
                })
                .map(|(c, _)| c)
                .collect();
            // Several dated columns: the first that is not a later step of the case
            // (updated, resolved, closed, due) is when the incident was registered.
            let later = [
                "updat", "modif", "ändrad", "uppdater", "resolv", "solved", "löst", "closed",
                "stängd", "avslut", "due", "deadline", "last", "senast",
            ];
            let first_step: Vec<usize> = dates
                .iter()
                .copied()
                .filter(|c| {
                    let h = normalized.get(*c).map(String::as_str).unwrap_or("");
                    !later.iter().any(|w| h.contains(w))
                })
                .take(1)
                .collect();
            let dates = if dates.len() > 1 { first_step } else { dates };
            if let [col] = dates[..] {
                decisions.push(Decision {
                    col,
                    role: "event_date".to_string(),
                    score: VALUE_SCORE,
                    how: How::Values,
                    synonym: profiles[col].describe(),
                    runner_up: None,
                    outcome: Outcome::Taken,
                });
                roles.insert("event_date".to_string(), col);
                score += VALUE_SCORE;
            }
        }
        score
    }
}

/// Roles that identify a person: any one of them makes a person column.
pub const PERSON_KEYS: [&str; 6] = [
    "employee_number",
    "personal_number",
    "user_id",
    "email",
    "name",
    "first_name",
];

/// Course names compared without case, punctuation or diacritics.
fn course_key(text: &str) -> String {
    profile::course_key(text)
}

/// A Swedish compound names its kind last: "Anställningsenhet" and
/// "Organisationsenhet" are units, "Enhetschef" is not. A one-word heading ending in a
/// unit synonym of five letters or more is taken as the unit.
/// The best evidence of heading `w` (normalised: `norm`) for role `r`: the synonym that
/// matches best, or the unit compound ("Förvaltningsenhet").
fn best_evidence(r: &RoleSyns, w: &Words, norm: &str) -> Evidence {
    let contain = !EXACT_ONLY_ROLES.contains(&r.role.as_str());
    let flag = FLAG_ROLES.contains(&r.role.as_str());
    r.words
        .iter()
        .enumerate()
        .filter_map(|(k, syn)| {
            let m = evidence::score(w, syn, contain && !(flag && syn.stems.len() == 1))?;
            Some((m, k))
        })
        .chain(unit_compound(r, norm))
        .max_by_key(|(m, k)| (m.score, usize::MAX - k))
}

fn unit_compound(r: &RoleSyns, heading: &str) -> Option<(evidence::Match, usize)> {
    if r.role != "unit" || heading.contains(' ') {
        return None;
    }
    let k = r.norm.iter().position(|syn| {
        syn.chars().count() >= 5 && heading != syn && heading.ends_with(syn.as_str())
    })?;
    Some((
        evidence::Match {
            score: TAKE,
            how: How::Compound,
            span: (0, 1),
        },
        k,
    ))
}

/// The field of an "Object - Field" heading ("Incident - Category", "Ärende – Kategori",
/// "User: Email"): the text after the separator, when the object's name is short.
fn object_field(heading: &str) -> Option<&str> {
    [" - ", " – ", " — ", ": "].iter().find_map(|sep| {
        let (object, field) = heading.split_once(sep)?;
        let short = !object.trim().is_empty() && object.split_whitespace().count() <= 3;
        (short && !field.trim().is_empty()).then(|| field.trim())
    })
}

/// Fewest filled values in a column before its values count as evidence.
const MIN_VALUES: usize = 3;

/// The score of a role found by its column's values alone.
const VALUE_SCORE: u32 = 70;

/// Roles a column's values can decide without its heading, in the order tried.
const VALUE_ROLES: [&str; 5] = [
    "category",
    "completion_status",
    "course",
    "email",
    "personal_number",
];

/// Roles whose heading is overruled when the values clearly hold something else: a
/// "Status" of approval states is no course completion status, and an "E-post"
/// column of names identifies no one by e-mail.
const CONTRADICTABLE_ROLES: [&str; 4] =
    ["completion_status", "email", "personal_number", "category"];

const DATE_ROLES: [&str; 8] = [
    "event_date",
    "discovered_date",
    "registered_date",
    "reported_date",
    "completion_date",
    "last_reviewed",
    "deadline",
    "classified_date",
];

/// What a column's values say about a role: `Some(true)` when they look like it,
/// `Some(false)` when they clearly hold something else, `None` when they say nothing
/// either way (or are too few).
pub fn supports(p: &ColumnProfile, role: &str) -> Option<bool> {
    if p.filled < MIN_VALUES {
        return None;
    }
    let share = |n: usize| p.share(n);
    let judge = |yes: f64, no: f64, measure: f64| {
        if measure >= yes {
            Some(true)
        } else if measure < no {
            Some(false)
        } else {
            None
        }
    };
    match role {
        r if DATE_ROLES.contains(&r) => judge(0.6, 0.1, share(p.dates)),
        "category" => {
            if share(p.categories) >= 0.5 {
                Some(true)
            } else if share(p.categories) < 0.2 && share(p.statuses + p.dates + p.flags) >= 0.6 {
                // "Status Category" of "Done" and "In Progress": states, not kinds.
                Some(false)
            } else {
                None
            }
        }
        "completion_status" => judge(
            0.6,
            0.3,
            share(p.statuses + p.flags + p.dates + p.fractions),
        ),
        "course" => (share(p.courses) >= 0.5).then_some(true),
        "email" => judge(0.6, 0.1, share(p.emails)),
        "personal_number" => judge(0.6, 0.1, share(p.personal_numbers)),
        "personal_data" | "reported_imy" | "reported_msb" | "third_country" | "sensitive" => {
            (share(p.flags + p.dates) >= 0.6).then_some(true)
        }
        "account_status" => (share(p.account_states + p.flags) >= 0.6).then_some(true),
        "confidentiality" | "integrity" | "availability" | "traceability" => {
            (share(p.levels) >= 0.6).then_some(true)
        }
        "likelihood" | "consequence" => (share(p.numbers) >= 0.6).then_some(true),
        _ => None,
    }
}

/// How strongly a column's values alone make it a role (the share of its values in
/// the role's vocabulary), or `None` when they do not decide it.
fn value_strength(p: &ColumnProfile, role: &str) -> Option<f64> {
    if p.filled < MIN_VALUES {
        return None;
    }
    let (share, least) = match role {
        // Several different categories: one repeated word is a label, not a category.
        "category" if p.distinct >= 2 => (p.share(p.categories), 0.6),
        // Words, not yes/no: a Ja/Nej column is a flag whatever it is called.
        "completion_status" if p.statuses + p.fractions > p.flags => {
            (p.share(p.statuses + p.fractions), 0.7)
        }
        "course" => (p.share(p.courses), 0.6),
        "email" => (p.share(p.emails), 0.8),
        "personal_number" => (p.share(p.personal_numbers), 0.8),
        _ => return None,
    };
    (share >= least).then_some(share)
}

/// The role a column's values point to on their own, for `check`.
pub fn value_role(p: &ColumnProfile) -> Option<&'static str> {
    if p.filled < MIN_VALUES {
        return None;
    }
    for role in VALUE_ROLES {
        if value_strength(p, role).is_some() {
            return Some(role);
        }
    }
    if p.share(p.dates) >= 0.8 {
        return Some("datum");
    }
    if p.share(p.account_states) >= 0.8 {
        return Some("account_status");
    }
    None
}

/// A row that holds data, not headings: a date, an e-mail address or a personnummer
/// is never a column's name.
fn is_data_row(row: &[Cell]) -> bool {
    row.iter().any(|c| match c {
        Cell::DateTime(_) => true,
        Cell::Text(t) => {
            let t = t.trim();
            (t.contains('@') && !t.contains(' ') && t.contains('.'))
                || crate::privacy::is_personal_number(t)
                || (t.len() >= 8 && crate::ingest::value::parse_datetime_text(t).is_some())
        }
        _ => false,
    })
}

/// "Kurs: Informationssäkerhet grund" in a title row above the header.
fn course_from_title(rows: &[Vec<Cell>]) -> Option<String> {
    rows.iter().flatten().find_map(|c| {
        let t = c.text();
        let (label, rest) = t.split_once(':')?;
        let label = normalize(label);
        (matches!(
            label.as_str(),
            "kurs" | "kursnamn" | "utbildning" | "course"
        ) && !rest.trim().is_empty())
        .then(|| rest.trim().to_string())
    })
}

/// The course in a file name after a configured prefix: "completion-infosak_grund.csv"
/// → "infosak grund".
fn course_from_file(file: &str, prefixes: &[String]) -> Option<String> {
    let name = std::path::Path::new(file)
        .file_stem()?
        .to_string_lossy()
        .to_lowercase();
    prefixes.iter().find_map(|p| {
        name.strip_prefix(p.as_str())
            .filter(|rest| !rest.trim().is_empty())
            .map(|rest| rest.replace(['_', '-'], " ").trim().to_string())
    })
}

/// A row of a sheet read as a possible header row.
struct HeaderRow {
    index: usize,
    /// The cells' texts as written.
    headers: Vec<String>,
    normalized: Vec<String>,
    words: Vec<Words>,
    /// Facts from outside the columns (file name, title rows, `[[files]] set`).
    constants: BTreeMap<String, String>,
    /// What the rows under it hold, column by column.
    profiles: Vec<ColumnProfile>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).into())
                }
            })
            .collect()
    }

    #[test]
    fn configurations_share_a_recogniser_when_it_reads_the_same() {
        let base = Config::default_config();
        let mut other = Config::default_config();
        other.risks.high_threshold += 1.0;
        other.unit = Some("Bromma".to_string());
        assert!(Recogniser::same_source(&base, &other));
        let changes: [fn(&mut Config); 6] = [
            |c| c.incidents.categories[0].synonyms.push("nytt ord".into()),
            |c| c.training.values.completed.push("avbockad".into()),
            |c| {
                c.training
                    .values
                    .not_completed
                    .pop()
                    .map(drop)
                    .unwrap_or(())
            },
            |c| c.training.mandatory[0].matches.push("ny kurs".into()),
            |c| c.training.course_file_prefixes.push("kurs-".into()),
            |c| {
                c.headers
                    .entry("person".into())
                    .or_default()
                    .entry("name".into())
                    .or_default()
                    .push("Fullständigt namn".into())
            },
        ];
        for change in changes {
            let mut changed = Config::default_config();
            change(&mut changed);
            assert!(!Recogniser::same_source(&base, &changed));
        }
    }

    fn rec() -> Recogniser {
        Recogniser::new(&Config::default_config())
    }

    #[test]
    fn remembered_evidence_is_each_recognisers_own() {
        let rows = vec![
            row(&[
                "Medarbetare",
                "E‑post",
                "Modul e‑learning",
                "Slutförd – datum",
                "Resultat",
            ]),
            row(&[
                "Åsa Öberg",
                "asa@example.se",
                "Grundkurs ✅",
                "2025‑03‑14",
                "Godkänd",
            ]),
            row(&[
                "Nils Ökvist",
                "nils@example.se",
                "Grundkurs ✅",
                "2025‑03‑15",
                "Underkänd",
            ]),
        ];
        let base = rec();
        // "Modul" named as the course: the heading "Modul e-learning" holds it, so its
        // evidence for the course differs between the two recognisers.
        let taught = base.with_columns(&BTreeMap::from([(
            "Modul".to_string(),
            "course".to_string(),
        )]));
        let read = |r: &Recogniser| match r.recognise(&rows) {
            Ok(m) => format!("{:?} {:?} {:?}", m.kind, m.roles, m.decisions),
            Err(e) => e,
        };
        // On a thread of their own each starts with nothing remembered.
        let fresh: Vec<String> = std::thread::scope(|s| {
            [&base, &taught]
                .map(|r| s.spawn(move || read(r)))
                .map(|h| h.join().unwrap())
                .to_vec()
        });
        assert!(!fresh[0].contains("\"course\": 2"), "{}", fresh[0]);
        assert!(fresh[1].contains("\"course\": 2"), "{}", fresh[1]);
        // On one thread, in turn: the memo answers each with its own evidence.
        for _ in 0..3 {
            assert_eq!(read(&base), fresh[0]);
            assert_eq!(read(&taught), fresh[1]);
        }
    }

    #[test]
    fn header_below_title_rows_is_found() {
        let rows = vec![
            row(&["Avvikelser informationssäkerhet 2025", "", ""]),
            row(&["", "", ""]),
            row(&[
                "Ärendenummer",
                "Händelsedatum",
                "Händelsetyp",
                "Anmäld till IMY (Ja/Nej)",
            ]),
            row(&["IA-1", "2025-01-02", "Phishing", "Nej"]),
        ];
        let map = rec().recognise(&rows).unwrap();
        assert_eq!(map.kind, InputKind::Incidents);
        assert_eq!(map.header_index, 2);
        assert_eq!(map.col("event_date"), Some(1));
        assert_eq!(map.col("category"), Some(2));
        assert_eq!(map.col("reported_imy"), Some(3));
    }

    #[test]
    fn each_kind_is_recognised_from_its_required_columns() {
        let r = rec();
        let cases: Vec<(Vec<&str>, InputKind)> = vec![
            (
                vec!["Anst.nr", "Kursnamn", "Slutfört datum"],
                InputKind::Training,
            ),
            (vec!["E-post", "Enhet", "Befattning"], InputKind::Roster),
            (vec!["Datum", "Kategori"], InputKind::Incidents),
            (
                vec!["Behandling", "Ändamål", "Rättslig grund"],
                InputKind::Register,
            ),
            (
                vec!["Informationsmängd", "Konfidentialitet", "Riktighet"],
                InputKind::Classification,
            ),
            (
                vec!["Risk", "Sannolikhet", "Konsekvens", "Åtgärd", "Status"],
                InputKind::Risks,
            ),
            (vec!["Åtgärd", "Status", "Deadline"], InputKind::Actions),
            (
                vec![
                    "Namn",
                    "Enhet",
                    "Grundläggande informationssäkerhet",
                    "Dataskydd GDPR",
                ],
                InputKind::TrainingWide,
            ),
        ];
        for (headers, kind) in cases {
            let map = r
                .recognise(&[row(&headers)])
                .unwrap_or_else(|e| panic!("{headers:?}: {e}"));
            assert_eq!(map.kind, kind, "{headers:?}");
        }
    }

    #[test]
    fn unknown_sheet_says_what_is_missing() {
        let err = rec()
            .recognise(&[row(&["Behandling", "Ansvarig"])])
            .unwrap_err();
        assert!(err.contains("saknar kolumn för ändamål"), "{err}");
        let err = rec().recognise(&[row(&["Foo", "Bar"])]).unwrap_err();
        assert!(err.contains("ingen rubrikrad"), "{err}");
    }

    #[test]
    fn a_data_row_is_never_the_header_row() {
        // No header at all: the first row holds a person, an e-mail and a date, and
        // "Genomförd" (a status synonym) must not make it a header.
        let rows = vec![
            row(&[
                "Anna Berg",
                "anna.berg@exempel.se",
                "Informationssäkerhet",
                "Genomförd",
            ]),
            row(&["Bo Ek", "bo.ek@exempel.se", "Dataskydd", "2025-03-01"]),
        ];
        assert!(is_data_row(&rows[0]));
        assert!(rec().recognise(&rows).is_err());
        // A title row, then a row of data with a date, then the header.
        let rows = vec![
            row(&["2025-01-02", "Datum", "Kategori"]),
            row(&["Datum", "Kategori", ""]),
            row(&["2025-01-02", "Phishing", ""]),
        ];
        let map = rec().recognise(&rows).unwrap();
        assert_eq!(map.header_index, 1);
    }

    #[test]
    fn a_category_column_is_found_by_its_values() {
        let mut rows = vec![row(&["Skapad", "Custom field (Threat)", "Status Category"])];
        for (d, c) in [
            ("2025-01-02", "Nätfiske"),
            ("2025-02-03", "Malware"),
            ("2025-03-04", "Lost laptop"),
        ] {
            rows.push(row(&[d, c, "Done"]));
        }
        let map = rec().recognise(&rows).unwrap();
        assert_eq!(map.kind, InputKind::Incidents);
        assert_eq!(map.col("category"), Some(1));
        let explained = map.explain().join("\n");
        assert!(explained.contains("värdena visar det"), "{explained}");
        assert!(explained.contains("värdena säger emot"), "{explained}");
    }

    #[test]
    fn object_field_headings_and_snake_case_api_names() {
        let rows = vec![
            row(&[
                "Incident - Number",
                "Incident - Opened",
                "Incident - Category",
            ]),
            row(&["INC1", "2025-01-02", "Phishing"]),
        ];
        let map = rec().recognise(&rows).unwrap();
        assert_eq!(map.kind, InputKind::Incidents);
        assert_eq!(map.col("category"), Some(2));
        assert_eq!(map.col("registered_date"), Some(1));
        let map = rec()
            .recognise(&[row(&["sys_created_on", "category", "short_description"])])
            .unwrap();
        assert_eq!(map.col("registered_date"), Some(0));
    }

    #[test]
    fn a_name_column_is_the_item_when_the_headings_say_what_it_names() {
        let map = rec()
            .recognise(&[row(&["Title", "Threats", "Likelihood", "Impact", "Owner"])])
            .unwrap();
        assert_eq!(map.kind, InputKind::Risks);
        assert_eq!(map.col("risk"), Some(0));
        let map = rec()
            .recognise(&[row(&["ref_id", "name", "status", "dpia_required"])])
            .unwrap();
        assert_eq!(map.kind, InputKind::Register);
        assert_eq!(map.col("activity"), Some(1));
        // Without such headings a name column is a person's name.
        assert!(rec().recognise(&[row(&["name", "status"])]).is_err());
    }

    #[test]
    fn an_incident_list_with_names_and_departments_is_no_roster() {
        let mut rows = vec![row(&["Name", "Department", "Threat"])];
        for (n, d, t) in [
            ("Anna Berg", "Kansli", "Nätfiske"),
            ("Bo Ek", "Skola", "Malware"),
            ("Åsa Öberg", "Skola", "Stulen mobiltelefon"),
        ] {
            rows.push(row(&[n, d, t]));
        }
        let err = rec().recognise(&rows).unwrap_err();
        assert!(err.contains("ser ut som incidenter"), "{err}");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }
}
