//! Year after year: earlier reviews read back, and merged with this year's figures into
//! one series per KPI.
//!
//! Reading: a workbook genomgang wrote carries its KPI document as JSON in the hidden
//! sheet [`KPI_DATA_SHEET`] (schema version ≥ 1); a workbook written before that part
//! existed is read from its visible Sammanfattning table (layout 0); the `--json`
//! document itself is read the same way as the data sheet.
//!
//! Merging ([`merge`]): this year's figures come from this year's exports. A past year's
//! figure comes from this year's exports when they cover it and from the newest review
//! that holds it otherwise. When both exist and disagree the conflict is kept, both
//! figures listed: for counts of dated incidents this year's log wins (incidents are
//! registered late, so a later log is more complete); for snapshots (training and
//! roster, registers, risks, actions) the review of that year wins, since this year's
//! export measures today's staff and documents, not last year's.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::ingest::{Cell, RawSheet};
use crate::kpi::{Breakdowns, Kpi, Status, YearRow};
use crate::model::history::{status_name, PastPoint, PastReview};
use crate::model::{Inputs, Place, Problem};
use crate::schema::{KpiId, KpiKey, ValueKind, KPI_DATA_SHEET, KPI_SCHEMA_VERSION};
use crate::textnorm::unit_key;

/// The years the Sammanfattning and the text look back over (this year included).
pub const TREND_YEARS: usize = 5;

/// Reads a workbook genomgang wrote as a past review: its data sheet, or for an older
/// workbook its Sammanfattning. `Err` says in Swedish why it is not a review (a
/// comparison workbook, a damaged data sheet).
pub fn from_workbook(sheets: &[RawSheet], file: &str, cfg: &Config) -> Result<PastReview, String> {
    if let Some(data) = sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some(KPI_DATA_SHEET))
    {
        let text: String = data
            .rows
            .iter()
            .skip(1)
            .filter_map(|r| match r.first() {
                Some(Cell::Text(t)) => Some(&**t),
                _ => None,
            })
            .collect();
        let doc: Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "bladet {KPI_DATA_SHEET} går inte att tolka (JSON-fel på rad {}, kolumn {})",
                e.line(),
                e.column()
            )
        })?;
        return from_document(&doc, file);
    }
    match sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some("Sammanfattning"))
    {
        Some(summary) => from_summary_sheet(&summary.rows, file, cfg),
        None => Err(
            "arbetsboken har varken bladet Nyckeltalsdata eller en Sammanfattning med nyckeltal (en jämförelse mellan förvaltningar?)"
                .to_string(),
        ),
    }
}

/// Reads a KPI document (`--json` of `report`, or the data sheet). A document of
/// `batch` (`{"units": [...]}`) gives one review per unit.
pub fn from_json_text(text: &str, file: &str) -> Result<Vec<PastReview>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "filen är ingen läsbar JSON (fel på rad {}, kolumn {})",
            e.line(),
            e.column()
        )
    })?;
    match doc.get("units").and_then(Value::as_array) {
        Some(units) => units.iter().map(|u| from_document(u, file)).collect(),
        None => from_document(&doc, file).map(|r| vec![r]),
    }
}

