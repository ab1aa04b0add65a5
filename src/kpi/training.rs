//! Training KPIs: the population (roster, else the people in the training lists), who of
//! them completed every mandatory course by 31 Dec, and the breakdown by unit and course.
//!
//! Plain counting, not polars: one bit per person and mandatory course, one pass per
//! course name. The frame's joins and group-bys took several times as long on the
//! largest units (README, "KPI families").

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::config::Config;
use crate::fasthash::{FxHashMap, FxHashSet};
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
struct People<'a> {
    units: Vec<Option<Arc<str>>>,
    /// Person by identifier, one map per key kind of [`PersonIds::keys`]; the keys are
    /// the records' own identifiers, not copies.
    index: [FxHashMap<&'a str, usize>; 5],
    /// Identifier kinds seen, so a miss on one of them is decisive.
    kinds: [bool; 5],
    /// Names that belong to more than one person.
    ambiguous_names: FxHashSet<&'a str>,
}

impl<'a> People<'a> {
    fn find(&self, ids: &PersonIds) -> Option<usize> {
        let mut checkable = false;
        for (k, v) in ids.keys().filter(|(k, _)| *k != NAME_KEY) {
            if let Some(id) = self.index[k as usize].get(v) {
                return Some(*id);
            }
            checkable |= self.kinds[k as usize];
        }
        if checkable {
            return None;
        }
        let name = ids.name()?;
        if self.ambiguous_names.contains(name) {
            return None;
        }
        self.index[NAME_KEY as usize].get(name).copied()
    }

    fn insert(&mut self, ids: &'a PersonIds, unit: Option<&Arc<str>>) -> usize {
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
                    map.insert(v, id);
                    id
                }
            };
            if k == NAME_KEY && existing != id {
                self.ambiguous_names.insert(v);
            }
            if k != NAME_KEY {
                self.kinds[k as usize] = true;
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
) -> Vec<Kpi> {
    b.mandatory_courses = cfg
        .training
        .mandatory
        .iter()
        .map(|m| m.label.clone())
        .collect();
    let n_mandatory = b.mandatory_courses.len();

    let mut people = roster_population(inputs);
    let matching = match_completions(inputs, year, &mut people);
    matching_notes(inputs, &matching, b, notes);

    let headcount = people.units.len() as u32;
    let has_training = !inputs.completions.is_empty();
    let now = Mandatory::done_by(&matching, people.units.len(), n_mandatory, year_end(year));
    let previous_available = has_training && matching.has_previous_dates;
    let count_prev = previous_available.then(|| {
        Mandatory::done_by(
            &matching,
            people.units.len(),
            n_mandatory,
            year_end(year - 1),
        )
        .completers()
        .count() as f64
    });

    if has_training && headcount > 0 {
        b.training_by_unit = unit_breakdown(&people, &now);
        b.training_by_course = course_breakdown(&matching, year, previous_available, headcount);
    }

    let count_now = has_training.then(|| now.completers().count() as f64);
    training_kpis(headcount, count_now, count_prev, n_mandatory as u32)
}

/// The population as far as the roster gives it; empty without a roster, when the
/// training lists make the population instead (see [`match_completions`]).
fn roster_population(inputs: &Inputs) -> People<'_> {
    let mut people = People::default();
    // Sized once for the kinds of identifier the first person has (a roster's columns
    // are the same for everyone), not grown by doubling through the roster.
    if let Some(first) = inputs.employees.first() {
        people.units.reserve(inputs.employees.len());
        for (k, _) in first.ids.keys() {
            people.index[k as usize].reserve(inputs.employees.len());
        }
    }
    for e in &inputs.employees {
        people.insert(&e.ids, e.unit.as_ref());
    }
    people
}

