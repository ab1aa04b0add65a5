//! How figures are written in the review's Swedish text: percentages, whole numbers with
//! a no-break space between thousands, a KPI value by its kind, "a, b och c". Every part
//! of the review (the plan, the text, the document tree, the writers) takes them from
//! here, so none of them imports another for its formatting.

use crate::schema::ValueKind;

/// "16 %" — rounded the way a person writes it: whole percent, one decimal below 10 %.
pub fn percent(rate: f64) -> String {
    format!("{} %", share_number(rate * 100.0))
}

/// Decimals a share in percent (or a change in percentage points) is written with: one
/// below 10 when the tenth is not zero, else none. The workbook picks its cells' number
/// format by this, so Excel shows what the text says.
pub fn share_decimals(points: f64) -> usize {
    let p = points.abs();
    usize::from(p > 0.0 && p < 10.0 && (p * 10.0).round() % 10.0 != 0.0)
}

/// `points` (percent or percentage points) without sign, by [`share_decimals`].
fn share_number(points: f64) -> String {
    let p = points.abs();
    if share_decimals(p) == 1 {
        // Half away from zero, as people round (62,5 → 63), not half to even.
        format!("{:.1}", (p * 10.0).round() / 10.0).replace('.', ",")
    } else {
        format!("{}", p.round() as i64)
    }
}

/// A change between two years: "+6,8 p.e." for shares (percentage points, rounded as
/// [`percent`] rounds), "+8" or "−3" for counts, "±0" when nothing changed.
pub fn change(delta: f64, kind: ValueKind) -> String {
    let (text, unit) = match kind {
        ValueKind::Rate => (share_number(delta * 100.0), " p.e."),
        ValueKind::Count => (number(delta.abs()), ""),
    };
    let zero = text.chars().all(|c| c == '0' || c == ',');
    let sign = if zero {
        "±"
    } else if delta > 0.0 {
        "+"
    } else {
        "−"
    };
    format!("{sign}{text}{unit}")
}

/// A KPI value as text: percent for rates, whole numbers for counts.
pub fn format_value(value: f64, kind: ValueKind) -> String {
    match kind {
        ValueKind::Rate => percent(value),
        ValueKind::Count => number(value),
    }
}

/// A whole number as Swedish typography writes it: thousands separated by a no-break
/// space ("2 130").
pub fn number(value: f64) -> String {
    let n = value.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("−{out}")
    } else {
        out
    }
}

/// Swedish number agreement for a figure: "0 incidenter", "1 incident", "2 incidenter"
/// (the crate's one rule, [`crate::textnorm::count_noun`]).
pub fn count(n: f64, singular: &str, plural: &str) -> String {
    if n < 0.0 {
        return format!("{} {plural}", number(n));
    }
    crate::textnorm::count_noun(n.round() as u64, singular, plural)
}

/// A value that may be unknown: the value by its kind, or "–" (never 0).
pub fn value_or_unknown(value: Option<f64>, kind: ValueKind) -> String {
    value
        .map(|v| format_value(v, kind))
        .unwrap_or_else(|| UNKNOWN.to_string())
}

/// What every output shows for a figure no input carries.
pub const UNKNOWN: &str = "–";

/// "a, b och c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

/// The first letter in upper case.
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_rounded_like_a_person_writes_it() {
        assert_eq!(percent(0.1602), "16 %");
        assert_eq!(percent(0.0923), "9,2 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(percent(0.625), "63 %");
    }

    #[test]
    fn counts_agree_in_number_and_changes_carry_sign_and_unit() {
        assert_eq!(count(0.0, "incident", "incidenter"), "0 incidenter");
        assert_eq!(count(1.0, "incident", "incidenter"), "1 incident");
        assert_eq!(count(2.0, "incident", "incidenter"), "2 incidenter");
        assert_eq!(count(2130.0, "rad", "rader"), "2\u{a0}130 rader");
        assert_eq!(change(0.068, ValueKind::Rate), "+6,8 p.e.");
        assert_eq!(change(-3.0, ValueKind::Count), "−3");
        assert_eq!(change(0.0, ValueKind::Count), "±0");
        assert_eq!(value_or_unknown(None, ValueKind::Rate), "–");
        assert_eq!(value_or_unknown(Some(0.092), ValueKind::Rate), "9,2 %");
    }

    #[test]
    fn changes_are_rounded_like_percentages() {
        assert_eq!(change(0.068, ValueKind::Rate), "+6,8 p.e.");
        assert_eq!(change(-0.12, ValueKind::Rate), "−12 p.e.");
        assert_eq!(change(0.0001, ValueKind::Rate), "±0 p.e.");
        assert_eq!(change(8.0, ValueKind::Count), "+8");
        assert_eq!(change(-3.0, ValueKind::Count), "−3");
        assert_eq!(share_decimals(6.8), 1);
        assert_eq!(share_decimals(7.0), 0);
    }

    #[test]
    fn numbers_have_swedish_thousands() {
        assert_eq!(number(2130.0), "2\u{a0}130");
        assert_eq!(number(-5.0), "−5");
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b och c"
        );
    }
}
