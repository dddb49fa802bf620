"""What the Fiche territoire shows of a territory, computed once per database and shared by every session.

The profile's tables as printed, the comparison charts and the series figures of a territory
(and of its compared territory) are the same for every visitor: building them (plotly figures,
pandas formatting of every cell) was most of the fiche's server time, paid again by each
session. Here the first visitor builds them and the others read them
(``atlas.db.cache_par_base(partage=True)``: one object per database stamp, renewed when the ETL
swaps in a new file). The objects are shared read-only: the page only draws them (plotly and the
image exports copy a figure before changing it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from atlas import comparables as comparables_
from atlas import fiche, fiche_chiffres, fiche_figures, fiche_series, fiche_tableaux, graphiques_html
from atlas.db import cache_par_base
from atlas.formatting import pour_cellule_etroite


class FigurePartagee(go.Figure):
    """A figure shared read-only by every session, turned into its dict (what Streamlit sends) once.

    ``st.plotly_chart`` asks a figure for :meth:`to_dict` on every run: plotly deep-copies every
    property and encodes each array in base64 each time, about half of the fiche's remaining
    server time for its nine charts. This figure does it once, when it is built, and hands out
    that dict with each trace copied (a caller may remove a trace's ``uid``, as plotly's JSON
    export does); nothing may change the figure after it is built.
    """

    def __init__(self, figure: go.Figure):
        super().__init__(figure)
        self._dict_partage = super().to_dict()

    def to_dict(self) -> dict:
        """The figure as a dict, from the one made when it was built (traces copied, the rest shared)."""
        return {**self._dict_partage, "data": [dict(trace) for trace in self._dict_partage["data"]]}


@dataclass(frozen=True)
class VueFiche:
    """The profile of a territory, ready to draw."""

    profil: pd.DataFrame  # :func:`atlas.fiche.profil`, with the compared territory's columns
    nom_compare: str | None
    #: theme → the profile's table as the page prints it (no « Source » column, numbers unbroken)
    tableaux: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: theme → that table in HTML with its sources' numbers and remarks under it (:func:`tableau_html`)
    tableaux_html: dict[str, str] = field(default_factory=dict)
    #: the profile as one table for a slide (:func:`atlas.fiche_tableaux.profil_pour_diaporama`)
    diaporama: pd.DataFrame | None = None
    #: theme → bars of its rates beside the references (themes with a published or estimated rate)
    comparaisons: dict[str, go.Figure] = field(default_factory=dict)
    #: theme → its series of several millésimes (themes with such series)
    series: dict[str, go.Figure] = field(default_factory=dict)
    #: theme → its rows of the profile
    blocs: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: theme → its rates drawn in the comparison chart (:func:`atlas.fiche_tableaux.taux_du_bloc`)
    taux: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: theme → its rows with a series, at the series' millésimes (:func:`atlas.fiche_tableaux.lignes_des_series`)
    lignes_series: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: source → (its number on the page, its millésimes) (:func:`atlas.fiche_tableaux.sources_numerotees`)
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: the key figures of the first screen (:func:`atlas.fiche_chiffres.chiffres_cles`)
    chiffres: list[dict] = field(default_factory=list)


@cache_par_base(partage=True, max_entries=32)
def vue(niveau: str, code: str, compare: str | None = None) -> VueFiche:
    """The tables and figures of the fiche of ``code``, compared with ``compare`` (same level) if given.

    Parameters
    ----------
    niveau, code : str
        The territory.
    compare : str, optional
        Code of the compared territory of the same level.
    """
    profil = fiche.profil(niveau, code)
    if profil.empty:
        return VueFiche(profil=profil, nom_compare=None)
    nom_compare = None
    if compare:
        autre = fiche.identite(niveau, compare)
        nom_compare = autre["nom"] if autre else None
        profil = fiche.ajouter_comparaison(profil, fiche.profil(niveau, compare))
    noms = fiche_figures.noms_references(fiche.identite(niveau, code))
    if nom_compare:
        noms["compare"] = nom_compare
    tableaux = dict(fiche_tableaux.tableaux_profil(profil, niveau, nom_compare))
    series = fiche_series.series(niveau, code)
    blocs = dict(list(profil.groupby("theme", sort=True)))
    comparaisons, figures_series, taux_, lignes_series = {}, {}, {}, {}
    for theme, bloc in blocs.items():
        taux = fiche_tableaux.taux_du_bloc(bloc)
        if len(taux):
            taux_[theme] = taux
            comparaisons[theme] = FigurePartagee(fiche_figures.figure_comparaison(taux, niveau, noms))
        if (series["theme"] == theme).any():
            series_theme = series[series["theme"] == theme]
            figures_series[theme] = FigurePartagee(fiche_series.figure_series(series_theme, noms))
            lignes_series[theme] = fiche_tableaux.lignes_des_series(bloc, series_theme)
    tableaux = {theme: tableau.drop(columns="Source").map(pour_cellule_etroite) for theme, tableau in tableaux.items()}
    sources = fiche_tableaux.sources_numerotees(profil)
    return VueFiche(
        profil=profil,
        nom_compare=nom_compare,
        tableaux=tableaux,
        tableaux_html={theme: tableau_html(tableau, blocs[theme], sources) for theme, tableau in tableaux.items()},
        diaporama=fiche_tableaux.profil_pour_diaporama(profil, niveau, nom_compare),
        comparaisons=comparaisons,
        series=figures_series,
        blocs=blocs,
        taux=taux_,
        lignes_series=lignes_series,
        sources=sources,
        chiffres=fiche_chiffres.chiffres_cles(profil, niveau, noms),
    )


def tableau_html(tableau: pd.DataFrame, bloc: pd.DataFrame, sources: dict[str, tuple[int, str]]) -> str:
    """A theme's profile table as one HTML block, the numbers of its sources and its remarks under it.

    One element instead of a ``st.table`` (whose every cell the browser renders as Markdown) and
    two captions: the fiche's seven tables were most of the page's work in the browser.

    Parameters
    ----------
    tableau : DataFrame
        The table as printed (first column the indicator, then figures written as text).
    bloc : DataFrame
        The theme's rows of the profile (their sources and remarks).
    sources : dict
        Source → (its number on the page, its millésimes).
    """
    nums = sorted({sources[source][0] for source in bloc["source_libelle"]})
    notes = [f"{'Source' if len(nums) == 1 else 'Sources'} : n° {', '.join(map(str, nums))} (liste en fin de page)."]
    if remarques := fiche.remarques_du_bloc(bloc):
        notes.append(f"Remarques : {remarques}.")
    colonnes = list(tableau.columns)
    return graphiques_html.tableau_html(
        tableau, {c: c for c in colonnes}, nombres=colonnes[1:], large=True, notes=notes
    )


@cache_par_base(partage=True, max_entries=64)
def comparables(niveau: str, code: str) -> pd.DataFrame:
    """:func:`atlas.comparables.comparables` of the territory, shared (read-only)."""
    return comparables_.comparables(niveau, code)


@cache_par_base(partage=True, max_entries=64)
def _donnees_situation(niveau: str, code: str, presentation: bool, dossier: str) -> dict:
    # ``presentation`` and ``dossier`` are read again inside (map height, layer's folder): they are
    # arguments so that each value has its own entry
    return fiche_figures.donnees_situation(niveau, code, fiche.identite(niveau, code))


def donnees_situation(niveau: str, code: str) -> dict:
    """:func:`atlas.fiche_figures.donnees_situation` of the territory, shared by every session.

    A shallow copy is returned: a caller may replace a key, never change a list or dict it holds.
    """
    from atlas.composants import couches
    from atlas.maps import en_presentation

    return dict(_donnees_situation(niveau, code, en_presentation(), str(couches.dossier_static())))
