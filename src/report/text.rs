//! The review text: `templates/rapport.md.j2` rendered with the year's figures into
//! Markdown, which is both written beside the workbook and parsed into [`Block`]s for the
//! Rapport sheet. Section files from the input folder replace the defaults.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use minijinja::value::{Serde, Value};
use minijinja::{Environment, Error as TemplateError, ErrorKind};
use serde::Serialize;

use crate::config::Config;
use crate::kpi::{Block, KpiReport, ValueKind};

pub const TEMPLATE: &str = include_str!("../../templates/rapport.md.j2");

#[derive(Serialize)]
struct Training {
    headcount: Option<Number>,
    completed: Option<Number>,
    rate: Option<Number>,
    rate_prev: Option<Number>,
}

#[derive(Serialize)]
struct Incidents {
    total: Option<Number>,
    total_prev: Option<Number>,
    personal: Option<Number>,
    personal_prev: Option<Number>,
    imy: Option<Number>,
    msb: Option<Number>,
    late: Option<Number>,
    deadline_hours: i64,
    categories: Vec<Category>,
}

#[derive(Serialize)]
struct Category {
    label: String,
    count: u32,
    previous: Option<u32>,
}

#[derive(Serialize)]
struct Priority {
    title: String,
    text: String,
}

#[derive(Serialize)]
struct PlannedAction {
    action: String,
    deadline: Option<String>,
    /// The deadline passed within the review year without the action being done.
    overdue: bool,
}

#[derive(Serialize)]
struct TextContext {
    unit: String,
    year: i32,
    authority: String,
    sections: BTreeMap<String, String>,
    training: Training,
    incidents: Incidents,
    register: BTreeMap<&'static str, Option<Number>>,
    classification: BTreeMap<&'static str, Option<Number>>,
    actions: BTreeMap<&'static str, Option<Number>>,
    risks: Risks,
    priorities: Vec<Priority>,
    actions_next: Vec<PlannedAction>,
    actions_later: Vec<PlannedAction>,
    standing: Vec<String>,
}

#[derive(Serialize)]
struct Risks {
    total: Option<Number>,
    high: Option<Number>,
    threshold: String,
    top: Vec<String>,
}

/// Counts as integers, rates untouched (minijinja prints 21.0 for a float 21).
fn whole(x: f64, kind: ValueKind) -> Number {
    match kind {
        ValueKind::Count => Number::Int(x.round() as i64),
        ValueKind::Rate => Number::Float(x),
    }
}

#[derive(Serialize, Clone, Copy, PartialEq, PartialOrd)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

/// "16 %" — rounded the way a person writes it: whole percent, one decimal below 10 %.
pub fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p > 0.0 && p < 10.0 && (p * 10.0).round() % 10.0 != 0.0 {
        // Half away from zero, as people round (62,5 → 63), not half to even.
        format!("{:.1} %", (p * 10.0).round() / 10.0).replace('.', ",")
    } else {
        format!("{} %", p.round() as i64)
    }
}

/// A KPI value as text: percent for rates, whole numbers for counts.
pub fn format_value(value: f64, kind: ValueKind) -> String {
    match kind {
        ValueKind::Rate => percent(value),
        ValueKind::Count => format!("{}", value.round() as i64),
    }
}

fn count_words(n: Option<f64>, singular: &str, plural: &str) -> String {
    match n {
        None => format!("okänt antal {plural}"),
        // "inga incidenter", never "0 incidenter".
        Some(0.0) => format!("inga {plural}"),
        Some(1.0) => format!("1 {singular}"),
        Some(n) => format!("{} {plural}", n.round() as i64),
    }
}

fn change_words(value: Option<f64>, previous: Option<f64>) -> String {
    match (value, previous) {
        (Some(v), Some(p)) if v > p => format!(", en ökning från {} året innan", p.round() as i64),
        (Some(v), Some(p)) if v < p => {
            format!(", en minskning från {} året innan", p.round() as i64)
        }
        (Some(_), Some(_)) => ", samma antal som året innan".to_string(),
        _ => String::new(),
    }
}

