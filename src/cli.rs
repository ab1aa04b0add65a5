//! Command-line arguments (clap derive). Parsing only; the work is in `commands`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::pipeline::Format;

/// Help laid out with Swedish headings (clap's own are English).
const TOP_HELP: &str =
    "{about-with-newline}\nAnvändning: {usage}\n\nKommandon:\n{subcommands}\n\nFlaggor:\n{options}{after-help}";
const COMMAND_HELP: &str =
    "{about-with-newline}\nAnvändning: {usage}\n\nArgument:\n{positionals}\n\nFlaggor:\n{options}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "genomgang",
    version,
    help_template = TOP_HELP,
    disable_help_subcommand = true,
    subcommand_value_name = "KOMMANDO",
    disable_help_flag = true,
    disable_version_flag = true,
    about = "Ledningens genomgång av informationssäkerhet (ISO/IEC 27001 9.3) från era kalkylbladsexporter",
    long_about = "Läser exporter (utbildning, personal, incidenter, registerförteckning, informationsklassning, risker, åtgärder) i xlsx, xls, ods eller csv och skriver årets Ledningens genomgång som en formaterad Excel-arbetsbok.",
    after_help = "Exempel:\n  genomgang report indata/kungsholmen\n  genomgang report indata/kungsholmen --year 2025 --json -\n  genomgang check indata/kungsholmen/*.xlsx"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Visa hjälp.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, display_order = 1000)]
    help: Option<bool>,
    /// Visa versionen.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
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

/// What `report` and `batch` share: where to write, the year, the configuration and
/// the output formats.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Mapp att skriva resultatet i (standard: out).
    #[arg(
        long,
        value_name = "UTMAPP",
        default_value = "out",
        hide_default_value = true
    )]
    pub out: PathBuf,
    /// Året som genomgången avser, i batch samma för alla förvaltningar (standard: year i genomgang.toml, annars senaste året med en betydande del av de daterade incidenterna eller utbildningarna).
    #[arg(long, value_name = "ÅR", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    /// Konfigurationsfil som läggs ovanpå standardinställningarna och mapparnas genomgang.toml.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Skriv nyckeltalen som JSON till en fil, eller till standard ut med "-".
    #[arg(long, value_name = "FIL|-")]
    pub json: Option<PathBuf>,
    /// Mapp med tidigare års genomgångar (arbetsböcker eller JSON från genomgang) som historik; i batch fördelas de på förvaltningarna efter namn. Mappen historik i indatamappen (eller rotmappen) läses alltid.
    #[arg(long, value_name = "MAPP")]
    pub historik: Option<PathBuf>,
    /// Filer att skriva, kommaseparerade: xlsx (arbetsboken), docx (Word-dokumentet), md (rapporttexten som Markdown), png (diagrammen som bilder under UTMAPP/diagram/). Standard: xlsx,docx,md.
    #[arg(
        long,
        value_name = "FORMAT",
        value_delimiter = ',',
        default_value = "xlsx,docx,md",
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub format: Vec<Format>,
}

