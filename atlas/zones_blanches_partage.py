"""What the « Zones blanches » page shows, computed once per database and rules and shared by every session.

A committee opening the page together all land on the same rules (those of the URL, the default
ones at first). The classified communes, the count, the rules in words, the hover texts, the map
component's colours and sites, the list with its CSV frame and header, and the map's table depend
only on the database and the rules: the first visitor computes them, the others read them
(``atlas.db.cache_par_base(partage=True)``: one object per database stamp, renewed when the ETL or
an imported service layer swaps in a new file). The objects are shared read-only: the page only
draws them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from atlas import indicateurs, queries
from atlas import zones_blanches as zb
from atlas import zones_blanches_vues as vues
from atlas.composants import carte as carte_legere
from atlas.composants import couches as couches_statiques
from atlas.db import cache_par_base


@cache_par_base(partage=True, max_entries=2)
def indicateurs_de_besoin() -> dict[str, str]:
    """:func:`atlas.zones_blanches_vues.indicateurs_de_besoin` of the catalogue: code → « theme — label »."""
    return vues.indicateurs_de_besoin(indicateurs.catalogue())


@cache_par_base(partage=True, max_entries=32)
def a_des_estimations(indicateur: str, couches: tuple[str, ...]) -> bool:
    """Whether some commune's need is an estimate of the atlas (the switch that counts them is shown)."""
    return bool((zb.donnees(indicateur, couches)["statut_besoin"] == "estime").any())


@dataclass(frozen=True)
class VueRegles:
    """The communes classified by one set of rules, and what the page writes of them: read-only, shared."""

    data: pd.DataFrame  # :func:`atlas.zones_blanches.donnees` with ``categorie``
    seuil_valeur: float | None  # the need threshold in the indicator's unit
    blanches: pd.DataFrame  # the zones blanches, the highest need first
    sur_estimation: int  # zones blanches whose need is an estimate of the atlas
    regles_en_mots: str  # :func:`atlas.zones_blanches_vues.phrase_regles`
    aucune: str | None  # why no commune is a zone blanche (None when some are)
    titre: str  # the count in a title (the nearest rule change that finds some when there are none)
    voisines: pd.DataFrame | None  # the zones blanches one rule change away (None when some are)
    resume: str  # the rules in one line (the image's subtitle)
    source: str  # the map's sources
    survol: pd.DataFrame  # ``data`` with the hover texts
    groupes: list[tuple]  # the map's categories
    liste: pd.DataFrame  # the list as shown (rounded)
    export: pd.DataFrame  # the list's CSV frame
    entete: list[str]  # the CSV's header lines
    tableau_carte: pd.DataFrame  # the map's text alternative


def regles(
    indicateur: str,
    seuil: str,
    valeur: float | None,
    mois: int,
    minutes: int,
    couches: tuple[str, ...],
    estimations: bool,
) -> zb.Regles:
    """:class:`atlas.zones_blanches.Regles` of the arguments of :func:`vue_regles`."""
    return zb.Regles(indicateur, seuil, valeur, mois, minutes, tuple(couches), estimations)


@cache_par_base(partage=True, max_entries=32)
def vue_regles(
    indicateur: str,
    seuil: str,
    valeur: float | None,
    mois: int,
    minutes: int,
    couches: tuple[str, ...],
    estimations: bool,
) -> VueRegles:
    """The communes, count, texts and tables of the page for the committee's rules.

    Parameters
    ----------
    indicateur, seuil, valeur, mois, minutes, couches, estimations
        The fields of :class:`atlas.zones_blanches.Regles`.
    """
    r = regles(indicateur, seuil, valeur, mois, minutes, couches, estimations)
    ind = indicateurs.indicateur(indicateur)
    ctx = zb.contexte()
    reference: dt.date | None = ctx["derniere_visite"]
    data = zb.donnees(indicateur, r.couches, estimations)
    data["categorie"] = zb.classer(data, ind["sens"], r, reference)
    seuil_valeur = zb.seuil_besoin(data["besoin"], ind["sens"], r)
    blanches = vues.zones_blanches(data, ind["sens"])
    millesime_population = queries.metadonnees()["millesime_population"]
    liste = vues.liste(blanches, ind["unite"])
    titre, voisines, publiees = vues.titre_zones_blanches(blanches, ind), None, None
    if blanches.empty:
        publiees = zb.sans_estimations(r, ind["sens"], reference)
        titre, voisines = vues.regles_voisines(
            zb.regles_voisines(data, ind["sens"], r, reference), r, ind, seuil_valeur, publiees
        )
    return VueRegles(
        data=data,
        seuil_valeur=seuil_valeur,
        blanches=blanches,
        sur_estimation=int((blanches["statut_besoin"] == "estime").sum()),
        regles_en_mots=vues.phrase_regles(
            ind,
            r,
            seuil_valeur,
            reference,
            bool(ctx["visites_demo"]),
            bool((data["statut_besoin"] == "estime").any()),
        ),
        aucune=vues.phrase_aucune_zone_blanche(data, ind, r, seuil_valeur) if blanches.empty else None,
        titre=titre,
        voisines=voisines,
        resume=r.resume(ind, seuil_valeur),
        source=vues.source_carte(ind),
        survol=vues.textes_survol(data, ind),
        groupes=vues.groupes_carte(data),
        liste=liste.round({"besoin": 1, "minutes_service": 0}),
        export=vues.export_liste(liste, ind, millesime_population),
        entete=vues.entete_liste(ind, r, seuil_valeur, bool(ctx["visites_demo"])),
        tableau_carte=vues.tableau_carte(data),
    )


@cache_par_base(partage=True, max_entries=16)
def couches_sites(couches: tuple[str, ...], minutes: int) -> list[tuple[str, str, pd.DataFrame]]:
    """The sites drawn on the map for the chosen layers and travel time (:func:`atlas.zones_blanches_vues.couches_de_sites`)."""
    if not couches:
        return []
    return vues.couches_de_sites(zb.sites(couches, minutes))


@cache_par_base(partage=True, max_entries=32)
def _donnees_carte(cle: tuple, afficher_sites: bool, fond: str, presentation: bool, dossier: str, trait: str) -> dict:
    # ``presentation`` and ``dossier`` are read again inside (map height, layer's folder): they are
    # arguments so that each value has its own entry
    vue = vue_regles(*cle)
    return carte_legere.donnees_categories(
        vue.survol,
        "commune",
        vue.groupes,
        emprise=queries.emprise_region(),
        survol=["nom", "b", "m", "c"],
        titre_legende="Catégorie (nombre de communes)",
        fond=fond,
        trait=trait,
        points=couches_sites(cle[5], cle[4]) if afficher_sites else [],
    )


def donnees_carte(r: zb.Regles, afficher_sites: bool, fond: str) -> dict:
    """The map component's data of :func:`vue_regles` (colours, hover, legend, sites), shared by every session.

    A shallow copy is returned: a caller may replace a key, never change a list or dict it holds.
    """
    from atlas.maps import en_presentation

    cle = (r.indicateur, r.seuil, r.valeur, r.mois, r.minutes, tuple(r.couches), r.estimations)
    return dict(
        _donnees_carte(
            cle, afficher_sites, fond, en_presentation(), str(couches_statiques.dossier_static()), vues.TRAIT
        )
    )


def vue(r: zb.Regles) -> VueRegles:
    """:func:`vue_regles` of a :class:`atlas.zones_blanches.Regles`."""
    return vue_regles(r.indicateur, r.seuil, r.valeur, r.mois, r.minutes, tuple(r.couches), r.estimations)
