//! Exports of systems genomgang was never told about (issue 17): folders under
//! `tests/fixtures/unnamed/` laid out as an ITSM tool, a learning platform, an identity
//! directory, a workspace admin console, a course platform and a GRC tool write them
//! (headings verbatim from their public documentation, see each SOURCE.md), read with no
//! configuration. Recognition must come from evidence, headings and values together:
//! every KPI is compared with its true value, known by construction.
//!
//! Also the classes of problem these exports hold, one test each: categories known only
//! by their values, Jira dates, accounts that are not employees, a `name` + `status`
//! list that is not a training list, a register with no purpose column, a compound unit
//! heading, LMS status combinations, a per-lesson matrix with a totals row.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/unnamed")
        .join(name)
}

/// Every KPI of a folder against its true value; prints the comparison and returns the
/// KPIs that are wrong.
fn wrong_kpis(name: &str, want: &[(&str, Option<f64>)]) -> Vec<String> {
    let out = TempDir::new(&format!("generalise-{name}"));
    let (doc, _) = report_ok(&fixture(name), out.path(), &["--year", "2025"]);
    let wrong: Vec<String> = want
        .iter()
        .filter(|(id, v)| match (value(&doc, id), v) {
            (Some(a), Some(b)) => (a - b).abs() > 1e-9,
            (a, b) => a != *b,
        })
        .map(|(id, v)| format!("{id}: {:?}, rätt {v:?}", value(&doc, id)))
        .collect();
    println!(
        "{name}: {} of {} KPIs right",
        want.len() - wrong.len(),
        want.len()
    );
    wrong
}

const JSM_FUSE_ENTRA: [(&str, Option<f64>); 16] = [
    ("training.headcount", Some(8.0)),
    ("training.completed_all", Some(3.0)),
    ("training.completion_rate_all", Some(0.375)),
    ("incidents.total", Some(10.0)),
    ("incidents.personal_data", Some(4.0)),
    ("incidents.reported_imy", Some(2.0)),
    ("incidents.reported_msb", None),
    ("incidents.category.phishing", Some(4.0)),
    ("incidents.category.malware", Some(1.0)),
    ("incidents.category.lost_computer", Some(1.0)),
    ("incidents.category.misdirected", Some(1.0)),
    ("incidents.category.unauthorized_access", Some(1.0)),
    ("incidents.category.lost_phone", Some(1.0)),
    ("incidents.category.other", Some(1.0)),
    ("incidents.category.burglary", Some(0.0)),
    ("incidents.category.lost_card", Some(0.0)),
];

const WORKSPACE_CISO_KURSPORTAL: [(&str, Option<f64>); 6] = [
    ("training.headcount", Some(5.0)),
    ("training.completed_all", Some(2.0)),
    ("training.completion_rate_all", Some(0.4)),
    ("register.activities", Some(4.0)),
    ("register.complete_rate", Some(0.0)),
    ("register.stale", None),
];

#[test]
fn itsm_lms_and_directory_never_named_give_their_true_kpis() {
    let wrong = wrong_kpis("jsm-fuse-entra", &JSM_FUSE_ENTRA);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn workspace_course_platform_and_grc_never_named_give_their_true_kpis() {
    let wrong = wrong_kpis("workspace-ciso-kursportal", &WORKSPACE_CISO_KURSPORTAL);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// `check` on one file: its stdout.
fn check(path: &Path) -> String {
    let o = run(&["check", path.to_str().unwrap()]);
    stdout(&o)
}

#[test]
fn check_shows_heading_and_value_evidence_per_column() {
    let jsm = check(&fixture("jsm-fuse-entra").join("Jira Service Management 2026-01-15.csv"));
    assert!(
        jsm.contains("Incidenter (rubrikrad 1), 13 rader lästa, 0 utelämnade"),
        "{jsm}"
    );
    // The category column is found by its values; "Status Category" is not a category.
    assert!(
        jsm.contains("O (Custom field (Threat)) → kategori: värdena visar det"),
        "{jsm}"
    );
    assert!(
        jsm.contains("F (Status Category) → kategori: orden finns i rubriken (\"category\", 71 p, värdena säger emot, inte tagen)"),
        "{jsm}"
    );
    assert!(
        jsm.contains("kolumn J (Created) → registrerad; rubriken säger: registrerad; värdena säger: datum (13 ifyllda, 13 olika, 100 % datum (månadens namn"),
        "{jsm}"
    );
    // No raw value of the input on the evidence lines, only counts and shares.
    assert!(!jsm.contains("Nätfiske"), "{jsm}");

    let fuse = check(&fixture("jsm-fuse-entra").join("Topic report.csv"));
    assert!(fuse.contains("Utbildning (lista)"), "{fuse}");
    assert!(
        fuse.contains("L (Topic Name) → kurs: värdena visar det"),
        "{fuse}"
    );
    assert!(
        fuse.contains("rubriken säger: status; värdena säger: status"),
        "{fuse}"
    );

    let matrix =
        check(&fixture("workspace-ciso-kursportal").join("Kursportalen - Dataskydd GDPR.csv"));
    // Six persons read; the totals row under the table is not a seventh.
    assert!(matrix.contains("6 rader lästa, 0 utelämnade"), "{matrix}");
    assert!(matrix.contains("andel klart (6/8)"), "{matrix}");
}

#[test]
fn accounts_that_are_not_employees_are_left_out_and_counted_in_datakvalitet() {
    let tmp = TempDir::new("generalise-accounts");
    std::fs::copy(
        fixture("jsm-fuse-entra").join("exportUsers_2026-1-15.csv"),
        tmp.join("exportUsers_2026-1-15.csv"),
    )
    .unwrap();
    let out = TempDir::new("generalise-accounts-out");
    let (doc, xlsx) = report_ok(tmp.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "training.headcount"), Some(8.0));
    let rows = sheet_rows(&xlsx, "Datakvalitet");
    let text: String = rows.iter().flatten().map(|c| format!("{c} ")).collect();
    assert!(
        text.contains("4 konton i personallistan är inte medarbetare: 1 inaktiverat eller avslutat konto, 2 gästkonton eller externa konton, 1 tjänstekonto"),
        "{text}"
    );
    // Google Workspace: "Status [READ ONLY]" of Active and Suspended.
    let tmp = TempDir::new("generalise-accounts-google");
    std::fs::copy(
        fixture("workspace-ciso-kursportal").join("User_Download_15012026.csv"),
        tmp.join("User_Download_15012026.csv"),
    )
    .unwrap();
    let out = TempDir::new("generalise-accounts-google-out");
    let (doc, _) = report_ok(tmp.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "training.headcount"), Some(5.0));
}

