//! The governance sheets: `Registerförteckning` (Art. 30 completeness, incomplete and
//! stale processing activities by name), `Informationsklassning` (coverage and levels),
//! `Risker` (likelihood × consequence matrix and the risk list) and `Åtgärder` (status,
//! overdue and open actions).

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::charts::{count_axis, fill, label_values, LAST_YEAR, LEVEL_SHADES, THIS_YEAR};
use super::{data_sheet, finish_sheet, write_table, write_totals, Formats, Out, FIRST_ROW};
use crate::review::Review;
use crate::schema::KpiId;

/// The governance sheets that have content, in workbook order.
pub(crate) fn sheets(report: &Review, f: &Formats) -> Result<Vec<Worksheet>, XlsxError> {
    let mut out = Vec::new();
    if report.value(KpiId::RegisterActivities).is_some() {
        out.push(register(report, f)?);
    }
    if report.value(KpiId::ClassificationAssets).is_some() {
        out.push(classification(report, f)?);
    }
    if report.value(KpiId::RisksTotal).is_some() {
        out.push(risks(report, f)?);
    }
    if report.value(KpiId::ActionsTotal).is_some() {
        out.push(actions(report, f)?);
    }
    Ok(out)
}

fn register(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let b = &report.breakdowns;
    let name = "Registerförteckning";
    let mut ws = data_sheet(name, report)?;
    let headers: Vec<String> = vec![
        "Uppgift enligt art. 30.1".into(),
        "Ifyllda".into(),
        "Saknas".into(),
        "Andel ifyllda".into(),
    ];
    let rows: Vec<Vec<Out>> = b
        .register_fields
        .iter()
        .map(|r| {
            vec![
                Out::text(&r.field),
                Out::count(r.filled),
                Out::count(r.missing),
                Out::Rate(r.rate),
            ]
        })
        .collect();
    let fields = write_table(
        &mut ws,
        FIRST_ROW,
        "Fullständighet per uppgift som artikel 30 kräver",
        "RegisterUppgifter",
        &headers,
        &rows,
        f,
    )?;
    let headers: Vec<String> = vec!["Behandling".into(), "Uppgifter som saknas".into()];
    let rows: Vec<Vec<Out>> = b
        .register_incomplete
        .iter()
        .map(|r| vec![Out::text(&r.name), Out::text(&r.missing)])
        .collect();
    let incomplete = write_table(
        &mut ws,
        fields.next(),
        "Behandlingar som saknar uppgifter",
        "RegisterOfullstandiga",
        &headers,
        &rows,
        f,
    )?;
    let headers: Vec<String> = vec!["Behandling".into(), "Senast reviderad".into()];
    let rows: Vec<Vec<Out>> = b
        .register_stale
        .iter()
        .map(|r| vec![Out::text(&r.activity), Out::Date(r.last_reviewed)])
        .collect();
    let stale_label = report
        .kpi(KpiId::RegisterStale)
        .map(|k| k.label.clone())
        .unwrap_or_else(|| "Behandlingar som inte reviderats".into());
    write_table(
        &mut ws,
        incomplete.next(),
        &stale_label,
        "RegisterEjReviderade",
        &headers,
        &rows,
        f,
    )?;
    ws.set_freeze_panes(FIRST_ROW + 2, 1)?;
    finish_sheet(
        &mut ws,
        &format!("Registerförteckning {}", report.year),
        "Förteckning över behandlingar av personuppgifter enligt artikel 30 i dataskyddsförordningen. Behandlingar anges med namn, aldrig med personer.",
        f,
    )?;
    // No chart here: seven bars of near-equal shares say nothing the table does not.
    Ok(ws)
}

