"""Import of visit outcomes (``python -m etl import-visits FILE``) into ``visites``.

One row per contacted household, anonymous (format: :mod:`etl.visits_format`, DESIGN.md).

- A file with a column identifying a person, or an unknown column, or beyond a limit of
  :mod:`commun.limites` (size, rows, fields, line and cell length, uncompressed XLSX size), is
  refused whole before anything is stored.
- A value that looks like a phone number, an e-mail or a NIR, or longer than 80 characters,
  rejects its row; the rejects show it masked (« [masqué : numéro de téléphone] »), never in clear.
- Every other row is validated; a bad row is rejected with its line (as a spreadsheet numbers it),
  column, value and reason, recorded in ``rejets`` and written beside the input in
  ``<file>.rejets.csv`` (UTF-8 with BOM, ``;``). Rows read = loaded + rejected + duplicates.
- Dedupe key (``id_visite`` = SHA-256 of it): with an ``id_contact``, the structure (normalised)
  and the ``id_contact`` (then an HMAC keyed by the installation's secret, :mod:`etl.pseudonymes`,
  like ``id_contact_hash``); without, the natural key date, structure, current commune, canal,
  bilan, non_recours, orientation, droits_ouverts, profil, tranche **plus the rank of the row
  among identical rows of the same file** — two identical households of one file are both kept,
  and re-importing the file (or an overlapping one) never counts them twice. The first stored
  row wins: a later row with the same key is a duplicate (``doublons``), never an update.
- The import is atomic: the database is copied beside itself, the rows are inserted in one
  transaction, the data checks run, then ``os.replace`` swaps the copy in. Any failure leaves
  the database file byte-identical.
- A real import deletes the demonstration visits (and says so). Each real file is kept in
  ``<database folder>/imports/visites/`` (``data/imports/visites/`` for the default database,
  kept out of git) and replayed by ``etl build``; without any, the build imports the generated
  demonstration file (:mod:`etl.demo_visits`). The import accepts exactly the suffixes the build
  replays (:data:`SUFFIXES`). The kept copy is written to a temporary, fsynced and renamed only
  after the swap; its SHA-256 is checked on every reuse and replay (:mod:`etl.kept_files`). The
  build records the rejects of a replayed file in ``rejets`` only: a rejects file written in the
  replay folder would be replayed as visits.
- One writer at a time (:mod:`etl.writer_lock`): a second import waits a few seconds, then stops
  with « import en cours, réessayez ».
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from commun.schema import VISITS_SUFFIXES
from commun.tableur import neutraliser_formules
from etl import kept_files, pseudonymes, visits_reading, visits_rules, visits_storage
from etl import visits_format as fmt
from etl.errors import EtlError
from etl.report import LoadReport

SOURCE = "visites"
SOURCE_DEMO = "visites_demonstration"
IMPORTS_SUBDIR = Path("imports") / "visites"
DEMO_FILE = Path("demo") / "visites_demonstration.csv"
# What the import accepts is exactly what the build replays.
SUFFIXES = VISITS_SUFFIXES
#: Every table an import may change (visits, their yearly values and catalogue entries, its
#: report): the data checks reading none of them are not run again (:func:`etl.checks.run_checks`).
WRITES = (
    "visites",
    "visites_droits",
    "valeurs",
    "qualite_valeurs",
    "metadonnees",
    "indicateurs",
    "sources",
    "sources_valeurs",
    "chargements",
    "rejets",
)


@dataclass
class ImportResult:
    """What an import did (rows read = chargees + rejetees + doublons)."""

    fichier: str
    lues: int
    chargees: int
    rejetees: int
    doublons: int
    demonstration_supprimees: int
    rejets_path: Path | None
    copie: Path | None


@dataclass
class _Loaded:
    report: LoadReport
    rejected: pd.DataFrame
    demo_deleted: int


def load_visits(
    con,
    path: Path,
    *,
    fichier: str | None = None,
    demonstration: bool = False,
    log: Callable[[str], None] = print,
) -> _Loaded:
    """Validate a visit file and insert its new rows on an open connection (no commit, no save).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A built database (``territoires``, ``passage_communes``, ``visites``...).
    path : Path
        The CSV or XLSX file.
    fichier : str, optional
        Name recorded in ``chargements``, ``rejets`` and ``visites.fichier`` (default: file name).
    demonstration : bool
        Mark the rows as demonstration data.
    log : callable
        Receives notes (demonstration rows deleted).

    Returns
    -------
    _Loaded
        The closed (balanced) load report, the rejected rows, the demonstration rows deleted.

    Raises
    ------
    EtlError
        When the file is refused whole (personal data in a header, unknown column, unreadable,
        over a limit of :mod:`commun.limites`).
    """
    fichier = fichier or path.name
    frame = visits_reading.read_table(path, fichier)
    mapping = fmt.map_headers(list(frame.columns), fichier)
    data = frame.rename(columns=mapping)
    for column in fmt.OPTIONAL:
        if column not in data.columns:
            data[column] = pd.Series("", index=data.index, dtype="str")
    report = LoadReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
    report.lues = len(data)

    demo_deleted = visits_storage.replace_demonstration(con, demonstration, log)
    commune = data["code_commune"]
    data["code_commune"] = commune.where(~commune.str.fullmatch(r"\d{4}"), "0" + commune)
    placement = visits_rules.place(con, data["code_commune"])
    rejects, values, kinds = visits_rules.validate(data, placement, visits_rules.context(con))

    for i in np.flatnonzero(rejects.rejected):
        report.reject(data.index[i], rejects.colonne[i], rejects.valeur[i] or None, rejects.motif[i])
    records = visits_storage.take(values, ~rejects.rejected)
    visits_storage.identify(records, pseudonymes.cle(pseudonymes.dossier_de_la_base(con)))
    new = visits_storage.new_rows(con, records)
    report.doublons = int((~rejects.rejected).sum()) - len(new["id_visite"])
    report.chargees = len(new["id_visite"])
    visits_storage.insert(con, new, fichier, demonstration)
    report.close()

    rejected = frame.loc[rejects.rejected].copy()
    # a personal value never leaves the import in clear, not even in the row copied for correction
    header_of = {column: header for header, column in mapping.items()}
    for column, found in kinds.items():
        flagged = ~pd.isna(found[rejects.rejected])
        if flagged.any():
            cells = rejected[header_of[column]].to_numpy(dtype=object)
            cells[flagged] = [fmt.masked(kind) for kind in found[rejects.rejected][flagged]]
            rejected[header_of[column]] = cells
    rejected.insert(0, "motif", rejects.motif[rejects.rejected])
    rejected.insert(0, "valeur", rejects.valeur[rejects.rejected])
    rejected.insert(0, "colonne", rejects.colonne[rejects.rejected])
    rejected.insert(0, "ligne", data.index[rejects.rejected])
    return _Loaded(report, rejected, demo_deleted)


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of ``path`` are written: ``<file>.rejets.csv`` beside it."""
    return path.with_name(path.name + ".rejets.csv")


