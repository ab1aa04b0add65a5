//! The names the whole program agrees on: the input kinds, the column roles with their
//! facts (Swedish label, configuration group, whether values are masked, person-key
//! priority), and the KPI ids with their kind and unit.
//!
//! This is the bottom layer: it imports nothing of the crate, and every other module
//! refers to these typed names instead of writing string literals, so a misspelt id is a
//! compile error rather than a KPI that silently never appears.

use serde::Serialize;

/// The kinds of input sheet genomgang recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    Training,
    TrainingWide,
    Roster,
    Incidents,
    Register,
    Classification,
    Risks,
    Actions,
}

impl InputKind {
    pub const ALL: [InputKind; 8] = [
        InputKind::Training,
        InputKind::TrainingWide,
        InputKind::Roster,
        InputKind::Incidents,
        InputKind::Register,
        InputKind::Classification,
        InputKind::Risks,
        InputKind::Actions,
    ];

    /// Swedish name for messages and the Källor sheet.
    pub fn label(self) -> &'static str {
        match self {
            InputKind::Training => "Utbildning (lista)",
            InputKind::TrainingWide => "Utbildning (matris)",
            InputKind::Roster => "Personal",
            InputKind::Incidents => "Incidenter",
            InputKind::Register => "Registerförteckning",
            InputKind::Classification => "Informationsklassning",
            InputKind::Risks => "Risker",
            InputKind::Actions => "Åtgärder",
        }
    }
}

/// Facts about one column role (the keys of the `[headers.*]` tables of the
/// configuration).
#[derive(Debug, Clone, Copy)]
pub struct RoleInfo {
    /// The role's key, as written in the configuration.
    pub key: &'static str,
    /// Swedish label for messages and the Källor sheet.
    pub label: &'static str,
    /// Values may identify a person or hold free text: never shown in an output.
    pub masked: bool,
}

const fn role(key: &'static str, label: &'static str, masked: bool) -> RoleInfo {
    RoleInfo { key, label, masked }
}

/// Every role genomgang knows. Person identifiers come first, in matching priority
/// (see [`PERSON_ROLES`]).
pub const ROLES: &[RoleInfo] = &[
    role("employee_number", "anställningsnummer", true),
    role("personal_number", "personnummer", true),
    role("user_id", "användar-id", true),
    role("email", "e-post", true),
    role("name", "namn", true),
    role("first_name", "förnamn", true),
    role("last_name", "efternamn", true),
    role("unit", "enhet", false),
    role("administration", "förvaltning", false),
    role("course", "kurs", false),
    role("completion_status", "status", false),
    role("completion_date", "slutfört datum", false),
    role("title", "befattning", false),
    role("employment_type", "anställningsform", false),
    role("case_id", "ärendenummer", false),
    role("event_date", "händelsedatum", false),
    role("discovered_date", "upptäckt", false),
    role("registered_date", "registrerad", false),
    role("category", "kategori", false),
    role("personal_data", "personuppgiftsincident", false),
    role("reported_imy", "anmäld till IMY", false),
    role("reported_msb", "anmäld till MSB/MCF", false),
    role("reported_date", "anmält datum", false),
    role("status", "status", false),
    role("description", "beskrivning", true),
    role("activity", "behandling", false),
    role("purpose", "ändamål", false),
    role("legal_basis", "rättslig grund", false),
    role("data_subjects", "kategorier av registrerade", false),
    role("data_categories", "kategorier av personuppgifter", false),
    role("sensitive", "känsliga personuppgifter", false),
    role("recipients", "mottagare", false),
    role("third_country", "tredjelandsöverföring", false),
    role("retention", "lagringstid", false),
    role("security", "säkerhetsåtgärder", false),
    role("processor", "personuppgiftsbiträde", false),
    role("owner", "ansvarig", true),
    role("last_reviewed", "senast reviderad", false),
    role("asset", "informationstillgång", false),
    role("confidentiality", "konfidentialitet", false),
    role("integrity", "riktighet", false),
    role("availability", "tillgänglighet", false),
    role("traceability", "spårbarhet", false),
    role("classified_date", "klassad datum", false),
    role("risk", "risk", false),
    role("likelihood", "sannolikhet", false),
    role("consequence", "konsekvens", false),
    role("value", "riskvärde", false),
    role("action", "åtgärd", false),
    role("deadline", "klart senast", false),
    role("year", "år", false),
];

