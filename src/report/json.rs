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
    } else {
        crate::report::write_atomically(target, text.as_bytes())
    }
}
