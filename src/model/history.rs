//! A past review read back as history: the figures an earlier genomgång knew, per year.
//! Only aggregates: KPI values, their targets and traffic lights, never a row of an
//! input. Read by `kpi::history` (from the workbook's hidden data sheet, an older
//! workbook's visible Sammanfattning, or the KPI JSON); merged with this year's figures
//! there.

use std::collections::BTreeMap;

use crate::schema::KpiKey;

/// One figure of one year as a past review stated it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PastPoint {
    pub value: f64,
    pub target: Option<f64>,
    /// The review's own traffic light for that year: "good", "warning", "bad", "info".
    pub status: Option<&'static str>,
}

/// One earlier review of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct PastReview {
    /// The unit the review was written for.
    pub unit: String,
    /// The review year.
    pub year: i32,
    /// How it was read: the KPI schema version of its data part, or 0 for a workbook
    /// without one (read from the visible Sammanfattning).
    pub layout: u32,
    /// The file it was read from, as shown in Källor and Datakvalitet.
    pub file: String,
    /// KPI → year → the figure the review held for that year.
    pub figures: BTreeMap<KpiKey, BTreeMap<i32, PastPoint>>,
}

impl PastReview {
    /// The figure the review held for `key` in `year`.
    pub fn point(&self, key: &KpiKey, year: i32) -> Option<&PastPoint> {
        self.figures.get(key).and_then(|years| years.get(&year))
    }

    /// Every year the review holds a figure for, oldest first.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .figures
            .values()
            .flat_map(|y| y.keys().copied())
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}

/// Maps a status word of the KPI document or the Sammanfattning sheet to its JSON name.
pub fn status_name(text: &str) -> Option<&'static str> {
    match text.trim().to_lowercase().as_str() {
        "good" | "grön" => Some("good"),
        "warning" | "gul" => Some("warning"),
        "bad" | "röd" => Some("bad"),
        "info" => Some("info"),
        _ => None,
    }
}
