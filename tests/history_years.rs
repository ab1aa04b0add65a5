//! Year after year (issue 22): a unit reviewed three years running, each year's output
//! workbook dropped into the next year's input folder, must end with the true figures
//! of all three years — also those only an earlier review knew, since each year's
//! training and roster exports hold that year only. Conflicts between a past review and
//! this year's log are shown, both figures. Older workbooks (layout 0) still read.

mod common;

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;

const UNIT: &str = "Älvsjö–Östberga";

/// What one year's exports hold, by construction.
struct Year {
    year: i32,
    headcount: u32,
    completed: u32,
    incidents: u32,
    personal: u32,
    imy: u32,
    risks: u32,
    high: u32,
}

const YEARS: [Year; 3] = [
    Year {
        year: 2023,
        headcount: 100,
        completed: 10,
        incidents: 20,
        personal: 5,
        imy: 1,
        risks: 6,
        high: 3,
    },
    Year {
        year: 2024,
        headcount: 110,
        completed: 22,
        incidents: 25,
        personal: 8,
        imy: 2,
        risks: 7,
        high: 2,
    },
    Year {
        year: 2025,
        headcount: 120,
        completed: 36,
        incidents: 31,
        personal: 10,
        imy: 3,
        risks: 8,
        high: 1,
    },
];

/// Incident log lines of `n` incidents dated in `year`, the first `personal` personal
/// data incidents, the first `imy` of those reported to IMY.
fn incident_lines(year: i32, n: u32, personal: u32, imy: u32) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{year}-{:02}-{:02};Phishing;{};{}\r\n",
                1 + i % 12,
                1 + i % 27,
                if i < personal { "Ja" } else { "Nej" },
                if i < imy { "Ja" } else { "Nej" }
            )
        })
        .collect()
}

/// One year's input folder: configuration, roster, training list, incident log and
/// risk register, each holding only that year.
fn write_year(dir: &Path, y: &Year) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("genomgang.toml"),
        format!("unit = \"{UNIT}\"\nyear = {}\n", y.year),
    )
    .unwrap();
    let mut roster = String::from("Anställningsnummer;Enhet\r\n");
    for i in 1..=y.headcount {
        roster.push_str(&format!("{};Enhet Ä\r\n", 5000 + i));
    }
    std::fs::write(dir.join("Personal.csv"), roster).unwrap();
    let mut training = String::from("Anställningsnummer;Kurs;Status;Slutfört datum\r\n");
    for i in 1..=y.completed {
        training.push_str(&format!(
            "{};Grundläggande informationssäkerhet;Genomförd;{}-03-15\r\n{};Dataskydd (GDPR) grundkurs;Genomförd;{}-04-20\r\n",
            5000 + i,
            y.year,
            5000 + i,
            y.year
        ));
    }
    // Five more with one course only: not counted as completed.
    for i in y.completed + 1..=y.completed + 5 {
        training.push_str(&format!(
            "{};Grundläggande informationssäkerhet;Genomförd;{}-05-02\r\n",
            5000 + i,
            y.year
        ));
    }
    std::fs::write(dir.join("Utbildning.csv"), training).unwrap();
    let log = String::from("Händelsedatum;Kategori;Personuppgiftsincident;Anmäld till IMY\r\n")
        + &incident_lines(y.year, y.incidents, y.personal, y.imy);
    std::fs::write(dir.join("Incidenter.csv"), log).unwrap();
    let mut risks = String::from("Risk;Sannolikhet;Konsekvens\r\n");
    for i in 0..y.risks {
        let (l, c) = if i < y.high { (4, 4) } else { (2, 2) };
        risks.push_str(&format!("Risk nr {i} – åtkomst;{l};{c}\r\n"));
    }
    std::fs::write(dir.join("Risker.csv"), risks).unwrap();
}

/// Runs `report` on `input` into `out`; returns the JSON document and the workbook.
fn run_year(input: &Path, out: &Path, extra: &[&str]) -> (serde_json::Value, PathBuf) {
    std::fs::create_dir_all(out).unwrap();
    report_ok(input, out, extra)
}

