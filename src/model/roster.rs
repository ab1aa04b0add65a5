//! The HR roster (personal): who the employees are and where they work. It is the
//! population the training completion rate is measured on.

use crate::model::sheet::{Row, SheetReader};
use crate::model::PersonIds;
use crate::textnorm::norm_id;

#[derive(Debug, Clone)]
pub struct Employee {
    pub ids: PersonIds,
    pub unit: Option<String>,
    /// Förvaltning column, for splitting a city-wide roster.
    pub administration: Option<String>,
}

/// Person identifiers of a row, from whichever identifier columns the sheet has.
pub fn person_ids(r: &SheetReader, row: Row) -> PersonIds {
    let get = |role: &str| r.identity(row, role).and_then(|t| norm_id(&t));
    PersonIds {
        employee_number: get("employee_number"),
        user_id: get("user_id"),
        personal_number: get("personal_number").map(|p| p.replace(['-', '+', ' '], "")),
        email: get("email"),
        // With no single name column, Förnamn + Efternamn make the name.
        name: get("name").or_else(|| {
            let first = get("first_name");
            let last = get("last_name");
            match (first, last) {
                (Some(f), Some(l)) => norm_id(&format!("{f} {l}")),
                (Some(f), None) => Some(f),
                (None, Some(l)) => Some(l),
                (None, None) => None,
            }
        }),
    }
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

pub fn read(r: &mut SheetReader) -> Vec<Employee> {
    let mut out = Vec::new();
    for row in r.rows() {
        let Some(ids) = identified(r, row) else {
            continue;
        };
        r.rows_read += 1;
        out.push(Employee {
            ids,
            unit: r.text(row, "unit"),
            administration: r.text(row, "administration"),
        });
    }
    out
}
