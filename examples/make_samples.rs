//! Writes `samples/kungsholmen/`: one district administration's exports as they come out
//! of the systems (an IA incident export with title rows, a Windows-1252 semicolon CSV
//! from the learning platform, an HR roster, a register of processing, a KLASSA listing,
//! a risk register and an action plan), with fake people only. Deterministic: the same
//! program writes the same bytes, and the true KPIs are known by construction (they are
//! the figures of the example review, EXAMPLE-REPORT.txt §1.3):
//!
//! - 2025: 39 incidents; phishing 6, burglary 2, lost service card 3, lost phone 6, lost
//!   computer 3, misdirected 12, unauthorised access 4, malware 1, other 2; 21 personal
//!   data incidents, 3 reported to IMY (1 later than 72 h), 1 reported to MSB.
//!   2024: 31 incidents, 17 personal data, 2 reported to IMY. 2023: 26 incidents.
//! - Roster 412; 66 completed both mandatory courses by 2025-12-31 (16.0 %), 38 by
//!   2024-12-31.
//! - Register 24 activities, 15 complete, 9 not reviewed for 12 months; KLASSA 18 assets,
//!   13 classified; risks 10, 4 high; actions 10, 4 done, 3 overdue.
//!
//! Run: `cargo run --example make_samples [-- OUT_DIR]` (default `samples/kungsholmen`).

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

#[allow(dead_code)]
fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samples/kungsholmen".to_string());
    if let Err(e) = write_kungsholmen(Path::new(&out)) {
        eprintln!("make_samples: {e}");
        std::process::exit(1);
    }
    println!("Skrev exempelunderlaget till {out}");
}

/// A small deterministic generator (SplitMix64), so no dependency is needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// A cell for the xlsx writer.
pub enum C {
    S(String),
    N(f64),
    /// A date written as an Excel date (year, month, day).
    D(i32, u32, u32),
    Blank,
}

pub fn s(t: &str) -> C {
    C::S(t.to_string())
}

/// Writes a workbook of (sheet name, rows); fixed document dates keep it byte-stable.
pub fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 8)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    for (name, rows) in sheets {
        let ws: &mut Worksheet = wb.add_worksheet();
        ws.set_name(*name)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::S(t) if r == 0 => ws.write_string_with_format(r, c, t, &bold)?,
                    C::S(t) => ws.write_string(r, c, t)?,
                    C::N(x) => ws.write_number(r, c, *x)?,
                    C::D(y, m, d) => ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8)?,
                        &date,
                    )?,
                    C::Blank => ws,
                };
            }
        }
        ws.set_column_range_width(0, 12, 18)?;
    }
    std::fs::write(path, wb.save_to_buffer()?).map_err(XlsxError::IoError)
}

/// Text in Windows-1252, as the learning platform exports it.
pub fn write_1252(path: &Path, text: &str) -> std::io::Result<()> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "text not representable in Windows-1252");
    std::fs::write(path, bytes)
}

pub const FIRST_NAMES: [&str; 40] = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Lena",
    "Mikael", "Emma", "Karl", "Kristina", "Jonas", "Sofia", "Fredrik", "Ida", "Magnus", "Elin",
    "Oskar", "Hanna", "Niklas", "Maja", "Björn", "Linnéa", "Gustav", "Åsa", "Mats", "Ebba", "Olof",
    "Frida", "Henrik", "Ylva", "Ali", "Amina", "Yusuf", "Leila", "Tomas",
];
pub const LAST_NAMES: [&str; 30] = [
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
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Mattsson",
];
const UNITS: [(&str, usize); 8] = [
    ("Äldreomsorg", 96),
    ("Individ- och familjeomsorg", 78),
    ("Förskola", 88),
    ("Socialpsykiatri", 41),
    ("Stadsmiljö", 33),
    ("Kultur och fritid", 29),
    ("Administrativa avdelningen", 30),
    ("Ekonomi och HR", 17),
];
pub const HEADCOUNT: usize = 412;

/// One fake employee.
struct Person {
    number: u32,
    name: String,
    email: String,
    unit: &'static str,
}

/// A name as the local part of an e-mail address: lowercase ASCII letters and digits.
pub fn ascii_mail(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect()
}

