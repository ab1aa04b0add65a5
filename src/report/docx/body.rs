//! `word/document.xml`: the title page, the table of contents and the review's document
//! tree ([`crate::review::doc`]) as Word paragraphs, lists and tables, each figure a
//! native, editable Word chart drawn from its chart specification.
//!
//! Nothing here finds a place by the words of a heading: sections, figures and tables
//! stand where the tree puts them. Heading numbers become Word's own heading numbering
//! when Word would count to the same numbers, so headings stay numbered when someone
//! adds a section; otherwise the template's numbers are kept as text. A link with a
//! label of its own is the label with the address as a footnote; a bare address is a
//! hyperlink.

use std::fmt::Write as _;

use super::styles::StyleIds;
use super::xml::{cell, esc, field, field_begin, field_end, page_break, run, table, Fmt, Para};
use crate::report::control::DocumentControl;
use crate::review::charts::ChartId;
use crate::review::doc::{number_text, Block, Document, Figure, List, Run, Section, Table};
use crate::review::Review;

/// Numbering definitions (numbering.xml) used by the body.
pub const NUM_BULLET: u32 = 901;
pub const NUM_HEADING: u32 = 903;
/// The numbered lists of the review text get their own numbering instances from here
/// on, so each list counts from its own first number.
pub const NUM_TEXT_LISTS: u32 = 910;

/// Text width of an A4 page with 2.5 cm margins, in twips.
pub const TEXT_WIDTH: u32 = 9070;
const EMU_PER_TWIP: u64 = 635;

/// A chart's height against its width.
const CHART_ASPECT: (u64, u64) = (9, 16);
/// … of a column chart whose category names are drawn slanted.
const TALL_CHART_ASPECT: (u64, u64) = (3, 4);

/// What the body refers to outside document.xml.
#[derive(Default)]
pub struct Refs {
    /// (relationship id, chart) of each native chart, in document order.
    pub charts: Vec<(String, ChartId)>,
    /// (relationship id, URL) of each hyperlink in the body.
    pub links: Vec<(String, String)>,
    /// Footnote bodies (inner XML of `w:footnote`), ids from 1.
    pub footnotes: Vec<String>,
    /// (relationship id, URL) of hyperlinks inside footnotes.
    pub footnote_links: Vec<(String, String)>,
    /// Numbered lists of the text: (numbering instance, first number), each a decimal
    /// list that starts at its first number.
    pub lists: Vec<(u32, u64)>,
}

/// The inside of `w:body`, without the final `w:sectPr`.
pub struct Body {
    pub xml: String,
    pub refs: Refs,
}

/// True when Word's numbering of the numbered headings gives exactly the typed numbers.
fn numbering_matches(numbers: &[&Vec<u32>]) -> bool {
    let mut counters = [0u32; 3];
    for n in numbers {
        if n.is_empty() || n.len() > 3 {
            return false;
        }
        let level = n.len() - 1;
        counters[level] += 1;
        for c in counters.iter_mut().skip(level + 1) {
            *c = 0;
        }
        if counters[..=level] != n[..] {
            return false;
        }
    }
    !numbers.is_empty()
}

/// A heading as the document writes it: Word level, text, numbered by Word.
struct Heading {
    level: usize,
    text: String,
    numbered: bool,
    /// The text of its table-of-contents entry.
    entry: String,
}

/// The section's heading, numbered by Word when `auto`.
fn section_heading(s: &Section, auto: bool) -> Heading {
    let level = usize::from(s.level).clamp(1, 3);
    match &s.number {
        Some(n) if auto => Heading {
            level: n.len().clamp(1, 3),
            text: s.title.clone(),
            numbered: true,
            entry: format!("{} {}", number_text(n), s.title),
        },
        _ => Heading {
            level,
            text: s.heading(),
            numbered: false,
            entry: s.heading(),
        },
    }
}

