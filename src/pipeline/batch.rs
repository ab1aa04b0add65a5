//! `batch`: every unit of a city in one run. Discovers the units (subfolders, and the
//! parts of city-wide files split by their förvaltning column), settles one review year
//! for all, runs each unit on `jobs` plain threads (read → review → write → drop), and
//! writes the comparison workbook.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::Error;
use crate::ingest::{self, FileType, Recogniser};
use crate::model::{Inputs, Problem, Severity};
use crate::pipeline::{
    choose_year, config_sources, dated_years, load, load_config, today, unit_name, write_outputs,
    Formats, Outputs, YearChoice,
};
use crate::report;
use crate::report::docx::DocxOptions;
use crate::review::{self, Review};
use crate::textnorm::unit_key;

/// What `batch` was asked to do.
pub struct BatchRequest<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub year: Option<i32>,
    pub config: Option<&'a Path>,
    pub json: Option<&'a Path>,
    /// `--historik`: a folder of earlier reviews of any units, shared out by unit name.
    pub historik: Option<&'a Path>,
    pub jobs: usize,
    /// The files written for each unit (PNG charts under `diagram/UNIT/`).
    pub formats: Formats,
}

/// Where the run tells what it is doing: messages and finished units. The command
/// decides how to show them (a progress bar on a terminal, lines otherwise).
pub trait Progress: Sync {
    /// Called once the number of units is known.
    fn start(&self, units: usize);
    /// A message for the user (an unreadable file …).
    fn message(&self, text: &str);
    /// A unit is finished (written or failed).
    fn unit_done(&self, name: &str);
}

/// How one unit went.
pub struct UnitStatus {
    pub name: String,
    /// "klar", "klar (3 värden utelämnade …)", "fel: …".
    pub status: String,
    /// Some input file could not be read, or the unit failed.
    pub partial: bool,
}

/// What a `batch` run produced.
pub struct BatchOutcome {
    pub year: i32,
    pub units: Vec<UnitStatus>,
    /// The comparison workbook, unless no unit had usable inputs.
    pub comparison: Option<PathBuf>,
    pub partial: bool,
    pub times: Timings,
}

/// Stage times, summed over units that run in parallel.
#[derive(Default)]
pub struct StageTimes {
    read_ns: AtomicU64,
    review_ns: AtomicU64,
    write_ns: AtomicU64,
}

impl StageTimes {
    fn add(counter: &AtomicU64, since: Instant) {
        counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
}

/// The stage times of a run, for `--timings` and the benchmark.
pub struct Timings {
    pub read: Duration,
    pub review: Duration,
    pub write: Duration,
    pub units_wall: Duration,
    pub total: Duration,
}

impl Timings {
    /// One Swedish line: "Tider: läsa och tolka … s, …".
    pub fn line(&self) -> String {
        format!(
            "Tider: läsa och tolka {:.3} s, nyckeltal {:.3} s, skriva arbetsböcker {:.3} s (summerat över förvaltningar som körs parallellt, på {:.3} s); jämförelse och JSON {:.3} s; totalt {:.3} s",
            self.read.as_secs_f64(),
            self.review.as_secs_f64(),
            self.write.as_secs_f64(),
            self.units_wall.as_secs_f64(),
            (self.total.saturating_sub(self.units_wall)).as_secs_f64(),
            self.total.as_secs_f64()
        )
    }
}

/// One förvaltning of the batch.
struct Unit {
    name: String,
    dir: Option<PathBuf>,
    /// Shared with the units whose configuration is loaded from the same files.
    cfg: Arc<Config>,
    sources: Vec<String>,
    /// Parts of city-wide files: (display name, sha256, sheet).
    /// Its parts of city-wide files (file, SHA-256, sheet), packed while they wait.
    parts: Vec<(String, String, crate::ingest::packed::PackedSheet)>,
    inputs: Inputs,
    /// Why this unit cannot be run (a broken genomgang.toml, a name another folder
    /// has too, a folder that cannot be read); the other units go on.
    failed: Option<String>,
    /// The year set by the unit's own genomgang.toml, which is this unit's only.
    own_year: Option<YearChoice>,
    /// The recogniser of `cfg`, shared with the units whose configurations give the
    /// same one.
    rec: Option<Arc<Recogniser>>,
    /// The unit's folder, queued to be read while the city's own files are split
    /// (see [`start_preloading`]).
    preloaded: Option<Preload>,
}

impl Unit {
    fn new(name: String, dir: Option<PathBuf>, cfg: Arc<Config>, sources: Vec<String>) -> Unit {
        Unit {
            name,
            dir,
            cfg,
            sources,
            parts: Vec::new(),
            inputs: Inputs::default(),
            failed: None,
            own_year: None,
            rec: None,
            preloaded: None,
        }
    }
}

/// A unit's folder queued to be read ahead, by the preloading thread or, if that has
/// not begun it, by the unit's own worker: whichever claims it first reads it.
struct Preload {
    claimed: Arc<AtomicBool>,
    read: std::sync::mpsc::Receiver<(Instant, std::io::Result<Inputs>)>,
}

impl Preload {
    /// The folder as read ahead, and when that began; `None` when it was not (the
    /// caller reads it now). Waits while the preloading thread is still at it.
    fn take(self) -> Option<(Instant, std::io::Result<Inputs>)> {
        if !self.claimed.swap(true, Ordering::AcqRel) {
            return None;
        }
        // A preloading thread that panicked dropped its end: the folder is read again
        // by the unit's worker, which reports the failure as the unit's.
        self.read.recv().ok()
    }

