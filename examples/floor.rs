//! The floor for the batch benchmark: the least work any tool must do on a city from
//! `make_city`. It parses every cell of every input file (calamine for xlsx/xls/xlsb/ods,
//! the csv crate with encoding_rs for CSV), keeps nothing but a count per file, and
//! writes one small workbook per unit (a row per file: cells, numbers, texts) with
//! rust_xlsxwriter, units in parallel like `genomgang batch`. The files directly in the
//! root (the city-wide incident export) go to one more workbook. No recognition, no
//! KPIs, no formatting, and no input cell written back: `genomgang batch --format xlsx`
//! time divided by this program's time is the overhead of everything the product does
//! beyond parsing its inputs and writing a workbook.
//!
//! Run: `cargo run --release --example floor -- CITY_DIR [--out OUT_DIR]`.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;

/// What was parsed from one file: every cell is looked at, none is kept.
#[derive(Default)]
struct Counts {
    cells: u64,
    numbers: u64,
    texts: u64,
    /// Sum of the text lengths, so the parsed strings are really read.
    text_bytes: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root: Option<PathBuf> = None;
    let mut out = PathBuf::from("out-floor");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => match args.next() {
                Some(o) => out = PathBuf::from(o),
                None => usage(),
            },
            _ if root.is_none() => root = Some(PathBuf::from(a)),
            _ => usage(),
        }
    }
    let Some(root) = root else { usage() };
    if let Err(e) = run(&root, &out) {
        eprintln!("floor: {e}");
        std::process::exit(1);
    }
}

fn usage() -> ! {
    eprintln!("Användning: floor STADSMAPP [--out UTMAPP]");
    std::process::exit(2);
}

fn run(root: &Path, out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut groups: Vec<(String, Vec<PathBuf>)> = Vec::new();
    let mut root_files: Vec<PathBuf> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| format!("{}: {e}", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| is_input(f))
                .collect();
            files.sort();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            groups.push((name, files));
        } else if is_input(&p) {
            root_files.push(p);
        }
    }
    groups.push(("Staden".to_string(), root_files));
    let cells: Vec<u64> = groups
        .par_iter()
        .map(|(name, files)| -> Result<u64, String> {
            let mut per_file = Vec::new();
            for f in files {
                per_file.push((f, read_file(f)?));
            }
            let n = per_file.iter().map(|(_, c)| c.cells).sum();
            write_summary(&out.join(format!("{name}.xlsx")), &per_file)?;
            Ok(n)
        })
        .collect::<Result<_, _>>()?;
    eprintln!(
        "floor: {} arbetsböcker, {} celler",
        groups.len(),
        cells.iter().sum::<u64>()
    );
    Ok(())
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn is_input(p: &Path) -> bool {
    p.is_file()
        && matches!(
            extension(p).as_str(),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "csv"
        )
}

fn read_file(path: &Path) -> Result<Counts, String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut counts = Counts::default();
    if extension(path) == "csv" {
        let bytes = std::fs::read(path).map_err(|e| err(&e))?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        while rdr.read_record(&mut record).map_err(|e| err(&e))? {
            for f in record.iter().filter(|f| !f.is_empty()) {
                counts.cells += 1;
                counts.texts += 1;
                counts.text_bytes += f.len() as u64;
            }
        }
        return Ok(counts);
    }
    let mut wb = open_workbook_auto(path).map_err(|e| err(&e))?;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| err(&e))?;
        for c in range.used_cells().map(|(_, _, c)| c) {
            counts.cells += 1;
            match c {
                Data::Empty => counts.cells -= 1,
                Data::String(t) => {
                    counts.texts += 1;
                    counts.text_bytes += t.len() as u64;
                }
                _ => counts.numbers += 1,
            }
        }
    }
    Ok(counts)
}

/// One small workbook per unit: a row per input file with what was parsed from it.
fn write_summary(path: &Path, per_file: &[(&PathBuf, Counts)]) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Filer").map_err(|e| err(&e))?;
    for (c, h) in ["Fil", "Celler", "Tal", "Texter", "Textbyte"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).map_err(|e| err(&e))?;
    }
    for (i, (file, counts)) in per_file.iter().enumerate() {
        let r = i as u32 + 1;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        ws.write_string(r, 0, name.as_ref()).map_err(|e| err(&e))?;
        let figures = [
            counts.cells,
            counts.numbers,
            counts.texts,
            counts.text_bytes,
        ];
        for (c, x) in figures.iter().enumerate() {
            ws.write_number(r, c as u16 + 1, *x as f64)
                .map_err(|e| err(&e))?;
        }
    }
    wb.save(path).map_err(|e| err(&e))
}
