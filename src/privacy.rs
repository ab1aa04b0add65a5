//! The privacy rule of SPEC §4.2, in one place: what may leave the program as text.
//!
//! Input text reaches an output only as a name from a safe vocabulary (units, courses,
//! categories, titles of activities, assets, risks and actions), and even then it is
//! [`screen`]ed: anything shaped like a personnummer or samordningsnummer, an e-mail
//! address, a telephone number or a person's name is replaced by what it is ([`names`]).
//! A value that failed to parse
//! is never shown at all, only [`describe`]d ("ser ut som ett personnummer", "text,
//! 23 tecken"). Names of files, sheets and columns are screened the same way.
//!
//! The same module cleans names that become titles and file names: control characters,
//! bidirectional overrides and line breaks removed ([`clean_name`]).
//!
//! Every function here is char-safe: text is cut only at positions found by
//! `char_indices` or at ASCII characters, whatever Unicode the input holds.
//!
//! Bottom layer beside `schema` and `textnorm`: imports nothing of the crate above them.

pub mod names;

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
            } else if is_number_separator(c) && j > i && next_is_digit_within(&chars, j, 2) {
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

/// Characters people (and Word's autocorrect, and Excel) put between the digits of a
/// personnummer or a telephone number: spaces of every width, hyphens and dashes, the
/// minus sign, dots, slashes, plus and parentheses.
fn is_number_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '+'
            | '('
            | ')'
            | '.'
            | '/'
            | '\u{a0}'
            | '\u{2007}'
            | '\u{2009}'
            | '\u{202f}'
            | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// A separator between the date and the number of a personnummer: the hyphen and plus
/// of the standard, and whatever else people type there.
fn is_pn_separator(c: char) -> bool {
    c != '(' && c != ')' && c != '/' && is_number_separator(c)
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
    // Parts split at spaces of any width; positions are char boundaries.
    let mut out = Vec::new();
    let mut part_start: Option<usize> = None;
    let ends = run
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .chain(std::iter::once((run.len(), None)));
    for (i, c) in ends {
        let space = c.is_none_or(|c| c.is_whitespace() || c == '\u{a0}');
        match (space, part_start) {
            (false, None) => part_start = Some(i),
            (true, Some(s)) => {
                if is_personal_number(&run[s..i]) {
                    out.push(Found {
                        kind: IdentifierKind::PersonalNumber,
                        start: offset + s,
                        end: offset + i,
                    });
                }
                part_start = None;
            }
            _ => {}
        }
    }
    out
}

fn judge_whole(run: &str) -> Option<IdentifierKind> {
    let trimmed = run.trim();
    if is_personal_number(trimmed) {
        return Some(IdentifierKind::PersonalNumber);
    }
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let n = digits.len();
    let first = trimmed.trim_start_matches('(').chars().next();
    if looks_like_date(trimmed) {
        return None;
    }
    // Swedish numbers start with 0 (070-…, 08-…) or +46; 8 to 15 digits in all.
    if matches!(first, Some('0') | Some('+')) && (8..=15).contains(&n) {
        return Some(IdentifierKind::Phone);
    }
    // As Excel stores them: the country code without "+" (46701234567, 468123456),
    // or the leading 0 dropped from a mobile number (701234567).
    let country =
        digits.starts_with("46") && !digits[2..].starts_with('0') && (10..=12).contains(&n);
    let mobile = n == 9 && matches!(&digits[..2], "70" | "72" | "73" | "76" | "79");
    (first.is_some_and(|c| c.is_ascii_digit()) && (country || mobile))
        .then_some(IdentifierKind::Phone)
}

/// "03.04.2025", "2025/03/04", "14-03-25": digits grouped as a date, with month and day
/// in range. Not a telephone number even with a leading 0.
fn looks_like_date(text: &str) -> bool {
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let value = |g: &str| g.parse::<u32>().unwrap_or(0);
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    match lens.as_slice() {
        [2, 2, 4] | [2, 2, 2] => {
            let (a, b) = (value(groups[0]), value(groups[1]));
            (1..=31).contains(&a) && (1..=12).contains(&b)
                || (1..=12).contains(&a) && (1..=31).contains(&b)
        }
        [4, 2, 2] => (1..=12).contains(&value(groups[1])) && (1..=31).contains(&value(groups[2])),
        _ => false,
    }
}

/// `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, and the
/// same with day + 60 (samordningsnummer), with any separator people type between date
/// and number (space, en dash, minus sign, dot). The month must be 01–12 and the day
/// 01–31 (or 61–91), so a 10-digit case number rarely matches by accident.
pub fn is_personal_number(text: &str) -> bool {
    let t = text.trim();
    // Ten or twelve ASCII digits and at most one separator (up to four bytes): asked of
    // every sampled text with a digit, most are refused by their length alone.
    if !(10..=16).contains(&t.len()) {
        return false;
    }
    let mut held = ['\0'; 13];
    let mut len = 0;
    for c in t.chars() {
        let Some(slot) = held.get_mut(len) else {
            return false;
        };
        *slot = c;
        len += 1;
    }
    is_personal_number_chars(&held[..len])
}

/// [`is_personal_number`] of a text's characters, trimmed.
fn is_personal_number_chars(chars: &[char]) -> bool {
    let (date, rest): (&[char], &[char]) = match chars.iter().position(|c| !c.is_ascii_digit()) {
        Some(i) if is_pn_separator(chars[i]) => (&chars[..i], &chars[i + 1..]),
        Some(_) => return false,
        None => match chars.len() {
            10 => chars.split_at(6),
            12 => chars.split_at(8),
            _ => return false,
        },
    };
    if !(date.len() == 6 || date.len() == 8)
        || rest.len() != 4
        || !date.iter().chain(rest).all(char::is_ascii_digit)
    {
        return false;
    }
    let number = |d: &[char]| {
        d.iter()
            .fold(0u32, |n, c| n * 10 + (*c as u32 - '0' as u32))
    };
    let d = &date[date.len() - 6..];
    let month = number(&d[2..4]);
    let day = number(&d[4..6]);
    if date.len() == 8 && !matches!(number(&date[..2]), 18..=20) {
        return false;
    }
    (1..=12).contains(&month) && ((1..=31).contains(&day) || (61..=91).contains(&day))
}

/// `text` with every identifier replaced by what it is ("[personnummer]"), every
/// person name by "[namn]", control characters and bidirectional overrides removed,
/// and line breaks made spaces.
pub fn screen(text: &str) -> String {
    names::mask_names(&screen_identifiers(text))
}

/// [`screen`] without the name screen: identifiers and control characters only.
fn screen_identifiers(text: &str) -> String {
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

/// Words that make an owner text a function or body rather than a person: roles, and
/// the parts of an organisation that own things.
const FUNCTION_WORDS: &[&str] = &[
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
    "hr",
    "ekonomi",
    "kommunikation",
    "service",
    "support",
    "drift",
    "säkerhet",
    "skola",
    "förskola",
    "omsorg",
    "kontor",
    "avd",
    "system",
    "arkiv",
    "registrator",
    "jurist",
    "dataskydd",
    "dso",
    "isam",
    "ciso",
    "samordning",
    "styrelse",
    "ombudsman",
    "leverantör",
];

fn all_caps_word(word: &str) -> bool {
    word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
}

/// An owner or responsible as management may see it: a function ("IT-chef", "ISAM",
/// "Förvaltningsledningen") as written, but never a person's name, e-mail address or
/// identifier — those become "(namngiven person)". Owners are shown so the review says
/// who owns a risk or an action; the workbook holds no personal data (SPEC §4.2).
///
/// A person is recognised by the name screen ([`names`]: "Birgitta Lund",
/// "ANNA ANDERSSON", "Carl von Essen (IT)") or, for names no list holds, by the shape of
/// a name: two to four capitalised words (particles such as "von" allowed) and no word
/// of a function. A function word counts as a whole word or as the head or tail of a
/// compound ("avdelningschef", "IT-chef"), so "it" inside "Margit" is no function.
pub fn owner_label(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let person = "(namngiven person)".to_string();
    // An identifier, or one already screened to "[e-postadress]" and the like.
    if screen_identifiers(&t) != t
        || t.contains('[')
        || t.chars().filter(|c| c.is_ascii_digit()).count() >= 6
        || names::contains_name(&t)
    {
        return person;
    }
    // "Zlatan Ibrahimović (IT)": what is in parentheses says where, not who.
    let mut core = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => core.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = core
        .split([' ', '/', ',', '-', '&'])
        .filter(|w| !w.is_empty())
        .collect();
    let folded: Vec<String> = words
        .iter()
        .map(|w| crate::textnorm::fold_diacritics(w))
        .collect();
    let is_function_word = |w: &str| {
        FUNCTION_WORDS.iter().any(|f| {
            let f = crate::textnorm::fold_diacritics(f);
            w == f
                || (f.chars().count() >= 4
                    && w.chars().count() > f.chars().count()
                    && (w.ends_with(&f) || w.starts_with(&f)))
        })
    };
    let has_function = folded.iter().any(|w| is_function_word(w));
    let particle = |w: &str| names::is_particle(w);
    let capitalised = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
    };
    // An owner that is one first name, even one that is also a word ("Hans", "Kim").
    if words.len() == 1 && !all_caps_word(words[0]) && names::is_first_name(words[0]) {
        return person;
    }
    let name_words: Vec<&&str> = words.iter().filter(|w| !particle(w)).collect();
    let all_caps = |w: &&str| w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
    // "Anna Andersson", "Karl-Erik Öberg", "Carl von Essen", "ZLATAN IBRAHIMOVIĆ".
    let looks_like_name = (2..=4).contains(&name_words.len())
        && name_words.iter().all(|w| capitalised(w))
        && (!name_words.iter().all(|w| all_caps(w))
            || name_words.iter().any(|w| w.chars().count() >= 5));
    if looks_like_name && !has_function {
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
                screen(&format!("Felskick till {pn}")),
                "Felskick till [personnummer]"
            );
        }
        assert!(!is_personal_number("2025-03-14"));
        assert!(!is_personal_number("1234567890"));
    }

    /// The length check and the held characters of `is_personal_number` decide as its
    /// first definition (every character collected first) did.
    #[test]
    fn personal_numbers_are_decided_as_first_defined() {
        // The first definition: every character of the text held, whatever its length.
        let reference =
            |text: &str| is_personal_number_chars(&text.trim().chars().collect::<Vec<_>>());
        let dates = [
            "850312", "19850312", "20850372", "851312", "8503", "1985031", "",
        ];
        let separators = [
            "", "-", "+", "–", "\u{2011}", "\u{2212}", " ", "\u{a0}", "/", "x", "--",
        ];
        let ends = ["5678", "567", "56789", "", "567x", "5678 "];
        for d in dates {
            for sep in separators {
                for e in ends {
                    for t in [format!("{d}{sep}{e}"), format!(" {d}{sep}{e}\t")] {
                        assert_eq!(is_personal_number(&t), reference(&t), "{t:?}");
                    }
                }
            }
        }
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
        assert_eq!(owner_label("Avdelningschef Anna"), "(namngiven person)");
        assert_eq!(owner_label("Avdelningschef"), "Avdelningschef");
        assert_eq!(owner_label("Hans"), "(namngiven person)");
        assert_eq!(owner_label("Kim (IT)"), "(namngiven person)");
        assert_eq!(owner_label("IT-avdelningen"), "IT-avdelningen");
        assert_eq!(owner_label("HR / IT"), "HR / IT");
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
