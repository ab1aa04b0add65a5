#!/usr/bin/env python3
"""The script a consultant would write instead of genomgang, for the benchmark.

Reads a city from `examples/make_city.rs` with pandas + python-calamine (xlsx and ods)
and pandas' CSV reader (Windows-1252, semicolons), computes per unit the KPIs genomgang
computes (training completion per mandatory course and in all of them, by enhet;
incidents of the review year by category and month, personal data, IMY and MSB reports,
IMY reports later than 72 hours; register completeness and staleness; classification
rate; high risks; actions done and overdue), and writes one workbook per unit with
XlsxWriter (a KPI sheet and three breakdown sheets). Units run in parallel processes
(one per core), as genomgang's batch runs units on threads.

It knows the city's files by their headings (no recognition, no validation, no privacy
screening, no account of rows read) — the least a script must do. `--check` compares
its figures with the city's facit.json and exits 1 on a difference, so the comparison is
between programs that compute the same numbers.

Usage: python3 bench/script.py CITY_DIR --out OUT_DIR [--jobs N] [--check]
"""

import argparse
import json
import os
import re
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

YEAR = 2025
MANDATORY = {
    "infosak": re.compile(r"informationss[äa]kerhet", re.I),
    "gdpr": re.compile(r"dataskydd|gdpr", re.I),
}
DONE_WORDS = {"genomförd", "x", "klar", "ja"}


def read_sheet(path, marker):
    """The first sheet whose row holds `marker`, with that row as the header."""
    raw = pd.read_excel(path, sheet_name=0, header=None, engine="calamine", dtype=object)
    for i in range(min(len(raw), 20)):
        if any(str(v).strip() == marker for v in raw.iloc[i].tolist()):
            frame = raw.iloc[i + 1 :].copy()
            frame.columns = [str(c).strip() for c in raw.iloc[i].tolist()]
            return frame.dropna(how="all")
    raise ValueError(f"{path}: ingen rubrik {marker!r}")


def to_date(series):
    """Dates from datetime cells or ISO / dd.mm.yyyy text; NaT where blank."""
    text = series.astype("string")
    dotted = text.str.match(r"^\d{2}\.\d{2}\.\d{4}$", na=False)
    out = pd.to_datetime(text.where(~dotted), errors="coerce", format="mixed")
    out[dotted] = pd.to_datetime(text[dotted], format="%d.%m.%Y", errors="coerce")
    return out


def course_of(name):
    for key, pattern in MANDATORY.items():
        if pattern.search(str(name)):
            return key
    return None


def training(folder, roster):
    """Per person id: the set of mandatory courses completed by 31 Dec of YEAR."""
    files = {p.name: p for p in folder.iterdir()}
    csv = next((p for n, p in files.items() if n.endswith(".csv")), None)
    if csv is not None:
        frame = pd.read_csv(csv, sep=";", encoding="cp1252", dtype=str)
        key = frame["E-post"].str.lower()
        course, status, when = frame["Kurs"], frame["Status"], frame["Slutfört datum"]
        roster_key = roster["E-post"].str.lower()
    elif any(n.endswith(".ods") for n in files):
        ods = next(p for n, p in files.items() if n.endswith(".ods"))
        frame = pd.read_excel(ods, engine="calamine", dtype=object)
        key = frame["Anst.nr"].astype("Int64").astype(str)
        course, status, when = frame["Kurs"], frame["Status"], frame["Slutfört datum"]
        roster_key = roster["Anställningsnummer"].astype("Int64").astype(str)
    elif any(n.startswith("Utbildningsmatris") for n in files):
        frame = read_sheet(files["Utbildningsmatris.xlsx"], "Medarbetar-ID")
        long = frame.melt(id_vars=["Medarbetar-ID"], value_vars=list(frame.columns[3:]))
        key = long["Medarbetar-ID"].astype(str)
        course = long["variable"]
        value = long["value"]
        is_date = value.map(lambda v: hasattr(v, "year"))
        status = value.map(lambda v: "genomförd" if hasattr(v, "year") else str(v).lower())
        when = value.where(is_date)
        roster_key = roster["Anställningsnummer"].astype("Int64").astype(str)
    else:
        path = next(p for n, p in files.items() if n.startswith("Utbildningsstatistik"))
        frame = read_sheet(path, "Kursnamn")
        key = frame["Anställningsnummer"].astype("Int64").astype(str)
        course, status, when = frame["Kursnamn"], frame["Status"], frame["Datum genomförd"]
        roster_key = roster["Anställningsnummer"].astype("Int64").astype(str)
    dates = to_date(pd.Series(when.values))
    done = pd.Series(status.astype(str).str.strip().str.lower().isin(DONE_WORDS).values)
    in_time = dates.isna() | (dates.dt.year <= YEAR)
    kinds = pd.Series(course.map(course_of).values)
    lines = pd.DataFrame({"key": key.values, "course": kinds, "ok": done & in_time})
    lines = lines[lines["ok"] & lines["course"].notna()]
    per_course = lines.groupby("course")["key"].apply(set).to_dict()
    return roster_key, per_course


