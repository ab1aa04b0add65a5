//! One workbook with several data sheets, one of them hidden, and a sheet that is no
//! input: each sheet is recognised on its own, the hidden one is used and marked as
//! hidden in Källor, and the other is listed as ignored with the reason.

mod common;

use calamine::Data;
use common::*;
use rust_xlsxwriter::Workbook;

#[test]
fn each_sheet_is_recognised_on_its_own() {
    let dir = TempDir::new("sheets");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Läs mig").unwrap();
    ws.write_string(0, 0, "Den här filen innehåller förvaltningens underlag.")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Incidenter").unwrap();
    for (c, h) in ["Ärendenummer", "Händelsedatum", "Kategori"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, date, cat)) in [
        ("A-1", "2025-02-01", "Nätfiske"),
        ("A-2", "2025-03-01", "Inbrott"),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *date).unwrap();
        ws.write_string(r, 2, *cat).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Risker").unwrap();
    for (c, h) in ["Risk", "Sannolikhet", "Konsekvens"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Nätfiske").unwrap();
    ws.write_number(1, 1, 4).unwrap();
    ws.write_number(1, 2, 4).unwrap();
    ws.set_hidden(true);
    wb.save(dir.join("underlag.xlsx")).unwrap();

    let out = TempDir::new("sheets-out");
    let (doc, xlsx) = report_ok(dir.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "incidents.total"), Some(2.0));
    assert_eq!(value(&doc, "risks.total"), Some(1.0));
    assert_eq!(value(&doc, "risks.high"), Some(1.0));

    let sources = sheet_rows(&xlsx, "Källor");
    let row = |sheet: &str| {
        sources
            .iter()
            .find(|r| r.get(1) == Some(&Data::String(sheet.into())))
            .unwrap_or_else(|| panic!("no Källor row for {sheet}: {sources:?}"))
            .clone()
    };
    assert!(format!("{:?}", row("Risker")).contains("Dolt blad"));
    assert!(row("Incidenter").contains(&Data::String("Incidenter".into())));
    assert!(format!("{:?}", row("Läs mig")).contains("Ignorerat"));
}
