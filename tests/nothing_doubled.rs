//! Issue 11: nothing doubled, nothing lost. Each test is named after what broke: the tool
//! reading its own output, identical copies counted twice, different incidents merged by
//! case number, units merged by a colliding name, one broken unit configuration stopping
//! a batch, rows of a city-wide file without a förvaltning disappearing, and files of a
//! batch skipped without a word.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn risks(dir: &Path, file: &str, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rows = vec![vec![s("Risk"), s("Sannolikhet"), s("Konsekvens")]];
    for i in 0..n {
        rows.push(vec![s(&format!("Risk {i}")), n_(3.0), n_(4.0)]);
    }
    write_sheet(&dir.join(file), "Risker", rows);
}

fn actions(dir: &Path, file: &str, n: usize) {
    let mut rows = vec![vec![s("Åtgärd"), s("Status")]];
    for i in 0..n {
        rows.push(vec![s(&format!("Åtgärd {i}")), s("Pågår")]);
    }
    write_sheet(&dir.join(file), "Åtgärder", rows);
}

fn n_(x: f64) -> V {
    n(x)
}

fn incidents(dir: &Path, file: &str, rows: &[(&str, V, &str, &str)]) {
    let mut sheet = vec![texts(&[
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
        "Personuppgiftsincident",
    ])];
    for (id, date, cat, pui) in rows {
        sheet.push(vec![s(id), date.clone(), s(cat), s(pui)]);
    }
    write_sheet(&dir.join(file), "Incidenter", sheet);
}

fn batch(root: &Path, out: &Path) -> (i32, serde_json::Value, String) {
    let json = root.parent().unwrap().join("batch.json");
    run_json(
        "batch",
        root,
        out,
        &json,
        &["--year", "2025", "--jobs", "1"],
    )
}

/// A temporary folder with a city "stad" of units, each with a risk register of that
/// many risks: (temporary folder, city folder).
fn city(name: &str, units: &[(&str, usize)]) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(name);
    let root = tmp.join("stad");
    for (unit, count) in units {
        risks(&root.join(unit), "Risker.xlsx", *count);
    }
    (tmp, root)
}

fn unit<'a>(doc: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    doc["units"].as_array()?.iter().find(|u| u["unit"] == name)
}

/// The value of the KPI `id` of the unit `name` in a batch document.
fn unit_value(doc: &serde_json::Value, name: &str, id: &str) -> Option<f64> {
    value(
        unit(doc, name).unwrap_or_else(|| panic!("no unit {name}")),
        id,
    )
}

#[test]
fn a_review_written_into_its_input_folder_is_not_read_next_time() {
    let tmp = TempDir::new("own-output");
    let dir = tmp.folder("Enheten");
    risks(&dir, "Riskregister.xlsx", 10);
    actions(&dir, "Åtgärdsplan.xlsx", 10);
    for _ in 0..3 {
        let (code, doc, _, err) = report(&dir, &dir, &["--year", "2025"]);
        assert_eq!(code, 0, "{err}");
        for id in ["risks.total", "actions.total"] {
            assert_eq!(value(&doc, id), Some(10.0), "{id}: {err}");
        }
    }
    let sources = std::fs::read_to_string(dir.join("kpi.json")).unwrap();
    assert!(
        sources.contains("arbetsbok som genomgang har skrivit"),
        "{sources}"
    );
}

#[test]
fn batch_never_makes_a_unit_of_its_own_output_folder() {
    let (_tmp, root) = city("batch-own-out", &[("Kungsholmen", 2), ("Östermalm", 3)]);
    let out = root.join("ut");
    for _ in 0..2 {
        let (code, doc, err) = batch(&root, &out);
        assert_eq!(code, 0, "{err}");
        assert_eq!(doc["units"].as_array().unwrap().len(), 2, "{err}");
        assert!(unit(&doc, "ut").is_none(), "{err}");
    }
    // The output folder is the root itself: the comparison is not a city-wide export.
    let (code, doc, err) = batch(&root, &root);
    assert_eq!(code, 0, "{err}");
    let (code, doc2, err2) = batch(&root, &root);
    assert_eq!(code, 0, "{err2}");
    assert_eq!(doc["units"], doc2["units"], "{err2}");
    assert!(!err2.contains("Fel:"), "{err2}");
}

