//! Issue 18, second red team, limits and messages (defects 12–17) and issue 20 point 10:
//! long configuration lists, Word templates that reuse or overgrow a part, section files
//! without a limit, many links, long Word text, the output-folder lock, `--json` to
//! what is no regular file, configuration files as Notepad saves them and their errors.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// A folder with a few risks and incidents (enough for every output).
fn small_folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    write_sheet(
        &dir.join("Risker.xlsx"),
        "Risker",
        vec![
            texts(&["Risk", "Sannolikhet", "Konsekvens"]),
            vec![s("Obehörig åtkomst"), n(4.0), n(4.0)],
            vec![s("Dataförlust"), n(2.0), n(3.0)],
        ],
    );
    write_sheet(
        &dir.join("Incidenter.xlsx"),
        "Avvikelser",
        vec![
            texts(&["Ärendenummer", "Händelsedatum", "Kategori"]),
            vec![s("INC-1"), d(2025, 3, 3), s("Nätfiske")],
        ],
    );
}

/// Every file name directly in `dir`.
fn names_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

// ---------------------------------------------------------------- defect 12

#[test]
fn a_synonym_list_longer_than_a_cell_does_not_end_the_run() {
    let tmp = TempDir::new("rt-synonyms");
    let dir = tmp.join("in");
    small_folder(&dir);
    let words: Vec<String> = (0..4000).map(|i| format!("\"nätfiskeord{i}\"")).collect();
    std::fs::write(
        dir.join("genomgang.toml"),
        format!(
            "[incidents.extra_synonyms]\nphishing = [{}]\n",
            words.join(", ")
        ),
    )
    .unwrap();
    let out = tmp.join("out");
    let (code, doc, xlsx, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("String exceeds"), "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(1.0));
    let config = format!("{:?}", sheet_rows(&xlsx, "Konfiguration"));
    assert!(
        config.contains("visas förkortad"),
        "no note on the cut line"
    );
}

// ---------------------------------------------------------------- defect 13

/// A Word template whose last section uses `header1.xml` for both the first page and
/// the others; `extra` more parts (name, bytes) go into the package too.
fn template(path: &Path, header_rels: Option<&str>, extra: &[(&str, Vec<u8>)]) {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let hdr = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="png" ContentType="image/png"/></Types>"#.to_vec(),
        ),
        (
            "word/document.xml".into(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}" xmlns:r="{r}"><w:body><w:p/><w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:headerReference w:type="first" r:id="rId2"/><w:titlePg/></w:sectPr></w:body></w:document>"#).into_bytes(),
        ),
        (
            "word/_rels/document.xml.rels".into(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{hdr}" Target="header1.xml"/><Relationship Id="rId2" Type="{hdr}" Target="header1.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "word/header1.xml".into(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{w}" xmlns:r="{r}"><w:p><w:r><w:t>Stadens mallhuvud</w:t></w:r></w:p></w:hdr>"#).into_bytes(),
        ),
    ];
    if let Some(rels) = header_rels {
        parts.push((
            "word/_rels/header1.xml.rels".into(),
            rels.as_bytes().to_vec(),
        ));
    }
    for (name, bytes) in extra {
        parts.push((name.to_string(), bytes.clone()));
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn docx_part_names(docx: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    zip.file_names().map(|n| n.unwrap().to_string()).collect()
}

#[test]
fn a_template_whose_header_is_used_twice_keeps_the_document() {
    let tmp = TempDir::new("rt-template-twice");
    let dir = tmp.join("in");
    small_folder(&dir);
    template(&dir.join("mall.docx"), None, &[]);
    std::fs::write(dir.join("genomgang.toml"), "dokumentmall = \"mall.docx\"\n").unwrap();
    let out = tmp.join("out");
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Duplicate"), "{err}");
    let docx = file_with_extension(&out, "docx");
    assert!(docx.is_file(), "no .docx: {err}");
    let names = docx_part_names(&docx);
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    assert!(all_parts_text(&docx).contains("Stadens mallhuvud"));
    // Both slots refer to the one copied part.
    let rels = zip_part(&docx, "word/_rels/document.xml.rels");
    assert_eq!(
        rels.matches("Target=\"mall-header1.xml\"").count(),
        2,
        "{rels}"
    );
}

#[test]
fn a_template_part_over_32_mib_is_refused_in_swedish_not_cut() {
    let tmp = TempDir::new("rt-template-big");
    let dir = tmp.join("in");
    small_folder(&dir);
    let image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{image}" Target="media/image1.png"/></Relationships>"#
    );
    let big = vec![0u8; 33 * 1024 * 1024];
    template(
        &dir.join("mall.docx"),
        Some(&rels),
        &[("word/media/image1.png", big)],
    );
    std::fs::write(dir.join("genomgang.toml"), "dokumentmall = \"mall.docx\"\n").unwrap();
    let out = tmp.join("out");
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("större än 32 MiB"), "{err}");
    let docx = file_with_extension(&out, "docx");
    let names = docx_part_names(&docx);
    assert!(!names.iter().any(|n| n.contains("mall-")), "{names:?}");
    assert!(!all_parts_text(&docx).contains("Stadens mallhuvud"));
}

// ---------------------------------------------------------------- defect 14

#[test]
fn a_section_file_over_the_limit_is_refused_in_swedish() {
    let tmp = TempDir::new("rt-section-big");
    let dir = tmp.join("in");
    small_folder(&dir);
    let line = "Omvärldens läge förändras snabbt och kraven ökar.\n";
    let big = line.repeat(3 * 1024 * 1024 / line.len() + 1);
    std::fs::write(dir.join("omvarld.md"), big).unwrap();
    let out = tmp.join("out");
    let (code, _, xlsx, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 1, "{err}");
    assert!(xlsx.is_file(), "{err}");
    assert!(err.contains("omvarld.md"), "{err}");
    assert!(err.contains("större än gränsen 2 MiB"), "{err}");
    assert!(!err.contains("CSV"), "{err}");
}

#[test]
fn a_section_file_saved_as_utf16_or_ansi_is_read() {
    for (name, bytes) in [
        ("utf16", {
            let mut b = vec![0xFF, 0xFE];
            for u in "Omvärlden: åäö i NIS2-arbetet.\n".encode_utf16() {
                b.extend(u.to_le_bytes());
            }
            b
        }),
        (
            "ansi",
            encoding_rs::WINDOWS_1252
                .encode("Omvärlden: åäö i NIS2-arbetet.\n")
                .0
                .to_vec(),
        ),
    ] {
        let tmp = TempDir::new(&format!("rt-section-{name}"));
        let dir = tmp.join("in");
        small_folder(&dir);
        std::fs::write(dir.join("omvarld.md"), bytes).unwrap();
        let out = tmp.join("out");
        let (code, _, _, err) = report(&dir, &out, &["--year", "2025"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            md_in(&out).contains("Omvärlden: åäö i NIS2-arbetet."),
            "{name}"
        );
    }
}

#[test]
fn three_thousand_links_are_written_in_linear_time() {
    let tmp = TempDir::new("rt-links");
    let dir = tmp.join("in");
    small_folder(&dir);
    let mut md = String::from("# Omvärld\n\n");
    for i in 0..3000 {
        md.push_str(&format!(
            "Se [Källa nummer {i}](https://example.se/kalla/{i}) och https://bare.example.se/{i}. "
        ));
        if i % 10 == 9 {
            md.push_str("\n\n");
        }
    }
    std::fs::write(dir.join("omvarld.md"), md).unwrap();
    let out = tmp.join("out");
    let clock = Instant::now();
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025"]);
    let took = clock.elapsed();
    assert_eq!(code, 0, "{err}");
    let docx = file_with_extension(&out, "docx");
    let rels = zip_part(&docx, "word/_rels/document.xml.rels");
    // Each bare address links where it stands and in the list of sources.
    assert!(rels.matches("https://bare.example.se/").count() >= 3000);
    let notes = zip_part(&docx, "word/_rels/footnotes.xml.rels");
    assert_eq!(notes.matches("https://example.se/kalla/").count(), 3000);
    println!("3000 labelled and 3000 bare links: the run took {took:?}");
    // Quadratic, this took 75 s; linear, well under a second of it is the links.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn the_word_document_is_not_cut_at_excels_cell_limit() {
    let tmp = TempDir::new("rt-overdue");
    let dir = tmp.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let mut rows = vec![texts(&["Åtgärd", "Status", "Ansvarig", "Klart senast"])];
    for i in 0..500 {
        rows.push(vec![
            s(&format!(
                "Införa skydd nummer {i:03} för verksamhetssystemen"
            )),
            s("Pågår"),
            s("IT-chef"),
            d(2025, 3, 1),
        ]);
    }
    write_sheet(&dir.join("Åtgärdsplan.xlsx"), "Plan", rows);
    let out = tmp.join("out");
    let (code, doc, _, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(value(&doc, "actions.overdue"), Some(500.0));
    let md = md_in(&out).matches("Införa skydd nummer").count();
    let docx = all_parts_text(&file_with_extension(&out, "docx"))
        .matches("Införa skydd nummer")
        .count();
    assert!(md >= 500, "the .md lists {md}");
    assert_eq!(docx, md, "the .docx lists {docx}, the .md {md}");
}

// ---------------------------------------------------------------- defect 15, #20.10

#[test]
fn no_lock_file_or_staging_folder_is_left_after_a_run() {
    let tmp = TempDir::new("rt-no-lock");
    let dir = tmp.join("in");
    small_folder(&dir);
    let out = tmp.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // What an earlier version left behind is cleared too.
    std::fs::write(out.join(".genomgang.lock"), b"").unwrap();
    report_ok(&dir, &out, &["--year", "2025", "--png"]);
    report_ok(&dir, &out, &["--year", "2025"]);
    let names = names_in(&out);
    assert!(!names.iter().any(|n| n.starts_with('.')), "{names:?}");
}

#[cfg(unix)]
#[test]
fn a_run_draws_while_another_holds_the_folder_and_says_it_waits() {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};
    let tmp = TempDir::new("rt-lock-wait");
    let dir = tmp.join("in");
    small_folder(&dir);
    let out = tmp.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Another run renaming its files: it holds the folder's lock.
    let held = std::fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let mut child = Command::new(bin())
        .args([
            "report",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--year",
            "2025",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let line = line.unwrap_or_default();
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    let waiting = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.contains("Väntar") => break line,
            Ok(line) => seen.push(line),
            Err(_) if Instant::now() > deadline => panic!("no waiting message: {seen:?}"),
            Err(_) => {}
        }
    };
    // Everything is drawn (the message comes after), nothing is written yet.
    assert!(waiting.contains(out.to_str().unwrap()), "{waiting}");
    assert!(!file_with_extension(&out, "xlsx").is_file());
    drop(held);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success());
    assert!(file_with_extension(&out, "xlsx").is_file());
    assert!(file_with_extension(&out, "docx").is_file());
}

// ---------------------------------------------------------------- defect 16

#[cfg(unix)]
#[test]
fn json_to_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt as _;
    let tmp = TempDir::new("rt-fifo");
    let dir = tmp.join("in");
    small_folder(&dir);
    let fifo = tmp.join("kpi.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = tmp.join("out");
    let o = run_on(
        "report",
        &dir,
        &out,
        &["--json", fifo.to_str().unwrap(), "--year", "2025"],
    );
    assert_exit(&o, 0);
    let text = reader.join().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value(&doc, "risks.total"), Some(2.0));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}

