//! From input folders to written files, shared by `report` and `batch`: configuration
//! layering, the unit's name and the review year, loading the inputs, building the
//! [`Review`] and writing its outputs. The commands above only turn arguments into these
//! calls and outcomes into messages and exit codes.

pub mod batch;
pub mod citysplit;
pub mod load;
pub mod stream;

use std::collections::BTreeMap;
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

/// The unit name: `--unit`, else `unit` in the configuration, else the folder's name as
/// given (a symbolic link's own name, not its target's; "." and ".." are resolved);
/// in one Unicode form ([`crate::textnorm::nfc_name`]: a folder name macOS wrote
/// decomposed is the same unit), cleaned for titles and file names (control and
/// direction characters removed, identifiers screened, at most
/// [`crate::privacy::MAX_NAME_CHARS`] characters).
pub fn unit_name(explicit: Option<&str>, cfg: &Config, dir: &Path) -> String {
    let folder = || {
        let own = dir.file_name().map(|n| n.to_string_lossy().to_string());
        own.or_else(|| {
            std::fs::canonicalize(dir)
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
        })
    };
    [explicit.map(str::to_string), cfg.unit.clone(), folder()]
        .into_iter()
        .flatten()
        .map(|n| crate::privacy::clean_name(&crate::textnorm::nfc_name(&n)))
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| "Förvaltningen".to_string())
}

/// The name of a folder as shown before its files ("historik"), never its full path.
pub fn folder_label(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| load::HISTORY_DIR.to_string())
}

pub fn current_year() -> i32 {
    chrono::Local::now().year()
}

/// Dated incidents and training completions per calendar year (dates after the run
/// date were already left out by [`load::finish`]).
pub fn dated_years(inputs: &Inputs) -> BTreeMap<i32, usize> {
    let incidents = inputs.incidents.iter().map(|i| i.date.year());
    let training = inputs
        .completions
        .iter()
        .filter_map(|c| c.date.map(|d| d.year()));
    let mut counts = BTreeMap::new();
    for y in incidents.chain(training) {
        *counts.entry(y).or_insert(0) += 1;
    }
    counts
}

/// The review year and how it was chosen, in Swedish (for stderr and Källor).
#[derive(Debug, Clone)]
pub struct YearChoice {
    pub year: i32,
    pub how: String,
}

/// A finished year is this year's review only when it holds at least this fraction of
/// the rows dated in the unfinished current year: otherwise the data is this year's,
/// and a few late dates of last year do not make last year the review year.
const SUBSTANTIAL_SHARE: f64 = 0.1;

/// The run date, for the year rule and for dates that lie in the future.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `--year`, else `year` in the configuration, else the latest finished calendar year
/// (before the year of `today`) with dated rows: an export taken in March holds all of
/// last year and the first months of this year, and reviews last year; an LMS export
/// since a roll-out years ago reviews the latest finished year, however busy the
/// roll-out year was. The current year is chosen only when no finished year has dated
/// rows, or its rows are fewer than [`SUBSTANTIAL_SHARE`] of the current year's.
pub fn choose_year(
    explicit: Option<i32>,
    configured: Option<i32>,
    counts: &BTreeMap<i32, usize>,
    today: chrono::NaiveDate,
) -> YearChoice {
    if let Some(year) = explicit {
        return YearChoice {
            year,
            how: "angivet med --year".to_string(),
        };
    }
    if let Some(year) = configured {
        return YearChoice {
            year,
            how: "year i genomgang.toml".to_string(),
        };
    }
    let current = today.year();
    let total: usize = counts.values().sum();
    let this_year: usize = counts.range(current..).map(|(_, n)| n).sum();
    let finished = counts
        .range(..current)
        .rev()
        .find(|(_, n)| **n > 0)
        .map(|(y, n)| (*y, *n));
    match finished {
        Some((year, n)) if n as f64 >= this_year as f64 * SUBSTANTIAL_SHARE => {
            let mut how = format!(
                "valt ur underlaget: senaste hela kalenderåret före körningsdagen ({today}) med daterade incidenter och utbildningar ({n} av {total})"
            );
            let later: usize = counts.range(year + 1..).map(|(_, n)| n).sum();
            if later > 0 {
                how.push_str(&format!(
                    "; {later} daterade efter {year} hör till ett år som inte är slut"
                ));
            }
            YearChoice { year, how }
        }
        Some((year, n)) => YearChoice {
            year: current,
            how: format!(
                "valt ur underlaget: innevarande år, som inte är slut, har {this_year} av {total} daterade incidenter och utbildningar; {year}, senaste hela året, har för få ({n}) för att vara granskningsåret"
            ),
        },
        None if this_year > 0 => YearChoice {
            year: current,
            how: format!(
                "valt ur underlaget: innevarande år, som inte är slut: underlaget har inga daterade incidenter eller utbildningar från tidigare år ({this_year} av {total})"
            ),
        },
        None => YearChoice {
            year: current,
            how: "innevarande år: underlaget har inga daterade incidenter eller utbildningar"
                .to_string(),
        },
    }
}

