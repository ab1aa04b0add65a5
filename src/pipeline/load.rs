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

/// Whether the files of a folder's subfolders are inputs too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subfolders {
    /// `report`: files one level down ("Underlag/Risker.xlsx") are read and named so;
    /// deeper folders are named as not read.
    ReadOneLevel,
    /// `batch`: a unit is the files directly in its folder; subfolders holding tables
    /// are named as not read.
    NameOnly,
}

/// A folder not read: `historik/` (last year's reviews) and hidden folders are left to
/// their own readers or are system folders.
fn folder_not_read(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case(HISTORY_DIR)
}

/// Reads every input file in `dir` (and, with [`Subfolders::ReadOneLevel`], in its
/// subfolders). Call [`finish`] when all inputs are in. Files whose names say they are
/// copies ("… - Kopia", "… (2)") come after the others, so that of two identical files
/// the original is the one read. `unit` is the unit the folder belongs to: a file with a
/// förvaltning column gives that unit's rows only.
pub fn load_folder(
    dir: &Path,
    cfg: &Config,
    unit: Option<&str>,
    subfolders: Subfolders,
) -> std::io::Result<Inputs> {
    load_folder_with(dir, cfg, &Recogniser::new(cfg), unit, subfolders)
}

/// [`load_folder`] with a recogniser already built for `cfg` (batch builds one per
/// distinct configuration, not one per unit).
pub fn load_folder_with(
    dir: &Path,
    cfg: &Config,
    rec: &Recogniser,
    unit: Option<&str>,
    subfolders: Subfolders,
) -> std::io::Result<Inputs> {
    let mut inputs = Inputs {
        unit_filter: unit.map(str::to_string),
        ..Inputs::default()
    };
    let mut files: Vec<(String, std::path::PathBuf)> = ingest::list_files(dir)?
        .into_iter()
        .map(|p| (ingest::file_name(&p), p))
        .collect();
    for sub in list_subfolders(dir) {
        let folder = sub
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if folder_not_read(&folder) {
            continue;
        }
        let listed = match ingest::list_files(&sub) {
            Ok(listed) => listed,
            Err(e) => {
                let message = format!(
                    "undermappen \"{folder}/\" kunde inte läsas: {}",
                    crate::platform::read_error(&e)
                );
                inputs.problems.push(Problem::file_error(
                    &format!("{folder}/"),
                    None,
                    &message,
                    "Filerna i den lästes inte.",
                ));
                continue;
            }
        };
        let tables = listed.iter().filter(|p| is_table(p)).count();
        match subfolders {
            _ if tables == 0 => {}
            Subfolders::ReadOneLevel => {
                notice(
                    &mut inputs,
                    &format!("{folder}/"),
                    &format!(
                        "undermappen lästes också ({}); filerna heter \"{folder}/…\" i Källor",
                        crate::kpi::count_noun(tables, "tabellfil", "tabellfiler")
                    ),
                    "Filerna räknas som underlag.",
                );
                for path in listed {
                    let name = format!("{folder}/{}", ingest::file_name(&path));
                    if ingest::file_type(&path) == FileType::Config {
                        notice(
                            &mut inputs,
                            &name,
                            "en genomgang.toml i en undermapp används inte",
                            "Lägg den direkt i indatamappen.",
                        );
                        continue;
                    }
                    files.push((name, path));
                }
            }
            Subfolders::NameOnly => notice(
                &mut inputs,
                &format!("{folder}/"),
                &format!(
                    "undermappen har {} som inte lästes: en förvaltnings underlag är filerna direkt i dess mapp",
                    crate::kpi::count_noun(tables, "tabellfil", "tabellfiler")
                ),
                "Inte läst. Flytta upp filerna om de är underlag.",
            ),
        }
        let deeper = list_subfolders(&sub)
            .into_iter()
            .filter(|d| ingest::list_files(d).is_ok_and(|f| f.iter().any(|p| is_table(p))))
            .count();
        if deeper > 0 {
            notice(
                &mut inputs,
                &format!("{folder}/"),
                &format!(
                    "{} med tabeller längre ner lästes inte (bara ett mappdjup läses)",
                    crate::kpi::count_noun(deeper, "undermapp", "undermappar")
                ),
                "Inte läst. Flytta upp filerna om de är underlag.",
            );
        }
    }
    files.sort_by_key(|(name, _)| {
        let lower = name.to_lowercase();
        (looks_like_copy(&lower), lower)
    });
    for (name, path) in files {
        if ingest::has_trailing_dot_or_space(&path) {
            notice(
                &mut inputs,
                &name,
                "filnamnet slutar med mellanslag eller punkt på disken (som Windows tar bort)",
                "Filen lästes under namnet utan dem.",
            );
        }
        load_file(&path, &name, cfg, rec, &mut inputs);
    }
    let history = dir.join(HISTORY_DIR);
    if history.is_dir() {
        load_history_dir(&history, HISTORY_DIR, cfg, &mut inputs);
    }
    Ok(inputs)
}

