//! From input folders to written files, shared by `report` and `batch`: configuration
//! layering, the unit's name and the review year, loading the inputs, building the
//! [`Review`] and writing its outputs. The commands above only turn arguments into these
//! calls and outcomes into messages and exit codes.

pub mod batch;
pub mod load;

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::config::Config;
use crate::error::Error;
use crate::model::{Inputs, Severity};
use crate::report;
use crate::review::{self, Review};

/// Where the configuration of a run came from, for the Källor sheet.
pub const DEFAULT_CONFIG_SOURCE: &str = "standard (templates/genomgang.toml)";

/// Defaults, then `genomgang.toml` in the input folder, then `--config`.
pub fn load_config(
    input_dir: Option<&Path>,
    explicit: Option<&Path>,
) -> Result<(Config, Vec<String>), Error> {
    let mut files: Vec<&Path> = Vec::new();
    let local = input_dir.map(|d| d.join("genomgang.toml"));
    if let Some(local) = local.as_deref().filter(|p| p.is_file()) {
        files.push(local);
    }
    if let Some(explicit) = explicit {
        if !explicit.is_file() {
            return Err(Error::Config {
                path: explicit.to_path_buf(),
                message: "filen finns inte".to_string(),
            });
        }
        files.push(explicit);
    }
    let cfg = Config::load(&files)?;
    Ok((cfg, config_sources(&files)))
}

/// The Källor sheet's list of configuration sources: the defaults, then each file.
pub fn config_sources(files: &[&Path]) -> Vec<String> {
    std::iter::once(DEFAULT_CONFIG_SOURCE.to_string())
        .chain(files.iter().map(|f| f.display().to_string()))
        .collect()
}

/// The unit name: `--unit`, else `unit` in the configuration, else the folder's name;
/// cleaned for titles and file names (control and direction characters removed,
/// identifiers screened, at most [`crate::privacy::MAX_NAME_CHARS`] characters).
pub fn unit_name(explicit: Option<&str>, cfg: &Config, dir: &Path) -> String {
    let folder = || {
        std::fs::canonicalize(dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
    };
    [explicit.map(str::to_string), cfg.unit.clone(), folder()]
        .into_iter()
        .flatten()
        .map(|n| crate::privacy::clean_name(&n))
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| "Förvaltningen".to_string())
}

pub fn current_year() -> i32 {
    chrono::Local::now().year()
}

/// The default review year: the latest calendar year with dated incidents or training.
pub fn default_year(inputs: &Inputs) -> Option<i32> {
    let incidents = inputs.incidents.iter().map(|i| i.date.year());
    let training = inputs
        .completions
        .iter()
        .filter_map(|c| c.date.map(|d| d.year()));
    incidents.chain(training).max()
}

/// What `report` was asked to do.
pub struct ReportRequest<'a> {
    pub input_dir: &'a Path,
    pub out: &'a Path,
    pub year: Option<i32>,
    pub unit: Option<&'a str>,
    pub config: Option<&'a Path>,
    pub json: Option<&'a Path>,
    pub png: bool,
}

/// What a `report` run produced.
pub struct ReportOutcome {
    pub written: Vec<PathBuf>,
    /// Some input file could not be read (exit status 1).
    pub partial: bool,
    /// Messages for stderr (charts skipped …).
    pub notes: Vec<String>,
}

/// One unit's review: load, build, write.
pub fn run_report(req: &ReportRequest) -> Result<ReportOutcome, Error> {
    if !req.input_dir.is_dir() {
        return Err(Error::InputDir {
            path: req.input_dir.to_path_buf(),
        });
    }
    let (cfg, sources) = load_config(Some(req.input_dir), req.config)?;
    let mut inputs = load::load_folder(req.input_dir, &cfg).map_err(|source| Error::ListDir {
        path: req.input_dir.to_path_buf(),
        source,
    })?;
    load::finish(&mut inputs);
    print_problems(&inputs);
    if inputs.kinds_present().is_empty() {
        return Err(Error::NothingUsable {
            path: req.input_dir.to_path_buf(),
        });
    }
    let unit = unit_name(req.unit, &cfg, req.input_dir);
    let year = req
        .year
        .or(cfg.year)
        .or_else(|| default_year(&inputs))
        .unwrap_or_else(current_year);
    let review = review::build(&inputs, &cfg, &sources, &unit, year)?;
    std::fs::create_dir_all(req.out).map_err(|e| Error::write(req.out, e))?;
    let mut written = write_outputs(&review, req.out)?;
    let mut notes = Vec::new();
    if req.png {
        let charts = report::png::write_charts(&review, &req.out.join("diagram"))?;
        notes.extend(charts.skipped);
        written.extend(charts.written);
    }
    if let Some(target) = req.json {
        report::json::write_json(std::slice::from_ref(&review), false, target)?;
    }
    Ok(ReportOutcome {
        written,
        partial: inputs.has_file_errors(),
        notes,
    })
}

/// Writes the workbook and the Markdown text into `out`; returns the files written.
pub fn write_outputs(review: &Review, out: &Path) -> Result<Vec<PathBuf>, Error> {
    let path = out.join(report::workbook_file_name(review.year, &review.unit));
    report::workbook::write_workbook(review, &path)?;
    let md = path.with_extension("md");
    report::write_atomically(&md, review.markdown.as_bytes())?;
    Ok(vec![path, md])
}

/// Problems to stderr: every unreadable file, and a count of the rest.
pub fn print_problems(inputs: &Inputs) {
    for p in inputs
        .problems
        .iter()
        .filter(|p| p.severity == Severity::FileError)
    {
        eprintln!("Fel: {}", p.one_line());
    }
    let rejected = inputs
        .problems
        .iter()
        .filter(|p| p.severity == Severity::RowRejected)
        .count();
    if rejected > 0 {
        eprintln!(
            "Varning: {rejected} värden eller rader kunde inte användas; se bladet Datakvalitet."
        );
    }
}
