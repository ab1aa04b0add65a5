//! Column profiles: what a column's values look like, measured once per column on a
//! bounded sample of the rows under a candidate header row.
//!
//! A heading is one piece of evidence for a column's role; its values are another. A
//! column headed "Custom field (Threat)" whose values are "Nätfiske", "Phishing" and
//! "Malware" holds incident categories whatever its heading says; a column headed
//! "Status" whose values are incident categories is not a course completion status.
//! The profile counts, per column: dates (and the shape they are written in), yes/no
//! values, e-mail addresses, personnummer, employee-number shapes, numbers and their
//! range, distinct values, and the values that belong to a role's vocabulary (incident
//! categories, completion statuses, account states, KLASSA levels, the mandatory
//! courses). Each distinct text is classified once, so a sheet of a hundred thousand
//! rows costs no more than its first [`SAMPLE_ROWS`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::Config;
use crate::fasthash::FxHashMap;
use crate::ingest::value::{parse_datetime_text_as, parse_number_text, Cell, DateOrder, DateShape};
use crate::textnorm::{fold_diacritics, normalize};

/// Rows under a header row whose values are profiled.
pub const SAMPLE_ROWS: usize = 200;

/// Values longer than this many words are free text, never a vocabulary value.
const MAX_VOCABULARY_WORDS: usize = 6;

/// The value vocabularies of the roles, normalised once per configuration.
#[derive(Clone, Debug, Default)]
pub struct Vocabularies {
    /// Normalised synonyms and labels of the incident categories; the generic ones
    /// ("other", "annat") only count when they are the whole value.
    categories: Vec<String>,
    /// The same, padded with a space on each side for whole-word search.
    padded_categories: Vec<String>,
    /// The byte pairs of each category: a text lacking one of them cannot hold it.
    category_pairs: Vec<PairSet>,
    generic_categories: Vec<String>,
    /// Completion statuses that are words, not yes/no ("completed", "in progress").
    statuses: Vec<String>,
    /// Course name keys of the mandatory courses.
    courses: Vec<String>,
    /// Which vocabularies these are (one number per `new`): the memo of classified
    /// texts holds the kinds of one configuration at a time.
    id: u64,
}

/// Account states of identity systems: enabled, disabled, guests.
pub const ACCOUNT_STATES: [&str; 16] = [
    "active",
    "aktiv",
    "inactive",
    "inaktiv",
    "suspended",
    "avstängd",
    "disabled",
    "enabled",
    "avslutad",
    "avslutat",
    "archived",
    "arkiverad",
    "spärrad",
    "deactivated",
    "member",
    "guest",
];

/// Yes/no words: a column of only these is a flag, whatever vocabulary also lists them.
const FLAG_WORDS: [&str; 18] = [
    "ja", "nej", "j", "n", "yes", "no", "y", "x", "1", "0", "sant", "falskt", "true", "false",
    "ej", "inte", "ingen", "-",
];

