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

use std::collections::BTreeMap;

use crate::config::Config;
use crate::ingest::evidence::{self, How, Words, TAKE, WEAK};
use crate::ingest::value::Cell;
use crate::schema::{person_priority, role_label, InputKind};
use crate::textnorm::normalize;

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

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
        required: &[&["activity"], &["purpose"]],
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
}

impl HeaderMap {
    pub fn col(&self, role: &str) -> Option<usize> {
        self.roles.get(role).copied()
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
}

impl Recogniser {
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
                })
                .collect();
            // Person roles are tried in priority order; others in table order.
            if group == "person" {
                list.sort_by_key(|r| person_priority(&r.role).unwrap_or(99));
            }
            groups.insert(group.clone(), list);
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
            mandatory,
            course_prefixes: cfg
                .training
                .course_file_prefixes
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
        }
    }

    /// A recogniser for one file: the configured header texts take their roles first,
    /// and no other role claims them.
    pub fn with_columns(&self, columns: &BTreeMap<String, String>) -> Recogniser {
        let mut rec = self.clone();
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
        } in self.header_rows(rows, facts)
        {
            let mut candidates: Vec<(HeaderMap, u32)> = Vec::new();
            let mut scored: Vec<(InputKind, usize, u32)> = Vec::new();
            for spec in &SPECS {
                let m = self.map_roles(spec.groups, &normalized, &words, TAKE);
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
            let person = self.map_roles(&["person", "org", "roster"], &normalized, &words, TAKE);
            let has_person = PERSON_KEYS.iter().any(|r| person.roles.contains_key(*r));
            // Exact names only: a course column's heading ("Utbildning säker e-post") holds
            // the word "utbildning" without being the course-name column.
            let training = self.map_roles(&["training"], &normalized, &words, u32::MAX);
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
                        },
                        score,
                    ));
                }
            }
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
        } in self.header_rows(rows, facts)
        {
            for spec in &SPECS {
                let m = self.map_roles(spec.groups, &normalized, &words, WEAK);
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
                let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
                if normalized.iter().filter(|h| !h.is_empty()).count() < 2 {
                    return None;
                }
                let words = headers.iter().map(|h| Words::of(h)).collect();
                Some(HeaderRow {
                    index,
                    constants: self.constants_for(rows, index, facts),
                    headers,
                    normalized,
                    words,
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
            .map(|(role, v)| (role.clone(), Cell::Text(v.clone())))
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
                .insert("personal_data".to_string(), Cell::Text("Ja".to_string()));
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
        for (i, h) in normalized.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some((r, k)) = ordered
                .iter()
                .find_map(|r| r.norm.iter().position(|s| s == h).map(|k| (r, k)))
            {
                exact_cols.push(i);
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
            for (order, r) in ordered.iter().enumerate() {
                if roles.contains_key(&r.role) {
                    continue;
                }
                let contain = !EXACT_ONLY_ROLES.contains(&r.role.as_str());
                let flag = FLAG_ROLES.contains(&r.role.as_str());
                let best = r
                    .words
                    .iter()
                    .enumerate()
                    .filter_map(|(k, syn)| {
                        let m =
                            evidence::score(w, syn, contain && !(flag && syn.stems.len() == 1))?;
                        Some((m, k))
                    })
                    .max_by_key(|(m, k)| (m.score, usize::MAX - k));
                if let Some((m, k)) = best {
                    if m.score >= WEAK.min(take) {
                        cands.push((m.score, i, order, &r.role, &r.written[k], m.span, m.how));
                    }
                }
            }
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
        decisions.sort_by_key(|d| d.col);
        Mapping {
            roles,
            decisions,
            score,
        }
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
    crate::textnorm::fold_diacritics(&normalize(&text.replace('_', " ")))
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
                    Cell::Text(c.to_string())
                }
            })
            .collect()
    }

    fn rec() -> Recogniser {
        Recogniser::new(&Config::default_config())
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
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }
}
