//! The review of one unit and year, built once from its parts: the KPIs, the facts of
//! the run, the review text and the ISO 27001 9.3 mapping. Every output (workbook, JSON,
//! Markdown, PNG, the comparison) reads a [`Review`], so they can never disagree.
//!
//! Built in two steps with no mutation afterwards: [`Figures`] (KPIs, breakdowns,
//! sources, problems and context), then the text and ISO rows written from them.

pub mod charts;
pub mod doc;
pub mod format;
pub mod iso;
pub mod plan;
pub mod text;
pub mod trend;

use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::kpi::{self, Breakdowns, Kpi};
use crate::model::{Inputs, Problem, Severity, Source};
use crate::schema::{InputKind, KpiId, KpiKey};

/// Everything the review says in figures, before any text is written.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// The version of the KPI document (`schema/kpi.schema.json`).
    pub schema_version: u32,
    pub unit: String,
    pub year: i32,
    pub generated_by: String,
    pub kpis: Vec<Kpi>,
    pub breakdowns: Breakdowns,
    pub sources: Vec<Source>,
    pub warnings: Vec<String>,
    /// The figures of earlier years, from this year's exports and past reviews.
    pub history: kpi::history::History,
    /// Every data quality problem (the Datakvalitet sheet).
    #[serde(skip)]
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub context: Context,
}

impl Figures {
    pub fn kpi(&self, id: KpiId) -> Option<&Kpi> {
        self.kpi_by_key(&KpiKey::Fixed(id))
    }

    pub fn kpi_by_key(&self, key: &KpiKey) -> Option<&Kpi> {
        self.kpis.iter().find(|k| &k.id == key)
    }

    /// The value of a KPI, if it exists and has one.
    pub fn value(&self, id: KpiId) -> Option<f64> {
        self.kpi(id).and_then(|k| k.value)
    }
}

/// Facts about the run that outputs need besides the figures.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Authority for NIS reports this year ("MSB" or "MCF").
    pub nis_authority: String,
    /// Where the configuration came from ("standard", or the files merged on top).
    pub config_sources: Vec<String>,
    /// The configuration in force, as TOML, for the Källor sheet.
    pub config_toml: String,
    pub high_risk_threshold: f64,
    pub imy_deadline_hours: i64,
    /// Which input kinds were present, for the ISO 9.3 sheet.
    pub kinds_present: Vec<InputKind>,
    /// Text sections supplied in the input folder: (file stem, Markdown).
    pub sections: Vec<(String, String)>,
    /// How the review year was chosen ("angivet med --year", "valt ur underlaget: …").
    pub year_choice: String,
    /// The unit's name was configured (not only a folder's name): sentences may use it
    /// as the organisation ("ska Kungsholmen ha …"); otherwise they say "förvaltningen".
    pub unit_configured: bool,
}

impl IsoRow {
    /// "Ja", "Nej – saknas", or what a partial answer waits for.
    pub fn status(&self) -> &str {
        match (self.partly, self.covered) {
            (Some(p), _) => p,
            (None, true) => "Ja",
            (None, false) => "Nej – saknas",
        }
    }
}

/// One row of the ISO 27001 9.3 sheet.
#[derive(Debug, Clone)]
pub struct IsoRow {
    /// "9.3.2 a)" … "9.3.3".
    pub clause: String,
    /// What the standard asks for, in Swedish.
    pub requirement: String,
    /// True when the workbook answers it from the inputs.
    pub covered: bool,
    /// Answered only in part until something happens (9.3.3: until management decides);
    /// the text says what.
    pub partly: Option<&'static str>,
    /// Where the workbook answers it (sheet and range, or text section), or what is missing.
    pub answer: String,
}

/// The whole review of one unit and year.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    #[serde(flatten)]
    pub figures: Figures,
    /// The review text as one typed document (the Rapport sheet, the Word document and
    /// the Markdown file render it).
    #[serde(skip)]
    pub doc: doc::Document,
    /// The charts, drawn from these by the workbook, the Word document and the PNGs.
    #[serde(skip)]
    pub charts: Vec<charts::ChartSpec>,
    /// ISO/IEC 27001 9.3.2 a)–g) and 9.3.3, for the "ISO 27001 9.3" sheet.
    #[serde(skip)]
    pub iso: Vec<IsoRow>,
    /// Conclusions, proposals and the prioritised work (also in `doc`).
    #[serde(skip)]
    pub plan: plan::Plan,
}

impl std::ops::Deref for Review {
    type Target = Figures;
    fn deref(&self) -> &Figures {
        &self.figures
    }
}

