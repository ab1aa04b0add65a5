//! Privacy (SPEC §4.2, issue 11 defect 1): random identifier-shaped strings — personnummer,
//! samordningsnummer, e-mail addresses, telephone numbers — typed into every text cell
//! of every input kind, into file, sheet and unused header names, never appear in any
//! output file: the workbook's and the Word document's parts, the .md, the JSON, the PNG
//! charts' text chunks.
//!
//! `GENOMGANG_PRIVACY_ROUNDS=50 cargo test --test nothing_leaked` runs more rounds.

mod common;

use std::path::Path;

use common::*;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn word(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }

    /// A personnummer or samordningsnummer in one of the forms people type.
    fn personal_number(&mut self) -> String {
        let year = 1940 + self.below(66);
        let month = 1 + self.below(12);
        let mut day = 1 + self.below(28);
        if self.below(4) == 0 {
            day += 60;
        }
        let tail = self.digits(4);
        match self.below(5) {
            0 => format!("{:02}{month:02}{day:02}-{tail}", year % 100),
            1 => format!("{:02}{month:02}{day:02}{tail}", year % 100),
            2 => format!("{year}{month:02}{day:02}-{tail}"),
            3 => format!("{year}{month:02}{day:02}{tail}"),
            _ => format!("{:02}{month:02}{day:02}+{tail}", year % 100),
        }
    }

    fn email(&mut self) -> String {
        let (a, b, c) = (self.word(5), self.word(7), self.word(6));
        format!("{a}.{b}@{c}.se")
    }

    fn phone(&mut self) -> String {
        match self.below(3) {
            0 => format!(
                "07{}-{} {} {}",
                self.digits(1),
                self.digits(3),
                self.digits(2),
                self.digits(2)
            ),
            1 => format!(
                "+46 7{} {} {} {}",
                self.digits(1),
                self.digits(3),
                self.digits(2),
                self.digits(2)
            ),
            _ => format!(
                "08-{} {} {}",
                self.digits(3),
                self.digits(3),
                self.digits(2)
            ),
        }
    }

    fn identifier(&mut self) -> String {
        match self.below(3) {
            0 => self.personal_number(),
            1 => self.email(),
            _ => self.phone(),
        }
    }
}

/// A cell holding an identifier, alone or inside ordinary text (always recorded).
fn secret(rng: &mut Rng, secrets: &mut Vec<String>, base: &str) -> V {
    let id = rng.identifier();
    secrets.push(id.clone());
    match rng.below(3) {
        0 => s(&id),
        1 => s(&format!("{base} {id}")),
        _ => s(&format!("{base} (kontakt {id}), se ärendet")),
    }
}