/// Builds the document body.
pub struct Writer<'a> {
    report: &'a Review,
    doc: &'a Document,
    s: &'a StyleIds,
    xml: String,
    refs: Refs,
    bookmarks: u32,
    drawings: u32,
    figures: u32,
    tables: u32,
    /// Width of the text, in EMU.
    text_width: u64,
    /// Cell paragraphs keep with the next row: a short table is not split over pages.
    keep_rows: bool,
}

impl<'a> Writer<'a> {
    pub fn new(report: &'a Review, styles: &'a StyleIds, text_width_twips: u32) -> Self {
        Writer {
            report,
            doc: &report.doc,
            s: styles,
            xml: String::new(),
            refs: Refs::default(),
            bookmarks: 0,
            drawings: 0,
            figures: 0,
            tables: 0,
            text_width: u64::from(text_width_twips.min(TEXT_WIDTH)) * EMU_PER_TWIP,
            keep_rows: false,
        }
    }

    fn push(&mut self, xml: &str) {
        self.xml.push_str(xml);
    }

    /// A paragraph's runs: emphasis and strong as italic and bold, a labelled link as
    /// its label with a footnote giving the address, a bare address as a hyperlink.
    fn runs(&mut self, runs: &[Run], base: Fmt<'_>) -> String {
        let mut out = String::new();
        for r in runs {
            match r {
                Run::Text(t) => out.push_str(&run(t, base)),
                Run::Emphasis(t) => out.push_str(&run(
                    t,
                    Fmt {
                        italic: true,
                        ..base
                    },
                )),
                Run::Strong(t) => out.push_str(&run(t, Fmt { bold: true, ..base })),
                Run::Link { text, url } if text == url => {
                    out.push_str(&self.hyperlink(text, url));
                }
                Run::Link { text, url } => {
                    out.push_str(&run(text, base));
                    out.push_str(&self.footnote(text, url));
                }
                Run::FigureRef(c) => out.push_str(&run(&self.doc.figure_ref(*c), base)),
            }
        }
        out
    }

    fn paragraph(&mut self, runs: &[Run]) {
        let content = self.runs(runs, Fmt::default());
        self.push(&Para::default().with(&content));
    }

    fn hyperlink(&mut self, text: &str, url: &str) -> String {
        let id = format!("rIdLink{}", self.refs.links.len() + 1);
        self.refs.links.push((id.clone(), url.to_string()));
        let fmt = Fmt {
            style: Some(&self.s.hyperlink),
            ..Fmt::default()
        };
        format!(
            "<w:hyperlink r:id=\"{id}\" w:history=\"1\">{}</w:hyperlink>",
            run(text, fmt)
        )
    }

    fn footnote(&mut self, label: &str, url: &str) -> String {
        let id = self.refs.footnotes.len() + 1;
        let link_id = format!("rIdFootLink{}", self.refs.footnote_links.len() + 1);
        self.refs
            .footnote_links
            .push((link_id.clone(), url.to_string()));
        let link = Fmt {
            style: Some(&self.s.hyperlink),
            ..Fmt::default()
        };
        let body = Para::style(&self.s.footnote_text).with(&format!(
            "<w:r><w:rPr><w:rStyle w:val=\"{}\"/></w:rPr><w:footnoteRef/></w:r>{}<w:hyperlink r:id=\"{link_id}\" w:history=\"1\">{}</w:hyperlink>",
            esc(&self.s.footnote_ref),
            run(&format!(" {label}, "), Fmt::default()),
            run(url, link)
        ));
        self.refs.footnotes.push(body);
        format!(
            "<w:r><w:rPr><w:rStyle w:val=\"{}\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>",
            esc(&self.s.footnote_ref)
        )
    }

