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

/// The lock file earlier versions left in every output folder; removed when found.
pub const LOCK_FILE: &str = ".genomgang.lock";

/// Files written as one set into an output folder. Each file is drawn in memory and
/// handed to [`OutputSet::stage`]; only [`OutputSet::commit`] touches the folder: it
/// takes the folder's lock, writes every file to a temporary in a hidden staging folder,
/// renames them into place one after the other and lets the lock go. The lock is never
/// held while files are drawn, so two runs (or a batch's units) draw at the same time
/// and wait only for each other's renames. Two runs writing the same unit's files
/// cannot interleave (each set is complete, the later one wins), and a run killed while
/// writing leaves only its staging folder, cleaned by the next run.
///
/// More outputs join a set by one more [`OutputSet::stage`].
pub struct OutputSet {
    out: PathBuf,
    staged: Vec<(PathBuf, Vec<u8>)>,
}

impl OutputSet {
    /// A set to be written into `out` (created now, so that a folder that cannot be
    /// made fails before anything is drawn).
    pub fn begin(out: &Path) -> Result<OutputSet, Error> {
        std::fs::create_dir_all(out).map_err(|e| Error::write(out, e))?;
        Ok(OutputSet {
            out: out.to_path_buf(),
            staged: Vec::new(),
        })
    }

    /// Keeps the bytes of the file that will be `target`.
    pub fn stage(&mut self, target: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.staged.push((target.to_path_buf(), bytes.to_vec()));
        Ok(())
    }

    /// Writes and moves every staged file into place under the folder's lock, in the
    /// order staged; each file's outcome.
    pub fn commit(self) -> Vec<Result<PathBuf, Error>> {
        let lock = FolderLock::acquire(&self.out);
        let staging = self.out.join(STAGING_DIR);
        if lock.is_held() {
            // Only a lock holder writes here: anything present is a killed run's.
            let _ = std::fs::remove_dir_all(&staging);
        }
        if let Err(e) = std::fs::create_dir_all(&staging) {
            let message = e.to_string();
            return self
                .staged
                .iter()
                .map(|(target, _)| {
                    Err(Error::write(target, std::io::Error::other(message.clone())))
                })
                .collect();
        }
        // Every file is written before any is renamed: a set is whole or not moved.
        let temps: Vec<Result<PathBuf, Error>> = self
            .staged
            .iter()
            .enumerate()
            .map(|(n, (target, bytes))| {
                let tmp = staging.join(format!("{}-{n}.tmp", std::process::id()));
                std::fs::write(&tmp, bytes)
                    .map(|_| tmp.clone())
                    .map_err(|e| {
                        let _ = std::fs::remove_file(&tmp);
                        Error::write(target, e)
                    })
            })
            .collect();
        let mut out = Vec::new();
        for ((target, _), tmp) in self.staged.iter().zip(temps) {
            let tmp = match tmp {
                Ok(tmp) => tmp,
                Err(e) => {
                    out.push(Err(e));
                    continue;
                }
            };
            let result = target
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::rename(&tmp, target));
            out.push(match result {
                Ok(()) => Ok(target.clone()),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(Error::write(target, e))
                }
            });
        }
        // Empty once everything moved; a set of a run without locks may still be in it.
        let _ = std::fs::remove_dir(&staging);
        drop(lock);
        out
    }
}

/// The lock of an output folder, held while a set is written and renamed. On Unix the
/// folder itself is locked, so nothing is left behind; elsewhere a hidden lock file
/// that deletes itself when closed. A file system without locks (some network shares)
/// still gets the set written; only the protection against a simultaneous run is lost.
struct FolderLock {
    file: Option<std::fs::File>,
    /// The units of one batch take turns here, quietly: only another run is waited
    /// for with a message.
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl FolderLock {
    fn acquire(out: &Path) -> FolderLock {
        static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let Some(file) = lock_handle(out) else {
            return FolderLock {
                file: None,
                _turn: turn,
            };
        };
        let held = match file.try_lock() {
            Ok(()) => true,
            Err(std::fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "Väntar: en annan körning skriver just nu sina filer i {}. Filerna skrivs när den är klar.",
                    out.display()
                );
                file.lock().is_ok()
            }
            Err(std::fs::TryLockError::Error(_)) => false,
        };
        if held {
            // What an earlier version left: a zero-byte lock file beside the documents.
            let old = out.join(LOCK_FILE);
            if cfg!(unix) && std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == 0) {
                let _ = std::fs::remove_file(old);
            }
        }
        FolderLock {
            file: held.then_some(file),
            _turn: turn,
        }
    }

    fn is_held(&self) -> bool {
        self.file.is_some()
    }
}

#[cfg(unix)]
fn lock_handle(out: &Path) -> Option<std::fs::File> {
    std::fs::File::open(out).ok()
}

#[cfg(not(unix))]
fn lock_handle(out: &Path) -> Option<std::fs::File> {
    use std::os::windows::fs::OpenOptionsExt as _;
    // FILE_FLAG_DELETE_ON_CLOSE; shared for read, write and delete so that a waiting
    // run can open it. A file being deleted cannot be opened for a moment: retry.
    const DELETE_ON_CLOSE: u32 = 0x0400_0000;
    let path = out.join(LOCK_FILE);
    for _ in 0..200 {
        let opened = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .share_mode(0x7)
            .custom_flags(DELETE_ON_CLOSE)
            .attributes(0x2) // FILE_ATTRIBUTE_HIDDEN
            .open(&path);
        match opened {
            Ok(f) => return Some(f),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(_) => return None,
        }
    }
    None
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
