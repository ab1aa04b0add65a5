//! Issue 11: every row accounted for. Named after what broke: a CSV rejected whole for
//! one control character, a Windows-1252 CSV with UTF-8 rows appended read as mojibake,
//! a register row whose name a script stored as a formula without a value dropped.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;

#[test]
fn one_control_character_does_not_reject_a_whole_csv() {
    let tmp = TempDir::new("control-char");
    let dir = tmp.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Risker.csv"),
        "Risk;Sannolikhet;Konsekvens\nA\u{b};4;4\nB;2;2\n",
    )
    .unwrap();
    let (code, doc, _, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "risks.total"), Some(2.0));
}

#[test]
fn utf8_rows_appended_to_a_windows_1252_csv_are_not_mojibake() {
    let tmp = TempDir::new("mixed-encoding");
    let dir = tmp.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let (head, _, _) = encoding_rs::WINDOWS_1252
        .encode("Ärendenummer;Händelsedatum;Kategori;Enhet\n1;2025-03-01;Nätfiske;Förskola\n");
    let mut bytes = head.into_owned();
    bytes.extend_from_slice("2;2025-04-01;Nätfiske;Förskola\n".as_bytes());
    std::fs::write(dir.join("Incidenter.csv"), bytes).unwrap();
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    let units = doc["breakdowns"]["incidents_by_unit"].to_string();
    assert!(units.contains("\"Förskola\""), "{units}");
    assert!(!units.contains('Ã'), "{units}");
    let sources = format!("{:?}", sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("blandat"), "{sources}");
}

/// A minimal xlsx whose A2 holds a formula with no saved value, as scripts write it.
fn register_with_formula_text(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts: zip::write::SimpleFileOptions = Default::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Behandling</t></is></c><c r="B1" t="inlineStr"><is><t>Ändamål</t></is></c></row><row r="2"><c r="A2" t="str"><f>Elevregister</f></c><c r="B2" t="inlineStr"><is><t>Skola</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>Lönesystem</t></is></c><c r="B3" t="inlineStr"><is><t>Lön</t></is></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_text_stored_as_a_formula_without_a_value_is_used_as_text_and_noted() {
    let tmp = TempDir::new("formula-text");
    let dir = tmp.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    register_with_formula_text(&dir.join("Register.xlsx"));
    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "register.activities"), Some(2.0), "{err}");
    let quality = format!("{:?}", sheet_rows(&xlsx, "Datakvalitet"));
    assert!(
        quality.contains("1 cell är en formel utan sparat värde (först A2)"),
        "{quality}"
    );
}

/// An incident log of ten incidents, three of them "Malware". With `filtered`, an
/// autofilter on the category shows only the others, so Excel hides rows 3, 6 and 9.
fn incident_log(path: &Path, filtered: bool) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Incidenter").unwrap();
    for (c, h) in [
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
        "Personuppgiftsincident",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 1..=10u32 {
        let category = if i % 3 == 2 { "Malware" } else { "Phishing" };
        ws.write_string(i, 0, format!("INC-{i}")).unwrap();
        ws.write_string(i, 1, format!("2025-{:02}-10", i)).unwrap();
        ws.write_string(i, 2, category).unwrap();
        ws.write_string(i, 3, if i <= 4 { "Ja" } else { "Nej" })
            .unwrap();
    }
    if filtered {
        ws.autofilter(0, 0, 10, 3).unwrap();
        let shown = rust_xlsxwriter::FilterCondition::new().add_list_filter("Phishing");
        ws.filter_column(2, &shown).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn rows_hidden_by_a_filter_are_counted_and_noted_once() {
    let tmp = TempDir::new("hidden-rows");
    let mut docs = Vec::new();
    for filtered in [false, true] {
        let dir = tmp.join(&format!("in-{filtered}"));
        std::fs::create_dir_all(&dir).unwrap();
        incident_log(&dir.join("Incidenter.xlsx"), filtered);
        let out = tmp.join(&format!("out-{filtered}"));
        let (code, doc, xlsx, err) = report(&dir, &out, &["--year", "2025"]);
        assert_eq!(code, 0, "{err}");
        let quality = format!("{:?}", sheet_rows(&xlsx, "Datakvalitet"));
        let notes = quality.matches("dolda av ett filter").count();
        docs.push((doc, quality, notes));
    }
    let (plain, filtered) = (&docs[0], &docs[1]);
    assert_eq!(value(&filtered.0, "incidents.total"), Some(10.0));
    assert_eq!(plain.0["kpis"], filtered.0["kpis"]);
    assert_eq!(
        plain.0["breakdowns"]["incidents_by_category"],
        filtered.0["breakdowns"]["incidents_by_category"]
    );
    assert_eq!(plain.2, 0, "{}", plain.1);
    assert_eq!(filtered.2, 1, "one note per sheet: {}", filtered.1);
    assert!(
        filtered
            .1
            .contains("3 rader är dolda av ett filter i Excel (rad 3, 6, 9); de räknas ändå"),
        "{}",
        filtered.1
    );
}

#[test]
fn a_unit_merged_over_four_rows_is_every_one_of_those_peoples_unit() {
    let tmp = TempDir::new("merged-unit");
    let dir = tmp.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Personal").unwrap();
    ws.write_string(0, 0, "Anställningsnummer").unwrap();
    ws.write_string(0, 1, "Enhet").unwrap();
    for i in 1..=6u32 {
        ws.write_string(i, 0, format!("E{i:03}")).unwrap();
    }
    // Rows 2–5 (E001–E004) share one merged Enhet cell; E005 and E006 are in Stab.
    ws.merge_range(
        1,
        1,
        4,
        1,
        "Förskola Solen",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    ws.write_string(5, 1, "Stab").unwrap();
    ws.write_string(6, 1, "Stab").unwrap();
    wb.save(dir.join("Personal.xlsx")).unwrap();
    let mut training = vec![vec![
        s("Anställningsnummer"),
        s("Kurs"),
        s("Slutfört datum"),
    ]];
    for i in [1, 4, 5] {
        for course in ["Grundläggande informationssäkerhet", "Dataskydd GDPR"] {
            training.push(vec![s(&format!("E{i:03}")), s(course), d(2025, 3, 1)]);
        }
    }
    write_xlsx(&dir.join("Utbildning.xlsx"), &[("Kurser", training)]);

    let (code, doc, xlsx, err) = report(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    let units: Vec<(String, u64, u64)> = doc["breakdowns"]["training_by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_string(),
                u["headcount"].as_u64().unwrap(),
                u["completed_all"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        units.contains(&("Förskola Solen".to_string(), 4, 2)),
        "{units:?}"
    );
    assert!(units.contains(&("Stab".to_string(), 2, 1)), "{units:?}");
    let quality = format!("{:?}", sheet_rows(&xlsx, "Datakvalitet"));
    assert!(
        quality.contains("3 rader tog sitt värde från en sammanfogad cell (först B2:B5): värdet i en sammanfogad cell gäller alla rader i sammanfogningen"),
        "{quality}"
    );
    let table = sheet_rows(&xlsx, "Utbildning");
    let row = find_row(&table, "Förskola Solen").expect("unit row on Utbildning");
    assert_eq!(row[1], calamine::Data::Float(4.0), "{row:?}");
}
