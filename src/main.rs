use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = genomgang::cli::parse();
    let code = genomgang::commands::run(cli);
    ExitCode::from(code)
}
