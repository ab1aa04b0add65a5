//! Person names in free text (SPEC §4.2): a text that may be shown — a category, a risk
//! or action title, an activity, a course, a unit — loses every person name to
//! "[namn]", with no initials and no length left.
//!
//! A name is found by public Swedish name statistics (the first names and surnames of
//! `fornamn.txt` and `efternamn.txt`, see `SOURCE.md` beside them) and by the shape of
//! Swedish surnames ("-sson", "Lind-berg", "Sjö-ström"):
//! - a capitalised first name starts a name, and the capitalised words (and particles
//!   such as "von", "af") that follow it belong to it: "Anna Andersson",
//!   "Karl-Erik von Essen", "ANNA ANDERSSON";
//! - a first name that is also an ordinary word ("Per", "Klara", "Hans", "Bo") is a
//!   name only when a surname or another first name follows it;
//! - a surname alone is a name when it is long enough not to be a word ("Andersson",
//!   "Lindqvist"), never "Berg" or "Strand" alone.
//!
//! Char-safe throughout: every position is a char boundary found by `char_indices`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// What a masked name shows.
pub const NAME_PLACEHOLDER: &str = "[namn]";

const FIRST_NAMES: &str = include_str!("fornamn.txt");
const SURNAMES: &str = include_str!("efternamn.txt");

/// First names that are also Swedish (or common IT) words: a name only beside another
/// name ("Hans dator" is not a person, "Hans Berg" is).
const WORDLIKE_FIRST: &[&str] = &[
    "per", "bo", "dag", "sten", "björn", "hans", "jan", "stig", "karl", "kaj", "bror", "jarl",
    "axel", "knut", "frans", "rut", "liv", "love", "lisa", "lina", "tina", "siv", "inga", "sanna",
    "klara", "saga", "rosa", "viola", "iris", "tindra", "tilde", "marina", "edit", "ester", "svea",
    "nova", "siri", "juni", "urban", "frank", "milan", "lion", "said", "kim", "tor", "sam", "dan",
    "tim", "max", "jack", "lova", "vilda", "lotten", "inge", "lage", "uno",
];

/// Particles inside names: "Carl von Essen", "Anna af Klercker".
const PARTICLES: &[&str] = &[
    "von", "af", "av", "de", "van", "der", "den", "la", "di", "da", "bin", "ibn",
];

/// Endings of Swedish surnames made of nature words (Lindberg, Sjöström, Bergqvist).
const SURNAME_ENDINGS: &[&str] = &[
    "sson", "berg", "gren", "ström", "strom", "lund", "qvist", "kvist", "holm", "dahl", "blad",
    "blom", "borg", "fors", "stedt", "lander", "vall", "wall", "hielm", "sköld", "skiöld", "crona",
    "stierna", "stjärna", "kiöld",
];

struct Lists {
    first: HashSet<String>,
    surnames: HashSet<String>,
}

fn words_of(data: &str) -> impl Iterator<Item = String> + '_ {
    data.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| Lists {
        first: words_of(FIRST_NAMES).collect(),
        surnames: words_of(SURNAMES).collect(),
    })
}

/// How many distinct first names and surnames the lists hold.
pub fn list_sizes() -> (usize, usize) {
    let l = lists();
    (l.first.len(), l.surnames.len())
}

/// One word of a text: its byte range and its characters.
#[derive(Debug, Clone, Copy)]
struct Word<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

/// Words: letters (with combining marks), joined by inner hyphens and apostrophes.
fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let letter = c.is_alphabetic() || is_combining(c);
        let joiner = matches!(c, '-' | '\'' | '’' | '\u{2010}' | '\u{2011}')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphabetic());
        match (letter || joiner, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word {
                    start: s,
                    end: i,
                    text: &text[s..i],
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
            text: &text[s..],
        });
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The word's parts split at hyphens: "Karl-Erik" → ["Karl", "Erik"].
fn parts(word: &str) -> impl Iterator<Item = &str> {
    word.split(['-', '\u{2010}', '\u{2011}'])
        .filter(|p| !p.is_empty())
}

/// "Anna", "ANNA", "Karl-Erik", "O'Brien": a capital first, then all small or all
/// capitals.
fn name_cased(word: &str) -> bool {
    parts(word).all(|p| {
        let mut letters = p.chars().filter(|c| c.is_alphabetic() && !is_combining(*c));
        let Some(first) = letters.next() else {
            return false;
        };
        if !first.is_uppercase() {
            return false;
        }
        let mut rest: Vec<char> = letters.collect();
        // "WALLINs": a name in capitals with the genitive s.
        if rest.len() > 1
            && rest.last() == Some(&'s')
            && rest[..rest.len() - 1].iter().all(|c| c.is_uppercase())
        {
            rest.pop();
        }
        rest.iter().all(|c| c.is_lowercase()) || rest.iter().all(|c| c.is_uppercase())
    })
}

fn all_caps(word: &str) -> bool {
    word.chars()
        .filter(|c| c.is_alphabetic() && !is_combining(*c))
        .count()
        > 1
        && word
            .chars()
            .filter(|c| c.is_alphabetic() && !is_combining(*c))
            .all(char::is_uppercase)
}

