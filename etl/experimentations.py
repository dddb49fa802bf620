"""Import of experiments and their objectives: ``python -m etl import-experimentations FILE``.

An editor declares an experiment (a *Territoire zéro non-recours*, a door-to-door campaign) and
its objectives per month, in a CSV file of the format of :mod:`etl.experimentations_format`
(which reads and validates it row by row). This module stores what it accepted.

Conventions shared with the visit and service imports (:mod:`etl.visits`,
:mod:`etl.services_import`): a bad row is rejected with line, column, value and a French reason,
recorded in ``rejets`` and written beside the input as ``<file>.rejets.csv``; rows read = loaded +
rejected + duplicates; the import is atomic (:func:`etl.atomic.copie_de_travail`, data checks,
``os.replace``), holds the writer lock (:mod:`etl.writer_lock`), and keeps the file in
``<database folder>/imports/experimentations/`` (:mod:`etl.kept_files`) for ``etl build`` to
replay. A file that declares an experiment already stored with the same code **replaces** it
(declaration and every objective): the editor corrects objectives by importing the corrected
file. Re-importing the same file changes nothing (its rows count as duplicates). A real import
deletes the demonstration experiments; without any kept file, the build declares the three
demonstration experiments (:mod:`etl.experimentations_demo`), labelled ``demonstration``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from etl import kept_files
from etl.errors import EtlError
from etl.experimentations_demo import DEMO_FILE, write_demo
from etl.experimentations_format import Experimentation, read_experimentations, region_territoires
from etl.report import LoadReport
from etl.visits import ImportResult, finish_import

SOURCE = "experimentations"
SOURCE_DEMO = "experimentations_demonstration"
IMPORTS_SUBDIR = Path("imports") / "experimentations"
# What the import accepts is exactly what the build replays.
SUFFIXES = (".csv",)


def _stored(con, code: str) -> tuple | None:
    """The stored declaration and objectives of ``code`` (to compare with a file's), or None."""
    row = con.execute(
        "select nom, structures, niveau, code_territoire, date_debut, date_fin, demonstration "
        "from experimentations where code = ?",
        [code],
    ).fetchone()
    if row is None:
        return None
    objectifs = con.execute(
        "select mois, indicateur, valeur from objectifs_experimentations where code_experimentation = ?", [code]
    ).fetchall()
    return (*row[:1], tuple(row[1]), *row[2:], {(m, i): v for m, i, v in objectifs})


def store(
    con, report: LoadReport, experiments: dict[str, Experimentation], demonstration: bool, log: Callable[[str], None]
) -> tuple[LoadReport, int]:
    """Insert the file's experiments, replacing those of the same code; an identical one is a duplicate.

    Returns
    -------
    (LoadReport, int)
        The closed report, and the number of demonstration experiments deleted.
    """
    deleted = _replace_demonstration(con, demonstration, log)
    changed = []
    for code, e in experiments.items():
        new = (e.nom, e.structures, e.niveau, e.code_territoire, e.date_debut, e.date_fin, demonstration, e.objectifs)
        before = _stored(con, code)
        if before == new:
            report.doublons += e.lignes  # re-imported unchanged: nothing to do
            continue
        if before is not None:
            con.execute("delete from objectifs_experimentations where code_experimentation = ?", [code])
            con.execute("delete from experimentations where code = ?", [code])
            log(f"  expérimentation « {code} » remplacée par celle du fichier")
        con.execute(
            "insert into experimentations values (?, ?, ?, ?, ?, ?, ?, ?)",
            [code, e.nom, list(e.structures), e.niveau, e.code_territoire, e.date_debut, e.date_fin, demonstration],
        )
        if e.objectifs:
            con.executemany(
                "insert into objectifs_experimentations values (?, ?, ?, ?)",
                [(code, mois, indicateur, valeur) for (mois, indicateur), valeur in sorted(e.objectifs.items())],
            )
        report.chargees += e.lignes
        changed.append(e)
    known = {s for (s,) in con.execute("select distinct structure from visites").fetchall()}
    for e in changed:
        absentes = [s for s in e.structures if s not in known]
        if absentes:  # not an error: the structure's visits may be imported later
            log(f"  « {e.code} » : aucune visite importée pour la structure {', '.join(absentes)} (nom à vérifier ?)")
    return report.close(), deleted


def _replace_demonstration(con, demonstration: bool, log) -> int:
    if demonstration:
        real = con.execute("select count(*) from experimentations where not demonstration").fetchone()[0]
        if real:
            raise EtlError(
                f"la base contient déjà {real} expérimentations réelles : la démonstration n'est pas déclarée"
            )
        return 0
    demo = con.execute("select count(*) from experimentations where demonstration").fetchone()[0]
    if demo:
        con.execute(
            "delete from objectifs_experimentations where code_experimentation in "
            "(select code from experimentations where demonstration)"
        )
        con.execute("delete from experimentations where demonstration")
        log(f"  {demo} expérimentations de démonstration supprimées : les déclarations réelles les remplacent.")
    return demo


def load_experimentations(
    con, path: Path, *, fichier: str | None = None, demonstration: bool = False, log: Callable[[str], None] = print
) -> tuple[LoadReport, pd.DataFrame, int]:
    """Validate an experiment file and store it on an open connection (no commit, no save).

    Returns
    -------
    (LoadReport, DataFrame, int)
        The closed report, the rejected rows, the demonstration experiments deleted.
    """
    fichier = fichier or path.name
    report, experiments, rejected = read_experimentations(con, path, fichier, SOURCE_DEMO if demonstration else SOURCE)
    report, deleted = store(con, report, experiments, demonstration, log)
    return report, rejected, deleted


def check_suffix(file: Path) -> None:
    """Refuse a file the build would not replay (its suffix is not in :data:`SUFFIXES`)."""
    if file.suffix.lower() not in SUFFIXES:
        raise EtlError(
            f"format non pris en charge (« {file.suffix or 'sans extension'} ») : fichiers acceptés "
            f"{', '.join(SUFFIXES)} (les seuls que la reconstruction rejoue)",
            fichier=file.name,
        )


def import_experimentations(db_path: Path, file: Path, *, log: Callable[[str], None] = print) -> ImportResult:
    """Import an experiment file into an existing database, atomically.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        CSV file in the format of this module.
    log : callable
        Receives the summary lines.

    Returns
    -------
    etl.visits.ImportResult
        ``demonstration_supprimees`` counts demonstration experiments deleted.

    Raises
    ------
    EtlError
        When the file is refused whole or a data check fails; the database is left unchanged.
    """
    from etl.atomic import import_atomically

    db_path, file = Path(db_path), Path(file)
    check_suffix(file)
    if not file.is_file():
        raise EtlError("fichier introuvable", fichier=str(file))

    def load(con) -> tuple[LoadReport, pd.DataFrame, int]:
        loaded = load_experimentations(con, file, log=log)
        loaded[0].save(con)
        return loaded

    (report, rejected, deleted), copy = import_atomically(
        db_path,
        file,
        load,
        keep_in=db_path.parent / IMPORTS_SUBDIR,
        log=log,
        table=(
            "experimentations",
            f"la base {db_path.name} précède le suivi des expérimentations : relancer « python -m etl build »",
        ),
    )
    return finish_import(file, report, rejected, deleted, copy, log)


def load_for_build(con, db_path: Path, log: Callable[[str], None] = print) -> list[LoadReport]:
    """Build step: replay the kept experiment files, or declare the demonstration experiments.

    Run after the visits (the experiments follow their structures). Each report is saved into
    ``chargements`` / ``rejets`` and its progress line logged here, so that the build calls this
    in one line.

    Returns
    -------
    list of LoadReport
        One closed and saved report per file.
    """
    imports = kept_files.kept_files(db_path.parent / IMPORTS_SUBDIR, SUFFIXES)
    reports = []
    for path in imports:
        kept_files.verify(path)  # a truncated copy would drop objectives silently
        # rejects go to the rejets table only: a rejects file here would be replayed as a declaration
        reports.append(load_experimentations(con, path, log=log)[0])
    if not imports:
        demo = write_demo(db_path.parent / DEMO_FILE, set(region_territoires(con)))
        log(f"  expérimentations : aucune déclaration réelle, démonstration générée ({demo.name})")
        reports.append(load_experimentations(con, demo, demonstration=True, log=log)[0])
    for report in reports:
        report.save(con)
        log("  " + report.progress_line())
    return reports
