//! What users may change: header synonyms, mandatory courses, incident categories,
//! KPI targets and thresholds.
//!
//! The defaults live in `templates/genomgang.toml` (compiled in, so the binary runs
//! anywhere). A `genomgang.toml` in the input folder, or `--config FILE`, is merged on
//! top key by key, so a user writes only what differs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::schema::{KpiKey, ROLES};

/// The default configuration, as shipped in `templates/genomgang.toml`.
pub const DEFAULT_TOML: &str = include_str!("../templates/genomgang.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Organisation name shown in the report.
    #[serde(default)]
    pub unit: Option<String>,
    /// Which of the loaded files wrote `unit`, and what: batch takes a unit's name only
    /// from its own folder's file, never from the root's.
    #[serde(skip)]
    pub unit_by_file: Vec<(std::path::PathBuf, String)>,
    /// Review year (default: the latest year with dated incidents or training).
    #[serde(default)]
    pub year: Option<i32>,
    pub training: TrainingConfig,
    pub incidents: IncidentConfig,
    pub risks: RiskConfig,
    pub actions: ActionConfig,
    pub register: RegisterConfig,
    #[serde(default)]
    pub targets: BTreeMap<String, Target>,
    /// Header synonyms: group (person, org, training, ...) → role → synonyms.
    pub headers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Synonyms added to `headers` rather than replacing them: the easy way to teach
    /// genomgang a new export's column names.
    #[serde(default)]
    pub extra_headers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Column mappings for particular files, for exports whose column names are not
    /// worth teaching every file (`[[files]]` in genomgang.toml).
    #[serde(default)]
    pub files: Vec<FileMapping>,
    /// Safety limits for reading files.
    #[serde(default)]
    pub limits: Limits,
    /// Rules that propose prioritised work from KPI values.
    #[serde(default)]
    pub priorities: Vec<PriorityRule>,
    /// Standing items for the second year of the prioritised work.
    #[serde(default)]
    pub standing_priorities: Vec<String>,
    /// Themes of the prioritised work: rules and the action plan's actions are grouped
    /// under them, one item per theme.
    #[serde(default)]
    pub themes: Vec<ThemeConfig>,
    /// The organisation's Word template (`.docx` or `.dotx`) for the review document: its
    /// styles, header and footer are used. A relative path is looked up in the input
    /// folder, then beside the `--config` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dokumentmall: Option<String>,
    /// Name on the Word document's title page as Informationssäkerhetssamordnare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informationssakerhetssamordnare: Option<String>,
    /// Name on the Word document's title page as Dataskyddsombud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataskyddsombud: Option<String>,
    /// Author in the Word document's properties (default: the
    /// Informationssäkerhetssamordnare, else the unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forfattare: Option<String>,
    /// The Word document's date, ÅÅÅÅ-MM-DD (default: SOURCE_DATE_EPOCH when set, else
    /// the day of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dokumentdatum: Option<String>,
    /// Document control on the title page and the workbook's first sheet: version
    /// (default "1.0"), the registry number and who receives the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dokumentversion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diarienummer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
}

/// `[[files]]`: for files whose name matches `file` (`*` and `?` wildcards, case
/// ignored), and optionally only the sheet `sheet`, the header texts in `columns` take
/// the roles given, e.g. `"Typ av händelse" = "category"`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileMapping {
    pub file: String,
    #[serde(default)]
    pub sheet: Option<String>,
    /// Header text as written in the file → role (the keys of a `[headers.*]` table).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Role → value for every row, for facts the file does not hold in a column:
    /// `set = { course = "Informationssäkerhet", personal_data = true }`.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
}

impl FileMapping {
    /// The `set` values as cell texts (true → "Ja").
    pub fn constants(&self) -> BTreeMap<String, String> {
        self.set
            .iter()
            .map(|(role, v)| {
                let text = match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Boolean(true) => "Ja".to_string(),
                    toml::Value::Boolean(false) => "Nej".to_string(),
                    other => other.to_string(),
                };
                (role.clone(), text)
            })
            .collect()
    }
}

