//! The styles the document uses, looked up by their built-in names ("heading 1",
//! "caption", "toc 1" …) so an organisation's template can supply them under its own
//! ids (Swedish Word writes `Rubrik1` for "heading 1"). Styles the template lacks are
//! added from the defaults below; without a template the defaults are the whole sheet.

use std::fmt::Write as _;

use super::xml::LANG;

/// One style the document needs: its built-in name, the id used when we define it, and
/// our definition (the inside of `w:style`, after `w:name`).
struct Def {
    name: &'static str,
    id: &'static str,
    kind: &'static str,
    body: &'static str,
}

const DEFS: &[Def] = &[
    Def {
        name: "Normal",
        id: "Normal",
        kind: "paragraph",
        body: "<w:qFormat/><w:pPr><w:spacing w:after=\"160\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr>",
    },
    Def {
        name: "heading 1",
        id: "Rubrik1",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"1F4E79\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>",
    },
    Def {
        name: "heading 2",
        id: "Rubrik2",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"280\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"1F4E79\"/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr>",
    },
    Def {
        name: "heading 3",
        id: "Rubrik3",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"60\"/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"262626\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr>",
    },
    Def {
        name: "Title",
        id: "Rubrik",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"10\"/><w:qFormat/><w:pPr><w:spacing w:before=\"2400\" w:after=\"240\"/></w:pPr><w:rPr><w:color w:val=\"1F4E79\"/><w:kern w:val=\"28\"/><w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/></w:rPr>",
    },
    Def {
        name: "Subtitle",
        id: "Underrubrik",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"11\"/><w:qFormat/><w:pPr><w:spacing w:after=\"960\"/></w:pPr><w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>",
    },
    Def {
        name: "caption",
        id: "Beskrivning",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"35\"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:before=\"60\" w:after=\"240\"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val=\"404040\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>",
    },
    Def {
        name: "TOC Heading",
        id: "Innehallsforteckningsrubrik",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val=\"1F4E79\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>",
    },
    Def {
        name: "toc 1",
        id: "Innehll1",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9060\"/></w:tabs><w:spacing w:before=\"120\" w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr>",
    },
    Def {
        name: "toc 2",
        id: "Innehll2",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9060\"/></w:tabs><w:spacing w:after=\"60\"/><w:ind w:left=\"220\"/></w:pPr>",
    },
    Def {
        name: "toc 3",
        id: "Innehll3",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9060\"/></w:tabs><w:spacing w:after=\"60\"/><w:ind w:left=\"440\"/></w:pPr>",
    },
    Def {
        name: "List Paragraph",
        id: "Liststycke",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"34\"/><w:qFormat/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/><w:contextualSpacing/></w:pPr>",
    },
    Def {
        name: "header",
        id: "Sidhuvud",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4536\"/><w:tab w:val=\"right\" w:pos=\"9072\"/></w:tabs><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>",
    },
    Def {
        name: "footer",
        id: "Sidfot",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4536\"/><w:tab w:val=\"right\" w:pos=\"9072\"/></w:tabs><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>",
    },
    Def {
        name: "footnote text",
        id: "Fotnotstext",
        kind: "paragraph",
        body: "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>",
    },
    Def {
        name: "footnote reference",
        id: "Fotnotsreferens",
        kind: "character",
        body: "<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr>",
    },
    Def {
        name: "Hyperlink",
        id: "Hyperlnk",
        kind: "character",
        body: "<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:rPr><w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr>",
    },
    Def {
        name: "Genomgång tabell",
        id: "GenomgangTabell",
        kind: "table",
        body: "<w:basedOn w:val=\"NormalTable\"/><w:uiPriority w:val=\"59\"/><w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A6A6A6\"/></w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/><w:bCs/><w:color w:val=\"FFFFFF\"/></w:rPr><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"1F4E79\"/></w:tcPr></w:tblStylePr>",
    },
    Def {
        name: "Normal Table",
        id: "NormalTable",
        kind: "table",
        body: "<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>",
    },
];

