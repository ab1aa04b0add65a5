//! `genomgang report INPUT_DIR`: one unit's review workbook (and JSON).

use std::path::Path;

use crate::cli::ReportArgs;
use crate::commands::{fail, load_config, EXIT_OK, EXIT_PARTIAL};
use crate::config::Config;
use crate::error::Error;
use crate::kpi::{self, KpiReport};
use crate::model::{Inputs, Severity};
use crate::report;

pub fn run(args: &ReportArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn run_inner(args: &ReportArgs) -> Result<u8, Error> {
    if !args.input_dir.is_dir() {
        return Err(Error::InputDir {
            path: args.input_dir.clone(),
        });
    }
    let (cfg, config_sources) = load_config(Some(&args.input_dir), args.config.as_deref())?;
    let mut inputs =
        crate::load::load_folder(&args.input_dir, &cfg).map_err(|_| Error::InputDir {
            path: args.input_dir.clone(),
        })?;
    crate::load::finish(&mut inputs);
    print_problems(&inputs);
    if inputs.kinds_present().is_empty() {
        return Err(Error::NothingUsable {
            path: args.input_dir.clone(),
        });
    }
    let unit = unit_name(args.unit.as_deref(), &cfg, &args.input_dir);
    let year = args
        .year
        .or(cfg.year)
        .or_else(|| kpi::default_year(&inputs))
        .unwrap_or_else(current_year);
    let (report, markdown) = build_report(&inputs, &cfg, &config_sources, &unit, year)?;
    std::fs::create_dir_all(&args.out).map_err(|e| Error::Write {
        path: args.out.clone(),
        message: e.to_string(),
    })?;
    let mut written = write_outputs(&report, &markdown, &args.out)?;
    if args.png {
        let charts = report::png::write_charts(&report, &args.out.join("diagram"))?;
        for skipped in &charts.skipped {
            eprintln!("{skipped}");
        }
        written.extend(charts.written);
    }
    if let Some(target) = &args.json {
        report::json::write_json(std::slice::from_ref(&report), false, target)?;
    }
    for path in &written {
        eprintln!("Skrev {}", path.display());
    }
    Ok(if inputs.has_file_errors() {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    })
}

/// The unit name: `--unit`, else `unit` in the configuration, else the folder's name.
pub fn unit_name(explicit: Option<&str>, cfg: &Config, dir: &Path) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| cfg.unit.clone())
        .or_else(|| {
            std::fs::canonicalize(dir)
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
        })
        .unwrap_or_else(|| "Förvaltningen".to_string())
}

pub fn current_year() -> i32 {
    use chrono::Datelike;
    chrono::Local::now().year()
}

/// KPIs plus everything the outputs need besides them.
/// Returns the report and its text as Markdown.
pub fn build_report(
    inputs: &Inputs,
    cfg: &Config,
    config_sources: &[String],
    unit: &str,
    year: i32,
) -> Result<(KpiReport, String), Error> {
    let mut report = kpi::compute(inputs, cfg, unit, year).map_err(|e| Error::Write {
        path: unit.into(),
        message: format!("nyckeltalen kunde inte beräknas ({e})"),
    })?;
    report.context.config_sources = config_sources.to_vec();
    report.context.config_toml = toml::to_string(cfg).unwrap_or_default();
    report.iso = report::iso::rows(&report);
    let markdown = report::text::fill(&mut report, cfg).map_err(|message| Error::Write {
        path: "rapporttext".into(),
        message,
    })?;
    Ok((report, markdown))
}

/// Writes the workbook into `out`; returns the files written.
pub fn write_outputs(
    report: &KpiReport,
    markdown: &str,
    out: &Path,
) -> Result<Vec<std::path::PathBuf>, Error> {
    let path = out.join(report::workbook_file_name(report.year, &report.unit));
    report::workbook::write_workbook(report, &path)?;
    let md = path.with_extension("md");
    report::write_atomically(&md, markdown.as_bytes())?;
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
