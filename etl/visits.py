"""Import of visit outcomes (``python -m etl import-visits FILE``) into ``visites``.

One row per contacted household, anonymous (format: :mod:`etl.visits_format`, DESIGN.md).

- A file with a column identifying a person, or an unknown column, is refused whole before
  anything is stored.
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
  demonstration file (:mod:`etl.demo_visits`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from atlas.exports import neutraliser_formules
from etl import pseudonymes
from etl import visits_format as fmt
from etl.errors import EtlError
from etl.placement import place_communes
from etl.report import LoadReport, sha256_of

SOURCE = "visites"
SOURCE_DEMO = "visites_demonstration"
IMPORTS_SUBDIR = Path("imports") / "visites"
DEMO_FILE = Path("demo") / "visites_demonstration.csv"
SUFFIXES = {".csv", ".xlsx"}

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


def _validate_row(row: dict, placed: tuple, context: dict) -> dict:
    """Check one row and return the record to store; raise _Reject at the first problem."""
    today = context["today"]
    if not row["date_contact"]:
        raise _Reject("date_contact", "", "date de contact vide")
    date_contact = _date("date_contact", row["date_contact"], today)
    structure = re.sub(r"\s+", " ", row["structure"])
    if not structure:
        raise _Reject("structure", "", "structure vide")
    code_actuel, issue = placed
    commune = row["code_commune"]
    if not commune:
        raise _Reject("code_commune", "", "code commune vide")
    if code_actuel is None:
        # absent from the passage table (national: every commune code since COG 2019)
        raise _Reject("code_commune", commune, "code commune inconnu (ni commune actuelle ni ancienne commune)")
    if issue == "hors_champ":
        raise _Reject("code_commune", commune, f"commune hors de la région construite ({context['region']})")
    iris = row.get("code_iris", "")
    if iris and not _IRIS.fullmatch(iris):
        raise _Reject("code_iris", iris, "code IRIS mal formé (9 caractères : code commune + 4 chiffres)")
    qpv = row.get("code_qpv", "").upper()
    if qpv and qpv not in context["qpv"]:
        raise _Reject("code_qpv", row["code_qpv"], "code de quartier prioritaire inconnu (ni QPV 2015 ni QPV 2024)")
    canal = fmt.normalise(row["canal"])
    canal = fmt.CANAL_ALIASES.get(canal, canal)
    if canal not in fmt.CANAUX:
        raise _Reject("canal", row["canal"], f"canal inconnu (admis : {', '.join(fmt.CANAUX)})")
    bilan = _bool(row["bilan_realise"])
    non_recours = _codes("non_recours", row["non_recours"])
    if non_recours and not bilan:
        raise _Reject("non_recours", row["non_recours"], "non-recours renseigné sans bilan de droits réalisé")
    orientation = _orientations(row.get("orientation", ""))
    ouverts = _codes("droits_ouverts", row.get("droits_ouverts", ""))
    if ouverts and not bilan:
        raise _Reject("droits_ouverts", row["droits_ouverts"], "droits ouverts renseignés sans bilan de droits réalisé")
    suivi = None
    if row.get("date_suivi"):
        suivi = _date("date_suivi", row["date_suivi"], today)
        if suivi < date_contact:
            raise _Reject("date_suivi", row["date_suivi"], "date de suivi antérieure à la date de contact")
    profil = None
    if row.get("profil_menage"):
        profil = fmt.PROFILS.get(fmt.normalise(row["profil_menage"]))
        if profil is None:
            admis = ", ".join(dict.fromkeys(fmt.PROFILS.values()))
            raise _Reject("profil_menage", row["profil_menage"], f"profil de ménage inconnu (admis : {admis})")
    tranche = None
    if row.get("tranche_age"):
        tranche = re.sub(r"\s+", " ", row["tranche_age"].casefold().replace("–", "-").replace(" à ", "-"))
        if not fmt.TRANCHE_AGE.fullmatch(tranche):
            raise _Reject(
                "tranche_age", row["tranche_age"], "tranche d'âge attendue (ex. « 25-39 », « moins de 25 », « 65+ »)"
            )
        tranche = tranche.removesuffix(" ans")
    return {
        "date_contact": date_contact,
        "structure": structure,
        "code_commune": code_actuel,
        "code_iris": iris or None,
        "code_qpv": qpv or None,
        "canal": canal,
        "bilan_realise": bilan,
        "non_recours": "|".join(non_recours) or None,
        "nb_droits_non_recours": len(non_recours),
        "orientation": orientation,
        "droits_ouverts": "|".join(ouverts) or None,
        "date_suivi": suivi,
        "profil_menage": profil,
        "tranche_age": tranche,
        "_non_recours": non_recours,
        "_ouverts": ouverts,
    }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identify(records: list[dict], id_contacts: list[str], cle: bytes) -> None:
    """Set ``id_visite`` and ``id_contact_hash`` (see the dedupe key in the module docstring).

    Values derived from an ``id_contact`` are keyed hashes (:mod:`etl.pseudonymes`): a guessable
    pseudonym cannot be found again from the database by trying candidates.
    """
    seen: Counter = Counter()
    for record, id_contact in zip(records, id_contacts, strict=True):
        structure_key = fmt.normalise(record["structure"])
        if id_contact:
            record["id_contact_hash"] = pseudonymes.pseudonyme(cle, f"{structure_key}\x1f{id_contact}")
            record["id_visite"] = pseudonymes.pseudonyme(cle, f"contact\x1f{structure_key}\x1f{id_contact}")
            continue
        natural = "\x1f".join(
            str(record[k] if record[k] is not None else "")
            for k in (
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
        )
        natural = f"{structure_key}\x1f{natural}"
        seen[natural] += 1
        record["id_contact_hash"] = None
        record["id_visite"] = _sha(f"naturelle\x1f{natural}\x1f{seen[natural]}")


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
        When the file is refused whole (personal data, unknown column, unreadable).
    """
    fichier = fichier or path.name
    frame = fmt.read_table(path, fichier)
    mapping = fmt.map_headers(list(frame.columns), fichier)
    data = frame.rename(columns=mapping)
    for column in fmt.OPTIONAL:
        if column not in data.columns:
            data[column] = ""
    report = LoadReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
    report.lues = len(data)

    demo_deleted = _replace_demonstration(con, demonstration, log)
    codes = data["code_commune"].map(lambda c: c.zfill(5) if c.isdigit() and len(c) == 4 else c)
    placement = place_communes(con, codes)
    context = _context(con)
    records, id_contacts, bad_lines, reasons = [], [], [], []
    # plain dicts of str: much faster than DataFrame.to_dict on Arrow-backed strings
    names = list(data.columns)
    arrays = [data[c].to_numpy(dtype=object, na_value="") for c in names]
    rows = (dict(zip(names, values, strict=True)) for values in zip(*arrays, strict=True))
    for line, row, code_actuel, issue, code in zip(
        data.index,
        rows,
        placement["code_actuel"].to_numpy(dtype=object, na_value=None),
        placement["issue"].to_numpy(dtype=object),
        codes.to_numpy(dtype=object, na_value=""),
        strict=True,
    ):
        row["code_commune"] = code
        try:
            record = _validate_row(row, (code_actuel, issue), context)
        except _Reject as rejet:
            report.reject(line, rejet.colonne, rejet.valeur or None, rejet.motif)
            bad_lines.append(line)
            reasons.append(rejet)
            continue
        record["_ligne"] = line
        records.append(record)
        id_contacts.append(row["id_contact"])
    _identify(records, id_contacts, pseudonymes.cle(pseudonymes.dossier_de_la_base(con)))

    unique = {}
    for record in records:
        unique.setdefault(record["id_visite"], record)
    new = _absent_from_db(con, list(unique.values()))
    report.doublons = len(records) - len(new)
    report.chargees = len(new)
    _insert(con, new, fichier, demonstration)
    report.close()

    rejected = frame.loc[bad_lines].copy()
    rejected.insert(0, "motif", [r.motif for r in reasons])
    rejected.insert(0, "valeur", [r.valeur for r in reasons])
    rejected.insert(0, "colonne", [r.colonne for r in reasons])
    rejected.insert(0, "ligne", bad_lines)
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


