"""The visit outcome file format: columns, vocabularies, personal-data guard and tolerant reading.

A visit file (CSV or XLSX) has one row per contacted household, anonymous (see DESIGN.md,
"Visit outcome format"). This module knows *what* a valid file looks like; :mod:`etl.visits`
validates the rows and stores them.

Header names are matched after normalisation (case, accents, spaces, hyphens and apostrophes
folded to ``_``), and a few common aliases are accepted. Values of coded columns are matched the
same way (``Porte-à-porte`` → ``porte_a_porte``, ``Oui`` → true, ``C2S`` → ``CSS``).
"""

from __future__ import annotations

import functools
import io
import re
import time
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commun import limites
from commun.schema import VISITS_COLUMNS, VISITS_OPTIONAL, VISITS_REQUIRED
from etl.errors import EtlError

REQUIRED, OPTIONAL, COLUMNS = VISITS_REQUIRED, VISITS_OPTIONAL, VISITS_COLUMNS

# Normalised header -> column of the format (the column names themselves are added below).
HEADER_ALIASES = {
    "date": "date_contact",
    "date_du_contact": "date_contact",
    "date_de_contact": "date_contact",
    "commune": "code_commune",
    "code_insee": "code_commune",
    "code_insee_commune": "code_commune",
    "insee": "code_commune",
    "iris": "code_iris",
    "qpv": "code_qpv",
    "code_quartier": "code_qpv",
    "bilan": "bilan_realise",
    "bilan_de_droits": "bilan_realise",
    "droits_non_recours": "non_recours",
    "non_recours_detecte": "non_recours",
    "suivi": "date_suivi",
    "profil": "profil_menage",
    "age": "tranche_age",
    "identifiant": "id_contact",
    "id": "id_contact",
} | {c: c for c in COLUMNS}

CANAUX = ("porte_a_porte", "permanence", "espace_public", "evenement", "orientation_partenaire", "telephone")
CANAL_ALIASES = {"porte_porte": "porte_a_porte", "pap": "porte_a_porte", "evenementiel": "evenement"}

DROITS = ("RSA", "PA", "AL", "CHEQUE_ENERGIE", "CSS", "AAH", "ASPA", "AF", "AUTRE")
DROIT_ALIASES = {
    "prime_d_activite": "PA",
    "prime_activite": "PA",
    "ppa": "PA",
    "apl": "AL",
    "als": "AL",
    "alf": "AL",
    "aide_au_logement": "AL",
    "aides_au_logement": "AL",
    "cheque_energie": "CHEQUE_ENERGIE",
    "c2s": "CSS",
    "complementaire_sante_solidaire": "CSS",
    "prestations_familiales": "AF",
    "allocations_familiales": "AF",
}

ORIENTATIONS = {
    "caf": "CAF",
    "cpam": "CPAM",
    "msa": "MSA",
    "ccas": "CCAS",
    "france_travail": "France Travail",
    "pole_emploi": "France Travail",
    "france_services": "France Services",
    "departement": "Département",
    "conseil_departemental": "Département",
    "autre": "Autre",
}

PROFILS = {
    "personne_seule": "personne seule",
    "couple_sans_enfant": "couple sans enfant",
    "couple_avec_enfant": "couple avec enfant(s)",
    "couple_avec_enfants": "couple avec enfant(s)",
    "famille_monoparentale": "famille monoparentale",
    "monoparentale": "famille monoparentale",
    "autre": "autre",
}


def _with_labels(vocabulary: dict[str, str]) -> dict[str, str]:
    # The stored labels themselves are accepted too ("couple avec enfant(s)").
    return vocabulary | {normalise(label): label for label in vocabulary.values()}


# Age bands only (never an age or a birth date): "25-39", "moins de 25", "65 et plus", "65+".
TRANCHE_AGE = re.compile(r"(\d{2}-\d{2,3}|moins de \d{2}|\d{2} et plus|\d{2}\+)( ans)?")

