//! The review is one typed document: the Rapport sheet, the Word document and the
//! Markdown file render the same tree block for block; a user's heading places nothing;
//! Excel's cell limit cuts only the cell; every chart of the Sammanfattning sheet is in
//! the Word document as Word's own chart with the same figures (read from the chart
//! parts' caches); the document converts with LibreOffice.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::Data;
use common::*;
use genomgang::review::doc::{Block, Document, LinkText, Section};
use genomgang::review::Review;

/// The review of a unit folder, built as `report` builds it.
fn review_of(dir: &Path) -> Review {
    use genomgang::pipeline::{self, load};
    let (cfg, sources) = pipeline::load_config(Some(dir), None).unwrap();
    let unit = pipeline::unit_name(None, &cfg, dir);
    let mut inputs =
        load::load_folder(dir, &cfg, Some(&unit), load::Subfolders::ReadOneLevel).unwrap();
    load::finish(&mut inputs);
    let choice = pipeline::choose_year(
        None,
        cfg.year,
        &pipeline::dated_years(&inputs),
        pipeline::today(),
    );
    genomgang::review::build(&inputs, &cfg, &sources, &unit, choice.year, &choice.how).unwrap()
}

/// The sample copied into `dir`, with `extra` files written beside it.
fn sample_with(dir: &Path, extra: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(sample_dir()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    for (name, text) in extra {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir.to_path_buf()
}

fn docx_bytes(review: &Review) -> Vec<u8> {
    let cfg = genomgang::config::Config::default_config();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
    let options = genomgang::report::docx::DocxOptions {
        control: genomgang::report::control::DocumentControl::from_config(&cfg, date).0,
        template: None,
    };
    genomgang::report::docx::build(review, &options).unwrap().0
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    z.file_names()
        .filter_map(|s| s.ok().map(|s| s.to_string()))
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the `w:t` elements in `xml`.
fn w_text(xml: &str) -> String {
    let mut text = String::new();
    let mut q = xml;
    while let Some(t) = q.find("<w:t") {
        q = &q[t..];
        let Some(open_end) = q.find('>') else { break };
        if q[..open_end].ends_with('/') || !(q.starts_with("<w:t>") || q.starts_with("<w:t ")) {
            q = &q[open_end..];
            continue;
        }
        q = &q[open_end + 1..];
        let e = q.find("</w:t>").unwrap();
        text.push_str(&unescape(&q[..e]));
        q = &q[e..];
    }
    text
}

/// The body as blocks: each paragraph outside tables, each table row (its non-empty
/// cells joined by "  |  ").
fn docx_blocks(document: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = document;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<w:tbl>") {
            let end = rest.find("</w:tbl>").unwrap();
            let table = &rest[..end];
            for row in table.split("<w:tr>").skip(1) {
                let cells: Vec<String> = row
                    .split("<w:tc>")
                    .skip(1)
                    .map(w_text)
                    .filter(|t| !t.trim().is_empty())
                    .collect();
                if !cells.is_empty() {
                    out.push(cells.join("  |  "));
                }
            }
            rest = &rest[end..];
        } else if rest.starts_with("<w:p>") || rest.starts_with("<w:p ") {
            let end = rest.find("</w:p>").unwrap();
            let text = w_text(&rest[..end]);
            // Table-of-contents entries are not review text.
            if !text.trim().is_empty() && !rest[..end].contains("PAGEREF") {
                out.push(text);
            }
            rest = &rest[end..];
        } else {
            rest = &rest[1..];
        }
    }
    out
}

/// The Markdown read back with pulldown-cmark, block by block: headings, paragraphs,
/// list items, table rows (a form: its labels); links as their label.
fn md_blocks(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut text = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut in_item = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Item) => {
                in_item = true;
                text.clear();
            }
            Event::End(TagEnd::Item) => {
                in_item = false;
                out.push(text.trim().to_string());
                text.clear();
            }
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) if !in_item => {
                text.clear()
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) if !in_item => {
                out.push(text.trim().to_string());
                text.clear();
            }
            Event::Start(Tag::TableCell) => text.clear(),
            Event::End(TagEnd::TableCell) => row.push(text.trim().to_string()),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                table.push(std::mem::take(&mut row))
            }
            Event::End(TagEnd::Table) => {
                let form =
                    table.len() > 1 && table[1..].iter().all(|r| r.iter().all(|c| c.is_empty()));
                if form {
                    out.extend(table[0].iter().cloned());
                } else {
                    for r in &table {
                        let cells: Vec<&String> = r.iter().filter(|c| !c.is_empty()).collect();
                        out.push(
                            cells
                                .iter()
                                .map(|c| c.as_str())
                                .collect::<Vec<_>>()
                                .join("  |  "),
                        );
                    }
                }
                table.clear();
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    out.into_iter().filter(|t| !t.is_empty()).collect()
}

