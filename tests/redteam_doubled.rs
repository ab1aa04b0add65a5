//! Issue 18, defects 2–8: figures wrong, doubled or lost without a word. Each test is
//! named after its defect and builds the inputs whose true figures are known by
//! construction: copies of the same rows in other bytes, a city-wide log in every unit
//! folder, exports taken early in a year, an ITSM export beside the personal data
//! incident register, real inputs that look like our output, unit folders batch cannot
//! read or names in another Unicode form, and inputs in a subfolder or with a name
//! Windows would trim.
//!
//! The ITSM export uses ServiceNow's incident field names, as in
//! `tests/fixtures/systems/servicenow` (see its SOURCE.md).

mod common;

use std::path::Path;

use chrono::Datelike;
use common::*;

// ---------------------------------------------------------------- fixtures

fn risk_rows(count: usize) -> Vec<Vec<V>> {
    let mut rows = vec![texts(&["Risk", "Sannolikhet", "Konsekvens", "Riskägare"])];
    for i in 0..count {
        rows.push(vec![
            s(&format!("Risk för avbrott {i}")),
            n(1.0 + (i % 4) as f64),
            n(4.0),
            s("IT-chef"),
        ]);
    }
    rows
}

fn action_rows(count: usize) -> Vec<Vec<V>> {
    let mut rows = vec![texts(&["Åtgärd", "Status", "Klart senast"])];
    for i in 0..count {
        let status = if i % 2 == 0 { "Klar" } else { "Pågår" };
        rows.push(vec![
            s(&format!("Åtgärd nummer {i}")),
            s(status),
            d(2025, 3 + i as u32, 15),
        ]);
    }
    rows
}

fn register_rows(count: usize) -> Vec<Vec<V>> {
    let mut rows = vec![texts(&REGISTER_COLUMNS)];
    for i in 0..count {
        let mut row: Vec<V> = REGISTER_COLUMNS[..8]
            .iter()
            .map(|c| s(&format!("{c} för behandling {i}")))
            .collect();
        row.push(d(2025, 1 + i as u32, 10));
        rows.push(row);
    }
    rows
}

fn classification_rows(count: usize) -> Vec<Vec<V>> {
    let mut rows = vec![texts(&[
        "Informationstillgång",
        "Konfidentialitet",
        "Riktighet",
        "Tillgänglighet",
    ])];
    for i in 0..count {
        rows.push(vec![s(&format!("System {i}")), s("K2"), s("R1"), s("T3")]);
    }
    rows
}

/// Incidents without case numbers: (date, category, personal data).
fn incident_rows(rows: &[(V, &str, &str)]) -> Vec<Vec<V>> {
    let mut out = vec![texts(&[
        "Händelsedatum",
        "Kategori",
        "Personuppgiftsincident",
    ])];
    for (date, cat, pui) in rows {
        out.push(vec![date.clone(), s(cat), s(pui)]);
    }
    out
}

/// The same rows as a semicolon CSV (UTF-8, dates as ÅÅÅÅ-MM-DD), as Excel's "Spara
/// som CSV" writes them.
fn write_csv(path: &Path, rows: &[Vec<V>]) {
    let text: String = rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .map(|v| match v {
                    V::S(t) => t.clone(),
                    V::N(x) => format!("{x}"),
                    V::D(d) => d.format("%Y-%m-%d").to_string(),
                    _ => String::new(),
                })
                .collect();
            format!("{}\r\n", cells.join(";"))
        })
        .collect();
    std::fs::write(path, text).unwrap();
}

/// The same rows saved again "in Excel": other bytes (another sheet name, an empty
/// second sheet), the same table.
fn write_resaved(path: &Path, rows: Vec<Vec<V>>) {
    write_xlsx(path, &[("Blad1", rows), ("Blad2", Vec::new())]);
}

fn text_of(rows: &[Vec<calamine::Data>]) -> String {
    rows.iter()
        .flatten()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn unit<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == name)
        .unwrap_or_else(|| panic!("no unit {name} in {}", doc["units"]))
}

