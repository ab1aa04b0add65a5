//! Issue 18, second red team, privacy and the text layer (defects 1, 9, 10, 11): text in
//! any Unicode never ends a run; personnummer, samordningsnummer and telephone numbers
//! in the forms Swedes and Excel write them, and person names, never reach an output.
//!
//! `GENOMGANG_UNICODE_ROUNDS=20 cargo test --test redteam_privacy` runs more rounds of
//! the Unicode property test.

mod common;

use std::path::Path;

use common::*;
use genomgang::privacy::{self, names};

/// Every text the output folder holds: xlsx and docx parts, .md, JSON, PNG text chunks,
/// and the file names.
fn output_text(out: &Path) -> String {
    let mut all = String::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            all.push_str(&path.display().to_string());
            all.push('\n');
            match path.extension().and_then(|e| e.to_str()) {
                Some("xlsx") | Some("docx") => all.push_str(&all_parts_text(&path)),
                _ => all.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap())),
            }
            all.push('\n');
        }
    }
    all
}

/// `word` in `text` as a word of its own (the first name "Per" is not the "per" of
/// "per 100 anställda", nor "Persson").
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A folder where every free text that may be shown is `text(kind)`: incident category
/// and unit, risk title and owner, action title and owner, activity, asset, course and
/// the roster's unit.
fn folder_with_texts(dir: &Path, text: &dyn Fn(usize) -> String) {
    std::fs::create_dir_all(dir).unwrap();
    write_sheet(
        &dir.join("Incidenter.xlsx"),
        "Avvikelser",
        vec![
            texts(&[
                "Ärendenummer",
                "Händelsedatum",
                "Kategori",
                "Enhet",
                "Status",
            ]),
            vec![
                s("INC-1"),
                d(2025, 3, 3),
                s(&text(0)),
                s(&text(1)),
                s("Avslutad"),
            ],
            vec![
                s("INC-2"),
                d(2025, 4, 3),
                s(&text(0)),
                s("Enhet B"),
                s("Avslutad"),
            ],
        ],
    );
    write_sheet(
        &dir.join("Risker.xlsx"),
        "Risker",
        vec![
            texts(&[
                "Risk",
                "Sannolikhet",
                "Konsekvens",
                "Åtgärd",
                "Status",
                "Ägare",
            ]),
            vec![
                s(&text(2)),
                n(5.0),
                n(5.0),
                s(&text(3)),
                s("Öppen"),
                s(&text(4)),
            ],
        ],
    );
    write_sheet(
        &dir.join("Åtgärdsplan.xlsx"),
        "Plan",
        vec![
            texts(&["Åtgärd", "Status", "Ansvarig", "Klart senast"]),
            vec![s(&text(5)), s("Pågår"), s(&text(6)), d(2025, 3, 1)],
        ],
    );
    let mut register = vec![texts(&REGISTER_COLUMNS)];
    let mut row = vec![s(&text(7))];
    row.extend((1..REGISTER_COLUMNS.len() - 1).map(|_| s("Ja")));
    row.push(d(2020, 1, 1));
    register.push(row);
    write_sheet(&dir.join("Register.xlsx"), "Register", register);
    write_sheet(
        &dir.join("Klassning.xlsx"),
        "KLASSA",
        vec![
            texts(&[
                "Informationstillgång",
                "Konfidentialitet",
                "Riktighet",
                "Tillgänglighet",
            ]),
            vec![s(&text(8)), n(3.0), n(3.0), n(3.0)],
        ],
    );
    write_sheet(
        &dir.join("Utbildning.xlsx"),
        "Kurser",
        vec![
            texts(&["Anställningsnummer", "Kurs", "Status", "Slutfört datum"]),
            vec![n(1.0), s(&text(9)), s("Genomförd"), d(2025, 3, 14)],
            vec![
                n(2.0),
                s("Grundläggande informationssäkerhet"),
                s("Genomförd"),
                d(2025, 3, 14),
            ],
        ],
    );
    write_sheet(
        &dir.join("Personal.xlsx"),
        "Personal",
        vec![
            texts(&["Anställningsnummer", "Enhet"]),
            vec![n(1.0), s(&text(1))],
            vec![n(2.0), s("Enhet B")],
        ],
    );
}

