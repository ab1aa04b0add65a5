//! Cell values and the parsing of the forms real exports use: Excel serial dates,
//! ISO and Swedish text dates, Ja/Nej/X/1/0 booleans, decimal comma numbers.
//!
//! Parsers return `None` for a value they cannot read; the caller reports it with its
//! place (file, sheet, row, column) and leaves the row out of the KPI it would distort.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// One cell as read from any format.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Text, shared: a workbook's shared strings and a column's repeated values are one
    /// allocation each, however many cells hold them.
    Text(Arc<str>),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    /// A cell holding an Excel error such as #N/A. Shared text like `Text`, which keeps a
    /// cell at 24 bytes (a sheet of millions of cells is held while it is read).
    Error(Arc<str>),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            // Most texts begin with a visible ASCII character: no trim needed.
            Cell::Text(t) => match t.as_bytes().first() {
                Some(b) if b.is_ascii_graphic() => false,
                _ => t.trim().is_empty(),
            },
            _ => false,
        }
    }

    /// The value as the user would read it in the sheet.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => if *b { "SANT" } else { "FALSKT" }.to_string(),
            Cell::DateTime(d) => {
                if d.time() == NaiveTime::MIN {
                    d.format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M").to_string()
                }
            }
            Cell::Error(e) => e.to_string(),
        }
    }

    /// Text content, trimmed; numbers as written. Empty for empty cells.
    pub fn text(&self) -> String {
        self.display()
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        integer_text(n as i64)
    } else {
        format!("{n}")
    }
}

/// An integer's decimal digits (as `format!("{i}")`, without the formatting machinery:
/// employee numbers are written this way for every row of a list).
fn integer_text(i: i64) -> String {
    let mut text = String::new();
    push_integer_text(i, &mut text);
    text
}

/// [`integer_text`] appended to `out` (no text of its own).
pub fn push_integer_text(i: i64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = i.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if i < 0 {
        start -= 1;
        digits[start] = b'-';
    }
    out.extend(digits[start..].iter().map(|&b| char::from(b)));
}

/// The first and last plausible Excel serial dates (1950-01-01 .. 2100-12-31); a number
/// outside this range in a date column is an error, not a date.
const SERIAL_MIN: f64 = 18_264.0;
const SERIAL_MAX: f64 = 73_415.0;

/// Converts an Excel 1900-system serial number to a date-time.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDateTime> {
    if !(SERIAL_MIN..=SERIAL_MAX).contains(&serial) {
        return None;
    }
    // 1899-12-30 is day 0 once Excel's phantom 1900-02-29 is accounted for (all
    // plausible dates lie after it).
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let millis = (serial * 86_400_000.0).round() as i64;
    base.checked_add_signed(chrono::Duration::milliseconds(millis))
}

/// Whether a date with two short numbers before the year is day first (Swedish,
/// `14/03/25`) or month first (US, `03/14/2025`). Decided per column, never per cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// Reads a date (with or without time) from a cell.
pub fn parse_datetime(cell: &Cell) -> Option<NaiveDateTime> {
    parse_datetime_in(cell, DateOrder::DayFirst)
}

/// As [`parse_datetime`], with the column's day/month order.
pub fn parse_datetime_in(cell: &Cell, order: DateOrder) -> Option<NaiveDateTime> {
    match cell {
        Cell::DateTime(d) => Some(*d),
        Cell::Number(n) => from_excel_serial(*n),
        Cell::Text(t) => parse_datetime_text_in(t, order),
        _ => None,
    }
}

