//! Writes a whole city for `genomgang batch`: 28 förvaltningar (13 stadsdelsförvaltningar
//! and 15 fackförvaltningar, named after Stockholm's), each in its own folder with an HR
//! roster, a training list, a register of processing, a KLASSA listing, a risk register and
//! an action plan, plus ONE city-wide incident export directly in the root folder with a
//! Förvaltning column that `batch` splits by unit. Fake people only.
//!
//! The training lists come in the shapes real exports have: a Windows-1252 semicolon CSV
//! from the learning platform, an xlsx list with title rows, a wide matrix with one column
//! per course (date, "Genomförd", "X" or blank), and an OpenDocument spreadsheet (.ods,
//! written with the `zip` crate the product already depends on) for two small units.
//!
//! At scale 1 the city has 50 000 employees and about 200 000 input data rows; `--scale N`
//! multiplies people and rows (fractions such as 0.02 give a small city for tests).
//! Deterministic: the same arguments write the same bytes. Every unit's true KPIs are
//! known by construction and written to `OUT_DIR/facit.json`.
//!
//! Run: `cargo run --release --example make_city -- OUT_DIR [--scale N]`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

#[allow(dead_code)]
#[path = "make_samples.rs"]
mod make_samples;

use make_samples::{
    add_days, ascii_mail, s, write_1252, write_xlsx, Rng, C, FIRST_NAMES, LAST_NAMES,
};

/// The review year the city is generated for (set in the root `genomgang.toml`).
pub const YEAR: i32 = 2025;

/// Errors as text, so units can be written in parallel.
type Res<T> = Result<T, String>;

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<String> = None;
    let mut scale = 1.0f64;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--scale" => {
                scale = match args.next().and_then(|v| v.parse::<f64>().ok()) {
                    Some(v) if v > 0.0 => v,
                    _ => {
                        eprintln!("make_city: --scale kräver ett positivt tal, t.ex. --scale 16");
                        std::process::exit(2);
                    }
                }
            }
            _ if out.is_none() => out = Some(a),
            _ => {
                eprintln!("make_city: okänt argument {a}");
                eprintln!("Användning: make_city UTMAPP [--scale N]");
                std::process::exit(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("Användning: make_city UTMAPP [--scale N]");
        std::process::exit(2);
    };
    match write_city(Path::new(&out), scale) {
        Ok(city) => {
            let people: u64 = city.facit.values().map(|k| k["training.headcount"]).sum();
            println!(
                "Skrev staden till {out}: {} förvaltningar, {people} anställda, {} indatarader (skala {scale})",
                city.facit.len(),
                city.input_rows
            );
        }
        Err(e) => {
            eprintln!("make_city: {e}");
            std::process::exit(1);
        }
    }
}

/// How a unit's learning platform exports its training list.
#[derive(Clone, Copy, PartialEq)]
enum TrainingFormat {
    /// Windows-1252 semicolon CSV, matched to the roster by e-mail.
    Csv,
    /// xlsx long list with title rows, matched by employee number.
    Xlsx,
    /// xlsx wide matrix, one column per course.
    Wide,
    /// OpenDocument long list.
    Ods,
}
use TrainingFormat::*;

