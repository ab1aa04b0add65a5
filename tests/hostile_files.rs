//! Broken and hostile files mixed into a folder with good ones: each is named on stderr
//! and in the data quality account, skipped, and leaves the good files' KPIs untouched;
//! the exit status is 1. Large fixtures are generated here, never committed.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;

fn good_files(dir: &Path) {
    std::fs::write(dir.join("incidenter.csv"), "Händelsedatum;Kategori;PUI\n2025-01-02;Phishing;Nej\n2025-02-03;Felskick;Ja\n2024-05-05;Inbrott;Nej\n").unwrap();
    let register = vec![
        texts(&["Behandling", "Ändamål"]),
        texts(&["Elevregister", "Skolplikt"]),
        texts(&["Bildarkiv", ""]),
    ];
    write_sheet(&dir.join("register.xlsx"), "Register", register);
}

/// A small valid workbook: a date and a category.
fn small_xlsx(path: &Path) {
    let rows = vec![
        texts(&["Datum", "Kategori"]),
        texts(&["2025-01-01", "Virus"]),
    ];
    write_sheet(path, "Blad1", rows);
}

/// A zip holding a worksheet part of `size` bytes of spaces; with `lie`, the sizes in the
/// headers claim 1 000 bytes so only an inflate check can catch it.
fn zip_bomb(path: &Path, size: u64, lie: bool) {
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    z.start_file("[Content_Types].xml", opts).unwrap();
    z.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut written = 0;
    while written < size {
        z.write_all(&chunk).unwrap();
        written += chunk.len() as u64;
    }
    z.finish().unwrap();
    if lie {
        let mut bytes = std::fs::read(path).unwrap();
        let big = (size as u32).to_le_bytes();
        let small = 1000u32.to_le_bytes();
        // Patch every occurrence of the true size in local and central headers.
        let mut i = 0;
        while i + 4 <= bytes.len() {
            if bytes[i..i + 4] == big {
                bytes[i..i + 4].copy_from_slice(&small);
            }
            i += 1;
        }
        std::fs::write(path, bytes).unwrap();
    }
}

fn baseline(dir: &Path) -> serde_json::Value {
    let out = dir.parent().unwrap().join("ut-baseline");
    report_ok(dir, &out, &["--year", "2025"]).0
}

/// Runs the folder with one bad file added and checks it was named, skipped and harmless.
fn check_bad(name: &str, write: impl FnOnce(&Path), expect_in_message: &str) {
    let t = TempDir::new(&format!("hostile-{}", name.replace(['.', ' '], "-")));
    let dir = t.folder("in");
    good_files(&dir);
    let before = baseline(&dir);
    write(&dir.join(name));
    // For measuring peak memory on all hostile files at once (README, "Hostile files"):
    // GENOMGANG_HOSTILE_DIR=/tmp/hostile cargo test --release --test hostile_files
    if let Some(keep) = std::env::var_os("GENOMGANG_HOSTILE_DIR") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        good_files(keep);
        std::fs::copy(dir.join(name), keep.join(name)).unwrap();
    }
    let started = std::time::Instant::now();
    let out = t.join("ut");
    let (code, doc, xlsx, err) = report(&dir, &out, &["--year", "2025"]);
    assert!(
        started.elapsed().as_secs() < 60,
        "{name} took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "{name}: {err}");
    assert!(xlsx.is_file(), "{name}: workbook written");
    assert!(err.contains(name), "{name} named on stderr: {err}");
    assert!(
        err.contains(expect_in_message),
        "{name}: expected '{expect_in_message}' in: {err}"
    );
    assert!(
        doc["warnings"].to_string().contains(name),
        "{name} in the JSON warnings"
    );
    for id in [
        "incidents.total",
        "incidents.personal_data",
        "register.activities",
        "register.complete_rate",
    ] {
        assert_eq!(
            value(&doc, id),
            value(&before, id),
            "{name}: {id} unchanged"
        );
        assert_eq!(
            previous(&doc, id),
            previous(&before, id),
            "{name}: {id} previous unchanged"
        );
    }
}