fn classification(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let b = &report.breakdowns;
    let name = "Informationsklassning";
    let mut ws = data_sheet(name, report)?;
    let mut headers: Vec<String> = vec!["Aspekt".into()];
    headers.extend((0..=4).map(|l| format!("Nivå {l}")));
    headers.push("Ej klassad".into());
    let rows: Vec<Vec<Out>> = b
        .classification_levels
        .iter()
        .map(|r| {
            let mut row = vec![Out::text(&r.aspect)];
            row.extend(r.levels.iter().map(|n| Out::count(*n)));
            row.push(Out::count(r.missing));
            row
        })
        .collect();
    let levels = write_table(
        &mut ws,
        FIRST_ROW,
        "Informationstillgångar per skyddsnivå (KLASSA 0–4)",
        "KlassningNivaer",
        &headers,
        &rows,
        f,
    )?;
    let headers: Vec<String> = vec!["Informationstillgång".into(), "Saknas".into()];
    let rows: Vec<Vec<Out>> = b
        .classification_unclassified
        .iter()
        .map(|r| vec![Out::text(&r.name), Out::text(&r.missing)])
        .collect();
    write_table(
        &mut ws,
        levels.next(),
        "Informationstillgångar som inte är klassade för konfidentialitet, riktighet och tillgänglighet",
        "KlassningSaknas",
        &headers,
        &rows,
        f,
    )?;
    ws.set_freeze_panes(FIRST_ROW + 2, 1)?;
    finish_sheet(
        &mut ws,
        &format!("Informationsklassning {}", report.year),
        "Skyddsnivåer enligt KLASSA: 0 = ingen eller försumbar skada, 1 = måttlig, 2 = betydande, 3 = allvarlig, 4 = synnerligen allvarlig.",
        f,
    )?;
    // The level counts are narrow; the second table's "what is missing" text runs on
    // into the empty cells to its right.
    for c in 1..=6u16 {
        ws.set_column_width(c, 11)?;
    }
    if !levels.empty {
        let mut chart = Chart::new(ChartType::BarStacked);
        // Levels as shades of one blue, light to dark; "Ej klassad" in grey.
        let colors = LEVEL_SHADES.iter().copied().chain([LAST_YEAR]);
        for (col, color) in (1..=6u16).zip(colors) {
            let series = chart
                .add_series()
                .set_name((name, levels.header_row, col))
                .set_categories((name, levels.first_row, 0, levels.last_row, 0))
                .set_values((name, levels.first_row, col, levels.last_row, col))
                .set_format(&mut fill(color));
            label_values(series);
        }
        chart.title().set_name("Skyddsnivåer per aspekt");
        chart.y_axis().set_reverse();
        let assets = report.value(KpiId::ClassificationAssets).unwrap_or(0.0);
        count_axis(chart.x_axis(), assets);
        chart.set_width(560).set_height(300);
        ws.insert_chart(
            levels.next() + b.classification_unclassified.len().max(1) as u32 + 3,
            0,
            &chart,
        )?;
    }
    Ok(ws)
}