impl Vocabularies {
    pub fn new(cfg: &Config) -> Vocabularies {
        let mut categories = Vec::new();
        let mut generic_categories = Vec::new();
        for c in &cfg.incidents.categories {
            let target = if c.slug == "other" {
                &mut generic_categories
            } else {
                &mut categories
            };
            target.push(normalize(&c.label));
            target.extend(c.synonyms.iter().map(|s| normalize(s)));
        }
        categories.retain(|s| s.chars().count() >= 3);
        let padded_categories = categories.iter().map(|s| format!(" {s} ")).collect();
        let category_pairs = categories.iter().map(|s| PairSet::of(s)).collect();
        let statuses = cfg
            .training
            .values
            .completed
            .iter()
            .chain(&cfg.training.values.not_completed)
            .map(|s| normalize(s))
            .filter(|s| !s.is_empty() && !FLAG_WORDS.contains(&s.as_str()))
            .collect();
        let courses = cfg
            .training
            .mandatory
            .iter()
            .flat_map(|m| m.matches.iter())
            .map(|s| course_key(s))
            .filter(|s| s.chars().count() >= 3)
            .collect();
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Vocabularies {
            categories,
            padded_categories,
            category_pairs,
            generic_categories,
            statuses,
            courses,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A normalised text is a category: one of them whole, as whole words in it, or
    /// (six letters or more) anywhere in it. Each way needs the category inside the
    /// text, so a category with a byte pair the text lacks is passed over unsearched
    /// (most are, for a name or a title).
    fn is_category(&self, norm: &str) -> bool {
        if self.generic_categories.iter().any(|g| g == norm) {
            return true;
        }
        let pairs = PairSet::of(norm);
        let mut padded: Option<String> = None;
        self.categories
            .iter()
            .zip(&self.padded_categories)
            .zip(&self.category_pairs)
            .any(|((s, p), s_pairs)| {
                s_pairs.within(&pairs)
                    && (s == norm
                        || (s.len() >= 6 && norm.contains(s.as_str()))
                        || padded
                            .get_or_insert_with(|| format!(" {norm} "))
                            .contains(p.as_str()))
            })
    }

    fn is_status(&self, norm: &str) -> bool {
        self.statuses.iter().any(|s| s == norm)
    }

    /// "In progress, past due", "Registered / Past Due": every part a status word.
    fn is_status_combination(&self, text: &str) -> bool {
        // Without a separator there is one part at most.
        if !text.contains(STATUS_SEPARATORS) {
            return false;
        }
        let parts: Vec<String> = status_parts(text);
        parts.len() >= 2 && parts.iter().all(|p| self.is_status(p))
    }

    /// `text` names a mandatory course; `norm` is `normalize(text)`.
    fn is_course(&self, text: &str, norm: &str) -> bool {
        if self.courses.is_empty() {
            return false;
        }
        // Without "_" the course key is the normalised text folded, and an ASCII
        // normalised text is already folded.
        let key: Cow<str> = if text.contains('_') {
            Cow::Owned(course_key(text))
        } else if norm.is_ascii() {
            Cow::Borrowed(norm)
        } else {
            Cow::Owned(fold_diacritics(norm))
        };
        self.courses.iter().any(|c| key.contains(c.as_str()))
    }
}

/// The byte pairs of a text, hashed into 256 bits. A text holds another only if it
/// holds each of the other's byte pairs, so a set that is not within a text's set
/// rules the other text out without a search.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct PairSet([u64; 4]);

impl PairSet {
    fn of(text: &str) -> PairSet {
        let mut bits = [0u64; 4];
        for pair in text.as_bytes().windows(2) {
            let h = (u32::from(u16::from_le_bytes([pair[0], pair[1]])).wrapping_mul(0x9E37_79B1)
                >> 24) as usize;
            bits[h >> 6] |= 1 << (h & 63);
        }
        PairSet(bits)
    }

    /// Every pair of `self` is in `other`.
    fn within(&self, other: &PairSet) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }
}

/// Course names compared without case, punctuation or diacritics.
pub fn course_key(text: &str) -> String {
    fold_diacritics(&normalize(&text.replace('_', " ")))
}

/// What the sampled values of one column look like.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnProfile {
    /// Non-empty cells sampled.
    pub filled: usize,
    /// Distinct texts among them.
    pub distinct: usize,
    pub dates: usize,
    /// The most common shape of the text dates.
    pub date_shape: Option<DateShape>,
    pub flags: usize,
    pub emails: usize,
    pub personal_numbers: usize,
    /// Short codes of letters and digits with at least one digit ("E1043", "10234").
    pub employee_ids: usize,
    pub numbers: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Values of the incident category vocabulary.
    pub categories: usize,
    /// Values of the completion status vocabulary.
    pub statuses: usize,
    /// Account states ("disabled", "Guest", "Avslutad").
    pub account_states: usize,
    /// Whole numbers 0–4 or ranges such as "2-3": KLASSA levels.
    pub levels: usize,
    /// Values naming a mandatory course.
    pub courses: usize,
    /// Progress written as done of total ("6/8", "8 av 8").
    pub fractions: usize,
}