    /// Whether the preloading thread has taken (or finished) this folder.
    fn begun(&self) -> bool {
        self.claimed.load(Ordering::Acquire)
    }
}

/// The city's own files are read and split on the main thread before any unit can
/// run; meanwhile one thread reads unit folders ahead, one after another, until told
/// to stop (the split is done). Only with `jobs` of two or more. Returns the flag that
/// stops it.
///
/// First the smallest folder no smaller than the city's files (about as much work,
/// else the largest), then the smallest folders: a folder read ahead is held until its
/// unit runs (such units run first), and small ones hold little; the largest is never
/// read ahead, its peak memory would come on top of the city files'.
fn start_preloading(
    units: &mut BTreeMap<String, Unit>,
    jobs: usize,
    city_bytes: u64,
) -> Option<Arc<AtomicBool>> {
    if jobs < 2 {
        return None;
    }
    let mut sized: Vec<(u64, &mut Unit)> = units
        .values_mut()
        .filter(|u| u.failed.is_none() && u.dir.is_some())
        .map(|u| (folder_bytes(u), u))
        .collect();
    sized.sort_by_key(|(bytes, _)| *bytes);
    let first = sized
        .iter()
        .position(|(bytes, _)| *bytes >= city_bytes)
        .unwrap_or(sized.len().saturating_sub(1));
    let largest = sized.len().saturating_sub(1);
    let order = std::iter::once(first).chain((0..largest).filter(|&i| i != first));
    let mut queue = Vec::new();
    for i in order {
        let Some((_, unit)) = sized.get_mut(i) else {
            continue;
        };
        let Some(dir) = unit.dir.clone() else {
            continue;
        };
        let claimed = Arc::new(AtomicBool::new(false));
        let (send, read) = std::sync::mpsc::channel();
        unit.preloaded = Some(Preload {
            claimed: Arc::clone(&claimed),
            read,
        });
        queue.push((dir, Arc::clone(&unit.cfg), unit.name.clone(), claimed, send));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    std::thread::spawn(move || {
        for (dir, cfg, name, claimed, send) in queue {
            if stopped.load(Ordering::Acquire) || claimed.swap(true, Ordering::AcqRel) {
                break;
            }
            let started = Instant::now();
            let read = load::load_folder(&dir, &cfg, Some(&name), load::Subfolders::NameOnly);
            let _ = send.send((started, read));
        }
    });
    Some(stop)
}

/// The bytes of a unit folder's files (0 for a unit without a folder).
fn folder_bytes(unit: &Unit) -> u64 {
    unit.dir
        .as_deref()
        .and_then(|dir| ingest::list_files(dir).ok())
        .map(|files| {
            files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Gives each unit that will run the recogniser of its configuration, built once per
/// distinct one (most units share the root's).
fn share_recognisers(units: &mut [Unit]) {
    let mut built: Vec<(usize, Arc<Recogniser>)> = Vec::new();
    for i in 0..units.len() {
        if units[i].failed.is_some() {
            continue;
        }
        let same = built
            .iter()
            .find(|(j, _)| Recogniser::same_source(&units[*j].cfg, &units[i].cfg));
        let rec = match same {
            Some((_, rec)) => Arc::clone(rec),
            None => {
                let rec = Arc::new(Recogniser::new(&units[i].cfg));
                built.push((i, Arc::clone(&rec)));
                rec
            }
        };
        units[i].rec = Some(rec);
    }
}

/// Runs the whole batch.
pub fn run_batch(req: &BatchRequest, progress: &dyn Progress) -> Result<BatchOutcome, Error> {
    if !req.root.is_dir() {
        return Err(Error::InputDir {
            path: req.root.to_path_buf(),
        });
    }
    let started = Instant::now();
    let (root_cfg, _) = load_config(Some(req.root), req.config)?;
    let (mut units, root_problems) = discover_units(req, &root_cfg)?;
    for p in &root_problems {
        let label = if p.severity == Severity::FileError {
            "Fel"
        } else {
            "Notering"
        };
        progress.message(&format!("{label}: {}", p.one_line()));
    }
    if units.is_empty() {
        return Err(Error::NothingUsable {
            path: req.root.to_path_buf(),
        });
    }
    share_recognisers(&mut units);
    let city_history = city_history(req, &root_cfg, &units)?;
    for p in &city_history.problems {
        progress.message(&format!("Notering: {}", p.one_line()));
    }
    let city_history = &city_history.history;
    std::fs::create_dir_all(req.out).map_err(|e| Error::write(req.out, e))?;
    progress.start(units.len());
    let times = StageTimes::default();
    // A unit's own `year` (in its folder's genomgang.toml) is that unit's year only,
    // said per unit; `--year` is the whole city's.
    if req.year.is_none() {
        for unit in units.iter_mut() {
            if let Some(own) = unit.cfg.year.filter(|y| Some(*y) != root_cfg.year) {
                let folder = unit.dir.as_deref().map(display_name).unwrap_or_default();
                let choice = YearChoice {
                    year: own,
                    how: format!("year i {folder}/genomgang.toml (förvaltningens eget år)"),
                };
                progress.message(&format!(
                    "{}: granskningsår {}: {}.",
                    unit.name, choice.year, choice.how
                ));
                unit.own_year = Some(choice);
            }
        }
    }
    let known_year = (req.year.is_some() || root_cfg.year.is_some())
        .then(|| choose_year(req.year, root_cfg.year, &BTreeMap::new(), today()));
    let report_unit = |unit: &Unit, inputs: &Inputs, city: &YearChoice| {
        let year = unit.own_year.as_ref().unwrap_or(city);
        let result = run_unit(unit, inputs, year, req, &times, progress);
        progress.unit_done(&unit.name);
        result
    };
    let (year, results): (YearChoice, Vec<(UnitStatus, Option<Review>)>) = match known_year {
        // The year is known before reading: each unit is read, reported and dropped in
        // one go, so memory holds only the `jobs` units in flight, not the whole city.
        Some(year) => {
            progress.message(&format!("Granskningsår {}: {}.", year.year, year.how));
            let results = for_each_unit(&mut units, req.jobs, |unit| {
                let inputs = read_unit(unit, city_history, &times);
                // Giving memory back costs page faults for what comes next: worth it
                // only for a unit large enough to have held much. Once after reading
                // (what reading freed is not kept resident under the KPIs and the
                // workbook: the largest unit's peak is 20 MB lower) and once after it.
                let large = inputs.completions.len() + inputs.employees.len()
                    > RELEASE_MEMORY_AFTER_RECORDS;
                if large {
                    crate::platform::release_free_memory();
                }
                let result = report_unit(unit, &inputs, &year);
                drop(inputs);
                if large {
                    crate::platform::release_free_memory();
                }
                result
            });
            (year, results)
        }
        // The data decides the year: read every unit first (the units with a year of
        // their own do not take part).
        None => {
            for_each_unit(&mut units, req.jobs, |unit| {
                unit.inputs = read_unit(unit, city_history, &times);
            });
            let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
            for u in units.iter().filter(|u| u.own_year.is_none()) {
                for (y, n) in dated_years(&u.inputs) {
                    *counts.entry(y).or_default() += n;
                }
            }
            let year = if counts.is_empty() {
                // Every unit with data has a year of its own: the comparison takes the
                // year most of them review, not the current year nobody asked for.
                most_common_own_year(&units)
                    .unwrap_or_else(|| choose_year(None, None, &counts, today()))
            } else {
                choose_year(None, None, &counts, today())
            };
            progress.message(&format!("Granskningsår {}: {}.", year.year, year.how));
            let results = for_each_unit(&mut units, req.jobs, |unit| {
                let inputs = std::mem::take(&mut unit.inputs);
                report_unit(unit, &inputs, &year)
            });
            (year, results)
        }
    };
    let units_wall = started.elapsed();
    let year = year.year;
    let (statuses, reviews): (Vec<UnitStatus>, Vec<Option<Review>>) = results.into_iter().unzip();
    let reviews: Vec<Review> = reviews.into_iter().flatten().collect();
    // Units without a review are listed in the comparison with why.
    let mut remarks: Vec<(String, String)> = statuses
        .iter()
        .filter(|s| !reviews.iter().any(|r| r.unit == s.name))
        .map(|s| (s.name.clone(), format!("ingår inte: {}", s.status)))
        .collect();
    remarks.extend(units.iter().filter_map(|u| {
        let own = u.own_year.as_ref().filter(|c| c.year != year)?;
        Some((
            u.name.clone(),
            format!("granskningsår {}, inte {year}: {}", own.year, own.how),
        ))
    }));
    let comparison = if reviews.is_empty() {
        None
    } else {
        let path = req.out.join(format!("Jämförelse {year}.xlsx"));
        report::comparison::write_comparison(&reviews, &remarks, year, &path)?;
        if let Some(target) = req.json {
            report::json::write_json(&reviews, true, target)?;
        }
        Some(path)
    };
    let partial = root_problems
        .iter()
        .any(|p| p.severity == Severity::FileError)
        || statuses.iter().any(|s| s.partial);
    Ok(BatchOutcome {
        year,
        units: statuses,
        comparison,
        partial,
        times: Timings {
            read: Duration::from_nanos(times.read_ns.load(Ordering::Relaxed)),
            review: Duration::from_nanos(times.review_ns.load(Ordering::Relaxed)),
            write: Duration::from_nanos(times.write_ns.load(Ordering::Relaxed)),
            units_wall,
            total: started.elapsed(),
        },
    })
}

/// The units of the city, keyed by their normalised name, and the problems of files and
/// folders directly in the root that could not be placed (errors) or are not used
/// (notes). The output folder is never a unit, and two folders whose unit names are
/// the same after normalisation are both refused, named, rather than merged.
fn discover_units(
    req: &BatchRequest,
    root_cfg: &Config,
) -> Result<(Vec<Unit>, Vec<Problem>), Error> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(req.root)
        .map_err(|source| Error::ListDir {
            path: req.root.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !crate::platform::skipped_silently(p))
        .collect();
    entries.sort();
    let out = std::fs::canonicalize(req.out).ok();
    let mut units: BTreeMap<String, Unit> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut refused: Vec<Unit> = Vec::new();
    let mut loaded = LoadedConfigs::default();
    for dir in entries.iter().filter(|p| p.is_dir()) {
        let folder = display_name(dir);
        if out.is_some() && std::fs::canonicalize(dir).ok() == out {
            continue;
        }
        // Hidden folders, and the city's history folder (read by `city_history`).
        if folder.starts_with('.') || folder.eq_ignore_ascii_case(load::HISTORY_DIR) {
            continue;
        }
        let unreadable = std::fs::read_dir(dir).err();
        if unreadable.is_none() && !has_inputs(dir) {
            if let Some(inner) = nested_inputs(dir) {
                problems.push(Problem::file_error(
                    &format!("{folder}/"),
                    None,
                    &format!("mappen har inga indatafiler direkt i sig, men undermappen \"{inner}\" har"),
                    "Förvaltningen kördes inte. Flytta upp filerna ett steg, till förvaltningens mapp.",
                ));
            }
            continue;
        }
        let (cfg, sources, failed) = match unit_config(req.root, dir, req.config, &mut loaded) {
            Ok((cfg, sources)) => (cfg, sources, None),
            Err(e) => (
                Arc::new(root_cfg.clone()),
                config_sources(&[]),
                Some(format!("fel: {e}")),
            ),
        };
        let name = unit_name(None, &cfg, dir);
        let mut unit = Unit::new(name, Some(dir.clone()), cfg, sources);
        unit.failed = failed;
        if let Some(e) = unreadable {
            unit.failed = Some(format!(
                "fel: mappen \"{folder}\" kunde inte läsas: {}",
                crate::platform::read_error(&e)
            ));
        }
        let key = unit_key(&unit.name);
        if let Some(other) = units.get_mut(&key) {
            let first = other.dir.as_deref().map(display_name).unwrap_or_default();
            let clash = |this: &str, that: &str, name: &str| {
                format!("fel: mappen \"{this}\" och mappen \"{that}\" får samma förvaltningsnamn (\"{name}\"). Ge dem olika namn (unit i genomgang.toml eller mappens namn); ingen av dem kördes")
            };
            other.failed = Some(clash(&first, &folder, &other.name));
            unit.failed = Some(clash(&folder, &first, &unit.name));
            refused.push(unit);
            continue;
        }
        units.insert(key, unit);
    }
    let city_bytes: u64 = entries
        .iter()
        .filter(|p| p.is_file() && is_data_file(p))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let preloading = if city_bytes > 0 {
        start_preloading(&mut units, req.jobs, city_bytes)
    } else {
        None
    };
    let rec = Recogniser::new(root_cfg);
    for file in entries.iter().filter(|p| p.is_file()) {
        let name = display_name(file);
        if is_data_file(file) {
            split_city_file(req.root, file, root_cfg, &rec, &mut units, &mut problems);
        } else if !matches!(ingest::file_type(file), FileType::Config)
            && !name.starts_with('.')
            && !name.starts_with("~$")
        {
            problems.push(Problem::note(
                crate::model::Place::file(&name),
                "filen ligger direkt i rotmappen och är ingen tabell (xlsx, xls, ods, csv …)",
                "Den användes inte. Lägg den i en förvaltnings mapp om den hör till en förvaltning.",
            ));
        }
    }
    // The units run next; a folder not begun is read by its own unit's worker.
    if let Some(stop) = preloading {
        stop.store(true, Ordering::Release);
    }
    let mut list: Vec<Unit> = units.into_values().collect();
    list.extend(refused);
    Ok((list, problems))
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The first subfolder of `dir` that holds input files (a unit's files one level too deep).
fn nested_inputs(dir: &Path) -> Option<String> {
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    subdirs
        .into_iter()
        .find(|d| has_inputs(d))
        .map(|d| display_name(&d))
}

fn is_data_file(path: &Path) -> bool {
    matches!(
        ingest::file_type(path),
        FileType::Spreadsheet | FileType::Delimited
    )
}

fn has_inputs(dir: &Path) -> bool {
    ingest::list_files(dir)
        .map(|files| files.iter().any(|f| is_data_file(f)))
        .unwrap_or(false)
}

/// Training and roster records of a unit above which the memory it freed is given
/// back to the system when it is done (a scale-16 city: 552 → ~420 MB peak RSS; below,
/// the page faults cost more than the memory is worth).
const RELEASE_MEMORY_AFTER_RECORDS: usize = 100_000;

/// Splits a city-wide file directly in the root by its förvaltning column into the
/// units' parts (creating units that have no folder).
fn split_city_file(
    root: &Path,
    file: &Path,
    root_cfg: &Config,
    rec: &Recogniser,
    units: &mut BTreeMap<String, Unit>,
    problems: &mut Vec<Problem>,
) {
    let display = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut hook = super::citysplit::CitySplitStream { rec };
    let read = match ingest::read_file_with(file, &root_cfg.limits, Some(&mut hook)) {
        Ok(r) => r,
        Err((message, _)) => {
            problems.push(Problem::file_error(
                &display,
                None,
                &message.to_string(),
                "Filen hoppades över.",
            ));
            return;
        }
    };
    if read.own_output {
        // A comparison or review written here by an earlier run: never an input.
        problems.push(Problem::note(
            crate::model::Place::file(&display),
            "filen är en arbetsbok som genomgang har skrivit, inte en export",
            "Den lästes inte som underlag.",
        ));
        return;
    }
    let mut recognised = false;
    let sha256 = read.sha256;
    for mut sheet in read.sheets {
        let streamed = sheet
            .streamed
            .take()
            .and_then(|s| s.take::<super::citysplit::CityParts>());
        if let Some(split) = streamed {
            // Split as it was read: the parts are packed already.
            recognised = true;
            note_blank_administrations(problems, &display, &sheet, &split.blank);
            for part in split.parts {
                let facts = load::part_facts(&sheet, part.row_numbers);
                let unit = city_unit(units, &part.administration, root_cfg);
                unit.parts
                    .push((display.clone(), sha256.clone(), part.rows.finish(facts)));
            }
            continue;
        }
        let Ok(map) = rec.recognise(&sheet.rows) else {
            continue;
        };
        recognised = true;
        match load::split_by_administration(&sheet, &map) {
            Some((parts, blank)) => {
                note_blank_administrations(problems, &display, &sheet, &blank);
                // Each part's rows are moved out of the sheet, not copied.
                let mut rows = std::mem::take(&mut sheet.rows);
                for part in parts {
                    let part_sheet = load::part_sheet(&sheet, &mut rows, map.header_index, &part);
                    let unit = city_unit(units, &part.administration, root_cfg);
                    unit.parts.push((
                        display.clone(),
                        sha256.clone(),
                        crate::ingest::packed::PackedSheet::pack(part_sheet),
                    ));
                }
            }
            None => problems.push(Problem::file_error(
                &display,
                sheet.sheet.clone(),
                &format!("filen ligger direkt i {} men har ingen kolumn Förvaltning, Stadsdelsförvaltning, Nämnd eller Organisation", root.display()),
                "Den kan inte fördelas på förvaltningar och hoppades över. Lägg den i en förvaltnings mapp eller lägg till kolumnen.",
            )),
        }
    }
    if !recognised {
        problems.push(Problem::note(
            crate::model::Place::file(&display),
            "filen ligger direkt i rotmappen men inget blad känns igen som underlag",
            "Den användes inte. Kör `genomgang check` på filen för att se varför.",
        ));
    }
}

/// Lists a city-wide sheet's data rows (1-based) that have no förvaltning.
fn note_blank_administrations(
    problems: &mut Vec<Problem>,
    display: &str,
    sheet: &ingest::RawSheet,
    blank: &[u32],
) {
    if blank.is_empty() {
        return;
    }
    problems.push(Problem::new(
        Severity::RowRejected,
        crate::model::Place::sheet(display, sheet.sheet.clone()),
        &format!(
            "{} saknar förvaltning ({})",
            crate::kpi::count_noun(blank.len(), "rad", "rader"),
            row_list(blank)
        ),
        "Raderna hör inte till någon förvaltning och räknas inte. Fyll i förvaltningen i källsystemet.",
    ));
}

/// The unit of a förvaltning named in a city-wide file: its folder's, or a new unit
/// without a folder.
fn city_unit<'u>(
    units: &'u mut BTreeMap<String, Unit>,
    administration: &str,
    root_cfg: &Config,
) -> &'u mut Unit {
    units.entry(unit_key(administration)).or_insert_with(|| {
        Unit::new(
            crate::privacy::clean_name(&crate::textnorm::nfc_name(administration)),
            None,
            Arc::new(root_cfg.clone()),
            config_sources(&[]),
        )
    })
}

/// "rad 5, 9, 12" — at most ten numbers, then "…".
fn row_list(rows: &[u32]) -> String {
    let shown: Vec<String> = rows.iter().take(10).map(|r| r.to_string()).collect();
    let more = if rows.len() > 10 { ", …" } else { "" };
    format!("rad {}{more}", shown.join(", "))
}

/// Defaults, then ROOT_DIR's genomgang.toml, then the unit folder's, then `--config`.
/// A `unit` name set only at the root is not inherited: it would name every unit the same.
/// Configurations loaded so far, by the files they were merged from: most units have
/// no file of their own and share the root's, which is then parsed once, not per unit.
type LoadedConfigs = Vec<(Vec<PathBuf>, Arc<Config>)>;

fn unit_config(
    root: &Path,
    dir: &Path,
    explicit: Option<&Path>,
    loaded: &mut LoadedConfigs,
) -> Result<(Arc<Config>, Vec<String>), Error> {
    let root_local = root.join("genomgang.toml");
    let local = dir.join("genomgang.toml");
    let files: Vec<&Path> = [Some(root_local.as_path()), Some(local.as_path()), explicit]
        .into_iter()
        .flatten()
        .filter(|p| p.is_file())
        .collect();
    let mut cfg = match loaded.iter().find(|(from, _)| from.iter().eq(files.iter())) {
        Some((_, cfg)) => Arc::clone(cfg),
        None => {
            let cfg = Arc::new(Config::load(&files)?);
            loaded.push((
                files.iter().map(|p| p.to_path_buf()).collect(),
                Arc::clone(&cfg),
            ));
            cfg
        }
    };
    // The unit name its own file gives; a copy only for a unit that has one.
    let unit = cfg
        .unit_by_file
        .iter()
        .find(|(file, _)| *file == local)
        .map(|(_, unit)| unit.clone());
    if cfg.unit != unit {
        Arc::make_mut(&mut cfg).unit = unit;
    }
    Ok((cfg, config_sources(&files)))
}

/// Runs `work` on every unit with `jobs` plain threads, results in unit order.
///
/// Plain threads, each taking the next unit when it has finished one, so that at most
/// `jobs` units are in memory at once (a work-stealing pool gives no such bound). A
/// unit's memory follows its input, so the units in flight are also kept within a
/// budget of input ([`InFlight`]): the largest unit never runs beside the next largest,
/// and peak memory follows the largest unit's working set, not the sum of the largest
/// few. A free thread takes the largest waiting unit that fits (the smaller units run
/// beside a large one), and any unit when nothing else is in flight.
fn for_each_unit<R: Send>(
    list: &mut [Unit],
    jobs: usize,
    work: impl Fn(&mut Unit) -> R + Sync,
) -> Vec<R> {
    let weights: Vec<u64> = list.iter().map(unit_weight).collect();
    let order = largest_first(list, &weights);
    let slots: Vec<std::sync::Mutex<(&mut Unit, Option<R>)>> = list
        .iter_mut()
        .map(|u| std::sync::Mutex::new((u, None)))
        .collect();
    let threads = jobs.min(slots.len()).max(1);
    let flight = InFlight::new(order, &weights, threads);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(taken) = flight.take() {
                    if let Some(slot) = slots.get(taken.0) {
                        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                        let result = work(&mut *slot.0);
                        slot.1 = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).1)
        .collect()
}

/// The units waiting and in flight of [`for_each_unit`], within a budget of input: the
/// largest unit's, and a quarter of it more per further thread.
struct InFlight<'w> {
    state: std::sync::Mutex<FlightState>,
    finished: std::sync::Condvar,
    weights: &'w [u64],
    budget: u64,
}

struct FlightState {
    /// Unit indices not yet taken, in the order they are preferred.
    waiting: Vec<usize>,
    /// Units running, and their input.
    running: usize,
    weight: u64,
}

impl<'w> InFlight<'w> {
    fn new(order: Vec<usize>, weights: &'w [u64], threads: usize) -> InFlight<'w> {
        let largest = weights.iter().copied().max().unwrap_or(0);
        let extra = threads.saturating_sub(1) as u64;
        InFlight {
            state: std::sync::Mutex::new(FlightState {
                waiting: order,
                running: 0,
                weight: 0,
            }),
            finished: std::sync::Condvar::new(),
            weights,
            budget: largest.saturating_add(largest / 4 * extra),
        }
    }

    /// The next unit to run, waiting while none fits beside those in flight; `None`
    /// when every unit has been taken. The unit's share is given back when the
    /// [`Taken`] is dropped, also when its work panics (no thread then waits forever).
    fn take(&self) -> Option<Taken<'_, 'w>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let (running, in_flight) = (state.running, state.weight);
            let fits = state.waiting.iter().position(|&i| {
                running == 0 || in_flight.saturating_add(self.weight(i)) <= self.budget
            });
            if let Some(at) = fits {
                let i = state.waiting.remove(at);
                state.running += 1;
                state.weight = state.weight.saturating_add(self.weight(i));
                return Some(Taken(i, self));
            }
            state = self.finished.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Unit `i` has finished: its share of the budget is free again.
    fn done(&self, i: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.running -= 1;
        state.weight = state.weight.saturating_sub(self.weight(i));
        self.finished.notify_all();
    }

    fn weight(&self, i: usize) -> u64 {
        self.weights.get(i).copied().unwrap_or(0)
    }
}

/// A unit taken from [`InFlight`]: its index, and its share of the budget until dropped.
struct Taken<'f, 'w>(usize, &'f InFlight<'w>);

impl Drop for Taken<'_, '_> {
    fn drop(&mut self) {
        self.1.done(self.0);
    }
}

/// A unit's input in bytes: its folder's files, and its rows of the city's own files
/// (a row weighs about as much as its share of a file).
fn unit_weight(unit: &Unit) -> u64 {
    let parts: u64 = unit
        .parts
        .iter()
        .map(|(_, _, s)| s.row_count() as u64 * 100)
        .sum();
    folder_bytes(unit).saturating_add(parts)
}

/// Unit indices, the most input first: the largest unit then starts at once instead of
/// running alone at the end while the other threads idle (results keep unit order).
/// A unit whose folder is being read already goes first: its inputs are not held
/// longer than the other units'.
fn largest_first(list: &[Unit], weights: &[u64]) -> Vec<usize> {
    let mut order: Vec<(bool, u64, usize)> = list
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(i, (u, w))| (u.preloaded.as_ref().is_some_and(Preload::begun), *w, i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    order.into_iter().map(|(_, _, i)| i).collect()
}

/// The earlier reviews of the city: `historik/` in the root and `--historik`, each
/// review later given to the unit of its name. Reviews of no unit are noted.
fn city_history(req: &BatchRequest, root_cfg: &Config, units: &[Unit]) -> Result<Inputs, Error> {
    let mut found = Inputs::default();
    let root_dir = req.root.join(load::HISTORY_DIR);
    if root_dir.is_dir() {
        load::load_history_dir(&root_dir, load::HISTORY_DIR, root_cfg, &mut found);
    }
    if let Some(dir) = req.historik {
        if !dir.is_dir() {
            return Err(Error::InputDir {
                path: dir.to_path_buf(),
            });
        }
        load::load_history_dir(
            dir,
            &crate::pipeline::folder_label(dir),
            root_cfg,
            &mut found,
        );
    }
    for p in &found.history {
        if !units.iter().any(|u| unit_key(&u.name) == unit_key(&p.unit)) {
            found.problems.push(Problem::note(
                crate::model::Place::file(&p.file),
                &format!(
                    "genomgången {} gäller {}, som inte är någon förvaltning i körningen",
                    p.year, p.unit
                ),
                "Den användes inte som historik.",
            ));
        }
    }
    Ok(found)
}

/// Reads one unit's folder and its parts of the city-wide files.
fn read_unit(
    unit: &mut Unit,
    city_history: &[crate::model::history::PastReview],
    times: &StageTimes,
) -> Inputs {
    if unit.failed.is_some() {
        return Inputs::default();
    }
    let mut clock = Instant::now();
    let rec = match &unit.rec {
        Some(rec) => Arc::clone(rec),
        None => Arc::new(Recogniser::new(&unit.cfg)),
    };
    let folder = match unit.preloaded.take().and_then(Preload::take) {
        Some((started, read)) => {
            clock = started;
            Some(read)
        }
        None => unit.dir.as_deref().map(|dir| {
            load::load_folder_with(
                dir,
                &unit.cfg,
                &rec,
                Some(&unit.name),
                load::Subfolders::NameOnly,
            )
        }),
    };
    let mut inputs = match (&unit.dir, folder) {
        (Some(dir), Some(folder)) => match folder {
            Ok(inputs) => inputs,
            Err(e) => {
                unit.failed = Some(format!(
                    "fel: mappen \"{}\" kunde inte läsas: {}",
                    display_name(dir),
                    crate::platform::read_error(&e)
                ));
                return Inputs::default();
            }
        },
        _ => Inputs::default(),
    };
    for (display, sha, packed) in std::mem::take(&mut unit.parts) {
        let sheet = packed.unpack();
        let name = format!("{display} (stadens fil)");
        load::guarded(&name, Some(&sha), &mut inputs, |inputs| {
            load::load_sheet(&sheet, &name, &sha, "", &unit.cfg, &rec, inputs)
        });
    }
    for past in city_history
        .iter()
        .filter(|p| unit_key(&p.unit) == unit_key(&unit.name))
    {
        inputs.add_source(
            crate::model::Source::new(
                &past.file,
                None,
                "",
                &format!(
                    "Historik: genomgång {}, {} (stadens historik)",
                    past.year, past.unit
                ),
            )
            .used_as("Historik"),
        );
        inputs.history.push(past.clone());
    }
    load::finish(&mut inputs);
    StageTimes::add(&times.read_ns, clock);
    inputs
}

/// Builds and writes one unit's review: the chosen files (the workbook, the Word
/// document, the Markdown text; PNG charts under `diagram/UNIT/`).
fn run_unit(
    unit: &Unit,
    inputs: &Inputs,
    year: &YearChoice,
    req: &BatchRequest,
    times: &StageTimes,
    progress: &dyn Progress,
) -> (UnitStatus, Option<Review>) {
    let failed = |status: String| {
        let status = UnitStatus {
            name: unit.name.clone(),
            status,
            partial: true,
        };
        (status, None)
    };
    if let Some(why) = &unit.failed {
        return failed(why.clone());
    }
    for notice in &inputs.notices {
        progress.message(&format!("{}: Notering: {notice}", unit.name));
    }
    if inputs.kinds_present().is_empty() {
        if inputs.own_outputs > 0 && !inputs.has_file_errors() {
            // An output folder of an earlier run: nothing to report, nothing wrong.
            let status = UnitStatus {
                name: unit.name.clone(),
                status:
                    "hoppades över: mappen innehåller bara arbetsböcker som genomgang har skrivit"
                        .to_string(),
                partial: false,
            };
            return (status, None);
        }
        return failed("inga användbara indata".to_string());
    }
    let clock = Instant::now();
    let review = match review::build(
        inputs,
        &unit.cfg,
        &unit.sources,
        &unit.name,
        year.year,
        &year.how,
    ) {
        Ok(r) => r,
        Err(e) => return failed(format!("fel: {e}")),
    };
    StageTimes::add(&times.review_ns, clock);
    let clock = Instant::now();
    // A relative dokumentmall: in the unit's folder, the root, then beside --config.
    let dirs: Vec<&Path> = unit
        .dir
        .as_deref()
        .into_iter()
        .chain(std::iter::once(req.root))
        .chain(req.config.and_then(Path::parent))
        .collect();
    let (docx, warnings) = DocxOptions::from_config(&unit.cfg, &dirs);
    let outputs = Outputs {
        formats: &req.formats,
        docx,
        charts_dir: req
            .out
            .join("diagram")
            .join(report::safe_file_name(&unit.name)),
    };
    let written = match write_outputs(&review, req.out, &outputs) {
        Ok(w) => w,
        Err(e) => return failed(format!("fel: {e}")),
    };
    for note in warnings
        .iter()
        .map(|w| format!("Varning: {w}"))
        .chain(written.notes)
    {
        progress.message(&format!("{}: {note}", unit.name));
    }
    for e in &written.failed {
        progress.message(&format!("Fel: {e}"));
    }
    StageTimes::add(&times.write_ns, clock);
    let count = |severity: Severity| {
        inputs
            .problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    };
    let (file_errors, rejected) = (count(Severity::FileError), count(Severity::RowRejected));
    for p in inputs
        .problems
        .iter()
        .filter(|p| p.severity == Severity::FileError)
    {
        progress.message(&format!("Fel: {}", p.one_line()));
    }
    let mut status = match (file_errors, rejected) {
        (0, 0) => "klar".to_string(),
        (0, r) => format!(
            "klar, {} utelämnade, se Datakvalitet",
            crate::textnorm::count_noun(r as u64, "värde", "värden")
        ),
        (f, _) => format!(
            "klar, men {} inte läsas",
            crate::textnorm::count_noun(f as u64, "fil kunde", "filer kunde")
        ),
    };
    if let Some(own) = &unit.own_year {
        status.push_str(&format!("; granskningsår {}: {}", own.year, own.how));
    }
    let status = UnitStatus {
        name: unit.name.clone(),
        status,
        partial: file_errors > 0 || !written.failed.is_empty(),
    };
    (status, Some(review))
}

/// The year most units' own configurations give (the earliest of equally common ones),
/// when no unit leaves the year to the data.
fn most_common_own_year(units: &[Unit]) -> Option<YearChoice> {
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for u in units {
        if let Some(own) = &u.own_year {
            *counts.entry(own.year).or_default() += 1;
        }
    }
    let (&year, &n) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    Some(YearChoice {
        year,
        how: format!(
            "det år som {} av {} förvaltningar anger i sin egen genomgang.toml",
            n,
            units.len()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A free thread takes the largest waiting unit that fits beside those in flight;
    /// a finished unit's share is free again; the last units are taken in order.
    #[test]
    fn units_in_flight_stay_within_the_budget() {
        // Budget with two threads: the largest (100) and a quarter of it (125).
        let weights = [100, 60, 20, 10, 40];
        let order = vec![0, 1, 4, 2, 3];
        let flight = InFlight::new(order, &weights, 2);
        assert_eq!(flight.budget, 125);
        let largest = flight.take();
        assert_eq!(largest.as_ref().map(|t| t.0), Some(0));
        // 60 and 40 do not fit beside 100; 20 does.
        let beside = flight.take();
        assert_eq!(beside.as_ref().map(|t| t.0), Some(2));
        drop(beside);
        // 10 fits beside 100 (20 is done).
        let small = flight.take();
        assert_eq!(small.as_ref().map(|t| t.0), Some(3));
        drop(small);
        drop(largest);
        // Nothing in flight: the next in order runs, then what fits beside it.
        let next = flight.take();
        assert_eq!(next.as_ref().map(|t| t.0), Some(1));
        let last = flight.take();
        assert_eq!(last.as_ref().map(|t| t.0), Some(4));
        drop((next, last));
        assert!(flight.take().is_none());
        let state = flight.state.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!((state.running, state.weight), (0, 0));
    }

    /// A folder queued for reading ahead is read once: by the preloading thread when it
    /// claimed it first (its unit then waits for that read), else by the unit's worker,
    /// which the preloading thread then leaves alone.
    #[test]
    fn a_preloaded_folder_is_read_by_whoever_claims_it_first() {
        let queued = || {
            let claimed = Arc::new(AtomicBool::new(false));
            let (send, read) = std::sync::mpsc::channel();
            let preload = Preload {
                claimed: Arc::clone(&claimed),
                read,
            };
            (preload, claimed, send)
        };
        // Not begun: the worker reads the folder itself, and has claimed it.
        let (preload, claimed, _send) = queued();
        assert!(!preload.begun());
        assert!(preload.take().is_none());
        assert!(claimed.swap(true, Ordering::AcqRel));
        // Begun by the preloading thread: the worker waits for its read.
        let (preload, claimed, send) = queued();
        assert!(!claimed.swap(true, Ordering::AcqRel));
        assert!(preload.begun());
        let reader = std::thread::spawn(move || {
            let mut inputs = Inputs::default();
            inputs.problems.push(Problem::note(
                crate::model::Place::file("Åtgärdsplan – Östermalm.xlsx"),
                "läst i förväg",
                "",
            ));
            send.send((Instant::now(), Ok(inputs))).ok();
        });
        let (_, read) = preload.take().expect("the preloaded read");
        assert_eq!(read.map(|i| i.problems.len()).ok(), Some(1));
        reader.join().ok();
        // Begun, but the preloading thread died: the worker reads the folder itself.
        let (preload, claimed, send) = queued();
        claimed.store(true, Ordering::Release);
        drop(send);
        assert!(preload.take().is_none());
    }

    /// With one thread the units run one at a time in order, whatever their size.
    #[test]
    fn one_thread_takes_the_units_in_order() {
        let weights = [5, 500, 50];
        let flight = InFlight::new(vec![1, 2, 0], &weights, 1);
        let mut taken = Vec::new();
        while let Some(t) = flight.take() {
            taken.push(t.0);
        }
        assert_eq!(taken, [1, 2, 0]);
    }

    /// Threads taking and finishing units concurrently: every unit runs once, and the
    /// units in flight never weigh more than the budget (a unit alone always may).
    #[test]
    fn threads_share_the_budget() {
        let weights: Vec<u64> = (0..60u64).map(|i| (i * 37) % 23 + 1).collect();
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
        let flight = InFlight::new(order, &weights, 3);
        let seen = std::sync::Mutex::new((0u64, 0usize, Vec::new()));
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    while let Some(taken) = flight.take() {
                        let w = weights[taken.0];
                        {
                            let mut s = seen.lock().unwrap_or_else(|e| e.into_inner());
                            s.0 += w;
                            s.1 += 1;
                            assert!(
                                s.1 == 1 || s.0 <= flight.budget,
                                "{} > {}",
                                s.0,
                                flight.budget
                            );
                            s.2.push(taken.0);
                        }
                        std::thread::yield_now();
                        let mut s = seen.lock().unwrap_or_else(|e| e.into_inner());
                        s.0 -= w;
                        s.1 -= 1;
                    }
                });
            }
        });
        let mut ran = seen.into_inner().unwrap_or_else(|e| e.into_inner()).2;
        ran.sort_unstable();
        assert_eq!(ran, (0..weights.len()).collect::<Vec<_>>());
    }
}
