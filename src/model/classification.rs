//! Information classification listings (KLASSA): each information asset with its
//! levels 0–4 for confidentiality (K), integrity (R) and availability (T).

use crate::ingest::Cell;
use crate::model::sheet::SheetReader;
use crate::model::Severity;
use crate::schema::ASPECTS;
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    /// K, R, T levels 0–4; `None` when not set.
    pub levels: [Option<u8>; 3],
}

impl crate::model::Facts for Asset {
    fn facts(&self) -> String {
        format!("{}|{:?}", crate::model::fact_text(&self.name), self.levels)
    }
}

/// A level cell that is neither blank nor a KLASSA level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreadableLevel;

/// Reads a KLASSA level written as a number, a name, "K2", or "2 - Betydande".
/// `Ok(None)` for blank, `Err(UnreadableLevel)` for something unreadable.
pub fn parse_level(cell: &Cell) -> Result<Option<u8>, UnreadableLevel> {
    if cell.is_empty() {
        return Ok(None);
    }
    if let Cell::Number(n) = cell {
        return if n.fract() == 0.0 && (0.0..=4.0).contains(n) {
            Ok(Some(*n as u8))
        } else {
            Err(UnreadableLevel)
        };
    }
    let t = normalize(&cell.text());
    if matches!(
        t.as_str(),
        "ej klassad" | "ej bedömd" | "saknas" | "ej satt"
    ) || t.chars().all(|c| c == '-')
    {
        return Ok(None);
    }
    let mut chars = t.chars();
    let first = chars.next();
    // "2", "2 betydande", "k2", "r 1", "t3"
    let digit = match first {
        Some(c @ '0'..='4') if !matches!(chars.next(), Some('0'..='9')) => Some(c),
        Some('k' | 'r' | 't' | 's') => t[1..]
            .trim_start()
            .chars()
            .next()
            .filter(|c| ('0'..='4').contains(c)),
        _ => None,
    };
    if let Some(d) = digit {
        return Ok(Some(d as u8 - b'0'));
    }
    let by_name = [
        ("synnerligen allvarlig", 4),
        ("mycket allvarlig", 4),
        ("allvarlig", 3),
        ("betydande", 2),
        ("måttlig", 1),
        ("försumbar", 0),
        ("ingen", 0),
        ("mycket hög", 4),
        ("hög", 3),
        ("medel", 2),
        ("låg", 1),
    ];
    for (name, level) in by_name {
        if t.starts_with(name) || t.ends_with(name) {
            return Ok(Some(level));
        }
    }
    Err(UnreadableLevel)
}

/// A level written as a range, "1–2" or "2-3": the higher (stricter) level.
pub fn level_range(cell: &Cell) -> Option<u8> {
    let Cell::Text(t) = cell else { return None };
    let t = t.trim();
    let (a, b) = t.split_once(['–', '-', '—', '/'])?;
    let (a, b) = (a.trim(), b.trim());
    let level = |s: &str| {
        (s.len() == 1)
            .then(|| s.parse::<u8>().ok())
            .flatten()
            .filter(|l| *l <= 4)
    };
    Some(level(a)?.max(level(b)?))
}

pub fn read(r: &mut SheetReader) -> Vec<Asset> {
    let mut out = Vec::new();
    'rows: for row in r.rows() {
        let Some(name) = r.text(row, "asset") else {
            r.reject(row, "asset", "raden saknar namn på informationstillgången");
            continue;
        };
        let mut levels = [None; 3];
        for (i, (role, _)) in ASPECTS.iter().enumerate() {
            if let Some(level) = level_range(r.cell(row, role)) {
                r.problem(
                    row,
                    role,
                    Severity::Note,
                    "nivån är angiven som ett intervall",
                    &format!("Den högre (strängare) nivån {level} används."),
                );
                levels[i] = Some(level);
                continue;
            }
            match parse_level(r.cell(row, role)) {
                Ok(l) => levels[i] = l,
                Err(UnreadableLevel) => {
                    r.reject(row, role, "nivån går inte att läsa (använd 0–4, K2 eller en KLASSA-nivå som Betydande)");
                    continue 'rows;
                }
            }
        }
        r.rows_read += 1;
        out.push(Asset { name, levels });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klassa_levels_in_every_written_form() {
        let t = |s: &str| parse_level(&Cell::Text(s.into()));
        assert_eq!(t("2"), Ok(Some(2)));
        assert_eq!(t("K2"), Ok(Some(2)));
        assert_eq!(t("R1"), Ok(Some(1)));
        assert_eq!(t("T 3"), Ok(Some(3)));
        assert_eq!(t("Betydande"), Ok(Some(2)));
        assert_eq!(t("2 - Betydande"), Ok(Some(2)));
        assert_eq!(t("Synnerligen allvarlig"), Ok(Some(4)));
        assert_eq!(t("Allvarlig"), Ok(Some(3)));
        assert_eq!(t(""), Ok(None));
        assert_eq!(t("12"), Err(UnreadableLevel));
        assert_eq!(t("kanske"), Err(UnreadableLevel));
        assert_eq!(parse_level(&Cell::Number(3.0)), Ok(Some(3)));
        assert_eq!(parse_level(&Cell::Number(7.0)), Err(UnreadableLevel));
        assert_eq!(level_range(&Cell::Text("1–2".into())), Some(2));
        assert_eq!(level_range(&Cell::Text("3-2".into())), Some(3));
        assert_eq!(level_range(&Cell::Text("2 - Betydande".into())), None);
    }
}