impl ColumnProfile {
    /// The share of the filled cells that `count` is (0 for an empty column).
    pub fn share(&self, count: usize) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            count as f64 / self.filled as f64
        }
    }

    /// One line for `check`: what most of the values are.
    pub fn describe(&self) -> String {
        if self.filled == 0 {
            return "tom i de första raderna".to_string();
        }
        let mut parts = vec![format!("{} ifyllda, {} olika", self.filled, self.distinct)];
        let pct = |n: usize| (100.0 * self.share(n)).round() as u32;
        let mut kinds: Vec<(usize, String)> = vec![
            (
                self.dates,
                match self.date_shape {
                    Some(s) => format!("datum ({})", s.label()),
                    None => "datum".to_string(),
                },
            ),
            (self.categories, "incidentkategorier".into()),
            (self.statuses, "statusord".into()),
            (self.courses, "obligatoriska kurser".into()),
            (self.emails, "e-postadresser".into()),
            (self.personal_numbers, "personnummer".into()),
            (self.account_states, "kontostatusar".into()),
            (self.flags, "ja/nej".into()),
            (self.levels, "nivåer 0–4".into()),
            (self.fractions, "andel klart (6/8)".into()),
            (self.numbers, "tal".into()),
            (self.employee_ids, "id-nummer".into()),
        ];
        kinds.retain(|(n, _)| *n > 0);
        kinds.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        for (n, label) in kinds.into_iter().take(2) {
            parts.push(format!("{} % {label}", pct(n)));
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max) {
            if self.share(self.numbers) >= 0.5 {
                parts.push(format!("tal {} – {}", trim_number(lo), trim_number(hi)));
            }
        }
        parts.join(", ")
    }
}

fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e12 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}

/// Profiles every column of `rows[start..]` (at most [`SAMPLE_ROWS`] rows), `width`
/// columns wide.
pub fn profile_columns(
    rows: &[Vec<Cell>],
    start: usize,
    width: usize,
    vocab: &Vocabularies,
) -> Vec<ColumnProfile> {
    let sample = rows.get(start..).unwrap_or(&[]);
    let sample = &sample[..sample.len().min(SAMPLE_ROWS)];
    let mut out = Vec::with_capacity(width);
    for col in 0..width {
        out.push(profile_column(sample.iter().map(|r| r.get(col)), vocab));
    }
    out
}

/// What one distinct text is.
#[derive(Default, Clone, Copy)]
struct TextKind {
    date: Option<DateShape>,
    flag: bool,
    email: bool,
    personal_number: bool,
    employee_id: bool,
    number: Option<f64>,
    category: bool,
    status: bool,
    account_state: bool,
    level: bool,
    course: bool,
    fraction: bool,
}

/// Distinct texts whose kinds a thread remembers; the memo starts over when full.
const KIND_MEMO_LIMIT: usize = 16_384;

/// Texts classified on one thread, for one set of vocabularies: the same dates, names,
/// statuses and courses stand in the sampled rows of one unit's roster, training lists
/// and city-wide files.
#[derive(Default)]
struct RememberedKinds {
    vocabularies: u64,
    texts: FxHashMap<Box<str>, TextKind>,
}

thread_local! {
    static KINDS: RefCell<RememberedKinds> = RefCell::new(RememberedKinds::default());
}

/// [`classify`], remembered per distinct text.
fn classify_memo(text: &str, vocab: &Vocabularies) -> TextKind {
    KINDS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.vocabularies != vocab.id {
            memo.texts.clear();
            memo.vocabularies = vocab.id;
        }
        if let Some(kind) = memo.texts.get(text) {
            return *kind;
        }
        let kind = classify(text, vocab);
        if memo.texts.len() >= KIND_MEMO_LIMIT {
            memo.texts.clear();
        }
        memo.texts.insert(text.into(), kind);
        kind
    })
}

