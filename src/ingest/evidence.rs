//! Recognition by evidence: how well one header cell names one column role.
//!
//! Real exports do not write the configured synonyms verbatim. A form export asks
//! "När upptäcktes incidenten?", a register laid out after IMY's checklist says
//! "2. Ändamålen med behandlingen.", an ITSM tool writes `opened_at` or "Opened". So a
//! heading is compared with a synonym in steps of decreasing certainty, each with a
//! score: the same normalised text (100), the same words once Swedish inflection is
//! removed (90), the synonym's words inside a longer heading (60–89), and a synonym
//! word inside a compound word (45, too weak to take but worth suggesting). The
//! recogniser in `header` takes a role at [`TAKE`] or more and reports ties and weaker
//! matches instead of guessing.

use crate::textnorm::{fold_diacritics, normalize};

/// The lowest score at which a role is taken.
pub const TAKE: u32 = 60;
/// The lowest score worth reporting (and suggesting) without taking it.
pub const WEAK: u32 = 40;
/// Headings longer than this many words are sentences (instructions, help texts):
/// they are matched exactly or not at all.
const MAX_HEADING_WORDS: usize = 16;

/// How a heading matched a synonym.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The same text after normalisation.
    Exact,
    /// The same words after removing Swedish inflection ("Ändamålen" = "ändamål").
    Inflected,
    /// The synonym's words stand inside a longer heading ("När upptäcktes incidenten?").
    Contained,
    /// A synonym word is part of a compound word ("Upptäcktsdag"): weak.
    Compound,
    /// Configured for this file in `[[files]]`.
    Configured,
    /// A heading of the known system that wrote the sheet (`templates/systems/`).
    Catalogue,
    /// Not the heading but the column's values (incident categories, statuses, …).
    Values,
}

impl How {
    pub fn label(self) -> &'static str {
        match self {
            How::Exact => "samma text",
            How::Inflected => "samma ord i annan böjning",
            How::Contained => "orden finns i rubriken",
            How::Compound => "ordet ingår i ett sammansatt ord",
            How::Configured => "angiven i [[files]]",
            How::Catalogue => "känd rubrik i systemets export",
            How::Values => "värdena visar det",
        }
    }
}

/// A heading or synonym prepared for comparison.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// `textnorm::normalize` of the text (numbering and camelCase not split).
    pub norm: String,
    /// Words, diacritics kept, inflection removed.
    pub stems: Vec<String>,
    /// Total length of the stems, for the share of the heading a synonym covers.
    pub chars: usize,
    /// The stems joined by spaces, without diacritics (prepared once: every heading
    /// is compared with every synonym).
    pub folded: String,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let norm = normalize(text);
        let spaced = split_camel(text);
        let cleaned = strip_numbering(&normalize(&spaced));
        let stems: Vec<String> = cleaned
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(stem)
            .collect();
        let chars = stems.iter().map(|s| s.chars().count()).sum();
        let folded = fold_diacritics(&stems.join(" "));
        Words {
            norm,
            stems,
            chars,
            folded,
        }
    }
}

/// "createdDateTime" → "created Date Time"; "opened_at" is split by `normalize`.
fn split_camel(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase();
        out.push(c);
    }
    out
}

/// "13 ändamålen med behandlingen" → "ändamålen med behandlingen"; "a ..." for "a)" too.
fn strip_numbering(norm: &str) -> String {
    let mut words = norm.split(' ').peekable();
    let mut out: Vec<&str> = Vec::new();
    let mut leading = true;
    while let Some(w) = words.next() {
        let is_number = w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 3;
        if leading && is_number && words.peek().is_some() {
            continue;
        }
        leading = false;
        out.push(w);
    }
    out.join(" ")
}

/// Suffixes of Swedish inflection, longest first. Applied to both sides of a
/// comparison, so a suffix that is part of a stem ("numb-er") does no harm.
const SUFFIXES: [&str; 16] = [
    "ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "en", "et", "er", "ar", "or",
    "es", "na", "e",
];

