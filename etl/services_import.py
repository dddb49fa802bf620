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
in with ``os.replace``: a failure leaves the file byte-identical). Imported files are kept in
``data/imports/services/<couche>/`` (env ``ATLAS_IMPORTS_DIR`` for the ``data/imports`` folder) so
that ``python -m etl build`` replays them.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from atlas.config import ROOT
from atlas.exports import neutraliser_formule
from etl.errors import EtlError
from etl.report import LoadReport, sha256_of
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


def imports_dir() -> Path:
    """Folder of the kept service layers (``$ATLAS_IMPORTS_DIR/services``, default ``data/imports``)."""
    return Path(os.environ.get("ATLAS_IMPORTS_DIR", ROOT / "data" / "imports")) / "services"


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


def write_rejects(report: LoadReport, path: Path) -> Path | None:
    """Write the rejected rows beside the input as ``<file>.rejets.csv`` (UTF-8 BOM, ``;``)."""
    target = path.with_name(path.name + ".rejets.csv")
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

    Returns
    -------
    list of LoadReport
        Closed reports, one per file (rejects go to ``rejets`` only).
    """
    folder = folder or imports_dir()
    reports = []
    for path in sorted(folder.glob("*/*.csv")):
        if path.name.endswith(".rejets.csv"):
            continue
        couche = path.parent.name
        report, frame = read_service_layer(
            con, path, couche, f"imports/services/{couche}/{path.name}", f"import_{couche}"
        )
        reports.append(insert_layer(con, report, frame))
    return reports


def _keep_copy(path: Path, couche: str, folder: Path) -> Path:
    target_dir = folder / couche
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    if target.resolve() == path.resolve():
        return target
    if target.exists() and sha256_of(target) != sha256_of(path):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        target = target_dir / f"{path.stem}_{digest}{path.suffix}"
    shutil.copyfile(path, target)
    return target


def import_services(path: Path, db_path: Path, couche: str | None = None, folder: Path | None = None) -> LoadReport:
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
        Where layers are kept for the build to replay (default :func:`imports_dir`).

    Returns
    -------
    LoadReport
        Closed report of the import.

    Raises
    ------
    EtlError
        On an unreadable file, a missing column or a failed check; the database is unchanged.
    """
    from etl.atomic import copie_de_travail
    from etl.checks import run_checks

    couche = couche or default_couche(path)
    if not COUCHE_PATTERN.fullmatch(couche):
        raise EtlError("nom de couche invalide (minuscules, chiffres et « _ », 60 caractères au plus)", valeur=couche)
    if couche == "france_services":
        raise EtlError("la couche france_services est réservée à la liste nationale de l'ANCT", valeur=couche)
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=str(path))
    try:
        with copie_de_travail(db_path) as con:
            con.execute("begin transaction")
            report, frame = read_service_layer(con, path, couche, path.name, f"import_{couche}")
            write_rejects(report, path)
            insert_layer(con, report, frame)
            report.save(con)
            con.execute("commit")
            run_checks(con)
            _keep_copy(path, couche, folder or imports_dir())
    except duckdb.Error as exc:
        # e.g. a database built before the services table existed
        raise EtlError(
            f"import impossible dans cette base ({exc}) : reconstruire avec « python -m etl build »"
        ) from exc
    return report
