//! KPIs of the registers that describe the ISMS itself: the register of processing,
//! information classification, the risk register and the action plan.
//!
//! Plain iterators, not polars: these registers hold tens to hundreds of rows, every
//! figure is a count over booleans the model already computed, and a frame added only
//! a round trip (build columns, sum, read back). `examples/kpi_timing.rs` measures each
//! family (figures in the README). Incidents and training are counted the same way
//! (one pass, see `kpi::incidents`; one bit per person and course, `kpi::training`).

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::config::Config;
use crate::kpi::{
    ActionRow, Breakdowns, FieldRow, IncompleteRow, Kpi, LevelRow, RiskRow, StaleRow, TextCount,
};
use crate::model::{InputKind, Inputs};
use crate::schema::{KpiId, ASPECTS};
use crate::textnorm::swedish_cmp;

fn present(inputs: &Inputs, kind: InputKind) -> bool {
    inputs.sources.iter().any(|s| s.kind == Some(kind))
}

fn ratio(n: u32, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

pub fn register(inputs: &Inputs, cfg: &Config, year: i32, b: &mut Breakdowns) -> Vec<Kpi> {
    let have = present(inputs, InputKind::Register);
    let acts = &inputs.activities;
    let n = acts.len();
    let required = &cfg.register.required;
    for (i, role) in required.iter().enumerate() {
        let label = crate::model::register::field_label(role);
        let filled = acts
            .iter()
            .filter(|a| a.filled.get(i) == Some(&true))
            .count() as u32;
        b.register_fields.push(FieldRow {
            field: label.to_string(),
            filled,
            missing: n as u32 - filled,
            rate: ratio(filled, n),
        });
    }
    let complete = acts.iter().filter(|a| a.filled.iter().all(|f| *f)).count() as u32;
    if !have {
        b.register_fields.clear();
    }
    for a in acts.iter().filter(|a| !a.filled.iter().all(|f| *f)) {
        let missing: Vec<&str> = required
            .iter()
            .zip(&a.filled)
            .filter(|(_, f)| !**f)
            .map(|(role, _)| crate::model::register::field_label(role))
            .collect();
        b.register_incomplete.push(IncompleteRow {
            name: a.name.clone(),
            missing: missing.join(", "),
        });
    }
    let stale_at = |y: i32| -> Vec<StaleRow> {
        let end = NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX);
        let since = end
            .checked_sub_months(Months::new(cfg.register.stale_after_months))
            .unwrap_or(NaiveDate::MIN);
        acts.iter()
            .filter(|a| !a.review_unreadable && a.last_reviewed.is_none_or(|d| d < since))
            .map(|a| StaleRow {
                activity: a.name.clone(),
                last_reviewed: a.last_reviewed,
            })
            .collect()
    };
    // Unknown, not "all stale", when no register has a review-date column.
    let review_known = acts.iter().any(|a| a.review_known);
    b.register_stale = if review_known {
        stale_at(year)
    } else {
        Vec::new()
    };
    let stale = review_known.then_some(b.register_stale.len() as f64);
    // The previous year's staleness is knowable only from review dates, and only when
    // some activity was reviewed before the year started.
    let stale_prev = acts
        .iter()
        .any(|a| {
            a.last_reviewed
                .is_some_and(|d| d < NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN))
        })
        .then(|| stale_at(year - 1).len() as f64);
    let v = |x: Option<f64>| if have { x } else { None };
    vec![
        Kpi::new(
            KpiId::RegisterActivities,
            "Behandlingar i registerförteckningen",
            v(Some(n as f64)),
            None,
        ),
        Kpi::new(
            KpiId::RegisterCompleteRate,
            "Andel behandlingar med alla uppgifter enligt art. 30",
            v(ratio(complete, n)),
            None,
        ),
        Kpi::new(
            KpiId::RegisterStale,
            &format!(
                "Behandlingar ej reviderade de senaste {} månaderna",
                cfg.register.stale_after_months
            ),
            v(stale),
            if have && review_known {
                stale_prev
            } else {
                None
            },
        ),
    ]
}

pub fn classification(inputs: &Inputs, b: &mut Breakdowns) -> Vec<Kpi> {
    let have = present(inputs, InputKind::Classification);
    let assets = &inputs.assets;
    let n = assets.len();
    for (i, (_, label)) in ASPECTS.iter().enumerate() {
        let mut row = LevelRow {
            aspect: label.to_string(),
            levels: [0; 5],
            missing: 0,
        };
        for a in assets {
            match a.levels[i] {
                Some(l @ 0..=4) => row.levels[l as usize] += 1,
                _ => row.missing += 1,
            }
        }
        if have {
            b.classification_levels.push(row);
        }
    }
    let classified = assets
        .iter()
        .filter(|a| a.levels.iter().all(|l| l.is_some()))
        .count() as u32;
    for a in assets
        .iter()
        .filter(|a| a.levels.iter().any(|l| l.is_none()))
    {
        let missing: Vec<&str> = ASPECTS
            .iter()
            .zip(a.levels)
            .filter(|(_, l)| l.is_none())
            .map(|((_, label), _)| *label)
            .collect();
        b.classification_unclassified.push(IncompleteRow {
            name: a.name.clone(),
            missing: missing.join(", "),
        });
    }
    let v = |x: Option<f64>| if have { x } else { None };
    vec![
        Kpi::new(
            KpiId::ClassificationAssets,
            "Informationstillgångar i förteckningen",
            v(Some(n as f64)),
            None,
        ),
        Kpi::new(
            KpiId::ClassificationClassifiedRate,
            "Andel informationstillgångar klassade för K, R och T",
            v(ratio(classified, n)),
            None,
        ),
    ]
}