    fn heading(&mut self, level: usize, text: &str, numbered: bool, page_break: bool) {
        self.bookmarks += 1;
        let name = format!("_Toc{:08}", self.bookmarks);
        let para = Para {
            style: Some(&self.s.heading[level.clamp(1, 3) - 1]),
            page_break_before: page_break,
            num: Some(if numbered {
                (NUM_HEADING, level as u32 - 1)
            } else {
                (0, 0)
            }),
            ..Para::default()
        };
        let content = format!(
            "<w:bookmarkStart w:id=\"{}\" w:name=\"{name}\"/>{}<w:bookmarkEnd w:id=\"{}\"/>",
            self.bookmarks,
            run(text, Fmt::default()),
            self.bookmarks
        );
        self.push(&para.with(&content));
    }

    /// A list: bullets, or a numbered list counting from its own first number; items
    /// of a nested list one level in, with bullets.
    fn list(&mut self, list: &List) {
        let numbered = list.start.map(|first| {
            let id = NUM_TEXT_LISTS + self.refs.lists.len() as u32;
            self.refs.lists.push((id, first));
            id
        });
        for item in &list.items {
            let num = match (numbered, item.depth) {
                (Some(id), 0) => (id, 0),
                (_, depth) => (NUM_BULLET, u32::from(depth.min(2))),
            };
            let para = Para {
                style: Some(&self.s.list),
                num: Some(num),
                ..Para::default()
            };
            let content = self.runs(&item.runs, Fmt::default());
            self.push(&para.with(&content));
        }
    }

    /// A table of the tree: "Tabell N. caption" above it, the header row in bold and
    /// repeated on each page, numbers right-aligned, status and risk levels in their
    /// traffic-light colours; the first column wider when there are several.
    fn table(&mut self, t: &Table) {
        if t.form {
            self.form(&t.head);
            return;
        }
        if let Some(caption) = &t.caption {
            self.tables += 1;
            let n = self.tables;
            self.caption("Tabell", n, caption, true);
        }
        let columns = t
            .head
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1) as u32;
        let total = (self.text_width / EMU_PER_TWIP) as u32;
        let widths: Vec<u32> = if columns > 2 {
            column_widths(t, columns as usize, total)
        } else {
            vec![total / columns; columns as usize]
        };
        let numeric: Vec<bool> = (0..columns as usize)
            .map(|i| {
                t.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .any(|c| c.value.is_numeric())
            })
            .collect();
        // A short table (a risk matrix, counts per kind) stays on one page with its
        // caption; a long one (the KPI table) may run on, its header repeated.
        const SHORT_TABLE_ROWS: usize = 15;
        self.keep_rows = t.rows.len() <= SHORT_TABLE_ROWS;
        let mut rows = Vec::new();
        if !t.head.is_empty() {
            rows.push(
                (0..columns as usize)
                    .map(|i| {
                        let text = t.head.get(i).map(String::as_str).unwrap_or("");
                        self.cell_text(widths[i], text, Fmt::bold(), None, numeric[i])
                    })
                    .collect(),
            );
        }
        for (n, r) in t.rows.iter().enumerate() {
            if n + 1 == t.rows.len() {
                self.keep_rows = false;
            }
            rows.push(
                (0..columns as usize)
                    .map(|i| match r.get(i) {
                        Some(c) => {
                            let (fill, color) = match c.tone {
                                Some(tone) => {
                                    let (fill, text) = tone.colors();
                                    (Some(fill), Some(text))
                                }
                                None => (None, None),
                            };
                            let fmt = Fmt {
                                bold: color.is_some(),
                                color,
                                ..Fmt::default()
                            };
                            self.cell_text(
                                widths[i],
                                &c.value.display(),
                                fmt,
                                fill,
                                // A column of figures is right-aligned throughout, its
                                // signed changes ("+6,8 p.e.") too.
                                c.value.is_numeric() || numeric[i],
                            )
                        }
                        None => self.cell_text(widths[i], "", Fmt::default(), None, false),
                    })
                    .collect(),
            );
        }
        self.keep_rows = false;
        let header_rows = usize::from(!t.head.is_empty());
        let xml = table(&self.s.table, &widths, header_rows, &rows);
        self.push(&xml);
        self.push(&Para::default().with(""));
    }

    fn caption(&mut self, label: &str, n: u32, text: &str, keep_next: bool) {
        let para = Para {
            style: Some(&self.s.caption),
            keep_next,
            ..Para::default()
        };
        let content = format!(
            "{}{}{}",
            run(&format!("{label} "), Fmt::default()),
            field(
                &format!("SEQ {label} \\* ARABIC"),
                &n.to_string(),
                Fmt::default()
            ),
            run(&format!(". {text}"), Fmt::default())
        );
        self.push(&para.with(&content));
    }

    /// A native Word chart (its part written by the package) with "Figur N. caption"
    /// below it.
    fn figure(&mut self, figure: &Figure) {
        self.figures += 1;
        self.drawings += 1;
        let n = self.figures;
        let rid = format!("rIdChart{n}");
        self.refs.charts.push((rid.clone(), figure.chart));
        let cx = self.text_width;
        // Columns under long category names: the names are drawn slanted and take the
        // height the columns need, so the chart is taller.
        let slanted = self.report.chart(figure.chart).is_some_and(|spec| {
            spec.kind == crate::review::charts::ChartKind::Column
                && spec.categories.iter().any(|c| c.chars().count() > 10)
        });
        let aspect = if slanted {
            TALL_CHART_ASPECT
        } else {
            CHART_ASPECT
        };
        let cy = cx * aspect.0 / aspect.1;
        let id = self.drawings;
        let descr = esc(&format!("Figur {n}. {}", figure.caption));
        let drawing = format!(
            "<w:r><w:rPr><w:noProof/><w:lang w:val=\"sv-SE\"/></w:rPr><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{id}\" name=\"Diagram {n}\" descr=\"{descr}\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"{rid}\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        );
        let para = Para {
            keep_next: true,
            spacing: Some("w:before=\"120\" w:after=\"0\""),
            jc: Some("center"),
            ..Para::default()
        };
        self.push(&para.with(&drawing));
        self.caption("Figur", n, &figure.caption, false);
    }

    pub fn finish(self) -> Body {
        Body {
            xml: self.xml,
            refs: self.refs,
        }
    }
}

