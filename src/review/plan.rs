//! What the review concludes and proposes: the decision page (3–5 conclusions drawn
//! from the figures, "Förslag till beslut") and section 4's prioritised work, one item
//! per theme (NIS2, lokal anvisning, informationsklassning, behörighet, incidentrutin,
//! registerförteckning, utbildning, risker), each with its evidence and the action
//! plan's own actions merged in, ordered by severity: missing inputs first, then legal
//! obligations, overdue actions, red and yellow figures.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::{Config, ThemeConfig, When};
use crate::kpi::{ActionRow, Status};
use crate::review::format::{format_value, join_and, number, percent, upper_first};
use crate::review::Figures;
use crate::schema::{InputKind, KpiId};
use crate::textnorm::normalize;

/// One item of the prioritised work.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanItem {
    /// The theme, e.g. "Registerförteckning".
    pub title: String,
    /// What to do and why, in one or two sentences.
    pub text: String,
}

/// Section 4 and the decision page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Plan {
    /// The year after the review year, one item per theme, most severe first.
    pub next: Vec<PlanItem>,
    /// The year after that: later actions of the plan and standing items.
    pub later: Vec<String>,
    /// 3–5 conclusions for management, most severe first.
    pub conclusions: Vec<String>,
    /// The numbered proposals ("att …").
    pub proposals: Vec<String>,
    /// Input kinds that were missing, in Swedish (for the text).
    pub missing_inputs: Vec<String>,
}

/// A theme being filled: its severity (lower is more urgent) and what it says.
struct Draft {
    title: String,
    severity: u8,
    order: usize,
    proposal: Option<String>,
    evidence: Vec<String>,
    actions: Vec<String>,
}

/// The inputs a complete review rests on, with the words used when one is missing.
const EXPECTED_INPUTS: [(&[InputKind], &str); 6] = [
    (
        &[InputKind::Training, InputKind::TrainingWide],
        "utbildningslista",
    ),
    (&[InputKind::Incidents], "incidentlogg"),
    (&[InputKind::Register], "registerförteckning"),
    (&[InputKind::Classification], "informationsklassningar"),
    (&[InputKind::Risks], "riskregister"),
    (&[InputKind::Actions], "åtgärdsplan"),
];

pub fn build(f: &Figures, cfg: &Config) -> Plan {
    let missing_inputs: Vec<String> = EXPECTED_INPUTS
        .iter()
        .filter(|(kinds, _)| !kinds.iter().any(|k| f.context.kinds_present.contains(k)))
        .map(|(_, name)| name.to_string())
        .collect();
    let (next, later) = prioritised_work(f, cfg, &missing_inputs);
    Plan {
        conclusions: conclusions(f, &missing_inputs),
        proposals: proposals(f, &missing_inputs),
        next,
        later,
        missing_inputs,
    }
}

fn theme_of<'a>(action: &str, themes: &'a [ThemeConfig]) -> Option<&'a ThemeConfig> {
    let text = normalize(action);
    themes.iter().find(|t| {
        t.keywords
            .iter()
            .map(|k| normalize(k))
            .any(|k| !k.is_empty() && text.contains(&k))
    })
}

fn action_text(a: &ActionRow, year: i32) -> String {
    let name = a.action.trim().trim_end_matches('.');
    match a.deadline {
        Some(d) if d.year() <= year => format!("{name} (försenad, skulle ha varit klar {d})"),
        Some(d) => format!("{name} (klart senast {d})"),
        None => name.to_string(),
    }
}

