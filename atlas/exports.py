"""Exports that open cleanly in French spreadsheet software.

CSV: UTF-8 with BOM (Excel detects the encoding), ``;`` separator, decimal comma, and a header
of comment lines (``# ...``) naming the source, the millésime and the extraction date. Columns
a person reads have French headers and words (« Statut » : « Secret statistique »…); every text
cell is between double quotes and every number is not, so that a spreadsheet told to read quoted
fields as text keeps codes as text (« 01053 », never 1053) and numbers as numbers
(:data:`FILTRE_LIBREOFFICE`, ``docs/exports.md``). A text cell that a spreadsheet would run as
a formula is written with a leading ``'``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from atlas.formatting import decimales, format_date_fr, libelle_avec_unite
from commun.tableur import neutraliser_formules

#: Statut of a value, in the words of an export (column « Statut »).
LIBELLES_STATUT = {
    "ok": "Disponible",
    "estime": "Estimation de l'atlas",
    "secret": "Secret statistique",
    "absent": "Non disponible",
}
#: LibreOffice's CSV import options for the atlas's files (``soffice --infilter=...``): separator
#: « ; » (59), text delimiter « " » (34), UTF-8 (76), from line 1, standard column types, French
#: locale (1036: decimal comma), quoted fields as text (codes keep their leading zeros), no
#: detection of special numbers. Without them LibreOffice reads Windows-1252 and splits on commas.
FILTRE_LIBREOFFICE = "CSV:59,34,76,1,,1036,true,false"
#: Suffix of the header of a month written ``AAAA-MM`` beside the same month in words (« mars 2024 »):
#: a spreadsheet sorts that text in calendar order, the words in alphabetical order (``docs/exports.md``).
POUR_TRIER = " (AAAA-MM, pour trier)"
#: Last header line of every CSV: how to open it (also in ``docs/exports.md``).
LIGNE_FORMAT = (
    "Fichier UTF-8, séparateur point-virgule, virgule décimale, textes entre guillemets "
    "(à importer comme texte : codes INSEE avec leurs zéros)"
)


def colonne_indicateur(libelle: str, unite: str | None, millesime: str) -> str:
    """Header of an indicator's value column: « Taux de pauvreté (%) 2021 »."""
    return f"{libelle_avec_unite(libelle, unite)} {millesime}"