impl Writer<'_> {
    fn cell_text(
        &self,
        width: u32,
        text: &str,
        fmt: Fmt<'_>,
        fill: Option<&str>,
        right: bool,
    ) -> String {
        let para = Para {
            spacing: Some("w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\""),
            jc: right.then_some("right"),
            keep_next: self.keep_rows,
            ..Para::default()
        };
        cell(width, fill, &para.with(&run(text, fmt)))
    }

    /// Title page: title, unit, year and the document control (the two roles, author,
    /// version, diarienummer, distribution, date). No header or footer.
    pub fn title_page(&mut self, title: &str, control: &DocumentControl) {
        let r = self.report;
        let styles = self.s;
        self.push(&Para::style(&styles.title).with(&run(title, Fmt::default())));
        self.push(&Para::style(&styles.subtitle).with(&run(
            "Informationssäkerhet och dataskydd enligt ISO/IEC 27001 avsnitt 9.3",
            Fmt::default(),
        )));
        let widths = [3600, 5400];
        let mut lines: Vec<(&str, String)> = vec![
            ("Förvaltning", r.unit.clone()),
            ("År som genomgången avser", r.year.to_string()),
        ];
        lines.extend(control.rows());
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|(label, value)| {
                vec![
                    self.cell_text(widths[0], label, Fmt::bold(), None, false),
                    self.cell_text(widths[1], value, Fmt::default(), None, false),
                ]
            })
            .collect();
        // The table style's header row is switched off (no header rows), so this is a
        // plain grid of label and value.
        let xml = table(&self.s.table, &widths, 0, &rows);
        self.push(&xml);
        self.push(&page_break());
    }

    /// "Innehåll" and a TOC field whose cached entries already list the headings, so the
    /// document reads right before Word updates the field.
    pub fn toc(&mut self, entries: &[(usize, String, String)]) {
        let styles = self.s;
        let heading = Para::style(&styles.toc_heading);
        self.push(&heading.with(&run("Innehåll", Fmt::default())));
        let instruction = "TOC \\o \"1-3\" \\h \\z \\u";
        if entries.is_empty() {
            let content = format!(
                "{}{}",
                field_begin(instruction, Fmt::default()),
                run(
                    "Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen.",
                    Fmt::default()
                )
            ) + &field_end(Fmt::default());
            self.push(&Para::default().with(&content));
        }
        for (i, (level, text, bookmark)) in entries.iter().enumerate() {
            let mut content = String::new();
            if i == 0 {
                content.push_str(&field_begin(instruction, Fmt::default()));
            }
            let _ = write!(
                content,
                "<w:hyperlink w:anchor=\"{bookmark}\" w:history=\"1\">{}{}</w:hyperlink>",
                run(&format!("{text}\t"), Fmt::default()),
                field(&format!("PAGEREF {bookmark} \\h"), "", Fmt::default())
            );
            if i + 1 == entries.len() {
                content.push_str(&field_end(Fmt::default()));
            }
            let para = Para::style(&self.s.toc[(*level).clamp(1, 3) - 1]);
            self.push(&para.with(&content));
        }
        self.push(&page_break());
    }

    /// The decision and signature rows with empty cells to fill in by hand.
    fn form(&mut self, labels: &[String]) {
        let widths = [2200, 6800];
        // The form is signed as one piece: every row keeps with the next, so it never
        // splits over a page and leaves the signature rows alone on the next one.
        let rows: Vec<Vec<String>> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let lines = match label.as_str() {
                    "Beslut" => 3,
                    "Underskrift, förvaltningschef" => 2,
                    _ => 1,
                };
                let keep = i + 1 < labels.len();
                self.keep_rows = keep;
                let empty = Para {
                    keep_next: keep,
                    ..Para::default()
                }
                .with("")
                .repeat(lines);
                vec![
                    self.cell_text(widths[0], label, Fmt::bold(), Some("F2F2F2"), false),
                    cell(widths[1], None, &empty),
                ]
            })
            .collect();
        self.keep_rows = false;
        let xml = table(&self.s.table, &widths, 0, &rows);
        self.push(&xml);
        self.push(&Para::default().with(""));
    }
}