// ---------------------------------------------------------------- defect 1

#[test]
fn unicode_hyphens_in_a_category_do_not_end_the_run() {
    let tmp = TempDir::new("rt-unicode-hyphen");
    let dir = tmp.folder("in");
    // Word's autocorrect writes U+2010; the identifier screen once cut inside it.
    let categories = [
        "Ärende 1‐2‐34 stängt",
        "Ärende 1‑2‑34",
        "12‐34‐5‐6",
        "1\u{a0}2\u{a0}3\u{a0}4\u{a0}5",
        "9‒9–9—9―9−9",
    ];
    let mut rows = vec![texts(&["Ärendenummer", "Händelsedatum", "Kategori"])];
    for (i, c) in categories.iter().enumerate() {
        rows.push(vec![s(&format!("INC-{i}")), d(2025, 3, 3), s(c)]);
    }
    write_sheet(&dir.join("Incidenter.xlsx"), "Avvikelser", rows);
    let out = tmp.join("out");
    let (code, doc, xlsx, err) = report(&dir, &out, &["--year", "2025", "--png"]);
    assert_eq!(code, 0, "{err}");
    assert!(xlsx.is_file(), "{err}");
    assert_eq!(value(&doc, "incidents.total"), Some(5.0));
    assert!(!err.contains("panicked"), "{err}");
}

/// Characters that broke or could break text code: no-break and narrow spaces, every
/// Unicode hyphen and dash, the minus sign, combining marks, right-to-left text and
/// marks, emoji with joiners and skin tones, digits of other scripts, surrogate-range
/// neighbours, and Swedish letters.
const HOSTILE: &[&str] = &[
    "\u{a0}",
    "\u{202f}",
    "\u{2007}",
    "\u{2010}",
    "\u{2011}",
    "\u{2012}",
    "\u{2013}",
    "\u{2014}",
    "\u{2015}",
    "\u{2212}",
    "\u{301}",
    "\u{308}",
    "a\u{30a}",
    "\u{5d0}\u{5d1}",
    "\u{627}\u{644}",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "👩‍👩‍👧",
    "👍🏽",
    "🇸🇪",
    "٣",
    "१",
    "\u{fffd}",
    "\u{feff}",
    "å",
    "Ä",
    "ö",
    "É",
    "ß",
    "İ",
    "\u{1e9e}",
    "-",
    "+",
    "(",
    ")",
    ".",
    "/",
    " ",
    "@",
    "[",
    "]",
    "*",
    "#",
    "|",
    "\n",
    "\t",
    "0",
    "1",
    "4",
    "6",
    "7",
    "8",
    "9",
    "19",
    "85",
    "0312",
    "5678",
    "070",
    "+46",
    "Anna",
    "Andersson",
    "IT",
    "von",
];

fn hostile_text(rng: &mut Rng, max_pieces: u64) -> String {
    let pieces = 1 + rng.below(max_pieces);
    (0..pieces)
        .map(|_| HOSTILE[rng.index(HOSTILE.len())])
        .collect()
}

