"""The experiment file (one row per month of an experiment) and its row-by-row validation.

Format (``;`` or ``,``, UTF-8 or cp1252), **one row per month of an experiment**:

- ``code`` (optional: derived from ``nom``), ``nom``, ``structures`` (the names of the structures
  as they appear in the visit files, separated by ``|``), ``territoire`` (code of a commune, an
  EPCI — SIREN — or a département of the built region; ``niveau`` optional, checked when given),
  ``date_debut`` and optional ``date_fin`` (AAAA-MM-JJ or JJ/MM/AAAA);
- ``mois`` (AAAA-MM or MM/AAAA; empty: the row only declares the experiment) and the objectives
  of that month, each optional: ``contacts``, ``bilans``, ``droits_ouverts`` (households, whole
  numbers) and ``taux_non_recours`` (taux de non-recours détecté, in %, 0 to 100).

The experiment's columns repeat on each of its rows; a row that gives other values than the first
row of the same code is rejected (« diffère de la ligne 2 »). Periods are whole months: a month
outside the months of ``date_debut`` … ``date_fin`` is rejected. A bad row is rejected with line,
column, value and a French reason; a file is refused whole when it is too large or its header has
an unknown or a missing column. Reading only: storing is :mod:`etl.experimentations`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from commun import limites
from etl.errors import EtlError
from etl.report import LoadReport
from etl.visits_format import parse_date

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


def region_territoires(con) -> dict[str, str]:
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
    territoires = region_territoires(con)
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
