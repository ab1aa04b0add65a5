//! Blank input workbooks (`genomgang templates OUT_DIR`): one per input kind, with the
//! header words genomgang recognises, an explanation per column (a note on the header
//! and an "Instruktioner" sheet) and drop-down / date validation on the data rows, so an
//! administration can collect next year's data in a shape that reads cleanly.
//!
//! Header texts are checked against the configuration's synonym lists: when a user's
//! configuration has replaced a list, the first synonym of that role is used instead.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};

use crate::config::Config;
use crate::error::Error;
use crate::schema::InputKind;
use crate::textnorm::normalize;

/// Data rows (below the header) that carry validation and column formats.
pub const VALIDATED_ROWS: u32 = 1000;

/// Name of the explanation sheet in every template.
pub const INSTRUCTIONS_SHEET: &str = "Instruktioner";

/// Excel's limit for an inline list validation (the comma-joined values).
const INLINE_LIST_MAX: usize = 255;

/// First column (0-based) on the instruction sheet used for long drop-down lists.
const LIST_AREA_COL: u16 = 6;

/// What a column accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Free text.
    Text,
    /// Free text kept as text (identifiers with leading zeros, case numbers).
    Identifier,
    /// One of these values.
    List(Vec<String>),
    /// A suggestion list: other values are allowed after a notice.
    Suggest(Vec<String>),
    /// A whole number in this range.
    Whole(i32, i32),
    /// A date, shown as yyyy-mm-dd.
    Date,
    /// A date and time, shown as yyyy-mm-dd hh:mm.
    DateTime,
}

/// One column of a template.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text as written in row 1.
    pub header: String,
    /// Header group and role in the configuration the header belongs to.
    pub group: &'static str,
    pub role: &'static str,
    /// Whether the kind needs this column to be recognised / read.
    pub required: bool,
    /// Column width in characters.
    pub width: f64,
    /// What to write, in Swedish.
    pub help: String,
    pub rule: Rule,
}

/// One blank input workbook.
#[derive(Debug, Clone)]
pub struct Template {
    pub kind: InputKind,
    pub file_name: &'static str,
    pub sheet: &'static str,
    /// One sentence on what the file is for, in Swedish.
    pub purpose: String,
    pub columns: Vec<Column>,
}

/// What happened to one template file.
#[derive(Debug)]
pub enum Outcome {
    Written { path: PathBuf, kind: InputKind },
    Skipped { path: PathBuf, kind: InputKind },
    Failed { path: PathBuf, error: Error },
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn yes_no() -> Rule {
    Rule::List(strings(&["Ja", "Nej"]))
}

/// Upper-cases the first letter: "anställningsnummer" → "Anställningsnummer".
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The header for a role: `preferred` when the configuration recognises it, else the
/// role's first configured synonym.
fn header(cfg: &Config, group: &str, role: &str, preferred: &str) -> String {
    let synonyms = cfg
        .headers
        .get(group)
        .and_then(|g| g.get(role))
        .cloned()
        .unwrap_or_default();
    let wanted = normalize(preferred);
    if synonyms.is_empty() || synonyms.iter().any(|s| normalize(s) == wanted) {
        preferred.to_string()
    } else {
        capitalise(synonyms[0].trim())
    }
}

#[allow(clippy::too_many_arguments)]
/// A column of a template being described: its role, the header genomgang prefers
/// (replaced by the configuration's first synonym when that list was changed), width,
/// rule and help text.
struct ColumnSpec {
    group: &'static str,
    role: &'static str,
    preferred: String,
    required: bool,
    width: f64,
    help: String,
    rule: Rule,
}

fn col(
    group: &'static str,
    role: &'static str,
    preferred: &str,
    width: f64,
    rule: Rule,
) -> ColumnSpec {
    ColumnSpec {
        group,
        role,
        preferred: preferred.to_string(),
        required: false,
        width,
        help: String::new(),
        rule,
    }
}

impl ColumnSpec {
    /// The kind cannot be recognised without this column.
    fn required(mut self) -> ColumnSpec {
        self.required = true;
        self
    }

    /// The explanation shown in the header's note and on the instruction sheet.
    fn help(mut self, text: &str) -> ColumnSpec {
        self.help = text.to_string();
        self
    }

