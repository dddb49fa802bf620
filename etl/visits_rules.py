"""Validation of the rows of a visit file: every rule, in the order a user reads the columns.

:func:`validate` applies every rule of the format (:mod:`etl.visits_format`) to every row and keeps,
for each row, the reason of the first rule it broke (column, value, why, in French), exactly as if
the rules ran one after the other on that row and stopped at the first failure. Rules are written
for one value and run once per *distinct* value of a column (:class:`_Distinct`): a visit file holds
a few canals, a few hundred dates, however many rows it has. A value that looks like a phone
number, an e-mail or a NIR, or that is overlong, rejects its row and is masked in the reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from commun import limites
from etl import visits_format as fmt
from etl.placement import place_communes

_IRIS = re.compile(r"\d[\dAB]\d{7}")


class _Reject(Exception):
    def __init__(self, colonne: str, valeur: str, motif: str):
        super().__init__(motif)
        self.colonne, self.valeur, self.motif = colonne, valeur, motif


def _date(column: str, text: str, today: date) -> date:
    value = fmt.parse_date(text)
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


class _Columns:
    """The columns of a visit file, each factorised once (row codes, distinct values) for every rule."""

    def __init__(self, data: pd.DataFrame):
        self.data, self._factorized = data, {}

    def factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """Per row the position of its value among the distinct values; the distinct values (str)."""
        if column not in self._factorized:
            codes, uniques = self.data[column].factorize()
            self._factorized[column] = (codes, np.asarray(uniques, dtype=object))
        return self._factorized[column]

    def empty(self, column: str) -> np.ndarray:
        """Per row: whether the cell is empty."""
        codes, uniques = self.factorized(column)
        return (uniques == "")[codes]


class _Distinct:
    """A rule applied once per distinct value of a column, its outcome spread back to every row.

    A column of a visit file holds few distinct values (a few canals, a few hundred dates): the
    rules written for one value run once per distinct value, not once per row.
    """

    def __init__(self, columns: _Columns, column: str, func: Callable[[str], object]):
        self.codes, uniques = columns.factorized(column)
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


class Rejections:
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


def _personal_values(columns: _Columns, rejects: Rejections) -> dict[str, np.ndarray]:
    """Reject the rows holding a phone number, an e-mail, a NIR or an overlong text, value masked.

    Returns
    -------
    dict
        Column -> per-row kind of personal data (None when clean), for masking the rejects file.
    """
    kinds = {}
    for column in fmt.COLUMNS:
        codes, uniques = columns.factorized(column)
        found = fmt.personal_value_kinds(uniques)[codes]
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
                    f"valeur trop longue ({len(uniques[codes[i]])} caractères ; "
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


def validate(data: pd.DataFrame, placement: pd.DataFrame, context: dict) -> tuple[Rejections, dict, dict]:
    """Check every row (rules in reading order, first problem wins) and compute the values to store.

    Returns
    -------
    (Rejections, dict, dict)
        The rejections; the values to store, column -> one array entry per row of ``data``
        (meaningful where the row is not rejected); the personal-data kinds found per column.
    """
    today = context["today"]
    rejects = Rejections(len(data))
    columns = _Columns(data)
    kinds = _personal_values(columns, rejects)
    empty = {column: columns.empty(column) for column in fmt.COLUMNS}

    rejects.add(empty["date_contact"], "date_contact", "", "date de contact vide")
    date_contact = _Distinct(columns, "date_contact", lambda t: _date("date_contact", t, today))
    rejects.add_rejects(date_contact)

    structure = _Distinct(columns, "structure", lambda t: re.sub(r"\s+", " ", t))
    rejects.add(structure.rows() == "", "structure", "", "structure vide")

    code_actuel, qpv = _check_place(data, placement, columns, rejects, empty, context)
    canal = _Distinct(columns, "canal", _canal)
    rejects.add(pd.isna(canal.rows()), "canal", data["canal"], f"canal inconnu (admis : {', '.join(fmt.CANAUX)})")
    bilan_ok, non_recours, orientation, ouverts = _check_rights(data, columns, rejects)

    suivi = _Distinct(columns, "date_suivi", lambda t: _date("date_suivi", t, today) if t else None)
    rejects.add_rejects(suivi)
    suivi_day = suivi.rows(_day, dtype="datetime64[D]")
    contact_day = date_contact.rows(_day, dtype="datetime64[D]")
    rejects.add(
        suivi_day < contact_day,  # NaT compares False: no follow-up date, nothing to compare
        "date_suivi",
        data["date_suivi"],
        "date de suivi antérieure à la date de contact",
    )
    profil, tranche = _check_household(data, columns, rejects, empty)

    values = {
        "date_contact": contact_day,
        "structure": structure.rows(),
        "structure_key": structure.rows(lambda s: fmt.normalise(s) if s is not None else None),
        "code_commune": code_actuel,
        "code_iris": data["code_iris"].to_numpy(dtype=object, na_value=None),
        "code_qpv": qpv.rows(),
        "canal": canal.rows(),
        "bilan_realise": bilan_ok,
        "non_recours": non_recours.rows(_joined),
        "nb_droits_non_recours": non_recours.rows(lambda c: len(c) if c is not None else 0, dtype=np.int32),
        "orientation": orientation.rows(),
        "droits_ouverts": ouverts.rows(_joined),
        "date_suivi": suivi_day,
        "profil_menage": profil.rows(),
        "tranche_age": tranche.rows(),
        "id_contact": data["id_contact"].to_numpy(dtype=object, na_value=""),
    }
    values["code_iris"][empty["code_iris"]] = None
    return rejects, values, kinds


def _check_place(data, placement, columns, rejects, empty, context) -> tuple[np.ndarray, _Distinct]:
    """Reject the rows whose commune, IRIS or QPV is empty, unknown or outside the region.

    Returns
    -------
    (numpy.ndarray, _Distinct)
        The current commune code of each row (None when unknown) and the QPV codes, upper-cased.
    """
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

    iris = _Distinct(columns, "code_iris", lambda t: not t or _IRIS.fullmatch(t) is not None)
    rejects.add(
        ~iris.rows(bool, dtype=bool),
        "code_iris",
        data["code_iris"],
        "code IRIS mal formé (9 caractères : code commune + 4 chiffres)",
    )
    qpv = _Distinct(columns, "code_qpv", lambda t: t.upper() or None)
    rejects.add(
        qpv.rows(lambda q: q is not None and q not in context["qpv"], dtype=bool),
        "code_qpv",
        data["code_qpv"],
        "code de quartier prioritaire inconnu (ni QPV 2015 ni QPV 2024)",
    )
    return code_actuel, qpv


def _canal(value: str) -> str | None:
    """The channel's code for a typed channel (an alias is accepted), None when unknown."""
    key = fmt.normalise(value)
    key = fmt.CANAL_ALIASES.get(key, key)
    return key if key in fmt.CANAUX else None


