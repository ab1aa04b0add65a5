use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = genomgang::cli::Cli::parse();
    let code = genomgang::commands::run(cli);
    ExitCode::from(code)
}
