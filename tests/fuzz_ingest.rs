//! A property test of the ingest layer: mutated bytes of valid input files (and mutated
//! XML inside valid xlsx zips) go through reading, recognition, the model and the KPIs
//! without a panic. Runs for GENOMGANG_FUZZ_SECS seconds (default 2); the issue note
//! records the long runs.

mod common;

use std::io::{Read, Write};

use common::*;
use genomgang::config::Config;
use genomgang::ingest::Recogniser;
use genomgang::model::Inputs;

const INTERESTING: [&[u8]; 14] = [
    b"2025-13-45",
    b"=1+1",
    b"\"",
    b";",
    b",",
    b"\t",
    b"\n",
    b"\r\n",
    b"\xFF\xFE",
    b"99999999999999999999",
    b"-1",
    b"Ja",
    b"<c r=\"XFD1048576\"><v>1</v></c>",
    b"\x00",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.index(8) {
        if b.is_empty() {
            b.push(rng.next_u64() as u8);
            continue;
        }
        let at = rng.index(b.len());
        match rng.index(6) {
            0 => b[at] = rng.next_u64() as u8,
            1 => {
                b.truncate(at);
            }
            2 => {
                let word = INTERESTING[rng.index(INTERESTING.len())];
                b.splice(at..at, word.iter().copied());
            }
            3 => {
                let end = (at + rng.index(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                let to = rng.index(b.len());
                b.splice(to..to, chunk);
            }
            4 => {
                let end = (at + rng.index(32)).min(b.len());
                b.drain(at..end);
            }
            _ => b[at] ^= 1 << rng.index(8),
        }
    }
    b
}

/// Mutates the XML of the sheet parts inside an xlsx and re-zips it (valid CRCs), so the
/// mutation reaches calamine's XML handling instead of stopping at the zip layer.
fn mutate_inside_zip(rng: &mut Rng, xlsx: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name.contains("worksheets/sheet")
            || name.contains("sharedStrings")
            || name.contains("styles")
            || rng.index(10) == 0
        {
            data = mutate(rng, &data);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn seeds(dir: &std::path::Path) -> Vec<(Vec<u8>, &'static str)> {
    write_xlsx(
        &dir.join("inc.xlsx"),
        &[(
            "Avvikelser",
            vec![
                vec![s("Avvikelser 2025")],
                vec![],
                vec![
                    s("Ärendenummer"),
                    s("Händelsedatum"),
                    s("Kategori"),
                    s("PUI"),
                    s("Anmäld till IMY"),
                ],
                vec![s("A1"), d(2025, 1, 2), s("Phishing"), s("Ja"), s("Nej")],
                vec![s("A2"), n(45700.0), s("Felskick"), s("X"), s("Ja")],
            ],
        )],
    );
    write_xlsx(
        &dir.join("mixed.xlsx"),
        &[
            (
                "Personal",
                vec![
                    vec![s("Anst.nr"), s("Enhet")],
                    vec![n(1.0), s("A")],
                    vec![n(2.0), s("B")],
                ],
            ),
            (
                "Kurser",
                vec![
                    vec![s("Anst.nr"), s("Kurs"), s("Slutfört datum")],
                    vec![n(1.0), s("Dataskydd"), s("2025-03-03")],
                ],
            ),
            (
                "Risker",
                vec![
                    vec![s("Risk"), s("Sannolikhet"), s("Konsekvens")],
                    vec![s("R"), n(4.0), s("3,5")],
                ],
            ),
        ],
    );
    let (w1252, _, _) = encoding_rs::WINDOWS_1252.encode("Användar-ID;Kurs;Status;Slutfört datum\r\nkun1;Grundläggande informationssäkerhet;Genomförd;14.03.2025\r\nkun2;Dataskydd;Pågående;\r\n");
    vec![
        (std::fs::read(dir.join("inc.xlsx")).unwrap(), "xlsx"),
        (std::fs::read(dir.join("mixed.xlsx")).unwrap(), "xlsx"),
        (w1252.into_owned(), "csv"),
        ("Åtgärd,Status,Klart senast\n\"a, b\",Klar,Q2 2025\n\"rad\nrad\",Pågående,2025-01-01\n".as_bytes().to_vec(), "csv"),
        ("Behandling\tÄndamål\tSenast reviderad\nX\tY\t2024-01-01\n".as_bytes().to_vec(), "txt"),
        ("Informationstillgång;Konfidentialitet;Riktighet;Tillgänglighet\nA;K2;R1;T3\nB;Betydande;;4\n".as_bytes().to_vec(), "csv"),
    ]
}

#[test]
fn mutated_inputs_never_panic() {
    let secs = env_number("GENOMGANG_FUZZ_SECS", 2);
    let t = TempDir::new("fuzz");
    let seeds = seeds(t.path());
    let cfg = Config::default_config();
    let rec = Recogniser::new(&cfg);
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let start = std::time::Instant::now();
    let mut runs = 0u64;
    while start.elapsed().as_secs() < secs || runs < 50 {
        let (seed, ext) = &seeds[rng.index(seeds.len())];
        let bytes = if *ext == "xlsx" && rng.index(2) == 0 {
            mutate_inside_zip(&mut rng, seed)
        } else {
            mutate(&mut rng, seed)
        };
        let mut inputs = Inputs::default();
        let read = genomgang::ingest::read_bytes(bytes, ext, &cfg.limits);
        genomgang::pipeline::load::load_read(read, &format!("fuzz.{ext}"), &cfg, &rec, &mut inputs);
        genomgang::pipeline::load::finish(&mut inputs);
        let report = genomgang::kpi::compute(&inputs, &cfg, 2025);
        assert_eq!(
            report.kpis.len(),
            genomgang::kpi::compute(&Inputs::default(), &cfg, 2025)
                .kpis
                .len()
        );
        runs += 1;
    }
    eprintln!(
        "fuzz: {runs} mutated inputs in {:.1} s without a panic",
        start.elapsed().as_secs_f64()
    );
}
