//! Incident KPIs: counts for the year and the year before, by category, month, unit and
//! year, reports to IMY and MSB/MCF, and IMY reports later than the deadline.

use std::collections::BTreeMap;

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::kpi::{Breakdowns, CategoryRow, Kpi, MonthRow, TextCount, UnitCountRow, YearRow};
use crate::model::{Incident, Inputs, Place, Problem};
use crate::schema::{KpiId, KpiKey};

pub const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// Incidents of one year, counted.
#[derive(Debug, Clone, Copy, Default)]
struct YearCounts {
    total: u32,
    personal: u32,
    /// Reported to IMY.
    imy: u32,
    /// Reported to MSB/MCF.
    msb: u32,
    /// Reported to IMY later than the deadline after discovery.
    late: u32,
    /// Reported to IMY without the dates to judge the delay.
    late_unknown: u32,
    /// Incidents whose personal-data flag, IMY report and MSB report are known.
    personal_known: u32,
    imy_known: u32,
    msb_known: u32,
}

impl YearCounts {
    /// A count of flagged incidents, or unknown when the year has incidents but none of
    /// them carries the fact (no input has the column): unknown is not zero.
    fn flagged(&self, count: u32, known: u32) -> Option<f64> {
        (self.total == 0 || known > 0).then_some(count as f64)
    }

    fn personal(&self) -> Option<f64> {
        self.flagged(self.personal, self.personal_known)
    }

    fn imy(&self) -> Option<f64> {
        self.flagged(self.imy, self.imy_known)
    }

    fn msb(&self) -> Option<f64> {
        self.flagged(self.msb, self.msb_known)
    }

    /// Every IMY report lacks the dates to judge it: the number of late ones is unknown.
    fn late_unknowable(&self) -> bool {
        self.imy > 0 && self.late_unknown == self.imy
    }
}

fn frame(incidents: &[Incident], cfg: &Config) -> PolarsResult<DataFrame> {
    let deadline = chrono::Duration::hours(cfg.incidents.imy_deadline_hours);
    let late: Vec<Option<bool>> = incidents
        .iter()
        .map(|i| match (i.reported_imy, i.discovered, i.reported_at) {
            (Some(true), Some(found), Some(reported)) => Some(reported - found > deadline),
            _ => None,
        })
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            "year".into(),
            incidents
                .iter()
                .map(|i| i.date.year())
                .collect::<Vec<i32>>(),
        ),
        Column::new(
            "month".into(),
            incidents
                .iter()
                .map(|i| i.date.month() as i32)
                .collect::<Vec<i32>>(),
        ),
        Column::new(
            "category".into(),
            incidents
                .iter()
                .map(|i| i.category.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "raw".into(),
            incidents
                .iter()
                .map(|i| i.category_raw.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "unit".into(),
            incidents
                .iter()
                .map(|i| {
                    i.unit
                        .clone()
                        .unwrap_or_else(|| super::training::NO_UNIT.to_string())
                })
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "personal".into(),
            incidents
                .iter()
                .map(|i| i.personal_data == Some(true))
                .collect::<Vec<bool>>(),
        ),
        Column::new(
            "imy".into(),
            incidents
                .iter()
                .map(|i| i.reported_imy == Some(true))
                .collect::<Vec<bool>>(),
        ),
        Column::new(
            "msb".into(),
            incidents
                .iter()
                .map(|i| i.reported_msb == Some(true))
                .collect::<Vec<bool>>(),
        ),
        Column::new("late".into(), late),
        Column::new(
            "personal_known".into(),
            incidents
                .iter()
                .map(|i| i.personal_data.is_some())
                .collect::<Vec<bool>>(),
        ),
        Column::new(
            "imy_known".into(),
            incidents
                .iter()
                .map(|i| i.reported_imy.is_some())
                .collect::<Vec<bool>>(),
        ),
        Column::new(
            "msb_known".into(),
            incidents
                .iter()
                .map(|i| i.reported_msb.is_some())
                .collect::<Vec<bool>>(),
        ),
    ])
}

/// Counts per i32 key for one year.
fn count_by_i32(df: &DataFrame, year: i32, key: &str) -> PolarsResult<BTreeMap<i32, u32>> {
    let out = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)))
        .group_by([col(key)])
        .agg([len().alias("n")])
        .collect()?;
    let (k, n) = (out.column(key)?.i32()?, out.column("n")?.u32()?);
    Ok((0..out.height())
        .filter_map(|i| Some((k.get(i)?, n.get(i)?)))
        .collect())
}

