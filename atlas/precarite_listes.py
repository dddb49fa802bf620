"""The target list and the table of every territory of « Précarité énergétique », ready to draw and export.

Both tables come from the crossing of :func:`atlas.precarite_vues.croisement`; this module
writes their title, caption, columns and CSV forms, once per database and view for every
visitor (read-only: the page only draws them). On the page each grid is built only once its
expander is opened (:func:`atlas.ui.donnees_en_tableau`); the CSV buttons need no grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas import indicateurs, precarite, queries, ui
from atlas import precarite_vues as vues
from atlas.db import cache_par_base
from atlas.exports import pour_lecteur
from atlas.formatting import accord, format_nombre, libelle_avec_unite

#: Columns of the target list, in the order shown and exported.
COLONNES_CIBLES = ["rang", "nom", "code", "population", "part_passoires", "nb_dpe", "y", "pauvrete_estimee"]


def titre_cibles(liste: pd.DataFrame, niveau: str) -> str:
    """The heading of the target list: how many territories, how many inhabitants."""
    if liste.empty:
        return "Aucun territoire ne cumule une part de passoires et une pauvreté élevées"
    return (
        f"{accord(len(liste), 'commune' if niveau == 'commune' else 'EPCI', vues.libelle_niveau(niveau))} "
        f"{'cumule' if len(liste) == 1 else 'cumulent'} une part de passoires et une pauvreté élevées "
        f"({accord(int(liste['population'].sum()), 'habitant')})"
    )


def legende_cibles(nb_estimees: int) -> str:
    """The caption of the target list: its rule, and how many targets rest on an atlas estimate."""
    return (
        "Liste des cibles de l'aller-vers : tercile le plus élevé des deux axes, classée par la moyenne des deux rangs "
        "centiles (en tête : les plus élevés ensemble)."
        + (
            f" **{format_nombre(nb_estimees)} de ces cibles reposent sur une estimation de l'atlas** du taux de pauvreté "
            "(l'INSEE le garde secret) : voir la colonne « Pauvreté »."
            if nb_estimees
            else ""
        )
    )


@dataclass(frozen=True)
class Listes:
    """The target list and the full table of a view: as shown, as exported (CSV, GeoJSON), with their CSV header."""

    titre: str
    legende: str
    cibles: pd.DataFrame
    export_cibles: pd.DataFrame
    entete: list[str]
    affichage: pd.DataFrame
    export: pd.DataFrame
    geojson: pd.DataFrame


@cache_par_base(partage=True, max_entries=64)
def listes(niveau: str, type_batiment: str, code_pauvrete: str, millesime: str, avec_estimations: bool) -> Listes:
    """The blocks « cibles » and « tableau de tous les territoires » of a view (shared: read-only).

    Parameters
    ----------
    niveau, type_batiment, code_pauvrete, millesime, avec_estimations
        The view, as :func:`atlas.precarite_vues.croisement` takes it.
    """
    croisement = vues.croisement(niveau, type_batiment, code_pauvrete, millesime, avec_estimations)
    ind = indicateurs.indicateur(code_pauvrete)
    liste = croisement.liste
    nb_estimees = int(liste["statut_y"].eq("estime").sum())
    source_dpe = precarite.source_dpe(vues.passoires(niveau, type_batiment).demonstration)
    entete = vues.entete_cibles(niveau, type_batiment, ind, millesime, source_dpe, nb_estimees > 0)
    colonnes_csv = vues.colonnes_export(ind, millesime, queries.metadonnees()["millesime_population"])
    # each value with its unit's decimals, as on screen (« 14,3 », not « 14,285714285714286 »)
    unites_csv = {"part_passoires": "%", "part_efg": "%", "y": ind["unite"]}
    return Listes(
        titre_cibles(liste, niveau),
        legende_cibles(nb_estimees),
        liste[COLONNES_CIBLES].round({"part_passoires": 1, "y": 1}),
        # the statut of the poverty value in the words of every CSV (« Disponible », « Estimation de l'atlas »),
        # as in the full table's file, not the list's short « publié »
        pour_lecteur(liste[[*COLONNES_CIBLES[:-1], "statut_y"]], colonnes_csv, statuts=["statut_y"], unites=unites_csv),
        entete,
        croisement.affichage,
        pour_lecteur(croisement.tableau, colonnes_csv, statuts=["statut_y"], unites=unites_csv),
        # the GeoJSON keeps the columns' codes (a program reads it), with the poverty indicator's
        croisement.tableau.rename(
            columns={"part_passoires": "part_passoires_pct", "y": f"{code_pauvrete}_{millesime}"}
        ),
    )


def colonnes_cibles(ind: dict, millesime: str) -> dict:
    """Headers and formats of the target list's columns (``st.dataframe``'s ``column_config``).

    Parameters
    ----------
    ind : dict
        The poverty indicator (:func:`atlas.indicateurs.indicateur`).
    millesime : str
        Its millésime.
    """
    return {
        "rang": st.column_config.NumberColumn("Rang", format="%d"),
        "nom": "Territoire",
        "code": "Code",
        "population": ui.colonne_nombre(
            "Population", help=f"Population municipale {queries.metadonnees()['millesime_population']}"
        ),
        "part_passoires": ui.colonne_nombre("Passoires (%)", help="Part des logements classés F ou G"),
        "nb_dpe": ui.colonne_nombre("DPE", help="Nombre de DPE"),
        "y": ui.colonne_nombre(
            libelle_avec_unite("Pauvreté", ind["unite"]),
            help=f"{libelle_avec_unite(ind['libelle'], ind['unite'])}, {millesime}",
        ),
        "pauvrete_estimee": "Pauvreté",
    }


def colonnes_tableau(ind: dict, millesime: str) -> dict:
    """Headers and formats of the full table's columns (``st.dataframe``'s ``column_config``).

    Parameters
    ----------
    ind : dict
        The poverty indicator (:func:`atlas.indicateurs.indicateur`).
    millesime : str
        Its millésime.
    """
    # nine columns and the region's longest names do not fit a 1280 px page: the code and the
    # reliability of the share (« — » in its column, said in its tooltip) are in the CSV only
    return {
        "nom": "Territoire",
        "code": None,
        "population": ui.colonne_nombre(
            "Population", help=f"Population municipale {queries.metadonnees()['millesime_population']}"
        ),
        "nb_dpe": ui.colonne_nombre("DPE", help="Nombre de DPE"),
        "part_passoires": ui.colonne_nombre(
            "Passoires (%)",
            help=f"Part des logements classés F ou G ; « — » : moins de {precarite.SEUIL_DPE} DPE, part non publiée",
        ),
        "part_efg": None,  # in the CSV: the maps show F or G
        "fiabilite": None,
        "y": ui.colonne_nombre(
            libelle_avec_unite("Pauvreté", ind["unite"]),
            help=f"{libelle_avec_unite(ind['libelle'], ind['unite'])}, {millesime}",
        ),
        "statut_y": st.column_config.TextColumn("Statut", help="Statut de la valeur de pauvreté"),
        "cellule": st.column_config.TextColumn(
            "Croisement", help="Case de la carte croisée : niveau de la part de passoires · niveau de pauvreté"
        ),
    }
