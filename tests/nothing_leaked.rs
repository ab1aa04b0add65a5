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

impl Rng {
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

/// Writes hostile cells: every identifier it writes is recorded in `secrets`.
struct Hostile<'a> {
    rng: &'a mut Rng,
    secrets: Vec<String>,
}

impl Hostile<'_> {
    /// A cell holding an identifier, alone or inside ordinary text (always recorded).
    fn secret(&mut self, base: &str) -> V {
        let id = self.rng.identifier();
        self.secrets.push(id.clone());
        match self.rng.below(3) {
            0 => s(&id),
            1 => s(&format!("{base} {id}")),
            _ => s(&format!("{base} (kontakt {id}), se ärendet")),
        }
    }

    /// `ok`, or on a hostile row, by chance, an identifier around `base`.
    fn pick(&mut self, hostile: bool, ok: V, base: &str) -> V {
        if hostile && self.rng.below(2) == 0 {
            self.secret(base)
        } else {
            ok
        }
    }

    /// `header` above `count` rows of cells given as (ordinary value, text around an
    /// identifier); every other row is hostile.
    fn sheet(
        &mut self,
        header: Vec<V>,
        count: usize,
        cells: impl Fn(usize) -> Vec<(V, &'static str)>,
    ) -> Vec<Vec<V>> {
        let mut rows = vec![header];
        for i in 0..count {
            let hostile = i % 2 == 1;
            let row = cells(i)
                .into_iter()
                .map(|(ok, base)| self.pick(hostile, ok, base))
                .collect();
            rows.push(row);
        }
        rows
    }
}

