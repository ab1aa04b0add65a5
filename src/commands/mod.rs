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

use crate::cli::{Cli, Command};
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

pub fn fail(e: &Error) -> u8 {
    eprintln!("genomgang: {e}");
    EXIT_FAILED
}
