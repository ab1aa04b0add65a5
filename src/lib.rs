//! genomgang: the yearly management review of information security (Ledningens
//! genomgång, ISO/IEC 27001 9.3) from the spreadsheet exports a Swedish administration
//! already has.
//!
//! The layers import one way only, bottom to top (tests/layers.rs checks it):
//! `schema`, `textnorm` (names and text rules), `fasthash` (the maps' hasher),
//! `privacy` (what may be shown), `platform` (Windows habits in portable code) →
//! `error` → `config` → `ingest` (files, formats, headers, values) → `model` (typed
//! records, problems with their place) →
//! `kpi` (pure figures) → `review` (figures + text + ISO mapping, built once) → `report`
//! (workbook, comparison, PNG, JSON, Markdown) → `input_templates` (blank input
//! workbooks) → `pipeline` (folder → review → files, for `report` and `batch`) → `cli`
//! → `commands` (thin verbs).

pub mod fasthash;
pub mod platform;
pub mod privacy;
pub mod schema;
pub mod textnorm;

pub mod error;

pub mod catalogue;
pub mod config;

pub mod ingest;

pub mod model;

pub mod kpi;

pub mod review;

pub mod report;

pub mod input_templates;

pub mod pipeline;

pub mod cli;

pub mod commands;