/// The property test of the text layer: arbitrary Unicode through every text function
/// that input text passes on its way to an output never panics and keeps its promise
/// (screened text holds no personnummer; cut text fits).
#[test]
fn arbitrary_unicode_through_every_text_function_never_panics() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for _ in 0..20_000 {
        let t = hostile_text(&mut rng, 24);
        let screened = privacy::screen(&t);
        assert!(
            !privacy::is_personal_number(screened.trim()) || screened.trim().is_empty(),
            "{t:?} → {screened:?}"
        );
        let _ = privacy::describe_text(&t);
        let _ = privacy::owner_label(&t);
        let _ = privacy::is_personal_number(&t);
        let _ = names::mask_names(&t);
        let cleaned = privacy::clean_name(&t);
        assert!(cleaned.chars().count() <= privacy::MAX_NAME_CHARS);
        let short = privacy::shorten(&t, 1 + rng.below(10) as usize);
        assert!(short.chars().count() <= 11);
        let _ = privacy::fit_cell(&t);
        let _ = genomgang::textnorm::normalize(&t);
        let _ = genomgang::textnorm::norm_id(&t);
        let _ = genomgang::textnorm::unit_key(&t);
        let _ = genomgang::textnorm::swedish_cmp(&t, &screened);
        let name = genomgang::report::safe_file_name(&t);
        assert!(name.len() <= 150, "{name:?}");
        let _ = genomgang::report::workbook_file_name(2025, &t);
        let _ = genomgang::review::text::escape_markdown(&t);
        let _ = genomgang::review::text::sanitize_markdown(&t);
        let _ = genomgang::review::doc::typed_number(&t);
        let _ = genomgang::review::doc::safe_url(&t);
        let _ = genomgang::ingest::value::parse_datetime_text(&t);
    }
    // A cell far longer than Excel holds, cut at a character boundary of a multi-byte
    // character.
    let long = "é\u{301}👍🏽".repeat(20_000);
    let cut = privacy::fit_cell(&long).unwrap();
    assert!(cut.chars().count() <= privacy::EXCEL_CELL_CHARS);
}

/// The same texts through a whole run: every input kind's shown texts are arbitrary
/// Unicode; the run ends with exit 0 and all outputs (xlsx, docx, md, PNG, JSON).
#[test]
fn arbitrary_unicode_in_every_shown_field_gives_every_output() {
    let rounds = env_number("GENOMGANG_UNICODE_ROUNDS", 3);
    for round in 0..rounds {
        let tmp = TempDir::new(&format!("rt-unicode-run-{round}"));
        let dir = tmp.join("in");
        let mut rng = Rng(0xC0FF_EE00 + round);
        let texts: Vec<String> = (0..10).map(|_| hostile_text(&mut rng, 40)).collect();
        folder_with_texts(&dir, &|k| format!("x{}", texts[k]));
        std::fs::write(
            dir.join("omvarld.md"),
            format!("# Omvärld\n\n{}\n", texts[0]),
        )
        .unwrap();
        let out = tmp.join("out");
        let (code, doc, xlsx, err) = report(&dir, &out, &["--year", "2025", "--png"]);
        assert_eq!(code, 0, "round {round}: {err}\n{texts:?}");
        assert!(xlsx.is_file() && !doc.is_null(), "round {round}: {err}");
        assert!(file_with_extension(&out, "docx").is_file(), "round {round}");
        assert!(file_with_extension(&out, "md").is_file(), "round {round}");
    }
}

// ---------------------------------------------------------------- defect 9

#[test]
fn identifiers_in_swedish_and_excel_forms_are_screened() {
    for pn in [
        "850312 5678",
        "850312–5678",
        "850312—5678",
        "850312\u{2212}5678",
        "850312.5678",
        "850312\u{a0}5678",
        "19850312 5678",
        "19850312–5678",
        "198503125678",
        "8503125678",
        "850372–5678",
        "19850372.5678",
    ] {
        assert!(privacy::is_personal_number(pn), "{pn}");
        assert_eq!(
            privacy::screen(&format!("Felskick {pn} igen")),
            "Felskick [personnummer] igen",
            "{pn}"
        );
    }
    for phone in [
        "46701234567",
        "701234567",
        "070.123.45.67",
        "070/123 45 67",
        "+46 70 123 45 67",
        "+46\u{a0}70\u{2011}123\u{a0}45\u{a0}67",
        "0046701234567",
        "468123456789",
        "08–123 456 78",
    ] {
        assert_eq!(
            privacy::screen(&format!("ring {phone} nu")),
            "ring [telefonnummer] nu",
            "{phone}"
        );
    }
    // Dates, years, case numbers and amounts stay.
    for text in [
        "2025-03-14",
        "03.04.2025",
        "14/03/2025",
        "03/04/25",
        "IA-2025-0191",
        "Ärende 2025-0042",
        "Budget 46 000 kr",
        "Version 1.2.3",
        "192.168.1.10",
    ] {
        assert_eq!(privacy::screen(text), text, "{text}");
    }
}

