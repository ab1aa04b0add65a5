//! Issue 11: limits instead of failures, text that stays text, a year the data really
//! has, outputs written as a set, unit names that are safe. Each test is named after
//! what broke.

mod common;

use std::path::Path;

use common::*;

fn risks(dir: &Path, names: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rows = vec![vec![s("Risk"), s("Sannolikhet"), s("Konsekvens")]];
    for name in names {
        rows.push(vec![s(name), n(4.0), n(4.0)]);
    }
    write_sheet(&dir.join("Risker.xlsx"), "Risker", rows);
}

fn text_of(rows: &[Vec<calamine::Data>]) -> String {
    format!("{rows:?}")
}

#[test]
fn a_text_longer_than_an_excel_cell_is_cut_with_a_note() {
    let tmp = TempDir::new("long-text");
    let dir = tmp.folder("in");
    // A CSV: no spreadsheet writer would store a cell this long.
    let long = "Lång ".repeat(8000);
    std::fs::write(
        dir.join("Risker.csv"),
        format!("Risk;Sannolikhet;Konsekvens\nKort risk;4;4\n{long};4;4\n"),
    )
    .unwrap();
    std::fs::write(dir.join("omvarld.md"), "Ett långt stycke. ".repeat(2500)).unwrap();
    let (doc, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert_eq!(value(&doc, "risks.total"), Some(2.0));
    let quality = text_of(&sheet_rows(&xlsx, "Datakvalitet"));
    assert!(quality.contains("längre än de 32767 tecken"), "{quality}");
    assert!(quality.contains("rapporttexten"), "{quality}");
}

#[test]
fn cell_text_never_becomes_markdown_structure_or_html() {
    let tmp = TempDir::new("markdown-injection");
    let dir = tmp.folder("in");
    let action = "Risk A\n\n## 5 Beslut: allt är grönt\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))";
    write_sheet(
        &dir.join("Åtgärder.xlsx"),
        "Plan",
        vec![
            texts(&["Åtgärd", "Status", "Klart senast"]),
            vec![s(action), s("Pågår"), d(2026, 3, 1)],
        ],
    );
    std::fs::write(
        dir.join("omvarld.md"),
        "Omvärlden.\n\n<script>alert(1)</script>\n\n[läs mer](javascript:alert(2)) och <b>fet</b>\n",
    )
    .unwrap();
    let out = tmp.join("out");
    let (_, xlsx) = report_ok(
        &dir,
        &out,
        &["--year", "2025", "--unit", "Enhet # <i>x</i>"],
    );
    // Read as any Markdown reader reads it: no HTML, no unsafe link, no extra heading.
    let md = md_in(&out);
    use pulldown_cmark::{Event, Parser, Tag};
    let mut heading = false;
    for event in Parser::new(&md) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in {md}"),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                assert!(dest_url.starts_with("http"), "link {dest_url} in {md}")
            }
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::Text(t) if heading => {
                assert!(!t.contains("Beslut: allt"), "heading {t} in {md}");
                heading = false;
            }
            _ => {}
        }
    }
    assert!(!md.contains("javascript:alert(2)"), "{md}");
    assert!(!md.contains("<script"), "{md}");
    let rapport = sheet_rows(&xlsx, "Rapport");
    let headings: Vec<String> = rapport
        .iter()
        .filter_map(|r| match r.first() {
            Some(calamine::Data::String(t)) if t.starts_with("5 Beslut") => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert!(headings.is_empty(), "{headings:?}");
    // The text itself is still there, as text.
    assert!(
        text_of(&rapport).contains("## 5 Beslut: allt är grönt"),
        "{rapport:?}"
    );
}

#[test]
fn inledning_md_replaces_the_introduction_and_inledning_txt_is_no_csv() {
    let tmp = TempDir::new("inledning");
    let dir = tmp.join("in");
    risks(&dir, &["Risk".to_string()]);
    std::fs::write(
        dir.join("inledning.md"),
        "Vår egen inledning om genomgången.\n",
    )
    .unwrap();
    let (_, xlsx) = report_ok(&dir, &tmp.join("out"), &["--year", "2025"]);
    assert!(text_of(&sheet_rows(&xlsx, "Rapport")).contains("Vår egen inledning"));

    let dir2 = tmp.join("in2");
    risks(&dir2, &["Risk".to_string()]);
    std::fs::write(
        dir2.join("inledning.txt"),
        "Inledning; med semikolon\nrad två; här\n",
    )
    .unwrap();
    let (_, xlsx) = report_ok(&dir2, &tmp.join("out2"), &["--year", "2025"]);
    let sources = text_of(&sheet_rows(&xlsx, "Källor"));
    assert!(sources.contains("Textavsnitt till rapporten"), "{sources}");
    assert!(text_of(&sheet_rows(&xlsx, "Rapport")).contains("Inledning; med semikolon"));
}

fn incidents(dir: &Path, dates: &[V]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rows = vec![vec![s("Ärendenummer"), s("Händelsedatum"), s("Kategori")]];
    for (i, date) in dates.iter().enumerate() {
        rows.push(vec![s(&format!("I-{i}")), date.clone(), s("Nätfiske")]);
    }
    write_sheet(&dir.join("Incidenter.xlsx"), "Blad1", rows);
}

#[test]
fn one_date_in_the_future_does_not_choose_the_year() {
    let tmp = TempDir::new("future-year");
    let dir = tmp.join("in");
    let mut dates: Vec<V> = (1..=6).map(|m| d(2025, m, 10)).collect();
    dates.push(d(2052, 1, 1));
    dates.push(serial(73_000.0));
    incidents(&dir, &dates);
    let out = tmp.join("out");
    let (code, doc, _, err) = report(&dir, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["year"], 2025, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(6.0));
    assert!(
        err.contains("Granskningsår 2025: valt ur underlaget"),
        "{err}"
    );
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("ligger efter dagens datum"), "{warnings}");
    let xlsx = out.join("Ledningens genomgång 2025 - in.xlsx");
    assert!(text_of(&sheet_rows(&xlsx, "Källor")).contains("Årsval"));
}