def write_rejects(path: Path, rejected: pd.DataFrame) -> Path | None:
    """Write the rejected rows beside the input (French CSV), or remove a stale rejects file."""
    target = rejects_path(path)
    if rejected.empty:
        target.unlink(missing_ok=True)
        return None
    part = target.with_name(f".{target.name}.tmp")
    try:  # a full disk leaves no half rejects file
        # a rejected value such as « =HYPERLINK(...) » must not come back out as a live formula
        neutraliser_formules(rejected).to_csv(part, sep=";", index=False, encoding="utf-8-sig")
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def import_visits(
    db_path: Path,
    file: Path,
    *,
    demonstration: bool = False,
    log: Callable[[str], None] = print,
) -> ImportResult:
    """Import a visit file into an existing database, atomically.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        CSV (``;`` or ``,``, UTF-8 or cp1252) or XLSX file in the visit outcome format.
    demonstration : bool
        Mark the rows as demonstration data (refused when real visits exist).
    log : callable
        Receives the summary lines.

    Returns
    -------
    ImportResult

    Raises
    ------
    EtlError
        When the file is refused whole or a data check fails; the database is left unchanged.
    """
    from etl.atomic import import_atomically

    db_path, file = Path(db_path), Path(file)
    check_suffix(file)

    def load(con) -> _Loaded:
        from etl import visits_millesimes

        # Many small statements on a few hundred thousand rows: a second DuckDB thread costs more
        # CPU than it saves (0,3 s of 2,3 s measured on 100 000 rows), and the machine is shared.
        # The setting belongs to the working copy's connection only, closed after the swap.
        con.execute("set threads = 1")
        loaded = load_visits(con, file, demonstration=demonstration, log=log)
        visits_millesimes.publish(con)  # the yearly values in valeurs follow the visits
        loaded.report.save(con)
        return loaded

    loaded, copy = import_atomically(
        db_path,
        file,
        load,
        keep_in=None if demonstration else db_path.parent / IMPORTS_SUBDIR,
        log=log,
        table=("visites", f"la base {db_path.name} précède l'import des visites : relancer « python -m etl build »"),
        writes=WRITES,
    )
    return finish_import(
        file, loaded.report, loaded.rejected, loaded.demo_deleted, copy, log, demonstration=demonstration
    )