/// (folder name, name as written in the city's incident system, employees at scale 1,
/// training export format)
const UNITS: [(&str, &str, u32, TrainingFormat); 28] = [
    (
        "Rinkeby-Kista",
        "Rinkeby-Kista stadsdelsförvaltning",
        2400,
        Csv,
    ),
    ("Spånga-Tensta", "Spånga-Tensta SDF", 1500, Csv),
    (
        "Hässelby-Vällingby",
        "Hässelby-Vällingby stadsdelsförvaltning",
        2800,
        Csv,
    ),
    ("Bromma", "Bromma stadsdelsförvaltning", 2200, Xlsx),
    (
        "Kungsholmen",
        "Kungsholmens stadsdelsförvaltning",
        1600,
        Csv,
    ),
    ("Norrmalm", "Norrmalms stadsdelsförvaltning", 1400, Wide),
    ("Östermalm", "Östermalm", 1500, Csv),
    ("Södermalm", "Södermalms stadsdelsförvaltning", 3000, Csv),
    (
        "Enskede-Årsta-Vantör",
        "Enskede-Årsta-Vantörs stadsdelsförvaltning",
        3000,
        Xlsx,
    ),
    ("Skarpnäck", "Skarpnäck SDF", 1300, Wide),
    ("Farsta", "Farsta stadsdelsförvaltning", 2200, Csv),
    ("Hägersten-Älvsjö", "Hägersten-Älvsjö SDF", 3150, Csv),
    ("Skärholmen", "Skärholmens stadsdelsförvaltning", 1300, Csv),
    (
        "Utbildningsförvaltningen",
        "Utbildningsförvaltningen",
        14000,
        Xlsx,
    ),
    ("Socialförvaltningen", "Socialförvaltningen", 2200, Xlsx),
    ("Äldreförvaltningen", "Äldreförvaltningen", 400, Csv),
    ("Kulturförvaltningen", "Kulturförvaltningen", 900, Xlsx),
    ("Idrottsförvaltningen", "Idrottsförvaltningen", 700, Csv),
    ("Miljöförvaltningen", "Miljöförvaltningen", 350, Wide),
    ("Stadsbyggnadskontoret", "Stadsbyggnadskontoret", 450, Xlsx),
    ("Exploateringskontoret", "Exploateringskontoret", 300, Wide),
    ("Trafikkontoret", "Trafikkontoret", 600, Xlsx),
    ("Fastighetskontoret", "Fastighetskontoret", 300, Csv),
    (
        "Arbetsmarknadsförvaltningen",
        "Arbetsmarknadsförvaltningen",
        800,
        Xlsx,
    ),
    ("Serviceförvaltningen", "Serviceförvaltningen", 600, Xlsx),
    ("Stadsledningskontoret", "Stadsledningskontoret", 650, Xlsx),
    (
        "Överförmyndarförvaltningen",
        "Överförmyndarförvaltningen",
        150,
        Ods,
    ),
    (
        "Kyrkogårdsförvaltningen",
        "Kyrkogårdsförvaltningen",
        250,
        Ods,
    ),
];

const SDF_ENHETER: [&str; 8] = [
    "Äldreomsorg",
    "Individ- och familjeomsorg",
    "Förskola",
    "Socialpsykiatri",
    "Stadsmiljö",
    "Kultur och fritid",
    "Administrativa avdelningen",
    "Ekonomi och HR",
];
const FACK_ENHETER: [&str; 6] = [
    "Verksamhetsavdelningen",
    "Avdelning för digitalisering",
    "Ekonomiavdelningen",
    "HR-avdelningen",
    "Kommunikationsavdelningen",
    "Kansliet",
];
const TITLES: [&str; 8] = [
    "Undersköterska",
    "Socialsekreterare",
    "Förskollärare",
    "Handläggare",
    "Enhetschef",
    "Administratör",
    "Lärare",
    "Utredare",
];

const INFOSAK: &str = "Grundläggande informationssäkerhet (e-learning)";
const GDPR: &str = "Dataskydd och GDPR – grundkurs";
/// Voluntary courses; their names must not contain a mandatory course's match words.
const VOLUNTARY: [&str; 2] = ["Säker hantering av e-post", "Brandskydd grundkurs"];

/// Facit of one unit: KPI id → true value.
pub type Facit = BTreeMap<String, BTreeMap<String, u64>>;

/// A date (year, month, day); days stop at 28 so every month has them.
type Ymd = (i32, u32, u32);

/// What a person's record says about one course.
#[derive(Clone, Copy, PartialEq)]
enum Course {
    Absent,
    InProgress,
    NotStarted,
    /// Completed; `None` when the export gives no date.
    Done(Option<Ymd>),
}

impl Course {
    /// Completed on or before 31 Dec of the review year (undated counts as done by then).
    fn counts(self) -> bool {
        match self {
            Course::Done(None) => true,
            Course::Done(Some((y, _, _))) => y <= YEAR,
            _ => false,
        }
    }
}

struct Person {
    number: u32,
    name: String,
    email: String,
    unit: &'static str,
    /// Mandatory courses: information security, data protection.
    mandatory: [Course; 2],
    voluntary: [Course; 2],
    /// Took information security again (a second completion row).
    retake: Option<Ymd>,
}

