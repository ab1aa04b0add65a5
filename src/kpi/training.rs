//! Training KPIs: the population (roster, else the people in the training lists), who of
//! them completed every mandatory course by 31 Dec, and the breakdown by unit and course.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use crate::config::Config;
use crate::kpi::{Breakdowns, CourseRow, Kpi, TrainingUnitRow};
use crate::model::{Completion, Inputs, PersonIds, Place, Problem};
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
    /// Person by identifier, one map per key kind of [`PersonIds::keys`] (looked up
    /// by `&str`, so a lookup allocates nothing).
    index: [HashMap<String, usize>; 5],
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
            if let Some(id) = self.index[*k as usize].get(*v) {
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
            .and_then(|(k, v)| self.index[*k as usize].get(*v).copied())
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
            let map = &mut self.index[k as usize];
            let existing = match map.get(v) {
                Some(existing) => *existing,
                None => {
                    map.insert(v.to_string(), id);
                    id
                }
            };
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
    b.mandatory_courses = cfg
        .training
        .mandatory
        .iter()
        .map(|m| m.label.clone())
        .collect();
    let n_mandatory = b.mandatory_courses.len() as u32;

    let mut people = roster_population(inputs);
    let matching = match_completions(inputs, year, &mut people);
    matching_notes(inputs, &matching, b, notes);

    let headcount = people.units.len() as u32;
    let has_training = !inputs.completions.is_empty();
    let done = matching.done_frame()?;
    let completed_now = completers(&done, year_end(year), n_mandatory)?;
    let previous_available = has_training && matching.has_previous_dates;
    let completed_prev = if previous_available {
        Some(completers(&done, year_end(year - 1), n_mandatory)?)
    } else {
        None
    };

    if has_training && headcount > 0 {
        let persons = persons_frame(&people)?;
        b.training_by_unit = unit_breakdown(&persons, &done, &completed_now, year, n_mandatory)?;
        b.training_by_course = course_breakdown(&done, year, previous_available, headcount)?;
    }

    let count_now = has_training.then_some(completed_now.height() as f64);
    let count_prev = completed_prev.as_ref().map(|d| d.height() as f64);
    Ok(training_kpis(headcount, count_now, count_prev, n_mandatory))
}

/// The population as far as the roster gives it; empty without a roster, when the
/// training lists make the population instead (see [`match_completions`]).
fn roster_population(inputs: &Inputs) -> People {
    let mut people = People::default();
    for e in &inputs.employees {
        people.insert(&e.ids, e.unit.as_ref());
    }
    people
}

/// The training lists matched against the population: the completed courses of its
/// persons, and who of the lists could not be matched.
#[derive(Default)]
struct Matching {
    /// Columns of the completions frame (see [`Matching::done_frame`]).
    person: Vec<u32>,
    course: Vec<i32>,
    course_name: Vec<String>,
    day: Vec<i32>,
    /// Persons of the roster found in the training lists.
    matched: HashSet<usize>,
    /// Persons of the training lists not on the roster.
    outsiders: People,
    /// Of the outsiders, those whose only link is a name several on the roster share.
    ambiguous: People,
    /// Completions without a date.
    undated: usize,
    /// Some completion is dated before the review year, so last year can be measured.
    has_previous_dates: bool,
}

/// Reads the training lists into a [`Matching`]. With a roster, only its persons count;
/// without one, every person in the lists joins `people`.
fn match_completions(inputs: &Inputs, year: i32, people: &mut People) -> Matching {
    let mut m = Matching::default();
    for c in &inputs.completions {
        let Some(person) = m.person_of(c, inputs.has_roster, people) else {
            continue;
        };
        if !c.completed {
            continue;
        }
        let day = m.completion_day(c.date, year);
        m.person.push(person as u32);
        m.course.push(c.mandatory.map(|m| m as i32).unwrap_or(-1));
        m.course_name.push(c.course.trim().to_string());
        m.day.push(day);
    }
    m
}

