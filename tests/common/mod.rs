//! Shared test helpers: temporary folders, fixture files in every format, running the
//! real binary, and reading the produced workbook back.
#![allow(dead_code)]

pub mod json_schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A fresh temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("genomgang-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
    /// A folder below this one (`p` may hold slashes), created with its parents.
    pub fn folder(&self, p: &str) -> PathBuf {
        let dir = self.0.join(p);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A cell value for fixture spreadsheets.
#[derive(Clone, Debug)]
pub enum V {
    S(String),
    N(f64),
    D(NaiveDate),
    /// A raw serial number shown with a date format (for the 1904 date system).
    Serial(f64),
    E,
}

pub fn serial(x: f64) -> V {
    V::Serial(x)
}

pub fn s(t: &str) -> V {
    V::S(t.to_string())
}
pub fn n(x: f64) -> V {
    V::N(x)
}
pub fn d(y: i32, m: u32, day: u32) -> V {
    V::D(NaiveDate::from_ymd_opt(y, m, day).unwrap())
}

/// A row of text cells.
pub fn texts(cells: &[&str]) -> Vec<V> {
    cells.iter().map(|t| s(t)).collect()
}

/// The article 30 columns of a register of processing, as most fixtures write them.
pub const REGISTER_COLUMNS: [&str; 9] = [
    "Behandling",
    "Ändamål",
    "Rättslig grund",
    "Kategorier av registrerade",
    "Kategorier av personuppgifter",
    "Mottagare",
    "Lagringstid",
    "Säkerhetsåtgärder",
    "Senast reviderad",
];

/// Writes an xlsx with a single sheet.
pub fn write_sheet(path: &Path, sheet: &str, rows: Vec<Vec<V>>) {
    write_xlsx(path, &[(sheet, rows)]);
}

/// Copies the zip package `src` to `dst`, passing the text of the part `part` through
/// `edit` (valid CRCs, so the change reaches the reader, not the zip layer).
pub fn rewrite_zip_part(src: &Path, dst: &Path, part: &str, edit: impl FnOnce(String) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(src).unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let mut edit = Some(edit);
    for i in 0..from.len() {
        let mut entry = from.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == part {
            let edit = edit.take().expect("one part of that name");
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        to.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        to.write_all(&data).unwrap();
    }
    to.finish().unwrap();
}

/// Writes an xlsx with one or more sheets; `title` rows are written above the data.
pub fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<V>>)]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    V::S(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    V::N(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    V::D(dt) => {
                        let e = ExcelDateTime::from_ymd(
                            dt.year_ce().1 as u16,
                            dt.month0() as u8 + 1,
                            dt.day0() as u8 + 1,
                        )
                        .unwrap();
                        ws.write_datetime_with_format(r, c, &e, &date).unwrap();
                    }
                    V::Serial(x) => {
                        ws.write_number_with_format(r, c, *x, &date).unwrap();
                    }
                    V::E => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

use chrono::Datelike;

/// Writes text as Windows-1252 bytes.
pub fn write_1252(path: &Path, text: &str) {
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!bad);
    std::fs::write(path, bytes).unwrap();
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_genomgang")
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("run genomgang")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Asserts that the run exited with `code` (stderr in the message); returns stderr.
pub fn assert_exit(o: &Output, code: i32) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    err
}

/// The first file in `dir` with the extension `ext` (an empty path if there is none).
pub fn file_with_extension(dir: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_default()
}

/// The text of the Markdown file in the output folder `out`.
pub fn md_in(out: &Path) -> String {
    let md = file_with_extension(out, "md");
    assert!(md.is_file(), "no .md in {out:?}");
    std::fs::read_to_string(md).unwrap()
}

/// The temporary files (`.tmp` in the name) left behind in `dir`.
pub fn tmp_leftovers(dir: &Path) -> Vec<std::fs::DirEntry> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect()
}

/// A JSON file as a document (Null when it is missing). Every KPI document the tests
/// read is checked against the shipped schema (`schema/kpi.schema.json`).
pub fn read_json(path: &Path) -> serde_json::Value {
    let doc = std::fs::read_to_string(path)
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(serde_json::Value::Null);
    if !doc.is_null() {
        json_schema::assert_valid(&doc, &path.display().to_string());
    }
    doc
}

/// Runs `genomgang COMMAND INPUT --out OUT --json JSON EXTRA…`; returns (exit code, JSON
/// document or Null, stderr).
pub fn run_json(
    command: &str,
    input: &Path,
    out: &Path,
    json: &Path,
    extra: &[&str],
) -> (i32, serde_json::Value, String) {
    let mut args = vec!["--json", json.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run_on(command, input, out, &args);
    (o.status.code().unwrap_or(-1), read_json(json), stderr(&o))
}

/// Reads one sheet of a workbook as rows of display strings.
pub fn sheet_rows(xlsx: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

pub fn sheet_names(xlsx: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    wb.sheet_names()
}

/// Every XML part of an xlsx, concatenated: for searching text anywhere in the workbook.
pub fn all_parts_text(xlsx: &Path) -> String {
    let f = std::fs::File::open(xlsx).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut out = String::new();
    for i in 0..z.len() {
        let mut part = z.by_index(i).unwrap();
        let mut s = String::new();
        use std::io::Read;
        if part.read_to_string(&mut s).is_ok() {
            out.push_str(&s);
        }
    }
    out
}

pub fn part_names(xlsx: &Path) -> Vec<String> {
    let f = std::fs::File::open(xlsx).unwrap();
    let z = zip::ZipArchive::new(f).unwrap();
    z.file_names()
        .filter_map(|s| s.ok().map(|s| s.to_string()))
        .collect()
}

/// The KPI row on Sammanfattning whose label column (A) starts with `label`: (value, previous).
pub fn find_row<'a>(rows: &'a [Vec<Data>], label: &str) -> Option<&'a Vec<Data>> {
    rows.iter()
        .find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == label)))
}

