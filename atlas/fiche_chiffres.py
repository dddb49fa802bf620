"""The fiche territoire's key figures: the few indicators a committee asks for first, on the first screen.

Each figure is the territory's latest value with its millésime, its rank among its peers of the
region and the published values of its enclosing territories (the same figures as the profile's
tables, written the same way). They are drawn as one HTML block (:func:`chiffres_html`): one
element for the browser, no widget.
"""

from __future__ import annotations

import html

import pandas as pd

from atlas.fiche import PAIRS, REFERENCES, comparable, references
from atlas.fiche_tableaux import reference_affichee
from atlas.formatting import decimales, espaces_insecables, format_nombre, format_rang

#: The key indicators in the order shown, each with its short name; the first
#: :data:`NOMBRE` that the territory has (a value, an estimate or a secret) are shown.
CHIFFRES_CLES = {
    "taux_pauvrete": "Taux de pauvreté",
    "mediane_niveau_vie": "Niveau de vie médian",
    "taux_nr_potentiel_rsa_pa": "Non-recours potentiel estimé (RSA et prime d'activité)",
    "part_menages_sans_voiture": "Ménages sans voiture",
    "fs_temps_min": "Accès à une France services",
}
#: The enclosing territories named by their level (one region, France); the département by its name.
NOMS_COURTS = {"region": "région", "france": "France métropolitaine"}
#: How many key figures the first screen shows (one row at 1280 px).
NOMBRE = 4


def _reperescles(niveau: str) -> list[str]:
    """The two enclosing territories a key figure names (the département and the region for a commune)."""
    return [ref for ref in references(niveau) if ref != "epci"][:2]


def chiffres_cles(profil: pd.DataFrame, niveau: str, noms: dict[str, str]) -> list[dict]:
    """The territory's key figures as printed texts.

    Parameters
    ----------
    profil : DataFrame
        :func:`atlas.fiche.profil` of the territory.
    niveau : str
        Its level (``commune``, ``epci``, ``departement`` or ``region``).
    noms : dict
        Names of the enclosing territories by level (:func:`atlas.fiche_figures.noms_references`).

    Returns
    -------
    list of dict
        For each figure: ``libelle`` (short name and millésime), ``valeur``, ``details`` (lines: its
        rank or its estimate's interval, then its references joined by « · ») and ``titre`` (the
        indicator's full name, for its hover).
    """
    lignes = profil.set_index("indicateur")
    chiffres = []
    for indicateur, court in CHIFFRES_CLES.items():
        if indicateur not in lignes.index or len(chiffres) == NOMBRE:
            continue
        r = lignes.loc[indicateur]
        if r["statut"] not in ("ok", "estime", "secret"):
            continue
        d = decimales(r["unite"])
        details = []
        valeur = "Secret statistique" if r["statut"] == "secret" else format_nombre(r["valeur"], d, r["unite"])
        if r["statut"] == "estime":
            details.append(
                f"estimation de l'atlas ({format_nombre(r['bas'], d)} à {format_nombre(r['haut'], d, r['unite'])})"
            )
        classe = r["statut"] == "ok" and niveau != "region" and pd.notna(r["rang"])
        if classe:
            details.append(f"rang {format_rang(r['rang'], r['nb_valeurs'])} {PAIRS[niveau]}")
        reperes = []
        if comparable(r["sens"]):
            for ref in _reperescles(niveau):
                colonne, colonne_millesime, titre = REFERENCES[ref]
                if pd.notna(r[colonne]):
                    texte = reference_affichee(r[colonne], r[colonne_millesime], r["millesime"], r["unite"])
                    reperes.append(f"{NOMS_COURTS.get(ref) or noms.get(ref, titre)} {texte}")
        if reperes:
            details.append(" · ".join(reperes))
        libelle = court + (" (démonstration)" if r["demonstration"] else "")
        chiffres.append(
            {
                "libelle": f"{libelle}, {r['millesime']}",
                "valeur": valeur,
                "details": details,
                "titre": r["libelle"] + (" ; rang 1 : la valeur la plus élevée" if classe else ""),
            }
        )
    return chiffres


