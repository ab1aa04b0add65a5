//! The organisation's Word template (`dokumentmall`): the parts of it the review
//! document takes over — styles, numbering, theme, page size and margins, and the
//! headers and footers with everything they refer to (a logo image, typically). The
//! template's own body text is never copied.
//!
//! Parts are carried over as bytes; only relationship targets are renamed (`mall-…`) so
//! they cannot collide with the parts genomgang writes.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// A header or footer taken from the template.
#[derive(Debug, Clone)]
pub struct HeaderFooter {
    /// "header" or "footer".
    pub kind: &'static str,
    /// "default", "first" or "even".
    pub slot: String,
    /// Part name inside the package, e.g. "word/mall-header1.xml".
    pub part: String,
    pub xml: Vec<u8>,
    /// Its relationships part, with targets renamed.
    pub rels: Option<String>,
}

/// What the review document takes from a template.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub styles: Option<String>,
    pub numbering: Option<String>,
    pub theme: Option<Vec<u8>>,
    /// `w:pgSz` and `w:pgMar` elements of the template's last section.
    pub page_size: Option<String>,
    pub page_margins: Option<String>,
    /// The template has a different first-page header and footer.
    pub title_page: bool,
    pub parts: Vec<HeaderFooter>,
    /// Files the headers and footers refer to: (part name, bytes).
    pub media: Vec<(String, Vec<u8>)>,
    /// Content types for the copied files: extension defaults and part overrides.
    pub defaults: BTreeMap<String, String>,
    pub overrides: BTreeMap<String, String>,
}

/// The largest part read from a template; a logo is far smaller.
pub const MAX_PART: u64 = 32 * 1024 * 1024;

/// Reads a template; the error says in Swedish what is wrong. A part larger than
/// [`MAX_PART`] refuses the whole template: a part cut short would be a broken document.
pub fn read(bytes: &[u8]) -> Result<Template, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "filen är inte ett Word-dokument (.docx eller .dotx)".to_string())?;
    let too_big: std::cell::Cell<Option<String>> = std::cell::Cell::new(None);
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let file = zip.by_name(name).ok()?;
        let mut buf = Vec::new();
        file.take(MAX_PART + 1).read_to_end(&mut buf).ok()?;
        if buf.len() as u64 > MAX_PART {
            too_big.set(Some(name.to_string()));
            return None;
        }
        Some(buf)
    };
    let text = |b: Vec<u8>| String::from_utf8(b).ok();
    let document = part("word/document.xml")
        .and_then(text)
        .ok_or("word/document.xml saknas; filen är inte ett Word-dokument")?;
    let rels = part("word/_rels/document.xml.rels")
        .and_then(text)
        .unwrap_or_default();
    let types = part("[Content_Types].xml")
        .and_then(text)
        .unwrap_or_default();

    let mut t = Template {
        styles: part("word/styles.xml").and_then(text),
        numbering: part("word/numbering.xml").and_then(text),
        ..Template::default()
    };
    for tag in tags(&types, "Default") {
        if let (Some(ext), Some(ct)) = (attr(tag, "Extension"), attr(tag, "ContentType")) {
            t.defaults.insert(ext.to_ascii_lowercase(), ct);
        }
    }
    let mut type_overrides = BTreeMap::new();
    for tag in tags(&types, "Override") {
        if let (Some(name), Some(ct)) = (attr(tag, "PartName"), attr(tag, "ContentType")) {
            type_overrides.insert(name.trim_start_matches('/').to_string(), ct);
        }
    }
    let targets: BTreeMap<String, (String, String)> = tags(&rels, "Relationship")
        .into_iter()
        .filter_map(|tag| {
            Some((
                attr(tag, "Id")?,
                (attr(tag, "Type").unwrap_or_default(), attr(tag, "Target")?),
            ))
        })
        .collect();
    if let Some((_, target)) = targets.values().find(|(ty, _)| ty.ends_with("/theme")) {
        t.theme = part(&resolve("word", target));
    }

    let section = last_section(&document).unwrap_or_default();
    t.page_size = element(section, "w:pgSz");
    t.page_margins = element(section, "w:pgMar");
    t.title_page = section.contains("<w:titlePg/>") || section.contains("<w:titlePg ");
    for (kind, tag_name) in [
        ("header", "w:headerReference"),
        ("footer", "w:footerReference"),
    ] {
        for tag in tags(section, tag_name) {
            let slot = attr(tag, "w:type").unwrap_or_else(|| "default".to_string());
            let Some((_, target)) = attr(tag, "r:id").and_then(|id| targets.get(&id)) else {
                continue;
            };
            let old = resolve("word", target);
            let Some(xml) = part(&old) else { continue };
            let file = old.rsplit('/').next().unwrap_or(&old).to_string();
            let new = format!("word/mall-{file}");
            let rels_name = format!("word/_rels/{file}.rels");
            let rels = part(&rels_name)
                .and_then(text)
                .map(|r| copy_targets(&r, &mut part, &type_overrides, &mut t));
            t.parts.push(HeaderFooter {
                kind,
                slot,
                part: new,
                xml,
                rels,
            });
        }
    }
    if let Some(name) = too_big.take() {
        return Err(format!(
            "delen {name} i mallen är större än {} MiB packad upp; en mall med en så stor del används inte. Minska bilden eller spara om mallen",
            MAX_PART / (1024 * 1024)
        ));
    }
    Ok(t)
}