/// Writes the whole body.
pub fn write(
    report: &Review,
    styles: &StyleIds,
    text_width: u32,
    control: &DocumentControl,
) -> Body {
    let mut w = Writer::new(report, styles, text_width);
    let doc = &report.doc;
    let title = if doc.title.is_empty() {
        format!("Ledningens genomgång {} – {}", report.year, report.unit)
    } else {
        doc.title.clone()
    };
    w.title_page(&title, control);

    let numbers: Vec<&Vec<u32>> = doc
        .sections
        .iter()
        .filter_map(|s| s.number.as_ref())
        .collect();
    let auto = numbering_matches(&numbers);
    // Table of contents entries in document order, with the bookmarks the headings get
    // (the writer numbers bookmarks in the order headings are written).
    let mut entries: Vec<(usize, String)> = Vec::new();
    for s in &doc.sections {
        if !s.title.is_empty() {
            let h = section_heading(s, auto);
            entries.push((h.level, h.entry));
        }
        for b in &s.blocks {
            if let Block::Heading(runs) = b {
                entries.push((
                    (usize::from(s.level) + 1).min(3),
                    doc.plain(runs, crate::review::doc::LinkText::Label),
                ));
            }
        }
    }
    let toc: Vec<(usize, String, String)> = entries
        .into_iter()
        .enumerate()
        .map(|(i, (level, text))| (level, text, format!("_Toc{:08}", i + 1)))
        .collect();
    w.toc(&toc);

    let mut first = true;
    for s in &doc.sections {
        if !s.title.is_empty() {
            let h = section_heading(s, auto);
            // A page break only where the tree asks for one (after the decision page, before
            // the appendix): a chapter that starts a page of its own leaves the page
            // before it mostly empty. The first section follows the contents' page break.
            let page = !first && s.page_break;
            w.heading(h.level, &h.text, h.numbered, page);
            first = false;
        }
        for b in &s.blocks {
            match b {
                Block::Paragraph(runs) => w.paragraph(runs),
                Block::Heading(runs) => {
                    let level = (usize::from(s.level) + 1).min(3);
                    let text = doc.plain(runs, crate::review::doc::LinkText::Label);
                    w.heading(level, &text, false, false);
                }
                Block::List(list) => w.list(list),
                Block::Table(t) => w.table(t),
                Block::Figure(f) => w.figure(f),
            }
        }
    }
    w.finish()
}

