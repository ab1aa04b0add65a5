//! `genomgang templates OUT_DIR`: blank input workbooks, one per input kind.

use chrono::Datelike;

use crate::cli::TemplatesArgs;
use crate::commands::{fail, EXIT_FAILED, EXIT_OK};
use crate::input_templates::{write_all, Outcome};
use crate::pipeline::load_config;

pub fn run(args: &TemplatesArgs) -> u8 {
    let (cfg, _) = match load_config(None, args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    if args.out_dir.exists() && !args.out_dir.is_dir() {
        eprintln!(
            "genomgang: {} finns redan och är ingen mapp. Ange en mapp att skriva mallarna i.",
            args.out_dir.display()
        );
        return EXIT_FAILED;
    }
    // The NIS authority's name in the incident template is this year's (MSB, from 2026 MCF).
    let year = chrono::Local::now().year();
    let outcomes = match write_all(&args.out_dir, &cfg, year, args.force) {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    let mut failed = false;
    for outcome in &outcomes {
        match outcome {
            Outcome::Written { path, kind } => {
                say!("Skrev {} (mall för {})", path.display(), kind.label())
            }
            Outcome::Skipped { path, kind } => eprintln!(
                "Hoppade över {} (mall för {}): filen finns redan. Ta bort den eller kör med --force för att skriva över den.",
                path.display(),
                kind.label()
            ),
            Outcome::Failed { error, .. } => {
                failed = true;
                eprintln!("genomgang: {error}");
            }
        }
    }
    if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
