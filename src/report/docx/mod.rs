//! The review as a Word document, `Ledningens genomgång YYYY - UNIT.docx`, written from
//! the same [`Review`] as the workbook and the .md: title page, table of contents, then
//! the review's document tree — decision page, sections 1–4 with Word's heading styles and
//! numbering, the KPI table and risk matrix as Word tables, the figures as Word's own
//! charts ([`chart`]), the sources the text cites and the data-quality appendix.
//!
//! # Why WordprocessingML by hand, not a docx crate
//! `docx-rs` (0.4.22, checked 2026-11) writes fields such as PAGE, NUMPAGES and TOC, but
//! an organisation's template cannot be used with it: styles, headers and footers are
//! rebuilt from its own model, so a template's style sheet, theme and a header with a
//! logo (DrawingML or VML, relationships to media) are not carried over (bokuweb/docx-rs
//! issue 562, open). It would also add five crates (a second `zip` 8 beside our `zip` 9,
//! `quick-xml` 0.41, `typed-path`, `base64`), about 16 s of CPU on a clean debug build.
//! A WordprocessingML package is a handful of XML parts; written here with the `zip` crate
//! already used for reading xlsx, the template's parts are copied as bytes, property
//! elements are in schema order, and the output is byte-for-byte reproducible (fixed zip
//! timestamps, fixed part order).
//!
//! Text from the review or the inputs only ever reaches the XML through
//! [`xml::esc`]; the document holds the same aggregates as the workbook, never
//! identifiers or raw values.

mod body;
pub mod chart;
mod styles;
pub mod template;
mod xml;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::Error;
use crate::report::control::DocumentControl;
use crate::review::Review;
use xml::{esc, field, run, Fmt, Para};

/// What the document needs besides the review: the document-control facts for the
/// title page and properties, and the organisation's template.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    /// ISAM, DSO, author, version, diarienummer, distribution and date.
    pub control: DocumentControl,
    /// The organisation's template, resolved to a path.
    pub template: Option<PathBuf>,
}