fn date_in(rng: &mut Rng, from_year: i32, to_year: i32) -> Ymd {
    let years = (to_year - from_year + 1) as usize;
    (
        from_year + rng.below(years) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
}

/// Uniform in [0, 1).
fn unit_f(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// `base × scale`, rounded, at least `min`.
fn scaled(base: f64, scale: f64, min: usize) -> usize {
    ((base * scale).round() as usize).max(min)
}

fn people(rng: &mut Rng, n: usize, first_number: u32, enheter: &[&'static str]) -> Vec<Person> {
    // Every unit has its own completion level, so the comparison shows differences.
    let p_both = 0.25 + 0.6 * unit_f(rng);
    (0..n)
        .map(|i| {
            let first = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.below(LAST_NAMES.len())];
            let number = first_number + i as u32;
            let done = |rng: &mut Rng| {
                if rng.below(40) == 0 {
                    Course::Done(None)
                } else {
                    Course::Done(Some(date_in(rng, 2022, YEAR)))
                }
            };
            let half = |rng: &mut Rng| {
                if rng.below(2) == 0 {
                    Course::InProgress
                } else {
                    Course::Absent
                }
            };
            let r = unit_f(rng);
            let mandatory = if r < p_both {
                [done(rng), done(rng)]
            } else if r < p_both + 0.10 {
                [done(rng), half(rng)]
            } else if r < p_both + 0.16 {
                [half(rng), done(rng)]
            } else if r < p_both + 0.19 {
                // Finished the second course in January of the next year: not counted.
                [
                    done(rng),
                    Course::Done(Some((YEAR + 1, 1, 2 + rng.below(26) as u32))),
                ]
            } else if rng.below(3) == 0 {
                [Course::NotStarted, Course::Absent]
            } else {
                [half(rng), Course::Absent]
            };
            let voluntary = [
                if rng.below(10) < 5 {
                    done(rng)
                } else {
                    Course::Absent
                },
                if rng.below(10) < 5 {
                    done(rng)
                } else {
                    Course::Absent
                },
            ];
            let retake = (matches!(mandatory[0], Course::Done(Some(_))) && rng.below(20) == 0)
                .then(|| date_in(rng, YEAR, YEAR));
            Person {
                number,
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}.{number}@stad.exempel.se",
                    ascii_mail(first),
                    ascii_mail(last)
                ),
                unit: enheter[rng.below(enheter.len())],
                mandatory,
                voluntary,
                retake,
            }
        })
        .collect()
}

/// The generated city: the true KPIs per unit and the number of input data rows.
pub struct City {
    pub facit: Facit,
    pub input_rows: usize,
}

/// Writes the city into `dir` and returns its facit (also written to `dir/facit.json`).
pub fn write_city(dir: &Path, scale: f64) -> Res<City> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(
        dir.join("genomgang.toml"),
        format!("# Stadens gemensamma inställningar för ledningens genomgång.\nyear = {YEAR}\n"),
    )
    .map_err(|e| e.to_string())?;
    let units: Vec<(String, BTreeMap<String, u64>, usize)> = UNITS
        .par_iter()
        .enumerate()
        .map(|(index, spec)| write_unit(dir, index, spec, scale))
        .collect::<Res<Vec<_>>>()?;
    let mut input_rows: usize = units.iter().map(|u| u.2).sum();
    let mut facit: Facit = units
        .into_iter()
        .map(|(name, kpis, _)| (name, kpis))
        .collect();
    input_rows += incidents(dir, scale, &mut facit)?;
    let doc = serde_json::json!({
        "scale": scale,
        "year": YEAR,
        "input_rows": input_rows,
        "units": facit,
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("facit.json"), text + "\n").map_err(|e| e.to_string())?;
    Ok(City { facit, input_rows })
}

