//! Command-line arguments (clap derive). Parsing only; the work is in `commands`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "genomgang",
    version,
    about = "Ledningens genomgång av informationssäkerhet (ISO/IEC 27001 9.3) från era kalkylbladsexporter",
    long_about = "Läser exporter (utbildning, personal, incidenter, registerförteckning, informationsklassning, risker, åtgärder) i xlsx, xls, ods eller csv och skriver årets Ledningens genomgång som en formaterad Excel-arbetsbok.",
    after_help = "Exempel:\n  genomgang report indata/kungsholmen\n  genomgang report indata/kungsholmen --year 2025 --json -\n  genomgang check indata/kungsholmen/*.xlsx"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Skriv Ledningens genomgång för en förvaltning från en mapp med exporter.
    Report(ReportArgs),
    /// Kör report för varje förvaltning (undermapp) och skriv en jämförelse.
    Batch(BatchArgs),
    /// Känn igen och kontrollera filer utan att skriva något.
    Check(CheckArgs),
    /// Skriv tomma indatamallar med rubriker och listval.
    Templates(TemplatesArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Mappen med exportfilerna.
    pub input_dir: PathBuf,
    /// Mapp att skriva arbetsboken i.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Året som genomgången avser (standard: senaste året med daterade incidenter eller utbildningar).
    #[arg(long)]
    pub year: Option<i32>,
    /// Organisationens namn i rapporten (standard: unit i genomgang.toml, annars mappens namn).
    #[arg(long)]
    pub unit: Option<String>,
    /// Konfigurationsfil som läggs ovanpå standardinställningarna.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Skriv nyckeltalen som JSON till en fil, eller till standard ut med "-".
    #[arg(long, value_name = "FIL|-")]
    pub json: Option<PathBuf>,
    /// Skriv också huvuddiagrammen som PNG under OUT/diagram/.
    #[arg(long)]
    pub png: bool,
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Mappen med en undermapp per förvaltning.
    pub root_dir: PathBuf,
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, value_name = "FIL|-")]
    pub json: Option<PathBuf>,
    /// Antal förvaltningar som körs samtidigt (standard: antal kärnor).
    #[arg(long)]
    pub jobs: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Filer eller mappar att kontrollera.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TemplatesArgs {
    /// Mapp att skriva mallarna i (skapas om den saknas).
    pub out_dir: PathBuf,
    /// Skriv över mallar som redan finns i mappen.
    #[arg(long)]
    pub force: bool,
    /// Konfigurationsfil som läggs ovanpå standardinställningarna (rubriker och incidentkategorier).
    #[arg(long)]
    pub config: Option<PathBuf>,
}
