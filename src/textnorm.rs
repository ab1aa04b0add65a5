//! Text normalisation shared by every layer: how headers and values are compared, how
//! identifiers and unit names are keyed, and Swedish alphabetical order.
//!
//! Bottom layer beside `schema`: imports nothing of the crate.

use std::cmp::Ordering;

/// Normalises a header or value for matching: lowercase, a trailing "(...)" unit
/// removed, punctuation turned into spaces, spaces collapsed.
pub fn normalize(text: &str) -> String {
    let mut t = text.trim().to_lowercase();
    if let Some(inner) = container_field(&t) {
        t = inner;
    }
    // Strip trailing units like "(Ja/Nej)" or "[1-5]", possibly repeated.
    loop {
        let trimmed = t.trim_end();
        let cut = if trimmed.ends_with(')') {
            trimmed.rfind('(')
        } else if trimmed.ends_with(']') {
            trimmed.rfind('[')
        } else {
            None
        };
        match cut {
            Some(i) if i > 0 => t = trimmed[..i].to_string(),
            _ => break,
        }
    }
    let mut out = String::with_capacity(t.len());
    let mut last_space = true;
    for c in t.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    out.trim_end().to_string()
}

/// Headings that name a field only inside their parentheses: Jira's "Custom field
/// (Threat)", "Anpassat fält (Hot)". Stripping the parenthesis as a unit would make
/// every custom field the same heading, so the field's own name is used instead.
const FIELD_CONTAINERS: [&str; 7] = [
    "custom field",
    "customfield",
    "custom fields",
    "anpassat fält",
    "anpassade fält",
    "egendefinierat fält",
    "extra fält",
];

/// The name inside "Custom field (Name)", lowercase; `None` for other texts.
fn container_field(lower: &str) -> Option<String> {
    let t = lower.trim_end();
    let inner = t.strip_suffix(')')?;
    let open = inner.find('(')?;
    let prefix = inner[..open].trim();
    let name = inner[open + 1..].trim();
    (FIELD_CONTAINERS.contains(&prefix) && !name.is_empty()).then(|| name.to_string())
}

/// Normalised identifier text: trimmed, lowercase, inner spaces collapsed.
pub fn norm_id(text: &str) -> Option<String> {
    let t: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (!t.is_empty()).then_some(t)
}

/// Lowercase without Swedish and common Latin diacritics: "Östermalm" → "ostermalm".
pub fn fold_diacritics(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ï' => 'i',
            c => c,
        })
        .collect()
}

/// Name key for matching units: lowercase, no diacritics, no "stadsdelsförvaltning"/"SDF"
/// suffix, no genitive s ("Kungsholmens stadsdelsförvaltning" = "kungsholmen").
pub fn unit_key(name: &str) -> String {
    let folded: String = fold_diacritics(name)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    while let Some(last) = words.last() {
        if matches!(
            *last,
            "stadsdelsforvaltning"
                | "stadsdelsforvaltningen"
                | "sdf"
                | "stadsdelsnamnd"
                | "stadsdelsnamnden"
        ) {
            words.pop();
        } else {
            break;
        }
    }
    let mut key = words.join(" ");
    if key.len() > 3 && key.ends_with('s') {
        key.pop();
    }
    key
}

/// Position of a letter in the Swedish alphabet order used for sorting: a–z, then å,
/// ä, ö (and their Latin relatives sorted with their base letter, as Swedish
/// dictionaries do: é with e, ü with y).
fn swedish_rank(c: char) -> (u32, u32) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match lower {
        'å' => return (u32::from('z') + 1, 0),
        'ä' | 'æ' => return (u32::from('z') + 2, 0),
        'ö' | 'ø' => return (u32::from('z') + 3, 0),
        'á' | 'à' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'ü' => 'y',
        'í' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' => 'o',
        other => other,
    };
    (u32::from(base), u32::from(lower != c))
}

/// Swedish alphabetical order, case-insensitive first: Å, Ä, Ö after Z, so
/// "Äldreförvaltningen" sorts after "Zeta" and before "Östermalm".
pub fn swedish_cmp(a: &str, b: &str) -> Ordering {
    let key = |s: &str| -> Vec<u32> { s.chars().map(|c| swedish_rank(c).0).collect() };
    key(a)
        .cmp(&key(b))
        .then_with(|| {
            let case = |s: &str| -> Vec<u32> { s.chars().map(|c| swedish_rank(c).1).collect() };
            case(a).cmp(&case(b))
        })
        .then_with(|| a.cmp(b))
}

/// Sorts texts in Swedish alphabetical order.
pub fn sort_swedish<T, F: Fn(&T) -> &str>(items: &mut [T], key: F) {
    items.sort_by(|a, b| swedish_cmp(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_case_punctuation_and_units() {
        assert_eq!(normalize("  Anmäld till IMY (Ja/Nej) "), "anmäld till imy");
        assert_eq!(normalize("Anst.nr"), "anst nr");
        assert_eq!(normalize("E-post"), "e post");
        assert_eq!(normalize("Sannolikhet [1-5]"), "sannolikhet");
        assert_eq!(normalize("ÄRENDENUMMER:"), "ärendenummer");
        assert_eq!(normalize("Custom field (Threat)"), "threat");
        assert_eq!(
            normalize("Custom field (Anmäld till IMY (Ja/Nej))"),
            "anmäld till imy"
        );
        assert_eq!(normalize("Status [READ ONLY]"), "status");
    }

    #[test]
    fn swedish_order_puts_a_ring_a_umlaut_o_umlaut_after_z() {
        let mut units = vec![
            "Östermalm",
            "Äldreförvaltningen",
            "Zeta",
            "Kungsholmen",
            "Åby",
            "älvsjö",
        ];
        sort_swedish(&mut units, |s| s);
        assert_eq!(
            units,
            vec![
                "Kungsholmen",
                "Zeta",
                "Åby",
                "Äldreförvaltningen",
                "älvsjö",
                "Östermalm"
            ]
        );
    }

    #[test]
    fn unit_keys_fold_suffixes_and_genitive() {
        assert_eq!(unit_key("Kungsholmens stadsdelsförvaltning"), "kungsholmen");
        assert_eq!(unit_key("KUNGSHOLMEN"), "kungsholmen");
        assert_eq!(unit_key("Östermalm SDF"), "ostermalm");
    }
}
