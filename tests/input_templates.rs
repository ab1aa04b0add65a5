//! `genomgang templates OUT_DIR`: the blank input workbooks are recognised by `check`,
//! read back by `report` once filled in, and carry their drop-down validations.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use calamine::Data;
use common::*;

/// (file name, data sheet name, kind label printed by `check`)
const TEMPLATES: [(&str, &str, &str); 7] = [
    ("Mall utbildning.xlsx", "Utbildning", "Utbildning (lista)"),
    ("Mall personal.xlsx", "Personal", "Personal"),
    ("Mall incidenter.xlsx", "Incidenter", "Incidenter"),
    (
        "Mall registerförteckning.xlsx",
        "Registerförteckning",
        "Registerförteckning",
    ),
    (
        "Mall informationsklassning.xlsx",
        "Informationsklassning",
        "Informationsklassning",
    ),
    ("Mall risker.xlsx", "Risker", "Risker"),
    ("Mall åtgärder.xlsx", "Åtgärder", "Åtgärder"),
];

fn write_templates(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["templates", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// One part of an xlsx zip as text.
fn zip_part(xlsx: &Path, name: &str) -> String {
    let f = std::fs::File::open(xlsx).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut part = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{}: no part {name}", xlsx.display()));
    let mut s = String::new();
    part.read_to_string(&mut s).unwrap();
    s
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn templates_writes_seven_files_that_check_recognises() {
    let tmp = TempDir::new("tpl-check");
    let out = tmp.join("mallar");
    let o = write_templates(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let printed = stdout(&o);
    assert_eq!(printed.lines().count(), 7, "{printed}");
    for (file, sheet, label) in TEMPLATES {
        let path = out.join(file);
        assert!(path.is_file(), "{file} missing; stdout: {printed}");
        assert!(printed.contains(file), "{printed}");
        assert_eq!(
            sheet_names(&path),
            vec![sheet.to_string(), "Instruktioner".to_string()],
            "{file}"
        );
        let c = run(&["check", path.to_str().unwrap()]);
        let text = stdout(&c);
        assert_eq!(c.status.code(), Some(0), "{file}: {text}{}", stderr(&c));
        assert!(
            text.contains(&format!("Blad \"{sheet}\": {label} (rubrikrad 1)")),
            "{file}: {text}"
        );
        // Every column has a role: nothing is reported as unused.
        assert!(!text.contains("ej använda"), "{file}: {text}");
        // The instruction sheet is never mistaken for data.
        assert!(
            text.contains("Blad \"Instruktioner\": Ignorerat"),
            "{file}: {text}"
        );
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 7, "{names:?}");
}

#[test]
fn existing_files_are_skipped_unless_forced() {
    let tmp = TempDir::new("tpl-force");
    let out = tmp.path();
    let mine = out.join("Mall risker.xlsx");
    std::fs::write(&mine, b"my own risk register").unwrap();
    let o = write_templates(out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(&mine).unwrap(), b"my own risk register");
    let err = stderr(&o);
    assert!(
        err.contains("Mall risker.xlsx") && err.contains("finns redan") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(stdout(&o).lines().count(), 6, "{}", stdout(&o));
    assert!(!stdout(&o).contains("Mall risker.xlsx"));

    let o = write_templates(out, &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 7, "{}", stdout(&o));
    assert_eq!(sheet_names(&mine)[0], "Risker");
}

#[test]
fn unwritable_output_exits_2() {
    let tmp = TempDir::new("tpl-unwritable");
    let file = tmp.join("inte-en-mapp");
    std::fs::write(&file, b"x").unwrap();
    let o = write_templates(&file, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ingen mapp"), "{}", stderr(&o));

    let o = write_templates(&file.join("under"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Kunde inte skriva"), "{}", stderr(&o));

    // One file that cannot be replaced: the others are written, the exit status is 2.
    let out = tmp.join("mallar");
    std::fs::create_dir_all(out.join("Mall risker.xlsx").join("upptagen")).unwrap();
    let o = write_templates(&out, &["--force"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Kunde inte skriva") && stderr(&o).contains("Mall risker.xlsx"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 6, "{}", stdout(&o));
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn data_sheets_carry_validations_notes_frozen_headers_and_formats() {
    let tmp = TempDir::new("tpl-validation");
    let o = write_templates(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (file, _, _) in TEMPLATES {
        let path = tmp.join(file);
        let sheet = zip_part(&path, "xl/worksheets/sheet1.xml");
        // The roster has no column whose values come from a list or are dates.
        if file != "Mall personal.xlsx" {
            assert!(sheet.contains("<dataValidation "), "{file}");
        }
        assert!(sheet.contains("state=\"frozen\""), "{file}");
        // One note per header cell.
        let comments = zip_part(&path, "xl/comments1.xml");
        let headers = sheet_rows(&path, TEMPLATES.iter().find(|t| t.0 == file).unwrap().1);
        assert_eq!(
            headers.len(),
            1,
            "{file}: a blank template has only its header row"
        );
        assert_eq!(
            comments.matches("<comment ").count(),
            headers[0].len(),
            "{file}"
        );
        let styles = zip_part(&path, "xl/styles.xml");
        assert!(styles.contains("<b/>"), "{file}: bold header");
        let help = sheet_rows(&path, "Instruktioner");
        for h in &headers[0] {
            let h = cell_text(h);
            assert!(
                help.iter()
                    .any(|r| r.first().map(cell_text).as_deref() == Some(h.as_str())
                        && r.get(1).map(cell_text).is_some_and(|t| t.len() > 10)),
                "{file}: no instruction for {h}"
            );
        }
    }
    let sheet = |file: &str| zip_part(&tmp.join(file), "xl/worksheets/sheet1.xml");
    let incidents = sheet("Mall incidenter.xlsx");
    assert!(
        incidents.contains("<formula1>\"Nätfiske (phishing),Inbrott,Förlorat tjänstekort,Förlorad mobiltelefon,Förlorad dator,Felskick,Obehörig åtkomst,Skadlig kod,Övrigt\"</formula1>"),
        "{incidents}"
    );
    assert!(incidents.contains("sqref=\"D2:D1001\""));
    assert!(incidents.contains("<formula1>\"Ja,Nej\"</formula1>"));
    assert!(incidents.contains("type=\"date\""));
    let styles = zip_part(&tmp.join("Mall incidenter.xlsx"), "xl/styles.xml");
    assert!(styles.contains("formatCode=\"yyyy-mm-dd\""), "{styles}");
    let classification = sheet("Mall informationsklassning.xlsx");
    assert!(
        classification.contains("type=\"whole\" allowBlank=\"1\"")
            && classification.contains("<formula1>0</formula1><formula2>4</formula2>")
    );
    assert!(sheet("Mall risker.xlsx").contains("<formula1>\"1,2,3,4,5\"</formula1>"));
    assert!(
        sheet("Mall risker.xlsx").contains("<formula1>\"Öppen,Hanterad,Accepterad\"</formula1>")
    );
    assert!(
        sheet("Mall åtgärder.xlsx").contains("<formula1>\"Ej påbörjad,Pågående,Klar\"</formula1>")
    );
    assert!(
        sheet("Mall utbildning.xlsx").contains("<formula1>\"Genomförd,Ej genomförd\"</formula1>")
    );
    // The NIS authority is this year's: MCF from 2026.
    let headers: Vec<String> = sheet_rows(&tmp.join("Mall incidenter.xlsx"), "Incidenter")[0]
        .iter()
        .map(cell_text)
        .collect();
    let authority = if chrono::Datelike::year(&chrono::Local::now()) >= 2026 {
        "Anmäld till MCF"
    } else {
        "Anmäld till MSB"
    };
    assert!(headers.contains(&authority.to_string()), "{headers:?}");
}

/// Copies a template with `rows` filled in under its header: the header row is read
/// from the template, each data row gives values by header text. The instruction sheet
/// is copied along, as an administration would leave it in the file.
fn fill(template: &Path, sheet: &str, rows: &[BTreeMap<&str, V>], dest: &Path) {
    let header: Vec<String> = sheet_rows(template, sheet)[0]
        .iter()
        .map(cell_text)
        .collect();
    for row in rows {
        for key in row.keys() {
            assert!(
                header.iter().any(|h| h == key),
                "{}: no column {key} in {header:?}",
                template.display()
            );
        }
    }
    let mut data: Vec<Vec<V>> = vec![header.iter().map(|h| s(h)).collect()];
    for row in rows {
        data.push(
            header
                .iter()
                .map(|h| row.get(h.as_str()).cloned().unwrap_or(V::E))
                .collect(),
        );
    }
    let help: Vec<Vec<V>> = sheet_rows(template, "Instruktioner")
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match cell_text(c) {
                    t if t.is_empty() => V::E,
                    t => V::S(t),
                })
                .collect()
        })
        .collect();
    write_xlsx(dest, &[(sheet, data), ("Instruktioner", help)]);
}

/// Filled data rows, each keyed by header text.
type Rows<'a> = Vec<BTreeMap<&'a str, V>>;

fn rec(pairs: Vec<(&str, V)>) -> BTreeMap<&str, V> {
    pairs.into_iter().collect()
}

#[test]
fn filled_templates_give_exact_kpis() {
    let tmp = TempDir::new("tpl-roundtrip");
    let blank = tmp.join("mallar");
    let input = tmp.join("indata");
    let out = tmp.join("ut");
    std::fs::create_dir_all(&input).unwrap();
    let o = write_templates(&blank, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Whichever authority the header names this year, it is read as the NIS report.
    let nis = sheet_rows(&blank.join("Mall incidenter.xlsx"), "Incidenter")[0]
        .iter()
        .map(cell_text)
        .find(|h| h.starts_with("Anmäld till M"))
        .unwrap();
    let nis = nis.as_str();

    const INFOSAK: &str = "Grundläggande informationssäkerhet";
    const GDPR: &str = "Grundläggande dataskydd (GDPR)";
    let person = |nr: &str| {
        vec![
            ("Anställningsnummer", s(nr)),
            ("E-post", s(&format!("{}@exempel.se", nr.to_lowercase()))),
        ]
    };
    let roster: Vec<_> = [
        ("A1", "Enhet A"),
        ("A2", "Enhet A"),
        ("A3", "Enhet B"),
        ("A4", "Enhet B"),
    ]
    .iter()
    .map(|(nr, unit)| {
        let mut r = person(nr);
        r.push(("Namn", s(&format!("Person {nr}"))));
        r.push(("Enhet", s(unit)));
        r.push(("Förvaltning", s("Testförvaltningen")));
        rec(r)
    })
    .collect();
    let course = |nr: &str, name: &str, status: &str, date: V| {
        let mut r = person(nr);
        r.push(("Kurs", s(name)));
        r.push(("Status", s(status)));
        r.push(("Slutfört datum", date));
        rec(r)
    };
    let training = vec![
        course("A1", INFOSAK, "Genomförd", d(2025, 3, 1)),
        course("A1", GDPR, "Genomförd", d(2025, 4, 1)),
        course("A2", INFOSAK, "Genomförd", d(2025, 5, 1)),
        course("A2", GDPR, "Ej genomförd", V::E),
        course("A3", INFOSAK, "Genomförd", d(2024, 6, 1)),
        course("A3", GDPR, "Genomförd", s("2025-01-10")),
    ];
    let incidents = vec![
        rec(vec![
            ("Ärendenummer", s("INC-1")),
            ("Händelsedatum", d(2025, 2, 3)),
            ("Upptäckt", d(2025, 2, 3)),
            ("Kategori", s("Nätfiske (phishing)")),
            ("Personuppgiftsincident", s("Nej")),
            ("Anmäld till IMY", s("Nej")),
            (nis, s("Nej")),
            ("Enhet", s("Enhet A")),
        ]),
        rec(vec![
            ("Ärendenummer", s("INC-2")),
            ("Händelsedatum", d(2025, 3, 10)),
            ("Upptäckt", s("2025-03-10 08:00")),
            ("Kategori", s("Felskick")),
            ("Personuppgiftsincident", s("Ja")),
            ("Anmäld till IMY", s("Ja")),
            ("Anmält datum", s("2025-03-11 09:30")),
            (nis, s("Nej")),
        ]),
        rec(vec![
            ("Ärendenummer", s("INC-3")),
            ("Händelsedatum", d(2025, 6, 1)),
            ("Upptäckt", s("2025-06-01 10:00")),
            ("Kategori", s("Förlorad dator")),
            ("Personuppgiftsincident", s("Ja")),
            ("Anmäld till IMY", s("Ja")),
            ("Anmält datum", s("2025-06-10 10:00")),
            (nis, s("Ja")),
        ]),
        rec(vec![
            ("Ärendenummer", s("INC-4")),
            ("Händelsedatum", d(2024, 11, 1)),
            ("Kategori", s("Inbrott")),
        ]),
    ];
    let activity = |name: &str, retention: &str, reviewed: V| {
        rec(vec![
            ("Behandling", s(name)),
            ("Ändamål", s("Administration")),
            ("Rättslig grund", s("Allmänt intresse")),
            ("Kategorier av registrerade", s("Medarbetare")),
            ("Kategorier av personuppgifter", s("Namn, kontaktuppgifter")),
            ("Mottagare", s("Inga")),
            ("Tredjelandsöverföring", s("Nej")),
            ("Lagringstid", s(retention)),
            ("Säkerhetsåtgärder", s("Behörighetsstyrning")),
            ("Senast reviderad", reviewed),
        ])
    };
    let register = vec![
        activity("Rekrytering", "2 år", d(2025, 5, 1)),
        activity("Lönehantering", "10 år", d(2023, 1, 1)),
        activity("Besöksloggar", "", V::E),
    ];
    let asset = |name: &str, k: V, r: V, t: V| {
        rec(vec![
            ("Informationstillgång", s(name)),
            ("Konfidentialitet", k),
            ("Riktighet", r),
            ("Tillgänglighet", t),
            ("Klassad datum", d(2025, 2, 1)),
        ])
    };
    let classification = vec![
        asset("Ekonomisystem", n(3.0), n(2.0), n(2.0)),
        asset("Intranät", n(1.0), V::E, V::E),
        asset("Webbplats", n(0.0), n(0.0), n(0.0)),
    ];
    let risk = |name: &str, l: f64, c: f64, status: &str| {
        rec(vec![
            ("Risk", s(name)),
            ("Sannolikhet", n(l)),
            ("Konsekvens", n(c)),
            ("Riskvärde", n(l * c)),
            ("Status", s(status)),
            ("Åtgärd", s("Se åtgärdsplanen")),
        ])
    };
    let risks = vec![
        risk("Nätfiske leder till intrång", 4.0, 4.0, "Öppen"),
        risk("Felskick av e-post", 2.0, 3.0, "Hanterad"),
        risk("Förlorade datorer", 3.0, 4.0, "Accepterad"),
    ];
    let action = |name: &str, status: &str, deadline: V, year: V| {
        rec(vec![
            ("Åtgärd", s(name)),
            ("Status", s(status)),
            ("Klart senast", deadline),
            ("År", year),
        ])
    };
    let actions = vec![
        action(
            "Uppdatera incidentrutinen",
            "Klar",
            d(2025, 6, 30),
            n(2025.0),
        ),
        action("Utbilda chefer", "Pågående", d(2025, 10, 31), n(2025.0)),
        action(
            "Klassa skolsystemen",
            "Ej påbörjad",
            d(2026, 6, 30),
            n(2026.0),
        ),
    ];

    let fills: [(&str, &str, &Rows); 7] = [
        ("Mall personal.xlsx", "Personal", &roster),
        ("Mall utbildning.xlsx", "Utbildning", &training),
        ("Mall incidenter.xlsx", "Incidenter", &incidents),
        (
            "Mall registerförteckning.xlsx",
            "Registerförteckning",
            &register,
        ),
        (
            "Mall informationsklassning.xlsx",
            "Informationsklassning",
            &classification,
        ),
        ("Mall risker.xlsx", "Risker", &risks),
        ("Mall åtgärder.xlsx", "Åtgärder", &actions),
    ];
    for (file, sheet, rows) in fills {
        fill(&blank.join(file), sheet, rows, &input.join(file));
    }

    let (code, doc, xlsx, err) = report(&input, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(xlsx.is_file(), "{err}");
    let expect = [
        ("training.headcount", 4.0),
        ("training.completed_all", 2.0),
        ("training.completion_rate_all", 0.5),
        ("incidents.total", 3.0),
        ("incidents.personal_data", 2.0),
        ("incidents.reported_imy", 2.0),
        ("incidents.reported_msb", 1.0),
        ("incidents.imy_late", 1.0),
        ("incidents.category.phishing", 1.0),
        ("incidents.category.misdirected", 1.0),
        ("incidents.category.lost_computer", 1.0),
        ("incidents.category.burglary", 0.0),
        ("incidents.category.other", 0.0),
        ("register.activities", 3.0),
        ("register.stale", 2.0),
        ("classification.assets", 3.0),
        ("risks.total", 3.0),
        ("risks.high", 2.0),
        ("actions.total", 3.0),
        ("actions.done", 1.0),
        ("actions.overdue", 1.0),
    ];
    for (id, want) in expect {
        assert_eq!(value(&doc, id), Some(want), "{id}: {}", json_kpi(&doc, id));
    }
    let close = |id: &str, want: f64| {
        let got = value(&doc, id).unwrap_or_else(|| panic!("{id} is null"));
        assert!((got - want).abs() < 1e-9, "{id}: {got} != {want}");
    };
    close("register.complete_rate", 2.0 / 3.0);
    close("classification.classified_rate", 2.0 / 3.0);
    assert_eq!(previous(&doc, "incidents.total"), Some(1.0));
    // Nothing in the filled templates was rejected or unreadable.
    let sources = doc["sources"].as_array().expect("sources");
    for src in sources {
        let text = src.to_string();
        if text.contains("\"Instruktioner\"") {
            continue;
        }
        assert_eq!(src["rows_rejected"].as_u64().unwrap_or(0), 0, "{text}");
    }
    let kinds: Vec<String> = sources
        .iter()
        .filter_map(|s| s["kind"].as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
}
