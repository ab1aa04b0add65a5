//! Our own xlsx reader (`ingest::xlsx`) against the calamine path it replaced
//! (`excel::read_xlsx_with_calamine`): every workbook in the repository, workbooks written
//! here with rust_xlsxwriter, and packages written by hand (namespace prefixes, rich and
//! phonetic runs, inline strings, cells and rows without `r`, the 1904 system) must give
//! identical sheets, and our reader must not have fallen back to calamine to get them.
//! Limits and zip bombs end the same way on both paths.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use genomgang::config::Limits;
use genomgang::ingest::{excel, xlsx, Cell, RawSheet, ReadError};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// Our reader's sheets; panics when it fell back or failed.
fn ours(bytes: &[u8], limits: &Limits) -> Vec<RawSheet> {
    match xlsx::read(bytes, limits) {
        Ok(sheets) => sheets,
        Err(xlsx::Failure::NotUnderstood(why)) => panic!("our reader gave up: {why}"),
        Err(xlsx::Failure::Read(e)) => panic!("our reader refused: {e}"),
    }
}

fn calamine_path(bytes: &[u8], limits: &Limits) -> Vec<RawSheet> {
    excel::read_xlsx_with_calamine(bytes, limits).expect("the calamine path reads it")
}

/// Every field of the sheets, errors by their text.
fn assert_same(label: &str, got: &[RawSheet], want: &[RawSheet]) {
    assert_eq!(got.len(), want.len(), "{label}: number of sheets");
    for (g, w) in got.iter().zip(want) {
        let name = format!("{label} / {:?}", w.sheet);
        assert_eq!(g.sheet, w.sheet, "{name}: name");
        assert_eq!(g.hidden, w.hidden, "{name}: hidden");
        assert_eq!(g.row_offset, w.row_offset, "{name}: row offset");
        assert_eq!(
            g.error.as_ref().map(|e| e.to_string()),
            w.error.as_ref().map(|e| e.to_string()),
            "{name}: error"
        );
        assert_eq!(g.rows.len(), w.rows.len(), "{name}: number of rows");
        for (i, (gr, wr)) in g.rows.iter().zip(&w.rows).enumerate() {
            assert_eq!(gr, wr, "{name}: row index {i}");
        }
        assert_eq!(g.row_numbers, w.row_numbers, "{name}: row numbers");
        assert_eq!(g.formula_texts, w.formula_texts, "{name}: formula texts");
        assert_eq!(g.hidden_rows, w.hidden_rows, "{name}: hidden rows");
        assert_eq!(g.autofilter, w.autofilter, "{name}: autofilter");
        assert_eq!(g.merged, w.merged, "{name}: merged");
    }
}

fn assert_equivalent(label: &str, bytes: &[u8]) -> Vec<RawSheet> {
    let limits = Limits::default();
    let got = ours(bytes, &limits);
    assert_same(label, &got, &calamine_path(bytes, &limits));
    got
}

fn workbooks_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                workbooks_under(&path, found);
            }
        } else if name.ends_with(".xlsx") || name.ends_with(".xlsm") {
            found.push(path);
        }
    }
}

#[test]
fn every_workbook_of_the_repository_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["samples", "tests/fixtures"] {
        workbooks_under(&root.join(dir), &mut found);
    }
    // More folders (the bench cities) on demand: GENOMGANG_XLSX_DIRS=/a:/b.
    if let Some(extra) = std::env::var_os("GENOMGANG_XLSX_DIRS") {
        for dir in std::env::split_paths(&extra) {
            workbooks_under(&dir, &mut found);
        }
    }
    assert!(found.len() >= 20, "the repository's workbooks: {found:?}");
    let mut cells = 0;
    for path in &found {
        let bytes = std::fs::read(path).unwrap();
        let sheets = assert_equivalent(&path.display().to_string(), &bytes);
        cells += sheets
            .iter()
            .flat_map(|s| &s.rows)
            .map(Vec::len)
            .sum::<usize>();
    }
    assert!(cells > 1000, "cells compared: {cells}");
}

