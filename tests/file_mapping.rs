//! A per-file column mapping in genomgang.toml teaches genomgang an export whose column
//! names it does not know, without a new release.

mod common;

use common::*;

fn odd_export(dir: &std::path::Path) {
    write_xlsx(
        &dir.join("Avvikelser export.xlsx"),
        &[(
            "Export",
            vec![
                vec![s("Nr"), s("När"), s("Vad hände (typ)"), s("PU")],
                vec![s("A-1"), d(2025, 2, 3), s("Felskick"), s("Ja")],
                vec![s("A-2"), d(2025, 5, 9), s("Nätfiske"), s("Nej")],
                vec![s("A-3"), d(2025, 9, 30), s("Inbrott"), s("Nej")],
                vec![s("A-4"), d(2024, 9, 30), s("Inbrott"), s("Nej")],
            ],
        )],
    );
}

#[test]
fn without_a_mapping_the_export_is_not_recognised() {
    let dir = TempDir::new("map-none");
    odd_export(dir.path());
    let out = TempDir::new("map-none-out");
    let (code, _, _, err) = report(dir.path(), out.path(), &[]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_file_mapping_gives_the_columns_their_roles() {
    let dir = TempDir::new("map-ok");
    odd_export(dir.path());
    std::fs::write(
        dir.join("genomgang.toml"),
        "[[files]]\nfile = \"avvikelser*.XLSX\"\nsheet = \"Export\"\ncolumns = { \"Nr\" = \"case_id\", \"När\" = \"event_date\", \"Vad hände (typ)\" = \"category\", \"PU\" = \"personal_data\" }\n",
    )
    .unwrap();
    let out = TempDir::new("map-ok-out");
    let (code, doc, _, err) = report(dir.path(), out.path(), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(3.0));
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.misdirected"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.phishing"), Some(1.0));
}

#[test]
fn an_unknown_role_in_a_mapping_is_a_clear_error() {
    let dir = TempDir::new("map-bad");
    odd_export(dir.path());
    std::fs::write(
        dir.join("genomgang.toml"),
        "[[files]]\nfile = \"Avvikelser*\"\ncolumns = { \"Nr\" = \"ärendenummer\" }\n",
    )
    .unwrap();
    let out = TempDir::new("map-bad-out");
    let (code, _, _, err) = report(dir.path(), out.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("okända rollen \"ärendenummer\""), "{err}");
}
