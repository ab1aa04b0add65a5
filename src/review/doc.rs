//! The review as one typed document: sections with stable ids (the decision page,
//! 1–4, the appendices), each holding paragraphs of runs (text, emphasis, links, figure
//! references), lists, tables with typed cells and figures that refer to a chart
//! specification by id. Built once in [`crate::review::build`]; the Rapport sheet, the
//! Word document and the Markdown file each render this tree and never re-parse text.
//!
//! The sentences come from `templates/rapport.md.j2` rendered into Markdown, which is
//! parsed here once. The template gives each section its id (`## 3 Vad har hänt …
//! {#handelser}`) and places figures and tables explicitly (`![…](figur:…)`,
//! `![…](tabell:nyckeltal)`), so no writer finds a place by the words of a heading: a
//! user's heading containing "risk" moves nothing. A user's section file
//! (`omvarld.md` …) stands in the template as `![](avsnitt:omvarld)` and is parsed on
//! its own into the same blocks, its headings kept as headings inside the section.

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::kpi::Status;
use crate::review::charts::{ChartId, ChartSpec};
use crate::review::format::{count, number, percent};
use crate::review::Figures;
use crate::schema::ValueKind;

/// The whole review text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// "Ledningens genomgång 2025 – Kungsholmen".
    pub title: String,
    pub sections: Vec<Section>,
}

/// One section: a heading and what follows it up to the next heading of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable id: "beslut", "inledning", "handelser", "bilaga-underlag" …
    pub id: String,
    /// 1 for a chapter, 2 and 3 below it.
    pub level: u8,
    /// The number the template gives it ("2.1" → [2, 1]); none for unnumbered ones.
    pub number: Option<Vec<u32>>,
    pub title: String,
    /// Starts a new page (a `---` before it in the template).
    pub page_break: bool,
    pub blocks: Vec<Block>,
}

impl Section {
    /// "2.1 Omvärldsbevakning – hot och trender", or the title alone.
    pub fn heading(&self) -> String {
        match &self.number {
            Some(n) => format!("{} {}", number_text(n), self.title),
            None => self.title.clone(),
        }
    }
}

/// "2.1".
pub fn number_text(n: &[u32]) -> String {
    n.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Run>),
    /// A heading inside a section, from a user's section file; places nothing.
    Heading(Vec<Run>),
    List(List),
    Table(Table),
    Figure(Figure),
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    Emphasis(String),
    Strong(String),
    /// A web or mail link (only `http(s):` and `mailto:` addresses become links).
    Link {
        text: String,
        url: String,
    },
    /// "figur 2": the number of the chart's figure in this document.
    FigureRef(ChartId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of a numbered list; `None` for bullets.
    pub start: Option<u64>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 0 for an item of the list itself, 1 for one of a list nested in it …
    pub depth: u8,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// "Tabell N. caption" above it; none for a section file's own tables and forms.
    pub caption: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A form to fill in by hand (a header and empty rows: the decision and signature).
    pub form: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    /// Traffic-light colour of a status or risk level.
    pub tone: Option<Tone>,
}

impl Cell {
    pub fn new(value: Value) -> Cell {
        Cell { value, tone: None }
    }

    pub fn text(text: impl Into<String>) -> Cell {
        Cell::new(Value::Text(text.into()))
    }

    pub fn toned(value: Value, tone: Option<Tone>) -> Cell {
        Cell { value, tone }
    }
}

/// A typed table value; every writer shows it with [`Value::display`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    /// A share, 0.16 = 16 %.
    Percent(f64),
    Date(NaiveDate),
    Text(String),
    /// No input carries the figure: "–", never 0.
    Unknown,
}

impl Value {
    pub fn display(&self) -> String {
        match self {
            Value::Number(n) => number(*n),
            Value::Percent(p) => percent(*p),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Text(t) => t.clone(),
            Value::Unknown => "–".to_string(),
        }
    }

