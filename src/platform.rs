//! Where genomgang meets the desktop it runs on: the habits of Windows users (a folder
//! dragged onto `genomgang.exe`, a double-click, Excel's lock files, OneDrive, a file
//! Excel holds open) handled in plain, cross-platform Rust. The few calls into Windows
//! itself are `#[cfg(windows)]` declarations at the bottom; on Linux they compile to
//! "no console window of our own", so nothing here changes how the program behaves there.

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The subcommand names, so that a folder named like one is still a subcommand.
const SUBCOMMANDS: [&str; 4] = ["report", "batch", "check", "templates"];

/// What the program was asked to do, seen before the command line is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Ordinary command line: parse the arguments as they are.
    Args(Vec<OsString>),
    /// No argument at all in a console window of its own (a double-click on the exe).
    DoubleClick,
    /// One file dragged onto the exe, where a folder is needed.
    DroppedFile(PathBuf),
}

/// Turns the process arguments (program name first) into what to run.
///
/// `genomgang FOLDER` (one argument, an existing folder, not a subcommand name: a folder
/// dragged onto `genomgang.exe`) becomes `genomgang report FOLDER --out PARENT`, so the
/// workbook is written next to the folder, in the folder that holds it. A folder with no
/// parent (a drive or share root) gets the workbook inside itself.
pub fn launch(args: Vec<OsString>, own_window: bool) -> Launch {
    if args.len() == 1 && own_window {
        return Launch::DoubleClick;
    }
    if args.len() != 2 {
        return Launch::Args(args);
    }
    let arg = &args[1];
    let is_subcommand_or_flag = arg
        .to_str()
        .is_some_and(|a| SUBCOMMANDS.contains(&a) || a.starts_with('-'));
    if is_subcommand_or_flag {
        return Launch::Args(args);
    }
    let path = PathBuf::from(arg);
    if path.is_dir() {
        let out = out_dir_beside(&path);
        return Launch::Args(vec![
            args[0].clone(),
            OsString::from("report"),
            arg.clone(),
            OsString::from("--out"),
            out.into_os_string(),
        ]);
    }
    if path.is_file() && own_window {
        return Launch::DroppedFile(path);
    }
    Launch::Args(args)
}

/// The folder a dragged folder's workbook goes to: the folder that holds it.
pub fn out_dir_beside(dir: &Path) -> PathBuf {
    // Trailing separators ("Kungsholmen\") would make the folder its own parent.
    let trimmed = trim_trailing_separators(dir);
    match trimmed.parent() {
        Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Some(p) => p.to_path_buf(),
        None => dir.to_path_buf(),
    }
}

fn trim_trailing_separators(dir: &Path) -> PathBuf {
    let s = dir.as_os_str().to_string_lossy();
    let t = s.trim_end_matches(['/', std::path::MAIN_SEPARATOR]);
    if t.is_empty() || t.ends_with(':') || t.len() == s.len() {
        dir.to_path_buf()
    } else {
        PathBuf::from(t)
    }
}

/// The text a double-click (no folder given) shows.
pub const DOUBLE_CLICK_TEXT: &str =
    "genomgang – Ledningens genomgång av informationssäkerhet (ISO/IEC 27001 9.3)

Så här gör du:
  1. Lägg exporterna (utbildning, personal, incidenter, registerförteckning,
     informationsklassning, risker, åtgärder) i en mapp.
  2. Dra mappen och släpp den på genomgang.exe.
  3. Arbetsboken \"Ledningens genomgång ÅÅÅÅ - NAMN.xlsx\" skrivs bredvid mappen,
     alltså i mappen som innehåller den.

Inställningar (namn, år, obligatoriska kurser) läggs i en fil genomgang.toml i mappen.
Från en kommandotolk: genomgang.exe report MAPP (se genomgang.exe --help).";

/// The text for a file dropped where a folder is wanted.
pub fn dropped_file_text(path: &Path) -> String {
    format!(
        "genomgang: {} är en fil. Dra i stället mappen som innehåller exporterna och släpp den på genomgang.exe.",
        path.display()
    )
}

/// One line that sums up a run, for a window that stays open after it.
pub fn outcome_line(code: u8) -> &'static str {
    match code {
        0 => "Klart.",
        1 => "Klart, men någon fil kunde inte läsas (se ovan).",
        _ => "Ingen rapport skrevs (se ovan).",
    }
}