fn prioritised_work(
    f: &Figures,
    cfg: &Config,
    missing_inputs: &[String],
) -> (Vec<PlanItem>, Vec<String>) {
    let year = f.year;
    let themes = &cfg.themes;
    let mut drafts: Vec<Draft> = themes
        .iter()
        .enumerate()
        .map(|(order, t)| Draft {
            title: t.title.clone(),
            severity: u8::MAX,
            order,
            proposal: None,
            evidence: Vec::new(),
            actions: Vec::new(),
        })
        .collect();
    let draft_for = |drafts: &mut Vec<Draft>, title: &str| -> usize {
        match drafts
            .iter()
            .position(|d| d.title.to_lowercase() == title.to_lowercase())
        {
            Some(i) => i,
            None => {
                drafts.push(Draft {
                    title: title.to_string(),
                    severity: u8::MAX,
                    order: usize::MAX / 2 + drafts.len(),
                    proposal: None,
                    evidence: Vec::new(),
                    actions: Vec::new(),
                });
                drafts.len() - 1
            }
        }
    };

    // Legal obligations in force by the year after the review.
    let authority = cfg.nis_authority(year + 1);
    for (i, t) in themes.iter().enumerate() {
        if let (Some(from), Some(text)) = (t.legal_from_year, &t.legal_text) {
            if year >= from {
                drafts[i].severity = drafts[i].severity.min(1);
                drafts[i].proposal = Some(text.replace("{myndighet}", &authority));
            }
        }
    }

    // Rules on the figures.
    for rule in &cfg.priorities {
        let Some(kpi) = f.kpi_by_key(&rule.kpi) else {
            continue;
        };
        let Some(value) = kpi.value else { continue };
        let fires = match rule.when {
            When::Below => value < rule.threshold - 1e-9,
            When::Above => value > rule.threshold + 1e-9,
        };
        if !fires {
            continue;
        }
        let fill = |text: &str| {
            let previous = kpi
                .previous
                .map(|p| format_value(p, kpi.kind))
                .unwrap_or_else(|| "–".to_string());
            text.replace("{value}", &format_value(value, kpi.kind))
                .replace("{threshold}", &format_value(rule.threshold, kpi.kind))
                .replace("{previous}", &previous)
        };
        let i = draft_for(&mut drafts, &rule.title);
        let severity = match kpi.status {
            Status::Bad => 3,
            _ => 4,
        };
        drafts[i].severity = drafts[i].severity.min(severity);
        if drafts[i].proposal.is_none() {
            drafts[i].proposal = Some(fill(&rule.text));
        }
        if let Some(evidence) = &rule.evidence {
            drafts[i].evidence.push(fill(evidence));
        }
    }

    // The action plan's open actions, merged into their themes.
    let next_end = NaiveDate::from_ymd_opt(year + 1, 12, 31).unwrap_or(NaiveDate::MAX);
    let is_next = |a: &ActionRow| {
        a.deadline
            .map(|d| d <= next_end)
            .unwrap_or(a.year.is_none_or(|y| y <= year + 1))
    };
    let mut later: Vec<String> = Vec::new();
    for a in &f.breakdowns.actions_open {
        let theme = theme_of(&a.action, themes).map(|t| t.title.clone());
        if !is_next(a) {
            later.push(match &theme {
                Some(t) => format!("{t}: {}", action_text(a, year)),
                None => action_text(a, year),
            });
            continue;
        }
        let title = theme.unwrap_or_else(|| "Övriga åtgärder i åtgärdsplanen".to_string());
        let i = draft_for(&mut drafts, &title);
        let overdue = a.deadline.is_some_and(|d| d.year() <= year);
        drafts[i].severity = drafts[i].severity.min(if overdue { 2 } else { 5 });
        drafts[i].actions.push(action_text(a, year));
    }

    let mut items: Vec<(u8, usize, PlanItem)> = Vec::new();
    if !missing_inputs.is_empty() {
        items.push((
            0,
            0,
            PlanItem {
                title: "Underlag".to_string(),
                text: format!(
                    "Ta fram det underlag som saknades i år ({}), så att nästa genomgång kan bedöma hela arbetet.",
                    join_and(missing_inputs)
                ),
            },
        ));
    }
    for d in drafts.into_iter().filter(|d| d.severity != u8::MAX) {
        // The plan's own actions say what is to be done; a rule's proposal stands in
        // only when the plan has nothing for the theme.
        let mut text = if d.actions.is_empty() {
            d.proposal.clone().unwrap_or_default()
        } else {
            let mut t = d
                .actions
                .iter()
                .map(|a| upper_first(a))
                .collect::<Vec<_>>()
                .join("; ");
            t.push('.');
            t
        };
        for e in &d.evidence {
            text.push(' ');
            text.push_str(e);
        }
        items.push((
            d.severity,
            d.order,
            PlanItem {
                title: d.title,
                text: text.trim().to_string(),
            },
        ));
    }
    items.sort_by_key(|(severity, order, _)| (*severity, *order));
    let mut next: Vec<PlanItem> = items.into_iter().map(|(_, _, item)| item).collect();
    if next.is_empty() {
        next.push(PlanItem {
            title: "Uppföljning".to_string(),
            text: "Upprätthålla nuvarande nivå i informationssäkerhets- och dataskyddsarbetet och följa upp nyckeltalen vid nästa genomgång.".to_string(),
        });
    }
    later.extend(cfg.standing_priorities.iter().cloned());
    (next, later)
}