/// Case-insensitive match of a file name against a pattern with `*`, `?` and `[…]`
/// (globset); a pattern that is not a valid glob matches nothing.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .is_ok_and(|g| g.compile_matcher().is_match(name))
}

impl Config {
    /// The `[[files]]` entry for a file and sheet, if any.
    pub fn file_mapping(&self, file: &str, sheet: Option<&str>) -> Option<&FileMapping> {
        let base = std::path::Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| file.to_string());
        self.files.iter().find(|m| {
            (name_matches(&m.file, &base) || name_matches(&m.file, file))
                && m.sheet
                    .as_deref()
                    .is_none_or(|s| sheet.is_some_and(|t| t.to_lowercase() == s.to_lowercase()))
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityRule {
    pub kpi: KpiKey,
    pub when: When,
    pub threshold: f64,
    /// The theme the rule belongs to (a `[[themes]]` title, or a theme of its own).
    pub title: String,
    /// What to do, in the infinitive ("Ta fram …").
    pub text: String,
    /// The figure behind it, as a sentence; added after the action plan's actions.
    #[serde(default)]
    pub evidence: Option<String>,
}

/// `[[themes]]`: a theme of the prioritised work.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub title: String,
    /// Words in an action's name that put it under this theme.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A legal obligation in force from this review year on: always proposed, first.
    #[serde(default)]
    pub legal_from_year: Option<i32>,
    /// The proposal for a legal obligation; `{myndighet}` is the NIS authority.
    #[serde(default)]
    pub legal_text: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingConfig {
    pub mandatory: Vec<MandatoryCourse>,
    pub values: CompletionValues,
    /// File name prefixes after which a one-file-per-course export names its course
    /// (Moodle's `completion-<course>.csv`).
    #[serde(default)]
    pub course_file_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MandatoryCourse {
    pub label: String,
    #[serde(rename = "match")]
    pub matches: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompletionValues {
    pub completed: Vec<String>,
    pub not_completed: Vec<String>,
    /// Added to `completed` (so one new word does not repeat the list).
    #[serde(default)]
    pub extra_completed: Vec<String>,
    /// Added to `not_completed`.
    #[serde(default)]
    pub extra_not_completed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentConfig {
    pub nis_authority: Vec<AuthorityName>,
    pub imy_deadline_hours: i64,
    pub categories: Vec<CategoryConfig>,
    /// Category slug → synonyms added to that category's list.
    #[serde(default)]
    pub extra_synonyms: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityName {
    pub from_year: i32,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    pub slug: String,
    pub label: String,
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskConfig {
    pub high_threshold: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionConfig {
    pub done: Vec<String>,
    /// Added to `done`.
    #[serde(default)]
    pub extra_done: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    pub stale_after_months: u32,
    /// The Art. 30 fields an activity must have filled to count as complete (roles).
    #[serde(default = "default_required_fields")]
    pub required: Vec<String>,
}

fn default_required_fields() -> Vec<String> {
    crate::schema::ART30_FIELDS
        .iter()
        .map(|(r, _)| r.to_string())
        .collect()
}

/// When a priority rule fires: its KPI below or above the threshold.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum When {
    Below,
    Above,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub target: f64,
    pub direction: Direction,
    #[serde(default)]
    pub warn_within: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file read, in MiB.
    pub max_file_mib: u64,
    /// Largest uncompressed size of one part inside an xlsx/ods zip, in MiB.
    pub max_unpacked_mib: u64,
    /// Most cells read from one sheet.
    pub max_cells: u64,
    /// Most columns in one sheet or CSV.
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mib: 200,
            max_unpacked_mib: 400,
            max_cells: 20_000_000,
            max_columns: 2_000,
        }
    }
}

impl Config {
    /// The shipped defaults.
    pub fn default_config() -> Config {
        // The default file is part of the binary and covered by tests.
        toml::from_str(DEFAULT_TOML).expect("templates/genomgang.toml is valid")
    }

    /// Defaults with the user's files merged on top, in order.
    pub fn load(overrides: &[&Path]) -> Result<Config, Error> {
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_TOML).expect("templates/genomgang.toml is valid");
        let mut unit_by_file = Vec::new();
        for path in overrides {
            let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("filen kunde inte läsas ({e})"),
            })?;
            let user: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("filen är inte giltig TOML: {}", e.message()),
            })?;
            check_keys(&user, &ROOT, "").map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            })?;
            if let Some(toml::Value::String(unit)) = user.get("unit") {
                unit_by_file.push((path.to_path_buf(), unit.clone()));
            }
            merge_tables(&mut merged, user);
        }
        let mut cfg: Config =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| Error::Config {
                    path: overrides
                        .last()
                        .map(|p| p.to_path_buf())
                        .unwrap_or_default(),
                    message: format!("ett värde har fel form: {}", e.message()),
                })?;
        for (group, roles) in &cfg.extra_headers {
            for (role, synonyms) in roles {
                let list = cfg
                    .headers
                    .entry(group.clone())
                    .or_default()
                    .entry(role.clone())
                    .or_default();
                list.extend(synonyms.iter().cloned());
            }
        }
        cfg.merge_extras().map_err(|message| Error::Config {
            path: overrides
                .last()
                .map(|p| p.to_path_buf())
                .unwrap_or_default(),
            message,
        })?;
        for mapping in &cfg.files {
            if let Err(e) = globset::Glob::new(&mapping.file) {
                return Err(Error::Config {
                    path: overrides
                        .last()
                        .map(|p| p.to_path_buf())
                        .unwrap_or_default(),
                    message: format!(
                        "[[files]]: mönstret \"{}\" är inte giltigt ({})",
                        mapping.file,
                        e.kind()
                    ),
                });
            }
            for (header, role) in mapping
                .columns
                .iter()
                .chain(mapping.set.keys().map(|k| (k, k)))
            {
                if !cfg.headers.values().any(|roles| roles.contains_key(role)) {
                    return Err(Error::Config {
                        path: overrides.last().map(|p| p.to_path_buf()).unwrap_or_default(),
                        message: format!(
                            "[[files]] för \"{}\": kolumnen \"{header}\" har den okända rollen \"{role}\"; använd en av nycklarna under [headers.*] i standardkonfigurationen",
                            mapping.file
                        ),
                    });
                }
            }
        }
        cfg.check_values().map_err(|message| Error::Config {
            path: overrides
                .last()
                .map(|p| p.to_path_buf())
                .unwrap_or_default(),
            message,
        })?;
        cfg.unit_by_file = unit_by_file;
        Ok(cfg)
    }

    /// Adds the `extra_*` lists to the lists they extend.
    fn merge_extras(&mut self) -> Result<(), String> {
        let v = &mut self.training.values;
        v.completed.append(&mut v.extra_completed);
        v.not_completed.append(&mut v.extra_not_completed);
        self.actions.done.append(&mut self.actions.extra_done);
        for (slug, extra) in std::mem::take(&mut self.incidents.extra_synonyms) {
            let Some(cat) = self
                .incidents
                .categories
                .iter_mut()
                .find(|c| c.slug == slug)
            else {
                return Err(format!(
                    "[incidents.extra_synonyms]: kategorin \"{slug}\" finns inte; tillåtna: {}",
                    self.incidents
                        .categories
                        .iter()
                        .map(|c| c.slug.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            cat.synonyms.extend(extra);
        }
        for role in &self.register.required {
            if !crate::schema::ART30_FIELDS.iter().any(|(r, _)| r == role)
                && ![
                    "third_country",
                    "sensitive",
                    "processor",
                    "owner",
                    "last_reviewed",
                ]
                .contains(&role.as_str())
            {
                return Err(format!(
                    "register.required: \"{role}\" är inget fält i registerförteckningen"
                ));
            }
        }
        Ok(())
    }

    /// Range and consistency checks of values, after merging: every number within what
    /// makes sense, labels unique and free of what Excel reads as a reference.
    fn check_values(&self) -> Result<(), String> {
        fn range<T: PartialOrd + std::fmt::Display>(
            key: &str,
            v: T,
            lo: T,
            hi: T,
        ) -> Result<(), String> {
            if v < lo || v > hi {
                return Err(format!(
                    "{key} = {v} ligger utanför det tillåtna intervallet {lo}–{hi}"
                ));
            }
            Ok(())
        }
        if let Some(year) = self.year {
            range("year", year, 2000, 2100)?;
        }
        if let Some(date) = &self.dokumentdatum {
            chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| format!("dokumentdatum = \"{date}\" är inte ett datum ÅÅÅÅ-MM-DD"))?;
        }
        // Title-page facts are one line each: a line break or a novel would break the
        // title page's table.
        for (key, value) in [
            ("dokumentversion", &self.dokumentversion),
            ("diarienummer", &self.diarienummer),
            ("distribution", &self.distribution),
        ] {
            if let Some(v) = value {
                if v.chars().count() > 200 || v.contains(['\n', '\r']) {
                    return Err(format!("{key} ska vara en rad på högst 200 tecken"));
                }
            }
        }
        range(
            "incidents.imy_deadline_hours",
            self.incidents.imy_deadline_hours,
            1,
            8760,
        )?;
        range("risks.high_threshold", self.risks.high_threshold, 1.0, 25.0)?;
        range(
            "register.stale_after_months",
            self.register.stale_after_months,
            1,
            240,
        )?;
        range("limits.max_file_mib", self.limits.max_file_mib, 1, 4096)?;
        range(
            "limits.max_unpacked_mib",
            self.limits.max_unpacked_mib,
            1,
            16384,
        )?;
        range("limits.max_cells", self.limits.max_cells, 1, 2_000_000_000)?;
        range("limits.max_columns", self.limits.max_columns, 1, 16384)?;
        for a in &self.incidents.nis_authority {
            range("incidents.nis_authority.from_year", a.from_year, 1900, 2100)?;
        }
        for (id, t) in &self.targets {
            range(&format!("targets.\"{id}\".target"), t.target, -1e9, 1e9)?;
            range(
                &format!("targets.\"{id}\".warn_within"),
                t.warn_within,
                0.0,
                1e9,
            )?;
        }
        for r in &self.priorities {
            range(
                &format!("priorities ({}).threshold", r.title),
                r.threshold,
                -1e9,
                1e9,
            )?;
        }
        let labels = |what: &str, list: Vec<&str>| -> Result<(), String> {
            let mut seen: Vec<String> = Vec::new();
            for label in list {
                if label.trim().is_empty() {
                    return Err(format!("{what} har en tom etikett"));
                }
                if label.contains('!') || label.starts_with(['=', '+', '-', '@']) {
                    return Err(format!("{what}: etiketten \"{label}\" innehåller tecken som Excel läser som en formel eller cellreferens (! eller = + - @ först)"));
                }
                let key = label.trim().to_lowercase();
                if seen.contains(&key) {
                    return Err(format!("{what}: etiketten \"{label}\" finns två gånger"));
                }
                seen.push(key);
            }
            Ok(())
        };
        labels(
            "training.mandatory",
            self.training
                .mandatory
                .iter()
                .map(|m| m.label.as_str())
                .collect(),
        )?;
        labels(
            "incidents.categories",
            self.incidents
                .categories
                .iter()
                .map(|c| c.label.as_str())
                .collect(),
        )?;
        let mut slugs: Vec<&str> = Vec::new();
        for c in &self.incidents.categories {
            if c.slug.is_empty()
                || !c
                    .slug
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
            {
                return Err(format!(
                    "incidents.categories: slug \"{}\" får bara innehålla a–z, 0–9 och _",
                    c.slug
                ));
            }
            if slugs.contains(&c.slug.as_str()) {
                return Err(format!(
                    "incidents.categories: slug \"{}\" finns två gånger",
                    c.slug
                ));
            }
            slugs.push(&c.slug);
        }
        for r in &self.priorities {
            if let KpiKey::Category(slug) = &r.kpi {
                if !slugs.contains(&slug.as_str()) {
                    return Err(format!("priorities: nyckeltalet \"{}\" finns inte (okänd incidentkategori \"{slug}\")", r.kpi));
                }
            }
        }
        Ok(())
    }

    /// The NIS authority's name for a review year (MSB, from 2026 MCF).
    pub fn nis_authority(&self, year: i32) -> String {
        self.incidents
            .nis_authority
            .iter()
            .filter(|a| a.from_year <= year)
            .max_by_key(|a| a.from_year)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "MSB".to_string())
    }
}

/// The shape of the configuration for [`check_keys`]: which keys a table may have.
enum Shape {
    /// A value (string, number, list of strings …); serde checks its type.
    Value,
    /// A table with these keys.
    Table(&'static [(&'static str, Shape)]),
    /// A list of tables with these keys.
    List(&'static [(&'static str, Shape)]),
    /// A table whose keys are checked by a function (KPI ids, header groups …).
    Keyed(fn(&str) -> Result<(), String>, &'static Shape),
}