/// The lookup key of a word: lowercase, Unicode hyphens as "-", and the Swedish
/// letters composed when they come decomposed (macOS writes "a" + ring for "å").
fn key(word: &str) -> String {
    let mut lower = word.to_lowercase();
    // Asked of every capitalised word: copied again only when there is a dash to unify.
    if lower.contains(['’', '\u{2010}', '\u{2011}']) {
        lower = lower.replace(['’', '\u{2010}', '\u{2011}'], "-");
    }
    if !lower.chars().any(is_combining) {
        return lower;
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        let composed = match (out.chars().next_back(), c) {
            (Some('a'), '\u{30a}') => Some('å'),
            (Some('a'), '\u{308}') => Some('ä'),
            (Some('o'), '\u{308}') => Some('ö'),
            (Some('u'), '\u{308}') => Some('ü'),
            (Some('e'), '\u{301}') => Some('é'),
            (_, c) if is_combining(c) => None,
            _ => {
                out.push(c);
                continue;
            }
        };
        if let Some(letter) = composed {
            out.pop();
            out.push(letter);
        }
    }
    out
}

/// A first name from the list (also hyphenated, also in the genitive: "Annas").
fn is_first(word: &str) -> bool {
    let l = lists();
    let k = key(word);
    if l.first.contains(&k) || parts(&k).count() > 1 && parts(&k).all(|p| l.first.contains(p)) {
        return true;
    }
    k.strip_suffix('s')
        .is_some_and(|stem| stem.chars().count() >= 3 && l.first.contains(stem))
}

/// A first name that is also a word, also in the genitive ("Dags", "Pers").
fn is_wordlike_first(word: &str) -> bool {
    let k = key(word);
    WORDLIKE_FIRST.contains(&k.as_str())
        || k.strip_suffix('s')
            .is_some_and(|stem| WORDLIKE_FIRST.contains(&stem))
}

/// A surname from the list or of a surname's shape, also in the genitive
/// ("Olofssons", "Linds").
fn is_surname(word: &str) -> bool {
    let k = key(word);
    surname_key(&k)
        || k.strip_suffix('s')
            .is_some_and(|stem| stem.chars().count() >= 2 && surname_key(stem))
}

fn surname_key(k: &str) -> bool {
    let l = lists();
    let shaped = parts(k).all(|p| {
        l.surnames.contains(p)
            || SURNAME_ENDINGS
                .iter()
                .any(|e| p.ends_with(e) && p.chars().count() >= e.chars().count() + 2)
    });
    shaped
}

/// Places that have a surname's shape ("Stockholm", "Göteborg").
const PLACES: &[&str] = &[
    "stockholm",
    "göteborg",
    "helsingborg",
    "vänersborg",
    "ängelholm",
    "kungsholm",
    "hagfors",
    "bengtsfors",
    "degerfors",
    "sundsvall",
    "hallsberg",
    "kungsberg",
    "falkenberg",
    "strömsund",
    "mölndal",
    "kungälv",
    "varberg",
    "vänersborg",
    "skellefteå",
    "sandviken",
    "nyköping",
    "östersund",
    "oskarshamn",
    "lund",
    "berg",
    "holm",
    "strand",
    "ström",
];

/// A surname strong enough to make the capitalised word before it a first name:
/// listed or of a surname's shape, six letters or more, no place.
fn is_strong_surname(word: &str) -> bool {
    let k = key(word);
    let stem = k.strip_suffix('s').unwrap_or(&k);
    is_surname(word)
        && k.chars().count() >= 6
        && !PLACES.contains(&k.as_str())
        && !PLACES.contains(&stem)
}

/// A surname that is a name even alone: listed or ending in "-sson", and six letters
/// or more ("Andersson", "Hassan"; not "Berg", "Strand").
fn is_lone_surname(word: &str) -> bool {
    let l = lists();
    let k = key(word);
    let k = match k.strip_suffix('s') {
        // The genitive: "Lindströms", "Anderssons".
        Some(stem) if l.surnames.contains(stem) || stem.ends_with("sson") => stem.to_string(),
        _ => k,
    };
    let long = k.chars().count() >= 6;
    long && !matches!(
        k.as_str(),
        "strand" | "brandt" | "hammar" | "norman" | "wester" | "person"
    ) && (l.surnames.contains(&k) || (k.ends_with("sson") && k.chars().count() >= 7))
}

