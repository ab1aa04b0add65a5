//! How the workbook reads, checked in its XML: numeric headers right-aligned over their
//! numbers, value axes of bar and column charts from zero, the configuration out of
//! sight, no absolute paths.

mod common;

use common::*;

fn sample_workbook(t: &TempDir) -> std::path::PathBuf {
    let out = t.join("ut");
    report_ok(&sample_dir(), &out, &["--format", "xlsx"]).1
}

/// The `s` (style index) of each cell on the sheet's row `row` (1-based), by column letter.
fn row_styles(sheet_xml: &str, row: u32) -> Vec<(String, usize)> {
    let Some(start) = sheet_xml.find(&format!("<row r=\"{row}\"")) else {
        return Vec::new();
    };
    let end = sheet_xml[start..].find("</row>").unwrap() + start;
    let mut out = Vec::new();
    let mut rest = &sheet_xml[start..end];
    while let Some(i) = rest.find("<c r=\"") {
        rest = &rest[i + 6..];
        let cell: String = rest.chars().take_while(|c| *c != '"').collect();
        let col: String = cell
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let tag_end = rest.find('>').unwrap();
        let style = rest[..tag_end]
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        out.push((col, style));
    }
    out
}

/// The `<xf>` elements of `cellXfs` in styles.xml, in order.
fn cell_xfs(styles: &str) -> Vec<String> {
    let start = styles.find("<cellXfs").unwrap();
    let end = styles.find("</cellXfs>").unwrap();
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .map(|x| x.to_string())
        .collect()
}

#[test]
fn numeric_headers_are_right_aligned_over_their_numbers() {
    let t = TempDir::new("layout-headers");
    let xlsx = sample_workbook(&t);
    let styles = zip_part(&xlsx, "xl/styles.xml");
    let xfs = cell_xfs(&styles);
    let right = |style: usize| xfs[style].contains("horizontal=\"right\"");
    // Incidenter: the category table's header row; names left, years and change right.
    let names = sheet_names(&xlsx);
    let index = names.iter().position(|n| n == "Incidenter").unwrap() + 1;
    let sheet = zip_part(&xlsx, &format!("xl/worksheets/sheet{index}.xml"));
    let rows = sheet_rows(&xlsx, "Incidenter");
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| *c == "Kategori"))
        .expect("the category table's header") as u32
        + 1;
    let styles_of_header = row_styles(&sheet, header);
    let style = |col: &str| {
        styles_of_header
            .iter()
            .find(|(c, _)| c == col)
            .map(|(_, s)| *s)
            .unwrap()
    };
    assert!(!right(style("A")), "text header left-aligned");
    for col in ["B", "C", "D"] {
        assert!(right(style(col)), "numeric header {col} right-aligned");
    }
}

#[test]
fn value_axes_start_at_zero_and_counts_tick_whole_numbers() {
    let t = TempDir::new("layout-axes");
    let xlsx = sample_workbook(&t);
    let charts: Vec<String> = part_names(&xlsx)
        .into_iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert!(charts.len() >= 6, "{charts:?}");
    let mut bar_charts = 0;
    for name in &charts {
        let xml = zip_part(&xlsx, name);
        if !(xml.contains("<c:barChart>") || xml.contains("<c:lineChart>")) {
            continue;
        }
        bar_charts += 1;
        // The value axis (c:valAx) has its minimum at 0.
        let val = &xml[xml.find("<c:valAx>").expect(name)..];
        let val = &val[..val.find("</c:valAx>").unwrap()];
        assert!(
            val.contains("<c:min val=\"0\"/>"),
            "{name}: value axis from 0"
        );
        // Counts are labelled with whole numbers; shares as percent.
        assert!(
            val.contains("formatCode=\"0\"") || val.contains("formatCode=\"0&quot; &quot;%\""),
            "{name}: {val}"
        );
        // Bars carry their values.
        if xml.contains("<c:barChart>") {
            assert!(
                xml.contains("<c:showVal val=\"1\"/>"),
                "{name}: data labels"
            );
        }
    }
    assert!(bar_charts >= 5);
}

#[test]
fn configuration_is_hidden_and_no_absolute_path_is_shown() {
    let t = TempDir::new("layout-config");
    let xlsx = sample_workbook(&t);
    let workbook = zip_part(&xlsx, "xl/workbook.xml");
    assert!(
        workbook.contains("name=\"Konfiguration\" sheetId=\"12\" state=\"hidden\""),
        "{workbook}"
    );
    let text = all_parts_text(&xlsx);
    // English keys stay in the configuration sheet: no "actions.*" or English headers.
    for english in ["actions.*", "incidents.*", "Vad genomgang gjorde"] {
        assert!(!text.contains(english), "{english} in the workbook");
    }
    let root = env!("CARGO_MANIFEST_DIR");
    assert!(
        !text.contains(root),
        "an absolute path reaches the workbook"
    );
    let sources = sheet_rows(&xlsx, "Källor");
    assert!(sources
        .iter()
        .flatten()
        .any(|c| *c == "standard (templates/genomgang.toml) + kungsholmen/genomgang.toml"));
    // Section files and genomgang.toml are marked as used, not "Används inte".
    for file in ["omvarld.md", "genomgang.toml"] {
        let row = find_row(&sources, file).unwrap_or_else(|| panic!("{file}"));
        assert!(!row.iter().any(|c| *c == "Används inte"), "{file}: {row:?}");
    }
}
