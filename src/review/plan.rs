//! What the review concludes and proposes: the decision page (3–5 conclusions drawn
//! from the figures, "Förslag till beslut") and section 4's prioritised work, one item
//! per theme (NIS2, lokal anvisning, informationsklassning, behörighet, incidentrutin,
//! registerförteckning, utbildning, risker), each with its evidence and the action
//! plan's own actions merged in and its owner named, ordered by what matters: missing
//! inputs first, then the red figures furthest from their targets, legal obligations,
//! overdue actions, yellow figures and the rest of the plan. The decision page proposes
//! plain approval only when nothing is red or missing; otherwise its proposals address
//! the worst results and the missing inputs by name.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::{Config, ThemeConfig, When};
use crate::kpi::{ActionRow, Kpi, Status};
use crate::review::format::{count, format_value, join_and, number, percent, upper_first};
use crate::review::{Figures, IsoRow};
use crate::schema::{InputKind, KpiId, ValueKind};
use crate::textnorm::normalize;

/// One item of the prioritised work.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanItem {
    /// The theme, e.g. "Registerförteckning".
    pub title: String,
    /// What to do and why, in sentences, with the owner when the action plan has one.
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
    /// ISO/IEC 27001 9.3.2 inputs the review does not answer (or answers only with
    /// default text), as sentences for the decision page.
    pub iso_gaps: Vec<String>,
}

/// A theme being filled: its severity (lower is more urgent) and what it says.
struct Draft {
    title: String,
    severity: u8,
    order: usize,
    proposal: Option<String>,
    evidence: Vec<String>,
    actions: Vec<String>,
    /// Owners of the plan's actions in this theme, as functions.
    owners: Vec<String>,
    /// How far the theme's worst red rate is from its target (0–1), for the order.
    shortfall: f64,
    /// The theme's worst red figure (for the decision page).
    worst: Option<KpiKeyed>,
}

/// A red figure and the rule that names it.
#[derive(Clone)]
struct KpiKeyed {
    kpi: Kpi,
    threshold: f64,
}