use Shape::{Keyed, List, Table, Value};

const TARGET: Shape = Table(&[
    ("target", Value),
    ("direction", Value),
    ("warn_within", Value),
]);
const ROLE_LISTS: Shape = Keyed(check_role, &Value);

const ROOT: Shape = Table(&[
    ("unit", Value),
    ("year", Value),
    ("standing_priorities", Value),
    ("dokumentmall", Value),
    ("informationssakerhetssamordnare", Value),
    ("dataskyddsombud", Value),
    ("forfattare", Value),
    ("dokumentdatum", Value),
    ("dokumentversion", Value),
    ("diarienummer", Value),
    ("distribution", Value),
    (
        "training",
        Table(&[
            ("mandatory", List(&[("label", Value), ("match", Value)])),
            (
                "values",
                Table(&[
                    ("completed", Value),
                    ("not_completed", Value),
                    ("extra_completed", Value),
                    ("extra_not_completed", Value),
                ]),
            ),
            ("course_file_prefixes", Value),
        ]),
    ),
    (
        "incidents",
        Table(&[
            (
                "nis_authority",
                List(&[("from_year", Value), ("name", Value)]),
            ),
            ("imy_deadline_hours", Value),
            (
                "categories",
                List(&[("slug", Value), ("label", Value), ("synonyms", Value)]),
            ),
            ("extra_synonyms", Value),
        ]),
    ),
    ("risks", Table(&[("high_threshold", Value)])),
    ("actions", Table(&[("done", Value), ("extra_done", Value)])),
    (
        "register",
        Table(&[("stale_after_months", Value), ("required", Value)]),
    ),
    ("targets", Keyed(check_kpi_id, &TARGET)),
    ("headers", Keyed(check_group, &ROLE_LISTS)),
    ("extra_headers", Keyed(check_group, &ROLE_LISTS)),
    (
        "files",
        List(&[
            ("file", Value),
            ("sheet", Value),
            ("columns", Value),
            ("set", Value),
        ]),
    ),
    (
        "limits",
        Table(&[
            ("max_file_mib", Value),
            ("max_unpacked_mib", Value),
            ("max_cells", Value),
            ("max_columns", Value),
        ]),
    ),
    (
        "priorities",
        List(&[
            ("kpi", Value),
            ("when", Value),
            ("threshold", Value),
            ("title", Value),
            ("text", Value),
            ("evidence", Value),
        ]),
    ),
    (
        "themes",
        List(&[
            ("title", Value),
            ("keywords", Value),
            ("legal_from_year", Value),
            ("legal_text", Value),
        ]),
    ),
]);

