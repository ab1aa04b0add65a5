//! KPIs from the typed model, computed with polars: one module per family, assembled
//! here into the [`KpiReport`] every output is written from. Targets and traffic-light
//! status come from the configuration.

pub mod governance;
pub mod incidents;
pub mod training;
pub mod types;

use chrono::Datelike;
use polars::prelude::PolarsResult;

use crate::config::{Config, Direction};
use crate::model::{Inputs, Problem};
pub use types::*;

impl Kpi {
    pub fn new(
        id: &str,
        label: &str,
        value: Option<f64>,
        previous: Option<f64>,
        kind: ValueKind,
        sheet: &'static str,
    ) -> Kpi {
        Kpi {
            id: id.to_string(),
            label: label.to_string(),
            value,
            previous,
            target: None,
            status: Status::Info,
            kind,
            sheet,
        }
    }
}

/// The default review year: the latest calendar year with dated incidents or training.
pub fn default_year(inputs: &Inputs) -> Option<i32> {
    let incidents = inputs.incidents.iter().map(|i| i.date.year());
    let training = inputs
        .completions
        .iter()
        .filter_map(|c| c.date.map(|d| d.year()));
    incidents.chain(training).max()
}

/// "1 incident", "3 incidenter".
pub fn count_noun(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Traffic light for a value against its configured target.
pub fn status_for(value: Option<f64>, target: Option<&crate::config::Target>) -> Status {
    let (Some(v), Some(t)) = (value, target) else {
        return Status::Info;
    };
    let (gap, tolerance) = match t.direction {
        Direction::Higher => (
            t.target - v,
            if t.target != 0.0 && t.warn_within < 1.0 {
                t.warn_within * t.target
            } else {
                t.warn_within
            },
        ),
        Direction::Lower => (
            v - t.target,
            if t.target != 0.0 && t.warn_within < 1.0 {
                t.warn_within * t.target
            } else {
                t.warn_within
            },
        ),
    };
    if gap <= 1e-9 {
        Status::Good
    } else if gap <= tolerance + 1e-9 {
        Status::Warning
    } else {
        Status::Bad
    }
}

/// Computes every KPI and breakdown for one unit and year.
pub fn compute(inputs: &Inputs, cfg: &Config, unit: &str, year: i32) -> PolarsResult<KpiReport> {
    let mut b = Breakdowns::default();
    let mut notes: Vec<Problem> = Vec::new();
    let authority = cfg.nis_authority(year);
    let mut kpis = training::compute(inputs, cfg, year, &mut b, &mut notes)?;
    kpis.extend(incidents::compute(
        inputs, cfg, year, &authority, &mut b, &mut notes,
    )?);
    kpis.extend(governance::register(inputs, cfg, year, &mut b)?);
    kpis.extend(governance::classification(inputs, &mut b)?);
    kpis.extend(governance::risks(inputs, cfg, &mut b)?);
    kpis.extend(governance::actions(inputs, year, &mut b)?);
    for k in kpis.iter_mut() {
        let target = cfg.targets.get(&k.id);
        k.target = target.map(|t| t.target);
        k.status = status_for(k.value, target);
    }
    let mut problems = inputs.problems.clone();
    problems.extend(notes);
    let warnings = problems
        .iter()
        .filter(|p| p.severity != crate::model::Severity::Note || p.row.is_none())
        .map(|p| p.one_line())
        .collect();
    Ok(KpiReport {
        unit: unit.to_string(),
        year,
        generated_by: format!("genomgang {}", env!("CARGO_PKG_VERSION")),
        kpis,
        breakdowns: b,
        sources: inputs.sources.clone(),
        warnings,
        problems,
        context: Context {
            nis_authority: authority,
            config_sources: Vec::new(),
            config_toml: String::new(),
            high_risk_threshold: cfg.risks.high_threshold,
            imy_deadline_hours: cfg.incidents.imy_deadline_hours,
            kinds_present: inputs.kinds_present(),
            sections: inputs.sections.clone(),
        },
        text: Vec::new(),
        iso: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Target;

    #[test]
    fn traffic_lights() {
        let higher = Target {
            target: 0.9,
            direction: Direction::Higher,
            warn_within: 0.2,
        };
        assert_eq!(status_for(Some(0.95), Some(&higher)), Status::Good);
        assert_eq!(status_for(Some(0.8), Some(&higher)), Status::Warning);
        assert_eq!(status_for(Some(0.16), Some(&higher)), Status::Bad);
        let zero = Target {
            target: 0.0,
            direction: Direction::Lower,
            warn_within: 2.0,
        };
        assert_eq!(status_for(Some(0.0), Some(&zero)), Status::Good);
        assert_eq!(status_for(Some(2.0), Some(&zero)), Status::Warning);
        assert_eq!(status_for(Some(3.0), Some(&zero)), Status::Bad);
        assert_eq!(status_for(None, Some(&zero)), Status::Info);
        assert_eq!(status_for(Some(3.0), None), Status::Info);
    }
}