/// The order of a column's slash dates: month first when some value can only be read
/// so (a second number above 12), day first otherwise. The flag says whether a value
/// decided it (false: every value reads both ways, or none is a slash date with both
/// numbers at most 12 … in which case day first is a default, not a finding).
pub fn decide_date_order<'a>(texts: impl Iterator<Item = &'a str>) -> (DateOrder, bool) {
    let (mut day_first, mut month_first, mut ambiguous) = (false, false, false);
    for t in texts {
        let date = t.trim().split([' ', 'T']).next().unwrap_or("");
        let date = date.trim_end_matches(',');
        if !date.contains('/') {
            continue;
        }
        let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
        if parts.len() != 3 || parts[0].len() == 4 || !date.contains('/') {
            continue;
        }
        let (Ok(a), Ok(b)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>()) else {
            continue;
        };
        match (a > 12, b > 12) {
            (true, false) => day_first = true,
            (false, true) => month_first = true,
            (false, false) if a != b => ambiguous = true,
            _ => {}
        }
    }
    if month_first && !day_first {
        (DateOrder::MonthFirst, true)
    } else {
        (DateOrder::DayFirst, day_first || !ambiguous)
    }
}

/// Reads a date from text: `2025-03-14`, `2025-03-14 10:22[:33]`, `2025-03-14T10:22`,
/// `14/3/2025`, `14.03.2025`, `14-03-2025`, `2025/03/14`, `20250314`, or a serial number.
pub fn parse_datetime_text(text: &str) -> Option<NaiveDateTime> {
    parse_datetime_text_in(text, DateOrder::DayFirst)
}

/// As [`parse_datetime_text`], with slash dates read in the given order; also Moodle's
/// `14/03/25, 10:22` (a comma after the date) and ISO `2025-03-14T10:22:33.123Z`.
pub fn parse_datetime_text_in(text: &str, order: DateOrder) -> Option<NaiveDateTime> {
    parse_datetime_text_as(text, order).map(|(d, _)| d)
}

/// The shape a text date was written in, for a column's profile: which systems
/// write which, and whether a column's dates agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateShape {
    /// `2025-03-14`, `2025-03-14T10:22:33.123456Z`, `20250314`.
    Iso,
    /// `14/03/2025`, `03/14/2025 11:40 AM`, `14/03/25, 10:22`.
    Slash,
    /// `14.03.2025`.
    Dotted,
    /// `14-03-2025`.
    Dashed,
    /// `08/Jan/26 11:25 AM`, `14 mars 2025`, `Mar 14, 2025`.
    MonthName,
    /// An Excel serial number written as text.
    Serial,
}

impl DateShape {
    pub fn label(self) -> &'static str {
        match self {
            DateShape::Iso => "ÅÅÅÅ-MM-DD",
            DateShape::Slash => "DD/MM/ÅÅÅÅ eller MM/DD/ÅÅÅÅ",
            DateShape::Dotted => "DD.MM.ÅÅÅÅ",
            DateShape::Dashed => "DD-MM-ÅÅÅÅ",
            DateShape::MonthName => "månadens namn (08/Jan/26)",
            DateShape::Serial => "Excel-serienummer",
        }
    }
}

/// As [`parse_datetime_text_in`], also saying the shape the date was written in.
pub fn parse_datetime_text_as(text: &str, order: DateOrder) -> Option<(NaiveDateTime, DateShape)> {
    let t = text.trim().trim_end_matches('Z');
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if let Some(d) = parse_month_name_date(t) {
        return Some((d, DateShape::MonthName));
    }
    let (date_part, time_part) = match t.find([' ', 'T']) {
        Some(i) if i >= 6 => (&t[..i], Some(t[i + 1..].trim())),
        _ => (t, None),
    };
    let date_part = date_part.trim_end_matches(',');
    let (date, shape) = parse_date_part(date_part, order)?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(tp) => parse_time_part(tp)?,
    };
    Some((date.and_time(time), shape))
}

