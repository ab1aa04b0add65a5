//! `batch` without any configured year: the data decides one year for the whole city,
//! and every unit is reported for that year.

mod common;

use common::*;

fn incidents(dir: &std::path::Path, dates: &[(i32, u32, u32)]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rows = vec![vec![s("Ärendenummer"), s("Händelsedatum"), s("Kategori")]];
    for (i, (y, m, day)) in dates.iter().enumerate() {
        rows.push(vec![s(&format!("X-{i}")), d(*y, *m, *day), s("Nätfiske")]);
    }
    write_xlsx(&dir.join("incidenter.xlsx"), &[("Blad1", rows)]);
}

#[test]
fn the_latest_year_in_any_unit_is_the_city_year() {
    let root = TempDir::new("batch-year");
    incidents(
        &root.join("Alfa"),
        &[(2024, 3, 1), (2024, 5, 1), (2025, 2, 2)],
    );
    incidents(&root.join("Beta"), &[(2023, 3, 1), (2024, 6, 1)]);
    let out = TempDir::new("batch-year-out");
    let json = out.join("stad.json");
    let o = run_on(
        "batch",
        root.path(),
        out.path(),
        &["--json", json.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("Jämförelse 2025.xlsx").is_file());
    let doc: serde_json::Value = read_json(&json);
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 2);
    for u in units {
        assert_eq!(u["year"], 2025);
        let (want, prev) = if u["unit"] == "Alfa" {
            (1.0, 2.0)
        } else {
            (0.0, 1.0)
        };
        assert_eq!(value(u, "incidents.total"), Some(want), "{u}");
        assert_eq!(previous(u, "incidents.total"), Some(prev), "{u}");
    }
}
