"""Logic of the « Explorer les indicateurs » page: URL state, French texts for hover and table.

Kept out of the page so that it can be tested without a browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from atlas.classification import METHODES
from atlas.formatting import decimales, format_nombre

INDICATEUR_PAR_DEFAUT = "taux_pauvrete"
STATUT_LIBELLES = {"ok": "Disponible", "secret": "Secret statistique", "absent": "Non disponible"}


@dataclass
class EtatExplorer:
    """What the explorer shows; it lives in the URL so that a copied link reopens the same view."""

    indicateur: str
    niveau: str
    millesime: str
    methode: str = "quantiles"
    classes: int = 5
    code: str | None = None  # selected territory
    qpv: bool = False  # QPV 2024 contours drawn over the map

    def vers_params(self) -> dict[str, str]:
        """Query parameters (only the non-empty ones; booleans as 1)."""
        out = {}
        for k, v in asdict(self).items():
            if v in (None, "", False):
                continue
            out[k] = "1" if v is True else str(v)
        return out


def lire_etat(params: Mapping[str, str], catalogue: pd.DataFrame, niveaux_de, millesimes_de) -> EtatExplorer:
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
    """
    codes = catalogue["code"].tolist()
    indicateur = params.get("indicateur")
    if indicateur not in codes:
        indicateur = INDICATEUR_PAR_DEFAUT if INDICATEUR_PAR_DEFAUT in codes else codes[0]
    niveaux = niveaux_de(indicateur)
    niveau = params.get("niveau")
    if niveau not in niveaux:
        niveau = niveaux[0]
    millesimes = millesimes_de(indicateur, niveau)
    millesime = params.get("millesime")
    if millesime not in millesimes:
        millesime = millesimes[0]
    methode = params.get("methode")
    if methode not in METHODES:
        methode = "quantiles"
    try:
        classes = min(7, max(3, int(params.get("classes", 5))))
    except ValueError:
        classes = 5
    code = params.get("code") or None
    return EtatExplorer(indicateur, niveau, millesime, methode, classes, code, params.get("qpv") == "1")


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


def preparer(frame: pd.DataFrame, ind: Mapping, libelle_niveau: str) -> pd.DataFrame:
    """Add the French texts of the hover and the table to the values of one indicator.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`atlas.indicateurs.valeurs`.
    ind : mapping
        Catalogue row of the indicator (``libelle``, ``unite``).
    libelle_niveau : str
        Plural name of the level (« communes »), for the rank text.
    """
    unite = ind["unite"]
    nb_decimales = decimales(unite)
    out = frame.copy()
    out["statut_libelle"] = out["statut"].map(STATUT_LIBELLES)
    out["valeur_texte"] = [
        format_nombre(v, nb_decimales, unite) if s == "ok" else STATUT_LIBELLES[s]
        for v, s in zip(out["valeur"], out["statut"], strict=True)
    ]
    out["rang_texte"] = [
        f"{ordinal(int(r))} sur {int(n)} {libelle_niveau} (valeur décroissante)" if pd.notna(r) else ""
        for r, n in zip(out["rang"], out["nb_valeurs"], strict=True)
    ]
    out["ecart_departement"] = [
        ecart(v, d, unite) for v, d in zip(out["valeur"], out["valeur_departement"], strict=True)
    ]
    out["ecart_region"] = [ecart(v, r, unite) for v, r in zip(out["valeur"], out["valeur_region"], strict=True)]
    out["survol_valeur"] = f"{ind['libelle']} : " + out["valeur_texte"]
    out["survol_rang"] = out["rang_texte"].where(out["rang_texte"] != "", "Pas de rang (valeur manquante)")
    out["survol_ecarts"] = [
        " ; ".join(
            t
            for t in (
                f"écart au département : {d}" if d else None,
                f"écart à la région : {r}" if r else None,
            )
            if t
        )
        or "Pas de valeur départementale ou régionale publiée"
        for d, r in zip(out["ecart_departement"], out["ecart_region"], strict=True)
    ]
    return out