fn risks(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let b = &report.breakdowns;
    let name = "Risker";
    let mut ws = data_sheet(name, report)?;
    let threshold = report.context.high_risk_threshold;

    // The matrix: likelihood 5 at the top, consequence 1–5 left to right, each cell
    // coloured by its risk value (likelihood × consequence).
    let top = FIRST_ROW;
    ws.write_string_with_format(
        top,
        0,
        "Riskmatris: antal risker per sannolikhet och konsekvens",
        &f.heading,
    )?;
    ws.write_string_with_format(top + 1, 0, "Sannolikhet \\ Konsekvens", &f.matrix_header)?;
    for c in 1..=5u16 {
        ws.write_number_with_format(top + 1, c, c as f64, &f.matrix_header)?;
    }
    for (i, l) in (1..=5usize).rev().enumerate() {
        let row = top + 2 + i as u32;
        ws.write_number_with_format(row, 0, l as f64, &f.matrix_header)?;
        for c in 1..=5usize {
            let n = b
                .risk_matrix
                .get(l - 1)
                .and_then(|r| r.get(c - 1))
                .copied()
                .unwrap_or(0);
            let value = (l * c) as f64;
            let format = if value >= threshold {
                &f.matrix_high
            } else if value >= threshold / 2.0 {
                &f.matrix_medium
            } else {
                &f.matrix_low
            };
            if n > 0 {
                ws.write_number_with_format(row, c as u16, n as f64, format)?;
            } else {
                ws.write_blank(row, c as u16, format)?;
            }
        }
        ws.set_row_height(row, 24)?;
    }
    let legend_row = top + 8;
    ws.write_string_with_format(
        legend_row,
        0,
        format!("Rött: riskvärde minst {threshold}; gult: minst {}; grönt: lägre. Talet i rutan är antalet risker.", threshold / 2.0),
        &f.subtitle,
    )?;

    let headers: Vec<String> = vec![
        "Risk".into(),
        "Sannolikhet".into(),
        "Konsekvens".into(),
        "Riskvärde".into(),
        "Hög risk".into(),
        "Status".into(),
        "Åtgärd".into(),
        "Riskägare".into(),
    ];
    let rows: Vec<Vec<Out>> = b
        .risks
        .iter()
        .map(|r| {
            vec![
                Out::text(&r.risk),
                Out::Decimal(r.likelihood),
                Out::Decimal(r.consequence),
                Out::Decimal(r.value),
                Out::text(if r.high { "Ja" } else { "Nej" }),
                Out::text(&r.status),
                Out::Wrapped(r.action.clone()),
                r.owner.as_ref().map(Out::text).unwrap_or(Out::Missing),
            ]
        })
        .collect();
    let list = write_table(
        &mut ws,
        legend_row + 2,
        "Riskregistret, högst riskvärde först",
        "Risklista",
        &headers,
        &rows,
        f,
    )?;
    if !list.empty {
        // Whole numbers without decimals, as the risk register writes them.
        for (i, r) in b.risks.iter().enumerate() {
            let row = list.first_row + i as u32;
            for (col, v) in [(1u16, r.likelihood), (2, r.consequence), (3, r.value)] {
                if v.fract() == 0.0 {
                    ws.write_number_with_format(row, col, v, &f.count)?;
                }
            }
        }
        let high = rust_xlsxwriter::ConditionalFormatText::new()
            .set_rule(rust_xlsxwriter::ConditionalFormatTextRule::BeginsWith(
                "Ja".into(),
            ))
            .set_format(
                rust_xlsxwriter::Format::new()
                    .set_background_color(rust_xlsxwriter::Color::RGB(super::RED_FILL))
                    .set_font_color(rust_xlsxwriter::Color::RGB(super::RED_TEXT)),
            );
        ws.add_conditional_format(list.first_row, 4, list.last_row, 4, &high)?;
    }
    finish_sheet(
        &mut ws,
        &format!("Risker {}", report.year),
        &format!(
            "Riskvärde = sannolikhet × konsekvens (1–5). Hög risk: riskvärde minst {threshold}."
        ),
        f,
    )?;
    // Risk and action texts wrap in their columns instead of being cut off.
    for (i, r) in b.risks.iter().enumerate() {
        ws.write_string_with_format(list.first_row + i as u32, 0, &r.risk, &f.wrap)?;
    }
    super::fit_wrapped_rows(&mut ws, &list, &rows, &[(0, 48.0), (6, 36.0)])?;
    for (i, r) in b.risks.iter().enumerate() {
        let lines = super::wrapped_lines(&r.risk, 48.0).max(super::wrapped_lines(&r.action, 36.0));
        if lines > 1 {
            ws.set_row_height(list.first_row + i as u32, 15.0 * lines as f64 + 2.0)?;
        }
    }
    for c in 1..=5u16 {
        ws.set_column_width(c, 12)?;
    }
    ws.set_column_width(7, 22)?;
    Ok(ws)
}

