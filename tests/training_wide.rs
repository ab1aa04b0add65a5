//! The training list as a wide matrix (one column per course holding a date, "Genomförd",
//! "X", "Ej genomförd" or blank), with the same person also in a long list: each person
//! counts once and the earliest completion date wins.

mod common;

use common::*;

#[test]
fn wide_matrix_and_long_list_together() {
    let dir = TempDir::new("wide");
    let mut roster = vec![texts(&["Anställningsnummer", "Namn", "Enhet"])];
    for i in 1..=6 {
        roster.push(vec![
            n(500.0 + i as f64),
            s(&format!("Person {i}")),
            s("Enhet A"),
        ]);
    }
    write_sheet(&dir.join("personal.xlsx"), "Personal", roster);

    let header = || {
        texts(&[
            "Anställningsnummer",
            "Namn",
            "Grundläggande informationssäkerhet",
            "Dataskydd (GDPR) grundkurs",
            "Brandskydd",
        ])
    };
    let matrix = vec![
        vec![s("Utbildningsstatus per medarbetare")],
        vec![],
        header(),
        // Dated, and an undated mark: completed, for the review year only.
        vec![n(501.0), s("Person 1"), d(2024, 3, 1), s("X"), s("")],
        vec![
            n(502.0),
            s("Person 2"),
            s("Genomförd"),
            s("Genomförd"),
            s("X"),
        ],
        vec![n(503.0), s("Person 3"), d(2025, 2, 2), s(""), s("")],
        vec![
            n(504.0),
            s("Person 4"),
            s("Ej genomförd"),
            d(2025, 1, 1),
            s(""),
        ],
        // Printed exports repeat the header on every page.
        header(),
        // Finished after the year ended: not completed in 2025.
        vec![
            n(505.0),
            s("Person 5"),
            d(2025, 6, 1),
            d(2026, 1, 10),
            s(""),
        ],
        vec![
            n(506.0),
            s("Person 6"),
            d(2025, 9, 9),
            d(2025, 9, 10),
            s(""),
        ],
        vec![s("Summa"), s(""), n(5.0), n(4.0), n(1.0)],
    ];
    write_sheet(&dir.join("utbildningsmatris.xlsx"), "Status", matrix);
    // Person 6 also in a long list, with earlier dates: the earliest counts.
    let list = vec![
        texts(&["Anställningsnummer", "Kurs", "Slutfört datum"]),
        vec![
            n(506.0),
            s("Grundläggande informationssäkerhet"),
            d(2024, 1, 1),
        ],
        vec![n(506.0), s("Dataskydd (GDPR) grundkurs"), d(2024, 2, 2)],
    ];
    write_sheet(&dir.join("kurslista.xlsx"), "Export", list);

    let out = TempDir::new("wide-out");
    let (doc, _) = report_ok(dir.path(), out.path(), &["--year", "2025"]);
    assert_eq!(value(&doc, "training.headcount"), Some(6.0));
    // Persons 1, 2 and 6.
    assert_eq!(value(&doc, "training.completed_all"), Some(3.0));
    assert_eq!(value(&doc, "training.completion_rate_all"), Some(0.5));
    // By 2024-12-31 only person 6 had both (undated marks count for the review year only).
    assert_eq!(previous(&doc, "training.completed_all"), Some(1.0));
}