fn count_by_str(
    df: &DataFrame,
    year: i32,
    key: &str,
) -> PolarsResult<BTreeMap<String, (u32, u32)>> {
    let out = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)))
        .group_by([col(key)])
        .agg([len().alias("n"), col("personal").sum().alias("p")])
        .collect()?;
    let (k, n, p) = (
        out.column(key)?.str()?,
        out.column("n")?.u32()?,
        out.column("p")?.u32()?,
    );
    Ok((0..out.height())
        .filter_map(|i| Some((k.get(i)?.to_string(), (n.get(i)?, p.get(i)?))))
        .collect())
}

pub fn compute(
    inputs: &Inputs,
    cfg: &Config,
    year: i32,
    authority: &str,
    b: &mut Breakdowns,
    notes: &mut Vec<Problem>,
) -> PolarsResult<Vec<Kpi>> {
    let have = has_incident_input(inputs);
    let df = frame(&inputs.incidents, cfg)?;
    let years = year_counts(&df)?;
    b.incidents_by_year = year_rows(&years, year);
    let this = years.get(&year).copied().unwrap_or_default();
    let prev = years.get(&(year - 1)).copied();

    if have {
        let has_prev = prev.is_some();
        b.incidents_by_category = category_rows(&df, cfg, year, has_prev)?;
        b.incidents_by_month = month_rows(&df, year, has_prev)?;
        b.incidents_by_unit = unit_rows(&df, year, &this)?;
        b.unmapped_categories = unmapped_categories(&df, cfg, year)?;
        for t in &b.unmapped_categories {
            notes.push(unmapped_category_note(t, year));
        }
        notes.extend(late_unknown_note(&this, year));
        notes.extend(missing_fact_notes(&this, year));
    }

    let mut kpis = headline_kpis(&this, prev, have, cfg, authority);
    kpis.extend(category_kpis(&b.incidents_by_category, have, cfg));
    Ok(kpis)
}

/// Incidents are reported on when some input is an incident log, even an empty one: an
/// empty log means zero incidents, no log means unknown.
fn has_incident_input(inputs: &Inputs) -> bool {
    !inputs.incidents.is_empty()
        || inputs
            .sources
            .iter()
            .any(|s| s.kind == Some(crate::model::InputKind::Incidents))
}

/// Counts per year of the incident frame.
fn year_counts(df: &DataFrame) -> PolarsResult<BTreeMap<i32, YearCounts>> {
    let by_year = counts_by_year_frame(df)?;
    let y = by_year.column("year")?.i32()?;
    let count = |name: &str| -> PolarsResult<&UInt32Chunked> { by_year.column(name)?.u32() };
    let (total, personal, imy, msb, late, late_unknown) = (
        count("total")?,
        count("personal")?,
        count("imy")?,
        count("msb")?,
        count("late")?,
        count("late_unknown")?,
    );
    let (personal_known, imy_known, msb_known) = (
        count("personal_known")?,
        count("imy_known")?,
        count("msb_known")?,
    );
    let mut years = BTreeMap::new();
    for i in 0..by_year.height() {
        if let Some(year) = y.get(i) {
            let at = |c: &UInt32Chunked| c.get(i).unwrap_or(0);
            years.insert(
                year,
                YearCounts {
                    total: at(total),
                    personal: at(personal),
                    imy: at(imy),
                    msb: at(msb),
                    late: at(late),
                    late_unknown: at(late_unknown),
                    personal_known: at(personal_known),
                    imy_known: at(imy_known),
                    msb_known: at(msb_known),
                },
            );
        }
    }
    Ok(years)
}

/// One row per year with the columns of [`YearCounts`].
fn counts_by_year_frame(df: &DataFrame) -> PolarsResult<DataFrame> {
    df.clone()
        .lazy()
        .group_by([col("year")])
        .agg([
            len().alias("total"),
            col("personal").sum().alias("personal"),
            col("imy").sum().alias("imy"),
            col("msb").sum().alias("msb"),
            col("late").eq(lit(true)).sum().alias("late"),
            col("imy")
                .and(col("late").is_null())
                .sum()
                .alias("late_unknown"),
            col("personal_known").sum().alias("personal_known"),
            col("imy_known").sum().alias("imy_known"),
            col("msb_known").sum().alias("msb_known"),
        ])
        .sort(["year"], Default::default())
        .collect()
}

/// By year, up to and including the review year.
fn year_rows(years: &BTreeMap<i32, YearCounts>, year: i32) -> Vec<YearRow> {
    years
        .iter()
        .filter(|(y, _)| **y <= year)
        .map(|(y, v)| YearRow {
            year: *y,
            total: v.total,
            personal_data: v.personal().map(|x| x as u32),
            reported_imy: v.imy().map(|x| x as u32),
            reported_msb: v.msb().map(|x| x as u32),
        })
        .collect()
}

