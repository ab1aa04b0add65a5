//! `genomgang check PATH...`: recognise and validate files, write nothing.

use std::path::{Path, PathBuf};

use crate::cli::CheckArgs;
use crate::commands::{fail, EXIT_FAILED, EXIT_OK, EXIT_PARTIAL};
use crate::config::Config;
use crate::ingest::{Recogniser, SheetFacts};
use crate::model::{Inputs, Severity};
use crate::pipeline::load_config;

/// How many problems are shown per file.
const SHOWN_PROBLEMS: usize = 5;

pub fn run(args: &CheckArgs) -> u8 {
    let first_dir = args.paths.iter().find(|p| p.is_dir()).map(PathBuf::as_path);
    let (cfg, _) = match load_config(first_dir, args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let rec = Recogniser::new(&cfg);
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            match crate::ingest::list_files(p) {
                Ok(list) => files.extend(list),
                Err(e) => eprintln!("Fel: {}: mappen kunde inte läsas ({e})", p.display()),
            }
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            eprintln!("Fel: {} finns inte.", p.display());
            return EXIT_FAILED;
        }
    }
    let mut any_usable = false;
    let mut any_error = false;
    for path in &files {
        let name = path.display().to_string();
        if matches!(
            crate::ingest::file_type(path),
            crate::ingest::FileType::Ignored
        ) {
            say!("{name}\n  Ignoreras: filtypen läses inte (endast xlsx, xlsm, xls, xlsb, ods, csv, txt, HTML-tabeller och XML-kalkylblad, och textavsnitt som omvarld.md).\n");
            continue;
        }
        let mut inputs = Inputs::default();
        crate::pipeline::load::load_file(path, &name, &cfg, &rec, &mut inputs);
        print_file(&name, path, &inputs);
        if args.suggest {
            print_suggestions(path, &cfg, &rec, &inputs);
        }
        any_usable |= !inputs.kinds_present().is_empty();
        any_error |= inputs.has_file_errors();
    }
    if !any_usable {
        EXIT_FAILED
    } else if any_error {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    }
}

/// A `[[files]]` block for every sheet of the file that was not placed, or placed
/// without some of its kind's columns: the best guess for each column, and a comment
/// for what is still missing.
fn print_suggestions(path: &Path, cfg: &Config, rec: &Recogniser, inputs: &Inputs) {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let Ok(read) = crate::ingest::read_file(path, &cfg.limits) else {
        return;
    };
    for sheet in &read.sheets {
        let placed = inputs.sources.iter().any(|s| {
            s.sheet == sheet.sheet
                && s.kind.is_some()
                && !s.explain.iter().any(|l| l.contains("inte tagen"))
        });
        if placed || sheet.rows.is_empty() {
            continue;
        }
        let facts = SheetFacts {
            file: file.clone(),
            constants: Default::default(),
        };
        let Some(s) = rec.suggest(&sheet.rows, &facts) else {
            say!("# {file}: inget förslag, inga kolumnnamn liknar något genomgang känner till.");
            continue;
        };
        say!(
            "# Förslag för {file}: {} (rubrikrad {})",
            s.kind.label(),
            s.header_index + 1
        );
        say!("[[files]]");
        say!("file = {}", toml_string(&file));
        if let Some(name) = &sheet.sheet {
            say!("sheet = {}", toml_string(name));
        }
        let columns: Vec<String> = s
            .columns
            .iter()
            .map(|(h, r)| format!("{} = {}", toml_string(h), toml_string(r)))
            .collect();
        say!("columns = {{ {} }}", columns.join(", "));
        for role in &s.missing {
            say!(
                "# saknas: {} ({role}); skriv kolumnens namn ovan, eller set = {{ {role} = \"…\" }} om värdet är samma för alla rader",
                crate::schema::role_label(role)
            );
        }
        say!();
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn print_file(name: &str, _path: &Path, inputs: &Inputs) {
    say!("{name}");
    for s in &inputs.sources {
        let sheet = s
            .sheet
            .as_ref()
            .map(|s| format!("  Blad \"{s}\": "))
            .unwrap_or_else(|| "  ".to_string());
        match s.kind {
            Some(kind) => {
                say!(
                    "{sheet}{} (rubrikrad {}), {} lästa, {} utelämnade",
                    kind.label(),
                    s.header_row.unwrap_or(0),
                    crate::textnorm::count_noun(s.rows_read as u64, "rad", "rader"),
                    s.rows_rejected
                );
                say!("    Kolumner: {}", s.note);
                for line in &s.explain {
                    say!("    Beslut: {line}");
                }
            }
            None => say!("{sheet}{}", s.note),
        }
    }
    let problems: Vec<_> = inputs
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Note || p.place.row.is_some())
        .collect();
    for p in problems.iter().take(SHOWN_PROBLEMS) {
        say!("    Problem: {}", p.terminal_line());
    }
    if problems.len() > SHOWN_PROBLEMS {
        say!(
            "    … och {} problem till.",
            problems.len() - SHOWN_PROBLEMS
        );
    }
    say!();
}
