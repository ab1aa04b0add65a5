//! The KPI document (SPEC §5): the same [`Review`] the workbook is written from.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::review::Review;

#[derive(Serialize)]
struct Batch<'a> {
    /// The version of the KPI document (`schema/kpi.schema.json`).
    schema_version: u32,
    units: &'a [Review],
}

/// Writes one unit's document, or `{ "units": [...] }` for several, to a file or stdout ("-").
pub fn write_json(reports: &[Review], batch: bool, target: &Path) -> Result<(), Error> {
    let text = if batch {
        serde_json::to_string_pretty(&Batch {
            schema_version: crate::schema::KPI_SCHEMA_VERSION,
            units: reports,
        })
    } else {
        match reports.first() {
            Some(r) => serde_json::to_string_pretty(r),
            None => Ok("{}".to_string()),
        }
    }
    .map_err(|e| Error::write(target, e.into()))?;
    if target.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").map_err(|e| Error::write(target, e))
    } else if writes_in_place(target) {
        // A FIFO, a device, /dev/stdout: renaming a file over it would replace the
        // node (or fail); it is written to as it is, like a shell redirection.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(target)
            .map_err(|e| Error::write(target, e))?;
        writeln!(file, "{text}").map_err(|e| Error::write(target, e))
    } else {
        crate::report::write_atomically(target, text.as_bytes())
    }
}

/// Whether `target` is something other than a regular file to be replaced: an existing
/// FIFO, socket or device (after following links), or a path into /dev or /proc
/// (/dev/stdout, /proc/self/fd/1), or a Windows device name (NUL, CON).
pub fn writes_in_place(target: &Path) -> bool {
    let special_path = |p: &Path| p.starts_with("/dev") || p.starts_with("/proc");
    if special_path(target) || std::fs::read_link(target).is_ok_and(|t| special_path(&t)) {
        return target.exists();
    }
    let device_name = target
        .file_stem()
        .and_then(|n| n.to_str())
        .is_some_and(|n| matches!(n.to_ascii_uppercase().as_str(), "NUL" | "CON"));
    if cfg!(windows) && device_name {
        return true;
    }
    std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir())
}
