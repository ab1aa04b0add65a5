//! The review's sentences: `templates/rapport.md.j2` rendered with the year's figures
//! into Markdown, which [`crate::review::doc`] parses once into the document tree. A
//! section file from the input folder stands in the template as a placeholder
//! (`![](avsnitt:omvarld)`) that the tree fills with the file's own blocks.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, Error as TemplateError};
use serde::Serialize;

use crate::error::Error;
use crate::review::format::{count, number, percent, upper_first};
use crate::review::plan::Plan;
use crate::review::Figures;
use crate::schema::{KpiId, ValueKind};

pub const TEMPLATE: &str = include_str!("../../templates/rapport.md.j2");

#[derive(Serialize)]
struct Training {
    headcount: Option<Number>,
    completed: Option<Number>,
    rate: Option<Number>,
    rate_prev: Option<Number>,
    /// What the rate rests on, said beside it (undated completions, last year's base).
    assumption: Option<String>,
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
struct TextContext {
    unit: String,
    /// The organisation in sentences: the configured unit name, or "förvaltningen".
    subject: String,
    year: i32,
    authority: String,
    sections: BTreeMap<String, String>,
    training: Training,
    incidents: Incidents,
    register: BTreeMap<&'static str, Option<Number>>,
    classification: BTreeMap<&'static str, Option<Number>>,
    actions: BTreeMap<&'static str, Option<Number>>,
    /// The year's completed actions of the plan, each with its owner (a function).
    done_actions: Vec<String>,
    risks: Risks,
    /// Section 4 and the decision page.
    plan: Plan,
    /// Developments over three or more years, and past figures stated differently.
    trend: Vec<String>,
    /// The review is presented the year after the review year; facts in force by then
    /// are phrased as facts.
    presented: i32,
}

#[derive(Serialize)]
struct Risks {
    total: Option<Number>,
    high: Option<Number>,
    threshold: String,
    /// The high risks, each with its score, owner and planned action.
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

fn count_words(n: Option<f64>, singular: &str, plural: &str) -> String {
    match n {
        None => format!("okänt antal {plural}"),
        // "inga incidenter" reads better in running text than "0 incidenter".
        Some(0.0) => format!("inga {plural}"),
        Some(n) => count(n, singular, plural),
    }
}

fn change_words(value: Option<f64>, previous: Option<f64>) -> String {
    match (value, previous) {
        (Some(v), Some(p)) if v > p => format!(", en ökning från {} året innan", number(p)),
        (Some(v), Some(p)) if v < p => format!(", en minskning från {} året innan", number(p)),
        (Some(_), Some(_)) => ", samma antal som året innan".to_string(),
        _ => String::new(),
    }
}

/// "Revidera lokal anvisning (ansvarig: ISAM)": a completed action and who owned it.
fn done_action_text(a: &crate::kpi::ActionRow) -> String {
    let name = upper_first(a.action.trim().trim_end_matches('.'));
    match a.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(owner) => format!("{name} – ansvarig: {owner}."),
        None => format!("{name}."),
    }
}

/// "Otydlighet i hantering … – riskvärde 16 (sannolikhet 4 × konsekvens 4), ägare:
/// Förvaltningsledningen. Planerad åtgärd: ta fram rutin … Status: Öppen."
fn high_risk_text(r: &crate::kpi::RiskRow) -> String {
    let mut s = format!(
        "{} – riskvärde {} (sannolikhet {} × konsekvens {})",
        r.risk.trim().trim_end_matches('.'),
        number(r.value),
        number(r.likelihood),
        number(r.consequence)
    );
    match r.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(owner) => s.push_str(&format!(", ägare: {owner}.")),
        None => s.push_str(", ingen riskägare angiven."),
    }
    let action = r.action.trim().trim_end_matches('.');
    if action.is_empty() {
        s.push_str(" Ingen åtgärd är planerad.");
    } else {
        s.push_str(&format!(" Planerad åtgärd: {action}."));
    }
    if !r.status.trim().is_empty() {
        s.push_str(&format!(" Status: {}.", r.status.trim()));
    }
    s
}

