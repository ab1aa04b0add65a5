//! From an input folder to the typed model: lists the files, reads each one, recognises
//! its sheets and hands them to the input-kind modules. A file that cannot be read is
//! recorded and skipped; the other files' figures are unaffected.

use std::collections::HashMap;
use std::path::Path;

use crate::config::Config;
use crate::ingest::{self, FileType, HeaderMap, RawSheet, Recogniser};
use crate::model::sheet::SheetReader;
use crate::model::{self, InputKind, Inputs, Problem, Source};

const FILE_SKIPPED: &str = "Filen hoppades över; övriga filer är lästa.";

/// Reads every input file directly in `dir`. Call [`finish`] when all inputs are in.
pub fn load_folder(dir: &Path, cfg: &Config) -> std::io::Result<Inputs> {
    let files = ingest::list_files(dir)?;
    let mut inputs = Inputs::default();
    let rec = Recogniser::new(cfg);
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        load_file(&path, &name, cfg, &rec, &mut inputs);
    }
    Ok(inputs)
}

/// Reads one file into `inputs`, under the display name `name`.
pub fn load_file(path: &Path, name: &str, cfg: &Config, rec: &Recogniser, inputs: &mut Inputs) {
    match ingest::file_type(path) {
        FileType::Config => {
            inputs.add_source(note_source(path, name, "Konfiguration (genomgang.toml)"))
        }
        FileType::Ignored => {
            let hidden = name.starts_with('.') || name.starts_with("~$");
            if !hidden {
                let ext = ingest::extension(path);
                let why = if ext.is_empty() {
                    "Ignorerad: filen har ingen filändelse".to_string()
                } else {
                    format!("Ignorerad: filtypen .{ext} läses inte")
                };
                inputs.add_source(note_source(path, name, &why));
            }
        }
        FileType::Section => match std::fs::read(path) {
            Ok(bytes) => match ingest::csv::decode(&bytes) {
                Ok((text, _)) => {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default();
                    inputs
                        .sections
                        .push((ingest::section_key(&stem), text.into_owned()));
                    inputs.add_source(Source::new(
                        name,
                        None,
                        &ingest::sha256_hex(&bytes),
                        "Textavsnitt till rapporten",
                    ));
                }
                Err(e) => file_error(inputs, name, None, &e.to_string()),
            },
            Err(e) => file_error(inputs, name, None, &format!("filen kunde inte läsas ({e})")),
        },
        FileType::Spreadsheet | FileType::Delimited => {
            let read = match ingest::read_file(path, &cfg.limits) {
                Ok(r) => r,
                Err((message, sha)) => {
                    file_error(inputs, name, sha, &message.to_string());
                    return;
                }
            };
            for sheet in &read.sheets {
                load_sheet(
                    sheet,
                    name,
                    &read.sha256,
                    &read.format_note,
                    cfg,
                    rec,
                    inputs,
                );
            }
        }
    }
}

/// Hands the sheets of a read file (or its read error) to the input kinds.
pub fn load_read(
    read: Result<ingest::ReadFile, (ingest::ReadError, Option<String>)>,
    name: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
    match read {
        Ok(read) => {
            for sheet in &read.sheets {
                load_sheet(
                    sheet,
                    name,
                    &read.sha256,
                    &read.format_note,
                    cfg,
                    rec,
                    inputs,
                );
            }
        }
        Err((error, sha)) => file_error(inputs, name, sha, &error.to_string()),
    }
}

fn note_source(path: &Path, name: &str, note: &str) -> Source {
    // Large ignored files (videos, PDFs) are not read just to hash them.
    let sha256 = match std::fs::metadata(path) {
        Ok(m) if m.len() <= 50 * 1024 * 1024 => std::fs::read(path)
            .map(|b| ingest::sha256_hex(&b))
            .unwrap_or_default(),
        _ => String::new(),
    };
    Source::new(name, None, &sha256, note)
}

fn file_error(inputs: &mut Inputs, name: &str, sha: Option<String>, message: &str) {
    inputs
        .problems
        .push(Problem::file_error(name, None, message, FILE_SKIPPED));
    inputs.add_source(Source::new(
        name,
        None,
        &sha.unwrap_or_default(),
        &format!("Oläslig: {message}"),
    ));
}

