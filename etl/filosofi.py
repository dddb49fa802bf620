"""INSEE Filosofi: disposable income and poverty by commune, EPCI and IRIS.

Files read from ``data/raw/insee_filosofi/`` (see PROVENANCE_shared.md):

- ``cc_filosofi_2021_COM.csv``: national commune file, revenus 2021; communes outside the
  region are ``hors_champ``;
- ``FILO2019_DISP_COM_PDL.csv`` and ``FILO2019_DISP_EPCI.csv`` (national EPCI file: EPCI absent
  from ``territoires`` are ``hors_champ``);
- any ``FILO20xx_DISP_Pauvres_EPCI.csv`` dropped in the folder (official layout ``CODGEO;LIBGEO;
  NBMEN..;NBPERS..;TP60..;TP60AGE1..;...;TP60TOL2..``; none is bundled);
- ``BASE_TD_FILO_IRIS_2021_DEC_PDL.csv``: declared income by IRIS (niveau ``iris``, 9-character
  codes kept as text).

Columns are matched on their base name (``TP6021`` → ``TP60``), so a new millésime needs no code
change. Commune codes go through :mod:`etl.placement`; a commune nouvelle created after the
millésime gets NULL ``absent`` values rather than the value of one of its parts.

An EPCI value is the value of the EPCI perimeter of the millésime's geography: when an EPCI kept
its SIREN but changed perimeter since, its value is still stored under that code (the files give
no way to detect it); the 2019 values are therefore labelled with their millésime everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.bulk import insert_rows
from etl.errors import EtlError
from etl.insee_csv import (
    ABSENT_TOKENS,
    blank_statut,
    file_millesime,
    insert_reliability_notes,
    parse_values,
    read_insee_csv,
    split_millesime,
)
from etl.placement import MOTIF_INCONNU, MOTIF_SCISSION, carry_to_current, place_communes
from etl.report import LoadReport
from etl.valeurs import insert_values, melt_values

DOSSIER = "insee_filosofi"

# Base column name (year suffix removed) → indicator code. 2019 and 2021 files name a few
# figures differently (NBMEN19 / NBMENFISC21, Q219 / MED21): both map to the same indicator.
DISPOSABLE_INCOME = {
    "NBMENFISC": "nb_menages_fiscaux",
    "NBMEN": "nb_menages_fiscaux",
    "NBPERSMENFISC": "nb_personnes_menages_fiscaux",
    "NBPERS": "nb_personnes_menages_fiscaux",
    "MED": "mediane_niveau_vie",
    "Q2": "mediane_niveau_vie",
    "Q1": "q1_niveau_vie",
    "Q3": "q3_niveau_vie",
    "D1": "d1_niveau_vie",
    "D9": "d9_niveau_vie",
    "RD": "rapport_interdecile",
    "S80S20": "rapport_s80_s20",
    "GI": "indice_gini",
    "PIMP": "part_menages_imposes",
    "TP60": "taux_pauvrete",
    "TP60AGE1": "taux_pauvrete_moins_30_ans",
    "TP60AGE2": "taux_pauvrete_30_39_ans",
    "TP60AGE3": "taux_pauvrete_40_49_ans",
    "TP60AGE4": "taux_pauvrete_50_59_ans",
    "TP60AGE5": "taux_pauvrete_60_74_ans",
    "TP60AGE6": "taux_pauvrete_75_ans_plus",
    "TP60TOL1": "taux_pauvrete_proprietaires",
    "TP60TOL2": "taux_pauvrete_locataires",
    "PACT": "part_revenus_activite",
    "PTSA": "part_salaires",
    "PCHO": "part_indemnites_chomage",
    "PBEN": "part_revenus_non_salaries",
    "PPEN": "part_pensions_retraites",
    "PPAT": "part_revenus_patrimoine",
    "PPSOC": "part_prestations_sociales",
    "PPFAM": "part_prestations_familiales",
    "PPMINI": "part_minima_sociaux",
    "PPLOGT": "part_prestations_logement",
    "PIMPOT": "part_impots",
}
# Counts: the value of a commune merged since the millésime is the sum of its parts.
ADDITIVE = {"nb_menages_fiscaux", "nb_personnes_menages_fiscaux"}
# Declared income by IRIS: a different concept (before redistribution), hence other codes.
DECLARED_INCOME = {
    "DEC_MED": "mediane_revenu_declare",
    "DEC_TP60": "taux_bas_revenus_declares",
    "DEC_D1": "d1_revenu_declare",
    "DEC_D9": "d9_revenu_declare",
    "DEC_RD": "rapport_interdecile_revenu_declare",
    "DEC_GI": "indice_gini_revenu_declare",
    "DEC_PIMP": "part_menages_imposes",
}


def _mapping(columns: list[str], bases: dict[str, str]) -> dict[str, str]:
    """Source column → indicator for the columns of a file whose base name is known."""
    mapping = {}
    for column in columns:
        base, _ = split_millesime(column)
        if base in bases:
            mapping[column] = bases[base]
    return mapping


def _millesime_of(table, fichier: str) -> int:
    columns = [c for c in table.frame.columns if c != "ligne"]
    year = file_millesime(columns, fichier)
    if year is None:
        raise EtlError("aucune colonne suffixée par un millésime (TP6021, MED21, Q219...)", fichier=fichier, ligne=1)
    return year


def _reject_cells(report: LoadReport, frame: pd.DataFrame, problems: pd.DataFrame) -> pd.Series:
    """Reject each row holding an unparsable cell (one rejet per row); return the kept-rows mask."""
    keep = pd.Series(True, index=frame.index)
    if problems.empty:
        return keep
    for ligne, group in problems.groupby("ligne", sort=True):
        first = group.iloc[0]
        extra = f" (et {len(group) - 1} autre(s) cellule(s))" if len(group) > 1 else ""
        report.reject(ligne, first["colonne"], first["valeur"], first["motif"] + extra)
    keep &= ~frame["ligne"].isin(problems["ligne"])
    return keep


def load_commune_file(con, path: Path, fichier: str, source: str) -> LoadReport:
    """Load a Filosofi commune file (any millésime) into ``valeurs`` at niveau ``commune``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection (``passage_communes`` and ``territoires`` filled).
    path : Path
        The CSV file.
    fichier : str
        Its name relative to the raw folder, for reports.
    source : str
        Name of the load in ``chargements``.

    Returns
    -------
    LoadReport
        Closed: every row is loaded, rejected (unknown code, fused commune, unparsable cell) or
        out of scope.
    """
    report = LoadReport(source, path, fichier)
    table = read_insee_csv(path, fichier)
    frame = table.frame
    report.lues = len(frame)
    millesime = _millesime_of(table, fichier)
    mapping = _mapping(list(frame.columns), DISPOSABLE_INCOME)

    with_data = frame[list(mapping)].apply(lambda c: ~c.fillna("").str.strip().isin(ABSENT_TOKENS)).any(axis=1)
    placement = place_communes(con, frame[table.id_column], older_geography=True, with_data=with_data)
    report.hors_champ = int((placement["issue"] == "hors_champ").sum())
    for idx in placement.index[placement["issue"] == "inconnu"]:
        report.reject(frame.at[idx, "ligne"], table.id_column, frame.at[idx, table.id_column], MOTIF_INCONNU)
    for idx in placement.index[placement["issue"] == "scission"]:
        report.reject(frame.at[idx, "ligne"], table.id_column, frame.at[idx, table.id_column], MOTIF_SCISSION)

    # Merged and split communes: counts summed, rates absent, each with its note (etl/placement.py).
    placed = frame[placement["issue"].isin(["ok", "fusion", "scission"])]
    values, problems = parse_values(placed, list(mapping), blank_statut(path))
    keep = _reject_cells(report, placed, problems)
    long = melt_values(placed.loc[keep, table.id_column], values[keep.to_numpy()], mapping, "commune", millesime)
    long, notes = carry_to_current(con, long, placement, frame[table.id_column], ADDITIVE)
    insert_values(con, long)
    if notes:
        insert_rows(con, "qualite_valeurs", notes)
    report.chargees = int(keep.sum()) - int((placement.loc[placed.index[keep.to_numpy()], "issue"] == "scission").sum())
    return report.close()


def load_epci_file(con, path: Path, fichier: str, source: str) -> LoadReport:
    """Load a Filosofi EPCI file (DISP or Pauvres layout) into ``valeurs`` at niveau ``epci``.

    EPCI absent from ``territoires`` (other regions, dissolved EPCI) are ``hors_champ``.

    Returns
    -------
    LoadReport
        Closed.
    """
    report = LoadReport(source, path, fichier)
    table = read_insee_csv(path, fichier)
    frame = table.frame
    report.lues = len(frame)
    millesime = _millesime_of(table, fichier)
    mapping = _mapping(list(frame.columns), DISPOSABLE_INCOME)
    epci = {code for (code,) in con.execute("select code from territoires where niveau = 'epci'").fetchall()}
    codes = frame[table.id_column].to_numpy(dtype=object, na_value=None)
    in_region = pd.Series([code in epci for code in codes], index=frame.index)
    report.hors_champ = int((~in_region).sum())
    placed = frame[in_region]
    values, problems = parse_values(placed, list(mapping))
    keep = _reject_cells(report, placed, problems)
    long = melt_values(placed.loc[keep, table.id_column], values[keep.to_numpy()], mapping, "epci", millesime)
    insert_values(con, long)
    report.chargees = int(keep.sum())
    return report.close()


def load_iris_file(con, path: Path, fichier: str, source: str) -> LoadReport:
    """Load the Filosofi declared-income IRIS file into ``valeurs`` at niveau ``iris``.

    IRIS codes are kept as written (9 characters, IRIS geography of the millésime); an IRIS is in
    scope when its commune part leads to a commune of the region through the passage table.

    Returns
    -------
    LoadReport
        Closed.
    """
    report = LoadReport(source, path, fichier)
    table = read_insee_csv(path, fichier, id_columns=("IRIS", "CODGEO"))
    frame = table.frame
    report.lues = len(frame)
    millesime = _millesime_of(table, fichier)
    mapping = _mapping(list(frame.columns), DECLARED_INCOME)
    codes = frame[table.id_column].fillna("")
    well_formed = codes.str.fullmatch(r"(\d{5}|2[AB]\d{3})\d{4}").fillna(False).astype(bool)
    for idx in frame.index[~well_formed]:
        report.reject(
            frame.at[idx, "ligne"], table.id_column, codes[idx], "code IRIS mal formé (9 caractères attendus)"
        )
    formed = frame[well_formed]
    placement = place_communes(con, formed[table.id_column].str[:5])
    # Several IRIS of one commune lead to the same commune: that is not a fusion here.
    placement.loc[placement["issue"] == "fusion", "issue"] = "ok"
    report.hors_champ = int((placement["issue"] == "hors_champ").sum())
    for idx in placement.index[placement["issue"] == "inconnu"]:
        report.reject(frame.at[idx, "ligne"], table.id_column, codes[idx], MOTIF_INCONNU)
    placed = formed[placement["issue"] == "ok"]
    values, problems = parse_values(placed, list(mapping))
    keep = _reject_cells(report, placed, problems)
    long = melt_values(placed.loc[keep, table.id_column], values[keep.to_numpy()], mapping, "iris", millesime)
    insert_values(con, long)
    insert_reliability_notes(con, placed[keep], table.id_column, long)
    report.chargees = int(keep.sum())
    return report.close()


def load_filosofi(con, raw_dir: Path) -> list[LoadReport]:
    """Load every Filosofi file of ``raw_dir/insee_filosofi`` present.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the geography step.
    raw_dir : Path
        The raw data folder.

    Returns
    -------
    list of LoadReport
        One closed report per file, newest millésime first (the first file carrying a figure
        wins when two files carry it).
    """
    folder = raw_dir / DOSSIER
    reports = []
    commune_files = sorted(folder.glob("cc_filosofi_20[0-9][0-9]_COM.csv"), reverse=True) + sorted(
        folder.glob("FILO20[0-9][0-9]_DISP_COM*.csv"), reverse=True
    )
    for path in commune_files:
        year = _year_in_name(path.name)
        reports.append(load_commune_file(con, path, f"{DOSSIER}/{path.name}", f"insee_filosofi_{year}_communes"))
    epci_files = sorted(folder.glob("FILO20[0-9][0-9]_DISP_EPCI*.csv"), reverse=True) + sorted(
        folder.glob("FILO20[0-9][0-9]_DISP_Pauvres_EPCI*.csv"), reverse=True
    )
    for path in epci_files:
        year = _year_in_name(path.name)
        kind = "epci_pauvrete" if "Pauvres" in path.name else "epci"
        reports.append(load_epci_file(con, path, f"{DOSSIER}/{path.name}", f"insee_filosofi_{year}_{kind}"))
    for path in sorted(folder.glob("BASE_TD_FILO_IRIS_20[0-9][0-9]_DEC*.csv"), reverse=True):
        year = _year_in_name(path.name)
        reports.append(load_iris_file(con, path, f"{DOSSIER}/{path.name}", f"insee_filosofi_{year}_iris"))
    return reports


def _year_in_name(name: str) -> str:
    import re

    match = re.search(r"20\d{2}", name)
    return match.group(0) if match else "inconnu"
