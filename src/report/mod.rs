//! Outputs, all written from one [`crate::review::Review`]: the workbook (one module per
//! sheet family), the Word document, the comparison workbook, the JSON document, the PNG
//! charts and the Markdown text.

pub mod comparison;
pub mod docx;
pub mod json;
pub mod png;
pub mod workbook;

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes bytes to a temporary file beside `path`, then renames it into place, so an
/// interrupted run never leaves a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = temp_path(path);
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::write(path, e));
    }
    Ok(())
}

/// A hidden temporary name in the same folder as `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// File-name-safe version of a unit name, valid on Windows as on Linux: no `/ \ : * ? " < > |`
/// or control characters, no leading or trailing dots and spaces (Windows drops them),
/// not a reserved device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9), at most 100 characters.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    let trimmed = cleaned
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if trimmed.is_empty() {
        return "enhet".to_string();
    }
    let base = trimmed
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_uppercase();
    let reserved = matches!(
        base.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((base.starts_with("COM") || base.starts_with("LPT"))
        && base.chars().count() == 4
        && base[3..]
            .chars()
            .all(|c| matches!(c, '0'..='9' | '¹' | '²' | '³')));
    if reserved {
        format!("{trimmed}_")
    } else {
        trimmed
    }
}

/// `Ledningens genomgång YYYY - UNIT.xlsx`
pub fn workbook_file_name(year: i32, unit: &str) -> String {
    format!(
        "Ledningens genomgång {year} - {}.xlsx",
        safe_file_name(unit)
    )
}
