//! `report` on a folder whose true KPIs are known by construction: every input kind, in
//! the messy forms real exports take (title rows, Windows-1252 CSV, UTF-8 BOM CSV, mixed
//! date forms, a duplicate incident in a second file, an unreadable date).

mod common;

use std::path::PathBuf;

use calamine::Data;
use common::*;

/// Builds the fixture folder and returns it.
pub fn known_unit(dir: &std::path::Path) {
    // Roster: 10 employees, title rows above the header.
    let mut roster = vec![vec![s("Personalförteckning per 2025-12-31")], vec![]];
    roster.extend(roster_rows(
        10,
        987_600.0,
        "19850101",
        1000,
        "Personsson",
        |i| if i <= 6 { "Enhet A" } else { "Enhet B" },
    ));
    write_sheet(&dir.join("HR personal.xlsx"), "Personal", roster);

    // Training, long list, Windows-1252 with semicolons, identified by e-mail.
    let mut csv = String::from("E-post;Kurs;Status;Slutfört datum\r\n");
    let both = |csv: &mut String, who: &str, d1: &str, d2: &str| {
        csv.push_str(&both_courses_csv(who, d1, d2));
    };
    both(&mut csv, "P1@EXAMPLE.SE", "2024-03-14", "14.03.2024");
    both(&mut csv, "p2@example.se", "14/3/2025", "2025-03-14 10:22");
    both(&mut csv, "p3@example.se", "2024-05-01", "2025-01-02");
    both(&mut csv, "p7@example.se", "2024-11-30", "2024-12-31");
    csv.push_str("p4@example.se;Grundläggande informationssäkerhet;Genomförd;2025-02-02\r\n");
    both(&mut csv, "p5@example.se", "2025-06-01", "2026-01-10");
    csv.push_str("p8@example.se;Dataskydd (GDPR) grundkurs;Pågående;\r\n");
    both(&mut csv, "x@example.se", "2025-01-01", "2025-01-01");
    csv.push_str("p9@example.se;Säker e-post;Genomförd;2025-13-45\r\n");
    write_1252(&dir.join("Kursdeltagare.csv"), &csv);

    // Incidents: title rows, header on row 4, Excel dates.
    let header = [
        "Ärendenummer",
        "Händelsedatum",
        "Upptäckt",
        "Kategori",
        "Personuppgiftsincident (Ja/Nej)",
        "Anmäld till IMY",
        "Anmält datum",
        "Anmäld till MSB",
        "Enhet",
        "Beskrivning",
    ];
    let mut inc = vec![
        vec![s("Avvikelser 2024–2025")],
        vec![s("Utdrag 2026-01-05")],
        vec![],
        texts(&header),
    ];
    let mut k = 0;
    let mut add = |inc: &mut Vec<Vec<V>>,
                   date: V,
                   cat: &str,
                   pui: &str,
                   imy: &str,
                   reported: V,
                   msb: &str| {
        k += 1;
        inc.push(vec![
            s(&format!("IA-{k:03}")),
            date.clone(),
            date,
            s(cat),
            s(pui),
            s(imy),
            reported,
            s(msb),
            s("Enhet A"),
            s("Hemligt ärende om Olle Olofsson"),
        ]);
    };
    add(&mut inc, d(2025, 1, 10), "Phishing", "Nej", "Nej", V::E, "");
    add(&mut inc, d(2025, 2, 11), "Nätfiske", "Nej", "", V::E, "");
    add(
        &mut inc,
        d(2025, 3, 1),
        "Felskickad e-post",
        "Ja",
        "Ja",
        d(2025, 3, 6),
        "",
    );
    add(
        &mut inc,
        d(2025, 4, 1),
        "Fel mottagare",
        "JA",
        "X",
        d(2025, 4, 2),
        "",
    );
    add(&mut inc, d(2025, 5, 1), "Felskick", "x", "Nej", V::E, "");
    add(
        &mut inc,
        d(2025, 6, 1),
        "Förlorad mobiltelefon",
        "Nej",
        "Nej",
        V::E,
        "",
    );
    add(
        &mut inc,
        d(2025, 7, 1),
        "Skadlig kod",
        "Nej",
        "Nej",
        V::E,
        "X",
    );
    add(
        &mut inc,
        d(2025, 8, 1),
        "Hot via telefon",
        "Nej",
        "Nej",
        V::E,
        "",
    );
    add(&mut inc, d(2024, 3, 1), "Phishing", "Nej", "Nej", V::E, "");
    add(&mut inc, d(2024, 9, 1), "Inbrott", "Nej", "Nej", V::E, "");
    inc.push(vec![
        s("IA-999"),
        s("2025-13-45"),
        V::E,
        s("Inbrott"),
        s("Nej"),
        s("Nej"),
        V::E,
        s(""),
        s("Enhet B"),
        s("x"),
    ]);
    write_xlsx(&dir.join("IA-export.xlsx"), &[("Rapport", inc)]);
    // The same incident IA-001 again in a second export: counted once.
    std::fs::write(
        dir.join("incidenter-extra.csv"),
        "Ärendenummer,Datum,Kategori\nIA-001,2025-01-10,Phishing\n",
    )
    .unwrap();

    // Register: 4 activities, 2 complete, 2 stale (one old date, one blank).
    let full = |name: &str, rev: V| {
        vec![
            s(name),
            s("Ändamål"),
            s("Myndighetsutövning"),
            s("Elever"),
            s("Namn"),
            s("Skolverket"),
            s("3 år"),
            s("Behörighetsstyrning"),
            rev,
        ]
    };
    let mut reg = vec![texts(&REGISTER_COLUMNS)];
    reg.push(full("Elevregister", d(2025, 5, 1)));
    reg.push(full("Synpunkter och klagomål", d(2023, 1, 1)));
    reg.push(vec![
        s("Bildarkiv"),
        s("Dokumentation"),
        s(""),
        s("Besökare"),
        s("Bild"),
        s("-"),
        s("saknas"),
        s("Lösenord"),
        V::E,
    ]);
    reg.push(vec![
        s("=1+1"),
        s("Test"),
        s("Avtal"),
        s("Kunder"),
        s("Namn"),
        s(""),
        s("1 år"),
        s(""),
        d(2025, 2, 2),
    ]);
    write_xlsx(&dir.join("Registerförteckning.xlsx"), &[("Register", reg)]);

    // Classification: 4 assets, 3 with K, R and T.
    let cls = vec![
        texts(&[
            "Informationstillgång",
            "Konfidentialitet",
            "Riktighet",
            "Tillgänglighet",
        ]),
        vec![s("Ekonomisystem"), s("K2"), s("R2"), s("T1")],
        vec![s("Elevdokumentation"), n(3.0), n(2.0), n(2.0)],
        vec![
            s("Webbplats"),
            s("Försumbar"),
            s("1 - Måttlig"),
            s("Betydande"),
        ],
        vec![s("Kameraövervakning"), s("3"), s("2"), V::E],
    ];
    write_xlsx(&dir.join("KLASSA.xlsx"), &[("Klassning", cls)]);

    // Risks: 3 risks, 2 with value >= 12.
    let risks = vec![
        texts(&["Risk", "Sannolikhet", "Konsekvens", "Åtgärd", "Status"]),
        vec![s("+SUM(A1)"), n(4.0), n(4.0), s("Rutin"), s("Öppen")],
        vec![
            s("Otydlig registerförteckning"),
            s("3"),
            s("4"),
            s("Rutin"),
            s("Öppen"),
        ],
        vec![s("Låg risk"), n(2.0), n(2.0), s(""), s("Stängd")],
    ];
    write_xlsx(&dir.join("Riskregister.xlsx"), &[("Risker", risks)]);

    // Actions: UTF-8 with BOM, commas; 1 done, 2 overdue.
    let mut actions = vec![0xEF, 0xBB, 0xBF];
    actions.extend_from_slice(
        "Åtgärd,Ansvarig,Klart senast,Status\n\"Revidera lokal anvisning\",ISAM,2025-03-31,Klar\n\"@HYPERLINK(\"\"http://x\"\")\",ISAM,2025-06-30,Pågående\n\"Ta fram behörighetsrutin\",IT-chef,2026-06-30,Ej påbörjad\n\"Rutin för incidenter\",ISAM,Q3 2025,Pågående\n"
            .as_bytes(),
    );
    std::fs::write(dir.join("Åtgärdsplan.csv"), actions).unwrap();
    // A prose file that is not an input.
    std::fs::write(dir.join("LÄS MIG.md"), "Det här är anteckningar.").unwrap();
}