/// One folder with every input kind; every text cell of every other row holds an
/// identifier, and a file, a sheet and an unused column are named after one.
fn hostile_folder(dir: &Path, rng: &mut Rng) -> Vec<String> {
    let mut h = Hostile {
        rng,
        secrets: Vec::new(),
    };

    // Training (long) and roster share persons.
    let mut training = vec![texts(&[
        "Anställningsnummer",
        "Namn",
        "Enhet",
        "Kurs",
        "Status",
        "Slutfört datum",
    ])];
    let mut roster = vec![texts(&[
        "Anställningsnummer",
        "Namn",
        "Enhet",
        "Befattning",
    ])];
    for i in 0..12 {
        let hostile = i % 2 == 1;
        let emp = n(1000.0 + i as f64);
        let name = h.secret("Anna Andersson");
        let unit = h.pick(hostile, s("Enhet A"), "Enhet");
        let course = h.pick(hostile, s("Grundläggande informationssäkerhet"), "Kurs");
        let status = h.pick(hostile, s("Genomförd"), "Genomförd");
        let date = h.pick(hostile, d(2025, 3, 14), "2025-03-14");
        training.push(vec![
            emp.clone(),
            name.clone(),
            unit.clone(),
            course,
            status,
            date,
        ]);
        let title = h.pick(hostile, s("Handläggare"), "Handläggare");
        roster.push(vec![emp, name, unit, title]);
    }
    write_sheet(&dir.join("Utbildning.xlsx"), "Kurser", training);
    write_sheet(&dir.join("Personal.xlsx"), "Personal", roster);

    let incidents = h.sheet(
        texts(&[
            "Ärendenummer",
            "Händelsedatum",
            "Kategori",
            "Personuppgiftsincident",
            "Anmäld till IMY",
            "Enhet",
            "Status",
            "Beskrivning",
        ]),
        14,
        |i| {
            let category = if i % 3 == 0 {
                "Nätfiske"
            } else {
                "Hot via telefon"
            };
            vec![
                (s(&format!("INC-{i}")), "INC"),
                (d(2025, 1 + i as u32 % 12, 3), "2025-03-14"),
                (s(category), "Felskick till Anna Andersson"),
                (s("Ja"), "Ja"),
                (s("Nej"), "Nej"),
                (s("Enhet B"), "Enhet"),
                (s("Avslutad"), "Avslutad"),
                (s("Mejl skickat fel"), "Mejl skickat till"),
            ]
        },
    );
    write_sheet(&dir.join("Incidenter.xlsx"), "Avvikelser", incidents);

    let mut header = texts(&REGISTER_COLUMNS);
    header.push(s("Ansvarig"));
    let register = h.sheet(header, 8, |i| {
        vec![
            (s(&format!("Behandling {i}")), "Elevregister"),
            (s("Ändamål"), "Ändamål"),
            (s("Avtal"), "Avtal"),
            (s("Elever"), "Elever"),
            (s("Kontaktuppgifter"), "Kontaktuppgifter"),
            (s("Ingen"), "Mottagare"),
            (s("2 år"), "2 år"),
            (s("Behörighet"), "Behörighet"),
            (d(2025, 2, 1), "2025-02-01"),
            (s("Chef"), "Chef"),
        ]
    });
    write_sheet(&dir.join("Register.xlsx"), "Register", register);

    let header = texts(&[
        "Informationstillgång",
        "Konfidentialitet",
        "Riktighet",
        "Tillgänglighet",
        "Ägare",
    ]);
    let classes = h.sheet(header, 8, |i| {
        vec![
            (s(&format!("System {i}")), "Ekonomisystem"),
            (n(2.0), "2"),
            (n(3.0), "3"),
            (n(1.0), "1"),
            (s("Förvaltningen"), "Ägare"),
        ]
    });
    write_sheet(&dir.join("Klassning.xlsx"), "KLASSA", classes);

    // Risks, in a file and sheet named after an identifier, with an unused column too.
    let file_secret = h.rng.personal_number();
    let sheet_secret = h.rng.phone();
    let header_secret = h.rng.email();
    let named = [
        file_secret.clone(),
        sheet_secret.clone(),
        header_secret.clone(),
    ];
    let mut header = texts(&[
        "Risk",
        "Sannolikhet",
        "Konsekvens",
        "Åtgärd",
        "Status",
        "Ägare",
    ]);
    header.push(s(&format!("Kommentar {header_secret}")));
    let risks = h.sheet(header, 8, |i| {
        vec![
            (s(&format!("Risk {i}")), "Risk för dataläcka"),
            (n(4.0), "4"),
            (n(4.0), "4"),
            (s("Åtgärda"), "Åtgärda"),
            (s("Öppen"), "Öppen"),
            (s("Chef"), "Chef"),
            (s("ok"), "Kommentar"),
        ]
    });
    write_sheet(
        &dir.join(format!("Risker {file_secret}.xlsx")),
        &format!("R {sheet_secret}"),
        risks,
    );

    // Actions, as a CSV.
    let actions = h.sheet(
        texts(&["Åtgärd", "Status", "Ansvarig", "Klart senast"]),
        8,
        |i| {
            vec![
                (s(&format!("Åtgärd {i}")), "Införa MFA"),
                (s("Pågår"), "Pågår"),
                (s("Chef"), "Chef"),
                (s("2025-06-30"), "2025-06-30"),
            ]
        },
    );
    let mut csv = String::new();
    for row in actions {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| match c {
                V::S(t) => t,
                _ => unreachable!(),
            })
            .collect();
        csv.push_str(&cells.join(";"));
        csv.push('\n');
    }
    std::fs::write(dir.join("Åtgärdsplan.csv"), csv).unwrap();
    h.secrets.extend(named);
    h.secrets
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
    let rounds = env_number("GENOMGANG_PRIVACY_ROUNDS", 4);
    for round in 0..rounds {
        let tmp = TempDir::new(&format!("privacy-{round}"));
        let input = tmp.folder("Enheten");
        let out = tmp.join("ut");
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
    let input = tmp.folder("in");
    let out = tmp.join("out");
    write_sheet(
        &input.join("Incidenter.xlsx"),
        "Blad1",
        vec![
            texts(&["Händelsedatum", "Kategori", "Status"]),
            texts(&["850312-5678", "Nätfiske", "Avslutad"]),
            vec![d(2025, 3, 1), s("Nätfiske"), s("Avslutad")],
        ],
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