fn write_unit(
    root: &Path,
    index: usize,
    &(name, _, base, format): &(&str, &str, u32, TrainingFormat),
    scale: f64,
) -> Res<(String, BTreeMap<String, u64>, usize)> {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut rng = Rng::new(0xC17E_0000 + index as u64);
    let sdf = index < 13;
    let enheter: &[&'static str] = if sdf { &SDF_ENHETER } else { &FACK_ENHETER };
    let n = scaled(base as f64, scale, 3);
    let first_number = (index as u32 + 1) * 1_000_000;
    let staff = people(&mut rng, n, first_number, enheter);
    let mut kpis: BTreeMap<String, u64> = BTreeMap::new();
    kpis.insert("training.headcount".into(), n as u64);
    kpis.insert(
        "training.completed_all".into(),
        staff
            .iter()
            .filter(|p| p.mandatory.iter().all(|c| c.counts()))
            .count() as u64,
    );
    let mut rows = roster(&dir, name, &staff)?;
    // Former employees still in the training list: not in the roster, not counted.
    let mut former = people(&mut rng, (n / 100).max(1), first_number + 900_000, enheter);
    for p in &mut former {
        p.mandatory = [
            Course::Done(Some((2023, 5, 5))),
            Course::Done(Some((2023, 5, 6))),
        ];
    }
    rows += training(&dir, name, format, &staff, &former, &mut rng)?;
    let (r, k) = register(&dir, name, scale, &mut rng)?;
    rows += r;
    kpis.insert("register.activities".into(), k as u64);
    let (r, k) = classification(&dir, name, scale, &mut rng)?;
    rows += r;
    kpis.insert("classification.assets".into(), k as u64);
    let (r, k) = risks(&dir, name, scale, &mut rng)?;
    rows += r;
    kpis.insert("risks.total".into(), k as u64);
    let (r, k) = actions(&dir, name, scale, &mut rng)?;
    rows += r;
    kpis.insert("actions.total".into(), k as u64);
    Ok((name.to_string(), kpis, rows))
}

fn xerr(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// Excel's sheet holds 1 048 576 rows; longer lists go on more sheets, header repeated.
fn write_sheets(path: &Path, sheet: &str, head: Vec<Vec<C>>, body: Vec<Vec<C>>) -> Res<()> {
    const MAX: usize = 1_000_000;
    if body.len() <= MAX {
        let mut rows = head;
        rows.extend(body);
        return write_xlsx(path, &[(sheet, rows)]).map_err(xerr(path));
    }
    let names: Vec<String> = (1..=body.len().div_ceil(MAX))
        .map(|i| format!("{sheet} {i}"))
        .collect();
    let mut sheets: Vec<(&str, Vec<Vec<C>>)> = Vec::new();
    let mut body = body.into_iter();
    for name in &names {
        let mut rows: Vec<Vec<C>> = head.iter().map(|r| r.iter().map(copy).collect()).collect();
        rows.extend(body.by_ref().take(MAX));
        sheets.push((name.as_str(), rows));
    }
    write_xlsx(path, &sheets).map_err(xerr(path))
}

fn copy(c: &C) -> C {
    match c {
        C::S(t) => C::S(t.clone()),
        C::N(x) => C::N(*x),
        C::D(y, m, d) => C::D(*y, *m, *d),
        C::Blank => C::Blank,
    }
}

fn roster(dir: &Path, unit: &str, staff: &[Person]) -> Res<usize> {
    let head = vec![
        vec![s(&format!("Personalförteckning {unit} per {YEAR}-12-31"))],
        vec![s("Källa: HR-systemet, aktiva anställningar")],
        vec![],
        vec![
            s("Anställningsnummer"),
            s("Namn"),
            s("E-post"),
            s("Förvaltning"),
            s("Enhet"),
            s("Befattning"),
            s("Anställningsform"),
        ],
    ];
    let mut body: Vec<Vec<C>> = staff
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                C::N(p.number as f64),
                s(&p.name),
                s(&p.email),
                s(unit),
                s(p.unit),
                s(TITLES[(p.number as usize * 7 + i) % TITLES.len()]),
                s(if i % 9 == 0 { "Visstid" } else { "Tillsvidare" }),
            ]
        })
        .collect();
    body.push(vec![]);
    body.push(vec![s("Summa"), C::N(staff.len() as f64)]);
    let path = dir.join(format!("HR Personalförteckning {YEAR}-12-31.xlsx"));
    write_sheets(&path, "Aktiva", head, body)?;
    Ok(staff.len())
}

/// One line of a long training list.
struct Line<'a> {
    p: &'a Person,
    course: &'static str,
    status: Course,
}

fn long_lines<'a>(staff: &'a [Person], former: &'a [Person], rng: &mut Rng) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for p in staff.iter().chain(former) {
        let courses = [
            (INFOSAK, p.mandatory[0]),
            (GDPR, p.mandatory[1]),
            (VOLUNTARY[0], p.voluntary[0]),
            (VOLUNTARY[1], p.voluntary[1]),
        ];
        for (course, status) in courses {
            if status != Course::Absent {
                lines.push(Line { p, course, status });
            }
        }
        if let Some(d) = p.retake {
            lines.push(Line {
                p,
                course: INFOSAK,
                status: Course::Done(Some(d)),
            });
        }
    }
    // The platform lists by course enrolment, not by person.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    rng.shuffle(&mut order);
    let mut slots: Vec<Option<Line>> = lines.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn status_text(c: Course) -> &'static str {
    match c {
        Course::Done(_) => "Genomförd",
        Course::InProgress => "Pågående",
        Course::NotStarted => "Ej påbörjad",
        Course::Absent => "",
    }
}

