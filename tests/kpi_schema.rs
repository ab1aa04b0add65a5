//! The KPI document is documented and versioned: `schema/kpi.schema.json` describes it,
//! every document carries `schema_version`, and every document the tests read back
//! (`common::read_json`) is checked against the schema. Here: the validator itself
//! rejects what the schema forbids, and the sample's documents of `report`, `batch` and
//! the workbook's hidden data sheet all follow it.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::json_schema::{kpi_schema, validate};
use common::*;

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema = kpi_schema();
    let good = serde_json::json!({
        "schema_version": 1, "unit": "Södermalm", "year": 2025,
        "kpis": [{"id": "incidents.total", "label": "Antal incidenter", "value": 3,
                  "previous": null, "target": null, "status": "info"}]
    });
    assert!(
        validate(&schema, &good).is_empty(),
        "{:?}",
        validate(&schema, &good)
    );
    let mut no_version = good.clone();
    no_version.as_object_mut().unwrap().remove("schema_version");
    assert!(!validate(&schema, &no_version).is_empty());
    let mut wrong_version = good.clone();
    wrong_version["schema_version"] = serde_json::json!(2);
    assert!(!validate(&schema, &wrong_version).is_empty());
    let mut bad_status = good.clone();
    bad_status["kpis"][0]["status"] = serde_json::json!("röd");
    assert!(!validate(&schema, &bad_status).is_empty());
    let mut text_value = good.clone();
    text_value["kpis"][0]["value"] = serde_json::json!("3");
    assert!(!validate(&schema, &text_value).is_empty());
    let mut extra = good.clone();
    extra["kpis"][0]["personnummer"] = serde_json::json!("x");
    assert!(!validate(&schema, &extra).is_empty());
}

#[test]
fn report_batch_and_the_data_sheet_follow_the_schema() {
    let t = TempDir::new("kpi-schema");
    // `read_json` validates each document it reads.
    let (doc, xlsx) = report_ok(&sample_dir(), &t.join("report"), &[]);
    assert_eq!(doc["schema_version"], 1);
    let root = t.folder("stad");
    let unit = root.join("kungsholmen");
    std::fs::create_dir_all(&unit).unwrap();
    for entry in std::fs::read_dir(sample_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, unit.join(path.file_name().unwrap())).unwrap();
        }
    }
    let out = t.join("batch");
    let (code, batch, err) = run_json("batch", &root, &out, &out.join("stad.json"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(batch["schema_version"], 1);
    assert_eq!(batch["units"][0]["schema_version"], 1);

    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let text: String = wb
        .worksheet_range("Nyckeltalsdata")
        .unwrap()
        .rows()
        .skip(1)
        .filter_map(|r| match r.first() {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    json_schema::assert_valid(&data, "Nyckeltalsdata");
    assert_eq!(data["kpis"], doc["kpis"]);
    assert_eq!(data["history"], doc["history"]);
    // Aggregates only: no breakdowns, sources or warnings in the hidden part.
    assert!(data.get("breakdowns").is_none() && data.get("sources").is_none());
}