fn people(rng: &mut Rng, n: usize, first_number: u32, units: bool) -> Vec<Person> {
    let mut unit_of: Vec<&'static str> = UNITS
        .iter()
        .flat_map(|(u, k)| std::iter::repeat_n(*u, *k))
        .collect();
    rng.shuffle(&mut unit_of);
    (0..n)
        .map(|i| {
            let first = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.below(LAST_NAMES.len())];
            let number = first_number + i as u32;
            Person {
                number,
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}{}@kungsholmen.exempel.se",
                    ascii_mail(first),
                    ascii_mail(last),
                    number % 1000
                ),
                unit: if units {
                    unit_of[i % unit_of.len()]
                } else {
                    ""
                },
            }
        })
        .collect()
}

pub fn write_kungsholmen(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(2025);
    let staff = people(&mut rng, HEADCOUNT, 104_001, true);
    roster(dir, &staff)?;
    training(dir, &staff, &mut rng)?;
    incidents(dir, &mut rng)?;
    register(dir)?;
    classification(dir)?;
    risks(dir)?;
    actions(dir)?;
    std::fs::write(
        dir.join("genomgang.toml"),
        "# Inställningar för Kungsholmens stadsdelsförvaltning; allt annat följer standarden.\nunit = \"Kungsholmen\"\nyear = 2025\n",
    )?;
    std::fs::write(dir.join("omvarld.md"), OMVARLD)?;
    std::fs::write(dir.join("staden.md"), STADEN)?;
    Ok(())
}

fn roster(dir: &Path, staff: &[Person]) -> Result<(), XlsxError> {
    let mut rows = vec![
        vec![s(
            "Personalförteckning Kungsholmens stadsdelsförvaltning per 2025-12-31",
        )],
        vec![s("Källa: HR-systemet, aktiva anställningar")],
        vec![],
        vec![
            s("Anställningsnummer"),
            s("Namn"),
            s("E-post"),
            s("Enhet"),
            s("Befattning"),
            s("Anställningsform"),
        ],
    ];
    let titles = [
        "Undersköterska",
        "Socialsekreterare",
        "Förskollärare",
        "Handläggare",
        "Enhetschef",
        "Administratör",
    ];
    for (i, p) in staff.iter().enumerate() {
        rows.push(vec![
            C::N(p.number as f64),
            s(&p.name),
            s(&p.email),
            s(p.unit),
            s(titles[i % titles.len()]),
            s(if i % 9 == 0 { "Visstid" } else { "Tillsvidare" }),
        ]);
    }
    rows.push(vec![]);
    rows.push(vec![s("Summa"), C::N(staff.len() as f64)]);
    write_xlsx(
        &dir.join("HR Personalförteckning 2025-12-31.xlsx"),
        &[("Aktiva", rows)],
    )
}

