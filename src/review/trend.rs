//! The review text's sentences about the years before this one, in plain Swedish: a
//! development that holds for three or more years ("För andra året i rad ökar antalet
//! incidenter: 25 (2023), 31 (2024) och 39 (2025)."), a target missed or met year after
//! year, and figures of a past year that this year's exports state differently from an
//! earlier review. Pure: the multi-year figures in, sentences out.

use crate::kpi::history::{Conflict, History, Series, FROM_DATA};
// The figures are written as everywhere else in the review (9,2 %, 2 130).
use crate::review::format::value_or_unknown as format_value;
use crate::schema::{KpiId, KpiKey};

/// At most this many conflicts are told one by one; the rest are counted.
const CONFLICTS_TOLD: usize = 3;

/// The KPIs the text follows over the years, with the noun phrase it uses for them.
fn noun(key: &KpiKey) -> Option<&'static str> {
    Some(match key.fixed()? {
        KpiId::TrainingCompletionRateAll => {
            "andelen medarbetare som genomfört alla obligatoriska utbildningar"
        }
        KpiId::IncidentsTotal => "antalet incidenter",
        KpiId::IncidentsPersonalData => "antalet personuppgiftsincidenter",
        KpiId::IncidentsReportedImy => "antalet anmälningar till IMY",
        KpiId::RegisterCompleteRate => "andelen kompletta behandlingar i registerförteckningen",
        KpiId::ClassificationClassifiedRate => "andelen klassade informationstillgångar",
        KpiId::RisksHigh => "antalet höga risker",
        KpiId::ActionsOverdue => "antalet försenade åtgärder",
        _ => return None,
    })
}

/// Every sentence about the years before `year`, in KPI order, then the conflicts.
pub fn sentences(history: &History, year: i32) -> Vec<String> {
    let mut out = Vec::new();
    for s in &history.series {
        let Some(noun) = noun(&s.id) else {
            continue;
        };
        if let Some(sentence) = run_sentence(s, noun, year) {
            out.push(sentence);
        }
        if let Some(sentence) = target_sentence(s, noun, year) {
            out.push(sentence);
        }
    }
    out.extend(conflict_sentences(&history.conflicts));
    out
}

/// The known values of the consecutive years ending at `year`, oldest first.
fn consecutive(s: &Series, year: i32) -> Vec<(i32, f64)> {
    let mut values = Vec::new();
    let mut y = year;
    while let Some(v) = s.at(y) {
        values.push((y, v));
        y -= 1;
    }
    values.reverse();
    values
}

/// "andra", "tredje" …: the ordinal of the n:th year of a run.
fn ordinal(n: usize) -> String {
    const WORDS: [&str; 9] = [
        "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde",
    ];
    WORDS
        .get(n.wrapping_sub(2))
        .map(|w| w.to_string())
        .unwrap_or_else(|| format!("{n}:e"))
}

/// "tre", "fyra" …
fn number_word(n: usize) -> String {
    match n {
        2 => "två".into(),
        3 => "tre".into(),
        4 => "fyra".into(),
        5 => "fem".into(),
        6 => "sex".into(),
        _ => n.to_string(),
    }
}