impl DocxOptions {
    /// Options from the configuration. A relative `dokumentmall` is looked up in `dirs`
    /// in order; the warnings say in Swedish what could not be used and which title-page
    /// role is blank (naming the key to set).
    pub fn from_config(cfg: &Config, dirs: &[&Path]) -> (DocxOptions, Vec<String>) {
        // The configuration has checked that dokumentdatum is a date.
        let date = cfg
            .dokumentdatum
            .as_deref()
            .and_then(|text| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok())
            .unwrap_or_else(run_date);
        let (control, mut warnings) = DocumentControl::from_config(cfg, date);
        let template = cfg.dokumentmall.as_deref().and_then(|name| {
            let p = Path::new(name.trim());
            let found = if p.is_absolute() {
                p.is_file().then(|| p.to_path_buf())
            } else {
                dirs.iter().map(|d| d.join(p)).find(|c| c.is_file())
            };
            if found.is_none() {
                warnings.push(format!(
                    "dokumentmallen \"{name}\" hittades inte (sökte i {}); Word-dokumentet skrivs med standardutseendet.",
                    dirs.iter()
                        .map(|d| d.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            found
        });
        (DocxOptions { control, template }, warnings)
    }
}

/// SOURCE_DATE_EPOCH (seconds since 1970) when set — the reproducible-builds convention
/// for a fixed date — else today.
fn run_date() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// `Ledningens genomgång YYYY - UNIT.docx`
pub fn docx_file_name(year: i32, unit: &str) -> String {
    crate::report::workbook_file_name(year, unit).replace(".xlsx", ".docx")
}

/// Writes the document atomically; returns warnings (a template that could not be
/// used) for the caller to print.
pub fn write_docx(
    review: &Review,
    path: &Path,
    options: &DocxOptions,
) -> Result<Vec<String>, Error> {
    let (bytes, warnings) = build(review, options).map_err(|e| match e {
        Error::Document { source, .. } => Error::Document {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    })?;
    crate::report::write_atomically(path, &bytes)?;
    Ok(warnings)
}

/// The largest template file read: a letterhead with a logo is well under a MiB.
const MAX_TEMPLATE_FILE: u64 = 64 * 1024 * 1024;

/// A template's bytes, refused in Swedish when the file is larger than a template is.
fn read_template_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| crate::platform::read_error(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_TEMPLATE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::platform::read_error(&e))?;
    if bytes.len() as u64 > MAX_TEMPLATE_FILE {
        return Err(format!(
            "filen är större än gränsen {} MiB för en dokumentmall",
            MAX_TEMPLATE_FILE / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// The document as bytes, and warnings. A chart that cannot be drawn is an
/// [`Error::Chart`]; a package that cannot be put together an [`Error::Document`] (named
/// by its file name; [`write_docx`] gives the whole path).
pub fn build(review: &Review, options: &DocxOptions) -> Result<(Vec<u8>, Vec<String>), Error> {
    let mut warnings = Vec::new();
    let template = match &options.template {
        Some(path) => match read_template_file(path).and_then(|b| template::read(&b)) {
            Ok(t) => Some(t),
            Err(e) => {
                warnings.push(format!(
                    "dokumentmallen {} kunde inte användas ({e}); Word-dokumentet skrivs med standardutseendet.",
                    path.display()
                ));
                None
            }
        },
        None => None,
    };
    let (styles_xml, ids) = styles::styles(template.as_ref().and_then(|t| t.styles.as_deref()));
    let page_size = template
        .as_ref()
        .and_then(|t| t.page_size.clone())
        .unwrap_or_else(|| "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>".to_string());
    let page_margins = template
        .as_ref()
        .and_then(|t| t.page_margins.clone())
        .unwrap_or_else(|| {
            "<w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"1418\" w:left=\"1418\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>".to_string()
        });
    let text_width = text_width(&page_size, &page_margins);
    let body = body::write(review, &ids, text_width, &options.control);
    let title = format!("Ledningens genomgång {} – {}", review.year, review.unit);

    // Headers and footers: the template's where it has them, ours otherwise.
    let mut doc_rels = String::new();
    let mut overrides: Vec<(String, &str)> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut references = String::new();
    let hdr_ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml";
    let ftr_ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
    let mut slots: Vec<(&str, String, String)> = Vec::new(); // (kind, slot, part)
    if let Some(t) = &template {
        for p in &t.parts {
            slots.push((p.kind, p.slot.clone(), p.part.clone()));
            // A part the template uses in two slots (first and default) is written once.
            if files.iter().any(|(name, _)| *name == p.part) {
                continue;
            }
            files.push((p.part.clone(), p.xml.clone()));
            if let Some(rels) = &p.rels {
                let file = p.part.trim_start_matches("word/");
                files.push((format!("word/_rels/{file}.rels"), rels.as_bytes().to_vec()));
            }
            overrides.push((
                format!("/{}", p.part),
                if p.kind == "header" { hdr_ct } else { ftr_ct },
            ));
        }
        for (name, bytes) in &t.media {
            files.push((name.clone(), bytes.clone()));
        }
    }
    let title_page = template.as_ref().map(|t| t.title_page).unwrap_or(true);
    let ours: [(&str, &str, String); 4] = [
        ("header", "default", header_xml(&ids.header, &title)),
        ("footer", "default", footer_xml(&ids.footer)),
        ("header", "first", empty_part("hdr", &ids.header)),
        ("footer", "first", empty_part("ftr", &ids.footer)),
    ];
    for (kind, slot, xml) in ours {
        if slots.iter().any(|(k, s, _)| *k == kind && s == slot) || (slot == "first" && !title_page)
        {
            continue;
        }
        let part = format!("word/genomgang-{kind}-{slot}.xml");
        files.push((part.clone(), xml.into_bytes()));
        overrides.push((
            format!("/{part}"),
            if kind == "header" { hdr_ct } else { ftr_ct },
        ));
        slots.push((kind, slot.to_string(), part));
    }
    // Header references come before footer references in w:sectPr.
    slots.sort_by_key(|(kind, slot, _)| (*kind != "header", slot.clone()));
    for (i, (kind, slot, part)) in slots.iter().enumerate() {
        let id = format!("rIdHf{}", i + 1);
        let _ = write!(
            doc_rels,
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{}\"/>",
            esc(part.trim_start_matches("word/"))
        );
        let _ = write!(
            references,
            "<w:{kind}Reference w:type=\"{}\" r:id=\"{id}\"/>",
            esc(slot)
        );
    }
    let section = format!(
        "<w:sectPr>{references}{page_size}{page_margins}<w:cols w:space=\"708\"/>{}<w:docGrid w:linePitch=\"360\"/></w:sectPr>",
        if title_page { "<w:titlePg/>" } else { "" }
    );
    let document = format!(
        "{XML_DECL}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><w:body>{}{section}</w:body></w:document>",
        body.xml
    );

    let rel = |id: &str, ty: &str, target: &str| {
        format!(
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{ty}\" Target=\"{}\"/>",
            esc(target)
        )
    };
    doc_rels.push_str(&rel("rIdStyles", "styles", "styles.xml"));
    doc_rels.push_str(&rel("rIdNumbering", "numbering", "numbering.xml"));
    doc_rels.push_str(&rel("rIdSettings", "settings", "settings.xml"));
    doc_rels.push_str(&rel("rIdFootnotes", "footnotes", "footnotes.xml"));
    if let Some(theme) = template.as_ref().and_then(|t| t.theme.clone()) {
        doc_rels.push_str(&rel("rIdTheme", "theme", "theme/theme1.xml"));
        files.push(("word/theme/theme1.xml".to_string(), theme));
        overrides.push((
            "/word/theme/theme1.xml".to_string(),
            "application/vnd.openxmlformats-officedocument.theme+xml",
        ));
    }
    // Word's own charts: the chart part, its relationships and its data workbook.
    for (i, (id, chart_id)) in body.refs.charts.iter().enumerate() {
        let Some(spec) = review.chart(*chart_id) else {
            continue;
        };
        let p = chart::parts(spec, i + 1).map_err(|message| Error::Chart {
            path: PathBuf::from(format!("word/charts/chart{}.xml", i + 1)),
            message,
        })?;
        doc_rels.push_str(&rel(id, "chart", p.chart_name.trim_start_matches("word/")));
        overrides.push((format!("/{}", p.chart_name), chart::CHART_CONTENT_TYPE));
        files.push((p.chart_name, p.chart_xml));
        files.push((p.rels_name, p.rels_xml));
        files.push((p.workbook_name, p.workbook));
    }
    for (id, url) in &body.refs.links {
        let _ = write!(
            doc_rels,
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            esc(url)
        );
    }
    let mut footnote_rels = String::new();
    for (id, url) in &body.refs.footnote_links {
        let _ = write!(
            footnote_rels,
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            esc(url)
        );
    }

    let numbering = numbering_xml(
        template.as_ref().and_then(|t| t.numbering.as_deref()),
        &body.refs.lists,
    );
    let author = options
        .control
        .author
        .clone()
        .unwrap_or_else(|| review.unit.clone());

    // Content types: fixed defaults, the template's for copied media, overrides per part.
    let mut types = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Default Extension=\"xlsx\" ContentType=\"{}\"/>",
        chart::XLSX_CONTENT_TYPE
    );
    if let Some(t) = &template {
        let mut exts: Vec<String> = t
            .media
            .iter()
            .filter(|(name, _)| !t.overrides.contains_key(name))
            .filter_map(|(name, _)| name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()))
            .filter(|e| e != "png" && e != "xml" && e != "rels" && e != "xlsx")
            .collect();
        exts.sort();
        exts.dedup();
        for ext in exts {
            let ct = t
                .defaults
                .get(&ext)
                .cloned()
                .unwrap_or_else(|| media_type(&ext).to_string());
            let _ = write!(
                types,
                "<Default Extension=\"{}\" ContentType=\"{}\"/>",
                esc(&ext),
                esc(&ct)
            );
        }
        for (name, ct) in &t.overrides {
            let _ = write!(
                types,
                "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
                esc(name),
                esc(ct)
            );
        }
    }
    let main_overrides: [(&str, &str); 7] = [
        (
            "/word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        (
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        (
            "/word/numbering.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        ),
        (
            "/word/settings.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        ),
        (
            "/word/footnotes.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        ),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml",
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ];
    for (name, ct) in main_overrides {
        let _ = write!(
            types,
            "<Override PartName=\"{name}\" ContentType=\"{ct}\"/>"
        );
    }
    for (name, ct) in &overrides {
        let _ = write!(
            types,
            "<Override PartName=\"{}\" ContentType=\"{ct}\"/>",
            esc(name)
        );
    }
    types.push_str("</Types>");

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        ("_rels/.rels".to_string(), ROOT_RELS.as_bytes().to_vec()),
        (
            "docProps/core.xml".to_string(),
            core_xml(review, &title, &author, options.control.date).into_bytes(),
        ),
        ("docProps/app.xml".to_string(), app_xml(review).into_bytes()),
        ("word/document.xml".to_string(), document.into_bytes()),
        (
            "word/_rels/document.xml.rels".to_string(),
            rels_part(&doc_rels).into_bytes(),
        ),
        ("word/styles.xml".to_string(), styles_xml.into_bytes()),
        ("word/numbering.xml".to_string(), numbering.into_bytes()),
        (
            "word/settings.xml".to_string(),
            SETTINGS.as_bytes().to_vec(),
        ),
        (
            "word/footnotes.xml".to_string(),
            footnotes_xml(&body.refs.footnotes).into_bytes(),
        ),
    ];
    if !footnote_rels.is_empty() {
        parts.push((
            "word/_rels/footnotes.xml.rels".to_string(),
            rels_part(&footnote_rels).into_bytes(),
        ));
    }
    parts.extend(files);
    let bytes = zip_parts(&parts).map_err(|source| Error::Document {
        path: PathBuf::from(docx_file_name(review.year, &review.unit)),
        source,
    })?;
    Ok((bytes, warnings))
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

/// Settings in schema order: fields (the TOC) updated when Word opens the file, Swedish
/// decimal comma and list separator, the footnote separators.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"1304\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:updateFields w:val=\"true\"/><w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"sv-SE\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/></w:settings>";

fn rels_part(inner: &str) -> String {
    format!("{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{inner}</Relationships>")
}

fn media_type(ext: &str) -> &'static str {
    match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "emf" => "image/x-emf",
        "wmf" => "image/x-wmf",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
}

/// Width between the margins, in twips.
fn text_width(page_size: &str, margins: &str) -> u32 {
    let num = |tag: &str, name: &str| {
        template::attr(tag, name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let width = num(page_size, "w:w") - num(margins, "w:left") - num(margins, "w:right");
    u32::try_from(width)
        .ok()
        .filter(|w| *w > 1000)
        .unwrap_or(body::TEXT_WIDTH)
}

fn header_xml(style: &str, title: &str) -> String {
    let para = Para {
        style: Some(style),
        jc: Some("right"),
        ..Para::default()
    };
    format!(
        "{XML_DECL}<w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{}</w:hdr>",
        para.with(&run(title, Fmt::default()))
    )
}

fn footer_xml(style: &str) -> String {
    let para = Para {
        style: Some(style),
        jc: Some("center"),
        ..Para::default()
    };
    let content = format!(
        "{}{}{}{}",
        run("Sida ", Fmt::default()),
        field("PAGE", "1", Fmt::default()),
        run(" av ", Fmt::default()),
        field("NUMPAGES", "1", Fmt::default())
    );
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{}</w:ftr>",
        para.with(&content)
    )
}

fn empty_part(tag: &str, style: &str) -> String {
    format!(
        "{XML_DECL}<w:{tag} xmlns:w=\"{W}\" xmlns:r=\"{R}\">{}</w:{tag}>",
        Para::style(style).with("")
    )
}

fn footnotes_xml(notes: &[String]) -> String {
    let mut s = format!(
        "{XML_DECL}<w:footnotes xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    );
    for (i, note) in notes.iter().enumerate() {
        let _ = write!(s, "<w:footnote w:id=\"{}\">{note}</w:footnote>", i + 1);
    }
    s.push_str("</w:footnotes>");
    s
}

/// Bullets, the decision list, heading numbers (1, 1.1, 1.1.1), the source list and the
/// numbered lists of the text (`lists`: numbering instance and first number).
fn numbering_xml(template: Option<&str>, lists: &[(u32, u64)]) -> String {
    let level = |ilvl: u32, fmt: &str, text: &str, left: u32, hanging: u32| {
        format!(
            "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/></w:pPr></w:lvl>"
        )
    };
    let mut bullets = String::from(
        "<w:abstractNum w:abstractNumId=\"901\"><w:multiLevelType w:val=\"hybridMultilevel\"/>",
    );
    for (i, sym) in ["•", "–", "•"].iter().enumerate() {
        bullets.push_str(&level(i as u32, "bullet", sym, 360 * (i as u32 + 1), 360));
    }
    bullets.push_str("</w:abstractNum>");
    let mut decimal = String::from(
        "<w:abstractNum w:abstractNumId=\"902\"><w:multiLevelType w:val=\"hybridMultilevel\"/>",
    );
    decimal.push_str(&level(0, "decimal", "%1.", 360, 360));
    decimal.push_str(&level(1, "lowerLetter", "%2)", 720, 360));
    decimal.push_str("</w:abstractNum>");
    let mut headings = String::from(
        "<w:abstractNum w:abstractNumId=\"903\"><w:multiLevelType w:val=\"multilevel\"/>",
    );
    headings.push_str(&level(0, "decimal", "%1", 567, 567));
    headings.push_str(&level(1, "decimal", "%1.%2", 709, 709));
    headings.push_str(&level(2, "decimal", "%1.%2.%3", 851, 851));
    headings.push_str("</w:abstractNum>");
    let abstracts = format!("{bullets}{decimal}{headings}");
    let mut nums = String::from("<w:num w:numId=\"901\"><w:abstractNumId w:val=\"901\"/></w:num><w:num w:numId=\"902\"><w:abstractNumId w:val=\"902\"/></w:num><w:num w:numId=\"903\"><w:abstractNumId w:val=\"903\"/></w:num><w:num w:numId=\"904\"><w:abstractNumId w:val=\"902\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>");
    for (id, first) in lists {
        let _ = write!(
            nums,
            "<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"902\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{first}\"/></w:lvlOverride></w:num>"
        );
    }
    match template.and_then(|t| t.rfind("</w:numbering>").map(|end| (t, end))) {
        Some((t, end)) => {
            let first_num = t
                .find("<w:num ")
                .or_else(|| t.find("<w:num>"))
                .unwrap_or(end);
            format!(
                "{}{abstracts}{}{nums}{}",
                &t[..first_num],
                &t[first_num..end],
                &t[end..]
            )
        }
        None => format!("{XML_DECL}<w:numbering xmlns:w=\"{W}\">{abstracts}{nums}</w:numbering>"),
    }
}

fn core_xml(review: &Review, title: &str, author: &str, date: NaiveDate) -> String {
    let stamp = format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>Informationssäkerhet och dataskydd, ISO/IEC 27001 9.3</dc:subject><dc:creator>{}</dc:creator><cp:keywords>Ledningens genomgång; {}; {}</cp:keywords><dc:language>sv-SE</dc:language><cp:lastModifiedBy>{}</cp:lastModifiedBy><dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified></cp:coreProperties>",
        esc(title),
        esc(author),
        esc(&review.unit),
        review.year,
        esc(author)
    )
}

fn app_xml(review: &Review) -> String {
    format!(
        "{XML_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>{}</Application><Company>{}</Company></Properties>",
        esc(&review.generated_by),
        esc(&review.unit)
    )
}

/// The package: parts in the given order, deflated, every entry dated 1980-01-01 so the
/// same document gives the same bytes.
fn zip_parts(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        // Images and embedded workbooks are already compressed.
        let stored = name.ends_with(".png")
            || name.ends_with(".jpeg")
            || name.ends_with(".jpg")
            || name.ends_with(".xlsx");
        let part_options = if stored {
            options.compression_method(zip::CompressionMethod::Stored)
        } else {
            // Level 1: small XML parts pack nearly as tight at a fraction of the time.
            options.compression_level(Some(1))
        };
        zip.start_file(name.as_str(), part_options)?;
        zip.write_all(bytes)?;
    }
    let cursor = zip.finish()?;
    Ok(cursor.into_inner())
}