#[test]
fn identifiers_typed_or_stored_as_numbers_never_reach_an_output() {
    let tmp = TempDir::new("rt-identifiers");
    let dir = tmp.join("in");
    let secrets = [
        "850312 5678",
        "850312–5678",
        "850312\u{2212}5678",
        "850312.5678",
        "19850312 5678",
        "850372–5678",
        "070.123.45.67",
        "070/123 45 67",
        "46701234567",
        "701234567",
    ];
    folder_with_texts(&dir, &|k| format!("Kontakt {}", secrets[k]));
    // Excel drops the leading 0 and the "+" of numbers typed into a cell.
    write_sheet(
        &dir.join("Fler incidenter.xlsx"),
        "Avvikelser",
        vec![
            texts(&["Ärendenummer", "Händelsedatum", "Kategori"]),
            vec![s("INC-9"), d(2025, 5, 5), n(46701234567.0)],
            vec![s("INC-10"), d(2025, 5, 5), n(701234567.0)],
        ],
    );
    let out = tmp.join("out");
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025", "--png"]);
    assert!(code == 0 || code == 1, "{err}");
    let all = output_text(&out);
    for secret in secrets {
        assert!(!all.contains(secret), "{secret:?} in an output");
        let digits: String = secret.chars().filter(|c| c.is_ascii_digit()).collect();
        assert!(!all.contains(&digits), "digits of {secret:?} in an output");
    }
}

// ---------------------------------------------------------------- defect 10

#[test]
fn owners_that_are_persons_are_never_shown_and_functions_are() {
    for person in [
        "Birgitta",
        "Margit",
        "Judith",
        "Britt",
        "Birgitta Lund",
        "Margit Öberg",
        "ANNA ANDERSSON",
        "KARL ÖBERG",
        "Carl von Essen",
        "Anna af Klercker",
        "Karin Ek (IT)",
        "Zlatan Ibrahimović (IT)",
        "Avdelningschef Anna",
    ] {
        assert_eq!(
            privacy::owner_label(person),
            "(namngiven person)",
            "{person}"
        );
    }
    for function in [
        "IT-chef",
        "IT",
        "ISAM",
        "HR / IT",
        "Förvaltningsledningen",
        "Avdelningschef",
        "IT-avdelningen",
        "Systemförvaltare Ekonomi",
        "Informationssäkerhetssamordnare",
        "DSO",
    ] {
        assert_eq!(privacy::owner_label(function), function, "{function}");
    }
}

#[test]
fn owners_in_the_registers_reach_the_outputs_only_as_functions() {
    let tmp = TempDir::new("rt-owners");
    let dir = tmp.folder("in");
    let owners = [
        "Birgitta Lund",
        "Margit",
        "Judith",
        "Britt",
        "ANNA ANDERSSON",
        "Carl von Essen",
        "Karin Ek (IT)",
        "IT-chef",
        "ISAM",
    ];
    let mut rows = vec![texts(&[
        "Risk",
        "Sannolikhet",
        "Konsekvens",
        "Status",
        "Ägare",
    ])];
    for (i, owner) in owners.iter().enumerate() {
        rows.push(vec![
            s(&format!("Risk {i}")),
            n(5.0),
            n(5.0),
            s("Öppen"),
            s(owner),
        ]);
    }
    write_sheet(&dir.join("Risker.xlsx"), "Risker", rows);
    let out = tmp.join("out");
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025"]);
    assert_eq!(code, 0, "{err}");
    let all = output_text(&out);
    for name in [
        "Birgitta",
        "Margit",
        "Judith",
        "Britt",
        "ANNA",
        "ANDERSSON",
        "Essen",
        "Karin",
    ] {
        assert!(!all.contains(name), "{name} in an output");
    }
    assert!(all.contains("IT-chef"));
    assert!(all.contains("(namngiven person)"));
}

