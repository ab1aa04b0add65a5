//! Helpers for `dist/windows.sh`, in Rust so the script needs nothing beyond the toolchain:
//!
//! - `dump-cells FILE.xlsx` prints every cell of every sheet, one line each
//!   (`sheet<TAB>A1<TAB>value`), values typed as calamine reads them: two workbooks hold
//!   the same values exactly when their dumps are equal.
//! - `zip OUT.zip DIR` packs DIR (its own name as the top folder) with names in UTF-8,
//!   flagged as such, so Windows' Explorer shows "Läs mig.txt" as written.
//!
//! Run: `cargo run --example dist_tool -- dump-cells FILE.xlsx`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["dump-cells", file] => dump_cells(Path::new(file)),
        ["zip", out, dir] => zip_dir(Path::new(out), Path::new(dir)),
        _ => Err("usage: dist_tool dump-cells FILE.xlsx | zip OUT.zip DIR".to_string()),
    };
    if let Err(e) = result {
        eprintln!("dist_tool: {e}");
        std::process::exit(2);
    }
}

fn dump_cells(file: &Path) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", file.display());
    let mut wb: Xlsx<_> = open_workbook(file).map_err(|e| err(&e))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| err(&e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if matches!(cell, Data::Empty) {
                    continue;
                }
                let at = format!("{}{}", column_name(col0 + c as u32), row0 + r as u32 + 1);
                let value = format!("{cell:?}").replace('\n', "\\n");
                writeln!(out, "{name}\t{at}\t{value}").map_err(|e| err(&e))?;
            }
        }
    }
    Ok(())
}

fn column_name(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn zip_dir(out: &Path, dir: &Path) -> Result<(), String> {
    use zip::write::SimpleFileOptions;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", out.display());
    let top = dir
        .file_name()
        .ok_or_else(|| format!("{}: no folder name", dir.display()))?
        .to_string_lossy()
        .to_string();
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| err(&e))?;
    files.sort();
    // Dated now (local time, as Explorer shows it), not zip's default of 1980.
    let now = chrono::Local::now().naive_local();
    let stamp = {
        use chrono::{Datelike, Timelike};
        zip::DateTime::from_date_and_time(
            now.year() as u16,
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .unwrap_or_default()
    };
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(stamp);
    let mut z = zip::ZipWriter::new(std::fs::File::create(out).map_err(|e| err(&e))?);
    for file in files {
        let rel = file.strip_prefix(dir).map_err(|e| err(&e))?;
        let name = std::iter::once(top.clone())
            .chain(rel.iter().map(|p| p.to_string_lossy().to_string()))
            .collect::<Vec<_>>()
            .join("/");
        z.start_file(name, options).map_err(|e| err(&e))?;
        z.write_all(&std::fs::read(&file).map_err(|e| err(&e))?)
            .map_err(|e| err(&e))?;
    }
    z.finish().map_err(|e| err(&e))?;
    Ok(())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