/// The training lists matched against the population: the completed courses of its
/// persons, and who of the lists could not be matched.
#[derive(Default)]
struct Matching<'a> {
    /// The completions of the population's persons, one entry each.
    done: Vec<Done>,
    /// Course names as written (trimmed), by [`Done::name`].
    course_names: Vec<&'a str>,
    /// Persons of the roster found in the training lists.
    matched: FxHashSet<usize>,
    /// Persons of the training lists not on the roster.
    outsiders: People<'a>,
    /// Of the outsiders, those whose only link is a name several on the roster share.
    ambiguous: People<'a>,
    /// Completions without a date.
    undated: usize,
    /// The roster person of a record of identifiers already found (a person's
    /// completions share one record): looked up once, not once per course.
    found: FxHashMap<*const PersonIds, usize>,
    /// Some completion is dated before the review year, so last year can be measured.
    has_previous_dates: bool,
}

/// One completed course of a person of the population.
struct Done {
    person: u32,
    /// Index of the mandatory course; `None` for any other course.
    mandatory: Option<u32>,
    /// Index into [`Matching::course_names`].
    name: u32,
    /// The day it counts from (see [`day`]).
    day: i32,
}

/// Reads the training lists into a [`Matching`]. With a roster, only its persons count;
/// without one, every person in the lists joins `people`.
fn match_completions<'a>(inputs: &'a Inputs, year: i32, people: &mut People<'a>) -> Matching<'a> {
    let mut m = Matching::default();
    // At most one per completion: reserved once rather than doubled (at city scale a
    // doubling left ten megabytes unused).
    m.done.reserve_exact(inputs.completions.len());
    let mut names: FxHashMap<&'a str, u32> = FxHashMap::default();
    for c in &inputs.completions {
        let Some(person) = m.person_of(c, inputs.has_roster, people) else {
            continue;
        };
        if !c.completed {
            continue;
        }
        let day = m.completion_day(c.date, year);
        let course = c.course.trim();
        let name = *names.entry(course).or_insert_with(|| {
            m.course_names.push(course);
            m.course_names.len() as u32 - 1
        });
        m.done.push(Done {
            person: person as u32,
            mandatory: c.mandatory,
            name,
            day,
        });
    }
    m
}

