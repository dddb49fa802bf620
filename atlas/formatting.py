"""French number formatting: ``21 450 €``, ``17,0 %``, ``1 228``.

Thousands are separated by a no-break space (U+00A0), as in French typography, so that a number
never wraps across two lines; the unit follows after a no-break space too.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
#: Narrow no-break space (U+202F): the thousands separator of a value in a narrow table cell.
NNBSP = "\u202f"
#: A missing value in a table (Streamlit would write « None »).
MANQUANT = "—"
#: The minus sign of French typography (U+2212): a hyphen (« -16,4 % ») reads as a dash.
MOINS = "\u2212"

#: Units that name a kind of number rather than a unit: a ratio (« 3,7 ») or an index such as the
#: Gini index (« 0,29 ») carry no word after their value; table headers and legend titles name them.
SANS_MOT = ("rapport", "indice")


def decimales(unite: str | None) -> int:
    """Decimals printed for a unit, the same for every value of a column or a legend.

    One for rates, ratios and points, two for an index (a Gini index between 0 and 1: « 0,29 »,
    where one decimal would say « 0,3 » for the whole region), none otherwise.

    Examples
    --------
    >>> decimales("%"), decimales("indice"), decimales("€")
    (1, 2, 0)
    """
    if unite == "indice":
        return 2
    return 1 if unite in ("%", "rapport", "pts") else 0


def format_nombre(value, decimales: int = 0, unite: str | None = None, manquant: str = "—") -> str:
    """Format a number the French way.

    Parameters
    ----------
    value : float or int or None
        The number; ``None`` / NaN give ``manquant``.
    decimales : int
        Digits after the decimal comma.
    unite : str, optional
        Unit appended after a no-break space (``%``, ``€``, ``hab./km²``).
    manquant : str
        Text for a missing value.

    Examples
    --------
    >>> format_nombre(21450, unite="€")
    '21\\xa0450\\xa0€'
    >>> format_nombre(17, 1, "%")
    '17,0\\xa0%'
    >>> format_nombre(1, unite="sites"), format_nombre(3, unite="sites")
    ('1\\xa0site', '3\\xa0sites')
    >>> format_nombre(-16.4, 1, "%"), format_nombre(3.71, 1, "rapport")
    ('\u221216,4\\xa0%', '3,7')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return manquant
    try:
        import pandas as pd

        if pd.isna(value):
            return manquant
    except (TypeError, ValueError):
        pass
    # half-up rounding, as readers expect (6,25 → 6,3), on the shortest decimal repr of the float
    arrondi = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    text = f"{arrondi:,.{decimales}f}".replace(",", NBSP).replace(".", ",")
    if text.startswith("-"):
        # no "-0,0"; a real minus sign otherwise
        text = text[1:] if float(text[1:].replace(NBSP, "").replace(",", ".")) == 0 else MOINS + text[1:]
    if unite in SANS_MOT:
        unite = None
    if unite in SINGULIERS and abs(arrondi) < 2:
        unite = SINGULIERS[unite]  # French: singular under 2 (« 0 site », « 1,5 ménage »)
    return f"{text}{NBSP}{unite}" if unite else text


# Units that are plural nouns, and their singular.
SINGULIERS = {"ménages": "ménage", "personnes": "personne", "foyers": "foyer", "droits": "droit", "sites": "site"}


def format_rang(rang, total) -> str:
    """A rank among a total, French style: ``136 / 1 227`` (no-break spaces), ``—`` when unknown.

    Examples
    --------
    >>> format_rang(136, 1227)
    '136\\xa0/\\xa01\\xa0227'
    """
    import pandas as pd

    if pd.isna(rang) or pd.isna(total):  # None, NaN or pandas' NA (a nullable integer column)
        return "—"
    return f"{format_nombre(int(rang))}{NBSP}/{NBSP}{format_nombre(int(total))}"


def pour_cellule_etroite(texte):
    """A formatted value for a narrow table cell: its numbers never break, its line may.

    A cell narrower than « 141 228 ménages » must wrap somewhere; with no-break spaces everywhere
    the browser could only break inside the number. Here the thousands keep a narrow no-break space
    (U+202F, narrower too), while a word unit (« ménages », « foyers », « km ») may go to the next
    line, as may the total after a rank's slash; « % » and « € » stay with their number.

    Examples
    --------
    >>> pour_cellule_etroite(format_nombre(141228, unite="ménages"))
    '141\u202f228 ménages'
    >>> pour_cellule_etroite(format_rang(172, 1207)), pour_cellule_etroite(format_nombre(24170, unite="€"))
    ('172\xa0/ 1\u202f207', '24\u202f170\xa0€')
    """
    if not isinstance(texte, str):  # a table's other cells (numbers, missing) stay as they are
        return texte
    texte = re.sub(r"(?<=\d)\u00a0(?=\d)", NNBSP, texte)
    texte = re.sub(r"(?<=\d)\u00a0(?=[^\W\d_]{2,})", " ", texte)
    return texte.replace(f"{NBSP}/{NBSP}", f"{NBSP}/ ")


#: Nouns the atlas counts that are feminine: « aucune commune », but « aucun EPCI ».
FEMININS = {"commune", "vue", "ligne", "zone", "personne", "structure", "visite", "cible", "source", "valeur"}