pub fn load_sheet(
    sheet: &ingest::RawSheet,
    name: &str,
    sha: &str,
    format_note: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
    let mut source = Source::new(name, sheet.sheet.clone(), sha, "");
    if let Some(err) = &sheet.error {
        inputs.problems.push(Problem::file_error(
            name,
            sheet.sheet.clone(),
            &err.to_string(),
            "Bladet hoppades över.",
        ));
        source.note = format!("Oläsligt: {err}");
        inputs.add_source(source);
        return;
    }
    if sheet.rows.iter().all(|r| r.iter().all(|c| c.is_empty())) {
        source.note = "Ignorerat: bladet är tomt".to_string();
        inputs.add_source(source);
        return;
    }
    let file_rec = cfg
        .file_columns(name, sheet.sheet.as_deref())
        .map(|columns| rec.with_columns(columns));
    let rec = file_rec.as_ref().unwrap_or(rec);
    let map = match rec.recognise(&sheet.rows) {
        Ok(map) => map,
        Err(reason) => {
            source.note = format!("Ignorerat: {reason}");
            inputs.add_source(source);
            return;
        }
    };
    let mut reader = SheetReader::new(name, sheet, &map);
    match map.kind {
        InputKind::Training => {
            inputs
                .completions
                .extend(model::training::read_long(&mut reader, cfg, rec))
        }
        InputKind::TrainingWide => {
            inputs
                .completions
                .extend(model::training::read_wide(&mut reader, cfg, rec))
        }
        InputKind::Roster => {
            let employees = model::roster::read(&mut reader);
            inputs.has_roster |= !employees.is_empty();
            inputs.employees.extend(employees);
        }
        InputKind::Incidents => inputs
            .incidents
            .extend(model::incidents::read(&mut reader, cfg)),
        InputKind::Register => inputs.activities.extend(model::register::read(&mut reader)),
        InputKind::Classification => inputs
            .assets
            .extend(model::classification::read(&mut reader)),
        InputKind::Risks => inputs.risks.extend(model::risks::read(&mut reader)),
        InputKind::Actions => inputs
            .actions
            .extend(model::actions::read(&mut reader, cfg)),
    }
    if reader.rows_read == 0 && reader.rows_rejected == 0 {
        if sheet.sheet.is_none() {
            // A CSV of only a header is a failed export, not an empty register.
            let message = "filen har bara en rubrikrad och inga datarader; exporten verkar ha misslyckats. Exportera den igen";
            inputs
                .problems
                .push(Problem::file_error(name, None, message, FILE_SKIPPED));
            source.header_row = Some(sheet.excel_row(map.header_index));
            source.note = format!("Oläslig: {message}");
            inputs.add_source(source);
            return;
        }
        reader.note(
            "bladet har rubrikrad men inga datarader",
            "Inget att räkna.",
        );
    }
    source.kind = Some(map.kind);
    source.header_row = Some(sheet.excel_row(map.header_index));
    source.rows_read = reader.rows_read;
    source.rows_rejected = reader.rows_rejected;
    let mut note = map.describe();
    if !format_note.is_empty() {
        note = format!("{format_note}. {note}");
    }
    if sheet.hidden {
        note = format!("Dolt blad. {note}");
    }
    source.note = note;
    inputs.problems.extend(reader.problems);
    inputs.add_source(source);
}

/// Cross-file clean-up: the same incident (same case number) in two files counts once.
pub fn finish(inputs: &mut Inputs) {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(inputs.incidents.len());
    for incident in std::mem::take(&mut inputs.incidents) {
        if let Some(id) = incident
            .case_id
            .as_deref()
            .and_then(crate::textnorm::norm_id)
        {
            if let Some(first) = seen.get(&id) {
                inputs.problems.push(
                    Problem::note(
                        incident.place.clone().at_column("Ärendenummer"),
                        &format!("samma ärendenummer finns redan ({first})"),
                        "Incidenten räknas en gång.",
                    )
                    .with_value(incident.case_id.clone()),
                );
                continue;
            }
            seen.insert(id, incident.place.describe());
        }
        kept.push(incident);
    }
    inputs.incidents = kept;
}

/// One sheet of a city-wide file cut down to the rows of one förvaltning.
pub struct SplitSheet {
    /// The förvaltning as written in the file.
    pub administration: String,
    pub sheet: RawSheet,
}

/// Splits a recognised sheet by its förvaltning column; `None` when it has none.
/// The header and the rows above it go to every part; row numbers stay the original's.
pub fn split_by_administration(sheet: &RawSheet, map: &HeaderMap) -> Option<Vec<SplitSheet>> {
    let col = map.col("administration")?;
    let mut order: Vec<String> = Vec::new();
    let mut parts: HashMap<String, (String, Vec<usize>)> = HashMap::new();
    for (index, row) in sheet.rows.iter().enumerate().skip(map.header_index + 1) {
        let Some(value) = row
            .get(col)
            .map(|c| c.text())
            .filter(|t| !t.trim().is_empty())
        else {
            continue;
        };
        let key = crate::textnorm::unit_key(&value);
        let entry = parts.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (value.trim().to_string(), Vec::new())
        });
        entry.1.push(index);
    }
    Some(
        order
            .into_iter()
            .filter_map(|key| parts.remove(&key))
            .map(|(administration, indices)| {
                let head = 0..=map.header_index;
                let mut rows: Vec<Vec<ingest::Cell>> = sheet.rows[head.clone()].to_vec();
                let mut row_numbers: Vec<u32> = head.map(|i| sheet.excel_row(i)).collect();
                for i in indices {
                    rows.push(sheet.rows[i].clone());
                    row_numbers.push(sheet.excel_row(i));
                }
                SplitSheet {
                    administration,
                    sheet: RawSheet {
                        sheet: sheet.sheet.clone(),
                        rows,
                        row_offset: sheet.row_offset,
                        hidden: sheet.hidden,
                        error: None,
                        row_numbers,
                    },
                }
            })
            .collect(),
    )
}