/// A workbook with the values exports hold, written by rust_xlsxwriter.
fn written_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm");
    let stamp = Format::new().set_num_format("d/m/yyyy h:mm");
    let builtin = Format::new().set_num_format_index(14);
    let duration = Format::new().set_num_format("[h]:mm:ss");
    let quoted = Format::new().set_num_format("\"dag\" 0");
    {
        let ws = wb.add_worksheet();
        ws.set_name("Blandat").unwrap();
        let header = ["Text", "Tal", "Datum", "Tid", "Stämpel", "Bool", "Formel"];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        let texts = [
            "Åsa Öberg",
            "äöå ÄÖÅ é ü",
            "&<>\"'",
            "  inledande och avslutande  ",
            "rad ett\r\nrad två",
            "bokstavligt _x000D_ i texten",
            "tab\there",
            "emoji 🙂 och – streck, ‐ bindestreck, − minus, hårt\u{a0}mellanslag",
        ];
        for (i, t) in texts.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, *t).unwrap();
            ws.write_number(
                r,
                1,
                [
                    0.1 + 0.2,
                    -3.5,
                    1e-7,
                    1e21,
                    123456789012345.0,
                    0.0,
                    42.0,
                    2.5,
                ][i],
            )
            .unwrap();
            let dt = ExcelDateTime::from_ymd(2025, 1 + i as u8, 14).unwrap();
            ws.write_datetime_with_format(r, 2, &dt, &date).unwrap();
            ws.write_number_with_format(r, 3, 0.25 + i as f64 / 100.0, &time)
                .unwrap();
            ws.write_number_with_format(r, 4, 45730.5 + i as f64, &stamp)
                .unwrap();
            ws.write_boolean(r, 5, i % 2 == 0).unwrap();
            ws.write_formula(r, 6, Formula::new("=B2*2").set_result("0.6"))
                .unwrap();
        }
        ws.write_number_with_format(10, 2, 45731.0, &builtin)
            .unwrap();
        ws.write_number_with_format(10, 3, 1.75, &duration).unwrap();
        ws.write_number_with_format(10, 4, 7.0, &quoted).unwrap();
        ws.write_formula(10, 6, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        ws.set_row_hidden(3).unwrap();
        ws.set_row_hidden(5).unwrap();
        ws.autofilter(0, 0, 8, 6).unwrap();
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Sammanslagna").unwrap();
        ws.write_string(0, 0, "Enhet").unwrap();
        ws.write_string(0, 1, "Namn").unwrap();
        ws.merge_range(1, 0, 4, 0, "Skola Ö", &Format::new())
            .unwrap();
        for r in 1..=4 {
            ws.write_string(r, 1, format!("Person {r}")).unwrap();
        }
        ws.merge_range(6, 1, 6, 3, "bred", &Format::new()).unwrap();
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Dold").unwrap();
        ws.write_string(0, 0, "gömt").unwrap();
        ws.set_hidden(true);
    }
    {
        // Large enough that rows and cells straddle the reader's chunks.
        let ws = wb.add_worksheet();
        ws.set_name("Stor").unwrap();
        for r in 0..20_000u32 {
            ws.write_string(r, 0, format!("Rad {r} – {}", r % 97))
                .unwrap();
            ws.write_number(r, 1, r as f64 * 1.25).unwrap();
            ws.write_string(r, 2, ["Ja", "Nej", "Kanske"][r as usize % 3])
                .unwrap();
            if r % 7 == 0 {
                ws.write_datetime_with_format(
                    r,
                    3,
                    ExcelDateTime::from_ymd(2024, 5, 1 + (r % 28) as u8).unwrap(),
                    &date,
                )
                .unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_written_by_rust_xlsxwriter_reads_the_same() {
    let dir = TempDir::new("xlsxreader-written");
    let path = dir.join("blandat.xlsx");
    written_workbook(&path);
    let sheets = assert_equivalent("written", &std::fs::read(&path).unwrap());
    let mixed = &sheets[0];
    assert_eq!(mixed.rows[1][0], Cell::Text("Åsa Öberg".into()));
    assert_eq!(mixed.rows[1][1], Cell::Number(0.1 + 0.2));
    assert_eq!(mixed.rows[5][0], Cell::Text("rad ett\r\nrad två".into()));
    assert_eq!(
        mixed.rows[6][0],
        Cell::Text("bokstavligt _x000D_ i texten".into())
    );
    assert_eq!(mixed.rows[1][5], Cell::Bool(true));
    assert!(matches!(mixed.rows[1][2], Cell::DateTime(_)));
    assert_eq!(
        mixed.rows[10][3],
        Cell::Number(1.75),
        "a duration is a number"
    );
    assert_eq!(
        mixed.rows[10][4],
        Cell::Number(7.0),
        "a quoted d is no date"
    );
    assert_eq!(mixed.hidden_rows, vec![4, 6]);
    assert!(mixed.autofilter);
    let merged = &sheets[1];
    assert_eq!(merged.rows[4][0], Cell::Text("Skola Ö".into()));
    assert_eq!(merged.merged.len(), 1);
    assert!(sheets[2].hidden);
    assert_eq!(sheets[3].rows.len(), 20_000);

    // The same workbook in the 1904 date system.
    rewrite_zip_part(&path, &path, "xl/workbook.xml", |text| {
        text.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
    let sheets = assert_equivalent("written, 1904", &std::fs::read(&path).unwrap());
    let Cell::DateTime(d) = sheets[0].rows[10][2] else {
        panic!("{:?}", sheets[0].rows[10][2]);
    };
    assert_eq!(
        d.date().to_string(),
        "2029-03-16",
        "45731 days after 1904-01-01"
    );
}

/// A zip of the given parts, deflated.
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn hand_package(sheet1: &str, sheet2: &str, date1904: bool) -> Vec<u8> {
    let root_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:workbookPr{}/><x:sheets><x:sheet name="Data &amp; mer" sheetId="1" r:id="rId1"/><x:sheet name="Dold" sheetId="2" state="veryHidden" r:id="rId2"/></x:sheets></x:workbook>"#,
        if date1904 { r#" date1904="true""# } else { "" }
    );
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let styles = format!(
        r#"<styleSheet xmlns="{MAIN}"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="&quot;dag&quot; 0"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0"/><xf numFmtId="166" fontId="0"/><xf numFmtId="14" fontId="0"><alignment horizontal="left"/></xf><xf numFmtId="46" fontId="0"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="0" formatCode="yyyy"/></dxf></dxfs></styleSheet>"#
    );
    let shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="8" uniqueCount="8"><si><t>Namn</t></si><si><r><rPr><b/><sz val="11"/></rPr><t>Rik </t></r><r><t xml:space="preserve">text </t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></si><si><t>  trimmad
</t></si><si><t xml:space="preserve">  kvar  </t></si><si><t>rad_x000D_
ny &amp; &lt;&gt; &#229;&#xE4; "citat"</t></si><si/><si><t>_x005F_x000D_ bokstavligt</t></si><si><t>Skola</t></si></sst>"#
    );
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        ("_rels/.rels", &root_rels),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &rels),
        ("xl/styles.xml", &styles),
        ("xl/sharedStrings.xml", &shared),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/worksheets/sheet2.xml", sheet2),
    ])
}

/// With the `x:` prefix of .NET's OpenXML SDK; rows and cells without `r`; every cell type.
const HAND_SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:G12"/><x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews><x:sheetData>
<x:row r="1" spans="1:5"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="D1" t="s"><x:v>3</x:v></x:c><x:c r="E1" t="s"><x:v>4</x:v></x:c></x:row>
<x:row r="2" hidden="1"><x:c r="A2" s="1"><x:v>45730</x:v></x:c><x:c r="B2" s="2"><x:v>1.5</x:v></x:c><x:c r="C2" s="3"><x:v>7</x:v></x:c><x:c r="D2" s="4"><x:v>45730.75</x:v></x:c><x:c r="E2" s="5"><x:v>0.5</x:v></x:c><x:c r="F2" s="9"><x:v>3</x:v></x:c></x:row>
<x:row><x:c t="b"><x:v>1</x:v></x:c><x:c t="b"><x:v>false</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>Namn&amp;x_x000D_</x:v></x:c><x:c t="d"><x:v>2025-03-14T10:22:00</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5"><x:f>Namn</x:f></x:c><x:c r="B5"><x:f>  </x:f></x:c><x:c r="C5" t="inlineStr"><x:is><x:t>inline &lt;text&gt;</x:t></x:is></x:c><x:c r="D5" t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t xml:space="preserve">line rik </x:t></x:r></x:is></x:c><x:c r="E5"><x:v>0.30000000000000004</x:v></x:c><x:c r="F5"><x:f t="shared" ref="F5:F6" si="0">E5*2</x:f></x:c></x:row>
<x:row r="6"><x:c r="A6" t="s"><x:v>5</x:v></x:c><x:c r="E6"><x:v>-1.5E-3</x:v></x:c><x:c r="F6"><x:f t="shared" si="0"/></x:c><x:c r="G6" t="s"><x:v>6</x:v></x:c></x:row>
<x:row r="8"/>
<x:row><x:c><x:v>42</x:v></x:c><x:c r="C9" s="1"/><x:c><x:v>43</x:v></x:c></x:row>
<!-- a comment between rows -->
<x:row r="10"><x:c r="A10" t="s"><x:v>7</x:v></x:c><x:c r="B10" t="s"><x:v>0</x:v></x:c></x:row>
<x:row r="11"><x:c r="B11"><x:v>1</x:v></x:c></x:row>
<x:row r="12" hidden="true"><x:c r="B12"><x:v>2</x:v></x:c></x:row>
</x:sheetData><x:autoFilter ref="A1:F12"/><x:mergeCells count="2"><x:mergeCell ref="A10:A12"/><x:mergeCell ref="B1:C1"/></x:mergeCells></x:worksheet>"#;

const PLAIN_SHEET: &str = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="3"><c r="B3" t="s"><v>7</v></c></row></sheetData></worksheet>"#;

#[test]
fn a_hand_written_package_with_every_cell_type_reads_the_same() {
    for date1904 in [false, true] {
        let bytes = hand_package(HAND_SHEET, PLAIN_SHEET, date1904);
        let sheets = assert_equivalent(&format!("hand, 1904: {date1904}"), &bytes);
        let data = &sheets[0];
        let text = |s: &str| Cell::Text(s.into());
        assert_eq!(data.sheet.as_deref(), Some("Data & mer"));
        assert_eq!(
            data.rows[0][1],
            text("Riktext "),
            "runs joined, phonetic left out"
        );
        assert_eq!(data.rows[0][2], text("trimmad"));
        assert_eq!(data.rows[0][3], text("  kvar  "));
        assert_eq!(data.rows[0][4], text("rad\r\nny & <> åä \"citat\""));
        assert_eq!(data.rows[1][2], Cell::Number(7.0), "a quoted d is no date");
        assert_eq!(
            data.rows[1][4],
            Cell::Number(0.5),
            "[h]:mm:ss is a duration"
        );
        assert_eq!(data.rows[1][5], Cell::Number(3.0), "a style beyond cellXfs");
        assert!(matches!(data.rows[1][0], Cell::DateTime(_)));
        assert_eq!(
            &data.rows[2][..6],
            &[
                Cell::Bool(true),
                Cell::Bool(false),
                Cell::Error("#N/A".into()),
                text("Namn&x\r"),
                Cell::DateTime(
                    chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
                        .unwrap()
                        .and_hms_opt(10, 22, 0)
                        .unwrap()
                ),
                Cell::Error("#DIV/0!".into()),
            ]
        );
        assert_eq!(data.rows[4][0], text("=Namn"));
        assert_eq!(data.rows[4][1], Cell::Empty, "a blank formula is nothing");
        assert_eq!(data.rows[4][2], text("inline <text>"));
        assert_eq!(data.rows[4][3], text("inline rik "));
        assert_eq!(data.rows[4][4], Cell::Number(0.1 + 0.2));
        assert_eq!(
            data.rows[5][0],
            Cell::Empty,
            "an empty shared string is no value"
        );
        assert_eq!(data.rows[5][6], text("_x000D_ bokstavligt"));
        assert_eq!(data.formula_texts, vec!["A5".to_string()]);
        assert_eq!(
            data.rows[8],
            vec![
                Cell::Number(42.0),
                Cell::Empty,
                Cell::Empty,
                Cell::Number(43.0)
            ]
        );
        assert_eq!(data.rows[10][0], text("Skola"), "merge spread down");
        assert_eq!(data.hidden_rows, vec![2, 12]);
        assert!(data.autofilter);
        assert!(sheets[1].hidden);
        assert_eq!(sheets[1].rows[2][1], text("Skola"));
        // A shared string is one allocation however many cells hold it.
        let (Cell::Text(a), Cell::Text(b)) = (&data.rows[0][0], &data.rows[9][1]) else {
            panic!("texts");
        };
        assert!(Arc::ptr_eq(a, b));
    }
}

#[test]
fn limits_end_a_sheet_the_same_way_on_both_paths() {
    let bytes = hand_package(HAND_SHEET, PLAIN_SHEET, false);
    for (max_cells, max_columns) in [(5, 2000), (20_000_000, 4), (3, 3)] {
        let limits = Limits {
            max_cells,
            max_columns,
            ..Limits::default()
        };
        let got = ours(&bytes, &limits);
        assert_same("limits", &got, &calamine_path(&bytes, &limits));
        assert!(got[0].error.is_some(), "{max_cells} {max_columns}");
    }
    let huge = HAND_SHEET.replace("A1:G12", "A1:XFD1048576");
    let bytes = hand_package(&huge, PLAIN_SHEET, false);
    let got = ours(&bytes, &Limits::default());
    assert_same(
        "huge dimension",
        &got,
        &calamine_path(&bytes, &Limits::default()),
    );
    assert!(matches!(
        got[0].error,
        Some(ReadError::HugeDimension { .. })
    ));
}

/// Patches the declared uncompressed size of the part of `true_size` bytes to 100.
fn lie_about_size(bytes: &mut [u8], true_size: usize) {
    let (big, small) = ((true_size as u32).to_le_bytes(), 100u32.to_le_bytes());
    let mut patched = 0;
    for i in 0..bytes.len() - 4 {
        if bytes[i..i + 4] == big {
            bytes[i..i + 4].copy_from_slice(&small);
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central header");
}

#[test]
fn a_worksheet_that_inflates_beyond_its_declared_size_is_a_zip_bomb() {
    // Padding makes the size distinctive and, in the second case, beyond the limit.
    for (padding, limit_mib, lying) in [(5_000usize, 400u64, true), (3 << 20, 1, false)] {
        let sheet = PLAIN_SHEET.replace(
            "<sheetData>",
            &format!("{}<sheetData>", " ".repeat(padding)),
        );
        let mut bytes = hand_package(HAND_SHEET, &sheet, false);
        lie_about_size(&mut bytes, sheet.len());
        let limits = Limits {
            max_unpacked_mib: limit_mib,
            ..Limits::default()
        };
        for (path, result) in [
            (
                "ours",
                xlsx::read(&bytes, &limits).map_err(|e| match e {
                    xlsx::Failure::Read(e) => e,
                    xlsx::Failure::NotUnderstood(why) => panic!("gave up: {why}"),
                }),
            ),
            ("calamine", excel::read_xlsx_with_calamine(&bytes, &limits)),
            (
                "read_workbook",
                excel::read_workbook(&bytes, "xlsx", &limits),
            ),
        ] {
            match result {
                Err(ReadError::ZipBomb { lying: l, .. }) => assert_eq!(l, lying, "{path}"),
                other => panic!("{path}: {:?}", other.map(|s| s.len())),
            }
        }
    }
}

/// Replaces one part of a package (valid CRCs: the change reaches the XML readers).
fn with_part(bytes: &[u8], part: &str, text: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let mut entry = from.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == part {
            data = text.to_vec();
        }
        to.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        to.write_all(&data).unwrap();
    }
    to.finish().unwrap().into_inner()
}

/// Damaged and odd XML: whenever our reader gives sheets, they are calamine's sheets;
/// otherwise it falls back (and calamine's answer is the answer).
#[test]
fn mutated_sheet_xml_reads_the_same_or_falls_back() {
    const SNIPPETS: [&str; 16] = [
        "<",
        ">",
        "/>",
        "\"",
        "'",
        "&amp;",
        "&",
        " ",
        "\r\n",
        "x:",
        "<c>",
        "</c>",
        "<v>1</v>",
        "_x000D_",
        "<!-- c -->",
        "<row>",
    ];
    let base = hand_package(HAND_SHEET, PLAIN_SHEET, false);
    let limits = Limits::default();
    // More rounds on demand: GENOMGANG_FUZZ_ROUNDS=20000.
    let rounds: usize = std::env::var("GENOMGANG_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(400);
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut same, mut fell_back) = (0, 0);
    for round in 0..rounds {
        let mut xml = HAND_SHEET.as_bytes().to_vec();
        for _ in 0..1 + next(3) {
            let at = next(xml.len());
            match next(3) {
                0 => {
                    let snippet = SNIPPETS[next(SNIPPETS.len())].as_bytes();
                    xml.splice(at..at, snippet.iter().copied());
                }
                1 => {
                    let end = (at + 1 + next(12)).min(xml.len());
                    xml.drain(at..end);
                }
                _ => xml[at] = b"<>/=\"' x:0123456789ABcrvts"[next(26)],
            }
        }
        let bytes = with_part(&base, "xl/worksheets/sheet1.xml", &xml);
        match xlsx::read(&bytes, &limits) {
            Ok(got) => {
                let want = calamine_path(&bytes, &limits);
                assert_same(
                    &format!("round {round}: {}", String::from_utf8_lossy(&xml)),
                    &got,
                    &want,
                );
                same += 1;
            }
            Err(xlsx::Failure::NotUnderstood(_)) => fell_back += 1,
            Err(xlsx::Failure::Read(e)) => panic!("round {round}: {e}"),
        }
    }
    assert!(
        same > 100 && fell_back > 10,
        "same {same}, fell back {fell_back}"
    );
}
