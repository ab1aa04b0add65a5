//! A workbook saved in the 1904 date system (old Excel for Mac): the same serial number
//! is a different day, and genomgang must read the day the user sees.

mod common;

use common::*;

/// Rewrites `xl/workbook.xml` of an xlsx to declare the 1904 date system.
fn to_1904(path: &std::path::Path) {
    rewrite_zip_part(path, path, "xl/workbook.xml", |text| {
        assert!(text.contains("<workbookPr"), "{text}");
        text.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
}

#[test]
fn serial_dates_in_the_1904_system() {
    let dir = TempDir::new("d1904");
    // 44361 is 2025-06-15 in the 1904 system (2021-06-14 in the 1900 system);
    // 43996 is 2024-06-15 in the 1904 system.
    let mut rows = vec![texts(&["Ärendenummer", "Händelsedatum", "Kategori"])];
    for (id, day, category) in [
        ("A-1", 44361.0, "Nätfiske"),
        ("A-2", 44361.0, "Inbrott"),
        ("A-3", 43996.0, "Inbrott"),
    ] {
        rows.push(vec![s(id), serial(day), s(category)]);
    }
    write_sheet(&dir.join("incidenter.xlsx"), "Blad1", rows);
    to_1904(&dir.join("incidenter.xlsx"));
    let out = TempDir::new("d1904-out");
    let (doc, _) = report_ok(dir.path(), out.path(), &[]);
    assert_eq!(
        doc["year"], 2025,
        "the latest year is read in the 1904 system"
    );
    assert_eq!(value(&doc, "incidents.total"), Some(2.0));
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));
    assert_eq!(value(&doc, "incidents.category.burglary"), Some(1.0));
}