#[test]
fn an_identical_copy_is_read_once_and_named() {
    let tmp = TempDir::new("identical-copy");
    let dir = tmp.folder("in");
    risks(&dir, "Riskregister.xlsx", 10);
    std::fs::copy(
        dir.join("Riskregister.xlsx"),
        dir.join("Riskregister - Kopia.xlsx"),
    )
    .unwrap();
    let (doc, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "risks.total"), Some(10.0));
    let rows = sheet_rows(&xlsx, "Datakvalitet");
    let text = format!("{rows:?}");
    assert!(text.contains("Riskregister - Kopia.xlsx"), "{text}");
    assert!(
        text.contains("samma innehåll som Riskregister.xlsx"),
        "{text}"
    );
}

#[test]
fn incidents_of_two_systems_with_the_same_numbers_are_not_merged() {
    let tmp = TempDir::new("same-case-ids");
    let dir = tmp.folder("in");
    incidents(
        &dir,
        "System A.xlsx",
        &[
            ("1", d(2025, 2, 1), "Nätfiske", "Nej"),
            ("2", d(2025, 3, 1), "Nätfiske", "Nej"),
            ("3", d(2025, 4, 1), "Inbrott", "Nej"),
        ],
    );
    incidents(
        &dir,
        "System B.xlsx",
        &[
            ("1", d(2025, 6, 10), "Felskick", "Ja"),
            ("2", d(2025, 7, 10), "Felskick", "Ja"),
            // The same incident as A's 3, registered a day later in the second system.
            ("3", d(2025, 4, 2), "Inbrott", "Nej"),
        ],
    );
    let (doc, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "incidents.total"), Some(5.0));
    assert_eq!(value(&doc, "incidents.personal_data"), Some(2.0));
    let text = format!("{:?}", sheet_rows(&xlsx, "Datakvalitet"));
    assert!(text.contains("annat datum eller annan kategori"), "{text}");
    assert!(text.contains("räknas en gång"), "{text}");
}

#[test]
fn units_whose_names_collide_are_refused_by_name_not_merged() {
    let (tmp, root) = city(
        "unit-collision",
        &[
            ("Kungsholmen", 2),
            ("Östermalm", 3),
            ("Norrmalm", 4),
            ("NORRMALM ", 5),
            ("Vasastan", 6),
        ],
    );
    std::fs::write(
        root.join("Östermalm/genomgang.toml"),
        "unit = \"Kungsholmen\"\n",
    )
    .unwrap();
    let (code, doc, err) = batch(&root, &tmp.join("ut"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("\"Kungsholmen\" och mappen \"Östermalm\""),
        "{err}"
    );
    assert!(err.contains("Norrmalm"), "{err}");
    assert_eq!(doc["units"].as_array().unwrap().len(), 1, "{err}");
    assert_eq!(unit_value(&doc, "Vasastan", "risks.total"), Some(6.0));
}

#[test]
fn one_broken_unit_configuration_fails_that_unit_only() {
    let (tmp, root) = city("broken-unit-config", &[("Alfa", 2), ("Beta", 3)]);
    std::fs::write(root.join("Beta/genomgang.toml"), "[risks\nhigh = ").unwrap();
    let (code, doc, err) = batch(&root, &tmp.join("ut"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Beta"), "{err}");
    assert!(err.contains("genomgang.toml"), "{err}");
    assert_eq!(unit_value(&doc, "Alfa", "risks.total"), Some(2.0));
}

#[test]
fn rows_of_a_city_file_without_a_forvaltning_are_listed() {
    let tmp = TempDir::new("blank-forvaltning");
    let root = tmp.folder("stad");
    let mut rows = vec![texts(&[
        "Förvaltning",
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
    ])];
    for (i, f) in ["Alfa", "", "Beta", "", "Alfa"].iter().enumerate() {
        rows.push(vec![
            s(f),
            s(&format!("A{i}")),
            d(2025, 3, 1 + i as u32),
            s("Nätfiske"),
        ]);
    }
    write_sheet(&root.join("Incidenter staden.xlsx"), "Blad1", rows);
    let (code, doc, err) = batch(&root, &tmp.join("ut"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 rader saknar förvaltning (rad 3, 5)"),
        "{err}"
    );
    assert_eq!(unit_value(&doc, "Alfa", "incidents.total"), Some(2.0));
}

#[test]
fn files_a_batch_cannot_use_are_named() {
    // Beta's files sit one level too deep.
    let (tmp, root) = city("batch-unused-files", &[("Alfa", 2), ("Beta/2025", 3)]);
    std::fs::write(root.join("Anteckningar.docx"), b"PK").unwrap();
    let (code, _doc, err) = batch(&root, &tmp.join("ut"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Beta/") && err.contains("\"2025\""), "{err}");
    assert!(err.contains("Anteckningar.docx"), "{err}");
}
