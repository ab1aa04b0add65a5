//! Incident logs (avvikelser): each row one incident with its date, canonical category,
//! and whether it was a personal data incident and reported to IMY or MSB/MCF.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};

use crate::config::Config;
use crate::ingest::value::parse_bool;
use crate::model::sheet::{Row, SheetReader};
use crate::model::{Place, Severity};
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Incident {
    pub case_id: Option<String>,
    /// Event date, else discovery date, else registration date.
    pub date: NaiveDate,
    pub discovered: Option<NaiveDateTime>,
    /// Shared, as the texts below: a log repeats a dozen categories and a few hundred
    /// units over thousands of rows (a city's log holds hundreds of thousands).
    pub category: Arc<str>,
    /// The category text as written in the export.
    pub category_raw: Arc<str>,
    /// `None` when the cell could not be read (left out of that KPI).
    pub personal_data: Option<bool>,
    pub reported_imy: Option<bool>,
    pub reported_msb: Option<bool>,
    pub reported_at: Option<NaiveDateTime>,
    pub unit: Option<Arc<str>>,
    pub administration: Option<Arc<str>>,
    /// The file and sheet the incident was read from, shared by its rows, and its Excel
    /// row: see [`Incident::place`].
    pub sheet: Arc<Place>,
    pub row: u32,
}

impl Incident {
    /// Where the incident was read, for duplicate notes: file, sheet, Excel row.
    pub fn place(&self) -> Place {
        Place::clone(&self.sheet).at_row(self.row)
    }
}

impl crate::model::Facts for Incident {
    /// Everything but where it was read. The discovery and report times to the minute:
    /// a CSV export writes no seconds.
    fn facts(&self) -> String {
        use crate::model::fact_text;
        let minute = |t: Option<NaiveDateTime>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
        format!(
            "{}|{}|{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}|{}",
            fact_text(self.case_id.as_deref().unwrap_or_default()),
            self.date,
            minute(self.discovered),
            self.category,
            fact_text(&self.category_raw),
            self.personal_data,
            self.reported_imy,
            self.reported_msb,
            minute(self.reported_at),
            fact_text(self.unit.as_deref().unwrap_or_default()),
            fact_text(self.administration.as_deref().unwrap_or_default())
        )
    }

    /// Incidents with a case number are matched by it, and each merge is listed.
    fn matched_by_content(&self) -> bool {
        self.case_id.is_none()
    }
}

/// Maps a category text to its canonical slug: the first category with a synonym the
/// text contains. Unmapped texts give `None`.
pub fn map_category(raw: &str, cfg: &Config) -> Option<Arc<str>> {
    CategoryMatcher::new(cfg).map(raw)
}

/// The configured categories with their label and synonyms normalised once, and the
/// answers remembered per distinct text (an incident log repeats a few category texts).
pub struct CategoryMatcher {
    /// (slug, normalised label, normalised synonyms); the slug shared by every incident
    /// of the category.
    categories: Vec<(Arc<str>, String, Vec<String>)>,
    seen: crate::fasthash::FxHashMap<String, Option<Arc<str>>>,
}

impl CategoryMatcher {
    pub fn new(cfg: &Config) -> CategoryMatcher {
        CategoryMatcher {
            categories: cfg
                .incidents
                .categories
                .iter()
                .map(|c| {
                    (
                        Arc::from(c.slug.as_str()),
                        normalize(&c.label),
                        c.synonyms.iter().map(|s| normalize(s)).collect(),
                    )
                })
                .collect(),
            seen: Default::default(),
        }
    }

    /// Maps a category text to its canonical slug: exact matches first, so "övrigt"
    /// never loses to a longer synonym elsewhere; then whole-word or long-substring
    /// matches in configuration order.
    pub fn map(&mut self, raw: &str) -> Option<Arc<str>> {
        if let Some(hit) = self.seen.get(raw) {
            return hit.clone();
        }
        let hit = self.lookup(raw);
        // A column of free text would otherwise be remembered row by row.
        if self.seen.len() < crate::model::sheet::SCREEN_MEMO_LIMIT {
            self.seen.insert(raw.to_string(), hit.clone());
        }
        hit
    }

    fn lookup(&self, raw: &str) -> Option<Arc<str>> {
        let text = normalize(raw);
        if text.is_empty() {
            return None;
        }
        for (slug, label, synonyms) in &self.categories {
            if *label == text || synonyms.contains(&text) {
                return Some(slug.clone());
            }
        }
        let padded = format!(" {text} ");
        for (slug, _, synonyms) in &self.categories {
            if synonyms.iter().any(|s| {
                !s.is_empty()
                    && (padded.contains(&format!(" {s} "))
                        || (s.len() >= 6 && text.contains(s.as_str())))
            }) {
                return Some(slug.clone());
            }
        }
        None
    }
}

