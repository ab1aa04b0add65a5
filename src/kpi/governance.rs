//! KPIs of the registers that describe the ISMS itself: the register of processing,
//! information classification, the risk register and the action plan.

use chrono::{Months, NaiveDate};
use polars::prelude::*;

use crate::config::Config;
use crate::kpi::{
    ActionRow, Breakdowns, FieldRow, IncompleteRow, Kpi, LevelRow, RiskRow, StaleRow, TextCount,
};
use crate::model::{InputKind, Inputs};
use crate::schema::{KpiId, ART30_FIELDS, ASPECTS};

fn present(inputs: &Inputs, kind: InputKind) -> bool {
    inputs.sources.iter().any(|s| s.kind == Some(kind))
}

fn ratio(n: u32, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

pub fn register(
    inputs: &Inputs,
    cfg: &Config,
    year: i32,
    b: &mut Breakdowns,
) -> PolarsResult<Vec<Kpi>> {
    let have = present(inputs, InputKind::Register);
    let acts = &inputs.activities;
    let n = acts.len();
    let mut columns: Vec<Column> = ART30_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (role, _))| {
            Column::new(
                (*role).into(),
                acts.iter().map(|a| a.filled[i]).collect::<Vec<bool>>(),
            )
        })
        .collect();
    columns.push(Column::new(
        "complete".into(),
        acts.iter()
            .map(|a| a.filled.iter().all(|f| *f))
            .collect::<Vec<bool>>(),
    ));
    let df = DataFrame::new(n, columns)?;
    let names: Vec<&str> = ART30_FIELDS
        .iter()
        .map(|(role, _)| *role)
        .chain(["complete"])
        .collect();
    let sums = df
        .clone()
        .lazy()
        .select(names.iter().map(|c| col(*c).sum()).collect::<Vec<_>>())
        .collect()?;
    let sum_of =
        |name: &str| -> PolarsResult<u32> { Ok(sums.column(name)?.u32()?.get(0).unwrap_or(0)) };
    for (role, label) in ART30_FIELDS {
        let filled = sum_of(role)?;
        b.register_fields.push(FieldRow {
            field: label.to_string(),
            filled,
            missing: n as u32 - filled,
            rate: ratio(filled, n),
        });
    }
    let complete = sum_of("complete")?;
    if !have {
        b.register_fields.clear();
    }
    for a in acts.iter().filter(|a| !a.filled.iter().all(|f| *f)) {
        let missing: Vec<&str> = ART30_FIELDS
            .iter()
            .zip(a.filled)
            .filter(|(_, f)| !f)
            .map(|((_, l), _)| *l)
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
    b.register_stale = stale_at(year);
    let stale = b.register_stale.len() as f64;
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
    Ok(vec![
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
            v(Some(stale)),
            if have { stale_prev } else { None },
        ),
    ])
}

pub fn classification(inputs: &Inputs, b: &mut Breakdowns) -> PolarsResult<Vec<Kpi>> {
    let have = present(inputs, InputKind::Classification);
    let assets = &inputs.assets;
    let n = assets.len();
    let mut columns: Vec<Column> = ASPECTS
        .iter()
        .enumerate()
        .map(|(i, (role, _))| {
            Column::new(
                (*role).into(),
                assets
                    .iter()
                    .map(|a| a.levels[i].map(|l| l as i32))
                    .collect::<Vec<Option<i32>>>(),
            )
        })
        .collect();
    columns.push(Column::new(
        "asset".into(),
        assets
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<String>>(),
    ));
    let df = DataFrame::new(n, columns)?;
    for (role, label) in ASPECTS {
        let counts = df
            .clone()
            .lazy()
            .group_by([col(role)])
            .agg([len().alias("n")])
            .collect()?;
        let (lvl, cnt) = (counts.column(role)?.i32()?, counts.column("n")?.u32()?);
        let mut row = LevelRow {
            aspect: label.to_string(),
            levels: [0; 5],
            missing: 0,
        };
        for i in 0..counts.height() {
            let c = cnt.get(i).unwrap_or(0);
            match lvl.get(i) {
                Some(l @ 0..=4) => row.levels[l as usize] = c,
                _ => row.missing += c,
            }
        }
        if have {
            b.classification_levels.push(row);
        }
    }
    let classified = df
        .clone()
        .lazy()
        .filter(
            col("confidentiality")
                .is_not_null()
                .and(col("integrity").is_not_null())
                .and(col("availability").is_not_null()),
        )
        .collect()?
        .height() as u32;
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
    Ok(vec![
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
    ])
}