/// The learning platform's export: one row per person and course.
fn training(dir: &Path, staff: &[Person], rng: &mut Rng) -> std::io::Result<()> {
    const INFOSAK: &str = "Grundläggande informationssäkerhet (e-learning)";
    const GDPR: &str = "Dataskydd och GDPR – grundkurs";
    let mut order: Vec<usize> = (0..staff.len()).collect();
    rng.shuffle(&mut order);
    // (name, e-mail, course, status, completion date)
    let mut lines: Vec<[String; 5]> = Vec::new();
    let date = |y: i32, m: u32, d: u32, dotted: bool| {
        if dotted {
            format!("{d:02}.{m:02}.{y}")
        } else {
            format!("{y}-{m:02}-{d:02}")
        }
    };
    let mut add = |p: &Person, course: &str, status: &str, when: String| {
        lines.push([
            p.name.clone(),
            p.email.clone(),
            course.to_string(),
            status.to_string(),
            when,
        ]);
    };
    let mut k = 0usize;
    let mut take = |n: usize| {
        let group: Vec<usize> = order[k..k + n].to_vec();
        k += n;
        group
    };
    // 38 completed both by the end of 2024.
    for (j, i) in take(38).into_iter().enumerate() {
        let p = &staff[i];
        let m = 1 + (j % 12) as u32;
        add(
            p,
            INFOSAK,
            "Genomförd",
            date(2023 + (j % 2) as i32, m, 3 + (j % 20) as u32, j % 5 == 0),
        );
        add(
            p,
            GDPR,
            "Genomförd",
            date(2024, m, 10 + (j % 15) as u32, false),
        );
        if j % 7 == 0 {
            // Took the course again; the earliest completion counts.
            add(p, INFOSAK, "Genomförd", date(2025, 3, 12, false));
        }
    }
    // 28 more completed both during 2025 (total 66).
    for (j, i) in take(28).into_iter().enumerate() {
        let p = &staff[i];
        let m = 1 + (j % 11) as u32;
        add(
            p,
            INFOSAK,
            "Genomförd",
            date(2024 + (j % 2) as i32, m, 5 + (j % 20) as u32, false),
        );
        add(
            p,
            GDPR,
            "Genomförd",
            date(2025, m + 1, 2 + (j % 25) as u32, j % 4 == 0),
        );
    }
    // 46 completed only information security, 24 only data protection.
    for (j, i) in take(46).into_iter().enumerate() {
        add(
            &staff[i],
            INFOSAK,
            "Genomförd",
            date(2025, 1 + (j % 12) as u32, 15, false),
        );
        if j % 3 == 0 {
            add(&staff[i], GDPR, "Pågående", String::new());
        }
    }
    for (j, i) in take(24).into_iter().enumerate() {
        add(
            &staff[i],
            GDPR,
            "Genomförd",
            date(2024 + (j % 2) as i32, 2 + (j % 10) as u32, 20, false),
        );
    }
    // 9 finished the second course in January 2026: not completed in 2025.
    for (j, i) in take(9).into_iter().enumerate() {
        add(
            &staff[i],
            INFOSAK,
            "Genomförd",
            date(2025, 11, 3 + j as u32, false),
        );
        add(
            &staff[i],
            GDPR,
            "Genomförd",
            date(2026, 1, 8 + j as u32, false),
        );
    }
    // 30 enrolled but not finished.
    for (j, i) in take(30).into_iter().enumerate() {
        add(
            &staff[i],
            if j % 2 == 0 { INFOSAK } else { GDPR },
            if j % 3 == 0 {
                "Ej påbörjad"
            } else {
                "Pågående"
            },
            String::new(),
        );
    }
    // A voluntary course for some.
    for i in take(20) {
        add(
            &staff[i],
            "Säker hantering av e-post",
            "Genomförd",
            date(2025, 9, 30, false),
        );
    }
    // Former employees, not in the roster: not counted.
    let mut former_rng = Rng::new(77);
    for p in people(&mut former_rng, 12, 990_001, false) {
        add(&p, INFOSAK, "Genomförd", date(2024, 5, 5, false));
        add(&p, GDPR, "Genomförd", date(2024, 5, 6, false));
    }
    let mut text = String::from("Namn;E-post;Kurs;Status;Slutfört datum\r\n");
    for (j, [name, email, course, status, when]) in lines.iter().enumerate() {
        // Some rows carry the address in capitals, as the platform's SSO writes it.
        let email = if j % 11 == 0 {
            email.to_uppercase()
        } else {
            email.clone()
        };
        text.push_str(&format!("{name};{email};{course};{status};{when}\r\n"));
    }
    write_1252(&dir.join("Kursdeltagare_export.csv"), &text)
}

/// One incident of the IA export.
struct Incident {
    id: String,
    date: (i32, u32, u32),
    category: &'static str,
    personal: bool,
    imy: Option<u32>,
    msb: bool,
    unit: &'static str,
}

/// Category texts as the IA system writes them, with the count per year
/// (2025, 2024, 2023) and how many of them are personal data incidents.
const CATEGORIES: [(&str, [usize; 3], [usize; 3]); 9] = [
    ("Nätfiske/phishing", [6, 4, 5], [0, 0, 0]),
    ("Inbrott", [2, 1, 2], [0, 0, 0]),
    ("Förlorat tjänstekort (SITHS)", [3, 4, 2], [0, 0, 0]),
    ("Förlorad mobiltelefon", [6, 5, 4], [2, 3, 1]),
    ("Förlorad/stulen dator", [3, 2, 2], [3, 2, 1]),
    ("Felskick e-post", [12, 9, 7], [12, 9, 6]),
    ("Obehörig åtkomst", [4, 3, 2], [4, 3, 1]),
    ("Skadlig kod", [1, 1, 0], [0, 0, 0]),
    ("Övrigt", [2, 2, 2], [0, 0, 0]),
];