OUI = {"oui", "o", "1", "vrai", "true", "yes", "x"}
NON = {"non", "n", "0", "faux", "false", "no"}


@functools.lru_cache(maxsize=8192)  # coded values repeat on every row of a file
def normalise(text: str) -> str:
    """Fold case and accents, turn every run of non-alphanumerics into ``_``.

    >>> normalise(" Date de Naissance ")
    'date_de_naissance'
    """
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    return re.sub(r"[^0-9a-z]+", "_", folded).strip("_")


PROFILS = _with_labels(PROFILS)
ORIENTATIONS = _with_labels(ORIENTATIONS)

# Tokens that identify a person whatever the rest of the header ("telephone_portable", "e_mail").
_PERSONAL_TOKENS = {
    "prenom": "prénom",
    "prenoms": "prénom",
    "firstname": "prénom",
    "telephone": "téléphone",
    "tel": "téléphone",
    "tel_portable": "téléphone",
    "portable": "téléphone",
    "mobile": "téléphone",
    "phone": "téléphone",
    "gsm": "téléphone",
    "email": "adresse électronique",
    "mail": "adresse électronique",
    "courriel": "adresse électronique",
    "adresse": "adresse postale",
    "address": "adresse postale",
    "rue": "adresse postale",
    "naissance": "date de naissance",
    "ddn": "date de naissance",
    "dob": "date de naissance",
    "birth": "date de naissance",
    "birthdate": "date de naissance",
    "nir": "numéro de sécurité sociale (NIR)",
    "nss": "numéro de sécurité sociale (NIR)",
    "secu": "numéro de sécurité sociale (NIR)",
    "securite": "numéro de sécurité sociale (NIR)",
}
# Fragments found anywhere in the header once separators are removed ("numerotelephone").
_PERSONAL_FRAGMENTS = (
    ("telephone", "téléphone"),
    ("courriel", "adresse électronique"),
    ("mail", "adresse électronique"),
    ("adresse", "adresse postale"),
    ("naissance", "date de naissance"),
    ("securitesociale", "numéro de sécurité sociale (NIR)"),
    ("prenom", "prénom"),
    ("firstname", "prénom"),
    ("lastname", "nom"),
    ("fullname", "nom"),
)
_NAME_TOKENS = {"nom", "noms", "name", "surname", "lastname", "patronyme"}
# "nom_commune" or "nom_structure" name a place or an organisation, not a person.
_NOT_A_PERSON = {"commune", "structure", "quartier", "qpv", "iris", "epci", "departement", "ville", "organisme"}


def personal_data_kind(header: str) -> str | None:
    """What personal data a column header announces, or None.

    Parameters
    ----------
    header : str
        A column name as written in the file (any case, accents, separators).

    Returns
    -------
    str or None
        A French description (« nom », « téléphone »...) when the column identifies a person.
    """
    norm = normalise(header)
    tokens = set(norm.split("_"))
    joined = norm.replace("_", "")
    for token, kind in _PERSONAL_TOKENS.items():
        if token in tokens:
            return kind
    for fragment, kind in _PERSONAL_FRAGMENTS:
        if fragment in joined:
            return kind
    if joined in {"nele", "datenais", "datnais", "numsecu", "nirpp"}:
        return "date de naissance" if joined.startswith(("ne", "dat")) else _PERSONAL_TOKENS["nir"]
    if tokens & _NAME_TOKENS and not tokens & _NOT_A_PERSON:
        return "nom"
    return None


