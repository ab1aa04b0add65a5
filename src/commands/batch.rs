//! `genomgang batch ROOT_DIR`: one review per förvaltning (each subfolder, plus the
//! förvaltningar of city-wide files in ROOT_DIR split by their förvaltning column), run
//! in parallel, and `Jämförelse YYYY.xlsx` comparing them.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::cli::BatchArgs;
use crate::commands::report::{
    build_report, current_year, print_problems, unit_name, write_outputs,
};
use crate::commands::{fail, load_config, EXIT_FAILED, EXIT_OK, EXIT_PARTIAL};
use crate::config::Config;
use crate::error::Error;
use crate::ingest::{self, FileType, Recogniser};
use crate::kpi::{self, KpiReport};
use crate::model::{Inputs, Problem, Severity};
use crate::report;

/// Name key for matching units: lowercase, no diacritics, no "stadsdelsförvaltning"/"SDF"
/// suffix, no genitive s ("Kungsholmens stadsdelsförvaltning" = "kungsholmen").
pub fn unit_key(name: &str) -> String {
    let folded: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    while let Some(last) = words.last() {
        if matches!(
            *last,
            "stadsdelsforvaltning"
                | "stadsdelsforvaltningen"
                | "sdf"
                | "stadsdelsnamnd"
                | "stadsdelsnamnden"
        ) {
            words.pop();
        } else {
            break;
        }
    }
    let mut key = words.join(" ");
    if key.len() > 3 && key.ends_with('s') {
        key.pop();
    }
    key
}

/// One förvaltning of the batch.
struct Unit {
    name: String,
    dir: Option<PathBuf>,
    /// Parts of city-wide files: (display name, sha256, sheet).
    parts: Vec<(String, String, ingest::RawSheet)>,
    inputs: Inputs,
}

