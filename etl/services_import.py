"""User service layers: ``python -m etl import-services FILE [--db PATH] [--couche NAME]``.

The steering committee knows services no open file lists (plateformes mobilité, garages
solidaires, transport à la demande, permanences d'accès aux droits, aide alimentaire). A CSV file
(``;`` or ``,``, UTF-8 or cp1252) with one row per service point:

- ``nom`` (required), ``type`` (required, free text such as « garage solidaire »);
- ``latitude`` and ``longitude`` (decimal degrees, WGS84), **or** ``code_commune`` (INSEE). When
  only a commune code is given, the point is the commune's reference point (town hall) of
  ``territoires``: ``services.placement`` says ``point_reference_commune``, and only communes of
  the built region have one;
- optional ``demonstration`` (oui / non): true for made-up points.

Conventions shared with the other imports: a bad row is rejected with line, column, value and a
French reason, written beside the input as ``<file>.rejets.csv`` (UTF-8 BOM, ``;``) and into
``rejets``; one ``chargements`` row per import; the same couche + name + coordinates is a
duplicate, so re-importing a file changes nothing; the import is atomic (the database is copied
beside itself by :func:`etl.atomic.copie_de_travail`, changed in one transaction, checked with
:func:`etl.checks.run_checks`, then swapped
in with ``os.replace``: a failure leaves the file byte-identical). Imported files are kept beside
the database they were imported into, in ``<database folder>/imports/services/<couche>/``
(``data/imports/services/`` for the default database), so that ``python -m etl build`` replays
them into that database only — a trial import into a scratch database never reaches production.
The kept copy is written to a temporary, fsynced, renamed after the swap and checked against the
SHA-256 of its name on every reuse and replay (:mod:`etl.kept_files`); one writer at a time
(:mod:`etl.writer_lock`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from commun.config import get_settings
from commun.tableur import neutraliser_formule
from etl import kept_files
from etl.errors import EtlError
from etl.report import LoadReport
from etl.services import (
    MOTIF_HORS_EMPRISE,
    SERVICES_COLUMNS,
    insert_services,
    parse_coordinate,
    read_csv_records,
    territory_of,
)

ALIASES = {
    "nom": ("nom", "name", "libelle", "lib"),
    "type": ("type", "type_service", "categorie"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "code_commune": ("code_commune", "insee_com", "code_insee", "codgeo"),
    "demonstration": ("demonstration", "démonstration"),
}
COUCHE_PATTERN = re.compile(r"[a-z0-9_]{1,60}")
TRUE_WORDS = {"oui", "o", "vrai", "true", "1", "yes"}
FALSE_WORDS = {"non", "n", "faux", "false", "0", "no", ""}
# What the import accepts is exactly what the build replays.
SUFFIXES = (".csv",)


def imports_dir(db_path: Path | None = None) -> Path:
    """Folder of the kept service layers of a database: ``<its folder>/imports/services``.

    Parameters
    ----------
    db_path : Path, optional
        The database (default: the configured one, ``ATLAS_DB``).
    """
    return Path(db_path or get_settings().db_path).parent / "imports" / "services"


def default_couche(path: Path) -> str:
    """A layer name from a file name: lower case, accents and punctuation turned into ``_``."""
    import unicodedata

    text = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60] or "services"


def _columns(header: list[str], fichier: str) -> dict[str, str]:
    lower = {name.strip().lower(): name for name in header}
    found = {}
    for key, names in ALIASES.items():
        match = next((lower[n] for n in names if n in lower), None)
        if match is not None:
            found[key] = match
    for key in ("nom", "type"):
        if key not in found:
            raise EtlError(f"colonne obligatoire absente : {key}", fichier=fichier, ligne=1, colonne=key)
    if "code_commune" not in found and not {"latitude", "longitude"} <= set(found):
        raise EtlError(
            "il faut les colonnes latitude et longitude, ou la colonne code_commune", fichier=fichier, ligne=1
        )
    return found


def read_service_layer(con, path: Path, couche: str, fichier: str, source: str) -> tuple[LoadReport, pd.DataFrame]:
    """Parse a user service file into ``services`` rows, rejecting bad rows one by one.

    Returns
    -------
    report : LoadReport
        Not closed; ``chargees`` and ``doublons`` are set by :func:`insert_layer`.
    frame : pandas.DataFrame
        Valid rows, columns :data:`etl.services.SERVICES_COLUMNS`.
    """
    report = LoadReport(source, path, fichier)
    header, records = read_csv_records(path, fichier)
    cols = _columns(header, fichier)
    reference = {
        code: (lon, lat)
        for code, lon, lat in con.execute(
            "select code, longitude, latitude from territoires where niveau = 'commune'"
        ).fetchall()
    }
    passage = dict(con.execute("select code_ancien, code_actuel from passage_communes").fetchall())
    rows = []
    for ligne, record in records:
        report.lues += 1
        get = {key: record.get(name, "").strip() for key, name in cols.items()}
        if not get["nom"]:
            report.reject(ligne, cols["nom"], None, "nom du service absent")
            continue
        if not get["type"]:
            report.reject(ligne, cols["type"], None, "type de service absent")
            continue
        demo = get.get("demonstration", "").lower()
        if demo not in TRUE_WORDS | FALSE_WORDS:
            report.reject(ligne, cols["demonstration"], get["demonstration"], "valeur attendue : oui ou non")
            continue
        code = get.get("code_commune", "")
        if code and code.isdigit() and len(code) == 4:
            code = "0" + code  # a spreadsheet dropped the leading zero
        current = passage.get(code) if code else None
        if code and current is None:
            report.reject(ligne, cols["code_commune"], code, "code commune inconnu du Code officiel géographique")
            continue
        raw_lat, raw_lon = get.get("latitude", ""), get.get("longitude", "")
        if raw_lat or raw_lon:
            lat, lon = parse_coordinate(raw_lat), parse_coordinate(raw_lon)
            if lat is None or lon is None:
                colonne = cols.get("latitude" if lat is None else "longitude")
                valeur = raw_lat if lat is None else raw_lon
                motif = (
                    "coordonnée non numérique" if valeur else "latitude et longitude vont ensemble : une seule donnée"
                )
                report.reject(ligne, colonne, valeur or None, motif)
                continue
            if territory_of(lon, lat) is None:
                report.reject(ligne, "longitude, latitude", f"{lon}, {lat}", MOTIF_HORS_EMPRISE)
                continue
            placement = "coordonnees"
        elif current is not None:
            if current not in reference:
                report.reject(
                    ligne,
                    cols["code_commune"],
                    code,
                    "commune hors de la région construite : donner la latitude et la longitude",
                )
                continue
            lon, lat = reference[current]
            placement = "point_reference_commune"
        else:
            report.reject(ligne, None, None, "ni coordonnées ni code commune : le service ne peut pas être placé")
            continue
        ident = f"{get['nom']}|{lon:.6f}|{lat:.6f}"
        rows.append(
            (couche, ident, get["nom"], get["type"], None, current, lon, lat, source, demo in TRUE_WORDS, placement)
        )
    return report, pd.DataFrame(rows, columns=SERVICES_COLUMNS)


def insert_layer(con, report: LoadReport, frame: pd.DataFrame) -> LoadReport:
    """Insert new rows (same couche + id already present, or repeated in the file = duplicate)."""
    existing = {
        ident
        for (ident,) in con.execute(
            "select id from services where couche = ?", [frame["couche"].iloc[0] if len(frame) else ""]
        ).fetchall()
    }
    new = ~frame["id"].isin(existing) & ~frame["id"].duplicated()
    report.doublons = int((~new).sum())
    report.chargees = insert_services(con, frame[new.to_numpy()])
    return report.close()


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of a layer file are written: ``<file>.rejets.csv`` beside it."""
    return path.with_name(path.name + ".rejets.csv")


