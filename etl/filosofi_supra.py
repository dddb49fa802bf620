"""INSEE Filosofi above the commune: EPCI 2021, départements 2020 and 2019, regions and France 2019.

Files read (see ``data/raw/SOURCES.md``):

- ``insee_filosofi/FILO2020_DISP_PAUVRES_DEP.csv`` and ``FILO2020_DISP_DEP.csv``: poverty rates
  (overall, by age of the fiscal referent, by tenure) and income distribution of every
  département, millésime 2020. The by-age and by-tenure columns carry their breakdown *before*
  the base name (``AGE1TP6020``, ``TOL2TP6020``), unlike the commune file (``TP60AGE121``);
- ``insee_filosofi/FILO2019_DISP_DEP.csv``, ``_REG.csv``, ``_METROPOLE.csv``: income
  distribution, 2019, of départements, regions and France métropolitaine (niveau ``france``,
  code :data:`CODE_FRANCE`);
- ``insee_filosofi_derived/filosofi_epci_2021_NTD.csv``: Filosofi 2021 EPCI values re-exported
  by a third party (renamed columns, ``,`` and decimal point), cited as such (source
  ``insee_filosofi_epci_tiers``).

The poverty rate of a region and of France métropolitaine is in none of these files. The
poverty line is national, so the rate of a group of départements is exactly the person-weighted
mean of their rates (``NBPERS20``); it is stored with its own source
(``calcul_filosofi_departements``, « calculé à partir des départements »), rounded to one decimal
like INSEE's. A median is never recomputed from lower levels.

Every value keeps its own millésime; ``sources_valeurs`` says which source gives each
(indicator, level, millésime), so that a page names the right one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.filosofi import DISPOSABLE_INCOME, _mapping, _millesime_of, _reject_cells
from etl.insee_csv import file_millesime, parse_values, read_insee_csv
from etl.report import LoadReport
from etl.valeurs import insert_values, melt_values

DOSSIER = "insee_filosofi"
DOSSIER_DERIVE = "insee_filosofi_derived"
#: Code of France métropolitaine in ``valeurs`` (niveau ``france``), as in INSEE's series.
CODE_FRANCE = "FM"

# The SUPRA files put the breakdown before the base name: ``AGE1TP6020`` → base ``AGE1TP60``.
SUPRA_BREAKDOWNS = {
    "AGE1TP60": "taux_pauvrete_moins_30_ans",
    "AGE2TP60": "taux_pauvrete_30_39_ans",
    "AGE3TP60": "taux_pauvrete_40_49_ans",
    "AGE4TP60": "taux_pauvrete_50_59_ans",
    "AGE5TP60": "taux_pauvrete_60_74_ans",
    "AGE6TP60": "taux_pauvrete_75_ans_plus",
    "TOL1TP60": "taux_pauvrete_proprietaires",
    "TOL2TP60": "taux_pauvrete_locataires",
}

#: Column of the third-party EPCI re-export → indicator code (its ``nb_uc`` has no indicator).
EPCI_TIERS = {
    "nb_menages": "nb_menages_fiscaux",
    "nb_personnes": "nb_personnes_menages_fiscaux",
    "revenu_median": "mediane_niveau_vie",
    "taux_pauvrete": "taux_pauvrete",
    "rapport_interdecile": "rapport_interdecile",
    "decile1": "d1_niveau_vie",
    "decile9": "d9_niveau_vie",
    "part_imposes": "part_menages_imposes",
    "part_rev_activite": "part_revenus_activite",
    "part_salaires": "part_salaires",
    "part_chomage": "part_indemnites_chomage",
    "part_non_salaries": "part_revenus_non_salaries",
    "part_retraites": "part_pensions_retraites",
    "part_patrimoine": "part_revenus_patrimoine",
    "part_presta_sociales": "part_prestations_sociales",
    "part_presta_familiales": "part_prestations_familiales",
    "part_presta_logement": "part_prestations_logement",
    "part_minima_sociaux": "part_minima_sociaux",
    "part_impots": "part_impots",
}
EPCI_TIERS_FICHIER = "filosofi_epci_2021_NTD.csv"
EPCI_TIERS_MILLESIME = 2021

SOURCE_INSEE = "insee_filosofi"
SOURCE_EPCI_TIERS = "insee_filosofi_epci_tiers"
SOURCE_CALCUL = "calcul_filosofi_departements"


def record_sources(con, frame: pd.DataFrame, source: str) -> None:
    """Record which source gives each (indicator, level, millésime) of ``frame`` (``valeurs`` rows).

    The first source recorded for a key wins, like the values themselves
    (:func:`etl.valeurs.insert_values`).
    """
    keys = frame[["indicateur", "niveau", "millesime"]].drop_duplicates().astype(object)
    if keys.empty:
        return
    keys = keys.assign(source=source)
    con.register("stg_sources_valeurs", keys)
    try:
        con.execute(
            """
            insert into sources_valeurs
            select s.indicateur, s.niveau, s.millesime, s.source
            from stg_sources_valeurs as s
            anti join sources_valeurs as v using (indicateur, niveau, millesime)
            """
        )
    finally:
        con.unregister("stg_sources_valeurs")


def _insert(con, long: pd.DataFrame, source: str) -> None:
    insert_values(con, long)
    record_sources(con, long, source)


def load_supra_file(con, path: Path, fichier: str, source: str, niveau: str, codes_in_scope: set[str]) -> LoadReport:
    """Load one Filosofi SUPRA file (départements, regions or France) into ``valeurs``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection (``territoires`` filled).
    path : Path
        The CSV file (``CODGEO`` plus year-suffixed columns).
    fichier : str
        Its name relative to the raw folder, for reports.
    source : str
        Name of the load in ``chargements``.
    niveau : str
        ``departement``, ``region`` or ``france``.
    codes_in_scope : set of str
        Codes kept (the others are ``hors_champ``); for ``france`` the file's only row is kept
        under :data:`CODE_FRANCE`.

    Returns
    -------
    LoadReport
        Closed: every row loaded, rejected (unparsable cell) or out of scope.
    """
    report = LoadReport(source, path, fichier)
    table = read_insee_csv(path, fichier)
    frame = table.frame
    report.lues = len(frame)
    millesime = _millesime_of(table, fichier)
    mapping = _mapping(list(frame.columns), {**DISPOSABLE_INCOME, **SUPRA_BREAKDOWNS})
    codes = frame[table.id_column].fillna("")
    if niveau == "france":
        codes = pd.Series(CODE_FRANCE, index=frame.index)
    in_scope = codes.isin(codes_in_scope)
    report.hors_champ = int((~in_scope).sum())
    placed = frame[in_scope]
    values, problems = parse_values(placed, list(mapping))
    keep = _reject_cells(report, placed, problems)
    long = melt_values(codes[in_scope][keep.to_numpy()], values[keep.to_numpy()], mapping, niveau, millesime)
    _insert(con, long, SOURCE_INSEE)
    report.chargees = int(keep.sum())
    return report.close()


def load_epci_tiers(con, path: Path, fichier: str) -> LoadReport:
    """Load the third-party re-export of Filosofi 2021 EPCI values into ``valeurs`` (niveau ``epci``).

    EPCI absent from ``territoires`` are ``hors_champ``. Values are stored as given (decimal point);
    their source is ``insee_filosofi_epci_tiers`` in ``sources_valeurs``.

    Returns
    -------
    LoadReport
        Closed.
    """
    report = LoadReport("insee_filosofi_2021_epci_tiers", path, fichier)
    table = read_insee_csv(path, fichier, id_columns=("codgeo", "CODGEO"))
    frame = table.frame
    report.lues = len(frame)
    mapping = {column: EPCI_TIERS[column] for column in frame.columns if column in EPCI_TIERS}
    epci = {code for (code,) in con.execute("select code from territoires where niveau = 'epci'").fetchall()}
    codes = frame[table.id_column].fillna("")
    in_scope = codes.isin(epci)
    report.hors_champ = int((~in_scope).sum())
    placed = frame[in_scope]
    values, problems = parse_values(placed, list(mapping))
    keep = _reject_cells(report, placed, problems)
    long = melt_values(codes[in_scope][keep.to_numpy()], values[keep.to_numpy()], mapping, "epci", EPCI_TIERS_MILLESIME)
    _insert(con, long, SOURCE_EPCI_TIERS)
    report.chargees = int(keep.sum())
    return report.close()


def weighted_rate(rates: pd.Series, persons: pd.Series) -> float | None:
    """Person-weighted mean of poverty rates, rounded to one decimal; None if any part is missing.

    A group whose parts are not all known has no rate (a partial mean would be another figure).
    """
    if rates.empty or rates.isna().any() or persons.isna().any() or persons.sum() <= 0:
        return None
    return round(float(np.average(rates.to_numpy(dtype=float), weights=persons.to_numpy(dtype=float))), 1)


def load_rates_from_departements(con, folder: Path, region: str) -> None:
    """Poverty rate of the region and of France métropolitaine from the départements' rates (2020).

    Reads ``FILO20xx_DISP_PAUVRES_DEP`` (rates) and ``FILO20xx_DISP_DEP`` (``NBPERS``) of the same
    millésime, national; France métropolitaine is every département whose code does not start
    with ``97``. Nothing is stored when a file is missing or a département's rate is secret.
    """
    for pauvres in sorted(folder.glob("FILO20[0-9][0-9]_DISP_PAUVRES_DEP.csv"), reverse=True):
        disp = pauvres.with_name(pauvres.name.replace("_PAUVRES", ""))
        if not disp.is_file():
            continue
        rates = read_insee_csv(pauvres, f"{DOSSIER}/{pauvres.name}").frame
        persons = read_insee_csv(disp, f"{DOSSIER}/{disp.name}").frame
        year = file_millesime([c for c in rates.columns if c != "ligne"], pauvres.name)
        rate_col, persons_col = f"TP60{year % 100:02d}", f"NBPERS{year % 100:02d}"
        if rate_col not in rates.columns or persons_col not in persons.columns:
            continue
        table = rates[["CODGEO", rate_col]].merge(persons[["CODGEO", persons_col]], on="CODGEO", how="inner")
        values, _ = parse_values(table.assign(ligne=0), [rate_col, persons_col])
        table["taux"] = values[rate_col].where(values[f"{rate_col}__statut"] == "ok")
        table["personnes"] = values[persons_col].where(values[f"{persons_col}__statut"] == "ok")
        region_deps = {
            code for (code,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()
        }
        groups = {
            ("region", region): table[table["CODGEO"].isin(region_deps)],
            ("france", CODE_FRANCE): table[~table["CODGEO"].str.startswith("97")],
        }
        rows = []
        for (niveau, code), part in groups.items():
            if niveau == "region" and len(part) != len(region_deps):
                continue  # a département of the region missing from the file: no rate
            rate = weighted_rate(part["taux"], part["personnes"])
            rows.append(("taux_pauvrete", niveau, code, str(year), rate, "ok" if rate is not None else "absent"))
        long = pd.DataFrame(rows, columns=["indicateur", "niveau", "code", "millesime", "valeur", "statut"])
        _insert(con, long, SOURCE_CALCUL)
        return


def load_filosofi_supra(con, raw_dir: Path, region: str) -> list[LoadReport]:
    """Load every supra-communal Filosofi file present, then the rates computed from départements.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the geography step and the commune / EPCI Filosofi files (the
        INSEE EPCI file of an older millésime and this re-export do not share a millésime).
    raw_dir : Path
        The raw data folder.
    region : str
        Code of the built region.

    Returns
    -------
    list of LoadReport
        One closed report per file read.
    """
    folder = raw_dir / DOSSIER
    reports = []
    deps = {code for (code,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()}
    scopes = {"DEP": ("departement", deps), "REG": ("region", {region}), "METROPOLE": ("france", {CODE_FRANCE})}
    patterns = ["FILO20[0-9][0-9]_DISP_PAUVRES_DEP.csv", "FILO20[0-9][0-9]_DISP_DEP.csv"]
    patterns += ["FILO20[0-9][0-9]_DISP_REG.csv", "FILO20[0-9][0-9]_DISP_METROPOLE.csv"]
    for pattern in patterns:
        for path in sorted(folder.glob(pattern), reverse=True):
            kind = path.stem.rsplit("_", 1)[-1]
            niveau, scope = scopes[kind]
            year = path.name[4:8]
            suffix = "pauvrete_" if "PAUVRES" in path.name else ""
            reports.append(
                load_supra_file(
                    con, path, f"{DOSSIER}/{path.name}", f"insee_filosofi_{year}_{suffix}{niveau}", niveau, scope
                )
            )
    tiers = raw_dir / DOSSIER_DERIVE / EPCI_TIERS_FICHIER
    if tiers.is_file():
        reports.append(load_epci_tiers(con, tiers, f"{DOSSIER_DERIVE}/{EPCI_TIERS_FICHIER}"))
    load_rates_from_departements(con, folder, region)
    return reports