#[derive(Debug, clap::Args)]
#[command(help_template = COMMAND_HELP, override_usage = "genomgang report [FLAGGOR] INDATAMAPP")]
pub struct ReportArgs {
    /// Mappen med exportfilerna.
    #[arg(value_name = "INDATAMAPP")]
    pub input_dir: PathBuf,
    /// Organisationens namn i rapporten (standard: unit i genomgang.toml, annars mappens namn).
    #[arg(long, value_name = "NAMN", value_parser = parse_unit)]
    pub unit: Option<String>,
    /// Skriv också huvuddiagrammen som PNG under UTMAPP/diagram/ (som png i --format).
    #[arg(long)]
    pub png: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
#[command(help_template = COMMAND_HELP, override_usage = "genomgang batch [FLAGGOR] ROTMAPP")]
pub struct BatchArgs {
    /// Mappen med en undermapp per förvaltning (och eventuellt stadsgemensamma filer med en kolumn Förvaltning).
    #[arg(value_name = "ROTMAPP")]
    pub root_dir: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Antal förvaltningar som körs samtidigt (standard: antal kärnor).
    #[arg(long, value_name = "ANTAL")]
    pub jobs: Option<usize>,
    /// Skriv tidsåtgången per steg (läsa, nyckeltal, skriva) när körningen är klar.
    #[arg(long)]
    pub timings: bool,
}

/// `--format` values: the names of [`Format`].
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

#[derive(Debug, clap::Args)]
#[command(help_template = COMMAND_HELP, override_usage = "genomgang check [FLAGGOR] SÖKVÄG...")]
pub struct CheckArgs {
    /// Filer eller mappar att kontrollera.
    #[arg(required = true, value_name = "SÖKVÄG")]
    pub paths: Vec<PathBuf>,
    /// Konfigurationsfil som läggs ovanpå standardinställningarna.
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Skriv ett färdigt [[files]]-block för varje fil som inte kunde placeras helt,
    /// att klistra in i genomgang.toml.
    #[arg(long)]
    pub suggest: bool,
}

#[derive(Debug, clap::Args)]
#[command(help_template = COMMAND_HELP, override_usage = "genomgang templates [FLAGGOR] UTMAPP")]
pub struct TemplatesArgs {
    /// Mapp att skriva mallarna i (skapas om den saknas).
    #[arg(value_name = "UTMAPP")]
    pub out_dir: PathBuf,
    /// Skriv över mallar som redan finns i mappen.
    #[arg(long)]
    pub force: bool,
    /// Konfigurationsfil som läggs ovanpå standardinställningarna (rubriker och incidentkategorier).
    #[arg(long, value_name = "FIL")]
    pub config: Option<PathBuf>,
}

/// Parses the arguments; on a mistake, says what is wrong in Swedish (through clap's own
/// error formatting, so suggestions and the usage line survive) and exits with 2.
pub fn parse() -> Cli {
    parse_from(std::env::args_os()).unwrap_or_else(|code| std::process::exit(code.into()))
}

/// Parses `args` (program name first). Help, version and mistakes (in Swedish) are
/// printed here; the error is the exit status to end with.
pub fn parse_from<I, T>(args: I) -> Result<Cli, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => Ok(cli),
        Err(e) => {
            let e = e.apply::<SwedishErrors>();
            let _ = e.print();
            Err(e.exit_code().clamp(0, 255) as u8)
        }
    }
}

/// clap's errors in Swedish: what is wrong, "menade du …" when clap has a suggestion,
/// the usage line, and where to read more.
pub struct SwedishErrors;

impl clap::error::ErrorFormatter for SwedishErrors {
    fn format_error(error: &clap::error::Error<Self>) -> clap::builder::StyledStr {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let context = |k: ContextKind| match error.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            Some(ContextValue::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        let what = match error.kind() {
            ErrorKind::MissingRequiredArgument => {
                format!("argument saknas: {}", context(ContextKind::InvalidArg))
            }
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                "ange ett kommando: report, batch, check eller templates".to_string()
            }
            ErrorKind::InvalidSubcommand => format!(
                "okänt kommando {}; använd report, batch, check eller templates",
                context(ContextKind::InvalidSubcommand)
            ),
            ErrorKind::UnknownArgument => {
                format!("okänd flagga {}", context(ContextKind::InvalidArg))
            }
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                let valid = context(ContextKind::ValidValue);
                let mut text = format!(
                    "ogiltigt värde \"{}\" för {}",
                    context(ContextKind::InvalidValue),
                    context(ContextKind::InvalidArg)
                );
                if !valid.is_empty() {
                    text.push_str(&format!(" (tillåtna: {valid})"));
                }
                text
            }
            ErrorKind::NoEquals
            | ErrorKind::TooManyValues
            | ErrorKind::TooFewValues
            | ErrorKind::WrongNumberOfValues => {
                format!("fel antal värden för {}", context(ContextKind::InvalidArg))
            }
            ErrorKind::ArgumentConflict => format!(
                "{} kan inte användas tillsammans med {}",
                context(ContextKind::InvalidArg),
                context(ContextKind::PriorArg)
            ),
            ErrorKind::InvalidUtf8 => "argumenten är inte giltig text (UTF-8)".to_string(),
            _ => "argumenten kunde inte tolkas".to_string(),
        };
        let mut out = format!("genomgang: {what}.");
        let suggestion = [
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedArg,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .map(context)
        .find(|s| !s.is_empty());
        if let Some(s) = suggestion {
            out.push_str(&format!(" Menade du {s}?"));
        }
        let usage = context(ContextKind::Usage);
        if !usage.is_empty() {
            let usage = usage.trim_start_matches("Usage:").trim();
            out.push_str(&format!("\n\nAnvändning: {usage}"));
        }
        out.push_str("\n\nSe genomgang --help.\n");
        clap::builder::StyledStr::from(out)
    }
}

/// A unit name given with `--unit`: something visible must remain once control
/// characters and spaces are gone.
fn parse_unit(text: &str) -> Result<String, String> {
    if crate::privacy::clean_name(text).is_empty() {
        return Err(
            "namnet är tomt; ange förvaltningens namn, t.ex. --unit \"Kungsholmen\"".to_string(),
        );
    }
    Ok(text.to_string())
}
