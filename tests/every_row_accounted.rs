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
        quality.contains("formler utan sparat värde (först A2)"),
        "{quality}"
    );
}
