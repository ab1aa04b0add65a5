//! The "ISO 27001 9.3" sheet's content: each review input of clause 9.3.2 a)–g) with
//! where the workbook answers it, or plainly what is missing and which file would cover
//! it; and 9.3.3's outputs as the decisions proposed.

use crate::review::{Figures, IsoRow};
use crate::schema::InputKind;

pub fn rows(report: &Figures) -> Vec<IsoRow> {
    let has = |k: InputKind| report.context.kinds_present.contains(&k);
    let section = |key: &str| report.context.sections.iter().any(|(k, _)| k == key);
    let row = |clause: &str, requirement: &str, covered: bool, answer: String| IsoRow {
        clause: clause.to_string(),
        requirement: requirement.to_string(),
        covered,
        partly: None,
        answer,
    };
    let training = has(InputKind::Training) || has(InputKind::TrainingWide);
    let mut measured: Vec<&str> = Vec::new();
    if training {
        measured.push("Utbildning");
    }
    if has(InputKind::Register) {
        measured.push("Registerförteckning");
    }
    if has(InputKind::Classification) {
        measured.push("Informationsklassning");
    }
    let mut missing_measures: Vec<&str> = Vec::new();
    if !training {
        missing_measures.push("utbildningslista");
    }
    if !has(InputKind::Register) {
        missing_measures.push("registerförteckning");
    }
    if !has(InputKind::Classification) {
        missing_measures.push("klassningsförteckning (KLASSA)");
    }
    let incidents = has(InputKind::Incidents);
    let own_context = section("omvarld") || section("sverige-eu") || section("staden");
    vec![
        row(
            "9.3.2 a)",
            "Status för åtgärder från tidigare ledningens genomgångar",
            has(InputKind::Actions),
            if has(InputKind::Actions) {
                "Bladet Åtgärder (status, försenade och öppna åtgärder) och Sammanfattning (nyckeltalen för åtgärder).".to_string()
            } else {
                "Saknas: lägg förra årets åtgärdsplan (kolumnerna Åtgärd och Status) i indatamappen.".to_string()
            },
        ),
        IsoRow {
            // Default text alone is no assessment of this year's changes.
            partly: (!own_context).then_some("Delvis – bara standardtext"),
            ..row(
            "9.3.2 b)",
            "Förändringar i externa och interna frågor som är relevanta för ledningssystemet",
            own_context,
            if section("omvarld") || section("sverige-eu") || section("staden") {
                "Bladet Rapport, avsnitt 2 (omvärld, Sverige och EU, staden) från förvaltningens textfiler.".to_string()
            } else {
                "Bladet Rapport, avsnitt 2, med standardtext. Lägg omvarld.md, sverige-eu.md och staden.md i indatamappen för årets egna bedömning.".to_string()
            },
        )},
        row(
            "9.3.2 c)",
            "Förändringar i intressenters behov och förväntningar",
            section("intressenter"),
            if section("intressenter") {
                "Bladet Rapport, avsnitt 2.4 (från intressenter.md).".to_string()
            } else {
                "Saknas: beskriv intressenters behov och förväntningar i intressenter.md i indatamappen.".to_string()
            },
        ),
        row(
            "9.3.2 d) 1)",
            "Återkoppling om prestanda: avvikelser och korrigerande åtgärder",
            incidents,
            if incidents {
                "Bladet Incidenter (per kategori, månad, år och enhet), Sammanfattning (nyckeltalen för incidenter) och Rapport avsnitt 3.2.".to_string()
            } else {
                "Saknas: lägg incidentloggen (t.ex. export från IA) i indatamappen.".to_string()
            },
        ),
        row(
            "9.3.2 d) 2)",
            "Återkoppling om prestanda: resultat av övervakning och mätning",
            !measured.is_empty(),
            if missing_measures.is_empty() {
                format!("Bladen {} och Sammanfattning.", measured.join(", "))
            } else if measured.is_empty() {
                format!("Saknas: lägg {} i indatamappen.", missing_measures.join(", "))
            } else {
                format!("Bladen {} och Sammanfattning. Saknas: {}.", measured.join(", "), missing_measures.join(", "))
            },
        ),
        row(
            "9.3.2 d) 3)",
            "Återkoppling om prestanda: revisionsresultat",
            section("handelser"),
            if section("handelser") {
                "Bladet Rapport, avsnitt 3 (från handelser.md).".to_string()
            } else {
                "Saknas: resultat från internrevision eller IMY:s tillsyn beskrivs i handelser.md i indatamappen.".to_string()
            },
        ),
        row(
            "9.3.2 d) 4)",
            "Återkoppling om prestanda: uppfyllelse av informationssäkerhetsmål",
            report.kpis.iter().any(|k| k.target.is_some() && k.value.is_some()),
            "Bladet Sammanfattning, kolumnerna Mål och Status (mål enligt konfigurationen).".to_string(),
        ),
        row(
            "9.3.2 e)",
            "Återkoppling från intressenter",
            section("intressenter"),
            if section("intressenter") {
                "Bladet Rapport, avsnitt 2.4 (från intressenter.md).".to_string()
            } else {
                "Saknas: återkoppling från intressenter (t.ex. nämnd, revisorer, medarbetare) beskrivs i intressenter.md.".to_string()
            },
        ),
        row(
            "9.3.2 f)",
            "Resultat av riskbedömning och status för riskbehandlingsplanen",
            has(InputKind::Risks),
            if has(InputKind::Risks) {
                "Bladet Risker (riskmatris och riskförteckning) och Rapport avsnitt 3.1.".to_string()
            } else {
                "Saknas: lägg riskregistret (Risk, Sannolikhet, Konsekvens) i indatamappen.".to_string()
            },
        ),
        row(
            "9.3.2 g)",
            "Möjligheter till ständig förbättring",
            true,
            "Bladet Rapport, avsnitt 4 (prioriterat arbete, föreslaget utifrån nyckeltalen och åtgärdsplanen).".to_string(),
        ),
        IsoRow {
            partly: Some("Delvis – beslut fattas vid genomgången"),
            ..row(
                "9.3.3",
                "Resultat: beslut om förbättringsmöjligheter och behov av förändringar i ledningssystemet",
                false,
                "Förslag till beslut finns överst på bladet Sammanfattning och i Rapport, med det prioriterade arbetet i avsnitt 4. Ledningens beslut förs in i blocket Beslut / Ort och datum / Underskrift / Namnförtydligande; arbetsboken och beslutet arkiveras som dokumenterad information.".to_string(),
            )
        },
    ]
}