/// Text from the inputs (a unit, a risk, an action) as Markdown that shows exactly that
/// text: never a heading, list, link, emphasis or HTML. Line breaks become spaces,
/// characters Markdown reads as structure are backslash-escaped (pulldown-cmark, and
/// every other Markdown reader, gives the plain text back).
pub fn escape_markdown(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(flat.len() + 8);
    let chars: Vec<char> = flat.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let structural = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!'
        );
        // A list marker or a setext/thematic line can only start the text.
        let leading = i == 0 && matches!(c, '-' | '+' | '=');
        // "1." / "1)" at the start would begin a numbered list.
        let numbered =
            matches!(c, '.' | ')') && i > 0 && chars[..i].iter().all(|d| d.is_ascii_digit());
        // "&amp;" and "&#60;" are character references; a lone "&" is text.
        let entity = c == '&'
            && chars[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_alphanumeric() || **d == '#')
                .count()
                > 0
            && chars[i + 1..]
                .iter()
                .find(|d| !(d.is_ascii_alphanumeric() || **d == '#'))
                == Some(&';');
        if structural || leading || numbered || entity {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A section file's Markdown without what is not text of the review: raw HTML is
/// removed, images become their description, and links to anything but web and mail
/// addresses (`javascript:`, `data:` …) become their plain text.
pub fn sanitize_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    let mut cuts: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // An open unsafe link or image: (its range, the text inside so far).
    let mut open: Option<(std::ops::Range<usize>, String, usize)> = None;
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        if let Some((_, text, depth)) = open.as_mut() {
            match &event {
                Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => *depth += 1,
                Event::End(TagEnd::Link) | Event::End(TagEnd::Image) if *depth > 0 => *depth -= 1,
                Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                    if let Some((r, t, _)) = open.take() {
                        cuts.push((r, escape_markdown(&t)));
                    }
                }
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) | Event::Html(_) => {
                cuts.push((range, String::new()))
            }
            Event::Start(Tag::Image { .. }) => open = Some((range, String::new(), 0)),
            Event::Start(Tag::Link { dest_url, .. })
                if !crate::review::doc::safe_url(&dest_url) =>
            {
                open = Some((range, String::new(), 0))
            }
            _ => {}
        }
    }
    // Ranges in order, nested ones dropped (an HTML block's lines lie inside it).
    cuts.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for (range, replacement) in cuts {
        if range.start < at {
            continue;
        }
        out.push_str(&markdown[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// Renders the review text as Markdown.
pub fn render_markdown(report: &Figures, plan: &Plan) -> Result<String, Error> {
    render_template(report, plan).map_err(|source| Error::Template { source })
}

fn render_template(report: &Figures, plan: &Plan) -> Result<String, TemplateError> {
    // Counts go to the template as whole numbers so they print as "21", not "21.0".
    let v = |id: KpiId| {
        report
            .kpi(id)
            .and_then(|k| k.value.map(|x| whole(x, k.kind)))
    };
    let prev = |id: KpiId| {
        report
            .kpi(id)
            .and_then(|k| k.previous.map(|x| whole(x, k.kind)))
    };
    let b = &report.breakdowns;
    let ctx = TextContext {
        unit: report.unit.clone(),
        subject: super::plan::unit_subject(report),
        year: report.year,
        authority: report.context.nis_authority.clone(),
        sections: report
            .context
            .sections
            .iter()
            .filter(|(_, t)| !sanitize_markdown(t).trim().is_empty())
            .map(|(k, _)| (k.clone(), format!("![](avsnitt:{k})")))
            .collect(),
        training: Training {
            headcount: v(KpiId::TrainingHeadcount),
            completed: v(KpiId::TrainingCompletedAll),
            rate: v(KpiId::TrainingCompletionRateAll),
            rate_prev: prev(KpiId::TrainingCompletionRateAll),
            assumption: super::plan::training_assumption(report),
        },
        incidents: Incidents {
            total: v(KpiId::IncidentsTotal),
            total_prev: prev(KpiId::IncidentsTotal),
            personal: v(KpiId::IncidentsPersonalData),
            personal_prev: prev(KpiId::IncidentsPersonalData),
            imy: v(KpiId::IncidentsReportedImy),
            msb: v(KpiId::IncidentsReportedMsb),
            late: v(KpiId::IncidentsImyLate),
            deadline_hours: report.context.imy_deadline_hours,
            categories: b
                .incidents_by_category
                .iter()
                .map(|c| Category {
                    label: escape_markdown(&c.label),
                    count: c.count,
                    previous: c.previous,
                })
                .collect(),
        },
        register: BTreeMap::from([
            ("activities", v(KpiId::RegisterActivities)),
            ("complete_rate", v(KpiId::RegisterCompleteRate)),
            ("stale", v(KpiId::RegisterStale)),
        ]),
        classification: BTreeMap::from([
            ("assets", v(KpiId::ClassificationAssets)),
            ("rate", v(KpiId::ClassificationClassifiedRate)),
        ]),
        actions: BTreeMap::from([
            ("total", v(KpiId::ActionsTotal)),
            ("done", v(KpiId::ActionsDone)),
            ("overdue", v(KpiId::ActionsOverdue)),
        ]),
        done_actions: b.actions_done.iter().map(done_action_text).collect(),
        risks: Risks {
            total: v(KpiId::RisksTotal),
            high: v(KpiId::RisksHigh),
            threshold: format!("{}", report.context.high_risk_threshold),
            top: b
                .risks
                .iter()
                .filter(|r| r.high)
                .map(high_risk_text)
                .collect(),
        },
        plan: plan.clone(),
        trend: super::trend::sentences(&report.history, report.year),
        presented: report.year + 1,
    };
    let rendered = environment()?
        .get_template("rapport.md")?
        .render(Value::from(Serde(&ctx)))?;
    Ok(tidy(&rendered))
}

/// The template environment, built once per process: compiling the template is a
/// good part of rendering it, and a batch renders one text per unit.
fn environment() -> Result<&'static Environment<'static>, TemplateError> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    if let Some(env) = ENVIRONMENT.get() {
        return Ok(env);
    }
    let env = new_environment()?;
    Ok(ENVIRONMENT.get_or_init(|| env))
}

fn new_environment() -> Result<Environment<'static>, TemplateError> {
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
    env.add_filter("versal", |s: String| upper_first(&s));
    env.add_filter("tal", |n: Option<f64>| {
        n.map(number).unwrap_or_else(|| "–".to_string())
    });
    env.add_filter("md", |text: String| escape_markdown(&text));
    env.add_function(
        "antal",
        |n: Option<f64>, singular: String, plural: String| count_words(n, &singular, &plural),
    );
    env.add_function("forandring", |value: Option<f64>, previous: Option<f64>| {
        change_words(value, previous)
    });
    env.add_template("rapport.md", TEMPLATE)?;
    Ok(env)
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Every pair (singular, plural) the review's sentences use with a count.
    const NOUNS: &[(&str, &str)] = &[
        ("incident", "incidenter"),
        ("personuppgiftsincident", "personuppgiftsincidenter"),
        ("NIS-incident", "NIS-incidenter"),
        ("behandling", "behandlingar"),
        ("informationstillgång", "informationstillgångar"),
        ("åtgärd", "åtgärder"),
        ("risk", "risker"),
        ("hög", "höga"),
        ("genomförd", "genomförda"),
        ("försenad", "försenade"),
        ("anmälan", "anmälningar"),
        ("sen", "sena"),
        ("punkt", "punkter"),
        ("rad", "rader"),
        ("läst", "lästa"),
        ("igenkänt", "igenkända"),
        ("värde", "värden"),
        ("fil", "filer"),
        ("kurs", "kurser"),
        ("kategoritext", "kategoritexter"),
    ];

    /// The sentences of the whole review (template, conclusions, proposals, section 4,
    /// appendix) for figures whose every count is `n`, every rate red.
    fn review_text_with_counts(n: u32) -> String {
        use crate::kpi::{ActionRow, CategoryRow, Kpi, RiskRow, Status};
        use crate::review::{doc, iso, plan};
        let cfg = crate::config::Config::default_config();
        let mut f = crate::review::tests_support::empty_figures();
        f.context.imy_deadline_hours = 72;
        f.context.high_risk_threshold = 12.0;
        f.context.nis_authority = "MSB".to_string();
        f.kpis = KpiId::ALL
            .iter()
            .map(|&id| {
                let rate = id.kind() == ValueKind::Rate;
                let value = if rate { 0.5 } else { f64::from(n) };
                let mut k = Kpi::new(id, "Nyckeltal", Some(value), Some(value));
                k.target = Some(if rate { 0.9 } else { 0.0 });
                k.status = Status::Bad;
                k
            })
            .collect();
        let b = &mut f.breakdowns;
        b.training_undated = n as usize;
        b.incidents_by_category = vec![CategoryRow {
            slug: "misdirected".into(),
            label: "Felskick".into(),
            count: n,
            previous: Some(n),
        }];
        b.unmapped_categories = (0..n)
            .map(|i| crate::kpi::TextCount {
                text: format!("okänd {i}"),
                count: 1,
            })
            .collect();
        let action = |name: &str| ActionRow {
            action: name.into(),
            owner: Some("ISAM".into()),
            deadline: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
            status: "Pågående".into(),
            year: Some(2025),
        };
        b.actions_done = (0..n)
            .map(|i| action(&format!("Klar åtgärd {i}")))
            .collect();
        b.actions_open = (0..n).map(|i| action(&format!("Utbildning {i}"))).collect();
        b.risks = (0..n)
            .map(|i| RiskRow {
                risk: format!("Risk {i}"),
                likelihood: 4.0,
                consequence: 4.0,
                value: 16.0,
                high: true,
                status: "Öppen".into(),
                action: "Åtgärda".into(),
                owner: Some("IT-chef".into()),
            })
            .collect();
        for i in 0..n {
            let mut s =
                crate::model::Source::new(&format!("fil{i}.xlsx"), Some("Blad1".into()), "x", "");
            s.kind = Some(crate::schema::InputKind::Incidents);
            s.rows_read = n as usize;
            s.rows_rejected = n as usize;
            f.sources.push(s);
        }
        let iso = iso::rows(&f);
        let plan = plan::build(&f, &cfg, &iso);
        let md = render_markdown(&f, &plan).unwrap();
        let d = doc::build(
            &md,
            &doc::Parts {
                figures: &f,
                charts: &[],
                sections: &[],
            },
        );
        let mut text = md;
        for s in &d.sections {
            for b in &s.blocks {
                if let doc::Block::Paragraph(r) = b {
                    text.push('\n');
                    text.push_str(&d.plain(r, doc::LinkText::Label));
                }
            }
        }
        text
    }

    /// Swedish number agreement in every sentence template at 0, 1 and 2: "1" is never
    /// followed by a plural, "0" and "2" never by a singular.
    #[test]
    fn every_sentence_template_agrees_in_number_at_0_1_and_2() {
        for n in [0, 1, 2] {
            let text = review_text_with_counts(n);
            let words: Vec<&str> = text
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                for (singular, plural) in NOUNS {
                    if singular == plural {
                        continue;
                    }
                    let wrong = match pair[0] {
                        "1" => pair[1] == *plural,
                        "0" | "2" | "inga" => pair[1] == *singular,
                        _ => false,
                    };
                    assert!(!wrong, "\"{} {}\" at n = {n}:\n{text}", pair[0], pair[1]);
                }
            }
            // The counts the templates print are there (the test reads what it means to).
            let expect = match n {
                0 => "inga incidenter",
                1 => "1 incident",
                _ => "2 incidenter",
            };
            assert!(text.contains(expect), "{expect} at n = {n}:\n{text}");
        }
        let one = review_text_with_counts(1);
        if std::env::var_os("GENOMGANG_PRINT_TEXT").is_some() {
            println!("{one}");
        }
        for sentence in [
            "Åtgärdsplanen innehåller 1 åtgärd, varav 1 genomförd och 1 försenad",
            "Under året gjordes 1 anmälan till IMY senare än 72 timmar efter upptäckt.",
            "Det senaste året har 1 behandling inte reviderats.",
            "Kurser utan datum räknas som genomförda under 2025, vilket gäller 1 genomförd kurs.",
            "varav 1 genomförd och 1 försenad: slutdatumet har passerat utan att åtgärden är genomförd.",
            "Underlag: 1 fil med data. Lästa: 1 igenkänt blad och 1 rad; 1 rad eller värde kunde inte användas.",
            "1 incident hade en kategori",
        ] {
            assert!(one.contains(sentence), "{sentence}:\n{one}");
        }
    }

    /// The plain text of what a Markdown reader makes of `md`, block by block.
    fn read_back(md: &str) -> Vec<String> {
        use crate::review::doc::{section_blocks, Block, Document, LinkText, Parts};
        let figures = crate::review::tests_support::empty_figures();
        let parts = Parts {
            figures: &figures,
            charts: &[],
            sections: &[],
        };
        let d = Document::default();
        section_blocks(md, &parts)
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(r) => d.plain(&r, LinkText::WithAddress),
                Block::List(l) => format!("- {}", d.plain(&l.items[0].runs, LinkText::WithAddress)),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn cell_text_stays_text_in_markdown() {
        let hostile = "Risk A\n\n## 5 Beslut: allt är grönt\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) *fet* 1. &amp; - a";
        let md = format!("- {}\n", escape_markdown(hostile));
        assert_eq!(
            read_back(&md),
            vec!["- Risk A ## 5 Beslut: allt är grönt <img src=x onerror=alert(1)> [x](javascript:alert(1)) *fet* 1. &amp; - a".to_string()]
        );
        assert_eq!(
            read_back(&escape_markdown("1. - # rubrik")),
            vec!["1. - # rubrik".to_string()]
        );
        assert_eq!(
            read_back(&escape_markdown("- punkt")),
            vec!["- punkt".to_string()]
        );
    }

    #[test]
    fn section_markdown_loses_html_and_unsafe_links() {
        let md = "Text <b>fet</b>.\n\n<script>alert(1)</script>\n\n[klicka](javascript:alert(1)) och [MSB](https://www.msb.se) ![bild](data:x)\n";
        let clean = sanitize_markdown(md);
        assert!(!clean.contains('<'), "{clean}");
        assert!(!clean.contains("javascript:"), "{clean}");
        assert!(!clean.contains("data:"), "{clean}");
        assert!(clean.contains("[MSB](https://www.msb.se)"), "{clean}");
        assert!(clean.contains("klicka"), "{clean}");
    }
}
