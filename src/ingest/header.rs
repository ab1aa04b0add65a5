//! Header recognition: finds the header row of a sheet (it may sit below title rows)
//! and decides the sheet's kind from the column names, never from the file name.
//!
//! Every kind names the roles it needs; a column's role comes from the synonyms in the
//! configuration. The row with a complete set of required roles wins; among kinds on the
//! same row, the one that explains the most columns.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::ingest::value::Cell;
use crate::schema::{person_priority, role_label, InputKind, PERSON_ROLES};
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
            &PERSON_ROLES,
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
        required: &[&PERSON_ROLES, &["unit"]],
    },
];

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

/// "C (Händelsedatum)".
pub fn column_ref(index: usize, headers: &[String]) -> String {
    match headers
        .get(index)
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
    {
        Some(h) => format!("{} ({h})", column_letter(index)),
        None => column_letter(index),
    }
}

/// Synonym lookup tables built once per configuration.
#[derive(Clone)]
pub struct Recogniser {
    /// group → (normalised synonym → role)
    groups: BTreeMap<String, Vec<(String, Vec<String>)>>,
    mandatory: Vec<Vec<String>>,
}

impl Recogniser {
    pub fn new(cfg: &Config) -> Recogniser {
        let mut groups = BTreeMap::new();
        for (group, roles) in &cfg.headers {
            let list: Vec<(String, Vec<String>)> = roles
                .iter()
                .map(|(role, syns)| (role.clone(), syns.iter().map(|s| normalize(s)).collect()))
                .collect();
            groups.insert(group.clone(), list);
        }
        let mandatory = cfg
            .training
            .mandatory
            .iter()
            .map(|m| m.matches.iter().map(|s| normalize(s)).collect())
            .collect();
        Recogniser { groups, mandatory }
    }

    /// A recogniser for one file: the configured header texts take their roles first,
    /// and no other role claims them.
    pub fn with_columns(&self, columns: &BTreeMap<String, String>) -> Recogniser {
        let mut rec = self.clone();
        for (header, role) in columns {
            let h = normalize(header);
            for roles in rec.groups.values_mut() {
                for (r, syns) in roles.iter_mut() {
                    syns.retain(|s| s != &h);
                    if r == role {
                        syns.insert(0, h.clone());
                    }
                }
            }
        }
        rec
    }

    /// The role a normalised header has within the given groups, if any.
    fn role_of(&self, groups: &[&str], header: &str) -> Option<String> {
        for g in groups {
            if let Some(roles) = self.groups.get(*g) {
                // Person roles are tried in priority order; others in table order.
                let mut ordered: Vec<&(String, Vec<String>)> = roles.iter().collect();
                if *g == "person" {
                    ordered.sort_by_key(|(r, _)| person_priority(r).unwrap_or(99));
                }
                for (role, syns) in ordered {
                    if syns.iter().any(|s| s == header) {
                        return Some(role.clone());
                    }
                }
            }
        }
        None
    }

    /// True when a header names a mandatory course (for wide training matrices).
    pub fn is_mandatory_course(&self, header: &str) -> bool {
        let h = normalize(header);
        self.mandatory
            .iter()
            .flatten()
            .any(|m| !m.is_empty() && h.contains(m.as_str()))
    }

    /// Index of the mandatory course a course name matches, if any.
    pub fn mandatory_index(&self, course: &str) -> Option<usize> {
        let c = normalize(course);
        self.mandatory
            .iter()
            .position(|ms| ms.iter().any(|m| !m.is_empty() && c.contains(m.as_str())))
    }

    /// Finds the header row and kind of a sheet, or says why there is none.
    pub fn recognise(&self, rows: &[Vec<Cell>]) -> Result<HeaderMap, String> {
        let mut best_partial: Option<(usize, InputKind, Vec<&str>)> = None;
        for (index, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
            let headers: Vec<String> = row.iter().map(|c| c.text()).collect();
            let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
            if normalized.iter().filter(|h| !h.is_empty()).count() < 2 {
                continue;
            }
            let mut candidates: Vec<HeaderMap> = Vec::new();
            for spec in &SPECS {
                let roles = self.map_roles(spec.groups, &normalized);
                let missing: Vec<&str> = spec
                    .required
                    .iter()
                    .filter(|any| !any.iter().any(|r| roles.contains_key(*r)))
                    .map(|any| any[0])
                    .collect();
                if missing.is_empty() {
                    candidates.push(HeaderMap {
                        kind: spec.kind,
                        header_index: index,
                        roles,
                        course_columns: Vec::new(),
                        headers: headers.clone(),
                    });
                } else if missing.len() < spec.required.len() {
                    let found = spec.required.len() - missing.len();
                    let better = match &best_partial {
                        None => true,
                        Some((_, k, m)) => {
                            let prev_found = SPECS
                                .iter()
                                .find(|s| s.kind == *k)
                                .map(|s| s.required.len())
                                .unwrap_or(0)
                                - m.len();
                            found > prev_found
                        }
                    };
                    if better && found >= 1 && roles.len() >= 2 {
                        best_partial = Some((index, spec.kind, missing));
                    }
                }
            }
            // A sheet with person columns and a course name per column is a wide matrix.
            let person_roles = self.map_roles(&["person", "org", "roster"], &normalized);
            let has_person = PERSON_ROLES.iter().any(|r| person_roles.contains_key(*r));
            let training_roles = self.map_roles(&["training"], &normalized);
            if has_person && !training_roles.contains_key("course") {
                let courses: Vec<(usize, String)> = headers
                    .iter()
                    .enumerate()
                    .filter(|(i, h)| {
                        !person_roles.values().any(|c| c == i)
                            && (self.is_mandatory_course(h) || {
                                let n = normalize(h);
                                n.contains("kurs") || n.contains("utbildning")
                            })
                    })
                    .map(|(i, h)| (i, h.trim().to_string()))
                    .collect();
                if courses.iter().any(|(_, h)| self.is_mandatory_course(h)) {
                    candidates.retain(|c| c.kind != InputKind::Roster);
                    candidates.push(HeaderMap {
                        kind: InputKind::TrainingWide,
                        header_index: index,
                        roles: person_roles,
                        course_columns: courses,
                        headers: headers.clone(),
                    });
                }
            }
            // A roster has no course column; otherwise it is a training list.
            if candidates.iter().any(|c| c.kind == InputKind::Training) {
                candidates.retain(|c| c.kind != InputKind::Roster);
            }
            if let Some(best) = candidates
                .into_iter()
                .enumerate()
                .max_by_key(|(order, c)| {
                    (c.roles.len() + c.course_columns.len(), usize::MAX - order)
                })
                .map(|(_, c)| c)
            {
                return Ok(best);
            }
        }
        Err(match best_partial {
            Some((index, kind, missing)) => {
                let names: Vec<&str> = missing.iter().map(|r| role_label(r)).collect();
                format!(
                    "rad {} liknar {} men saknar kolumn för {}",
                    index + 1,
                    kind.label().to_lowercase(),
                    names.join(" och ")
                )
            }
            None => "ingen rubrikrad med kända kolumnnamn hittades bland de första 30 raderna"
                .to_string(),
        })
    }

    /// Maps each column to a role within the groups; the first column wins a role.
    fn map_roles(&self, groups: &[&str], normalized: &[String]) -> BTreeMap<String, usize> {
        let mut roles = BTreeMap::new();
        for (i, h) in normalized.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some(role) = self.role_of(groups, h) {
                roles.entry(role).or_insert(i);
            }
        }
        roles
    }
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
