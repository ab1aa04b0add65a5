//! A review a chief can sign as it comes (issue 20, writers' part): document control on
//! the title page and the workbook's first sheet, blank roles said on stderr naming the
//! key; Word told to update the table of contents when it opens; the same figure
//! written the same way in the workbook, the Word document and the .md; configuration
//! and section files counted as used, not as unrecognised sheets; action statuses in
//! the order work goes.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use genomgang::review::format::{change, number, percent};
use genomgang::schema::ValueKind;

const EPOCH: &str = "1771113600";
const XLSX: &str = "Ledningens genomgång 2025 - Kungsholmen.xlsx";
const DOCX: &str = "Ledningens genomgång 2025 - Kungsholmen.docx";

/// Runs `report` on `input` (extra args appended) with a fixed date; returns stderr.
fn report(input: &Path, out: &Path, extra: &[&str]) -> String {
    let o = Command::new(bin())
        .arg("report")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

fn zip_part(file: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// The text of every `w:t` in document.xml, joined: what a reader sees, without markup.
fn docx_text(docx: &Path) -> String {
    let xml = zip_part(docx, "word/document.xml");
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tc>`, `<w:tbl>` …, nor an empty `<w:t/>`.
        let tag = &rest[..open_end];
        if !(tag == "<w:t" || tag.starts_with("<w:t ")) || tag.ends_with('/') {
            rest = &rest[4..];
            continue;
        }
        let Some(close) = rest.find("</w:t>") else {
            break;
        };
        out.push_str(&rest[open_end + 1..close]);
        out.push('\u{1}');
        rest = &rest[close..];
    }
    out.replace("&amp;", "&")
}

/// The sample once, into a temporary output folder.
fn sample_run(name: &str, extra: &[&str]) -> (TempDir, PathBuf, String) {
    let tmp = TempDir::new(name);
    let out = tmp.folder("ut");
    let err = report(&sample_dir(), &out, extra);
    (tmp, out, err)
}

#[test]
fn blank_title_page_roles_are_warned_naming_the_key_and_filled_ones_are_shown() {
    // The sample's genomgang.toml names neither role.
    let (_tmp, out, err) = sample_run("signed-blank", &[]);
    for key in ["informationssakerhetssamordnare", "dataskyddsombud"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("Varning:") && l.contains(&format!("ange {key} ="))),
            "no warning naming {key}: {err}"
        );
    }
    let text = docx_text(&out.join(DOCX));
    assert!(text.contains("Informationssäkerhetssamordnare\u{1}Ej angivet"));

    // Named in a --config file: no warning, and the title page and the workbook's first
    // sheet carry the same facts.
    let tmp = TempDir::new("signed-named");
    let cfg = tmp.join("styrning.toml");
    std::fs::write(
        &cfg,
        "informationssakerhetssamordnare = \"Åsa Öberg\"\ndataskyddsombud = \"Per Ärlig\"\nforfattare = \"Åsa Öberg\"\ndokumentversion = \"1.2\"\ndiarienummer = \"KS 2026/123\"\ndistribution = \"Förvaltningschef, ledningsgrupp\"\n",
    )
    .unwrap();
    let out = tmp.folder("ut");
    let err = report(&sample_dir(), &out, &["--config", cfg.to_str().unwrap()]);
    assert!(!err.contains("titelsidan saknar"), "{err}");
    let text = docx_text(&out.join(DOCX));
    for (label, value) in [
        ("Informationssäkerhetssamordnare", "Åsa Öberg"),
        ("Dataskyddsombud", "Per Ärlig"),
        ("Upprättad av", "Åsa Öberg"),
        ("Version", "1.2"),
        ("Diarienummer", "KS 2026/123"),
        ("Distribution", "Förvaltningschef, ledningsgrupp"),
        ("Datum", "2026-02-15"),
    ] {
        assert!(
            text.contains(&format!("{label}\u{1}{value}\u{1}")),
            "title page lacks {label}: {value}"
        );
    }
    // The decision form ends in the förvaltningschef's signature line.
    let form = text
        .find("Beslut\u{1}Ort och datum")
        .expect("signature rows");
    assert!(text[form..].contains("Underskrift, förvaltningschef\u{1}Namnförtydligande"));

    let first: Vec<String> = sheet_rows(&out.join(XLSX), "Sammanfattning")
        .into_iter()
        .flatten()
        .map(|c| c.to_string())
        .collect();
    for fact in [
        "Informationssäkerhetssamordnare: Åsa Öberg",
        "Dataskyddsombud: Per Ärlig",
        "Version: 1.2",
        "Diarienummer: KS 2026/123",
        "Distribution: Förvaltningschef, ledningsgrupp",
        "Datum: 2026-02-15",
        "Underskrift, förvaltningschef",
    ] {
        assert!(first.iter().any(|c| c == fact), "first sheet lacks {fact}");
    }
}

#[test]
fn word_updates_the_contents_when_opened_and_the_contents_is_a_field() {
    let (_tmp, out, _) = sample_run("signed-fields", &[]);
    let docx = out.join(DOCX);
    let settings = zip_part(&docx, "word/settings.xml");
    assert!(
        settings.contains("<w:updateFields w:val=\"true\"/>"),
        "{settings}"
    );
    let document = zip_part(&docx, "word/document.xml");
    assert!(document.contains("TOC \\o &quot;1-3&quot;") || document.contains("TOC \\o \"1-3\""));
    // Each entry's page is a PAGEREF field to the heading's bookmark.
    let pagerefs = document.matches("PAGEREF _Toc").count();
    assert!(pagerefs >= 10, "{pagerefs} PAGEREF fields");
    for i in 1..=pagerefs {
        assert!(
            document.contains(&format!("w:name=\"_Toc{i:08}\"")),
            "bookmark _Toc{i:08} missing"
        );
    }
}

/// (cell value, number format code) of `label`'s row, column `col`, on Sammanfattning.
fn kpi_cell(xlsx: &Path, label: &str, col: usize) -> (f64, String) {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let range = wb.worksheet_range("Sammanfattning").unwrap();
    let (first_row, first_col) = range.start().unwrap();
    let (i, row) = range
        .rows()
        .enumerate()
        .find(|(_, r)| {
            r.first()
                .is_some_and(|c| *c == Data::String(label.to_string()))
        })
        .unwrap_or_else(|| panic!("{label} not on Sammanfattning"));
    let value = match &row[col - first_col as usize] {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("{label} col {col}: {other:?}"),
    };
    // The cell's style → its number format, from the package itself.
    let r = first_row as usize + i + 1;
    let cell_ref = format!("{}{r}", (b'A' + col as u8) as char);
    let sheet = zip_part(xlsx, "xl/worksheets/sheet1.xml");
    let at = sheet
        .find(&format!("<c r=\"{cell_ref}\""))
        .unwrap_or_else(|| panic!("{cell_ref}"));
    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
    let style: usize = tag
        .split("s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let styles = zip_part(xlsx, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let id: String = xf
        .split("numFmtId=\"")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let code = styles
        .split("<numFmt ")
        .find(|f| f.contains(&format!("numFmtId=\"{id}\"")))
        .and_then(|f| f.split("formatCode=\"").nth(1))
        .and_then(|f| f.split('"').next())
        .unwrap_or("General")
        .replace("&quot;", "\"");
    (value, code)
}

/// Decimals the format code's first section shows.
fn decimals(code: &str) -> usize {
    let first = code.split(';').next().unwrap();
    first
        .split_once('.')
        .map(|(_, d)| d.chars().take_while(|c| *c == '0').count())
        .unwrap_or(0)
}

#[test]
fn the_same_figure_reads_the_same_in_workbook_word_and_markdown() {
    let (_tmp, out, _) = sample_run("signed-same", &[]);
    let xlsx = out.join(XLSX);
    let word = docx_text(&out.join(DOCX));
    let md = md_in(&out);
    let rate = "Andel medarbetare som genomfört alla obligatoriska utbildningar";

    // This year's share, last year's share (below 10 %: one decimal) and the change in
    // percentage points: each cell's format shows the decimals the text writes.
    let (this_year, this_code) = kpi_cell(&xlsx, rate, 1);
    let (last_year, last_code) = kpi_cell(&xlsx, rate, 2);
    let (points, points_code) = kpi_cell(&xlsx, rate, 3);
    let texts = [
        (percent(this_year), this_code),
        (percent(last_year), last_code),
        (change(points / 100.0, ValueKind::Rate), points_code),
    ];
    // The sample's known figures: 66 of 412 this year, 38 of 412 last year.
    assert_eq!(texts[0].0, "16 %");
    assert_eq!(texts[1].0, "9,2 %");
    assert_eq!(texts[2].0, "+6,8 p.e.");
    for (text, code) in &texts {
        let shown = text.split([' ', '\u{a0}']).next().unwrap();
        let want = usize::from(shown.contains(','));
        assert_eq!(decimals(code), want, "{text} under format {code}");
        assert!(code.contains('%') || code.contains("p.e."), "{code}");
        assert!(
            word.contains(&format!("\u{1}{text}\u{1}")),
            "Word lacks {text}"
        );
        assert!(md.contains(&format!("| {text} |")), ".md lacks {text}");
    }
    // A count and its change.
    let (incidents, _) = kpi_cell(&xlsx, "Antal incidenter", 1);
    let (delta, delta_code) = kpi_cell(&xlsx, "Antal incidenter", 3);
    assert_eq!(number(incidents), "39");
    assert_eq!(change(delta, ValueKind::Count), "+8");
    assert!(delta_code.starts_with('+'), "{delta_code}");
    let row = |text: &str| format!("Antal incidenter\u{1}{}\u{1}", text);
    assert!(word.contains(&row("39")), "Word lacks the incident count");
    assert!(word.contains("\u{1}+8\u{1}"), "Word lacks +8");
    assert!(md.contains("| Antal incidenter | 39 | 31 | +8 |"));

    let summary: Vec<String> = sheet_rows(&xlsx, "Sammanfattning")
        .into_iter()
        .flatten()
        .map(|c| c.to_string())
        .collect();

    // The files the review rests on, counted one way.
    let files = "8 filer med data och 3 med inställningar eller text";
    assert!(
        summary
            .iter()
            .any(|c| c.contains(&format!("Underlag: {files}"))),
        "workbook"
    );
    assert!(word.contains(&format!("Underlag: {files}")), "Word");
    assert!(md.contains(&format!("Underlag: {files}")), ".md");
    // genomgang.toml and the two section files are used, not unrecognised sheets.
    for text in [&word, &md] {
        assert!(!text.contains("kändes inte igen"));
    }
}

#[test]
fn action_statuses_stand_in_the_order_work_goes() {
    let (_tmp, out, _) = sample_run("signed-status", &[]);
    let rows = sheet_rows(&out.join(XLSX), "Åtgärder");
    let start = rows
        .iter()
        .position(|r| {
            r.first()
                .is_some_and(|c| *c == Data::String("Status".to_string()))
        })
        .unwrap();
    let statuses: Vec<String> = rows[start + 1..]
        .iter()
        .map(|r| r[0].to_string())
        .take_while(|s| s != "Totalt" && !s.is_empty())
        .collect();
    assert_eq!(
        statuses,
        ["Ej påbörjad", "Planerad", "Pågående", "Genomförd"],
        "{statuses:?}"
    );
}
