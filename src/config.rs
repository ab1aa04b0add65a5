//! What users may change: header synonyms, mandatory courses, incident categories,
//! KPI targets and thresholds.
//!
//! The defaults live in `templates/genomgang.toml` (compiled in, so the binary runs
//! anywhere). A `genomgang.toml` in the input folder, or `--config FILE`, is merged on
//! top key by key, so a user writes only what differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
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
    /// The known systems (`templates/systems/`): recognition consults it, and its value
    /// vocabularies are merged into `training.values`, `incidents.categories` and
    /// `training.course_file_prefixes` (see [`Config::use_catalogue`]).
    #[serde(skip)]
    pub catalogue: std::sync::Arc<Catalogue>,
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
    /// Rows of an xlsx sheet held as cells before a long training list is turned into
    /// records as it is read (its rows are then not kept). Must cover the header search
    /// and the recognition sample; smaller values are raised to that.
    pub stream_after_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mib: 200,
            max_unpacked_mib: 400,
            max_cells: 20_000_000,
            max_columns: 2_000,
            stream_after_rows: 4_096,
        }
    }
}

/// The shipped defaults as a TOML table, parsed once (each configuration loaded is
/// merged onto a copy).
fn default_table() -> toml::Table {
    static TABLE: std::sync::OnceLock<toml::Table> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| toml::from_str(DEFAULT_TOML).expect("templates/genomgang.toml is valid"))
        .clone()
}

impl Config {
    /// The shipped defaults.
    pub fn default_config() -> Config {
        // The default file and the catalogue are part of the binary and covered by tests.
        let mut cfg: Config = toml::Value::Table(default_table())
            .try_into()
            .expect("templates/genomgang.toml is valid");
        cfg.use_catalogue(Catalogue::builtin())
            .expect("the catalogue fits the default configuration");
        cfg
    }

    /// Defaults with the user's files merged on top, in order, and the shipped catalogue.
    pub fn load(overrides: &[&Path]) -> Result<Config, Error> {
        Config::load_with(overrides, Catalogue::builtin())
    }