#: The block's style: a row of figures that wraps, each value large, its details small under it.
STYLE = (
    "<style>"
    ".fiche-chiffres{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:0 0 .25rem 0;}"
    ".fiche-chiffre{flex:1 1 10rem;min-width:0;border-left:3px solid #bd0026;padding:0 0 0 .6rem;}"
    ".fiche-chiffre-libelle{font-size:.875rem;line-height:1.3;color:rgba(49,51,63,.8);}"
    ".fiche-chiffre-valeur{font-size:1.6rem;font-weight:600;line-height:1.4;white-space:nowrap;}"
    ".fiche-chiffre-details{font-size:.8rem;line-height:1.3;color:rgba(49,51,63,.75);}"
    ".fiche-chiffres.grand .fiche-chiffre-libelle{font-size:1.1rem;}"
    ".fiche-chiffres.grand .fiche-chiffre-valeur{font-size:2.3rem;line-height:1.45;}"
    ".fiche-chiffres.grand .fiche-chiffre-details{font-size:1rem;}"
    "</style>"
)


def chiffres_html(chiffres: list[dict], *, grand: bool = False) -> str:
    """The key figures as one HTML block for ``st.html`` (larger with ``grand``, for a projector).

    Examples
    --------
    >>> "21,0" in chiffres_html([{"libelle": "Taux", "valeur": "21,0 %", "details": [], "titre": "Taux"}])
    True
    """
    cartes = "".join(
        f"<div class='fiche-chiffre' title='{html.escape(c['titre'], quote=True)}'>"
        f"<div class='fiche-chiffre-libelle'>{html.escape(c['libelle'], quote=False)}</div>"
        f"<div class='fiche-chiffre-valeur'>{html.escape(c['valeur'], quote=False)}</div>"
        + "".join(
            f"<div class='fiche-chiffre-details'>{html.escape(ligne, quote=False)}</div>" for ligne in c["details"]
        )
        + "</div>"
        for c in chiffres
    )
    return (
        f"{STYLE}<div class='fiche-chiffres{' grand' if grand else ''}' role='group' "
        f"aria-label='Chiffres clés'>{cartes}</div>"
    )


#: Quartiers prioritaires named in full before the list folds: a city's long list would push the
#: page down beside its map.
QPV_EN_CLAIR = 4


def encadre_commune_html(quartiers: list[tuple[str, str]], millesime_qpv: str, typologie: dict | None) -> str:
    """A commune's quartiers prioritaires and character, beside its locator map, as one HTML block.

    Up to :data:`QPV_EN_CLAIR` quartiers are listed in the text; a longer list names its first three
    and folds the whole list (names and codes) under « et N autres ».

    Parameters
    ----------
    quartiers : list of (str, str)
        Code and name of each quartier prioritaire (:func:`atlas.fiche.qpv_de_la_commune`).
    millesime_qpv : str
        Millésime of the quartiers' geography.
    typologie : dict, optional
        :func:`atlas.fiche.typologie` of the commune.
    """
    titre = f"<strong>Quartiers prioritaires (géographie {html.escape(str(millesime_qpv))})</strong>"
    en_clair = ", ".join(f"{html.escape(nom, quote=False)} ({html.escape(c, quote=False)})" for c, nom in quartiers)
    if not quartiers:
        paragraphes = [f"<p>{titre} : aucun.</p>"]
    elif len(quartiers) <= QPV_EN_CLAIR:
        paragraphes = [f"<p>{titre} : {en_clair}.</p>"]
    else:
        premiers = ", ".join(html.escape(nom, quote=False) for _, nom in quartiers[:3])
        paragraphes = [
            f"<details class='fiche-qpv'><summary>{titre} : {format_nombre(len(quartiers))} quartiers, "
            f"dont {premiers} et {format_nombre(len(quartiers) - 3)} autres</summary><p>{en_clair}.</p></details>"
        ]
    noms = {
        "libelle_densite": "Densité (grille INSEE)",
        "libelle_centralite": "Centralité (ANCT)",
        "libelle_ruralite": "Ruralité (ANCT)",
    }
    if typologie and (lignes := [f"{nom} : {typologie[cle]}" for cle, nom in noms.items() if typologie.get(cle)]):
        paragraphes.append(
            f"<p><strong>Caractère du territoire</strong> : {html.escape(' ; '.join(lignes), quote=False)}.</p>"
        )
    return (
        "<style>.fiche-encadre p{margin:0 0 .75rem 0;}.fiche-encadre summary{cursor:pointer;margin-bottom:.75rem;}"
        # « Grands centres urbains ; Centralité… » never starts a line with « ; »
        "</style><div class='fiche-encadre'>" + "".join(espaces_insecables(p) for p in paragraphes) + "</div>"
    )