    fn build_with(self, cfg: &Config) -> Column {
        Column {
            header: header(cfg, self.group, self.role, &self.preferred),
            group: self.group,
            role: self.role,
            required: self.required,
            width: self.width,
            help: self.help,
            rule: self.rule,
        }
    }
}

/// The columns of a template, with their headers as the configuration knows them.
fn columns(cfg: &Config, specs: Vec<ColumnSpec>) -> Vec<Column> {
    specs.into_iter().map(|c| c.build_with(cfg)).collect()
}

/// The seven templates, in the order they are written. `year` picks the name of the NIS
/// authority (MSB, from 2026 MCF) for the incident template.
pub fn templates(cfg: &Config, year: i32) -> Vec<Template> {
    let authority = cfg.nis_authority(year);
    let categories: Vec<String> = cfg
        .incidents
        .categories
        .iter()
        .map(|c| c.label.clone())
        .collect();
    let mandatory: Vec<String> = cfg
        .training
        .mandatory
        .iter()
        .map(|m| m.label.clone())
        .collect();
    let mandatory_text = if mandatory.is_empty() {
        String::new()
    } else {
        format!(
            " De obligatoriska kurserna känns igen på namnet: {}.",
            mandatory.join("; ")
        )
    };
    let person_help = "Fyll i e-post eller anställningsnummer (gärna båda) så att samma person känns igen i utbildningslistan och personallistan.";
    vec![
        Template {
            kind: InputKind::Training,
            file_name: "Mall utbildning.xlsx",
            sheet: "Utbildning",
            purpose: "En rad per medarbetare och kurs: vem som har genomfört vilken utbildning och när.".to_string(),
            columns: columns(cfg, vec![
                col("person", "email", "E-post", 32.0, Rule::Text)
                    .help(&format!("Medarbetarens e-postadress. {person_help}")),
                col("person", "employee_number", "Anställningsnummer", 20.0, Rule::Identifier)
                    .help(&format!("Medarbetarens anställningsnummer. {person_help}")),
                col("training", "course", "Kurs", 40.0, Rule::Suggest(mandatory.clone())).required()
                    .help(&format!("Kursens namn, en rad per medarbetare och kurs. Välj i listan eller skriv ett annat kursnamn.{mandatory_text}")),
                col("training", "completion_status", "Status", 16.0, Rule::List(strings(&["Genomförd", "Ej genomförd"]))).required()
                    .help("Genomförd eller Ej genomförd. Välj i listan."),
                col("training", "completion_date", "Slutfört datum", 16.0, Rule::Date)
                    .help("Datum då kursen slutfördes, skrivet ÅÅÅÅ-MM-DD. Lämna tomt om kursen inte är genomförd."),
            ]),
        },
        Template {
            kind: InputKind::Roster,
            file_name: "Mall personal.xlsx",
            sheet: "Personal",
            purpose: "En rad per medarbetare som ska ha genomfört de obligatoriska utbildningarna (underlaget för andelen som har genomfört dem).".to_string(),
            columns: columns(cfg, vec![
                col("person", "employee_number", "Anställningsnummer", 20.0, Rule::Identifier)
                    .help(&format!("Medarbetarens anställningsnummer. {person_help}")),
                col("person", "personal_number", "Personnummer", 18.0, Rule::Identifier)
                    .help("Personnummer ÅÅÅÅMMDD-NNNN. Kan lämnas tomt om anställningsnummer eller e-post finns. Visas aldrig i rapporten."),
                col("person", "name", "Namn", 28.0, Rule::Text)
                    .help("För- och efternamn. Visas aldrig i rapporten."),
                col("person", "email", "E-post", 32.0, Rule::Text)
                    .help(&format!("Medarbetarens e-postadress. {person_help}")),
                col("org", "unit", "Enhet", 28.0, Rule::Text).required()
                    .help("Enhet, avdelning eller arbetsplats där medarbetaren arbetar."),
                col("org", "administration", "Förvaltning", 28.0, Rule::Text)
                    .help("Förvaltningens namn. Behövs bara när en fil gemensam för flera förvaltningar ska delas upp."),
            ]),
        },
        Template {
            kind: InputKind::Incidents,
            file_name: "Mall incidenter.xlsx",
            sheet: "Incidenter",
            purpose: "En rad per informationssäkerhetsincident eller personuppgiftsincident.".to_string(),
            columns: columns(cfg, vec![
                col("incidents", "case_id", "Ärendenummer", 16.0, Rule::Identifier)
                    .help("Ärendets nummer i ert ärendesystem. Samma nummer räknas bara en gång."),
                col("incidents", "event_date", "Händelsedatum", 16.0, Rule::Date).required()
                    .help("Datum då händelsen inträffade, skrivet ÅÅÅÅ-MM-DD. Är det okänt räknas upptäcktsdatumet."),
                col("incidents", "discovered_date", "Upptäckt", 18.0, Rule::DateTime)
                    .help("Datum och gärna klockslag då händelsen upptäcktes, skrivet ÅÅÅÅ-MM-DD TT:MM. Behövs för att se om anmälan till IMY gjordes inom 72 timmar."),
                col("incidents", "category", "Kategori", 26.0, Rule::List(categories)).required()
                    .help("Typ av händelse. Välj i listan."),
                col("incidents", "personal_data", "Personuppgiftsincident", 22.0, yes_no())
                    .help("Ja om händelsen rör personuppgifter, annars Nej."),
                col("incidents", "reported_imy", "Anmäld till IMY", 16.0, yes_no())
                    .help("Ja om incidenten har anmälts till Integritetsskyddsmyndigheten, annars Nej."),
                col("incidents", "reported_date", "Anmält datum", 18.0, Rule::DateTime)
                    .help("Datum och gärna klockslag då anmälan till IMY gjordes, skrivet ÅÅÅÅ-MM-DD TT:MM."),
                col("incidents", "reported_msb", &format!("Anmäld till {authority}"), 18.0, yes_no())
                    .help(&format!("Ja om incidenten har rapporterats till {authority} enligt cybersäkerhetslagen (NIS), annars Nej.")),
                col("org", "unit", "Enhet", 24.0, Rule::Text)
                    .help("Enheten där händelsen inträffade."),
            ]),
        },
        Template {
            kind: InputKind::Register,
            file_name: "Mall registerförteckning.xlsx",
            sheet: "Registerförteckning",
            purpose: "En rad per behandling av personuppgifter, med uppgifterna i artikel 30 i dataskyddsförordningen.".to_string(),
            columns: columns(cfg, vec![
                col("register", "activity", "Behandling", 32.0, Rule::Text).required()
                    .help("Behandlingens namn, t.ex. Elevregister eller Rekrytering."),
                col("register", "purpose", "Ändamål", 40.0, Rule::Text).required()
                    .help("Varför personuppgifterna behandlas."),
                col("register", "legal_basis", "Rättslig grund", 28.0, Rule::Suggest(strings(&["Samtycke", "Avtal", "Rättslig förpliktelse", "Grundläggande intresse", "Allmänt intresse", "Myndighetsutövning", "Berättigat intresse"])))
                    .help("Rättslig grund enligt artikel 6.1. Välj i listan eller skriv en egen text (t.ex. med hänvisning till lag)."),
                col("register", "data_subjects", "Kategorier av registrerade", 30.0, Rule::Text)
                    .help("Vilka personerna är, t.ex. elever, vårdnadshavare, medarbetare."),
                col("register", "data_categories", "Kategorier av personuppgifter", 34.0, Rule::Text)
                    .help("Vilka slags uppgifter, t.ex. namn, kontaktuppgifter, omdömen."),
                col("register", "recipients", "Mottagare", 28.0, Rule::Text)
                    .help("Vem uppgifterna lämnas ut till. Skriv Inga om de inte lämnas ut."),
                col("register", "third_country", "Tredjelandsöverföring", 20.0, yes_no())
                    .help("Ja om uppgifter förs över till land utanför EU/EES, annars Nej."),
                col("register", "retention", "Lagringstid", 28.0, Rule::Text)
                    .help("Hur länge uppgifterna sparas eller när de gallras, t.ex. enligt dokumenthanteringsplan."),
                col("register", "security", "Säkerhetsåtgärder", 34.0, Rule::Text)
                    .help("Tekniska och organisatoriska säkerhetsåtgärder, t.ex. behörighetsstyrning och loggning."),
                col("register", "last_reviewed", "Senast reviderad", 16.0, Rule::Date)
                    .help("Datum då uppgifterna senast sågs över, skrivet ÅÅÅÅ-MM-DD."),
            ]),
        },
        Template {
            kind: InputKind::Classification,
            file_name: "Mall informationsklassning.xlsx",
            sheet: "Informationsklassning",
            purpose: "En rad per informationstillgång med dess klassning enligt KLASSA (nivå 0–4).".to_string(),
            columns: columns(cfg, vec![
                col("classification", "asset", "Informationstillgång", 36.0, Rule::Text).required()
                    .help("Informationstillgångens eller systemets namn."),
                col("classification", "confidentiality", "Konfidentialitet", 18.0, Rule::Whole(0, 4)).required()
                    .help("Nivå 0–4 för konfidentialitet. Lämna tomt om den inte är klassad."),
                col("classification", "integrity", "Riktighet", 14.0, Rule::Whole(0, 4))
                    .help("Nivå 0–4 för riktighet. Lämna tomt om den inte är klassad."),
                col("classification", "availability", "Tillgänglighet", 16.0, Rule::Whole(0, 4))
                    .help("Nivå 0–4 för tillgänglighet. Lämna tomt om den inte är klassad."),
                col("classification", "classified_date", "Klassad datum", 16.0, Rule::Date)
                    .help("Datum då klassningen gjordes, skrivet ÅÅÅÅ-MM-DD."),
            ]),
        },
        Template {
            kind: InputKind::Risks,
            file_name: "Mall risker.xlsx",
            sheet: "Risker",
            purpose: "En rad per risk i riskregistret.".to_string(),
            columns: columns(cfg, vec![
                col("risks", "risk", "Risk", 40.0, Rule::Text).required()
                    .help("Kort beskrivning av risken."),
                col("risks", "likelihood", "Sannolikhet", 14.0, Rule::List(strings(&["1", "2", "3", "4", "5"]))).required()
                    .help("Sannolikhet 1–5 (1 = mycket låg, 5 = mycket hög). Välj i listan."),
                col("risks", "consequence", "Konsekvens", 14.0, Rule::List(strings(&["1", "2", "3", "4", "5"]))).required()
                    .help("Konsekvens 1–5 (1 = försumbar, 5 = allvarlig). Välj i listan."),
                col("risks", "value", "Riskvärde", 12.0, Rule::Whole(1, 25))
                    .help("Sannolikhet × konsekvens (1–25). Kan lämnas tomt; genomgang räknar ut det."),
                col("risks", "status", "Status", 14.0, Rule::List(strings(&["Öppen", "Hanterad", "Accepterad"])))
                    .help("Öppen, Hanterad eller Accepterad. Välj i listan."),
                col("risks", "action", "Åtgärd", 40.0, Rule::Text)
                    .help("Planerad eller vidtagen åtgärd för att minska risken."),
            ]),
        },
        Template {
            kind: InputKind::Actions,
            file_name: "Mall åtgärder.xlsx",
            sheet: "Åtgärder",
            purpose: "En rad per åtgärd i åtgärdsplanen (handlingsplanen).".to_string(),
            columns: columns(cfg, vec![
                col("actions", "action", "Åtgärd", 44.0, Rule::Text).required()
                    .help("Vad som ska göras."),
                col("actions", "status", "Status", 14.0, Rule::List(strings(&["Ej påbörjad", "Pågående", "Klar"]))).required()
                    .help("Ej påbörjad, Pågående eller Klar. Välj i listan."),
                col("actions", "deadline", "Klart senast", 16.0, Rule::Date)
                    .help("Datum då åtgärden senast ska vara klar, skrivet ÅÅÅÅ-MM-DD."),
                col("actions", "year", "År", 10.0, Rule::Whole(2000, 2100))
                    .help("Året då åtgärden är planerad, t.ex. 2027. Kan lämnas tomt om Klart senast är ifyllt."),
            ]),
        },
    ]
}

/// What the instruction sheet says a column accepts.
fn allowed_text(rule: &Rule) -> String {
    match rule {
        Rule::Text => "Fritext".to_string(),
        Rule::Identifier => "Fritext (sparas som text)".to_string(),
        Rule::List(values) => format!("Ett av: {}", values.join(", ")),
        Rule::Suggest(values) if values.is_empty() => "Fritext".to_string(),
        Rule::Suggest(values) => format!("Förslag: {} (annan text går också)", values.join(", ")),
        Rule::Whole(min, max) => format!("Heltal {min}–{max}"),
        Rule::Date => "Datum ÅÅÅÅ-MM-DD".to_string(),
        Rule::DateTime => "Datum ÅÅÅÅ-MM-DD, gärna med klockslag TT:MM".to_string(),
    }
}

/// True when a list must live in cells rather than inline in the validation.
fn needs_cell_list(values: &[String]) -> bool {
    let joined: usize = values.iter().map(|v| v.chars().count() + 1).sum();
    joined > INLINE_LIST_MAX || values.iter().any(|v| v.contains(',') || v.contains('"'))
}

/// The validation for a column, or none. `list_range` is the cell range holding the
/// list's values when they are too long to be inline.
fn validation(col: &Column, list_range: Option<&str>) -> Result<Option<DataValidation>, XlsxError> {
    let title = clip(&col.header, 32);
    let (dv, error) = match &col.rule {
        Rule::Text | Rule::Identifier => return Ok(None),
        Rule::Suggest(values) if values.is_empty() => return Ok(None),
        Rule::List(values) | Rule::Suggest(values) => {
            let dv = match list_range {
                Some(range) => {
                    DataValidation::new().allow_list_formula(Formula::new(format!("={range}")))
                }
                None => DataValidation::new().allow_list_strings(values)?,
            };
            if matches!(col.rule, Rule::Suggest(_)) {
                (
                    dv.set_error_style(DataValidationErrorStyle::Information),
                    "Värdet finns inte i listan. Välj OK för att behålla det ändå.".to_string(),
                )
            } else {
                (
                    dv,
                    format!("Välj ett värde i listan: {}.", values.join(", ")),
                )
            }
        }
        Rule::Whole(min, max) => (
            DataValidation::new().allow_whole_number(DataValidationRule::Between(*min, *max)),
            format!("Skriv ett heltal från {min} till {max}."),
        ),
        Rule::Date | Rule::DateTime => (
            DataValidation::new().allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1900, 1, 1)?,
                ExcelDateTime::from_ymd(2199, 12, 31)?,
            )),
            "Skriv ett datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.".to_string(),
        ),
    };
    let dv = dv
        .set_input_title(title.as_str())?
        .set_input_message(clip(&col.help, 255))?
        .set_error_title(title.as_str())?
        .set_error_message(clip(&error, 255))?;
    Ok(Some(dv))
}