    /// Numbers, shares and dates are right-aligned.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Value::Number(_) | Value::Percent(_) | Value::Date(_) | Value::Unknown
        )
    }

    fn of_kpi(value: Option<f64>, kind: ValueKind) -> Value {
        match (value, kind) {
            (None, _) => Value::Unknown,
            (Some(v), ValueKind::Rate) => Value::Percent(v),
            (Some(v), ValueKind::Count) => Value::Number(v),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warning,
    Bad,
}

impl Tone {
    /// (fill, text) colours, the workbook's traffic-light colours.
    pub fn colors(self) -> (&'static str, &'static str) {
        match self {
            Tone::Good => ("C6EFCE", "006100"),
            Tone::Warning => ("FFEB9C", "9C5700"),
            Tone::Bad => ("FFC7CE", "9C0006"),
        }
    }
}

/// A chart in the text: "Figur N. caption" under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub chart: ChartId,
    pub caption: String,
}

/// How a writer shows a link in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkText {
    /// "label (https://…)": where a link cannot be followed (a cell).
    WithAddress,
    /// The label alone (Word gives the address in a footnote).
    Label,
}

impl Document {
    /// The figures in document order: figure N is `figures()[N - 1]`.
    pub fn figures(&self) -> Vec<&Figure> {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Figure(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    pub fn figure_number(&self, chart: ChartId) -> Option<usize> {
        self.figures()
            .iter()
            .position(|f| f.chart == chart)
            .map(|i| i + 1)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The runs as plain text: "figur 2" for a figure reference, a link as `links` says.
    pub fn plain(&self, runs: &[Run], links: LinkText) -> String {
        let mut out = String::new();
        for r in runs {
            match r {
                Run::Text(t) | Run::Emphasis(t) | Run::Strong(t) => out.push_str(t),
                Run::Link { text, url } => {
                    out.push_str(text);
                    if links == LinkText::WithAddress && text != url {
                        out.push_str(&format!(" ({url})"));
                    }
                }
                Run::FigureRef(c) => out.push_str(&self.figure_ref(*c)),
            }
        }
        out
    }

    /// "figur 2", or "figuren" when the chart is not in the document.
    pub fn figure_ref(&self, chart: ChartId) -> String {
        match self.figure_number(chart) {
            Some(n) => format!("figur {n}"),
            None => "figuren".to_string(),
        }
    }

    /// Every link of the text in order of first mention: (label, URL).
    pub fn links(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut visit = |runs: &[Run]| {
            for r in runs {
                if let Run::Link { text, url } = r {
                    if !out.iter().any(|(_, u)| u == url) {
                        out.push((text.clone(), url.clone()));
                    }
                }
            }
        };
        for s in &self.sections {
            for b in &s.blocks {
                match b {
                    Block::Paragraph(r) | Block::Heading(r) => visit(r),
                    Block::List(l) => l.items.iter().for_each(|i| visit(&i.runs)),
                    _ => {}
                }
            }
        }
        out
    }
}

/// What the template's placeholders stand for.
pub struct Parts<'a> {
    pub figures: &'a Figures,
    pub charts: &'a [ChartSpec],
    /// The section files: (file stem, Markdown).
    pub sections: &'a [(String, String)],
}

/// Builds the document from the rendered template and the parts its placeholders name,
/// then adds the appendices: the sources the text cites and what the review rests on.
pub fn build(markdown: &str, parts: &Parts<'_>) -> Document {
    let mut parser = MarkdownReader::new(parts, true);
    parser.read(markdown);
    let mut doc = parser.finish();
    let links = doc.links();
    if !links.is_empty() {
        doc.sections.push(Section {
            id: "kallor".to_string(),
            level: 1,
            number: None,
            title: "Källor".to_string(),
            page_break: false,
            blocks: vec![Block::List(List {
                start: Some(1),
                items: links
                    .into_iter()
                    .map(|(label, url)| Item {
                        depth: 0,
                        runs: if label == url {
                            vec![Run::Link {
                                text: url.clone(),
                                url,
                            }]
                        } else {
                            vec![
                                Run::Text(format!("{label}: ")),
                                Run::Link {
                                    text: url.clone(),
                                    url,
                                },
                            ]
                        },
                    })
                    .collect(),
            })],
        });
    }
    doc.sections.push(appendix(parts.figures));
    doc
}

/// Parses a user's section file on its own: its blocks, headings kept as headings.
pub fn section_blocks(markdown: &str, parts: &Parts<'_>) -> Vec<Block> {
    let clean = crate::review::text::sanitize_markdown(markdown);
    let mut reader = MarkdownReader::new(parts, false);
    reader.sections.push(Section {
        id: String::new(),
        level: 1,
        number: None,
        title: String::new(),
        page_break: false,
        blocks: Vec::new(),
    });
    reader.read(&clean);
    reader
        .finish()
        .sections
        .into_iter()
        .flat_map(|s| s.blocks)
        .collect()
}

/// Inline text being collected: runs and the emphasis and links open around it.
#[derive(Default)]
struct Inline {
    runs: Vec<Run>,
    emphasis: u32,
    strong: u32,
    /// Open links: (URL, whether it is followed, the text so far).
    links: Vec<(String, bool, String)>,
    /// Placeholders met (`![…](figur:…)`): (scheme, name).
    placeholders: Vec<(String, String)>,
    /// Inside an image: its alt text is not text of the review.
    image: u32,
}

impl Inline {
    fn text(&mut self, t: &str) {
        if self.image > 0 {
            return;
        }
        if let Some((_, _, text)) = self.links.last_mut() {
            text.push_str(t);
            return;
        }
        let run = if self.strong > 0 {
            Run::Strong(t.to_string())
        } else if self.emphasis > 0 {
            Run::Emphasis(t.to_string())
        } else {
            Run::Text(t.to_string())
        };
        self.runs.push(run);
    }

    fn take(&mut self) -> Vec<Run> {
        self.placeholders.clear();
        linkify(tidy_runs(std::mem::take(&mut self.runs)))
    }
}

/// A bare web address in plain text becomes a link to itself (as GitHub's Markdown and
/// Word's AutoFormat do); a trailing full stop or comma stays text.
fn linkify(runs: Vec<Run>) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        let Run::Text(mut rest) = run else {
            out.push(run);
            continue;
        };
        loop {
            let start = ["https://", "http://"]
                .iter()
                .filter_map(|p| rest.find(p))
                .min();
            let Some(start) = start else { break };
            let len = rest[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '<' | '>' | '"'))
                .unwrap_or(rest.len() - start);
            let mut end = start + len;
            while rest[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
                end -= 1;
            }
            if end - start <= "https://".len() {
                break;
            }
            if start > 0 {
                out.push(Run::Text(rest[..start].to_string()));
            }
            let url = rest[start..end].to_string();
            out.push(Run::Link {
                text: url.clone(),
                url,
            });
            rest = rest[end..].to_string();
        }
        if !rest.is_empty() {
            out.push(Run::Text(rest));
        }
    }
    out
}