pub fn read(r: &mut SheetReader, cfg: &Config) -> Vec<Incident> {
    let mut categories = CategoryMatcher::new(cfg);
    // At most one per row, reserved once: doubling left up to half of a city-wide
    // log's list unused while the unit was read.
    let mut out = Vec::with_capacity(r.row_count());
    // Rows whose event date came from the discovery or registration date.
    let mut stand_ins = 0usize;
    // The sheet's place, screened once (its names are input text too).
    let sheet_place = Arc::new(Place::sheet(r.file, r.sheet.sheet.clone()));
    let no_text: Arc<str> = Arc::from("");
    let other: Arc<str> = Arc::from("other");
    for row in r.rows() {
        let mut date = None;
        let mut bad = false;
        for role in ["event_date", "discovered_date", "registered_date"] {
            let cell = r.cell(row, role);
            if cell.is_empty() {
                continue;
            }
            match r.datetime(row, role) {
                Some(d) => {
                    if date.is_none() {
                        date = Some(d.date());
                        if role != "event_date" {
                            stand_ins += 1;
                        }
                    }
                }
                None => {
                    r.reject(row, role, "datumet går inte att läsa (använd ÅÅÅÅ-MM-DD)");
                    bad = true;
                    break;
                }
            }
        }
        if bad {
            continue;
        }
        let Some(date) = date else {
            let role = ["event_date", "discovered_date", "registered_date"]
                .into_iter()
                .find(|r2| r.has(r2))
                .unwrap_or("event_date");
            r.reject(
                row,
                role,
                "incidenten saknar datum (händelse-, upptäckts- och registreringsdatum är tomma)",
            );
            continue;
        };
        let discovered = r.datetime(row, "discovered_date");
        let category_raw = r
            .shared_text(row, "category")
            .unwrap_or_else(|| Arc::clone(&no_text));
        let category = match categories.map(&category_raw) {
            Some(slug) => slug,
            None => {
                if category_raw.is_empty() {
                    r.problem(
                        row,
                        "category",
                        Severity::Note,
                        "incidenten saknar kategori",
                        "Räknas som Övrigt.",
                    );
                }
                Arc::clone(&other)
            }
        };
        let personal_data = flag(r, row, "personal_data", "personuppgiftsincidenter");
        let reported_at = r.datetime(row, "reported_date");
        let reported_imy = if r.has("reported_imy") {
            flag(r, row, "reported_imy", "anmälda till IMY")
        } else if r.has("reported_date") {
            Some(reported_at.is_some())
        } else {
            None
        };
        let reported_msb = flag(r, row, "reported_msb", "anmälda till MSB/MCF");
        if !r.cell(row, "reported_date").is_empty() && reported_at.is_none() {
            r.problem(
                row,
                "reported_date",
                Severity::RowRejected,
                "anmälningsdatumet går inte att läsa",
                "Incidenten ingår inte i beräkningen av sena IMY-anmälningar.",
            );
        }
        r.rows_read += 1;
        out.push(Incident {
            case_id: r.identity(row, "case_id"),
            date,
            discovered,
            category,
            category_raw,
            personal_data,
            reported_imy,
            reported_msb,
            reported_at,
            unit: r.shared_text(row, "unit"),
            administration: r.shared_text(row, "administration"),
            sheet: Arc::clone(&sheet_place),
            row: r.sheet.excel_row(row.index),
        });
    }
    if stand_ins > 0 {
        let what = if r.has_column("event_date") {
            let noun = if stand_ins == 1 {
                "incident"
            } else {
                "incidenter"
            };
            format!("{stand_ins} {noun} saknar händelsedatum")
        } else {
            "bladet har ingen kolumn för händelsedatum".to_string()
        };
        r.note(
            &what,
            "Upptäcktsdatumet (annars registreringsdatumet) används som händelsedatum, så att incidenten räknas till rätt år och månad.",
        );
    }
    out
}

/// A yes/no column; `None` (with a problem) when the value cannot be read, and `None`
/// without one when the sheet has no such column: unknown is not "no".
fn flag<'a>(r: &mut SheetReader<'a>, row: Row<'a>, role: &str, what: &str) -> Option<bool> {
    if !r.has(role) {
        return None;
    }
    let v = parse_bool(r.cell(row, role));
    if v.is_none() {
        r.problem(
            row,
            role,
            Severity::RowRejected,
            "värdet går inte att tolka som Ja eller Nej",
            &format!("Incidenten räknas inte i {what}."),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_synonyms_map_to_their_categories() {
        let cfg = Config::default_config();
        let cases = [
            ("Phishing", "phishing"),
            ("Nätfiske", "phishing"),
            ("Bedrägeriförsök via e-post", "phishing"),
            ("Inbrott", "burglary"),
            ("Stöld vid inbrott", "burglary"),
            ("Förlorat tjänstekort", "lost_card"),
            ("Borttappat passerkort", "lost_card"),
            ("Förlorad mobiltelefon", "lost_phone"),
            ("Stulen mobil", "lost_phone"),
            ("Förlorad dator", "lost_computer"),
            ("Stulen bärbar dator", "lost_computer"),
            ("Surfplatta borttappad", "lost_computer"),
            ("Felskickad e-post", "misdirected"),
            ("Fel mottagare", "misdirected"),
            ("Felskick", "misdirected"),
            ("Obehörig åtkomst", "unauthorized_access"),
            ("Otillåten åtkomst", "unauthorized_access"),
            ("Skadlig kod", "malware"),
            ("Virus", "malware"),
            ("Ransomware", "malware"),
            ("Övrigt", "other"),
        ];
        for (raw, slug) in cases {
            assert_eq!(map_category(raw, &cfg).as_deref(), Some(slug), "{raw}");
        }
        assert_eq!(map_category("Hot via telefon", &cfg), None);
    }
}