#[test]
fn a_name_and_status_list_is_never_a_training_list() {
    // The file name names a course ("completion-…"), so only the values tell that the
    // statuses are approval states, not completions.
    let tmp = TempDir::new("generalise-name-status");
    let file = tmp.join("completion-infosak.csv");
    std::fs::write(
        &file,
        "name;status\nLöneadministration;Approved\nElevdokumentation;Draft\nBokning av lokaler;In review\nKameraövervakning;Approved\n",
    )
    .unwrap();
    let out = check(&file);
    assert!(!out.contains("Utbildning"), "{out}");
    assert!(out.contains("Ignorerat"), "{out}");
    assert!(out.contains("saknar kolumn för status"), "{out}");

    // CISO Assistant's processings: a register, not a training list.
    let out = check(&fixture("workspace-ciso-kursportal").join("processings.csv"));
    assert!(
        out.contains("Registerförteckning (rubrikrad 1), 4 rader lästa"),
        "{out}"
    );
}

#[test]
fn a_register_without_a_purpose_column_is_counted_and_the_purpose_said_missing() {
    let tmp = TempDir::new("generalise-register");
    std::fs::copy(
        fixture("workspace-ciso-kursportal").join("processings.csv"),
        tmp.join("processings.csv"),
    )
    .unwrap();
    let out = TempDir::new("generalise-register-out");
    let (doc, _) = report_ok(tmp.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "register.activities"), Some(4.0));
    assert_eq!(value(&doc, "register.complete_rate"), Some(0.0));
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("registerförteckningen saknar kolumn för Ändamål"),
        "{warnings}"
    );
}

#[test]
fn a_compound_unit_heading_is_the_unit() {
    let tmp = TempDir::new("generalise-unit");
    std::fs::write(
        tmp.join("Personal.csv"),
        "Anställningsnummer;Namn;Anställningsenhet\nA1;Åsa Öberg;Skola\nA2;Per Ek;Skola\nA3;Li Wu;Kansli\n",
    )
    .unwrap();
    let out = check(&tmp.join("Personal.csv"));
    assert!(
        out.contains("Personal (rubrikrad 1), 3 rader lästa"),
        "{out}"
    );
    assert!(out.contains("enhet = C (Anställningsenhet)"), "{out}");
}

#[test]
fn lms_statuses_in_english_and_their_combinations() {
    let tmp = TempDir::new("generalise-statuses");
    std::fs::write(
        tmp.join("Transcript.csv"),
        "User ID,Training Title,Transcript Status\n\
         u1,Informationssäkerhet grund,Completed\nu1,Dataskydd GDPR,Passed\n\
         u2,Informationssäkerhet grund,Registered\nu2,Dataskydd GDPR,\"In Progress, Past Due\"\n\
         u3,Informationssäkerhet grund,\"Completed, Past Due\"\nu3,Dataskydd GDPR,Completed\n\
         u4,Informationssäkerhet grund,Not Started\nu4,Dataskydd GDPR,Past Due\n",
    )
    .unwrap();
    let out = TempDir::new("generalise-statuses-out");
    let (doc, _) = report_ok(tmp.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "training.headcount"), Some(4.0));
    assert_eq!(value(&doc, "training.completed_all"), Some(2.0));
}

#[test]
fn a_compound_date_heading_with_dated_values_is_read_without_configuration() {
    // The same file as the `check --suggest` test of `systems`, with three rows: the
    // weak heading "Upptäcktsdag" and its dated values decide together.
    let tmp = TempDir::new("generalise-compound-date");
    std::fs::write(
        tmp.join("Avvikelser 2025.csv"),
        "Ärendenr;Upptäcktsdag;Incidentkategori;Personuppgiftsincident\n\
         A-1;2025-03-01;Nätfiske;Ja\nA-2;2025-04-02;Felskick;Nej\nA-3;2025-05-03;Virus;Nej\n",
    )
    .unwrap();
    let out = TempDir::new("generalise-compound-date-out");
    let (doc, _) = report_ok(tmp.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "incidents.total"), Some(3.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.malware"), Some(1.0));
}