/// One unit's KPI document. Documents without `schema_version` (written before it
/// existed) are read as version 0: the same `kpis` list, no `history`.
pub fn from_document(doc: &Value, file: &str) -> Result<PastReview, String> {
    let version = match doc.get("schema_version") {
        None => 0,
        Some(v) => v.as_u64().ok_or("schema_version är inte ett heltal")? as u32,
    };
    if version > KPI_SCHEMA_VERSION {
        return Err(format!(
            "nyckeltalen har schemaversion {version}, skriven av en nyare genomgang än denna (som läser till och med version {KPI_SCHEMA_VERSION})"
        ));
    }
    let unit = doc
        .get("unit")
        .and_then(Value::as_str)
        .ok_or("uppgift om förvaltning (unit) saknas")?;
    let year = doc
        .get("year")
        .and_then(Value::as_i64)
        .filter(|y| (1900..=9999).contains(y))
        .ok_or("uppgift om granskningsår (year) saknas")? as i32;
    let kpis = doc
        .get("kpis")
        .and_then(Value::as_array)
        .ok_or("listan över nyckeltal (kpis) saknas")?;
    let mut review = PastReview {
        unit: crate::privacy::clean_name(unit),
        year,
        layout: version,
        file: file.to_string(),
        figures: BTreeMap::new(),
    };
    // The series first: they hold every year the review knew.
    let series = doc
        .pointer("/history/series")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for s in series {
        let Some(key) = s.get("id").and_then(Value::as_str).and_then(KpiKey::parse) else {
            continue;
        };
        for p in s
            .get("points")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(y), Some(value)) = (
                p.get("year")
                    .and_then(Value::as_i64)
                    .filter(|y| (1900..=9999).contains(y)),
                p.get("value").and_then(Value::as_f64),
            ) else {
                continue;
            };
            let point = PastPoint {
                value,
                target: p.get("target").and_then(Value::as_f64),
                status: p
                    .get("status")
                    .and_then(Value::as_str)
                    .and_then(status_name),
            };
            review
                .figures
                .entry(key.clone())
                .or_default()
                .insert(y as i32, point);
        }
    }
    for k in kpis {
        let Some(key) = k.get("id").and_then(Value::as_str).and_then(KpiKey::parse) else {
            continue;
        };
        let years = review.figures.entry(key).or_default();
        if let Some(value) = k.get("value").and_then(Value::as_f64) {
            years.entry(year).or_insert(PastPoint {
                value,
                target: k.get("target").and_then(Value::as_f64),
                status: k
                    .get("status")
                    .and_then(Value::as_str)
                    .and_then(status_name),
            });
        }
        if let Some(value) = k.get("previous").and_then(Value::as_f64) {
            years.entry(year - 1).or_insert(PastPoint {
                value,
                target: None,
                status: None,
            });
        }
    }
    review.figures.retain(|_, years| !years.is_empty());
    Ok(review)
}

/// Layout 0: a review workbook written before the data sheet existed. The title (A1)
/// gives year and unit, the KPI table ("Nyckeltal", YEAR, YEAR−1, Förändring, Mål,
/// Status) the figures; labels are mapped to KPI ids by the labels this version writes
/// for that year.
pub fn from_summary_sheet(
    rows: &[Vec<Cell>],
    file: &str,
    cfg: &Config,
) -> Result<PastReview, String> {
    let text = |c: Option<&Cell>| match c {
        Some(Cell::Text(t)) => t.trim().to_string(),
        Some(Cell::Number(n)) if n.fract() == 0.0 => format!("{n}"),
        _ => String::new(),
    };
    let title = rows
        .iter()
        .take(3)
        .map(|r| text(r.first()))
        .find(|t| t.starts_with("Ledningens genomgång "))
        .ok_or("bladet Sammanfattning saknar rubriken \"Ledningens genomgång ÅR – FÖRVALTNING\"")?;
    let rest = &title["Ledningens genomgång ".len()..];
    let (year_text, unit) = rest
        .split_once(" – ")
        .ok_or("rubriken på bladet Sammanfattning anger inte år och förvaltning")?;
    let year: i32 = year_text
        .trim()
        .parse()
        .map_err(|_| "rubriken på bladet Sammanfattning anger inget granskningsår".to_string())?;
    let header = rows
        .iter()
        .position(|r| text(r.first()) == "Nyckeltal" && text(r.get(1)) == year.to_string())
        .ok_or("bladet Sammanfattning saknar nyckeltalstabellen")?;
    let labels = label_map(cfg, year);
    let number = |c: Option<&Cell>| match c {
        Some(Cell::Number(n)) => Some(*n),
        _ => None,
    };
    let mut review = PastReview {
        unit: crate::privacy::clean_name(unit),
        year,
        layout: 0,
        file: file.to_string(),
        figures: BTreeMap::new(),
    };
    for row in rows[header + 1..].iter() {
        let label = text(row.first());
        if label.is_empty() {
            break;
        }
        let Some(key) = labels.get(&label) else {
            continue;
        };
        let years = review.figures.entry(key.clone()).or_default();
        if let Some(value) = number(row.get(1)) {
            years.insert(
                year,
                PastPoint {
                    value,
                    target: number(row.get(4)),
                    status: status_name(&text(row.get(5))),
                },
            );
        }
        if let Some(value) = number(row.get(2)) {
            years.insert(
                year - 1,
                PastPoint {
                    value,
                    target: None,
                    status: None,
                },
            );
        }
    }
    review.figures.retain(|_, years| !years.is_empty());
    if review.figures.is_empty() {
        return Err(
            "nyckeltalstabellen på bladet Sammanfattning har inga nyckeltal som känns igen"
                .to_string(),
        );
    }
    Ok(review)
}

