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

/// The default configuration, as shipped in `templates/genomgang.toml`.
pub const DEFAULT_TOML: &str = include_str!("../templates/genomgang.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Config {
    /// Organisation name shown in the report.
    #[serde(default)]
    pub unit: Option<String>,
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
}

/// `[[files]]`: for files whose name matches `file` (`*` and `?` wildcards, case
/// ignored), and optionally only the sheet `sheet`, the header texts in `columns` take
/// the roles given, e.g. `"Typ av händelse" = "category"`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FileMapping {
    pub file: String,
    #[serde(default)]
    pub sheet: Option<String>,
    /// Header text as written in the file → role (the keys of a `[headers.*]` table).
    pub columns: BTreeMap<String, String>,
}

/// Case-insensitive match of a file name against a pattern with `*` and `?`.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) => a == b && go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    go(&p, &n)
}

impl Config {
    /// The column mapping configured for a file and sheet, if any.
    pub fn file_columns(
        &self,
        file: &str,
        sheet: Option<&str>,
    ) -> Option<&BTreeMap<String, String>> {
        let base = std::path::Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| file.to_string());
        self.files
            .iter()
            .find(|m| {
                (name_matches(&m.file, &base) || name_matches(&m.file, file))
                    && m.sheet
                        .as_deref()
                        .is_none_or(|s| sheet.is_some_and(|t| t.to_lowercase() == s.to_lowercase()))
            })
            .map(|m| &m.columns)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PriorityRule {
    pub kpi: String,
    /// "below" or "above".
    pub when: String,
    pub threshold: f64,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TrainingConfig {
    pub mandatory: Vec<MandatoryCourse>,
    pub values: CompletionValues,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MandatoryCourse {
    pub label: String,
    #[serde(rename = "match")]
    pub matches: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CompletionValues {
    pub completed: Vec<String>,
    pub not_completed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct IncidentConfig {
    pub nis_authority: Vec<AuthorityName>,
    pub imy_deadline_hours: i64,
    pub categories: Vec<CategoryConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AuthorityName {
    pub from_year: i32,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CategoryConfig {
    pub slug: String,
    pub label: String,
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RiskConfig {
    pub high_threshold: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ActionConfig {
    pub done: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RegisterConfig {
    pub stale_after_months: u32,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Target {
    pub target: f64,
    pub direction: Direction,
    #[serde(default)]
    pub warn_within: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
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
        for path in overrides {
            let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("filen kunde inte läsas ({e})"),
            })?;
            let user: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("filen är inte giltig TOML: {}", e.message()),
            })?;
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
        for mapping in &cfg.files {
            for (header, role) in &mapping.columns {
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
        Ok(cfg)
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

    /// The synonyms of one header group (e.g. "incidents"), or none.
    pub fn header_group(&self, group: &str) -> BTreeMap<String, Vec<String>> {
        self.headers.get(group).cloned().unwrap_or_default()
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