fn classify(text: &str, vocab: &Vocabularies) -> TextKind {
    let t = text.trim();
    let norm = normalize(t);
    let words = norm.split(' ').filter(|w| !w.is_empty()).count();
    let short = words <= MAX_VOCABULARY_WORDS;
    // Dates, numbers, personnummer and ids all hold a digit: most texts (names,
    // categories, statuses) are spared those parsers.
    let digits = t.bytes().any(|b| b.is_ascii_digit());
    let number = if digits { parse_number_text(t) } else { None };
    let date = if number.is_some() || !digits {
        None
    } else {
        // The order only tells slash dates apart: without a "/" month first reads
        // as day first did.
        parse_datetime_text_as(t, DateOrder::DayFirst)
            .or_else(|| {
                t.contains('/')
                    .then(|| parse_datetime_text_as(t, DateOrder::MonthFirst))
                    .flatten()
            })
            .map(|(_, s)| s)
    };
    let level =
        number.is_some_and(|n| n.fract() == 0.0 && (0.0..=4.0).contains(&n)) || is_level_range(t);
    let plain_text = date.is_none() && number.is_none();
    TextKind {
        date,
        flag: FLAG_WORDS.contains(&norm.as_str())
            || (words <= 2
                && plain_text
                && crate::ingest::value::parse_bool_normalized(t, &norm).is_some()),
        email: is_email(t),
        personal_number: digits && crate::privacy::is_personal_number(t),
        employee_id: digits && is_employee_id(t),
        number,
        category: short && plain_text && vocab.is_category(&norm),
        status: short && (vocab.is_status(&norm) || vocab.is_status_combination(t)),
        account_state: ACCOUNT_STATES.contains(&norm.as_str())
            || matches!(norm.as_str(), "true" | "false"),
        level,
        course: plain_text && vocab.is_course(t, &norm),
        fraction: digits && progress_fraction(t).is_some(),
    }
}

/// Progress written as done of total: "6/8", "6 / 8", "8 av 8", "3 of 5", "75 %".
pub fn progress_fraction(text: &str) -> Option<(u32, u32)> {
    // Each form has a "%", a "/" or spaces (lowercasing makes none of them).
    if !text.contains(['%', '/', ' ']) {
        return None;
    }
    let t = text.trim().to_lowercase();
    if let Some(pct) = t.strip_suffix('%') {
        let done: u32 = pct.trim().parse().ok()?;
        return (done <= 100).then_some((done, 100));
    }
    let (a, b) = t
        .split_once('/')
        .or_else(|| t.split_once(" av "))
        .or_else(|| t.split_once(" of "))?;
    let done: u32 = a.trim().parse().ok()?;
    let total: u32 = b.trim().parse().ok()?;
    (total > 0 && done <= total && total <= 1000).then_some((done, total))
}

/// What separates the parts of a status written as several.
const STATUS_SEPARATORS: [char; 5] = [',', '/', ';', '|', '+'];

/// The parts of a status written as several ("In progress, past due"), normalised.
pub fn status_parts(text: &str) -> Vec<String> {
    text.split(STATUS_SEPARATORS)
        .map(normalize)
        .filter(|p| !p.is_empty())
        .collect()
}

/// "2-3", "1–2": a KLASSA range.
fn is_level_range(t: &str) -> bool {
    // Without a dash there is one part.
    if !t.contains(['-', '–']) {
        return false;
    }
    let parts: Vec<&str> = t.split(['-', '–']).map(str::trim).collect();
    parts.len() == 2
        && parts
            .iter()
            .all(|p| p.len() == 1 && p.chars().all(|c| ('0'..='4').contains(&c)))
}

fn is_email(t: &str) -> bool {
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(' ')
        && domain.contains('.')
        && !domain.contains(' ')
        && !domain.starts_with('.')
}