impl Matching {
    /// The population's person a completion belongs to, or `None` (recorded as an
    /// outsider) when a roster is given and the person is not on it.
    fn person_of(
        &mut self,
        c: &Completion,
        has_roster: bool,
        people: &mut People,
    ) -> Option<usize> {
        if !has_roster {
            return Some(people.insert(&c.ids, c.unit.as_ref()));
        }
        match people.find(&c.ids) {
            Some(p) => {
                self.matched.insert(p);
                Some(p)
            }
            None => {
                self.outsiders.insert(&c.ids, None);
                if c.ids
                    .name
                    .as_ref()
                    .is_some_and(|n| people.ambiguous_names.contains(n))
                {
                    self.ambiguous.insert(&c.ids, None);
                }
                None
            }
        }
    }

    /// The day a completion counts from.
    fn completion_day(&mut self, date: Option<NaiveDate>, year: i32) -> i32 {
        match date {
            Some(d) => {
                if d.year() < year {
                    self.has_previous_dates = true;
                }
                day(d)
            }
            None => {
                self.undated += 1;
                // Without a date we only know it was done by the time of the export,
                // which is taken as the end of the review year.
                year_end(year)
            }
        }
    }

    /// Completions of the population: person, course (index of the mandatory course,
    /// -1 for any other), course_name and day.
    fn done_frame(&self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new("person".into(), self.person.clone()),
            Column::new("course".into(), self.course.clone()),
            Column::new("course_name".into(), self.course_name.clone()),
            Column::new("day".into(), self.day.clone()),
        ])
    }

    /// How many persons of the training lists were found on the roster.
    fn roster_match(&self) -> crate::kpi::RosterMatch {
        let matched = self.matched.len() as u32;
        let unmatched = self.outsiders.units.len() as u32;
        let persons = matched + unmatched;
        crate::kpi::RosterMatch {
            persons,
            matched,
            unmatched,
            ambiguous: self.ambiguous.units.len() as u32,
            rate: (persons > 0).then(|| matched as f64 / persons as f64),
        }
    }
}

/// The Datakvalitet notes on matching the training lists, and the roster match.
fn matching_notes(inputs: &Inputs, m: &Matching, b: &mut Breakdowns, notes: &mut Vec<Problem>) {
    if !m.outsiders.units.is_empty() {
        notes.push(note(
            format!(
                "{} i utbildningslistorna finns inte i personallistan (t.ex. slutat eller annan förvaltning)",
                crate::kpi::count_noun(m.outsiders.units.len(), "person", "personer")
            ),
            "De räknas inte i andelen som genomfört utbildningarna.",
        ));
    }
    if inputs.has_roster && !inputs.completions.is_empty() {
        b.roster_match = Some(m.roster_match());
        notes.extend(ambiguous_names_note(&m.ambiguous));
    }
    b.training_undated = m.undated;
    if m.undated > 0 {
        notes.push(note(
            format!(
                "{} saknar datum för genomförande",
                crate::kpi::count_noun(m.undated, "genomförd kurs", "genomförda kurser")
            ),
            "De räknas som genomförda senast vid årets slut, men inte för föregående år.",
        ));
    }
}

/// The note counting the persons known only by a name the roster shares. They are not
/// named, not even masked: initials and length identify a person in a small unit.
fn ambiguous_names_note(ambiguous: &People) -> Option<Problem> {
    let count = ambiguous.index[NAME_KEY as usize].len();
    (count > 0).then(|| {
        note(
            format!(
                "{} i utbildningslistorna har bara ett namn som flera i personallistan delar",
                crate::kpi::count_noun(count, "person", "personer"),
            ),
            "De matchas inte mot någon av dem och räknas inte som genomförda. Lägg till anställningsnummer eller e-postadress i utbildningslistan.",
        )
    })
}

/// The population: person and unit.
fn persons_frame(people: &People) -> PolarsResult<DataFrame> {
    let units: Vec<String> = people
        .units
        .iter()
        .map(|u| u.clone().unwrap_or_else(|| NO_UNIT.to_string()))
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            "person".into(),
            (0..people.units.len() as u32).collect::<Vec<u32>>(),
        ),
        Column::new("unit".into(), units),
    ])
}

