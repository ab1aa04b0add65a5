//! The review's charts as values: each chart's kind, categories, series (with their
//! colours and whether bars carry their values), value axis and target line, built once
//! from the figures. The workbook's native charts, the Word document's native charts
//! and the slide PNGs are all drawn from these specifications, so the three never
//! disagree on a figure, a colour or a title.

use crate::review::format::percent;
use crate::review::Figures;
use crate::schema::KpiId;

/// This year: the strong colour of the workbook (dark blue).
pub const THIS_YEAR: u32 = 0x1F4E79;
/// Last year: grey, so it reads as background and not as "bad".
pub const LAST_YEAR: u32 = 0xA6A6A6;
/// The target line.
pub const TARGET: u32 = 0xC00000;

/// Which chart; also the stem of its PNG file and its reference in the review text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartId {
    IncidentsByCategory,
    IncidentsByMonth,
    TrainingByUnit,
}

impl ChartId {
    pub const ALL: [ChartId; 3] = [
        ChartId::IncidentsByCategory,
        ChartId::IncidentsByMonth,
        ChartId::TrainingByUnit,
    ];

    /// The name the review text uses for it (`![…](figur:incidenter-per-kategori)`).
    pub fn slug(self) -> &'static str {
        match self {
            ChartId::IncidentsByCategory => "incidenter-per-kategori",
            ChartId::IncidentsByMonth => "incidenter-per-manad",
            ChartId::TrainingByUnit => "utbildning-per-enhet",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ChartId> {
        ChartId::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// How the series are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars, categories from the top down.
    Bar,
    /// Vertical columns.
    Column,
    /// Lines with markers.
    Line,
}

/// What a series stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRole {
    PreviousYear,
    ThisYear,
    /// The target, the same value on every category, drawn as a dashed line.
    Target,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub role: SeriesRole,
    /// One value per category; `None` where the figure is unknown (a gap, never 0).
    pub values: Vec<Option<f64>>,
    /// RGB colour.
    pub color: u32,
    /// Bars or points carry their value as a label.
    pub data_labels: bool,
}

/// The value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    /// Shares 0–100 % rather than counts.
    pub percent: bool,
    /// Fixed maximum (1.0 for shares); counts scale to their data.
    pub max: Option<f64>,
    /// Distance between ticks: whole numbers for counts, 20 % for shares.
    pub major_unit: Option<f64>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub id: ChartId,
    pub kind: ChartKind,
    /// The chart's own title (short).
    pub title: String,
    /// The figure caption in the review text, with the years compared.
    pub caption: String,
    pub category_title: String,
    pub categories: Vec<String>,
    /// Drawn in this order: last year before this year, the target last.
    pub series: Vec<Series>,
    pub axis: ValueAxis,
}

impl ChartSpec {
    pub fn series(&self, role: SeriesRole) -> Option<&Series> {
        self.series.iter().find(|s| s.role == role)
    }

    /// The target value, when the chart has a target line.
    pub fn target(&self) -> Option<f64> {
        self.series(SeriesRole::Target)
            .and_then(|s| s.values.iter().flatten().next().copied())
    }
}

/// Whole-number ticks for a count axis whose largest value is `max`; `None` lets the
/// reader choose for large values.
pub fn count_major_unit(max: f64) -> Option<f64> {
    match max {
        m if m <= 8.0 => Some(1.0),
        m if m <= 16.0 => Some(2.0),
        m if m <= 40.0 => Some(5.0),
        m if m <= 80.0 => Some(10.0),
        _ => None,
    }
}

fn count_axis(title: &str, values: impl Iterator<Item = u32>) -> ValueAxis {
    let max = values.max().unwrap_or(0) as f64;
    ValueAxis {
        percent: false,
        max: None,
        major_unit: count_major_unit(max),
        title: title.to_string(),
    }
}

/// "2025 jämfört med 2024" when last year has figures, else "2025".
fn compared(year: i32, has_previous: bool) -> String {
    if has_previous {
        format!("{year} jämfört med {}", year - 1)
    } else {
        year.to_string()
    }
}