/// "E1043", "10234", "ANST-0042": a short code with a digit and no spaces.
fn is_employee_id(t: &str) -> bool {
    let n = t.chars().count();
    (3..=12).contains(&n)
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn profile_column<'a>(
    cells: impl Iterator<Item = Option<&'a Cell>>,
    vocab: &Vocabularies,
) -> ColumnProfile {
    let mut p = ColumnProfile::default();
    // The order of the texts does not matter: every count is a sum, min and max are
    // taken over all, and the commonest shape breaks ties by shape.
    let mut texts: FxHashMap<&str, usize> = FxHashMap::default();
    let mut shapes: FxHashMap<DateShape, usize> = FxHashMap::default();
    let note_number = |p: &mut ColumnProfile, n: f64| {
        p.numbers += 1;
        p.min = Some(p.min.map_or(n, |m| m.min(n)));
        p.max = Some(p.max.map_or(n, |m| m.max(n)));
    };
    for cell in cells.flatten() {
        match cell {
            Cell::Empty => {}
            Cell::Text(t) if t.trim().is_empty() => {}
            Cell::Text(t) => {
                p.filled += 1;
                *texts.entry(&**t).or_default() += 1;
            }
            Cell::Number(n) => {
                p.filled += 1;
                note_number(&mut p, *n);
                if n.fract() == 0.0 && (0.0..=4.0).contains(n) {
                    p.levels += 1;
                    if *n <= 1.0 {
                        p.flags += 1;
                    }
                }
            }
            Cell::Bool(_) => {
                p.filled += 1;
                p.flags += 1;
                p.account_states += 1;
            }
            Cell::DateTime(_) => {
                p.filled += 1;
                p.dates += 1;
            }
            Cell::Error(_) => p.filled += 1,
        }
    }
    p.distinct = texts.len();
    for (text, count) in texts {
        let k = classify_memo(text, vocab);
        if let Some(shape) = k.date {
            p.dates += count;
            *shapes.entry(shape).or_default() += count;
        }
        if let Some(n) = k.number {
            for _ in 0..count {
                note_number(&mut p, n);
            }
        }
        let add = |flag: bool, field: &mut usize| {
            if flag {
                *field += count;
            }
        };
        add(k.flag, &mut p.flags);
        add(k.email, &mut p.emails);
        add(k.personal_number, &mut p.personal_numbers);
        add(k.employee_id, &mut p.employee_ids);
        add(k.category, &mut p.categories);
        add(k.status, &mut p.statuses);
        add(k.account_state, &mut p.account_states);
        add(k.level, &mut p.levels);
        add(k.course, &mut p.courses);
        add(k.fraction, &mut p.fractions);
    }
    p.date_shape = shapes
        .into_iter()
        .max_by_key(|(s, n)| (*n, std::cmp::Reverse(*s)))
        .map(|(s, _)| s);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`classify`] as first written (a padded copy and a substring search per
    /// category, the parts of every text split, every course key built), the
    /// definition the fast one must agree with.
    fn classify_reference(text: &str, vocab: &Vocabularies) -> TextKind {
        let is_category = |norm: &str| {
            if vocab.generic_categories.iter().any(|g| g == norm) {
                return true;
            }
            let padded = format!(" {norm} ");
            vocab
                .categories
                .iter()
                .zip(&vocab.padded_categories)
                .any(|(s, p)| {
                    s == norm
                        || padded.contains(p.as_str())
                        || (s.len() >= 6 && norm.contains(s.as_str()))
                })
        };
        let is_status_combination = |text: &str| {
            let parts: Vec<String> = status_parts(text);
            parts.len() >= 2 && parts.iter().all(|p| vocab.is_status(p))
        };
        let is_course = |text: &str| {
            let key = course_key(text);
            vocab.courses.iter().any(|c| key.contains(c.as_str()))
        };
        let is_level_range = |t: &str| {
            let parts: Vec<&str> = t.split(['-', '–']).map(str::trim).collect();
            parts.len() == 2
                && parts
                    .iter()
                    .all(|p| p.len() == 1 && p.chars().all(|c| ('0'..='4').contains(&c)))
        };
        let t = text.trim();
        let norm = normalize(t);
        let words = norm.split(' ').filter(|w| !w.is_empty()).count();
        let short = words <= MAX_VOCABULARY_WORDS;
        let digits = t.bytes().any(|b| b.is_ascii_digit());
        let number = if digits { parse_number_text(t) } else { None };
        let date = if number.is_some() || !digits {
            None
        } else {
            parse_datetime_text_as(t, DateOrder::DayFirst)
                .or_else(|| parse_datetime_text_as(t, DateOrder::MonthFirst))
                .map(|(_, s)| s)
        };
        let level = number.is_some_and(|n| n.fract() == 0.0 && (0.0..=4.0).contains(&n))
            || is_level_range(t);
        TextKind {
            date,
            flag: FLAG_WORDS.contains(&norm.as_str())
                || (words <= 2
                    && date.is_none()
                    && number.is_none()
                    && reference_bool(t).is_some()),
            email: is_email(t),
            personal_number: digits && crate::privacy::is_personal_number(t),
            employee_id: digits && is_employee_id(t),
            number,
            category: short && date.is_none() && number.is_none() && is_category(&norm),
            status: short && (vocab.is_status(&norm) || is_status_combination(t)),
            account_state: ACCOUNT_STATES.contains(&norm.as_str())
                || matches!(norm.as_str(), "true" | "false"),
            level,
            course: date.is_none() && number.is_none() && is_course(t),
            fraction: digits && progress_fraction(t).is_some(),
        }
    }

    /// `parse_bool_text` as first written (the date parsers tried on every text).
    fn reference_bool(text: &str) -> Option<bool> {
        let t = normalize(text);
        match t.as_str() {
            "" | "nej" | "n" | "no" | "0" | "falskt" | "false" | "ej" | "inte" | "ej anmäld"
            | "ej anmält" | "ej rapporterad" | "ingen" => Some(false),
            "ja" | "j" | "yes" | "y" | "x" | "1" | "sant" | "true" | "anmäld" | "anmält"
            | "rapporterad" => Some(true),
            _ if matches!(t.split(' ').next(), Some("ja" | "yes")) => Some(true),
            _ if matches!(t.split(' ').next(), Some("nej" | "no" | "ej")) => Some(false),
            _ => {
                let t = text.trim();
                if crate::ingest::value::parse_datetime_text(text).is_some() || t == "✓" || t == "✔"
                {
                    Some(true)
                } else if t == "-" || t == "–" {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    fn kind_fields(k: &TextKind) -> String {
        format!(
            "{:?} {} {} {} {} {:?} {} {} {} {} {} {}",
            k.date,
            k.flag,
            k.email,
            k.personal_number,
            k.employee_id,
            k.number.map(f64::to_bits),
            k.category,
            k.status,
            k.account_state,
            k.level,
            k.course,
            k.fraction
        )
    }

    /// Texts built from the vocabularies and from what exports hold, each also written
    /// with other case, spacing (NBSP), dashes (U+2010–2015, U+2212), underscores,
    /// separators, digits and surrounding words.
    fn texts_to_classify(cfg: &Config) -> Vec<String> {
        let mut base: Vec<String> = [
            "Anders Karlsson",
            "Linnéa Åström",
            "Örjan Ägg",
            "HR-avdelningen",
            "Kansliet",
            "Genomförd",
            "Ej påbörjad",
            "Pågående",
            "In progress, past due",
            "Registered / Past Due",
            "Completed+Passed",
            "completed; failed",
            "ja|nej",
            "Nätfiske",
            "Phishing attempt reported",
            "Misstänkt nätfiske via e-post",
            "Laptop stulen",
            "Stulen bärbar dator",
            "id-kort",
            "ID kort borttappat",
            "siths",
            "Felskick av e-post",
            "fel mottagare",
            "Skadlig kod (virus)",
            "Custom field (Threat)",
            "övrigt",
            "Övrigt ",
            "annat",
            "other",
            "spam",
            "Denial of service",
            "Informationssäkerhet grund",
            "Dataskydd och GDPR – grundkurs",
            "Dataskydd_och_GDPR",
            "informationssakerhet_grund",
            "infosak-grund",
            "Grundläggande informationssäkerhet (e-learning)",
            "Brandskydd",
            "2025-03-14",
            "14/03/2025",
            "03/14/2025 11:40 AM",
            "08/Jan/26 11:25 AM",
            "14 mars 2025",
            "Mar 14, 2025",
            "20250314",
            "45063",
            "45063,5",
            "1 234,5",
            "2-3",
            "1–2",
            "2 - 3",
            "5-6",
            "0",
            "1",
            "4",
            "7",
            "6/8",
            "8 av 8",
            "3 of 5",
            "75 %",
            "100%",
            "E1043",
            "ANST-0042",
            "24000214",
            "19800101-1234",
            "800101-1234",
            "anna.berg@example.se",
            "Bo@exempel.se",
            "x",
            "X",
            "✓",
            "-",
            "–",
            "Ja, anmäld 2025-03-14",
            "Nej – bedömd ej anmälningspliktig",
            "Ej anmäld",
            "active",
            "Avstängd",
            "Guest",
            "TRUE",
            "false",
            "Sant",
            "inf",
            "NaN",
            "infinity",
            "mobil",
            "Mobiltelefon borttappad",
            "telefon",
            "smartphone",
            "Obehörig åtkomst till journal",
            "kapat konto",
            "Σίσυφος ΣΟΦΟΣ",
            "",
            "   ",
            "a",
            "ab",
            "abc",
            "ΣΣΣ",
            "Maj",
            "maj 2025",
            "Ransomware-attack",
            "utpressningsprogram",
            "obehörig",
            "obehörigt",
            "intrång i system",
            "en mycket lång text med många ord om en incident som skadlig kod orsakade",
            "Kurs: Informationssäkerhet grund",
            "mobiltelefonen",
            "virusskydd",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for c in &cfg.incidents.categories {
            base.push(c.label.clone());
            base.extend(c.synonyms.iter().cloned());
        }
        base.extend(cfg.training.values.completed.iter().cloned());
        base.extend(cfg.training.values.not_completed.iter().cloned());
        for m in &cfg.training.mandatory {
            base.extend(m.matches.iter().cloned());
        }
        base.extend(ACCOUNT_STATES.iter().map(|s| s.to_string()));
        let mut out = Vec::new();
        for b in &base {
            out.push(b.clone());
            out.push(b.to_uppercase());
            out.push(b.replace(' ', "\u{a0}"));
            out.push(b.replace(' ', "_"));
            out.push(b.replace(' ', "  "));
            out.push(format!("  {b}\t"));
            for dash in [
                '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
            ] {
                out.push(
                    b.replace('-', &dash.to_string())
                        .replace(' ', &dash.to_string()),
                );
            }
            out.push(format!("{b}, pågående"));
            out.push(format!("{b} / {b}"));
            out.push(format!("Incident: {b} 2025"));
            out.push(format!("x{b}x"));
            out.push(format!("{b}s"));
            out.push(format!("({b})"));
            out.push(format!("{b} (Ja/Nej)"));
            out.push(format!("{b}-2"));
        }
        out
    }

    #[test]
    fn classify_agrees_with_its_first_definition() {
        let mut cfg = Config::default_config();
        let vocabularies = [Vocabularies::new(&cfg), Vocabularies::default(), {
            cfg.training.mandatory.clear();
            Vocabularies::new(&cfg)
        }];
        let cfg = Config::default_config();
        let texts = texts_to_classify(&cfg);
        assert!(texts.len() > 5000, "{}", texts.len());
        let mut categories = 0;
        for vocab in &vocabularies {
            for t in &texts {
                let fast = kind_fields(&classify(t, vocab));
                let reference = kind_fields(&classify_reference(t, vocab));
                assert_eq!(fast, reference, "{t:?}");
                categories += usize::from(classify(t, vocab).category);
            }
        }
        // The texts do reach the categories (the comparison is not of all-false kinds).
        assert!(categories > 500, "{categories}");
    }

    #[test]
    fn remembered_kinds_are_those_of_the_vocabularies_asked() {
        let with_courses = Vocabularies::new(&Config::default_config());
        let mut cfg = Config::default_config();
        cfg.training.mandatory.clear();
        cfg.incidents.categories.clear();
        let without = Vocabularies::new(&cfg);
        let texts = [
            "Grundutbildning informationssäkerhet",
            "Nätfiske – misstänkt länk",
            "2025-03-14",
            "03/14/2025",
            "Åsa Öberg",
            "Åsa\u{a0}Öberg",
            "−5",
            "E\u{2010}1043",
            "✅ Klar",
        ];
        let course = |v: &Vocabularies| classify_memo(texts[0], v).course;
        // Each vocabulary asked in turn on one thread: the memo never answers for the
        // other one.
        for _ in 0..3 {
            for (i, t) in texts.iter().enumerate() {
                for v in [&with_courses, &without] {
                    assert_eq!(
                        kind_fields(&classify_memo(t, v)),
                        kind_fields(&classify(t, v)),
                        "{i}: {t:?}"
                    );
                }
            }
        }
        assert!(course(&with_courses));
        assert!(!course(&without));
        assert_eq!(
            classify_memo(texts[3], &without).date,
            Some(DateShape::Slash)
        );
    }

    fn col(values: &[&str]) -> ColumnProfile {
        let vocab = Vocabularies::new(&Config::default_config());
        let rows: Vec<Vec<Cell>> = values
            .iter()
            .map(|v| vec![Cell::Text((*v).into())])
            .collect();
        profile_columns(&rows, 0, 1, &vocab).remove(0)
    }

    #[test]
    fn categories_are_known_by_their_values() {
        let p = col(&[
            "Nätfiske",
            "Phishing",
            "Malware",
            "Phishing",
            "Laptop stulen",
        ]);
        assert_eq!(p.filled, 5);
        assert_eq!(p.distinct, 4);
        assert_eq!(p.categories, 5);
        assert_eq!(p.statuses, 0);
    }

    #[test]
    fn dates_shapes_emails_and_statuses() {
        let p = col(&["08/Jan/26 11:25 AM", "09/Oct/25 1:42 PM", ""]);
        assert_eq!((p.filled, p.dates), (2, 2));
        assert_eq!(p.date_shape, Some(DateShape::MonthName));
        let p = col(&["01/23/2025 11:40 AM", "02/02/2025 09:00 AM"]);
        assert_eq!(p.dates, 2);
        let p = col(&["anna.berg@example.se", "Bo@exempel.se"]);
        assert_eq!(p.emails, 2);
        let p = col(&[
            "Completed",
            "In progress",
            "Not Started",
            "Passed",
            "In progress, past due",
        ]);
        assert_eq!(p.statuses, 5);
        assert_eq!(p.categories, 0);
        let p = col(&[
            "Informationssäkerhet grund",
            "Dataskydd (GDPR)",
            "Brandskydd",
        ]);
        assert_eq!(p.courses, 2);
        let p = col(&["Ja", "Nej", "Nej"]);
        assert_eq!(p.flags, 3);
        assert_eq!(p.statuses, 0);
        let p = col(&["6/8", "8/8", "8 av 8", "100 %"]);
        assert_eq!((p.fractions, p.dates), (4, 0));
        let p = col(&["2-3", "1", "4"]);
        assert_eq!(p.levels, 3);
        assert!(p.describe().contains("ifyllda"));
    }
}
