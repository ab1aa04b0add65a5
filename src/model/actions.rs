//! The action plan (åtgärdsplan / handlingsplan): each action with status and deadline.

use chrono::{Datelike, NaiveDate};

use crate::config::Config;
use crate::ingest::value::{parse_datetime, parse_number};
use crate::ingest::Cell;
use crate::model::sheet::SheetReader;
use crate::model::Severity;
use crate::privacy::owner_label;
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    pub status: String,
    pub done: bool,
    pub deadline: Option<NaiveDate>,
    /// True when a deadline was written but could not be read.
    pub deadline_unreadable: bool,
    pub year: Option<i32>,
    /// Who is responsible, as a function; see [`crate::privacy::owner_label`].
    pub owner: Option<String>,
}

impl crate::model::Facts for Action {
    fn facts(&self) -> String {
        use crate::model::fact_text;
        format!(
            "{}|{}|{}|{:?}|{}|{:?}|{}",
            fact_text(&self.name),
            fact_text(&self.status),
            self.done,
            self.deadline,
            self.deadline_unreadable,
            self.year,
            fact_text(self.owner.as_deref().unwrap_or_default())
        )
    }
}

/// A deadline as a date, or as a period: "2026", "Q2 2026", "VT 2026", "HT 2025", "juni 2026".
pub fn parse_deadline(cell: &Cell) -> Option<NaiveDate> {
    if let Cell::Number(n) = cell {
        if (2000.0..=2100.0).contains(n) && n.fract() == 0.0 {
            return NaiveDate::from_ymd_opt(*n as i32, 12, 31);
        }
    }
    if let Some(d) = parse_datetime(cell) {
        return Some(d.date());
    }
    let t = normalize(&cell.text());
    let words: Vec<&str> = t.split(' ').collect();
    let year: i32 = words
        .iter()
        .find_map(|w| w.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)))?;
    let end_of_month = |m: u32| {
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
    };
    if words.len() == 1 {
        return NaiveDate::from_ymd_opt(year, 12, 31);
    }
    // "Q2 2026" and "2026 Q2" alike: the period word is the one that is not the year.
    let first = words
        .iter()
        .copied()
        .find(|w| w.parse::<i32>().is_err())
        .unwrap_or(words[0]);
    match first {
        "q1" | "kv1" => return end_of_month(3),
        "q2" | "kv2" => return end_of_month(6),
        "q3" | "kv3" => return end_of_month(9),
        "q4" | "kv4" => return end_of_month(12),
        "vt" | "vår" | "våren" => return end_of_month(6),
        "ht" | "höst" | "hösten" => return end_of_month(12),
        "senast" | "under" | "år" => return NaiveDate::from_ymd_opt(year, 12, 31),
        _ => {}
    }
    let months = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    months
        .iter()
        .position(|m| first == *m || (first.len() >= 3 && m.starts_with(first)))
        .and_then(|i| end_of_month(i as u32 + 1))
}

pub fn read(r: &mut SheetReader, cfg: &Config) -> Vec<Action> {
    let done_words: Vec<String> = cfg.actions.done.iter().map(|d| normalize(d)).collect();
    let mut out = Vec::new();
    for row in r.rows() {
        let Some(name) = r.text(row, "action") else {
            r.reject(row, "action", "raden saknar beskrivning av åtgärden");
            continue;
        };
        let status = r.text(row, "status").unwrap_or_default();
        let done = done_words.contains(&normalize(&status));
        let cell = r.cell(row, "deadline");
        let (deadline, deadline_unreadable) = if cell.is_empty() {
            (None, false)
        } else {
            match parse_deadline(cell) {
                Some(d) => (Some(d), false),
                None => {
                    r.problem(row, "deadline", Severity::RowRejected, "slutdatumet går inte att läsa (använd ÅÅÅÅ-MM-DD, ett år eller t.ex. Q2 2026)", "Åtgärden ingår inte i räkningen av försenade åtgärder.");
                    (None, true)
                }
            }
        };
        let year = parse_number(r.cell(row, "year"))
            .filter(|y| (2000.0..=2100.0).contains(y))
            .map(|y| y as i32)
            .or(deadline.map(|d| d.year()));
        r.rows_read += 1;
        out.push(Action {
            name,
            status,
            done,
            deadline,
            deadline_unreadable,
            year,
            owner: r.text(row, "owner").map(|o| owner_label(&o)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_as_periods() {
        let d = |s: &str| parse_deadline(&Cell::Text(s.into()));
        assert_eq!(d("2026-06-30"), NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(d("2026"), NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(d("Q2 2026"), NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(d("2026 Q2"), NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(d("kv3 2025"), NaiveDate::from_ymd_opt(2025, 9, 30));
        assert_eq!(d("VT 2026"), NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(d("HT 2025"), NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(d("juni 2026"), NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(d("februari 2028"), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(d("snart"), None);
        assert_eq!(
            parse_deadline(&Cell::Number(2026.0)),
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
    }
}