pub fn risks(inputs: &Inputs, cfg: &Config, b: &mut Breakdowns) -> PolarsResult<Vec<Kpi>> {
    let have = present(inputs, InputKind::Risks);
    let risks = &inputs.risks;
    let threshold = cfg.risks.high_threshold;
    let df = DataFrame::new(
        risks.len(),
        vec![
            Column::new(
                "l".into(),
                risks
                    .iter()
                    .map(|r| r.likelihood.round().clamp(1.0, 10.0) as i32)
                    .collect::<Vec<i32>>(),
            ),
            Column::new(
                "c".into(),
                risks
                    .iter()
                    .map(|r| r.consequence.round().clamp(1.0, 10.0) as i32)
                    .collect::<Vec<i32>>(),
            ),
            Column::new(
                "value".into(),
                risks.iter().map(|r| r.value).collect::<Vec<f64>>(),
            ),
        ],
    )?;
    let scale = risks
        .iter()
        .map(|r| r.likelihood.max(r.consequence).round() as usize)
        .max()
        .unwrap_or(5)
        .clamp(4, 10);
    let cells = df
        .clone()
        .lazy()
        .group_by([col("l"), col("c")])
        .agg([len().alias("n")])
        .collect()?;
    let mut matrix = vec![vec![0u32; scale]; scale];
    let (l, c, n) = (
        cells.column("l")?.i32()?,
        cells.column("c")?.i32()?,
        cells.column("n")?.u32()?,
    );
    for i in 0..cells.height() {
        if let (Some(l), Some(c), Some(n)) = (l.get(i), c.get(i), n.get(i)) {
            matrix[(l as usize - 1).min(scale - 1)][(c as usize - 1).min(scale - 1)] += n;
        }
    }
    if have {
        b.risk_matrix = matrix;
    }
    let high = df
        .clone()
        .lazy()
        .filter(col("value").gt_eq(lit(threshold)))
        .collect()?
        .height();
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
        })
        .collect();
    rows.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.risk.cmp(&b.risk)));
    b.risks = rows;
    let v = |x: usize| have.then_some(x as f64);
    Ok(vec![
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
    ])
}

pub fn actions(inputs: &Inputs, year: i32, b: &mut Breakdowns) -> PolarsResult<Vec<Kpi>> {
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
    let df = DataFrame::new(
        acts.len(),
        vec![
            Column::new(
                "status".into(),
                acts.iter()
                    .map(|a| status_label(&a.status))
                    .collect::<Vec<String>>(),
            ),
            Column::new(
                "done".into(),
                acts.iter().map(|a| a.done).collect::<Vec<bool>>(),
            ),
            Column::new(
                "overdue".into(),
                acts.iter()
                    .map(|a| !a.done && a.deadline.is_some_and(|d| d <= cutoff))
                    .collect::<Vec<bool>>(),
            ),
        ],
    )?;
    let by_status = df
        .clone()
        .lazy()
        .group_by([col("status")])
        .agg([len().alias("n")])
        .sort(["status"], Default::default())
        .collect()?;
    let (s, n) = (
        by_status.column("status")?.str()?,
        by_status.column("n")?.u32()?,
    );
    for i in 0..by_status.height() {
        if let (Some(s), Some(n)) = (s.get(i), n.get(i)) {
            b.actions_by_status.push(TextCount {
                text: s.to_string(),
                count: n,
            });
        }
    }
    let sums = df
        .clone()
        .lazy()
        .select([col("done").sum(), col("overdue").sum()])
        .collect()?;
    let done = sums.column("done")?.u32()?.get(0).unwrap_or(0);
    let overdue = sums.column("overdue")?.u32()?.get(0).unwrap_or(0);
    let row = |a: &crate::model::Action| ActionRow {
        action: a.name.clone(),
        deadline: a.deadline,
        status: status_label(&a.status),
        year: a.year,
    };
    b.actions_overdue = acts
        .iter()
        .filter(|a| !a.done && a.deadline.is_some_and(|d| d <= cutoff))
        .map(row)
        .collect();
    let mut open: Vec<ActionRow> = acts.iter().filter(|a| !a.done).map(row).collect();
    open.sort_by_key(|a| (a.deadline.unwrap_or(NaiveDate::MAX), a.action.clone()));
    b.actions_open = open;
    let v = |x: f64| have.then_some(x);
    Ok(vec![
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
    ])
}
