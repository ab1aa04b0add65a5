//! Windows habits, tested on Linux with the real binary (issue 13): lock and system files
//! skipped without a word, a folder given alone (dragged onto genomgang.exe) reported
//! beside itself, and output file names Windows accepts whatever the unit is called.

mod common;

use std::path::Path;

use common::*;

const INCIDENTS: &str = "Ärendenummer;Datum;Kategori;Personuppgiftsincident\n\
INC-1;2025-01-02;Phishing;Ja\n\
INC-2;2025-02-03;Inbrott;Nej\n\
INC-3;2025-05-06;Felskickad e-post;Ja\n";

fn input_folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("incidenter.csv"), INCIDENTS).unwrap();
}

fn xlsx_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    names.sort();
    names
}

/// A file name Windows accepts: none of `< > : " / \ | ? *` or control characters, no
/// trailing dot or space, not a reserved device name.
fn valid_on_windows(name: &str) -> bool {
    let bad_char = name.chars().any(|c| {
        matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') || c.is_control()
    });
    let base = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&base.as_str())
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit());
    !bad_char && !name.ends_with('.') && !name.ends_with(' ') && !reserved && !name.is_empty()
}

#[test]
fn lock_and_system_files_are_skipped_silently() {
    let t = TempDir::new("win-system-files");
    let clean = t.join("ren");
    input_folder(&clean);
    let (plain, _) = report_ok(&clean, &t.join("ut-ren"), &["--year", "2025"]);

    let messy = t.join("med skräp");
    input_folder(&messy);
    // Excel's lock file of an open workbook: a few bytes that are no spreadsheet.
    std::fs::write(messy.join("~$incidenter.xlsx"), b"\x0bAnna Andersson   ").unwrap();
    std::fs::write(messy.join("~$Riskregister.xlsx"), b"").unwrap();
    std::fs::write(messy.join("desktop.ini"), "[.ShellClassInfo]\r\n").unwrap();
    std::fs::write(messy.join("Desktop.ini"), "[.ShellClassInfo]\r\n").unwrap();
    std::fs::write(messy.join("Thumbs.db"), [0xD0u8, 0xCF, 0x11, 0xE0]).unwrap();
    std::fs::write(messy.join(".DS_Store"), [0u8, 0, 0, 1]).unwrap();
    std::fs::write(messy.join("~WRL0001.tmp"), "x").unwrap();
    std::fs::write(messy.join(".~lock.incidenter.csv#"), "x").unwrap();
    let (code, doc, xlsx, err) = report(&messy, &t.join("ut-skräp"), &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Fel:"), "{err}");

    // The same KPIs and the same sources as without them.
    assert_eq!(doc["kpis"], plain["kpis"]);
    assert_eq!(doc["sources"], plain["sources"]);
    assert_eq!(value(&doc, "incidents.total"), Some(3.0));
    // Nowhere in the workbook either (Källor, Datakvalitet).
    let text = all_parts_text(&xlsx);
    for name in [
        "~$",
        "desktop.ini",
        "Thumbs.db",
        "DS_Store",
        "WRL0001",
        ".~lock",
    ] {
        assert!(!text.contains(name), "{name} is mentioned in the workbook");
    }
    // An ordinary file of a kind not read is still listed as ignored.
    std::fs::write(messy.join("protokoll.pdf"), b"%PDF-1.4").unwrap();
    let (_, doc, _, _) = report(&messy, &t.join("ut-pdf"), &["--year", "2025"]);
    assert!(doc["sources"].to_string().contains("protokoll.pdf"));
}

#[test]
fn a_batch_root_skips_system_files_too() {
    let t = TempDir::new("win-batch-system");
    let root = t.join("stad");
    input_folder(&root.join("Kungsholmen"));
    input_folder(&root.join("Södermalm"));
    std::fs::write(root.join("~$Incidenter stad.xlsx"), b"").unwrap();
    std::fs::write(root.join("Thumbs.db"), b"x").unwrap();
    std::fs::write(root.join("Kungsholmen/desktop.ini"), b"x").unwrap();
    let out = t.join("ut");
    assert_exit(&run_on("batch", &root, &out, &["--year", "2025"]), 0);
    assert_eq!(
        xlsx_files(&out),
        [
            "Jämförelse 2025.xlsx",
            "Ledningens genomgång 2025 - Kungsholmen.xlsx",
            "Ledningens genomgång 2025 - Södermalm.xlsx"
        ]
    );
}

#[test]
fn a_folder_alone_is_reported_beside_itself() {
    let t = TempDir::new("win-drop");
    let parent = t.join("Data för år 2025");
    let folder = parent.join("Kungsholmen");
    input_folder(&folder);
    // As Explorer starts it: the folder as the only argument, from some other folder.
    let err = assert_exit(&run_in(t.path(), &[folder.as_os_str()]), 0);
    assert_eq!(
        xlsx_files(&parent),
        ["Ledningens genomgång 2025 - Kungsholmen.xlsx"]
    );
    assert!(parent
        .join("Ledningens genomgång 2025 - Kungsholmen.md")
        .is_file());
    assert!(!t.join("out").exists(), "nothing in ./out");
    assert!(err.contains("Skrev"), "{err}");
    // Never waits for a key when not started from Explorer.
    assert!(!err.contains("Tryck på en tangent"), "{err}");

    // A relative folder, with a trailing separator: beside it is the current folder.
    assert_exit(&run_in(&parent, &["Kungsholmen/".as_ref()]), 0);
    assert_eq!(
        xlsx_files(&parent),
        ["Ledningens genomgång 2025 - Kungsholmen.xlsx"]
    );
}

#[test]
fn subcommands_and_missing_folders_are_not_taken_for_a_dropped_folder() {
    let t = TempDir::new("win-drop-names");
    // A folder named like a subcommand: the subcommand wins, and says what is missing.
    input_folder(&t.join("report"));
    let err = assert_exit(&run_in(t.path(), &["report".as_ref()]), 2);
    assert!(err.contains("argument saknas"), "{err}");
    // A folder that does not exist is no report.
    let o = run(&[t.join("finns-inte").to_str().unwrap()]);
    let err = assert_exit(&o, 2);
    assert!(err.contains("okänt kommando"), "{err}");
    // A file alone (outside Explorer) is a mistake too, not a report.
    assert_exit(
        &run(&[t.join("report/incidenter.csv").to_str().unwrap()]),
        2,
    );
}

#[test]
fn output_names_are_valid_on_windows() {
    let t = TempDir::new("win-names");
    let input = t.join("in");
    input_folder(&input);
    let cases = [
        (
            "Södermalm: IT?",
            "Ledningens genomgång 2025 - Södermalm- IT-.xlsx",
        ),
        (
            "Enhet *A* <B> \"C\" |D|",
            "Ledningens genomgång 2025 - Enhet -A- -B- -C- -D-.xlsx",
        ),
        (
            "Förvaltning.",
            "Ledningens genomgång 2025 - Förvaltning.xlsx",
        ),
        (
            "Förvaltning . ",
            "Ledningens genomgång 2025 - Förvaltning.xlsx",
        ),
        ("a/b\\c", "Ledningens genomgång 2025 - a-b-c.xlsx"),
        // A tab is whitespace: a space in the title and the file name (issue 11).
        ("Rad\ttvå", "Ledningens genomgång 2025 - Rad två.xlsx"),
        ("CON", "Ledningens genomgång 2025 - CON_.xlsx"),
        ("lpt1", "Ledningens genomgång 2025 - lpt1_.xlsx"),
        ("...", "Ledningens genomgång 2025 - enhet.xlsx"),
    ];
    for (i, (unit, expected)) in cases.iter().enumerate() {
        let out = t.join(&format!("ut{i}"));
        let (code, doc, _, err) = report(&input, &out, &["--year", "2025", "--unit", unit]);
        assert_eq!(code, 0, "{unit}: {err}");
        let files = xlsx_files(&out);
        assert_eq!(files, [*expected], "{unit}");
        assert!(valid_on_windows(&files[0]), "{}", files[0]);
        // The unit keeps its own name inside the report, with line breaks, tabs and
        // surrounding spaces made plain (issue 11: no control characters in titles).
        let plain = unit.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(doc["unit"], plain.as_str());
    }
    let long = "Ö".repeat(300);
    let out = t.join("ut-lång");
    let (_, xlsx) = report_ok(&input, &out, &["--year", "2025", "--unit", &long]);
    let name = xlsx.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        valid_on_windows(&name) && name.chars().count() < 200,
        "{name}"
    );
}