/// Roles of the person identifier group, in matching priority.
pub const PERSON_ROLES: [&str; 5] = [
    "employee_number",
    "personal_number",
    "user_id",
    "email",
    "name",
];

/// The facts of a role, if genomgang knows it.
pub fn role_info(key: &str) -> Option<&'static RoleInfo> {
    ROLES.iter().find(|r| r.key == key)
}

/// Swedish label of a role, for messages (the key itself when unknown).
pub fn role_label(key: &str) -> &str {
    role_info(key).map(|r| r.label).unwrap_or(key)
}

/// True when values of this role could identify a person or hold free text.
pub fn role_is_masked(key: &str) -> bool {
    role_info(key).is_some_and(|r| r.masked)
}

/// Priority of a person-identifier role (0 = most reliable), or `None` for other roles.
pub fn person_priority(key: &str) -> Option<usize> {
    PERSON_ROLES.iter().position(|p| *p == key)
}

/// The Art. 30 fields a complete register entry has: role and Swedish label.
pub const ART30_FIELDS: [(&str, &str); 7] = [
    ("purpose", "Ändamål"),
    ("data_subjects", "Kategorier av registrerade"),
    ("data_categories", "Kategorier av personuppgifter"),
    ("recipients", "Mottagare"),
    ("retention", "Lagringstid/gallring"),
    ("security", "Säkerhetsåtgärder"),
    ("legal_basis", "Rättslig grund"),
];

/// The classification aspects an asset is rated for: role and Swedish label.
pub const ASPECTS: [(&str, &str); 3] = [
    ("confidentiality", "Konfidentialitet"),
    ("integrity", "Riktighet"),
    ("availability", "Tillgänglighet"),
];

/// Version of the KPI document (`--json`, and the workbook's hidden data sheet), as
/// described by `schema/kpi.schema.json`. Raise it when a field changes meaning or is
/// removed; a reader accepts every version up to its own.
pub const KPI_SCHEMA_VERSION: u32 = 1;

/// The hidden sheet of every review workbook that holds its KPI document as JSON, so
/// that next year's run reads the figures back without depending on the visible layout.
pub const KPI_DATA_SHEET: &str = "Nyckeltalsdata";

/// How a KPI value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Count,
    /// A fraction 0–1 shown as percent.
    Rate,
}

/// Which way a KPI should move: decides colours in comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither is better (a size, such as the number of employees).
    Neutral,
}

/// The stable KPI ids of SPEC §5 (the per-category incident counts are
/// [`KpiKey::Category`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KpiId {
    TrainingHeadcount,
    TrainingCompletedAll,
    TrainingCompletionRateAll,
    IncidentsTotal,
    IncidentsPersonalData,
    IncidentsReportedImy,
    IncidentsReportedMsb,
    IncidentsImyLate,
    RegisterActivities,
    RegisterCompleteRate,
    RegisterStale,
    ClassificationAssets,
    ClassificationClassifiedRate,
    RisksTotal,
    RisksHigh,
    ActionsTotal,
    ActionsDone,
    ActionsOverdue,
}

impl KpiId {
    /// Every fixed KPI, in the order of the summary and the comparison.
    pub const ALL: [KpiId; 18] = [
        KpiId::TrainingHeadcount,
        KpiId::TrainingCompletedAll,
        KpiId::TrainingCompletionRateAll,
        KpiId::IncidentsTotal,
        KpiId::IncidentsPersonalData,
        KpiId::IncidentsReportedImy,
        KpiId::IncidentsReportedMsb,
        KpiId::IncidentsImyLate,
        KpiId::RegisterActivities,
        KpiId::RegisterCompleteRate,
        KpiId::RegisterStale,
        KpiId::ClassificationAssets,
        KpiId::ClassificationClassifiedRate,
        KpiId::RisksTotal,
        KpiId::RisksHigh,
        KpiId::ActionsTotal,
        KpiId::ActionsDone,
        KpiId::ActionsOverdue,
    ];