/// Month names and their abbreviations, English and Swedish, lowercase.
const MONTHS: [(&str, u32); 25] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("maj", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
    ("januari", 1),
    ("februari", 2),
    ("mars", 3),
    ("april", 4),
    ("juni", 6),
    ("juli", 7),
    ("augusti", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // The names are ASCII: an ASCII word is compared without a lowercased copy. (Other
    // words are lowercased first: the Kelvin sign lowercases to an ASCII k.)
    if w.is_ascii() {
        let named = |text: &str| {
            MONTHS
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(text))
                .map(|(_, m)| *m)
        };
        return named(w).or_else(|| {
            // English full names: "january", "march", "october".
            (w.len() > 3).then(|| named(&w[..3])).flatten()
        });
    }
    let w = w.to_lowercase();
    if let Some((_, m)) = MONTHS.iter().find(|(n, _)| *n == w) {
        return Some(*m);
    }
    // English full names: "january", "march", "october".
    (w.len() > 3)
        .then(|| w.get(..3))
        .flatten()
        .and_then(|abbr| MONTHS.iter().find(|(n, _)| *n == abbr))
        .filter(|_| w.is_ascii())
        .map(|(_, m)| *m)
}

/// A date with the month's name: Jira's `08/Jan/26 11:25 AM`, `14-Mar-2025`,
/// `14 mars 2025`, `Mar 14, 2025 10:22`.
fn parse_month_name_date(t: &str) -> Option<NaiveDateTime> {
    if !t.chars().any(|c| c.is_alphabetic()) || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // Taken one by one: no list of tokens is built for the many texts that are no date.
    let mut tokens = t.split(['/', '-', ' ', ',']).filter(|s| !s.is_empty());
    let (Some(first), Some(second), Some(third)) = (tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    let (month, day_tok) = match month_number(first) {
        Some(m) => (m, second),
        None => (month_number(second)?, first),
    };
    let year_tok = third;
    let day: u32 = day_tok.trim_end_matches('.').parse().ok()?;
    let year: i32 = match year_tok.len() {
        2 => 2000 + year_tok.parse::<i32>().ok()?,
        4 => year_tok.parse().ok()?,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    if !(1950..=2100).contains(&date.year()) {
        return None;
    }
    let rest: Vec<&str> = tokens.collect();
    let time = if rest.is_empty() {
        NaiveTime::MIN
    } else {
        parse_time_part(&rest.join(" "))?
    };
    Some(date.and_time(time))
}

fn parse_date_part(s: &str, order: DateOrder) -> Option<(NaiveDate, DateShape)> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d")
            .ok()
            .map(|d| (d, DateShape::Iso));
    }
    let serial = if s.contains(',') {
        s.replace(',', ".").parse::<f64>()
    } else {
        s.parse::<f64>()
    };
    if let Ok(serial) = serial {
        return from_excel_serial(serial).map(|d| (d.date(), DateShape::Serial));
    }
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut split = s.split(sep);
    let (Some(p0), Some(p1), Some(p2), None) =
        (split.next(), split.next(), split.next(), split.next())
    else {
        return None;
    };
    let parts = [p0, p1, p2];
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut nums = [0u32; 3];
    for (n, p) in nums.iter_mut().zip(parts) {
        *n = p.parse().ok()?;
    }
    let month_first = order == DateOrder::MonthFirst && sep == '/';
    let (dm, mm) = if month_first {
        (nums[1], nums[0])
    } else {
        (nums[0], nums[1])
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (nums[0] as i32, nums[1], nums[2])
    } else if parts[2].len() == 4 {
        // Swedish and European order: day first, unless the column says otherwise.
        (nums[2] as i32, mm, dm)
    } else if parts[2].len() == 2 && sep != '-' {
        (2000 + nums[2] as i32, mm, dm)
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let shape = match sep {
        _ if parts[0].len() == 4 => DateShape::Iso,
        '/' => DateShape::Slash,
        '.' => DateShape::Dotted,
        _ => DateShape::Dashed,
    };
    (1950..=2100)
        .contains(&date.year())
        .then_some((date, shape))
}

/// `10:22`, `10:22:33.123456`, `10.22`, `11:25 AM`, `1:42 PM`, `10:22+01:00`.
fn parse_time_part(s: &str) -> Option<NaiveTime> {
    let s = s.split(['+', 'Z']).next()?.trim();
    // "AM"/"PM" in any case; the clock itself is digits (no copy lowercased).
    let ends_with = |suffix: &str| {
        s.len() >= 2
            && s.is_char_boundary(s.len() - 2)
            && s[s.len() - 2..].eq_ignore_ascii_case(suffix)
    };
    let (clock, pm) = if ends_with("pm") {
        (s[..s.len() - 2].trim().trim_end_matches('.'), Some(true))
    } else if ends_with("am") {
        (s[..s.len() - 2].trim().trim_end_matches('.'), Some(false))
    } else {
        (s, None)
    };
    for f in ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M", "%H.%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(clock, f) {
            return match pm {
                None => Some(t),
                Some(pm) => {
                    use chrono::Timelike;
                    let h = t.hour();
                    if !(1..=12).contains(&h) {
                        return None;
                    }
                    let h24 = match (pm, h) {
                        (false, 12) => 0,
                        (false, h) => h,
                        (true, 12) => 12,
                        (true, h) => h + 12,
                    };
                    t.with_hour(h24)
                }
            };
        }
    }
    None
}

