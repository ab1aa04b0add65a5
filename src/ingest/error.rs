//! Why a file or sheet could not be read. Each variant's `Display` is the Swedish sentence
//! shown in Datakvalitet and on stderr (what is wrong, then what to do); callers decide
//! on the variant, never on the text, and causes are kept as sources.

use std::sync::Arc;

use thiserror::Error;

/// A cause from a library (calamine, zip, csv, I/O), kept for `source()`.
pub type Cause = Arc<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, Error)]
pub enum ReadError {
    #[error("filen är tom (0 byte). Exportera den igen")]
    Empty,

    #[error("filen kunde inte öppnas ({source})")]
    Open {
        #[source]
        source: Cause,
    },

    #[error("filen kunde inte läsas ({source})")]
    Io {
        #[source]
        source: Cause,
    },

    /// Another program (Excel) holds the file open without sharing it.
    #[error("filen är öppen i ett annat program och kan inte läsas: stäng filen i Excel och försök igen")]
    Locked,

    #[error("filen är {size_mib} MiB stor, större än gränsen {limit_mib} MiB (limits.max_file_mib). Exportera bara det år som behövs, eller höj gränsen")]
    TooLarge { size_mib: u64, limit_mib: u64 },

    #[error(
        "arbetsboken är lösenordsskyddad — spara en kopia utan lösenord och lägg den i mappen"
    )]
    Password,

    #[error("filen heter .{extension} men är en textfil, inte ett kalkylark. Om den är en CSV-export: byt filändelse till .csv; annars öppna den i Excel och spara som .xlsx")]
    TextWithSpreadsheetName { extension: String },

    #[error("filen är inget läsbart kalkylark (varken Excel- eller OpenDocument-format), trots filändelsen .{extension}. Den kan vara skadad: exportera den igen")]
    NotASpreadsheet { extension: String },

    #[error("filen är en trasig zip-behållare ({source}); den är troligen avbruten mitt i kopieringen. Exportera den igen")]
    BrokenZip {
        #[source]
        source: Cause,
    },

    #[error("filen kunde inte läsas som kalkylark; den verkar skadad eller ofullständig ({source}). Öppna den i Excel och spara om den, eller exportera den igen")]
    Damaged {
        #[source]
        source: Cause,
    },

    /// An entry of an xlsx/ods zip unpacks beyond the limit, or beyond the size it
    /// declares (a zip bomb that lies about its size).
    #[error("{}", zip_bomb_text(entry, *size_mib, *limit_mib, *lying))]
    ZipBomb {
        entry: String,
        size_mib: u64,
        limit_mib: u64,
        lying: bool,
    },

    #[error("bladet kunde inte läsas ({source})")]
    Sheet {
        #[source]
        source: Cause,
    },

    #[error("bladet kunde inte läsas; filen verkar skadad ({source})")]
    SheetDamaged {
        #[source]
        source: Cause,
    },

    #[error("bladet har {columns} kolumner, fler än gränsen {limit} (limits.max_columns); en export har sällan fler än några tiotal. Ta bort tomma kolumner och spara om")]
    TooManyColumns { columns: usize, limit: usize },

    #[error("bladet har värden i kolumn {column}, bortom gränsen {limit} kolumner (limits.max_columns). Ta bort innehållet långt till höger och spara om")]
    ValueBeyondColumns { column: String, limit: usize },

    #[error("bladet har {cells} celler, fler än gränsen {limit} (limits.max_cells). Dela upp filen eller höj gränsen")]
    TooManyCells { cells: u64, limit: u64 },

    #[error("bladet har fler än {limit} ifyllda celler (limits.max_cells). Dela upp filen eller höj gränsen")]
    TooManyFilledCells { limit: u64 },

    #[error("bladet anger att det omfattar {range} ({columns} kolumner × {rows} rader), långt mer än en export brukar; det läses inte för att skydda datorns minne. Kopiera de använda cellerna till en ny arbetsbok och spara den")]
    HugeDimension {
        range: String,
        columns: u64,
        rows: u64,
    },

    #[error("filen är i teckenkodningen UTF-16 men innehåller ogiltiga tecken (en udda byte eller ett halvt tecken). Spara om den som CSV UTF-8 (kommaavgränsad) i Excel")]
    BadUtf16,

    #[error("filen är en webbsida (HTML) men innehåller ingen tabell att läsa. Exportera listan som Excel eller CSV i stället")]
    HtmlWithoutTable,

    #[error("filen är ett XML-kalkylblad (Excel 2003) utan något kalkylblad i. Öppna den i Excel och spara som .xlsx")]
    XmlWithoutWorksheet,

    #[error("rad {row} i tabellen har {columns} kolumner, fler än gränsen {limit} (limits.max_columns). Är det rätt fil?")]
    TableTooManyColumns {
        row: usize,
        columns: usize,
        limit: usize,
    },

    #[error("filen börjar som UTF-8 men innehåller ogiltiga tecken. Spara om den som CSV UTF-8")]
    BadUtf8AfterBom,

    #[error("filen innehåller binära tecken och är varken UTF-8- eller Windows-1252-text. Spara den som CSV (UTF-8) eller som .xlsx")]
    Binary,

    #[error("filens teckenkodning kunde inte avgöras. Spara den som CSV UTF-8")]
    UnknownEncoding,

    #[error("rad {line} kunde inte tolkas som CSV ({source}). Kontrollera citattecknen")]
    CsvSyntax {
        line: usize,
        #[source]
        source: Cause,
    },

    #[error("rad {line} har {columns} kolumner, fler än gränsen {limit} (limits.max_columns). Är det rätt avgränsare och rätt fil?")]
    CsvTooManyColumns {
        line: usize,
        columns: usize,
        limit: usize,
    },

    #[error(
        "filen har fler än {limit} celler (limits.max_cells). Dela upp filen eller höj gränsen"
    )]
    CsvTooManyCells { limit: u64 },

    #[error("filen kunde inte läsas: läsaren stötte på en oväntad struktur i filen. Öppna den i Excel och spara om den")]
    ReaderPanicked,
}

fn zip_bomb_text(entry: &str, size_mib: u64, limit_mib: u64, lying: bool) -> String {
    if lying {
        "en del av filen packas upp till mer än den uppger (möjlig zip-bomb) och läses inte, för att skydda datorns minne. Exportera filen igen från källsystemet".to_string()
    } else if entry.is_empty() {
        format!("en del av filen packas upp till mer än {limit_mib} MiB och läses inte, för att skydda datorns minne (möjlig zip-bomb). Gränsen ändras med limits.max_unpacked_mib i genomgang.toml")
    } else {
        format!("filen packas upp till mer än {limit_mib} MiB ({size_mib} MiB i \"{entry}\") och läses inte, för att skydda datorns minne. Är filen verkligen en export? Gränsen ändras med limits.max_unpacked_mib i genomgang.toml")
    }
}

impl ReadError {
    pub fn cause<E: std::error::Error + Send + Sync + 'static>(e: E) -> Cause {
        Arc::new(e)
    }
}
