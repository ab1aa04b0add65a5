//! `genomgang report INPUT_DIR`: one unit's review workbook (and JSON).

use crate::cli::ReportArgs;
use crate::commands::{fail, EXIT_OK, EXIT_PARTIAL};
use crate::pipeline::{self, Formats, ReportRequest};

pub fn run(args: &ReportArgs) -> u8 {
    let request = ReportRequest {
        input_dir: &args.input_dir,
        out: &args.output.out,
        year: args.output.year,
        unit: args.unit.as_deref(),
        config: args.output.config.as_deref(),
        json: args.output.json.as_deref(),
        historik: args.output.historik.as_deref(),
        formats: Formats::new(&args.output.format, args.png),
    };
    match pipeline::run_report(&request) {
        Ok(outcome) => {
            for note in &outcome.notes {
                eprintln!("{note}");
            }
            for path in &outcome.written {
                eprintln!("Skrev {}", path.display());
            }
            if outcome.partial {
                EXIT_PARTIAL
            } else {
                EXIT_OK
            }
        }
        Err(e) => fail(&e),
    }
}
