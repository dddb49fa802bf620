"""What the Explorer shows, computed once per database and view and shared by every session.

A steering committee opening the atlas together all land on the same default view (poverty rate
of the EPCI). Everything that does not depend on who looks — the catalogue of mappable
indicators, the values with their French hover texts, the classes, the map component's colours
and hover arrays, the table and its CSV frame — is computed by the first visitor and read by the
others (``atlas.db.cache_par_base(partage=True)``: one object per database stamp, renewed when
the ETL swaps in a new file). The objects are shared read-only: the page only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas import explorer, indicateurs, queries
from atlas.classification import Classes, classer
from atlas.composants import carte as carte_legere
from atlas.composants import couches
from atlas.db import cache_par_base


@cache_par_base(partage=True, max_entries=2)
def _catalogue_carte() -> tuple[pd.DataFrame, dict[str, tuple[str, ...]], dict[str, dict]]:
    cat = indicateurs.catalogue()
    niveaux = {
        code: tuple(n for n in indicateurs.NIVEAUX_CARTE if dispo is not None and n in list(dispo))
        for code, dispo in zip(cat["code"], cat["niveaux_disponibles"], strict=True)
    }
    lignes = {ligne["code"]: ligne for ligne in cat.to_dict("records")}
    return cat[[bool(niveaux[c]) for c in cat["code"]]].reset_index(drop=True), niveaux, lignes


def catalogue_carte() -> pd.DataFrame:
    """The indicators with at least one mappable level (:func:`atlas.indicateurs.catalogue`'s columns)."""
    return _catalogue_carte()[0]


def niveaux_carte(code: str) -> list[str]:
    """Mappable levels where the indicator has a value (as :func:`atlas.indicateurs.niveaux_carte`)."""
    return list(_catalogue_carte()[1].get(code, ()))


def indicateur(code: str) -> dict:
    """One catalogue row as a dict, a copy (KeyError when unknown), as :func:`atlas.indicateurs.indicateur`."""
    return dict(_catalogue_carte()[2][code])


@dataclass(frozen=True)
class VueNiveau:
    """One map of the level mode, ready to draw: read-only, shared by every session."""

    data: pd.DataFrame  # :func:`atlas.explorer.preparer` of the values
    classes: Classes
    source: dict
    comptes: str  # « 71 EPCI avec une valeur publiée »
    references: str  # the reference millésimes when they differ from the shown one
    tableau: pd.DataFrame  # sorted by decreasing value
    affichage: pd.DataFrame  # the table's shown columns, missing texts as « — »
    export: pd.DataFrame  # :func:`atlas.explorer.tableau_export`
    noms: dict[str, str]  # code → « Nom (code) », for the territory list
    avec_estimations: bool  # some value is an estimate of the atlas


#: Columns of the Explorer's table, in order.
COLONNES_TABLEAU = [
    "nom", "code", "valeur", "intervalle", "rang", "statut_libelle", "ecart_departement", "ecart_region", "note",
]  # fmt: skip


@cache_par_base(partage=True, max_entries=32)
def vue_niveau(code: str, niveau: str, millesime: str, methode: str, k: int, estimations: bool) -> VueNiveau:
    """The values, classes, texts and tables of one indicator on one level and millésime.

    Parameters
    ----------
    code, niveau, millesime : str
        The indicator, level and millésime shown.
    methode : str
        Classification (:data:`atlas.classification.METHODES`).
    k : int
        Number of classes.
    estimations : bool
        The atlas's estimates shown (False: INSEE's secret instead).
    """
    ind = indicateur(code)
    brutes = indicateurs.valeurs(code, niveau, millesime)
    if not estimations:
        brutes = indicateurs.sans_estimations(brutes)
    data = explorer.preparer(brutes, ind, indicateurs.NIVEAUX_PLURIEL[niveau], millesime)
    tableau = data.sort_values("valeur", ascending=False, na_position="last")
    return VueNiveau(
        data=data,
        classes=classer(data["valeur"], methode, k, ind["unite"], ind["sens"]),
        source=indicateurs.source_niveau(code, niveau, millesime),
        comptes=explorer.comptes_texte(data["statut"], indicateurs.NIVEAUX_PLURIEL[niveau]),
        references=explorer.references_texte(data, millesime),
        tableau=tableau,
        # no published département / region value: a dash, not the grid's English « None »; no
        # interval without an estimate (EPCI, départements): no column of dashes
        affichage=tableau[[c for c in COLONNES_TABLEAU if c != "intervalle" or tableau[c].notna().any()]].fillna(
            {"ecart_departement": "—", "ecart_region": "—", "intervalle": "—", "note": ""}
        ),
        export=explorer.tableau_export(tableau, ind, millesime),
        noms=dict(zip(data["code"], data["nom"] + " (" + data["code"] + ")", strict=True)),
        avec_estimations=bool((data["statut"] == "estime").any()),
    )


@cache_par_base(partage=True, max_entries=32)
def _donnees_carte(
    code: str,
    niveau: str,
    millesime: str,
    methode: str,
    k: int,
    estimations: bool,
    titre_legende: str,
    selection: str | None,
    avec_qpv: bool,
    fond: str,
    presentation: bool,
    dossier: str,
) -> dict:
    # ``presentation`` and ``dossier`` are read again inside (map height, layer's folder): they are
    # arguments so that each value has its own entry
    vue = vue_niveau(code, niveau, millesime, methode, k, estimations)
    return carte_legere.donnees_classes(
        vue.data,
        niveau,
        vue.classes,
        emprise=queries.emprise_region(),
        survol=["nom", "survol_valeur", "survol_rang", "survol_ecarts"],
        titre_legende=titre_legende,
        selection=selection,
        avec_qpv=avec_qpv,
        fond=fond,
    )


def donnees_carte(
    code: str,
    niveau: str,
    millesime: str,
    methode: str,
    k: int,
    estimations: bool,
    *,
    titre_legende: str,
    selection: str | None,
    avec_qpv: bool,
    fond: str,
) -> dict:
    """The map component's data of :func:`vue_niveau` (colours, hover, legend), shared by every session.

    The same for every visitor with the same view, outlined territory, QPV switch, basemap and
    presentation mode. A shallow copy is returned: a caller may replace a key, never change a
    list or dict it holds.
    """
    from atlas.maps import en_presentation

    return dict(
        _donnees_carte(
            code,
            niveau,
            millesime,
            methode,
            k,
            estimations,
            titre_legende,
            selection,
            avec_qpv,
            fond,
            en_presentation(),
            str(couches.dossier_static()),
        )  # fmt: skip
    )