fn training(
    dir: &Path,
    unit: &str,
    format: TrainingFormat,
    staff: &[Person],
    former: &[Person],
    rng: &mut Rng,
) -> Res<usize> {
    match format {
        Csv => {
            let lines = long_lines(staff, former, rng);
            let mut text = String::from("Namn;E-post;Kurs;Status;Slutfört datum\r\n");
            for (j, l) in lines.iter().enumerate() {
                // Some rows carry the address in capitals, as the platform's SSO writes it.
                let email = if j % 11 == 0 {
                    l.p.email.to_uppercase()
                } else {
                    l.p.email.clone()
                };
                let when = match l.status {
                    Course::Done(Some((y, m, d))) if j % 5 == 0 => format!("{d:02}.{m:02}.{y}"),
                    Course::Done(Some((y, m, d))) => format!("{y}-{m:02}-{d:02}"),
                    _ => String::new(),
                };
                text.push_str(&format!(
                    "{};{email};{};{};{when}\r\n",
                    l.p.name,
                    l.course,
                    status_text(l.status)
                ));
            }
            let path = dir.join("Kursdeltagare_export.csv");
            write_1252(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(lines.len())
        }
        Xlsx => {
            let lines = long_lines(staff, former, rng);
            let head = vec![
                vec![s(&format!(
                    "Kursdeltagare {unit} – utdrag ur lärplattformen"
                ))],
                vec![s(&format!("Utskrivet {}-01-08", YEAR + 1))],
                vec![],
                vec![
                    s("Anställningsnummer"),
                    s("Namn"),
                    s("Kursnamn"),
                    s("Status"),
                    s("Datum genomförd"),
                    s("Enhet"),
                ],
            ];
            let body: Vec<Vec<C>> = lines
                .iter()
                .map(|l| {
                    vec![
                        C::N(l.p.number as f64),
                        s(&l.p.name),
                        s(l.course),
                        s(status_text(l.status)),
                        match l.status {
                            Course::Done(Some((y, m, d))) => C::D(y, m, d),
                            _ => C::Blank,
                        },
                        s(l.p.unit),
                    ]
                })
                .collect();
            let n = body.len();
            write_sheets(
                &dir.join(format!("Utbildningsstatistik {YEAR}.xlsx")),
                "Kursdeltagare",
                head,
                body,
            )?;
            Ok(n)
        }
        Wide => {
            let head = vec![
                vec![s("Uppföljning av obligatoriska utbildningar")],
                vec![
                    s("Medarbetar-ID"),
                    s("Namn"),
                    s("Enhet"),
                    s("Grundläggande informationssäkerhet"),
                    s("Dataskydd GDPR"),
                    s("Utbildning säker e-post"),
                ],
            ];
            let cell = |c: Course, k: usize| match c {
                Course::Done(Some((y, m, d))) => C::D(y, m, d),
                Course::Done(None) if k.is_multiple_of(2) => s("X"),
                Course::Done(None) => s("Genomförd"),
                Course::InProgress => s("Pågående"),
                Course::NotStarted | Course::Absent => C::Blank,
            };
            let body: Vec<Vec<C>> = staff
                .iter()
                .chain(former)
                .enumerate()
                .map(|(k, p)| {
                    vec![
                        s(&p.number.to_string()),
                        s(&p.name),
                        s(p.unit),
                        cell(p.mandatory[0], k),
                        cell(p.mandatory[1], k + 1),
                        cell(p.voluntary[0], k),
                    ]
                })
                .collect();
            let n = body.len();
            write_sheets(&dir.join("Utbildningsmatris.xlsx"), "Matris", head, body)?;
            Ok(n)
        }
        Ods => {
            let lines = long_lines(staff, former, rng);
            let mut rows: Vec<Vec<C>> = vec![vec![
                s("Anst.nr"),
                s("Kurs"),
                s("Status"),
                s("Slutfört datum"),
            ]];
            for l in &lines {
                rows.push(vec![
                    C::N(l.p.number as f64),
                    s(l.course),
                    s(status_text(l.status)),
                    match l.status {
                        Course::Done(Some((y, m, d))) => s(&format!("{y}-{m:02}-{d:02}")),
                        _ => C::Blank,
                    },
                ]);
            }
            write_ods(&dir.join("Kursdeltagare.ods"), "Kursdeltagare", &rows)?;
            Ok(lines.len())
        }
    }
}

fn xml_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet: `mimetype` stored first, then the content and
/// the manifest; fixed timestamps keep it byte-stable.
fn write_ods(path: &Path, sheet: &str, rows: &[Vec<C>]) -> Res<()> {
    use zip::write::SimpleFileOptions;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut content = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        "<office:body><office:spreadsheet>"
    ));
    content.push_str(&format!(
        r#"<table:table table:name="{}">"#,
        xml_escape(sheet)
    ));
    for row in rows {
        content.push_str("<table:table-row>");
        for c in row {
            match c {
                C::S(t) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    xml_escape(t)
                )),
                C::N(x) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
                )),
                C::D(y, m, d) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{y}-{m:02}-{d:02}"><text:p>{y}-{m:02}-{d:02}</text:p></table:table-cell>"#
                )),
                C::Blank => content.push_str("<table:table-cell/>"),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        "</manifest:manifest>"
    );
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::DEFAULT);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("mimetype", stored).map_err(|e| err(&e))?;
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .map_err(|e| err(&e))?;
    z.start_file("content.xml", deflated).map_err(|e| err(&e))?;
    z.write_all(content.as_bytes()).map_err(|e| err(&e))?;
    z.start_file("META-INF/manifest.xml", deflated)
        .map_err(|e| err(&e))?;
    z.write_all(manifest.as_bytes()).map_err(|e| err(&e))?;
    let bytes = z.finish().map_err(|e| err(&e))?.into_inner();
    std::fs::write(path, bytes).map_err(|e| err(&e))
}

