"""Service points: the national France services list into ``services``.

``anct_france_services/liste-fs-20240801.csv`` (ANCT, ``,`` separated, quoted, UTF-8) lists every
France services site of France with its coordinates. **All** sites are loaded, not only the
region's: the nearest site of a border commune may lie in the next region, so a site outside the
region is used (loaded, never ``hors_champ``).

A row is rejected (line, column, value, French reason) when its coordinates are missing, not
numbers, or outside the bounding boxes of metropolitan France and the five DOM (a swapped or
mistyped coordinate would otherwise put a site in the sea and skew every distance). A repeated
``id_fs`` is a duplicate.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from etl.errors import EtlError
from etl.report import LoadReport

COUCHE_FRANCE_SERVICES = "france_services"
SOURCE = "anct_france_services"
FICHIER = Path("anct_france_services") / "liste-fs-20240801.csv"
REQUIRED = ["id_fs", "insee_dep", "lib_fs", "insee_com", "latitude", "longitude", "type_fs", "format_fs"]
SERVICES_COLUMNS = [
    "couche",
    "id",
    "nom",
    "type",
    "format",
    "code_commune",
    "longitude",
    "latitude",
    "source",
    "demonstration",
    "placement",
]

# (lon_min, lat_min, lon_max, lat_max), generous by a few km. Corsica is in the metropolitan box.
BOUNDING_BOXES = {
    "France métropolitaine": (-5.5, 41.0, 10.0, 51.5),
    "Guadeloupe": (-61.9, 15.8, -60.9, 16.6),
    "Martinique": (-61.3, 14.3, -60.7, 15.0),
    "Guyane": (-54.7, 2.0, -51.5, 6.0),
    "La Réunion": (55.1, -21.5, 55.9, -20.8),
    "Mayotte": (44.9, -13.1, 45.4, -12.5),
}
MOTIF_HORS_EMPRISE = "coordonnées hors de la France métropolitaine et des DOM (longitude, latitude)"


def territory_of(longitude: float, latitude: float) -> str | None:
    """Name of the bounding box holding a point, or None (metropolitan France or a DOM)."""
    for name, (x0, y0, x1, y1) in BOUNDING_BOXES.items():
        if x0 <= longitude <= x1 and y0 <= latitude <= y1:
            return name
    return None


def parse_coordinate(text: str | None) -> float | None:
    """A decimal coordinate (point or comma), or None when empty or not a finite number."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_csv_records(path: Path, fichier: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a quoted CSV (``,`` or ``;``, UTF-8 with or without BOM, else cp1252).

    Returns
    -------
    header : list of str
    records : list of (line, dict)
        ``line`` as an editor numbers it (header = 1; last physical line of a multi-line record).
    """
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=fichier)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise EtlError("le fichier n'est pas un fichier texte CSV (contenu binaire)", fichier=fichier)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise EtlError("fichier vide ou sans ligne d'en-tête", fichier=fichier, ligne=1)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    records = []
    for fields in reader:
        if not any(field.strip() for field in fields):
            continue
        fields = (fields + [""] * len(header))[: len(header)]
        records.append((reader.line_num, dict(zip(header, (f.strip() for f in fields), strict=True))))
    return header, records


def load_france_services(con, raw_dir: Path) -> LoadReport:
    """Load every France services site of the national list into ``services``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection.
    raw_dir : Path
        The raw data folder.

    Returns
    -------
    LoadReport
        Closed; rows without usable coordinates are rejected, repeated ``id_fs`` are duplicates.
    """
    path = raw_dir / FICHIER
    report = LoadReport(SOURCE, path, str(FICHIER))
    header, records = read_csv_records(path, str(FICHIER))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise EtlError(f"colonnes manquantes : {', '.join(missing)}", fichier=str(FICHIER), ligne=1)
    rows, seen = [], set()
    for ligne, record in records:
        report.lues += 1
        ident = record["id_fs"]
        if not ident:
            report.reject(ligne, "id_fs", None, "identifiant de la structure absent")
            continue
        if ident in seen:
            report.doublons += 1
            continue
        lat, lon = parse_coordinate(record["latitude"]), parse_coordinate(record["longitude"])
        if lat is None or lon is None:
            colonne = "latitude" if lat is None else "longitude"
            valeur = record[colonne]
            motif = "coordonnée absente" if not valeur else "coordonnée non numérique"
            report.reject(ligne, colonne, valeur or None, motif)
            continue
        if territory_of(lon, lat) is None:
            report.reject(ligne, "longitude, latitude", f"{lon}, {lat}", MOTIF_HORS_EMPRISE)
            continue
        seen.add(ident)
        rows.append(
            (
                COUCHE_FRANCE_SERVICES,
                ident,
                record["lib_fs"] or f"France services {ident}",
                record["type_fs"] or None,
                record["format_fs"] or None,
                record["insee_com"] or None,
                lon,
                lat,
                SOURCE,
                False,
                "coordonnees",
            )
        )
    insert_services(con, pd.DataFrame(rows, columns=SERVICES_COLUMNS))
    report.chargees = len(rows)
    return report.close()


def insert_services(con, frame: pd.DataFrame) -> int:
    """Insert ``services`` rows (columns :data:`SERVICES_COLUMNS`).

    Returns
    -------
    int
        Number of rows inserted.
    """
    if frame.empty:
        return 0
    con.register("stg_services", frame[SERVICES_COLUMNS].astype({"demonstration": bool}))
    try:
        con.execute("insert into services by name select * from stg_services")
    finally:
        con.unregister("stg_services")
    return len(frame)
