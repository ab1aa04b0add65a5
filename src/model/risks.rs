//! The risk register: each risk with likelihood and consequence; value = their product
//! (or the register's own risk value where it has one and agrees).

use crate::ingest::value::parse_number;
use crate::ingest::Cell;
use crate::model::sheet::SheetReader;
use crate::model::Severity;
use crate::privacy::owner_label;
use crate::textnorm::normalize;

#[derive(Debug, Clone)]
pub struct Risk {
    pub name: String,
    pub likelihood: f64,
    pub consequence: f64,
    pub value: f64,
    pub status: String,
    pub action: String,
    /// The risk owner as a function ("IT-chef"); see [`crate::privacy::owner_label`].
    pub owner: Option<String>,
}

impl crate::model::Facts for Risk {
    fn facts(&self) -> String {
        use crate::model::fact_text;
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            fact_text(&self.name),
            self.likelihood,
            self.consequence,
            self.value,
            fact_text(&self.status),
            fact_text(&self.action),
            fact_text(self.owner.as_deref().unwrap_or_default())
        )
    }
}

/// A rating written as a number, "3 - Medel", or a word.
fn parse_rating(cell: &Cell) -> Option<f64> {
    if let Some(n) = parse_number(cell) {
        return (n > 0.0 && n <= 10.0).then_some(n);
    }
    let t = normalize(&cell.text());
    if let Some(d) = t.split(' ').next().and_then(|w| w.parse::<f64>().ok()) {
        return (d > 0.0 && d <= 10.0).then_some(d);
    }
    match t.as_str() {
        "mycket låg" => Some(1.0),
        "låg" => Some(2.0),
        "medel" | "måttlig" => Some(3.0),
        "hög" => Some(4.0),
        "mycket hög" => Some(5.0),
        _ => None,
    }
}

pub fn read(r: &mut SheetReader) -> Vec<Risk> {
    let mut out = Vec::new();
    for row in r.rows() {
        let Some(name) = r.text(row, "risk") else {
            r.reject(row, "risk", "raden saknar riskbeskrivning");
            continue;
        };
        let Some(likelihood) = parse_rating(r.cell(row, "likelihood")) else {
            r.reject(
                row,
                "likelihood",
                "sannolikheten går inte att läsa som en siffra (t.ex. 1–5)",
            );
            continue;
        };
        let Some(consequence) = parse_rating(r.cell(row, "consequence")) else {
            r.reject(
                row,
                "consequence",
                "konsekvensen går inte att läsa som en siffra (t.ex. 1–5)",
            );
            continue;
        };
        let value = likelihood * consequence;
        if let Some(stated) = parse_number(r.cell(row, "value")) {
            if (stated - value).abs() > 0.01 {
                r.problem(
                    row,
                    "value",
                    Severity::Note,
                    &format!("riskvärdet stämmer inte med sannolikhet × konsekvens ({value})"),
                    "Sannolikhet × konsekvens används.",
                );
            }
        }
        r.rows_read += 1;
        out.push(Risk {
            name,
            likelihood,
            consequence,
            value,
            status: r.text(row, "status").unwrap_or_default(),
            action: r.text(row, "action").unwrap_or_default(),
            owner: r.text(row, "owner").map(|o| owner_label(&o)),
        });
    }
    out
}
