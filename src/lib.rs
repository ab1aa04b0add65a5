//! genomgang: the yearly management review of information security (Ledningens
//! genomgång, ISO/IEC 27001 9.3) from the spreadsheet exports a Swedish administration
//! already has.
//!
//! The pipeline is visible in the modules: `ingest` (files, formats, headers, values) →
//! `model` (one module per input kind) → `kpi` (polars) → `report` (workbook, JSON,
//! text). `config` holds what users may change; `commands` are the CLI's verbs.

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod ingest;
pub mod kpi;
pub mod load;
pub mod model;
pub mod platform;
pub mod report;
