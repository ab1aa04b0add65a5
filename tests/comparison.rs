//! The comparison workbook a city director reads: rates over the same units in
//! numerator and denominator, "Underlag saknas" instead of zeros, medians only over
//! three or more units, colours against the targets.

mod common;

use calamine::Data;
use common::*;

/// A unit with `people` employees (a roster), `trained` of whom completed both
/// mandatory courses in 2025, and `incidents` incidents (of which `pui` personal data
/// incidents); `None` leaves that input out.
fn unit(dir: &std::path::Path, people: Option<u32>, trained: u32, incidents: Option<(u32, u32)>) {
    std::fs::create_dir_all(dir).unwrap();
    if let Some(n) = people {
        let mut roster = vec![vec![s("Anställningsnummer"), s("Enhet")]];
        let mut training = vec![vec![
            s("Anställningsnummer"),
            s("Kurs"),
            s("Slutfört datum"),
        ]];
        for i in 0..n {
            roster.push(vec![s(&format!("E{i:03}")), s("Stab")]);
            if i < trained {
                for course in ["Grundläggande informationssäkerhet", "Dataskydd GDPR"] {
                    training.push(vec![s(&format!("E{i:03}")), s(course), d(2025, 3, 1)]);
                }
            }
        }
        write_xlsx(&dir.join("personal.xlsx"), &[("Personal", roster)]);
        write_xlsx(&dir.join("utbildning.xlsx"), &[("Kurser", training)]);
    }
    if let Some((total, pui)) = incidents {
        let mut rows = vec![vec![
            s("Händelsedatum"),
            s("Kategori"),
            s("Personuppgiftsincident"),
        ]];
        for i in 0..total {
            rows.push(vec![
                d(2025, 1 + i % 12, 10),
                s("Phishing"),
                s(if i < pui { "Ja" } else { "Nej" }),
            ]);
        }
        write_xlsx(&dir.join("incidenter.xlsx"), &[("Incidenter", rows)]);
    }
}

#[test]
fn rates_over_units_with_both_parts_and_no_zero_for_missing_data() {
    let t = TempDir::new("comparison");
    let root = t.join("stad");
    unit(&root.join("Alfa"), Some(10), 9, Some((5, 2)));
    unit(&root.join("Beta"), Some(20), 2, Some((3, 0)));
    // Gamma has incidents but no roster: left out of both parts of the per-100 rates.
    unit(&root.join("Gamma"), None, 0, Some((7, 1)));
    // Östra has a roster but no incident log: no incidents per 100, not 0.
    unit(&root.join("Östra"), Some(5), 5, None);
    let out = t.join("ut");
    let o = run_on(
        "batch",
        &root,
        &out,
        &["--year", "2025", "--format", "xlsx"],
    );
    assert!(o.status.code() == Some(0), "{}", stderr(&o));
    let xlsx = out.join("Jämförelse 2025.xlsx");
    let rows = sheet_rows(&xlsx, "Jämförelse");
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Incidenter per 100 medarbetare"))
        .expect("overview table");
    let col = |name: &str| {
        rows[header]
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let per100 = col("Incidenter per 100 medarbetare");
    let rate = col("Andel genomfört utbildning");
    let row_of = |unit: &str| {
        rows[header..]
            .iter()
            .find(|r| r.first().is_some_and(|c| *c == unit))
            .unwrap_or_else(|| panic!("{unit}"))
            .clone()
    };
    let number = |c: &Data| match c {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    // Units: Alfa 5/10, Beta 3/20; Gamma and Östra have no per-100 figure.
    assert_eq!(number(&row_of("Alfa")[per100]), Some(50.0));
    assert_eq!(number(&row_of("Beta")[per100]), Some(15.0));
    assert_eq!(row_of("Gamma")[per100].to_string(), "Underlag saknas");
    assert_eq!(row_of("Östra")[per100].to_string(), "Underlag saknas");
    // A unit without training data shows "Underlag saknas", never 0 %.
    assert_eq!(row_of("Gamma")[rate].to_string(), "Underlag saknas");
    // The city: (5 + 3) / (10 + 20) × 100, not (5 + 3 + 7) / 30.
    let city = row_of("Staden totalt");
    let city_per100 = number(&city[per100]).unwrap();
    assert!((city_per100 - 800.0 / 30.0).abs() < 1e-9, "{city_per100}");
    // Training: (9 + 2 + 5) / (10 + 20 + 5).
    let city_rate = number(&city[rate]).unwrap();
    assert!((city_rate - 16.0 / 35.0).abs() < 1e-9, "{city_rate}");
    // Medians only over three or more units: training has three, per 100 only two.
    let median = row_of("Median");
    assert_eq!(number(&median[rate]), Some(0.9));
    assert_eq!(number(&median[per100]), None, "{:?}", median[per100]);
    // Swedish order: Östra after Gamma.
    let units: Vec<String> = rows[header + 1..]
        .iter()
        .take(4)
        .map(|r| r[0].to_string())
        .collect();
    assert_eq!(units, ["Alfa", "Beta", "Gamma", "Östra"]);

    // Colours against the targets: Alfa's 90 % meets the 90 % target (green), Beta's
    // 10 % misses it (red); no relative colour scales.
    let text = all_parts_text(&xlsx);
    assert!(!text.contains("<colorScale>"), "relative colour scale");
    assert!(!text.contains("<dataBar>"), "relative data bars");
}