/// Header groups of the `[headers.*]` tables.
const HEADER_GROUPS: [&str; 9] = [
    "person",
    "org",
    "training",
    "roster",
    "incidents",
    "register",
    "classification",
    "risks",
    "actions",
];

fn check_kpi_id(id: &str) -> Result<(), String> {
    KpiKey::parse(id)
        .map(|_| ())
        .ok_or_else(|| format!("okänt nyckeltal \"{id}\" (se KPI-id i README)"))
}

fn check_group(group: &str) -> Result<(), String> {
    if HEADER_GROUPS.contains(&group) {
        Ok(())
    } else {
        Err(format!(
            "okänd rubrikgrupp \"{group}\"; tillåtna: {}",
            HEADER_GROUPS.join(", ")
        ))
    }
}

fn check_role(role: &str) -> Result<(), String> {
    if ROLES.iter().any(|r| r.key == role) {
        Ok(())
    } else {
        Err(format!(
            "okänd kolumnroll \"{role}\"; tillåtna: {}",
            ROLES.iter().map(|r| r.key).collect::<Vec<_>>().join(", ")
        ))
    }
}

/// Rejects keys the configuration does not have, naming the key, where it is and the
/// keys allowed there: a misspelt key must not be silently ignored.
fn check_keys(table: &toml::Table, shape: &Shape, at: &str) -> Result<(), String> {
    let place = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match shape {
        Value => Ok(()),
        Table(keys) | List(keys) => {
            for (key, value) in table {
                let Some((_, inner)) = keys.iter().find(|(k, _)| k == key) else {
                    let allowed: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                    let section = if at.is_empty() {
                        "på översta nivån".to_string()
                    } else {
                        format!("under [{at}]")
                    };
                    return Err(format!(
                        "okänd nyckel \"{key}\" {section}; tillåtna nycklar där: {}",
                        allowed.join(", ")
                    ));
                };
                check_value(value, inner, &place(key))?;
            }
            Ok(())
        }
        Keyed(check, inner) => {
            for (key, value) in table {
                check(key).map_err(|m| format!("[{at}]: {m}"))?;
                check_value(value, inner, &place(key))?;
            }
            Ok(())
        }
    }
}

