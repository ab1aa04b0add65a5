//! Errors that stop a whole command or a whole unit (bad arguments, unreadable
//! configuration, an output that cannot be written). Problems inside one input file are
//! not errors: they become `model::Problem`s in the data quality account and the run
//! goes on.
//!
//! Each variant keeps its cause (`#[source]`); `Display` is the Swedish sentence the
//! user sees. Decisions are made on variants, never on message text.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// The configuration file is missing, unreadable or of the wrong shape.
    #[error(
        "Konfigurationen {path}: {message}. Rätta filen eller utgå från templates/genomgang.toml."
    )]
    Config { path: PathBuf, message: String },

    /// The input folder does not exist or is not a folder.
    #[error("Indatamappen {path} finns inte eller är ingen mapp. Ange mappen med exportfilerna.")]
    InputDir { path: PathBuf },

    /// The input folder exists but its entries could not be listed.
    #[error(
        "Indatamappen {path} kunde inte läsas ({source}). Kontrollera behörigheten till mappen."
    )]
    ListDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// No input file of any known kind was found.
    #[error("Inga användbara indata i {path}: ingen fil kändes igen som utbildning, personal, incidenter, registerförteckning, klassning, risker eller åtgärder. Kör `genomgang check {path}` för att se varför.")]
    NothingUsable { path: PathBuf },

    /// A file or folder could not be written.
    #[error("Kunde inte skriva {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A workbook could not be put together.
    #[error("Arbetsboken {path} kunde inte skapas: {source}")]
    Workbook {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },

    /// The Word document could not be put together.
    #[error("Word-dokumentet {path} kunde inte skapas: {source}")]
    Document {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },

    /// A PNG chart could not be drawn.
    #[error("Diagrammet {path} kunde inte ritas: {message}")]
    Chart { path: PathBuf, message: String },

    /// The review text template could not be rendered.
    #[error("Rapporttexten kunde inte skrivas: {source}")]
    Template {
        #[source]
        source: minijinja::Error,
    },
}

impl Error {
    /// An I/O failure while writing `path`.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Write {
            path: path.into(),
            source,
        }
    }
}