fn unit_names(doc: &serde_json::Value) -> Vec<String> {
    doc["units"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| u["unit"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn batch(root: &Path, out: &Path, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let json = out.parent().unwrap().join("batch.json");
    let mut args = vec!["--jobs", "1"];
    args.extend_from_slice(extra);
    run_json("batch", root, out, &json, &args)
}

fn this_year() -> i32 {
    chrono::Local::now().year()
}

// ---------------------------------------------------------------- defect 2

#[test]
fn defect2_copies_in_other_bytes_count_once_and_the_later_copy_is_named() {
    let tmp = TempDir::new("rt-d2-copies");
    let dir = tmp.folder("in");
    write_sheet(&dir.join("Riskregister.xlsx"), "Risker", risk_rows(10));
    write_resaved(&dir.join("Riskregister – sparad.xlsx"), risk_rows(10));
    write_sheet(&dir.join("Åtgärdsplan.xlsx"), "Åtgärder", action_rows(6));
    write_csv(&dir.join("Åtgärdsplan.csv"), &action_rows(6));
    write_sheet(&dir.join("Register.xlsx"), "Register", register_rows(5));
    write_resaved(&dir.join("Register (sparad).xlsx"), register_rows(5));
    write_sheet(
        &dir.join("Klassning.xlsx"),
        "Klassning",
        classification_rows(4),
    );
    write_csv(&dir.join("Klassning.csv"), &classification_rows(4));
    let incidents = [
        (d(2025, 2, 3), "Nätfiske", "Nej"),
        (d(2025, 3, 4), "Felskick", "Ja"),
        (d(2025, 5, 6), "Inbrott", "Nej"),
    ];
    write_sheet(
        &dir.join("Incidenter.xlsx"),
        "Incidenter",
        incident_rows(&incidents),
    );
    write_csv(&dir.join("Incidenter.csv"), &incident_rows(&incidents));
    let (doc, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_kpis(
        &doc,
        &[
            ("risks.total", Some(10.0), None),
            ("actions.total", Some(6.0), None),
            ("register.activities", Some(5.0), None),
            ("classification.assets", Some(4.0), None),
            ("incidents.total", Some(3.0), None),
            ("incidents.personal_data", Some(1.0), None),
        ],
    );
    let quality = text_of(&sheet_rows(&xlsx, "Datakvalitet"));
    for later in [
        "Åtgärdsplan.csv",
        "Klassning.csv",
        "Incidenter.xlsx",
        "Register (sparad).xlsx",
    ] {
        assert!(quality.contains(later), "{later}: {quality}");
    }
    assert!(quality.contains("samma uppgifter"), "{quality}");
    assert!(
        quality.contains("Rader inom en och samma fil slås aldrig ihop"),
        "{quality}"
    );
}

#[test]
fn defect2_rows_of_one_file_are_never_merged_only_copies_across_files() {
    let tmp = TempDir::new("rt-d2-within");
    let dir = tmp.folder("in");
    // Two incidents with the same shown facts in one log: two incidents.
    let twice = [
        (d(2025, 4, 1), "Nätfiske", "Nej"),
        (d(2025, 4, 1), "Nätfiske", "Nej"),
        (d(2025, 4, 2), "Inbrott", "Nej"),
    ];
    write_sheet(&dir.join("Logg A.xlsx"), "Logg", incident_rows(&twice));
    // A copy of the log as CSV: nothing new.
    write_csv(&dir.join("Logg B.csv"), &incident_rows(&twice));
    // A third file with the same facts three times: one more than any file before.
    let thrice = [
        (d(2025, 4, 1), "Nätfiske", "Nej"),
        (d(2025, 4, 1), "Nätfiske", "Nej"),
        (d(2025, 4, 1), "Nätfiske", "Nej"),
    ];
    write_csv(&dir.join("Logg C.csv"), &incident_rows(&thrice));
    let (doc, _) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "incidents.total"), Some(4.0));
}

// ---------------------------------------------------------------- defect 3

/// A city-wide incident log: 20 rows of Kungsholmen (written as the administration's
/// full name), 10 of Östermalm (in capitals, without diacritics in one row).
fn city_log(path: &Path) {
    let mut rows = vec![texts(&[
        "Förvaltning",
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
    ])];
    for i in 0..30u32 {
        let admin = match i {
            0..=19 => "Kungsholmens stadsdelsförvaltning",
            20 => "OSTERMALM",
            _ => "Östermalm",
        };
        rows.push(vec![
            s(admin),
            s(&format!("STAD-{i}")),
            d(2025, 1 + i % 12, 1 + i % 27),
            s("Nätfiske"),
        ]);
    }
    write_sheet(path, "Incidenter", rows);
}

#[test]
fn defect3_a_city_wide_log_in_each_unit_folder_gives_each_unit_its_own_rows() {
    let tmp = TempDir::new("rt-d3-city-log");
    let root = tmp.folder("stad");
    for unit in ["Kungsholmen", "Östermalm"] {
        let dir = tmp.folder(&format!("stad/{unit}"));
        city_log(&dir.join("Incidenter staden.xlsx"));
    }
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        value(unit(&doc, "Kungsholmen"), "incidents.total"),
        Some(20.0),
        "{err}"
    );
    assert_eq!(
        value(unit(&doc, "Östermalm"), "incidents.total"),
        Some(10.0),
        "{err}"
    );
    // The report on one unit's folder says what it left out.
    let (doc, xlsx) = report_ok(
        &root.join("Kungsholmen"),
        &tmp.join("ut-k"),
        &["--year", "2025"],
    );
    assert_eq!(value(&doc, "incidents.total"), Some(20.0));
    let quality = text_of(&sheet_rows(&xlsx, "Datakvalitet"));
    assert!(quality.contains("andra förvaltningars rader"), "{quality}");
    assert!(quality.contains("10 rader"), "{quality}");
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("Förvaltning"), "{sources}");
}

