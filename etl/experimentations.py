"""Experiments of « aller vers » and their objectives: ``python -m etl import-experimentations FILE``.

An editor declares an experiment (a *Territoire zéro non-recours*, a door-to-door campaign) and
its objectives per month, in a CSV file (``;`` or ``,``, UTF-8 or cp1252), **one row per month of
an experiment**:

- ``code`` (optional: derived from ``nom``), ``nom``, ``structures`` (the names of the structures
  as they appear in the visit files, separated by ``|``), ``territoire`` (code of a commune, an
  EPCI — SIREN — or a département of the built region; ``niveau`` optional, checked when given),
  ``date_debut`` and optional ``date_fin`` (AAAA-MM-JJ or JJ/MM/AAAA);
- ``mois`` (AAAA-MM or MM/AAAA; empty: the row only declares the experiment) and the objectives
  of that month, each optional: ``contacts``, ``bilans``, ``droits_ouverts`` (households, whole
  numbers) and ``taux_non_recours`` (taux de non-recours détecté, in %, 0 to 100).

The experiment's columns repeat on each of its rows; a row that gives other values than the first
row of the same code is rejected (« diffère de la ligne 2 »). Periods are whole months: a month
outside the months of ``date_debut`` … ``date_fin`` is rejected.

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
demonstration experiments (:func:`demo_rows`), labelled ``demonstration``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from commun import limites
from etl import kept_files
from etl.errors import EtlError
from etl.report import LoadReport
from etl.visits import ImportResult, finish_import
from etl.visits_format import parse_date

SOURCE = "experimentations"
SOURCE_DEMO = "experimentations_demonstration"
IMPORTS_SUBDIR = Path("imports") / "experimentations"
DEMO_FILE = Path("demo") / "experimentations_demonstration.csv"
# What the import accepts is exactly what the build replays.
SUFFIXES = (".csv",)

#: Objective indicators: column of the file -> label (households, except the rate).
INDICATEURS = {
    "contacts": "Ménages rencontrés",
    "bilans": "Bilans de droits réalisés",
    "droits_ouverts": "Ménages avec au moins un droit ouvert",
    "taux_non_recours": "Taux de non-recours détecté (%)",
}
COLUMNS = ("code", "nom", "structures", "territoire", "niveau", "date_debut", "date_fin", "mois", *INDICATEURS)
REQUIRED = ("nom", "structures", "territoire", "date_debut")
ALIASES = {
    "code_experimentation": "code",
    "code_territoire": "territoire",
    "experimentation": "nom",
    "structure": "structures",
    "taux_non_recours_detecte": "taux_non_recours",
}
NIVEAUX = ("commune", "epci", "departement")
# The experiment's own columns: equal on every row of one code.
_DECLARATION = ("nom", "structures", "territoire", "date_debut", "date_fin")
_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_MOIS_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_MOIS_FR = re.compile(r"(\d{1,2})/(\d{4})")
NOM_MAX = 120


@dataclass
class Experimentation:
    """One declared experiment and its objectives ``{(mois, indicateur): valeur}``."""

    code: str
    nom: str
    structures: tuple[str, ...]
    niveau: str
    code_territoire: str
    date_debut: date
    date_fin: date | None
    ligne: int
    objectifs: dict[tuple[date, str], float] = field(default_factory=dict)
    lignes: int = 0  # rows of the file accepted for it


class _Reject(Exception):
    def __init__(self, colonne: str | None, valeur: str | None, motif: str):
        super().__init__(motif)
        self.colonne, self.valeur, self.motif = colonne, valeur, motif


def slug(text: str) -> str:
    """A code from a name: lower case ASCII, other characters turned into ``_`` (40 at most).

    Examples
    --------
    >>> slug("Territoire zéro non-recours Chemillé-en-Anjou")
    'territoire_zero_non_recours_chemille_en_a'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")[:40].strip("_") or "experimentation"


def parse_month(text: str) -> date | None:
    """``2024-03``, ``03/2024`` or a date of that month → first day of the month; None if unreadable."""
    text = text.strip()
    for pattern, year, month in ((_MOIS_ISO, 1, 2), (_MOIS_FR, 2, 1)):
        match = pattern.fullmatch(text)
        if match:
            y, m = int(match[year]), int(match[month])
            return date(y, m, 1) if 1 <= m <= 12 else None
    day = parse_date(text)
    return None if day is None else day.replace(day=1)