fn incidents(dir: &Path, rng: &mut Rng) -> Result<(), Box<dyn std::error::Error>> {
    let mut all: Vec<Incident> = Vec::new();
    for (y_index, year) in [2025, 2024, 2023].into_iter().enumerate() {
        let mut list: Vec<Incident> = Vec::new();
        for (text, counts, personal) in CATEGORIES {
            for k in 0..counts[y_index] {
                list.push(Incident {
                    id: String::new(),
                    date: (year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32),
                    category: text,
                    personal: k < personal[y_index],
                    imy: None,
                    msb: false,
                    unit: UNITS[rng.below(UNITS.len())].0,
                });
            }
        }
        list.sort_by_key(|i| i.date);
        // Reports to IMY: 2025 three (one late, 5 days), 2024 two; MSB one in 2025.
        let misdirected: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].category == "Felskick e-post")
            .collect();
        let unauthorised: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].category == "Obehörig åtkomst")
            .collect();
        match year {
            2025 => {
                list[misdirected[1]].imy = Some(2);
                list[misdirected[5]].imy = Some(5);
                list[unauthorised[0]].imy = Some(1);
                if let Some(m) = list.iter_mut().find(|i| i.category == "Skadlig kod") {
                    m.msb = true;
                }
            }
            2024 => {
                list[misdirected[2]].imy = Some(3);
                list[unauthorised[1]].imy = Some(2);
            }
            _ => {}
        }
        for (n, i) in list.iter_mut().enumerate() {
            i.id = format!("IA-{year}-{:04}", 101 + n * 3);
        }
        all.extend(list);
    }
    let header = [
        "Ärendenummer",
        "Registrerad",
        "Händelsedatum",
        "Upptäckt datum",
        "Händelsetyp",
        "Personuppgiftsincident",
        "Anmäld till IMY",
        "Anmält datum",
        "Anmäld till MSB",
        "Enhet",
        "Beskrivning",
        "Ärendestatus",
    ];
    let descriptions = [
        "Medarbetare fick e-post som uppgav sig komma från IT-supporten",
        "Brev med uppgifter om en brukare skickades till fel adress",
        "Telefon glömd på bussen, spärrad samma dag",
        "Dörr uppbruten på enhetens kontor under natten",
    ];
    let row_of = |i: &Incident, n: usize| -> Vec<C> {
        let (y, m, d) = i.date;
        let discovered = add_days(i.date, (n % 2) as i64);
        let registered = add_days(discovered, (n % 3) as i64);
        let imy_date = i.imy.map(|days| add_days(discovered, days as i64));
        vec![
            s(&i.id),
            C::D(registered.0, registered.1, registered.2),
            C::D(y, m, d),
            C::D(discovered.0, discovered.1, discovered.2),
            s(i.category),
            s(if i.personal { "Ja" } else { "Nej" }),
            if i.imy.is_some() {
                s("Ja")
            } else if i.personal {
                s("Nej")
            } else {
                C::Blank
            },
            match imy_date {
                Some((y, m, d)) => C::D(y, m, d),
                None => C::Blank,
            },
            if i.msb { s("Ja") } else { C::Blank },
            s(i.unit),
            s(descriptions[n % descriptions.len()]),
            s("Avslutat"),
        ]
    };
    let mut rows = vec![
        vec![s(
            "Informationssäkerhetsärenden – Kungsholmens stadsdelsförvaltning",
        )],
        vec![s(
            "Utsökning: registrerade 2023-01-01 – 2025-12-31. Utskriven 2026-01-08.",
        )],
        vec![],
        header.iter().map(|h| s(h)).collect(),
    ];
    let mut q4 = vec![header
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(";")];
    for (n, i) in all.iter().enumerate() {
        rows.push(row_of(i, n));
        // The DSO exported the last quarter again by hand: the same cases, counted once.
        if i.date.0 == 2025 && i.date.1 >= 10 && i.personal {
            let discovered = add_days(i.date, (n % 2) as i64);
            let registered = add_days(discovered, (n % 3) as i64);
            let imy = i
                .imy
                .map(|d| iso(add_days(discovered, d as i64)))
                .unwrap_or_default();
            q4.push(format!(
                "{};{};{};{};{};Ja;{};{};{};{};\"{}\";Avslutat",
                i.id,
                iso(registered),
                iso(i.date),
                iso(discovered),
                i.category,
                if i.imy.is_some() { "Ja" } else { "Nej" },
                imy,
                if i.msb { "Ja" } else { "" },
                i.unit,
                descriptions[n % descriptions.len()],
            ));
        }
    }
    write_xlsx(
        &dir.join("IA-export ärenden 2023-2025.xlsx"),
        &[("Ärenden", rows)],
    )?;
    // UTF-8 with BOM, as Excel saves "CSV UTF-8".
    let text = format!("\u{feff}{}\r\n", q4.join("\r\n"));
    std::fs::write(dir.join("Personuppgiftsincidenter kv4 2025.csv"), text)?;
    Ok(())
}

