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

import functools
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from commun import limites
from commun.schema import VISITS_SUFFIXES
from commun.tableur import neutraliser_formules
from etl import kept_files, pseudonymes
from etl import visits_format as fmt
from etl.errors import EtlError
from etl.placement import place_communes
from etl.report import LoadReport

SOURCE = "visites"
SOURCE_DEMO = "visites_demonstration"
IMPORTS_SUBDIR = Path("imports") / "visites"
DEMO_FILE = Path("demo") / "visites_demonstration.csv"
# What the import accepts is exactly what the build replays.
SUFFIXES = VISITS_SUFFIXES

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_IRIS = re.compile(r"\d[\dAB]\d{7}")


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


class _Reject(Exception):
    def __init__(self, colonne: str, valeur: str, motif: str):
        super().__init__(motif)
        self.colonne, self.valeur, self.motif = colonne, valeur, motif


def parse_date(text: str) -> date | None:
    """Parse ``AAAA-MM-JJ`` (optionally with a midnight time) or ``JJ/MM/AAAA``; None if unreadable."""
    iso, fr = _ISO.fullmatch(text), _FR.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if fr:
            return date(int(fr[3]), int(fr[2]), int(fr[1]))
    except ValueError:
        return None
    return None


def _date(column: str, text: str, today: date) -> date:
    value = parse_date(text)
    if value is None:
        raise _Reject(column, text, "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    if value > today:
        raise _Reject(column, text, "date dans le futur")
    if value.year < 2000:
        raise _Reject(column, text, "date invraisemblable (antérieure à 2000)")
    return value


@functools.lru_cache(maxsize=4096)
def _codes(column: str, text: str) -> tuple[str, ...]:
    """Benefit codes of a cell (``|``-separated; ``,`` tolerated), sorted, without repeats."""
    codes = set()
    for part in re.split(r"[|,]", text):
        if not part.strip():
            continue
        key = fmt.normalise(part)
        code = fmt.DROIT_ALIASES.get(key, key.upper())
        if code not in fmt.DROITS:
            raise _Reject(column, text, f"code de droit inconnu « {part.strip()} » (admis : {', '.join(fmt.DROITS)})")
        codes.add(code)
    return tuple(sorted(codes))


@functools.lru_cache(maxsize=4096)
def _orientations(text: str) -> str | None:
    labels = []
    for part in re.split(r"[|,]", text):
        if not part.strip():
            continue
        label = fmt.ORIENTATIONS.get(fmt.normalise(part))
        if label is None:
            admis = ", ".join(dict.fromkeys(fmt.ORIENTATIONS.values()))
            raise _Reject("orientation", text, f"orientation inconnue « {part.strip()} » (admis : {admis})")
        if label not in labels:
            labels.append(label)
    return "|".join(labels) or None


def _bool(text: str) -> bool:
    key = fmt.normalise(text)
    if key in fmt.OUI:
        return True
    if key in fmt.NON:
        return False
    raise _Reject("bilan_realise", text, "valeur attendue : oui ou non")


def _objects(values) -> np.ndarray:
    # element by element: numpy would turn a list of tuples into a 2-D array
    array = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        array[i] = value
    return array


class _Distinct:
    """A rule applied once per distinct value of a column, its outcome spread back to every row.

    A column of a visit file holds few distinct values (a few canals, a few hundred dates): the
    rules written for one value run once per distinct value, not once per row.
    """

    def __init__(self, values: pd.Series, func: Callable[[str], object]):
        self.codes, uniques = values.factorize()
        results, rejects = [], []
        for value in uniques:
            try:
                results.append(func(value))
                rejects.append(None)
            except _Reject as rejet:
                results.append(None)
                rejects.append(rejet)
        self.results, self._rejects = _objects(results), _objects(rejects)

    def rows(self, transform: Callable | None = None, dtype=object) -> np.ndarray:
        """Per row: the rule's result (None where it rejected), optionally transformed per value."""
        if transform is None:
            return self.results[self.codes]
        return np.array([transform(r) for r in self.results], dtype=dtype)[self.codes]

    def rejects(self) -> np.ndarray:
        """Per row: the :class:`_Reject` the rule raised, or None."""
        return self._rejects[self.codes]

    @property
    def refused_any(self) -> bool:
        """Whether the rule refused at least one distinct value."""
        return any(r is not None for r in self._rejects)


class _FirstReject:
    """The first problem of each row, the rules being applied in the order a user reads them.

    Every rule runs on every row (vectorised); a row keeps the reason of the first rule it broke,
    exactly as if the rules ran one after the other on that row and stopped at the first failure.
    """

    def __init__(self, n: int):
        self.rejected = np.zeros(n, dtype=bool)
        self.colonne = np.full(n, None, dtype=object)
        self.valeur = np.full(n, None, dtype=object)
        self.motif = np.full(n, None, dtype=object)

    def add(self, mask: np.ndarray, colonne: str, valeur, motif) -> None:
        """Reject the rows of ``mask`` not rejected yet.

        ``valeur``: one value, or the column (Series) whose cell is shown, or one value per row.
        """
        new = np.asarray(mask, dtype=bool) & ~self.rejected
        if not new.any():
            return
        if isinstance(valeur, pd.Series):
            valeur = valeur.to_numpy(dtype=object, na_value="")
        self.colonne[new] = colonne
        self.valeur[new] = valeur[new] if isinstance(valeur, np.ndarray) else valeur
        self.motif[new] = motif[new] if isinstance(motif, np.ndarray) else motif
        self.rejected |= new

    def add_rejects(self, rule: _Distinct) -> None:
        """Reject the rows whose value the rule refused."""
        if not rule.refused_any:
            return
        rejects = rule.rejects()
        new = ~pd.isna(rejects) & ~self.rejected
        for i in np.flatnonzero(new):
            rejet = rejects[i]
            self.colonne[i], self.valeur[i], self.motif[i] = rejet.colonne, rejet.valeur, rejet.motif
        self.rejected |= new


def _day(value) -> np.datetime64:
    return np.datetime64("NaT") if value is None else np.datetime64(value, "D")


def _personal_values(data: pd.DataFrame, rejects: _FirstReject) -> dict[str, np.ndarray]:
    """Reject the rows holding a phone number, an e-mail, a NIR or an overlong text, value masked.

    Returns
    -------
    dict
        Column -> per-row kind of personal data (None when clean), for masking the rejects file.
    """
    kinds = {}
    for column in fmt.COLUMNS:
        found = fmt.personal_value_kinds(data[column])
        suspect = ~pd.isna(found)
        if not suspect.any():
            continue
        kinds[column] = found
        motif = np.full(len(found), None, dtype=object)
        valeur = np.full(len(found), None, dtype=object)
        for i in np.flatnonzero(suspect):
            kind = found[i]
            valeur[i] = fmt.masked(kind)
            if kind == fmt.TOO_LONG:
                motif[i] = (
                    f"valeur trop longue ({len(data[column].iloc[i])} caractères ; "
                    f"{limites.TEXTE_LIBRE_MAX_CARACTERES} au plus) : un texte libre peut contenir des données "
                    "personnelles ; la valeur est masquée ici"
                )
            else:
                motif[i] = (
                    f"données personnelles interdites ({kind}) : les visites doivent rester anonymes ; "
                    "la valeur est masquée ici"
                )
        rejects.add(suspect, column, valeur, motif)
    return kinds


def _validate(data: pd.DataFrame, placement: pd.DataFrame, context: dict) -> tuple[_FirstReject, dict, dict]:
    """Check every row (rules in reading order, first problem wins) and compute the values to store.

    Returns
    -------
    (_FirstReject, dict, dict)
        The rejections; the values to store, column -> one array entry per row of ``data``
        (meaningful where the row is not rejected); the personal-data kinds found per column.
    """
    n = len(data)
    today = context["today"]
    rejects = _FirstReject(n)
    kinds = _personal_values(data, rejects)
    empty = {column: (data[column] == "").to_numpy(dtype=bool) for column in fmt.COLUMNS}

    rejects.add(empty["date_contact"], "date_contact", "", "date de contact vide")
    date_contact = _Distinct(data["date_contact"], lambda t: _date("date_contact", t, today))
    rejects.add_rejects(date_contact)

    structure = _Distinct(data["structure"], lambda t: re.sub(r"\s+", " ", t))
    rejects.add(structure.rows() == "", "structure", "", "structure vide")

    code_actuel = placement["code_actuel"].to_numpy(dtype=object, na_value=None)
    rejects.add(empty["code_commune"], "code_commune", "", "code commune vide")
    rejects.add(
        pd.isna(code_actuel),
        "code_commune",
        data["code_commune"],
        "code commune inconnu (ni commune actuelle ni ancienne commune)",
    )
    rejects.add(
        (placement["issue"] == "hors_champ").to_numpy(dtype=bool),
        "code_commune",
        data["code_commune"],
        f"commune hors de la région construite ({context['region']})",
    )

    iris = _Distinct(data["code_iris"], lambda t: not t or _IRIS.fullmatch(t) is not None)
    rejects.add(
        ~iris.rows(bool, dtype=bool),
        "code_iris",
        data["code_iris"],
        "code IRIS mal formé (9 caractères : code commune + 4 chiffres)",
    )
    qpv = _Distinct(data["code_qpv"], lambda t: t.upper() or None)
    rejects.add(
        qpv.rows(lambda q: q is not None and q not in context["qpv"], dtype=bool),
        "code_qpv",
        data["code_qpv"],
        "code de quartier prioritaire inconnu (ni QPV 2015 ni QPV 2024)",
    )

    def canal_of(value: str) -> str | None:
        key = fmt.normalise(value)
        key = fmt.CANAL_ALIASES.get(key, key)
        return key if key in fmt.CANAUX else None

    canal = _Distinct(data["canal"], canal_of)
    rejects.add(pd.isna(canal.rows()), "canal", data["canal"], f"canal inconnu (admis : {', '.join(fmt.CANAUX)})")

    bilan = _Distinct(data["bilan_realise"], _bool)
    rejects.add_rejects(bilan)
    bilan_ok = bilan.rows(lambda b: b is True, dtype=bool)

    non_recours = _Distinct(data["non_recours"], lambda t: _codes("non_recours", t))
    rejects.add_rejects(non_recours)
    rejects.add(
        non_recours.rows(bool, dtype=bool) & ~bilan_ok,
        "non_recours",
        data["non_recours"],
        "non-recours renseigné sans bilan de droits réalisé",
    )
    orientation = _Distinct(data["orientation"], _orientations)
    rejects.add_rejects(orientation)
    ouverts = _Distinct(data["droits_ouverts"], lambda t: _codes("droits_ouverts", t))
    rejects.add_rejects(ouverts)
    rejects.add(
        ouverts.rows(bool, dtype=bool) & ~bilan_ok,
        "droits_ouverts",
        data["droits_ouverts"],
        "droits ouverts renseignés sans bilan de droits réalisé",
    )

    suivi = _Distinct(data["date_suivi"], lambda t: _date("date_suivi", t, today) if t else None)
    rejects.add_rejects(suivi)
    suivi_day = suivi.rows(_day, dtype="datetime64[D]")
    contact_day = date_contact.rows(_day, dtype="datetime64[D]")
    rejects.add(
        suivi_day < contact_day,  # NaT compares False: no follow-up date, nothing to compare
        "date_suivi",
        data["date_suivi"],
        "date de suivi antérieure à la date de contact",
    )

    admis = ", ".join(dict.fromkeys(fmt.PROFILS.values()))
    profil = _Distinct(data["profil_menage"], lambda t: fmt.PROFILS.get(fmt.normalise(t)) if t else None)
    rejects.add(
        pd.isna(profil.rows()) & ~empty["profil_menage"],
        "profil_menage",
        data["profil_menage"],
        f"profil de ménage inconnu (admis : {admis})",
    )

    def tranche_of(value: str) -> str | None:
        tranche = re.sub(r"\s+", " ", value.casefold().replace("–", "-").replace(" à ", "-"))
        return tranche.removesuffix(" ans") if fmt.TRANCHE_AGE.fullmatch(tranche) else None

    tranche = _Distinct(data["tranche_age"], lambda t: tranche_of(t) if t else None)
    rejects.add(
        pd.isna(tranche.rows()) & ~empty["tranche_age"],
        "tranche_age",
        data["tranche_age"],
        "tranche d'âge attendue (ex. « 25-39 », « moins de 25 », « 65+ »)",
    )

    def joined(codes) -> str | None:
        return "|".join(codes) or None if codes is not None else None

    values = {
        "date_contact": contact_day,
        "structure": structure.rows(),
        "structure_key": structure.rows(lambda s: fmt.normalise(s) if s is not None else None),
        "code_commune": code_actuel,
        "code_iris": data["code_iris"].to_numpy(dtype=object, na_value=None),
        "code_qpv": qpv.rows(),
        "canal": canal.rows(),
        "bilan_realise": bilan_ok,
        "non_recours": non_recours.rows(joined),
        "nb_droits_non_recours": non_recours.rows(lambda c: len(c) if c is not None else 0, dtype=np.int32),
        "orientation": orientation.rows(),
        "droits_ouverts": ouverts.rows(joined),
        "date_suivi": suivi_day,
        "profil_menage": profil.rows(),
        "tranche_age": tranche.rows(),
        "id_contact": data["id_contact"].to_numpy(dtype=object, na_value=""),
    }
    values["code_iris"][empty["code_iris"]] = None
    return rejects, values, kinds


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_NATURAL_KEY = (
    "date_contact",
    "code_commune",
    "canal",
    "bilan_realise",
    "non_recours",
    "orientation",
    "droits_ouverts",
    "profil_menage",
    "tranche_age",
)


def _identify(records: dict[str, np.ndarray], cle: bytes) -> None:
    """Add ``id_visite`` and ``id_contact_hash`` (see the dedupe key in the module docstring).

    Values derived from an ``id_contact`` are keyed hashes (:mod:`etl.pseudonymes`): a guessable
    pseudonym cannot be found again from the database by trying candidates.
    """
    structure_key, id_contact = records["structure_key"], records["id_contact"]
    n = len(id_contact)
    with_id = id_contact != ""
    hashes = np.full(n, None, dtype=object)
    ids = np.full(n, None, dtype=object)
    contact_hash = pseudonymes.pseudonymiseur(cle)
    visit_id = pseudonymes.pseudonymiseur(cle, "contact\x1f")
    for i in np.flatnonzero(with_id):
        contact = f"{structure_key[i]}\x1f{id_contact[i]}"
        hashes[i] = contact_hash(contact)
        ids[i] = visit_id(contact)
    natural_rows = np.flatnonzero(~with_id)
    if len(natural_rows):
        parts = [structure_key[natural_rows]]
        for column in _NATURAL_KEY:
            values = records[column][natural_rows]
            if column == "date_contact":  # as str(date) wrote it: 2025-02-03
                values = np.datetime_as_string(values, unit="D")
            parts.append(["" if v is None else str(v) for v in values.tolist()])
        natural = pd.Series(["\x1f".join(key) for key in zip(*parts, strict=True)], dtype=object)
        rank = natural.groupby(natural, sort=False).cumcount().to_numpy() + 1
        for i, key, r in zip(natural_rows, natural, rank, strict=True):
            ids[i] = _sha(f"naturelle\x1f{key}\x1f{r}")
    records["id_contact_hash"] = hashes
    records["id_visite"] = ids


def _take(records: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    return {column: values[keep] for column, values in records.items()}


def _context(con) -> dict:
    qpv = {c for (c,) in con.execute("select distinct code from valeurs where niveau = 'qpv'").fetchall()}
    for (codes,) in con.execute("select codes_qp from qpv_contours").fetchall():
        qpv.update(c.strip() for c in codes.split(","))
    region = con.execute("select code || ' ' || nom from territoires where niveau = 'region'").fetchall()[0]
    return {
        "today": date.today(),
        "qpv": qpv,
        "region": region[0] if region else "?",
    }


def _place(con, codes: pd.Series) -> pd.DataFrame:
    """:func:`etl.placement.place_communes` on the distinct codes only, spread back to every row."""
    positions, uniques = codes.factorize()
    placed = place_communes(con, pd.Series(uniques, dtype=object))
    return pd.DataFrame(
        {
            "code_actuel": placed["code_actuel"].to_numpy(dtype=object)[positions],
            "issue": placed["issue"].to_numpy(dtype=object)[positions],
        },
        index=codes.index,
    )


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
    frame = fmt.read_table(path, fichier)
    mapping = fmt.map_headers(list(frame.columns), fichier)
    data = frame.rename(columns=mapping)
    for column in fmt.OPTIONAL:
        if column not in data.columns:
            data[column] = pd.Series("", index=data.index, dtype="str")
    report = LoadReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
    report.lues = len(data)

    demo_deleted = _replace_demonstration(con, demonstration, log)
    commune = data["code_commune"]
    data["code_commune"] = commune.where(~commune.str.fullmatch(r"\d{4}"), "0" + commune)
    placement = _place(con, data["code_commune"])
    rejects, values, kinds = _validate(data, placement, _context(con))

    for i in np.flatnonzero(rejects.rejected):
        report.reject(data.index[i], rejects.colonne[i], rejects.valeur[i] or None, rejects.motif[i])
    records = _take(values, ~rejects.rejected)
    _identify(records, pseudonymes.cle(pseudonymes.dossier_de_la_base(con)))
    records = _take(records, ~pd.Series(records["id_visite"]).duplicated(keep="first").to_numpy())  # first row wins
    new = _absent_from_db(con, records)
    report.doublons = int((~rejects.rejected).sum()) - len(new["id_visite"])
    report.chargees = len(new["id_visite"])
    _insert(con, new, fichier, demonstration)
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


def _replace_demonstration(con, demonstration: bool, log) -> int:
    if demonstration:
        real = con.execute("select count(*) from visites where not demonstration").fetchall()[0][0]
        if real:
            raise EtlError(
                f"la base contient déjà {real} visites réelles : les données de démonstration ne sont pas importées"
            )
        return 0
    demo = con.execute("select count(*) from visites where demonstration").fetchall()[0][0]
    if demo:
        con.execute("delete from visites_droits where id_visite in (select id_visite from visites where demonstration)")
        con.execute("delete from visites where demonstration")
        log(f"  {demo} visites de démonstration supprimées : les données réelles les remplacent.")
    return demo


def _absent_from_db(con, records: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    ids = pa.table({"id_visite": pa.array(records["id_visite"], type=pa.string())})
    con.register("stg_visites_ids", ids)
    try:
        existing = con.execute("select id_visite from visites join stg_visites_ids using (id_visite)").fetchall()
    finally:
        con.unregister("stg_visites_ids")
    if not existing:
        return records
    return _take(records, ~pd.Series(records["id_visite"]).isin({i for (i,) in existing}).to_numpy())


_TEXT_COLUMNS = (
    "id_visite",
    "id_contact_hash",
    "structure",
    "code_commune",
    "code_iris",
    "code_qpv",
    "canal",
    "non_recours",
    "orientation",
    "droits_ouverts",
    "profil_menage",
    "tranche_age",
)


def _insert(con, records: dict[str, np.ndarray], fichier: str, demonstration: bool) -> None:
    if not len(records["id_visite"]):
        return
    # One Arrow table, typed, inserted by one statement: DuckDB reads it without Python objects.
    columns = {c: pa.array(records[c], type=pa.string()) for c in _TEXT_COLUMNS}
    columns |= {
        "date_contact": pa.array(records["date_contact"], type=pa.date32()),
        "date_suivi": pa.array(records["date_suivi"], type=pa.date32()),
        "bilan_realise": pa.array(records["bilan_realise"], type=pa.bool_()),
        "nb_droits_non_recours": pa.array(records["nb_droits_non_recours"], type=pa.int32()),
    }
    con.register("stg_visites", pa.table(columns))
    try:
        con.execute(
            """
            insert into visites by name
            select
                s.id_visite, s.id_contact_hash, s.date_contact, s.structure,
                s.code_commune, t.code_epci, t.code_departement, s.code_iris, s.code_qpv, s.canal,
                s.bilan_realise, s.non_recours, s.nb_droits_non_recours, s.orientation,
                s.droits_ouverts, s.date_suivi, s.profil_menage, s.tranche_age,
                ? as fichier, ? as demonstration
            from stg_visites as s
            join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            """,
            [fichier, demonstration],
        )
        _insert_droits(con, "stg_visites")
    finally:
        con.unregister("stg_visites")


def _insert_droits(con, staging: str) -> None:
    """One row per benefit of ``non_recours`` and ``droits_ouverts`` (codes joined by ``|``)."""
    con.execute(
        f"""
        insert into visites_droits
        select id_visite, unnest(string_split(non_recours, '|')), 'non_recours' from {staging}
        where non_recours is not null
        union all
        select id_visite, unnest(string_split(droits_ouverts, '|')), 'ouvert' from {staging}
        where droits_ouverts is not null
        """
    )


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
