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
use crate::report::docx::DocxOptions;
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

/// The Källor sheet's list of configuration sources: the defaults, then each file by
/// its name and folder name only (no absolute paths in what management reads).
pub fn config_sources(files: &[&Path]) -> Vec<String> {
    std::iter::once(DEFAULT_CONFIG_SOURCE.to_string())
        .chain(files.iter().map(|f| short_path(f)))
        .collect()
}

/// "kungsholmen/genomgang.toml": a file and the folder it sits in.
fn short_path(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
    {
        Some(folder) if !folder.is_empty() => format!("{folder}/{name}"),
        _ => name,
    }
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

/// One kind of output file of a unit (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The review workbook.
    Xlsx,
    /// The Word document.
    Docx,
    /// The review text as Markdown.
    Md,
    /// The charts as PNG images under `diagram/`.
    Png,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Xlsx, Format::Docx, Format::Md, Format::Png];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Md => "md",
            Format::Png => "png",
        }
    }
}

/// Which files to write for each unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats(Vec<Format>);

impl Default for Formats {
    /// The workbook, the Word document and the Markdown text.
    fn default() -> Formats {
        Formats(vec![Format::Xlsx, Format::Docx, Format::Md])
    }
}

impl Formats {
    /// The formats chosen, and PNG too when `png` (the older `--png` flag).
    pub fn new(chosen: &[Format], png: bool) -> Formats {
        let mut list: Vec<Format> = Format::ALL
            .into_iter()
            .filter(|f| chosen.contains(f))
            .collect();
        if png && !list.contains(&Format::Png) {
            list.push(Format::Png);
        }
        Formats(list)
    }

    pub fn has(&self, format: Format) -> bool {
        self.0.contains(&format)
    }
}

/// What the writing of one unit's files needs besides the review.
pub struct Outputs<'a> {
    pub formats: &'a Formats,
    /// Names, date and template for the Word document.
    pub docx: DocxOptions,
    /// Where `png` writes the charts.
    pub charts_dir: PathBuf,
}

/// What writing one unit's files produced.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Messages for stderr, in Swedish: charts skipped, a template that could not be used.
    pub notes: Vec<String>,
}

/// What `report` was asked to do.
pub struct ReportRequest<'a> {
    pub input_dir: &'a Path,
    pub out: &'a Path,
    pub year: Option<i32>,
    pub unit: Option<&'a str>,
    pub config: Option<&'a Path>,
    pub json: Option<&'a Path>,
    pub formats: Formats,
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
    // A relative dokumentmall: in the input folder, then beside --config.
    let dirs: Vec<&Path> = std::iter::once(req.input_dir)
        .chain(req.config.and_then(Path::parent))
        .collect();
    let (docx, warnings) = DocxOptions::from_config(&cfg, &dirs);
    let outputs = Outputs {
        formats: &req.formats,
        docx,
        charts_dir: req.out.join("diagram"),
    };
    let written = write_outputs(&review, req.out, &outputs)?;
    if let Some(target) = req.json {
        report::json::write_json(std::slice::from_ref(&review), false, target)?;
    }
    let notes = warnings
        .iter()
        .map(|w| format!("Varning: {w}"))
        .chain(written.notes)
        .collect();
    Ok(ReportOutcome {
        written: written.files,
        partial: inputs.has_file_errors(),
        notes,
    })
}

/// Writes the chosen files of one review into `out` (the charts into
/// `outputs.charts_dir`): the workbook, the Word document, the Markdown text, the PNG
/// charts.
pub fn write_outputs(review: &Review, out: &Path, outputs: &Outputs) -> Result<Written, Error> {
    let wants = |f: Format| outputs.formats.has(f);
    let path = out.join(report::workbook_file_name(review.year, &review.unit));
    let mut written = Written::default();
    if wants(Format::Xlsx) {
        report::workbook::write_workbook(review, &path)?;
        written.files.push(path.clone());
    }
    if wants(Format::Docx) {
        let docx = out.join(report::docx::docx_file_name(review.year, &review.unit));
        let warnings = report::docx::write_docx(review, &docx, &outputs.docx)?;
        written
            .notes
            .extend(warnings.iter().map(|w| format!("Varning: {w}")));
        written.files.push(docx);
    }
    if wants(Format::Md) {
        let md = path.with_extension("md");
        report::write_atomically(&md, review.markdown.as_bytes())?;
        written.files.push(md);
    }
    if wants(Format::Png) {
        let charts = report::png::write_charts(review, &outputs.charts_dir)?;
        written.notes.extend(charts.skipped);
        written.files.extend(charts.written);
    }
    Ok(written)
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
