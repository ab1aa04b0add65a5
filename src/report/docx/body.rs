//! `word/document.xml`: the title page, the table of contents, the decision page, the
//! review text in the example report's structure, and — placed in the sections they
//! belong to — the KPI table and the charts; then the sources the text cites and the
//! data-quality appendix.
//!
//! The review text is [`Review::text`], the same blocks the Rapport sheet and the .md
//! are written from. Heading numbers typed in the text ("2.1 Omvärldsbevakning") become
//! Word's own heading numbering when Word would count to the same numbers, so headings
//! stay numbered when someone adds a section; otherwise the typed numbers are kept.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::styles::StyleIds;
use super::xml::{cell, esc, field, field_begin, field_end, page_break, run, table, Fmt, Para};
use crate::kpi::{Kpi, Status};
use crate::model::Severity;
use crate::report::png::{ChartImage, CATEGORY_FILE, MONTH_FILE, RISK_FILE, TRAINING_FILE};
use crate::review::text::format_value;
use crate::review::{Block, Review};
use crate::schema::ValueKind;

/// Numbering definitions (numbering.xml) used by the body.
pub const NUM_BULLET: u32 = 901;
pub const NUM_DECISION: u32 = 902;
pub const NUM_HEADING: u32 = 903;
pub const NUM_SOURCES: u32 = 904;
/// The numbered lists of the review text get their own numbering instances from here
/// on, so each list counts from its own first number.
pub const NUM_TEXT_LISTS: u32 = 910;

/// Text width of an A4 page with 2.5 cm margins, in twips.
pub const TEXT_WIDTH: u32 = 9070;
const EMU_PER_TWIP: u64 = 635;

/// Names and date for the title page.
pub struct TitlePage<'a> {
    pub isam: Option<&'a str>,
    pub dso: Option<&'a str>,
    pub date: NaiveDate,
}

/// What the body refers to outside document.xml.
#[derive(Default)]
pub struct Refs {
    /// (relationship id, part name, bytes) of each image.
    pub images: Vec<(String, String, Vec<u8>)>,
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

/// Where an element is placed: the section whose heading contains one of these words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Anchor {
    Happened,
    Risks,
    Incidents,
    Decision,
}

fn anchor_of(heading: &str) -> Option<Anchor> {
    let h = heading.to_lowercase();
    if h.contains("förslag till beslut") {
        Some(Anchor::Decision)
    } else if h.contains("har hänt") {
        Some(Anchor::Happened)
    } else if h.contains("avvikelse") || h.contains("incident") {
        Some(Anchor::Incidents)
    } else if h.contains("risk") {
        Some(Anchor::Risks)
    } else {
        None
    }
}

