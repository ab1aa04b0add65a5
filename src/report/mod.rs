//! Outputs, all written from one [`crate::review::Review`]: the workbook (one module per
//! sheet family), the Word document, the comparison workbook, the JSON document, the PNG
//! charts and the Markdown text.

pub mod comparison;
pub mod control;
pub mod docx;
pub mod json;
pub mod markdown;
pub mod png;
pub mod workbook;

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The hidden folder inside an output folder where a set of files is written before it
/// is moved into place.
pub const STAGING_DIR: &str = ".genomgang-tmp";

/// The lock file of an output folder: one run at a time writes its set there.
pub const LOCK_FILE: &str = ".genomgang.lock";

/// Files written as one set into an output folder: each file goes to a temporary in a
/// hidden staging folder, and only when all are written are they renamed into place,
/// one after the other, while the folder's lock is held. Two runs writing the same
/// unit's files cannot interleave (each set is complete, the later one wins), and a
/// run killed while writing leaves only its staging folder, cleaned by the next run.
///
/// More outputs join a set by one more [`OutputSet::stage`].
pub struct OutputSet {
    staging: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
    /// Held until the set is committed; released by the OS if the process dies.
    _lock: Option<std::fs::File>,
}

impl OutputSet {
    /// Locks the output folder `out` (creating it) and clears what a killed run left.
    pub fn begin(out: &Path) -> Result<OutputSet, Error> {
        std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
        let lock_path = out.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::write(&lock_path, e))?;
        // A file system without locks (some network shares) still gets the set written;
        // only the protection against a simultaneous run is lost.
        let lock = lock.lock().ok().map(|_| lock);
        let staging = out.join(STAGING_DIR);
        if lock.is_some() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::write(&staging, e))?;
        Ok(OutputSet {
            staging,
            staged: Vec::new(),
            _lock: lock,
        })
    }

    /// Writes the bytes of the file that will be `target` to the staging folder.
    pub fn stage(&mut self, target: &Path, bytes: &[u8]) -> Result<(), Error> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self.staging.join(format!("{}-{n}.tmp", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, bytes) {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::write(target, e));
        }
        self.staged.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Moves every staged file into place, in the order staged; each file's outcome.
    pub fn commit(self) -> Vec<Result<PathBuf, Error>> {
        let mut results = Vec::new();
        for (tmp, target) in &self.staged {
            let result = target
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::rename(tmp, target));
            results.push(match result {
                Ok(()) => Ok(target.clone()),
                Err(e) => {
                    let _ = std::fs::remove_file(tmp);
                    Err(Error::write(target, e))
                }
            });
        }
        // Empty once everything moved; another thread's set may still be in it.
        let _ = std::fs::remove_dir(&self.staging);
        results
    }
}

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

/// A temporary name in the same folder as `path`, hidden (a leading dot) and starting
/// with "~$" like Excel's own lock files, which Explorer users know to ignore and
/// genomgang never reads.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".~${name}.tmp-{}", std::process::id()))
}

/// File-name-safe version of a unit name, valid on Windows as on Linux: no `/ \ : * ? " < > |`
/// or control characters, no leading or trailing dots and spaces (Windows drops them),
/// not a reserved device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9), at most 100 characters.
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
        .take(100)
        .collect();
    let trimmed = within_bytes(&cleaned, 150)
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

/// The longest prefix of `text` of whole characters within `max` bytes: with
/// "Ledningens genomgång YYYY - " and the extension a file name stays under the 255
/// bytes file systems allow, whatever the characters.
fn within_bytes(text: &str, max: usize) -> &str {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i + c.len_utf8() > max {
            break;
        }
        end = i + c.len_utf8();
    }
    &text[..end]
}

/// `Ledningens genomgång YYYY - UNIT.xlsx`
pub fn workbook_file_name(year: i32, unit: &str) -> String {
    format!(
        "Ledningens genomgång {year} - {}.xlsx",
        safe_file_name(unit)
    )
}