// ---------------------------------------------------------------- defect 11

#[test]
fn names_in_every_free_text_never_reach_an_output_and_leave_no_initials() {
    let tmp = TempDir::new("rt-names");
    let dir = tmp.join("in");
    let names = [
        "Kerstin Johansson",
        "Lars Nilsson",
        "Fatima Hassan",
        "Per Lindqvist",
        "Birgitta Sjöberg",
        "Karl-Erik Åström",
        "Elin Bergström",
        "Mohammed Ali",
        "Sofia Ekman",
        "Hans Persson",
    ];
    let fields = [
        "Felskick till {}",
        "Enhet {}",
        "{} har kvar behörighet",
        "Stäng kontot för {}",
        "{}",
        "Följ upp {}s ärende",
        "{}",
        "Personalakt för {}",
        "Dator som {} använder",
        "Kurs med {}",
    ];
    folder_with_texts(&dir, &|k| fields[k].replace("{}", names[k]));
    let out = tmp.join("out");
    let (code, _, _, err) = report(&dir, &out, &["--year", "2025", "--png"]);
    assert!(code == 0 || code == 1, "{err}");
    // The Office theme names the script "Hans" (simplified Chinese); not a person.
    let all = output_text(&out).replace("script=\"Hans\"", "");
    for name in names {
        assert!(!all.contains(name), "{name} in an output");
        for word in name.split([' ', '-']) {
            if contains_word(&all, word) {
                let at = all.find(word).unwrap();
                let around: String = all[at.saturating_sub(200)..].chars().take(300).collect();
                panic!("{word} (of {name}) in an output: …{around}…");
            }
        }
    }
    assert!(all.contains("[namn]"), "no masked name at all");
    // No masking that keeps initials and length ("K****** J********").
    let starred = all
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .any(|w| {
            let mut c = w.chars();
            c.next().is_some_and(char::is_uppercase) && w.len() > 3 && c.all(|c| c == '*')
        });
    assert!(!starred, "a name masked with initials and stars");
}

/// Swedish names as a generator makes them: the commonest first names and surnames of
/// SCB's name statistics, surnames of the usual Swedish shapes beyond the top lists,
/// double first names, names in capitals, surname first.
struct NameGen(Rng);

const TEST_FIRST: [&str; 70] = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Christina",
    "Lena",
    "Emma",
    "Kerstin",
    "Marie",
    "Malin",
    "Ingrid",
    "Hanna",
    "Linda",
    "Annika",
    "Susanne",
    "Elin",
    "Monica",
    "Birgitta",
    "Sofia",
    "Johanna",
    "Åsa",
    "Ebba",
    "Alva",
    "Saga",
    "Astrid",
    "Wilma",
    "Ulla",
    "Gunilla",
    "Ann-Christin",
    "Lars",
    "Mikael",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Peter",
    "Thomas",
    "Karl",
    "Jan",
    "Daniel",
    "Fredrik",
    "Mohammad",
    "Hans",
    "Bengt",
    "Bo",
    "Nils",
    "Björn",
    "Leif",
    "Sven",
    "Gustav",
    "Håkan",
    "Göran",
    "Åke",
    "Stig",
    "Kjell",
    "Jörgen",
    "Ali",
    "Karl-Erik",
    "Olof",
    // Beyond the lists: rarer names.
    "Alfhild",
    "Gunborg",
    "Sigvard",
    "Evald",
    "Ingolf",
    "Torgny",
    "Tyko",
    "Lennie",
    "Ingvild",
    "Solbritt",
];

const TEST_SURNAMES: [&str; 50] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Holm",
    "Björk",
    "Ek",
    "Wallin",
    "Åberg",
    "Öberg",
    "Hassan",
    "Mohamed",
    // Beyond the lists: of the usual shapes.
    "Tuvesson",
    "Sjöblom",
    "Almgren",
    "Törnqvist",
    "Bergendahl",
    "Ekwall",
    "Ståhlberg",
    "Hedenström",
    "Nordenskiöld",
    "Wennerholm",
    "Gyllenborg",
    "Strömdahl",
    "Ljungqvist",
    "Kjellander",
];

