//! The floor for the batch benchmark: the least work any tool must do on a city from
//! `make_city`. It reads every cell of every input file (calamine for xlsx/xls/xlsb/ods,
//! the csv crate with encoding_rs for CSV) and writes the same number of cells per unit
//! with rust_xlsxwriter, one workbook per unit, units in parallel like `genomgang batch`.
//! The files directly in the root (the city-wide incident export) go to one more workbook.
//! No recognition, no KPIs, no formatting: `genomgang batch` time divided by this
//! program's time is the overhead of everything the product does beyond I/O.
//!
//! Run: `cargo run --release --example floor -- CITY_DIR [--out OUT_DIR]`.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;

/// A cell read from an input, kept as the writer needs it.
enum Value {
    Text(String),
    Number(f64),
    Empty,
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
    let cells: Vec<usize> = groups
        .par_iter()
        .map(|(name, files)| -> Result<usize, String> {
            let mut values: Vec<Value> = Vec::new();
            for f in files {
                read_file(f, &mut values)?;
            }
            let n = values.len();
            write_cells(&out.join(format!("{name}.xlsx")), values)?;
            Ok(n)
        })
        .collect::<Result<_, _>>()?;
    eprintln!(
        "floor: {} arbetsböcker, {} celler",
        groups.len(),
        cells.iter().sum::<usize>()
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

fn read_file(path: &Path, values: &mut Vec<Value>) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
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
        for record in rdr.records() {
            let record = record.map_err(|e| err(&e))?;
            values.extend(record.iter().map(|f| {
                if f.is_empty() {
                    Value::Empty
                } else {
                    Value::Text(f.to_string())
                }
            }));
        }
        return Ok(());
    }
    let mut wb = open_workbook_auto(path).map_err(|e| err(&e))?;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| err(&e))?;
        for row in range.rows() {
            values.extend(row.iter().map(|c| match c {
                Data::Empty => Value::Empty,
                Data::Float(x) => Value::Number(*x),
                Data::Int(i) => Value::Number(*i as f64),
                Data::DateTime(d) => Value::Number(d.as_f64()),
                Data::Bool(b) => Value::Number(*b as u8 as f64),
                other => Value::Text(other.to_string()),
            }));
        }
    }
    Ok(())
}

/// Writes the cells row-major, 10 to a row, over as many sheets as Excel's row limit needs.
fn write_cells(path: &Path, values: Vec<Value>) -> Result<(), String> {
    const WIDTH: usize = 10;
    const ROWS_PER_SHEET: usize = 1_000_000;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut wb = Workbook::new();
    for (k, chunk) in values.chunks(WIDTH * ROWS_PER_SHEET).enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Celler {}", k + 1))
            .map_err(|e| err(&e))?;
        for (i, v) in chunk.iter().enumerate() {
            let (r, c) = ((i / WIDTH) as u32, (i % WIDTH) as u16);
            match v {
                Value::Text(t) => {
                    ws.write_string(r, c, t).map_err(|e| err(&e))?;
                }
                Value::Number(x) => {
                    ws.write_number(r, c, *x).map_err(|e| err(&e))?;
                }
                Value::Empty => {}
            }
        }
    }
    if values.is_empty() {
        wb.add_worksheet();
    }
    wb.save(path).map_err(|e| err(&e))
}
