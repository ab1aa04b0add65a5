//! KPIs from the typed model: one module per family, assembled here into a [`KpiSet`].
//! Targets and traffic-light status come from the configuration. This layer is pure:
//! model and configuration in, figures out; text and outputs are built above it.

pub mod governance;
pub mod history;
pub mod incidents;
pub mod training;
pub mod types;

use crate::config::{Config, Direction};
use crate::model::{Inputs, Problem};
use crate::schema::{KpiId, KpiKey};
pub use types::*;

impl Kpi {
    /// A KPI without target; its kind and sheet come from the schema.
    pub fn new(
        id: impl Into<KpiKey>,
        label: &str,
        value: Option<f64>,
        previous: Option<f64>,
    ) -> Kpi {
        let id = id.into();
        Kpi {
            kind: id.kind(),
            sheet: id.fixed().map(KpiId::sheet).unwrap_or("Incidenter"),
            id,
            label: label.to_string(),
            value,
            previous,
            target: None,
            status: Status::Info,
        }
    }
}

/// "1 incident", "3 incidenter".
pub fn count_noun(n: usize, singular: &str, plural: &str) -> String {
    crate::textnorm::count_noun(n as u64, singular, plural)
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

/// Computes every KPI and breakdown for one unit and year, with targets and
/// traffic lights from the configuration. Pure: reads the model, writes nothing.
pub fn compute(inputs: &Inputs, cfg: &Config, year: i32) -> KpiSet {
    let mut b = Breakdowns::default();
    let mut notes: Vec<Problem> = Vec::new();
    let authority = cfg.nis_authority(year);
    let mut kpis = training::compute(inputs, cfg, year, &mut b, &mut notes);
    kpis.extend(incidents::compute(
        inputs, cfg, year, &authority, &mut b, &mut notes,
    ));
    kpis.extend(governance::register(inputs, cfg, year, &mut b));
    kpis.extend(governance::classification(inputs, &mut b));
    kpis.extend(governance::risks(inputs, cfg, &mut b));
    kpis.extend(governance::actions(inputs, year, &mut b));
    for k in kpis.iter_mut() {
        let target = cfg.targets.get(&k.id.to_string());
        k.target = target.map(|t| t.target);
        k.status = status_for(k.value, target);
    }
    KpiSet {
        kpis,
        breakdowns: b,
        notes,
    }
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