fn iso((y, m, d): (i32, u32, u32)) -> String {
    format!("{y}-{m:02}-{d:02}")
}

pub fn add_days((y, m, d): (i32, u32, u32), days: i64) -> (i32, u32, u32) {
    let days_in = |y: i32, m: u32| match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    };
    let (mut y, mut m, mut d) = (y, m, d as i64 + days);
    while d > days_in(y, m) {
        d -= days_in(y, m);
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    (y, m, d as u32)
}

/// The register of processing's columns, as the samples write them.
pub const REGISTER_HEADER: [&str; 10] = [
    "Behandling",
    "Ändamål",
    "Rättslig grund",
    "Kategorier av registrerade",
    "Kategorier av personuppgifter",
    "Mottagare",
    "Lagringstid",
    "Säkerhetsåtgärder",
    "Ansvarig",
    "Senast reviderad",
];

/// A filled-in value for each Art. 30 column (columns 1..=7 of [`REGISTER_HEADER`]).
pub const REGISTER_FILLED: [&str; 7] = [
    "Handläggning enligt lag",
    "Myndighetsutövning, art. 6.1 e",
    "Sökande, anhöriga",
    "Kontaktuppgifter, ekonomiska uppgifter",
    "Försäkringskassan, Skatteverket",
    "Gallras efter 5 år enligt dokumenthanteringsplan",
    "Behörighetsstyrning, loggning",
];