def map_headers(headers: list[str], fichier: str) -> dict[str, str]:
    """Check the header row and map each header to a column of the format.

    Refuses the whole file (before anything is stored) when a column identifies a person, when a
    column is unknown (a free column, e.g. « commentaire », may hold names: refusing is the safe
    choice), when a column appears twice or when a required column is missing.

    Returns
    -------
    dict
        Header as written -> column of the format.

    Raises
    ------
    EtlError
    """
    mapping: dict[str, str] = {}
    for header in headers:
        kind = personal_data_kind(header)
        if kind is not None:
            raise EtlError(
                f"données personnelles interdites : la colonne identifie une personne ({kind}). "
                "Le fichier est refusé en entier et rien n'a été enregistré ; retirez cette colonne "
                "(les visites doivent être anonymes, seul un identifiant pseudonyme « id_contact » est admis).",
                fichier=fichier,
                colonne=header,
            )
    for header in headers:
        column = HEADER_ALIASES.get(normalise(header))
        if column is None:
            raise EtlError(
                "colonne inconnue : le fichier est refusé en entier (une colonne libre peut contenir des "
                f"données personnelles). Colonnes admises : {', '.join(COLUMNS)}.",
                fichier=fichier,
                colonne=header,
            )
        if column in mapping.values():
            raise EtlError(f"colonne en double (deux colonnes désignent « {column} »)", fichier=fichier, colonne=header)
        mapping[header] = column
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise EtlError(f"colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}", fichier=fichier)
    return mapping


# Personal data written in a cell (the header guard cannot see them): a French phone number
# (« 06 12 34 56 78 », « +33 6 12 34 56 78 », « 0033 (0)6… »), an e-mail address, a NIR (13 or 15
# digits, spaces or dots allowed; « 2A »/« 2B » for Corsica). The patterns are RE2-compatible (no
# look-behind): pandas runs them on Arrow strings, one pass per column.
_TELEPHONE = r"(?:^|[^0-9])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[ .\-]?[0-9]{2}){4}(?:[^0-9]|$)"
_COURRIEL = r"[^\s@]+@[^\s@]+\.[^\s@]{2,}"
_NIR = r"(?:^|[^0-9])[0-9](?:[ .]?[0-9]){4}[ .]?(?:[0-9]{2}|2[AaBb])(?:[ .]?[0-9]){6}(?:(?:[ .]?[0-9]){2})?(?:[^0-9]|$)"
_PERSONAL_VALUES = (
    (re.compile(_COURRIEL), "adresse électronique"),
    (re.compile(_TELEPHONE), "numéro de téléphone"),
    (re.compile(_NIR), "numéro de sécurité sociale (NIR)"),
)
_ANY_PERSONAL_VALUE = "|".join(f"(?:{p.pattern})" for p, _kind in _PERSONAL_VALUES)
TOO_LONG = "texte trop long"


def personal_value_kind(value: str) -> str | None:
    """What personal data a cell holds (phone number, e-mail, NIR), or « texte trop long », or None.

    A value longer than :data:`commun.limites.TEXTE_LIBRE_MAX_CARACTERES` is refused too: no value of
    the format is that long, and a free text may hold a name or an address.

    >>> personal_value_kind("Mme X 06 12 34 56 78")
    'numéro de téléphone'
    >>> personal_value_kind("Association Horizon") is None
    True
    """
    if len(value) > limites.TEXTE_LIBRE_MAX_CARACTERES:
        return TOO_LONG
    for pattern, kind in _PERSONAL_VALUES:
        if pattern.search(value):
            return kind
    return None


def personal_value_kinds(values: pd.Series) -> np.ndarray:
    """:func:`personal_value_kind` of every cell of a column (object array, None when clean).

    Vectorised: one regular-expression pass (Arrow's RE2) over the column's distinct values; the
    per-value function only runs on the few cells that match.
    """
    codes, uniques = values.factorize()
    distinct = uniques.to_numpy(dtype=object)
    text = pa.array(distinct, type=pa.string())
    suspect = pc.or_(
        pc.greater(pc.utf8_length(text), limites.TEXTE_LIBRE_MAX_CARACTERES),
        pc.match_substring_regex(text, _ANY_PERSONAL_VALUE),
    )
    kinds = np.full(len(distinct), None, dtype=object)
    for i in np.flatnonzero(suspect.to_numpy(zero_copy_only=False)):
        kinds[i] = personal_value_kind(distinct[i])
    return kinds[codes]


