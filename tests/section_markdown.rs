//! A user's section file (`omvarld.md`) with a numbered list, a link, emphasis and a
//! table comes through to the Rapport sheet and the Markdown beside the workbook intact.

mod common;

use common::*;

const OMVARLD: &str = "Hoten mot offentlig förvaltning ökar. Se *MSB:s* lägesbild.

1. Nätfiske är vanligast.
2. Angrepp mot leverantörer ökar, se [CERT-SE](https://www.cert.se/).
3. Ransomware mot kommuner.

| Lag | I kraft |
|-----|---------|
| Cybersäkerhetslagen | 2026-01-15 |
| AI-förordningen | 2026-08-02 |
";

#[test]
fn numbered_list_link_and_table_survive() {
    let t = TempDir::new("section-markdown");
    let input = t.folder("in");
    let rows = vec![
        texts(&["Händelsedatum", "Kategori"]),
        vec![d(2025, 3, 1), s("Phishing")],
    ];
    write_sheet(&input.join("incidenter.xlsx"), "Blad1", rows);
    std::fs::write(input.join("omvarld.md"), OMVARLD).unwrap();
    let out = t.join("ut");
    let (_doc, xlsx) = report_ok(&input, &out, &["--year", "2025"]);

    let md = std::fs::read_to_string(xlsx.with_extension("md")).unwrap();
    for line in [
        "1. Nätfiske är vanligast.",
        "2. Angrepp mot leverantörer ökar, se [CERT-SE](https://www.cert.se/).",
        "| Cybersäkerhetslagen | 2026-01-15 |",
        "*MSB:s*",
    ] {
        assert!(md.contains(line), "{line:?} saknas i .md:\n{md}");
    }

    let rapport: Vec<String> = sheet_rows(&xlsx, "Rapport")
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect();
    let has = |text: &str| rapport.iter().any(|r| r == text);
    assert!(has("1.  Nätfiske är vanligast."), "{rapport:#?}");
    assert!(
        has("2.  Angrepp mot leverantörer ökar, se CERT-SE (https://www.cert.se/)."),
        "{rapport:#?}"
    );
    assert!(has("3.  Ransomware mot kommuner."), "{rapport:#?}");
    assert!(has("Lag  |  I kraft"), "{rapport:#?}");
    assert!(has("Cybersäkerhetslagen  |  2026-01-15"), "{rapport:#?}");
    assert!(
        has("Hoten mot offentlig förvaltning ökar. Se MSB:s lägesbild."),
        "{rapport:#?}"
    );
}