/// A heading number typed at the start of a heading ("2.1 Omvärld" → [2, 1], "Omvärld").
/// Years ("2026") are not heading numbers.
fn typed_number(text: &str) -> Option<(Vec<u32>, &str)> {
    let (number, rest) = text.split_once(char::is_whitespace)?;
    let number = number.trim_end_matches('.');
    let parts: Option<Vec<u32>> = number
        .split('.')
        .map(|p| {
            (!p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let parts = parts?;
    let rest = rest.trim_start();
    (!parts.is_empty() && parts.len() <= 3 && !rest.is_empty()).then_some((parts, rest))
}

/// True when Word's numbering of the numbered headings gives exactly the typed numbers.
fn numbering_matches(numbers: &[Vec<u32>]) -> bool {
    let mut counters = [0u32; 3];
    for n in numbers {
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

/// One heading of the review text as the document writes it.
struct Heading {
    /// Word level 1–3.
    level: usize,
    /// Text without the typed number when Word numbers it.
    text: String,
    /// Word numbers it.
    numbered: bool,
    /// The number Word shows, for the cached table of contents.
    shown: Option<String>,
    anchor: Option<Anchor>,
}

/// Plans the headings of the text blocks (index of block → heading).
fn plan_headings(blocks: &[Block]) -> Vec<Option<Heading>> {
    let typed: Vec<Option<(Vec<u32>, &str)>> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading2(t) | Block::Heading3(t) => typed_number(t),
            _ => None,
        })
        .collect();
    let numbers: Vec<Vec<u32>> = typed.iter().flatten().map(|(n, _)| n.clone()).collect();
    let auto = numbering_matches(&numbers);
    let mut last_numbered_level = 0usize;
    blocks
        .iter()
        .zip(&typed)
        .map(|(b, typed)| {
            let (text, is_h2) = match b {
                Block::Heading2(t) => (t, true),
                Block::Heading3(t) => (t, false),
                _ => return None,
            };
            let heading = match typed {
                Some((n, rest)) => {
                    last_numbered_level = n.len();
                    let shown = n
                        .iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(".");
                    Heading {
                        level: n.len(),
                        text: if auto { rest.to_string() } else { text.clone() },
                        numbered: auto,
                        shown: auto.then_some(shown),
                        anchor: anchor_of(text),
                    }
                }
                None => {
                    let level = if is_h2 {
                        last_numbered_level = 0;
                        1
                    } else {
                        (last_numbered_level + 1).clamp(2, 3)
                    };
                    Heading {
                        level,
                        text: text.clone(),
                        numbered: false,
                        shown: None,
                        anchor: anchor_of(text),
                    }
                }
            };
            Some(heading)
        })
        .collect()
}

/// Builds the document body.
pub struct Writer<'a> {
    report: &'a Review,
    s: &'a StyleIds,
    xml: String,
    refs: Refs,
    bookmarks: u32,
    drawings: u32,
    figures: u32,
    tables: u32,
    /// Width available for images, in EMU.
    image_width: u64,
    /// The links the Markdown gave a label: (label, URL).
    labelled: Labelled,
}

impl<'a> Writer<'a> {
    pub fn new(report: &'a Review, styles: &'a StyleIds, text_width_twips: u32) -> Self {
        Writer {
            labelled: labelled_links(&report.markdown),
            report,
            s: styles,
            xml: String::new(),
            refs: Refs::default(),
            bookmarks: 0,
            drawings: 0,
            figures: 0,
            tables: 0,
            image_width: u64::from(text_width_twips.min(TEXT_WIDTH)) * EMU_PER_TWIP,
        }
    }

    fn push(&mut self, xml: &str) {
        self.xml.push_str(xml);
    }

    fn paragraph(&mut self, text: &str) {
        let content = self.inline(text, Fmt::default());
        self.push(&Para::default().with(&content));
    }

    /// Text with its links: a Markdown link `[label](url)`, which the text blocks give
    /// as "label (url)", becomes the label with a footnote giving the address; a bare
    /// address becomes a hyperlink.
    fn inline(&mut self, text: &str, fmt: Fmt<'_>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let link = find_link(rest, &self.labelled);
            let Some((start, end, label, url)) = link else {
                out.push_str(&run(rest, fmt));
                break;
            };
            out.push_str(&run(&rest[..start], fmt));
            match label {
                Some(label) => {
                    out.push_str(&run(label, fmt));
                    out.push_str(&self.footnote(label, url));
                }
                None => out.push_str(&self.hyperlink(url, url)),
            }
            rest = &rest[end..];
        }
        out
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

    fn bullet(&mut self, text: &str, bold_title: bool) {
        let para = Para {
            style: Some(&self.s.list),
            num: Some((NUM_BULLET, 0)),
            ..Para::default()
        };
        let content = match text
            .split_once(": ")
            .filter(|(t, _)| bold_title && t.len() < 80)
        {
            Some((title, rest)) => format!(
                "{}{}",
                run(&format!("{title}: "), Fmt::bold()),
                self.inline(rest, Fmt::default())
            ),
            None => self.inline(text, Fmt::default()),
        };
        self.push(&para.with(&content));
    }

    fn numbered(&mut self, num: u32, text: &str) {
        let para = Para {
            style: Some(&self.s.list),
            num: Some((num, 0)),
            ..Para::default()
        };
        let content = self.inline(text, Fmt::default());
        self.push(&para.with(&content));
    }

    /// A numbering instance for a numbered list of the text that starts at `first`.
    fn new_list(&mut self, first: u64) -> u32 {
        let id = NUM_TEXT_LISTS + self.refs.lists.len() as u32;
        self.refs.lists.push((id, first));
        id
    }

    /// A table of the text (from a section file's Markdown): the header row in bold and
    /// repeated on each page, the columns sharing the text width.
    fn text_table(&mut self, head: &[String], rows: &[Vec<String>]) {
        let columns = head
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let width = (self.image_width / EMU_PER_TWIP) as u32 / columns as u32;
        let widths = vec![width; columns];
        let cells = |w: &Self, row: &[String], fmt: Fmt<'_>| -> Vec<String> {
            (0..columns)
                .map(|i| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    w.cell_text(width, text, fmt, None, false)
                })
                .collect()
        };
        let mut table_rows = Vec::new();
        if !head.is_empty() {
            table_rows.push(cells(self, head, Fmt::bold()));
        }
        for row in rows {
            table_rows.push(cells(self, row, Fmt::default()));
        }
        let header_rows = usize::from(!head.is_empty());
        let xml = table(&self.s.table, &widths, header_rows, &table_rows);
        self.push(&xml);
        self.push(&Para::default().with(""));
    }

    /// "Tabell N. text" above a table, with a SEQ field so Word can list the tables.
    fn table_caption(&mut self, text: &str) {
        self.tables += 1;
        let n = self.tables;
        self.caption("Tabell", n, text, true);
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

    /// A chart as an inline picture with "Figur N. caption" below it.
    fn figure(&mut self, image: &ChartImage, caption: &str) {
        self.figures += 1;
        self.drawings += 1;
        let n = self.figures;
        let rid = format!("rIdImg{n}");
        let part = format!("word/media/figur{n}.png");
        self.refs
            .images
            .push((rid.clone(), part, image.png.clone()));
        let cx = self.image_width;
        let cy = cx * u64::from(image.height) / u64::from(image.width.max(1));
        let id = self.drawings;
        let descr = esc(&format!("Figur {n}. {caption}"));
        let drawing = format!(
            "<w:r><w:rPr><w:noProof/><w:lang w:val=\"sv-SE\"/></w:rPr><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{id}\" name=\"Figur {n}\" descr=\"{descr}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"figur{n}.png\" descr=\"{descr}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        );
        let para = Para {
            keep_next: true,
            spacing: Some("w:before=\"120\" w:after=\"0\""),
            jc: Some("center"),
            ..Para::default()
        };
        self.push(&para.with(&drawing));
        self.caption("Figur", n, caption, false);
    }

    pub fn finish(self) -> Body {
        Body {
            xml: self.xml,
            refs: self.refs,
        }
    }
}

/// The links of the review's Markdown that have a label of their own: (label, URL), in
/// order. The text blocks write such a link as "label (url)" (review::text::to_blocks);
/// knowing the pairs, the document can give the label with the address as a footnote.
pub fn labelled_links(markdown: &str) -> Labelled {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: std::collections::HashSet<(String, String)> = Default::default();
    let mut open: Vec<(String, String)> = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open.push((String::new(), dest_url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((label, url)) = open.pop() {
                    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !label.is_empty()
                        && label != url
                        && seen.insert((label.clone(), url.clone()))
                    {
                        out.push((label, url));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((label, _)) = open.last_mut() {
                    label.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((label, _)) = open.last_mut() {
                    label.push(' ');
                }
            }
            _ => {}
        }
    }
    Labelled::new(out)
}

/// The labelled links of a text, (label, URL) in order, indexed by URL so that finding
/// the links of a text takes time in proportion to the text, not to text × links.
#[derive(Debug, Clone, Default)]
pub struct Labelled {
    pairs: Vec<(String, String)>,
    by_url: std::collections::HashMap<String, Vec<usize>>,
    /// Longest label in bytes and longest URL in characters: how far to look.
    max_label: usize,
    max_url_chars: usize,
}

impl Labelled {
    fn new(pairs: Vec<(String, String)>) -> Labelled {
        let mut by_url: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, (_, url)) in pairs.iter().enumerate() {
            by_url.entry(url.clone()).or_default().push(i);
        }
        Labelled {
            max_label: pairs.iter().map(|(l, _)| l.len()).max().unwrap_or(0),
            max_url_chars: pairs
                .iter()
                .map(|(_, u)| u.chars().count())
                .max()
                .unwrap_or(0),
            by_url,
            pairs,
        }
    }
}

impl std::ops::Deref for Labelled {
    type Target = [(String, String)];
    fn deref(&self) -> &Self::Target {
        &self.pairs
    }
}

impl PartialEq<Vec<(String, String)>> for Labelled {
    fn eq(&self, other: &Vec<(String, String)>) -> bool {
        &self.pairs == other
    }
}

/// The first link in `text`: (start, end, label for a labelled link, URL). A labelled
/// link is one of `labelled` written "label (url)"; a bare address is any http(s) URL.
fn find_link<'t>(
    text: &'t str,
    labelled: &Labelled,
) -> Option<(usize, usize, Option<&'t str>, &'t str)> {
    let bare = first_bare_link(text);
    // A labelled link starts before its "(": none can start before the bare address
    // once the "(" lies further on than the longest label.
    let limit = bare
        .map(|(start, ..)| start + labelled.max_label + 2)
        .unwrap_or(text.len());
    let mut with_label = None;
    if !labelled.by_url.is_empty() {
        for (open, _) in text.match_indices('(') {
            if open > limit {
                break;
            }
            let after = &text[open + 1..];
            let Some(close) = after
                .char_indices()
                .take(labelled.max_url_chars + 1)
                .find(|(_, c)| *c == ')')
                .map(|(i, _)| i)
            else {
                continue;
            };
            let url = &after[..close];
            let Some(indices) = labelled.by_url.get(url) else {
                continue;
            };
            let Some(before) = text[..open].strip_suffix(' ') else {
                continue;
            };
            let label = indices
                .iter()
                .map(|&i| labelled.pairs[i].0.as_str())
                .filter(|l| before.ends_with(l))
                .max_by_key(|l| l.len());
            if let Some(label) = label {
                let start = before.len() - label.len();
                with_label = Some((
                    start,
                    open + 1 + close + 1,
                    Some(&text[start..before.len()]),
                    url,
                ));
                break;
            }
        }
    }
    match (with_label, bare) {
        (Some(m), Some(b)) => Some(if m.0 <= b.0 { m } else { b }),
        (m, b) => m.or(b),
    }
}

/// The first bare http(s) address in `text`, without trailing punctuation.
fn first_bare_link(text: &str) -> Option<(usize, usize, Option<&str>, &str)> {
    let mut from = 0;
    let start = loop {
        let at = from + text[from..].find("http")?;
        let rest = &text[at..];
        if rest.starts_with("https://") || rest.starts_with("http://") {
            break at;
        }
        from = at + "http".len();
    };
    let len = text[start..]
        .find(|c: char| c.is_whitespace() || c == ')' || c == ']')
        .unwrap_or(text.len() - start);
    let mut end = start + len;
    while text[..end].ends_with(['.', ',', ';', ':']) {
        end -= 1;
    }
    Some((start, end, None, &text[start..end])).filter(|(s, e, ..)| e - s > "https://".len())
}

/// Every link the text cites, in order of first mention: (label or URL, URL).
pub fn cited_links(blocks: &[Block], labelled: &Labelled) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = Default::default();
    for b in blocks {
        let (Block::Paragraph(t) | Block::Bullet(t) | Block::Numbered(_, t)) = b else {
            continue;
        };
        let mut rest = t.as_str();
        while let Some((_, end, label, url)) = find_link(rest, labelled) {
            if seen.insert(url) {
                out.push((label.unwrap_or(url).to_string(), url.to_string()));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// "+8", "−3", "+5 p.e." or "–".
fn change_text(k: &Kpi) -> String {
    match k.change() {
        None => "–".to_string(),
        Some(c) => {
            let (number, unit) = match k.kind {
                ValueKind::Rate => ((c * 100.0).round() as i64, " p.e."),
                ValueKind::Count => (c.round() as i64, ""),
            };
            let sign = match number.signum() {
                1 => "+",
                -1 => "−",
                _ => "±",
            };
            format!("{sign}{}{unit}", number.abs())
        }
    }
}

fn value_text(v: Option<f64>, kind: ValueKind) -> String {
    v.map(|x| format_value(x, kind))
        .unwrap_or_else(|| "–".to_string())
}

/// Fill and text colour of a status cell (the workbook's traffic-light colours).
fn status_colors(status: Status) -> (Option<&'static str>, Option<&'static str>) {
    match status {
        Status::Good => (Some("C6EFCE"), Some("006100")),
        Status::Warning => (Some("FFEB9C"), Some("9C5700")),
        Status::Bad => (Some("FFC7CE"), Some("9C0006")),
        Status::Info => (None, None),
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
            ..Para::default()
        };
        cell(width, fill, &para.with(&run(text, fmt)))
    }

    fn header_row(&self, widths: &[u32], labels: &[&str]) -> Vec<String> {
        widths
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (w, l))| self.cell_text(*w, l, Fmt::bold(), None, i > 0))
            .collect()
    }

    /// Tabell: every KPI this year, last year, change, target and status.
    pub fn kpi_table(&mut self) {
        let r = self.report;
        self.table_caption(&format!("Nyckeltal {} jämfört med {}", r.year, r.year - 1));
        let widths = [3170, 900, 900, 1400, 1000, 1100];
        let year = r.year.to_string();
        let prev = (r.year - 1).to_string();
        let mut rows = vec![self.header_row(
            &widths,
            &["Nyckeltal", &year, &prev, "Förändring", "Mål", "Status"],
        )];
        for k in &r.kpis {
            let (fill, color) = status_colors(k.status);
            let status_fmt = Fmt {
                bold: color.is_some(),
                color,
                ..Fmt::default()
            };
            let value = match k.value {
                Some(v) => format_value(v, k.kind),
                None => "– (uppgift saknas)".to_string(),
            };
            rows.push(vec![
                self.cell_text(widths[0], &k.label, Fmt::default(), None, false),
                self.cell_text(widths[1], &value, Fmt::default(), None, true),
                self.cell_text(
                    widths[2],
                    &value_text(k.previous, k.kind),
                    Fmt::default(),
                    None,
                    true,
                ),
                self.cell_text(widths[3], &change_text(k), Fmt::default(), None, true),
                self.cell_text(
                    widths[4],
                    &value_text(k.target, k.kind),
                    Fmt::default(),
                    None,
                    true,
                ),
                self.cell_text(widths[5], k.status.label(), status_fmt, fill, true),
            ]);
        }
        let xml = table(&self.s.table, &widths, 1, &rows);
        self.push(&xml);
        let note = Para {
            style: Some(&self.s.caption),
            ..Para::default()
        };
        self.push(&note.with(&run(
            "Status: Grön = målet nås, Gul = nära målet, Röd = målet nås inte, Info = inget mål. Förändring för andelar i procentenheter (p.e.). Mål och gränser anges i genomgang.toml.",
            Fmt::default(),
        )));
    }

    /// Title page: title, unit, year, the two roles, the date. No header or footer.
    pub fn title_page(&mut self, title: &str, page: &TitlePage<'_>) {
        let r = self.report;
        let styles = self.s;
        self.push(&Para::style(&styles.title).with(&run(title, Fmt::default())));
        self.push(&Para::style(&styles.subtitle).with(&run(
            "Informationssäkerhet och dataskydd enligt ISO/IEC 27001 avsnitt 9.3",
            Fmt::default(),
        )));
        let widths = [3600, 5400];
        let date = page.date.format("%Y-%m-%d").to_string();
        let year = r.year.to_string();
        let lines: [(&str, &str); 5] = [
            ("Förvaltning", r.unit.as_str()),
            ("År som genomgången avser", &year),
            ("Informationssäkerhetssamordnare", page.isam.unwrap_or("")),
            ("Dataskyddsombud", page.dso.unwrap_or("")),
            ("Datum", &date),
        ];
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

    /// "Beslut / Datum / Namn" with empty cells to fill in by hand.
    fn decision_block(&mut self) {
        let widths = [2200, 6800];
        let rows: Vec<Vec<String>> = [("Beslut", 3), ("Datum", 1), ("Namn", 1)]
            .iter()
            .map(|(label, lines)| {
                let empty = Para::default().with("").repeat(*lines);
                vec![
                    self.cell_text(widths[0], label, Fmt::bold(), Some("F2F2F2"), false),
                    cell(widths[1], None, &empty),
                ]
            })
            .collect();
        let xml = table(&self.s.table, &widths, 0, &rows);
        self.push(&xml);
        self.push(&Para::default().with(""));
    }

    /// The decision page built from the KPIs, for a text that has no such section.
    fn decision_page(&mut self, priorities_section: Option<&str>) {
        let r = self.report;
        self.heading(1, "Sammanfattning och förslag till beslut", false, false);
        self.paragraph(&format!(
            "Här sammanfattas årets genomgång av informationssäkerhets- och dataskyddsarbetet inom {} för {}. Nyckeltalen jämförs med målen i tabell 1, och underlaget redovisas i bilagan.",
            r.unit, r.year
        ));
        self.heading(2, "Slutsatser", false, false);
        let with_target: Vec<&Kpi> = r.kpis.iter().filter(|k| k.target.is_some()).collect();
        let mut any = false;
        for k in with_target.iter().filter(|k| k.status == Status::Bad) {
            any = true;
            self.bullet(&conclusion(k, "målet är"), false);
        }
        for k in with_target.iter().filter(|k| k.status == Status::Warning) {
            any = true;
            self.bullet(&conclusion(k, "nära målet"), false);
        }
        let good = with_target
            .iter()
            .filter(|k| k.status == Status::Good)
            .count();
        if good > 0 {
            self.bullet(
                &format!(
                    "{} av {} nyckeltal med mål når sina mål.",
                    good,
                    with_target.len()
                ),
                false,
            );
        } else if !any && !with_target.is_empty() {
            self.bullet("Inget nyckeltal med mål har något värde i år.", false);
        }
        let missing: Vec<&str> = with_target
            .iter()
            .filter(|k| k.value.is_none())
            .map(|k| k.label.as_str())
            .collect();
        if !missing.is_empty() {
            self.bullet(
                &format!("Underlag saknas för: {}.", missing.join(", ")),
                false,
            );
        }
        self.heading(2, "Förslag till beslut", false, false);
        self.paragraph("Förvaltningsledningen föreslås besluta");
        self.numbered(
            NUM_DECISION,
            &format!(
                "att godkänna Ledningens genomgång {} för {},",
                r.year, r.unit
            ),
        );
        let work = match priorities_section {
            Some(n) => format!(
                "att det prioriterade arbetet för {} och {} genomförs enligt avsnitt {n},",
                r.year + 1,
                r.year + 2
            ),
            None => format!(
                "att det prioriterade arbetet för {} och {} genomförs enligt förslaget i genomgången,",
                r.year + 1,
                r.year + 2
            ),
        };
        self.numbered(NUM_DECISION, &work);
        self.numbered(
            NUM_DECISION,
            &format!(
                "att nästa ledningens genomgång, för {}, redovisas under {}.",
                r.year + 1,
                r.year + 2
            ),
        );
        self.decision_block();
    }

    /// The appendix: what the review rests on, as counts only.
    fn appendix(&mut self) {
        let r = self.report;
        self.heading(1, "Bilaga. Underlag och datakvalitet", false, true);
        let recognised: Vec<_> = r.sources.iter().filter(|s| s.kind.is_some()).collect();
        let ignored = r.sources.len() - recognised.len();
        let rows_read: usize = recognised.iter().map(|s| s.rows_read).sum();
        let rows_rejected: usize = recognised.iter().map(|s| s.rows_rejected).sum();
        let mut files: Vec<&str> = r.sources.iter().map(|s| s.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        self.paragraph(&format!(
            "Genomgången bygger på {} {} med {} igenkända blad och {} lästa rader; {} rader eller värden kunde inte användas och {} blad kändes inte igen. Här redovisas bara antal. Fil, blad, rad och kolumn för varje problem finns i arbetsbokens blad Datakvalitet, och varje fil med kontrollsumma i bladet Källor.",
            files.len(),
            if files.len() == 1 { "fil" } else { "filer" },
            recognised.len(),
            rows_read,
            rows_rejected,
            ignored
        ));
        let mut kinds: Vec<(&str, usize, usize, usize)> = Vec::new();
        for s in &recognised {
            let label = s.kind.map(|k| k.label()).unwrap_or_default();
            match kinds.iter_mut().find(|(l, ..)| *l == label) {
                Some(e) => {
                    e.1 += 1;
                    e.2 += s.rows_read;
                    e.3 += s.rows_rejected;
                }
                None => kinds.push((label, 1, s.rows_read, s.rows_rejected)),
            }
        }
        if !kinds.is_empty() {
            self.table_caption("Underlag per slag av indata");
            let widths = [3870, 1600, 1800, 1800];
            let mut rows = vec![self.header_row(
                &widths,
                &["Indata", "Blad", "Rader lästa", "Rader utelämnade"],
            )];
            for (label, sheets, read, rejected) in &kinds {
                rows.push(vec![
                    self.cell_text(widths[0], label, Fmt::default(), None, false),
                    self.cell_text(widths[1], &sheets.to_string(), Fmt::default(), None, true),
                    self.cell_text(widths[2], &read.to_string(), Fmt::default(), None, true),
                    self.cell_text(widths[3], &rejected.to_string(), Fmt::default(), None, true),
                ]);
            }
            let xml = table(&self.s.table, &widths, 1, &rows);
            self.push(&xml);
            self.push(&Para::default().with(""));
        }
        self.table_caption("Problem i indata per slag");
        let widths = [5270, 3800];
        let mut rows = vec![self.header_row(&widths, &["Slag", "Antal"])];
        for severity in [Severity::FileError, Severity::RowRejected, Severity::Note] {
            let n = r.problems.iter().filter(|p| p.severity == severity).count();
            rows.push(vec![
                self.cell_text(widths[0], severity.label(), Fmt::default(), None, false),
                self.cell_text(widths[1], &n.to_string(), Fmt::default(), None, true),
            ]);
        }
        let xml = table(&self.s.table, &widths, 1, &rows);
        self.push(&xml);
        let unmapped: u32 = r
            .breakdowns
            .unmapped_categories
            .iter()
            .map(|t| t.count)
            .sum();
        if unmapped > 0 {
            self.push(&Para::default().with(""));
            self.paragraph(&format!(
                "{} incidenter hade en kategori som inte motsvarar någon av de konfigurerade kategorierna och räknas som Övrigt ({} olika kategoritexter).",
                unmapped,
                r.breakdowns.unmapped_categories.len()
            ));
        }
    }
}

fn conclusion(k: &Kpi, relation: &str) -> String {
    let value = value_text(k.value, k.kind);
    let target = value_text(k.target, k.kind);
    let previous = k
        .previous
        .map(|p| format!(" ({} året innan)", format_value(p, k.kind)))
        .unwrap_or_default();
    format!("{}: {value}{previous}, {relation} {target}.", k.label)
}

/// Chart captions, by chart file.
fn chart_caption(report: &Review, file: &str) -> String {
    let y = report.year;
    let with_previous = |has: bool| {
        if has {
            format!("{y} jämfört med {}", y - 1)
        } else {
            y.to_string()
        }
    };
    let b = &report.breakdowns;
    match file {
        CATEGORY_FILE => format!(
            "Incidenter per kategori {}",
            with_previous(b.incidents_by_category.iter().any(|c| c.previous.is_some()))
        ),
        MONTH_FILE => format!(
            "Incidenter per månad {} (händelsedatum)",
            with_previous(b.incidents_by_month.iter().any(|c| c.previous.is_some()))
        ),
        TRAINING_FILE => {
            format!("Andel medarbetare per enhet som genomfört de obligatoriska utbildningarna {y}")
        }
        RISK_FILE => format!("Riskmatris {y}: antal risker per sannolikhet och konsekvens"),
        other => other.to_string(),
    }
}

/// What goes into a section besides its text.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Extra {
    KpiTable,
    Chart(&'static str),
}

fn extras_for(anchor: Anchor) -> &'static [Extra] {
    match anchor {
        Anchor::Happened => &[Extra::KpiTable, Extra::Chart(TRAINING_FILE)],
        Anchor::Risks => &[Extra::Chart(RISK_FILE)],
        Anchor::Incidents => &[Extra::Chart(CATEGORY_FILE), Extra::Chart(MONTH_FILE)],
        // The review text brings its own "Beslut / Datum / Namn" table.
        Anchor::Decision => &[],
    }
}

/// Writes the whole body.
pub fn write(
    report: &Review,
    styles: &StyleIds,
    text_width: u32,
    charts: &[ChartImage],
    page: &TitlePage<'_>,
) -> Body {
    let mut w = Writer::new(report, styles, text_width);
    let blocks = &report.text;
    let plan = plan_headings(blocks);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading1(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| format!("Ledningens genomgång {} – {}", report.year, report.unit));
    w.title_page(&title, page);

    let has_decision = plan
        .iter()
        .flatten()
        .any(|h| h.anchor == Some(Anchor::Decision));
    let priorities_number = plan
        .iter()
        .flatten()
        .find(|h| h.text.to_lowercase().contains("prioriter"))
        .and_then(|h| h.shown.clone());

    // Table of contents entries, in document order, with their bookmarks (the writer
    // numbers bookmarks in the order headings are written).
    let mut entries: Vec<(usize, String)> = Vec::new();
    if !has_decision {
        entries.push((1, "Sammanfattning och förslag till beslut".to_string()));
        entries.push((2, "Slutsatser".to_string()));
        entries.push((2, "Förslag till beslut".to_string()));
    }
    let mut placed: Vec<Extra> = Vec::new();
    let mut pending: Vec<Extra> = Vec::new();
    let mut text_entries: Vec<(usize, String)> = Vec::new();
    for h in plan.iter().flatten() {
        let shown = h
            .shown
            .as_ref()
            .map(|n| format!("{n} {}", h.text))
            .unwrap_or_else(|| h.text.clone());
        text_entries.push((h.level, shown));
    }
    entries.extend(text_entries);
    // Charts not placed in a section go under a heading of their own; know it now for
    // the contents.
    let anchors: Vec<Anchor> = plan.iter().flatten().filter_map(|h| h.anchor).collect();
    let available: Vec<&'static str> = charts.iter().map(|c| c.file).collect();
    let mut leftovers: Vec<Extra> = vec![Extra::KpiTable];
    leftovers.extend(available.iter().map(|f| Extra::Chart(f)));
    let mut seen_anchor: Vec<Anchor> = Vec::new();
    for a in &anchors {
        if !seen_anchor.contains(a) {
            seen_anchor.push(*a);
            leftovers.retain(|e| !extras_for(*a).contains(e));
        }
    }
    if !leftovers.is_empty() {
        entries.push((1, "Nyckeltal och diagram".to_string()));
    }
    let links = cited_links(blocks, &w.labelled);
    if !links.is_empty() {
        entries.push((1, "Källor".to_string()));
    }
    entries.push((1, "Bilaga. Underlag och datakvalitet".to_string()));
    let toc: Vec<(usize, String, String)> = entries
        .into_iter()
        .enumerate()
        .map(|(i, (level, text))| (level, text, format!("_Toc{:08}", i + 1)))
        .collect();
    w.toc(&toc);

    if !has_decision {
        w.decision_page(priorities_number.as_deref());
    }

    let mut in_priorities = false;
    // The numbered list being written: (numbering instance, last number).
    let mut list: Option<(u32, u64)> = None;
    for (block, heading) in blocks.iter().zip(&plan) {
        if !matches!(block, Block::Numbered(..)) {
            list = None;
        }
        match block {
            Block::Heading1(_) | Block::PageBreak => {}
            Block::Heading2(_) | Block::Heading3(_) => {
                let Some(h) = heading else { continue };
                flush(&mut w, &mut pending, &mut placed, charts, report);
                // Each chapter starts a page, as in the Rapport sheet.
                w.heading(h.level, &h.text, h.numbered, h.level == 1);
                if h.level == 1 {
                    in_priorities = h.text.to_lowercase().contains("prioriter");
                }
                if let Some(anchor) = h.anchor {
                    for e in extras_for(anchor) {
                        if !placed.contains(e) && !pending.contains(e) {
                            pending.push(*e);
                        }
                    }
                }
            }
            Block::Paragraph(t) => w.paragraph(t),
            Block::Bullet(t) => w.bullet(t, in_priorities),
            Block::Numbered(n, t) => {
                // A new list unless this item continues the one just written.
                let id = match list {
                    Some((id, last)) if last + 1 == *n => id,
                    _ => w.new_list(*n),
                };
                w.numbered(id, t);
                list = Some((id, *n));
            }
            Block::Table(head, rows) => w.text_table(head, rows),
        }
    }
    flush(&mut w, &mut pending, &mut placed, charts, report);
    let rest: Vec<Extra> = [Extra::KpiTable]
        .into_iter()
        .chain(charts.iter().map(|c| Extra::Chart(c.file)))
        .filter(|e| !placed.contains(e))
        .collect();
    if !rest.is_empty() {
        w.heading(1, "Nyckeltal och diagram", false, true);
        pending = rest;
        flush(&mut w, &mut pending, &mut placed, charts, report);
    }
    if !links.is_empty() {
        w.heading(1, "Källor", false, false);
        for (label, url) in &links {
            let text = if label == url {
                url.clone()
            } else {
                format!("{label}: {url}")
            };
            w.numbered(NUM_SOURCES, &text);
        }
    }
    w.appendix();
    w.finish()
}

fn flush(
    w: &mut Writer<'_>,
    pending: &mut Vec<Extra>,
    placed: &mut Vec<Extra>,
    charts: &[ChartImage],
    report: &Review,
) {
    for e in pending.drain(..) {
        match e {
            Extra::KpiTable => w.kpi_table(),
            Extra::Chart(file) => {
                if let Some(image) = charts.iter().find(|c| c.file == file) {
                    w.figure(image, &chart_caption(report, file));
                }
            }
        }
        placed.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_heading_numbers() {
        assert_eq!(typed_number("2.1 Omvärld"), Some((vec![2, 1], "Omvärld")));
        assert_eq!(typed_number("1. Vad är"), Some((vec![1], "Vad är")));
        assert_eq!(typed_number("2026"), None);
        assert_eq!(typed_number("2026 Mål"), None);
        assert!(numbering_matches(&[
            vec![1],
            vec![2],
            vec![2, 1],
            vec![3],
            vec![3, 1],
            vec![3, 2],
            vec![4]
        ]));
        assert!(!numbering_matches(&[vec![1], vec![1, 2]]));
    }

    #[test]
    fn links_in_text() {
        let md = "Se [MSB om\nNIS2](https://www.msb.se/nis2) och https://imy.se.\n";
        let labelled = labelled_links(md);
        assert_eq!(
            labelled,
            vec![(
                "MSB om NIS2".to_string(),
                "https://www.msb.se/nis2".to_string()
            )]
        );
        let blocks = crate::review::text::to_blocks(md);
        let Block::Paragraph(t) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let (s, e, label, url) = find_link(t, &labelled).unwrap();
        assert_eq!(
            (label, url),
            (Some("MSB om NIS2"), "https://www.msb.se/nis2")
        );
        assert_eq!(&t[s..e], "MSB om NIS2 (https://www.msb.se/nis2)");
        let (_, _, label, url) = find_link(&t[e..], &labelled).unwrap();
        assert_eq!((label, url), (None, "https://imy.se"));
        assert_eq!(
            cited_links(&blocks, &labelled),
            vec![
                (
                    "MSB om NIS2".to_string(),
                    "https://www.msb.se/nis2".to_string()
                ),
                ("https://imy.se".to_string(), "https://imy.se".to_string())
            ]
        );
    }
}