/// A count in words for the start of a sentence is avoided: conclusions always start
/// with a word, and counts follow Swedish typography (thousands with a space).
fn conclusions(f: &Figures, missing_inputs: &[String]) -> Vec<String> {
    let mut found: Vec<(u8, String)> = Vec::new();
    let status_rank = |id: KpiId| match f.kpi(id).map(|k| k.status) {
        Some(Status::Bad) => 1,
        Some(Status::Warning) => 2,
        _ => 3,
    };
    if !missing_inputs.is_empty() {
        found.push((
            0,
            format!(
                "Underlag saknas i år för {}; de delarna kan inte bedömas.",
                join_and(missing_inputs)
            ),
        ));
    }
    if let Some(rate) = f.value(KpiId::TrainingCompletionRateAll) {
        let target = f
            .kpi(KpiId::TrainingCompletionRateAll)
            .and_then(|k| k.target);
        let mut s = format!(
            "Andelen medarbetare som genomfört de obligatoriska utbildningarna är {}",
            percent(rate)
        );
        if let Some(t) = target {
            s.push_str(&format!(", målet är {}", percent(t)));
        }
        s.push('.');
        found.push((status_rank(KpiId::TrainingCompletionRateAll), s));
    }
    if let Some(total) = f.value(KpiId::IncidentsTotal) {
        let mut s = format!(
            "Under {} registrerades {} incidenter",
            f.year,
            number(total)
        );
        match (
            f.value(KpiId::IncidentsPersonalData),
            f.value(KpiId::IncidentsReportedImy),
        ) {
            (Some(p), Some(imy)) => s.push_str(&format!(
                ", varav {} personuppgiftsincidenter; {} anmäldes till IMY",
                number(p),
                number(imy)
            )),
            (Some(p), None) => s.push_str(&format!(
                ", varav {} personuppgiftsincidenter (uppgift om anmälan till IMY saknas)",
                number(p)
            )),
            _ => s.push_str(" (uppgift om personuppgiftsincidenter saknas)"),
        }
        if let Some(late) = f.value(KpiId::IncidentsImyLate).filter(|l| *l > 0.0) {
            s.push_str(&format!(
                ", varav {} senare än {} timmar efter upptäckt",
                number(late),
                f.context.imy_deadline_hours
            ));
        }
        s.push('.');
        found.push((status_rank(KpiId::IncidentsImyLate).min(2), s));
    }
    if let (Some(rate), Some(n)) = (
        f.value(KpiId::RegisterCompleteRate),
        f.value(KpiId::RegisterActivities),
    ) {
        let mut s = format!(
            "Registerförteckningen har alla uppgifter enligt artikel 30 för {} av {} behandlingar",
            percent(rate),
            number(n)
        );
        if let Some(stale) = f.value(KpiId::RegisterStale).filter(|s| *s > 0.0) {
            s.push_str(&format!(
                ", och {} behandlingar har inte reviderats det senaste året",
                number(stale)
            ));
        }
        s.push('.');
        let rank = status_rank(KpiId::RegisterCompleteRate).min(status_rank(KpiId::RegisterStale));
        found.push((rank, s));
    }
    if let (Some(rate), Some(n)) = (
        f.value(KpiId::ClassificationClassifiedRate),
        f.value(KpiId::ClassificationAssets),
    ) {
        found.push((
            status_rank(KpiId::ClassificationClassifiedRate),
            format!(
                "Av {} informationstillgångar är {} klassade för konfidentialitet, riktighet och tillgänglighet.",
                number(n),
                percent(rate)
            ),
        ));
    }
    if let (Some(total), Some(overdue)) =
        (f.value(KpiId::ActionsTotal), f.value(KpiId::ActionsOverdue))
    {
        let done = f.value(KpiId::ActionsDone).unwrap_or(0.0);
        found.push((
            status_rank(KpiId::ActionsOverdue),
            format!(
                "Åtgärdsplanen har {} åtgärder, varav {} genomförda och {} försenade.",
                number(total),
                number(done),
                number(overdue)
            ),
        ));
    }
    if let (Some(total), Some(high)) = (f.value(KpiId::RisksTotal), f.value(KpiId::RisksHigh)) {
        found.push((
            if high > 0.0 { 2 } else { 3 },
            format!(
                "Riskregistret har {} risker, varav {} höga.",
                number(total),
                number(high)
            ),
        ));
    }
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().take(5).map(|(_, s)| s).collect()
}

fn proposals(f: &Figures, missing_inputs: &[String]) -> Vec<String> {
    let mut out = vec![
        format!(
            "att godkänna Ledningens genomgång {} för {},",
            f.year, f.unit
        ),
        format!(
            "att fastställa det prioriterade arbetet för {} och {} enligt avsnitt 4,",
            f.year + 1,
            f.year + 2
        ),
    ];
    if !missing_inputs.is_empty() {
        out.push(
            "att uppdra åt informationssäkerhetssamordnaren att ta fram det underlag som saknades till nästa genomgång,"
                .to_string(),
        );
    }
    out.push(format!(
        "att nästa ledningens genomgång, för {}, redovisas under {}.",
        f.year + 1,
        f.year + 2
    ));
    out
}
