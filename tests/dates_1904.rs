//! A workbook saved in the 1904 date system (old Excel for Mac): the same serial number
//! is a different day, and genomgang must read the day the user sees.

mod common;

use std::io::Write;

use common::*;

/// Rewrites `xl/workbook.xml` of an xlsx to declare the 1904 date system.
fn to_1904(path: &std::path::Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut data).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(data).unwrap();
            assert!(text.contains("<workbookPr"), "{text}");
            data = text
                .replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
                .into_bytes();
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        dst.write_all(&data).unwrap();
    }
    dst.finish().unwrap();
}

#[test]
fn serial_dates_in_the_1904_system() {
    let dir = TempDir::new("d1904");
    // 44361 is 2025-06-15 in the 1904 system (2021-06-14 in the 1900 system);
    // 43996 is 2024-06-15 in the 1904 system.
    write_xlsx(
        &dir.join("incidenter.xlsx"),
        &[(
            "Blad1",
            vec![
                vec![s("Ärendenummer"), s("Händelsedatum"), s("Kategori")],
                vec![s("A-1"), serial(44361.0), s("Nätfiske")],
                vec![s("A-2"), serial(44361.0), s("Inbrott")],
                vec![s("A-3"), serial(43996.0), s("Inbrott")],
            ],
        )],
    );
    to_1904(&dir.join("incidenter.xlsx"));
    let out = TempDir::new("d1904-out");
    let (code, doc, _, err) = report(dir.path(), out.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        doc["year"], 2025,
        "the latest year is read in the 1904 system"
    );
    assert_eq!(value(&doc, "incidents.total"), Some(2.0));
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.burglary"), Some(1.0));
}
