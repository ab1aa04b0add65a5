//! Incident KPIs: counts for the year and the year before, by category, month, unit and
//! year, reports to IMY and MSB/MCF, and IMY reports later than the deadline.

use std::collections::BTreeMap;

use chrono::Datelike;

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

/// Everything the incident KPIs count, in one pass over the incidents: per year the
/// [`YearCounts`], and per year the counts by category, month, unit and unmatched
/// category text. Plain counting: a log holds hundreds to a few hundred thousand rows,
/// and a data frame's set-up cost more than the counting (measured in issue 21).
#[derive(Default)]
struct Tally {
    years: BTreeMap<i32, YearCounts>,
    /// (year, category slug) → (incidents, personal-data incidents).
    categories: BTreeMap<(i32, String), (u32, u32)>,
    months: BTreeMap<(i32, u32), u32>,
    /// (year, unit) → (incidents, personal-data incidents).
    units: BTreeMap<(i32, String), (u32, u32)>,
    /// (year, category text as written) of incidents counted as Övrigt.
    other_texts: BTreeMap<(i32, String), u32>,
}

fn tally(incidents: &[Incident], cfg: &Config) -> Tally {
    let deadline = chrono::Duration::hours(cfg.incidents.imy_deadline_hours);
    let mut t = Tally::default();
    for i in incidents {
        let year = i.date.year();
        let personal = i.personal_data == Some(true);
        let imy = i.reported_imy == Some(true);
        let late = match (i.reported_imy, i.discovered, i.reported_at) {
            (Some(true), Some(found), Some(reported)) => Some(reported - found > deadline),
            _ => None,
        };
        let y = t.years.entry(year).or_default();
        y.total += 1;
        y.personal += u32::from(personal);
        y.imy += u32::from(imy);
        y.msb += u32::from(i.reported_msb == Some(true));
        y.late += u32::from(late == Some(true));
        y.late_unknown += u32::from(imy && late.is_none());
        y.personal_known += u32::from(i.personal_data.is_some());
        y.imy_known += u32::from(i.reported_imy.is_some());
        y.msb_known += u32::from(i.reported_msb.is_some());
        let add = |entry: &mut (u32, u32)| {
            entry.0 += 1;
            entry.1 += u32::from(personal);
        };
        add(t
            .categories
            .entry((year, i.category.to_string()))
            .or_default());
        *t.months.entry((year, i.date.month())).or_default() += 1;
        let unit = i.unit.as_deref().unwrap_or(super::training::NO_UNIT);
        add(t.units.entry((year, unit.to_string())).or_default());
        if &*i.category == "other" && !i.category_raw.is_empty() {
            *t.other_texts
                .entry((year, i.category_raw.to_string()))
                .or_default() += 1;
        }
    }
    t
}

pub fn compute(
    inputs: &Inputs,
    cfg: &Config,
    year: i32,
    authority: &str,
    b: &mut Breakdowns,
    notes: &mut Vec<Problem>,
) -> Vec<Kpi> {
    let have = has_incident_input(inputs);
    let t = tally(&inputs.incidents, cfg);
    b.incidents_by_year = year_rows(&t.years, year);
    let this = t.years.get(&year).copied().unwrap_or_default();
    let prev = t.years.get(&(year - 1)).copied();

    if have {
        let has_prev = prev.is_some();
        b.incidents_by_category = category_rows(&t, cfg, year, has_prev);
        b.incidents_by_month = month_rows(&t, year, has_prev);
        b.incidents_by_unit = unit_rows(&t, year, &this);
        b.unmapped_categories = unmapped_categories(&t, cfg, year);
        for u in &b.unmapped_categories {
            notes.push(unmapped_category_note(u, year));
        }
        notes.extend(late_unknown_note(&this, year));
        notes.extend(missing_fact_notes(&this, year));
    }

    let mut kpis = headline_kpis(&this, prev, have, cfg, authority);
    kpis.extend(category_kpis(&b.incidents_by_category, have, cfg));
    kpis
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
fn category_rows(t: &Tally, cfg: &Config, year: i32, has_prev: bool) -> Vec<CategoryRow> {
    let count = |y: i32, slug: &str| {
        t.categories
            .get(&(y, slug.to_string()))
            .map(|x| x.0)
            .unwrap_or(0)
    };
    cfg.incidents
        .categories
        .iter()
        .map(|c| CategoryRow {
            slug: c.slug.clone(),
            label: c.label.clone(),
            count: count(year, &c.slug),
            previous: has_prev.then(|| count(year - 1, &c.slug)),
        })
        .collect()
}

/// By month, all twelve; last year only when it has incidents.
fn month_rows(t: &Tally, year: i32, has_prev: bool) -> Vec<MonthRow> {
    let count = |y: i32, m: u32| t.months.get(&(y, m)).copied().unwrap_or(0);
    (1..=12u32)
        .map(|m| MonthRow {
            month: m,
            label: MONTHS[m as usize - 1].to_string(),
            count: count(year, m),
            previous: has_prev.then(|| count(year - 1, m)),
        })
        .collect()
}

/// By unit, most incidents first; personal-data incidents only when the year's
/// personal-data count is known.
fn unit_rows(t: &Tally, year: i32, this: &YearCounts) -> Vec<UnitCountRow> {
    let mut units: Vec<UnitCountRow> = t
        .units
        .range((year, String::new())..(year + 1, String::new()))
        .map(|((_, unit), (count, personal_data))| UnitCountRow {
            unit: unit.clone(),
            count: *count,
            personal_data: this.personal().map(|_| *personal_data),
        })
        .collect();
    units.sort_by(|a, b| b.count.cmp(&a.count).then(a.unit.cmp(&b.unit)));
    units
}

/// Category texts of the year that matched no category and so count as Övrigt, sorted;
/// texts that are Övrigt's own label or synonyms are left out, they matched on purpose.
fn unmapped_categories(t: &Tally, cfg: &Config, year: i32) -> Vec<TextCount> {
    let other_synonyms = other_synonyms(cfg);
    t.other_texts
        .range((year, String::new())..(year + 1, String::new()))
        .filter(|((_, text), _)| !other_synonyms.contains(&crate::textnorm::normalize(text)))
        .map(|((_, text), count)| TextCount {
            text: text.clone(),
            count: *count,
        })
        .collect()
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
