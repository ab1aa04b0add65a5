//! The HR roster (personal): who the employees are and where they work. It is the
//! population the training completion rate is measured on.

use std::cell::RefCell;

use crate::fasthash::TextMemo;
use crate::ingest::Cell;
use crate::model::sheet::{Row, SheetReader};
use crate::model::{PersonIds, PersonIdsBuilder};
use crate::textnorm::{norm_id_into, normalize};

#[derive(Debug, Clone)]
pub struct Employee {
    pub ids: PersonIds,
    /// Shared: a roster repeats a few hundred units over thousands of rows.
    pub unit: Option<std::sync::Arc<str>>,
    /// Förvaltning column, for splitting a city-wide roster (shared, as the unit).
    pub administration: Option<std::sync::Arc<str>>,
}

/// Person identifiers of a row, from whichever identifier columns the sheet has. Each
/// identifier is normalised straight from the cell into the record's one text.
pub fn person_ids(r: &SheetReader, row: Row) -> PersonIds {
    thread_local! {
        /// A list asks for a record per row: the buffers are kept between rows.
        static BUFFERS: RefCell<(PersonIdsBuilder, IdScratch)> = RefCell::default();
    }
    BUFFERS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut buffers) => {
            let (ids, scratch) = &mut *buffers;
            build_person_ids(r, row, ids, scratch)
        }
        Err(_) => build_person_ids(
            r,
            row,
            &mut PersonIdsBuilder::default(),
            &mut IdScratch::default(),
        ),
    })
}

/// Texts a row's identifiers are normalised in, kept between rows.
#[derive(Default)]
struct IdScratch {
    id: String,
    /// Förnamn and Efternamn, joined.
    name: String,
    /// The joined name normalised.
    name_id: String,
}

fn build_person_ids(
    r: &SheetReader,
    row: Row,
    ids: &mut PersonIdsBuilder,
    buffers: &mut IdScratch,
) -> PersonIds {
    // A record left half built by a panic mid-row is not carried into this one.
    ids.clear();
    let IdScratch {
        id: scratch,
        name,
        name_id,
    } = buffers;
    let id = |role: &str, scratch: &mut String| cell_id_into(r.cell(row, role), scratch);
    if id("employee_number", scratch) {
        ids.push(PersonIds::EMPLOYEE_NUMBER, scratch);
    }
    if id("personal_number", scratch) {
        scratch.retain(|c| !matches!(c, '-' | '+' | ' '));
        ids.push(PersonIds::PERSONAL_NUMBER, scratch);
    }
    if id("user_id", scratch) {
        ids.push(PersonIds::USER_ID, scratch);
    }
    if id("email", scratch) {
        ids.push(PersonIds::EMAIL, scratch);
    }
    if id("name", scratch) {
        ids.push(PersonIds::NAME, scratch);
    } else {
        // With no single name column, Förnamn + Efternamn make the name.
        name.clear();
        let first = id("first_name", scratch);
        if first {
            name.push_str(scratch);
        }
        let last = id("last_name", scratch);
        if first && last {
            name.push(' ');
            name.push_str(scratch);
            norm_id_into(name, name_id);
            if !name_id.is_empty() {
                ids.push(PersonIds::NAME, name_id);
            }
        } else if first {
            ids.push(PersonIds::NAME, name);
        } else if last {
            ids.push(PersonIds::NAME, scratch);
        }
    }
    ids.record()
}

/// The normalised identifier in a cell (`norm_id` of its trimmed text) into `out`;
/// false when blank. A whole number's text is digits and a sign, already normalised.
fn cell_id_into(cell: &Cell, out: &mut String) -> bool {
    match cell {
        // `norm_id` drops surrounding space itself.
        Cell::Text(t) => norm_id_into(t, out),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            out.clear();
            crate::ingest::push_integer_text(*n as i64, out);
        }
        other => norm_id_into(&other.text(), out),
    }
    !out.is_empty()
}

/// The person identifiers of a row; a row without any is rejected (and `None`).
pub fn identified<'a>(r: &mut SheetReader<'a>, row: Row<'a>) -> Option<PersonIds> {
    let ids = person_ids(r, row);
    if !ids.is_empty() {
        return Some(ids);
    }
    let role = crate::schema::PERSON_ROLES
        .iter()
        .find(|p| r.has(p))
        .copied()
        .unwrap_or("name");
    r.reject(
        row,
        role,
        "raden saknar identitet (anställningsnummer, användar-id, e-post eller namn)",
    );
    None
}

/// Why an account in a person list is not an employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotEmployee {
    /// Disabled, suspended, inactive or ended (`accountEnabled = False`, "Avslutad").
    Inactive,
    /// A guest or external account (`userType = Guest`, `#EXT#` in the name).
    Guest,
    /// A service or system account ("svc-backup", "noreply").
    Service,
}