/// Twips a character of 10 pt Carlito/Calibri takes, with room for bold and padding.
const TWIPS_PER_CHAR: u32 = 115;

/// Widths of a table of three or more columns: every column after the first as wide as
/// its longest value (a "Uppgift saknas" on one line) and its header's longest word (a
/// header wraps between words, never inside one); the first column, the labels, takes
/// the rest but at least 30 %. When the figures need more, they shrink in proportion.
fn column_widths(t: &Table, columns: usize, total: u32) -> Vec<u32> {
    let chars = |s: &str| s.chars().count() as u32;
    let need: Vec<u32> = (1..columns)
        .map(|i| {
            let head = t
                .head
                .get(i)
                .map(|h| h.split_whitespace().map(chars).max().unwrap_or(0))
                .unwrap_or(0);
            let cells = t
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| chars(&c.value.display()))
                .max()
                .unwrap_or(0);
            (head.max(cells) + 2) * TWIPS_PER_CHAR
        })
        .collect();
    let floor = total * 30 / 100;
    let wanted: u32 = need.iter().sum();
    let room = total - floor;
    let rest: Vec<u32> = if wanted <= room {
        need
    } else {
        need.iter()
            .map(|n| (u64::from(*n) * u64::from(room) / u64::from(wanted.max(1))) as u32)
            .collect()
    };
    let first = total - rest.iter().sum::<u32>();
    std::iter::once(first).chain(rest).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_column_fits_its_longest_value_and_header_word() {
        use crate::review::doc::{Cell, Value};
        let t = Table {
            caption: None,
            head: ["Nyckeltal", "2025", "Status", "Personuppgiftsincidenter"]
                .map(String::from)
                .to_vec(),
            rows: vec![vec![
                Cell::text("Antal medarbetare"),
                Cell::new(Value::Unknown),
                Cell::text("Uppgift saknas"),
                Cell::new(Value::Number(21.0)),
            ]],
            form: false,
        };
        let w = column_widths(&t, 4, 9070);
        assert_eq!(w.iter().sum::<u32>(), 9070);
        assert!(w[2] >= 14 * TWIPS_PER_CHAR, "{w:?}");
        assert!(w[3] >= 24 * TWIPS_PER_CHAR, "{w:?}");
        assert!(w[0] >= 9070 * 30 / 100, "{w:?}");
    }

    #[test]
    fn word_numbering_matches_typed_numbers() {
        let ok: Vec<Vec<u32>> = vec![
            vec![1],
            vec![2],
            vec![2, 1],
            vec![3],
            vec![3, 1],
            vec![3, 2],
            vec![4],
        ];
        assert!(numbering_matches(&ok.iter().collect::<Vec<_>>()));
        let bad: Vec<Vec<u32>> = vec![vec![1], vec![1, 2]];
        assert!(!numbering_matches(&bad.iter().collect::<Vec<_>>()));
    }
}