def write_rejects(report: LoadReport, path: Path) -> Path | None:
    """Write the rejected rows beside the input as ``<file>.rejets.csv`` (UTF-8 BOM, ``;``)."""
    target = rejects_path(path)
    if not report.rejets:
        target.unlink(missing_ok=True)  # a stale file from an earlier import would mislead
        return None
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["ligne", "colonne", "valeur", "motif"])
        for r in report.rejets:
            # a rejected value such as « =HYPERLINK(...) » must not come back out as a live formula
            writer.writerow([neutraliser_formule(v) for v in (r.ligne, r.colonne or "", r.valeur or "", r.motif)])
    return target


def load_imported_layers(con, folder: Path | None = None) -> list[LoadReport]:
    """Replay every kept layer ``<folder>/<couche>/*.csv`` during a build.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being built.
    folder : Path, optional
        The kept layers of the database being built (default :func:`imports_dir`).

    Returns
    -------
    list of LoadReport
        Closed reports, one per file (rejects go to ``rejets`` only).

    Raises
    ------
    EtlError
        A kept file whose content no longer matches the SHA-256 of its name.
    """
    folder = folder or imports_dir()
    reports = []
    couches = (
        sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    )
    for directory in couches:
        couche = directory.name
        for path in kept_files.kept_files(directory, SUFFIXES):
            kept_files.verify(path)
            report, frame = read_service_layer(
                con, path, couche, f"imports/services/{couche}/{path.name}", f"import_{couche}"
            )
            reports.append(insert_layer(con, report, frame))
    return reports