/// Cuts a text to Excel's limit for validation titles (32) and messages (255); notes
/// and the instruction sheet keep the full text.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 2).collect();
        format!("{} …", cut.trim_end())
    }
}

/// A sheet-qualified absolute reference: 'Instruktioner'!$G$2:$G$12.
fn absolute_range(sheet: &str, col: u16, first_row: u32, last_row: u32) -> String {
    format!(
        "{}!{}",
        rust_xlsxwriter::utility::quote_sheet_name(sheet),
        rust_xlsxwriter::utility::cell_range_absolute(first_row, col, last_row, col)
    )
}

/// The template as xlsx bytes.
pub fn build(t: &Template) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date keeps two runs byte-identical.
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Indatamall: {}", t.kind.label()))
            .set_subject("Indata till Ledningens genomgång av informationssäkerhet")
            .set_comment("Skapad med genomgang templates")
            .set_creation_datetime(&created),
    );
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let text = Format::new().set_num_format("@");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = Format::new().set_bold().set_font_size(14);

    // The instruction sheet first (in memory), since long lists live on it.
    let mut help = Worksheet::new();
    help.set_name(INSTRUCTIONS_SHEET)?;
    help.write_string_with_format(
        0,
        0,
        format!("Så fyller du i mallen: {}", t.kind.label()),
        &title,
    )?;
    help.write_string(1, 0, &t.purpose)?;
    help.write_string(
        2,
        0,
        format!(
            "Fyll i bladet \"{}\" med en rad per post från rad 2. Ändra inte rubrikerna i rad 1; genomgang känner igen bladet på dem. Kolumner markerade Ja under Krävs måste finnas och vara ifyllda.",
            t.sheet
        ),
    )?;
    let table_top: u32 = 4;
    for (c, h) in ["Kolumn", "Vad du skriver", "Tillåtna värden", "Krävs"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(table_top, c as u16, *h, &head)?;
    }
    help.set_column_width(0, 28)?;
    help.set_column_width(1, 70)?;
    help.set_column_width(2, 40)?;
    help.set_column_width(3, 8)?;
    let mut list_ranges: Vec<Option<String>> = Vec::new();
    let mut list_col = LIST_AREA_COL;
    for (i, col) in t.columns.iter().enumerate() {
        let r = table_top + 1 + i as u32;
        help.write_string_with_format(r, 0, &col.header, &wrap)?;
        help.write_string_with_format(r, 1, &col.help, &wrap)?;
        help.write_string_with_format(r, 2, allowed_text(&col.rule), &wrap)?;
        help.write_string_with_format(r, 3, if col.required { "Ja" } else { "Nej" }, &wrap)?;
        // Rows do not grow by themselves for wrapped text written by a program.
        let lines = crate::report::workbook::wrapped_lines(&col.help, 70.0).max(
            crate::report::workbook::wrapped_lines(&allowed_text(&col.rule), 40.0),
        );
        if lines > 1 {
            help.set_row_height(r, 15.0 * lines as f64 + 2.0)?;
        }
        let range = match &col.rule {
            Rule::List(values) | Rule::Suggest(values)
                if !values.is_empty() && needs_cell_list(values) =>
            {
                help.write_string_with_format(
                    table_top,
                    list_col,
                    format!("Listvärden: {}", col.header),
                    &head,
                )?;
                for (k, v) in values.iter().enumerate() {
                    help.write_string(table_top + 1 + k as u32, list_col, v)?;
                }
                help.set_column_width(list_col, 28)?;
                let range = absolute_range(
                    INSTRUCTIONS_SHEET,
                    list_col,
                    table_top + 1,
                    table_top + values.len() as u32,
                );
                list_col += 1;
                Some(range)
            }
            _ => None,
        };
        list_ranges.push(range);
    }
    help.set_freeze_panes(table_top + 1, 0)?;
    help.set_landscape().set_print_fit_to_pages(1, 0);

    let mut ws = Worksheet::new();
    ws.set_name(t.sheet)?;
    for (c, col) in t.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, &col.header, &head)?;
        ws.set_column_width(c, col.width)?;
        match col.rule {
            Rule::Date => {
                ws.set_column_format(c, &date)?;
            }
            Rule::DateTime => {
                ws.set_column_format(c, &datetime)?;
            }
            Rule::Identifier => {
                ws.set_column_format(c, &text)?;
            }
            _ => {}
        }
        let required = if col.required { " (krävs)" } else { "" };
        let note = Note::new(format!("{}{required}\n{}", col.header, col.help))
            .add_author_prefix(false)
            .set_author("genomgang")
            .set_width(300)
            .set_height(120);
        ws.insert_note(0, c, &note)?;
        if let Some(dv) = validation(col, list_ranges[c as usize].as_deref())? {
            ws.add_data_validation(1, c, VALIDATED_ROWS, c, &dv)?;
        }
    }
    // Keep the header row in view while scrolling.
    ws.set_freeze_panes(1, 0)?;
    // Printed blank as a form: landscape, all columns on one page.
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_row_height(0, 30)?;
    ws.set_active(true);
    wb.push_worksheet(ws);
    wb.push_worksheet(help);
    wb.save_to_buffer()
}