const ACTIVITIES: [&str; 16] = [
    "Ekonomiskt bistånd",
    "Biståndsbedömning",
    "Förskoleplacering och kö",
    "Barnavårdsutredningar",
    "Synpunkter och klagomål",
    "Personaladministration",
    "Rekrytering",
    "Lönehantering",
    "Diarieföring och registratur",
    "Föreningsbidrag",
    "Kameraövervakning av lokaler",
    "Passerkort och behörigheter",
    "Nyhetsbrev och utskick",
    "Medborgardialog och enkäter",
    "Avvikelsehantering (lex Sarah)",
    "Tillståndsprövning",
];

fn register(dir: &Path, unit: &str, scale: f64, rng: &mut Rng) -> Res<(usize, usize)> {
    let n = scaled(30.0 + rng.below(60) as f64, scale, 3);
    let header = make_samples::REGISTER_HEADER;
    let filled = make_samples::REGISTER_FILLED;
    let mut rows = vec![
        vec![s(&format!(
            "Registerförteckning enligt artikel 30 dataskyddsförordningen – {unit}"
        ))],
        header.iter().map(|h| s(h)).collect(),
    ];
    for k in 0..n {
        let mut row = vec![s(&format!(
            "{} {}",
            ACTIVITIES[k % ACTIVITIES.len()],
            k / ACTIVITIES.len() + 1
        ))];
        let missing = (rng.below(3) == 0).then(|| rng.below(filled.len()));
        for (i, text) in filled.iter().enumerate() {
            row.push(if missing == Some(i) {
                C::Blank
            } else {
                s(text)
            });
        }
        row.push(s("Avdelningschef"));
        let (y, m, d) = date_in(rng, 2022, YEAR);
        row.push(C::D(y, m, d));
        rows.push(row);
    }
    write_xlsx(
        &dir.join(format!("Registerförteckning {unit}.xlsx")),
        &[("Behandlingar", rows)],
    )
    .map_err(|e| e.to_string())?;
    Ok((n, n))
}

fn classification(dir: &Path, unit: &str, scale: f64, rng: &mut Rng) -> Res<(usize, usize)> {
    let systems = [
        "Ekonomisystemet",
        "HR-systemet",
        "Diariet",
        "E-post och kalender",
        "Intranätet",
        "Passersystemet",
        "Webbplatsen",
        "Verksamhetssystemet",
        "Bokningssystemet",
        "Enkätverktyget",
    ];
    let n = scaled(20.0 + rng.below(40) as f64, scale, 3);
    let mut rows = vec![
        vec![s("KLASSA – förteckning över informationsklassningar")],
        vec![s(&format!("Organisation: {unit}"))],
        vec![
            s("Informationstillgång"),
            s("Konfidentialitet"),
            s("Riktighet"),
            s("Tillgänglighet"),
            s("Klassad datum"),
            s("Informationsägare"),
        ],
    ];
    for k in 0..n {
        let classified = rng.below(4) != 0;
        let mut row = vec![s(&format!(
            "{} {}",
            systems[k % systems.len()],
            k / systems.len() + 1
        ))];
        for _ in 0..3 {
            row.push(if classified {
                C::N(rng.below(5) as f64)
            } else {
                C::Blank
            });
        }
        row.push(if classified {
            let (y, m, d) = date_in(rng, 2021, YEAR);
            C::D(y, m, d)
        } else {
            C::Blank
        });
        row.push(s("Avdelningschef"));
        rows.push(row);
    }
    write_xlsx(&dir.join("KLASSA export.xlsx"), &[("Klassningar", rows)])
        .map_err(|e| e.to_string())?;
    Ok((n, n))
}