/// This year's and (when it has figures) last year's series of a year-on-year chart.
fn year_series(
    year: i32,
    this: Vec<Option<f64>>,
    previous: Option<Vec<Option<f64>>>,
    labels: bool,
) -> Vec<Series> {
    let mut out = Vec::new();
    if let Some(values) = previous {
        out.push(Series {
            name: (year - 1).to_string(),
            role: SeriesRole::PreviousYear,
            values,
            color: LAST_YEAR,
            data_labels: false,
        });
    }
    out.push(Series {
        name: year.to_string(),
        role: SeriesRole::ThisYear,
        values: this,
        color: THIS_YEAR,
        data_labels: labels,
    });
    out
}

/// The charts whose data exist, in the order the review shows them.
pub fn build(f: &Figures) -> Vec<ChartSpec> {
    let b = &f.breakdowns;
    let year = f.year;
    let mut out = Vec::new();

    let rows = &b.incidents_by_category;
    if !rows.is_empty() {
        let has_previous = rows.iter().any(|r| r.previous.is_some());
        out.push(ChartSpec {
            id: ChartId::IncidentsByCategory,
            kind: ChartKind::Bar,
            title: "Incidenter per kategori".to_string(),
            caption: format!("Incidenter per kategori {}", compared(year, has_previous)),
            category_title: "Kategori".to_string(),
            categories: rows.iter().map(|r| r.label.clone()).collect(),
            series: year_series(
                year,
                rows.iter().map(|r| Some(f64::from(r.count))).collect(),
                has_previous.then(|| rows.iter().map(|r| r.previous.map(f64::from)).collect()),
                true,
            ),
            axis: count_axis(
                "Antal incidenter",
                rows.iter().map(|r| r.count.max(r.previous.unwrap_or(0))),
            ),
        });
    }

    let rows = &b.incidents_by_month;
    if !rows.is_empty() {
        let has_previous = rows.iter().any(|r| r.previous.is_some());
        out.push(ChartSpec {
            id: ChartId::IncidentsByMonth,
            kind: ChartKind::Line,
            title: "Incidenter per månad".to_string(),
            caption: format!(
                "Incidenter per månad {} (händelsedatum)",
                compared(year, has_previous)
            ),
            category_title: "Månad".to_string(),
            categories: rows.iter().map(|r| r.label.clone()).collect(),
            series: year_series(
                year,
                rows.iter().map(|r| Some(f64::from(r.count))).collect(),
                has_previous.then(|| rows.iter().map(|r| r.previous.map(f64::from)).collect()),
                false,
            ),
            axis: count_axis(
                "Antal incidenter",
                rows.iter().map(|r| r.count.max(r.previous.unwrap_or(0))),
            ),
        });
    }

    let rows = &b.training_by_unit;
    if !rows.is_empty() && rows.iter().any(|r| r.rate.is_some()) {
        let mut series = vec![Series {
            name: format!("Andel som genomfört alla obligatoriska utbildningar {year}"),
            role: SeriesRole::ThisYear,
            values: rows.iter().map(|r| r.rate).collect(),
            color: THIS_YEAR,
            data_labels: true,
        }];
        if let Some(t) = f
            .kpi(KpiId::TrainingCompletionRateAll)
            .and_then(|k| k.target)
        {
            series.push(Series {
                name: format!("Mål {}", percent(t)),
                role: SeriesRole::Target,
                values: vec![Some(t); rows.len()],
                color: TARGET,
                data_labels: false,
            });
        }
        out.push(ChartSpec {
            id: ChartId::TrainingByUnit,
            kind: ChartKind::Column,
            title: "Obligatoriska utbildningar genomförda, per enhet".to_string(),
            caption: format!(
                "Andel medarbetare per enhet som genomfört de obligatoriska utbildningarna {year}"
            ),
            category_title: "Enhet".to_string(),
            categories: rows.iter().map(|r| r.unit.clone()).collect(),
            series,
            axis: ValueAxis {
                percent: true,
                max: Some(1.0),
                major_unit: Some(0.2),
                title: "Andel som genomfört alla obligatoriska utbildningar".to_string(),
            },
        });
    }
    out
}