#[cfg(unix)]
#[test]
fn json_to_dev_null_and_dev_stdout_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt as _;
    let tmp = TempDir::new("rt-devnull");
    let dir = tmp.join("in");
    small_folder(&dir);
    let o = run_on(
        "report",
        &dir,
        &tmp.join("out"),
        &["--json", "/dev/null", "--year", "2025"],
    );
    assert_exit(&o, 0);
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    let o = run_on(
        "report",
        &dir,
        &tmp.join("out2"),
        &["--json", "/dev/stdout", "--year", "2025"],
    );
    assert_exit(&o, 0);
    let out = stdout(&o);
    let json = &out[out.find('{').expect("JSON on stdout")..];
    let doc: serde_json::Value = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(value(&doc, "risks.total"), Some(2.0));
}

// ---------------------------------------------------------------- defect 17

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn configuration_saved_by_notepad_in_any_encoding_is_read() {
    let toml = "# Östermalms inställningar\nunit = \"Östermalm\"\n\n[risks]\nhigh_threshold = 12\n";
    for (name, bytes) in [
        ("utf8", toml.as_bytes().to_vec()),
        (
            "utf8-bom",
            [&[0xEF, 0xBB, 0xBF][..], toml.as_bytes()].concat(),
        ),
        ("utf16le", utf16(toml, false)),
        ("utf16be", utf16(toml, true)),
        ("ansi", encoding_rs::WINDOWS_1252.encode(toml).0.to_vec()),
    ] {
        let tmp = TempDir::new(&format!("rt-cfg-{name}"));
        let dir = tmp.join("in");
        small_folder(&dir);
        std::fs::write(dir.join("genomgang.toml"), bytes).unwrap();
        let out = tmp.join("out");
        let (code, _, xlsx, err) = report(&dir, &out, &["--year", "2025"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            xlsx.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("Östermalm"),
            "{name}: {xlsx:?}"
        );
    }
}

/// Runs `report` with `toml` as genomgang.toml; the run must stop (exit 2) with a
/// Swedish message naming the file; returns stderr.
fn refused(name: &str, toml: &str) -> String {
    let tmp = TempDir::new(&format!("rt-cfg-bad-{name}"));
    let dir = tmp.join("in");
    small_folder(&dir);
    std::fs::write(dir.join("genomgang.toml"), toml).unwrap();
    let o = run_on("report", &dir, &tmp.join("out"), &["--year", "2025"]);
    let err = assert_exit(&o, 2);
    assert!(err.contains("genomgang.toml"), "{name}: {err}");
    for english in [
        "invalid",
        "expected",
        "parse error",
        "unknown variant",
        "found",
    ] {
        assert!(!err.contains(english), "{name}: English in {err}");
    }
    err
}

#[test]
fn configuration_errors_name_file_line_and_key_in_swedish() {
    let err = refused(
        "type",
        "unit = \"A\"\n\n[risks]\nhigh_threshold = \"hög\"\n",
    );
    assert!(err.contains("rad 4"), "{err}");
    assert!(err.contains("risks.high_threshold"), "{err}");
    assert!(err.contains("ett tal"), "{err}");

    let err = refused("syntax", "unit = \"A\"\nyear = \n");
    assert!(err.contains("rad 2"), "{err}");
    assert!(err.contains("year"), "{err}");

    let err = refused("quote", "unit = \"Östermalm\n");
    assert!(err.contains("rad 1"), "{err}");

    let err = refused("unknown-key", "unit = \"A\"\n[risks]\nhigh_treshold = 9\n");
    assert!(err.contains("rad 3"), "{err}");
    assert!(err.contains("high_treshold"), "{err}");

    let err = refused(
        "variant",
        "[targets.\"risks.high\"]\ntarget = 0\ndirection = \"lägre\"\n",
    );
    assert!(err.contains("lägre"), "{err}");
    assert!(err.contains("rad 3"), "{err}");
}

#[test]
fn nan_thresholds_and_rate_targets_outside_0_to_100_percent_are_refused() {
    let err = refused("nan", "[risks]\nhigh_threshold = nan\n");
    assert!(err.contains("risks.high_threshold"), "{err}");
    assert!(err.contains("rad 2"), "{err}");
    let err = refused(
        "minus",
        "[targets.\"training.completion_rate_all\"]\ntarget = -5.0\ndirection = \"higher\"\n",
    );
    assert!(err.contains("ingen andel"), "{err}");
    assert!(err.contains("rad 2"), "{err}");
    refused(
        "over",
        "[targets.\"training.completion_rate_all\"]\ntarget = 5\ndirection = \"higher\"\n",
    );
    refused(
        "warn-nan",
        "[targets.\"actions.overdue\"]\ntarget = 0\ndirection = \"lower\"\nwarn_within = nan\n",
    );
}

#[test]
fn batch_units_share_the_output_folder_without_waiting_messages_or_leftovers() {
    let tmp = TempDir::new("rt-batch-lock");
    let root = tmp.join("stad");
    for unit in ["Kungsholmen", "Norrmalm", "Östermalm", "Södermalm"] {
        small_folder(&root.join(unit));
    }
    let out = tmp.join("out");
    let o = run_on("batch", &root, &out, &["--year", "2025", "--jobs", "4"]);
    let err = assert_exit(&o, 0);
    assert!(!err.contains("Väntar"), "{err}");
    let names = names_in(&out);
    let workbooks = names
        .iter()
        .filter(|n| n.starts_with("Ledningens genomgång 2025 - ") && n.ends_with(".xlsx"))
        .count();
    assert_eq!(workbooks, 4, "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with('.')), "{names:?}");
}