/// The Rapport sheet as blocks: the text of each row (a list item without its marker).
fn rapport_blocks(xlsx: &Path) -> Vec<String> {
    sheet_rows(xlsx, "Rapport")
        .iter()
        .filter_map(|r| {
            r.iter().rev().find_map(|c| match c {
                Data::String(s) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            })
        })
        .collect()
}

/// How a writer numbers headings and shows links.
#[derive(Clone, Copy)]
struct Style {
    links: LinkText,
    /// Word numbers the headings itself: the heading text is the title alone.
    word_numbers: bool,
    /// The title and section headings are written (the Word document's title is on
    /// the title page, compared apart).
    title: bool,
}

/// The blocks every writer must show for the tree, in order.
fn expected(doc: &Document, style: Style) -> Vec<String> {
    let mut out = Vec::new();
    if style.title {
        out.push(doc.title.clone());
    }
    let mut figure = 0;
    let mut tables = 0;
    let heading = |s: &Section| {
        if style.word_numbers {
            s.title.clone()
        } else {
            s.heading()
        }
    };
    for s in &doc.sections {
        if !s.title.is_empty() {
            out.push(heading(s));
        }
        for b in &s.blocks {
            match b {
                Block::Paragraph(r) | Block::Heading(r) => out.push(doc.plain(r, style.links)),
                Block::List(l) => {
                    out.extend(l.items.iter().map(|i| doc.plain(&i.runs, style.links)))
                }
                Block::Figure(f) => {
                    figure += 1;
                    out.push(format!("Figur {figure}. {}", f.caption));
                }
                Block::Table(t) if t.form => out.extend(t.head.iter().cloned()),
                Block::Table(t) => {
                    if let Some(c) = &t.caption {
                        tables += 1;
                        out.push(format!("Tabell {tables}. {c}"));
                    }
                    out.push(t.head.join("  |  "));
                    for r in &t.rows {
                        out.push(
                            r.iter()
                                .map(|c| c.value.display())
                                .filter(|c| !c.is_empty())
                                .collect::<Vec<_>>()
                                .join("  |  "),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Rapport sheet, .docx and .md of `review`: (Rapport blocks, docx body blocks, md
/// blocks, docx bytes, markdown).
fn render_all(
    review: &Review,
    tmp: &TempDir,
) -> (Vec<String>, Vec<String>, Vec<String>, Vec<u8>, String) {
    let xlsx = tmp.join("genomgang.xlsx");
    std::fs::write(&xlsx, genomgang::report::workbook::build(review).unwrap()).unwrap();
    let docx = docx_bytes(review);
    let md = genomgang::report::markdown::render(review);
    let document = zip_text(&docx, "word/document.xml");
    let body = docx_blocks(&document);
    // The body starts after the table of contents, at the first section's heading.
    let first = &review.doc.sections[0].title;
    let toc_end = body
        .iter()
        .rposition(|b| b.starts_with("Innehåll"))
        .unwrap_or(0);
    let start = toc_end
        + body[toc_end..]
            .iter()
            .position(|b| b == first)
            .unwrap_or_else(|| panic!("{first:?} not in {body:#?}"));
    (
        rapport_blocks(&xlsx),
        body[start..].to_vec(),
        md_blocks(&md),
        docx,
        md,
    )
}

#[test]
fn the_tree_gives_the_same_text_in_rapport_docx_and_md() {
    let tmp = TempDir::new("doc-tree-same");
    // A section file with a link, emphasis, a list and a table of its own.
    let dir = sample_with(
        &tmp.join("in"),
        &[(
            "omvarld.md",
            "Hoten ökar, se [CERT-SE:s lägesbild](https://www.cert.se/) och *MSB:s* råd.\n\n1. Nätfiske.\n2. Leverantörer.\n\n| Lag | I kraft |\n|---|---|\n| Cybersäkerhetslagen | 2026-01-15 |\n",
        )],
    );
    let review = review_of(&dir);
    let (rapport, docx, md, _, _) = render_all(&review, &tmp);
    let doc = &review.doc;
    assert!(doc.sections.len() > 10, "{} sections", doc.sections.len());

    let with_address = Style {
        links: LinkText::WithAddress,
        word_numbers: false,
        title: true,
    };
    assert_eq!(rapport, expected(doc, with_address), "Rapport sheet");
    let label = Style {
        links: LinkText::Label,
        ..with_address
    };
    assert_eq!(md, expected(doc, label), "Markdown");
    let word = Style {
        links: LinkText::Label,
        word_numbers: true,
        title: false,
    };
    assert_eq!(docx, expected(doc, word), "Word document");
    // The link is a footnote in Word, a Markdown link, and written out in the cell.
    assert!(rapport
        .iter()
        .any(|b| b.contains("CERT-SE:s lägesbild (https://www.cert.se/)")));
    let stable: Vec<&str> = doc.sections.iter().map(|s| s.id.as_str()).collect();
    for id in [
        "beslut",
        "inledning",
        "omvarld",
        "handelser",
        "risker",
        "avvikelser",
        "prioriteringar",
        "kallor",
        "bilaga-underlag",
    ] {
        assert!(stable.contains(&id), "{id} missing from {stable:?}");
    }
}

/// (section id, chart) of each figure of the tree; the heading above each chart in
/// the Word document.
fn chart_places(review: &Review, docx: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
    let mut places = Vec::new();
    for s in &review.doc.sections {
        for b in &s.blocks {
            if let Block::Figure(f) = b {
                places.push((s.id.clone(), f.chart.slug().to_string()));
            }
        }
    }
    let document = zip_text(docx, "word/document.xml");
    let mut above = Vec::new();
    for (i, _) in document.match_indices("<c:chart ") {
        let before = &document[..i];
        let h = before.rfind("<w:pStyle w:val=\"Rubrik").unwrap();
        let p_end = before[h..].find("</w:p>").unwrap();
        above.push(w_text(&before[h..h + p_end]));
    }
    (places, above)
}

#[test]
fn a_user_heading_about_risks_or_priorities_moves_no_chart() {
    let tmp = TempDir::new("doc-tree-heading");
    let plain = review_of(&sample_with(&tmp.join("a"), &[]));
    let worded = review_of(&sample_with(
        &tmp.join("b"),
        &[
            (
                "omvarld.md",
                "## Risker och prioriterat arbete i omvärlden\n\nIncidenter och avvikelser ökar; risk och prioritering.\n\n### Vad har hänt\n\nText.\n",
            ),
            ("inledning.md", "# Prioriterat: incidenter och risker\n\nVår inledning.\n"),
        ],
    ));
    let (places_a, above_a) = chart_places(&plain, &docx_bytes(&plain));
    let (places_b, above_b) = chart_places(&worded, &docx_bytes(&worded));
    assert_eq!(places_a.len(), 3, "{places_a:?}");
    assert_eq!(places_a, places_b);
    assert_eq!(above_a, above_b);
    assert_eq!(
        above_a,
        [
            "Vad har hänt inom förvaltningen under 2025 gällande informationssäkerhet och dataskydd",
            "Information om avvikelser (incidenter och andra händelser)",
            "Information om avvikelser (incidenter och andra händelser)"
        ]
    );
    // The user's headings are headings inside their sections, nothing more.
    let omvarld = worded.doc.section("omvarld").unwrap();
    assert!(omvarld
        .blocks
        .iter()
        .all(|b| !matches!(b, Block::Figure(_) | Block::Table(_))));
    // The file's opening heading names 2.1 (not "Omvärldsbevakning" stood above it);
    // its later heading stays a heading inside the section.
    assert_eq!(omvarld.title, "Risker och prioriterat arbete i omvärlden");
    assert_eq!(omvarld.number, Some(vec![2, 1]));
    assert!(omvarld.blocks.iter().any(
        |b| matches!(b, Block::Heading(r) if worded.doc.plain(r, LinkText::Label) == "Vad har hänt")
    ));
    // Tables stay too: the KPI table in 3, the risk matrix in 3.1.
    let tables = |r: &Review| -> Vec<(String, Option<String>)> {
        r.doc
            .sections
            .iter()
            .flat_map(|s| {
                s.blocks.iter().filter_map(|b| match b {
                    Block::Table(t) if t.caption.is_some() => {
                        Some((s.id.clone(), t.caption.clone()))
                    }
                    _ => None,
                })
            })
            .collect()
    };
    assert_eq!(tables(&plain), tables(&worded));
}

#[test]
fn a_long_user_paragraph_is_whole_in_docx_and_md_and_cut_only_in_the_cell() {
    let tmp = TempDir::new("doc-tree-long");
    // 40 000 characters, each word different so a cut or a repeat would show.
    let mut long = String::new();
    let mut i = 0;
    while long.chars().count() < 40_000 {
        long.push_str(&format!("ord{i}å "));
        i += 1;
    }
    let long = long.trim().to_string();
    let n = long.chars().count();
    assert!(n >= 40_000);
    let dir = sample_with(&tmp.join("in"), &[("omvarld.md", &format!("{long}\n"))]);
    let review = review_of(&dir);
    let (rapport, docx, md_blocks, _, md) = render_all(&review, &tmp);
    assert!(md.contains(&long), "the .md lost part of the paragraph");
    assert!(md_blocks.contains(&long));
    assert!(
        docx.contains(&long),
        "the Word document lost part of the paragraph"
    );
    let cell = rapport
        .iter()
        .find(|b| b.starts_with("ord0å ord1å"))
        .expect("the paragraph in the Rapport sheet");
    assert!(
        cell.chars().count() <= 32_767,
        "{} characters",
        cell.chars().count()
    );
    assert!(
        cell.ends_with("Hela stycket finns i Word-dokumentet och .md-filen.]"),
        "{}",
        &cell[cell.len() - 200..]
    );
    let kept = cell.split('…').next().unwrap();
    assert!(long.starts_with(kept));
    assert!(kept.chars().count() > 32_000);
    // And the data-quality sheet says so.
    assert!(review
        .problems
        .iter()
        .any(|p| p.one_line().contains("längre än de 32767 tecken")));
}

/// A chart part's series: (name, categories, values by index).
type SeriesCache = (String, Vec<String>, Vec<(usize, f64)>);

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

fn values(s: &str) -> Vec<String> {
    s.split("<c:v>")
        .skip(1)
        .map(|v| unescape(&v[..v.find("</c:v>").unwrap()]))
        .collect()
}

/// The title and the series of a chart part, from its caches.
fn chart_caches(xml: &str) -> (String, Vec<SeriesCache>) {
    let title = between(xml, "<c:title>", "</c:title>")
        .map(|t| {
            t.split("<a:t>")
                .skip(1)
                .map(|x| unescape(&x[..x.find("</a:t>").unwrap()]))
                .collect::<String>()
        })
        .unwrap_or_default();
    let series = xml
        .split("<c:ser>")
        .skip(1)
        .map(|ser| {
            let name = between(ser, "<c:tx>", "</c:tx>")
                .map(|t| values(t).join(""))
                .unwrap_or_default();
            let cats = between(ser, "<c:cat>", "</c:cat>")
                .map(values)
                .unwrap_or_default();
            let vals = between(ser, "<c:val>", "</c:val>")
                .map(|v| {
                    v.split("<c:pt idx=\"")
                        .skip(1)
                        .map(|pt| {
                            let idx: usize = pt[..pt.find('"').unwrap()].parse().unwrap();
                            let v = between(pt, "<c:v>", "</c:v>").unwrap();
                            (idx, v.parse::<f64>().unwrap())
                        })
                        .collect()
                })
                .unwrap_or_default();
            (name, cats, vals)
        })
        .collect();
    (title, series)
}

/// The chart parts a sheet's drawing shows, by the workbook's relationships.
fn sheet_chart_parts(xlsx: &Path, sheet_part: &str) -> Vec<String> {
    let rels_of = |part: &str| {
        let (dir, file) = part.rsplit_once('/').unwrap();
        zip_part(xlsx, &format!("{dir}/_rels/{file}.rels"))
    };
    let targets = |rels: &str, kind: &str| -> Vec<String> {
        rels.split("<Relationship ")
            .skip(1)
            .filter(|r| r.contains(&format!("/relationships/{kind}\"")))
            .map(|r| between(r, "Target=\"", "\"").unwrap().to_string())
            .collect()
    };
    let drawing = targets(&rels_of(sheet_part), "drawing");
    let drawing = format!("xl/drawings/{}", drawing[0].rsplit('/').next().unwrap());
    targets(&rels_of(&drawing), "chart")
        .iter()
        .map(|t| format!("xl/charts/{}", t.rsplit('/').next().unwrap()))
        .collect()
}

#[test]
fn every_chart_of_the_summary_is_a_word_chart_with_the_same_figures() {
    let tmp = TempDir::new("doc-tree-charts");
    let out = tmp.join("ut");
    let o = run_on("report", &sample_dir(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xlsx = out.join("Ledningens genomgång 2025 - Kungsholmen.xlsx");
    let docx = std::fs::read(xlsx.with_extension("docx")).unwrap();

    // Sammanfattning is the first sheet.
    let workbook_charts: Vec<(String, Vec<SeriesCache>)> =
        sheet_chart_parts(&xlsx, "xl/worksheets/sheet1.xml")
            .iter()
            .map(|p| chart_caches(&zip_part(&xlsx, p)))
            .collect();
    assert_eq!(workbook_charts.len(), 3, "{workbook_charts:?}");
    let names = zip_names(&docx);
    let word_charts: Vec<(String, Vec<SeriesCache>)> = (1..)
        .map(|i| format!("word/charts/chart{i}.xml"))
        .take_while(|p| names.contains(p))
        .map(|p| chart_caches(&zip_text(&docx, &p)))
        .collect();
    assert_eq!(word_charts.len(), 3);
    for (title, series) in &workbook_charts {
        let (_, word) = word_charts
            .iter()
            .find(|(t, _)| t == title)
            .unwrap_or_else(|| panic!("no Word chart {title:?}"));
        assert_eq!(word, series, "{title}");
        assert!(series
            .iter()
            .all(|(_, cats, vals)| !cats.is_empty() && !vals.is_empty()));
    }
    // Figures the sample is built with: 12 misdirected e-mails this year, 9 last year.
    let (_, categories) = word_charts
        .iter()
        .find(|(t, _)| t == "Incidenter per kategori")
        .unwrap();
    let this_year = categories.iter().find(|(n, ..)| n == "2025").unwrap();
    let felskick = this_year.1.iter().position(|c| c == "Felskick").unwrap();
    assert!(this_year.2.contains(&(felskick, 12.0)));

    // Each chart part is related from the document, has its embedded workbook and the
    // content types Word gives them.
    let rels = zip_text(&docx, "word/_rels/document.xml.rels");
    let types = zip_text(&docx, "[Content_Types].xml");
    for i in 1..=3 {
        assert!(rels.contains(&format!(
            "relationships/chart\" Target=\"charts/chart{i}.xml\""
        )));
        assert!(types.contains(&format!("<Override PartName=\"/word/charts/chart{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>")));
        let chart_rels = zip_text(&docx, &format!("word/charts/_rels/chart{i}.xml.rels"));
        assert!(chart_rels.contains(&format!(
            "relationships/package\" Target=\"../embeddings/Microsoft_Excel_Worksheet{i}.xlsx\""
        )));
        assert!(names.contains(&format!(
            "word/embeddings/Microsoft_Excel_Worksheet{i}.xlsx"
        )));
        let part = zip_text(&docx, &format!("word/charts/chart{i}.xml"));
        assert!(part
            .contains("<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData>"));
    }
    assert!(types.contains("<Default Extension=\"xlsx\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/>"));
    // No pictures of charts any more.
    assert!(
        !names.iter().any(|n| n.starts_with("word/media/")),
        "{names:?}"
    );
    assert!(docx.len() <= 150_000, "{} bytes", docx.len());
}

#[test]
fn the_document_converts_with_libreoffice() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("soffice saknas: LibreOffice-konverteringen testas inte");
        return;
    };
    let tmp = TempDir::new("doc-tree-soffice");
    let review = review_of(&sample_dir());
    let docx = tmp.join("genomgang.docx");
    std::fs::write(&docx, docx_bytes(&review)).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        tmp.join("profil").display()
    );
    let o = std::process::Command::new(soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "odt", "--outdir"])
        .arg(tmp.path())
        .arg(&docx)
        .output()
        .unwrap();
    let odt = tmp.join("genomgang.odt");
    assert!(odt.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    // LibreOffice read the charts as charts (embedded chart objects), not pictures.
    let bytes = std::fs::read(&odt).unwrap();
    let names = zip_names(&bytes);
    let objects = names
        .iter()
        .filter(|n| n.starts_with("Object") && n.ends_with("/content.xml"))
        .count();
    assert_eq!(objects, 3, "{names:?}");
    let content = zip_text(&bytes, "content.xml");
    assert!(content.contains("Incidenter per kategori"));
}