/// "25 (2023), 31 (2024) och 39 (2025)".
fn listing(values: &[(i32, f64)], s: &Series) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|(y, v)| format!("{} ({y})", format_value(Some(*v), s.kind)))
        .collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} och {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// "För andra året i rad ökar antalet incidenter: …", when the value rose (or fell)
/// every year of the last three or more.
fn run_sentence(s: &Series, noun: &str, year: i32) -> Option<String> {
    let values = consecutive(s, year);
    // Compare rates as shown (whole percent), so a rounding wobble is no trend.
    let shown = |v: f64| format_value(Some(v), s.kind);
    let step = |a: f64, b: f64| -> i8 {
        if shown(a) == shown(b) {
            0
        } else if b > a {
            1
        } else {
            -1
        }
    };
    let last = values.len().checked_sub(1)?;
    let direction = step(values.get(last.checked_sub(1)?)?.1, values[last].1);
    if direction == 0 {
        return None;
    }
    let mut steps = 0;
    while steps < last && step(values[last - steps - 1].1, values[last - steps].1) == direction {
        steps += 1;
    }
    if steps < 2 {
        return None;
    }
    let verb = if direction > 0 { "ökar" } else { "minskar" };
    Some(format!(
        "För {} året i rad {verb} {noun}: {}.",
        ordinal(steps),
        listing(&values[last - steps..], s)
    ))
}

/// "Målet för … (90 %) har inte nåtts något av de tre senaste åren (2023–2025)." or
/// "… har nåtts tre år i rad.", when the reviews of three or more consecutive years
/// judged the figure against a target.
fn target_sentence(s: &Series, noun: &str, year: i32) -> Option<String> {
    let mut judged: Vec<(i32, &str)> = Vec::new();
    let mut y = year;
    while let Some(p) = s.points.iter().find(|p| p.year == y) {
        match p.status {
            Some(st @ ("good" | "warning" | "bad")) => judged.push((y, st)),
            _ => break,
        }
        y -= 1;
    }
    if judged.len() < 3 {
        return None;
    }
    let n = judged.len();
    let first = judged[n - 1].0;
    let target = s
        .points
        .iter()
        .find(|p| p.year == year)
        .and_then(|p| p.target)
        .map(|t| format!(" ({})", format_value(Some(t), s.kind)))
        .unwrap_or_default();
    if judged.iter().all(|(_, st)| *st == "good") {
        Some(format!(
            "Målet för {noun}{target} har nåtts {} år i rad ({first}–{year}).",
            number_word(n)
        ))
    } else if judged.iter().all(|(_, st)| *st != "good") {
        Some(format!(
            "Målet för {noun}{target} har inte nåtts något av de {} senaste åren ({first}–{year}).",
            number_word(n)
        ))
    } else {
        None
    }
}

/// "årets underlag", "genomgång 2024".
fn source_name(source: &str) -> String {
    if source == FROM_DATA {
        "årets underlag".to_string()
    } else {
        source.to_string()
    }
}

/// One sentence per conflict (the first few), then how many more there are.
fn conflict_sentences(conflicts: &[Conflict]) -> Vec<String> {
    let mut out: Vec<String> = conflicts
        .iter()
        .take(CONFLICTS_TOLD)
        .map(|c| {
            format!(
                "{} {} anges till {} i {} men till {} i {}; siffran från {} används eftersom {}.",
                c.label,
                c.year,
                format_value(c.other, c.kind),
                source_name(&c.other_source),
                format_value(c.used, c.kind),
                source_name(&c.used_source),
                source_name(&c.used_source),
                c.reason
            )
        })
        .collect();
    if conflicts.len() > CONFLICTS_TOLD {
        out.push(format!(
            "Ytterligare {} siffror för tidigare år skiljer sig mellan årets underlag och tidigare genomgångar; se bladet Datakvalitet.",
            conflicts.len() - CONFLICTS_TOLD
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::history::Point;
    use crate::schema::ValueKind;

    fn series(id: KpiId, kind: ValueKind, values: &[(i32, f64, Option<&'static str>)]) -> Series {
        Series {
            id: KpiKey::Fixed(id),
            label: String::new(),
            kind,
            points: values
                .iter()
                .map(|(year, v, status)| Point {
                    year: *year,
                    value: Some(*v),
                    target: Some(0.9),
                    status: *status,
                    source: FROM_DATA.into(),
                })
                .collect(),
        }
    }

    fn history(series: Vec<Series>) -> History {
        History {
            series,
            ..History::default()
        }
    }

    #[test]
    fn three_rising_years_make_one_sentence() {
        let h = history(vec![series(
            KpiId::IncidentsTotal,
            ValueKind::Count,
            &[(2023, 25.0, None), (2024, 31.0, None), (2025, 39.0, None)],
        )]);
        assert_eq!(
            sentences(&h, 2025),
            vec![
                "För andra året i rad ökar antalet incidenter: 25 (2023), 31 (2024) och 39 (2025)."
            ]
        );
    }

    #[test]
    fn a_broken_run_or_two_years_say_nothing() {
        let up_down_up = history(vec![series(
            KpiId::IncidentsTotal,
            ValueKind::Count,
            &[
                (2022, 20.0, None),
                (2023, 25.0, None),
                (2024, 21.0, None),
                (2025, 39.0, None),
            ],
        )]);
        assert!(sentences(&up_down_up, 2025).is_empty());
        let two = history(vec![series(
            KpiId::IncidentsTotal,
            ValueKind::Count,
            &[(2024, 31.0, None), (2025, 39.0, None)],
        )]);
        assert!(sentences(&two, 2025).is_empty());
        // A gap year breaks the run.
        let gap = history(vec![series(
            KpiId::IncidentsTotal,
            ValueKind::Count,
            &[
                (2021, 10.0, None),
                (2022, 20.0, None),
                (2024, 31.0, None),
                (2025, 39.0, None),
            ],
        )]);
        assert!(sentences(&gap, 2025).is_empty());
    }

    #[test]
    fn falling_rates_and_missed_targets() {
        let h = history(vec![series(
            KpiId::TrainingCompletionRateAll,
            ValueKind::Rate,
            &[
                (2022, 0.30, Some("bad")),
                (2023, 0.25, Some("bad")),
                (2024, 0.16, Some("bad")),
                (2025, 0.092, Some("bad")),
            ],
        )]);
        let s = sentences(&h, 2025);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], "För tredje året i rad minskar andelen medarbetare som genomfört alla obligatoriska utbildningar: 30 % (2022), 25 % (2023), 16 % (2024) och 9,2 % (2025).");
        assert_eq!(s[1], "Målet för andelen medarbetare som genomfört alla obligatoriska utbildningar (90 %) har inte nåtts något av de fyra senaste åren (2022–2025).");
    }
}
