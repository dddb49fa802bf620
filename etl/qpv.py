"""Quartiers prioritaires (QPV): revenue and benefit indicators, and the 2024 contours.

- ``anct_qpv/REVN_<edition>_PDL.csv`` (ANCT / ONPV, QPV of the 2015 geography, codes
  ``QP044005``): values at niveau ``qpv``, millésime = the edition year of the file (the income
  year inside is older and is not given by the file: indicator codes are prefixed ``qpv_`` so
  they are never compared with the commune figures of the same "year");
- ``anct_zonages/qpv2024_polygones_par_commune_PDL.geojson``: contours of the 2024 QPV (``QN``
  codes) dissolved per commune, into ``qpv_contours`` (WKB, EPSG:4326). The 2015 and 2024 codes
  do not match one to one, so no join between the two is attempted here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import shapely

from etl.errors import EtlError
from etl.insee_csv import parse_values, read_insee_csv
from etl.report import LoadReport
from etl.valeurs import VALEURS_COLUMNS, insert_values, melt_values

DOSSIER = "anct_qpv"
CONTOURS = Path("anct_zonages") / "qpv2024_polygones_par_commune_PDL.geojson"
QPV_CODE = re.compile(r"QP\d{6}")
REVENUES = {
    "TP60": "qpv_taux_pauvrete",
    "DISP_Q2": "qpv_mediane_niveau_vie",
    "DISP_D1": "qpv_d1_niveau_vie",
    "DECUC_Q2": "qpv_mediane_revenu_declare",
    "PMIMP": "qpv_part_menages_imposes",
    "PPSOC": "qpv_part_prestations_sociales",
    "A": "qpv_foyers_allocataires",
    "ARSAS": "qpv_allocataires_rsa",
    "APPA": "qpv_allocataires_prime_activite",
    "AAAH": "qpv_allocataires_aah",
}


def load_revenues_file(con, path: Path, fichier: str, edition: str, departements: set[str]) -> LoadReport:
    """Load one ANCT REVN file at niveau ``qpv``.

    A QPV is in scope when the département in its code (``QP044...`` → 44) is one of the region's.

    Returns
    -------
    LoadReport
        Closed.
    """
    report = LoadReport(f"anct_qpv_revenus_{edition}", path, fichier)
    table = read_insee_csv(path, fichier)
    frame = table.frame
    report.lues = len(frame)
    codes = frame[table.id_column].fillna("")
    well_formed = codes.map(lambda c: bool(QPV_CODE.fullmatch(c))).to_numpy(dtype=bool)
    for idx in frame.index[~well_formed]:
        report.reject(
            frame.at[idx, "ligne"],
            table.id_column,
            codes[idx],
            "code de quartier prioritaire mal formé (QP + 6 chiffres)",
        )
    inside = well_formed & codes.map(lambda c: c[3:5] in departements).to_numpy(dtype=bool)
    report.hors_champ = int((well_formed & ~inside).sum())
    frame = frame[inside]
    mapping = {column: indicator for column, indicator in REVENUES.items() if column in frame.columns}
    values, problems = parse_values(frame, list(mapping))
    for ligne, group in problems.groupby("ligne", sort=True):
        report.reject(ligne, group.iloc[0]["colonne"], group.iloc[0]["valeur"], group.iloc[0]["motif"])
    keep = ~frame["ligne"].isin(set(problems["ligne"])).to_numpy()
    long = melt_values(frame.loc[keep, table.id_column], values[keep], mapping, "qpv", edition)
    # Share of RSA among CAF foyers, as for communes (only when both counts are known).
    a = long[long["indicateur"] == "qpv_foyers_allocataires"].set_index("code")
    rsa = long[long["indicateur"] == "qpv_allocataires_rsa"].set_index("code")
    both = a.merge(rsa, left_index=True, right_index=True, suffixes=("_a", "_rsa"))
    ok = (both["statut_a"] == "ok") & (both["statut_rsa"] == "ok") & (both["valeur_a"] > 0)
    share = pd.DataFrame(
        {
            "indicateur": "qpv_part_allocataires_rsa",
            "niveau": "qpv",
            "code": both.index.to_numpy(dtype=object),
            "millesime": edition,
            "valeur": (100.0 * both["valeur_rsa"] / both["valeur_a"]).where(ok).to_numpy(dtype=float),
            "statut": ok.map({True: "ok", False: "absent"}).to_numpy(dtype=object),
        }
    )
    insert_values(con, pd.concat([long, share[VALEURS_COLUMNS]], ignore_index=True))
    report.chargees = int(keep.sum())
    return report.close()


def load_contours(con, raw_dir: Path) -> LoadReport:
    """Load the 2024 QPV contours (one feature per commune) into ``qpv_contours``.

    Returns
    -------
    LoadReport
        Closed; a feature whose commune is not in ``territoires`` is ``hors_champ``, one without a
        valid polygon is rejected.
    """
    path = raw_dir / CONTOURS
    report = LoadReport("anct_qpv_contours_2024", path, str(CONTOURS))
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as error:
        raise EtlError(f"fichier GeoJSON illisible ({error})", fichier=str(CONTOURS)) from error
    communes = {code for (code,) in con.execute("select code from territoires where niveau = 'commune'").fetchall()}
    rows = []
    for number, feature in enumerate(features, start=1):
        report.lues += 1
        props = feature.get("properties") or {}
        code = str(props.get("insee_com") or "")
        if code not in communes:
            report.hors_champ += 1
            continue
        geom = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
        if geom is None or geom.is_empty:
            report.reject(number, "geometry", None, "géométrie absente ou vide")
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        codes = ",".join(c.strip() for c in str(props.get("code_qp") or "").split(",") if c.strip())
        rows.append((code, props.get("lib_com"), codes, props.get("lib_qp"), shapely.to_wkb(geom)))
    if rows:
        con.executemany("insert into qpv_contours values (?, ?, ?, ?, ?)", rows)
    report.chargees = len(rows)
    return report.close()


def load_qpv(con, raw_dir: Path) -> list[LoadReport]:
    """Load every ``anct_qpv/REVN_<edition>*.csv`` and the 2024 contours when present.

    Returns
    -------
    list of LoadReport
        Closed reports, one per file.
    """
    departements = {
        code for (code,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()
    }
    reports = []
    for path in sorted((raw_dir / DOSSIER).glob("REVN_20[0-9][0-9]*.csv")):
        edition = re.search(r"20\d{2}", path.name).group(0)
        reports.append(load_revenues_file(con, path, f"{DOSSIER}/{path.name}", edition, departements))
    if (raw_dir / CONTOURS).is_file():
        reports.append(load_contours(con, raw_dir))
    return reports