/// One folder with every input kind; every text cell of every other row holds an
/// identifier, and a file, a sheet and an unused column are named after one.
fn hostile_folder(dir: &Path, rng: &mut Rng) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut sec = |rng: &mut Rng, base: &str| secret(rng, &mut secrets, base);
    let d2025 = || d(2025, 3, 14);

    // Training (long) and roster share persons.
    let mut training = vec![vec![
        s("Anställningsnummer"),
        s("Namn"),
        s("Enhet"),
        s("Kurs"),
        s("Status"),
        s("Slutfört datum"),
    ]];
    let mut roster = vec![vec![
        s("Anställningsnummer"),
        s("Namn"),
        s("Enhet"),
        s("Befattning"),
    ]];
    for i in 0..12 {
        let hostile = i % 2 == 1;
        let pick = |rng: &mut Rng, sec: &mut dyn FnMut(&mut Rng, &str) -> V, ok: V, base: &str| {
            if hostile && rng.below(2) == 0 {
                sec(rng, base)
            } else {
                ok
            }
        };
        let emp = n(1000.0 + i as f64);
        let name = sec(rng, "Anna Andersson");
        let unit = pick(rng, &mut sec, s("Enhet A"), "Enhet");
        let course = pick(
            rng,
            &mut sec,
            s("Grundläggande informationssäkerhet"),
            "Kurs",
        );
        let status = pick(rng, &mut sec, s("Genomförd"), "Genomförd");
        let date = pick(rng, &mut sec, d2025(), "2025-03-14");
        training.push(vec![
            emp.clone(),
            name.clone(),
            unit.clone(),
            course,
            status,
            date,
        ]);
        let title = pick(rng, &mut sec, s("Handläggare"), "Handläggare");
        roster.push(vec![emp, name, unit, title]);
    }
    write_xlsx(&dir.join("Utbildning.xlsx"), &[("Kurser", training)]);
    write_xlsx(&dir.join("Personal.xlsx"), &[("Personal", roster)]);

    // Incidents.
    let mut incidents = vec![vec![
        s("Ärendenummer"),
        s("Händelsedatum"),
        s("Kategori"),
        s("Personuppgiftsincident"),
        s("Anmäld till IMY"),
        s("Enhet"),
        s("Status"),
        s("Beskrivning"),
    ]];
    for i in 0..14 {
        let hostile = i % 2 == 1;
        let mut pick = |rng: &mut Rng, ok: V, base: &str| {
            if hostile && rng.below(2) == 0 {
                sec(rng, base)
            } else {
                ok
            }
        };
        incidents.push(vec![
            pick(rng, s(&format!("INC-{i}")), "INC"),
            pick(rng, d(2025, 1 + i as u32 % 12, 3), "2025-03-14"),
            pick(
                rng,
                s(if i % 3 == 0 {
                    "Nätfiske"
                } else {
                    "Hot via telefon"
                }),
                "Felskick till Anna Andersson",
            ),
            pick(rng, s("Ja"), "Ja"),
            pick(rng, s("Nej"), "Nej"),
            pick(rng, s("Enhet B"), "Enhet"),
            pick(rng, s("Avslutad"), "Avslutad"),
            pick(rng, s("Mejl skickat fel"), "Mejl skickat till"),
        ]);
    }
    write_xlsx(&dir.join("Incidenter.xlsx"), &[("Avvikelser", incidents)]);

    // Register.
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
        s("Ansvarig"),
    ]];
    for i in 0..8 {
        let hostile = i % 2 == 1;
        let mut pick = |rng: &mut Rng, ok: V, base: &str| {
            if hostile && rng.below(2) == 0 {
                sec(rng, base)
            } else {
                ok
            }
        };
        register.push(vec![
            pick(rng, s(&format!("Behandling {i}")), "Elevregister"),
            pick(rng, s("Ändamål"), "Ändamål"),
            pick(rng, s("Avtal"), "Avtal"),
            pick(rng, s("Elever"), "Elever"),
            pick(rng, s("Kontaktuppgifter"), "Kontaktuppgifter"),
            pick(rng, s("Ingen"), "Mottagare"),
            pick(rng, s("2 år"), "2 år"),
            pick(rng, s("Behörighet"), "Behörighet"),
            pick(rng, d(2025, 2, 1), "2025-02-01"),
            pick(rng, s("Chef"), "Chef"),
        ]);
    }
    write_xlsx(&dir.join("Register.xlsx"), &[("Register", register)]);

    // Classification.
    let mut classes = vec![vec![
        s("Informationstillgång"),
        s("Konfidentialitet"),
        s("Riktighet"),
        s("Tillgänglighet"),
        s("Ägare"),
    ]];
    for i in 0..8 {
        let hostile = i % 2 == 1;
        let mut pick = |rng: &mut Rng, ok: V, base: &str| {
            if hostile && rng.below(2) == 0 {
                sec(rng, base)
            } else {
                ok
            }
        };
        classes.push(vec![
            pick(rng, s(&format!("System {i}")), "Ekonomisystem"),
            pick(rng, n(2.0), "2"),
            pick(rng, n(3.0), "3"),
            pick(rng, n(1.0), "1"),
            pick(rng, s("Förvaltningen"), "Ägare"),
        ]);
    }
    write_xlsx(&dir.join("Klassning.xlsx"), &[("KLASSA", classes)]);

    // Risks, in a file and sheet named after an identifier, with an unused column too.
    let file_secret = rng.personal_number();
    let sheet_secret = rng.phone();
    let header_secret = rng.email();
    let named = [
        file_secret.clone(),
        sheet_secret.clone(),
        header_secret.clone(),
    ];
    let mut risks = vec![vec![
        s("Risk"),
        s("Sannolikhet"),
        s("Konsekvens"),
        s("Åtgärd"),
        s("Status"),
        s("Ägare"),
        s(&format!("Kommentar {header_secret}")),
    ]];
    for i in 0..8 {
        let hostile = i % 2 == 1;
        let mut pick = |rng: &mut Rng, ok: V, base: &str| {
            if hostile && rng.below(2) == 0 {
                sec(rng, base)
            } else {
                ok
            }
        };
        risks.push(vec![
            pick(rng, s(&format!("Risk {i}")), "Risk för dataläcka"),
            pick(rng, n(4.0), "4"),
            pick(rng, n(4.0), "4"),
            pick(rng, s("Åtgärda"), "Åtgärda"),
            pick(rng, s("Öppen"), "Öppen"),
            pick(rng, s("Chef"), "Chef"),
            pick(rng, s("ok"), "Kommentar"),
        ]);
    }
    write_xlsx(
        &dir.join(format!("Risker {file_secret}.xlsx")),
        &[(&format!("R {sheet_secret}"), risks)],
    );

    // Actions, as a CSV.
    let mut actions = String::from("Åtgärd;Status;Ansvarig;Klart senast\n");
    for i in 0..8 {
        let hostile = i % 2 == 1;
        let mut cell = |rng: &mut Rng, ok: &str, base: &str| -> String {
            if hostile && rng.below(2) == 0 {
                match sec(rng, base) {
                    V::S(t) => t,
                    _ => unreachable!(),
                }
            } else {
                ok.to_string()
            }
        };
        let row = [
            cell(rng, &format!("Åtgärd {i}"), "Införa MFA"),
            cell(rng, "Pågår", "Pågår"),
            cell(rng, "Chef", "Chef"),
            cell(rng, "2025-06-30", "2025-06-30"),
        ];
        actions.push_str(&row.join(";"));
        actions.push('\n');
    }
    std::fs::write(dir.join("Åtgärdsplan.csv"), actions).unwrap();
    secrets.extend(named);
    secrets
}

