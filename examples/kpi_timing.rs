//! Times each KPI family on one input folder: `cargo run --release --example kpi_timing
//! -- FOLDER [RUNS]`. Prints the median time per family over RUNS runs (default 50).
//! Used to decide between a data frame and plain counting (issue 21: plain counting won
//! in every family; see the module docs of `kpi::governance`).

use std::time::Instant;

use genomgang::config::Config;
use genomgang::kpi::{governance, incidents, training, Breakdowns};
use genomgang::pipeline::load;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: kpi_timing FOLDER [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(50);
    let cfg = Config::default_config();
    let mut inputs = load::load_folder(
        std::path::Path::new(&dir),
        &cfg,
        None,
        load::Subfolders::ReadOneLevel,
    )
    .expect("folder");
    load::finish(&mut inputs);
    let year = 2025;
    let time = |f: &dyn Fn()| -> f64 {
        median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let training_ms = time(&|| {
        let mut b = Breakdowns::default();
        let mut notes = Vec::new();
        training::compute(&inputs, &cfg, year, &mut b, &mut notes);
    });
    let incidents_ms = time(&|| {
        let mut b = Breakdowns::default();
        let mut notes = Vec::new();
        incidents::compute(&inputs, &cfg, year, "MSB", &mut b, &mut notes);
    });
    let governance_ms = time(&|| {
        let mut b = Breakdowns::default();
        governance::register(&inputs, &cfg, year, &mut b);
        governance::classification(&inputs, &mut b);
        governance::risks(&inputs, &cfg, &mut b);
        governance::actions(&inputs, year, &mut b);
    });
    println!(
        "{dir}: training {training_ms:.3} ms, incidents {incidents_ms:.3} ms, governance {governance_ms:.3} ms (median of {runs}; {} completions, {} incidents, {} register rows)",
        inputs.completions.len(),
        inputs.incidents.len(),
        inputs.activities.len() + inputs.assets.len() + inputs.risks.len() + inputs.actions.len()
    );
}