/// Writes every template into `out_dir` (created if missing). Existing files are left
/// alone unless `force`.
pub fn write_all(
    out_dir: &Path,
    cfg: &Config,
    year: i32,
    force: bool,
) -> Result<Vec<Outcome>, Error> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::write(out_dir, e))?;
    let mut out = Vec::new();
    for t in templates(cfg, year) {
        let path = out_dir.join(t.file_name);
        if !force && std::fs::symlink_metadata(&path).is_ok() {
            out.push(Outcome::Skipped { path, kind: t.kind });
            continue;
        }
        let result = build(&t)
            .map_err(|source| Error::Workbook {
                path: path.clone(),
                source,
            })
            .and_then(|bytes| crate::report::write_atomically(&path, &bytes));
        out.push(match result {
            Ok(()) => Outcome::Written { path, kind: t.kind },
            Err(error) => Outcome::Failed { path, error },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Cell, Recogniser};

    fn row(texts: &[String]) -> Vec<Cell> {
        texts
            .iter()
            .map(|t| Cell::Text(t.as_str().into()))
            .collect()
    }

    #[test]
    fn every_template_header_is_recognised_as_its_kind_with_every_column_used() {
        let cfg = Config::default_config();
        let rec = Recogniser::new(&cfg);
        let all = templates(&cfg, 2025);
        assert_eq!(all.len(), 7);
        for t in &all {
            let headers: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
            let map = rec
                .recognise(&[row(&headers)])
                .unwrap_or_else(|e| panic!("{}: {e}", t.file_name));
            assert_eq!(map.kind, t.kind, "{}", t.file_name);
            assert!(
                map.ignored_columns().is_empty(),
                "{}: {:?}",
                t.file_name,
                map.ignored_columns()
            );
            for (i, c) in t.columns.iter().enumerate() {
                assert_eq!(map.col(c.role), Some(i), "{} {}", t.file_name, c.header);
            }
        }
    }

    #[test]
    fn instruction_rows_are_not_mistaken_for_data() {
        let cfg = Config::default_config();
        let rec = Recogniser::new(&cfg);
        for t in templates(&cfg, 2025) {
            for c in &t.columns {
                let r = row(&[
                    c.header.clone(),
                    c.help.clone(),
                    allowed_text(&c.rule),
                    "Ja".to_string(),
                ]);
                assert!(rec.recognise(&[r]).is_err(), "{} {}", t.file_name, c.header);
            }
        }
    }

    #[test]
    fn nis_authority_follows_the_year_and_categories_map_to_themselves() {
        let cfg = Config::default_config();
        let header_of = |year: i32| {
            templates(&cfg, year)
                .into_iter()
                .find(|t| t.kind == InputKind::Incidents)
                .unwrap()
                .columns
                .into_iter()
                .find(|c| c.role == "reported_msb")
                .unwrap()
                .header
        };
        assert_eq!(header_of(2025), "Anmäld till MSB");
        assert_eq!(header_of(2026), "Anmäld till MCF");
        for c in &cfg.incidents.categories {
            assert_eq!(
                crate::model::incidents::map_category(&c.label, &cfg).as_deref(),
                Some(c.slug.as_str()),
                "{}",
                c.label
            );
        }
    }

    #[test]
    fn list_values_are_read_back_as_intended() {
        use crate::ingest::value::parse_bool_text;
        assert_eq!(parse_bool_text("Ja"), Some(true));
        assert_eq!(parse_bool_text("Nej"), Some(false));
        let cfg = Config::default_config();
        let norm = |v: &[String]| v.iter().map(|s| normalize(s)).collect::<Vec<_>>();
        let completed = norm(&cfg.training.values.completed);
        let not_completed = norm(&cfg.training.values.not_completed);
        assert!(completed.contains(&normalize("Genomförd")));
        assert!(not_completed.contains(&normalize("Ej genomförd")));
        let done = norm(&cfg.actions.done);
        assert!(done.contains(&normalize("Klar")));
        assert!(!done.contains(&normalize("Pågående")));
        assert!(!done.contains(&normalize("Ej påbörjad")));
    }

    #[test]
    fn replaced_synonym_lists_fall_back_to_the_configured_word() {
        let mut cfg = Config::default_config();
        cfg.headers
            .get_mut("actions")
            .unwrap()
            .insert("deadline".into(), vec!["färdigdatum".into()]);
        let t = templates(&cfg, 2025)
            .into_iter()
            .find(|t| t.kind == InputKind::Actions)
            .unwrap();
        assert!(t.columns.iter().any(|c| c.header == "Färdigdatum"));
    }

    #[test]
    fn long_category_lists_move_to_cells() {
        let mut cfg = Config::default_config();
        for i in 0..40 {
            cfg.incidents
                .categories
                .push(crate::config::CategoryConfig {
                    slug: format!("extra{i}"),
                    label: format!("Extra kategori nummer {i}"),
                    synonyms: vec![],
                });
        }
        let t = templates(&cfg, 2025)
            .into_iter()
            .find(|t| t.kind == InputKind::Incidents)
            .unwrap();
        let bytes = build(&t).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        // 9 default + 40 extra categories under the list heading on row 5.
        assert!(
            xml.contains("<formula1>Instruktioner!$G$6:$G$54</formula1>"),
            "{xml}"
        );
        let short = templates(&Config::default_config(), 2025);
        for t in &short {
            for c in &t.columns {
                if let Rule::List(v) | Rule::Suggest(v) = &c.rule {
                    assert!(!needs_cell_list(v), "{}", c.header);
                }
            }
        }
    }
}
