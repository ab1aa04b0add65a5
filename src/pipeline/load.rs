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
/// Files whose names say they are copies ("… - Kopia", "… (2)") come after the
/// others, so that of two identical files the original is the one read.
pub fn load_folder(dir: &Path, cfg: &Config) -> std::io::Result<Inputs> {
    let mut files = ingest::list_files(dir)?;
    files.sort_by_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        (looks_like_copy(&name), name)
    });
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

/// "Riskregister - Kopia.xlsx", "Riskregister - Copy.xlsx", "Riskregister (2).xlsx".
fn looks_like_copy(lower_name: &str) -> bool {
    let stem = lower_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(lower_name);
    stem.contains("kopia")
        || stem.contains("copy")
        || stem.ends_with(')')
            && stem
                .rsplit_once('(')
                .is_some_and(|(_, n)| n.trim_end_matches(')').chars().all(|c| c.is_ascii_digit()))
}

/// Reads one file into `inputs`, under the display name `name`.
pub fn load_file(path: &Path, name: &str, cfg: &Config, rec: &Recogniser, inputs: &mut Inputs) {
    match ingest::file_type(path) {
        FileType::Config => inputs.add_source(
            note_source(path, name, "Konfiguration (genomgang.toml)").used_as("Konfiguration"),
        ),
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
                    inputs.add_source(
                        Source::new(
                            name,
                            None,
                            &ingest::sha256_hex(&bytes),
                            "Textavsnitt till rapporten",
                        )
                        .used_as("Textavsnitt"),
                    );
                }
                Err(e) => file_error(inputs, name, None, &e.to_string()),
            },
            Err(e) => file_error(inputs, name, None, &crate::platform::read_error(&e)),
        },
        FileType::Spreadsheet | FileType::Delimited => {
            let read = match ingest::read_file(path, &cfg.limits) {
                Ok(r) => r,
                Err((message, sha)) => {
                    file_error(inputs, name, sha, &message.to_string());
                    return;
                }
            };
            if accept_content(&read, name, inputs) {
                load_sheets(&read, name, cfg, rec, inputs);
            }
        }
    }
}