/// The word without its Swedish inflection: "kategorierna" → "kategori",
/// "upptäcktes" → "upptäckt", "registrerade" → "registrerad".
pub fn stem(word: &str) -> String {
    let chars = word.chars().count();
    if chars < 6 {
        return word.to_string();
    }
    for s in SUFFIXES {
        if let Some(base) = word.strip_suffix(s) {
            if base.chars().count() >= 4 {
                return base.to_string();
            }
        }
    }
    word.to_string()
}

/// How a heading matched one synonym.
#[derive(Debug, Clone)]
pub struct Match {
    pub score: u32,
    pub how: How,
    /// Word positions in the heading the synonym covered (for a column that fills two
    /// roles with two different phrases).
    pub span: (usize, usize),
}

/// Scores a heading against a synonym. `contain` says whether the role may be found
/// inside a longer heading (not for person identifiers, whose single words stand in
/// too many help texts, nor for yes/no flags named by one word).
pub fn score(heading: &Words, synonym: &Words, contain: bool) -> Option<Match> {
    if heading.norm.is_empty() || synonym.norm.is_empty() {
        return None;
    }
    let whole = (0, heading.stems.len());
    if heading.norm == synonym.norm {
        return Some(Match {
            score: 100,
            how: How::Exact,
            span: whole,
        });
    }
    if heading.stems == synonym.stems || heading.folded == synonym.folded {
        return Some(Match {
            score: 90,
            how: How::Inflected,
            span: whole,
        });
    }
    if heading.stems.len() > MAX_HEADING_WORDS || synonym.stems.is_empty() {
        return None;
    }
    let n = synonym.stems.len();
    let single = n == 1;
    let long_enough = synonym.chars >= 4;
    if contain && long_enough && (!single || synonym.chars >= 5) && heading.stems.len() > n {
        if let Some(at) = heading
            .stems
            .windows(n)
            .position(|w| w.iter().zip(&synonym.stems).all(|(a, b)| a == b))
        {
            let share = 20 * synonym.chars / heading.chars.max(1);
            let score = (60 + 8 * (n as u32 - 1).min(3) + share as u32).min(89);
            return Some(Match {
                score,
                how: How::Contained,
                span: (at, at + n),
            });
        }
    }
    if single && synonym.chars >= 5 {
        let syn = &synonym.stems[0];
        if let Some(at) = heading
            .stems
            .iter()
            .position(|w| w != syn && (w.starts_with(syn.as_str()) || w.ends_with(syn.as_str())))
        {
            return Some(Match {
                score: 45,
                how: How::Compound,
                span: (at, at + 1),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(h: &str, syn: &str) -> Option<u32> {
        score(&Words::of(h), &Words::of(syn), true).map(|m| m.score)
    }

    #[test]
    fn inflection_numbering_and_questions() {
        assert_eq!(
            s("2. Ändamålen med behandlingen.", "ändamål med behandlingen"),
            Some(90)
        );
        assert_eq!(s("Kategorierna", "kategorier"), Some(90));
        assert!(s("När upptäcktes incidenten?", "upptäckt").unwrap() >= TAKE);
        assert!(s("Tidpunkt för händelse", "tidpunkt").unwrap() >= TAKE);
        assert_eq!(s("opened_at", "opened at"), Some(100));
        assert_eq!(s("createdDateTime", "created date time"), Some(90));
    }

    #[test]
    fn compounds_are_weak_and_short_words_exact_only() {
        assert_eq!(s("Upptäcktsdag", "upptäckt"), Some(45));
        assert_eq!(s("Riskens K", "k"), None);
        assert_eq!(s("Status", "status"), Some(100));
    }

    #[test]
    fn one_heading_can_hold_two_phrases() {
        let h = Words::of("En beskrivning av kategorierna av registrerade och av kategorierna av personuppgifter.");
        let a = score(&h, &Words::of("kategorier av registrerade"), true).unwrap();
        let b = score(&h, &Words::of("kategorier av personuppgifter"), true).unwrap();
        assert!(a.score >= TAKE && b.score >= TAKE);
        assert!(a.span.1 <= b.span.0);
    }
}
