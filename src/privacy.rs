//! The privacy rule of SPEC §4.2, in one place: what may leave the program as text.
//!
//! Input text reaches an output only as a name from a safe vocabulary (units, courses,
//! categories, titles of activities, assets, risks and actions), and even then it is
//! [`screen`]ed: anything shaped like a personnummer or samordningsnummer, an e-mail
//! address or a telephone number is replaced by what it is. A value that failed to parse
//! is never shown at all, only [`describe`]d ("ser ut som ett personnummer", "text,
//! 23 tecken"). Names of files, sheets and columns are screened the same way.
//!
//! The same module cleans names that become titles and file names: control characters,
//! bidirectional overrides and line breaks removed ([`clean_name`]).
//!
//! Bottom layer beside `schema` and `textnorm`: imports nothing of the crate.

/// An identifier found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierKind {
    PersonalNumber,
    Email,
    Phone,
}

impl IdentifierKind {
    /// What a screened text shows instead of the identifier.
    pub fn placeholder(self) -> &'static str {
        match self {
            IdentifierKind::PersonalNumber => "[personnummer]",
            IdentifierKind::Email => "[e-postadress]",
            IdentifierKind::Phone => "[telefonnummer]",
        }
    }

    /// "ett personnummer", "en e-postadress", "ett telefonnummer".
    pub fn with_article(self) -> &'static str {
        match self {
            IdentifierKind::PersonalNumber => "ett personnummer",
            IdentifierKind::Email => "en e-postadress",
            IdentifierKind::Phone => "ett telefonnummer",
        }
    }
}

/// One identifier in a text: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    kind: IdentifierKind,
    start: usize,
    end: usize,
}

/// Byte ranges of every identifier in `text`, in order, not overlapping.
fn find_all(text: &str) -> Vec<Found> {
    let mut found = emails(text);
    for f in number_runs(text) {
        if !found.iter().any(|e| f.start < e.end && e.start < f.end) {
            found.push(f);
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

fn is_email_local(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_email_domain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// `local@domain.tld`, the way people type them (letters beyond ASCII allowed).
fn emails(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_email_local(*c))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(at);
        let after = &text[at + 1..];
        let len = after
            .char_indices()
            .take_while(|(_, c)| is_email_domain(*c))
            .last()
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let domain = after[..len].trim_end_matches(['.', '-']);
        if start < at
            && domain.contains('.')
            && !domain.starts_with('.')
            && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2)
        {
            let end = at + 1 + domain.len();
            if !out.iter().any(|f: &Found| f.end > start) {
                out.push(Found {
                    kind: IdentifierKind::Email,
                    start,
                    end,
                });
            }
        }
    }
    out
}

/// Runs of digits with the separators people type inside personnummer and telephone
/// numbers (space, hyphen, plus, parentheses), bounded by anything but letters and
/// digits, then judged by their shape.
fn number_runs(text: &str) -> Vec<Found> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let opens = c.is_ascii_digit() || ((c == '+' || c == '(') && next_is_digit(&chars, i));
        let bounded = i == 0 || !chars[i - 1].1.is_alphanumeric();
        if !(opens && bounded) {
            i += 1;
            continue;
        }
        // Extend over digits and single separators between digits.
        let mut j = i + 1;
        let mut last_digit = if c.is_ascii_digit() { i } else { usize::MAX };
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_ascii_digit() {
                last_digit = j;
                j += 1;
            } else if matches!(
                c,
                ' ' | '-' | '+' | '(' | ')' | '\u{a0}' | '\u{2010}' | '\u{2011}'
            ) && j > i
                && next_is_digit_within(&chars, j, 2)
            {
                j += 1;
            } else {
                break;
            }
        }
        if last_digit == usize::MAX {
            i += 1;
            continue;
        }
        let end_index = last_digit + 1;
        let bounded_after = chars
            .get(end_index)
            .is_none_or(|(_, c)| !c.is_alphanumeric());
        let end = chars.get(end_index).map(|(b, _)| *b).unwrap_or(text.len());
        let run = &text[start..end];
        if bounded_after {
            out.extend(judge(run, start));
        }
        i = end_index.max(i + 1);
    }
    out
}

fn next_is_digit(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|(_, c)| c.is_ascii_digit())
}

/// A digit follows within `n` characters (allows "070 - 123").
fn next_is_digit_within(chars: &[(usize, char)], i: usize, n: usize) -> bool {
    chars[i + 1..]
        .iter()
        .take(n)
        .any(|(_, c)| c.is_ascii_digit())
}