/// Whether the program has a console window of its own: started from Explorer (a
/// double-click, or a folder dropped on the exe) rather than from a terminal or a script.
/// Only then does the window wait for a key before it closes. A run whose input or
/// output is redirected never waits. Always false outside Windows.
pub fn own_console_window() -> bool {
    use std::io::IsTerminal as _;
    sys::console_process_count() == Some(1)
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
}

/// Shows å, ä and ö right in the Windows console: UTF-8 output code page while the
/// guard lives, the console's own code page back when it is dropped (the console may be
/// a terminal that outlives the program). Nothing elsewhere.
pub fn console_utf8() -> ConsoleCodePage {
    ConsoleCodePage(sys::set_output_code_page(65001))
}

/// The console's output code page before [`console_utf8`], restored on drop.
pub struct ConsoleCodePage(Option<u32>);

impl Drop for ConsoleCodePage {
    fn drop(&mut self) {
        if let Some(previous) = self.0 {
            sys::set_output_code_page(previous);
        }
    }
}

/// Keeps the window open until a key is pressed.
pub fn wait_for_key() {
    eprintln!();
    eprint!("Tryck på en tangent för att stänga fönstret.");
    let _ = std::io::stderr().flush();
    sys::read_key();
    eprintln!();
}

/// Files skipped without a word (not even in Källor): Office's lock and temporary files,
/// the folder settings and thumbnail caches Windows and macOS leave behind, and OneDrive
/// placeholders that hold no data on this computer.
pub fn skipped_silently(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    is_system_file_name(name) || sys::is_empty_placeholder(path)
}

/// By name alone, so the same files are skipped on every platform.
pub fn is_system_file_name(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    let lower = name.to_lowercase();
    // Excel/Word lock files (~$Budget.xlsx), Office temporary files (~WRL0001.tmp),
    // macOS (.DS_Store, ._Budget.xlsx) and LibreOffice (.~lock.Budget.xlsx#) leftovers.
    name.starts_with("~$")
        || name.starts_with('.')
        || (name.starts_with('~') && lower.ends_with(".tmp"))
        || matches!(
            lower.as_str(),
            "desktop.ini" | "thumbs.db" | "ehthumbs.db" | "ehthumbs_vista.db" | "icon\r"
        )
}

/// The message for a file that could not be opened or read. A file another program
/// (Excel) holds without sharing it is named as such, with what to do.
pub fn read_error(e: &std::io::Error) -> String {
    if is_sharing_violation(e) {
        "filen är öppen i ett annat program och kan inte läsas: stäng filen i Excel och försök igen"
            .to_string()
    } else {
        format!("filen kunde inte läsas ({e})")
    }
}

/// ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33) on Windows.
pub fn is_sharing_violation(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33))
}

#[cfg(windows)]
mod sys {
    use std::path::Path;

    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
        fn GetConsoleOutputCP() -> u32;
        fn SetConsoleOutputCP(code_page: u32) -> i32;
    }

    extern "C" {
        /// msvcrt: one key from the console, without echo and without Enter.
        fn _getch() -> i32;
    }

    pub fn console_process_count() -> Option<u32> {
        let mut list = [0u32; 4];
        // SAFETY: the buffer is valid for `list.len()` entries; the call writes at most that many.
        let n = unsafe { GetConsoleProcessList(list.as_mut_ptr(), list.len() as u32) };
        (n != 0).then_some(n)
    }

    /// Sets the console's output code page; returns the one it had (None: no console).
    pub fn set_output_code_page(code_page: u32) -> Option<u32> {
        // SAFETY: plain calls with a code page number; without a console they fail harmlessly.
        unsafe {
            let previous = GetConsoleOutputCP();
            (previous != 0 && SetConsoleOutputCP(code_page) != 0).then_some(previous)
        }
    }

    pub fn read_key() {
        // SAFETY: _getch takes no arguments and only reads the console.
        let key = unsafe { _getch() };
        // Arrow and function keys come as two codes; take the second too.
        if key == 0 || key == 0xE0 {
            // SAFETY: as above.
            unsafe { _getch() };
        }
    }

    pub fn is_empty_placeholder(path: &Path) -> bool {
        use std::os::windows::fs::MetadataExt as _;
        const FILE_ATTRIBUTE_OFFLINE: u32 = 0x1000;
        const FILE_ATTRIBUTE_RECALL_ON_OPEN: u32 = 0x4_0000;
        const FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS: u32 = 0x40_0000;
        // symlink_metadata: reading the attributes must not recall the file.
        match std::fs::symlink_metadata(path) {
            Ok(m) => {
                m.len() == 0
                    && m.file_attributes()
                        & (FILE_ATTRIBUTE_OFFLINE
                            | FILE_ATTRIBUTE_RECALL_ON_OPEN
                            | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS)
                        != 0
            }
            Err(_) => false,
        }
    }
}

