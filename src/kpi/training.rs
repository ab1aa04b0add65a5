//! Training KPIs: the population (roster, else the people in the training lists), who of
//! them completed every mandatory course by 31 Dec, and the breakdown by unit and course.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use crate::config::Config;
use crate::kpi::{Breakdowns, CourseRow, Kpi, TrainingUnitRow};
use crate::model::{Inputs, PersonIds, Place, Problem};
use crate::schema::KpiId;

pub const NO_UNIT: &str = "(ingen enhet angiven)";

/// Key kind of a person's name in [`PersonIds::keys`]; the others are identifiers.
const NAME_KEY: u8 = 4;

/// Persons identified across files by a shared identifier. A name links two records
/// only when neither carries an identifier the other side could be checked against,
/// and never when two persons share it: two employees called Anna Andersson with
/// different employee numbers are two persons.
#[derive(Default)]
struct People {
    units: Vec<Option<String>>,
    index: HashMap<(u8, String), usize>,
    /// Identifier kinds seen, so a miss on one of them is decisive.
    kinds: HashSet<u8>,
    /// Names that belong to more than one person.
    ambiguous_names: HashSet<String>,
}

impl People {
    fn find(&self, ids: &PersonIds) -> Option<usize> {
        let keys = ids.keys();
        let mut checkable = false;
        for (k, v) in keys.iter().filter(|(k, _)| *k != NAME_KEY) {
            if let Some(id) = self.index.get(&(*k, v.to_string())) {
                return Some(*id);
            }
            checkable |= self.kinds.contains(k);
        }
        if checkable {
            return None;
        }
        keys.iter()
            .find(|(k, _)| *k == NAME_KEY)
            .filter(|(_, v)| !self.ambiguous_names.contains(*v))
            .and_then(|(k, v)| self.index.get(&(*k, v.to_string())).copied())
    }

    fn insert(&mut self, ids: &PersonIds, unit: Option<&String>) -> usize {
        let id = match self.find(ids) {
            Some(id) => id,
            None => {
                self.units.push(None);
                self.units.len() - 1
            }
        };
        if self.units[id].is_none() {
            self.units[id] = unit.cloned();
        }
        for (k, v) in ids.keys() {
            let existing = *self.index.entry((k, v.to_string())).or_insert(id);
            if k == NAME_KEY && existing != id {
                self.ambiguous_names.insert(v.to_string());
            }
            if k != NAME_KEY {
                self.kinds.insert(k);
            }
        }
        id
    }
}

pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

pub fn year_end(year: i32) -> i32 {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .map(day)
        .unwrap_or(i32::MAX)
}

