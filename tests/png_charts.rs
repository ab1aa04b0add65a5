//! `report --png`: the four main charts as PNG images under OUT/diagram/, skipped (with a
//! note on stderr) when their data is absent.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;

const CHARTS: [&str; 4] = [
    "incidenter-per-kategori.png",
    "incidenter-per-manad.png",
    "utbildning-per-enhet.png",
    "riskmatris.png",
];

fn roster_training_risks(dir: &Path) {
    let mut roster = vec![vec![
        s("Anställningsnummer"),
        s("Personnummer"),
        s("Namn"),
        s("E-post"),
        s("Enhet"),
    ]];
    for i in 1..=6 {
        roster.push(vec![
            n(5000.0 + i as f64),
            s(&format!("19800101-{:04}", 2000 + i)),
            s(&format!("Fake Testsson{i}")),
            s(&format!("p{i}@example.se")),
            s(if i <= 3 { "Förskola" } else { "Äldreomsorg" }),
        ]);
    }
    write_xlsx(&dir.join("HR personal.xlsx"), &[("Personal", roster)]);

    let mut csv = String::from("E-post;Kurs;Status;Slutfört datum\r\n");
    for who in ["p1@example.se", "p2@example.se", "p4@example.se"] {
        csv.push_str(&format!(
            "{who};Grundläggande informationssäkerhet;Genomförd;2025-03-01\r\n"
        ));
        csv.push_str(&format!(
            "{who};Dataskydd (GDPR) grundkurs;Genomförd;2025-04-01\r\n"
        ));
    }
    write_1252(&dir.join("Kursdeltagare.csv"), &csv);

    let risks = vec![
        vec![
            s("Risk"),
            s("Sannolikhet"),
            s("Konsekvens"),
            s("Åtgärd"),
            s("Status"),
        ],
        vec![
            s("Obehörig åtkomst"),
            n(4.0),
            n(4.0),
            s("Rutin"),
            s("Öppen"),
        ],
        vec![
            s("Felskickad e-post"),
            n(3.0),
            n(4.0),
            s("Rutin"),
            s("Öppen"),
        ],
        vec![s("Låg risk"), n(1.0), n(2.0), s(""), s("Stängd")],
    ];
    write_xlsx(&dir.join("Riskregister.xlsx"), &[("Risker", risks)]);
}

fn incidents(dir: &Path) {
    let mut rows = vec![vec![
        s("Ärendenummer"),
        s("Händelsedatum"),
        s("Kategori"),
        s("Personuppgiftsincident (Ja/Nej)"),
        s("Enhet"),
    ]];
    let cases = [
        (2025, 1, "Phishing"),
        (2025, 2, "Nätfiske"),
        (2025, 3, "Felskickad e-post"),
        (2025, 6, "Förlorad mobiltelefon"),
        (2025, 9, "Skadlig kod"),
        (2024, 3, "Phishing"),
        (2024, 9, "Inbrott"),
    ];
    for (k, (year, month, category)) in cases.iter().enumerate() {
        rows.push(vec![
            s(&format!("IA-{k:03}")),
            d(*year, *month, 10),
            s(category),
            s("Nej"),
            s("Förskola"),
        ]);
    }
    write_xlsx(&dir.join("IA-export.xlsx"), &[("Rapport", rows)]);
}

/// Runs `report DIR --out OUT --png`; returns (exit code, stderr).
fn report_png(input: &Path, out: &Path) -> (i32, String) {
    let o = run_on("report", input, out, &["--year", "2025", "--png"]);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

/// Decodes a PNG; returns (width, height, number of distinct colours).
fn decode(path: &Path) -> (u32, u32, usize) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{path:?} is no PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let colours: HashSet<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    (info.width, info.height, colours.len())
}

#[test]
fn png_writes_the_four_charts() {
    let t = TempDir::new("png-all");
    let input = t.join("Enhet");
    std::fs::create_dir_all(&input).unwrap();
    roster_training_risks(&input);
    incidents(&input);
    let out = t.join("ut");
    let (code, err) = report_png(&input, &out);
    assert_eq!(code, 0, "{err}");
    for chart in CHARTS {
        let path = out.join("diagram").join(chart);
        assert!(path.is_file(), "{chart} missing; stderr: {err}");
        assert!(err.contains(&format!("Skrev {}", path.display())), "{err}");
        let (w, h, colours) = decode(&path);
        assert_eq!((w, h), (1600, 900), "{chart}");
        // White background plus bars, text and anti-aliasing: far more than a blank image.
        assert!(colours > 20, "{chart} has only {colours} colours");
    }
    assert!(!err.contains("Hoppade över"), "{err}");
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.join("diagram"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn png_skips_the_incident_charts_without_incidents() {
    let t = TempDir::new("png-no-incidents");
    let input = t.join("Enhet");
    std::fs::create_dir_all(&input).unwrap();
    roster_training_risks(&input);
    let out = t.join("ut");
    let (code, err) = report_png(&input, &out);
    assert_eq!(code, 0, "{err}");
    let dir = out.join("diagram");
    assert!(!dir.join("incidenter-per-kategori.png").exists());
    assert!(!dir.join("incidenter-per-manad.png").exists());
    assert!(
        err.contains("Hoppade över diagrammet incidenter-per-kategori.png"),
        "{err}"
    );
    assert!(
        err.contains("Hoppade över diagrammet incidenter-per-manad.png"),
        "{err}"
    );
    for chart in ["utbildning-per-enhet.png", "riskmatris.png"] {
        let (w, h, colours) = decode(&dir.join(chart));
        assert_eq!((w, h), (1600, 900), "{chart}");
        assert!(colours > 20, "{chart}");
    }
}

#[test]
fn without_png_no_chart_folder_is_made() {
    let t = TempDir::new("png-off");
    let input = t.join("Enhet");
    std::fs::create_dir_all(&input).unwrap();
    roster_training_risks(&input);
    let out = t.join("ut");
    let o = run_on("report", &input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("diagram").exists());
}
