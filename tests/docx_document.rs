//! `report` writes `Ledningens genomgång YYYY - UNIT.docx` beside the workbook: the
//! sample's document holds the example report's sections, the sentences with the
//! figures, the charts, a TOC and page-number fields, Swedish language and Word's heading
//! styles; an organisation template's header logo and styles are used; two runs give the
//! same bytes. (That the text is the same as in the .md and the Rapport sheet, block for
//! block, is tests/doc_tree.rs.)

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// 2026-02-15 00:00 UTC: reproducible mode, as in reproducible builds.
const EPOCH: &str = "1771113600";

fn sample() -> PathBuf {
    sample_dir()
}

/// Runs `COMMAND INPUT --out OUT EXTRA…` with a fixed date; asserts success.
fn run_dated(command: &str, input: &Path, out: &Path, extra: &[&str]) {
    let o = Command::new(bin())
        .arg(command)
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Runs `report` with a fixed date; returns the output folder's docx path.
fn report_docx(input: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    run_dated("report", input, out, extra);
    out.join("Ledningens genomgång 2025 - Kungsholmen.docx")
}

/// `--format` chose the outputs: neither the workbook nor the Markdown is in `out`.
fn assert_no_workbook_or_md(out: &Path) {
    for ext in ["xlsx", "md"] {
        let file = out.join(format!("Ledningens genomgång 2025 - Kungsholmen.{ext}"));
        assert!(!file.exists(), "{file:?}");
    }
}

fn part(docx: &Path, name: &str) -> String {
    String::from_utf8(part_bytes(docx, name)).unwrap()
}

fn part_bytes(docx: &Path, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut buf = Vec::new();
    f.read_to_end(&mut buf).unwrap();
    buf
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of each body paragraph outside tables and captions, in order.
fn docx_paragraphs(document: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_table = 0usize;
    let mut rest = document;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<w:tbl>") {
            in_table += 1;
        } else if rest.starts_with("</w:tbl>") {
            in_table -= 1;
        } else if rest.starts_with("<w:p>") && in_table == 0 {
            let end = rest.find("</w:p>").unwrap();
            let p = &rest[..end];
            // Captions and the table of contents are not review text.
            if !p.contains("w:val=\"Beskrivning\"") && !p.contains("w:val=\"Innehll") {
                let mut text = String::new();
                let mut q = p;
                while let Some(t) = q.find("<w:t xml:space=\"preserve\">") {
                    q = &q[t + "<w:t xml:space=\"preserve\">".len()..];
                    let e = q.find("</w:t>").unwrap();
                    text.push_str(&unescape(&q[..e]));
                }
                if !text.trim().is_empty() {
                    out.push(text);
                }
            }
            rest = &rest[end..];
            continue;
        }
        rest = &rest[1..];
    }
    out
}

