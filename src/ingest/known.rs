//! Recognition with the catalogue of known systems (`crate::catalogue`): a sheet whose
//! header row holds a system's signature is "känd som X-export". Its verbatim headings
//! then take their roles first, as `[[files]] columns` do (a user's own `[[files]]`
//! columns still win), and text dates in the system's documented formats are read as
//! dates. Recognition itself stays in `header`; this only adds certainty before it and
//! names the system after it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::catalogue::{Catalogue, System};
use crate::ingest::evidence::How;
use crate::ingest::header::{HeaderMap, Recogniser, SheetFacts};
use crate::ingest::value::Cell;
use crate::ingest::RawSheet;
use crate::textnorm::normalize;

/// A sheet prepared for recognition: the known system, if any, and the sheet with the
/// system's text dates read as dates (borrowed unchanged otherwise).
pub struct Prepared<'a> {
    pub system: Option<&'a System>,
    pub sheet: Cow<'a, RawSheet>,
    /// Text cells read as dates in the system's formats.
    pub dates_read: usize,
}

/// Finds the system that wrote a sheet and reads its text dates.
pub fn prepare<'a>(catalogue: &'a Catalogue, sheet: &'a RawSheet) -> Prepared<'a> {
    let found = catalogue.identify(sheet.rows.iter().map(|r| {
        r.iter().map(|c| match c {
            Cell::Text(t) => &**t,
            _ => "",
        })
    }));
    let Some((system, header_index)) = found else {
        return Prepared {
            system: None,
            sheet: Cow::Borrowed(sheet),
            dates_read: 0,
        };
    };
    let (sheet, dates_read) = match read_dates(system, sheet, header_index) {
        Some((converted, n)) => (Cow::Owned(converted), n),
        None => (Cow::Borrowed(sheet), 0),
    };
    Prepared {
        system: Some(system),
        sheet,
        dates_read,
    }
}

/// Recognises a prepared sheet: the system's headings first, then the user's
/// `[[files]]` columns, then evidence; a known sheet says so in its kind note and its
/// decisions.
pub fn recognise(
    rec: &Recogniser,
    prepared: &Prepared,
    user_columns: Option<&BTreeMap<String, String>>,
    facts: &SheetFacts,
) -> Result<HeaderMap, String> {
    let Some(system) = prepared.system else {
        return match user_columns {
            Some(columns) => rec
                .with_columns(columns)
                .recognise_in(&prepared.sheet.rows, facts),
            None => rec.recognise_in(&prepared.sheet.rows, facts),
        };
    };
    let mut columns = system.heading_roles();
    if let Some(user) = user_columns {
        // The user's roles win: drop the system's role for a heading the user maps.
        let users: Vec<String> = user.keys().map(|h| normalize(h)).collect();
        columns.retain(|h, _| !users.contains(&normalize(h)));
        columns.extend(user.iter().map(|(h, r)| (h.clone(), r.clone())));
    }
    let mut map = rec
        .with_columns(&columns)
        .recognise_in(&prepared.sheet.rows, facts)?;
    let user_headings: Vec<String> = user_columns
        .map(|u| u.keys().map(|h| normalize(h)).collect())
        .unwrap_or_default();
    for d in &mut map.decisions {
        let header = map.headers.get(d.col).cloned().unwrap_or_default();
        if d.how == How::Configured
            && system.knows_heading(&header)
            && !user_headings.contains(&normalize(&header))
        {
            d.how = How::Catalogue;
        }
    }
    let dates = match prepared.dates_read {
        0 => String::new(),
        n => format!(
            " {n} datum lästa i systemets format ({}).",
            system.date_formats.join(", ")
        ),
    };
    map.kind_note = format!(
        "{} (templates/systems/{}.toml).{dates} {}",
        capitalise(&system.known_as()),
        system.key,
        map.kind_note
    );
    Ok(map)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Roles whose values are dates.
const DATE_ROLES: [&str; 8] = [
    "event_date",
    "discovered_date",
    "registered_date",
    "reported_date",
    "completion_date",
    "last_reviewed",
    "classified_date",
    "deadline",
];

/// The sheet with text cells in the system's date columns read in its date formats, and
/// how many, or `None` when the system has no formats or no cell needed it. A cell no
/// format reads is left as written, for the value parser to read or report.
fn read_dates(system: &System, sheet: &RawSheet, header_index: usize) -> Option<(RawSheet, usize)> {
    if system.date_formats.is_empty() {
        return None;
    }
    let header = sheet.rows.get(header_index)?;
    let date_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let h = normalize(&c.text());
            system
                .headings
                .iter()
                .any(|(k, role)| normalize(k) == h && DATE_ROLES.contains(&role.as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    let mut out: Option<RawSheet> = None;
    let mut count = 0;
    for (r, row) in sheet.rows.iter().enumerate().skip(header_index + 1) {
        for &c in &date_cols {
            let Some(Cell::Text(t)) = row.get(c) else {
                continue;
            };
            if let Some(dt) = parse_in_formats(t.trim(), &system.date_formats) {
                let copy = out.get_or_insert_with(|| sheet.clone());
                copy.rows[r][c] = Cell::DateTime(dt);
                count += 1;
            }
        }
    }
    out.map(|o| (o, count))
}

/// A date-time (or a date at midnight) in the first format that reads the whole text.
pub fn parse_in_formats(text: &str, formats: &[String]) -> Option<NaiveDateTime> {
    formats.iter().find_map(|f| {
        NaiveDateTime::parse_from_str(text, f)
            .ok()
            .or_else(|| {
                chrono::DateTime::parse_from_str(text, f)
                    .ok()
                    .map(|d| d.naive_local())
            })
            .or_else(|| {
                NaiveDate::parse_from_str(text, f)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_a_systems_formats() {
        let f = vec![
            "%d/%b/%y %I:%M %p".to_string(),
            "%Y-%m-%dT%H:%M:%S%.f%z".to_string(),
        ];
        assert_eq!(
            parse_in_formats("08/Jan/26 11:25 AM", &f)
                .unwrap()
                .to_string(),
            "2026-01-08 11:25:00"
        );
        assert_eq!(
            parse_in_formats("2021-03-24T08:15:13.867+0000", &f)
                .unwrap()
                .to_string(),
            "2021-03-24 08:15:13.867"
        );
        assert!(parse_in_formats("Nätfiske", &f).is_none());
    }
}