fn check_value(value: &toml::Value, shape: &Shape, at: &str) -> Result<(), String> {
    match (shape, value) {
        (Value, _) => Ok(()),
        (List(_), toml::Value::Array(items)) => {
            for item in items {
                if let toml::Value::Table(t) = item {
                    check_keys(t, shape, at)?;
                }
            }
            Ok(())
        }
        (_, toml::Value::Table(t)) => check_keys(t, shape, at),
        // Wrong types are reported by serde when the merged configuration is read.
        _ => Ok(()),
    }
}

/// User keys replace default keys; tables merge recursively, arrays are replaced whole.
fn merge_tables(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge_tables(b, u),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_patterns_match_ignoring_case() {
        assert!(name_matches(
            "IA-export*.xlsx",
            "ia-export ärenden 2025.XLSX"
        ));
        assert!(name_matches("kurs?.csv", "Kurs1.csv"));
        assert!(!name_matches("kurs?.csv", "Kurs12.csv"));
        assert!(!name_matches("*.xlsx", "a.xls"));
    }

    #[test]
    fn default_config_parses_and_names_authority_by_year() {
        let c = Config::default_config();
        assert_eq!(c.nis_authority(2025), "MSB");
        assert_eq!(c.nis_authority(2026), "MCF");
        assert_eq!(c.training.mandatory.len(), 2);
        assert!(c.incidents.categories.iter().any(|k| k.slug == "other"));
    }

    fn load_text(name: &str, text: &str) -> Result<Config, Error> {
        let dir = std::env::temp_dir().join(format!("genomgang-cfg-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("genomgang.toml");
        std::fs::write(&path, text).unwrap();
        let result = Config::load(&[&path]);
        std::fs::remove_dir_all(&dir).ok();
        result
    }

    #[test]
    fn misspelt_keys_are_named() {
        let err = load_text("typo", "[risks]\nhigh_treshold = 9\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("okänd nyckel \"high_treshold\" under [risks]"),
            "{err}"
        );
        assert!(err.contains("high_threshold"), "{err}");
        let err = load_text("typo2", "unitt = \"A\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"unitt\" på översta nivån"), "{err}");
        let err = load_text(
            "kpi",
            "[targets.\"incidents.totl\"]\ntarget = 1\ndirection = \"lower\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("okänt nyckeltal \"incidents.totl\""), "{err}");
        let err = load_text("when", "[[priorities]]\nkpi = \"risks.high\"\nwhen = \"abov\"\nthreshold = 0\ntitle = \"A\"\ntext = \"B\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("abov"), "{err}");
    }

    #[test]
    fn numbers_are_range_checked_and_limits_merge_per_key() {
        let err = load_text(
            "hours",
            "[incidents]\nimy_deadline_hours = 2562047788015215\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("imy_deadline_hours"), "{err}");
        assert!(load_text("year", "year = 0\n").is_err());
        let c = load_text("limits", "[limits]\nmax_columns = 50\n").unwrap();
        assert_eq!(c.limits.max_columns, 50);
        assert_eq!(c.limits.max_cells, Limits::default().max_cells);
        let err = load_text("label", "[[training.mandatory]]\nlabel = \"Kurs\"\nmatch = [\"a\"]\n[[training.mandatory]]\nlabel = \"Kurs\"\nmatch = [\"b\"]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("finns två gånger"), "{err}");
    }

    #[test]
    fn document_keys_are_known_and_checked() {
        let c = load_text(
            "docx",
            "dokumentmall = \"Stadens mall.docx\"\ninformationssakerhetssamordnare = \"Isa\"\ndataskyddsombud = \"Dora\"\nforfattare = \"Isa\"\ndokumentdatum = \"2026-02-15\"\n",
        )
        .unwrap();
        assert_eq!(c.dokumentmall.as_deref(), Some("Stadens mall.docx"));
        assert_eq!(c.dokumentdatum.as_deref(), Some("2026-02-15"));
        let err = load_text("docx-date", "dokumentdatum = \"15/2 2026\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("dokumentdatum"), "{err}");
        let c = load_text(
            "docx-control",
            "dokumentversion = \"1.1\"\ndiarienummer = \"KS 2026/123\"\ndistribution = \"Förvaltningens ledningsgrupp\"\n",
        )
        .unwrap();
        assert_eq!(c.diarienummer.as_deref(), Some("KS 2026/123"));
        let err = load_text("docx-control", "distribution = \"a\\nb\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("distribution"), "{err}");
    }

    #[test]
    fn user_file_replaces_only_its_keys() {
        let dir = std::env::temp_dir().join(format!("genomgang-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("genomgang.toml");
        std::fs::write(&path, "unit = \"Test\"\n[risks]\nhigh_threshold = 9\n[extra_headers.incidents]\ncategory = [\"Typ av avvikelse\"]\n").unwrap();
        let c = Config::load(&[&path]).unwrap();
        let cats = &c.headers["incidents"]["category"];
        assert!(
            cats.contains(&"Typ av avvikelse".to_string())
                && cats.contains(&"kategori".to_string())
        );
        assert_eq!(c.unit.as_deref(), Some("Test"));
        assert_eq!(c.risks.high_threshold, 9.0);
        assert_eq!(c.training.mandatory.len(), 2);
        std::fs::remove_dir_all(&dir).ok();
    }
}