/// Copies every internal target of a header's relationships as `mall-NAME` and returns
/// the relationships with the targets renamed.
fn copy_targets(
    rels: &str,
    part: &mut impl FnMut(&str) -> Option<Vec<u8>>,
    type_overrides: &BTreeMap<String, String>,
    t: &mut Template,
) -> String {
    let mut out = rels.to_string();
    for tag in tags(rels, "Relationship") {
        if attr(tag, "TargetMode").is_some_and(|m| m == "External") {
            continue;
        }
        let Some(target) = attr(tag, "Target") else {
            continue;
        };
        let old = resolve("word", &target);
        let Some(bytes) = part(&old) else { continue };
        let (dir, file) = match old.rsplit_once('/') {
            Some((d, f)) => (d.to_string(), f.to_string()),
            None => (String::new(), old.clone()),
        };
        let new = format!("{dir}/mall-{file}");
        let new_target = match target.rsplit_once('/') {
            Some((d, f)) => format!("{d}/mall-{f}"),
            None => format!("mall-{target}"),
        };
        if let Some(ct) = type_overrides.get(&old) {
            t.overrides.insert(new.clone(), ct.clone());
        }
        if !t.media.iter().any(|(name, _)| name == &new) {
            t.media.push((new, bytes));
        }
        let renamed = tag.replace(
            &format!("Target=\"{target}\""),
            &format!("Target=\"{new_target}\""),
        );
        out = out.replace(tag, &renamed);
    }
    out
}

/// A relationship target resolved against the folder of its source part.
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The body's last `w:sectPr` (the document's final section).
fn last_section(document: &str) -> Option<&str> {
    let start = document.rfind("<w:sectPr")?;
    let rest = &document[start..];
    let end = rest.find("</w:sectPr>").map(|e| e + "</w:sectPr>".len())?;
    Some(&rest[..end])
}

/// The first `<name …/>` element in `xml`, as written.
fn element(xml: &str, name: &str) -> Option<String> {
    tags(xml, name.trim_start_matches('<'))
        .first()
        .map(|t| t.to_string())
}

/// Every start or empty tag `<name …>` in `xml` (the tag text only).
pub fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open) {
        let start = from + i;
        let after = &xml[start + open.len()..];
        let Some(end) = after.find('>') else { break };
        if after.starts_with([' ', '/', '>', '\t', '\n', '\r']) {
            out.push(&xml[start..start + open.len() + end + 1]);
        }
        from = start + open.len() + end + 1;
    }
    out
}

/// The value of attribute `name` in a tag, unescaped.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let start = from + i;
        let before_ok = start > 0 && tag.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = tag[start + name.len()..].trim_start();
        if before_ok {
            if let Some(rest) = rest.strip_prefix('=') {
                let rest = rest.trim_start();
                let quote = rest.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let value = &rest[1..];
                    let end = value.find(quote)?;
                    return Some(unescape(&value[..end]));
                }
            }
        }
        from = start + name.len();
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_tags() {
        let xml =
            "<w:headerReference w:type=\"first\" r:id=\"rId7\"/><w:headerReferenceX a=\"1\"/>";
        let found = tags(xml, "w:headerReference");
        assert_eq!(found.len(), 1);
        assert_eq!(attr(found[0], "w:type").as_deref(), Some("first"));
        assert_eq!(attr(found[0], "r:id").as_deref(), Some("rId7"));
        assert_eq!(attr(found[0], "id"), None);
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("word", "media/logo.png"), "word/media/logo.png");
    }
}