const TESTFORVALTNINGEN_2025: &[&str] = &["--unit", "Testförvaltningen", "--year", "2025"];

/// `report` on the known unit, exit 0: (temporary folder, output folder, JSON document,
/// workbook).
fn report_known(name: &str, extra: &[&str]) -> (TempDir, PathBuf, serde_json::Value, PathBuf) {
    let t = TempDir::new(name);
    let input = t.folder("Enhet");
    known_unit(&input);
    let out = t.join("ut");
    let (doc, xlsx) = report_ok(&input, &out, extra);
    (t, out, doc, xlsx)
}

#[test]
fn every_kpi_of_the_known_unit() {
    let (_t, _out, doc, _xlsx) = report_known("known", TESTFORVALTNINGEN_2025);
    assert_eq!(doc["unit"], "Testförvaltningen");
    assert_eq!(doc["year"], 2025);
    let expect = [
        ("training.headcount", Some(10.0), None),
        ("training.completed_all", Some(4.0), Some(2.0)),
        ("training.completion_rate_all", Some(0.4), Some(0.2)),
        ("incidents.total", Some(8.0), Some(2.0)),
        ("incidents.personal_data", Some(3.0), Some(0.0)),
        ("incidents.reported_imy", Some(2.0), Some(0.0)),
        ("incidents.reported_msb", Some(1.0), Some(0.0)),
        ("incidents.imy_late", Some(1.0), Some(0.0)),
        ("incidents.category.phishing", Some(2.0), Some(1.0)),
        ("incidents.category.burglary", Some(0.0), Some(1.0)),
        ("incidents.category.misdirected", Some(3.0), Some(0.0)),
        ("incidents.category.lost_phone", Some(1.0), Some(0.0)),
        ("incidents.category.malware", Some(1.0), Some(0.0)),
        ("incidents.category.other", Some(1.0), Some(0.0)),
        ("register.activities", Some(4.0), None),
        ("register.complete_rate", Some(0.5), None),
        ("register.stale", Some(2.0), Some(2.0)),
        ("classification.assets", Some(4.0), None),
        ("classification.classified_rate", Some(0.75), None),
        ("risks.total", Some(3.0), None),
        ("risks.high", Some(2.0), None),
        ("actions.total", Some(4.0), None),
        ("actions.done", Some(1.0), None),
        ("actions.overdue", Some(2.0), None),
    ];
    assert_kpis(&doc, &expect);
    // The unreadable date and the duplicate are accounted for, not silently dropped.
    let warnings = doc["warnings"].to_string();
    // With its place and a description, never the value itself (SPEC §4.2).
    assert!(
        warnings.contains("Kursdeltagare.csv, rad 16, kolumn D (Slutfört datum)"),
        "{warnings}"
    );
    assert!(!warnings.contains("2025-13-45"), "{warnings}");
    let sources = doc["sources"].as_array().unwrap();
    let kinds: Vec<&str> = sources.iter().filter_map(|s| s["kind"].as_str()).collect();
    for k in [
        "roster",
        "training",
        "incidents",
        "register",
        "classification",
        "risks",
        "actions",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
}

#[test]
fn workbook_has_the_sheets_kpis_and_native_charts() {
    let (_t, out, _doc, xlsx) = report_known("known-wb", TESTFORVALTNINGEN_2025);
    assert!(
        xlsx.ends_with("Ledningens genomgång 2025 - Testförvaltningen.xlsx"),
        "{xlsx:?}"
    );
    assert!(out
        .join("Ledningens genomgång 2025 - Testförvaltningen.md")
        .is_file());
    let names = sheet_names(&xlsx);
    assert_eq!(
        names,
        [
            "Sammanfattning",
            "Rapport",
            "Utbildning",
            "Incidenter",
            "Registerförteckning",
            "Informationsklassning",
            "Risker",
            "Åtgärder",
            "ISO 27001 9.3",
            "Datakvalitet",
            "Källor",
            "Konfiguration",
            "Nyckeltalsdata"
        ]
    );
    // KPI values on the summary sheet.
    let rows = sheet_rows(&xlsx, "Sammanfattning");
    let total = find_row(&rows, "Antal incidenter").expect("incident row");
    assert!(
        total.contains(&Data::Float(8.0)) && total.contains(&Data::Float(2.0)),
        "{total:?}"
    );
    let rate = find_row(
        &rows,
        "Andel medarbetare som genomfört alla obligatoriska utbildningar",
    )
    .expect("rate row");
    assert!(rate.contains(&Data::Float(0.4)), "{rate:?}");
    // At least three native charts.
    let charts = part_names(&xlsx)
        .iter()
        .filter(|p| p.starts_with("xl/charts/chart"))
        .count();
    assert!(charts >= 3, "{charts} charts");
    // No temporary file is left behind.
    assert!(tmp_leftovers(&out).is_empty());
}

#[test]
fn privacy_no_identifier_or_free_text_reaches_the_outputs() {
    let (_t, _out, doc, xlsx) = report_known("privacy", &["--year", "2025"]);
    let workbook = all_parts_text(&xlsx);
    let json = doc.to_string();
    let md = std::fs::read_to_string(xlsx.with_extension("md")).unwrap();
    for secret in [
        "Personsson",
        "example.se",
        "EXAMPLE.SE",
        "Olofsson",
        "Hemligt",
        "987601",
        "19850101",
    ] {
        assert!(!workbook.contains(secret), "workbook holds {secret}");
        assert!(!json.contains(secret), "json holds {secret}");
        assert!(!md.contains(secret), "markdown holds {secret}");
    }
}

#[test]
fn text_from_inputs_never_becomes_a_formula() {
    let (_t, _out, _doc, xlsx) = report_known("formula", &["--year", "2025"]);
    let register = sheet_rows(&xlsx, "Registerförteckning");
    assert!(
        register
            .iter()
            .flatten()
            .any(|c| c == &Data::String("=1+1".into())),
        "=1+1 kept as text"
    );
    let risks = sheet_rows(&xlsx, "Risker");
    assert!(risks
        .iter()
        .flatten()
        .any(|c| c == &Data::String("+SUM(A1)".into())));
    let actions = sheet_rows(&xlsx, "Åtgärder");
    assert!(actions
        .iter()
        .flatten()
        .any(|c| matches!(c, Data::String(s) if s.starts_with("@HYPERLINK"))));
    let xml = all_parts_text(&xlsx);
    for f in [
        "<f>1+1</f>",
        "<f>SUM(A1)",
        "<f>HYPERLINK",
        "<f>+SUM",
        "<f>@HYPERLINK",
    ] {
        assert!(!xml.contains(f), "formula {f} in workbook");
    }
}