def _number(text: str) -> float | None:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".").removesuffix("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _target(indicateur: str, colonne: str, text: str) -> float:
    value = _number(text)
    if value is None or value != value or value in (float("inf"), float("-inf")):
        raise _Reject(colonne, text, "nombre illisible")
    if indicateur == "taux_non_recours":
        if not 0 <= value <= 100:
            raise _Reject(colonne, text, "taux attendu entre 0 et 100 (en %)")
        return value
    if value < 0 or value != int(value):
        raise _Reject(colonne, text, "nombre de ménages attendu (entier positif ou nul)")
    return float(int(value))


def _date(colonne: str, text: str) -> date:
    value = parse_date(text)
    if value is None:
        raise _Reject(colonne, text, "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    if value.year < 2000 or value.year > 2100:
        raise _Reject(colonne, text, "date invraisemblable")
    return value


def _header(header: list[str], fichier: str) -> dict[str, str]:
    """Column of the file for each known column; refuses an unknown or a missing column."""
    found = {}
    for name in header:
        key = unicodedata.normalize("NFKD", name.strip().lower()).encode("ascii", "ignore").decode()
        key = re.sub(r"[^a-z0-9]+", "_", key).strip("_")
        key = ALIASES.get(key, key)
        if key not in COLUMNS:
            raise EtlError(
                f"colonne inconnue (colonnes admises : {', '.join(COLUMNS)})", fichier=fichier, ligne=1, colonne=name
            )
        if key in found:
            raise EtlError("colonne en double", fichier=fichier, ligne=1, colonne=name)
        found[key] = name
    for key in REQUIRED:
        if key not in found:
            raise EtlError(f"colonne obligatoire absente : {key}", fichier=fichier, ligne=1, colonne=key)
    return found


def _territoires(con) -> dict[str, str]:
    """Code -> niveau of every commune, EPCI and département of the built region."""
    rows = con.execute(
        "select code, niveau from territoires where niveau in ('commune', 'epci', 'departement')"
    ).fetchall()
    return dict(rows)


def read_experimentations(
    con, path: Path, fichier: str, source: str
) -> tuple[LoadReport, dict[str, Experimentation], pd.DataFrame]:
    """Parse an experiment file, rejecting bad rows one by one.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A built database (``territoires``, ``passage_communes``).
    path : Path
        The CSV file.
    fichier : str
        Name recorded in ``chargements`` and ``rejets``.
    source : str
        ``chargements.source``.

    Returns
    -------
    report : LoadReport
        Not closed; rows repeated in the file already counted as ``doublons``.
    experimentations : dict
        Code -> :class:`Experimentation` (with its accepted rows counted in ``lignes``).
    rejected : DataFrame
        The rejected rows (ligne, colonne, valeur, motif, then the row's cells) for the rejects file.

    Raises
    ------
    EtlError
        A file refused whole: unreadable, too large, unknown or missing column.
    """
    from etl.services import read_csv_records

    if path.is_file() and path.stat().st_size > limites.FICHIER_MAX_MO * 1e6:
        raise EtlError(f"fichier trop volumineux ({limites.FICHIER_MAX_MO} Mo au plus)", fichier=fichier)
    header, records = read_csv_records(path, fichier)
    if len(records) > limites.LIGNES_MAX:
        raise EtlError(f"trop de lignes ({limites.nombre(limites.LIGNES_MAX)} au plus)", fichier=fichier)
    cols = _header(header, fichier)
    territoires = _territoires(con)
    passage = dict(con.execute("select code_ancien, code_actuel from passage_communes").fetchall())
    report = LoadReport(source, path, fichier)
    experiments: dict[str, Experimentation] = {}
    first_values: dict[str, tuple[int, dict[str, str]]] = {}
    months_seen: dict[tuple[str, date], tuple[int, dict[str, float]]] = {}
    rejected = []
    for ligne, record in records:
        report.lues += 1
        get = {key: re.sub(r"\s+", " ", record.get(name, "")).strip() for key, name in cols.items()}
        try:
            experiment, mois, objectifs = _row(get, cols, territoires, passage)
            code = experiment.code
            if code in first_values:
                first_line, first = first_values[code]
                for key in _DECLARATION:
                    if get.get(key, "") != first.get(key, ""):
                        raise _Reject(
                            cols.get(key, key),
                            get.get(key, ""),
                            f"diffère de la ligne {first_line} (« {first.get(key, '')} ») pour la même expérimentation",
                        )
            if mois is not None and (code, mois) in months_seen:
                first_line, before = months_seen[(code, mois)]
                if before != objectifs:
                    raise _Reject(
                        cols["mois"], get["mois"], f"objectifs de ce mois déjà donnés ligne {first_line}, autrement"
                    )
                report.doublons += 1  # the same month repeated with the same objectives
                continue
        except _Reject as rejet:
            report.reject(ligne, rejet.colonne, rejet.valeur, rejet.motif)
            rejected.append(
                {"ligne": ligne, "colonne": rejet.colonne, "valeur": rejet.valeur, "motif": rejet.motif, **record}
            )
            continue
        if code not in first_values:
            first_values[code] = (ligne, get)
            experiments[code] = experiment
        stored = experiments[code]
        stored.lignes += 1
        if mois is not None:
            months_seen[(code, mois)] = (ligne, objectifs)
            stored.objectifs.update({(mois, k): v for k, v in objectifs.items()})
    return report, experiments, pd.DataFrame(rejected, columns=["ligne", "colonne", "valeur", "motif", *header])


def _row(
    get: dict[str, str], cols: dict[str, str], territoires: dict[str, str], passage: dict[str, str]
) -> tuple[Experimentation, date | None, dict[str, float]]:
    """Validate one row, rules in reading order (the first problem is the reason)."""
    nom = get["nom"]
    if not nom:
        raise _Reject(cols["nom"], None, "nom de l'expérimentation absent")
    if len(nom) > NOM_MAX:
        raise _Reject(cols["nom"], nom[:40] + "…", f"nom trop long ({NOM_MAX} caractères au plus)")
    code = get.get("code", "")
    if code and not _CODE.fullmatch(code):
        raise _Reject(cols["code"], code, "code invalide (lettres, chiffres, « _ » ou « - », 40 caractères au plus)")
    code = code or slug(nom)
    structures = tuple(dict.fromkeys(s.strip() for s in get["structures"].split("|") if s.strip()))
    if not structures:
        raise _Reject(cols["structures"], None, "aucune structure (noms séparés par « | », comme dans les visites)")
    if any(len(s) > NOM_MAX for s in structures):
        raise _Reject(cols["structures"], get["structures"][:40] + "…", "nom de structure trop long")
    territoire = get["territoire"].upper()
    if not territoire:
        raise _Reject(cols["territoire"], None, "code du territoire absent")
    if territoire.isdigit() and len(territoire) == 4:
        territoire = "0" + territoire  # a spreadsheet dropped the leading zero of a commune
    if territoire not in territoires and passage.get(territoire) in territoires:
        territoire = passage[territoire]  # an older commune code: its current commune
    niveau = territoires.get(territoire)
    if niveau is None:
        raise _Reject(
            cols["territoire"],
            get["territoire"],
            "territoire inconnu dans la région construite (code commune INSEE, SIREN d'EPCI ou code de département)",
        )
    demande = get.get("niveau", "").lower().replace("é", "e")
    if demande and demande != niveau:
        raise _Reject(
            cols["niveau"], get["niveau"], f"le code {territoire} est celui d'un territoire de niveau « {niveau} »"
        )
    debut = _date(cols["date_debut"], get["date_debut"])
    fin = _date(cols["date_fin"], get["date_fin"]) if get.get("date_fin") else None
    if fin is not None and fin < debut:
        raise _Reject(cols["date_fin"], get["date_fin"], "date de fin antérieure à la date de début")
    experiment = Experimentation(code, nom, structures, niveau, territoire, debut, fin, 0)

    mois = None
    if get.get("mois"):
        mois = parse_month(get["mois"])
        if mois is None:
            raise _Reject(cols["mois"], get["mois"], "mois illisible (attendu AAAA-MM ou MM/AAAA)")
        if mois < debut.replace(day=1) or (fin is not None and mois > fin.replace(day=1)):
            raise _Reject(cols["mois"], get["mois"], "mois en dehors de la période de l'expérimentation")
    objectifs = {}
    for indicateur in INDICATEURS:
        text = get.get(indicateur, "")
        if not text:
            continue
        if mois is None:
            raise _Reject(cols[indicateur], text, "objectif sans mois (colonne mois vide)")
        objectifs[indicateur] = _target(indicateur, cols[indicateur], text)
    if mois is not None and not objectifs:
        raise _Reject(cols["mois"], get["mois"], "aucun objectif donné pour ce mois")
    return experiment, mois, objectifs


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


# Demonstration experiments: the three Territoires zéro non-recours of the region named in the
# Pacte des solidarités (conference of 7 November 2023), on the structures and territories of the
# demonstration visits (etl.demo_visits), so that their follow-up has visits to count.
# (code, nom, structure of the demonstration visits, territory, start, end, monthly contacts objective)
DEMO_EXPERIMENTATIONS = [
    (
        "tznr_chemille_en_anjou",
        "Territoire zéro non-recours Chemillé-en-Anjou (démonstration)",
        "Territoire zéro non-recours Chemillé-en-Anjou (démonstration)",
        "49092",  # commune
        date(2024, 3, 1),
        None,
        24,
    ),
    (
        "tznr_pays_de_la_chataigneraie",
        "Territoire zéro non-recours Pays de la Châtaigneraie (démonstration)",
        "Territoire zéro non-recours Pays de la Châtaigneraie (démonstration)",
        "248500415",  # EPCI: CC du Pays de la Châtaigneraie
        date(2024, 1, 1),
        date(2026, 12, 31),  # three years of experiment
        32,
    ),
    (
        "tznr_redon_agglomeration",
        "Territoire zéro non-recours Redon Agglomération (démonstration)",
        "Territoire zéro non-recours Redon Agglomération 44 (démonstration)",
        "243500741",  # EPCI: Redon Agglomération (its Loire-Atlantique communes are in the region)
        date(2024, 6, 1),
        None,
        26,
    ),
]
# Objectives are declared up to the last month of the demonstration visits.
DEMO_DERNIER_MOIS = date(2025, 12, 1)
DEMO_HEADER = ["code", "nom", "structures", "territoire", "date_debut", "date_fin", "mois", *INDICATEURS]


def demo_rows(territoires: set[str] | None = None) -> list[list[str]]:
    """Rows of the demonstration experiment file (header :data:`DEMO_HEADER` not included).

    Deterministic: the monthly contacts objective ramps up from half over the first six months,
    bilans aim at 45 % of contacts, opened rights at 20 %, the detected rate at 80 %.

    Parameters
    ----------
    territoires : set of str, optional
        Codes of the built region's territories: experiments elsewhere are left out (a build of
        another region has no demonstration experiment rather than rejected rows).
    """
    rows = []
    for code, nom, structure, territoire, debut, fin, contacts in DEMO_EXPERIMENTATIONS:
        if territoires is not None and territoire not in territoires:
            continue
        mois, rang = debut.replace(day=1), 0
        while mois <= DEMO_DERNIER_MOIS:
            objectif = round(contacts * min(1.0, 0.5 + rang / 12))
            rows.append(
                [
                    code,
                    nom,
                    structure,
                    territoire,
                    debut.isoformat(),
                    fin.isoformat() if fin else "",
                    f"{mois:%Y-%m}",
                    str(objectif),
                    str(round(0.45 * objectif)),
                    str(round(0.20 * objectif)),
                    "80",
                ]
            )
            mois = date(mois.year + mois.month // 12, mois.month % 12 + 1, 1)
            rang += 1
    return rows


def write_demo(path: Path, territoires: set[str] | None = None) -> Path:
    """Write the demonstration experiment file (UTF-8 with BOM, ``;``), creating its folder."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(DEMO_HEADER)
        writer.writerows(demo_rows(territoires))
    return path


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
        demo = write_demo(db_path.parent / DEMO_FILE, set(_territoires(con)))
        log(f"  expérimentations : aucune déclaration réelle, démonstration générée ({demo.name})")
        reports.append(load_experimentations(con, demo, demonstration=True, log=log)[0])
    for report in reports:
        report.save(con)
        log("  " + report.progress_line())
    return reports
