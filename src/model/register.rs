//! The register of processing (registerförteckning, GDPR art. 30): each processing
//! activity, which of the article's fields are filled, and when it was last reviewed.

use chrono::NaiveDate;

use crate::config::Config;
use crate::ingest::value::parse_datetime;
use crate::model::sheet::SheetReader;
use crate::model::Severity;
use crate::schema::ART30_FIELDS;
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Activity {
    pub name: String,
    /// Filled state of each required field, in the order of `register.required`.
    pub filled: Vec<bool>,
    pub last_reviewed: Option<NaiveDate>,
    /// False when the sheet has no review-date column: staleness is then unknown.
    pub review_known: bool,
    /// True when the review date was written but could not be read.
    pub review_unreadable: bool,
}

impl crate::model::Facts for Activity {
    fn facts(&self) -> String {
        format!(
            "{}|{:?}|{:?}|{}|{}",
            crate::model::fact_text(&self.name),
            self.filled,
            self.last_reviewed,
            self.review_known,
            self.review_unreadable
        )
    }
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

/// The Swedish label of a required register field.
pub fn field_label(role: &str) -> &str {
    ART30_FIELDS
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, l)| *l)
        .unwrap_or_else(|| crate::schema::role_label(role))
}

pub fn read(r: &mut SheetReader, cfg: &Config) -> Vec<Activity> {
    let mut out = Vec::new();
    let required = &cfg.register.required;
    let missing_columns: Vec<&str> = required
        .iter()
        .filter(|role| !r.has(role))
        .map(|role| field_label(role))
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
            "Antalet ej reviderade behandlingar anges som uppgift saknas.",
        );
    }
    for row in r.rows() {
        let Some(name) = r.text(row, "activity") else {
            r.reject(row, "activity", "raden saknar benämning på behandlingen");
            continue;
        };
        let filled: Vec<bool> = required
            .iter()
            .map(|role| r.text(row, role).is_some_and(|t| !is_placeholder(&t)))
            .collect();
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
            review_known: r.has("last_reviewed"),
        });
    }
    out
}