/// Reads a yes/no value. Blank means no; an unknown text is `None`.
pub fn parse_bool(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Empty => Some(false),
        Cell::Bool(b) => Some(*b),
        Cell::Number(n) if *n == 1.0 => Some(true),
        Cell::Number(n) if *n == 0.0 => Some(false),
        // A date in a yes/no column ("Anmäld till IMY: 2025-03-14") means yes.
        Cell::DateTime(_) => Some(true),
        Cell::Text(t) => parse_bool_text(t),
        _ => None,
    }
}

pub fn parse_bool_text(text: &str) -> Option<bool> {
    // A short word of ASCII letters and digits ("Ja", "NEJ", "x", "1") normalises to
    // itself lowercased: no copy of it is made.
    let t = text.trim();
    let mut word = [0u8; 16];
    if let Some(word) = word.get_mut(..t.len()) {
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            word.copy_from_slice(t.as_bytes());
            word.make_ascii_lowercase();
            if let Ok(lower) = std::str::from_utf8(word) {
                return parse_bool_normalized(text, lower);
            }
        }
    }
    parse_bool_normalized(text, &crate::textnorm::normalize(text))
}

/// [`parse_bool_text`] of a text whose normalised form (`normalize(text)`) the caller
/// has already made.
pub fn parse_bool_normalized(text: &str, t: &str) -> Option<bool> {
    match t {
        "" | "nej" | "n" | "no" | "0" | "falskt" | "false" | "ej" | "inte" | "ej anmäld"
        | "ej anmält" | "ej rapporterad" | "ingen" => Some(false),
        "ja" | "j" | "yes" | "y" | "x" | "1" | "sant" | "true" | "anmäld" | "anmält"
        | "rapporterad" => Some(true),
        // "Ja, anmäld 2025-03-14", "Nej – bedömd ej anmälningspliktig": the first word
        // answers the question.
        _ if matches!(t.split(' ').next(), Some("ja" | "yes")) => Some(true),
        _ if matches!(t.split(' ').next(), Some("nej" | "no" | "ej")) => Some(false),
        _ => {
            let t = text.trim();
            // A date has a digit (its day): a text without one is spared the parsers.
            let digits = t.bytes().any(|b| b.is_ascii_digit());
            if (digits && parse_datetime_text(text).is_some()) || t == "✓" || t == "✔" {
                Some(true)
            } else if t == "-" || t == "–" {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// Reads a number: numeric cells, or text with decimal comma and thousands spaces.
pub fn parse_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) if n.is_finite() => Some(*n),
        Cell::Text(t) => parse_number_text(t),
        Cell::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

pub fn parse_number_text(text: &str) -> Option<f64> {
    let t = text.trim();
    // A number's text holds digits, signs, separators and an exponent only (the words
    // `parse` also takes, inf and NaN, are not finite): anything else is no number.
    let mut plain = true;
    for b in t.bytes() {
        match b {
            b'0'..=b'9' | b'+' | b'-' | b'.' | b'e' | b'E' => {}
            b',' | b' ' | b'\'' => plain = false,
            // The no-break spaces U+00A0 and U+202F, in UTF-8.
            0xC2 | 0xA0 | 0xE2 | 0x80 | 0xAF => plain = false,
            _ => return None,
        }
    }
    if plain {
        return t.parse::<f64>().ok().filter(|n| n.is_finite());
    }
    parse_separated_number(t)
}

/// A number written with spaces, apostrophes or commas: those cleaned away, the last
/// of a comma and a dot taken as the decimal point (the general way of
/// [`parse_number_text`]).
fn parse_separated_number(t: &str) -> Option<f64> {
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let cleaned = if cleaned.contains(',') && cleaned.contains('.') {
        // "1.234,5" (thousands dot) or "1,234.5" (thousands comma): the last one is decimal.
        if cleaned.rfind(',') > cleaned.rfind('.') {
            cleaned.replace('.', "").replace(',', ".")
        } else {
            cleaned.replace(',', "")
        }
    } else {
        cleaned.replace(',', ".")
    };
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse_number_text` with its quick refusal and copy-free plain path agrees with
    /// its first definition (clean, swap separators, parse: `parse_separated_number`)
    /// on texts of every kind.
    #[test]
    fn number_texts_are_read_as_first_defined() {
        // The first definition: every text the general way.
        let reference = |text: &str| parse_separated_number(text.trim());
        let parts = [
            "",
            "1",
            "12",
            "-",
            "+",
            ".",
            ",",
            "e",
            "E",
            "5",
            " ",
            "\u{a0}",
            "\u{202f}",
            "'",
            "inf",
            "NaN",
            "infinity",
            "\u{2212}",
            "\u{2020}",
            "å",
            "x",
            "0",
            "3,5",
            "1.234",
            "\t",
            "–",
            "E1043",
            "2025-03-14",
        ];
        let mut texts = Vec::new();
        for a in parts {
            for b in parts {
                for c in ["", "7", ",25", " 000", "e3", "-"] {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!(" {a}9{b}{c} "));
                }
            }
        }
        for t in &texts {
            let (got, want) = (parse_number_text(t), reference(t));
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{t:?}");
        }
    }

    /// A yes/no text read without a normalised copy reads as with one.
    #[test]
    fn yes_no_words_are_read_as_with_their_normalised_form() {
        let pieces = [
            "",
            " ",
            "Ja",
            "NEJ",
            "j",
            "X",
            "1",
            "0",
            "yes",
            "No",
            "SANT",
            "ej",
            ".",
            "\u{a0}",
            "Å",
            "anmäld",
            "2025-03-14",
            "(Ja)",
            "✓",
            "–",
            "ABCDEFGHIJKLMNOPQ",
            "9",
        ];
        for a in pieces {
            for b in pieces {
                let text = format!("{a}{b}");
                let reference = parse_bool_normalized(&text, &crate::textnorm::normalize(&text));
                assert_eq!(parse_bool_text(&text), reference, "{text:?}");
            }
        }
    }

    /// `month_number` without lowercased copies agrees with its first definition.
    #[test]
    fn month_names_are_read_as_first_defined() {
        fn reference(word: &str) -> Option<u32> {
            let w = word.trim_end_matches('.').to_lowercase();
            if let Some((_, m)) = MONTHS.iter().find(|(n, _)| *n == w) {
                return Some(*m);
            }
            (w.len() > 3)
                .then(|| w.get(..3))
                .flatten()
                .and_then(|abbr| MONTHS.iter().find(|(n, _)| *n == abbr))
                .filter(|_| w.is_ascii())
                .map(|(_, m)| *m)
        }
        let mut words: Vec<String> = vec![
            "",
            ".",
            "Jan",
            "jan.",
            "JANUARY",
            "January.",
            "Mars",
            "maj",
            "MAJ",
            "May",
            "Okt",
            "october",
            "Oct.",
            "Sept",
            "sep",
            "dec..",
            "Dece",
            "ju",
            "jul",
            "Juli",
            "Juni",
            "Junix",
            "Augusti",
            "Aug",
            "mar",
            "Mär",
            "März",
            "O\u{212A}T",
            "O\u{212A}TOBER",
            "Ärz",
            "ÅPRIL",
            "abc",
            "12",
            "x",
            "mayo",
            "Noviembre",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        for (name, _) in MONTHS {
            words.push(name.to_string());
            words.push(name.to_uppercase());
            words.push(format!("{name}."));
            words.push(format!("{name}x"));
        }
        for w in &words {
            assert_eq!(month_number(w), reference(w), "{w:?}");
        }
        assert_eq!(month_number("O\u{212A}T"), Some(10));
        assert_eq!(
            parse_datetime_text("08/Jan/26 11:25 AM").map(|d| d.date()),
            NaiveDate::from_ymd_opt(2026, 1, 8)
        );
        assert_eq!(
            parse_datetime_text("45063").map(|d| d.date()),
            NaiveDate::from_ymd_opt(2023, 5, 17)
        );
        assert_eq!(
            parse_datetime_text("45063,5").map(|d| d.date()),
            NaiveDate::from_ymd_opt(2023, 5, 17)
        );
    }

    #[test]
    fn whole_numbers_are_written_as_format_writes_them() {
        for i in [
            0i64,
            1,
            -1,
            9,
            10,
            24_000_214,
            -987_654_321,
            999_999_999_999_999,
            -999_999_999_999_999,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(integer_text(i), format!("{i}"));
        }
        assert_eq!(Cell::Number(24000214.0).text(), "24000214");
        assert_eq!(Cell::Number(-0.0).text(), "0");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }

    #[test]
    fn a_cell_is_24_bytes() {
        // A sheet is held as rows of cells while it is read; every variant beyond 16
        // bytes of payload would grow millions of them.
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }

    fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn text_dates_in_every_form_the_spec_names() {
        let want = dt(2025, 3, 14, 0, 0);
        for t in [
            "2025-03-14",
            "14/3/2025",
            "14.03.2025",
            "14-03-2025",
            "2025/03/14",
            "20250314",
            " 2025-03-14 ",
        ] {
            assert_eq!(parse_datetime_text(t), Some(want), "{t}");
        }
        assert_eq!(
            parse_datetime_text("2025-03-14 10:22"),
            Some(dt(2025, 3, 14, 10, 22))
        );
        assert_eq!(
            parse_datetime_text("2025-03-14T10:22:00"),
            Some(dt(2025, 3, 14, 10, 22))
        );
        assert_eq!(
            parse_datetime_text("14.03.2025 10:22"),
            Some(dt(2025, 3, 14, 10, 22))
        );
    }

    #[test]
    fn dates_as_the_systems_write_them() {
        assert_eq!(
            parse_datetime_text("14/03/25, 10:22"),
            Some(dt(2025, 3, 14, 10, 22))
        );
        assert_eq!(
            parse_datetime_text("2025-03-14T10:22:33.123Z"),
            Some(dt(2025, 3, 14, 10, 22) + chrono::Duration::milliseconds(33_123))
        );
        assert_eq!(
            parse_datetime_text_in("03/14/2025", DateOrder::MonthFirst),
            Some(dt(2025, 3, 14, 0, 0))
        );
        assert_eq!(parse_datetime_text("03/14/2025"), None);
        let (o, decided) = decide_date_order(["03/14/2025", "04/01/2025"].into_iter());
        assert_eq!((o, decided), (DateOrder::MonthFirst, true));
        let (o, decided) = decide_date_order(["03/04/25", "05/06/25"].into_iter());
        assert_eq!((o, decided), (DateOrder::DayFirst, false));
        let (o, decided) = decide_date_order(["14/03/25, 10:22"].into_iter());
        assert_eq!((o, decided), (DateOrder::DayFirst, true));
    }

    #[test]
    fn dates_with_month_names_am_pm_and_microseconds() {
        assert_eq!(
            parse_datetime_text("08/Jan/26 11:25 AM"),
            Some(dt(2026, 1, 8, 11, 25))
        );
        assert_eq!(
            parse_datetime_text("09/Oct/25 1:42 PM"),
            Some(dt(2025, 10, 9, 13, 42))
        );
        assert_eq!(
            parse_datetime_text("12/Dec/25 12:05 AM"),
            Some(dt(2025, 12, 12, 0, 5))
        );
        assert_eq!(
            parse_datetime_text_in("01/23/2025 11:40 AM", DateOrder::MonthFirst),
            Some(dt(2025, 1, 23, 11, 40))
        );
        let (o, decided) = decide_date_order(["01/23/2025 11:40 AM"].into_iter());
        assert_eq!((o, decided), (DateOrder::MonthFirst, true));
        assert_eq!(
            parse_datetime_text("2025-03-04T08:15:02.123456Z").map(|d| d.date()),
            NaiveDate::from_ymd_opt(2025, 3, 4)
        );
        assert_eq!(
            parse_datetime_text("14 mars 2025"),
            Some(dt(2025, 3, 14, 0, 0))
        );
        assert_eq!(
            parse_datetime_text("Mar 14, 2025"),
            Some(dt(2025, 3, 14, 0, 0))
        );
        assert_eq!(
            parse_datetime_text_as("08/Jan/26", DateOrder::DayFirst).map(|x| x.1),
            Some(DateShape::MonthName)
        );
        assert_eq!(parse_datetime_text("Phishing mars"), None);
        assert_eq!(parse_datetime_text("13:00 PM"), None);
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for t in [
            "2025-13-45",
            "31/02/2025",
            "igår",
            "2025",
            "14/3",
            "1/2/3/4",
        ] {
            assert_eq!(parse_datetime_text(t), None, "{t}");
        }
    }

    #[test]
    fn excel_serials_in_1900_system() {
        assert_eq!(from_excel_serial(45730.0), Some(dt(2025, 3, 14, 0, 0)));
        assert_eq!(from_excel_serial(45730.5), Some(dt(2025, 3, 14, 12, 0)));
        assert_eq!(
            parse_datetime(&Cell::Number(45730.0)),
            Some(dt(2025, 3, 14, 0, 0))
        );
        assert_eq!(from_excel_serial(3.0), None);
        assert_eq!(parse_datetime_text("45730"), Some(dt(2025, 3, 14, 0, 0)));
    }

    #[test]
    fn booleans_as_exports_write_them() {
        for t in ["Ja", "JA", "X", "x", "1", "Yes", "Sant", "true"] {
            assert_eq!(parse_bool(&Cell::Text(t.into())), Some(true), "{t}");
        }
        for t in ["Nej", "NEJ", "0", "No", "Falskt", "", "  ", "-"] {
            assert_eq!(parse_bool(&Cell::Text(t.into())), Some(false), "{t}");
        }
        assert_eq!(parse_bool(&Cell::Empty), Some(false));
        assert_eq!(parse_bool(&Cell::Number(1.0)), Some(true));
        assert_eq!(parse_bool(&Cell::Text("kanske".into())), None);
        assert_eq!(
            parse_bool(&Cell::Text("Ja, anmäld 2025-03-14".into())),
            Some(true)
        );
        assert_eq!(
            parse_bool(&Cell::Text("Nej – bedömd ej anmälningspliktig".into())),
            Some(false)
        );
        assert_eq!(parse_bool(&Cell::Text("Jag vet inte".into())), None);
    }

    #[test]
    fn numbers_with_decimal_comma_and_thousands_spaces() {
        assert_eq!(parse_number_text("3,5"), Some(3.5));
        assert_eq!(parse_number_text("1 234,5"), Some(1234.5));
        assert_eq!(parse_number_text("1\u{a0}234"), Some(1234.0));
        assert_eq!(parse_number_text("1.234,5"), Some(1234.5));
        assert_eq!(parse_number_text("12"), Some(12.0));
        assert_eq!(parse_number_text("hög"), None);
    }
}