def masked(kind: str) -> str:
    """What the rejects show instead of a personal value (never the value itself)."""
    return f"[masqué : {kind}]"


def _decode(raw: bytes) -> str:
    # UTF-8 (with or without BOM) first: cp1252 decodes almost anything, so it is the fallback.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


_MO = 1024 * 1024  # Streamlit's maxUploadSize counts megabytes of 1 048 576 bytes


def _too_big(fichier: str, what: str, limit: str, ligne: int | None = None) -> EtlError:
    return EtlError(
        f"{what} : le fichier est refusé en entier, avant d'être analysé (limite : {limit}). "
        "Un fichier de visites tient en quelques milliers de lignes courtes ; découpez-le ou vérifiez son contenu.",
        fichier=fichier,
        ligne=ligne,
    )


def read_table(path: Path, fichier: str) -> pd.DataFrame:
    """Read a visit file as text cells (CSV ``;`` or ``,``, UTF-8 or cp1252; or XLSX), within limits.

    Every cell is a str ('' when empty); blank rows are dropped. The index is the line number
    as a spreadsheet shows it (header = line 1). The limits of :mod:`commun.limites` (file size, rows,
    fields per line, line and cell length, uncompressed size of an XLSX) are checked before the
    parser runs, or while it runs for what only parsing reveals.

    Raises
    ------
    EtlError
        When the file cannot be read or exceeds a limit (the message names the line and the limit).
    """
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=fichier)
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv", ".txt"}:
        raise EtlError("format non pris en charge : fournir un fichier .csv ou .xlsx", fichier=fichier)
    size = path.stat().st_size
    if size > limites.FICHIER_MAX_MO * _MO:
        raise _too_big(fichier, f"fichier trop volumineux ({size / _MO:.1f} Mo)", f"{limites.FICHIER_MAX_MO} Mo")
    try:
        frame = _read_xlsx(path, fichier) if suffix in {".xlsx", ".xlsm"} else _read_csv(path, fichier)
    except EtlError:
        raise
    except Exception as exc:  # pandas / openpyxl raise many types for a broken file
        raise EtlError(f"fichier illisible ({exc})", fichier=fichier) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:  # column-wise: far faster than a cell-wise map on big files
        frame[column] = frame[column].astype("str").fillna("").str.strip()
    _check_cells(frame, fichier)
    blank = (frame == "").all(axis=1)
    return frame.loc[~blank]