#[test]
fn defect3_a_unit_folder_and_the_city_file_in_the_root_do_not_double_the_city() {
    let tmp = TempDir::new("rt-d3-root-and-folder");
    let root = tmp.folder("stad");
    city_log(&root.join("Incidenter staden.xlsx"));
    city_log(&tmp.folder("stad/Kungsholmen").join("Incidenter.xlsx"));
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    let total: f64 = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| value(u, "incidents.total"))
        .sum();
    assert_eq!(total, 30.0, "{err}");
    assert_eq!(
        value(unit(&doc, "Kungsholmen"), "incidents.total"),
        Some(20.0)
    );
}

#[test]
fn defect3_a_column_that_names_no_unit_loses_no_rows_and_says_so() {
    let tmp = TempDir::new("rt-d3-workplaces");
    let dir = tmp.folder("Kungsholmen");
    let mut rows = vec![texts(&[
        "Organisation",
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
    ])];
    for (i, org) in [
        "Förskolan Solen",
        "Hemtjänst Norr",
        "Förskolan Solen",
        "Bibliotek",
    ]
    .iter()
    .enumerate()
    {
        rows.push(vec![
            s(org),
            s(&format!("K-{i}")),
            d(2025, 2, 1 + i as u32),
            s("Nätfiske"),
        ]);
    }
    write_sheet(&dir.join("Incidenter.xlsx"), "Incidenter", rows);
    let (code, doc, _, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(4.0), "{err}");
    assert!(err.contains("inget av dem är Kungsholmen"), "{err}");
}

// ---------------------------------------------------------------- defect 4

/// An incident log of last year in full (300) and the first days of this year (49),
/// dated on or before today whatever day the test runs.
#[test]
fn defect4_an_export_taken_early_in_a_year_reviews_the_year_before() {
    let tmp = TempDir::new("rt-d4-early");
    let dir = tmp.folder("in");
    let last = this_year() - 1;
    let mut rows = vec![texts(&["Ärendenummer", "Händelsedatum", "Kategori"])];
    for i in 0..300u32 {
        rows.push(vec![
            s(&format!("A-{i}")),
            d(last, 1 + i % 12, 1 + i % 28),
            s("Nätfiske"),
        ]);
    }
    for i in 0..49u32 {
        rows.push(vec![
            s(&format!("B-{i}")),
            d(this_year(), 1, 1),
            s("Nätfiske"),
        ]);
    }
    write_sheet(&dir.join("Incidenter.xlsx"), "Incidenter", rows);
    let out = tmp.join("out");
    let (code, doc, xlsx, err) = report(&dir, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["year"], last, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(300.0));
    assert!(
        err.contains(&format!("Granskningsår {last}: valt ur underlaget")),
        "{err}"
    );
    assert!(err.contains("hela kalenderåret"), "{err}");
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("hela kalenderåret"), "{sources}");
}