def finish_import(
    file: Path,
    report: LoadReport,
    rejected: pd.DataFrame,
    deleted: int,
    copy: Path | None,
    log: Callable[[str], None],
    *,
    demonstration: bool = False,
) -> ImportResult:
    """After the swap of a visit or experiment import: the rejected rows beside the file, the summary lines.

    Parameters
    ----------
    file : Path
        The imported file (its rejects go beside it, :func:`write_rejects`).
    report : LoadReport
        The closed report of the import.
    rejected : DataFrame
        The rejected rows.
    deleted : int
        Demonstration rows (visits) or experiments deleted by the import.
    copy : Path or None
        The kept copy of the file.
    log : callable
        Receives the summary lines.
    demonstration : bool
        The rows were demonstration data (said in the summary).

    Returns
    -------
    ImportResult
    """
    try:
        written = write_rejects(file, rejected)
    except OSError as exc:
        # the import is in the base already: say so rather than « base inchangée »
        from etl.errors import from_os_error

        written = None
        log(f"Lignes rejetées non écrites à côté du fichier ({from_os_error(exc)}) : elles sont dans la table rejets.")
    r = report
    log(
        f"{r.fichier} : {r.lues} lignes lues = {r.chargees} chargées + {r.rejetees} rejetées + {r.doublons} doublons"
        + (" (données de démonstration)" if demonstration else "")
    )
    if written:
        log(f"Lignes rejetées (ligne, colonne, valeur, motif) : {written}")
    if copy:
        log(f"Fichier conservé pour les reconstructions (etl build) : {copy}")
    return ImportResult(r.fichier, r.lues, r.chargees, r.rejetees, r.doublons, deleted, written, copy)


def check_suffix(file: Path) -> None:
    """Refuse a file the build would not replay (its suffix is not in :data:`SUFFIXES`).

    Raises
    ------
    EtlError
        Naming the file and the accepted suffixes.
    """
    if file.suffix.lower() not in SUFFIXES:
        raise EtlError(
            f"format non pris en charge (« {file.suffix or 'sans extension'} ») : fichiers acceptés "
            f"{', '.join(SUFFIXES)} (les seuls que la reconstruction rejoue)",
            fichier=file.name,
        )


def load_for_build(con, db_path: Path, log: Callable[[str], None] = print) -> list[LoadReport]:
    """Build step: replay the kept imports, or import the generated demonstration file.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being built (geography and indicators loaded).
    db_path : Path
        The target database: imports and demonstration files live in its folder.

    Returns
    -------
    list of LoadReport
        One closed report per file (not yet saved).
    """
    from etl.demo_visits import write_demo

    imports = kept_files.kept_files(db_path.parent / IMPORTS_SUBDIR, SUFFIXES)
    reports = []
    if imports:
        for path in imports:
            kept_files.verify(path)  # a truncated copy would load part of the visits silently
            # rejects go to the rejets table only: a rejects file here would be replayed as visits
            reports.append(load_visits(con, path, log=log).report)
        return reports
    demo = db_path.parent / DEMO_FILE
    write_demo(demo)
    log(f"  visites : aucun import réel, fichier de démonstration généré ({demo.name})")
    loaded = load_visits(con, demo, demonstration=True, log=log)
    write_rejects(demo, loaded.rejected)
    return [loaded.report]