#[cfg(test)]
mod year_tests {
    use super::*;

    fn counts(pairs: &[(i32, usize)]) -> BTreeMap<i32, usize> {
        pairs.iter().copied().collect()
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_export_taken_in_march_reviews_the_year_before() {
        let c = counts(&[(2025, 300), (2026, 49)]);
        assert_eq!(choose_year(None, None, &c, day(2026, 3, 5)).year, 2025);
    }

    #[test]
    fn an_lms_export_since_a_roll_out_reviews_the_latest_finished_year() {
        let c = counts(&[(2022, 900), (2023, 100), (2024, 80), (2025, 70), (2026, 12)]);
        assert_eq!(choose_year(None, None, &c, day(2026, 3, 5)).year, 2025);
    }

    #[test]
    fn a_few_late_dates_of_last_year_do_not_choose_it() {
        let c = counts(&[(2025, 3), (2026, 200)]);
        assert_eq!(choose_year(None, None, &c, day(2026, 12, 1)).year, 2026);
        assert_eq!(
            choose_year(None, None, &counts(&[]), day(2026, 12, 1)).year,
            2026
        );
        assert_eq!(
            choose_year(Some(2020), Some(2021), &c, day(2026, 1, 1)).year,
            2020
        );
    }
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
    /// Files besides the review's first that could not be written (exit status 1).
    pub failed: Vec<Error>,
}

/// What `report` was asked to do.
pub struct ReportRequest<'a> {
    pub input_dir: &'a Path,
    pub out: &'a Path,
    pub year: Option<i32>,
    pub unit: Option<&'a str>,
    pub config: Option<&'a Path>,
    pub json: Option<&'a Path>,
    /// `--historik`: a folder of earlier reviews.
    pub historik: Option<&'a Path>,
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

/// The KPI document (SPEC §5) of one input folder for one year, with a given
/// configuration and nothing written: the library's way to ask what a folder gives,
/// e.g. with a catalogue of known systems that leaves one out
/// ([`Config::load_with`], `tests/catalogue.rs`).
pub fn kpi_document(dir: &Path, cfg: &Config, year: i32) -> Result<serde_json::Value, Error> {
    let unit = unit_name(None, cfg, dir);
    let mut inputs = load::load_folder(dir, cfg, Some(&unit), load::Subfolders::ReadOneLevel)
        .map_err(|source| Error::ListDir {
            path: dir.to_path_buf(),
            source,
        })?;
    load::finish(&mut inputs);
    let review = review::build(&inputs, cfg, &config_sources(&[]), &unit, year, "angivet")?;
    serde_json::to_value(&review).map_err(|e| Error::write(dir, e.into()))
}

/// One unit's review: load, build, write.
pub fn run_report(req: &ReportRequest) -> Result<ReportOutcome, Error> {
    if !req.input_dir.is_dir() {
        return Err(Error::InputDir {
            path: req.input_dir.to_path_buf(),
        });
    }
    let (cfg, sources) = load_config(Some(req.input_dir), req.config)?;
    let unit = unit_name(req.unit, &cfg, req.input_dir);
    let mut inputs = load::load_folder(
        req.input_dir,
        &cfg,
        Some(&unit),
        load::Subfolders::ReadOneLevel,
    )
    .map_err(|source| Error::ListDir {
        path: req.input_dir.to_path_buf(),
        source,
    })?;
    if let Some(dir) = req.historik {
        if !dir.is_dir() {
            return Err(Error::InputDir {
                path: dir.to_path_buf(),
            });
        }
        load::load_history_dir(dir, &folder_label(dir), &cfg, &mut inputs);
    }
    load::finish(&mut inputs);
    print_problems(&inputs);
    if inputs.kinds_present().is_empty() {
        return Err(Error::NothingUsable {
            path: req.input_dir.to_path_buf(),
        });
    }
    let choice = choose_year(req.year, cfg.year, &dated_years(&inputs), today());
    eprintln!("Granskningsår {}: {}.", choice.year, choice.how);
    let review = review::build(&inputs, &cfg, &sources, &unit, choice.year, &choice.how)?;
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
    let mut failed = !written.failed.is_empty();
    let mut errors: Vec<String> = written.failed.iter().map(|e| format!("Fel: {e}")).collect();
    if let Some(target) = req.json {
        // The workbook is written: a JSON that cannot be is a partial result, not none.
        if let Err(e) = report::json::write_json(std::slice::from_ref(&review), false, target) {
            errors.push(format!("Fel: {e}"));
            failed = true;
        }
    }
    let notes = warnings
        .iter()
        .map(|w| format!("Varning: {w}"))
        .chain(written.notes)
        .chain(errors)
        .collect();
    Ok(ReportOutcome {
        written: written.files,
        partial: inputs.has_file_errors() || failed,
        notes,
    })
}

/// Writes the chosen files of one review into `out` (the charts into
/// `outputs.charts_dir`) as one set ([`report::OutputSet`]): the workbook, the Word
/// document, the Markdown text, the PNG charts, each drawn in memory, staged in a
/// hidden folder and renamed into place together under the folder's lock. The first
/// file (the workbook, unless it was not asked for) is the review: if it cannot be
/// written that is an error; any other file that fails is listed in
/// [`Written::failed`] and the rest are still written. A new output joins the set
/// with one more `stage`.
pub fn write_outputs(review: &Review, out: &Path, outputs: &Outputs) -> Result<Written, Error> {
    let wants = |f: Format| outputs.formats.has(f);
    let path = out.join(report::workbook_file_name(review.year, &review.unit));
    let mut written = Written::default();
    let mut set = report::OutputSet::begin(out)?;
    // Whether the review's first file is staged: later failures are partial results.
    let mut primary = false;
    let mut stage = |set: &mut report::OutputSet,
                     written: &mut Written,
                     target: &Path,
                     bytes: Result<Vec<u8>, Error>|
     -> Result<(), Error> {
        match bytes.and_then(|b| set.stage(target, &b)) {
            Ok(()) => {
                primary = true;
                Ok(())
            }
            Err(e) if !primary => Err(e),
            Err(e) => {
                written.failed.push(e);
                Ok(())
            }
        }
    };
    if wants(Format::Xlsx) {
        let bytes = report::workbook::build_with_control(review, Some(&outputs.docx.control))
            .map_err(|source| Error::Workbook {
                path: path.clone(),
                source,
            });
        stage(&mut set, &mut written, &path, bytes)?;
    }
    if wants(Format::Docx) {
        let docx = out.join(report::docx::docx_file_name(review.year, &review.unit));
        let bytes = report::docx::build(review, &outputs.docx).map(|(bytes, warnings)| {
            written
                .notes
                .extend(warnings.iter().map(|w| format!("Varning: {w}")));
            bytes
        });
        stage(&mut set, &mut written, &docx, bytes)?;
    }
    if wants(Format::Md) {
        let md = path.with_extension("md");
        stage(
            &mut set,
            &mut written,
            &md,
            Ok(report::markdown::render(review).into_bytes()),
        )?;
    }
    if wants(Format::Png) {
        match report::png::render_charts(review, 1) {
            Ok((images, skipped)) => {
                written.notes.extend(skipped);
                for image in images {
                    let target = outputs.charts_dir.join(image.file);
                    stage(&mut set, &mut written, &target, Ok(image.png))?;
                }
            }
            Err(e) => stage(&mut set, &mut written, &outputs.charts_dir, Err(e))?,
        }
    }
    for (i, result) in set.commit().into_iter().enumerate() {
        match result {
            Ok(p) => written.files.push(p),
            Err(e) if i == 0 => return Err(e),
            Err(e) => written.failed.push(e),
        }
    }
    Ok(written)
}

/// Problems to stderr: every unreadable file, and a count of the rest.
pub fn print_problems(inputs: &Inputs) {
    for notice in &inputs.notices {
        eprintln!("Notering: {notice}");
    }
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
            "Varning: {} kunde inte användas; se bladet Datakvalitet.",
            crate::textnorm::count_noun(rejected as u64, "värde eller rad", "värden eller rader")
        );
    }
}