/// Completions since a roll-out four years ago: the roll-out year is by far the
/// busiest, the latest finished year is the review year.
#[test]
fn defect4_an_lms_export_since_a_roll_out_reviews_the_latest_finished_year() {
    let tmp = TempDir::new("rt-d4-lms");
    let dir = tmp.folder("in");
    let y = this_year();
    let mut csv = String::from("E-post;Kurs;Status;Slutfört datum\r\n");
    let mut person = 0;
    for (year, count) in [(y - 4, 300), (y - 3, 20), (y - 2, 15), (y - 1, 12)] {
        for _ in 0..count {
            person += 1;
            csv.push_str(&format!(
                "p{person}@example.se;Grundläggande informationssäkerhet;Genomförd;{year}-03-01\r\n"
            ));
        }
    }
    std::fs::write(dir.join("Utbildning.csv"), csv).unwrap();
    let (code, doc, _, err) = report(&dir, &tmp.join("out"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["year"], y - 1, "{err}");
}

#[test]
fn defect4_one_units_leftover_year_does_not_set_the_year_of_the_city() {
    let tmp = TempDir::new("rt-d4-batch");
    let root = tmp.folder("stad");
    let last = this_year() - 1;
    for (unit, leftover) in [("Alfa", true), ("Beta", false), ("Gamma", false)] {
        let dir = tmp.folder(&format!("stad/{unit}"));
        let mut rows = vec![texts(&["Ärendenummer", "Händelsedatum", "Kategori"])];
        for i in 0..4u32 {
            rows.push(vec![
                s(&format!("{unit}-{i}")),
                d(last, 2 + i, 10),
                s("Nätfiske"),
            ]);
        }
        rows.push(vec![s(&format!("{unit}-old")), d(2024, 5, 5), s("Inbrott")]);
        write_sheet(&dir.join("Incidenter.xlsx"), "Incidenter", rows);
        if leftover {
            std::fs::write(dir.join("genomgang.toml"), "year = 2024\n").unwrap();
        }
    }
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("Granskningsår {last}:")), "{err}");
    for name in ["Beta", "Gamma"] {
        let u = unit(&doc, name);
        assert_eq!(u["year"], last, "{err}");
        assert_eq!(value(u, "incidents.total"), Some(4.0), "{err}");
    }
    let alfa = unit(&doc, "Alfa");
    assert_eq!(alfa["year"], 2024, "{err}");
    assert!(err.contains("Alfa: granskningsår 2024"), "{err}");
    assert!(err.contains("Alfa/genomgang.toml"), "{err}");
    assert!(
        tmp.join("ut")
            .join(format!("Jämförelse {last}.xlsx"))
            .is_file(),
        "{err}"
    );
}

// ---------------------------------------------------------------- defect 5

