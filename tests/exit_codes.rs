//! Exit status (SPEC §2) and Swedish messages for bad arguments and bad inputs.

mod common;

use common::*;

#[test]
fn missing_input_folder_is_exit_2_with_a_swedish_message() {
    let t = TempDir::new("missing");
    let o = run_on("report", &t.join("finns-inte"), &t.join("ut"), &[]);
    let err = assert_exit(&o, 2);
    assert!(err.contains("finns inte"), "{err}");
}

#[test]
fn folder_without_any_input_kind_is_exit_2_and_writes_nothing() {
    let t = TempDir::new("nothing");
    let input = t.folder("in");
    std::fs::write(input.join("anteckningar.csv"), "Foo;Bar\n1;2\n").unwrap();
    let out = t.join("ut");
    let err = assert_exit(&run_on("report", &input, &out, &[]), 2);
    assert!(err.contains("Inga användbara indata"), "{err}");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn an_unreadable_file_beside_good_ones_is_exit_1_and_keeps_the_good_figures() {
    let t = TempDir::new("partial");
    let input = t.folder("in");
    std::fs::write(
        input.join("incidenter.csv"),
        "Datum;Kategori\n2025-01-02;Phishing\n2025-02-03;Inbrott\n",
    )
    .unwrap();
    std::fs::write(
        input.join("trasig.xlsx"),
        b"PK\x03\x04 this is not really a zip",
    )
    .unwrap();
    std::fs::write(
        input.join("slump.xlsx"),
        [0x13u8, 0x37, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(input.join("text.xls"), "Datum;Kategori\n").unwrap();
    std::fs::write(input.join("tom.csv"), "").unwrap();
    let out = t.join("ut");
    let (code, doc, xlsx, err) = report(&input, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(xlsx.is_file());
    assert_eq!(value(&doc, "incidents.total"), Some(2.0));
    for name in ["trasig.xlsx", "slump.xlsx", "text.xls", "tom.csv"] {
        assert!(err.contains(name), "{name} named on stderr: {err}");
    }
    assert!(err.contains("textfil"), "{err}");
}

#[test]
fn check_recognises_kinds_and_writes_nothing() {
    let t = TempDir::new("check");
    let input = t.folder("in");
    std::fs::write(input.join("inc.csv"), "Titel\n\nHändelsedatum;Händelsetyp;PUI\n2025-01-02;Phishing;Nej\n2025-01-03;Virus;kanske\n").unwrap();
    let before: Vec<_> = std::fs::read_dir(&input).unwrap().collect();
    let o = run(&["check", input.to_str().unwrap()]);
    let stdout = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Incidenter (rubrikrad 3)"), "{stdout}");
    assert!(stdout.contains("rad 5"), "{stdout}");
    assert!(stdout.contains("kanske"), "{stdout}");
    assert_eq!(std::fs::read_dir(&input).unwrap().count(), before.len());
}