/// What a run of digits and separators is, if it is an identifier. A run may hold a
/// personnummer inside a longer phrase of numbers ("850312-5678 2025"), so the run's
/// space-separated parts are judged too.
fn judge(run: &str, offset: usize) -> Vec<Found> {
    if let Some(kind) = judge_whole(run) {
        return vec![Found {
            kind,
            start: offset,
            end: offset + run.len(),
        }];
    }
    let mut out = Vec::new();
    let mut pos = 0;
    for part in run.split(' ') {
        if is_personal_number(part) {
            out.push(Found {
                kind: IdentifierKind::PersonalNumber,
                start: offset + pos,
                end: offset + pos + part.len(),
            });
        }
        pos += part.len() + 1;
    }
    out
}

fn judge_whole(run: &str) -> Option<IdentifierKind> {
    let trimmed = run.trim();
    if is_personal_number(trimmed) {
        return Some(IdentifierKind::PersonalNumber);
    }
    let digits = trimmed.chars().filter(|c| c.is_ascii_digit()).count();
    let first = trimmed.trim_start_matches('(').chars().next();
    // Swedish numbers start with 0 (070-…, 08-…) or +46; 8 to 15 digits in all.
    if matches!(first, Some('0') | Some('+')) && (8..=15).contains(&digits) {
        // "2025-03-14"-like dates never start with 0 or +; an ISO date with a leading
        // zero year is not a phone number people write, but is harmless to mask.
        return Some(IdentifierKind::Phone);
    }
    None
}

/// `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, and the
/// same with day + 60 (samordningsnummer). The month must be 01–12 and the day 01–31
/// (or 61–91), so a 10-digit case number rarely matches by accident.
pub fn is_personal_number(text: &str) -> bool {
    let t = text.trim();
    let (date, rest): (&str, &str) = match t.find(['-', '+']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        // Slicing by bytes below: only digits may be sliced ("Riskvärde" is 10 bytes).
        None if !t.bytes().all(|b| b.is_ascii_digit()) => return false,
        None => match t.len() {
            10 => (&t[..6], &t[6..]),
            12 => (&t[..8], &t[8..]),
            _ => return false,
        },
    };
    if !(date.len() == 6 || date.len() == 8)
        || rest.len() != 4
        || !date.bytes().chain(rest.bytes()).all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let d = &date[date.len() - 6..];
    let month: u32 = d[2..4].parse().unwrap_or(0);
    let day: u32 = d[4..6].parse().unwrap_or(0);
    if date.len() == 8 && !matches!(&date[..2], "18" | "19" | "20") {
        return false;
    }
    (1..=12).contains(&month) && ((1..=31).contains(&day) || (61..=91).contains(&day))
}

/// `text` with every identifier replaced by what it is ("[personnummer]"), control
/// characters and bidirectional overrides removed, and line breaks made spaces.
pub fn screen(text: &str) -> String {
    let text = strip_controls(text);
    let found = find_all(&text);
    if found.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        out.push_str(&text[at..f.start]);
        out.push_str(f.kind.placeholder());
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Characters that rewrite how text around them is shown: bidirectional overrides and
/// isolates, zero-width characters, byte order marks.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}'
    )
}

/// Line breaks and tabs become spaces; other control and format characters are removed.
fn strip_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}') {
            out.push(' ');
        } else if !c.is_control() && !is_invisible_format(c) {
            out.push(c);
        }
    }
    out
}

/// A text as it may be shown in a problem description instead of its value: what kind
/// of value it looks like and how long it is, never the value itself.
pub fn describe_text(text: &str) -> String {
    let t = text.trim();
    let chars = t.chars().count();
    if t.is_empty() {
        return "tomt".to_string();
    }
    let found = find_all(t);
    if let Some(f) = found.first() {
        if f.start == 0 && f.end == t.len() {
            return format!("ser ut som {}", f.kind.with_article());
        }
        return format!(
            "text som innehåller {}, {chars} tecken",
            f.kind.with_article()
        );
    }
    if t.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | ',' | '/' | ':' | '+'))
    {
        return format!("siffror, {chars} tecken");
    }
    let words = t.split_whitespace().count();
    if words > 1 {
        format!("text, {words} ord, {chars} tecken")
    } else {
        format!("text, {chars} tecken")
    }
}

/// The most characters Excel holds in one cell.
pub const EXCEL_CELL_CHARS: usize = 32_767;

/// `text` cut to what one Excel cell holds, ending in "…" when cut; `None` when it fits.
pub fn fit_cell(text: &str) -> Option<String> {
    // Byte length bounds the character count from above: most texts need no count.
    if text.len() <= EXCEL_CELL_CHARS || text.chars().count() <= EXCEL_CELL_CHARS {
        return None;
    }
    Some(shorten(text, EXCEL_CELL_CHARS))
}

/// The longest name kept for a unit (file names stay within 255 bytes with the
/// "Ledningens genomgång YYYY - " prefix and ".xlsx").
pub const MAX_NAME_CHARS: usize = 80;

