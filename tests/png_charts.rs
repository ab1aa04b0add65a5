//! `report --png`: the four main charts as PNG images under OUT/diagram/, skipped (with a
//! note on stderr) when their data is absent.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::*;

const CHARTS: [&str; 4] = [
    "incidenter-per-kategori.png",
    "incidenter-per-manad.png",
    "utbildning-per-enhet.png",
    "riskmatris.png",
];

fn roster_training_risks(dir: &Path) {
    let roster = roster_rows(6, 5000.0, "19800101", 2000, "Testsson", |i| {
        if i <= 3 {
            "Förskola"
        } else {
            "Äldreomsorg"
        }
    });
    write_sheet(&dir.join("HR personal.xlsx"), "Personal", roster);

    let mut csv = String::from("E-post;Kurs;Status;Slutfört datum\r\n");
    for who in ["p1@example.se", "p2@example.se", "p4@example.se"] {
        csv.push_str(&both_courses_csv(who, "2025-03-01", "2025-04-01"));
    }
    write_1252(&dir.join("Kursdeltagare.csv"), &csv);

    let risks = vec![
        texts(&["Risk", "Sannolikhet", "Konsekvens", "Åtgärd", "Status"]),
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
    write_sheet(&dir.join("Riskregister.xlsx"), "Risker", risks);
}

fn incidents(dir: &Path) {
    let mut rows = vec![texts(&[
        "Ärendenummer",
        "Händelsedatum",
        "Kategori",
        "Personuppgiftsincident (Ja/Nej)",
        "Enhet",
    ])];
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
    write_sheet(&dir.join("IA-export.xlsx"), "Rapport", rows);
}

/// A folder "Enhet" with the roster, training and risks (and with `with_incidents`, the
/// incidents) in a new temporary folder: (temporary folder, input, output folder "ut").
fn unit_folder(name: &str, with_incidents: bool) -> (TempDir, PathBuf, PathBuf) {
    let t = TempDir::new(name);
    let input = t.folder("Enhet");
    roster_training_risks(&input);
    if with_incidents {
        incidents(&input);
    }
    let out = t.join("ut");
    (t, input, out)
}

/// Runs `report DIR --out OUT --png`, exit 0; returns stderr.
fn report_png(input: &Path, out: &Path) -> String {
    let o = run_on("report", input, out, &["--year", "2025", "--png"]);
    assert_exit(&o, 0)
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
    let (_t, input, out) = unit_folder("png-all", true);
    let err = report_png(&input, &out);
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
    let leftovers = tmp_leftovers(&out.join("diagram"));
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn png_skips_the_incident_charts_without_incidents() {
    let (_t, input, out) = unit_folder("png-no-incidents", false);
    let err = report_png(&input, &out);
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
    let (_t, input, out) = unit_folder("png-off", false);
    assert_exit(&run_on("report", &input, &out, &[]), 0);
    assert!(!out.join("diagram").exists());
}
