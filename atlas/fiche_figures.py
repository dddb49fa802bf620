"""Figures of the fiche territoire: comparison bars of a block's rates, locator map.

On the page the locator map is the atlas's map component (:func:`donnees_situation`); the PNG,
the slide and the PDF draw its plotly twin (:func:`carte_situation`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from atlas.cadrage_carte import vue_carte
from atlas.fiche import MARGE_EMPRISE, REFERENCES, contexte_carte, references
from atlas.geojson_partage import geojson_pour_plotly

#: Colours of the locator map: the territory, and its neighbours.
COULEUR_TERRITOIRE, COULEUR_VOISINS = "#bd0026", "#e5e5e5"
#: Height of the locator map's plotly twin (PNG, slide, PDF), and the most the page's map takes (px).
HAUTEUR_SITUATION = 380
#: Width (px) of the page's locator map drawing when its legend stands beside it: the least width
#: of the component's map box (340 px) less its zoom buttons' margin (42 px) and its own margin
#: (6 px). The page's map is as tall as its extent drawn at that width: wider (1400 px, or its
#: legend under it at 1280 px), the drawing still fills the height, centred, and the caption
#: under the map follows the drawing instead of a blank band.
LARGEUR_DESSIN_SITUATION = 292
#: The least height of the page's locator map (px): its three zoom buttons' column.
HAUTEUR_MIN_SITUATION = 130


def hauteur_situation(emprise) -> int:
    """The page's locator map height (px) for an extent: its proportions in Web Mercator at the map's width.

    A fixed height left a blank band under a wide département (Maine-et-Loire drawn 230 px tall in
    a 380 px map).

    Examples
    --------
    >>> hauteur_situation((-1.4, 46.9, 0.3, 47.9))
    266
    """
    o, s, e, n = emprise

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    rapport = (mercator(n) - mercator(s)) / math.radians(e - o)
    # the component keeps 6 px around the extent
    hauteur = round(LARGEUR_DESSIN_SITUATION * rapport) + 12
    return int(min(HAUTEUR_SITUATION, max(HAUTEUR_MIN_SITUATION, hauteur)))


def emprise_serree(emprise) -> tuple[float, float, float, float]:
    """The extent of the locator map's shapes, without the margin :func:`atlas.fiche.contexte_carte` adds.

    A buffer widens a bounding box by its distance on each side, exactly.

    Examples
    --------
    >>> emprise_serree((-1.42, 46.88, 0.32, 47.92))
    (-1.4, 46.9, 0.3, 47.9)
    """
    o, s, e, n = emprise
    return tuple(round(v, 9) for v in (o + MARGE_EMPRISE, s + MARGE_EMPRISE, e - MARGE_EMPRISE, n - MARGE_EMPRISE))


COULEUR_COMPARE = "#2171b5"


def series_comparaison(bloc: pd.DataFrame, niveau: str, noms: dict[str, str]) -> list[tuple[str, str, str]]:
    """The bars of a comparison chart: (column of :func:`atlas.fiche.profil`, name, colour).

    The territory, then the published values of its EPCI, département, region and France that the
    block has, each named after its territory (``noms``: level → name).
    """
    couleurs = {"epci": "#fd8d3c", "departement": "#fdae6b", "region": "#9e9e9e", "france": "#636363"}
    series = [("valeur", noms["territoire"], "#bd0026")]
    if noms.get("compare") and "valeur_compare" in bloc and (bloc["statut_compare"] == "ok").any():
        # the compared territory, in blue beside the territory: a peer, not an enclosing level
        series.append(("valeur_compare", noms["compare"], COULEUR_COMPARE))
    for ref in references(niveau):
        colonne = REFERENCES[ref][0]
        if bloc[colonne].notna().any():
            series.append((colonne, noms.get(ref, REFERENCES[ref][2]), couleurs[ref]))
    return series


def noms_references(ident: dict) -> dict[str, str]:
    """Names of the bars of a comparison chart: the territory, its EPCI, département, region, France."""
    from atlas.queries import metadonnees

    noms = {"territoire": ident["nom"], "france": "France métropolitaine"}
    if ident.get("nom_epci"):
        noms["epci"] = ident["nom_epci"]
    if ident.get("nom_departement"):
        noms["departement"] = ident["nom_departement"]
    noms["region"] = metadonnees().get("region_nom", "Région")
    return noms


def figure_comparaison(taux: pd.DataFrame, niveau: str, noms: dict[str, str]) -> go.Figure:
    """Horizontal bars of a block's rates: the territory beside its published references.

    An estimate of the atlas is hatched, with its interval as an error bar; a reference of
    another millésime says it in its hover.
    """
    fig = go.Figure()
    for colonne, nom, couleur in series_comparaison(taux, niveau, noms):
        estime = (taux["statut"] == "estime").to_numpy() if colonne == "valeur" else None
        millesimes = taux["millesime"] if colonne == "valeur" else taux[colonne.replace("valeur", "millesime")]
        # a compared territory's bar: its published values only (its estimates stay in the table)
        x = taux[colonne].where(taux["statut_compare"] == "ok") if colonne == "valeur_compare" else taux[colonne]
        trace = go.Bar(
            y=taux["libelle"],
            x=x,
            name=nom,
            orientation="h",
            marker_color=couleur,
            customdata=millesimes.astype(str).to_numpy(),
            hovertemplate="%{y} : %{x:.1f} % (%{customdata})<extra>" + nom + "</extra>",
        )
        if estime is not None and estime.any():
            trace.marker.pattern = {"shape": ["/" if e else "" for e in estime], "fgcolor": "white", "solidity": 0.35}
            trace.error_x = {
                "type": "data",
                "symmetric": False,
                "array": (taux["haut"] - taux["valeur"]).where(estime).to_numpy(),
                "arrayminus": (taux["valeur"] - taux["bas"]).where(estime).to_numpy(),
                "color": "#1a1a1a",
                "thickness": 1.2,
            }
        fig.add_trace(trace)
    fig.update_layout(
        barmode="group",
        height=90 + 14 * len(fig.data) * len(taux),
        margin={"l": 0, "r": 10, "t": 40, "b": 40},
        xaxis_title="%",
        separators=", ",
        # above the bars: under them, it ran into the axis title on a one-bar chart
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def carte_situation(niveau: str, code: str, largeur: int = 420, hauteur: int = HAUTEUR_SITUATION) -> go.Figure:
    """The locator map: the territory in red among its neighbours (communes or EPCI of its
    département, or the other territories of its level) in grey, on the plain background.

    Only the territories of the view are drawn, whole: none is cut by the image's edges.
    """
    geo, table, emprise = contexte_carte(niveau, code)
    centre, zoom = vue_carte(emprise, largeur, hauteur)
    carte = go.Figure(
        go.Choroplethmap(
            geojson=geojson_pour_plotly(geo),
            locations=table["code"],
            z=table["cible"].astype(int),
            zmin=0,
            zmax=1,
            colorscale=[[0, COULEUR_VOISINS], [1, COULEUR_TERRITOIRE]],
            showscale=False,
            marker={"line": {"color": "white", "width": 0.6}},
            customdata=table[["nom"]].to_numpy(),
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    carte.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        height=hauteur,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return carte


def donnees_situation(niveau: str, code: str, ident: dict) -> dict:
    """The locator map for the atlas's map component: the territory in red among its neighbours in grey.

    The same territories and view as :func:`carte_situation` (the communes or EPCI of the
    territory's département, or the other territories of its level; the département's extent for
    a commune or an EPCI, the region's otherwise).

    Parameters
    ----------
    niveau, code : str
        The territory.
    ident : dict
        Its :func:`atlas.fiche.identite` (name of the legend entries).

    Returns
    -------
    dict
        The component's data (:func:`atlas.composants.carte.donnees_categories`).
    """
    from atlas.composants import carte as composant
    from atlas.composants import couches
    from atlas.fiche import PAIRS

    _geo, table, emprise = contexte_carte(niveau, code)
    # the component keeps its own margin: framed on the shapes themselves, not on the plotly
    # twin's wider extent, whose margin left a blank band between the drawing and the caption
    emprise = emprise_serree(emprise)
    voisins = (
        f"{'Communes' if niveau == 'commune' else 'Autres EPCI'} du département de {ident['nom_departement']}"
        if niveau in ("commune", "epci") and ident.get("nom_departement")
        else f"Autres {PAIRS[niveau]} de la région"
    )
    groupes = [
        (ident["nom"], COULEUR_TERRITOIRE, table.index[table["cible"]]),
        (voisins, COULEUR_VOISINS, table.index[~table["cible"]]),
    ]
    donnees = composant.donnees_categories(
        table,
        niveau,
        groupes,
        emprise=emprise,
        survol=["nom"],
        hauteur=hauteur_situation(emprise),
        trait="#ffffff",
    )
    if niveau == "commune":
        # only the département's communes are drawn: their shapes alone, not the whole commune layer
        donnees["url"] = couches.url_couche_restreinte(niveau, donnees["codes"])
    return donnees