impl NameGen {
    fn name(&mut self) -> String {
        let first = TEST_FIRST[self.0.index(TEST_FIRST.len())];
        let last = TEST_SURNAMES[self.0.index(TEST_SURNAMES.len())];
        match self.0.below(20) {
            0 => format!("{last}, {first}"),
            1 => format!("{first} {last}").to_uppercase(),
            2 => {
                let second = TEST_FIRST[self.0.index(TEST_FIRST.len())];
                format!("{first} {second} {last}")
            }
            3 => format!("{first} von {last}"),
            _ => format!("{first} {last}"),
        }
    }
}

/// The ten kinds of free text a name is typed into.
const FIELD_KINDS: [(&str, &str); 10] = [
    ("incidentkategori", "Felskick till {}"),
    ("enhet", "Enhet {}"),
    ("risk", "{} har kvar behörighet efter avslut"),
    ("riskåtgärd", "Stäng kontot för {} i alla system"),
    ("åtgärd", "Följa upp {}s ärende"),
    ("behandling", "Personalakt för {}"),
    ("informationstillgång", "Dator som {} använder"),
    ("kurs", "Introduktion med {}"),
    ("riskägare", "{}"),
    ("åtgärdsansvarig", "{} (IT)"),
];

#[test]
fn name_screen_recall_and_false_positives() {
    // Recall: 1 000 generated names, 100 in each of the ten kinds of field.
    let mut gen = NameGen(Rng(0x4E41_4D4E_0018));
    let mut missed: Vec<String> = Vec::new();
    let mut per_kind = [0usize; 10];
    for i in 0..1000 {
        let kind = i % 10;
        let name = gen.name();
        let (_, template) = FIELD_KINDS[kind];
        let text = template.replace("{}", &name);
        let shown = if kind >= 8 {
            privacy::owner_label(&text)
        } else {
            privacy::screen(&text)
        };
        let leaked = name
            .split([' ', ',', '-'])
            .filter(|w| w.chars().count() >= 2 && !names::is_particle(w))
            .any(|w| contains_word(&shown, w));
        if leaked {
            missed.push(format!("{text} → {shown}"));
            per_kind[kind] += 1;
        }
    }
    let recall = 1.0 - missed.len() as f64 / 1000.0;

    // False positives: the sample's activity, risk and action titles, none of which
    // names a person.
    let sample = sample_dir();
    let cfg = genomgang::config::Config::load(&[&sample.join("genomgang.toml")]).unwrap();
    let inputs = genomgang::pipeline::load::load_folder(
        &sample,
        &cfg,
        None,
        genomgang::pipeline::load::Subfolders::ReadOneLevel,
    )
    .unwrap();
    let titles: Vec<&str> = inputs
        .activities
        .iter()
        .map(|a| a.name.as_str())
        .chain(inputs.risks.iter().map(|r| r.name.as_str()))
        .chain(inputs.risks.iter().map(|r| r.action.as_str()))
        .chain(inputs.actions.iter().map(|a| a.name.as_str()))
        .filter(|t| !t.is_empty())
        .collect();
    let masked: Vec<&&str> = titles.iter().filter(|t| t.contains("[namn]")).collect();
    let false_positive = masked.len() as f64 / titles.len() as f64;
    let (first, last) = names::list_sizes();
    println!(
        "name screen ({first} first names, {last} surnames): recall {:.1} % on 1000 names \
         (missed per kind {per_kind:?}), false positives {} of {} sample titles ({:.1} %)",
        recall * 100.0,
        masked.len(),
        titles.len(),
        false_positive * 100.0
    );
    for m in missed.iter().take(20) {
        println!("  missed: {m}");
    }
    for m in &masked {
        println!("  masked: {m}");
    }
    assert!(titles.len() >= 30, "{}", titles.len());
    assert!(recall >= 0.97, "recall {recall}: {missed:#?}");
    assert!(false_positive <= 0.02, "false positives: {masked:?}");
}