/// The figure of `id` in `year` of the document's history (None: unknown or absent).
fn series_value(doc: &serde_json::Value, id: &str, year: i32) -> Option<f64> {
    doc["history"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .and_then(|s| {
            s["points"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["year"] == year)
        })
        .and_then(|p| p["value"].as_f64())
}

/// The KPI document held in the workbook's hidden data sheet.
fn data_sheet_json(xlsx: &Path) -> serde_json::Value {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let range = wb.worksheet_range("Nyckeltalsdata").unwrap();
    let text: String = range
        .rows()
        .skip(1)
        .filter_map(|r| match r.first() {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    serde_json::from_str(&text).unwrap()
}

fn copy_into(file: &Path, dir: &Path) {
    std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
}

#[test]
fn three_years_in_a_row_keep_every_years_true_figures() {
    let t = TempDir::new("history-three-years");
    let mut docs = Vec::new();
    let mut previous_workbook: Option<PathBuf> = None;
    for y in &YEARS {
        let input = t.join(&format!("indata {}", y.year));
        write_year(&input, y);
        if let Some(wb) = &previous_workbook {
            copy_into(wb, &input);
        }
        let (doc, xlsx) = run_year(&input, &t.join(&format!("ut {}", y.year)), &[]);
        assert_eq!(doc["schema_version"], 1);
        docs.push(doc);
        previous_workbook = Some(xlsx);
    }
    let last = docs.last().unwrap();
    let xlsx = previous_workbook.unwrap();

    // The figures by construction, each year from the last review.
    for y in &YEARS {
        let want = [
            ("training.headcount", Some(y.headcount as f64)),
            ("training.completed_all", Some(y.completed as f64)),
            (
                "training.completion_rate_all",
                Some(y.completed as f64 / y.headcount as f64),
            ),
            ("incidents.total", Some(y.incidents as f64)),
            ("incidents.personal_data", Some(y.personal as f64)),
            ("incidents.reported_imy", Some(y.imy as f64)),
            ("incidents.category.phishing", Some(y.incidents as f64)),
            ("incidents.category.malware", Some(0.0)),
            ("risks.total", Some(y.risks as f64)),
            ("risks.high", Some(y.high as f64)),
            // No register in any year: unknown, never zero.
            ("register.activities", None),
        ];
        for (id, v) in want {
            assert_eq!(series_value(last, id, y.year), v, "{id} {}", y.year);
        }
    }
    // Every KPI of every year is what that year's own review said.
    for (doc, y) in docs.iter().zip(&YEARS) {
        for k in doc["kpis"].as_array().unwrap() {
            let id = k["id"].as_str().unwrap();
            assert_eq!(
                series_value(last, id, y.year),
                k["value"].as_f64(),
                "{id} {}",
                y.year
            );
        }
    }
    // Last year's column is filled from last year's review (the exports hold 2025 only).
    assert_kpis(
        last,
        &[
            ("training.headcount", Some(120.0), Some(110.0)),
            ("incidents.total", Some(31.0), Some(25.0)),
            ("risks.high", Some(1.0), Some(2.0)),
        ],
    );
    assert_eq!(
        last["history"]["years"],
        serde_json::json!([2023, 2024, 2025])
    );
    assert!(last["history"]["conflicts"].as_array().unwrap().is_empty());

    // The workbook's hidden part holds the same, and follows the schema.
    let data = data_sheet_json(&xlsx);
    json_schema::assert_valid(&data, "Nyckeltalsdata");
    for y in &YEARS {
        assert_eq!(
            series_value(&data, "incidents.total", y.year),
            Some(y.incidents as f64)
        );
        assert_eq!(
            series_value(&data, "training.headcount", y.year),
            Some(y.headcount as f64)
        );
    }

    // Sammanfattning: five-year table with the three years and a sparkline per row.
    let rows = sheet_rows(&xlsx, "Sammanfattning");
    let trend_rows: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| matches!(r.first(), Some(Data::String(s)) if s == "Antal incidenter"))
        .collect();
    assert_eq!(trend_rows.len(), 2, "KPI table and trend table");
    let trend = trend_rows[1];
    assert_eq!(
        &trend[1..4],
        &[Data::Float(20.0), Data::Float(25.0), Data::Float(31.0)]
    );
    assert!(trend
        .iter()
        .any(|c| matches!(c, Data::String(s) if s == "Ökar 2 år i rad")));
    let summary_xml = zip_part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        summary_xml.contains("<x14:sparklineGroups"),
        "no sparklines"
    );
    let sparklines = summary_xml.matches("<x14:sparkline>").count();
    assert!(sparklines >= 8, "{sparklines} sparklines");
    // Training per year is charted from the trend table.
    assert!(all_parts_text(&xlsx).contains("Obligatoriska utbildningar genomförda, per år"));

    // The incidents per year table holds every year known.
    let incidents = sheet_rows(&xlsx, "Incidenter");
    for y in &YEARS {
        let row = incidents
            .iter()
            .find(|r| matches!(r.first(), Some(Data::String(s)) if s == &y.year.to_string()))
            .unwrap_or_else(|| panic!("no year row {}", y.year));
        assert_eq!(row[1], Data::Float(y.incidents as f64));
    }

    // The text states the three-year developments.
    let md = md_in(&t.join("ut 2025"));
    for sentence in [
        "För andra året i rad ökar antalet incidenter: 20 (2023), 25 (2024) och 31 (2025).",
        "För andra året i rad ökar andelen medarbetare som genomfört alla obligatoriska utbildningar: 10 % (2023), 20 % (2024) och 30 % (2025).",
        "För andra året i rad minskar antalet höga risker: 3 (2023), 2 (2024) och 1 (2025).",
        "Målet för antalet höga risker (0) har inte nåtts något av de tre senaste åren (2023–2025).",
    ] {
        assert!(md.contains(sentence), "missing: {sentence}\n{md}");
    }

    // The past workbook is listed as history in Källor, not read as an export.
    let sources = sheet_rows(&xlsx, "Källor");
    assert!(sources.iter().any(|r| r
        .iter()
        .any(|c| matches!(c, Data::String(s) if s.starts_with("Historik: arbetsbok som genomgang har skrivit (genomgång 2024")))));
    assert!(!last["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("inte en export")));
}

#[test]
fn a_later_log_wins_over_last_years_review_and_both_are_listed() {
    let t = TempDir::new("history-conflict");
    let y2024 = Year {
        year: 2024,
        headcount: 50,
        completed: 10,
        incidents: 31,
        personal: 4,
        imy: 1,
        risks: 2,
        high: 1,
    };
    let input_2024 = t.join("2024");
    write_year(&input_2024, &y2024);
    let (doc_2024, xlsx_2024) = run_year(&input_2024, &t.join("ut 2024"), &[]);
    assert_eq!(value(&doc_2024, "incidents.total"), Some(31.0));

    // This year's log also holds 2024, with two incidents registered late.
    let input_2025 = t.join("2025");
    write_year(
        &input_2025,
        &Year {
            year: 2025,
            incidents: 39,
            ..y2024
        },
    );
    let mut log = std::fs::read_to_string(input_2025.join("Incidenter.csv")).unwrap();
    log.push_str(&incident_lines(2024, 31, 4, 1));
    log.push_str("2024-12-30;Phishing;Nej;Nej\r\n2024-12-31;Phishing;Nej;Nej\r\n");
    std::fs::write(input_2025.join("Incidenter.csv"), log).unwrap();
    let historik = input_2025.join("historik");
    std::fs::create_dir_all(&historik).unwrap();
    copy_into(&xlsx_2024, &historik);
    let out = t.join("ut 2025");
    let (doc, xlsx) = run_year(&input_2025, &out, &[]);

    assert_eq!(previous(&doc, "incidents.total"), Some(33.0));
    assert_eq!(series_value(&doc, "incidents.total", 2024), Some(33.0));
    let conflicts = doc["history"]["conflicts"].as_array().unwrap();
    let total = conflicts
        .iter()
        .find(|c| c["id"] == "incidents.total")
        .expect("the conflict on incidents.total");
    assert_eq!(total["year"], 2024);
    assert_eq!(total["used"], 33);
    assert_eq!(total["used_source"], "underlag");
    assert_eq!(total["other"], 31);
    assert_eq!(total["other_source"], "genomgång 2024");
    // Personal data incidents agree: no conflict there.
    assert!(!conflicts
        .iter()
        .any(|c| c["id"] == "incidents.personal_data"));

    let quality = sheet_rows(&xlsx, "Datakvalitet");
    assert!(
        quality.iter().any(|r| r.iter().any(|c| matches!(c,
            Data::String(s) if s.contains("Antal incidenter 2024: 33 enligt underlag, 31 enligt genomgång 2024")))),
        "{quality:?}"
    );
    let md = md_in(&out);
    assert!(
        md.contains("Antal incidenter 2024 anges till 31 i genomgång 2024 men till 33 i årets underlag; siffran från årets underlag används"),
        "{md}"
    );
}

/// Layout 0: a workbook written before the data sheet existed (by genomgang at commit
/// cb3a79b, `report samples/kungsholmen --year 2024`), and its `--json` without
/// schema_version, both still read as last year's review.
#[test]
fn an_older_workbook_and_json_without_schema_version_still_read() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history");
    for file in [
        "layout-0/Ledningens genomgång 2024 - Kungsholmen.xlsx",
        "json-0/kpi-2024-v0.json",
    ] {
        let t = TempDir::new(&format!("history-layout0-{}", file.len()));
        let input = t.join("kungsholmen");
        let _ = std::process::Command::new("cp")
            .args([
                "-r",
                sample_dir().to_str().unwrap(),
                input.to_str().unwrap(),
            ])
            .status();
        assert!(input.join("genomgang.toml").is_file());
        // The workbook in the folder's historik/, the JSON named by --historik.
        let historik = if file.ends_with(".json") {
            t.folder("tidigare år")
        } else {
            input.join("historik")
        };
        std::fs::create_dir_all(&historik).unwrap();
        copy_into(&fixtures.join(file), &historik);
        let flag = ["--historik", historik.to_str().unwrap()];
        let extra: &[&str] = if file.ends_with(".json") { &flag } else { &[] };
        let (doc, _) = run_year(&input, &t.join("ut"), extra);
        let reviews = doc["history"]["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 1, "{file}");
        assert_eq!(reviews[0]["schema_version"], 0);
        assert_eq!(reviews[0]["year"], 2024);
        // 2023 only the 2024 review knew (the sample's log starts in 2024).
        assert_eq!(
            series_value(&doc, "incidents.total", 2023),
            Some(26.0),
            "{file}"
        );
        assert_eq!(
            series_value(&doc, "incidents.personal_data", 2023),
            Some(9.0)
        );
        assert_eq!(series_value(&doc, "incidents.total", 2024), Some(31.0));
        // The 2024 headcount came from the 2024 roster, through the review.
        assert_eq!(previous(&doc, "training.headcount"), Some(412.0), "{file}");
        assert_eq!(series_value(&doc, "register.stale", 2024), Some(4.0));
        assert_eq!(
            series_value(&doc, "training.completion_rate_all", 2024).map(|r| (r * 1000.0).round()),
            Some(92.0)
        );
        // This year's figures are the sample's.
        assert_eq!(value(&doc, "incidents.total"), Some(39.0));
        assert!(doc["history"]["conflicts"].as_array().unwrap().is_empty());
    }
}

#[test]
fn batch_shares_a_city_history_folder_out_by_unit() {
    let t = TempDir::new("history-batch");
    // Two years of one unit, reviewed one by one.
    let mut workbook: Option<PathBuf> = None;
    for y in &YEARS[..2] {
        let input = t.join(&format!("unit {}", y.year));
        write_year(&input, y);
        if let Some(wb) = &workbook {
            copy_into(wb, &input);
        }
        workbook = Some(run_year(&input, &t.join(&format!("unit ut {}", y.year)), &[]).1);
    }
    let root = t.folder("stad");
    write_year(&root.join("alvsjo"), &YEARS[2]);
    let other = Year {
        year: 2025,
        headcount: 40,
        completed: 4,
        incidents: 3,
        personal: 1,
        imy: 0,
        risks: 1,
        high: 0,
    };
    write_year(&root.join("norrmalm"), &other);
    std::fs::write(
        root.join("norrmalm/genomgang.toml"),
        "unit = \"Norrmalm\"\nyear = 2025\n",
    )
    .unwrap();
    let city_history = t.folder("stad/historik");
    copy_into(workbook.as_ref().unwrap(), &city_history);
    let out = t.join("ut");
    let (code, doc, err) = run_json("batch", &root, &out, &out.join("stad.json"), &[]);
    assert_eq!(code, 0, "{err}");
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 2, "the history folder is no unit: {err}");
    let alvsjo = units.iter().find(|u| u["unit"] == UNIT).unwrap();
    for y in &YEARS {
        assert_eq!(
            series_value(alvsjo, "incidents.total", y.year),
            Some(y.incidents as f64)
        );
    }
    let norrmalm = units.iter().find(|u| u["unit"] == "Norrmalm").unwrap();
    assert_eq!(norrmalm["history"]["years"], serde_json::json!([2025]));
    // Jämförelse gains each unit's trend.
    let comparison = out.join("Jämförelse 2025.xlsx");
    assert!(sheet_names(&comparison).contains(&"Utveckling".to_string()));
    let rows = sheet_rows(&comparison, "Utveckling");
    let unit_row = rows
        .iter()
        .find(|r| matches!(r.first(), Some(Data::String(s)) if s == UNIT))
        .unwrap();
    assert_eq!(
        &unit_row[1..4],
        &[Data::Float(0.1), Data::Float(0.2), Data::Float(0.3)]
    );
    assert!(zip_part(&comparison, "xl/worksheets/sheet2.xml").contains("<x14:sparkline>"));
}

#[test]
fn a_review_whose_data_cannot_be_read_is_named_not_skipped() {
    let t = TempDir::new("history-damaged");
    let y = &YEARS[1];
    let input_2024 = t.join("2024");
    write_year(&input_2024, y);
    let (_, xlsx_2024) = run_year(&input_2024, &t.join("ut 2024"), &[]);
    let input_2025 = t.join("2025");
    write_year(&input_2025, &YEARS[2]);
    // The unit's name removed from the data sheet's JSON.
    rewrite_zip_part(
        &xlsx_2024,
        &input_2025.join("Ledningens genomgång 2024 - skadad.xlsx"),
        "xl/sharedStrings.xml",
        |xml| {
            let edited = xml
                .replace("&quot;unit&quot;:", "&quot;enhet&quot;:")
                .replace("\"unit\":", "\"enhet\":");
            assert_ne!(edited, xml, "the JSON is in the shared strings");
            edited
        },
    );
    let (doc, xlsx) = run_year(&input_2025, &t.join("ut 2025"), &[]);
    assert!(doc["history"]["reviews"].as_array().unwrap().is_empty());
    assert_eq!(previous(&doc, "training.headcount"), None);
    // Neither history nor an export, and said so.
    assert_eq!(
        value(&doc, "incidents.total"),
        Some(YEARS[2].incidents as f64)
    );
    let quality = sheet_rows(&xlsx, "Datakvalitet");
    assert!(
        quality.iter().any(|r| r.iter().any(|c| matches!(c,
            Data::String(s) if s.contains("kunde inte läsas som historik: uppgift om förvaltning (unit) saknas")))),
        "{quality:?}"
    );
}