#[test]
fn sample_document_has_the_example_structure_figures_charts_and_fields() {
    let tmp = TempDir::new("docx-sample");
    let docx = report_docx(&sample(), tmp.path(), &[]);
    assert!(tmp
        .join("Ledningens genomgång 2025 - Kungsholmen.xlsx")
        .is_file());
    assert!(tmp
        .join("Ledningens genomgång 2025 - Kungsholmen.md")
        .is_file());

    let document = part(&docx, "word/document.xml");
    let text = docx_paragraphs(&document).join("\n");
    for heading in [
        "Vad är Ledningens genomgång",
        "Faktorer som påverkar verksamhetens informationssäkerhetsarbete",
        "Omvärldsbevakning – hot och trender",
        "Sverige och EU",
        "Vad händer inom staden",
        "Vad har hänt inom förvaltningen under 2025",
        "Risker",
        "Information om avvikelser (incidenter och andra händelser)",
        "Prioriterat arbete som föreslås",
        "Förslag till beslut",
    ] {
        assert!(text.contains(heading), "heading {heading:?} missing");
    }
    for sentence in [
        "21 personuppgiftsincidenter",
        "3 anmäldes till IMY",
        "Cirka 16 %",
    ] {
        assert!(text.contains(sentence), "{sentence:?} missing");
    }
    // Headings use the built-in heading styles, numbered by Word.
    assert!(document.contains("<w:pStyle w:val=\"Rubrik1\"/>"));
    assert!(document.contains("<w:pStyle w:val=\"Rubrik2\"/>"));
    assert!(document.contains("<w:numId w:val=\"903\"/>"));
    // Bullets are Word lists, not typed characters.
    assert!(document.contains("<w:numId w:val=\"901\"/>"));
    assert!(!text.contains('•'));
    // Charts (Word's own: chart parts, no pictures), captions, the KPI table.
    let charts = document
        .matches("<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">")
        .count();
    assert_eq!(charts, 3, "{charts} charts");
    assert!(!part_names(&docx)
        .iter()
        .any(|n| n.starts_with("word/media/")));
    assert!(document.contains(" SEQ Figur \\* ARABIC "));
    assert!(document.contains("Nyckeltal 2025 jämfört med 2024"));
    // Fields: table of contents; page X of Y in the footer.
    assert!(document.contains("<w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-3&quot;"));
    let footer = part(&docx, "word/genomgang-footer-default.xml");
    assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "));
    assert!(footer.contains(">Sida </w:t>"));
    // Styles and language.
    let styles = part(&docx, "word/styles.xml");
    for name in [
        "heading 1",
        "heading 2",
        "heading 3",
        "Title",
        "caption",
        "toc 1",
    ] {
        assert!(
            styles.contains(&format!("<w:name w:val=\"{name}\"/>")),
            "style {name} missing"
        );
    }
    assert!(styles.contains("<w:lang w:val=\"sv-SE\""));
    assert!(document.contains("<w:lang w:val=\"sv-SE\""));
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Ledningens genomgång 2025 – Kungsholmen</dc:title>"));
    assert!(core.contains("<dc:language>sv-SE</dc:language>"));
    assert!(core.contains(">2026-02-15T00:00:00Z</dcterms:created>"));
    // A4 with margins.
    assert!(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    // Aggregates only: no e-mail addresses or personnummer from the inputs.
    assert!(!document.contains('@'));
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let a = TempDir::new("docx-repro-a");
    let b = TempDir::new("docx-repro-b");
    let first = std::fs::read(report_docx(&sample(), a.path(), &["--format", "docx"])).unwrap();
    let second = std::fs::read(report_docx(&sample(), b.path(), &["--format", "docx"])).unwrap();
    assert!(first == second, "two runs wrote different bytes");
    assert_no_workbook_or_md(a.path());
}

/// `batch` writes one document per unit with the unit's own template and names, and
/// `--format` chooses the files there too (PNG charts per unit under diagram/UNIT/).
#[test]
fn batch_writes_a_document_per_unit() {
    let tmp = TempDir::new("docx-batch");
    let unit = tmp.folder("stad/kungsholmen");
    for entry in std::fs::read_dir(sample()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, unit.join(p.file_name().unwrap())).unwrap();
    }
    let logo = logo();
    write_template(&unit.join("Stadens mall.docx"), &logo);
    let mut cfg = std::fs::read_to_string(unit.join("genomgang.toml")).unwrap();
    cfg.push_str("dokumentmall = \"Stadens mall.docx\"\ninformationssakerhetssamordnare = \"Isa Samordnare\"\n");
    std::fs::write(unit.join("genomgang.toml"), cfg).unwrap();
    let out = tmp.join("ut");
    run_dated(
        "batch",
        &tmp.join("stad"),
        &out,
        &["--format", "docx,png", "--jobs", "1"],
    );
    let docx = out.join("Ledningens genomgång 2025 - Kungsholmen.docx");
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("Isa Samordnare"));
    assert_eq!(part_bytes(&docx, "word/media/mall-logo.png"), logo);
    assert_no_workbook_or_md(&out);
    let charts = std::fs::read_dir(out.join("diagram").join("Kungsholmen"))
        .unwrap()
        .count();
    assert!(charts >= 3, "{charts} charts");
}

/// A small PNG: the organisation's logo.
fn logo() -> Vec<u8> {
    let (w, h) = (120u32, 40u32);
    let mut rgb = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let on = (x / 20 + y / 20) % 2 == 0;
            rgb.extend_from_slice(if on { &[200, 16, 46] } else { &[255, 255, 255] });
        }
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    let mut wr = e.write_header().unwrap();
    wr.write_image_data(&rgb).unwrap();
    wr.finish().unwrap();
    out
}

/// A Word template as Swedish Word writes one: style ids `Rubrik1`, a header with a logo.
fn write_template(path: &Path, logo: &[u8]) {
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body><w:p><w:r><w:t>Mallens egen text som inte ska följa med</w:t></w:r></w:p><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId8\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1701\" w:right=\"1134\" w:bottom=\"1418\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>")),
        ("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/></Relationships>".to_string()),
        ("word/styles.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Georgia\" w:hAnsi=\"Georgia\"/><w:sz w:val=\"21\"/><w:lang w:val=\"sv-SE\"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Rubrik1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"C8102E\"/><w:sz w:val=\"36\"/></w:rPr></w:style></w:styles>")),
        ("word/header1.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"1371600\" cy=\"457200\"/><wp:docPr id=\"100\" name=\"Logotyp\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"100\" name=\"logo.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rId1\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"1371600\" cy=\"457200\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space=\"preserve\">  Stadens förvaltning</w:t></w:r></w:p></w:hdr>")),
        ("word/_rels/header1.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/logo.png\"/></Relationships>".to_string()),
    ];
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("word/media/logo.png", opts).unwrap();
    z.write_all(logo).unwrap();
    z.finish().unwrap();
}