def _check_rights(data, columns, rejects) -> tuple[np.ndarray, _Distinct, _Distinct, _Distinct]:
    """Reject the rows whose rights review, non-recours, orientation or opened rights do not read.

    A non-recours or an opened right needs a rights review done (``bilan_realise``).

    Returns
    -------
    (numpy.ndarray, _Distinct, _Distinct, _Distinct)
        Whether the review was done, per row; the non-recours codes, the orientations and the
        opened rights' codes.
    """
    bilan = _Distinct(columns, "bilan_realise", _bool)
    rejects.add_rejects(bilan)
    bilan_ok = bilan.rows(lambda b: b is True, dtype=bool)

    non_recours = _Distinct(columns, "non_recours", lambda t: _codes("non_recours", t))
    rejects.add_rejects(non_recours)
    rejects.add(
        non_recours.rows(bool, dtype=bool) & ~bilan_ok,
        "non_recours",
        data["non_recours"],
        "non-recours renseigné sans bilan de droits réalisé",
    )
    orientation = _Distinct(columns, "orientation", _orientations)
    rejects.add_rejects(orientation)
    ouverts = _Distinct(columns, "droits_ouverts", lambda t: _codes("droits_ouverts", t))
    rejects.add_rejects(ouverts)
    rejects.add(
        ouverts.rows(bool, dtype=bool) & ~bilan_ok,
        "droits_ouverts",
        data["droits_ouverts"],
        "droits ouverts renseignés sans bilan de droits réalisé",
    )
    return bilan_ok, non_recours, orientation, ouverts


def _tranche(value: str) -> str | None:
    """The age band as stored (« 25-39 », « moins de 25 », « 65+ »), None when it does not read."""
    tranche = re.sub(r"\s+", " ", value.casefold().replace("–", "-").replace(" à ", "-"))
    return tranche.removesuffix(" ans") if fmt.TRANCHE_AGE.fullmatch(tranche) else None


def _check_household(data, columns, rejects, empty) -> tuple[_Distinct, _Distinct]:
    """Reject the rows whose household profile or age band is given but unknown.

    Returns
    -------
    (_Distinct, _Distinct)
        The household profiles and the age bands (None where empty).
    """
    admis = ", ".join(dict.fromkeys(fmt.PROFILS.values()))
    profil = _Distinct(columns, "profil_menage", lambda t: fmt.PROFILS.get(fmt.normalise(t)) if t else None)
    rejects.add(
        pd.isna(profil.rows()) & ~empty["profil_menage"],
        "profil_menage",
        data["profil_menage"],
        f"profil de ménage inconnu (admis : {admis})",
    )
    tranche = _Distinct(columns, "tranche_age", lambda t: _tranche(t) if t else None)
    rejects.add(
        pd.isna(tranche.rows()) & ~empty["tranche_age"],
        "tranche_age",
        data["tranche_age"],
        "tranche d'âge attendue (ex. « 25-39 », « moins de 25 », « 65+ »)",
    )
    return profil, tranche


def _joined(codes) -> str | None:
    """Benefit codes as stored, « | »-separated (None for no code)."""
    return "|".join(codes) or None if codes is not None else None


def context(con) -> dict:
    """What the rules check against in the database: today, the QPV codes (2015 and 2024), the region."""
    qpv = {c for (c,) in con.execute("select distinct code from valeurs where niveau = 'qpv'").fetchall()}
    for (codes,) in con.execute("select codes_qp from qpv_contours").fetchall():
        qpv.update(c.strip() for c in codes.split(","))
    region = con.execute("select code || ' ' || nom from territoires where niveau = 'region'").fetchall()[0]
    return {
        "today": date.today(),
        "qpv": qpv,
        "region": region[0] if region else "?",
    }


def place(con, codes: pd.Series) -> pd.DataFrame:
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
