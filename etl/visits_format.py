"""The visit outcome file format: columns, vocabularies, dates and the personal-data guard.

A visit file (CSV or XLSX) has one row per contacted household, anonymous (see DESIGN.md,
"Visit outcome format"). This module knows *what* a valid file looks like;
:mod:`etl.visits_reading` reads it, :mod:`etl.visits_rules` validates its rows and
:mod:`etl.visits` imports it.

Header names are matched after normalisation (case, accents, spaces, hyphens and apostrophes
folded to ``_``), and a few common aliases are accepted. Values of coded columns are matched the
same way (``Porte-à-porte`` → ``porte_a_porte``, ``Oui`` → true, ``C2S`` → ``CSS``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

import numpy as np
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

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


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


def personal_value_kinds(values: np.ndarray) -> np.ndarray:
    """:func:`personal_value_kind` of each value (object array, None when clean).

    Vectorised: one regular-expression pass (Arrow's RE2) over the values (a column's distinct
    values); the per-value function only runs on the few values that match.
    """
    text = pa.array(values, type=pa.string())
    suspect = pc.or_(
        pc.greater(pc.utf8_length(text), limites.TEXTE_LIBRE_MAX_CARACTERES),
        pc.match_substring_regex(text, _ANY_PERSONAL_VALUE),
    )
    kinds = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(suspect.to_numpy(zero_copy_only=False)):
        kinds[i] = personal_value_kind(values[i])
    return kinds


def masked(kind: str) -> str:
    """What the rejects show instead of a personal value (never the value itself)."""
    return f"[masqué : {kind}]"
