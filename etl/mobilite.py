"""Mobility: share of households without a car, and the commune typologies (density, centrality,
rurality).

Share without a car (``insee_rp_logement_derived/iris_part_rp_sans_voiture_2020_PDL.csv``,
columns ``IRIS``, ``perc_voit`` in 0–1): a third-party file derived from the INSEE census 2020
(1 − P20_RP_VOIT1P / P20_RP), ratios only, no denominators. Stored in % (0–100) at niveau commune:

- a non-irisé commune (single IRIS ``xxxxx0000``) takes its value;
- an irisée commune gets the **unweighted mean of its IRIS ratios** (the only option without the
  numbers of households). It is stored with statut ``ok`` and flagged in ``qualite_valeurs``
  with the note « moyenne non pondérée de n IRIS » (query: ``select * from qualite_valeurs``);
- float noise slightly below 0 (down to :data:`NOISE_TOLERANCE`) is clipped to 0 and noted in
  ``qualite_valeurs``; a ratio further outside 0–1 is rejected;
- commune codes (COG 2020) go through ``passage_communes``; communes merged since (several old
  communes → one) or split since (Essarts-en-Bocage, L'Oie and Sainte-Florence rétablies in 2024)
  are rejected with the usual reason and the current communes get ``absent``, the reason noted in
  ``qualite_valeurs``.

Typologies (``anct_zonages/grille_*_communes_PDL.csv``, COG 2025): the files carry **labels**,
not codes. The INSEE density grid labels map to the official levels 1–7. Centrality labels are
the ANCT / INRAE levels; the integer stored is a project rank following that hierarchy (1 major …
4 local, 5 non-centre), not an official code. The rurality typology is stored as a short code of
ours plus the label as published (leading spaces removed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.bulk import insert_rows
from etl.insee_csv import parse_cell, read_insee_csv
from etl.placement import MOTIF_FUSION, MOTIF_INCONNU, MOTIF_SCISSION, carry_to_current, place_communes
from etl.report import LoadReport
from etl.services import parse_coordinate
from etl.valeurs import VALEURS_COLUMNS, insert_values

SANS_VOITURE = Path("insee_rp_logement_derived") / "iris_part_rp_sans_voiture_2020_PDL.csv"
SOURCE_SANS_VOITURE = "insee_rp_sans_voiture_2020"
INDICATEUR_SANS_VOITURE = "part_menages_sans_voiture"
MILLESIME_RP = "2020"
NOISE_TOLERANCE = -1e-6  # below this a negative ratio is an error, not float noise

GRILLES = Path("anct_zonages")
DENSITE = {
    "Grands centres urbains": 1,
    "Centres urbains intermédiaires": 2,
    "Ceintures urbaines": 3,
    "Petites villes": 4,
    "Bourgs ruraux": 5,
    "Rural à habitat dispersé": 6,
    "Rural à habitat très dispersé": 7,
}
CENTRALITE = {
    "Centre majeur d'équipements et de services": 1,
    "Centre structurant d'équipements et de services": 2,
    "Centre intermédiaire d'équipements et de services": 3,
    "Centre local d'équipements et de services": 4,
    "Communes non centre": 5,
}
RURALITE = {
    "Les ruralités résidentielles aisées": "residentielles_aisees",
    "Les ruralités résidentielles mixtes": "residentielles_mixtes",
    "Les ruralités productives agricoles": "productives_agricoles",
    "Les ruralités productives ouvrières": "productives_ouvrieres",
    "Les petites polarités industrielles et artisanales": "polarites_industrielles_artisanales",
    "Les petites polarités mixtes": "polarites_mixtes",
    "Les ruralités touristiques spécialisées": "touristiques_specialisees",
    "Les ruralités touristiques à dominante résidentielle": "touristiques_residentielles",
    "Hors champ : DOM ou commune urbaine": "hors_champ",
    "Commune dont le périmètre a changé depuis la réalisation de la typologie": "perimetre_modifie",
}


def load_sans_voiture(con, raw_dir: Path) -> LoadReport:
    """Load the share of households without a car, aggregated from IRIS to current communes.

    Returns
    -------
    LoadReport
        Closed; one row read per IRIS.
    """
    path = raw_dir / SANS_VOITURE
    report = LoadReport(SOURCE_SANS_VOITURE, path, str(SANS_VOITURE))
    table = read_insee_csv(path, str(SANS_VOITURE), id_columns=("IRIS",))
    frame = table.frame
    report.lues = len(frame)
    iris = frame["IRIS"].fillna("").str.zfill(9)
    well_formed = iris.str.fullmatch(r"(\d{5}|2[AB]\d{3})\d{4}").fillna(False).to_numpy(dtype=bool)
    ratios, notes_clip, keep = [], {}, []
    for ok, (idx, row) in zip(well_formed, frame.iterrows(), strict=True):
        if not ok:
            report.reject(row["ligne"], "IRIS", row["IRIS"], "code IRIS mal formé (9 caractères)")
            keep.append(False)
            ratios.append(None)
            continue
        value, statut = parse_cell(row["perc_voit"])
        if statut == "invalide":
            # computed ratios may be written in scientific notation (-1.11e-16)
            value = parse_coordinate(row["perc_voit"])
            statut = "invalide" if value is None else "ok"
        if statut != "ok":
            report.reject(row["ligne"], "perc_voit", row["perc_voit"], "ratio absent ou non numérique")
        elif not NOISE_TOLERANCE <= value <= 1 - NOISE_TOLERANCE:
            report.reject(row["ligne"], "perc_voit", row["perc_voit"], "ratio hors de l'intervalle 0–1")
            statut = "invalide"
        elif value < 0:
            notes_clip[idx] = f"ratio IRIS {iris[idx]} de {row['perc_voit']} ramené à 0 (bruit d'arrondi)"
            value = 0.0
        keep.append(statut == "ok")
        ratios.append(value)
    data = pd.DataFrame({"iris": iris, "ratio": ratios, "ligne": frame["ligne"]})[keep]
    data["ancien"] = data["iris"].str[:5]
    # One placement per old commune: its IRIS all lead to the same current commune.
    old = pd.Series(sorted(set(data["ancien"])), dtype=object)
    placed = place_communes(con, old, older_geography=True).set_index(old)
    data = data.join(placed, on="ancien")
    motifs = {"fusion": MOTIF_FUSION, "inconnu": MOTIF_INCONNU, "scission": MOTIF_SCISSION}
    for _, row in data[data["issue"].isin(list(motifs))].iterrows():
        report.reject(row["ligne"], "IRIS", row["iris"], motifs[row["issue"]])
    report.hors_champ = int((data["issue"] == "hors_champ").sum())
    data = data[data["issue"] == "ok"]
    grouped = data.groupby("code_actuel").agg(valeur=("ratio", "mean"), n=("ratio", "size"))
    # merged or split since 2020: absent, with the reason (etl/placement.py)
    reasons = {}
    for issue in ("fusion", "scission"):
        long = pd.DataFrame(
            {
                "indicateur": INDICATEUR_SANS_VOITURE,
                "niveau": "commune",
                "code": placed.index[placed["issue"] == issue],
                "millesime": MILLESIME_RP,
                "valeur": None,
                "statut": "absent",
            }
        )
        _, issue_notes = carry_to_current(con, long, placed.reset_index(drop=True), pd.Series(placed.index), set())
        reasons.update({code: note for _, _, code, _, note in issue_notes})
    fused = sorted(reasons)
    rows = pd.DataFrame(
        {
            "indicateur": INDICATEUR_SANS_VOITURE,
            "niveau": "commune",
            "code": list(grouped.index) + fused,
            "millesime": MILLESIME_RP,
            "valeur": list((grouped["valeur"] * 100).round(4)) + [None] * len(fused),
            "statut": ["ok"] * len(grouped) + ["absent"] * len(fused),
        }
    )
    insert_values(con, rows[VALEURS_COLUMNS].astype({"valeur": float}))
    notes = [(code, f"moyenne non pondérée de {int(n)} IRIS") for code, n in grouped["n"].items() if n > 1]
    notes += [(data.at[idx, "code_actuel"], note) for idx, note in notes_clip.items() if idx in data.index]
    notes += list(reasons.items())
    if notes:
        insert_rows(
            con,
            "qualite_valeurs",
            [(INDICATEUR_SANS_VOITURE, "commune", code, MILLESIME_RP, note) for code, note in notes],
        )
    report.chargees = len(data)
    return report.close()


def _load_grid(con, raw_dir: Path, name: str, column: str, labels: dict) -> tuple[LoadReport, dict]:
    relative = GRILLES / f"grille_{name}_communes_PDL.csv"
    path = raw_dir / relative
    report = LoadReport(f"anct_grille_{name}", path, str(relative))
    table = read_insee_csv(path, str(relative), id_columns=("insee_com",))
    frame = table.frame
    report.lues = len(frame)
    communes = {c for (c,) in con.execute("select code from territoires where niveau = 'commune'").fetchall()}
    departements = {c for (c,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()}
    found = {}
    # plain columns, not iterrows: a Series per row cost more than the rest of the step
    for ligne, code, cell in zip(
        frame["ligne"].tolist(),
        frame["insee_com"].to_numpy(dtype=object, na_value=None),
        frame[column].to_numpy(dtype=object, na_value=None),
        strict=True,
    ):
        code = code or ""
        label = (cell or "").strip()
        if code not in communes:
            if code[:2] in departements:
                report.reject(ligne, "insee_com", code, "code commune absent du référentiel (COG 2025)")
            else:
                report.hors_champ += 1
            continue
        if label not in labels:
            report.reject(ligne, column, cell, "classe inconnue de la grille")
            continue
        if code in found:
            report.doublons += 1
            continue
        found[code] = (labels[label], label)
    report.chargees = len(found)
    return report.close(), found


def load_typologies(con, raw_dir: Path) -> list[LoadReport]:
    """Load the density, centrality and rurality grids into ``typologies_communes``.

    Returns
    -------
    list of LoadReport
        One closed report per grid file.
    """
    grids = [
        _load_grid(con, raw_dir, "densite", "niveau_densite", DENSITE),
        _load_grid(con, raw_dir, "centralite", "niveau_centralite", CENTRALITE),
        _load_grid(con, raw_dir, "ruralite", "niveau_ruralite", RURALITE),
    ]
    codes = sorted(set().union(*(found for _, found in grids)))
    rows = []
    for code in codes:
        row = [code]
        for _, found in grids:
            row += list(found.get(code, (None, None)))
        rows.append(row)
    if rows:
        insert_rows(con, "typologies_communes", rows)
    return [report for report, _ in grids]


def load_mobilite(con, raw_dir: Path) -> list[LoadReport]:
    """Share of households without a car, then the commune typologies (files present only)."""
    reports = []
    if (raw_dir / SANS_VOITURE).is_file():
        reports.append(load_sans_voiture(con, raw_dir))
    if (raw_dir / GRILLES / "grille_densite_communes_PDL.csv").is_file():
        reports += load_typologies(con, raw_dir)
    return reports