#[test]
fn truncated_xlsx() {
    check_bad(
        "avbruten.xlsx",
        |p| {
            let tmp = p.with_extension("full");
            small_xlsx(&tmp);
            let bytes = std::fs::read(&tmp).unwrap();
            std::fs::remove_file(&tmp).unwrap();
            std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap();
        },
        "trasig zip",
    );
}

#[test]
fn random_bytes_named_xlsx() {
    check_bad(
        "slump.xlsx",
        |p| {
            std::fs::write(
                p,
                (0..4096u32)
                    .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                    .collect::<Vec<u8>>(),
            )
            .unwrap()
        },
        "inget läsbart kalkylark",
    );
}

#[test]
fn text_file_named_xls() {
    check_bad(
        "export.xls",
        |p| std::fs::write(p, "Datum\tKategori\n2025-01-01\tVirus\n").unwrap(),
        "textfil",
    );
}

#[test]
fn password_protected_workbook() {
    check_bad(
        "lösenord.xlsx",
        |p| {
            let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            bytes.resize(512, 0);
            bytes.extend(
                "EncryptedPackage"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            );
            bytes.resize(4096, 0);
            std::fs::write(p, bytes).unwrap();
        },
        "lösenordsskyddad — spara en kopia utan lösenord",
    );
}

#[test]
fn empty_file() {
    check_bad("tom.xlsx", |p| std::fs::write(p, b"").unwrap(), "tom");
}

#[test]
fn csv_in_utf16() {
    check_bad(
        "utf16.csv",
        |p| {
            // UTF-16 is read (issue 17); half a surrogate pair is not.
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(
                "Datum;Kategori\r\n2025-01-01;Virus\r\n"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            );
            bytes.extend([0x00, 0xD8]);
            std::fs::write(p, bytes).unwrap();
        },
        "UTF-16",
    );
}

#[test]
fn csv_of_binary_garbage() {
    check_bad(
        "binär.csv",
        |p| std::fs::write(p, [0x00u8, 0x01, 0x02, 0x03, 0x41, 0x3B, 0x42, 0x0A, 0x00]).unwrap(),
        "binära tecken",
    );
}

#[test]
fn csv_of_only_a_header() {
    check_bad(
        "bara-rubrik.csv",
        |p| std::fs::write(p, "Händelsedatum;Kategori\n").unwrap(),
        "bara en rubrikrad",
    );
}

#[test]
fn csv_with_20000_columns() {
    check_bad(
        "bred.csv",
        |p| {
            let header: Vec<String> = (0..20_000).map(|i| format!("k{i}")).collect();
            std::fs::write(p, format!("{}\n{}\n", header.join(";"), header.join(";"))).unwrap();
        },
        "kolumner",
    );
}

#[test]
fn xlsx_whose_dimension_claims_the_whole_sheet() {
    check_bad(
        "hela-bladet.xlsx",
        |p| {
            let tmp = p.with_extension("src");
            small_xlsx(&tmp);
            // Rewrite the sheet part with a dimension claiming A1:XFD1048576.
            rewrite_zip_part(&tmp, p, "xl/worksheets/sheet1.xml", |text| {
                let start = text.find("<dimension ref=\"").unwrap() + 16;
                let end = start + text[start..].find('"').unwrap();
                format!("{}A1:XFD1048576{}", &text[..start], &text[end..])
            });
            std::fs::remove_file(&tmp).unwrap();
        },
        "A1:XFD1048576",
    );
}

#[test]
fn xlsx_zip_bomb_with_honest_sizes() {
    check_bad(
        "bomb.xlsx",
        |p| zip_bomb(p, 1 << 30, false),
        "packas upp till mer än",
    );
}

#[test]
fn xlsx_zip_bomb_that_lies_about_its_size() {
    check_bad("lögnbomb.xlsx", |p| zip_bomb(p, 1 << 30, true), "zip-bomb");
}