/// The label each KPI has in a review of `year` (the authority's name depends on the
/// year) → its key.
fn label_map(cfg: &Config, year: i32) -> BTreeMap<String, KpiKey> {
    let set = crate::kpi::compute(&Inputs::default(), cfg, year);
    set.kpis.into_iter().map(|k| (k.label, k.id)).collect()
}

/// The multi-year view of one review: a series per KPI, the conflicts between sources,
/// and the past reviews used.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// Every year some figure is known for, oldest first.
    pub years: Vec<i32>,
    /// The reviews read back and used.
    pub reviews: Vec<ReviewUsed>,
    /// One series per KPI with at least one known figure, in KPI order.
    pub series: Vec<Series>,
    /// Figures of the same year that two sources state differently.
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewUsed {
    pub file: String,
    pub year: i32,
    /// The KPI schema version it was read with (0: the visible Sammanfattning).
    pub schema_version: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub id: KpiKey,
    pub label: String,
    #[serde(skip)]
    pub kind: ValueKind,
    /// Oldest first, one per year with a known figure.
    pub points: Vec<Point>,
}

impl Series {
    /// The points of the last [`TREND_YEARS`] years up to `year`.
    pub fn recent(&self, year: i32) -> Vec<&Point> {
        self.points
            .iter()
            .filter(|p| p.year <= year && p.year > year - TREND_YEARS as i32)
            .collect()
    }

    pub fn at(&self, year: i32) -> Option<f64> {
        self.points
            .iter()
            .find(|p| p.year == year)
            .and_then(|p| p.value)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub year: i32,
    #[serde(serialize_with = "crate::kpi::types::whole_or_fraction")]
    pub value: Option<f64>,
    #[serde(serialize_with = "crate::kpi::types::whole_or_fraction")]
    pub target: Option<f64>,
    /// The traffic light of that year's review: good, warning, bad, info.
    pub status: Option<&'static str>,
    /// "underlag" (this year's exports) or "genomgång YYYY" (a past review).
    pub source: String,
}

/// One figure two sources state differently.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub id: KpiKey,
    pub label: String,
    pub year: i32,
    #[serde(serialize_with = "crate::kpi::types::whole_or_fraction")]
    pub used: Option<f64>,
    pub used_source: String,
    #[serde(serialize_with = "crate::kpi::types::whole_or_fraction")]
    pub other: Option<f64>,
    pub other_source: String,
    /// Why the used figure was chosen, in Swedish.
    pub reason: String,
    #[serde(skip)]
    pub kind: ValueKind,
}

/// The source label of this year's exports.
pub const FROM_DATA: &str = "underlag";

fn from_review(year: i32) -> String {
    format!("genomgång {year}")
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Good => "good",
        Status::Warning => "warning",
        Status::Bad => "bad",
        Status::Info => "info",
    }
}

/// Counts of dated incidents: a later log is more complete than an earlier review.
fn later_log_wins(key: &KpiKey) -> bool {
    match key {
        KpiKey::Category(_) => true,
        KpiKey::Fixed(id) => id.sheet() == "Incidenter",
    }
}

fn differ(a: f64, b: f64) -> bool {
    (a - b).abs() > 1e-9
}