fn actions(report: &Review, f: &Formats) -> Result<Worksheet, XlsxError> {
    let b = &report.breakdowns;
    let name = "Åtgärder";
    let mut ws = data_sheet(name, report)?;
    let year = report.year;
    let headers: Vec<String> = vec!["Status".into(), "Antal".into()];
    let rows: Vec<Vec<Out>> = b
        .actions_by_status
        .iter()
        .map(|t| vec![Out::text(&t.text), Out::count(t.count)])
        .collect();
    let status = write_table(
        &mut ws,
        FIRST_ROW,
        "Åtgärder per status",
        "AtgarderPerStatus",
        &headers,
        &rows,
        f,
    )?;
    let total: u32 = b.actions_by_status.iter().map(|t| t.count).sum();
    let status_end = if status.empty {
        status.last_row
    } else {
        write_totals(
            &mut ws,
            &status,
            &[Out::text("Totalt"), Out::count(total)],
            f,
        )?
    };
    let headers: Vec<String> = vec![
        "Åtgärd".into(),
        "Ansvarig".into(),
        "Slutdatum".into(),
        "Status".into(),
        "År".into(),
    ];
    let to_rows = |list: &[crate::kpi::ActionRow]| -> Vec<Vec<Out>> {
        list.iter()
            .map(|a| {
                vec![
                    Out::Wrapped(a.action.clone()),
                    a.owner.as_ref().map(Out::text).unwrap_or(Out::Missing),
                    Out::Date(a.deadline),
                    Out::text(&a.status),
                    a.year
                        .map(|y| Out::text(y.to_string()))
                        .unwrap_or(Out::Missing),
                ]
            })
            .collect()
    };
    let overdue_rows = to_rows(&b.actions_overdue);
    let open_rows = to_rows(&b.actions_open);
    let overdue = write_table(
        &mut ws,
        status_end + 3,
        &format!(
            "Försenade åtgärder: slutdatum passerat senast {year}-12-31 utan att åtgärden är klar"
        ),
        "AtgarderForsenade",
        &headers,
        &overdue_rows,
        f,
    )?;
    let open = write_table(
        &mut ws,
        overdue.next(),
        "Alla åtgärder som inte är klara, försenade först (de förs över till nästa års arbete)",
        "AtgarderOppna",
        &headers,
        &open_rows,
        f,
    )?;
    ws.set_freeze_panes(FIRST_ROW + 2, 1)?;
    finish_sheet(
        &mut ws,
        &format!("Åtgärder {year}"),
        "Handlingsplanen för informationssäkerhet och dataskydd. Alla statusar som betyder klar (t.ex. Klar, Avslutad) räknas som Genomförd.",
        f,
    )?;
    super::fit_wrapped_rows(&mut ws, &overdue, &overdue_rows, &[(0, 50.0)])?;
    super::fit_wrapped_rows(&mut ws, &open, &open_rows, &[(0, 50.0)])?;
    for (col, width) in [(1u16, 22.0), (2, 12.0), (3, 16.0), (4, 8.0)] {
        ws.set_column_width(col, width)?;
    }
    if !status.empty {
        let mut chart = Chart::new(ChartType::Column);
        let series = chart
            .add_series()
            .set_name("Åtgärder per status")
            .set_categories((name, status.first_row, 0, status.last_row, 0))
            .set_values((name, status.first_row, 1, status.last_row, 1))
            .set_format(&mut fill(THIS_YEAR));
        label_values(series);
        chart.title().set_name("Åtgärder per status");
        chart.legend().set_hidden();
        count_axis(
            chart.y_axis(),
            b.actions_by_status
                .iter()
                .map(|t| t.count)
                .max()
                .unwrap_or(0) as f64,
        );
        chart.set_width(420).set_height(280);
        ws.insert_chart(FIRST_ROW + 1, 6, &chart)?;
    }
    Ok(ws)
}