#[test]
fn defect5_an_itsm_export_beside_the_pui_register_counts_each_incident_once() {
    let tmp = TempDir::new("rt-d5-itsm-pui");
    let dir = tmp.folder("in");
    std::fs::write(
        dir.join("incident.csv"),
        "\"number\",\"opened_at\",\"category\",\"short_description\",\"state\",\"priority\"\r\n\
         \"INC0010001\",\"2025-02-03 09:12:44\",\"Phishing\",\"Misstänkt e-post\",\"Closed\",\"3 - Moderate\"\r\n\
         \"INC0010002\",\"2025-03-14 10:22:00\",\"Unauthorized Access\",\"Inloggning\",\"Closed\",\"2 - High\"\r\n\
         \"INC0010003\",\"2025-05-20 13:01:10\",\"Malicious Software\",\"Virus\",\"Resolved\",\"2 - High\"\r\n",
    )
    .unwrap();
    // The register of personal data incidents: the same case numbers, its own
    // classification of what was breached, the day of discovery (one a day later).
    write_sheet(
        &dir.join("Personuppgiftsincidenter.xlsx"),
        "PUI",
        vec![
            texts(&[
                "Ärendenummer",
                "Upptäcktsdatum",
                "Typ av incident",
                "Personuppgiftsincident",
                "Anmäld till IMY",
            ]),
            vec![
                s("INC0010001"),
                d(2025, 2, 3),
                s("Obehörigt röjande"),
                s("Ja"),
                s("Ja"),
            ],
            vec![
                s("INC0010002"),
                d(2025, 3, 15),
                s("Obehörig åtkomst"),
                s("Ja"),
                s("Nej"),
            ],
        ],
    );
    let (doc, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "incidents.total"), Some(3.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(2.0));
    let quality = text_of(&sheet_rows(&xlsx, "Datakvalitet"));
    assert!(quality.contains("räknas en gång"), "{quality}");
}

// ---------------------------------------------------------------- defect 6

/// A workbook written with genomgang's output marker in its custom properties.
fn write_with_marker(path: &Path, sheets: &[(&str, Vec<Vec<V>>)]) {
    let plain = path.with_extension("plain.xlsx");
    write_xlsx(&plain, sheets);
    // rust_xlsxwriter writes docProps/custom.xml only with a custom property; add it
    // by writing the workbook again with one.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new().set_custom_property("genomgang-utdata", "ja"),
    );
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v {
                    V::S(t) => {
                        ws.write_string(r as u32, c as u16, t).unwrap();
                    }
                    V::N(x) => {
                        ws.write_number(r as u32, c as u16, *x).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
    std::fs::remove_file(plain).unwrap();
}

#[test]
fn defect6_a_register_saved_from_last_years_review_is_read_as_an_input() {
    let tmp = TempDir::new("rt-d6-marker");
    let dir = tmp.folder("in");
    write_with_marker(&dir.join("Riskregister.xlsx"), &[("Risker", risk_rows(10))]);
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "risks.total"), Some(10.0), "{err}");
    assert!(err.contains("markering"), "{err}");
    let quality = text_of(&sheet_rows(&xlsx, "Datakvalitet"));
    assert!(quality.contains("lästes som underlag"), "{quality}");
}

#[test]
fn defect6_a_register_with_sheets_named_kallor_and_datakvalitet_is_read() {
    let tmp = TempDir::new("rt-d6-sheets");
    let dir = tmp.folder("in");
    write_xlsx(
        &dir.join("Registerförteckning.xlsx"),
        &[
            ("Register", register_rows(5)),
            ("Källor", vec![texts(&["Lagrum", "Länk"])]),
            ("Datakvalitet", vec![texts(&["Granskad av", "Datum"])]),
        ],
    );
    let (code, doc, _, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "register.activities"), Some(5.0), "{err}");
}

#[test]
fn defect6_a_genuine_review_among_the_inputs_is_skipped_and_said() {
    let tmp = TempDir::new("rt-d6-genuine");
    let dir = tmp.folder("in");
    write_sheet(&dir.join("Riskregister.xlsx"), "Risker", risk_rows(10));
    let (_, first) = report_ok(&dir, &tmp.join("out1"), &["--year", "2025"]);
    std::fs::copy(&first, dir.join("Förra genomgången.xlsx")).unwrap();
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out2"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "risks.total"), Some(10.0), "{err}");
    assert!(err.contains("Förra genomgången.xlsx"), "{err}");
    assert!(err.contains("arbetsbok som genomgang har skrivit"), "{err}");
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("Förra genomgången.xlsx"), "{sources}");
}

// ---------------------------------------------------------------- defect 7

fn risks_in(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap();
    write_sheet(&dir.join("Risker.xlsx"), "Risker", risk_rows(count));
}