/// Builds the review of `unit` for `year` from the loaded inputs.
pub fn build(
    inputs: &Inputs,
    cfg: &Config,
    config_sources: &[String],
    unit: &str,
    year: i32,
    year_choice: &str,
) -> Result<Review, Error> {
    let mut set = kpi::compute(inputs, cfg, year);
    let (history, history_notes) = kpi::history::merge(
        &mut set.kpis,
        &mut set.breakdowns,
        unit,
        year,
        &inputs.history,
    );
    let mut problems = inputs.problems.clone();
    problems.extend(set.notes);
    problems.extend(history_notes);
    let warnings = problems
        .iter()
        .filter(|p| p.severity != Severity::Note || p.place.row.is_none())
        .map(|p| p.one_line())
        .collect();
    let figures = Figures {
        schema_version: crate::schema::KPI_SCHEMA_VERSION,
        unit: unit.to_string(),
        year,
        generated_by: format!("genomgang {}", env!("CARGO_PKG_VERSION")),
        kpis: set.kpis,
        breakdowns: set.breakdowns,
        sources: inputs.sources.clone(),
        warnings,
        history,
        problems,
        context: Context {
            nis_authority: cfg.nis_authority(year),
            config_sources: config_sources.to_vec(),
            config_toml: toml::to_string(cfg).unwrap_or_default(),
            high_risk_threshold: cfg.risks.high_threshold,
            imy_deadline_hours: cfg.incidents.imy_deadline_hours,
            kinds_present: inputs.kinds_present(),
            sections: inputs.sections.clone(),
            year_choice: year_choice.to_string(),
            unit_configured: cfg.unit.as_deref().is_some_and(|u| !u.trim().is_empty()),
        },
    };
    let iso = iso::rows(&figures);
    let plan = plan::build(&figures, cfg, &iso);
    let markdown = text::render_markdown(&figures, &plan)?;
    let charts = charts::build(&figures);
    let doc = doc::build(
        &markdown,
        &doc::Parts {
            figures: &figures,
            charts: &charts,
            sections: &figures.context.sections,
        },
    );
    let mut figures = figures;
    if longest_text(&doc) > crate::privacy::EXCEL_CELL_CHARS {
        // The tree keeps the whole text; only the Rapport sheet cuts it, and says so.
        let note = Problem::note(
            crate::model::Place::file("(rapporttext)"),
            &format!(
                "ett stycke i rapporttexten är längre än de {} tecken en cell i Excel rymmer",
                crate::privacy::EXCEL_CELL_CHARS
            ),
            "Stycket kortas i bladet Rapport; Word-dokumentet och .md-filen har hela texten. Dela upp stycket i avsnittsfilen.",
        );
        figures.warnings.push(note.one_line());
        figures.problems.push(note);
    }
    Ok(Review {
        figures,
        doc,
        charts,
        iso,
        plan,
    })
}

impl Review {
    /// The specification of a chart, when its data exist.
    pub fn chart(&self, id: charts::ChartId) -> Option<&charts::ChartSpec> {
        self.charts.iter().find(|c| c.id == id)
    }
}

/// The length in characters of the longest text the Rapport sheet puts in one cell.
fn longest_text(d: &doc::Document) -> usize {
    use doc::{Block, LinkText};
    let mut longest = 0;
    for s in &d.sections {
        for b in &s.blocks {
            let texts: Vec<String> = match b {
                Block::Paragraph(r) | Block::Heading(r) => vec![d.plain(r, LinkText::WithAddress)],
                Block::List(l) => l
                    .items
                    .iter()
                    .map(|i| d.plain(&i.runs, LinkText::WithAddress))
                    .collect(),
                Block::Table(t) => t
                    .head
                    .iter()
                    .cloned()
                    .chain(t.rows.iter().map(|r| {
                        r.iter()
                            .map(|c| c.value.display())
                            .collect::<Vec<_>>()
                            .join("  |  ")
                    }))
                    .collect(),
                Block::Figure(f) => vec![f.caption.clone()],
            };
            for t in texts {
                if t.len() > longest {
                    longest = longest.max(t.chars().count());
                }
            }
        }
    }
    longest
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Figures with nothing in them, for tests of the text.
    pub fn empty_figures() -> Figures {
        Figures {
            schema_version: crate::schema::KPI_SCHEMA_VERSION,
            unit: "Enheten".to_string(),
            year: 2025,
            generated_by: "test".to_string(),
            kpis: Vec::new(),
            breakdowns: Default::default(),
            sources: Vec::new(),
            warnings: Vec::new(),
            problems: Vec::new(),
            context: Context::default(),
            history: Default::default(),
        }
    }
}