/// By unit: headcount, completers of every mandatory course and completers of each
/// mandatory course by the end of the year; "no unit" last.
fn unit_breakdown(
    persons: &DataFrame,
    done: &DataFrame,
    completed_now: &DataFrame,
    year: i32,
    n_mandatory: u32,
) -> PolarsResult<Vec<TrainingUnitRow>> {
    let by_unit_course = completers_by_unit_and_course(persons, done, year_end(year))?;
    let flagged = headcount_and_completers_by_unit(persons, completed_now)?;
    let (u, h, d) = (
        flagged.column("unit")?.str()?,
        flagged.column("headcount")?.u32()?,
        flagged.column("completed")?.u32()?,
    );
    let mut rows = Vec::new();
    for i in 0..flagged.height() {
        let unit = u.get(i).unwrap_or(NO_UNIT).to_string();
        let headcount = h.get(i).unwrap_or(0);
        let completed = d.get(i).unwrap_or(0);
        let per_course = (0..n_mandatory as i32)
            .map(|c| by_unit_course.get(&(unit.clone(), c)).copied().unwrap_or(0))
            .collect();
        rows.push(TrainingUnitRow {
            rate: (headcount > 0 && n_mandatory > 0).then(|| completed as f64 / headcount as f64),
            unit,
            headcount,
            completed_all: completed,
            per_course,
        });
    }
    rows.sort_by_key(|r| (r.unit == NO_UNIT, r.unit.clone()));
    Ok(rows)
}

/// Per unit (sorted): headcount, and completers of every mandatory course.
fn headcount_and_completers_by_unit(
    persons: &DataFrame,
    completed: &DataFrame,
) -> PolarsResult<DataFrame> {
    persons
        .clone()
        .lazy()
        .left_join(
            completed.clone().lazy().with_column(lit(true).alias("all")),
            col("person"),
            col("person"),
        )
        .group_by([col("unit")])
        .agg([
            len().alias("headcount"),
            col("all").is_not_null().sum().alias("completed"),
        ])
        .sort(["unit"], Default::default())
        .collect()
}

/// Persons who completed a mandatory course on or before `cutoff`, per unit and course.
fn completers_by_unit_and_course(
    persons: &DataFrame,
    done: &DataFrame,
    cutoff: i32,
) -> PolarsResult<HashMap<(String, i32), u32>> {
    let per_course_done = done
        .clone()
        .lazy()
        .filter(
            col("course")
                .gt_eq(lit(0))
                .and(col("day").lt_eq(lit(cutoff))),
        )
        .group_by([col("person"), col("course")])
        .agg([len().alias("n")]);
    let unit_course = persons
        .clone()
        .lazy()
        .inner_join(per_course_done, col("person"), col("person"))
        .group_by([col("unit"), col("course")])
        .agg([len().alias("n")])
        .collect()?;
    let (u, c, n) = (
        unit_course.column("unit")?.str()?,
        unit_course.column("course")?.i32()?,
        unit_course.column("n")?.u32()?,
    );
    let mut out = HashMap::new();
    for i in 0..unit_course.height() {
        if let (Some(u), Some(c), Some(n)) = (u.get(i), c.get(i), n.get(i)) {
            out.insert((u.to_string(), c), n);
        }
    }
    Ok(out)
}

/// By course name, mandatory ones first: persons of the population who completed it
/// this year and, when the dates allow, by the end of last year.
fn course_breakdown(
    done: &DataFrame,
    year: i32,
    previous_available: bool,
    headcount: u32,
) -> PolarsResult<Vec<CourseRow>> {
    let now = completers_by_course(done, year_end(year))?;
    let prev = if previous_available {
        Some(completers_by_course(done, year_end(year - 1))?)
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
    Ok(courses)
}

/// Per course name completed on or before `cutoff`: the mandatory course index (-1 for
/// none) and the number of persons.
fn completers_by_course(
    done: &DataFrame,
    cutoff: i32,
) -> PolarsResult<HashMap<String, (i32, u32)>> {
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
}

/// Headcount, completers of every mandatory course and their share.
fn training_kpis(
    headcount: u32,
    count_now: Option<f64>,
    count_prev: Option<f64>,
    n_mandatory: u32,
) -> Vec<Kpi> {
    let hc = (headcount > 0).then_some(headcount as f64);
    let rate = |n: Option<f64>| match (n, hc) {
        (Some(n), Some(h)) if n_mandatory > 0 => Some(n / h),
        _ => None,
    };
    vec![
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
    ]
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