#[test]
fn defect7_a_unit_batch_cannot_use_is_listed_in_the_comparison_and_fails_the_run() {
    let tmp = TempDir::new("rt-d7-broken");
    let root = tmp.folder("stad");
    risks_in(&root.join("Alfa"), 3);
    let beta = tmp.folder("stad/Beta");
    std::fs::write(beta.join("Risker.xlsx"), b"PK\x03\x04 inte en arbetsbok").unwrap();
    let out = tmp.join("ut");
    let (code, doc, err) = batch(&root, &out, &["--year", "2025"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(unit_names(&doc), vec!["Alfa".to_string()], "{err}");
    assert!(err.contains("Beta"), "{err}");
    let comparison = text_of(&sheet_rows(&out.join("Jämförelse 2025.xlsx"), "Jämförelse"));
    assert!(comparison.contains("Beta: ingår inte"), "{comparison}");
}

#[test]
fn defect7_when_every_unit_fails_the_reasons_are_shown() {
    let tmp = TempDir::new("rt-d7-all-fail");
    let root = tmp.folder("stad");
    for unit in ["Alfa", "Beta"] {
        let dir = tmp.folder(&format!("stad/{unit}"));
        std::fs::write(dir.join("Risker.xlsx"), b"PK\x03\x04 trasig").unwrap();
    }
    let o = run_on("batch", &root, &tmp.join("ut"), &["--year", "2025"]);
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(0), "{err}");
    for unit in ["Alfa", "Beta"] {
        assert!(err.contains(&format!("  {unit}: ")), "{err}");
    }
    assert!(err.contains("inga användbara indata"), "{err}");
}

/// Runs the binary as an unprivileged user when the tests run as root, so that a
/// folder without read permission is unreadable to it.
fn run_unprivileged(args: &[&str]) -> Option<std::process::Output> {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            bin(),
        ]);
        c
    } else {
        std::process::Command::new(bin())
    };
    cmd.args(args).output().ok()
}

#[test]
fn defect7_a_unit_folder_batch_cannot_read_is_named_not_dropped() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new("rt-d7-unreadable");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let root = tmp.folder("stad");
    risks_in(&root.join("Alfa"), 3);
    risks_in(&root.join("Beta"), 4);
    for dir in [root.clone(), root.join("Alfa")] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(root.join("Beta"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = tmp.join("ut");
    let Some(o) = run_unprivileged(&[
        "batch",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--year",
        "2025",
        "--jobs",
        "1",
    ]) else {
        panic!("could not run the binary unprivileged");
    };
    std::fs::set_permissions(root.join("Beta"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Beta"), "{err}");
    assert!(err.contains("kunde inte läsas"), "{err}");
    let comparison = text_of(&sheet_rows(&out.join("Jämförelse 2025.xlsx"), "Jämförelse"));
    assert!(comparison.contains("Beta: ingår inte"), "{comparison}");
}

#[test]
fn defect7_a_unit_name_in_nfd_or_with_a_soft_hyphen_is_one_unit() {
    let tmp = TempDir::new("rt-d7-nfc");
    let root = tmp.folder("stad");
    // macOS writes "Östermalm" decomposed; a name copied from a web page keeps its
    // soft hyphen. The city-wide file writes both plainly.
    risks_in(&root.join("O\u{308}stermalm"), 3);
    risks_in(&root.join("Kungs\u{AD}holmen"), 4);
    let mut rows = vec![texts(&[
        "Förvaltning",
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
    ])];
    for (i, admin) in ["Östermalm", "Kungsholmen", "Kungsholmen"]
        .iter()
        .enumerate()
    {
        rows.push(vec![
            s(admin),
            s(&format!("S-{i}")),
            d(2025, 3, 1 + i as u32),
            s("Nätfiske"),
        ]);
    }
    write_sheet(&root.join("Incidenter staden.xlsx"), "Incidenter", rows);
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    let mut names = unit_names(&doc);
    names.sort();
    assert_eq!(names, vec!["Kungsholmen", "Östermalm"], "{err}");
    let ost = unit(&doc, "Östermalm");
    assert_eq!(value(ost, "risks.total"), Some(3.0));
    assert_eq!(value(ost, "incidents.total"), Some(1.0));
    let kungs = unit(&doc, "Kungsholmen");
    assert_eq!(value(kungs, "risks.total"), Some(4.0));
    assert_eq!(value(kungs, "incidents.total"), Some(2.0));
}

#[test]
fn defect7_a_symlinked_unit_folder_is_named_after_the_link() {
    let tmp = TempDir::new("rt-d7-symlink");
    let root = tmp.folder("stad");
    risks_in(&tmp.join("exporter/export-2025-norr"), 5);
    std::os::unix::fs::symlink(tmp.join("exporter/export-2025-norr"), root.join("Norrmalm"))
        .unwrap();
    risks_in(&root.join("Vasastan"), 2);
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        value(unit(&doc, "Norrmalm"), "risks.total"),
        Some(5.0),
        "{err}"
    );
    assert!(!err.contains("export-2025-norr"), "{err}");
}

// ---------------------------------------------------------------- defect 8

#[test]
fn defect8_inputs_in_a_subfolder_are_read_by_report_and_said() {
    let tmp = TempDir::new("rt-d8-subfolder");
    let dir = tmp.folder("in");
    write_sheet(&dir.join("Åtgärdsplan.xlsx"), "Åtgärder", action_rows(6));
    let under = tmp.folder("in/Underlag");
    write_sheet(&under.join("Riskregister.xlsx"), "Risker", risk_rows(10));
    // Two levels down is not read, and said.
    let deeper = tmp.folder("in/Underlag/Arkiv 2023");
    write_sheet(&deeper.join("Riskregister.xlsx"), "Risker", risk_rows(7));
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "risks.total"), Some(10.0), "{err}");
    assert_eq!(value(&doc, "actions.total"), Some(6.0), "{err}");
    assert!(err.contains("Underlag/"), "{err}");
    assert!(err.contains("lästes inte"), "{err}");
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("Underlag/Riskregister.xlsx"), "{sources}");
}

