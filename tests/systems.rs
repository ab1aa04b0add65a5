//! Exports as the real systems write them (issue 10): one folder per system under
//! `tests/fixtures/systems/`, headings copied from that system's public documentation
//! (each folder's SOURCE.md names it), fake values, true KPIs known by construction.
//! Every folder is placed by `check` with no configuration and `report` gives its KPIs;
//! a folder mixing all of them gives the combined KPIs; a missing personal-data column
//! is unknown, not zero; `check --suggest` teaches an odd file in one copy-paste.

mod common;

use std::path::{Path, PathBuf};

use calamine::Data;
use common::*;

fn fixture(system: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/systems")
        .join(system)
}

const SYSTEMS: [&str; 8] = [
    "servicenow",
    "defender",
    "moodle",
    "pluralsight",
    "skr-pui-form",
    "imy-register",
    "skr-klassa",
    "stratsys-hr",
];

/// `check` on a folder: exit 0, and every data file recognised (no "Ignorerat").
fn assert_placed(dir: &Path) -> String {
    let o = run(&["check", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(!out.contains("Ignorerat"), "{out}");
    out
}

/// `report --year 2025` on a folder: the JSON document.
fn report_2025(dir: &Path, name: &str) -> (serde_json::Value, PathBuf, TempDir) {
    let out = TempDir::new(&format!("systems-out-{name}"));
    let (doc, xlsx) = report_ok(dir, out.path(), &["--year", "2025"]);
    (doc, xlsx, out)
}

fn assert_kpis(doc: &serde_json::Value, want: &[(&str, Option<f64>)]) {
    for (id, v) in want {
        assert_eq!(value(doc, id), *v, "{id}");
    }
}

#[test]
fn every_system_folder_is_placed_without_configuration() {
    for system in SYSTEMS {
        let out = assert_placed(&fixture(system));
        assert!(out.contains("rader lästa"), "{system}: {out}");
        assert!(fixture(system).join("SOURCE.md").is_file(), "{system}");
    }
}

#[test]
fn servicenow_csv_field_names_and_xlsx_labels_give_the_same_kpis() {
    let want = [
        ("incidents.total", Some(6.0)),
        ("incidents.category.phishing", Some(1.0)),
        ("incidents.category.malware", Some(1.0)),
        ("incidents.category.unauthorized_access", Some(1.0)),
        ("incidents.category.lost_computer", Some(1.0)),
        ("incidents.category.other", Some(2.0)),
        ("incidents.personal_data", None),
        ("incidents.reported_imy", None),
        ("incidents.reported_msb", None),
    ];
    let (doc, _, _t) = report_2025(&fixture("servicenow"), "snow-csv");
    assert_kpis(&doc, &want);
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));

    // The same rows as an XLSX export with the form labels.
    let tmp = TempDir::new("systems-snow-xlsx");
    let text = std::fs::read_to_string(fixture("servicenow").join("incident.csv")).unwrap();
    let mut rows: Vec<Vec<V>> = vec![[
        "Number",
        "Opened",
        "Category",
        "Short description",
        "State",
        "Priority",
    ]
    .iter()
    .map(|h| s(h))
    .collect()];
    for line in text.lines().skip(1) {
        rows.push(
            line.split("\",\"")
                .map(|c| s(c.trim_matches('"')))
                .collect(),
        );
    }
    write_xlsx(&tmp.join("incident.xlsx"), &[("Page 1", rows)]);
    assert_placed(tmp.path());
    let (doc, _, _t2) = report_2025(tmp.path(), "snow-xlsx");
    assert_kpis(&doc, &want);
}

#[test]
fn defender_alerts_with_iso_dates() {
    let (doc, _, _t) = report_2025(&fixture("defender"), "defender");
    assert_kpis(
        &doc,
        &[
            ("incidents.total", Some(6.0)),
            ("incidents.category.malware", Some(3.0)),
            ("incidents.category.unauthorized_access", Some(2.0)),
            ("incidents.category.other", Some(1.0)),
            ("incidents.personal_data", None),
        ],
    );
}

