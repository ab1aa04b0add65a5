//! The catalogue of known systems, measured (issue 17). Every system fixture under
//! `tests/fixtures/systems/` is read through the library with the shipped catalogue and
//! again with that system's own entry left out (`Catalogue::without`), and the KPIs that
//! come out right are counted. The table is printed (`cargo test --test catalogue --
//! --nocapture`); with its entry every KPI must be right, and the catalogue only adds
//! certainty: what evidence reads alone is the "without" column.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use genomgang::catalogue::Catalogue;
use genomgang::config::Config;
use genomgang::pipeline::kpi_document;

/// One system fixture: its catalogue key, folder, kind, and true KPIs for 2025.
struct Case {
    system: &'static str,
    folder: &'static str,
    kind: &'static str,
    kpis: &'static [(&'static str, Option<f64>)],
}

const CASES: &[Case] = &[
    Case {
        system: "servicenow",
        folder: "servicenow",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(6.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.lost_computer", Some(1.0)),
            ("incidents.category.other", Some(2.0)),
            ("incidents.personal_data", None),
        ],
    },
    Case {
        system: "defender",
        folder: "defender",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(6.0)),
            ("incidents.category.malware", Some(3.0)),
            ("incidents.category.unauthorized_access", Some(2.0)),
            ("incidents.category.other", Some(1.0)),
            ("incidents.personal_data", None),
        ],
    },
    Case {
        system: "topdesk",
        folder: "topdesk",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(5.0)),
            ("incidents.category.phishing", Some(2.0)),
            ("incidents.category.lost_computer", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.personal_data", None),
        ],
    },
    Case {
        system: "freshservice",
        folder: "freshservice",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(5.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.lost_computer", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.lost_phone", Some(1.0)),
            ("incidents.category.other", Some(1.0)),
        ],
    },
    Case {
        system: "scsm",
        folder: "scsm",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(5.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.misdirected", Some(1.0)),
            ("incidents.category.other", Some(1.0)),
        ],
    },
    Case {
        system: "ivanti",
        folder: "ivanti",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(4.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.lost_card", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.misdirected", Some(1.0)),
        ],
    },
    Case {
        system: "glpi",
        folder: "glpi",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(4.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.lost_computer", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.misdirected", Some(1.0)),
        ],
    },
    Case {
        system: "salesforce",
        folder: "salesforce",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(4.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.other", Some(1.0)),
        ],
    },
    Case {
        system: "kaseya",
        folder: "kaseya",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(4.0)),
            ("incidents.category.phishing", Some(1.0)),
            ("incidents.category.malware", Some(1.0)),
            ("incidents.category.lost_phone", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
        ],
    },
    Case {
        system: "skr-pui-form",
        folder: "skr-pui-form",
        kind: "incidenter",
        kpis: &[
            ("incidents.total", Some(5.0)),
            ("incidents.personal_data", Some(5.0)),
            ("incidents.reported_imy", None),
            ("incidents.category.misdirected", Some(2.0)),
            ("incidents.category.lost_phone", Some(1.0)),
            ("incidents.category.unauthorized_access", Some(1.0)),
            ("incidents.category.other", Some(1.0)),
        ],
    },
    Case {
        system: "moodle",
        folder: "moodle",
        kind: "utbildning",
        kpis: &[
            ("training.headcount", Some(5.0)),
            ("training.completed_all", Some(3.0)),
            ("training.completion_rate_all", Some(0.6)),
        ],
    },
    Case {
        system: "pluralsight",
        folder: "pluralsight",
        kind: "utbildning",
        kpis: &[
            ("training.headcount", Some(4.0)),
            ("training.completed_all", Some(2.0)),
            ("training.completion_rate_all", Some(0.5)),
        ],
    },
    Case {
        system: "knowbe4",
        folder: "knowbe4",
        kind: "utbildning",
        kpis: &[
            ("training.headcount", Some(4.0)),
            ("training.completed_all", Some(2.0)),
            ("training.completion_rate_all", Some(0.5)),
        ],
    },
    Case {
        system: "stratsys",
        folder: "stratsys-hr",
        kind: "personal",
        kpis: &[("training.headcount", Some(10.0))],
    },
    Case {
        system: "entra-id",
        folder: "entra-id",
        kind: "personal",
        kpis: &[("training.headcount", Some(5.0))],
    },
    Case {
        system: "google-workspace",
        folder: "google-workspace",
        kind: "personal",
        kpis: &[("training.headcount", Some(4.0))],
    },
    Case {
        system: "active-directory",
        folder: "active-directory",
        kind: "personal",
        kpis: &[("training.headcount", Some(5.0))],
    },
    Case {
        system: "alexis-hr",
        folder: "alexis-hr",
        kind: "personal",
        kpis: &[("training.headcount", Some(6.0))],
    },
    Case {
        system: "imy-register",
        folder: "imy-register",
        kind: "registerförteckning",
        kpis: &[
            ("register.activities", Some(4.0)),
            ("register.complete_rate", Some(0.0)),
            ("register.stale", None),
        ],
    },
    Case {
        system: "skr-klassa",
        folder: "skr-klassa",
        kind: "informationsklassning",
        kpis: &[
            ("classification.assets", Some(4.0)),
            ("classification.classified_rate", Some(0.75)),
        ],
    },
];

