//! Errors that stop a whole command (bad arguments, unreadable configuration, a workbook
//! that cannot be written). Problems inside one input file are not errors: they become
//! [`crate::model::Problem`]s in the data quality account and the run goes on.

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

    /// No input file of any known kind was found.
    #[error("Inga användbara indata i {path}: ingen fil kändes igen som utbildning, personal, incidenter, registerförteckning, klassning, risker eller åtgärder. Kör `genomgang check {path}` för att se varför.")]
    NothingUsable { path: PathBuf },

    /// The output could not be written.
    #[error("Kunde inte skriva {path}: {message}")]
    Write { path: PathBuf, message: String },
}