def _read_csv(path: Path, fichier: str) -> pd.DataFrame:
    text = _decode(path.read_bytes())
    lines = text.splitlines()
    if len(lines) - 1 > limites.LIGNES_MAX:
        raise _too_big(
            fichier,
            f"trop de lignes ({limites.nombre(len(lines) - 1)} lignes de données)",
            f"{limites.nombre(limites.LIGNES_MAX)} lignes",
            ligne=limites.LIGNES_MAX + 2,
        )
    longest = max(map(len, lines), default=0)
    if longest > limites.LIGNE_MAX_CARACTERES:
        ligne = next(i for i, line in enumerate(lines, start=1) if len(line) > limites.LIGNE_MAX_CARACTERES)
        raise _too_big(
            fichier,
            f"ligne trop longue ({limites.nombre(len(lines[ligne - 1]))} caractères)",
            f"{limites.nombre(limites.LIGNE_MAX_CARACTERES)} caractères par ligne",
            ligne=ligne,
        )
    first = lines[0] if lines else ""
    sep = ";" if first.count(";") >= first.count(",") else ","
    # Data lines cannot be wider than the header: the C parser refuses them (« Expected n fields »).
    if first.count(sep) + 1 > limites.CHAMPS_MAX:
        raise _too_big(
            fichier, f"en-tête trop large ({first.count(sep) + 1} colonnes)", f"{limites.CHAMPS_MAX} colonnes", ligne=1
        )
    del lines
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        wider = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if wider is None:
            raise
        attendus, ligne, vus = (int(n) for n in wider.groups())
        raise EtlError(
            f"ligne plus large que l'en-tête ({vus} valeurs pour {attendus} colonnes) : le fichier est refusé en "
            f"entier (un « {sep} » de trop dans une valeur ? mettez-la entre guillemets)",
            fichier=fichier,
            ligne=ligne,
        ) from exc
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _read_xlsx(path: Path, fichier: str) -> pd.DataFrame:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise EtlError("fichier illisible (ce n'est pas un classeur .xlsx valide)", fichier=fichier) from exc
    # Declared sizes are binding: zipfile never inflates a member beyond its declared size.
    declared = sum(m.file_size for m in members)
    if declared > limites.XLSX_DECOMPRESSE_MAX_MO * _MO:
        raise _too_big(
            fichier,
            f"classeur trop volumineux une fois décompressé ({declared / _MO:,.0f} Mo)".replace(",", " "),
            f"{limites.XLSX_DECOMPRESSE_MAX_MO} Mo décompressés",
        )
    for member in members:
        if member.file_size > _MO and member.file_size > limites.XLSX_RATIO_MAX * max(member.compress_size, 1):
            raise _too_big(
                fichier,
                f"classeur anormalement compressé ({member.filename} : {member.file_size // max(member.compress_size, 1)} "
                "fois plus gros une fois décompressé)",
                f"un rapport de {limites.XLSX_RATIO_MAX}",
            )
    deadline = time.monotonic() + limites.DUREE_MAX_S
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) - 1 > limites.LIGNES_MAX:  # the sheet's declared dimension, when present
            raise _too_big(
                fichier,
                f"trop de lignes ({limites.nombre(sheet.max_row - 1)} lignes de données)",
                f"{limites.nombre(limites.LIGNES_MAX)} lignes",
                ligne=limites.LIGNES_MAX + 2,
            )
        rows = []
        for ligne, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if ligne > limites.LIGNES_MAX + 1:
                raise _too_big(fichier, "trop de lignes", f"{limites.nombre(limites.LIGNES_MAX)} lignes", ligne=ligne)
            if ligne % 1000 == 0 and time.monotonic() > deadline:
                raise EtlError(
                    f"lecture du classeur trop longue (plus de {limites.DUREE_MAX_S} s) : le fichier est refusé",
                    fichier=fichier,
                    ligne=ligne,
                )
            cells = [_cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if len(cells) > limites.CHAMPS_MAX:
                raise _too_big(
                    fichier, f"ligne trop large ({len(cells)} cellules)", f"{limites.CHAMPS_MAX} colonnes", ligne=ligne
                )
            rows.append(cells)
    finally:
        book.close()
    header = rows[0] if rows else []
    width = max(map(len, rows), default=0)
    names, seen = [], {}
    for i in range(width):
        name = header[i] if i < len(header) and header[i] else f"Unnamed: {i}"
        seen[name] = seen.get(name, -1) + 1
        names.append(name if not seen[name] else f"{name}.{seen[name]}")
    body = [cells + [""] * (width - len(cells)) for cells in rows[1:]]
    frame = pd.DataFrame(body, columns=names, dtype="str")
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # every sheet row, blank ones included
    return frame


def _check_cells(frame: pd.DataFrame, fichier: str) -> None:
    for column in frame.columns:
        lengths = frame[column].str.len().to_numpy(dtype=np.int64, na_value=0)
        if len(lengths) and lengths.max() > limites.CELLULE_MAX_CARACTERES:
            position = int(np.argmax(lengths > limites.CELLULE_MAX_CARACTERES))
            raise EtlError(
                f"cellule trop longue ({limites.nombre(int(lengths[position]))} caractères) : le fichier est refusé "
                f"en entier (limite : {limites.nombre(limites.CELLULE_MAX_CARACTERES)} caractères par cellule)",
                fichier=fichier,
                ligne=int(frame.index[position]),
                colonne=column,
            )


def _cell_text(value) -> str:
    # openpyxl gives datetimes for date cells and ints / floats for numbers.
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