/// By configured category, in the configuration's order; last year only when it has
/// incidents.
fn category_rows(
    df: &DataFrame,
    cfg: &Config,
    year: i32,
    has_prev: bool,
) -> PolarsResult<Vec<CategoryRow>> {
    let cats_now = count_by_str(df, year, "category")?;
    let cats_prev = count_by_str(df, year - 1, "category")?;
    Ok(cfg
        .incidents
        .categories
        .iter()
        .map(|c| CategoryRow {
            slug: c.slug.clone(),
            label: c.label.clone(),
            count: cats_now.get(&c.slug).map(|x| x.0).unwrap_or(0),
            previous: has_prev.then(|| cats_prev.get(&c.slug).map(|x| x.0).unwrap_or(0)),
        })
        .collect())
}

/// By month, all twelve; last year only when it has incidents.
fn month_rows(df: &DataFrame, year: i32, has_prev: bool) -> PolarsResult<Vec<MonthRow>> {
    let months_now = count_by_i32(df, year, "month")?;
    let months_prev = count_by_i32(df, year - 1, "month")?;
    Ok((1..=12)
        .map(|m| MonthRow {
            month: m as u32,
            label: MONTHS[m as usize - 1].to_string(),
            count: months_now.get(&m).copied().unwrap_or(0),
            previous: has_prev.then(|| months_prev.get(&m).copied().unwrap_or(0)),
        })
        .collect())
}

/// By unit, most incidents first; personal-data incidents only when the year's
/// personal-data count is known.
fn unit_rows(df: &DataFrame, year: i32, this: &YearCounts) -> PolarsResult<Vec<UnitCountRow>> {
    let mut units: Vec<UnitCountRow> = count_by_str(df, year, "unit")?
        .into_iter()
        .map(|(unit, (count, personal_data))| UnitCountRow {
            unit,
            count,
            personal_data: this.personal().map(|_| personal_data),
        })
        .collect();
    units.sort_by(|a, b| b.count.cmp(&a.count).then(a.unit.cmp(&b.unit)));
    Ok(units)
}

/// Category texts of the year that matched no category and so count as Övrigt, sorted;
/// texts that are Övrigt's own label or synonyms are left out, they matched on purpose.
fn unmapped_categories(df: &DataFrame, cfg: &Config, year: i32) -> PolarsResult<Vec<TextCount>> {
    let unmapped = df
        .clone()
        .lazy()
        .filter(
            col("year")
                .eq(lit(year))
                .and(col("category").eq(lit("other")))
                .and(col("raw").neq(lit(""))),
        )
        .group_by([col("raw")])
        .agg([len().alias("n")])
        .sort(["raw"], Default::default())
        .collect()?;
    let (raw, n) = (unmapped.column("raw")?.str()?, unmapped.column("n")?.u32()?);
    let other_synonyms = other_synonyms(cfg);
    Ok((0..unmapped.height())
        .filter_map(|i| Some((raw.get(i)?, n.get(i)?)))
        .filter(|(text, _)| !other_synonyms.contains(&crate::textnorm::normalize(text)))
        .map(|(text, count)| TextCount {
            text: text.to_string(),
            count,
        })
        .collect())
}

/// The normalised label and synonyms of the Övrigt category.
fn other_synonyms(cfg: &Config) -> Vec<String> {
    cfg.incidents
        .categories
        .iter()
        .filter(|c| c.slug == "other")
        .flat_map(|c| {
            c.synonyms
                .iter()
                .map(|s| crate::textnorm::normalize(s))
                .chain([crate::textnorm::normalize(&c.label)])
        })
        .collect()
}

fn unmapped_category_note(t: &TextCount, year: i32) -> Problem {
    Problem::note(
        Place::file("(incidenter)").at_column("Kategori"),
        &format!("kategorin känns inte igen ({} {year})", crate::kpi::count_noun(t.count as usize, "incident", "incidenter")),
        "Räknas som Övrigt. Lägg till texten som synonym under [[incidents.categories]] i genomgang.toml om den hör till en annan kategori.",
    )
    .with_value(Some(t.text.clone()))
}

