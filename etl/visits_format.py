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
import unicodedata
from pathlib import Path

import pandas as pd

from etl.errors import EtlError

REQUIRED = ("date_contact", "structure", "code_commune", "canal", "bilan_realise", "non_recours")
OPTIONAL = (
    "code_iris",
    "code_qpv",
    "orientation",
    "droits_ouverts",
    "date_suivi",
    "profil_menage",
    "tranche_age",
    "id_contact",
)
COLUMNS = REQUIRED + OPTIONAL

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


def _decode(raw: bytes) -> str:
    # UTF-8 (with or without BOM) first: cp1252 decodes almost anything, so it is the fallback.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_table(path: Path, fichier: str) -> pd.DataFrame:
    """Read a visit file as text cells (CSV ``;`` or ``,``, UTF-8 or cp1252; or XLSX).

    Every cell is a str ('' when empty); blank rows are dropped. The index is the line number
    as a spreadsheet shows it (header = line 1).

    Raises
    ------
    EtlError
        When the file cannot be read.
    """
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=fichier)
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, dtype=object, header=0)
            frame = frame.map(_cell_text)
        elif suffix in {".csv", ".txt"}:
            text = _decode(path.read_bytes())
            first = text.split("\n", 1)[0]
            sep = ";" if first.count(";") >= first.count(",") else ","
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
        else:
            raise EtlError("format non pris en charge : fournir un fichier .csv ou .xlsx", fichier=fichier)
    except EtlError:
        raise
    except Exception as exc:  # pandas / openpyxl raise many types for a broken file
        raise EtlError(f"fichier illisible ({exc})", fichier=fichier) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:  # column-wise: far faster than a cell-wise map on big files
        frame[column] = frame[column].astype(object).fillna("").astype(str).str.strip()
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    blank = (frame == "").all(axis=1)
    return frame.loc[~blank]


def _cell_text(value) -> str:
    # openpyxl gives datetimes for date cells and ints / floats for numbers.
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