#[cfg(not(windows))]
mod sys {
    use std::path::Path;

    pub fn console_process_count() -> Option<u32> {
        None
    }

    pub fn set_output_code_page(_code_page: u32) -> Option<u32> {
        None
    }

    pub fn read_key() {}

    pub fn is_empty_placeholder(_path: &Path) -> bool {
        false
    }
}

/// Has glibc's allocator give large freed blocks back to the system at once. By default
/// glibc raises its threshold for mapping a block of its own to the largest block freed
/// so far (up to 32 MiB), after which a unit's large lists live in the threads' heaps and
/// stay resident, fragmented, after the unit: at city scale that was a fifth of the peak
/// (`bench/run.sh`, scale 16: 282 → 228 MB). A fixed threshold keeps every block of
/// 4 MiB or more mapped on its own (and returned when freed), and a heap's free top
/// beyond 8 MiB is returned too. Lower thresholds saved a few megabytes more but cost
/// page faults: a page given back is zeroed again when taken (1 MiB each: 222 MB and
/// 342 000 faults; 4 and 8 MiB: 228 MB and 294 000; glibc's own: 282 MB and 242 000).
/// Called once, first thing in `main`.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn mallopt(
                param: std::os::raw::c_int,
                value: std::os::raw::c_int,
            ) -> std::os::raw::c_int;
        }
        // glibc's <malloc.h>.
        const M_TRIM_THRESHOLD: std::os::raw::c_int = -1;
        const M_MMAP_THRESHOLD: std::os::raw::c_int = -3;
        const MIB: std::os::raw::c_int = 1 << 20;
        // SAFETY: mallopt only sets glibc's allocator parameters; it takes no pointers.
        // Called before any other thread is started.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 4 * MIB);
            mallopt(M_TRIM_THRESHOLD, 8 * MIB);
        }
    }
}

/// Gives memory freed by a finished unit back to the system. glibc keeps freed memory of
/// each thread's arena unless it lies at the arena's top, so a batch's peak resident
/// size grew with every large unit read before, not only the ones in flight.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim only returns free pages of glibc's own heaps to the system;
        // it takes no pointers and is safe to call from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn system_file_names() {
        for n in [
            "~$Budget.xlsx",
            "desktop.ini",
            "Desktop.ini",
            "Thumbs.db",
            ".DS_Store",
            "._Budget.xlsx",
            ".~lock.Budget.xlsx#",
            "~WRL0001.tmp",
        ] {
            assert!(is_system_file_name(OsStr::new(n)), "{n}");
        }
        for n in [
            "Budget.xlsx",
            "Incidenter.csv",
            "omvärld.md",
            "genomgang.toml",
        ] {
            assert!(!is_system_file_name(OsStr::new(n)), "{n}");
        }
    }

    #[test]
    fn subcommands_and_flags_are_left_alone() {
        for a in ["report", "--help", "-V", "templates"] {
            let args = os(&["genomgang", a]);
            assert_eq!(launch(args.clone(), false), Launch::Args(args));
        }
        let none = os(&["genomgang"]);
        assert_eq!(launch(none.clone(), false), Launch::Args(none.clone()));
        assert_eq!(launch(none, true), Launch::DoubleClick);
    }

    #[test]
    fn a_folder_alone_is_a_report_written_beside_it() {
        let dir = std::env::temp_dir();
        let args = os(&["genomgang", dir.to_str().unwrap()]);
        let Launch::Args(a) = launch(args, false) else {
            panic!()
        };
        assert_eq!(a[1], "report");
        assert_eq!(a[3], "--out");
        assert_eq!(PathBuf::from(&a[4]), dir.parent().unwrap());
    }

    #[test]
    fn out_dir_beside_relative_and_trailing_separator() {
        assert_eq!(out_dir_beside(Path::new("Kungsholmen")), PathBuf::from("."));
        assert_eq!(
            out_dir_beside(Path::new("data/Kungsholmen/")),
            PathBuf::from("data")
        );
        assert_eq!(out_dir_beside(Path::new("/")), PathBuf::from("/"));
    }
}