/// Merges the past reviews of `unit` into this year's KPIs: fills each KPI's previous
/// year from the reviews when this year's exports do not hold it, records conflicts,
/// adds past years to the incidents-per-year table, and returns the series with the
/// notes for Datakvalitet (reviews of another unit or year are listed, not used).
pub fn merge(
    kpis: &mut [Kpi],
    breakdowns: &mut Breakdowns,
    unit: &str,
    year: i32,
    past: &[PastReview],
) -> (History, Vec<Problem>) {
    let mut notes = Vec::new();
    let mut usable: Vec<&PastReview> = Vec::new();
    for p in past {
        let not_used = |message: String| {
            Problem::note(
                Place::file(&p.file),
                &message,
                "Den användes inte som historik.",
            )
        };
        if unit_key(&p.unit) != unit_key(unit) {
            notes.push(not_used(format!(
                "genomgången gäller {}, inte {unit}",
                p.unit
            )));
        } else if p.year >= year {
            notes.push(not_used(format!(
                "genomgången gäller {}, inte ett år före {year}",
                p.year
            )));
        } else if let Some(first) = usable.iter().find(|u| u.year == p.year) {
            notes.push(not_used(format!(
                "det finns redan en genomgång för {} ({})",
                p.year, first.file
            )));
        } else {
            usable.push(p);
        }
    }
    // Newest first: a later review knows late registrations of its previous year.
    usable.sort_by_key(|p| std::cmp::Reverse(p.year));
    let mut history = History {
        reviews: usable
            .iter()
            .map(|p| ReviewUsed {
                file: p.file.clone(),
                year: p.year,
                schema_version: p.layout,
            })
            .collect(),
        ..History::default()
    };
    for k in kpis.iter_mut() {
        let mut points: BTreeMap<i32, Point> = BTreeMap::new();
        points.insert(
            year,
            Point {
                year,
                value: k.value,
                target: k.target,
                status: k.value.map(|_| status_key(k.status)),
                source: FROM_DATA.to_string(),
            },
        );
        if let Some(prev) = k.previous {
            points.insert(
                year - 1,
                Point {
                    year: year - 1,
                    value: Some(prev),
                    target: None,
                    status: None,
                    source: FROM_DATA.to_string(),
                },
            );
        }
        for p in &usable {
            let Some(years) = p.figures.get(&k.id) else {
                continue;
            };
            for (&y, pt) in years.range(..year) {
                let source = from_review(p.year);
                let Some(existing) = points.get_mut(&y) else {
                    points.insert(
                        y,
                        Point {
                            year: y,
                            value: Some(pt.value),
                            target: pt.target,
                            status: pt.status,
                            source,
                        },
                    );
                    continue;
                };
                if existing.target.is_none() {
                    existing.target = pt.target;
                }
                if existing.status.is_none() {
                    existing.status = pt.status;
                }
                let Some(current) = existing.value else {
                    existing.value = Some(pt.value);
                    existing.source = source;
                    continue;
                };
                if !differ(current, pt.value) {
                    continue;
                }
                let from_data = existing.source == FROM_DATA;
                let review_wins = from_data && !later_log_wins(&k.id);
                let reason = if review_wins {
                    format!("årets underlag räknar på dagens medarbetare och dokument; genomgången {} mätte läget det året", p.year)
                } else if from_data {
                    "årets underlag innehåller också händelser som registrerades efter förra genomgången".to_string()
                } else {
                    format!("den senare {} har en rättad siffra", existing.source)
                };
                let conflict =
                    |used: f64, used_source: &str, other: f64, other_source: &str| Conflict {
                        id: k.id.clone(),
                        label: k.label.clone(),
                        year: y,
                        used: Some(used),
                        used_source: used_source.to_string(),
                        other: Some(other),
                        other_source: other_source.to_string(),
                        reason: reason.clone(),
                        kind: k.kind,
                    };
                if review_wins {
                    history
                        .conflicts
                        .push(conflict(pt.value, &source, current, FROM_DATA));
                    existing.value = Some(pt.value);
                    existing.source = source;
                } else {
                    history
                        .conflicts
                        .push(conflict(current, &existing.source, pt.value, &source));
                }
            }
        }
        k.previous = points.get(&(year - 1)).and_then(|p| p.value);
        if points.values().any(|p| p.value.is_some()) {
            history.series.push(Series {
                id: k.id.clone(),
                label: k.label.clone(),
                kind: k.kind,
                points: points
                    .into_values()
                    .filter(|p| p.value.is_some() || p.year == year)
                    .collect(),
            });
        }
    }
    let mut years: Vec<i32> = history
        .series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .filter(|p| p.value.is_some())
                .map(|p| p.year)
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    history.years = years;
    for c in &history.conflicts {
        notes.push(conflict_note(c, unit));
    }
    add_past_years(breakdowns, &history, year);
    (history, notes)
}