pub fn compute(
    inputs: &Inputs,
    cfg: &Config,
    year: i32,
    b: &mut Breakdowns,
    notes: &mut Vec<Problem>,
) -> PolarsResult<Vec<Kpi>> {
    let mandatory: Vec<String> = cfg
        .training
        .mandatory
        .iter()
        .map(|m| m.label.clone())
        .collect();
    b.mandatory_courses = mandatory.clone();
    let n_mandatory = mandatory.len() as u32;

    let mut people = People::default();
    for e in &inputs.employees {
        people.insert(&e.ids, e.unit.as_ref());
    }
    let mut outsiders = People::default();
    let mut person_col: Vec<u32> = Vec::new();
    let mut course_col: Vec<i32> = Vec::new();
    let mut name_col: Vec<String> = Vec::new();
    let mut day_col: Vec<i32> = Vec::new();
    let mut undated = 0usize;
    let mut has_previous_dates = false;
    for c in &inputs.completions {
        let person = if inputs.has_roster {
            match people.find(&c.ids) {
                Some(p) => p,
                None => {
                    outsiders.insert(&c.ids, None);
                    continue;
                }
            }
        } else {
            people.insert(&c.ids, c.unit.as_ref())
        };
        if !c.completed {
            continue;
        }
        let done = match c.date {
            Some(d) => {
                if d.year() < year {
                    has_previous_dates = true;
                }
                day(d)
            }
            None => {
                undated += 1;
                // Without a date we only know it was done by the time of the export,
                // which is taken as the end of the review year.
                year_end(year)
            }
        };
        person_col.push(person as u32);
        course_col.push(c.mandatory.map(|m| m as i32).unwrap_or(-1));
        name_col.push(c.course.trim().to_string());
        day_col.push(done);
    }
    if !outsiders.units.is_empty() {
        notes.push(note(
            format!(
                "{} i utbildningslistorna finns inte i personallistan (t.ex. slutat eller annan förvaltning)",
                crate::kpi::count_noun(outsiders.units.len(), "person", "personer")
            ),
            "De räknas inte i andelen som genomfört utbildningarna.",
        ));
    }
    if undated > 0 {
        notes.push(note(
            format!(
                "{} saknar datum för genomförande",
                crate::kpi::count_noun(undated, "genomförd kurs", "genomförda kurser")
            ),
            "De räknas som genomförda senast vid årets slut, men inte för föregående år.",
        ));
    }

    let headcount = people.units.len() as u32;
    let has_training = !inputs.completions.is_empty();
    let units: Vec<String> = people
        .units
        .iter()
        .map(|u| u.clone().unwrap_or_else(|| NO_UNIT.to_string()))
        .collect();
    let persons = DataFrame::new_infer_height(vec![
        Column::new("person".into(), (0..headcount).collect::<Vec<u32>>()),
        Column::new("unit".into(), units),
    ])?;
    let done = DataFrame::new_infer_height(vec![
        Column::new("person".into(), person_col),
        Column::new("course".into(), course_col),
        Column::new("course_name".into(), name_col),
        Column::new("day".into(), day_col),
    ])?;

    let completed_now = completers(&done, year_end(year), n_mandatory)?;
    let previous_available = has_training && has_previous_dates;
    let completed_prev = if previous_available {
        Some(completers(&done, year_end(year - 1), n_mandatory)?)
    } else {
        None
    };

    // By unit: headcount and completers.
    if has_training && headcount > 0 {
        let per_course_done = done
            .clone()
            .lazy()
            .filter(
                col("course")
                    .gt_eq(lit(0))
                    .and(col("day").lt_eq(lit(year_end(year)))),
            )
            .group_by([col("person"), col("course")])
            .agg([len().alias("n")])
            .collect()?;
        let flagged = persons
            .clone()
            .lazy()
            .left_join(
                completed_now
                    .clone()
                    .lazy()
                    .with_column(lit(true).alias("all")),
                col("person"),
                col("person"),
            )
            .group_by([col("unit")])
            .agg([
                len().alias("headcount"),
                col("all").is_not_null().sum().alias("completed"),
            ])
            .sort(["unit"], Default::default())
            .collect()?;
        let unit_course = persons
            .clone()
            .lazy()
            .inner_join(per_course_done.lazy(), col("person"), col("person"))
            .group_by([col("unit"), col("course")])
            .agg([len().alias("n")])
            .collect()?;
        let mut by_unit_course: HashMap<(String, i32), u32> = HashMap::new();
        let (u, c, n) = (
            unit_course.column("unit")?.str()?,
            unit_course.column("course")?.i32()?,
            unit_course.column("n")?.u32()?,
        );
        for i in 0..unit_course.height() {
            if let (Some(u), Some(c), Some(n)) = (u.get(i), c.get(i), n.get(i)) {
                by_unit_course.insert((u.to_string(), c), n);
            }
        }
        let (u, h, d) = (
            flagged.column("unit")?.str()?,
            flagged.column("headcount")?.u32()?,
            flagged.column("completed")?.u32()?,
        );
        for i in 0..flagged.height() {
            let unit = u.get(i).unwrap_or(NO_UNIT).to_string();
            let headcount = h.get(i).unwrap_or(0);
            let completed = d.get(i).unwrap_or(0);
            let per_course = (0..mandatory.len() as i32)
                .map(|c| by_unit_course.get(&(unit.clone(), c)).copied().unwrap_or(0))
                .collect();
            b.training_by_unit.push(TrainingUnitRow {
                rate: (headcount > 0 && n_mandatory > 0)
                    .then(|| completed as f64 / headcount as f64),
                unit,
                headcount,
                completed_all: completed,
                per_course,
            });
        }
        // Put "no unit" last.
        b.training_by_unit
            .sort_by_key(|r| (r.unit == NO_UNIT, r.unit.clone()));

        // By course name: persons of the population who completed it.
        let by_course = |cutoff: i32| -> PolarsResult<HashMap<String, (i32, u32)>> {
            let df = done
                .clone()
                .lazy()
                .filter(col("day").lt_eq(lit(cutoff)))
                .group_by([col("course_name")])
                .agg([
                    col("person").n_unique().alias("n"),
                    col("course").max().alias("mandatory"),
                ])
                .collect()?;
            let (names, n, m) = (
                df.column("course_name")?.str()?,
                df.column("n")?.u32()?,
                df.column("mandatory")?.i32()?,
            );
            let mut out = HashMap::new();
            for i in 0..df.height() {
                if let Some(name) = names.get(i) {
                    out.insert(
                        name.to_string(),
                        (m.get(i).unwrap_or(-1), n.get(i).unwrap_or(0)),
                    );
                }
            }
            Ok(out)
        };
        let now = by_course(year_end(year))?;
        let prev = if previous_available {
            Some(by_course(year_end(year - 1))?)
        } else {
            None
        };
        let mut courses: Vec<CourseRow> = now
            .iter()
            .map(|(name, (m, n))| CourseRow {
                course: name.clone(),
                mandatory: *m >= 0,
                completed: *n,
                completed_previous: prev.as_ref().map(|p| p.get(name).map(|x| x.1).unwrap_or(0)),
                rate: (headcount > 0).then(|| *n as f64 / headcount as f64),
            })
            .collect();
        courses.sort_by(|a, b| b.mandatory.cmp(&a.mandatory).then(a.course.cmp(&b.course)));
        b.training_by_course = courses;
    }

    let count_now = has_training.then_some(completed_now.height() as f64);
    let count_prev = completed_prev.as_ref().map(|d| d.height() as f64);
    let hc = (headcount > 0).then_some(headcount as f64);
    let rate = |n: Option<f64>| match (n, hc) {
        (Some(n), Some(h)) if n_mandatory > 0 => Some(n / h),
        _ => None,
    };
    Ok(vec![
        // Last year's headcount would need last year's roster; the previous-year rate
        // is measured on this year's population (see the README).
        Kpi::new(KpiId::TrainingHeadcount, "Antal medarbetare", hc, None),
        Kpi::new(
            KpiId::TrainingCompletedAll,
            "Medarbetare som genomfört alla obligatoriska utbildningar",
            count_now,
            count_prev,
        ),
        Kpi::new(
            KpiId::TrainingCompletionRateAll,
            "Andel medarbetare som genomfört alla obligatoriska utbildningar",
            rate(count_now),
            rate(count_prev),
        ),
    ])
}

/// Persons who completed every mandatory course on or before `cutoff`.
fn completers(done: &DataFrame, cutoff: i32, n_mandatory: u32) -> PolarsResult<DataFrame> {
    if n_mandatory == 0 {
        return DataFrame::new_infer_height(vec![Column::new("person".into(), Vec::<u32>::new())]);
    }
    done.clone()
        .lazy()
        .filter(
            col("course")
                .gt_eq(lit(0))
                .and(col("day").lt_eq(lit(cutoff))),
        )
        .group_by([col("person")])
        .agg([col("course").n_unique().alias("n")])
        .filter(col("n").eq(lit(n_mandatory)))
        .select([col("person")])
        .collect()
}

fn note(message: String, action: &str) -> Problem {
    Problem::note(Place::file("(utbildning)"), &message, action)
}