fn fixture(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/systems")
        .join(folder)
}

/// The KPIs of a case that come out right with a catalogue, and the wrong ones.
fn right(case: &Case, catalogue: Arc<Catalogue>) -> (usize, Vec<String>) {
    let cfg = Config::load_with(&[], catalogue).expect("configuration");
    let doc = kpi_document(&fixture(case.folder), &cfg, 2025).expect("KPI document");
    let mut wrong = Vec::new();
    for (id, want) in case.kpis {
        let got = value(&doc, id);
        let same = match (got, want) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        if !same {
            wrong.push(format!("{id}: {got:?}, rätt {want:?}"));
        }
    }
    (case.kpis.len() - wrong.len(), wrong)
}

#[test]
fn leave_one_out_table() {
    let full = Catalogue::builtin();
    // Every shipped system has a fixture here, and every fixture a system.
    for s in &full.systems {
        assert!(
            CASES.iter().any(|c| c.system == s.key),
            "{} has no fixture case",
            s.key
        );
    }
    let mut table = vec![format!(
        "{:<18} {:<22} {:>10} {:>12}",
        "system", "sort", "med post", "utan post"
    )];
    let mut failures = Vec::new();
    let (mut total, mut with_sum, mut without_sum) = (0, 0, 0);
    for case in CASES {
        assert!(full.get(case.system).is_some(), "{}", case.system);
        assert!(
            fixture(case.folder).join("SOURCE.md").is_file(),
            "{}",
            case.folder
        );
        let n = case.kpis.len();
        let (with, wrong) = right(case, full.clone());
        let (without, _) = right(case, Arc::new(full.without(case.system)));
        if with != n {
            failures.push(format!("{}: {}", case.system, wrong.join("; ")));
        }
        total += n;
        with_sum += with;
        without_sum += without;
        table.push(format!(
            "{:<18} {:<22} {:>10} {:>12}",
            case.system,
            case.kind,
            format!("{with}/{n}"),
            format!("{without}/{n}")
        ));
    }
    table.push(format!(
        "{:<18} {:<22} {:>10} {:>12}",
        "summa",
        "",
        format!("{with_sum}/{total}"),
        format!("{without_sum}/{total}")
    ));
    println!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_names_the_system_and_shows_the_header_evidence() {
    for (folder, name) in [
        ("topdesk", "Känd som TOPdesk-export"),
        ("knowbe4", "Känd som KnowBe4-export"),
        (
            "active-directory",
            "Känd som Active Directory (Get-ADUser)-export",
        ),
    ] {
        let o = run(&["check", fixture(folder).to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{out}");
        assert!(out.contains(name), "{out}");
        assert!(out.contains("känd rubrik i systemets export"), "{out}");
    }
    // Without its entry the same file is read from evidence and names no system.
    let o = run(&["check", fixture("glpi").to_str().unwrap()]);
    assert!(stdout(&o).contains("Känd som GLPI-export"));
}

#[test]
fn a_users_own_files_mapping_wins_over_the_catalogue() {
    let tmp = TempDir::new("catalogue-files-wins");
    std::fs::copy(
        fixture("topdesk").join("incidents.csv"),
        tmp.join("incidents.csv"),
    )
    .unwrap();
    // The user says the ITIL category is the category: every incident is then "Övrigt".
    std::fs::write(
        tmp.join("genomgang.toml"),
        "[[files]]\nfile = \"incidents.csv\"\ncolumns = { \"category\" = \"category\" }\n",
    )
    .unwrap();
    let cfg = Config::load(&[&tmp.join("genomgang.toml")]).unwrap();
    let doc = kpi_document(tmp.path(), &cfg, 2025).unwrap();
    assert_eq!(value(&doc, "incidents.total"), Some(5.0));
    assert_eq!(value(&doc, "incidents.category.other"), Some(5.0));
    assert_eq!(value(&doc, "incidents.category.phishing"), Some(0.0));
}

#[test]
fn a_system_file_with_an_unknown_role_is_refused_with_its_name() {
    let err = Catalogue::parse_files(&[(
        "egen.toml",
        "name = \"Eget\"\nkinds = [\"incidents\"]\nsources = [\"https://example.org\"]\nsignature = [\"A\", \"B\"]\n[headings]\n\"A\" = \"händelsedatum\"\n",
    )])
    .unwrap_err();
    assert!(err.contains("templates/systems/egen.toml"), "{err}");
    assert!(err.contains("okända rollen \"händelsedatum\""), "{err}");
}
