//! The review text as Markdown, `Ledningens genomgång YYYY - UNIT.md`, rendered from the
//! document tree ([`crate::review::doc`]). Every text is escaped so that it reads back as
//! exactly that text: structure comes only from the tree, never from a figure, a unit
//! name or a user's words.

use crate::review::doc::{number_text, Block, Document, LinkText, Run, Table};
use crate::review::text::escape_markdown;
use crate::review::Review;

/// The whole text.
pub fn render(review: &Review) -> String {
    let doc = &review.doc;
    let mut out = String::new();
    if !doc.title.is_empty() {
        out.push_str(&format!("# {}\n\n", escape_markdown(&doc.title)));
    }
    let mut figure = 0usize;
    let mut table_no = 0usize;
    for s in &doc.sections {
        if s.page_break && !out.is_empty() {
            out.push_str("---\n\n");
        }
        if !s.title.is_empty() {
            let hashes = "#".repeat(usize::from(s.level) + 1);
            let text = match &s.number {
                Some(n) => format!("{} {}", number_text(n), escape_markdown(&s.title)),
                None => escape_markdown(&s.title),
            };
            out.push_str(&format!("{hashes} {text}\n\n"));
        }
        for b in &s.blocks {
            match b {
                Block::Paragraph(runs) => {
                    out.push_str(&inline(doc, runs));
                    out.push_str("\n\n");
                }
                Block::Heading(runs) => {
                    let hashes = "#".repeat((usize::from(s.level) + 2).min(6));
                    out.push_str(&format!("{hashes} {}\n\n", inline(doc, runs)));
                }
                Block::List(list) => {
                    let mut n = list.start.unwrap_or(1);
                    for item in &list.items {
                        let indent = "   ".repeat(usize::from(item.depth));
                        let marker = match (list.start, item.depth) {
                            (Some(_), 0) => {
                                let m = format!("{n}.");
                                n += 1;
                                m
                            }
                            _ => "-".to_string(),
                        };
                        out.push_str(&format!("{indent}{marker} {}\n", inline(doc, &item.runs)));
                    }
                    out.push('\n');
                }
                Block::Table(t) => {
                    if t.caption.is_some() {
                        table_no += 1;
                    }
                    table(&mut out, t, table_no);
                }
                Block::Figure(f) => {
                    figure += 1;
                    out.push_str(&format!(
                        "*Figur {figure}. {}*\n\n",
                        escape_markdown(&f.caption)
                    ));
                }
            }
        }
    }
    out.trim_end().to_string() + "\n"
}

/// A paragraph's runs as Markdown.
fn inline(doc: &Document, runs: &[Run]) -> String {
    let mut out = String::new();
    for r in runs {
        match r {
            Run::Text(t) => out.push_str(&escape_inline(t)),
            Run::Emphasis(t) => out.push_str(&wrap(t, "*")),
            Run::Strong(t) => out.push_str(&wrap(t, "**")),
            Run::Link { text, url } => {
                let url = url
                    .replace(' ', "%20")
                    .replace('(', "%28")
                    .replace(')', "%29");
                out.push_str(&format!("[{}]({url})", escape_inline(text)));
            }
            Run::FigureRef(_) => out.push_str(&doc.plain(std::slice::from_ref(r), LinkText::Label)),
        }
    }
    out
}

/// Escaped text inside a paragraph: like [`escape_markdown`], but the whitespace at the
/// ends is kept (it separates the text from the runs around it).
fn escape_inline(t: &str) -> String {
    let lead = if t.starts_with(' ') { " " } else { "" };
    let trail = if t.ends_with(' ') && t.trim() != "" {
        " "
    } else {
        ""
    };
    let core = escape_markdown(t);
    // A list marker or "1." is only structure at the start of a line, which a run in
    // the middle of a paragraph never is; escape_markdown escapes it anyway (safe).
    format!("{lead}{core}{trail}")
}

/// Emphasis markers around the escaped text, outside its spaces.
fn wrap(t: &str, marker: &str) -> String {
    let core = t.trim();
    if core.is_empty() {
        return t.to_string();
    }
    let lead = if t.starts_with(' ') { " " } else { "" };
    let trail = if t.ends_with(' ') { " " } else { "" };
    format!("{lead}{marker}{}{marker}{trail}", escape_markdown(core))
}

/// A table cell: a leading "+" or "-" is no list marker inside a table ("+28").
fn cell_text(t: &str) -> String {
    let escaped = escape_markdown(t);
    match escaped.strip_prefix('\\') {
        Some(rest) if rest.starts_with(['+', '-', '=']) => rest.to_string(),
        _ => escaped,
    }
}

fn table(out: &mut String, t: &Table, number: usize) {
    if let Some(caption) = &t.caption {
        out.push_str(&format!(
            "*Tabell {number}. {}*\n\n",
            escape_markdown(caption)
        ));
    }
    let columns = t
        .head
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let row = |cells: Vec<String>| {
        let mut line = String::from("|");
        for i in 0..columns {
            let c = cells.get(i).map(String::as_str).unwrap_or("");
            line.push_str(&format!(" {c} |"));
        }
        line.push('\n');
        line
    };
    out.push_str(&row(t.head.iter().map(|h| cell_text(h)).collect()));
    let mut rule = String::from("|");
    for i in 0..columns {
        let right = t
            .rows
            .first()
            .and_then(|r| r.get(i))
            .is_some_and(|c| c.value.is_numeric());
        rule.push_str(if right { "---:|" } else { "---|" });
    }
    out.push_str(&rule);
    out.push('\n');
    for r in &t.rows {
        out.push_str(&row(r
            .iter()
            .map(|c| cell_text(&c.value.display()))
            .collect()));
    }
    out.push('\n');
}
