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

/// Writes a risk register of `n` risks (scores 4 × 4 for the first, 1 × 1 for the rest).
fn risks(dir: &std::path::Path, count: u32) {
    let mut rows = vec![vec![s("Risk"), s("Sannolikhet"), s("Konsekvens")]];
    for i in 0..count {
        let level = if i == 0 { 4.0 } else { 1.0 };
        rows.push(vec![
            s(&format!("Risk för avbrott {i}")),
            n(level),
            n(level),
        ]);
    }
    write_xlsx(&dir.join("risker.xlsx"), &[("Risker", rows)]);
}

/// A unit whose only people are those of its training list (no personnel list).
fn unit_without_roster(dir: &std::path::Path, people: u32, incidents: u32) {
    std::fs::create_dir_all(dir).unwrap();
    let mut training = vec![vec![
        s("Anställningsnummer"),
        s("Kurs"),
        s("Slutfört datum"),
    ]];
    for i in 0..people {
        for course in ["Grundläggande informationssäkerhet", "Dataskydd GDPR"] {
            training.push(vec![s(&format!("D{i:03}")), s(course), d(2025, 4, 1)]);
        }
    }
    write_xlsx(&dir.join("utbildning.xlsx"), &[("Kurser", training)]);
    let mut rows = vec![vec![s("Händelsedatum"), s("Kategori")]];
    for _ in 0..incidents {
        rows.push(vec![d(2025, 5, 10), s("Förlorad mobiltelefon")]);
    }
    write_xlsx(&dir.join("incidenter.xlsx"), &[("Incidenter", rows)]);
}

#[test]
fn a_city_total_over_part_of_the_city_says_so_and_no_data_is_not_best() {
    let t = TempDir::new("comparison-partial");
    let root = t.join("stad");
    unit(&root.join("Alfa"), Some(10), 9, Some((5, 2)));
    unit(&root.join("Beta"), Some(20), 2, Some((3, 0)));
    // Gamma has nothing that can be judged against a target: no red figures because
    // no figures, never "0 red" ranked as the best.
    unit(&root.join("Gamma"), None, 0, Some((7, 1)));
    unit_without_roster(&root.join("Delta"), 4, 3);
    risks(&root.join("Alfa"), 3);
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
    let text: Vec<String> = rows.iter().flatten().map(|c| c.to_string()).collect();

    // The risk total is Alfa's alone: the row under it says "1 av 4".
    let risk_header = rows
        .iter()
        .position(|r| r.iter().any(|c| c.to_string().starts_with("Risker")))
        .expect("governance table");
    let risk_col = rows[risk_header]
        .iter()
        .position(|c| c.to_string().starts_with("Risker"))
        .unwrap();
    let coverage = rows[risk_header..]
        .iter()
        .find(|r| {
            r.first()
                .is_some_and(|c| *c == "Förvaltningar med underlag")
        })
        .expect("coverage row");
    assert_eq!(coverage[risk_col].to_string(), "1 av 4");

    // Overview: Gamma's red count is "Underlag saknas", Beta has the largest share red.
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Bedömda nyckeltal"))
        .expect("overview");
    let red_col = rows[header]
        .iter()
        .position(|c| *c == "Röda nyckeltal")
        .unwrap();
    let gamma = rows[header..].iter().find(|r| r[0] == "Gamma").unwrap();
    assert_eq!(gamma[red_col].to_string(), "Underlag saknas");
    assert!(
        text.iter()
            .any(|t| t.contains("Störst andel röda nyckeltal har Beta (")),
        "{text:?}"
    );
    // Delta's headcount comes from its training list, and the sentence says so.
    assert!(
        text.iter().any(|t| t.contains(
            "i de 3 förvaltningar som har både incidentlogg och antalet medarbetare enligt personalförteckningen, för 1 förvaltning av dem enligt utbildningslistan"
        )),
        "{text:?}"
    );

    // Categories per 100 employees: Delta 3 / 4 × 100 = 75 lost phones per 100, highest.
    let cats = sheet_rows(&xlsx, "Incidenter per kategori");
    let per_header = cats
        .iter()
        .position(|r| r.iter().any(|c| *c == "Totalt") && r[0] == "Förvaltning")
        .and_then(|first| {
            cats[first + 1..]
                .iter()
                .position(|r| r.iter().any(|c| *c == "Totalt"))
                .map(|p| p + first + 1)
        })
        .expect("per-100 table");
    let total_col = cats[per_header]
        .iter()
        .position(|c| *c == "Totalt")
        .unwrap();
    let first = &cats[per_header + 1];
    assert_eq!(first[0].to_string(), "Delta");
    assert_eq!(first[total_col].to_string(), "75");
    let all = all_parts_text(&xlsx);
    assert!(
        !all.contains("barStacked") && !all.contains("c:grouping val=\"stacked\""),
        "stacked chart"
    );
}