/// Severity tiers of section 4 (lower is more urgent).
mod tier {
    pub const MISSING: u8 = 0;
    pub const RED_RATE: u8 = 1;
    pub const RED_COUNT: u8 = 2;
    pub const LEGAL: u8 = 3;
    pub const OVERDUE: u8 = 4;
    pub const YELLOW: u8 = 5;
    pub const PLANNED: u8 = 6;
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

pub fn build(f: &Figures, cfg: &Config, iso: &[IsoRow]) -> Plan {
    let missing_inputs: Vec<String> = EXPECTED_INPUTS
        .iter()
        .filter(|(kinds, _)| !kinds.iter().any(|k| f.context.kinds_present.contains(k)))
        .map(|(_, name)| name.to_string())
        .collect();
    let iso_gaps = iso_gaps(iso);
    let (next, later, worst) = prioritised_work(f, cfg, &missing_inputs);
    Plan {
        conclusions: conclusions(f, &missing_inputs, iso),
        proposals: proposals(f, &missing_inputs, iso, &worst),
        next,
        later,
        missing_inputs,
        iso_gaps,
    }
}

/// "Punkt 9.3.2 c) – förändringar i intressenters behov och förväntningar. Underlag
/// saknas."
fn iso_gaps(iso: &[IsoRow]) -> Vec<String> {
    iso.iter()
        .filter(|r| r.clause.starts_with("9.3.2") && r.status() != "Ja")
        .map(|r| {
            let state = if r.partly.is_some() {
                r.status().to_string()
            } else {
                "Underlag saknas".to_string()
            };
            format!(
                "Punkt {} – {}. {state}.",
                r.clause,
                lower_first(&r.requirement)
            )
        })
        .collect()
}

/// The name of a 9.3.2 input as the decision page proposes to complete it:
/// "revisionsresultat" (the part after "Återkoppling om prestanda: ").
fn iso_input_name(r: &IsoRow) -> String {
    let name = r
        .requirement
        .rsplit_once(": ")
        .map(|(_, n)| n)
        .unwrap_or(&r.requirement);
    lower_first(name)
}

/// "c", "d 3": a clause's letter as it stands inside parentheses.
fn iso_letter(r: &IsoRow) -> String {
    r.clause
        .trim_start_matches("9.3.2")
        .replace(')', "")
        .trim()
        .to_string()
}

/// The 9.3.2 inputs an input file answers (the action plan, the incident log, the
/// measured lists, the risk register), not a text the unit writes.
const FILE_ANSWERED: [&str; 4] = ["9.3.2 a)", "9.3.2 d) 1)", "9.3.2 d) 2)", "9.3.2 f)"];

/// The first letter in lower case (the requirement texts start a sentence).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// A function as the decision page names it: "ISAM" spelled out the first time.
fn function_name(owner: &str) -> String {
    match owner.trim() {
        "" | "ISAM" => "informationssäkerhetssamordnaren (ISAM)".to_string(),
        "DSO" => "dataskyddsombudet (DSO)".to_string(),
        o => o.to_string(),
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

/// An action of the plan as a sentence: "Revidera lokal anvisning, som skulle ha varit
/// klar 2025-09-30." (one level of parentheses at most: the name may hold its own).
fn action_text(a: &ActionRow, year: i32) -> String {
    let name = upper_first(a.action.trim().trim_end_matches('.'));
    match a.deadline {
        Some(d) if d.year() <= year => format!("{name}, som skulle ha varit klar {d}."),
        Some(d) => format!("{name}, klart senast {d}."),
        None => format!("{name}."),
    }
}

/// Replaces `{value}`, `{threshold}`, `{previous}` and `{value|singular|plural}` (a
/// count with its noun in agreement: "1 behandling", "9 behandlingar").
fn fill_rule(text: &str, kpi: &Kpi, value: f64, threshold: f64) -> String {
    let previous = kpi
        .previous
        .map(|p| format_value(p, kpi.kind))
        .unwrap_or_else(|| "–".to_string());
    let mut out = text.to_string();
    while let Some(start) = out.find("{value|") {
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let inner = out[start + "{value|".len()..start + len].to_string();
        let (singular, plural) = inner.split_once('|').unwrap_or((&inner, &inner));
        let words = match kpi.kind {
            ValueKind::Count => count(value, singular, plural),
            ValueKind::Rate => format!("{} {plural}", percent(value)),
        };
        out.replace_range(start..start + len + 1, &words);
    }
    out.replace("{value}", &format_value(value, kpi.kind))
        .replace("{threshold}", &format_value(threshold, kpi.kind))
        .replace("{previous}", &previous)
}

fn prioritised_work(
    f: &Figures,
    cfg: &Config,
    missing_inputs: &[String],
) -> (Vec<PlanItem>, Vec<String>, Vec<(String, KpiKeyed)>) {
    let year = f.year;
    let themes = &cfg.themes;
    let blank = |title: &str, order: usize| Draft {
        title: title.to_string(),
        severity: u8::MAX,
        order,
        proposal: None,
        evidence: Vec::new(),
        actions: Vec::new(),
        owners: Vec::new(),
        shortfall: 0.0,
        worst: None,
    };
    let mut drafts: Vec<Draft> = themes
        .iter()
        .enumerate()
        .map(|(order, t)| blank(&t.title, order))
        .collect();
    let draft_for = |drafts: &mut Vec<Draft>, title: &str| -> usize {
        match drafts
            .iter()
            .position(|d| d.title.to_lowercase() == title.to_lowercase())
        {
            Some(i) => i,
            None => {
                drafts.push(blank(title, usize::MAX / 2 + drafts.len()));
                drafts.len() - 1
            }
        }
    };

    // Legal obligations in force by the year after the review.
    let authority = cfg.nis_authority(year + 1);
    for (i, t) in themes.iter().enumerate() {
        if let (Some(from), Some(text)) = (t.legal_from_year, &t.legal_text) {
            if year >= from {
                drafts[i].severity = drafts[i].severity.min(tier::LEGAL);
                drafts[i].proposal = Some(text.replace("{myndighet}", &authority));
            }
        }
    }

    // Rules on the figures: a red rate ranks by how far it is from its target.
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
        let i = draft_for(&mut drafts, &rule.title);
        let (severity, shortfall) = match (kpi.status, kpi.kind) {
            (Status::Bad, ValueKind::Rate) => {
                let target = kpi.target.unwrap_or(rule.threshold);
                let gap = if target.abs() > 1e-9 {
                    ((target - value) / target).abs()
                } else {
                    (value - target).abs()
                };
                (tier::RED_RATE, gap)
            }
            (Status::Bad, ValueKind::Count) => (tier::RED_COUNT, 0.0),
            _ => (tier::YELLOW, 0.0),
        };
        let d = &mut drafts[i];
        if severity < d.severity || (severity == d.severity && shortfall > d.shortfall) {
            d.shortfall = shortfall;
        }
        if kpi.status == Status::Bad
            && d.worst
                .as_ref()
                .is_none_or(|w| severity == tier::RED_RATE && w.kpi.kind == ValueKind::Count)
        {
            d.worst = Some(KpiKeyed {
                kpi: kpi.clone(),
                threshold: rule.threshold,
            });
        }
        d.severity = d.severity.min(severity);
        if d.proposal.is_none() || severity < tier::LEGAL {
            // A red figure's own proposal says more than a legal boilerplate would.
            if d.proposal.is_none() {
                d.proposal = Some(fill_rule(&rule.text, kpi, value, rule.threshold));
            }
        }
        if let Some(evidence) = &rule.evidence {
            d.evidence
                .push(fill_rule(evidence, kpi, value, rule.threshold));
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
            let text = action_text(a, year);
            later.push(match &theme {
                Some(t) => format!("{t}: {text}"),
                None => text,
            });
            continue;
        }
        let title = theme.unwrap_or_else(|| "Övriga åtgärder i åtgärdsplanen".to_string());
        let i = draft_for(&mut drafts, &title);
        let overdue = a.deadline.is_some_and(|d| d.year() <= year);
        let d = &mut drafts[i];
        d.severity = d.severity.min(if overdue {
            tier::OVERDUE
        } else {
            tier::PLANNED
        });
        d.actions.push(action_text(a, year));
        if let Some(owner) = a.owner.as_deref().filter(|o| !o.trim().is_empty()) {
            if !d.owners.iter().any(|o| o == owner) {
                d.owners.push(owner.to_string());
            }
        }
    }

    let mut items: Vec<(u8, i64, usize, PlanItem)> = Vec::new();
    if !missing_inputs.is_empty() {
        items.push((
            tier::MISSING,
            0,
            0,
            PlanItem {
                title: "Underlag".to_string(),
                text: format!(
                    "Ta fram det underlag som saknades i år, {}, så att nästa genomgång kan bedöma hela arbetet.",
                    join_and(missing_inputs)
                ),
            },
        ));
    }
    let mut worst: Vec<(u8, i64, usize, String, KpiKeyed)> = Vec::new();
    for d in drafts.into_iter().filter(|d| d.severity != u8::MAX) {
        // The plan's own actions say what is to be done; a rule's proposal stands in
        // only when the plan has nothing for the theme.
        let mut text = if d.actions.is_empty() {
            d.proposal.clone().unwrap_or_default()
        } else {
            d.actions.join(" ")
        };
        for e in &d.evidence {
            text.push(' ');
            text.push_str(e);
        }
        if !d.owners.is_empty() {
            text.push_str(&format!(
                " Ansvarig enligt åtgärdsplanen: {}.",
                join_and(&d.owners)
            ));
        } else if d
            .worst
            .as_ref()
            .is_some_and(|w| w.kpi.id.fixed() == Some(KpiId::RisksHigh))
        {
            // The risk register names who owns the high risks.
            let mut owners: Vec<String> = Vec::new();
            for r in f.breakdowns.risks.iter().filter(|r| r.high) {
                if let Some(o) = r.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
                    if !owners.iter().any(|x| x == o) {
                        owners.push(o.to_string());
                    }
                }
            }
            if !owners.is_empty() {
                text.push_str(&format!(
                    " Riskägare enligt riskregistret: {}.",
                    join_and(&owners)
                ));
            }
        }
        // Larger shortfalls first: the key is the negated shortfall in thousandths.
        let gap = -(d.shortfall * 1000.0).round() as i64;
        let owner = d.owners.first().cloned().unwrap_or_default();
        if let Some(w) = d.worst.clone() {
            worst.push((d.severity, gap, d.order, owner, w));
        }
        items.push((
            d.severity,
            gap,
            d.order,
            PlanItem {
                title: d.title,
                text: text.trim().to_string(),
            },
        ));
    }
    items.sort_by_key(|(severity, gap, order, _)| (*severity, *gap, *order));
    worst.sort_by_key(|(severity, gap, order, ..)| (*severity, *gap, *order));
    let mut next: Vec<PlanItem> = items.into_iter().map(|(.., item)| item).collect();
    if next.is_empty() {
        next.push(PlanItem {
            title: "Uppföljning".to_string(),
            text: "Upprätthålla nuvarande nivå i informationssäkerhets- och dataskyddsarbetet och följa upp nyckeltalen vid nästa genomgång.".to_string(),
        });
    }
    // The year after: later actions, then the standing items not already said.
    let said: Vec<String> = next.iter().map(|i| normalize(&i.text)).collect();
    for standing in &cfg.standing_priorities {
        let key = normalize(standing);
        if key.is_empty()
            || later.iter().any(|l| normalize(l) == key)
            || said.iter().any(|s| s.contains(&key))
        {
            continue;
        }
        later.push(standing.clone());
    }
    let mut seen: Vec<String> = Vec::new();
    later.retain(|l| {
        let key = normalize(l);
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    let worst = worst.into_iter().map(|(.., owner, w)| (owner, w)).collect();
    (next, later, worst)
}

/// A count in words for the start of a sentence is avoided: conclusions always start
/// with a word, and counts follow Swedish typography (thousands with a space).
fn conclusions(f: &Figures, missing_inputs: &[String], iso: &[IsoRow]) -> Vec<String> {
    let inputs_93 = iso.iter().filter(|r| r.clause.starts_with("9.3.2")).count();
    let iso_gaps = iso_gaps(iso).len();
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
    if iso_gaps > 0 {
        found.push((
            0,
            format!(
                "Underlag saknas för {iso_gaps} av de {inputs_93} punkter som ISO/IEC 27001 avsnitt 9.3.2 kräver; de anges under Underlag som saknas."
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
        if let Some(a) = training_assumption(f) {
            s.push(' ');
            s.push_str(&a);
        }
        found.push((status_rank(KpiId::TrainingCompletionRateAll), s));
    }
    if let Some(total) = f.value(KpiId::IncidentsTotal) {
        let mut s = format!(
            "Under {} registrerades {}",
            f.year,
            count(total, "incident", "incidenter")
        );
        match (
            f.value(KpiId::IncidentsPersonalData),
            f.value(KpiId::IncidentsReportedImy),
        ) {
            (Some(p), Some(imy)) => s.push_str(&format!(
                ", varav {}; {} anmäldes till IMY",
                count(p, "personuppgiftsincident", "personuppgiftsincidenter"),
                number(imy)
            )),
            (Some(p), None) => s.push_str(&format!(
                ", varav {}; uppgift om anmälan till IMY saknas",
                count(p, "personuppgiftsincident", "personuppgiftsincidenter")
            )),
            _ => s.push_str("; uppgift om personuppgiftsincidenter saknas"),
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
            "Registerförteckningen har alla uppgifter enligt artikel 30 för {} av {}",
            percent(rate),
            count(n, "behandling", "behandlingar")
        );
        if let Some(stale) = f.value(KpiId::RegisterStale).filter(|s| *s > 0.0) {
            s.push_str(&format!(
                ", och {} inte reviderats det senaste året",
                count(stale, "behandling har", "behandlingar har")
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
                "Av {} är {} klassade för konfidentialitet, riktighet och tillgänglighet.",
                count(n, "informationstillgång", "informationstillgångar"),
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
                "Åtgärdsplanen har {}, varav {} och {}.",
                count(total, "åtgärd", "åtgärder"),
                count(done, "genomförd", "genomförda"),
                count(overdue, "försenad", "försenade")
            ),
        ));
    }
    if let (Some(total), Some(high)) = (f.value(KpiId::RisksTotal), f.value(KpiId::RisksHigh)) {
        found.push((
            if high > 0.0 { 2 } else { 3 },
            format!(
                "Riskregistret har {}, varav {}.",
                count(total, "risk", "risker"),
                count(high, "hög", "höga")
            ),
        ));
    }
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().take(5).map(|(_, s)| s).collect()
}

/// What the training figure rests on, said where the figure is shown: completions
/// without a date counted as done this year, and last year's rate measured on this
/// year's staff list when last year's headcount is unknown.
pub fn training_assumption(f: &Figures) -> Option<String> {
    let mut parts = Vec::new();
    let undated = f.breakdowns.training_undated;
    if undated > 0 && f.value(KpiId::TrainingCompletionRateAll).is_some() {
        parts.push(format!(
            "kurser utan datum räknas som genomförda under {}, vilket gäller {}",
            f.year,
            count(undated as f64, "genomförd kurs", "genomförda kurser")
        ));
    }
    let rate = f.kpi(KpiId::TrainingCompletionRateAll);
    let headcount = f.kpi(KpiId::TrainingHeadcount);
    if rate.is_some_and(|k| k.previous.is_some()) && headcount.is_some_and(|k| k.previous.is_none())
    {
        parts.push(format!(
            "andelen {} är beräknad på personallistan för {}, eftersom antalet medarbetare {} inte är känt",
            f.year - 1,
            f.year,
            f.year - 1
        ));
    }
    (!parts.is_empty()).then(|| format!("{}.", upper_first(&parts.join("; "))))
}

/// What the decision page proposes the unit to be called: its configured name, or
/// "förvaltningen" when the name is only a folder's.
pub fn unit_subject(f: &Figures) -> String {
    if f.context.unit_configured {
        f.unit.clone()
    } else {
        "förvaltningen".to_string()
    }
}

/// The proposal addressing one red figure: "att ge ISAM i uppdrag att nå 90 % …".
fn red_proposal(f: &Figures, owner: &str, w: &KpiKeyed) -> String {
    let k = &w.kpi;
    let who = function_name(owner);
    let next = f.year + 1;
    let value = k.value.unwrap_or(0.0);
    let target = k.target.unwrap_or(w.threshold);
    let now = format!("{}: {}", f.year, format_value(value, k.kind));
    let goal = match k.id.fixed() {
        Some(KpiId::TrainingCompletionRateAll) => format!(
            "nå {} av medarbetarna med genomförda obligatoriska utbildningar i informationssäkerhet och dataskydd under {next} ({now})",
            percent(target)
        ),
        Some(KpiId::RegisterCompleteRate) => format!(
            "nå {} av behandlingarna i registerförteckningen med alla uppgifter enligt artikel 30 under {next} ({now})",
            percent(target)
        ),
        Some(KpiId::ClassificationClassifiedRate) => format!(
            "nå {} klassade informationstillgångar under {next} ({now})",
            percent(target)
        ),
        Some(KpiId::RegisterStale) => format!(
            "revidera {} i registerförteckningen under {next}",
            count(value, "behandling som inte reviderats det senaste året", "behandlingar som inte reviderats det senaste året")
        ),
        Some(KpiId::IncidentsImyLate) => format!(
            "se till att varje anmälan till IMY görs inom {} timmar efter upptäckt ({}: {})",
            f.context.imy_deadline_hours,
            f.year,
            count(value, "sen anmälan", "sena anmälningar")
        ),
        Some(KpiId::RisksHigh) => format!(
            "ta fram åtgärder med ansvarig och slutdatum för {} i riskregistret",
            count(value, "hög risk", "höga risker")
        ),
        Some(KpiId::ActionsOverdue) => format!(
            "slutföra {} i åtgärdsplanen",
            count(value, "försenad åtgärd", "försenade åtgärder")
        ),
        _ => format!(
            "nå målet {} för {} under {next} ({now})",
            format_value(target, k.kind),
            k.label.to_lowercase()
        ),
    };
    format!("att ge {who} i uppdrag att {goal},")
}

fn proposals(
    f: &Figures,
    missing_inputs: &[String],
    iso: &[IsoRow],
    worst: &[(String, KpiKeyed)],
) -> Vec<String> {
    let subject = unit_subject(f);
    let any_red = f.kpis.iter().any(|k| k.status == Status::Bad);
    let gaps: Vec<&IsoRow> = iso
        .iter()
        .filter(|r| r.clause.starts_with("9.3.2") && r.status() != "Ja")
        .collect();
    let mut out = Vec::new();
    if !any_red && missing_inputs.is_empty() && gaps.is_empty() {
        out.push(format!(
            "att godkänna Ledningens genomgång {} för {subject},",
            f.year
        ));
    } else {
        out.push(format!(
            "att ta del av Ledningens genomgång {} för {subject} och de brister som redovisas i slutsatserna,",
            f.year
        ));
    }
    for (owner, w) in worst.iter().take(3) {
        out.push(red_proposal(f, owner, w));
    }
    if !missing_inputs.is_empty() {
        out.push(format!(
            "att ge informationssäkerhetssamordnaren (ISAM) i uppdrag att ta fram det underlag som saknades i år, {}, till nästa genomgång,",
            join_and(missing_inputs)
        ));
    }
    // Inputs that a missing file answers are proposed with the file above; here only
    // what the unit writes itself (the text sections) is left.
    let gaps: Vec<&IsoRow> = if missing_inputs.is_empty() {
        gaps
    } else {
        gaps.into_iter()
            .filter(|r| !FILE_ANSWERED.contains(&r.clause.as_str()))
            .collect()
    };
    if !gaps.is_empty() {
        let names: Vec<String> = gaps.iter().map(|r| iso_input_name(r)).collect();
        let letters: Vec<String> = gaps.iter().map(|r| iso_letter(r)).collect();
        out.push(format!(
            "att komplettera underlaget för {} (ISO/IEC 27001 9.3.2 {}) till nästa genomgång,",
            join_and(&names),
            join_and(&letters)
        ));
    }
    out.push(format!(
        "att fastställa det prioriterade arbetet för {} och {} enligt avsnitt 4,",
        f.year + 1,
        f.year + 2
    ));
    out.push(format!(
        "att nästa ledningens genomgång, för {}, redovisas under {}.",
        f.year + 1,
        f.year + 2
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::Kpi;
    use crate::review::{iso, text};

    /// Figures with every input present and every KPI green, and the section files
    /// `sections` in the input folder.
    fn green_figures(sections: &[&str]) -> Figures {
        let mut f = crate::review::tests_support::empty_figures();
        f.context.unit_configured = true;
        f.context.kinds_present = vec![
            InputKind::Training,
            InputKind::Incidents,
            InputKind::Register,
            InputKind::Classification,
            InputKind::Risks,
            InputKind::Actions,
        ];
        f.context.sections = sections
            .iter()
            .map(|s| (s.to_string(), "Årets egen text.".to_string()))
            .collect();
        f.kpis = KpiId::ALL
            .iter()
            .map(|&id| {
                let rate = id.kind() == ValueKind::Rate;
                let mut k = Kpi::new(id, "Nyckeltal", Some(if rate { 1.0 } else { 0.0 }), None);
                k.target = Some(if rate { 0.9 } else { 0.0 });
                k.status = Status::Good;
                k
            })
            .collect();
        f
    }

    fn plan_and_text(f: &Figures) -> (Plan, String) {
        let cfg = Config::default_config();
        let plan = build(f, &cfg, &iso::rows(f));
        let md = text::render_markdown(f, &plan).unwrap();
        (plan, md)
    }

    #[test]
    fn plain_approval_only_when_nothing_is_red_or_missing() {
        let complete = green_figures(&["omvarld", "intressenter", "handelser"]);
        let (plan, md) = plan_and_text(&complete);
        assert_eq!(
            plan.proposals[0],
            "att godkänna Ledningens genomgång 2025 för Enheten,"
        );
        assert!(plan.iso_gaps.is_empty(), "{:?}", plan.iso_gaps);
        assert!(!md.contains("Underlag som saknas"), "{md}");

        // No handelser.md: 9.3.2 d) 3) is missing, said in the text and proposed.
        let (plan, md) = plan_and_text(&green_figures(&["omvarld", "intressenter"]));
        assert!(!plan.proposals.iter().any(|p| p.contains("godkänna")));
        assert!(plan.proposals.contains(&"att komplettera underlaget för revisionsresultat (ISO/IEC 27001 9.3.2 d 3) till nästa genomgång,".to_string()), "{:?}", plan.proposals);
        assert!(md.contains("### Underlag som saknas"), "{md}");
        assert!(md.contains("- Punkt 9.3.2 d) 3) – återkoppling om prestanda: revisionsresultat. Underlag saknas."), "{md}");
        assert!(
            md.contains(
                "Underlag saknas för 1 av de 10 punkter som ISO/IEC 27001 avsnitt 9.3.2 kräver"
            ),
            "{md}"
        );

        // Default text alone for 2: input b) is not "Ja", and it is proposed.
        let rows = iso::rows(&green_figures(&["intressenter", "handelser"]));
        let b = rows.iter().find(|r| r.clause == "9.3.2 b)").unwrap();
        assert_eq!(b.status(), "Delvis – bara standardtext");
        let (plan, _) = plan_and_text(&green_figures(&["intressenter", "handelser"]));
        assert!(plan.proposals.iter().any(|p| p.contains("förändringar i externa och interna frågor som är relevanta för ledningssystemet (ISO/IEC 27001 9.3.2 b)")), "{:?}", plan.proposals);

        // A red figure: no approval, a proposal with the target and today's figure.
        let mut red = complete.clone();
        let k = red
            .kpis
            .iter_mut()
            .find(|k| k.id == KpiId::TrainingCompletionRateAll.into())
            .unwrap();
        k.value = Some(0.16);
        k.status = Status::Bad;
        let (plan, _) = plan_and_text(&red);
        assert!(plan.proposals[0].starts_with("att ta del av"));
        assert_eq!(plan.proposals[1], "att ge informationssäkerhetssamordnaren (ISAM) i uppdrag att nå 90 % av medarbetarna med genomförda obligatoriska utbildningar i informationssäkerhet och dataskydd under 2026 (2025: 16 %),");
        assert_eq!(plan.next[0].title, "Utbildning");
    }

    #[test]
    fn assumptions_stand_beside_the_training_figure_and_a_folder_is_no_organisation() {
        let mut f = green_figures(&["omvarld", "intressenter", "handelser"]);
        f.breakdowns.training_undated = 335;
        for k in f.kpis.iter_mut() {
            match k.id.fixed() {
                Some(KpiId::TrainingCompletionRateAll) => {
                    k.value = Some(0.33);
                    k.previous = Some(0.092);
                }
                Some(KpiId::TrainingHeadcount) => k.value = Some(1000.0),
                Some(KpiId::TrainingCompletedAll) => k.value = Some(330.0),
                _ => {}
            }
        }
        f.context.unit_configured = false;
        f.unit = "inc_in".to_string();
        let (plan, md) = plan_and_text(&f);
        assert!(md.contains("(330 av 1\u{a0}000; 9,2 % vid utgången av 2024). Kurser utan datum räknas som genomförda under 2025, vilket gäller 335 genomförda kurser; andelen 2024 är beräknad på personallistan för 2025, eftersom antalet medarbetare 2024 inte är känt."), "{md}");
        assert!(
            plan.conclusions
                .iter()
                .any(|c| c.contains("Kurser utan datum räknas som genomförda under 2025")),
            "{:?}",
            plan.conclusions
        );
        // The folder's name is not the organisation in a sentence.
        assert!(
            md.contains("ska förvaltningen ha ett riskbaserat förhållningssätt"),
            "{md}"
        );
        assert!(!md.contains("ska inc"), "{md}");
        assert!(
            plan.proposals[0].contains("för förvaltningen"),
            "{:?}",
            plan.proposals
        );
    }

    #[test]
    fn completed_actions_and_high_risks_are_named_with_their_owner() {
        let mut f = green_figures(&["omvarld", "intressenter", "handelser"]);
        f.breakdowns.actions_done = vec![ActionRow {
            action: "Kampanj under informationssäkerhetsmånaden".into(),
            owner: Some(crate::privacy::owner_label("Kommunikationschef")),
            deadline: None,
            status: "Klar".into(),
            year: Some(2025),
        }];
        f.breakdowns.risks = vec![crate::kpi::RiskRow {
            risk: "Felskick av känsliga uppgifter".into(),
            likelihood: 5.0,
            consequence: 3.0,
            value: 15.0,
            high: true,
            status: "Öppen".into(),
            action: "Spärr för extern e-post".into(),
            // A person's name is screened to "(namngiven person)", never shown.
            owner: Some(crate::privacy::owner_label("Åsa Öberg")),
        }];
        let (_, md) = plan_and_text(&f);
        assert!(
            md.contains(
                "- Kampanj under informationssäkerhetsmånaden – ansvarig: Kommunikationschef."
            ),
            "{md}"
        );
        assert!(md.contains("- Felskick av känsliga uppgifter – riskvärde 15 (sannolikhet 5 × konsekvens 3), ägare: (namngiven person). Planerad åtgärd: Spärr för extern e-post. Status: Öppen."), "{md}");
        assert!(!md.contains("Öberg"));
    }
}
