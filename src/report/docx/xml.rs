//! WordprocessingML building blocks: escaped text runs, paragraphs, fields and table
//! cells. Every text from the review or the inputs goes through [`esc`], so it can only
//! ever become character data, never markup; property elements are written in the
//! order the schema requires (Word repairs a file whose `w:rPr` children are out of order).

use std::fmt::Write as _;

/// The language of every run, so Word spell-checks in Swedish whatever the template says.
pub const LANG: &str = "sv-SE";

/// Escapes text for element content and attribute values, dropping characters XML 1.0
/// does not allow (control characters from spreadsheet cells).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Character formatting of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fmt<'a> {
    pub style: Option<&'a str>,
    pub bold: bool,
    pub italic: bool,
    /// Hex colour without '#'.
    pub color: Option<&'a str>,
    /// Size in half-points.
    pub size: Option<u32>,
}

impl Fmt<'_> {
    pub fn bold() -> Fmt<'static> {
        Fmt {
            bold: true,
            ..Fmt::default()
        }
    }

    fn rpr(&self) -> String {
        let mut s = String::from("<w:rPr>");
        if let Some(style) = self.style {
            let _ = write!(s, "<w:rStyle w:val=\"{}\"/>", esc(style));
        }
        if self.bold {
            s.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            s.push_str("<w:i/><w:iCs/>");
        }
        if let Some(color) = self.color {
            let _ = write!(s, "<w:color w:val=\"{color}\"/>");
        }
        if let Some(size) = self.size {
            let _ = write!(s, "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
        }
        let _ = write!(
            s,
            "<w:lang w:val=\"{LANG}\" w:eastAsia=\"{LANG}\"/></w:rPr>"
        );
        s
    }
}

/// A run of text: tabs become `w:tab`, line breaks `w:br`.
pub fn run(text: &str, fmt: Fmt<'_>) -> String {
    let mut s = format!("<w:r>{}", fmt.rpr());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                s.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(s, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
            }
        }
    }
    s.push_str("</w:r>");
    s
}

/// A complex field (`PAGE`, `NUMPAGES`, `TOC …`, `SEQ Figur …`) with its cached result.
pub fn field(instruction: &str, cached: &str, fmt: Fmt<'_>) -> String {
    format!(
        "{}{}{}",
        field_begin(instruction, fmt),
        run(cached, fmt),
        field_end(fmt)
    )
}

/// The start of a complex field up to its separator; the result runs follow.
pub fn field_begin(instruction: &str, fmt: Fmt<'_>) -> String {
    let rpr = fmt.rpr();
    format!(
        "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>{rpr}<w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>",
        esc(instruction)
    )
}

pub fn field_end(fmt: Fmt<'_>) -> String {
    format!("<w:r>{}<w:fldChar w:fldCharType=\"end\"/></w:r>", fmt.rpr())
}

/// Paragraph formatting.
#[derive(Debug, Clone, Default)]
pub struct Para<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    pub page_break_before: bool,
    /// (numId, level); numId 0 switches numbering off.
    pub num: Option<(u32, u32)>,
    /// Raw `w:tabs` content.
    pub tabs: Option<String>,
    /// Raw `w:spacing` attributes.
    pub spacing: Option<&'a str>,
    /// "left", "center", "right", "both".
    pub jc: Option<&'a str>,
}

impl<'a> Para<'a> {
    pub fn style(style: &'a str) -> Para<'a> {
        Para {
            style: Some(style),
            ..Para::default()
        }
    }

    fn ppr(&self) -> String {
        let mut s = String::from("<w:pPr>");
        if let Some(style) = self.style {
            let _ = write!(s, "<w:pStyle w:val=\"{}\"/>", esc(style));
        }
        if self.keep_next {
            s.push_str("<w:keepNext/>");
        }
        if self.page_break_before {
            s.push_str("<w:pageBreakBefore/>");
        }
        if let Some((id, level)) = self.num {
            let _ = write!(
                s,
                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"
            );
        }
        if let Some(tabs) = &self.tabs {
            let _ = write!(s, "<w:tabs>{tabs}</w:tabs>");
        }
        if let Some(spacing) = self.spacing {
            let _ = write!(s, "<w:spacing {spacing}/>");
        }
        if let Some(jc) = self.jc {
            let _ = write!(s, "<w:jc w:val=\"{jc}\"/>");
        }
        s.push_str("</w:pPr>");
        s
    }

    /// The paragraph with `content` (runs, fields, hyperlinks, bookmarks).
    pub fn with(&self, content: &str) -> String {
        format!("<w:p>{}{content}</w:p>", self.ppr())
    }
}

/// A paragraph holding only a page break.
pub fn page_break() -> String {
    "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>".to_string()
}

/// One table cell: width in twips, optional fill colour, its paragraphs.
pub fn cell(width: u32, fill: Option<&str>, paragraphs: &str) -> String {
    let shd = fill
        .map(|f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"))
        .unwrap_or_default();
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shd}</w:tcPr>{paragraphs}</w:tc>"
    )
}

/// A table with a style, column widths and rows of cells; `header` rows repeat on
/// every page.
pub fn table(style: &str, widths: &[u32], header_rows: usize, rows: &[Vec<String>]) -> String {
    let total: u32 = widths.iter().sum();
    let mut s = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"{}\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"{:04X}\" w:firstRow=\"{}\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        esc(style),
        0x0600 | if header_rows > 0 { 0x0020 } else { 0 },
        u8::from(header_rows > 0)
    );
    for w in widths {
        let _ = write!(s, "<w:gridCol w:w=\"{w}\"/>");
    }
    s.push_str("</w:tblGrid>");
    for (i, row) in rows.iter().enumerate() {
        s.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if i < header_rows {
            s.push_str("<w:tblHeader/>");
        }
        s.push_str("</w:trPr>");
        for c in row {
            s.push_str(c);
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_never_becomes_markup() {
        assert_eq!(
            esc("<w:p>&\"x\"\u{1}</w:p>"),
            "&lt;w:p&gt;&amp;&quot;x&quot;&lt;/w:p&gt;"
        );
        let r = run("a\tb\nc", Fmt::default());
        assert!(r.contains("<w:t xml:space=\"preserve\">a</w:t><w:tab/>"));
        assert!(r.contains("<w:br/>"));
        assert!(r.contains("<w:lang w:val=\"sv-SE\""));
    }
}