/// Adjacent runs of one kind merged, whitespace collapsed, the ends trimmed.
fn tidy_runs(runs: Vec<Run>) -> Vec<Run> {
    let collapse = |t: &str| {
        let mut out = String::with_capacity(t.len());
        let mut space = false;
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                space = true;
            } else {
                if space {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if space {
            out.push(' ');
        }
        out
    };
    let mut merged: Vec<Run> = Vec::new();
    for run in runs {
        match (merged.last_mut(), run) {
            (Some(Run::Text(a)), Run::Text(b))
            | (Some(Run::Emphasis(a)), Run::Emphasis(b))
            | (Some(Run::Strong(a)), Run::Strong(b)) => a.push_str(&b),
            (_, run) => merged.push(run),
        }
    }
    let mut out: Vec<Run> = Vec::new();
    for mut run in merged {
        match &mut run {
            Run::Text(t) | Run::Emphasis(t) | Run::Strong(t) => *t = collapse(t),
            Run::Link { text, .. } => *text = collapse(text).trim().to_string(),
            Run::FigureRef(_) => {}
        }
        // A space where the previous run already ends with one.
        let prev_space = match out.last() {
            None => true,
            Some(Run::Text(t) | Run::Emphasis(t) | Run::Strong(t)) => t.ends_with(' '),
            _ => false,
        };
        if prev_space {
            if let Run::Text(t) | Run::Emphasis(t) | Run::Strong(t) = &mut run {
                *t = t.trim_start_matches(' ').to_string();
            }
        }
        let empty =
            matches!(&run, Run::Text(t) | Run::Emphasis(t) | Run::Strong(t) if t.is_empty());
        if !empty {
            out.push(run);
        }
    }
    while let Some(Run::Text(t) | Run::Emphasis(t) | Run::Strong(t)) = out.last_mut() {
        let trimmed = t.trim_end_matches(' ').to_string();
        if trimmed.is_empty() {
            out.pop();
        } else {
            *t = trimmed;
            break;
        }
    }
    out
}

/// Reads Markdown events into sections and blocks.
struct MarkdownReader<'p, 'a> {
    parts: &'p Parts<'a>,
    /// The template (sections, ids, placeholders) rather than a user's file.
    template: bool,
    title: Option<String>,
    sections: Vec<Section>,
    inline: Inline,
    /// Open lists: (the list being built, the depth of its items).
    lists: Vec<List>,
    /// An item whose text is being collected.
    in_item: bool,
    table: Option<Table>,
    row: Vec<Cell>,
    in_head: bool,
    page_break: bool,
    generated_ids: usize,
    /// The id the template gave the heading being read (`{#handelser}`).
    pending_id: Option<String>,
}

impl<'p, 'a> MarkdownReader<'p, 'a> {
    fn new(parts: &'p Parts<'a>, template: bool) -> Self {
        MarkdownReader {
            parts,
            template,
            title: None,
            sections: Vec::new(),
            inline: Inline::default(),
            lists: Vec::new(),
            in_item: false,
            table: None,
            row: Vec::new(),
            in_head: false,
            page_break: false,
            generated_ids: 0,
            pending_id: None,
        }
    }

    fn finish(self) -> Document {
        Document {
            title: self.title.unwrap_or_default(),
            sections: self.sections,
        }
    }

    fn push(&mut self, block: Block) {
        if self.sections.is_empty() {
            // Text before the first heading: a section without a heading.
            self.sections.push(Section {
                id: "inledande-text".to_string(),
                level: 1,
                number: None,
                title: String::new(),
                page_break: false,
                blocks: Vec::new(),
            });
        }
        if let Some(s) = self.sections.last_mut() {
            s.blocks.push(block);
        }
    }

    /// The current item's text ends (at a nested list, the item's end).
    fn flush_item(&mut self) {
        if !self.in_item {
            return;
        }
        self.in_item = false;
        let runs = self.inline.take();
        let depth = self.lists.len().saturating_sub(1) as u8;
        if runs.is_empty() {
            return;
        }
        if let Some(list) = self.lists.first_mut() {
            list.items.push(Item { depth, runs });
        }
    }

    fn read(&mut self, markdown: &str) {
        let mut options = Options::ENABLE_TABLES;
        if self.template {
            options |= Options::ENABLE_HEADING_ATTRIBUTES;
        }
        for event in Parser::new_ext(markdown, options) {
            self.event(event);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                self.pending_id = id.map(|i| i.to_string());
                self.inline.take();
            }
            Event::End(TagEnd::Heading(level)) => {
                let runs = self.inline.take();
                self.heading(level, runs);
            }
            Event::Start(Tag::Paragraph) if !self.in_item => {
                self.inline.take();
            }
            Event::End(TagEnd::Paragraph) => {
                if self.in_item {
                    self.inline.text(" ");
                    return;
                }
                let placeholders = std::mem::take(&mut self.inline.placeholders);
                let runs = self.inline.take();
                if self.template && !placeholders.is_empty() {
                    for (scheme, name) in placeholders {
                        let mut blocks = self.placeholder(&scheme, &name).into_iter().peekable();
                        // A section file that opens with its own heading names the
                        // section: its heading replaces the template's title (number
                        // kept) instead of standing twice, one under the other.
                        if scheme == "avsnitt" {
                            if let (Some(Block::Heading(runs)), Some(section)) =
                                (blocks.peek(), self.sections.last_mut())
                            {
                                if section.blocks.is_empty() {
                                    let title = Document::default().plain(runs, LinkText::Label);
                                    if !title.trim().is_empty() {
                                        section.title = title.trim().to_string();
                                    }
                                    blocks.next();
                                }
                            }
                        }
                        for b in blocks {
                            self.push(b);
                        }
                    }
                    if !runs.is_empty() {
                        self.push(Block::Paragraph(runs));
                    }
                } else if !runs.is_empty() {
                    self.push(Block::Paragraph(runs));
                }
            }
            Event::Start(Tag::List(first)) => {
                self.flush_item();
                let depth = self.lists.len();
                self.lists.push(List {
                    start: if depth == 0 { first } else { None },
                    items: Vec::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                self.flush_item();
                if let Some(list) = self.lists.pop() {
                    if self.lists.is_empty() && !list.items.is_empty() {
                        self.push(Block::List(list));
                    }
                }
            }
            Event::Start(Tag::Item) => {
                self.flush_item();
                self.inline.take();
                self.in_item = true;
            }
            Event::End(TagEnd::Item) => self.flush_item(),
            Event::Start(Tag::Table(_)) => {
                self.table = Some(Table {
                    caption: None,
                    head: Vec::new(),
                    rows: Vec::new(),
                    form: false,
                })
            }
            Event::End(TagEnd::Table) => {
                if let Some(mut t) = self.table.take() {
                    t.form = !t.rows.is_empty()
                        && t.rows.iter().flatten().all(|c| match &c.value {
                            Value::Text(s) => s.trim().is_empty(),
                            _ => false,
                        });
                    self.push(Block::Table(t));
                }
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.row.clear();
            }
            Event::Start(Tag::TableRow) => self.row.clear(),
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                let row = std::mem::take(&mut self.row);
                if let Some(t) = self.table.as_mut() {
                    t.head = row.into_iter().map(|c| c.value.display()).collect();
                }
            }
            Event::End(TagEnd::TableRow) => {
                let row = std::mem::take(&mut self.row);
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => {
                self.inline.take();
            }
            Event::End(TagEnd::TableCell) => {
                let runs = self.inline.take();
                let text = Document::default().plain(&runs, LinkText::WithAddress);
                self.row.push(Cell::text(text));
            }
            Event::Start(Tag::Emphasis) => self.inline.emphasis += 1,
            Event::End(TagEnd::Emphasis) => {
                self.inline.emphasis = self.inline.emphasis.saturating_sub(1)
            }
            Event::Start(Tag::Strong) => self.inline.strong += 1,
            Event::End(TagEnd::Strong) => self.inline.strong = self.inline.strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.to_string();
                let followed = safe_url(&url) || (self.template && url.starts_with("figur:"));
                self.inline.links.push((url, followed, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, followed, text)) = self.inline.links.pop() {
                    let chart = url.strip_prefix("figur:").and_then(ChartId::from_slug);
                    if let (true, Some(chart)) = (self.template, chart) {
                        self.inline.runs.push(Run::FigureRef(chart));
                    } else if followed && !url.starts_with("figur:") {
                        let text = if text.trim().is_empty() {
                            url.clone()
                        } else {
                            text
                        };
                        self.inline.runs.push(Run::Link { text, url });
                    } else {
                        self.inline.text(&text);
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if self.template {
                    if let Some((scheme, name)) = dest_url.split_once(':') {
                        self.inline
                            .placeholders
                            .push((scheme.to_string(), name.to_string()));
                    }
                }
                self.inline.image += 1;
            }
            Event::End(TagEnd::Image) => self.inline.image = self.inline.image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => self.inline.text(&t),
            Event::SoftBreak | Event::HardBreak => self.inline.text(" "),
            Event::Rule => self.page_break = true,
            // Raw HTML, footnotes: not text of the review.
            _ => {}
        }
    }

    fn heading(&mut self, level: HeadingLevel, runs: Vec<Run>) {
        let text = Document::default().plain(&runs, LinkText::Label);
        if !self.template {
            if !runs.is_empty() {
                self.push(Block::Heading(runs));
            }
            return;
        }
        if level == HeadingLevel::H1 && self.title.is_none() {
            self.title = Some(text);
            return;
        }
        let level = match level {
            HeadingLevel::H1 | HeadingLevel::H2 => 1,
            HeadingLevel::H3 => 2,
            _ => 3,
        };
        let (number, title) = match typed_number(&text) {
            Some((n, rest)) => (Some(n), rest.to_string()),
            None => (None, text.clone()),
        };
        self.generated_ids += 1;
        let id = self
            .pending_id
            .take()
            .unwrap_or_else(|| format!("avsnitt-{}", self.generated_ids));
        let page_break = std::mem::take(&mut self.page_break);
        self.sections.push(Section {
            id,
            level,
            number,
            title,
            page_break,
            blocks: Vec::new(),
        });
    }

    /// The blocks a placeholder of the template stands for.
    fn placeholder(&self, scheme: &str, name: &str) -> Vec<Block> {
        let f = self.parts.figures;
        match scheme {
            "figur" => ChartId::from_slug(name)
                .and_then(|id| self.parts.charts.iter().find(|c| c.id == id))
                .map(|spec| {
                    vec![Block::Figure(Figure {
                        chart: spec.id,
                        caption: spec.caption.clone(),
                    })]
                })
                .unwrap_or_default(),
            "tabell" => match name {
                "nyckeltal" => kpi_table(f),
                "riskmatris" => risk_matrix(f),
                _ => Vec::new(),
            },
            "avsnitt" => self
                .parts
                .sections
                .iter()
                .find(|(stem, _)| stem == name)
                .map(|(_, md)| section_blocks(md, self.parts))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// A heading number typed at the start of a heading ("2.1 Omvärld" → [2, 1], "Omvärld").
/// Years ("2026") are not heading numbers.
pub fn typed_number(text: &str) -> Option<(Vec<u32>, &str)> {
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

/// Addresses a reader may follow: web and mail links, never `javascript:` or `data:`.
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

fn tone_of(status: Status) -> Option<Tone> {
    match status {
        Status::Good => Some(Tone::Good),
        Status::Warning => Some(Tone::Warning),
        Status::Bad => Some(Tone::Bad),
        Status::Info => None,
    }
}

/// "+8", "−3", "+6,8 p.e." or "–", by [`crate::review::format::change`].
fn change_text(k: &crate::kpi::Kpi) -> Value {
    match k.change() {
        None => Value::Unknown,
        Some(c) => Value::Text(crate::review::format::change(c, k.kind)),
    }
}

/// Every KPI this year and last, the change, the target and the status; then what the
/// colours mean.
fn kpi_table(f: &Figures) -> Vec<Block> {
    if f.kpis.is_empty() {
        return Vec::new();
    }
    let rows = f
        .kpis
        .iter()
        .map(|k| {
            vec![
                Cell::text(&k.label),
                Cell::new(Value::of_kpi(k.value, k.kind)),
                Cell::new(Value::of_kpi(k.previous, k.kind)),
                Cell::new(change_text(k)),
                Cell::new(Value::of_kpi(k.target, k.kind)),
                Cell::toned(Value::Text(k.status_text().to_string()), tone_of(k.status)),
            ]
        })
        .collect();
    vec![
        Block::Table(Table {
            caption: Some(format!("Nyckeltal {} jämfört med {}", f.year, f.year - 1)),
            head: vec![
                "Nyckeltal".to_string(),
                f.year.to_string(),
                (f.year - 1).to_string(),
                "Förändring".to_string(),
                "Mål".to_string(),
                "Status".to_string(),
            ],
            rows,
            form: false,
        }),
        Block::Paragraph(vec![Run::Emphasis({
            let mut legend = crate::kpi::types::STATUS_LEGEND.to_string();
            // The table shows the training rates too: what they rest on is said here.
            if let Some(a) = crate::review::plan::training_assumption(f) {
                legend.push(' ');
                legend.push_str(&a);
            }
            legend
        })]),
    ]
}

/// Risks per likelihood (rows, highest first) and consequence, coloured by level.
fn risk_matrix(f: &Figures) -> Vec<Block> {
    let m = &f.breakdowns.risk_matrix;
    if m.is_empty() || m.iter().any(|row| row.len() != m.len()) {
        return Vec::new();
    }
    let threshold = f.context.high_risk_threshold;
    let mut head = vec!["Sannolikhet / konsekvens".to_string()];
    head.extend((1..=m.len()).map(|c| c.to_string()));
    let rows = (0..m.len())
        .rev()
        .map(|l| {
            let mut row = vec![Cell::new(Value::Number((l + 1) as f64))];
            row.extend(m[l].iter().enumerate().map(|(c, &count)| {
                let level = ((l + 1) * (c + 1)) as f64;
                let tone = if level >= threshold {
                    Tone::Bad
                } else if level >= threshold / 2.0 {
                    Tone::Warning
                } else {
                    Tone::Good
                };
                Cell::toned(Value::Number(f64::from(count)), Some(tone))
            }));
            row
        })
        .collect();
    vec![Block::Table(Table {
        caption: Some(format!(
            "Riskmatris {}: antal risker per sannolikhet (rader) och konsekvens (kolumner)",
            f.year
        )),
        head,
        rows,
        form: false,
    })]
}

/// The appendix: what the review rests on, as counts only.
fn appendix(f: &Figures) -> Section {
    let recognised: Vec<_> = f.sources.iter().filter(|s| s.kind.is_some()).collect();
    // Configuration and section files are used, not unrecognised.
    let ignored = crate::model::unrecognised_sheets(&f.sources);
    let rows_read: usize = recognised.iter().map(|s| s.rows_read).sum();
    let rows_rejected: usize = recognised.iter().map(|s| s.rows_rejected).sum();
    let n_of = |n: usize, singular: &str, plural: &str| count(n as f64, singular, plural);
    let mut blocks = vec![Block::Paragraph(vec![Run::Text(format!(
        "Underlag: {}. Lästa: {} och {}; {} kunde inte användas{}. Här redovisas bara antal. Fil, blad, rad och kolumn för varje problem finns i arbetsbokens blad Datakvalitet, och varje fil med kontrollsumma i bladet Källor.",
        crate::model::FileCount::of(&f.sources).text(),
        n_of(recognised.len(), "igenkänt blad", "igenkända blad"),
        n_of(rows_read, "rad", "rader"),
        n_of(rows_rejected, "rad eller värde", "rader eller värden"),
        if ignored == 0 {
            String::new()
        } else {
            format!(" och {} kändes inte igen", n_of(ignored, "blad", "blad"))
        }
    ))])];
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
    let n = |x: usize| Cell::new(Value::Number(x as f64));
    if !kinds.is_empty() {
        blocks.push(Block::Table(Table {
            caption: Some("Underlag per slag av indata".to_string()),
            head: ["Indata", "Blad", "Rader lästa", "Rader utelämnade"]
                .map(String::from)
                .to_vec(),
            rows: kinds
                .iter()
                .map(|(label, sheets, read, rejected)| {
                    vec![Cell::text(*label), n(*sheets), n(*read), n(*rejected)]
                })
                .collect(),
            form: false,
        }));
    }
    blocks.push(Block::Table(Table {
        caption: Some("Problem i indata per slag".to_string()),
        head: vec!["Slag".to_string(), "Antal".to_string()],
        rows: [
            crate::model::Severity::FileError,
            crate::model::Severity::RowRejected,
            crate::model::Severity::Note,
        ]
        .into_iter()
        .map(|severity| {
            let count = f.problems.iter().filter(|p| p.severity == severity).count();
            vec![Cell::text(severity.label()), n(count)]
        })
        .collect(),
        form: false,
    }));
    let unmapped: u32 = f
        .breakdowns
        .unmapped_categories
        .iter()
        .map(|t| t.count)
        .sum();
    if unmapped > 0 {
        blocks.push(Block::Paragraph(vec![Run::Text(format!(
            "{} en kategori som inte motsvarar någon av de konfigurerade kategorierna och räknas som Övrigt; det gäller {}.",
            count(f64::from(unmapped), "incident hade", "incidenter hade"),
            count(
                f.breakdowns.unmapped_categories.len() as f64,
                "kategoritext",
                "olika kategoritexter"
            )
        ))]));
    }
    Section {
        id: "bilaga-underlag".to_string(),
        level: 1,
        number: None,
        title: "Bilaga. Underlag och datakvalitet".to_string(),
        page_break: true,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts_for_test<'a>(figures: &'a Figures, sections: &'a [(String, String)]) -> Parts<'a> {
        Parts {
            figures,
            charts: &[],
            sections,
        }
    }

    #[test]
    fn typed_heading_numbers() {
        assert_eq!(typed_number("2.1 Omvärld"), Some((vec![2, 1], "Omvärld")));
        assert_eq!(typed_number("1. Vad är"), Some((vec![1], "Vad är")));
        assert_eq!(typed_number("2026"), None);
        assert_eq!(typed_number("2026 Mål"), None);
    }

    #[test]
    fn user_markdown_keeps_lists_links_emphasis_and_tables() {
        let figures = crate::review::tests_support::empty_figures();
        let sections: Vec<(String, String)> = Vec::new();
        let parts = parts_for_test(&figures, &sections);
        let md = "## Omvärld\n\n1. Första\n2. Andra med [MSB](https://www.msb.se)\n\n| Lag | År |\n|---|---|\n| NIS2 | 2026 |\n\nText med *betoning* och **fet**.\n\n<img src=x onerror=alert(1)>\n\n[klicka](javascript:alert(1))\n";
        let blocks = section_blocks(md, &parts);
        assert_eq!(
            blocks,
            vec![
                Block::Heading(vec![Run::Text("Omvärld".into())]),
                Block::List(List {
                    start: Some(1),
                    items: vec![
                        Item {
                            depth: 0,
                            runs: vec![Run::Text("Första".into())]
                        },
                        Item {
                            depth: 0,
                            runs: vec![
                                Run::Text("Andra med ".into()),
                                Run::Link {
                                    text: "MSB".into(),
                                    url: "https://www.msb.se".into()
                                }
                            ]
                        },
                    ]
                }),
                Block::Table(Table {
                    caption: None,
                    head: vec!["Lag".into(), "År".into()],
                    rows: vec![vec![Cell::text("NIS2"), Cell::text("2026")]],
                    form: false,
                }),
                Block::Paragraph(vec![
                    Run::Text("Text med ".into()),
                    Run::Emphasis("betoning".into()),
                    Run::Text(" och ".into()),
                    Run::Strong("fet".into()),
                    Run::Text(".".into()),
                ]),
                Block::Paragraph(vec![Run::Text("klicka".into())]),
            ]
        );
    }

    #[test]
    fn template_sections_ids_numbers_and_placeholders() {
        let figures = crate::review::tests_support::empty_figures();
        let sections = vec![(
            "omvarld".to_string(),
            "# Risker i omvärlden\n\nText om risk.\n\n![x](figur:incidenter-per-kategori)\n"
                .to_string(),
        )];
        let parts = parts_for_test(&figures, &sections);
        let md = "# Titel\n\n## Sammanfattning {#beslut}\n\nText.\n\n---\n\n## 2 Faktorer {#faktorer}\n\n### 2.1 Omvärld {#omvarld}\n\n![](avsnitt:omvarld)\n\n## 3 Risker {#risker}\n\nSe [figuren](figur:incidenter-per-kategori).\n";
        let doc = build(md, &parts);
        assert_eq!(doc.title, "Titel");
        let ids: Vec<&str> = doc.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["beslut", "faktorer", "omvarld", "risker", "bilaga-underlag"]
        );
        let omvarld = doc.section("omvarld").unwrap();
        assert_eq!(omvarld.number, Some(vec![2, 1]));
        assert_eq!(omvarld.level, 2);
        // The user's opening heading names 2.1 (not stood twice); its image is text,
        // no figure.
        assert_eq!(omvarld.title, "Risker i omvärlden");
        assert_eq!(omvarld.heading(), "2.1 Risker i omvärlden");
        assert_eq!(
            omvarld.blocks,
            vec![
                Block::Paragraph(vec![Run::Text("Text om risk.".into())]),
                Block::Paragraph(vec![Run::Text("x".into())]),
            ]
        );
        assert!(doc.section("faktorer").unwrap().page_break);
        // No chart spec: no figure, and the reference says "figuren".
        assert!(doc.figures().is_empty());
        let Block::Paragraph(runs) = &doc.section("risker").unwrap().blocks[0] else {
            panic!()
        };
        assert_eq!(doc.plain(runs, LinkText::Label), "Se figuren.");
    }
}