def pour_lecteur(
    frame: pd.DataFrame,
    colonnes: Mapping[str, str],
    statuts: Iterable[str] = (),
    unites: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """The columns of ``frame`` named in ``colonnes``, in that order, under their French headers.

    Parameters
    ----------
    frame : DataFrame
        The table with its code names (``code``, ``statut``...).
    colonnes : mapping
        Code name → French header (« Code », « Territoire », « Statut »...); columns absent from
        ``frame`` are skipped.
    statuts : iterable of str
        Code names of columns holding a statut (``ok``, ``secret``...), written in words
        (:data:`LIBELLES_STATUT`).
    unites : mapping, optional
        Code name → unit of the indicator (the catalogue's ``unite``) of columns of values: each
        value is rounded to that unit's decimals, as on screen (:func:`atlas.formatting.decimales`:
        a rate 1, a Gini index 2, a count 0), and :func:`csv_fr` writes exactly those decimals
        (« 14,3 », never « 14,285714285714286 »).

    Examples
    --------
    >>> t = pour_lecteur(pd.DataFrame({"v": [100 / 7, None]}), {"v": "Taux (%)"}, unites={"v": "%"})
    >>> csv_fr(t).decode("utf-8-sig").splitlines()[-2:]
    ['14,3', '']
    """
    presentes = [c for c in colonnes if c in frame.columns]
    out = frame[presentes].copy()
    for colonne in statuts:
        if colonne in out:
            out[colonne] = out[colonne].map(lambda s: LIBELLES_STATUT.get(s, s))
    for colonne, unite in (unites or {}).items():
        if colonne in out:
            nombre_decimales = decimales(unite)
            out[colonne] = [_arrondi(v, nombre_decimales) for v in out[colonne]]
    return out.rename(columns=dict(colonnes))


def _arrondi(valeur, nombre_decimales: int) -> Decimal | None:
    """A value with exactly ``nombre_decimales`` decimals, rounded half up as on screen; None if missing."""
    if valeur is None or pd.isna(valeur):
        return None
    # from the shortest repr of the float, as atlas.formatting.format_nombre (6,25 → 6,3)
    arrondi = Decimal(repr(float(valeur))).quantize(Decimal(1).scaleb(-nombre_decimales), rounding=ROUND_HALF_UP)
    return abs(arrondi) if arrondi == 0 else arrondi  # no « -0,0 »


def _cellule(valeur) -> str:
    """One CSV cell: empty for a missing value, a number with a decimal comma, text in quotes."""
    if valeur is None or valeur is pd.NA or valeur is pd.NaT:
        return ""
    if isinstance(valeur, (bool, np.bool_)):
        return '"oui"' if valeur else '"non"'
    if isinstance(valeur, (int, np.integer)):
        return str(int(valeur))
    if isinstance(valeur, Decimal):  # rounded to its indicator's decimals (pour_lecteur)
        return f"{valeur:f}".replace(".", ",")
    if isinstance(valeur, (float, np.floating)):
        return "" if math.isnan(valeur) else repr(float(valeur)).replace(".", ",")
    return '"' + str(valeur).replace('"', '""') + '"'


def csv_fr(frame: pd.DataFrame, entete: list[str] | None = None) -> bytes:
    """Serialise a table as a French CSV.

    Parameters
    ----------
    frame : DataFrame
        The table; its column names are written as they are (French headers: :func:`pour_lecteur`).
    entete : list of str, optional
        Lines written first, each prefixed by ``# `` (source, millésime...), with any ``;``
        replaced by a comma so that each line stays in one spreadsheet cell. The extraction
        date (« 2 décembre 2026 ») and :data:`LIGNE_FORMAT` are always added.

    Returns
    -------
    bytes
        UTF-8 with BOM; text cells (headers included) between double quotes, numbers without
        (decimal comma), missing values empty — never 0.
    """
    lignes = [*(entete or []), f"Date d'extraction : {format_date_fr(dt.date.today())}", LIGNE_FORMAT]
    # a « ; » would split a header line over two cells in a spreadsheet: a comma instead, without
    # the space French puts before « ; » (« secret , jamais » read as a typo)
    head = "".join("# " + re.sub(r"\s*;", ",", ligne) + "\r\n" for ligne in lignes)
    propre = neutraliser_formules(frame)
    rangs = [";".join(_cellule(str(c)) for c in propre.columns)]
    rangs += [";".join(_cellule(v) for v in ligne) for ligne in propre.itertuples(index=False, name=None)]
    return ("\ufeff" + head + "".join(r + "\r\n" for r in rangs)).encode("utf-8")


def geojson_fr(
    geojson: dict,
    frame: pd.DataFrame,
    colonnes: list[str],
    metadonnees: dict[str, str],
    *,
    unites: Mapping[str, str | None] | None = None,
    demonstration: bool = False,
) -> bytes:
    """A GeoJSON FeatureCollection of the territories of ``frame`` with their values as properties.

    Parameters
    ----------
    geojson : dict
        FeatureCollection whose feature ids are the territory codes (EPSG:4326); the geometries
        are written as they are.
    frame : DataFrame
        One row per territory with a ``code`` column and the ``colonnes`` to export.
    colonnes : list of str
        Properties written for each feature (NaN becomes ``null``, never 0).
    metadonnees : dict
        Written as foreign members of the collection (source, millésime...), with the extraction
        date; a source of demonstration data says it in its own words.
    unites : mapping, optional
        Column → unit of its values (the catalogue's ``unite``): each value is rounded to the
        decimals the page shows for that unit (:func:`atlas.formatting.decimales`: a rate 1, a
        Gini index 2, a count 0, written as a whole number), as in the CSV (« 22.7 », never
        « 22.727272727272727 »).
    demonstration : bool
        Whether the layer holds demonstration data: written as the collection's
        ``"demonstration"`` member, so that a file taken out of the atlas still says it.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "44", "geometry": None}]}
    >>> t = pd.DataFrame({"code": ["44"], "part": [100 / 7], "nb": [12.0]})
    >>> out = json.loads(geojson_fr(fc, t, ["part", "nb"], {}, unites={"part": "%", "nb": None}))
    >>> out["features"][0]["properties"], out["demonstration"]
    ({'code': '44', 'part': 14.3, 'nb': 12}, False)
    """
    props = frame.set_index("code")[colonnes]
    arrondis = {colonne: decimales(unite) for colonne, unite in (unites or {}).items() if colonne in colonnes}
    features = []
    for feature in geojson["features"]:
        code = feature["id"]
        if code not in props.index:
            continue
        values = {k: _valeur_json(v, arrondis.get(k)) for k, v in props.loc[code].items()}
        features.append(
            {"type": "Feature", "id": code, "properties": {"code": code, **values}, "geometry": feature["geometry"]}
        )
    collection = {
        "type": "FeatureCollection",
        "demonstration": demonstration,
        **metadonnees,
        "date_extraction": dt.date.today().isoformat(),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def _valeur_json(valeur, nombre_decimales: int | None):
    """A property's value for JSON: None if missing, a number rounded to its unit's decimals if given."""
    if valeur is None or pd.isna(valeur):
        return None
    if hasattr(valeur, "item"):  # numpy scalars are not JSON-serialisable
        valeur = valeur.item()
    if nombre_decimales is None or isinstance(valeur, (bool, str)):
        return valeur
    arrondi = _arrondi(valeur, nombre_decimales)
    return int(arrondi) if nombre_decimales == 0 else float(arrondi)