/// The style ids the document body refers to.
#[derive(Debug, Clone)]
pub struct StyleIds {
    pub heading: [String; 3],
    pub title: String,
    pub subtitle: String,
    pub caption: String,
    pub toc_heading: String,
    pub toc: [String; 3],
    pub list: String,
    pub header: String,
    pub footer: String,
    pub footnote_text: String,
    pub footnote_ref: String,
    pub hyperlink: String,
    pub table: String,
}

/// `styles.xml` and the ids to use with it: the template's sheet with our missing
/// styles added, or our own sheet.
pub fn styles(template: Option<&str>) -> (String, StyleIds) {
    let existing: Vec<(String, String)> = template.map(style_names).unwrap_or_default();
    let mut added = String::new();
    let mut id_of = |def: &Def| -> String {
        if let Some((_, id)) = existing
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(def.name))
        {
            return id.clone();
        }
        // An id taken by another style in the template gets a prefix.
        let id = if existing.iter().any(|(_, id)| id == def.id) {
            format!("Genomgang{}", def.id)
        } else {
            def.id.to_string()
        };
        let default = if def.id == "Normal" || def.id == "NormalTable" {
            " w:default=\"1\""
        } else {
            ""
        };
        let _ = write!(
            added,
            "<w:style w:type=\"{}\"{default} w:styleId=\"{id}\"><w:name w:val=\"{}\"/>{}</w:style>",
            def.kind, def.name, def.body
        );
        id
    };
    let ids: Vec<String> = DEFS.iter().map(&mut id_of).collect();
    let get = |name: &str| {
        let i = DEFS.iter().position(|d| d.name == name).expect("defined");
        ids[i].clone()
    };
    let style_ids = StyleIds {
        heading: [get("heading 1"), get("heading 2"), get("heading 3")],
        title: get("Title"),
        subtitle: get("Subtitle"),
        caption: get("caption"),
        toc_heading: get("TOC Heading"),
        toc: [get("toc 1"), get("toc 2"), get("toc 3")],
        list: get("List Paragraph"),
        header: get("header"),
        footer: get("footer"),
        footnote_text: get("footnote text"),
        footnote_ref: get("footnote reference"),
        hyperlink: get("Hyperlink"),
        table: get("Genomgång tabell"),
    };
    let xml = match template {
        Some(t) => match t.rfind("</w:styles>") {
            Some(end) => format!("{}{added}{}", &t[..end], &t[end..]),
            None => t.to_string(),
        },
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:eastAsia=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{LANG}\" w:eastAsia=\"{LANG}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"160\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>{added}</w:styles>"
        ),
    };
    (xml, style_ids)
}

/// (name, id) of every style in a styles part.
fn style_names(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:style ") {
        let after = &rest[start..];
        let end = after.find("</w:style>").unwrap_or(after.len());
        let block = &after[..end];
        let tag_end = block.find('>').unwrap_or(block.len());
        let id = super::template::attr(&block[..tag_end], "w:styleId");
        let name = block.find("<w:name ").and_then(|i| {
            let t = &block[i..];
            let e = t.find('>').unwrap_or(t.len());
            super::template::attr(&t[..e], "w:val")
        });
        if let (Some(id), Some(name)) = (id, name) {
            out.push((name, id));
        }
        rest = &after[end.max(1)..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_styles_are_used_by_name_and_missing_ones_added() {
        let template = "<w:styles xmlns:w=\"x\"><w:style w:type=\"paragraph\" w:styleId=\"Rubrik1\"><w:name w:val=\"heading 1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Innehll1\"><w:name w:val=\"Egen\"/></w:style></w:styles>";
        let (xml, ids) = styles(Some(template));
        assert_eq!(ids.heading[0], "Rubrik1");
        assert_eq!(ids.heading[1], "Rubrik2");
        assert_eq!(ids.toc[0], "GenomgangInnehll1");
        assert_eq!(xml.matches("w:styleId=\"Rubrik1\"").count(), 1);
        assert!(xml.contains("<w:name w:val=\"heading 2\"/>"));
        assert!(xml.ends_with("</w:styles>"));
    }
}