pub fn risks(inputs: &Inputs, cfg: &Config, b: &mut Breakdowns) -> Vec<Kpi> {
    let have = present(inputs, InputKind::Risks);
    let risks = &inputs.risks;
    let threshold = cfg.risks.high_threshold;
    let scale = risks
        .iter()
        .map(|r| r.likelihood.max(r.consequence).round() as usize)
        .max()
        .unwrap_or(5)
        .clamp(4, 10);
    let mut matrix = vec![vec![0u32; scale]; scale];
    for r in risks {
        let l = r.likelihood.round().clamp(1.0, 10.0) as usize;
        let c = r.consequence.round().clamp(1.0, 10.0) as usize;
        matrix[(l - 1).min(scale - 1)][(c - 1).min(scale - 1)] += 1;
    }
    if have {
        b.risk_matrix = matrix;
    }
    let high = risks.iter().filter(|r| r.value >= threshold).count();
    let mut rows: Vec<RiskRow> = risks
        .iter()
        .map(|r| RiskRow {
            risk: r.name.clone(),
            likelihood: r.likelihood,
            consequence: r.consequence,
            value: r.value,
            high: r.value >= threshold,
            status: r.status.clone(),
            action: r.action.clone(),
            owner: r.owner.clone(),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| swedish_cmp(&a.risk, &b.risk))
    });
    b.risks = rows;
    let v = |x: usize| have.then_some(x as f64);
    vec![
        Kpi::new(
            KpiId::RisksTotal,
            "Risker i riskregistret",
            v(risks.len()),
            None,
        ),
        Kpi::new(
            KpiId::RisksHigh,
            &format!("Höga risker (riskvärde minst {threshold})"),
            v(high),
            None,
        ),
    ]
}

/// Where an action status stands in the course of the work: not started, ongoing,
/// late, other statuses (paused, cancelled …), done, none given.
pub fn work_order(status: &str) -> u8 {
    let s = crate::textnorm::fold_diacritics(status).to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if status == "(ingen status)" {
        5
    } else if status == "Genomförd" {
        4
    } else if has(&[
        "ej pabor",
        "ej start",
        "inte pabor",
        "inte start",
        "ej inled",
        "planer",
    ]) || s.trim() == "ny"
    {
        0
    } else if has(&["forsen"]) {
        2
    } else if has(&["pag", "pabor", "startad", "arbete"]) {
        1
    } else {
        3
    }
}

pub fn actions(inputs: &Inputs, year: i32, b: &mut Breakdowns) -> Vec<Kpi> {
    let have = present(inputs, InputKind::Actions);
    let acts = &inputs.actions;
    let cutoff = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let status_label = |s: &str| {
        if s.trim().is_empty() {
            "(ingen status)".to_string()
        } else {
            s.trim().to_string()
        }
    };
    let mut by_status: BTreeMap<String, u32> = BTreeMap::new();
    // Statuses by meaning: every status the configuration counts as done ("Klar",
    // "Avslutad", "Genomförd") is one slice, as the text counts them.
    for a in acts {
        let label = if a.done {
            "Genomförd".to_string()
        } else {
            status_label(&a.status)
        };
        *by_status.entry(label).or_default() += 1;
    }
    let mut by_status: Vec<TextCount> = by_status
        .into_iter()
        .map(|(text, count)| TextCount { text, count })
        .collect();
    // In the order work goes (not started, ongoing, late, …, done), not alphabetically.
    by_status.sort_by(|a, b| {
        work_order(&a.text)
            .cmp(&work_order(&b.text))
            .then_with(|| swedish_cmp(&a.text, &b.text))
    });
    b.actions_by_status = by_status;
    let is_overdue = |a: &&crate::model::Action| !a.done && a.deadline.is_some_and(|d| d <= cutoff);
    let done = acts.iter().filter(|a| a.done).count();
    let overdue = acts.iter().filter(is_overdue).count();
    let row = |a: &crate::model::Action| ActionRow {
        action: a.name.clone(),
        owner: a.owner.clone(),
        deadline: a.deadline,
        status: status_label(&a.status),
        year: a.year,
    };
    b.actions_overdue = acts.iter().filter(is_overdue).map(row).collect();
    let mut open: Vec<ActionRow> = acts.iter().filter(|a| !a.done).map(row).collect();
    open.sort_by_key(|a| (a.deadline.unwrap_or(NaiveDate::MAX), a.action.clone()));
    b.actions_open = open;
    b.actions_done = acts.iter().filter(|a| a.done).map(row).collect();
    let v = |x: f64| have.then_some(x);
    vec![
        Kpi::new(
            KpiId::ActionsTotal,
            "Planerade åtgärder",
            v(acts.len() as f64),
            None,
        ),
        Kpi::new(
            KpiId::ActionsDone,
            "Genomförda åtgärder",
            v(done as f64),
            None,
        ),
        Kpi::new(
            KpiId::ActionsOverdue,
            &format!("Försenade åtgärder (passerat slutdatum senast {year}-12-31)"),
            v(overdue as f64),
            None,
        ),
    ]
}

#[cfg(test)]
mod work_order_tests {
    use super::work_order;

    #[test]
    fn statuses_sort_in_the_order_work_goes() {
        let mut statuses = vec![
            "(ingen status)",
            "Genomförd",
            "Vilande",
            "Försenad",
            "Pågående",
            "Ej påbörjad",
            "Påbörjad",
        ];
        statuses.sort_by_key(|s| work_order(s));
        assert_eq!(
            statuses,
            vec![
                "Ej påbörjad",
                "Pågående",
                "Påbörjad",
                "Försenad",
                "Vilande",
                "Genomförd",
                "(ingen status)"
            ]
        );
    }
}