def accord(nombre: int, singulier: str, pluriel: str | None = None, *, majuscule: bool = False) -> str:
    """A count and its noun as French writes it: « aucune commune », « 1 vue », « 1 228 communes ».

    Singular under 2; none is said in words (« 0 communes » reads as a glitch), with the gender
    of the noun's first word (:data:`FEMININS`).

    Parameters
    ----------
    nombre : int
        The count.
    singulier, pluriel : str
        The noun (plural: ``singulier + "s"`` by default).
    majuscule : bool
        Capital first letter (the count starts a sentence or a title).

    Examples
    --------
    >>> accord(1, "vue"), accord(1228, "commune")
    ('1\\xa0vue', '1\\xa0228\\xa0communes')
    >>> accord(0, "commune", majuscule=True), accord(0, "EPCI", "EPCI")
    ('Aucune commune', 'aucun EPCI')
    """
    if nombre == 0:
        texte = f"{'aucune' if singulier.split()[0] in FEMININS else 'aucun'} {singulier}"
    else:
        mot = singulier if abs(nombre) < 2 else (pluriel or singulier + "s")
        texte = f"{format_nombre(nombre)}{NBSP}{mot}"
    return texte[:1].upper() + texte[1:] if majuscule else texte


def libelle_avec_unite(libelle: str, unite: str | None) -> str:
    """An indicator's label followed by its unit in parentheses, unless the label already gives it.

    The unit is appended only when no parenthesis of the label holds it already (as a word of its
    own) and the label does not end with it, so that titles, legends and column headers never say
    it twice.

    Examples
    --------
    >>> libelle_avec_unite("Part des ménages sans voiture", "%")
    'Part des ménages sans voiture (%)'
    >>> libelle_avec_unite("Taux de pauvreté (seuil à 60 %)", "%")
    'Taux de pauvreté (seuil à 60 %)'
    >>> libelle_avec_unite("Non-recours potentiel pour 100 ménages", "pour 100 ménages")
    'Non-recours potentiel pour 100 ménages'
    """
    if not unite:
        return libelle
    mot = rf"(?<!\w){re.escape(unite)}(?!\w)"
    entre_parentheses = re.findall(r"\(([^()]*)\)", libelle)
    if any(re.search(mot, texte) for texte in entre_parentheses) or re.search(mot + r"\s*$", libelle):
        return libelle
    return f"{libelle} ({unite})"


MOIS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
# abbreviations of the Imprimerie nationale (« janv. », « févr. »...), as plotly's own are English
MOIS_COURTS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def format_date_fr(value) -> str:
    """``2024-08-01`` → ``1er août 2024``."""
    import datetime as dt

    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    jour = "1er" if value.day == 1 else str(value.day)
    return f"{jour} {MOIS[value.month - 1]} {value.year}"


def format_mois_fr(cle: str, court: bool = False) -> str:
    """``2024-01`` → ``janvier 2024`` (``court`` : ``janv. 2024``), for time axes and their hover."""
    annee, mois = cle[:4], int(cle[5:7])
    return f"{(MOIS_COURTS if court else MOIS)[mois - 1]} {annee}"


def graduations_mensuelles(cles: list[str], nombre: int = 8) -> dict:
    """Plotly axis settings naming every few months in French (plotly writes « Jan 2024 » otherwise).

    Parameters
    ----------
    cles : list of str
        The months shown, ``YYYY-MM``, in order.
    nombre : int
        About how many graduations to write (every 1, 2, 3, 6 or 12 months).

    Returns
    -------
    dict
        ``tickvals`` / ``ticktext`` for ``update_xaxes``.
    """
    pas = next((p for p in (1, 2, 3, 6, 12) if len(cles) <= p * nombre), 12)
    # graduations on the months of the calendar's rhythm (January, April... for a quarter)
    valeurs = [c for c in cles if (int(c[5:7]) - 1) % pas == 0]
    return {"tickvals": valeurs, "ticktext": [format_mois_fr(c, court=True) for c in valeurs]}


# What Streamlit's Markdown (GitHub-flavoured, plus $ for LaTeX) would interpret in a cell: inline
# marks anywhere, and a heading or list mark at the start.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>$~|])")
_DEBUT = re.compile(r"^(\s*)([#+\-]|\d+[.)])")


def texte_litteral(frame):
    """A copy of a table whose texts (cells and headers) show as typed in ``st.table``.

    ``st.table`` reads every cell as Markdown: a label holding ``*``, ``_`` or ``$`` would turn
    into emphasis or a formula, a leading ``-`` or ``1.`` into a list. Those marks are escaped with a
    backslash (which the table does not show).

    Parameters
    ----------
    frame : DataFrame
        Table of texts (numbers are left as they are).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> texte_litteral(pd.DataFrame({"a*": ["1 $ et 2 $", 3]})).iloc[0, 0]
    '1 \\\\$ et 2 \\\\$'
    """

    def litteral(valeur):
        if not isinstance(valeur, str):
            return valeur
        return _DEBUT.sub(lambda m: m.group(1) + "\\" + m.group(2), _MARKDOWN.sub(r"\\\1", valeur))

    out = frame.map(litteral)
    out.columns = [litteral(c) for c in frame.columns]
    return out


# a mark ending its word (« : » then a space): « :material/info: » and « http://… » stay whole
_ESPACE_AVANT = re.compile(r"(?<=\S)[ \t]+(?=[;:!?](?:\s|$|[)\].,*_])|[»%])")
_ESPACE_APRES = re.compile(r"«[ \t]+")


def espaces_insecables(texte: str) -> str:
    """A French text whose punctuation never starts a line: no-break spaces before « ; : ! ? » % » and after « « ».

    French typography puts a space before these marks; an ordinary one lets the browser wrap the
    line there and start the next with « ; » or « % ». A mark glued to the next word (an icon's
    « :material/info: », a URL) is left as it is.

    Examples
    --------
    >>> espaces_insecables("ci-dessous ; un fichier : « oui »")
    'ci-dessous\\xa0; un fichier\\xa0: «\\xa0oui\\xa0»'
    """
    return _ESPACE_APRES.sub("«" + NBSP, _ESPACE_AVANT.sub(NBSP, texte))
