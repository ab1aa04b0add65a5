use std::process::ExitCode;

use genomgang::platform::{self, Launch};

fn main() -> ExitCode {
    platform::tune_allocator();
    let _code_page = platform::console_utf8();
    // A panic is a bug; said in Swedish, with where it happened. One in the work on a
    // file is caught there and that file reported unreadable; the run goes on.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "genomgang: internt fel{place}. Rapportera det gärna tillsammans med vad som kördes."
        );
    }));
    // Started from Explorer (double-click, or a folder dropped on the exe): the window
    // closes when the program ends, so it waits for a key. Never from a terminal or script.
    let own_window = platform::own_console_window();
    let code = match platform::launch(std::env::args_os().collect(), own_window) {
        Launch::DoubleClick => {
            eprintln!("{}", platform::DOUBLE_CLICK_TEXT);
            2
        }
        Launch::DroppedFile(path) => {
            eprintln!("{}", platform::dropped_file_text(&path));
            2
        }
        Launch::Args(args) => {
            let code = match genomgang::cli::parse_from(args) {
                Ok(cli) => genomgang::commands::run(cli),
                Err(code) => code,
            };
            if own_window {
                eprintln!();
                eprintln!("{}", platform::outcome_line(code));
            }
            code
        }
    };
    if own_window {
        platform::wait_for_key();
    }
    ExitCode::from(code)
}
