//! The same small data set in every spreadsheet and text format gives the same KPIs.
//!
//! `tests/fixtures/formats/<format>/` holds one file per input kind, converted from the
//! xlsx originals with LibreOffice (see `tests/fixtures/formats/README.md` and
//! `make.sh`). The xlsx originals are written by the ignored test
//! `write_xlsx_originals` below, so the data set is defined in one place: here.
//!
//! The KPIs are known by construction; see the comments in [`data_set`].

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Every format folder under `tests/fixtures/formats/`, with the extension its files use.
const FORMATS: [(&str, &str); 8] = [
    ("xlsx", "xlsx"),
    ("xlsm", "xlsm"),
    ("xlsb", "xlsb"),
    ("xls", "xls"),
    ("ods", "ods"),
    ("csv", "csv"),
    ("csv-1252", "csv"),
    ("txt", "txt"),
];

/// The file stems of the data set and the kind `check` must recognise each as. The stems
/// avoid the text section names (e.g. "risker.txt" would be read as report text).
const FILES: [(&str, &str); 7] = [
    ("personal", "Personal"),
    ("utbildning", "Utbildning (lista)"),
    ("incidenter", "Incidenter"),
    ("registerforteckning", "Registerförteckning"),
    ("klassning", "Informationsklassning"),
    ("riskregister", "Risker"),
    ("atgardsplan", "Åtgärder"),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// The data set: (file stem, sheet name, rows). Review year 2025.
fn data_set() -> Vec<(&'static str, &'static str, Vec<Vec<V>>)> {
    // Roster: 12 people, title row and a blank row above the header.
    let mut roster = vec![
        vec![s("Personalförteckning per 2025-12-31")],
        vec![],
        vec![s("Anställningsnummer"), s("Namn"), s("E-post"), s("Enhet")],
    ];
    for i in 1..=12 {
        roster.push(vec![
            n(100_000.0 + i as f64),
            s(&format!("Testperson Nummer{i}")),
            s(&format!("p{i}@example.se")),
            s(if i <= 6 { "Enhet Norr" } else { "Enhet Söder" }),
        ]);
    }

    // Training, long list by e-mail. Both mandatory courses completed on or before
    // 31 Dec: 2024 → p1..p6 (p6 on 2024-12-31 exactly); 2025 → p1..p9.
    // p10 has only one course, p11 completes the second in 2026, p12 has nothing.
    let info = "Grundläggande informationssäkerhet";
    let gdpr = "Dataskydd (GDPR) grundkurs";
    let mut training = vec![vec![
        s("E-post"),
        s("Kurs"),
        s("Status"),
        s("Slutfört datum"),
    ]];
    let mut course = |who: usize, name: &str, status: &str, date: V| {
        training.push(vec![
            s(&format!("p{who}@example.se")),
            s(name),
            s(status),
            date,
        ]);
    };
    for p in 1..=5 {
        course(p, info, "Genomförd", d(2024, 2, p as u32));
        course(p, gdpr, "Genomförd", d(2024, 3, p as u32 + 10));
    }
    course(6, info, "Genomförd", d(2024, 1, 15));
    course(6, gdpr, "Genomförd", d(2024, 12, 31));
    course(7, info, "Genomförd", d(2024, 5, 20));
    course(7, gdpr, "Genomförd", d(2025, 1, 1));
    course(8, info, "Genomförd", d(2025, 4, 8));
    course(8, gdpr, "Genomförd", d(2025, 4, 9));
    course(9, info, "Genomförd", d(2025, 12, 31));
    course(9, gdpr, "Genomförd", d(2025, 10, 2));
    course(10, info, "Genomförd", d(2025, 6, 1));
    course(10, gdpr, "Pågående", V::E);
    course(11, info, "Genomförd", d(2025, 9, 9));
    course(11, gdpr, "Genomförd", d(2026, 1, 12));

    // Incidents, title row above the header. 2025: 7 (3 personal data, 2 reported to
    // IMY, 1 to MSB); 2024: 3 (1, 1, 1); one on 2026-01-01 counts in neither year.
    let mut incidents = vec![
        vec![s("Incidentrapport 2024–2025")],
        vec![
            s("Ärendenummer"),
            s("Händelsedatum"),
            s("Kategori"),
            s("Personuppgiftsincident"),
            s("Anmäld till IMY"),
            s("Anmäld till MSB"),
        ],
    ];
    for (id, date, cat, pui, imy, msb) in [
        ("INC-001", d(2024, 3, 1), "Skadlig kod", "Nej", "Nej", "Ja"),
        ("INC-002", d(2024, 6, 10), "Felskick", "Ja", "Ja", "Nej"),
        ("INC-003", d(2024, 12, 31), "Phishing", "Nej", "Nej", "Nej"),
        ("INC-004", d(2025, 1, 1), "Phishing", "Nej", "Nej", "Nej"),
        ("INC-005", d(2025, 2, 3), "Felskick", "Ja", "Ja", "Nej"),
        ("INC-006", d(2025, 3, 20), "Skadlig kod", "Nej", "Nej", "Ja"),
        (
            "INC-007",
            d(2025, 5, 5),
            "Fel mottagare",
            "Ja",
            "Nej",
            "Nej",
        ),
        (
            "INC-008",
            d(2025, 8, 12),
            "Förlorad mobiltelefon",
            "Ja",
            "Ja",
            "Nej",
        ),
        ("INC-009", d(2025, 11, 30), "Inbrott", "Nej", "Nej", "Nej"),
        ("INC-010", d(2025, 12, 31), "Phishing", "Nej", "Nej", "Nej"),
        ("INC-011", d(2026, 1, 1), "Phishing", "Ja", "Ja", "Ja"),
    ] {
        incidents.push(vec![s(id), date, s(cat), s(pui), s(imy), s(msb)]);
    }

    // Register: 5 activities, 3 with every article 30 field → 0.6.
    let mut register = vec![vec![
        s("Behandling"),
        s("Ändamål"),
        s("Rättslig grund"),
        s("Kategorier av registrerade"),
        s("Kategorier av personuppgifter"),
        s("Mottagare"),
        s("Lagringstid"),
        s("Säkerhetsåtgärder"),
        s("Senast reviderad"),
    ]];
    let full = |name: &str, reviewed: V| {
        vec![
            s(name),
            s("Administration"),
            s("Allmänt intresse"),
            s("Anställda"),
            s("Namn, kontaktuppgifter"),
            s("Skatteverket"),
            s("2 år"),
            s("Behörighetsstyrning"),
            reviewed,
        ]
    };
    register.push(full("Personaladministration", d(2025, 4, 1)));
    register.push(full("Löneadministration", d(2025, 9, 15)));
    register.push(full("Synpunktshantering", d(2024, 11, 30)));
    let mut missing_basis = full("Kameraövervakning", d(2025, 2, 2));
    missing_basis[2] = V::E;
    register.push(missing_basis);
    let mut missing_two = full("Nyhetsbrev", d(2025, 6, 6));
    missing_two[5] = V::E;
    missing_two[6] = V::E;
    register.push(missing_two);

    // Classification: 4 assets, 3 with K, R and T → 0.75.
    let classification = vec![
        vec![
            s("Informationstillgång"),
            s("Konfidentialitet"),
            s("Riktighet"),
            s("Tillgänglighet"),
        ],
        vec![s("Ekonomisystem"), n(2.0), n(2.0), n(1.0)],
        vec![s("Personalakter"), n(3.0), n(2.0), n(2.0)],
        vec![s("Webbplats"), n(1.0), n(2.0), n(3.0)],
        vec![s("Kameraövervakning"), n(3.0), n(2.0), V::E],
    ];

    // Risks: 5, high (likelihood × consequence >= 12): 16, 12, 15 → 3.
    let risks = vec![
        vec![s("Risk"), s("Sannolikhet"), s("Konsekvens")],
        vec![s("Nätfiske lyckas"), n(4.0), n(4.0)],
        vec![s("Felskickad e-post"), n(3.0), n(4.0)],
        vec![s("Stöld av dator"), n(2.0), n(5.0)],
        vec![s("Brand i serverrum"), n(1.0), n(1.0)],
        vec![s("Utpressningsvirus"), n(5.0), n(3.0)],
    ];

    // Actions, title row above the header: 5, 2 done, 2 open with a deadline on or
    // before 2025-12-31 (one exactly on it) → overdue 2.
    let actions = vec![
        vec![s("Åtgärdsplan informationssäkerhet")],
        vec![s("Åtgärd"), s("Status"), s("Klart senast")],
        vec![s("Revidera lokal anvisning"), s("Klar"), d(2025, 3, 31)],
        vec![s("Ta fram behörighetsrutin"), s("Pågående"), d(2025, 6, 30)],
        vec![
            s("Öva incidenthantering"),
            s("Ej påbörjad"),
            d(2025, 12, 31),
        ],
        vec![s("Klassa nya system"), s("Pågående"), d(2026, 3, 31)],
        vec![
            s("Uppdatera registerförteckning"),
            s("Klar"),
            d(2026, 1, 31),
        ],
    ];

    vec![
        ("personal", "Personal", roster),
        ("utbildning", "Kursdeltagare", training),
        ("incidenter", "Incidenter", incidents),
        ("registerforteckning", "Register", register),
        ("klassning", "Klassning", classification),
        ("riskregister", "Risker", risks),
        ("atgardsplan", "Åtgärder", actions),
    ]
}

/// The KPIs known by construction: (id, value, previous).
const EXPECTED: [(&str, Option<f64>, Option<f64>); 16] = [
    ("training.headcount", Some(12.0), None),
    ("training.completed_all", Some(9.0), Some(6.0)),
    ("training.completion_rate_all", Some(0.75), Some(0.5)),
    ("incidents.total", Some(7.0), Some(3.0)),
    ("incidents.personal_data", Some(3.0), Some(1.0)),
    ("incidents.reported_imy", Some(2.0), Some(1.0)),
    ("incidents.reported_msb", Some(1.0), Some(1.0)),
    ("register.activities", Some(5.0), None),
    ("register.complete_rate", Some(0.6), None),
    ("classification.assets", Some(4.0), None),
    ("classification.classified_rate", Some(0.75), None),
    ("risks.total", Some(5.0), None),
    ("risks.high", Some(3.0), None),
    ("actions.total", Some(5.0), None),
    ("actions.done", Some(2.0), None),
    ("actions.overdue", Some(2.0), None),
];

/// Writes the xlsx originals into `tests/fixtures/formats/xlsx/` (run by `make.sh`:
/// `GENOMGANG_WRITE_FIXTURES=1 cargo test --test formats -- --ignored write_xlsx_originals`).
#[test]
#[ignore = "writes the fixture originals; run by tests/fixtures/formats/make.sh"]
fn write_xlsx_originals() {
    if std::env::var_os("GENOMGANG_WRITE_FIXTURES").is_none() {
        eprintln!("set GENOMGANG_WRITE_FIXTURES=1 to overwrite the committed fixtures");
        return;
    }
    let dir = fixtures().join("xlsx");
    std::fs::create_dir_all(&dir).unwrap();
    for (stem, sheet, rows) in data_set() {
        write_xlsx(&dir.join(format!("{stem}.xlsx")), &[(sheet, rows)]);
    }
}

/// The format folders that exist (xlsb only if it could be produced).
fn format_dirs() -> Vec<(&'static str, &'static str, PathBuf)> {
    FORMATS
        .iter()
        .map(|(f, ext)| (*f, *ext, fixtures().join(f)))
        .filter(|(_, _, p)| p.is_dir())
        .collect()
}

/// Runs `report` on one format folder; returns the JSON document. `test` keeps the
/// temporary folders of tests running in parallel apart.
fn report_format(test: &str, format: &str, dir: &Path) -> serde_json::Value {
    let t = TempDir::new(&format!("formats-{test}-{format}"));
    let out = t.join("ut");
    let json = out.join("k.json");
    std::fs::create_dir_all(&out).unwrap();
    let o = run_on(
        "report",
        dir,
        &out,
        &["--json", json.to_str().unwrap(), "--year", "2025"],
    );
    assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
    read_json(&json)
}

#[test]
fn every_format_folder_holds_the_whole_data_set() {
    let dirs = format_dirs();
    let names: Vec<&str> = dirs.iter().map(|(f, _, _)| *f).collect();
    for required in ["xlsx", "xlsm", "xls", "ods", "csv", "csv-1252", "txt"] {
        assert!(names.contains(&required), "{required} missing: {names:?}");
    }
    for (format, ext, dir) in &dirs {
        for (stem, _) in FILES {
            let file = dir.join(format!("{stem}.{ext}"));
            assert!(file.is_file(), "{format}: {} missing", file.display());
        }
        let count = std::fs::read_dir(dir).unwrap().count();
        assert_eq!(count, FILES.len(), "{format}: stray files in {dir:?}");
    }
}

#[test]
fn every_format_gives_the_known_kpis() {
    let mut failures = Vec::new();
    for (format, _, dir) in format_dirs() {
        let doc = report_format("known", format, &dir);
        assert_eq!(doc["year"], 2025, "{format}");
        for (id, v, p) in EXPECTED {
            let (got_v, got_p) = (value(&doc, id), previous(&doc, id));
            if (got_v, got_p) != (v, p) {
                failures.push(format!(
                    "{format}: {id} = {got_v:?} (previous {got_p:?}), expected {v:?} ({p:?})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_format_gives_identical_kpis_and_breakdowns() {
    let dirs = format_dirs();
    let docs: Vec<(&str, serde_json::Value)> = dirs
        .iter()
        .map(|(f, _, dir)| (*f, report_format("same", f, dir)))
        .collect();
    let (base_format, base) = &docs[0];
    assert_eq!(*base_format, "xlsx");
    for (format, doc) in &docs[1..] {
        assert_eq!(
            doc["kpis"], base["kpis"],
            "{format} KPIs differ from {base_format}"
        );
        assert_eq!(
            doc["breakdowns"], base["breakdowns"],
            "{format} breakdowns differ from {base_format}"
        );
        assert_eq!(
            doc["warnings"], base["warnings"],
            "{format} warnings differ from {base_format}"
        );
    }
}

#[test]
fn check_recognises_every_file_as_its_kind_in_every_format() {
    let mut failures = Vec::new();
    for (format, ext, dir) in format_dirs() {
        let o = run(&["check", dir.to_str().unwrap()]);
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        if o.status.code() != Some(0) {
            failures.push(format!(
                "{format}: exit {:?}\n{out}{}",
                o.status.code(),
                stderr(&o)
            ));
            continue;
        }
        // Each file's block starts with its path and ends with a blank line.
        for (stem, label) in FILES {
            let file = dir.join(format!("{stem}.{ext}"));
            let head = file.display().to_string();
            let block: String = out
                .split("\n\n")
                .find(|b| b.trim_start().starts_with(&head))
                .unwrap_or("")
                .to_string();
            let recognised = block
                .lines()
                .any(|l| l.contains(&format!("{label} (rubrikrad")));
            if !recognised {
                failures.push(format!(
                    "{format}: {stem} not recognised as {label}:\n{block}"
                ));
            }
            // The text fixtures really are in the encoding and delimiter they claim.
            let note = match format {
                "csv" => Some("Kolumner: UTF-8, komma."),
                "csv-1252" => Some("Kolumner: Windows-1252, semikolon."),
                "txt" => Some("Kolumner: UTF-8, tabb."),
                _ => None,
            };
            if let Some(note) = note.filter(|n| !block.contains(n)) {
                failures.push(format!("{format}: {stem} is not \"{note}\":\n{block}"));
            }
            if block.contains("Problem:") {
                failures.push(format!("{format}: {stem} has problems:\n{block}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