/// "2024 incidenter: 33 enligt årets underlag, 31 enligt genomgång 2024."
fn conflict_note(c: &Conflict, unit: &str) -> Problem {
    let show = |v: Option<f64>| crate::kpi::history::format_value(v, c.kind);
    Problem::note(
        Place::file(&format!("(historik, {unit})")),
        &format!(
            "{} {}: {} enligt {}, {} enligt {}",
            c.label,
            c.year,
            show(c.used),
            c.used_source,
            show(c.other),
            c.other_source
        ),
        &format!(
            "Siffran från {} används ({}): {}. Båda siffrorna visas.",
            c.used_source,
            show(c.used),
            c.reason
        ),
    )
}

/// A figure as the review text writes it: "33", "16 %".
pub fn format_value(v: Option<f64>, kind: ValueKind) -> String {
    match (v, kind) {
        (None, _) => "–".to_string(),
        (Some(x), ValueKind::Rate) => format!("{} %", (x * 100.0).round() as i64),
        (Some(x), ValueKind::Count) if x.fract() == 0.0 => format!("{}", x as i64),
        (Some(x), ValueKind::Count) => format!("{x:.1}").replace('.', ","),
    }
}

/// Past years the incident log does not reach, from the reviews, so the incidents-per-year
/// table and chart show every year known.
fn add_past_years(b: &mut Breakdowns, history: &History, year: i32) {
    let at = |id: KpiId, y: i32| {
        history
            .series
            .iter()
            .find(|s| s.id == KpiKey::Fixed(id))
            .and_then(|s| s.at(y))
            .map(|v| v.round() as u32)
    };
    for &y in history.years.iter().filter(|&&y| y < year) {
        if b.incidents_by_year.iter().any(|r| r.year == y) {
            continue;
        }
        let Some(total) = at(KpiId::IncidentsTotal, y) else {
            continue;
        };
        b.incidents_by_year.push(YearRow {
            year: y,
            total,
            personal_data: at(KpiId::IncidentsPersonalData, y),
            reported_imy: at(KpiId::IncidentsReportedImy, y),
            reported_msb: at(KpiId::IncidentsReportedMsb, y),
        });
    }
    b.incidents_by_year.sort_by_key(|r| r.year);
    // Last year's count per category, where this year's log does not reach it.
    for row in b
        .incidents_by_category
        .iter_mut()
        .filter(|r| r.previous.is_none())
    {
        row.previous = history
            .series
            .iter()
            .find(|s| s.id == KpiKey::Category(row.slug.clone()))
            .and_then(|s| s.at(year - 1))
            .map(|v| v.round() as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(year: i32, figures: &[(KpiId, i32, f64)]) -> PastReview {
        let mut r = PastReview {
            unit: "Kungsholmen".into(),
            year,
            layout: KPI_SCHEMA_VERSION,
            file: format!("Ledningens genomgång {year} - Kungsholmen.xlsx"),
            figures: BTreeMap::new(),
        };
        for (id, y, v) in figures {
            r.figures.entry(KpiKey::Fixed(*id)).or_default().insert(
                *y,
                PastPoint {
                    value: *v,
                    target: None,
                    status: None,
                },
            );
        }
        r
    }

    #[test]
    fn later_log_wins_for_incidents_and_the_review_for_snapshots() {
        let mut kpis = vec![
            Kpi::new(
                KpiId::IncidentsTotal,
                "Antal incidenter",
                Some(39.0),
                Some(33.0),
            ),
            Kpi::new(
                KpiId::TrainingCompletedAll,
                "Genomfört",
                Some(66.0),
                Some(40.0),
            ),
            Kpi::new(
                KpiId::TrainingHeadcount,
                "Antal medarbetare",
                Some(412.0),
                None,
            ),
        ];
        let past = vec![review(
            2024,
            &[
                (KpiId::IncidentsTotal, 2024, 31.0),
                (KpiId::IncidentsTotal, 2023, 25.0),
                (KpiId::TrainingCompletedAll, 2024, 38.0),
                (KpiId::TrainingHeadcount, 2024, 400.0),
            ],
        )];
        let mut b = Breakdowns::default();
        // The log covers 2024 and 2025.
        for (year, total) in [(2024, 33), (2025, 39)] {
            b.incidents_by_year.push(YearRow {
                year,
                total,
                personal_data: None,
                reported_imy: None,
                reported_msb: None,
            });
        }
        let (h, notes) = merge(&mut kpis, &mut b, "kungsholmen", 2025, &past);
        assert_eq!(kpis[0].previous, Some(33.0));
        assert_eq!(kpis[1].previous, Some(38.0));
        assert_eq!(kpis[2].previous, Some(400.0));
        assert_eq!(h.years, vec![2023, 2024, 2025]);
        assert_eq!(h.conflicts.len(), 2);
        let inc = &h.conflicts[0];
        assert_eq!((inc.used, inc.other), (Some(33.0), Some(31.0)));
        assert_eq!(inc.used_source, FROM_DATA);
        let tr = &h.conflicts[1];
        assert_eq!((tr.used, tr.other), (Some(38.0), Some(40.0)));
        assert_eq!(notes.len(), 2);
        assert!(notes[0]
            .message
            .contains("33 enligt underlag, 31 enligt genomgång 2024"));
        // 2023 known only from the review.
        let years: Vec<(i32, u32)> = b
            .incidents_by_year
            .iter()
            .map(|r| (r.year, r.total))
            .collect();
        assert_eq!(years, vec![(2023, 25), (2024, 33), (2025, 39)]);
    }

    #[test]
    fn reviews_of_other_units_or_years_are_not_used() {
        let mut kpis = vec![Kpi::new(
            KpiId::IncidentsTotal,
            "Antal incidenter",
            Some(3.0),
            None,
        )];
        let mut other = review(2024, &[(KpiId::IncidentsTotal, 2024, 9.0)]);
        other.unit = "Östermalm".into();
        let same_year = review(2025, &[(KpiId::IncidentsTotal, 2025, 9.0)]);
        let mut b = Breakdowns::default();
        let (h, notes) = merge(&mut kpis, &mut b, "Kungsholmen", 2025, &[other, same_year]);
        assert_eq!(kpis[0].previous, None);
        assert!(h.reviews.is_empty());
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn document_round_trip_keeps_every_year() {
        let doc = serde_json::json!({
            "schema_version": 1, "unit": "Kungsholmen", "year": 2024,
            "kpis": [{"id": "incidents.total", "value": 31, "previous": 25, "target": null, "status": "info"}],
            "history": {"series": [{"id": "incidents.total", "points": [
                {"year": 2022, "value": 20, "target": null, "status": null, "source": "genomgång 2023"},
                {"year": 2023, "value": 25, "target": null, "status": null, "source": "underlag"},
                {"year": 2024, "value": 31, "target": null, "status": "info", "source": "underlag"}]}]}
        });
        let r = from_document(&doc, "x.json").unwrap();
        assert_eq!(r.year, 2024);
        let key = KpiKey::Fixed(KpiId::IncidentsTotal);
        assert_eq!(r.point(&key, 2022).map(|p| p.value), Some(20.0));
        assert_eq!(r.point(&key, 2024).map(|p| p.value), Some(31.0));
        assert_eq!(r.years(), vec![2022, 2023, 2024]);
        let newer =
            serde_json::json!({"schema_version": 99, "unit": "K", "year": 2024, "kpis": []});
        assert!(from_document(&newer, "x.json").is_err());
    }
}