/// A unit or other display name made safe for titles, file names and Markdown: control
/// and bidirectional characters removed, whitespace collapsed, identifiers screened,
/// and shortened to [`MAX_NAME_CHARS`] characters (with "…").
pub fn clean_name(name: &str) -> String {
    let screened = screen(name);
    let collapsed = screened.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten(&collapsed, MAX_NAME_CHARS)
}

/// `text` cut to at most `max` characters, ending in "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Words that make an owner text a function or body rather than a person.
const FUNCTION_WORDS: [&str; 24] = [
    "chef",
    "ansvarig",
    "samordnare",
    "enhet",
    "förvaltning",
    "avdelning",
    "ägare",
    "ledning",
    "direktör",
    "handläggare",
    "ombud",
    "grupp",
    "funktion",
    "sektion",
    "nämnd",
    "it",
    "förvaltare",
    "controller",
    "strateg",
    "administratör",
    "ledare",
    "kansli",
    "stab",
    "team",
];

/// An owner or responsible as management may see it: a function ("IT-chef", "ISAM",
/// "Förvaltningsledningen") as written, but never a person's name, e-mail address or
/// identifier — those become "(namngiven person)". Owners are shown so the review says
/// who owns a risk or an action; the workbook holds no personal data (SPEC §4.2).
pub fn owner_label(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let person = "(namngiven person)".to_string();
    // An identifier, or one already screened to "[e-postadress]" and the like.
    if screen(&t) != t || t.contains('[') || t.chars().filter(|c| c.is_ascii_digit()).count() >= 6 {
        return person;
    }
    let lower = crate::textnorm::fold_diacritics(&t);
    let words: Vec<&str> = t
        .split([' ', '/', ',', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    let is_function = FUNCTION_WORDS
        .iter()
        .any(|w| lower.contains(&crate::textnorm::fold_diacritics(w)))
        || words
            .iter()
            .all(|w| w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()));
    // "Anna Andersson", "Karl-Erik Öberg": two or three capitalised words of letters.
    let looks_like_name = (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        });
    if looks_like_name && !is_function {
        person
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_numbers_in_every_form_are_found() {
        for pn in [
            "850312-5678",
            "850312+5678",
            "8503125678",
            "19850312-5678",
            "198503125678",
            "850372-5678",
        ] {
            assert!(is_personal_number(pn), "{pn}");
            assert_eq!(
                screen(&format!("Felskick till Anna {pn}")),
                "Felskick till Anna [personnummer]"
            );
        }
        assert!(!is_personal_number("2025-03-14"));
        assert!(!is_personal_number("1234567890"));
    }

    #[test]
    fn owners_are_functions_never_persons() {
        assert_eq!(owner_label("IT-chef"), "IT-chef");
        assert_eq!(owner_label("ISAM"), "ISAM");
        assert_eq!(
            owner_label("Förvaltningsledningen"),
            "Förvaltningsledningen"
        );
        assert_eq!(owner_label("Anna Andersson"), "(namngiven person)");
        assert_eq!(owner_label("anna.andersson@stad.se"), "(namngiven person)");
        assert_eq!(owner_label("Avdelningschef Anna"), "Avdelningschef Anna");
    }

    #[test]
    fn emails_and_phones_are_screened() {
        assert_eq!(
            screen("mejl till anna.andersson@stad.se idag"),
            "mejl till [e-postadress] idag"
        );
        assert_eq!(screen("ring 070-123 45 67."), "ring [telefonnummer].");
        assert_eq!(screen("+46 70 123 45 67"), "[telefonnummer]");
        assert_eq!(screen("08-123 456 78"), "[telefonnummer]");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for t in [
            "Nätfiske 2025",
            "Risk 12: obehörig åtkomst",
            "2025-03-14",
            "Åtgärd A-12 (klar 2025-06-30)",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "Kurs 1",
            "@",
        ] {
            assert_eq!(screen(t), t, "{t}");
        }
    }

    #[test]
    fn values_are_described_not_shown() {
        assert_eq!(describe_text("850312-5678"), "ser ut som ett personnummer");
        assert_eq!(describe_text("a@b.se"), "ser ut som en e-postadress");
        assert_eq!(describe_text("Anna Andersson"), "text, 2 ord, 14 tecken");
        assert_eq!(describe_text("Kanske"), "text, 6 tecken");
        assert_eq!(describe_text("31/02/2025"), "siffror, 10 tecken");
    }

    #[test]
    fn names_lose_controls_and_length() {
        assert_eq!(clean_name("Kungs\u{202E}holmen\n"), "Kungsholmen");
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), MAX_NAME_CHARS);
    }
}