    /// As [`Config::load`] with a given catalogue of known systems (a catalogue with one
    /// system left out measures what recognition reads from evidence alone).
    pub fn load_with(
        overrides: &[&Path],
        catalogue: std::sync::Arc<Catalogue>,
    ) -> Result<Config, Error> {
        let mut merged = default_table();
        let mut unit_by_file = Vec::new();
        let mut texts: Vec<(&Path, String, toml::Table)> = Vec::new();
        for path in overrides {
            let bytes = read_limited(path, MAX_CONFIG_BYTES).map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            })?;
            let text = decode_config_text(&bytes);
            let user: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: syntax_message(&text, &e),
            })?;
            check_keys(&user, &ROOT, "").map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message: at_key_line(&text, &message),
            })?;
            check_types(&user, &merged, "").map_err(|(key, message)| Error::Config {
                path: path.to_path_buf(),
                message: with_line(&text, &key, &message),
            })?;
            if let Some(toml::Value::String(unit)) = user.get("unit") {
                unit_by_file.push((path.to_path_buf(), unit.clone()));
            }
            texts.push((path, text, user.clone()));
            merge_tables(&mut merged, user);
        }
        // The file (and its text) that set a key last: where an error about it points.
        let blame = |key: &str| -> (PathBuf, String) {
            let found = texts
                .iter()
                .rev()
                .find(|(_, _, table)| has_key_path(table, key))
                .or(texts.last());
            match found {
                Some((path, text, _)) => (path.to_path_buf(), text.clone()),
                None => (PathBuf::new(), String::new()),
            }
        };
        let mut cfg: Config =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    let key = serde_key(&e);
                    let (path, text) = blame(&key);
                    Error::Config {
                        path,
                        message: with_line(
                            &text,
                            &key,
                            &format!("{}{}", key_label(&key), serde_in_swedish(e.message())),
                        ),
                    }
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
        cfg.merge_extras().map_err(|message| {
            let key = message
                .split(['"', ':', ' '])
                .next()
                .unwrap_or_default()
                .trim_matches(['[', ']'])
                .to_string();
            let (path, text) = blame(&key);
            Error::Config {
                path,
                message: with_line(&text, &key, &message),
            }
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
        cfg.check_values().map_err(|(key, message)| {
            let (path, text) = blame(&key);
            Error::Config {
                path,
                message: with_line(&text, &key, &message),
            }
        })?;
        cfg.use_catalogue(catalogue)
            .map_err(|message| Error::Config {
                path: overrides
                    .last()
                    .map(|p| p.to_path_buf())
                    .unwrap_or_default(),
                message,
            })?;
        cfg.unit_by_file = unit_by_file;
        Ok(cfg)
    }

    /// Takes a catalogue of known systems and merges its value vocabularies into the
    /// configured ones: category words become synonyms of their category, completion
    /// words join `training.values`, course file prefixes join
    /// `training.course_file_prefixes`. A category slug the configuration does not have
    /// is refused, naming the system file.
    pub fn use_catalogue(&mut self, catalogue: std::sync::Arc<Catalogue>) -> Result<(), String> {
        fn add(list: &mut Vec<String>, word: &str) {
            let n = crate::textnorm::normalize(word);
            if !list.iter().any(|w| crate::textnorm::normalize(w) == n) {
                list.push(word.to_string());
            }
        }
        for system in &catalogue.systems {
            for (word, slug) in &system.categories {
                let Some(cat) = self
                    .incidents
                    .categories
                    .iter_mut()
                    .find(|c| &c.slug == slug)
                else {
                    return Err(format!(
                        "templates/systems/{}.toml: värdet \"{word}\" har den okända kategorin \"{slug}\"; tillåtna: {}",
                        system.key,
                        self.incidents
                            .categories
                            .iter()
                            .map(|c| c.slug.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                };
                add(&mut cat.synonyms, word);
            }
            for word in &system.completed {
                add(&mut self.training.values.completed, word);
            }
            for word in &system.not_completed {
                add(&mut self.training.values.not_completed, word);
            }
            for prefix in &system.course_file_prefixes {
                add(&mut self.training.course_file_prefixes, prefix);
            }
        }
        self.catalogue = catalogue;
        Ok(())
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
    /// An error is the key it is about (for its line) and the message.
    fn check_values(&self) -> Result<(), (String, String)> {
        self.check_values_inner().map_err(|message| {
            let key = message
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .trim_matches(['[', ']'])
                .to_string();
            (key, message)
        })
    }

    fn check_values_inner(&self) -> Result<(), String> {
        // Written so that NaN (which TOML allows) is outside every range.
        fn range<T: PartialOrd + std::fmt::Display>(
            key: &str,
            v: T,
            lo: T,
            hi: T,
        ) -> Result<(), String> {
            if !(v >= lo && v <= hi) {
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
            // A rate's target is a share, 0–1 (0–100 %); a count's is not negative.
            let is_rate =
                KpiKey::parse(id).is_some_and(|k| k.kind() == crate::schema::ValueKind::Rate);
            if is_rate && !(0.0..=1.0).contains(&t.target) {
                return Err(format!(
                    "targets.\"{id}\".target = {} är ingen andel: ett mål för en andel ligger mellan 0 och 1 (0–100 %), t.ex. 0.9 för 90 %",
                    t.target
                ));
            }
            range(&format!("targets.\"{id}\".target"), t.target, 0.0, 1e9)?;
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
            ("stream_after_rows", Value),
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

/// The largest configuration file read; a long one with every synonym list is a few
/// hundred KiB.
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// A file's bytes up to `max`; larger is refused in Swedish.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| {
        format!(
            "filen kunde inte läsas ({})",
            crate::platform::read_error(&e)
        )
    })?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| {
        format!(
            "filen kunde inte läsas ({})",
            crate::platform::read_error(&e)
        )
    })?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "filen är större än gränsen {} MiB för en konfigurationsfil",
            max / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// The text of a configuration file as Notepad and Excel users save it: UTF-8 with or
/// without a byte order mark, UTF-16 (little or big endian, with a byte order mark, or
/// without one when every other byte is zero), or else Windows-1252 ("ANSI").
pub fn decode_config_text(bytes: &[u8]) -> String {
    use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
    let text = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        UTF_8.decode_with_bom_removal(bytes).0
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        UTF_16LE.decode_with_bom_removal(bytes).0
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        UTF_16BE.decode_with_bom_removal(bytes).0
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        std::borrow::Cow::Borrowed(text)
    } else {
        let zeros = |offset: usize| {
            bytes
                .iter()
                .skip(offset)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
        };
        let half = bytes.len() / 2;
        if bytes.len() >= 4 && zeros(1) * 3 > half {
            UTF_16LE.decode_without_bom_handling(bytes).0
        } else if bytes.len() >= 4 && zeros(0) * 3 > half {
            UTF_16BE.decode_without_bom_handling(bytes).0
        } else {
            WINDOWS_1252.decode_without_bom_handling(bytes).0
        }
    };
    text.trim_start_matches('\u{feff}').to_string()
}

/// The segments of a key path as written in messages and TOML headers:
/// `targets."training.completion_rate_all".target` → [targets, training.completion_rate_all, target].
fn key_segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in path.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => out.push(std::mem::take(&mut current)),
            (None, c) if c.is_whitespace() => {}
            (None, c) => current.push(c),
        }
    }
    out.push(current);
    out.retain(|s| !s.is_empty());
    out
}

/// The 1-based line of the configuration text that sets `key` (a dotted path), if any.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let wanted = key_segments(key);
    if wanted.is_empty() {
        return None;
    }
    let mut table: Vec<String> = Vec::new();
    let mut loose = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            let inner = t.trim_start_matches('[');
            let inner = inner.split(']').next().unwrap_or_default();
            table = key_segments(inner);
            if table == wanted {
                return Some(i + 1);
            }
            continue;
        }
        let Some((name, _)) = t.split_once('=') else {
            continue;
        };
        if name.trim_start().starts_with('#') {
            continue;
        }
        let mut path = table.clone();
        path.extend(key_segments(name));
        if path == wanted || (path.len() < wanted.len() && wanted.starts_with(&path)) {
            return Some(i + 1);
        }
        if loose.is_none() && key_segments(name).last() == wanted.last() {
            loose = Some(i + 1);
        }
    }
    loose
}