def import_services(
    path: Path,
    db_path: Path,
    couche: str | None = None,
    folder: Path | None = None,
    log: Callable[[str], None] = print,
) -> LoadReport:
    """Import a user service layer into an existing database, atomically.

    Parameters
    ----------
    path : Path
        The CSV file.
    db_path : Path
        A database built by ``python -m etl build``.
    couche : str, optional
        Layer name (lower case, digits, ``_``); default: from the file name.
    folder : Path, optional
        Where layers are kept for the build to replay (default: beside ``db_path``,
        :func:`imports_dir`).
    log : callable
        Receives the lines about stale temporaries removed or a damaged kept copy replaced.

    Returns
    -------
    LoadReport
        Closed report of the import.

    Raises
    ------
    EtlError
        On an unreadable file, a missing column or a failed check; the database is unchanged.
    """
    from etl.atomic import import_atomically

    path, db_path = Path(path), Path(db_path)
    couche = couche or default_couche(path)
    if not COUCHE_PATTERN.fullmatch(couche):
        raise EtlError("nom de couche invalide (minuscules, chiffres et « _ », 60 caractères au plus)", valeur=couche)
    if couche == "france_services":
        raise EtlError("la couche france_services est réservée à la liste nationale de l'ANCT", valeur=couche)
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=str(path))
    if path.suffix.lower() not in SUFFIXES:
        raise EtlError(
            f"format non pris en charge (« {path.suffix or 'sans extension'} ») : fichiers acceptés "
            f"{', '.join(SUFFIXES)} (les seuls que la reconstruction rejoue)",
            fichier=path.name,
        )

    def load(con) -> LoadReport:
        report, frame = read_service_layer(con, path, couche, path.name, f"import_{couche}")
        write_rejects(report, path)
        insert_layer(con, report, frame)
        report.save(con)
        return report

    try:
        report, _ = import_atomically(db_path, path, load, keep_in=(folder or imports_dir(db_path)) / couche, log=log)
    except duckdb.Error as exc:
        # e.g. a database built before the services table existed
        raise EtlError(
            f"import impossible dans cette base ({exc}) : reconstruire avec « python -m etl build »"
        ) from exc
    return report