/// Hands every sheet of a read file to the input kinds.
fn load_sheets(
    read: &ingest::ReadFile,
    name: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
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

/// Hands the sheets of a read file (or its read error) to the input kinds.
pub fn load_read(
    read: Result<ingest::ReadFile, (ingest::ReadError, Option<String>)>,
    name: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
    match read {
        Ok(read) => load_sheets(&read, name, cfg, rec, inputs),
        Err((error, sha)) => file_error(inputs, name, sha, &error.to_string()),
    }
}

/// False (with a note) for a file that must not be read as an export: a workbook
/// genomgang wrote, or the same bytes as a file already read.
fn accept_content(read: &ingest::ReadFile, name: &str, inputs: &mut Inputs) -> bool {
    let skip = if read.own_output {
        inputs.own_outputs += 1;
        Some((
            "filen är en arbetsbok som genomgang har skrivit (en tidigare genomgång eller jämförelse), inte en export".to_string(),
            "Den lästes inte som underlag. Lägg utdata i en annan mapp än indata (--out).",
        ))
    } else {
        inputs.read_contents.get(&read.sha256).map(|first| {
            (
                format!("filen har exakt samma innehåll som {first} (samma SHA-256)"),
                "Den lästes en gång; kopian räknas inte.",
            )
        })
    };
    match skip {
        Some((message, action)) => {
            inputs
                .problems
                .push(Problem::note(model::Place::file(name), &message, action));
            inputs.add_source(Source::new(
                name,
                None,
                &read.sha256,
                &format!("Inte läst: {message}"),
            ));
            false
        }
        None => {
            inputs
                .read_contents
                .insert(read.sha256.clone(), crate::privacy::screen(name));
            true
        }
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
    let mapping = cfg.file_mapping(name, sheet.sheet.as_deref());
    let facts = ingest::SheetFacts {
        file: name.to_string(),
        constants: mapping.map(|m| m.constants()).unwrap_or_default(),
    };
    // The catalogue of known systems: names the system and adds certainty.
    let prepared = ingest::known::prepare(&cfg.catalogue, sheet);
    let known = prepared.system;
    let recognised = ingest::known::recognise(rec, &prepared, mapping.map(|m| &m.columns), &facts);
    let sheet: &RawSheet = &prepared.sheet;
    let map = match recognised {
        Ok(map) => map,
        Err(reason) => {
            source.note = format!("Ignorerat: {reason}");
            inputs.add_source(source);
            return;
        }
    };
    let mut reader = SheetReader::new(name, sheet, &map);
    for note in &map.notes {
        reader.note(note, "Gäller alla rader i bladet.");
    }
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
        InputKind::Register => inputs
            .activities
            .extend(model::register::read(&mut reader, cfg)),
        InputKind::Classification => inputs
            .assets
            .extend(model::classification::read(&mut reader)),
        InputKind::Risks => inputs.risks.extend(model::risks::read(&mut reader)),
        InputKind::Actions => inputs
            .actions
            .extend(model::actions::read(&mut reader, cfg)),
    }
    source.explain = map.explain();
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
    if let Some(system) = known {
        note = format!("Känd som {}-export. {note}", system.name);
    }
    if !format_note.is_empty() {
        note = format!("{format_note}. {note}");
    }
    if sheet.hidden {
        note = format!("Dolt blad. {note}");
    }
    if let Some(first) = sheet.formula_texts.first() {
        reader.note(
            &format!(
                "{} är formler utan sparat värde (först {first}), som filer skapade av program sparar text som börjar med \"=\"",
                crate::kpi::count_noun(sheet.formula_texts.len(), "cell", "celler")
            ),
            "Formelns text användes som cellens text. Kontrollera raderna.",
        );
    }
    note_hidden_and_merged(&mut reader);
    source.note = note;
    inputs.problems.extend(reader.problems);
    inputs.add_source(source);
}

/// Rows Excel hides are counted like any other, and a merged cell's value counts for
/// every row of its range; both are said once per sheet, so that the figures can be
/// checked against what the user sees in Excel.
fn note_hidden_and_merged(reader: &mut SheetReader) {
    let sheet = reader.sheet;
    if sheet.hidden_rows.is_empty() && sheet.merged.is_empty() {
        return;
    }
    let data_rows: Vec<u32> = reader
        .rows()
        .iter()
        .map(|r| sheet.excel_row(r.index))
        .collect();
    let hidden: Vec<u32> = data_rows
        .iter()
        .copied()
        .filter(|r| sheet.hidden_rows.binary_search(r).is_ok())
        .collect();
    if !hidden.is_empty() {
        let by = if sheet.autofilter {
            "av ett filter i Excel"
        } else {
            "i Excel"
        };
        let (count, state, them) = if hidden.len() == 1 {
            ("1 rad".to_string(), "dold", "den")
        } else {
            (format!("{} rader", hidden.len()), "dolda", "de")
        };
        reader.note(
            &format!(
                "{count} är {state} {by} ({}); {them} räknas ändå",
                row_ranges(&hidden)
            ),
            "Dolda rader är data som alla andra. Visa alla rader i Excel för att se det som räknades.",
        );
    }
    let mut spread: Vec<u32> = Vec::new();
    let mut first_range = None;
    for merge in &sheet.merged {
        let before = spread.len();
        spread.extend(
            merge
                .rows
                .iter()
                .filter(|r| data_rows.binary_search(r).is_ok()),
        );
        if spread.len() > before && first_range.is_none() {
            first_range = Some(merge.range.clone());
        }
    }
    if let Some(range) = first_range {
        spread.sort_unstable();
        spread.dedup();
        reader.note(
            &format!(
                "{} tog sitt värde från en sammanfogad cell (först {range}): värdet i en sammanfogad cell gäller alla rader i sammanfogningen",
                crate::kpi::count_noun(spread.len(), "rad", "rader"),
            ),
            "Värdet räknades för varje rad i sammanfogningen. Kontrollera raderna.",
        );
    }
}

/// "rad 5–7, 12, 20–24" (at most five stretches, then "…").
fn row_ranges(rows: &[u32]) -> String {
    let mut stretches: Vec<(u32, u32)> = Vec::new();
    for &r in rows {
        match stretches.last_mut() {
            Some((_, last)) if *last + 1 == r => *last = r,
            _ => stretches.push((r, r)),
        }
    }
    let mut parts: Vec<String> = stretches
        .iter()
        .take(5)
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    if stretches.len() > 5 {
        parts.push("…".into());
    }
    format!("rad {}", parts.join(", "))
}

/// How far apart two dates of the same incident may be (an event date in one system, a
/// registration date in another).
const SAME_INCIDENT_DAYS: i64 = 3;

/// Cross-file clean-up: the same incident in two files counts once. The same case number
/// alone is not enough (two systems may both number from 1): the dates must lie within
/// [`SAME_INCIDENT_DAYS`] of each other and the categories agree. A case number shared
/// by different incidents keeps both, and the clash is listed.
pub fn finish(inputs: &mut Inputs) {
    drop_future_dates(inputs, chrono::Local::now().date_naive());
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    let mut kept: Vec<model::Incident> = Vec::with_capacity(inputs.incidents.len());
    for incident in std::mem::take(&mut inputs.incidents) {
        if let Some(id) = incident
            .case_id
            .as_deref()
            .and_then(crate::textnorm::norm_id)
        {
            let earlier = seen.entry(id).or_default();
            let same = earlier.iter().map(|i| &kept[*i]).find(|first| {
                (first.date - incident.date).num_days().abs() <= SAME_INCIDENT_DAYS
                    && first.category == incident.category
            });
            if let Some(first) = same {
                inputs.problems.push(
                    Problem::note(
                        incident.place.clone().at_column("Ärendenummer"),
                        &format!(
                            "samma incident (ärendenummer, datum och kategori) finns redan ({})",
                            first.place.describe()
                        ),
                        "Incidenten räknas en gång.",
                    )
                    .with_value(incident.case_id.clone()),
                );
                continue;
            }
            if let Some(first) = earlier.first().map(|i| &kept[*i]) {
                inputs.problems.push(
                    Problem::note(
                        incident.place.clone().at_column("Ärendenummer"),
                        &format!(
                            "samma ärendenummer som {} men annat datum eller annan kategori",
                            first.place.describe()
                        ),
                        "Båda räknas som olika incidenter. Kontrollera om två system numrerar sina ärenden likadant.",
                    )
                    .with_value(incident.case_id.clone()),
                );
            }
            earlier.push(kept.len());
        }
        kept.push(incident);
    }
    inputs.incidents = kept;
}

/// Dates after the run date are data errors: such incidents are listed and left out,
/// such training completions are listed and left out, so that no typo (2052, a serial
/// number 73 000) can pick the review year or count.
pub fn drop_future_dates(inputs: &mut Inputs, today: chrono::NaiveDate) {
    let (future, kept): (Vec<model::Incident>, Vec<model::Incident>) =
        std::mem::take(&mut inputs.incidents)
            .into_iter()
            .partition(|i| i.date > today);
    inputs.incidents = kept;
    for incident in future {
        inputs.problems.push(Problem::new(
            model::Severity::RowRejected,
            incident.place.clone(),
            &format!(
                "incidentens datum {} ligger efter dagens datum ({today})",
                incident.date
            ),
            "Incidenten räknas inte och påverkar inte valet av år. Rätta datumet i källsystemet.",
        ));
    }
    let before = inputs.completions.len();
    let mut latest: Option<chrono::NaiveDate> = None;
    inputs.completions.retain(|c| match c.date {
        Some(d) if d > today => {
            latest = latest.max(Some(d));
            false
        }
        _ => true,
    });
    let dropped = before - inputs.completions.len();
    if let Some(latest) = latest {
        inputs.problems.push(Problem::new(
            model::Severity::RowRejected,
            model::Place::file("(utbildning)"),
            &format!(
                "{} har ett slutfört datum efter dagens datum ({today}; det senaste är {latest})",
                crate::kpi::count_noun(dropped, "genomförd kurs", "genomförda kurser")
            ),
            "De räknas inte och påverkar inte valet av år. Rätta datumen i källsystemet.",
        ));
    }
}

/// One sheet of a city-wide file cut down to the rows of one förvaltning.
pub struct SplitSheet {
    /// The förvaltning as written in the file.
    pub administration: String,
    pub sheet: RawSheet,
}

/// Splits a recognised sheet by its förvaltning column; `None` when it has none.
/// The header and the rows above it go to every part; row numbers stay the original's.
/// Data rows with a blank förvaltning are returned by their row numbers, to be listed.
pub fn split_by_administration(
    sheet: &RawSheet,
    map: &HeaderMap,
) -> Option<(Vec<SplitSheet>, Vec<u32>)> {
    let col = map.col("administration")?;
    let mut order: Vec<String> = Vec::new();
    let mut parts: HashMap<String, (String, Vec<usize>)> = HashMap::new();
    let mut blank = Vec::new();
    for (index, row) in sheet.rows.iter().enumerate().skip(map.header_index + 1) {
        let Some(value) = row
            .get(col)
            .map(|c| c.text())
            .filter(|t| !t.trim().is_empty())
        else {
            if row.iter().any(|c| !c.is_empty()) {
                blank.push(sheet.excel_row(index));
            }
            continue;
        };
        let key = crate::textnorm::unit_key(&value);
        let entry = parts.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (value.trim().to_string(), Vec::new())
        });
        entry.1.push(index);
    }
    let parts = order
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
                    formula_texts: sheet.formula_texts.clone(),
                    hidden_rows: sheet.hidden_rows.clone(),
                    autofilter: sheet.autofilter,
                    merged: sheet.merged.clone(),
                },
            }
        })
        .collect();
    Some((parts, blank))
}