/// Something about a file or folder the user should read on stderr, listed in
/// Datakvalitet too; a folder (name ending in "/") is also listed in Källor.
fn notice(inputs: &mut Inputs, file: &str, message: &str, action: &str) {
    let problem = Problem::note(model::Place::file(file), message, action);
    inputs.notices.push(problem.one_line());
    inputs.problems.push(problem);
    if file.ends_with('/') {
        inputs.add_source(Source::new(file, None, "", &format!("{message}. {action}")));
    }
}

/// A spreadsheet or delimited file (what may hold input rows).
fn is_table(path: &Path) -> bool {
    matches!(
        ingest::file_type(path),
        FileType::Spreadsheet | FileType::Delimited
    )
}

/// The subfolders of `dir`, sorted; none when it cannot be listed.
fn list_subfolders(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// The subfolder of an input folder (and of a batch root) that holds earlier reviews.
pub const HISTORY_DIR: &str = "historik";

/// Reads every earlier review in `dir` (`historik/`, `--historik`) into
/// `inputs.history`, their files shown as "`label`/FILE". A file there that is no
/// review is listed and not read: it is not an export either.
pub fn load_history_dir(dir: &Path, label: &str, cfg: &Config, inputs: &mut Inputs) {
    let files = match ingest::list_files(dir) {
        Ok(files) => files,
        Err(e) => {
            file_error(
                inputs,
                &format!("{label}/"),
                None,
                &crate::platform::read_error(&e),
            );
            return;
        }
    };
    for path in files {
        let name = format!(
            "{label}/{}",
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        );
        let taken = match ingest::file_type(&path) {
            FileType::Spreadsheet => match ingest::read_file(&path, &cfg.limits) {
                Ok(read) => take_history(&read, &name, cfg, inputs),
                Err((message, sha)) => {
                    file_error(inputs, &name, sha, &message.to_string());
                    continue;
                }
            },
            FileType::Ignored if ingest::extension(&path) == "json" => {
                take_json_history(&path, &name, cfg, inputs)
            }
            _ => false,
        };
        if !taken && !name.contains("/.") && !name.contains("/~$") {
            inputs.problems.push(Problem::note(
                model::Place::file(&name),
                "filen i historikmappen är ingen genomgång som genomgang har skrivit",
                "Den lästes varken som historik eller som underlag.",
            ));
            inputs.add_source(note_source(
                &path,
                &name,
                "Inte läst: ingen tidigare genomgång",
            ));
        }
    }
}

/// A workbook genomgang wrote that is a review: its figures become history (true).
/// A comparison workbook, or a review whose figures cannot be read, is left to the
/// caller (false), with the reason noted when it looked like a review.
fn take_history(read: &ingest::ReadFile, name: &str, cfg: &Config, inputs: &mut Inputs) -> bool {
    if !read.own_output {
        return false;
    }
    match crate::kpi::history::from_workbook(&read.sheets, name, cfg) {
        Ok(past) => {
            inputs.own_outputs += 1;
            let note = history_note(&past, "arbetsbok");
            // Said on stderr too: a workbook among the inputs that is not read as an
            // export must never be passed over in silence.
            inputs.notices.push(format!("{name}: {note}."));
            inputs.add_source(Source::new(name, None, &read.sha256, &note).used_as("Historik"));
            inputs.history.push(past);
            true
        }
        Err(why) => {
            let looks_like_review = read.sheets.iter().any(
                |s| matches!(s.sheet.as_deref(), Some(n) if n == crate::schema::KPI_DATA_SHEET),
            );
            if looks_like_review {
                inputs.problems.push(Problem::note(
                    model::Place::file(name),
                    &format!("genomgångens nyckeltal kunde inte läsas som historik: {why}"),
                    "Tidigare års siffror från den filen saknas i jämförelsen.",
                ));
            }
            false
        }
    }
}

/// A KPI document (`--json`) of an earlier review: its figures become history (true).
fn take_json_history(path: &Path, name: &str, cfg: &Config, inputs: &mut Inputs) -> bool {
    let too_large = std::fs::metadata(path)
        .is_ok_and(|m| m.len() > cfg.limits.max_file_mib.saturating_mul(1024 * 1024));
    if too_large {
        file_error(
            inputs,
            name,
            None,
            &format!(
                "filen är större än {} MiB (max_file_mib i genomgang.toml)",
                cfg.limits.max_file_mib
            ),
        );
        return true;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            file_error(inputs, name, None, &crate::platform::read_error(&e));
            return true;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    match crate::kpi::history::from_json_text(&text, name) {
        Ok(reviews) => {
            let note = reviews
                .iter()
                .map(|r| history_note(r, "nyckeltalsdokument"))
                .collect::<Vec<_>>()
                .join("; ");
            inputs.add_source(
                Source::new(name, None, &ingest::sha256_hex(&bytes), &note).used_as("Historik"),
            );
            inputs.history.extend(reviews);
            true
        }
        Err(why) => {
            inputs.add_source(Source::new(
                name,
                None,
                &ingest::sha256_hex(&bytes),
                &format!("Ignorerad: inget nyckeltalsdokument från genomgang ({why})"),
            ));
            true
        }
    }
}

/// "Historik: arbetsbok som genomgang har skrivit (genomgång 2024, Kungsholmen;
/// schemaversion 1) …": what the file is and that it is read for past years only.
fn history_note(past: &crate::model::history::PastReview, what: &str) -> String {
    let how = if past.layout == 0 {
        "äldre utformning, läst ur bladet Sammanfattning".to_string()
    } else {
        format!("schemaversion {}", past.layout)
    };
    format!(
        "Historik: {what} som genomgang har skrivit (genomgång {}, {}; {how}); läst för tidigare års siffror, inte som underlag",
        past.year, past.unit
    )
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
        FileType::Ignored
            if ingest::extension(path) == "json"
                && !name.starts_with('.')
                && !name.starts_with("~$") =>
        {
            take_json_history(path, name, cfg, inputs);
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
        FileType::Section => match read_section(path) {
            Ok((text, sha)) => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                inputs.sections.push((ingest::section_key(&stem), text));
                inputs.add_source(
                    Source::new(name, None, &sha, "Textavsnitt till rapporten")
                        .used_as("Textavsnitt"),
                );
            }
            Err(message) => file_error(inputs, name, None, &message),
        },
        FileType::Spreadsheet | FileType::Delimited => {
            let mut hook = super::stream::TrainingStream {
                file: name,
                cfg,
                rec,
                picks_unit_rows: inputs.unit_filter.is_some(),
            };
            let read = match ingest::read_file_with(path, &cfg.limits, Some(&mut hook)) {
                Ok(r) => r,
                Err((message, sha)) => {
                    file_error(inputs, name, sha, &message.to_string());
                    return;
                }
            };
            if take_history(&read, name, cfg, inputs) {
                return;
            }
            if accept_content(&read, name, inputs) {
                load_sheets(&read, name, cfg, rec, inputs);
            }
        }
    }
}

/// The largest section file (omvarld.md …) read: a year's text is a few pages, far
/// below this; a larger file is not a text someone wrote for the review.
pub const MAX_SECTION_BYTES: u64 = 2 * 1024 * 1024;

/// A section file's text (UTF-8, UTF-16 or Windows-1252, as Notepad saves it) and its
/// SHA-256; the error says in Swedish what is wrong.
fn read_section(path: &Path) -> Result<(String, String), String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| crate::platform::read_error(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_SECTION_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::platform::read_error(&e))?;
    if bytes.len() as u64 > MAX_SECTION_BYTES {
        return Err(format!(
            "textavsnittet är större än gränsen {} MiB för en avsnittsfil; en text till genomgången är några sidor. Korta texten eller dela upp den",
            MAX_SECTION_BYTES / (1024 * 1024)
        ));
    }
    if bytes.is_empty() {
        return Err("textavsnittet är tomt".to_string());
    }
    let text = crate::config::decode_config_text(&bytes);
    if text.contains('\0') {
        return Err(
            "filen innehåller binära tecken och är ingen text. Spara avsnittet som vanlig text (.md eller .txt)"
                .to_string(),
        );
    }
    Ok((text, ingest::sha256_hex(&bytes)))
}

