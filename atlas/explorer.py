"""Logic of the « Explorer les indicateurs » page: URL state, French texts for hover and table.

Kept out of the page so that it can be tested without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

import pandas as pd

from atlas.classification import METHODES
from atlas.formatting import decimales, format_nombre
from atlas.statuts import colonnes, texte_comptes, textes_valeurs

INDICATEUR_PAR_DEFAUT = "taux_pauvrete"
STATUT_LIBELLES = {
    "ok": "Disponible",
    "estime": "Estimation de l'atlas",
    "secret": "Secret statistique",
    "absent": "Non disponible",
}
#: The first view answers « où est la pauvreté ? » with published figures only: the EPCI level.
NIVEAU_PAR_DEFAUT = "epci"
#: Session key of the block of the page's table (open or closed, kept from run to run and mode to mode).
TABLEAU_OUVERT = "tableau_explorer"
#: Title of that block: one text whatever the view (Streamlit closes an expander whose title changes).
TITRE_TABLEAU = "Tableau des territoires : tri, recherche, plein écran"


@dataclass
class EtatExplorer:
    """What the explorer shows; it lives in the URL so that a copied link reopens the same view."""

    indicateur: str
    niveau: str
    millesime: str
    methode: str = "quantiles"
    classes: int = 5
    code: str | None = None  # selected territory
    qpv: bool = False  # QPV contours drawn over the map
    estimations: bool = True  # the atlas's estimates of secret values shown (switch off: secret)
    mode: str = "niveau"  # « niveau » (one millésime) or « evolution » (change from ``debut`` to ``millesime``)
    debut: str | None = None  # first millésime of a change (évolution mode only)
    #: What the link asked for and could not be shown, with what replaced it (« classes=99 → 7 »)
    remplacements: tuple[str, ...] = field(default=(), compare=False)

    def vers_params(self) -> dict[str, str]:
        """Query parameters (only the non-empty ones; booleans as 1)."""
        out = {}
        for k, v in asdict(self).items():
            if k == "remplacements":
                continue
            if k in ("mode", "debut"):
                if self.mode == "evolution" and v:
                    out[k] = str(v)  # the level map is the default: its URL stays as before
                continue
            if k == "estimations":
                if v is False:
                    out[k] = "0"  # on by default: only the switch turned off is written
                continue
            if v in (None, "", False):
                continue
            out[k] = "1" if v is True else str(v)
        return out


def lire_etat(
    params: Mapping[str, str], catalogue: pd.DataFrame, niveaux_de, millesimes_de, evolutions: Mapping | None = None
) -> EtatExplorer:
    """Read the explorer state from URL query parameters, replacing anything invalid by a default.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` (or any str → str mapping).
    catalogue : DataFrame
        The indicator catalogue (``code`` column), restricted to mappable indicators.
    niveaux_de : callable
        ``code -> list of mappable levels``.
    millesimes_de : callable
        ``(code, niveau) -> list of millésimes, latest first``.
    evolutions : mapping, optional
        ``code -> {niveau: millésimes (latest first)}`` where an indicator has two or more
        millésimes (:func:`atlas.evolutions.millesimes_evolution`): the évolution mode
        (``mode=evolution``) is read only when given, and is restricted to these.
    """
    if params.get("mode") == "evolution" and evolutions:
        return _lire_etat_evolution(params, catalogue, evolutions)
    codes = catalogue["code"].tolist()
    remplacements, remplacer = _remplacements(params)

    indicateur = params.get("indicateur")
    if indicateur not in codes:
        indicateur = INDICATEUR_PAR_DEFAUT if INDICATEUR_PAR_DEFAUT in codes else codes[0]
        remplacer("indicateur", indicateur)
    niveaux = niveaux_de(indicateur)
    niveau = params.get("niveau")
    if niveau not in niveaux:
        niveau = NIVEAU_PAR_DEFAUT if NIVEAU_PAR_DEFAUT in niveaux else niveaux[0]
        remplacer("niveau", niveau)
    millesimes = millesimes_de(indicateur, niveau)
    millesime = params.get("millesime")
    if millesime not in millesimes:
        millesime = millesimes[0]
        remplacer("millesime", millesime)
    methode = params.get("methode")
    if methode not in METHODES:
        methode = "quantiles"
        remplacer("methode", methode)
    try:
        demandees = int(params.get("classes", 5))
        classes = min(7, max(3, demandees))
        if classes != demandees:
            remplacer("classes", classes)
    except ValueError:
        classes = 5
        remplacer("classes", classes)
    return EtatExplorer(
        indicateur, niveau, millesime, methode, classes, **_options(params), remplacements=tuple(remplacements)
    )


def _options(params: Mapping[str, str]) -> dict:
    """What both modes read alike: the selected territory, the QPV contours, the estimates' switch."""
    return {
        "code": params.get("code") or None,
        "qpv": params.get("qpv") == "1",
        "estimations": params.get("estimations") != "0",
    }


def _remplacements(params: Mapping[str, str]) -> tuple[list[str], Callable[[str, object], None]]:
    """A list of replacements and the function that records one, for what the link did ask only."""
    remplacements: list[str] = []

    def remplacer(cle: str, par) -> None:
        # an absent parameter simply takes its default
        if params.get(cle) not in (None, ""):
            remplacements.append(f"{cle}={params.get(cle)} remplacé par {par}")

    return remplacements, remplacer


def _lire_etat_evolution(params: Mapping[str, str], catalogue: pd.DataFrame, evolutions: Mapping) -> EtatExplorer:
    """The évolution mode's state: an indicator, a level and two millésimes that exist, ``debut`` before ``millesime``.

    What the link asked for and cannot be shown is replaced, and said (« Lien incomplet »), as in
    the millésime mode: a stale link to a change once fell back silently.
    """
    from atlas.evolutions import INDICATEUR_PAR_DEFAUT as DEFAUT_EVOLUTION

    remplacements, remplacer = _remplacements(params)
    codes = [c for c in catalogue["code"] if evolutions.get(c)]
    indicateur = params.get("indicateur")
    if indicateur not in codes:
        indicateur = DEFAUT_EVOLUTION if DEFAUT_EVOLUTION in codes else codes[0]
        remplacer("indicateur", indicateur)
    par_niveau = evolutions[indicateur]
    niveau = params.get("niveau")
    if niveau not in par_niveau:
        niveau = NIVEAU_PAR_DEFAUT if NIVEAU_PAR_DEFAUT in par_niveau else next(iter(par_niveau))
        remplacer("niveau", niveau)
    millesimes = par_niveau[niveau]  # latest first
    millesime = params.get("millesime")
    if millesime not in millesimes[:-1]:
        millesime = millesimes[0]
        remplacer("millesime", millesime)
    debut = params.get("debut")
    if debut not in millesimes or debut >= millesime:
        debut = millesimes[-1]  # the earliest: the longest change
        remplacer("debut", debut)
    methode = params.get("methode")
    if methode not in METHODES:
        methode = "quantiles"
        remplacer("methode", methode)
    # even: 0 is a bound of the classes
    classes = 4 if params.get("classes") == "4" else 6
    if params.get("classes") not in ("4", "6"):
        remplacer("classes", classes)
    return EtatExplorer(
        indicateur,
        niveau,
        millesime,
        methode,
        classes,
        **_options(params),
        mode="evolution",
        debut=debut,
        remplacements=tuple(remplacements),
    )


def message_lien_incomplet(remplacements) -> str | None:
    """One line saying what a stale or mistyped link asked for and what is shown instead.

    Examples
    --------
    >>> message_lien_incomplet(["classes=99 remplacé par 7"])
    'Lien incomplet : classes=99 remplacé par 7.'
    >>> message_lien_incomplet([]) is None
    True
    """
    return f"Lien incomplet : {' ; '.join(remplacements)}." if remplacements else None


def ordinal(n: int) -> str:
    """French ordinal: 1er, 2e, 3e…"""
    return "1er" if n == 1 else f"{n}e"


def ecart(valeur: float, reference: float, unite: str) -> str | None:
    """Signed gap to a reference: percentage points for rates, the unit otherwise."""
    if pd.isna(valeur) or pd.isna(reference):
        return None
    diff = valeur - reference
    signe = "+" if diff > 0 else ("−" if diff < 0 else "±")
    texte = format_nombre(abs(diff), decimales(unite), "pts" if unite == "%" else unite)
    return f"{signe}{texte}"


def preparer(frame: pd.DataFrame, ind: Mapping, libelle_niveau: str, millesime: str = "") -> pd.DataFrame:
    """Add the French texts of the hover and the table to the values of one indicator.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`atlas.indicateurs.valeurs`.
    ind : mapping
        Catalogue row of the indicator (``libelle``, ``unite``).
    libelle_niveau : str
        Plural name of the level (« communes »), for the rank text.
    millesime : str
        Millésime shown: a département or region value of another millésime says its own.
    """
    unite = ind["unite"]
    nb_decimales = decimales(unite)
    out = frame.copy()
    out["statut_libelle"] = out["statut"].map(STATUT_LIBELLES)
    out["intervalle"] = [
        f"{format_nombre(b, nb_decimales)} à {format_nombre(h, nb_decimales, unite)}" if st == "estime" else None
        for st, b, h in colonnes(out, "statut", "bas", "haut")
    ]
    out["valeur_texte"] = textes_valeurs(out, unite)
    out["rang_texte"] = [
        f"{ordinal(int(r))} sur {format_nombre(int(n))} {libelle_niveau} (valeur décroissante)" if pd.notna(r) else ""
        for r, n in zip(out["rang"], out["nb_valeurs"], strict=True)
    ]
    out["ecart_departement"] = [
        ecart(v, d, unite) for v, d in zip(out["valeur"], out["valeur_departement"], strict=True)
    ]
    out["ecart_region"] = [ecart(v, r, unite) for v, r in zip(out["valeur"], out["valeur_region"], strict=True)]
    mil_dep = _millesime_different(out, "millesime_departement", millesime)
    mil_reg = _millesime_different(out, "millesime_region", millesime)
    # the producer's or the atlas's note on the value (« moins de 20 DPE », « commune fusionnée »)
    notes = out["note"] if "note" in out else pd.Series(None, index=out.index, dtype=object)
    out["valeur_texte"] = [
        t if not isinstance(n, str) else f"{t} — {n}" for t, n in zip(out["valeur_texte"], notes, strict=True)
    ]
    # every value in a bubble names its millésime (« Taux de pauvreté 2021 : 14,2 % »)
    out["survol_valeur"] = f"{ind['libelle']}{f' {millesime}' if millesime else ''} : " + out["valeur_texte"]
    out["survol_rang"] = [
        r or ("Pas de rang (estimation, hors classement)" if st == "estime" else "Pas de rang (valeur manquante)")
        for r, st in zip(out["rang_texte"], out["statut"], strict=True)
    ]
    # a line of the hover and a sentence under the map (« … 7e sur 71 EPCI. Écart au département… »):
    # its first word takes a capital
    out["survol_ecarts"] = [
        _majuscule(
            " ; ".join(
                t
                for t in (
                    f"écart au département{md} : {d}" if d else None,
                    f"écart à la région{mr} : {r}" if r else None,
                )
                if t
            )
        )
        or "Pas de valeur départementale ou régionale publiée"
        for d, r, md, mr in zip(out["ecart_departement"], out["ecart_region"], mil_dep, mil_reg, strict=True)
    ]
    return out


def _majuscule(texte: str) -> str:
    """The text with a capital first letter (« écart à la région… » → « Écart à la région… »)."""
    return texte[:1].upper() + texte[1:]


def _millesime_different(frame: pd.DataFrame, colonne: str, millesime: str) -> list[str]:
    """« (2020) » where a reference value is of another millésime than the shown one."""
    if colonne not in frame:
        return [""] * len(frame)
    return [f" ({m})" if isinstance(m, str) and m and m != millesime else "" for m in frame[colonne]]


#: Estimate columns of the exports, named for a reader of the file.
COLONNES_ESTIMATION = {"bas": "estimation_bas", "haut": "estimation_haut", "methode": "estimation_methode"}
NOTE_ESTIMATIONS = (
    "statut « estime » : estimation de l'atlas d'une valeur que l'INSEE garde secrète (jamais une valeur "
    "de l'INSEE), avec son intervalle à 80 % (estimation_bas, estimation_haut) ; méthode calage_epci : "
    "modèle calé sur le total de l'EPCI ; modele : modèle seul (moins de 3 communes secrètes dans l'EPCI)."
)


#: What each statut means after its count, on the map of one millésime.
COMPTES_MOTS = {
    "ok": "avec une valeur publiée",
    "estime": "estimées par l'atlas",
    "secret": "en secret statistique",
    "absent": "sans donnée",
}


def comptes_texte(statuts: pd.Series, libelle_niveau: str) -> str:
    """« 296 communes avec une valeur publiée, 913 estimées par l'atlas, 14 en secret statistique… »."""
    return texte_comptes(statuts, libelle_niveau, COMPTES_MOTS)


def references_texte(frame: pd.DataFrame, millesime: str) -> str:
    """Which millésime the département and region references are, when it differs from the shown one."""
    parties = []
    for colonne, nom in (("millesime_departement", "départements"), ("millesime_region", "région")):
        if colonne not in frame:
            continue
        autres = sorted({m for m in frame[colonne].dropna() if m != millesime})
        if autres:
            parties.append(f"{nom} {', '.join(autres)}")
    if not parties:
        return ""
    return f"Valeurs de référence d'un autre millésime : {' ; '.join(parties)}. "


#: Words of the estimates' method in the CSV (column « Méthode d'estimation »).
METHODES_ESTIMATION = {
    "calage_epci": "modèle calé sur le total de l'EPCI",
    "modele": "modèle seul (moins de 3 communes secrètes dans l'EPCI)",
}
#: French headers of the estimates' columns in the CSV.
COLONNES_ESTIMATION_CSV = {
    "bas": "Estimation : borne basse (intervalle à 80 %)",
    "haut": "Estimation : borne haute (intervalle à 80 %)",
    "methode": "Méthode d'estimation",
}


def entete_estimations(frame: pd.DataFrame) -> list[str]:
    """Header lines of a CSV export that holds estimates of the atlas (none otherwise)."""
    if not (frame["statut"] == "estime").any():
        return []
    return [
        "Statut « Estimation de l'atlas » : estimation par l'atlas d'une valeur que l'INSEE garde secrète (jamais "
        "une valeur de l'INSEE), avec son intervalle à 80 % et sa méthode dans les dernières colonnes."
    ]


def tableau_export(frame: pd.DataFrame, ind: Mapping, millesime: str) -> pd.DataFrame:
    """The CSV export, French headers: code, name, value, statut in words, rank and, where there
    are, the estimates' interval and method.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`preparer`.
    ind : mapping
        Catalogue row of the indicator (``libelle``, ``unite``): the value column's header.
    millesime : str
        Millésime of the values, in the value column's header (« Taux de pauvreté (%) 2021 »).
    """
    from atlas.exports import colonne_indicateur, pour_lecteur

    colonnes = {
        "code": "Code",
        "nom": "Territoire",
        "valeur": colonne_indicateur(ind["libelle"], ind["unite"], millesime),
        "statut": "Statut",
        "rang": "Rang (1 = valeur la plus élevée)",
    }
    out = frame.assign(rang=frame["rang"].astype("Int64"))
    if (frame["statut"] == "estime").any():
        colonnes |= COLONNES_ESTIMATION_CSV
        out = out.assign(methode=out["methode"].map(lambda m: METHODES_ESTIMATION.get(m, m)))
    # values and their interval with the indicator's own decimals (a rate 1, a Gini index 2)
    unites = dict.fromkeys(["valeur", "bas", "haut"], ind["unite"])
    return pour_lecteur(out, colonnes, statuts=["statut"], unites=unites)
