//! A per-file column mapping in genomgang.toml teaches genomgang an export whose column
//! names it does not know, without a new release.

mod common;

use common::*;

fn odd_export(dir: &std::path::Path) {
    let mut rows = vec![texts(&["Nr", "När", "Vad hände (typ)", "PU"])];
    for (id, date, category, personal) in [
        ("A-1", d(2025, 2, 3), "Felskick", "Ja"),
        ("A-2", d(2025, 5, 9), "Nätfiske", "Nej"),
        ("A-3", d(2025, 9, 30), "Inbrott", "Nej"),
        ("A-4", d(2024, 9, 30), "Inbrott", "Nej"),
    ] {
        rows.push(vec![s(id), date, s(category), s(personal)]);
    }
    write_sheet(&dir.join("Avvikelser export.xlsx"), "Export", rows);
}

/// The odd export with `toml` as its genomgang.toml, reported with `extra`: (exit code,
/// JSON document, stderr).
fn report_mapped(
    name: &str,
    toml: Option<&str>,
    extra: &[&str],
) -> (i32, serde_json::Value, String) {
    let dir = TempDir::new(name);
    odd_export(dir.path());
    if let Some(toml) = toml {
        std::fs::write(dir.join("genomgang.toml"), toml).unwrap();
    }
    let out = TempDir::new(&format!("{name}-out"));
    let (code, doc, _, err) = report(dir.path(), out.path(), extra);
    (code, doc, err)
}

#[test]
fn without_a_mapping_the_export_is_not_recognised() {
    let (code, _, err) = report_mapped("map-none", None, &[]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_file_mapping_gives_the_columns_their_roles() {
    let toml = "[[files]]\nfile = \"avvikelser*.XLSX\"\nsheet = \"Export\"\ncolumns = { \"Nr\" = \"case_id\", \"När\" = \"event_date\", \"Vad hände (typ)\" = \"category\", \"PU\" = \"personal_data\" }\n";
    let (code, doc, err) = report_mapped("map-ok", Some(toml), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(3.0));
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.misdirected"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.phishing"), Some(1.0));
}

#[test]
fn an_unknown_role_in_a_mapping_is_a_clear_error() {
    let toml = "[[files]]\nfile = \"Avvikelser*\"\ncolumns = { \"Nr\" = \"ärendenummer\" }\n";
    let (code, _, err) = report_mapped("map-bad", Some(toml), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("okända rollen \"ärendenummer\""), "{err}");
}