impl NotEmployee {
    fn label(self, n: usize) -> String {
        let (one, many) = match self {
            NotEmployee::Inactive => (
                "inaktiverat eller avslutat konto",
                "inaktiverade eller avslutade konton",
            ),
            NotEmployee::Guest => (
                "gästkonto eller externt konto",
                "gästkonton eller externa konton",
            ),
            NotEmployee::Service => ("tjänstekonto", "tjänstekonton"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// Account states that mean the account is not in use.
const INACTIVE_STATES: [&str; 23] = [
    "deprovisioned",
    "false",
    "falskt",
    "nej",
    "no",
    "0",
    "disabled",
    "inactive",
    "inaktiv",
    "inaktiverad",
    "suspended",
    "avstängd",
    "avslutad",
    "avslutat",
    "archived",
    "arkiverad",
    "spärrad",
    "deactivated",
    "ended",
    "terminated",
    "slutat",
    "upphörd",
    "deleted",
];

/// Account types that are not employees.
const GUEST_TYPES: [&str; 5] = ["guest", "gäst", "extern", "external", "gästkonto"];
const SERVICE_TYPES: [&str; 5] = [
    "service",
    "tjänstekonto",
    "servicekonto",
    "systemkonto",
    "service account",
];

/// Name prefixes of service accounts, as directories name them.
const SERVICE_PREFIXES: [&str; 8] = [
    "svc-",
    "svc_",
    "svc.",
    "service-",
    "service_",
    "noreply",
    "no-reply",
    "tjanstekonto",
];

/// What the account status and account type texts of a person list say, once per
/// distinct text (a list of tens of thousands repeats a handful).
#[derive(Default)]
struct AccountWords {
    inactive: TextMemo<bool>,
    kind: TextMemo<Option<NotEmployee>>,
}

impl AccountWords {
    fn inactive(&mut self, cell: &Cell) -> bool {
        let read = |cell: &Cell| INACTIVE_STATES.contains(&normalize(&cell.text()).as_str());
        memo_of(&mut self.inactive, cell, read)
    }

    fn kind(&mut self, cell: &Cell) -> Option<NotEmployee> {
        let read = |cell: &Cell| {
            let kind = normalize(&cell.text());
            if GUEST_TYPES.contains(&kind.as_str()) {
                Some(NotEmployee::Guest)
            } else if SERVICE_TYPES.contains(&kind.as_str()) {
                Some(NotEmployee::Service)
            } else {
                None
            }
        };
        memo_of(&mut self.kind, cell, read)
    }
}

/// `read` of a cell, remembered for a text cell.
fn memo_of<V: Clone>(memo: &mut TextMemo<V>, cell: &Cell, read: impl Fn(&Cell) -> V) -> V {
    let Cell::Text(text) = cell else {
        return read(cell);
    };
    if let Some(value) = memo.get(text, text) {
        return value;
    }
    let value = read(cell);
    memo.insert(text, text, value.clone());
    value
}

/// Whether a row of a person list is an account that is not an employee, and why.
fn not_an_employee(r: &SheetReader, row: Row, words: &mut AccountWords) -> Option<NotEmployee> {
    let state = match r.cell(row, "account_status") {
        Cell::Bool(false) => Some(true),
        c if c.is_empty() => None,
        c => Some(words.inactive(c)),
    };
    if state == Some(true) {
        return Some(NotEmployee::Inactive);
    }
    if r.has_column("account_type") {
        if let Some(why) = words.kind(r.cell(row, "account_type")) {
            return Some(why);
        }
    }
    // Names are looked at as written, without copying them: this runs for every row
    // of a roster of tens of thousands.
    for role in ["user_id", "email", "name"] {
        let Cell::Text(t) = r.cell(row, role) else {
            continue;
        };
        let t = t.trim();
        if t.as_bytes().contains(&b'#') && (t.contains("#EXT#") || t.contains("#ext#")) {
            return Some(NotEmployee::Guest);
        }
        if SERVICE_PREFIXES.iter().any(|p| {
            t.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
        }) {
            return Some(NotEmployee::Service);
        }
    }
    None
}

pub fn read(r: &mut SheetReader) -> Vec<Employee> {
    // Sized once: a roster of 10⁵ people is not copied while it doubles.
    let mut out = Vec::with_capacity(r.row_count());
    let mut left_out: std::collections::BTreeMap<NotEmployee, usize> = Default::default();
    let mut words = AccountWords::default();
    for row in r.rows() {
        let Some(ids) = identified(r, row) else {
            continue;
        };
        r.rows_read += 1;
        if let Some(why) = not_an_employee(r, row, &mut words) {
            *left_out.entry(why).or_default() += 1;
            continue;
        }
        out.push(Employee {
            ids,
            unit: r.shared_text(row, "unit"),
            administration: r.shared_text(row, "administration"),
        });
    }
    let total: usize = left_out.values().sum();
    if total > 0 {
        let parts: Vec<String> = left_out.iter().map(|(why, n)| why.label(*n)).collect();
        r.note(
            &format!(
                "{} i personallistan är inte medarbetare: {}",
                if total == 1 {
                    "1 konto".to_string()
                } else {
                    format!("{total} konton")
                },
                parts.join(", ")
            ),
            "De räknas inte i antalet medarbetare eller i andelen som genomfört utbildningarna.",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::textnorm::norm_id;

    fn cell_id(cell: &Cell) -> Option<String> {
        let mut out = String::from("left over from the row before");
        cell_id_into(cell, &mut out).then_some(out)
    }

    /// [`cell_id_into`] gives what normalising the cell's trimmed text gives (the identity
    /// text as `SheetReader::identity_str` reads it, then `norm_id`).
    #[test]
    fn cell_ids_are_the_normalised_identity_texts() {
        let reference = |cell: &Cell| {
            let text = match cell {
                Cell::Text(t) => t.trim().to_string(),
                other => other.text().trim().to_string(),
            };
            if text.is_empty() {
                None
            } else {
                norm_id(&text)
            }
        };
        let cells = [
            Cell::Empty,
            Cell::Text("".into()),
            Cell::Text("  \t ".into()),
            Cell::Text(" Anna  Berg ".into()),
            Cell::Text("LINNÉA ÅSTRÖM".into()),
            Cell::Text("E1043".into()),
            Cell::Text("anna.berg@EXAMPLE.se".into()),
            Cell::Text("ΟΔΥΣΣΕΥΣ".into()),
            Cell::Text("Anna\u{a0}Berg".into()),
            Cell::Number(24000214.0),
            Cell::Number(-17.0),
            Cell::Number(-0.0),
            Cell::Number(1.5),
            Cell::Number(1e16),
            Cell::Number(f64::NAN),
            Cell::Number(f64::INFINITY),
            Cell::Bool(true),
            Cell::DateTime(
                chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
                    .and_then(|d| d.and_hms_opt(10, 22, 0))
                    .unwrap_or_default(),
            ),
            Cell::Error("#N/A".into()),
        ];
        for cell in &cells {
            assert_eq!(cell_id(cell), reference(cell), "{cell:?}");
        }
        assert_eq!(
            cell_id(&Cell::Number(24000214.0)).as_deref(),
            Some("24000214")
        );
        assert_eq!(
            cell_id(&Cell::Text(" Anna  Berg ".into())).as_deref(),
            Some("anna berg")
        );
    }

    #[test]
    fn person_ids_keep_each_kind_apart() {
        let ids = PersonIds::new([
            Some("24000214"),
            None,
            Some(""),
            Some("åsa.öberg@stad.se"),
            Some("åsa öberg"),
        ]);
        assert_eq!(ids.get(PersonIds::EMPLOYEE_NUMBER), Some("24000214"));
        assert_eq!(ids.get(PersonIds::PERSONAL_NUMBER), None);
        // Present but empty (a personnummer of only dashes) is not absent.
        assert_eq!(ids.get(PersonIds::USER_ID), Some(""));
        assert_eq!(ids.get(PersonIds::EMAIL), Some("åsa.öberg@stad.se"));
        assert_eq!(ids.name(), Some("åsa öberg"));
        assert_eq!(ids.get(9), None);
        let keys: Vec<(u8, &str)> = ids.keys().collect();
        assert_eq!(
            keys,
            [
                (0, "24000214"),
                (2, ""),
                (3, "åsa.öberg@stad.se"),
                (4, "åsa öberg")
            ]
        );
        assert!(!ids.is_empty());
        assert!(PersonIds::new([None; 5]).is_empty());
        // The same identifiers in other kinds are another person.
        let moved = PersonIds::new([
            None,
            Some("24000214"),
            Some(""),
            Some("åsa.öberg@stad.se"),
            Some("åsa öberg"),
        ]);
        assert_ne!(ids, moved);
        assert_eq!(
            ids,
            PersonIds::new([
                Some("24000214"),
                None,
                Some(""),
                Some("åsa.öberg@stad.se"),
                Some("åsa öberg")
            ])
        );
        // Kinds given out of order or twice are ignored, not mixed up.
        let mut b = PersonIdsBuilder::default();
        b.push(PersonIds::EMAIL, "a@b.se");
        b.push(PersonIds::EMPLOYEE_NUMBER, "1");
        b.push(PersonIds::EMAIL, "c@d.se");
        let ids = b.build();
        assert_eq!(ids.keys().collect::<Vec<_>>(), [(3, "a@b.se")]);
    }

    /// A city-scale roster or list holds hundreds of thousands of these.
    #[test]
    fn person_records_stay_small() {
        assert_eq!(std::mem::size_of::<PersonIds>(), 40);
        assert_eq!(std::mem::size_of::<crate::model::Completion>(), 56);
    }
}