/// IMY reports of the year whose delay cannot be judged for want of dates.
fn late_unknown_note(this: &YearCounts, year: i32) -> Option<Problem> {
    (this.late_unknown > 0).then(|| {
        Problem::note(
            Place::file("(incidenter)"),
            &format!(
                "{} {year} saknar upptäcktsdatum eller anmälningsdatum",
                crate::kpi::count_noun(
                    this.late_unknown as usize,
                    "IMY-anmäld incident",
                    "IMY-anmälda incidenter"
                )
            ),
            "Deras tid till anmälan kan inte bedömas och de ingår inte i antalet sena anmälningar.",
        )
    })
}

/// Per flagged fact (personal data, IMY, MSB/MCF): a note when no log has the column,
/// so the KPI is unknown, or when some incidents of the year lack it.
fn missing_fact_notes(this: &YearCounts, year: i32) -> Vec<Problem> {
    let mut notes = Vec::new();
    for (what, known) in [
        ("personuppgiftsincident", this.personal_known),
        ("anmälan till IMY", this.imy_known),
        ("anmälan till MSB/MCF", this.msb_known),
    ] {
        if this.total > 0 && known == 0 {
            notes.push(Problem::note(
                Place::file("(incidenter)"),
                &format!("ingen incidentlogg har en kolumn för {what}"),
                "Nyckeltalet anges som uppgift saknas (–), inte som noll.",
            ));
        } else if known < this.total {
            notes.push(Problem::note(
                Place::file("(incidenter)"),
                &format!(
                    "{} {year} saknar uppgift om {what}",
                    crate::kpi::count_noun((this.total - known) as usize, "incident", "incidenter")
                ),
                "De räknas inte i det nyckeltalet.",
            ));
        }
    }
    notes
}

/// The incident KPIs other than the per-category counts.
fn headline_kpis(
    this: &YearCounts,
    prev: Option<YearCounts>,
    have: bool,
    cfg: &Config,
    authority: &str,
) -> Vec<Kpi> {
    let v = |x: u32| have.then_some(x as f64);
    let p = |f: fn(&YearCounts) -> u32| prev.map(|pr| f(&pr) as f64);
    let known = |f: fn(&YearCounts) -> Option<f64>| if have { f(this) } else { None };
    let pk = |f: fn(&YearCounts) -> Option<f64>| prev.and_then(|pr| f(&pr));
    let (late_value, late_prev) = late_values(this, prev, have);
    let hours = cfg.incidents.imy_deadline_hours;
    vec![
        Kpi::new(
            KpiId::IncidentsTotal,
            "Antal incidenter",
            v(this.total),
            p(|c| c.total),
        ),
        Kpi::new(
            KpiId::IncidentsPersonalData,
            "Personuppgiftsincidenter",
            known(YearCounts::personal),
            pk(YearCounts::personal),
        ),
        Kpi::new(
            KpiId::IncidentsReportedImy,
            "Anmälda till IMY",
            known(YearCounts::imy),
            pk(YearCounts::imy),
        ),
        Kpi::new(
            KpiId::IncidentsReportedMsb,
            &format!("Anmälda till {authority} (NIS/cybersäkerhetslagen)"),
            known(YearCounts::msb),
            pk(YearCounts::msb),
        ),
        Kpi::new(
            KpiId::IncidentsImyLate,
            &format!("IMY-anmälningar senare än {hours} timmar efter upptäckt"),
            late_value,
            late_prev,
        ),
    ]
}

/// Late IMY reports this year and last. Unknown when every IMY report lacks the dates
/// to judge it, or when no input says which incidents were reported.
fn late_values(
    this: &YearCounts,
    prev: Option<YearCounts>,
    have: bool,
) -> (Option<f64>, Option<f64>) {
    let late_value = if !have || this.late_unknowable() || this.imy().is_none() {
        None
    } else {
        Some(this.late as f64)
    };
    let late_prev =
        prev.and_then(|pr| (!pr.late_unknowable() && pr.imy().is_some()).then_some(pr.late as f64));
    (late_value, late_prev)
}

/// One KPI per category: the counts when there is an incident input, else every
/// configured category as unknown.
fn category_kpis(rows: &[CategoryRow], have: bool, cfg: &Config) -> Vec<Kpi> {
    let mut kpis: Vec<Kpi> = rows
        .iter()
        .map(|row| {
            Kpi::new(
                KpiKey::Category(row.slug.clone()),
                &format!("Incidenter: {}", row.label),
                Some(row.count as f64),
                row.previous.map(|x| x as f64),
            )
        })
        .collect();
    if !have {
        kpis.extend(cfg.incidents.categories.iter().map(|c| {
            Kpi::new(
                KpiKey::Category(c.slug.clone()),
                &format!("Incidenter: {}", c.label),
                None,
                None,
            )
        }));
    }
    kpis
}