    /// The id as written in JSON and in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiId::TrainingHeadcount => "training.headcount",
            KpiId::TrainingCompletedAll => "training.completed_all",
            KpiId::TrainingCompletionRateAll => "training.completion_rate_all",
            KpiId::IncidentsTotal => "incidents.total",
            KpiId::IncidentsPersonalData => "incidents.personal_data",
            KpiId::IncidentsReportedImy => "incidents.reported_imy",
            KpiId::IncidentsReportedMsb => "incidents.reported_msb",
            KpiId::IncidentsImyLate => "incidents.imy_late",
            KpiId::RegisterActivities => "register.activities",
            KpiId::RegisterCompleteRate => "register.complete_rate",
            KpiId::RegisterStale => "register.stale",
            KpiId::ClassificationAssets => "classification.assets",
            KpiId::ClassificationClassifiedRate => "classification.classified_rate",
            KpiId::RisksTotal => "risks.total",
            KpiId::RisksHigh => "risks.high",
            KpiId::ActionsTotal => "actions.total",
            KpiId::ActionsDone => "actions.done",
            KpiId::ActionsOverdue => "actions.overdue",
        }
    }

    pub fn parse(id: &str) -> Option<KpiId> {
        KpiId::ALL.into_iter().find(|k| k.as_str() == id)
    }

    pub fn kind(self) -> ValueKind {
        match self {
            KpiId::TrainingCompletionRateAll
            | KpiId::RegisterCompleteRate
            | KpiId::ClassificationClassifiedRate => ValueKind::Rate,
            _ => ValueKind::Count,
        }
    }

    /// For a rate, the count it is a share of (pooled over units in comparisons).
    pub fn denominator(self) -> Option<KpiId> {
        match self {
            KpiId::TrainingCompletionRateAll => Some(KpiId::TrainingHeadcount),
            KpiId::RegisterCompleteRate => Some(KpiId::RegisterActivities),
            KpiId::ClassificationClassifiedRate => Some(KpiId::ClassificationAssets),
            _ => None,
        }
    }

    pub fn better(self) -> Better {
        match self {
            KpiId::TrainingCompletedAll
            | KpiId::TrainingCompletionRateAll
            | KpiId::RegisterCompleteRate
            | KpiId::ClassificationClassifiedRate
            | KpiId::ActionsDone => Better::Higher,
            KpiId::IncidentsImyLate
            | KpiId::RegisterStale
            | KpiId::RisksHigh
            | KpiId::ActionsOverdue => Better::Lower,
            _ => Better::Neutral,
        }
    }

    /// The workbook sheet that breaks this KPI down.
    pub fn sheet(self) -> &'static str {
        match self {
            KpiId::TrainingHeadcount
            | KpiId::TrainingCompletedAll
            | KpiId::TrainingCompletionRateAll => "Utbildning",
            KpiId::IncidentsTotal
            | KpiId::IncidentsPersonalData
            | KpiId::IncidentsReportedImy
            | KpiId::IncidentsReportedMsb
            | KpiId::IncidentsImyLate => "Incidenter",
            KpiId::RegisterActivities | KpiId::RegisterCompleteRate | KpiId::RegisterStale => {
                "Registerförteckning"
            }
            KpiId::ClassificationAssets | KpiId::ClassificationClassifiedRate => {
                "Informationsklassning"
            }
            KpiId::RisksTotal | KpiId::RisksHigh => "Risker",
            KpiId::ActionsTotal | KpiId::ActionsDone | KpiId::ActionsOverdue => "Åtgärder",
        }
    }

    /// Short column heading for the comparison workbook.
    pub fn short_label(self, authority: &str) -> String {
        match self {
            KpiId::TrainingHeadcount => "Medarbetare".into(),
            KpiId::TrainingCompletedAll => "Genomfört alla oblig. utb.".into(),
            KpiId::TrainingCompletionRateAll => "Andel genomfört".into(),
            KpiId::IncidentsTotal => "Incidenter".into(),
            KpiId::IncidentsPersonalData => "Personuppgiftsincidenter".into(),
            KpiId::IncidentsReportedImy => "Anmälda till IMY".into(),
            KpiId::IncidentsReportedMsb => format!("Anmälda till {authority}"),
            KpiId::IncidentsImyLate => "IMY-anmälan > 72 h".into(),
            KpiId::RegisterActivities => "Behandlingar".into(),
            KpiId::RegisterCompleteRate => "Andel kompletta behandlingar".into(),
            KpiId::RegisterStale => "Ej reviderade behandlingar".into(),
            KpiId::ClassificationAssets => "Informationstillgångar".into(),
            KpiId::ClassificationClassifiedRate => "Andel klassade".into(),
            KpiId::RisksTotal => "Risker".into(),
            KpiId::RisksHigh => "Höga risker".into(),
            KpiId::ActionsTotal => "Åtgärder".into(),
            KpiId::ActionsDone => "Genomförda åtgärder".into(),
            KpiId::ActionsOverdue => "Försenade åtgärder".into(),
        }
    }
}

