//! Files as systems really write them (issue 17, part 5), read end to end by content,
//! not by name: an HTML table saved as `.xls` (web systems export so), the same named
//! `.htm`, an Excel 2003 XML spreadsheet saved as `.xml` and as `.xls`, and UTF-16 text
//! with tabs (Excel's "Unicode text"). Each gives the KPIs it holds, with å, ä and ö
//! intact; a web page without a table, or a plain XML file, is not taken for an export.

mod common;

use common::*;

/// Four incidents of 2025 and one of 2024, in Swedish, as an HTML table with what web
/// systems put around it: a style block, entities, a `<br>`, a colspan title row.
const HTML_INCIDENTS: &str = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>td { mso-number-format:"\@"; }</style></head><body>
<table border="1">
<tr><th colspan="4">Avvikelser – Förvaltningen för äldreomsorg</th></tr>
<tr><th>Ärendenummer</th><th>Händelsedatum</th><th>Kategori</th><th>Beskrivning</th></tr>
<tr><td>AV-1</td><td>2025-01-14</td><td>N&auml;tfiske</td><td>Mejl till <b>ekonomi</b></td></tr>
<tr><td>AV-2</td><td>2025-03-02</td><td>Förlorad&nbsp;dator</td><td>Glömd på tåget<br>anmäld till polis</td></tr>
<tr><td>AV-3</td><td>2025-06-30</td><td>Felskick</td><td>Brev till fel vårdnadshavare</td></tr>
<tr><td>AV-4</td><td>2025-11-11</td><td>Obehörig åtkomst</td><td>Åtkomst &amp; behörighet</td></tr>
<tr><td>AV-0</td><td>2024-12-01</td><td>Virus</td><td>Äldre ärende</td></tr>
</table></body></html>"#;

fn assert_incidents(doc: &serde_json::Value) {
    assert_eq!(value(doc, "incidents.total"), Some(4.0));
    assert_eq!(value(doc, "incidents.category.phishing"), Some(1.0));
    assert_eq!(value(doc, "incidents.category.lost_computer"), Some(1.0));
    assert_eq!(value(doc, "incidents.category.misdirected"), Some(1.0));
    assert_eq!(
        value(doc, "incidents.category.unauthorized_access"),
        Some(1.0)
    );
    assert_eq!(previous(doc, "incidents.total"), Some(1.0));
}

