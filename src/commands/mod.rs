//! The CLI's verbs. Each returns the process exit status of SPEC §2:
//! 0 written (warnings allowed), 1 written but some input file unreadable,
//! 2 nothing usable or bad arguments.

/// `println!` that ends the process quietly when stdout is closed (`genomgang check … | head`)
/// instead of panicking on the broken pipe.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

pub mod batch;
pub mod check;
pub mod report;
pub mod templates;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::Error;

pub const EXIT_OK: u8 = 0;
pub const EXIT_PARTIAL: u8 = 1;
pub const EXIT_FAILED: u8 = 2;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Report(args) => report::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Templates(args) => templates::run(&args),
    }
}

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
    let mut sources = vec!["standard (templates/genomgang.toml)".to_string()];
    sources.extend(files.iter().map(|f| f.display().to_string()));
    Ok((cfg, sources))
}

pub fn fail(e: &Error) -> u8 {
    eprintln!("genomgang: {e}");
    EXIT_FAILED
}