impl<'a> Matching<'a> {
    /// The population's person a completion belongs to, or `None` (recorded as an
    /// outsider) when a roster is given and the person is not on it.
    fn person_of(
        &mut self,
        c: &'a Completion,
        has_roster: bool,
        people: &mut People<'a>,
    ) -> Option<usize> {
        if !has_roster {
            return Some(people.insert(&c.ids, c.unit.as_ref()));
        }
        // With a roster `people` does not change, so a record found once is found
        // again; a miss is not remembered (it also records an outsider each time).
        let record = Arc::as_ptr(&c.ids);
        if let Some(p) = self.found.get(&record) {
            return Some(*p);
        }
        match people.find(&c.ids) {
            Some(p) => {
                self.matched.insert(p);
                self.found.insert(record, p);
                Some(p)
            }
            None => {
                self.outsiders.insert(&c.ids, None);
                if c.ids
                    .name()
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

/// Which mandatory courses each person of the population completed by a cutoff day:
/// one bit per course (plain counting over the matched completions; a polars frame
/// with its joins and group-bys took several times as long here, `examples/kpi_timing`).
struct Mandatory {
    courses: usize,
    /// Words of bits per person.
    words: usize,
    bits: Vec<u64>,
}

impl Mandatory {
    fn done_by(m: &Matching, persons: usize, courses: usize, cutoff: i32) -> Mandatory {
        // Room for every index the completions carry (a course counts towards "every
        // mandatory course" by its distinct index, as it always has).
        let indices = m
            .done
            .iter()
            .filter_map(|d| d.mandatory)
            .map(|c| c as usize + 1)
            .max()
            .unwrap_or(0)
            .max(courses);
        let words = indices.div_ceil(64);
        let mut bits = vec![0u64; persons * words];
        for d in &m.done {
            if let Some(c) = d.mandatory {
                let c = c as usize;
                if d.day <= cutoff {
                    bits[d.person as usize * words + c / 64] |= 1 << (c % 64);
                }
            }
        }
        Mandatory {
            courses,
            words,
            bits,
        }
    }

    /// Whether `person` completed mandatory course `course`.
    fn has(&self, person: usize, course: usize) -> bool {
        self.bits[person * self.words + course / 64] & (1 << (course % 64)) != 0
    }

    /// Whether `person` completed every mandatory course (never, with none configured).
    fn all(&self, person: usize) -> bool {
        let done: u32 = self.bits[person * self.words..(person + 1) * self.words]
            .iter()
            .map(|w| w.count_ones())
            .sum();
        self.courses > 0 && done as usize == self.courses
    }

    /// Persons who completed every mandatory course.
    fn completers(&self) -> impl Iterator<Item = usize> + '_ {
        let persons = self.bits.len().checked_div(self.words).unwrap_or(0);
        (0..persons).filter(|p| self.all(*p))
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

/// By unit: headcount, completers of every mandatory course and completers of each
/// mandatory course by the end of the year; "no unit" last.
fn unit_breakdown(people: &People, now: &Mandatory) -> Vec<TrainingUnitRow> {
    let mut by_unit: FxHashMap<&str, TrainingUnitRow> = FxHashMap::default();
    for (person, unit) in people.units.iter().enumerate() {
        let unit = unit.as_deref().unwrap_or(NO_UNIT);
        let row = by_unit.entry(unit).or_insert_with(|| TrainingUnitRow {
            unit: unit.to_string(),
            headcount: 0,
            completed_all: 0,
            rate: None,
            per_course: vec![0; now.courses],
        });
        row.headcount += 1;
        if now.all(person) {
            row.completed_all += 1;
        }
        for (course, n) in row.per_course.iter_mut().enumerate() {
            if now.has(person, course) {
                *n += 1;
            }
        }
    }
    let mut rows: Vec<TrainingUnitRow> = by_unit
        .into_values()
        .map(|mut row| {
            row.rate = (row.headcount > 0 && now.courses > 0)
                .then(|| row.completed_all as f64 / row.headcount as f64);
            row
        })
        .collect();
    rows.sort_by(|a, b| (a.unit == NO_UNIT, &a.unit).cmp(&(b.unit == NO_UNIT, &b.unit)));
    rows
}

/// By course name, mandatory ones first: persons of the population who completed it
/// this year and, when the dates allow, by the end of last year.
fn course_breakdown(
    m: &Matching,
    year: i32,
    previous_available: bool,
    headcount: u32,
) -> Vec<CourseRow> {
    let now = completers_by_course(m, year_end(year));
    let prev = previous_available.then(|| completers_by_course(m, year_end(year - 1)));
    let mut courses: Vec<CourseRow> = now
        .iter()
        .enumerate()
        .filter_map(|(name, counted)| {
            let (mandatory, n) = (*counted)?;
            Some(CourseRow {
                course: m.course_names[name].to_string(),
                mandatory,
                completed: n,
                completed_previous: prev.as_ref().map(|p| p[name].map(|(_, n)| n).unwrap_or(0)),
                rate: (headcount > 0).then(|| n as f64 / headcount as f64),
            })
        })
        .collect();
    courses.sort_by(|a, b| b.mandatory.cmp(&a.mandatory).then(a.course.cmp(&b.course)));
    courses
}

/// Per course name (index into [`Matching::course_names`]) completed on or before
/// `cutoff`: whether some completion of it is of a mandatory course, and the number of
/// persons; `None` for a name nobody completed by then.
fn completers_by_course(m: &Matching, cutoff: i32) -> Vec<Option<(bool, u32)>> {
    // (course, person) as one number: sorted and deduplicated as plain integers.
    let mut pairs: Vec<u64> = m
        .done
        .iter()
        .filter(|d| d.day <= cutoff)
        .map(|d| (u64::from(d.name) << 32) | u64::from(d.person))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out: Vec<Option<(bool, u32)>> = vec![None; m.course_names.len()];
    for pair in &pairs {
        let name = (pair >> 32) as usize;
        let entry = out[name].get_or_insert((false, 0));
        entry.1 += 1;
    }
    for d in m
        .done
        .iter()
        .filter(|d| d.day <= cutoff && d.mandatory.is_some())
    {
        if let Some(entry) = out[d.name as usize].as_mut() {
            entry.0 = true;
        }
    }
    out
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

fn note(message: String, action: &str) -> Problem {
    Problem::note(Place::file("(utbildning)"), &message, action)
}