fn risks(dir: &Path, unit: &str, scale: f64, rng: &mut Rng) -> Res<(usize, usize)> {
    let texts = [
        "Personuppgifter skickas till fel mottagare",
        "Förlust av mobila enheter med känslig information",
        "Nätfiske leder till kapade konton",
        "Behörigheter tas inte bort när anställning upphör",
        "Inbrott i lokaler med arkiv",
        "Leverantör saknar personuppgiftsbiträdesavtal",
        "Otillräcklig kontinuitetsplan vid it-avbrott",
        "Otydlig hantering av registerförteckningen",
    ];
    let statuses = ["Öppen", "Pågående", "Hanterad"];
    let n = scaled(8.0 + rng.below(25) as f64, scale, 2);
    let mut rows = vec![
        vec![s(&format!("Riskregister {unit} {YEAR}"))],
        vec![
            s("Risk"),
            s("Sannolikhet"),
            s("Konsekvens"),
            s("Riskvärde"),
            s("Status"),
            s("Åtgärd"),
            s("Riskägare"),
        ],
    ];
    for k in 0..n {
        let (l, c) = (1 + rng.below(5), 1 + rng.below(5));
        rows.push(vec![
            s(&format!("{} ({})", texts[k % texts.len()], k + 1)),
            C::N(l as f64),
            C::N(c as f64),
            C::N((l * c) as f64),
            s(statuses[rng.below(statuses.len())]),
            s("Se åtgärdsplanen"),
            s("Förvaltningsledningen"),
        ]);
    }
    write_xlsx(
        &dir.join(format!("Riskregister {YEAR}.xlsx")),
        &[("Risker", rows)],
    )
    .map_err(|e| e.to_string())?;
    Ok((n, n))
}

fn actions(dir: &Path, unit: &str, scale: f64, rng: &mut Rng) -> Res<(usize, usize)> {
    let texts = [
        "Revidera lokal anvisning för informationssäkerhet",
        "Informationsklassning av verksamhetssystem",
        "Rutin för löpande uppdatering av registerförteckning",
        "Rutin för behörighetshantering",
        "Kampanj under informationssäkerhetsmånaden",
        "Kontinuitetsplan vid it-avbrott",
    ];
    let statuses = ["Klar", "Pågående", "Ej påbörjad", "Planerad", "Avslutad"];
    let n = scaled(6.0 + rng.below(20) as f64, scale, 2);
    let mut rows = vec![
        vec![s(&format!(
            "Handlingsplan informationssäkerhet och dataskydd {unit}"
        ))],
        vec![],
        vec![
            s("Åtgärd"),
            s("Status"),
            s("Ansvarig"),
            s("Klart senast"),
            s("År"),
        ],
    ];
    for k in 0..n {
        let (y, m, d) = date_in(rng, YEAR, YEAR + 1);
        rows.push(vec![
            s(&format!("{} ({})", texts[k % texts.len()], k + 1)),
            s(statuses[rng.below(statuses.len())]),
            s("ISAM"),
            C::D(y, m, d),
            C::N(y as f64),
        ]);
    }
    write_xlsx(
        &dir.join(format!("Handlingsplan {YEAR}.xlsx")),
        &[("Åtgärder", rows)],
    )
    .map_err(|e| e.to_string())?;
    Ok((n, n))
}

/// Incident categories as the city's incident system writes them, with relative
/// frequency and the share that are personal data incidents (in tenths).
const CATEGORIES: [(&str, usize, usize); 9] = [
    ("Nätfiske/phishing", 18, 0),
    ("Inbrott", 4, 1),
    ("Förlorat tjänstekort (SITHS)", 10, 0),
    ("Förlorad mobiltelefon", 14, 4),
    ("Förlorad/stulen dator", 7, 7),
    ("Felskick e-post", 26, 10),
    ("Obehörig åtkomst", 10, 9),
    ("Skadlig kod", 3, 1),
    ("Övrigt", 8, 2),
];