def _absent_from_db(con, records: list[dict]) -> list[dict]:
    ids = pd.DataFrame({"id_visite": [r["id_visite"] for r in records]}, dtype=object)
    con.register("stg_visites_ids", ids)
    try:
        existing = {
            i for (i,) in con.execute("select id_visite from visites join stg_visites_ids using (id_visite)").fetchall()
        }
    finally:
        con.unregister("stg_visites_ids")
    return [r for r in records if r["id_visite"] not in existing]


_COLUMNS = (
    "id_visite",
    "id_contact_hash",
    "date_contact",
    "structure",
    "code_commune",
    "code_iris",
    "code_qpv",
    "canal",
    "bilan_realise",
    "non_recours",
    "nb_droits_non_recours",
    "orientation",
    "droits_ouverts",
    "date_suivi",
    "profil_menage",
    "tranche_age",
)


def _insert(con, records: list[dict], fichier: str, demonstration: bool) -> None:
    if not records:
        return
    stg = pd.DataFrame({c: [r[c] for r in records] for c in _COLUMNS}, dtype=object)
    stg["fichier"] = fichier
    stg["demonstration"] = demonstration
    con.register("stg_visites", stg)
    try:
        con.execute(
            """
            insert into visites by name
            select
                s.id_visite, s.id_contact_hash, cast(s.date_contact as date) as date_contact, s.structure,
                s.code_commune, t.code_epci, t.code_departement, s.code_iris, s.code_qpv, s.canal,
                cast(s.bilan_realise as boolean) as bilan_realise, s.non_recours,
                cast(s.nb_droits_non_recours as integer) as nb_droits_non_recours, s.orientation,
                s.droits_ouverts, cast(s.date_suivi as date) as date_suivi, s.profil_menage, s.tranche_age,
                s.fichier, cast(s.demonstration as boolean) as demonstration
            from stg_visites as s
            join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            """
        )
    finally:
        con.unregister("stg_visites")
    _insert_droits(con, records)