/// `message`, with the line that sets `key` when the text has it.
fn with_line(text: &str, key: &str, message: &str) -> String {
    match key_line(text, key) {
        Some(line) => format!("rad {line}: {message}"),
        None => message.to_string(),
    }
}

/// A key-check message ("okänd nyckel \"x\" under [y]") with the key's line.
fn at_key_line(text: &str, message: &str) -> String {
    let quoted = message.split('"').nth(1).unwrap_or_default();
    let section = message
        .split("under [")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap_or_default();
    let key = if section.is_empty() {
        quoted.to_string()
    } else {
        format!("{section}.{quoted}")
    };
    with_line(text, &key, message)
}

/// A TOML syntax error in Swedish, with its line and the key written there.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|s| s.start).unwrap_or(0);
    let line = text
        .get(..at)
        .map(|before| before.matches('\n').count() + 1)
        .unwrap_or(1);
    let english = e.message().to_lowercase();
    let what = if english.contains("duplicate") {
        "samma nyckel eller tabell står två gånger"
    } else if english.contains("string") || english.contains("quote") {
        "en text saknar citattecken eller har ett avslutande citattecken för lite"
    } else if english.contains("table") || english.contains("header") {
        "en tabellrubrik [ … ] är inte rätt skriven"
    } else if english.contains("array") {
        "en lista [ … ] är inte rätt skriven (kommatecken mellan värdena, ] i slutet)"
    } else {
        "raden kunde inte tolkas"
    };
    let key = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.split_once('='))
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && k.chars().count() <= 60)
        .map(|k| format!(" (nyckeln {k})"))
        .unwrap_or_default();
    format!(
        "rad {line}{key} är inte giltig TOML: {what}. Kontrollera citattecken, likhetstecken och hakparenteser"
    )
}

/// The key path serde's message names ("… in `risks.high_threshold`"), or "".
fn serde_key(e: &toml::de::Error) -> String {
    let text = e.to_string();
    text.rsplit_once("in `")
        .and_then(|(_, rest)| rest.split('`').next())
        .unwrap_or_default()
        .to_string()
}