/// The city-wide incident export, split by `batch` on its Förvaltning column.
fn incidents(dir: &Path, scale: f64, facit: &mut Facit) -> Res<usize> {
    let mut rng = Rng::new(0x01C1_DE17);
    let weight: usize = CATEGORIES.iter().map(|c| c.1).sum();
    struct Row {
        date: Ymd,
        category: &'static str,
        personal: bool,
        imy: Option<u32>,
        msb: bool,
        admin: &'static str,
        enhet: &'static str,
    }
    let mut all: Vec<Row> = Vec::new();
    for (index, &(name, admin, base, _)) in UNITS.iter().enumerate() {
        let factor = 0.6 + 0.8 * unit_f(&mut rng);
        let enheter: &[&'static str] = if index < 13 {
            &SDF_ENHETER
        } else {
            &FACK_ENHETER
        };
        let mut total = 0u64;
        let mut personal_total = 0u64;
        for (year, rate) in [(YEAR, 0.12), (YEAR - 1, 0.10), (YEAR - 2, 0.08)] {
            let n = scaled(base as f64 * rate * factor, scale, 2);
            for _ in 0..n {
                let mut pick = rng.below(weight);
                let mut cat = CATEGORIES[0];
                for c in CATEGORIES {
                    if pick < c.1 {
                        cat = c;
                        break;
                    }
                    pick -= c.1;
                }
                let personal = rng.below(10) < cat.2;
                let imy = (personal && rng.below(8) == 0).then(|| 1 + rng.below(5) as u32);
                let msb = cat.0 == "Skadlig kod" && rng.below(3) == 0;
                if year == YEAR {
                    total += 1;
                    personal_total += personal as u64;
                }
                all.push(Row {
                    date: date_in(&mut rng, year, year),
                    category: cat.0,
                    personal,
                    imy,
                    msb,
                    admin,
                    enhet: enheter[rng.below(enheter.len())],
                });
            }
        }
        let k = facit.get_mut(name).ok_or("okänd förvaltning")?;
        k.insert("incidents.total".into(), total);
        k.insert("incidents.personal_data".into(), personal_total);
    }
    all.sort_by_key(|r| r.date);
    let header = [
        "Ärendenummer",
        "Registrerad",
        "Händelsedatum",
        "Upptäckt",
        "Händelsetyp",
        "Personuppgiftsincident",
        "Anmäld till IMY",
        "Anmält datum",
        "Anmäld till MSB",
        "Förvaltning",
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
    let head = vec![
        vec![s("Informationssäkerhetsärenden – Stockholms stad (fiktiv)")],
        vec![s(&format!(
            "Utsökning: registrerade {}-01-01 – {YEAR}-12-31. Utskriven {}-01-08.",
            YEAR - 2,
            YEAR + 1
        ))],
        vec![],
        header.iter().map(|h| s(h)).collect(),
    ];
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    let body: Vec<Vec<C>> = all
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let seq = per_year.entry(i.date.0).or_insert(0);
            *seq += 1;
            let discovered = add_days(i.date, (n % 2) as i64);
            let registered = add_days(discovered, (n % 3) as i64);
            vec![
                s(&format!("IA-{}-{:06}", i.date.0, *seq)),
                C::D(registered.0, registered.1, registered.2),
                C::D(i.date.0, i.date.1, i.date.2),
                C::D(discovered.0, discovered.1, discovered.2),
                s(i.category),
                s(if i.personal { "Ja" } else { "Nej" }),
                match i.imy {
                    Some(_) => s("Ja"),
                    None if i.personal => s("Nej"),
                    None => C::Blank,
                },
                match i.imy {
                    Some(days) => {
                        let (y, m, d) = add_days(discovered, days as i64);
                        C::D(y, m, d)
                    }
                    None => C::Blank,
                },
                if i.msb { s("Ja") } else { C::Blank },
                s(i.admin),
                s(i.enhet),
                s(descriptions[n % descriptions.len()]),
                s("Avslutat"),
            ]
        })
        .collect();
    let n = body.len();
    write_sheets(
        &dir.join(format!("Incidenter staden {}-{YEAR}.xlsx", YEAR - 2)),
        "Ärenden",
        head,
        body,
    )?;
    Ok(n)
}