/// (name of the processing, index of the missing Art. 30 field, last reviewed)
type ActivitySpec = (&'static str, Option<usize>, (i32, u32, u32));

fn register(dir: &Path) -> Result<(), XlsxError> {
    let activities: [ActivitySpec; 24] = [
        ("Ekonomiskt bistånd", None, (2025, 3, 14)),
        ("Handläggning av försörjningsstöd", None, (2025, 3, 14)),
        ("Biståndsbedömning äldreomsorg", None, (2025, 5, 2)),
        ("Hemtjänst – genomförandeplaner", Some(4), (2024, 2, 1)),
        ("Förskoleplacering och kö", None, (2025, 1, 20)),
        ("Barnavårdsutredningar", None, (2025, 6, 11)),
        ("Orosanmälningar", None, (2025, 6, 11)),
        ("Synpunkter och klagomål", Some(3), (2023, 9, 30)),
        ("Personaladministration", None, (2025, 2, 3)),
        ("Rekrytering", Some(4), (2024, 11, 15)),
        ("Lönehantering", None, (2025, 2, 3)),
        ("Diarieföring och registratur", None, (2025, 8, 22)),
        ("Föreningsbidrag", Some(5), (2023, 4, 4)),
        (
            "Fritidsverksamhet – medlemsregister",
            Some(0),
            (2022, 10, 10),
        ),
        (
            "Parkeringstillstånd för rörelsehindrade",
            None,
            (2025, 9, 1),
        ),
        ("Bostadsanpassning", None, (2025, 9, 1)),
        ("Kameraövervakning av lokaler", Some(6), (2024, 1, 17)),
        ("Passerkort och behörigheter", None, (2025, 4, 28)),
        ("Nyhetsbrev och utskick", Some(1), (2025, 10, 6)),
        ("Medborgardialog och enkäter", Some(2), (2024, 6, 30)),
        ("Familjerätt", None, (2025, 7, 1)),
        ("Färdtjänstutredning", None, (2024, 8, 19)),
        ("Avvikelsehantering (lex Sarah)", Some(5), (2025, 11, 12)),
        ("Konsumentvägledning", None, (2023, 12, 1)),
    ];
    let header = REGISTER_HEADER;
    let filled = REGISTER_FILLED;
    // Register field order of the header (columns 1..=7) against the fill texts above.
    let mut rows = vec![
        vec![s(
            "Registerförteckning enligt artikel 30 dataskyddsförordningen",
        )],
        header.iter().map(|h| s(h)).collect(),
    ];
    for (name, missing, (y, m, d)) in activities {
        let mut row = vec![s(name)];
        for (k, text) in filled.iter().enumerate() {
            row.push(if missing == Some(k) {
                if k % 2 == 0 {
                    C::Blank
                } else {
                    s("?")
                }
            } else {
                s(text)
            });
        }
        row.push(s("Avdelningschef"));
        row.push(C::D(y, m, d));
        rows.push(row);
    }
    write_xlsx(
        &dir.join("Registerförteckning Kungsholmen.xlsx"),
        &[("Behandlingar", rows)],
    )
}

fn classification(dir: &Path) -> Result<(), XlsxError> {
    let assets: [(&str, [&str; 3]); 18] = [
        ("Paraplysystemet (socialtjänst)", ["4", "4", "3"]),
        ("Lifecare (äldreomsorg)", ["3", "4", "3"]),
        ("Förskolans planeringsverktyg", ["2", "2", "2"]),
        ("Ekonomisystemet", ["2", "3", "2"]),
        ("HR-systemet", ["3", "3", "2"]),
        ("Diariet", ["2", "3", "2"]),
        ("E-post och kalender", ["2", "2", "3"]),
        ("Intranätet", ["1", "2", "2"]),
        ("Kameraövervakning", ["3", "2", "1"]),
        ("Passersystemet", ["2", "3", "3"]),
        ("Föreningsregistret", ["2", "2", "1"]),
        ("Webbplatsen", ["0", "2", "2"]),
        ("Verksamhetsplaneringen", ["1", "2", "1"]),
        ("Fritidsgårdarnas medlemslistor", ["2", "", ""]),
        ("Enkätverktyget", ["", "", ""]),
        ("Kontaktcenters ärendehantering", ["3", "Ej klassad", ""]),
        ("Bokningssystemet för lokaler", ["", "", ""]),
        ("Nyhetsbrevstjänsten", ["1", "1", ""]),
    ];
    let mut rows = vec![
        vec![s("KLASSA – förteckning över informationsklassningar")],
        vec![s("Organisation: Kungsholmens stadsdelsförvaltning")],
        vec![
            s("Informationstillgång"),
            s("Konfidentialitet"),
            s("Riktighet"),
            s("Tillgänglighet"),
            s("Klassad datum"),
            s("Informationsägare"),
        ],
    ];
    for (name, levels) in assets {
        let mut row = vec![s(name)];
        for l in levels {
            row.push(match l.parse::<f64>() {
                Ok(n) => C::N(n),
                Err(_) if l.is_empty() => C::Blank,
                Err(_) => s(l),
            });
        }
        row.push(if levels.iter().all(|l| l.parse::<f64>().is_ok()) {
            C::D(2025, 4, 15)
        } else {
            C::Blank
        });
        row.push(s("Avdelningschef"));
        rows.push(row);
    }
    write_xlsx(&dir.join("KLASSA export.xlsx"), &[("Klassningar", rows)])
}

fn risks(dir: &Path) -> Result<(), XlsxError> {
    let list: [(&str, u32, u32, &str, &str); 10] = [
        (
            "Otydlighet i hantering av registerförteckningen",
            4,
            4,
            "Öppen",
            "Ta fram rutin för löpande uppdatering",
        ),
        (
            "Lokala anvisningar för informationssäkerhet är inte kända av alla",
            4,
            3,
            "Öppen",
            "Revidera och kommunicera lokal anvisning",
        ),
        (
            "Roller i informationssäkerhetsarbetet är inte tillsatta",
            3,
            4,
            "Öppen",
            "Utse informationsägare per system",
        ),
        (
            "Personuppgifter skickas till fel mottagare",
            5,
            3,
            "Pågående",
            "Utbildning och spärr för extern e-post",
        ),
        (
            "Förlust av mobila enheter med känslig information",
            3,
            3,
            "Pågående",
            "Krypterade enheter och fjärrlåsning",
        ),
        (
            "Nätfiske leder till kapade konton",
            2,
            5,
            "Pågående",
            "Tvåfaktorsinloggning",
        ),
        (
            "Behörigheter tas inte bort när anställning upphör",
            2,
            3,
            "Öppen",
            "Förvaltningsövergripande behörighetsrutin",
        ),
        (
            "Inbrott i lokaler med arkiv",
            2,
            2,
            "Hanterad",
            "Larm och låsta arkivskåp",
        ),
        (
            "Leverantör saknar personuppgiftsbiträdesavtal",
            1,
            4,
            "Hanterad",
            "Avtal tecknat",
        ),
        (
            "Otillräcklig kontinuitetsplan vid it-avbrott",
            3,
            2,
            "Öppen",
            "Ta fram reservrutiner",
        ),
    ];
    let mut rows = vec![vec![
        s("Risk"),
        s("Sannolikhet"),
        s("Konsekvens"),
        s("Riskvärde"),
        s("Status"),
        s("Åtgärd"),
        s("Riskägare"),
    ]];
    for (risk, l, c, status, action) in list {
        rows.push(vec![
            s(risk),
            C::N(l as f64),
            C::N(c as f64),
            C::N((l * c) as f64),
            s(status),
            s(action),
            s("Förvaltningsledningen"),
        ]);
    }
    write_xlsx(&dir.join("Riskregister 2025.xlsx"), &[("Risker", rows)])
}

fn actions(dir: &Path) -> Result<(), XlsxError> {
    let list: [(&str, &str, C, C); 10] = [
        (
            "Informationssäkerhetsmånaden: kampanj för medarbetare",
            "Klar",
            C::D(2025, 10, 31),
            C::N(2025.0),
        ),
        (
            "Informationsklassning inför upphandling av digitala verktyg",
            "Klar",
            C::D(2025, 6, 30),
            C::N(2025.0),
        ),
        (
            "Delta i normerande klassningar centralt",
            "Klar",
            C::D(2025, 12, 15),
            C::N(2025.0),
        ),
        (
            "Uppdatera incidentrapportering i IA",
            "Avslutad",
            C::D(2025, 4, 30),
            C::N(2025.0),
        ),
        (
            "Revidera lokal anvisning för informationssäkerhet",
            "Pågående",
            C::D(2025, 9, 30),
            C::N(2025.0),
        ),
        (
            "Ta fram rutin för löpande uppdatering av registerförteckning",
            "Ej påbörjad",
            C::D(2025, 11, 30),
            C::N(2025.0),
        ),
        (
            "Förvaltningsövergripande rutin för behörighetshantering",
            "Pågående",
            s("2025-12-01"),
            C::N(2025.0),
        ),
        (
            "Säkerställa efterlevnad av nya cybersäkerhetslagen (NIS2)",
            "Ej påbörjad",
            s("2026 Q2"),
            C::N(2026.0),
        ),
        (
            "Ta fram en rutin för informationssäkerhetsincident",
            "Pågående",
            C::D(2026, 3, 31),
            C::N(2026.0),
        ),
        (
            "Informationsklassning av system med känsliga personuppgifter",
            "Planerad",
            s("2026"),
            C::N(2026.0),
        ),
    ];
    let mut rows = vec![
        vec![s(
            "Handlingsplan informationssäkerhet och dataskydd 2025–2026",
        )],
        vec![],
        vec![
            s("Åtgärd"),
            s("Status"),
            s("Ansvarig"),
            s("Klart senast"),
            s("År"),
        ],
    ];
    for (action, status, deadline, year) in list {
        rows.push(vec![s(action), s(status), s("ISAM"), deadline, year]);
    }
    write_xlsx(&dir.join("Handlingsplan 2025.xlsx"), &[("Åtgärder", rows)])
}

const OMVARLD: &str = "Omvärldsbevakningen visar att hoten mot offentlig förvaltning fortsätter att öka. Nätfiske och bedrägeriförsök via e-post och telefon är de vanligaste angreppen mot medarbetare, och angrepp mot leverantörer påverkar allt oftare kommunernas verksamhet.

- Nätfiske och kapade konton är fortsatt den vanligaste vägen in.
- Angrepp mot leverantörer och molntjänster påverkar många kunder samtidigt.
- Det säkerhetspolitiska läget ställer högre krav på beredskap och kontinuitet.
";

const STADEN: &str = "Staden har under året arbetat med att införa kraven i den nya cybersäkerhetslagen. CERT Stockholm har tagits i drift under 2025 och är stadens funktion för att upptäcka, hantera och samordna it-säkerhetsincidenter.

Stadens riktlinje för informationssäkerhet är en bilaga till stadens kvalitetsprogram, och förvaltningens lokala anvisning ska revideras utifrån den.
";