#[test]
fn defect8_a_unit_folders_subfolder_in_batch_is_named() {
    let tmp = TempDir::new("rt-d8-batch-subfolder");
    let root = tmp.folder("stad");
    risks_in(&root.join("Alfa"), 3);
    risks_in(&root.join("Alfa/Underlag"), 9);
    let (code, doc, err) = batch(&root, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(unit(&doc, "Alfa"), "risks.total"), Some(3.0));
    assert!(
        err.contains("Underlag/") && err.contains("inte lästes"),
        "{err}"
    );
}

#[test]
fn defect8_names_windows_would_trim_are_read() {
    let tmp = TempDir::new("rt-d8-trailing");
    let dir = tmp.folder("in");
    write_sheet(&dir.join("Riskregister.xlsx "), "Risker", risk_rows(10));
    write_sheet(&dir.join("Åtgärdsplan.xlsx."), "Åtgärder", action_rows(6));
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "risks.total"), Some(10.0), "{err}");
    assert_eq!(value(&doc, "actions.total"), Some(6.0), "{err}");
    assert!(err.contains("mellanslag eller punkt"), "{err}");
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("Åtgärdsplan.xlsx"), "{sources}");
}

/// A guard beside defect 2: the roster and the training list in two formats count each
/// person once (the training KPIs are measured on persons, not rows).
#[test]
fn defect2_a_roster_and_training_list_in_two_formats_count_each_person_once() {
    let tmp = TempDir::new("rt-d2-people");
    let dir = tmp.folder("in");
    let roster = roster_rows(4, 1000.0, "19800101", 1000, "Testsson", |_| "Enhet A");
    write_sheet(&dir.join("Personal.xlsx"), "Personal", roster.clone());
    write_csv(&dir.join("Personal.csv"), &roster);
    let mut training = String::from("E-post;Kurs;Status;Slutfört datum\r\n");
    for i in 1..=3 {
        training.push_str(&both_courses_csv(
            &format!("p{i}@example.se"),
            "2025-03-01",
            "2025-04-01",
        ));
    }
    std::fs::write(dir.join("Utbildning.csv"), &training).unwrap();
    std::fs::write(
        dir.join("Utbildning - Kopia.txt"),
        training.replace("\r\n", "\n"),
    )
    .unwrap();
    let (doc, _) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "training.headcount"), Some(4.0));
    assert_eq!(value(&doc, "training.completed_all"), Some(3.0));
}