def _insert_droits(con, records: list[dict]) -> None:
    rows = [(r["id_visite"], d, "non_recours") for r in records for d in r["_non_recours"]]
    rows += [(r["id_visite"], d, "ouvert") for r in records for d in r["_ouverts"]]
    if rows:
        stg = pd.DataFrame(rows, columns=["id_visite", "droit", "type"], dtype=object)
        con.register("stg_visites_droits", stg)
        try:
            con.execute("insert into visites_droits select id_visite, droit, type from stg_visites_droits")
        finally:
            con.unregister("stg_visites_droits")


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of ``path`` are written: ``<file>.rejets.csv`` beside it."""
    return path.with_name(path.name + ".rejets.csv")


def write_rejects(path: Path, rejected: pd.DataFrame) -> Path | None:
    """Write the rejected rows beside the input (French CSV), or remove a stale rejects file."""
    target = rejects_path(path)
    if rejected.empty:
        target.unlink(missing_ok=True)
        return None
    # a rejected value such as « =HYPERLINK(...) » must not come back out as a live formula
    neutraliser_formules(rejected).to_csv(target, sep=";", index=False, encoding="utf-8-sig")
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
    from etl.atomic import copie_de_travail, tables
    from etl.checks import run_checks

    db_path, file = Path(db_path), Path(file)
    copy = None
    with copie_de_travail(db_path) as con:
        if "visites" not in tables(con):
            raise EtlError(f"la base {db_path.name} précède l'import des visites : relancer « python -m etl build »")
        con.execute("begin transaction")
        loaded = load_visits(con, file, demonstration=demonstration, log=log)
        loaded.report.save(con)
        run_checks(con)
        con.execute("commit")
        if not demonstration:
            copy = _keep_copy(db_path.parent / IMPORTS_SUBDIR, file)
    written = write_rejects(file, loaded.rejected)
    r = loaded.report
    result = ImportResult(r.fichier, r.lues, r.chargees, r.rejetees, r.doublons, loaded.demo_deleted, written, copy)
    log(
        f"{r.fichier} : {r.lues} lignes lues = {r.chargees} chargées + {r.rejetees} rejetées + {r.doublons} doublons"
        + (" (données de démonstration)" if demonstration else "")
    )
    if written:
        log(f"Lignes rejetées (ligne, colonne, valeur, motif) : {written}")
    if copy:
        log(f"Fichier conservé pour les reconstructions (etl build) : {copy}")
    return result


def _keep_copy(folder: Path, file: Path) -> Path:
    """Copy an imported file into the replay folder once (same content = same copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(file)[:12]
    for existing in folder.glob(f"*_{digest}_*"):
        return existing
    # A sortable prefix: the build replays files in the order they were first imported.
    rank = len([p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES]) + 1
    target = folder / f"{rank:04d}_{digest}_{file.name}"
    shutil.copyfile(file, target)
    return target


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

    imports = sorted(p for p in (db_path.parent / IMPORTS_SUBDIR).glob("*") if p.suffix.lower() in SUFFIXES)
    reports = []
    if imports:
        for path in imports:
            loaded = load_visits(con, path, log=log)
            write_rejects(path, loaded.rejected)
            reports.append(loaded.report)
        return reports
    demo = db_path.parent / DEMO_FILE
    write_demo(demo)
    log(f"  visites : aucun import réel, fichier de démonstration généré ({demo.name})")
    loaded = load_visits(con, demo, demonstration=True, log=log)
    write_rejects(demo, loaded.rejected)
    return [loaded.report]
