"""Exports that open cleanly in French spreadsheet software.

CSV: UTF-8 with BOM (Excel detects the encoding), ``;`` separator, decimal comma, and a header
of comment lines (``# ...``) naming the source, the millésime and the extraction date. A text
cell that a spreadsheet would run as a formula is written with a leading ``'``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from commun.tableur import neutraliser_formules


def csv_fr(frame: pd.DataFrame, entete: list[str] | None = None) -> bytes:
    """Serialise a table as a French CSV.

    Parameters
    ----------
    frame : DataFrame
        The table; its column names are written as they are.
    entete : list of str, optional
        Lines written first, each prefixed by ``# `` (source, millésime...), with any ``;``
        replaced by a comma so that each line stays in one spreadsheet cell. The extraction
        date is always added.

    Returns
    -------
    bytes
        UTF-8 with BOM.
    """
    lignes = [*(entete or []), f"Date d'extraction : {dt.date.today().isoformat()}"]
    # a « ; » would split a header line over two cells in a spreadsheet: commas instead
    head = "".join(f"# {ligne.replace(';', ',')}\r\n" for ligne in lignes)
    body = neutraliser_formules(frame).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + head + body).encode("utf-8")


def geojson_fr(geojson: dict, frame: pd.DataFrame, colonnes: list[str], metadonnees: dict[str, str]) -> bytes:
    """A GeoJSON FeatureCollection of the territories of ``frame`` with their values as properties.

    Parameters
    ----------
    geojson : dict
        FeatureCollection whose feature ids are the territory codes (EPSG:4326).
    frame : DataFrame
        One row per territory with a ``code`` column and the ``colonnes`` to export.
    colonnes : list of str
        Properties written for each feature (NaN becomes ``null``, never 0).
    metadonnees : dict
        Written as foreign members of the collection (source, millésime, extraction date...).
    """
    import json

    props = frame.set_index("code")[colonnes]
    features = []
    for feature in geojson["features"]:
        code = feature["id"]
        if code not in props.index:
            continue
        values = {
            k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)) for k, v in props.loc[code].items()
        }
        features.append(
            {"type": "Feature", "id": code, "properties": {"code": code, **values}, "geometry": feature["geometry"]}
        )
    collection = {
        "type": "FeatureCollection",
        **metadonnees,
        "date_extraction": dt.date.today().isoformat(),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
