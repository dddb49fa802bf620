"""The entry points: ``python -m etl import-dpe`` (:func:`import_dpe`) and the build step (:func:`load_for_build`).

Every import re-reads all the kept extracts (``<database folder>/imports/dpe/``) plus the new one
in the same single DuckDB pass; the new extract is kept there like every imported file
(:mod:`etl.kept_files`): by a hard link to the user's file (no copy, no second exemplar of a
national extract on disk), or copied (``--copier``, or where no link can be made), or moved there
(``--deplacer``: linked, then the user's name removed once the import succeeded). Every replay
checks that a kept extract still has the content its name's SHA-256 says (:func:`verify_kept`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from etl import kept_files
from etl.dpe.accounting import load_dpe
from etl.dpe.constants import DEMO_FILE, IMPORTS_SUBDIR, MEMORY_LIMIT
from etl.dpe.publishing import publish
from etl.dpe.schema import detect_schema, read_header
from etl.errors import EtlError
from etl.report import LoadReport, remember_sha256
from etl.writer_lock import writer_lock

# What to do when a kept extract no longer matches its name's SHA-256 (kept_files.verify).
CONSEIL_EXTRAIT_MODIFIE = (
    "Un extrait conservé par lien est le même fichier que celui importé : l'a-t-on modifié sur place ? "
    "Supprimer ce fichier conservé puis réimporter l'extrait d'origine (import-dpe), ou le réimporter avec "
    "--copier pour en garder une copie indépendante"
)


@dataclass
class ImportResult:
    """What ``import-dpe`` did (rows read = chargees + rejetees + doublons + hors_champ)."""

    fichier: str
    schema: str
    lues: int
    chargees: int
    rejetees: int
    doublons: int
    hors_champ: int
    copie: Path | None


def kept_extracts(db_path: Path) -> list[tuple[Path, str]]:
    """The real extracts kept beside the database, in the order first imported, with their names."""
    return [(p, kept_files.original_name(p)) for p in kept_files.kept_files(db_path.parent / IMPORTS_SUBDIR)]


def verify_kept(kept: list[tuple[Path, str]]) -> None:
    """Refuse a kept extract whose content no longer matches the SHA-256 in its name.

    A kept extract linked to the user's file changes if that file is edited in place; a copy could
    be edited by hand or truncated. Replaying it would silently change the published aggregates.

    Raises
    ------
    EtlError
        Naming the kept file, the expected and the found digests, and what to do.
    """
    for path, _name in kept:
        kept_files.verify(path, CONSEIL_EXTRAIT_MODIFIE)


def _tune(con) -> None:
    """DuckDB settings of the DPE pass: bounded memory (spilled beyond), no ordering constraint."""
    con.execute("set memory_limit = ?", [MEMORY_LIMIT])
    con.execute("set preserve_insertion_order = false")
    con.execute("set enable_progress_bar = false")


def _region_total(con) -> tuple[int, bool]:
    """Current DPE of the region in ``dpe_agregats`` and whether they are demonstration data."""
    row = con.execute(
        "select nb_dpe, demonstration from dpe_agregats "
        "where niveau = 'region' and type_batiment = 'ensemble' and periode = 'ensemble'"
    ).fetchone()
    return (row[0], row[1]) if row else (0, False)


def import_dpe(
    db_path: Path,
    file: Path,
    *,
    deplacer: bool = False,
    copier: bool = False,
    log: Callable[[str], None] = print,
) -> ImportResult:
    """Import a real DPE extract into an existing database, atomically.

    The aggregates are recomputed from **every kept extract plus this one** in one streaming
    DuckDB pass (see :mod:`etl.dpe`: no per-DPE row is stored). The database is copied beside
    itself, the aggregates are published in one transaction, the data checks run, then
    ``os.replace`` swaps the copy in: any failure leaves the database byte-identical.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        CSV, CSV.gz or Parquet extract in either official layout.
    deplacer : bool
        Move the extract into the replay folder (``--deplacer``) instead of linking it: it leaves
        the user's folder once the import succeeded. It stays where it was if the import fails or
        if the same content is already kept.
    copier : bool
        Keep an independent copy (``--copier``) instead of a hard link to the user's file (the
        default, no copy time; a copy anyway where no link can be made).
    log : callable
        Receives the summary lines.

    Returns
    -------
    ImportResult

    Raises
    ------
    EtlError
        Wrong header, unreadable file or failed check; the database is left unchanged.
    """
    db_path, file = Path(db_path), Path(file)
    _check_arguments(db_path, file, deplacer, copier)
    folder = db_path.parent / IMPORTS_SUBDIR
    with writer_lock(db_path, log):
        kept = kept_extracts(db_path)

        # A thread checks the kept extracts against their names' SHA-256, then stages the new
        # extract (a hidden link or copy in the replay folder, hashed) while DuckDB aggregates
        # them from the user's file: they read the same pages, and the hashing (seconds on a
        # national extract) overlaps the aggregation. A failed import leaves the replay folder
        # and the user's file as they were.
        def check_and_stage() -> tuple[Path, str, bool]:
            verify_kept(kept)
            if copier:
                return (*kept_files.stage_copy(file, folder), False)
            return kept_files.stage_link(file, folder)

        with ThreadPoolExecutor(max_workers=1) as pool:
            staging = pool.submit(check_and_stage)
            try:
                report, before, before_demo, after = _aggregate_in_copy(db_path, kept, file, staging)
                part, digest, linked = staging.result()
                # named only now: a run killed before the swap never has its extract replayed
                new = kept_files.find_kept(folder, digest) is None
                copy = kept_files.keep_after_swap(part, folder, digest, file.name, log)
                if file.is_file():
                    remember_sha256(file, digest)
            except BaseException as failure:
                problem = staging.exception()  # waits for the staging
                if problem is None:
                    # staged but not kept: only this name goes (a link: the user's file stays)
                    staging.result()[0].unlink(missing_ok=True)
                elif isinstance(problem, EtlError) and problem is not failure:
                    # a kept extract changed since its import: the cause of whatever DuckDB met in it
                    raise problem from failure
                raise
        if deplacer and new:
            file.unlink(missing_ok=True)
    _log_summary(log, report, before, before_demo, after)
    _log_kept(log, copy, new=new, deplacer=deplacer, linked=linked)
    r = report
    return ImportResult(r.fichier, r.schema, r.lues, r.chargees, r.rejetees, r.doublons, r.hors_champ, copy)


def _check_arguments(db_path: Path, file: Path, deplacer: bool, copier: bool) -> None:
    """Refuse a missing database or file, both ways of keeping, or an unknown header, before any copy.

    Raises
    ------
    EtlError
        Naming the file and what to do.
    """
    if not db_path.is_file():
        raise EtlError(f"base introuvable : {db_path} (lancer d'abord « python -m etl build »)")
    if not file.is_file():
        raise EtlError("fichier introuvable", fichier=str(file))
    if deplacer and copier:
        raise EtlError("--deplacer et --copier s'excluent : choisir l'un ou l'autre")
    detect_schema(read_header(file, file.name)[0], file.name)


def _aggregate_in_copy(db_path: Path, kept: list, file: Path, staging) -> tuple:
    """Aggregate the kept extracts and ``file`` in a working copy, publish, check, and swap it in.

    ``staging`` (the kept extracts' check and the new extract's staging) must succeed before the
    aggregates are published: a kept extract that changed stops the import.

    Returns
    -------
    tuple
        The load report, the region's DPE before and whether they were demonstration data, the
        region's DPE after.
    """
    from etl.atomic import copie_de_travail, tables
    from etl.checks import run_checks  # light: not the whole build

    with copie_de_travail(db_path) as con:
        _tune(con)
        if "dpe_agregats" not in tables(con):
            raise EtlError(f"la base {db_path.name} précède l'import des DPE : relancer « python -m etl build »")
        before, before_demo = _region_total(con)
        (report,) = load_dpe(con, [*kept, (file, file.name)], reported_from=len(kept))
        staging.result()
        con.execute("begin transaction")
        publish(con, demonstration=False)
        report.save(con)
        run_checks(con)
        con.execute("commit")
        after, _ = _region_total(con)
    return report, before, before_demo, after


def _log_kept(log: Callable[[str], None], copy: Path, *, new: bool, deplacer: bool, linked: bool) -> None:
    """Say where the extract is kept for the rebuilds, and how (moved, linked, copied, already there)."""
    if not new:
        log(f"Extrait déjà conservé (même contenu) : {copy}" + (" ; fichier laissé en place" if deplacer else ""))
    elif deplacer:
        log(f"Extrait déplacé pour les reconstructions (etl build) : {copy}")
    elif linked:
        log(
            "Extrait conservé pour les reconstructions (etl build), par un lien vers le fichier importé "
            f"(pas de copie) : {copy}"
        )
    else:
        log(f"Extrait copié pour les reconstructions (etl build) : {copy}")


def _log_summary(log: Callable[[str], None], r, before: int, before_demo: bool, after: int) -> None:
    """The accounting lines of an import: replaced DPE, rows read, each reject reason."""
    if before_demo and before:
        log(f"  {before} DPE de démonstration supprimés : les extraits réels les remplacent.")
    elif before + r.chargees > after:
        log(
            f"  {before + r.chargees - after} DPE d'extraits précédents remplacés par un DPE plus récent du même logement"
        )
    log(
        f"{r.fichier} ({r.schema}) : {r.lues} lignes lues = {r.chargees} chargées + {r.rejetees} rejetées "
        f"+ {r.doublons} doublons (DPE déjà vus ou remplacés) + {r.hors_champ} hors région"
    )
    for motif, colonne, ligne, valeur, n in r.motifs:
        log(
            f"  rejet « {motif} » : {n} lignes (colonne {colonne}, première : ligne {ligne}, valeur « {valeur or ''} »)"
        )


def load_for_build(con, db_path: Path, log: Callable[[str], None] = print) -> list[LoadReport]:
    """Build step: aggregate the kept extracts, or a generated demonstration extract; then publish.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being built (geography, indicators and typologies loaded).
    db_path : Path
        The target database: kept imports and the demonstration file live in its folder.
    log : callable
        Receives the progress lines.

    Returns
    -------
    list of LoadReport
        One closed report per file (not yet saved).
    """
    files = kept_extracts(db_path)
    verify_kept(files)  # the digests serve chargements too (computed once)
    demonstration = not files
    if demonstration:
        from etl import dpe_demo  # NumPy / pandas / pyarrow: only to generate the demonstration

        demo = db_path.parent / DEMO_FILE
        dpe_demo.write_demo(demo, dpe_demo.BUILD_ROWS, dpe_demo.communes_from_connection(con))
        log(f"  DPE : aucun extrait réel importé, extrait de démonstration généré ({demo.name})")
        files = [(demo, demo.name)]
    _tune(con)
    reports = load_dpe(con, files, demonstration=demonstration)
    publish(con, demonstration)
    return reports
