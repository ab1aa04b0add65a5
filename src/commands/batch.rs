//! `genomgang batch ROOT_DIR`: every förvaltning of a city, and the comparison workbook.

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::BatchArgs;
use crate::commands::{fail, EXIT_FAILED, EXIT_OK, EXIT_PARTIAL};
use crate::pipeline::batch::{run_batch, BatchRequest, Progress};
use crate::pipeline::Formats;

pub fn run(args: &BatchArgs) -> u8 {
    let jobs = args
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
        .max(1);
    let request = BatchRequest {
        root: &args.root_dir,
        out: &args.output.out,
        year: args.output.year,
        config: args.output.config.as_deref(),
        json: args.output.json.as_deref(),
        historik: args.output.historik.as_deref(),
        jobs,
        formats: Formats::new(&args.output.format, false),
    };
    let progress = BarProgress::new();
    let outcome = match run_batch(&request, &progress) {
        Ok(o) => o,
        Err(e) => {
            progress.bar.finish_and_clear();
            return fail(&e);
        }
    };
    progress.bar.finish_and_clear();
    eprintln!("\nSammanfattning {}:", outcome.year);
    for unit in &outcome.units {
        eprintln!("  {}: {}", unit.name, unit.status);
    }
    let Some(comparison) = &outcome.comparison else {
        eprintln!("Ingen förvaltning kunde redovisas; skälen står ovan per förvaltning.");
        return EXIT_FAILED;
    };
    eprintln!("Skrev {}", comparison.display());
    if args.timings {
        eprintln!("{}", outcome.times.line());
    }
    if outcome.partial {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    }
}

/// A progress bar on a terminal (hidden otherwise, where each finished unit is a line).
/// Messages go through the bar so they never garble it.
struct BarProgress {
    bar: ProgressBar,
    terminal: bool,
}

impl BarProgress {
    fn new() -> BarProgress {
        let bar = ProgressBar::hidden();
        let terminal = console_is_terminal();
        BarProgress { bar, terminal }
    }
}

fn console_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

impl Progress for BarProgress {
    fn start(&self, units: usize) {
        self.bar.set_length(units as u64);
        if self.terminal {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar.set_style(
                ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("#>-"),
            );
        }
    }

    fn message(&self, text: &str) {
        if self.terminal {
            self.bar.println(text);
        } else {
            eprintln!("{text}");
        }
    }

    fn unit_done(&self, name: &str) {
        self.bar.inc(1);
        if self.terminal {
            self.bar.set_message(name.to_string());
        } else {
            eprintln!(
                "[{}/{}] {name} klar",
                self.bar.position(),
                self.bar.length().unwrap_or(0)
            );
        }
    }
}