impl std::fmt::Display for KpiId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A KPI's key: one of the fixed ids, or the count of one configured incident category.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KpiKey {
    Fixed(KpiId),
    /// `incidents.category.SLUG`.
    Category(String),
}

const CATEGORY_PREFIX: &str = "incidents.category.";

impl KpiKey {
    /// Parses an id as written in JSON or the configuration; `None` when unknown.
    /// Category slugs are not checked here (they come from the configuration).
    pub fn parse(id: &str) -> Option<KpiKey> {
        if let Some(slug) = id.strip_prefix(CATEGORY_PREFIX) {
            return (!slug.is_empty()).then(|| KpiKey::Category(slug.to_string()));
        }
        KpiId::parse(id).map(KpiKey::Fixed)
    }

    pub fn kind(&self) -> ValueKind {
        match self {
            KpiKey::Fixed(id) => id.kind(),
            KpiKey::Category(_) => ValueKind::Count,
        }
    }

    pub fn fixed(&self) -> Option<KpiId> {
        match self {
            KpiKey::Fixed(id) => Some(*id),
            KpiKey::Category(_) => None,
        }
    }
}

impl std::fmt::Display for KpiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KpiKey::Fixed(id) => f.write_str(id.as_str()),
            KpiKey::Category(slug) => write!(f, "{CATEGORY_PREFIX}{slug}"),
        }
    }
}

impl Serialize for KpiKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KpiKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KpiKey, D::Error> {
        let text = String::deserialize(d)?;
        KpiKey::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("okänt nyckeltal \"{text}\" (se KPI-id i README)"))
        })
    }
}

impl From<KpiId> for KpiKey {
    fn from(id: KpiId) -> KpiKey {
        KpiKey::Fixed(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for id in KpiId::ALL {
            assert_eq!(KpiId::parse(id.as_str()), Some(id));
            assert_eq!(KpiKey::parse(id.as_str()), Some(KpiKey::Fixed(id)));
        }
        assert_eq!(
            KpiKey::parse("incidents.category.phishing"),
            Some(KpiKey::Category("phishing".into()))
        );
        assert_eq!(KpiKey::parse("incidents.totl"), None);
    }

    #[test]
    fn person_roles_are_known_and_masked() {
        for r in PERSON_ROLES {
            assert!(role_is_masked(r), "{r}");
        }
        assert_eq!(person_priority("email"), Some(3));
        assert_eq!(role_label("event_date"), "händelsedatum");
    }
}