#[test]
fn html_table_saved_as_xls_or_htm_is_read_as_a_table() {
    for name in ["Avvikelser.xls", "Avvikelser.htm"] {
        let tmp = TempDir::new(&format!("readers-html-{}", name.replace('.', "-")));
        let dir = tmp.folder("in");
        std::fs::write(dir.join(name), HTML_INCIDENTS).unwrap();
        let o = run(&["check", dir.to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
        assert!(out.contains("Incidenter (rubrikrad 2)"), "{out}");
        assert!(out.contains("HTML-tabell"), "{out}");
        assert!(!out.contains("byt filändelse"), "{out}");
        let (doc, _) = report_ok(&dir, &tmp.join("ut"), &["--year", "2025"]);
        assert_incidents(&doc);
    }
}

/// A training list as an Excel 2003 XML spreadsheet: a title cell merged across, a
/// skipped row (`ss:Index`), typed dates.
const XML_TRAINING: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Genomförda utbildningar">
  <Table>
   <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">Utbildningsrapport 2025</Data></Cell></Row>
   <Row ss:Index="3">
    <Cell><Data ss:Type="String">Anst.nr</Data></Cell><Cell><Data ss:Type="String">Namn</Data></Cell>
    <Cell><Data ss:Type="String">Kursnamn</Data></Cell><Cell><Data ss:Type="String">Slutfört datum</Data></Cell>
   </Row>
   <Row><Cell><Data ss:Type="Number">101</Data></Cell><Cell><Data ss:Type="String">Åsa Öberg</Data></Cell><Cell><Data ss:Type="String">Grundläggande informationssäkerhet</Data></Cell><Cell><Data ss:Type="DateTime">2025-02-03T00:00:00.000</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">101</Data></Cell><Cell><Data ss:Type="String">Åsa Öberg</Data></Cell><Cell><Data ss:Type="String">Dataskydd &amp; GDPR</Data></Cell><Cell><Data ss:Type="DateTime">2025-03-04T00:00:00.000</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">102</Data></Cell><Cell><Data ss:Type="String">Jörgen Ärlig</Data></Cell><Cell><Data ss:Type="String">Grundläggande informationssäkerhet</Data></Cell><Cell><Data ss:Type="DateTime">2025-05-06T00:00:00.000</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">102</Data></Cell><Cell><Data ss:Type="String">Jörgen Ärlig</Data></Cell><Cell><Data ss:Type="String">Dataskydd &amp; GDPR</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"#;

#[test]
fn excel_2003_xml_spreadsheet_saved_as_xml_or_xls_is_read() {
    for name in ["Utbildning.xml", "Utbildning.xls"] {
        let tmp = TempDir::new(&format!("readers-xml-{}", name.replace('.', "-")));
        let dir = tmp.folder("in");
        std::fs::write(dir.join(name), XML_TRAINING).unwrap();
        let o = run(&["check", dir.to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
        assert!(out.contains("Blad \"Genomförda utbildningar\""), "{out}");
        assert!(out.contains("XML-kalkylblad"), "{out}");
        let (doc, _) = report_ok(&dir, &tmp.join("ut"), &["--year", "2025"]);
        assert_eq!(value(&doc, "training.headcount"), Some(2.0));
        assert_eq!(value(&doc, "training.completed_all"), Some(1.0));
        assert_eq!(value(&doc, "training.completion_rate_all"), Some(0.5));
    }
}

#[test]
fn utf16_text_with_tabs_is_read() {
    let text = "Händelsedatum\tKategori\tÄrendenummer\r\n2025-02-01\tNätfiske\tÖ-1\r\n2025-04-09\tSkadlig kod\tÖ-2\r\n2025-08-20\tFörlorad mobiltelefon\tÖ-3\r\n";
    for (name, bytes) in [
        (
            "avvikelser-le.txt",
            [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
                .collect::<Vec<u8>>(),
        ),
        (
            "avvikelser-be.csv",
            [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
                .collect::<Vec<u8>>(),
        ),
    ] {
        let tmp = TempDir::new(&format!("readers-utf16-{}", name.replace('.', "-")));
        let dir = tmp.folder("in");
        std::fs::write(dir.join(name), bytes).unwrap();
        let o = run(&["check", dir.to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
        assert!(out.contains("UTF-16"), "{out}");
        assert!(out.contains("tabb"), "{out}");
        let (doc, _) = report_ok(&dir, &tmp.join("ut"), &["--year", "2025"]);
        assert_eq!(value(&doc, "incidents.total"), Some(3.0));
        assert_eq!(value(&doc, "incidents.category.phishing"), Some(1.0));
        assert_eq!(value(&doc, "incidents.category.malware"), Some(1.0));
        assert_eq!(value(&doc, "incidents.category.lost_phone"), Some(1.0));
    }
}

#[test]
fn a_web_page_without_a_table_and_a_plain_xml_file_are_not_exports() {
    let tmp = TempDir::new("readers-not-exports");
    let dir = tmp.folder("in");
    std::fs::write(dir.join("Avvikelser.xls"), HTML_INCIDENTS).unwrap();
    std::fs::write(
        dir.join("om-oss.html"),
        "<!doctype html><html><body><p>Välkommen till förvaltningen</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("inställningar.xml"),
        "<?xml version=\"1.0\"?><inställningar><språk>sv</språk></inställningar>",
    )
    .unwrap();
    // An .xls that is a page without any table says so, in Swedish, and names itself.
    std::fs::write(
        dir.join("tom-export.xls"),
        "<html><body><p>Inga ärenden hittades</p></body></html>",
    )
    .unwrap();
    let o = run(&["check", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("om-oss.html\n  Ignoreras"), "{out}");
    assert!(out.contains("inställningar.xml\n  Ignoreras"), "{out}");
    let (code, doc, _, err) = report(&dir, &tmp.join("ut"), &["--year", "2025"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("tom-export.xls"), "{err}");
    assert!(err.contains("ingen tabell"), "{err}");
    assert_incidents(&doc);
}
