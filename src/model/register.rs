//! The register of processing (registerförteckning, GDPR art. 30): each processing
//! activity, which of the article's fields are filled, and when it was last reviewed.

use chrono::NaiveDate;

use crate::ingest::value::parse_datetime;
use crate::model::sheet::SheetReader;
use crate::model::Severity;
use crate::schema::ART30_FIELDS;
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Activity {
    pub name: String,
    /// Filled state of each field in [`ART30_FIELDS`] order.
    pub filled: [bool; 7],
    pub last_reviewed: Option<NaiveDate>,
    /// True when the review date was written but could not be read.
    pub review_unreadable: bool,
}

/// Placeholder texts that mean a field is not really filled in.
fn is_placeholder(text: &str) -> bool {
    matches!(
        normalize(text).as_str(),
        "" | "saknas"
            | "ej angivet"
            | "ej angiven"
            | "okänt"
            | "okänd"
            | "n a"
            | "na"
            | "tbd"
            | "ska fyllas i"
            | "fylls i"
            | "xxx"
    ) || text
        .trim()
        .chars()
        .all(|c| matches!(c, '-' | '–' | '?' | '.' | ' '))
}

pub fn read(r: &mut SheetReader) -> Vec<Activity> {
    let mut out = Vec::new();
    let missing_columns: Vec<&str> = ART30_FIELDS
        .iter()
        .filter(|(role, _)| !r.has(role))
        .map(|(_, label)| *label)
        .collect();
    if !missing_columns.is_empty() {
        r.note(
            &format!(
                "registerförteckningen saknar kolumn för {}",
                missing_columns.join(", ")
            ),
            "Alla behandlingar räknas som ofullständiga för de uppgifterna.",
        );
    }
    if !r.has("last_reviewed") {
        r.note(
            "registerförteckningen saknar kolumn för senast reviderad",
            "Alla behandlingar räknas som ej reviderade.",
        );
    }
    for row in r.rows() {
        let Some(name) = r.text(row, "activity") else {
            r.reject(row, "activity", "raden saknar benämning på behandlingen");
            continue;
        };
        let mut filled = [false; 7];
        for (i, (role, _)) in ART30_FIELDS.iter().enumerate() {
            filled[i] = r.text(row, role).is_some_and(|t| !is_placeholder(&t));
        }
        let cell = r.cell(row, "last_reviewed");
        let (last_reviewed, review_unreadable) = if cell.is_empty() {
            (None, false)
        } else {
            match parse_datetime(cell) {
                Some(d) => (Some(d.date()), false),
                None => {
                    r.problem(
                        row,
                        "last_reviewed",
                        Severity::RowRejected,
                        "revisionsdatumet går inte att läsa",
                        "Behandlingen ingår inte i räkningen av ej reviderade behandlingar.",
                    );
                    (None, true)
                }
            }
        };
        r.rows_read += 1;
        out.push(Activity {
            name,
            filled,
            last_reviewed,
            review_unreadable,
        });
    }
    out
}