#[test]
fn organisation_template_gives_its_header_logo_and_styles() {
    let tmp = TempDir::new("docx-template");
    let keep = std::env::var("DOCX_KEEP").ok();
    let logo = logo();
    write_template(&tmp.join("Stadens mall.docx"), &logo);
    let config = tmp.join("genomgang.toml");
    std::fs::write(
        &config,
        "dokumentmall = \"Stadens mall.docx\"\ninformationssakerhetssamordnare = \"Isa Samordnare\"\ndataskyddsombud = \"Dora Ombud\"\n",
    )
    .unwrap();
    let out = tmp.join("out");
    let docx = report_docx(
        &sample(),
        &out,
        &["--format", "docx", "--config", config.to_str().unwrap()],
    );

    // The logo, byte for byte, in the template's header, which every page uses.
    assert_eq!(part_bytes(&docx, "word/media/mall-logo.png"), logo);
    let header = part(&docx, "word/mall-header1.xml");
    assert!(header.contains("r:embed=\"rId1\""));
    let header_rels = part(&docx, "word/_rels/mall-header1.xml.rels");
    assert!(header_rels.contains("Target=\"media/mall-logo.png\""));
    let document = part(&docx, "word/document.xml");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    let section = &document[document.rfind("<w:sectPr>").unwrap()..];
    assert!(
        !section.contains("<w:titlePg/>"),
        "the title page must have the logo too"
    );
    let default_header = section
        .split("<w:headerReference w:type=\"default\" r:id=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(rels.contains(&format!(
        "Id=\"{default_header}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"mall-header1.xml\""
    )));
    // The template's margins, styles and fonts; our styles added where it has none.
    assert!(section.contains("w:top=\"1701\""));
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Georgia\""));
    assert_eq!(styles.matches("<w:name w:val=\"heading 1\"/>").count(), 1);
    assert!(styles.contains("<w:name w:val=\"heading 2\"/>"));
    assert!(document.contains("<w:pStyle w:val=\"Rubrik1\"/>"));
    // Footer: the template has none, so ours with page numbers.
    assert!(rels.contains("Target=\"genomgang-footer-default.xml\""));
    // Not the template's body text; the names from the configuration on the title page.
    assert!(!document.contains("Mallens egen text"));
    assert!(document.contains("Isa Samordnare") && document.contains("Dora Ombud"));
    let types = part(&docx, "[Content_Types].xml");
    assert!(types.contains("PartName=\"/word/mall-header1.xml\""));
    if let Some(keep) = keep {
        std::fs::copy(&docx, keep).unwrap();
    }
}

/// A section file's Markdown with links, a numbered list and a table: the links become
/// footnotes and a source list, the list a Word list counting from its own first number,
/// the table a Word table; text that looks like markup stays text.
#[test]
fn links_become_footnotes_and_sources_and_text_stays_text() {
    let tmp = TempDir::new("docx-links");
    let input = tmp.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        input.join("sverige-eu.md"),
        "NIS2 genomförs i svensk lag ([Det här är NIS2-direktivet](https://www.msb.se/nis2)).\n\nTecken som a < b > c & \"citat\" är text. Läs mer på https://www.imy.se.\n\n3. Tredje steget\n4. Fjärde steget\n\n| Lag | Gäller från |\n|---|---|\n| Cybersäkerhetslagen | 2025 |\n",
    )
    .unwrap();
    let docx = report_docx(&input, &tmp.join("out"), &["--format", "docx"]);
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("<w:footnoteReference w:id=\"1\"/>"));
    let footnotes = part(&docx, "word/footnotes.xml");
    assert!(footnotes.contains("Det här är NIS2-direktivet"));
    let footnote_rels = part(&docx, "word/_rels/footnotes.xml.rels");
    assert!(footnote_rels.contains("Target=\"https://www.msb.se/nis2\" TargetMode=\"External\""));
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains("Target=\"https://www.imy.se\" TargetMode=\"External\""));
    let text = docx_paragraphs(&document).join("\n");
    assert!(text.contains("Källor"));
    assert!(text.contains("Det här är NIS2-direktivet: https://www.msb.se/nis2"));
    assert!(text.contains("Tecken som a < b > c & \"citat\" är text."));
    assert!(document.contains("Tecken som a &lt; b &gt; c &amp; &quot;citat&quot;"));
    // The link's address is in the footnote, not in the running text.
    assert!(text.contains("svensk lag (Det här är NIS2-direktivet)."));
    // The numbered list: a Word list of its own that starts at 3, no typed numbers.
    assert!(document.contains("<w:numId w:val=\"911\"/>"));
    assert!(text.contains("\nTredje steget\nFjärde steget\n"));
    let numbering = part(&docx, "word/numbering.xml");
    assert!(numbering.contains("<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/>"));
    // The table: a Word table with a header row.
    let table = document
        .split("<w:tbl>")
        .find(|t| t.contains("Cybersäkerhetslagen"))
        .expect("the section's table");
    assert!(table.contains("<w:tblHeader/>"));
    assert!(table.contains(">Gäller från</w:t>"));
}
