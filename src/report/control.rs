//! Document control: who wrote the review, who stands behind it, which version it is and
//! who receives it. The Word title page and the workbook's first sheet show the same
//! facts from this one struct; a blank ISAM or DSO is said on stderr naming the key.

use chrono::NaiveDate;

use crate::config::Config;

/// The facts of the title page, from the configuration.
#[derive(Debug, Clone)]
pub struct DocumentControl {
    pub isam: Option<String>,
    pub dso: Option<String>,
    /// "Upprättad av": `forfattare`, else the ISAM.
    pub author: Option<String>,
    pub version: String,
    pub diarienummer: Option<String>,
    pub distribution: Option<String>,
    pub date: NaiveDate,
}

/// The decision form's rows, as the review template's form table names them: the
/// decision, then the förvaltningschef's signature line.
pub const SIGNATURE_ROWS: [&str; 4] = [
    "Beslut",
    "Ort och datum",
    "Underskrift, förvaltningschef",
    "Namnförtydligande",
];

/// Shown where a fact is not given, so a blank line is never mistaken for a filled one.
pub const NOT_GIVEN: &str = "Ej angivet";

impl DocumentControl {
    /// From the configuration and the document's date; the warnings (Swedish) name the
    /// key to set for each blank role.
    pub fn from_config(cfg: &Config, date: NaiveDate) -> (DocumentControl, Vec<String>) {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let isam = clean(&cfg.informationssakerhetssamordnare);
        let dso = clean(&cfg.dataskyddsombud);
        let mut warnings = Vec::new();
        for (value, role, key) in [
            (
                &isam,
                "informationssäkerhetssamordnare",
                "informationssakerhetssamordnare",
            ),
            (&dso, "dataskyddsombud", "dataskyddsombud"),
        ] {
            if value.is_none() {
                warnings.push(format!(
                    "titelsidan saknar {role}; ange {key} = \"Förnamn Efternamn\" i genomgang.toml."
                ));
            }
        }
        let control = DocumentControl {
            author: clean(&cfg.forfattare).or_else(|| isam.clone()),
            isam,
            dso,
            version: clean(&cfg.dokumentversion).unwrap_or_else(|| "1.0".to_string()),
            diarienummer: clean(&cfg.diarienummer),
            distribution: clean(&cfg.distribution),
            date,
        };
        (control, warnings)
    }

    /// (label, value) in title-page order; a fact not given reads [`NOT_GIVEN`].
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let or = |v: &Option<String>| v.clone().unwrap_or_else(|| NOT_GIVEN.to_string());
        vec![
            ("Informationssäkerhetssamordnare", or(&self.isam)),
            ("Dataskyddsombud", or(&self.dso)),
            ("Upprättad av", or(&self.author)),
            ("Version", self.version.clone()),
            ("Diarienummer", or(&self.diarienummer)),
            ("Distribution", or(&self.distribution)),
            ("Datum", self.date.format("%Y-%m-%d").to_string()),
        ]
    }
}