/// Every text an output file holds: the workbook's parts, the .md and JSON as they are,
/// the PNG charts' text chunks.
fn output_texts(out: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.display().to_string();
            texts.push((format!("{name} (filnamn)"), name.clone()));
            let text = match path.extension().and_then(|e| e.to_str()) {
                Some("xlsx") | Some("docx") => all_parts_text(&path),
                Some("png") => png_text_chunks(&std::fs::read(&path).unwrap()),
                _ => String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string(),
            };
            texts.push((name, text));
        }
    }
    texts
}

/// The text chunks (tEXt, zTXt, iTXt) of a PNG, inflated where compressed.
fn png_text_chunks(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[(at + 8).min(bytes.len())..(at + 8 + len).min(bytes.len())];
        match kind {
            b"tEXt" | b"iTXt" => out.push_str(&String::from_utf8_lossy(data)),
            b"zTXt" => {
                use std::io::Read;
                let start = data
                    .iter()
                    .position(|b| *b == 0)
                    .map(|i| i + 2)
                    .unwrap_or(0);
                let mut s = String::new();
                let _ = flate2::read::ZlibDecoder::new(&data[start.min(data.len())..])
                    .read_to_string(&mut s);
                out.push_str(&s);
            }
            _ => {}
        }
        at += 12 + len;
    }
    out
}

#[test]
fn identifiers_in_any_text_cell_never_reach_an_output() {
    let rounds: u64 = std::env::var("GENOMGANG_PRIVACY_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    for round in 0..rounds {
        let tmp = TempDir::new(&format!("privacy-{round}"));
        let input = tmp.join("Enheten");
        let out = tmp.join("ut");
        std::fs::create_dir_all(&input).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (round + 1).wrapping_mul(0x1234_5678_9ABC));
        let secrets = hostile_folder(&input, &mut rng);
        let (code, doc, xlsx, err) = report(&input, &out, &["--png", "--year", "2025"]);
        assert!(code == 0 || code == 1, "round {round}: exit {code}: {err}");
        assert!(xlsx.is_file(), "round {round}: no workbook: {err}");
        assert!(!doc.is_null(), "round {round}: no JSON: {err}");
        let texts = output_texts(&out);
        assert!(texts.iter().any(|(n, _)| n.ends_with(".md")), "no .md");
        for secret in &secrets {
            let digits: String = secret.chars().filter(|c| c.is_ascii_digit()).collect();
            for (name, text) in &texts {
                assert!(
                    !text.contains(secret.as_str()),
                    "round {round}: {secret:?} found in {name}"
                );
                if digits.len() >= 10 && !secret.contains('@') {
                    assert!(
                        !text.contains(&digits),
                        "round {round}: digits of {secret:?} found in {name}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_value_that_cannot_be_read_is_described_not_copied() {
    let tmp = TempDir::new("privacy-described");
    let input = tmp.join("in");
    let out = tmp.join("out");
    std::fs::create_dir_all(&input).unwrap();
    write_xlsx(
        &input.join("Incidenter.xlsx"),
        &[(
            "Blad1",
            vec![
                vec![s("Händelsedatum"), s("Kategori"), s("Status")],
                vec![s("850312-5678"), s("Nätfiske"), s("Avslutad")],
                vec![d(2025, 3, 1), s("Nätfiske"), s("Avslutad")],
            ],
        )],
    );
    let (_, doc, xlsx, _) = report(&input, &out, &["--year", "2025"]);
    let rows = sheet_rows(&xlsx, "Datakvalitet");
    let described = rows.iter().any(|r| {
        r.iter()
            .any(|c| matches!(c, calamine::Data::String(t) if t == "ser ut som ett personnummer"))
    });
    assert!(described, "{rows:?}");
    let json = doc.to_string();
    assert!(!json.contains("850312-5678"), "{json}");
    assert!(json.contains("ser ut som ett personnummer"), "{json}");
    // `check` shows the ISAM where it is, masked.
    let o = run(&["check", input.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("850312-5678"), "{text}");
    assert!(text.contains("[personnummer]"), "{text}");
}