#[test]
fn moodle_one_file_per_course_named_in_the_file_name() {
    let (doc, _, _t) = report_2025(&fixture("moodle"), "moodle");
    assert_kpis(
        &doc,
        &[
            ("training.headcount", Some(5.0)),
            ("training.completed_all", Some(3.0)),
            ("training.completion_rate_all", Some(0.6)),
        ],
    );
}

#[test]
fn pluralsight_first_and_last_name_and_us_dates() {
    let (doc, _, _t) = report_2025(&fixture("pluralsight"), "pluralsight");
    assert_kpis(
        &doc,
        &[
            ("training.headcount", Some(4.0)),
            ("training.completed_all", Some(2.0)),
            ("training.completion_rate_all", Some(0.5)),
        ],
    );
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("månaden först"), "{warnings}");
}

#[test]
fn breach_form_export_makes_every_row_a_personal_data_incident() {
    let (doc, _, _t) = report_2025(&fixture("skr-pui-form"), "pui-form");
    assert_kpis(
        &doc,
        &[
            ("incidents.total", Some(5.0)),
            ("incidents.personal_data", Some(5.0)),
            ("incidents.reported_imy", None),
            ("incidents.category.misdirected", Some(2.0)),
            ("incidents.category.lost_phone", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.other", Some(1.0)),
        ],
    );
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("personuppgiftsincident"), "{warnings}");
    assert!(warnings.contains("händelsedatum"), "{warnings}");
}

#[test]
fn register_after_the_art30_checklist_with_configurable_required_fields() {
    let (doc, _, _t) = report_2025(&fixture("imy-register"), "register");
    assert_kpis(
        &doc,
        &[
            ("register.activities", Some(4.0)),
            ("register.complete_rate", Some(0.0)),
            ("register.stale", None),
        ],
    );
    let tmp = TempDir::new("systems-register-cfg");
    std::fs::copy(
        fixture("imy-register").join("Registerförteckning.csv"),
        tmp.join("Registerförteckning.csv"),
    )
    .unwrap();
    std::fs::write(
        tmp.join("genomgang.toml"),
        "[register]\nrequired = [\"purpose\", \"data_subjects\", \"data_categories\", \"recipients\", \"retention\", \"security\"]\n",
    )
    .unwrap();
    let (doc, _, _t2) = report_2025(tmp.path(), "register-cfg");
    assert_eq!(value(&doc, "register.complete_rate"), Some(0.75));
}

#[test]
fn klassa_ranges_read_as_the_stricter_level() {
    let (doc, xlsx, _t) = report_2025(&fixture("skr-klassa"), "klassa");
    assert_kpis(
        &doc,
        &[
            ("classification.assets", Some(4.0)),
            ("classification.classified_rate", Some(0.75)),
        ],
    );
    assert!(all_parts_text(&xlsx).contains("intervall"));
}

#[test]
fn stratsys_personnel_file_is_the_roster() {
    let (doc, _, _t) = report_2025(&fixture("stratsys-hr"), "stratsys");
    assert_eq!(value(&doc, "training.headcount"), Some(10.0));
}

