//! Word's own charts. Each figure of the document is a DrawingML chart part with its
//! data workbook embedded, the parts Word itself writes for an inserted chart:
//!
//! - `word/charts/chartN.xml`: a `c:chartSpace` whose series carry their categories and
//!   values in `c:strCache` / `c:numCache` (shown without opening the workbook) and refer
//!   to the cells of the embedded workbook (`Blad1!$B$2:$B$7`), ending in
//!   `c:externalData r:id="rId1"` with `c:autoUpdate val="0"`;
//! - `word/charts/_rels/chartN.xml.rels`: relationship `rId1` of type
//!   `…/relationships/package` to `../embeddings/Microsoft_Excel_WorksheetN.xlsx`;
//! - `word/_rels/document.xml.rels`: a relationship of type `…/relationships/chart` to
//!   `charts/chartN.xml`, which the inline drawing's `c:chart r:id` names;
//! - `[Content_Types].xml`: an override
//!   `application/vnd.openxmlformats-officedocument.drawingml.chart+xml` per chart part
//!   and the default for `xlsx`
//!   (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`).
//!
//! (The structure as python-pptx and the Open XML SDK write and read chart parts, with
//! Word's part names.) The chart XML is the one the workbook writer makes for the same
//! specification ([`crate::report::workbook::charts::spec_chart`]), drawn over the
//! embedded workbook's cells: the workbook's chart and the document's chart are one
//! drawing of one specification. "Edit data" in Word opens the embedded workbook.

use std::io::Read as _;

use crate::report::workbook::charts::data_workbook;
use crate::review::charts::ChartSpec;

/// Content type of a chart part.
pub const CHART_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
/// Content type of an embedded workbook.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The parts of chart number `n` (from 1).
pub struct ChartParts {
    /// `word/charts/chartN.xml`
    pub chart_name: String,
    pub chart_xml: Vec<u8>,
    /// `word/charts/_rels/chartN.xml.rels`
    pub rels_name: String,
    pub rels_xml: Vec<u8>,
    /// `word/embeddings/Microsoft_Excel_WorksheetN.xlsx`
    pub workbook_name: String,
    pub workbook: Vec<u8>,
}

/// The chart part, its relationships and its data workbook; an error in Swedish.
pub fn parts(spec: &ChartSpec, n: usize) -> Result<ChartParts, String> {
    let workbook = data_workbook(spec, false).map_err(|e| e.to_string())?;
    let with_chart = data_workbook(spec, true).map_err(|e| e.to_string())?;
    let xml = chart_xml_of(&with_chart)?;
    let workbook_file = format!("Microsoft_Excel_Worksheet{n}.xlsx");
    let xml = with_external_data(&xml);
    let rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/package\" Target=\"../embeddings/{workbook_file}\"/></Relationships>"
    );
    Ok(ChartParts {
        chart_name: format!("word/charts/chart{n}.xml"),
        chart_xml: xml.into_bytes(),
        rels_name: format!("word/charts/_rels/chart{n}.xml.rels"),
        rels_xml: rels.into_bytes(),
        workbook_name: format!("word/embeddings/{workbook_file}"),
        workbook,
    })
}

/// The chart part of a workbook with one chart.
fn chart_xml_of(xlsx: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).map_err(|e| e.to_string())?;
    let mut part = zip
        .by_name("xl/charts/chart1.xml")
        .map_err(|e| format!("diagramdelen saknas ({e})"))?;
    let mut xml = String::new();
    part.read_to_string(&mut xml).map_err(|e| e.to_string())?;
    Ok(xml)
}

/// The chart part pointing at its embedded workbook (`c:externalData`, in schema order
/// after `c:txPr` and before `c:printSettings`), in Swedish.
fn with_external_data(xml: &str) -> String {
    let external = "<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData>";
    let xml = xml
        .replace("<c:lang val=\"en-US\"/>", "<c:lang val=\"sv-SE\"/>")
        .replace("lang=\"en-US\"", "lang=\"sv-SE\"")
        // Data labels show the value only. Word and Excel read an absent flag as off;
        // LibreOffice as on (series and category names beside every value), so each
        // is written out, in schema order.
        .replace(
            "<c:showVal val=\"1\"/></c:dLbls>",
            "<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>",
        );
    // Lines are straight: LibreOffice reads an absent c:smooth as smoothed.
    let xml = match (xml.find("<c:lineChart>"), xml.find("</c:lineChart>")) {
        (Some(start), Some(end)) if start < end => format!(
            "{}{}{}",
            &xml[..start],
            xml[start..end].replace("</c:val></c:ser>", "</c:val><c:smooth val=\"0\"/></c:ser>"),
            &xml[end..]
        ),
        _ => xml,
    };
    let at = xml
        .find("<c:printSettings")
        .or_else(|| xml.rfind("</c:chartSpace>"))
        .unwrap_or(xml.len());
    let mut out = String::with_capacity(xml.len() + external.len());
    out.push_str(&xml[..at]);
    out.push_str(external);
    out.push_str(&xml[at..]);
    out
}