/// Hands every sheet of a read file to the input kinds. Never panics: a panic in the
/// per-file work (recognising, typing, screening) is caught here, the file's half-read
/// rows are dropped and the file is reported as unreadable; the run goes on.
fn load_sheets(
    read: &ingest::ReadFile,
    name: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
    guarded(name, Some(&read.sha256), inputs, |inputs| {
        load_sheets_unguarded(read, name, cfg, rec, inputs)
    });
}

/// Runs the per-file work `work` on `inputs`; a panic in it is caught: what the file
/// added is dropped and the file `name` is reported unreadable. The run goes on.
pub fn guarded(name: &str, sha: Option<&str>, inputs: &mut Inputs, work: impl FnOnce(&mut Inputs)) {
    let mark = inputs.mark();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&mut *inputs)));
    if outcome.is_err() {
        inputs.rollback(mark);
        inputs.seen_rows.forget_file(name);
        file_error(
            inputs,
            name,
            sha.map(str::to_string),
            "filen kunde inte läsas: ett internt fel uppstod när dess rader tolkades (rapportera det gärna)",
        );
    }
}

fn load_sheets_unguarded(
    read: &ingest::ReadFile,
    name: &str,
    cfg: &Config,
    rec: &Recogniser,
    inputs: &mut Inputs,
) {
    #[cfg(test)]
    let fail_after_first = tests::PANIC_AFTER_FIRST_SHEET.with(|f| f.get());
    for sheet in &read.sheets {
        #[cfg(test)]
        if fail_after_first && inputs.sources.len() > 1 {
            panic!("an injected panic");
        }
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
    if skip.is_none() {
        if let Some(doubt) = read.output_doubt {
            notice(inputs, name, doubt, "Kontrollera att den är underlag.");
        }
    }
    match skip {
        Some((message, action)) => {
            if read.own_output {
                notice(inputs, name, &message, action);
            } else {
                inputs
                    .problems
                    .push(Problem::note(model::Place::file(name), &message, action));
            }
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
    let (prepared, recognised) = recognise_sheet(sheet, name, cfg, rec);
    let known = prepared.system;
    let sheet: &RawSheet = &prepared.sheet;
    let map = match recognised {
        Ok(map) => map,
        Err(reason) => {
            source.note = format!("Ignorerat: {reason}");
            inputs.add_source(source);
            return;
        }
    };
    let own = own_rows(sheet, &map, name, inputs);
    let mut reader = SheetReader::of_rows(name, sheet, &map, own.as_ref().map(|o| &o.rows[..]));
    for note in &map.notes {
        reader.note(note, "Gäller alla rader i bladet.");
    }
    let kind = map.kind;
    // The data rows of a sheet whose rows were read as it streamed in.
    let mut streamed_rows: Option<Vec<u32>> = None;
    let seen = &mut inputs.seen_rows;
    let copies = match kind {
        InputKind::Training => {
            let streamed = sheet
                .streamed
                .as_ref()
                .and_then(|s| s.take::<super::stream::StreamedTraining>());
            match streamed {
                // Read as the file streamed in (pipeline::stream): the records and
                // what was said of the rows, in row order after the sheet's notes.
                Some(done) => {
                    append(&mut inputs.completions, done.completions);
                    reader.problems.extend(done.problems);
                    reader.rows_read = done.rows_read;
                    reader.rows_rejected = done.rows_rejected;
                    streamed_rows = Some(done.data_rows);
                }
                None => append(
                    &mut inputs.completions,
                    model::training::read_long(&mut reader, cfg, rec),
                ),
            }
            Vec::new()
        }
        InputKind::TrainingWide => {
            append(
                &mut inputs.completions,
                model::training::read_wide(&mut reader, cfg, rec),
            );
            Vec::new()
        }
        InputKind::Roster => {
            let employees = model::roster::read(&mut reader);
            inputs.has_roster |= !employees.is_empty();
            append(&mut inputs.employees, employees);
            Vec::new()
        }
        InputKind::Incidents => {
            let (kept, copies) =
                seen.keep_new(kind, name, model::incidents::read(&mut reader, cfg));
            append(&mut inputs.incidents, kept);
            copies
        }
        InputKind::Register => {
            let (kept, copies) = seen.keep_new(kind, name, model::register::read(&mut reader, cfg));
            append(&mut inputs.activities, kept);
            copies
        }
        InputKind::Classification => {
            let (kept, copies) =
                seen.keep_new(kind, name, model::classification::read(&mut reader));
            append(&mut inputs.assets, kept);
            copies
        }
        InputKind::Risks => {
            let (kept, copies) = seen.keep_new(kind, name, model::risks::read(&mut reader));
            append(&mut inputs.risks, kept);
            copies
        }
        InputKind::Actions => {
            let (kept, copies) = seen.keep_new(kind, name, model::actions::read(&mut reader, cfg));
            inputs.actions.extend(kept);
            copies
        }
    };
    let mut copied = 0;
    for (first, n) in &copies {
        copied += n;
        reader.note(
            &format!(
                "{} har samma uppgifter som {} i {first}, som lästes först: en kopia av samma underlag (till exempel sparad igen i Excel eller som CSV)",
                crate::kpi::count_noun(*n, "rad", "rader"),
                if *n == 1 { "en rad" } else { "rader" },
            ),
            "Raderna räknas en gång, från den först lästa filen. Rader inom en och samma fil slås aldrig ihop.",
        );
    }
    source.explain = map.explain();
    if reader.rows_read == 0 && reader.rows_rejected == 0 && own.is_none() {
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
    if let Some(own) = &own {
        note = format!("{note}. {}", own.note);
    }
    if copied > 0 {
        let firsts: Vec<&str> = copies.iter().map(|(f, _)| f.as_str()).collect();
        inputs.notices.push(format!(
            "{}: {} har samma uppgifter som rader i {} och räknas inte en gång till (se Datakvalitet)",
            model::Place::sheet(name, sheet.sheet.clone()).describe(),
            crate::kpi::count_noun(copied, "rad", "rader"),
            firsts.join(", ")
        ));
        note = format!(
            "{note}. {} är kopior av rader i en tidigare läst fil och räknades inte en gång till",
            crate::kpi::count_noun(copied, "rad", "rader")
        );
    }
    if sheet.hidden {
        note = format!("Dolt blad. {note}");
    }
    if let Some(first) = sheet.formula_texts.first() {
        reader.note(
            &format!(
                "{} utan sparat värde (först {first}); så sparar en del program text som börjar med \"=\"",
                if sheet.formula_texts.len() == 1 {
                    "1 cell är en formel".to_string()
                } else {
                    format!(
                        "{} är formler",
                        crate::kpi::count_noun(sheet.formula_texts.len(), "cell", "celler")
                    )
                }
            ),
            "Formelns text användes som cellens text. Kontrollera raderna.",
        );
    }
    note_hidden_and_merged(&mut reader, streamed_rows.as_deref());
    source.note = note;
    inputs.problems.extend(reader.problems);
    inputs.add_source(source);
}

/// Recognises a sheet of file `name` as every reader of a unit does: the user's
/// `[[files]]` mapping, the catalogue of known systems (which names the system and adds
/// certainty), then evidence. The sheet comes back prepared (a known system's text
/// dates read as dates).
pub fn recognise_sheet<'a>(
    sheet: &'a RawSheet,
    name: &str,
    cfg: &'a Config,
    rec: &Recogniser,
) -> (ingest::known::Prepared<'a>, Result<HeaderMap, String>) {
    let mapping = cfg.file_mapping(name, sheet.sheet.as_deref());
    let facts = ingest::SheetFacts {
        file: name.to_string(),
        constants: mapping.map(|m| m.constants()).unwrap_or_default(),
    };
    let prepared = ingest::known::prepare(&cfg.catalogue, sheet);
    let recognised = ingest::known::recognise(rec, &prepared, mapping.map(|m| &m.columns), &facts);
    (prepared, recognised)
}

/// Adds records to a unit's list: moved when the list is empty (a million-row list is
/// not copied while both copies are held).
fn append<T>(list: &mut Vec<T>, mut more: Vec<T>) {
    if list.is_empty() {
        *list = more;
    } else {
        list.append(&mut more);
    }
}

/// The rows of the unit being read in a city-wide sheet, and what was said about it.
struct OwnRows {
    /// Indices into the sheet's rows.
    rows: Vec<usize>,
    /// For the Källor sheet.
    note: String,
}

/// A sheet with a förvaltning column, read for a known unit, gives that unit's rows only
/// (a city-wide log handed out to every unit's folder): the förvaltning is matched to
/// the unit's name as batch matches a city-wide file (case, diacritics and
/// "stadsdelsförvaltning" ignored). The other units' rows are counted and said.
/// `None` (read every row) when there is no such column or no unit, or when the column
/// names one förvaltning only (the unit's own export); that one is said when it is not
/// the unit's name.
fn own_rows(sheet: &RawSheet, map: &HeaderMap, name: &str, inputs: &mut Inputs) -> Option<OwnRows> {
    let unit = inputs.unit_filter.clone()?;
    let (parts, blank) = split_by_administration(sheet, map)?;
    let key = crate::textnorm::unit_key(&unit);
    let place = model::Place::sheet(name, sheet.sheet.clone());
    if parts.len() <= 1 {
        if let Some(only) = parts.first() {
            if crate::textnorm::unit_key(&only.administration) != key {
                inputs.problems.push(Problem::note(
                    place,
                    &format!(
                        "kolumnen Förvaltning anger bara \"{}\", inte {unit}",
                        only.administration
                    ),
                    "Alla rader räknas för förvaltningen. Ange unit i genomgang.toml om namnen ska stämma.",
                ));
            }
        }
        return None;
    }
    let data_rows = |p: &SplitRows| p.rows.len();
    let mut others: Vec<String> = Vec::new();
    let mut other_rows = 0;
    let mut own: Option<SplitRows> = None;
    for part in parts {
        if crate::textnorm::unit_key(&part.administration) == key {
            own = Some(part);
        } else {
            other_rows += data_rows(&part);
            others.push(part.administration.clone());
        }
    }
    // "A, B, C, D, E, …"
    let listed = {
        let shown: Vec<&str> = others.iter().take(5).map(String::as_str).collect();
        let more = if others.len() > 5 { ", …" } else { "" };
        format!("{}{more}", shown.join(", "))
    };
    let Some(own) = own else {
        // No row names this unit: the column may name something else (an LMS's
        // "Organisation" holding workplaces), or the unit is named otherwise here.
        // Every row is read, and that is said where it will be seen.
        notice(
            inputs,
            &place.describe(),
            &format!(
                "kolumnen Förvaltning har {} olika värden ({listed}) och inget av dem är {unit}",
                others.len()
            ),
            "Alla rader räknas för förvaltningen. Är filen hela stadens, ange förvaltningens namn som i kolumnen (unit i genomgang.toml eller --unit).",
        );
        return None;
    };
    let mut message = format!(
        "bladet har en kolumn Förvaltning: {} {unit}; {} är andra förvaltningars rader ({listed})",
        match data_rows(&own) {
            1 => "1 rad gäller".to_string(),
            n => format!("{n} rader gäller"),
        },
        crate::kpi::count_noun(other_rows, "rad", "rader"),
    );
    if !blank.is_empty() {
        message.push_str(&format!(
            "; {} saknar förvaltning",
            crate::kpi::count_noun(blank.len(), "rad", "rader")
        ));
    }
    let problem = Problem::note(
        place,
        &message,
        "Bara förvaltningens egna rader räknas; andra förvaltningars rader räknas inte här.",
    );
    inputs.notices.push(problem.one_line());
    inputs.problems.push(problem);
    Some(OwnRows {
        rows: own.rows,
        note: format!("Andra förvaltningars rader räknas inte: {message}"),
    })
}

/// Rows Excel hides are counted like any other, and a merged cell's value counts for
/// every row of its range; both are said once per sheet, so that the figures can be
/// checked against what the user sees in Excel.
/// `streamed_rows`: the data rows of a sheet read as it streamed in (the reader holds
/// its header only).
fn note_hidden_and_merged(reader: &mut SheetReader, streamed_rows: Option<&[u32]>) {
    let sheet = reader.sheet;
    if sheet.hidden_rows.is_empty() && sheet.merged.is_empty() {
        return;
    }
    let data_rows: Vec<u32> = match streamed_rows {
        Some(rows) => rows.to_vec(),
        None => reader
            .rows()
            .iter()
            .map(|r| sheet.excel_row(r.index))
            .collect(),
    };
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
/// alone is not enough (two systems may both number from 1): the facts must agree — the
/// dates lie within [`SAME_INCIDENT_DAYS`] of each other, and the categories are the
/// same, or one of them says nothing ("Övrigt", none), or the dates are the same day (a
/// register of personal data incidents classifies by what was breached, an ITSM export
/// by what happened). The merged incident keeps every fact either file knows: it is a
/// personal data incident, reported to IMY or MSB, when either file says so. A case
/// number shared by different incidents keeps both, and the clash is listed.
pub fn finish(inputs: &mut Inputs) {
    drop_future_dates(inputs, chrono::Local::now().date_naive());
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    // Compacted in place: the incidents kept so far are `all[..kept]`, the one looked
    // at is `all[next]` (a second list would double a city-wide log's memory).
    let mut all = std::mem::take(&mut inputs.incidents);
    let mut kept = 0;
    for next in 0..all.len() {
        let (done, rest) = all.split_at_mut(next);
        let (kept_so_far, incident) = (&mut done[..kept], &rest[0]);
        if let Some(id) = incident
            .case_id
            .as_deref()
            .and_then(crate::textnorm::norm_id)
        {
            let earlier = seen.entry(id).or_default();
            let same = earlier
                .iter()
                .copied()
                .find(|i| facts_agree(&kept_so_far[*i], incident));
            if let Some(first) = same {
                let first = &mut kept_so_far[first];
                let mut message = format!(
                    "samma incident (ärendenummer, datum och kategori) finns redan ({})",
                    first.place().describe()
                );
                if first.category != incident.category
                    && *first.category != *OTHER
                    && *incident.category != *OTHER
                {
                    message = format!(
                        "samma incident (ärendenummer och datum) finns redan ({}), med en annan kategori",
                        first.place().describe()
                    );
                }
                merge_incident(first, incident);
                inputs.problems.push(
                    Problem::note(
                        incident.place().at_column("Ärendenummer"),
                        &message,
                        "Incidenten räknas en gång; vad någon av raderna säger (personuppgiftsincident, anmäld) gäller.",
                    )
                    .with_value(incident.case_id.clone()),
                );
                continue;
            }
            if let Some(first) = earlier.first().map(|i| &kept_so_far[*i]) {
                inputs.problems.push(
                    Problem::note(
                        incident.place().at_column("Ärendenummer"),
                        &format!(
                            "samma ärendenummer som {} men annat datum eller annan kategori",
                            first.place().describe()
                        ),
                        "Båda räknas som olika incidenter. Kontrollera om två system numrerar sina ärenden likadant.",
                    )
                    .with_value(incident.case_id.clone()),
                );
            }
            earlier.push(kept);
        }
        all.swap(kept, next);
        kept += 1;
    }
    all.truncate(kept);
    inputs.incidents = all;
}

/// The category of an incident whose category says nothing.
const OTHER: &str = "other";

/// Two incidents with the same case number are the same incident (see [`finish`]).
fn facts_agree(a: &model::Incident, b: &model::Incident) -> bool {
    let days = (a.date - b.date).num_days().abs();
    days <= SAME_INCIDENT_DAYS
        && (a.category == b.category || *a.category == *OTHER || *b.category == *OTHER || days == 0)
}

/// What the later row of the same incident adds: a flag either row sets, a category
/// where the first said nothing, a time the first lacks.
fn merge_incident(first: &mut model::Incident, later: &model::Incident) {
    let either = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    };
    first.personal_data = either(first.personal_data, later.personal_data);
    first.reported_imy = either(first.reported_imy, later.reported_imy);
    first.reported_msb = either(first.reported_msb, later.reported_msb);
    if *first.category == *OTHER && *later.category != *OTHER {
        first.category = later.category.clone();
        first.category_raw = later.category_raw.clone();
    }
    first.discovered = first.discovered.or(later.discovered);
    first.reported_at = first.reported_at.or(later.reported_at);
    first.unit = first.unit.clone().or_else(|| later.unit.clone());
    first.administration = first
        .administration
        .clone()
        .or_else(|| later.administration.clone());
}

/// Dates after the run date are data errors: such incidents are listed and left out,
/// such training completions are listed and left out, so that no typo (2052, a serial
/// number 73 000) can pick the review year or count.
pub fn drop_future_dates(inputs: &mut Inputs, today: chrono::NaiveDate) {
    // Taken out in place: a second list of the kept incidents would double a
    // city-wide log's memory while the unit is read.
    let future: Vec<model::Incident> = inputs
        .incidents
        .extract_if(.., |i| i.date > today)
        .collect();
    for incident in future {
        inputs.problems.push(Problem::new(
            model::Severity::RowRejected,
            incident.place(),
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

/// The rows of one förvaltning in a city-wide sheet.
pub struct SplitRows {
    /// The förvaltning as written in the file.
    pub administration: String,
    /// Indices into the sheet's rows of this förvaltning's data rows, in order.
    pub rows: Vec<usize>,
}

/// Splits a recognised sheet by its förvaltning column; `None` when it has none.
/// Data rows with a blank förvaltning are returned by their row numbers, to be listed.
pub fn split_by_administration(
    sheet: &RawSheet,
    map: &HeaderMap,
) -> Option<(Vec<SplitRows>, Vec<u32>)> {
    let mut router = AdministrationRouter::new(map)?;
    let mut parts: Vec<SplitRows> = Vec::new();
    let mut blank = Vec::new();
    for (index, row) in sheet.rows.iter().enumerate().skip(map.header_index + 1) {
        match router.route(row) {
            Route::Part(part) => parts[part].rows.push(index),
            Route::NewPart(administration) => parts.push(SplitRows {
                administration,
                rows: vec![index],
            }),
            Route::Blank => blank.push(sheet.excel_row(index)),
            Route::Empty => {}
        }
    }
    Some((parts, blank))
}

/// Where a data row of a city-wide sheet goes, by its förvaltning column.
pub enum Route {
    /// To the part of this index.
    Part(usize),
    /// To a new part (the next index), of this förvaltning as written.
    NewPart(String),
    /// Nowhere: the förvaltning is blank on a row that is not (it is listed).
    Blank,
    /// Nowhere: the row is empty.
    Empty,
}

/// Routes the data rows of a city-wide sheet to its förvaltningar's parts, in the order
/// they first appear; förvaltningar written alike (`unit_key`) share a part. The same
/// for a sheet read whole ([`split_by_administration`]) and one split as it streams in.
pub struct AdministrationRouter {
    col: usize,
    by_key: crate::fasthash::FxHashMap<String, usize>,
    /// The part of each distinct text of the column (a few förvaltningar repeat on
    /// every row), so each is keyed once.
    by_text: crate::fasthash::TextMemo<usize>,
}

impl AdministrationRouter {
    /// `None` when the sheet has no förvaltning column.
    pub fn new(map: &HeaderMap) -> Option<AdministrationRouter> {
        Some(AdministrationRouter {
            col: map.col("administration")?,
            by_key: Default::default(),
            by_text: Default::default(),
        })
    }

    pub fn route(&mut self, row: &[ingest::Cell]) -> Route {
        let cell = row.get(self.col).unwrap_or(&ingest::Cell::Empty);
        if let ingest::Cell::Text(text) = cell {
            if let Some(part) = self.by_text.get(text, text) {
                return Route::Part(part);
            }
        }
        let value = cell.text();
        if value.trim().is_empty() {
            return if row.iter().any(|c| !c.is_empty()) {
                Route::Blank
            } else {
                Route::Empty
            };
        }
        let key = crate::textnorm::unit_key(&value);
        let next = self.by_key.len();
        let (part, route) = match self.by_key.get(&key) {
            Some(part) => (*part, Route::Part(*part)),
            None => {
                self.by_key.insert(key, next);
                (next, Route::NewPart(value.trim().to_string()))
            }
        };
        if let ingest::Cell::Text(text) = cell {
            self.by_text.insert(text, text, part);
        }
        route
    }
}

/// The sheet of one part of a city-wide sheet: the header and the rows above it (copied
/// into every part) and the part's rows, moved out of `rows` (each data row belongs to
/// one part); row numbers stay the original's.
pub fn part_sheet(
    sheet: &RawSheet,
    rows: &mut [Vec<ingest::Cell>],
    header_index: usize,
    part: &SplitRows,
) -> RawSheet {
    let head = 0..=header_index;
    let mut cut: Vec<Vec<ingest::Cell>> = Vec::with_capacity(head.end() + 1 + part.rows.len());
    cut.extend(rows[head.clone()].iter().cloned());
    let mut row_numbers: Vec<u32> = head.map(|i| sheet.excel_row(i)).collect();
    for &i in &part.rows {
        cut.push(std::mem::take(&mut rows[i]));
        row_numbers.push(sheet.excel_row(i));
    }
    RawSheet {
        rows: cut,
        ..part_facts(sheet, row_numbers)
    }
}

/// A part of `sheet` without rows: the sheet's facts, and the part's row numbers.
pub fn part_facts(sheet: &RawSheet, row_numbers: Vec<u32>) -> RawSheet {
    RawSheet {
        sheet: sheet.sheet.clone(),
        rows: Vec::new(),
        row_offset: sheet.row_offset,
        hidden: sheet.hidden,
        error: None,
        row_numbers,
        formula_texts: sheet.formula_texts.clone(),
        hidden_rows: sheet.hidden_rows.clone(),
        autofilter: sheet.autofilter,
        merged: sheet.merged.clone(),
        streamed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Makes the per-file work panic once a sheet of the file is in (a test of the
        /// boundary; nothing in the code is known to panic).
        pub static PANIC_AFTER_FIRST_SHEET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    fn read_csv(text: &str) -> ingest::ReadFile {
        ingest::read_bytes(
            text.as_bytes().to_vec(),
            "csv",
            &Config::default_config().limits,
        )
        .unwrap_or_else(|(e, _)| panic!("{e}"))
    }

    #[test]
    fn a_panic_in_per_file_work_is_that_files_error_and_its_rows_are_dropped() {
        let cfg = Config::default_config();
        let rec = Recogniser::new(&cfg);
        let mut inputs = Inputs::default();
        let risks = "Risk;Sannolikhet;Konsekvens\nA;4;4\nB;2;2\n";
        load_read(Ok(read_csv(risks)), "Risker.csv", &cfg, &rec, &mut inputs);
        assert_eq!(inputs.risks.len(), 2);
        // A file of two sheets whose second sheet's work panics: its first sheet's rows
        // are dropped too, and the file is reported; the earlier file's rows stay.
        let mut two = read_csv("Risk;Sannolikhet;Konsekvens\nC;4;4\n");
        two.sheets.push(two.sheets[0].clone());
        PANIC_AFTER_FIRST_SHEET.with(|f| f.set(true));
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        load_read(Ok(two), "Fler risker.csv", &cfg, &rec, &mut inputs);
        std::panic::set_hook(previous);
        PANIC_AFTER_FIRST_SHEET.with(|f| f.set(false));
        assert_eq!(inputs.risks.len(), 2, "{:?}", inputs.risks);
        let errors: Vec<_> = inputs
            .problems
            .iter()
            .filter(|p| p.severity == model::Severity::FileError)
            .collect();
        assert_eq!(errors.len(), 1, "{:?}", inputs.problems);
        assert!(errors[0].one_line().contains("Fler risker.csv"));
        assert!(errors[0].one_line().contains("internt fel"));
    }

    /// The clean-up after reading compacts the list in place: a merged incident in the
    /// middle of the list leaves the incidents after it, in order, and a future date
    /// is taken out wherever it stands.
    #[test]
    fn incidents_after_a_merged_one_are_kept_in_order() {
        let cfg = Config::default_config();
        let rec = Recogniser::new(&cfg);
        let mut inputs = Inputs::default();
        let head = "Ärendenummer;Händelsedatum;Händelsetyp;Personuppgiftsincident\n";
        let first = format!(
            "{head}IA-1;2025-02-01;Nätfiske;Nej\nIA-2;2025-03-01;Nätfiske;Nej\nIA-3;2025-04-01;Inbrott;Nej\n"
        );
        // IA-3 again, a day later and as a personal data incident: the same incident.
        let second = format!(
            "{head}IA-3;2025-04-02;Inbrott;Ja\nIA-4;2099-05-01;Felskick;Nej\nIA-5;2025-06-01;Felskick;Ja\nIA-6;2025-07-01;Övrigt;Nej\n"
        );
        load_read(
            Ok(read_csv(&first)),
            "System A.csv",
            &cfg,
            &rec,
            &mut inputs,
        );
        load_read(
            Ok(read_csv(&second)),
            "System B.csv",
            &cfg,
            &rec,
            &mut inputs,
        );
        assert_eq!(inputs.incidents.len(), 7, "{:?}", inputs.problems);
        finish(&mut inputs);
        let ids: Vec<_> = inputs
            .incidents
            .iter()
            .map(|i| i.case_id.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(ids, ["IA-1", "IA-2", "IA-3", "IA-5", "IA-6"]);
        let flags: Vec<_> = inputs.incidents.iter().map(|i| i.personal_data).collect();
        assert_eq!(
            flags,
            [
                Some(false),
                Some(false),
                Some(true),
                Some(true),
                Some(false)
            ]
        );
        let said: Vec<String> = inputs.problems.iter().map(|p| p.one_line()).collect();
        assert!(
            said.iter().any(|p| p.contains("räknas en gång")),
            "{said:?}"
        );
        assert!(
            said.iter().any(|p| p.contains("efter dagens datum")),
            "{said:?}"
        );
    }
}