/// Byte ranges of the person names in `text`, in order, not overlapping.
pub fn find_names(text: &str) -> Vec<(usize, usize)> {
    let words = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    // Whether only white space lies between two words.
    let adjacent = |a: &Word, b: &Word| text[a.end..b.start].chars().all(char::is_whitespace);
    while i < words.len() {
        let w = words[i];
        if !name_cased(w.text) {
            i += 1;
            continue;
        }
        let first = is_first(w.text);
        let lone_surname = is_lone_surname(w.text);
        // "Andersson, Anna": a surname, a comma, a first name.
        if is_surname(w.text) && i + 1 < words.len() {
            let next = words[i + 1];
            let gap = &text[w.end..next.start];
            let next_is_first =
                is_first(next.text) || (is_strong_surname(w.text) && !all_caps(next.text));
            if gap.trim() == "," && name_cased(next.text) && next_is_first {
                let mut j = i + 1;
                while j + 1 < words.len()
                    && adjacent(&words[j], &words[j + 1])
                    && name_cased(words[j + 1].text)
                    && is_first(words[j + 1].text)
                {
                    j += 1;
                }
                out.push((w.start, words[j].end));
                i = j + 1;
                continue;
            }
        }
        // "Sigvard Lindqvist", "EVALD STRÖMDAHL": a first name no list holds, known by
        // the surname after it.
        // Not as a text's first word, where "Kontakta Johansson" begins, unless the
        // whole name is in capitals.
        let before_surname = !first
            && !lone_surname
            && (i > 0 || all_caps(w.text))
            && (!all_caps(w.text) || w.text.chars().count() > 3)
            && i + 1 < words.len()
            && adjacent(&w, &words[i + 1])
            && name_cased(words[i + 1].text)
            && is_strong_surname(words[i + 1].text);
        if !first && !lone_surname && !before_surname {
            i += 1;
            continue;
        }
        // Extend over the capitalised words and particles that follow.
        let mut j = i;
        let mut named_follower = false;
        while j + 1 < words.len() && adjacent(&words[j], &words[j + 1]) {
            let next = words[j + 1];
            if name_cased(next.text) {
                named_follower |= is_first(next.text) || is_surname(next.text);
                j += 1;
            } else if PARTICLES.contains(&next.text.to_lowercase().as_str())
                && j + 2 < words.len()
                && adjacent(&next, &words[j + 2])
                && name_cased(words[j + 2].text)
            {
                named_follower = true;
                j += 2;
            } else {
                break;
            }
        }
        let alone = j == i;
        let is_name = if first && is_wordlike_first(w.text) && !lone_surname {
            named_follower
        } else if alone && all_caps(w.text) {
            // "SAM", "IDA", "EVA" are acronyms as often as names.
            w.text.chars().count() >= 4
        } else {
            true
        };
        if is_name {
            // "för Sigvard Lindqvist": a capitalised word before a surname, inside the
            // sentence, is the first name no list holds.
            // "för Sigvard Birgitta Lund", "Sigvard von Andersson": capitalised words
            // before the name, inside the sentence (not its first word), belong to it.
            let mut k = i;
            let free = |at: usize| out.last().is_none_or(|(_, end)| *end <= words[at].start);
            loop {
                if k >= 2
                    && adjacent(&words[k - 1], &words[k])
                    && name_cased(words[k - 1].text)
                    && !all_caps(words[k - 1].text)
                    && free(k - 1)
                {
                    k -= 1;
                } else if k >= 3
                    && is_particle(words[k - 1].text)
                    && adjacent(&words[k - 1], &words[k])
                    && adjacent(&words[k - 2], &words[k - 1])
                    && name_cased(words[k - 2].text)
                    && free(k - 2)
                {
                    k -= 2;
                } else {
                    break;
                }
            }
            out.push((words[k].start, words[j].end));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A first name from the lists, also one that is a word too ("Hans", "Kim").
pub fn is_first_name(word: &str) -> bool {
    name_cased(word) && is_first(word)
}

/// "von", "af", "de": a word inside a name.
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word.to_lowercase().as_str())
}

/// True when `text` holds a person name.
pub fn contains_name(text: &str) -> bool {
    !find_names(text).is_empty()
}

/// `text` with every person name replaced by "[namn]".
pub fn mask_names(text: &str) -> String {
    let found = find_names(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in found {
        out.push_str(&text[at..start]);
        out.push_str(NAME_PLACEHOLDER);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_whole() {
        for (text, masked) in [
            ("Felskick till Anna Andersson", "Felskick till [namn]"),
            ("ANNA ANDERSSON", "[namn]"),
            ("Karl-Erik von Essen (IT)", "[namn] (IT)"),
            ("Kontakta Johansson", "Kontakta [namn]"),
            ("Per Lindberg ansvarar", "[namn] ansvarar"),
            ("Annas dator", "[namn] dator"),
            ("Mejl från Birgitta", "Mejl från [namn]"),
            ("Mejl från A\u{30a}sa O\u{308}berg", "Mejl från [namn]"),
            ("Lindqvist, Sigvard", "[namn]"),
            ("för Sigvard Lindqvist", "för [namn]"),
        ] {
            assert_eq!(mask_names(text), masked, "{text}");
        }
    }

    #[test]
    fn words_that_look_like_names_stay() {
        for text in [
            "Per enhet",
            "Klara åtgärder före sommaren",
            "Hans dator stals",
            "Berg och dal",
            "Strand",
            "IT-avdelningen",
            "Nätfiske",
            "Grundläggande informationssäkerhet (e-learning)",
            "SAM-verktyg",
            "Person\u{AD}uppgiftsincident",
        ] {
            assert_eq!(mask_names(text), text, "{text}");
        }
    }
}