fn key_label(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("{key}: ")
    }
}

/// serde's English about a value, said in Swedish: the words in backticks (values and
/// names) are kept, the rest is ours.
fn serde_in_swedish(english: &str) -> String {
    let ticked: Vec<&str> = english.split('`').skip(1).step_by(2).collect();
    let rest = |from: usize| {
        ticked
            .iter()
            .skip(from)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    };
    if english.starts_with("unknown variant") {
        format!(
            "värdet \"{}\" är inte tillåtet; tillåtna värden: {}",
            ticked.first().copied().unwrap_or_default(),
            rest(1)
        )
    } else if english.starts_with("missing field") {
        format!(
            "nyckeln {} saknas",
            ticked.first().copied().unwrap_or_default()
        )
    } else if english.starts_with("unknown field") {
        format!(
            "okänd nyckel {}; tillåtna: {}",
            ticked.first().copied().unwrap_or_default(),
            rest(1)
        )
    } else if english.starts_with("invalid type") {
        let wants = if english.contains("expected a string") || english.contains("expected string")
        {
            "en text inom citattecken"
        } else if english.contains("expected f")
            || english.contains("expected i")
            || english.contains("expected u")
        {
            "ett tal"
        } else if english.contains("expected a boolean") || english.contains("expected bool") {
            "true eller false"
        } else if english.contains("sequence") {
            "en lista [ … ]"
        } else {
            "ett värde av annan typ"
        };
        format!("värdet har fel typ; här ska stå {wants}")
    } else if english.contains("out of range") || english.contains("invalid value") {
        "värdet ligger utanför det tillåtna".to_string()
    } else {
        "värdet har fel form".to_string()
    }
}

fn has_key_path(table: &toml::Table, key: &str) -> bool {
    let segments = key_segments(key);
    let mut current = table;
    for (i, seg) in segments.iter().enumerate() {
        match current.get(seg) {
            Some(toml::Value::Table(t)) => current = t,
            Some(_) => return i + 1 == segments.len(),
            None => return false,
        }
    }
    !segments.is_empty()
}

/// What kind of value a TOML value is, in Swedish.
fn kind_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "en text inom citattecken",
        toml::Value::Integer(_) => "ett tal",
        toml::Value::Float(_) => "ett tal",
        toml::Value::Boolean(_) => "true eller false",
        toml::Value::Datetime(_) => "ett datum",
        toml::Value::Array(_) => "en lista [ … ]",
        toml::Value::Table(_) => "en tabell",
    }
}

/// Checks that every user value has the kind of the value it replaces, so a wrong type
/// is named with its key in Swedish instead of serde's English. Keys the defaults do
/// not hold (optional values, KPI ids) are left to the later checks.
fn check_types(
    user: &toml::Table,
    defaults: &toml::Table,
    at: &str,
) -> Result<(), (String, String)> {
    use toml::Value as V;
    for (key, value) in user {
        let path = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}.{key}")
        };
        let Some(default) = defaults.get(key) else {
            continue;
        };
        let same = match (default, value) {
            (V::Table(d), V::Table(u)) => {
                check_types(u, d, &path)?;
                true
            }
            // Numbers: whether a whole number will do is for the setting to say.
            (V::Float(_) | V::Integer(_), V::Float(_) | V::Integer(_)) => true,
            (V::Array(d), V::Array(u)) => match d.first() {
                Some(first @ (V::String(_) | V::Integer(_) | V::Boolean(_))) => {
                    if let Some(bad) = u
                        .iter()
                        .find(|v| std::mem::discriminant(*v) != std::mem::discriminant(first))
                    {
                        return Err((
                            path.clone(),
                            format!(
                                "{path}: listan ska bara innehålla {}, men ett värde är {}",
                                kind_name(first),
                                kind_name(bad)
                            ),
                        ));
                    }
                    true
                }
                _ => true,
            },
            (d, u) => std::mem::discriminant(d) == std::mem::discriminant(u),
        };
        if !same {
            return Err((
                path.clone(),
                format!(
                    "{path} ska vara {}, men filen har {}",
                    kind_name(default),
                    kind_name(value)
                ),
            ));
        }
    }
    Ok(())
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