def unit_kpis(folder, incidents):
    roster = read_sheet(next(folder.glob("HR Personalförteckning*.xlsx")), "Anställningsnummer")
    roster = roster[pd.to_numeric(roster["Anställningsnummer"], errors="coerce").notna()]
    roster_key, per_course = training(folder, roster)
    kpi = {"training.headcount": len(roster)}
    done = {}
    for course in MANDATORY:
        done[course] = roster_key.isin(per_course.get(course, set())).values
        kpi[f"training.completed_{course}"] = int(done[course].sum())
    all_done = done["infosak"] & done["gdpr"]
    kpi["training.completed_all"] = int(all_done.sum())
    kpi["training.completion_rate_all"] = all_done.mean() if len(roster) else None
    by_enhet = (
        pd.DataFrame({"Enhet": roster["Enhet"].values, "Klara": all_done})
        .groupby("Enhet")["Klara"]
        .agg(["size", "sum", "mean"])
        .rename(columns={"size": "Anställda", "sum": "Genomfört båda", "mean": "Andel"})
    )

    register = read_sheet(next(folder.glob("Registerförteckning*.xlsx")), "Behandling")
    art30 = register.columns[1:8]
    filled = register[art30].notna() & (register[art30].astype(str).apply(lambda c: c.str.strip()) != "?")
    kpi["register.activities"] = len(register)
    kpi["register.complete_rate"] = filled.all(axis=1).mean()
    reviewed = to_date(register["Senast reviderad"])
    kpi["register.stale"] = int((reviewed < pd.Timestamp(YEAR - 1, 1, 1)).sum())

    klassa = read_sheet(folder / "KLASSA export.xlsx", "Informationstillgång")
    kpi["classification.assets"] = len(klassa)
    kpi["classification.classified_rate"] = (
        klassa[["Konfidentialitet", "Riktighet", "Tillgänglighet"]].notna().all(axis=1).mean()
    )

    risks = read_sheet(next(folder.glob("Riskregister*.xlsx")), "Risk")
    kpi["risks.total"] = len(risks)
    value = pd.to_numeric(risks["Sannolikhet"]) * pd.to_numeric(risks["Konsekvens"])
    kpi["risks.high"] = int((value >= 15).sum())

    actions = read_sheet(next(folder.glob("Handlingsplan*.xlsx")), "Åtgärd")
    kpi["actions.total"] = len(actions)
    is_done = actions["Status"].astype(str).str.lower().isin(["klar", "avslutad"])
    deadline = to_date(actions["Klart senast"])
    kpi["actions.done"] = int(is_done.sum())
    kpi["actions.overdue"] = int((~is_done & (deadline < pd.Timestamp(YEAR, 12, 31))).sum())

    inc = incidents if incidents is not None else pd.DataFrame(columns=["Händelsedatum"])
    when = pd.to_datetime(inc["Händelsedatum"], errors="coerce")
    this = inc[when.dt.year == YEAR]
    yes = lambda col: this[col].astype(str).str.strip().str.lower().eq("ja")
    kpi["incidents.total"] = len(this)
    kpi["incidents.personal_data"] = int(yes("Personuppgiftsincident").sum())
    kpi["incidents.reported_imy"] = int(yes("Anmäld till IMY").sum())
    kpi["incidents.reported_msb"] = int(yes("Anmäld till MSB").sum())
    late = pd.to_datetime(this["Anmält datum"], errors="coerce") - pd.to_datetime(
        this["Upptäckt"], errors="coerce"
    )
    kpi["incidents.imy_late"] = int((late > pd.Timedelta(hours=72)).sum())
    by_category = this.groupby("Händelsetyp").size().rename("Antal").to_frame()
    recent = inc[when.dt.year >= YEAR - 1]
    rwhen = pd.to_datetime(recent["Händelsedatum"])
    by_month = (
        pd.crosstab(rwhen.dt.month, rwhen.dt.year).rename_axis(index="Månad", columns="År")
        if len(recent)
        else pd.DataFrame()
    )
    return kpi, by_enhet, by_category, by_month


def unit_key(name):
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    text = re.sub(r"\s+(stadsdelsförvaltning|sdf)$", "", text)
    return text


def run_unit(folder, incidents, out):
    kpi, by_enhet, by_category, by_month = unit_kpis(folder, incidents)
    path = out / f"Ledningens genomgång {YEAR} - {folder.name}.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        rows = pd.DataFrame({"Nyckeltal": list(kpi), "Värde": list(kpi.values())})
        rows.to_excel(writer, sheet_name="Nyckeltal", index=False)
        by_enhet.to_excel(writer, sheet_name="Utbildning per enhet")
        by_category.to_excel(writer, sheet_name="Incidenter per kategori")
        by_month.to_excel(writer, sheet_name="Incidenter per månad")
        sheet = writer.sheets["Nyckeltal"]
        sheet.set_column(0, 0, 36)
    return folder.name, kpi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("city")
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    city, out = Path(args.city), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    folders = sorted(p for p in city.iterdir() if p.is_dir())
    incident_file = next(city.glob("Incidenter*.xlsx"))
    incidents = read_sheet(incident_file, "Ärendenummer")
    keys = {unit_key(f.name): f for f in folders}
    by_unit = {f.name: [] for f in folders}
    for admin, part in incidents.groupby("Förvaltning"):
        key = unit_key(admin)
        folder = keys.get(key) or keys.get(key.removesuffix("s"))
        if folder is None:
            print(f"script: okänd förvaltning {admin!r}", file=sys.stderr)
            continue
        by_unit[folder.name].append(part)
    parts = {n: (pd.concat(p) if p else None) for n, p in by_unit.items()}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(pool.map(run_unit, folders, [parts[f.name] for f in folders], [out] * len(folders)))
    if args.check:
        facit = json.loads((city / "facit.json").read_text())["units"]
        wrong = [
            (unit, k, v, results[unit].get(k))
            for unit, kpis in facit.items()
            for k, v in kpis.items()
            if results[unit].get(k) != v
        ]
        for w in wrong:
            print("script: fel mot facit: %s %s facit %s, skriptet %s" % w, file=sys.stderr)
        if wrong:
            sys.exit(1)
        print(f"script: {len(results)} förvaltningar stämmer med facit", file=sys.stderr)


if __name__ == "__main__":
    main()