pub fn run(args: &BatchArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn run_inner(args: &BatchArgs) -> Result<u8, Error> {
    if !args.root_dir.is_dir() {
        return Err(Error::InputDir {
            path: args.root_dir.clone(),
        });
    }
    let (root_cfg, _) = load_config(Some(&args.root_dir), args.config.as_deref())?;
    let mut units: BTreeMap<String, Unit> = BTreeMap::new();
    let mut root_problems: Vec<Problem> = Vec::new();

    let mut entries: Vec<PathBuf> = std::fs::read_dir(&args.root_dir)
        .map_err(|_| Error::InputDir {
            path: args.root_dir.clone(),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !crate::platform::skipped_silently(p))
        .collect();
    entries.sort();
    for dir in entries.iter().filter(|p| p.is_dir()) {
        let has_inputs = ingest::list_files(dir)
            .map(|files| {
                files.iter().any(|f| {
                    matches!(
                        ingest::file_type(f),
                        FileType::Spreadsheet | FileType::Delimited
                    )
                })
            })
            .unwrap_or(false);
        if !has_inputs {
            continue;
        }
        let (cfg, _) = unit_config(&args.root_dir, dir, args.config.as_deref())?;
        let name = unit_name(None, &cfg, dir);
        units.insert(
            unit_key(&name),
            Unit {
                name,
                dir: Some(dir.clone()),
                parts: Vec::new(),
                inputs: Inputs::default(),
            },
        );
    }

    // City-wide files directly in ROOT_DIR, split by their förvaltning column.
    let rec = Recogniser::new(&root_cfg);
    for file in entries.iter().filter(|p| {
        p.is_file()
            && matches!(
                ingest::file_type(p),
                FileType::Spreadsheet | FileType::Delimited
            )
    }) {
        let display = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let read = match ingest::read_file(file, &root_cfg.limits) {
            Ok(r) => r,
            Err((message, _)) => {
                root_problems.push(root_problem(
                    &display,
                    None,
                    &message,
                    "Filen hoppades över.",
                ));
                continue;
            }
        };
        for sheet in &read.sheets {
            let Ok(map) = rec.recognise(&sheet.rows) else {
                continue;
            };
            match crate::load::split_by_administration(sheet, &map) {
                Some(parts) => {
                    for part in parts {
                        let key = unit_key(&part.administration);
                        let unit = units.entry(key).or_insert_with(|| Unit {
                            name: part.administration.clone(),
                            dir: None,
                            parts: Vec::new(),
                            inputs: Inputs::default(),
                        });
                        unit.parts.push((display.clone(), read.sha256.clone(), part.sheet));
                    }
                }
                None => root_problems.push(root_problem(
                    &display,
                    sheet.sheet.clone(),
                    &format!("filen ligger direkt i {} men har ingen kolumn Förvaltning, Stadsdelsförvaltning, Nämnd eller Organisation", args.root_dir.display()),
                    "Den kan inte fördelas på förvaltningar och hoppades över. Lägg den i en förvaltnings mapp eller lägg till kolumnen.",
                )),
            }
        }
    }
    for p in &root_problems {
        eprintln!("Fel: {}", p.one_line());
    }
    if units.is_empty() {
        return Err(Error::NothingUsable {
            path: args.root_dir.clone(),
        });
    }

    let jobs = args
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
        .max(1);
    let mut list: Vec<Unit> = units.into_values().collect();

    // Stage 1: read every unit.
    let started = Instant::now();
    let configs: Vec<Result<(Config, Vec<String>), Error>> = list
        .iter()
        .map(|u| match &u.dir {
            Some(dir) => unit_config(&args.root_dir, dir, args.config.as_deref()),
            None => Ok((
                root_cfg.clone(),
                vec!["standard (templates/genomgang.toml)".to_string()],
            )),
        })
        .collect();
    let (configs, config_sources): (Vec<Config>, Vec<Vec<String>>) = configs
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let times = StageTimes::default();

    // One review year for the whole city, so the units compare.
    // Without --year or a city-wide setting, the year the units' own genomgang.toml
    // files name most often wins; then the data decides.
    let configured_year = {
        let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
        for y in configs.iter().filter_map(|c| c.year) {
            *counts.entry(y).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(y, n)| (*n, *y))
            .map(|(y, _)| y)
    };
    let known_year = args.year.or(root_cfg.year).or(configured_year);

    std::fs::create_dir_all(&args.out).map_err(|e| Error::Write {
        path: args.out.clone(),
        message: e.to_string(),
    })?;
    let progress = Progress::new(list.len());
    let report_unit = |i: usize, unit: &Unit, inputs: &Inputs, year: i32| {
        let result = run_unit(
            &unit.name,
            inputs,
            &configs[i],
            &config_sources[i],
            year,
            &args.out,
            &times,
        );
        progress.done(&unit.name);
        result
    };
    let (year, results): (i32, Vec<UnitResult>) = match known_year {
        // The year is known before reading: each unit is read, reported and dropped in
        // one go, so memory holds only the `jobs` units in flight, not the whole city.
        Some(year) => {
            let results = for_each_unit(&mut list, jobs, |i, unit| {
                let inputs = read_unit(unit, &configs[i], &times);
                report_unit(i, unit, &inputs, year)
            });
            (year, results)
        }
        // The data decides the year: read every unit first.
        None => {
            for_each_unit(&mut list, jobs, |i, unit| {
                unit.inputs = read_unit(unit, &configs[i], &times);
            });
            let year = list
                .iter()
                .filter_map(|u| kpi::default_year(&u.inputs))
                .max()
                .unwrap_or_else(current_year);
            let results = for_each_unit(&mut list, jobs, |i, unit| {
                let inputs = std::mem::take(&mut unit.inputs);
                report_unit(i, unit, &inputs, year)
            });
            (year, results)
        }
    };

    let reports: Vec<KpiReport> = results.iter().filter_map(|r| r.report.clone()).collect();
    if reports.is_empty() {
        eprintln!("Ingen förvaltning hade användbara indata.");
        return Ok(EXIT_FAILED);
    }
    let units_time = started.elapsed();
    let comparison = args.out.join(format!("Jämförelse {year}.xlsx"));
    report::comparison::write_comparison(&reports, year, &comparison)?;
    if let Some(target) = &args.json {
        report::json::write_json(&reports, true, target)?;
    }

    eprintln!("\nSammanfattning {year}:");
    for r in &results {
        eprintln!("  {}: {}", r.name, r.status);
    }
    eprintln!("Skrev {}", comparison.display());
    // Stage times, for the benchmark (bench/run.sh) and the curious.
    let seconds = |ns: &AtomicU64| ns.load(Ordering::Relaxed) as f64 / 1e9;
    eprintln!(
        "Tider: läsa och tolka {:.3} s, nyckeltal {:.3} s, skriva arbetsböcker {:.3} s (summerat över förvaltningar som körs parallellt, på {:.3} s); jämförelse och JSON {:.3} s; totalt {:.3} s",
        seconds(&times.read_ns),
        seconds(&times.kpi_ns),
        seconds(&times.write_ns),
        units_time.as_secs_f64(),
        (started.elapsed() - units_time).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let any_partial =
        !root_problems.is_empty() || results.iter().any(|r| r.partial || r.report.is_none());
    Ok(if any_partial { EXIT_PARTIAL } else { EXIT_OK })
}

/// Defaults, then ROOT_DIR's genomgang.toml, then the unit folder's, then `--config`.
/// A `unit` name set only at the root is not inherited: it would name every unit the same.
fn unit_config(
    root: &Path,
    dir: &Path,
    explicit: Option<&Path>,
) -> Result<(Config, Vec<String>), Error> {
    let root_local = root.join("genomgang.toml");
    let local = dir.join("genomgang.toml");
    let files: Vec<&Path> = [Some(root_local.as_path()), Some(local.as_path()), explicit]
        .into_iter()
        .flatten()
        .filter(|p| p.is_file())
        .collect();
    let mut cfg = Config::load(&files)?;
    cfg.unit = if local.is_file() {
        Config::load(&[&local])?.unit
    } else {
        None
    };
    let mut sources = vec!["standard (templates/genomgang.toml)".to_string()];
    sources.extend(files.iter().map(|p| p.display().to_string()));
    Ok((cfg, sources))
}

struct UnitResult {
    name: String,
    status: String,
    partial: bool,
    report: Option<KpiReport>,
}

/// Time spent per stage, summed over units that run in parallel.
#[derive(Default)]
struct StageTimes {
    read_ns: AtomicU64,
    kpi_ns: AtomicU64,
    write_ns: AtomicU64,
}

/// Runs `work` on every unit with `jobs` plain threads, results in unit order.
///
/// Plain threads rather than a rayon pool: polars runs its queries on its own pool, and
/// a rayon worker waiting for it steals other units meanwhile, so every unit would be
/// in memory at once. A plain thread simply waits.
fn for_each_unit<R: Send>(
    list: &mut [Unit],
    jobs: usize,
    work: impl Fn(usize, &mut Unit) -> R + Sync,
) -> Vec<R> {
    let slots: Vec<std::sync::Mutex<(&mut Unit, Option<R>)>> = list
        .iter_mut()
        .map(|u| std::sync::Mutex::new((u, None)))
        .collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(slots.len()).max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(slot) = slots.get(i) else { break };
                let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                let result = work(i, &mut *slot.0);
                slot.1 = Some(result);
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).1)
        .collect()
}

/// Reads one unit's folder and its parts of the city-wide files.
fn read_unit(unit: &mut Unit, cfg: &Config, times: &StageTimes) -> Inputs {
    let clock = Instant::now();
    let rec = Recogniser::new(cfg);
    let mut inputs = match &unit.dir {
        Some(dir) => crate::load::load_folder(dir, cfg).unwrap_or_default(),
        None => Inputs::default(),
    };
    for (display, sha, sheet) in std::mem::take(&mut unit.parts) {
        crate::load::load_sheet(
            &sheet,
            &format!("{display} (stadens fil)"),
            &sha,
            "",
            cfg,
            &rec,
            &mut inputs,
        );
    }
    crate::load::finish(&mut inputs);
    times
        .read_ns
        .fetch_add(clock.elapsed().as_nanos() as u64, Ordering::Relaxed);
    inputs
}

fn run_unit(
    name: &str,
    inputs: &Inputs,
    cfg: &Config,
    sources: &[String],
    year: i32,
    out: &Path,
    times: &StageTimes,
) -> UnitResult {
    let fail = |status: String| UnitResult {
        name: name.to_string(),
        status,
        partial: true,
        report: None,
    };
    if inputs.kinds_present().is_empty() {
        return fail("inga användbara indata".to_string());
    }
    let clock = Instant::now();
    let (report, markdown) = match build_report(inputs, cfg, sources, name, year) {
        Ok(r) => r,
        Err(e) => return fail(format!("fel: {e}")),
    };
    times
        .kpi_ns
        .fetch_add(clock.elapsed().as_nanos() as u64, Ordering::Relaxed);
    let clock = Instant::now();
    if let Err(e) = write_outputs(&report, &markdown, out) {
        return fail(format!("fel: {e}"));
    }
    times
        .write_ns
        .fetch_add(clock.elapsed().as_nanos() as u64, Ordering::Relaxed);
    let file_errors = inputs
        .problems
        .iter()
        .filter(|p| p.severity == Severity::FileError)
        .count();
    let rejected = inputs
        .problems
        .iter()
        .filter(|p| p.severity == Severity::RowRejected)
        .count();
    if file_errors > 0 {
        print_problems(inputs);
    }
    let status = match (file_errors, rejected) {
        (0, 0) => "klar".to_string(),
        (0, r) => format!("klar ({r} värden utelämnade, se Datakvalitet)"),
        (f, _) => format!("klar, men {f} fil(er) kunde inte läsas"),
    };
    UnitResult {
        name: name.to_string(),
        status,
        partial: file_errors > 0,
        report: Some(report),
    }
}

fn root_problem(file: &str, sheet: Option<String>, message: &str, action: &str) -> Problem {
    Problem {
        severity: Severity::FileError,
        file: file.to_string(),
        sheet,
        row: None,
        column: None,
        value: None,
        message: message.to_string(),
        action: action.to_string(),
    }
}

/// Progress on stderr: a bar-like counter on a terminal, plain lines otherwise.
struct Progress {
    total: usize,
    done: AtomicUsize,
    terminal: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn done(&self, name: &str) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if self.terminal {
            let width = 30;
            let filled = width * n / self.total.max(1);
            eprint!(
                "\r[{}{}] {n}/{} {name:<40}",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.total
            );
            if n == self.total {
                eprintln!();
            }
        } else {
            eprintln!("[{n}/{}] {name} klar", self.total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unit_key;

    #[test]
    fn unit_names_match_ignoring_case_diacritics_and_suffix() {
        assert_eq!(
            unit_key("Kungsholmens stadsdelsförvaltning"),
            unit_key("kungsholmen")
        );
        assert_eq!(unit_key("Södermalm SDF"), unit_key("sodermalm"));
        assert_eq!(unit_key("Rinkeby-Kista"), unit_key("rinkeby kista"));
        assert_ne!(unit_key("Norrmalm"), unit_key("Östermalm"));
    }
}