fn upper_first(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => s,
    }
}

/// Section files keep their own headings, demoted below the section heading.
fn demote_headings(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with('#') {
                format!("#### {}", t.trim_start_matches('#').trim())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn priorities(report: &KpiReport, cfg: &Config) -> Vec<Priority> {
    let mut out = Vec::new();
    for rule in &cfg.priorities {
        let Some(kpi) = report.kpi(&rule.kpi) else {
            continue;
        };
        let Some(value) = kpi.value else { continue };
        let fires = match rule.when.as_str() {
            "below" => value < rule.threshold - 1e-9,
            "above" => value > rule.threshold + 1e-9,
            _ => false,
        };
        if fires {
            let previous = kpi
                .previous
                .map(|p| format_value(p, kpi.kind))
                .unwrap_or_else(|| "–".to_string());
            let text = rule
                .text
                .replace("{value}", &format_value(value, kpi.kind))
                .replace("{threshold}", &format_value(rule.threshold, kpi.kind))
                .replace("{previous}", &previous);
            out.push(Priority {
                title: rule.title.clone(),
                text,
            });
        }
    }
    out
}

/// Renders the review text as Markdown.
pub fn render_markdown(report: &KpiReport, cfg: &Config) -> Result<String, TemplateError> {
    // Counts go to the template as whole numbers so they print as "21", not "21.0".
    let v = |id: &str| {
        report
            .kpi(id)
            .and_then(|k| k.value.map(|x| whole(x, k.kind)))
    };
    let prev = |id: &str| {
        report
            .kpi(id)
            .and_then(|k| k.previous.map(|x| whole(x, k.kind)))
    };
    let b = &report.breakdowns;
    let next_end = NaiveDate::from_ymd_opt(report.year + 1, 12, 31).unwrap_or(NaiveDate::MAX);
    let planned = |a: &crate::kpi::ActionRow| PlannedAction {
        action: a.action.clone(),
        deadline: a.deadline.map(|d| d.format("%Y-%m-%d").to_string()),
        overdue: a.deadline.is_some_and(|d| d.year() <= report.year),
    };
    let is_next = |a: &crate::kpi::ActionRow| {
        a.deadline
            .map(|d| d <= next_end)
            .unwrap_or(a.year.is_none_or(|y| y <= report.year + 1))
    };
    let ctx = TextContext {
        unit: report.unit.clone(),
        year: report.year,
        authority: report.context.nis_authority.clone(),
        sections: report
            .context
            .sections
            .iter()
            .map(|(k, t)| (k.clone(), demote_headings(t.trim())))
            .collect(),
        training: Training {
            headcount: v("training.headcount"),
            completed: v("training.completed_all"),
            rate: v("training.completion_rate_all"),
            rate_prev: prev("training.completion_rate_all"),
        },
        incidents: Incidents {
            total: v("incidents.total"),
            total_prev: prev("incidents.total"),
            personal: v("incidents.personal_data"),
            personal_prev: prev("incidents.personal_data"),
            imy: v("incidents.reported_imy"),
            msb: v("incidents.reported_msb"),
            late: v("incidents.imy_late"),
            deadline_hours: report.context.imy_deadline_hours,
            categories: b
                .incidents_by_category
                .iter()
                .map(|c| Category {
                    label: c.label.clone(),
                    count: c.count,
                    previous: c.previous,
                })
                .collect(),
        },
        register: BTreeMap::from([
            ("activities", v("register.activities")),
            ("complete_rate", v("register.complete_rate")),
            ("stale", v("register.stale")),
        ]),
        classification: BTreeMap::from([
            ("assets", v("classification.assets")),
            ("rate", v("classification.classified_rate")),
        ]),
        actions: BTreeMap::from([
            ("total", v("actions.total")),
            ("done", v("actions.done")),
            ("overdue", v("actions.overdue")),
        ]),
        risks: Risks {
            total: v("risks.total"),
            high: v("risks.high"),
            threshold: format!("{}", report.context.high_risk_threshold),
            top: b
                .risks
                .iter()
                .filter(|r| r.high)
                .take(5)
                .map(|r| r.risk.clone())
                .collect(),
        },
        priorities: priorities(report, cfg),
        actions_next: b
            .actions_open
            .iter()
            .filter(|a| is_next(a))
            .map(planned)
            .collect(),
        actions_later: b
            .actions_open
            .iter()
            .filter(|a| !is_next(a))
            .map(planned)
            .collect(),
        standing: cfg.standing_priorities.clone(),
    };
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.add_filter("procent", |rate: Option<f64>| {
        rate.map(percent).unwrap_or_else(|| "–".to_string())
    });
    env.add_filter("versal", upper_first);
    env.add_function(
        "antal",
        |n: Option<f64>, singular: String, plural: String| count_words(n, &singular, &plural),
    );
    env.add_function("forandring", |value: Option<f64>, previous: Option<f64>| {
        change_words(value, previous)
    });
    env.add_template("rapport.md", TEMPLATE)?;
    let rendered = env
        .get_template("rapport.md")?
        .render(Value::from(Serde(&ctx)))?;
    Ok(tidy(&rendered))
}

/// Collapses runs of blank lines left by template blocks.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

/// Parses the rendered Markdown into blocks for the Rapport sheet: headings, paragraphs
/// (lines joined), bullets; `**bold**` and `_emphasis_` markers are dropped.
pub fn to_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(plain(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    for line in markdown.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(h) = t.strip_prefix("#### ").or_else(|| t.strip_prefix("### ")) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading3(plain(h)));
        } else if let Some(h) = t.strip_prefix("## ") {
            flush(&mut paragraph, &mut blocks);
            if !blocks.is_empty() && !matches!(blocks.last(), Some(Block::Heading1(_))) {
                blocks.push(Block::PageBreak);
            }
            blocks.push(Block::Heading2(plain(h)));
        } else if let Some(h) = t.strip_prefix("# ") {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading1(plain(h)));
        } else if let Some(item) = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| t.strip_prefix("• "))
        {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Bullet(plain(item)));
        } else {
            paragraph.push(t.to_string());
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn plain(text: &str) -> String {
    text.replace("**", "").replace("__", "").trim().to_string()
}

/// Renders the text and fills `report.text`; returns the Markdown. A broken user
/// template is an error the caller reports.
pub fn fill(report: &mut KpiReport, cfg: &Config) -> Result<String, String> {
    let markdown = render_markdown(report, cfg).map_err(|e| match e.kind() {
        ErrorKind::SyntaxError => format!("mallen för rapporttexten har ett syntaxfel: {e}"),
        _ => format!("rapporttexten kunde inte skrivas: {e}"),
    })?;
    report.text = to_blocks(&markdown);
    Ok(markdown)
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
    fn counts_and_changes_in_words() {
        assert_eq!(
            count_words(Some(0.0), "incident", "incidenter"),
            "inga incidenter"
        );
        assert_eq!(
            count_words(Some(1.0), "incident", "incidenter"),
            "1 incident"
        );
        assert_eq!(
            count_words(Some(21.0), "incident", "incidenter"),
            "21 incidenter"
        );
        assert_eq!(
            change_words(Some(39.0), Some(31.0)),
            ", en ökning från 31 året innan"
        );
        assert_eq!(
            change_words(Some(20.0), Some(31.0)),
            ", en minskning från 31 året innan"
        );
        assert_eq!(change_words(Some(5.0), None), "");
    }

    #[test]
    fn markdown_becomes_blocks() {
        let blocks = to_blocks("# Titel\n\n## Del\n\nEn rad\nsom fortsätter.\n\n- punkt **ett**\n");
        assert_eq!(
            blocks,
            vec![
                Block::Heading1("Titel".into()),
                Block::Heading2("Del".into()),
                Block::Paragraph("En rad som fortsätter.".into()),
                Block::Bullet("punkt ett".into()),
            ]
        );
    }
}