#[test]
fn a_folder_mixing_every_system_gives_the_combined_kpis() {
    let tmp = TempDir::new("systems-mixed");
    for system in SYSTEMS {
        for e in std::fs::read_dir(fixture(system)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "csv") {
                std::fs::copy(&p, tmp.join(&p.file_name().unwrap().to_string_lossy())).unwrap();
            }
        }
    }
    assert_placed(tmp.path());
    let (doc, xlsx, _t) = report_2025(tmp.path(), "mixed");
    assert_kpis(
        &doc,
        &[
            ("training.headcount", Some(10.0)),
            // Anna, Cecilia, Eva (Moodle) and Fredrik (Pluralsight); the two roster
            // Gustav Ahl are not guessed between.
            ("training.completed_all", Some(4.0)),
            ("training.completion_rate_all", Some(0.4)),
            ("incidents.total", Some(17.0)),
            ("incidents.personal_data", Some(5.0)),
            ("incidents.reported_imy", None),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.malware", Some(4.0)),
            ("incidents.category.unauthorized_access", Some(4.0)),
            ("incidents.category.lost_computer", Some(1.0)),
            ("incidents.category.lost_phone", Some(1.0)),
            ("incidents.category.misdirected", Some(2.0)),
            ("incidents.category.other", Some(4.0)),
            ("register.activities", Some(4.0)),
            ("classification.assets", Some(4.0)),
            ("classification.classified_rate", Some(0.75)),
        ],
    );
    // The match rate is a figure: 9 people in the training lists, 7 matched; Gustav Ahl
    // (a name two roster people share) and Ivar Jonsson (not in the roster) are not.
    let rows = sheet_rows(&xlsx, "Utbildning");
    let at = rows
        .iter()
        .position(
            |r| matches!(r.first(), Some(Data::String(s)) if s == "Personer i utbildningslistorna"),
        )
        .expect("match table");
    let figures: Vec<f64> = rows[at + 1]
        .iter()
        .filter_map(|c| match c {
            Data::Float(x) => Some(*x),
            Data::Int(x) => Some(*x as f64),
            _ => None,
        })
        .collect();
    assert_eq!(figures[..4], [9.0, 7.0, 2.0, 1.0], "{:?}", rows[at + 1]);
    assert!((figures[4] - 7.0 / 9.0).abs() < 1e-9);
    // The shared name is counted, never shown, not even as initials and length.
    assert!(all_parts_text(&xlsx).contains("1 person i utbildningslistorna har bara ett namn"));
    assert!(!all_parts_text(&xlsx).contains("G***"));
    // Privacy: no personnummer, e-mail address or name from the inputs in the workbook.
    let parts = all_parts_text(&xlsx);
    for secret in [
        "19121212",
        "anna.berg@",
        "Gustav Ahl",
        "gustav ahl",
        "Fredrik Holm",
    ] {
        assert!(!parts.contains(secret), "{secret}");
    }
}

#[test]
fn missing_personal_data_column_is_unknown_not_zero() {
    let (doc, xlsx, out) = report_2025(&fixture("servicenow"), "unknown");
    let k = json_kpi(&doc, "incidents.personal_data");
    assert!(k["value"].is_null(), "{k}");
    assert!(k["previous"].is_null(), "{k}");
    let rows = sheet_rows(&xlsx, "Sammanfattning");
    let row = find_row(&rows, "Personuppgiftsincidenter").expect("row");
    assert_eq!(row[1], Data::String("–".into()), "{row:?}");
    assert_eq!(row[2], Data::String("–".into()), "{row:?}");
    assert!(
        row.iter()
            .any(|c| matches!(c, Data::String(s) if s == "Uppgift saknas")),
        "{row:?}"
    );
    let text = md_in(out.path());
    assert!(!text.contains("inga personuppgiftsincidenter"), "{text}");
    assert!(
        text.contains("antalet personuppgiftsincidenter 2025 kan inte anges"),
        "{text}"
    );
}

#[test]
fn check_suggest_block_pasted_into_genomgang_toml_makes_an_odd_file_readable() {
    let tmp = TempDir::new("systems-suggest");
    let file = tmp.join("Avvikelser 2025.csv");
    // Two rows: too few for the values to count as evidence, so the compound heading
    // "Upptäcktsdag" stays a weak match (with more dated rows it is taken).
    std::fs::write(
        &file,
        "Ärendenr;Upptäcktsdag;Incidentkategori;Personuppgiftsincident\n\
         A-1;2025-03-01;Nätfiske;Ja\nA-2;2025-04-02;Felskick;Nej\n",
    )
    .unwrap();
    let o = run(&["check", tmp.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("ser ut som incidenter men saknar"), "{out}");
    assert!(out.contains("kandidater"), "{out}");

    let o = run(&["check", "--suggest", file.to_str().unwrap()]);
    let out = stdout(&o);
    let block: String = out
        .lines()
        .skip_while(|l| !l.starts_with("[[files]]"))
        .take_while(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        block.contains("\"Upptäcktsdag\" = \"discovered_date\""),
        "{out}"
    );
    std::fs::write(tmp.join("genomgang.toml"), &block).unwrap();
    let out_dir = TempDir::new("systems-suggest-out");
    let (code, doc, _, err) = report(tmp.path(), out_dir.path(), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}\n{block}");
    assert_eq!(value(&doc, "incidents.total"), Some(2.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.phishing"), Some(1.0));
}
