//! Outputs, all written from one [`crate::review::Review`]: the workbook (one module per
//! sheet family), the comparison workbook, the JSON document, the PNG charts and the
//! Markdown text.

pub mod comparison;
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

/// File-name-safe version of a unit name.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = crate::privacy::clean_name(name)
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    // Whole characters within 150 bytes: with "Ledningens genomgång YYYY - " and the
    // extension the file name stays under the 255 bytes file systems allow.
    let mut end = 0;
    for (i, c) in cleaned.char_indices() {
        if i + c.len_utf8() > 150 {
            break;
        }
        end = i + c.len_utf8();
    }
    let trimmed = cleaned[..end].trim().trim_matches('.').to_string();
    if trimmed.is_empty() {
        "enhet".to_string()
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