pub fn json_kpi(doc: &serde_json::Value, id: &str) -> serde_json::Value {
    doc["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no kpi {id}"))
        .clone()
}

pub fn value(doc: &serde_json::Value, id: &str) -> Option<f64> {
    json_kpi(doc, id)["value"].as_f64()
}

pub fn previous(doc: &serde_json::Value, id: &str) -> Option<f64> {
    json_kpi(doc, id)["previous"].as_f64()
}

/// Runs `report` on a folder; returns (exit code, JSON document, workbook path, stderr).
pub fn report(
    input: &Path,
    out: &Path,
    extra: &[&str],
) -> (i32, serde_json::Value, PathBuf, String) {
    let (code, doc, err) = run_json("report", input, out, &out.join("kpi.json"), extra);
    (code, doc, file_with_extension(out, "xlsx"), err)
}

/// Runs `report` and asserts exit 0; returns (JSON document, workbook path).
pub fn report_ok(input: &Path, out: &Path, extra: &[&str]) -> (serde_json::Value, PathBuf) {
    let (code, doc, xlsx, err) = report(input, out, extra);
    assert_eq!(code, 0, "{err}");
    (doc, xlsx)
}

/// Asserts the value and previous value of each KPI: (id, value, previous).
pub fn assert_kpis(doc: &serde_json::Value, want: &[(&str, Option<f64>, Option<f64>)]) {
    for (id, v, p) in want {
        assert_eq!(value(doc, id), *v, "{id} value");
        assert_eq!(previous(doc, id), *p, "{id} previous");
    }
}

/// One part of a zip package (xlsx, docx) as text.
pub fn zip_part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut part = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {path:?}"));
    let mut s = String::new();
    use std::io::Read;
    part.read_to_string(&mut s).unwrap();
    s
}

/// Runs `genomgang COMMAND INPUT --out OUT EXTRA…` (report or batch).
pub fn run_on(command: &str, input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        command,
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// xorshift64*: deterministic random numbers, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// An index below `len` (0 for an empty range).
    pub fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len.max(1) as u64) as usize
    }
}

/// A roster: the header (employee number, personnummer, name, e-mail, unit) and persons
/// 1..=count, person i numbered `number + i`, born on `birth` (YYYYMMDD) with the last
/// four digits `digits + i`, called "Fake {surname}{i}", mailed at p{i}@example.se.
pub fn roster_rows(
    count: usize,
    number: f64,
    birth: &str,
    digits: usize,
    surname: &str,
    unit: impl Fn(usize) -> &'static str,
) -> Vec<Vec<V>> {
    let mut rows = vec![texts(&[
        "Anställningsnummer",
        "Personnummer",
        "Namn",
        "E-post",
        "Enhet",
    ])];
    for i in 1..=count {
        rows.push(vec![
            n(number + i as f64),
            s(&format!("{birth}-{:04}", digits + i)),
            s(&format!("Fake {surname}{i}")),
            s(&format!("p{i}@example.se")),
            s(unit(i)),
        ]);
    }
    rows
}

/// The two mandatory courses completed by `who` on `info` and `gdpr`: training-list CSV
/// lines (semicolons, CRLF) with the columns E-post;Kurs;Status;Slutfört datum.
pub fn both_courses_csv(who: &str, info: &str, gdpr: &str) -> String {
    format!(
        "{who};Grundläggande informationssäkerhet;Genomförd;{info}\r\n\
         {who};Dataskydd (GDPR) grundkurs;Genomförd;{gdpr}\r\n"
    )
}

/// A number from the environment variable `name`, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The shipped sample unit, samples/kungsholmen.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/kungsholmen")
}

/// Runs the binary with `args` from the working folder `dir` (as Explorer starts it).
pub fn run_in(dir: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run genomgang")
}