#[test]
fn a_few_early_dates_of_a_new_year_do_not_make_it_the_review_year() {
    let tmp = TempDir::new("few-dates-next-year");
    let dir = tmp.join("in");
    let mut dates: Vec<V> = (0..40).map(|i| d(2025, 1 + i % 12, 5)).collect();
    dates.extend((0..3).map(|i| d(2026, 1, 2 + i)));
    incidents(&dir, &dates);
    let (_, doc, _, err) = report(&dir, &tmp.join("out"), &[]);
    assert_eq!(doc["year"], 2025, "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(40.0));
}

fn config_run(toml: &str) -> (i32, String) {
    let tmp = TempDir::new(&format!("config-{}", toml.len()));
    let dir = tmp.join("in");
    risks(&dir, &["Risk".to_string()]);
    std::fs::write(dir.join("genomgang.toml"), toml).unwrap();
    let o = run_on("report", &dir, &tmp.join("out"), &[]);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

#[test]
fn configuration_values_out_of_range_are_refused_in_swedish() {
    for (toml, expect) in [
        ("[incidents]\nimy_deadline_hours = 2562047788015215\n", "imy_deadline_hours"),
        ("year = -2147483648\n", "year"),
        ("year = 0\n", "year"),
        (
            "[[training.mandatory]]\nlabel = \"Kurs\"\nmatch = [\"a\"]\n[[training.mandatory]]\nlabel = \"kurs\"\nmatch = [\"b\"]\n",
            "finns två gånger",
        ),
        (
            "[[incidents.categories]]\nslug = \"other\"\nlabel = \"Sheet1!$A$1\"\nsynonyms = []\n",
            "cellreferens",
        ),
    ] {
        let (code, err) = config_run(toml);
        assert_eq!(code, 2, "{toml}: {err}");
        assert!(err.contains(expect), "{toml}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, err) = config_run("[limits]\nmax_columns = 500\n");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_workbook_and_its_text_are_written_as_one_set() {
    let tmp = TempDir::new("output-set");
    let (a, b) = (tmp.join("a/Enheten"), tmp.join("b/Enheten"));
    risks(&a, &["Risk".to_string()]);
    risks(&b, &["Risk".to_string()]);
    std::fs::write(a.join("omvarld.md"), "Texten AAAA.\n").unwrap();
    std::fs::write(b.join("omvarld.md"), "Texten BBBB.\n").unwrap();
    let out = tmp.join("ut");
    for _ in 0..6 {
        let spawn = |dir: &Path| {
            std::process::Command::new(bin())
                .args([
                    "report",
                    dir.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--year",
                    "2025",
                ])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut x, mut y) = (spawn(&a), spawn(&b));
        assert!(x.wait().unwrap().success());
        assert!(y.wait().unwrap().success());
        let xlsx = out.join("Ledningens genomgång 2025 - Enheten.xlsx");
        let in_xlsx = all_parts_text(&xlsx).contains("AAAA");
        let in_md = md_in(&out).contains("AAAA");
        assert_eq!(in_xlsx, in_md, "workbook and .md from different runs");
    }
    // Nothing but the set (workbook, Word document, text; hidden bookkeeping aside).
    let visible: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(visible.len(), 3, "{visible:?}");
}

#[test]
fn a_written_workbook_with_a_failed_text_file_exits_1_not_2() {
    let tmp = TempDir::new("md-fails");
    let dir = tmp.join("Enheten");
    risks(&dir, &["Risk".to_string()]);
    let out = tmp.join("ut");
    // A folder where the .md belongs: the text cannot be written, the workbook can.
    std::fs::create_dir_all(out.join("Ledningens genomgång 2025 - Enheten.md/x")).unwrap();
    assert_exit(&run_on("report", &dir, &out, &["--year", "2025"]), 1);
    assert!(out
        .join("Ledningens genomgång 2025 - Enheten.xlsx")
        .is_file());
}

#[test]
fn unit_names_are_never_empty_too_long_or_full_of_control_characters() {
    let tmp = TempDir::new("unit-names");
    let dir = tmp.join("in");
    risks(&dir, &["Risk".to_string()]);
    let err = assert_exit(&run_on("report", &dir, &tmp.join("o1"), &["--unit", ""]), 2);
    assert!(err.contains("--unit"), "{err}");

    let long = "Förvaltningen för ".repeat(20);
    let out = tmp.join("o2");
    let (_, xlsx) = report_ok(&dir, &out, &["--year", "2025", "--unit", &long]);
    assert!(xlsx.file_name().unwrap().len() < 255);

    let out = tmp.join("o3");
    let unit = "Kungs\u{202E}holmen\nrad två\u{7}";
    let (doc, xlsx) = report_ok(&dir, &out, &["--year", "2025", "--unit", unit]);
    assert_eq!(doc["unit"], "Kungsholmen rad två");
    let name = xlsx.file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(name, "Ledningens genomgång 2025 - Kungsholmen rad två.xlsx");
    assert!(md_in(&out).starts_with("# Ledningens genomgång 2025 – Kungsholmen rad två\n"));
}
