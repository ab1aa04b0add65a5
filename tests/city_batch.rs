//! `genomgang batch` over a generated city (examples/make_city.rs) at a small scale: every
//! unit's KPIs match the facit the generator knows by construction, one workbook and one
//! Word document are written per unit plus the comparison workbook, and the run succeeds.

mod common;

#[path = "../examples/make_city.rs"]
mod make_city;

use common::*;

#[test]
fn batch_over_a_city_matches_the_facit() {
    let tmp = TempDir::new("city-batch");
    let city = tmp.join("stad");
    let out = tmp.join("ut");
    let generated = make_city::write_city(&city, 0.02).expect("generate the city");
    assert_eq!(generated.facit.len(), 28);
    let json = out.join("city.json");
    let o = run_on("batch", &city, &out, &["--json", json.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");

    let doc: serde_json::Value = read_json(&json);
    let units = doc["units"].as_array().expect("units array");
    assert_eq!(units.len(), generated.facit.len(), "{err}");
    let year = make_city::YEAR;
    let mut mismatches: Vec<String> = Vec::new();
    for (name, kpis) in &generated.facit {
        let Some(unit) = units.iter().find(|u| u["unit"] == name.as_str()) else {
            mismatches.push(format!("{name}: saknas i JSON"));
            continue;
        };
        assert_eq!(unit["year"], year, "{name}");
        for (id, want) in kpis {
            let got = value(unit, id);
            if got != Some(*want as f64) {
                mismatches.push(format!("{name} {id}: {got:?} != {want}"));
            }
        }
        let workbook = out.join(format!("Ledningens genomgång {year} - {name}.xlsx"));
        assert!(workbook.is_file(), "{} saknas", workbook.display());
        let document = workbook.with_extension("docx");
        assert!(document.is_file(), "{} saknas", document.display());
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(out.join(format!("Jämförelse {year}.xlsx")).is_file());
    let written = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".xlsx"))
        .count();
    assert_eq!(written, generated.facit.len() + 1);
}

#[test]
fn the_city_generator_is_deterministic() {
    let tmp = TempDir::new("city-determinism");
    let (a, b) = (tmp.join("a"), tmp.join("b"));
    make_city::write_city(&a, 0.01).unwrap();
    make_city::write_city(&b, 0.01).unwrap();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut stack = vec![a.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 28 * 6);
    for f in files {
        let other = b.join(f.strip_prefix(&a).unwrap());
        assert_eq!(
            std::fs::read(&f).unwrap(),
            std::fs::read(&other).unwrap(),
            "{} skiljer sig",
            f.display()
        );
    }
}
