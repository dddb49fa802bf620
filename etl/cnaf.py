"""CNAF foyers allocataires by IRIS (2016–2020), and their exact aggregation to communes.

Files: ``data/raw/cnaf_iris/data_CAF_<year>_IRIS_PDL.csv`` (CNAF via ANCT; numbers at 31
December of the year; 2016 and 2017 use a space thousands separator, handled by the reader).

Columns used (``AAPL`` is *not* added to ``AAL``: in every file ``AAL >= AAPL``, so ``AAPL`` is
the APL subset of all housing-aid recipients ``AAL`` — adding them would double count):

============  =================================================  ===========================
column        meaning                                            indicator
============  =================================================  ===========================
A             foyers allocataires                                foyers_allocataires
PERCOU        personnes couvertes                                personnes_couvertes_caf
ARSAS         foyers percevant le RSA                            allocataires_rsa
APPA          foyers percevant la prime d'activité               allocataires_prime_activite
AAL           foyers percevant une aide au logement (APL+AL)     allocataires_aides_logement
AAAH          foyers percevant l'AAH                             allocataires_aah
============  =================================================  ===========================

Shares ``part_allocataires_*`` = count ÷ ``A`` × 100, computed only when both are known.

``NOTE``: 0 for a published IRIS; any other value (2 to 5 in these files) comes with *every*
figure of the IRIS left empty. The files carry no dictionary of the codes, so we do not guess
their meaning: such an IRIS is stored with statut ``secret`` (figures withheld by the producer)
and it makes its commune's coverage partial. An empty cell in a published IRIS is ``absent``
(most probably a small count masked by the CNAF: it is never read as 0).

Commune aggregation (niveau ``commune``): the files only cover the IRIS of "irisées" communes.
A commune value is the sum of its IRIS **only** when the IRIS of the file are exactly the IRIS
of the commune in the reference list ``insee_cog/iris_2021_PDL.csv`` (both mapped to current
communes through ``passage_communes``) and all of them are published. The CNAF files of 2016 and
2017 use an older IRIS geography (e.g. 49353, 85060 were re-cut since): their sets differ from
the 2021 reference, so those communes are not aggregated rather than summed on a wrong basis.
Otherwise the commune gets NULL with statut ``absent`` and a rejet « couverture IRIS partielle :
n IRIS sur m » in a second report (``cnaf_allocataires_<year>_communes``, one row per commune).
Communes absent from the file (non-irisées) get no row. An IRIS of a commune absorbed since
(Château-d'Olonne and Olonne-sur-Mer in Les Sables-d'Olonne, 2019) is matched by name to its
renumbered IRIS of the reference list (:func:`iris_of_reference`), so that the commune nouvelle
is aggregated from the 2016 and 2017 files too.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pandas as pd

from etl.insee_csv import parse_values, read_insee_csv
from etl.placement import MOTIF_INCONNU, place_communes
from etl.report import LoadReport
from etl.valeurs import VALEURS_COLUMNS, insert_values

DOSSIER = "cnaf_iris"
REFERENCE_IRIS = Path("insee_cog") / "iris_2021_PDL.csv"
COUNTS = {
    "A": "foyers_allocataires",
    "PERCOU": "personnes_couvertes_caf",
    "ARSAS": "allocataires_rsa",
    "APPA": "allocataires_prime_activite",
    "AAL": "allocataires_aides_logement",
    "AAAH": "allocataires_aah",
}
SHARES = {
    "ARSAS": "part_allocataires_rsa",
    "APPA": "part_allocataires_prime_activite",
    "AAL": "part_allocataires_aides_logement",
    "AAAH": "part_allocataires_aah",
}


def _long(codes: list[str], niveau: str, year: str, wide: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares of a wide frame (``col``, ``col__statut``) as ``valeurs`` rows."""
    parts = []
    for column, indicator in COUNTS.items():
        parts.append(_rows(indicator, niveau, codes, year, wide[column], wide[f"{column}__statut"]))
    total, total_statut = wide["A"].to_numpy(dtype=float), wide["A__statut"].to_numpy(dtype=object)
    for column, indicator in SHARES.items():
        part_statut = wide[f"{column}__statut"].to_numpy(dtype=object)
        ok = (part_statut == "ok") & (total_statut == "ok") & (total > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(ok, 100.0 * wide[column].to_numpy(dtype=float) / total, np.nan)
        statut = np.where(
            ok, "ok", np.where((part_statut == "secret") | (total_statut == "secret"), "secret", "absent")
        )
        parts.append(_rows(indicator, niveau, codes, year, share, statut))
    return pd.concat(parts, ignore_index=True)[VALEURS_COLUMNS]


def _rows(indicator, niveau, codes, year, values, statuts) -> pd.DataFrame:
    statuts = np.asarray(statuts, dtype=object)
    values = np.where(statuts == "ok", np.asarray(values, dtype=float), np.nan)
    return pd.DataFrame(
        {
            "indicateur": indicator,
            "niveau": niveau,
            "code": codes,
            "millesime": year,
            "valeur": values,
            "statut": statuts,
        }
    )


def reference_iris(con, raw_dir: Path) -> pd.DataFrame:
    """IRIS of each current commune in the reference list (``code_iris``, ``code_commune``, ``nom``)."""
    table = read_insee_csv(raw_dir / REFERENCE_IRIS, str(REFERENCE_IRIS), id_columns=("CODE_IRIS",))
    frame = table.frame
    placement = place_communes(con, frame["DEPCOM"])
    inside = placement["issue"].isin(["ok", "fusion"])
    return pd.DataFrame(
        {
            "code_iris": frame.loc[inside, "CODE_IRIS"].to_numpy(dtype=object),
            "code_commune": placement.loc[inside, "code_actuel"].to_numpy(dtype=object),
            "nom": frame.loc[inside, "LIB_IRIS"].to_numpy(dtype=object),
        }
    )


def iris_of_reference(iris_codes, names, commune_codes, reference: pd.DataFrame) -> list:
    """Code of each IRIS of a file in the reference list, for the aggregation to communes.

    An IRIS of a commune absorbed since the file's year (85060 Château-d'Olonne, IRIS 850600101
    « Le Bourg ») was renumbered under its commune nouvelle (851940301 « Le Bourg »): it is the
    reference IRIS of the same current commune with the same name: the closest name (the files
    write « Avenue Mitterand », the reference « Avenue Mitterrand »), at least 90 % similar and
    strictly closer than any other. Any other IRIS keeps its code (an IRIS re-cut since stays
    outside the reference set, and its commune is then not aggregated).

    Parameters
    ----------
    iris_codes, names, commune_codes : sequences
        The file's IRIS codes, their names (None without a ``LIBGEO`` column) and current communes.
    reference : pandas.DataFrame
        Output of :func:`reference_iris`.

    Returns
    -------
    list of str
    """
    known = set(reference["code_iris"])
    by_commune: dict[str, list] = {}
    # one pass over the columns (a groupby builds a frame per commune, five files over): the
    # IRIS of a commune in file order, as the groups held them; no entry for a missing commune
    for commune, iris, nom in zip(reference["code_commune"], reference["code_iris"], reference["nom"], strict=True):
        if not pd.isna(commune):
            by_commune.setdefault(commune, []).append((iris, nom))
    out = []
    for code, name, commune in zip(iris_codes, names, commune_codes, strict=True):
        if code in known or code[:5] == commune or not isinstance(name, str):
            out.append(code)
            continue
        scores = sorted(
            (
                (SequenceMatcher(None, name.lower(), str(nom).lower()).ratio(), iris)
                for iris, nom in by_commune.get(commune, [])
            ),
            reverse=True,
        )
        unique = scores and scores[0][0] >= 0.9 and (len(scores) == 1 or scores[1][0] < scores[0][0])
        out.append(scores[0][1] if unique else code)
    return out


def load_cnaf_file(con, path: Path, fichier: str, year: str, reference: pd.DataFrame) -> list[LoadReport]:
    """Load one CNAF IRIS file: IRIS values, then commune sums where coverage is complete.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the geography step.
    path : Path
        The CSV file.
    fichier : str
        Its name relative to the raw folder.
    year : str
        Millésime (year of the 31 December count).
    reference : pandas.DataFrame
        Output of :func:`reference_iris`.

    Returns
    -------
    list of LoadReport
        The IRIS report (one row per line of the file) and the commune report (one row per
        commune of the region found in the file; partial coverage is a rejet).
    """
    report = LoadReport(f"cnaf_allocataires_{year}_iris", path, fichier)
    table = read_insee_csv(path, fichier)
    frame = table.frame
    report.lues = len(frame)
    codes = frame[table.id_column].fillna("")
    well_formed = codes.str.fullmatch(r"(\d{5}|2[AB]\d{3})\d{4}").fillna(False).astype(bool).to_numpy()
    for idx in frame.index[~well_formed]:
        report.reject(
            frame.at[idx, "ligne"], table.id_column, codes[idx], "code IRIS mal formé (9 caractères attendus)"
        )
    frame = frame[well_formed]
    placement = place_communes(con, frame[table.id_column].str[:5])
    placement.loc[placement["issue"] == "fusion", "issue"] = "ok"  # several IRIS per commune
    report.hors_champ = int((placement["issue"] == "hors_champ").sum())
    for idx in placement.index[placement["issue"] == "inconnu"]:
        report.reject(frame.at[idx, "ligne"], table.id_column, frame.at[idx, table.id_column], MOTIF_INCONNU)
    inside = (placement["issue"] == "ok").to_numpy()
    frame, placement = frame[inside], placement[inside]

    values, problems = parse_values(frame, list(COUNTS) + ["NOTE"])
    bad_lines = set(problems["ligne"])
    for ligne, group in problems.groupby("ligne", sort=True):
        report.reject(ligne, group.iloc[0]["colonne"], group.iloc[0]["valeur"], group.iloc[0]["motif"])
    keep = ~frame["ligne"].isin(bad_lines).to_numpy()
    frame, placement, values = frame[keep], placement[keep], values[keep]
    withheld = (values["NOTE__statut"] != "ok") | (values["NOTE"] != 0)
    for column in COUNTS:
        values.loc[withheld, f"{column}__statut"] = "secret"
        values.loc[withheld, column] = np.nan
    iris_codes = frame[table.id_column].to_numpy(dtype=object)
    insert_values(con, _long(list(iris_codes), "iris", year, values))
    report.chargees = len(frame)

    names = frame["LIBGEO"].to_numpy(dtype=object) if "LIBGEO" in frame else [None] * len(frame)
    communes = _aggregate(
        path,
        fichier,
        year,
        iris_of_reference(iris_codes, names, placement["code_actuel"].to_numpy(dtype=object), reference),
        placement["code_actuel"].to_numpy(dtype=object),
        withheld.to_numpy(),
        values,
        reference,
    )
    insert_values(con, communes.valeurs)
    return [report.close(), communes.report.close()]


class _Aggregation:
    def __init__(self, report: LoadReport, valeurs: pd.DataFrame):
        self.report, self.valeurs = report, valeurs


def _aggregate(path, fichier, year, iris_codes, commune_codes, withheld, values, reference) -> _Aggregation:
    report = LoadReport(f"cnaf_allocataires_{year}_communes", path, fichier)
    expected = reference.groupby("code_commune")["code_iris"].agg(set).to_dict()
    by_commune: dict[str, list[int]] = {}
    for position, commune in enumerate(commune_codes):
        by_commune.setdefault(commune, []).append(position)
    rows, codes = [], []
    for commune in sorted(by_commune):
        report.lues += 1
        positions = by_commune[commune]
        present = {iris_codes[p] for p in positions}
        published = {iris_codes[p] for p in positions if not withheld[p]}
        reference_set = expected.get(commune, set())
        wide = {}
        if reference_set and present == reference_set and published == reference_set:
            report.chargees += 1
            for column in COUNTS:
                statuts = values[f"{column}__statut"].to_numpy(dtype=object)[positions]
                complete = bool((statuts == "ok").all())
                wide[column] = float(values[column].to_numpy(dtype=float)[positions].sum()) if complete else np.nan
                wide[f"{column}__statut"] = "ok" if complete else "absent"
        else:
            n = len(published & reference_set)
            m = len(reference_set) if reference_set else len(present)
            extra = len(present - reference_set)
            detail = f" ; {extra} IRIS hors de la liste de référence 2021" if reference_set and extra else ""
            report.reject(None, "DEPCOM", commune, f"couverture IRIS partielle : {n} IRIS sur {m}{detail}")
            for column in COUNTS:
                wide[column], wide[f"{column}__statut"] = np.nan, "absent"
        rows.append(wide)
        codes.append(commune)
    if not rows:
        return _Aggregation(report, pd.DataFrame(columns=VALEURS_COLUMNS))
    return _Aggregation(report, _long(codes, "commune", year, pd.DataFrame(rows)))


def load_cnaf(con, raw_dir: Path) -> list[LoadReport]:
    """Load every ``cnaf_iris/data_CAF_<year>_IRIS*.csv`` present.

    Returns
    -------
    list of LoadReport
        Two closed reports per file (IRIS rows, commune aggregates).
    """
    import re

    paths = sorted((raw_dir / DOSSIER).glob("data_CAF_20[0-9][0-9]_IRIS*.csv"))
    if not paths:
        return []
    reference = reference_iris(con, raw_dir)
    reports = []
    for path in paths:
        year = re.search(r"20\d{2}", path.name).group(0)
        reports += load_cnaf_file(con, path, f"{DOSSIER}/{path.name}", year, reference)
    return reports
