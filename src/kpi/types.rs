//! The KPIs and breakdowns of one unit and year ([`KpiSet`]): the figures every output
//! is written from, through the [`crate::review::Review`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Problem;
use crate::schema::{KpiKey, ValueKind};

/// Traffic-light status of a KPI against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Meets the target.
    Good,
    /// Close to the target (within the configured tolerance).
    Warning,
    /// Misses the target.
    Bad,
    /// No target, or no value.
    Info,
}

impl Status {
    /// Swedish word shown in the status column.
    pub fn label(self) -> &'static str {
        match self {
            Status::Good => "Grön",
            Status::Warning => "Gul",
            Status::Bad => "Röd",
            Status::Info => "Info",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    pub id: KpiKey,
    pub label: String,
    #[serde(serialize_with = "whole_or_fraction")]
    pub value: Option<f64>,
    #[serde(serialize_with = "whole_or_fraction")]
    pub previous: Option<f64>,
    #[serde(serialize_with = "whole_or_fraction")]
    pub target: Option<f64>,
    pub status: Status,
    #[serde(skip)]
    pub kind: ValueKind,
    /// The workbook sheet that breaks this KPI down.
    #[serde(skip)]
    pub sheet: &'static str,
}

/// Counts are written as integers (42, not 42.0); rates as fractions.
pub(crate) fn whole_or_fraction<S: serde::Serializer>(
    v: &Option<f64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// The status legend every output shows under its KPI table, beside [`Kpi::status_text`].
pub const STATUS_LEGEND: &str = "Status: Grön = målet nås, Gul = nära målet, Röd = målet nås inte, Info = inget mål, Uppgift saknas = inget underlag (visas som –). Förändring för andelar i procentenheter (p.e.). Mål och gränser anges i genomgang.toml.";

impl Kpi {
    /// The status as every output writes it: "Uppgift saknas" when no input carries the
    /// value (unknown is not "Info"), else the status's own word.
    pub fn status_text(&self) -> &'static str {
        if self.value.is_none() {
            "Uppgift saknas"
        } else {
            self.status.label()
        }
    }

    /// value − previous, when both exist.
    pub fn change(&self) -> Option<f64> {
        Some(self.value? - self.previous?)
    }
}

/// Every KPI and breakdown of one unit and year, with notes on how they were computed:
/// what `kpi::compute` returns.
#[derive(Debug, Clone)]
pub struct KpiSet {
    pub kpis: Vec<Kpi>,
    pub breakdowns: Breakdowns,
    /// Notes made while computing (e.g. duplicates merged), for the Datakvalitet sheet.
    pub notes: Vec<Problem>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Breakdowns {
    /// Mandatory course labels, in configuration order.
    pub mandatory_courses: Vec<String>,
    pub training_by_unit: Vec<TrainingUnitRow>,
    /// How the people of the training lists matched the roster (when there is one).
    pub roster_match: Option<RosterMatch>,
    pub training_by_course: Vec<CourseRow>,
    pub incidents_by_category: Vec<CategoryRow>,
    /// Always 12 rows, January to December.
    pub incidents_by_month: Vec<MonthRow>,
    /// Every year in the data, oldest first.
    pub incidents_by_year: Vec<YearRow>,
    pub incidents_by_unit: Vec<UnitCountRow>,
    /// Category texts that mapped to "other".
    pub unmapped_categories: Vec<TextCount>,
    pub register_fields: Vec<FieldRow>,
    pub register_incomplete: Vec<IncompleteRow>,
    pub register_stale: Vec<StaleRow>,
    pub classification_levels: Vec<LevelRow>,
    pub classification_unclassified: Vec<IncompleteRow>,
    /// risk_matrix[likelihood-1][consequence-1] = number of risks.
    pub risk_matrix: Vec<Vec<u32>>,
    pub risks: Vec<RiskRow>,
    pub actions_by_status: Vec<TextCount>,
    pub actions_overdue: Vec<ActionRow>,
    pub actions_open: Vec<ActionRow>,
    /// Completions without a date, counted as done by the end of the review year (the
    /// text says so beside the training figure).
    #[serde(skip)]
    pub training_undated: usize,
    /// The actions done, in the plan's order (the review text names them).
    #[serde(skip)]
    pub actions_done: Vec<ActionRow>,
}

/// People of the training lists against the roster: matched by a shared identifier
/// (most reliable first), not found, or sharing a name with two roster people.
#[derive(Debug, Clone, Serialize)]
pub struct RosterMatch {
    pub persons: u32,
    pub matched: u32,
    pub unmatched: u32,
    /// Of the unmatched: their only identifier is a name two roster people share.
    pub ambiguous: u32,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainingUnitRow {
    pub unit: String,
    pub headcount: u32,
    pub completed_all: u32,
    pub rate: Option<f64>,
    /// Completions per mandatory course, same order as `mandatory_courses`.
    pub per_course: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourseRow {
    pub course: String,
    pub mandatory: bool,
    /// Persons of the population who completed it by 31 Dec of the year.
    pub completed: u32,
    pub completed_previous: Option<u32>,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    pub slug: String,
    pub label: String,
    pub count: u32,
    pub previous: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub month: u32,
    /// "jan", "feb", …
    pub label: String,
    pub count: u32,
    pub previous: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub total: u32,
    /// `None` when no incident of the year carries the fact.
    pub personal_data: Option<u32>,
    pub reported_imy: Option<u32>,
    pub reported_msb: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitCountRow {
    pub unit: String,
    pub count: u32,
    /// `None` when no incident carries the personal-data fact.
    pub personal_data: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextCount {
    pub text: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldRow {
    /// Art. 30 field, in Swedish.
    pub field: String,
    pub filled: u32,
    pub missing: u32,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncompleteRow {
    /// Name of the processing activity or information asset (never a person).
    pub name: String,
    /// What is missing, comma separated.
    pub missing: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StaleRow {
    pub activity: String,
    pub last_reviewed: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelRow {
    /// "Konfidentialitet", "Riktighet", "Tillgänglighet".
    pub aspect: String,
    /// Number of assets at level 0..=4.
    pub levels: [u32; 5],
    pub missing: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskRow {
    pub risk: String,
    pub likelihood: f64,
    pub consequence: f64,
    pub value: f64,
    pub high: bool,
    pub status: String,
    pub action: String,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub action: String,
    pub owner: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub status: String,
    pub year: Option<i32>,
}
