"""What the « Mobilité » page shows, computed once per database and threshold and shared by every session.

A committee opening the page together all land on the same threshold and map. The categories of
the communes, the hover texts, the classes, the map component's colours, the rurality crossing,
the list of far communes with its CSV frame and header, and the maps' table depend only on the
database, the threshold and the map chosen: the first visitor computes them, the others read
them (``atlas.db.cache_par_base(partage=True)``: one object per database stamp, renewed when the
ETL swaps in a new file). The objects are shared read-only: the page only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas import mobilite, queries
from atlas.classification import Classes, classer
from atlas.composants import carte as carte_legere
from atlas.composants import couches
from atlas.db import cache_par_base
from atlas.exports import pour_lecteur
from atlas.formatting import format_nombre


@dataclass(frozen=True)
class VueSeuil:
    """The communes classified at one threshold, and the page's tables: read-only, shared."""

    data: pd.DataFrame  # :func:`atlas.mobilite.communes` with ``categorie``
    mediane: float  # regional median of the share of households without a car
    iles: frozenset[str]  # codes of the island communes
    methode: str  # the caption of the method (:func:`atlas.mobilite.methode`)
    annees: dict[str, str]  # :func:`atlas.mobilite.millesimes`
    millesime_population: str
    croise: pd.DataFrame  # communes of each rurality type in each category, in the legend's order
    eloignees: pd.DataFrame  # :func:`atlas.mobilite.eloignees`
    eloignees_affichage: pd.DataFrame  # the list as shown (rounded)
    export: pd.DataFrame  # the list's CSV frame, French headers
    entete: list[str]  # the CSV's header lines
    tableau_cartes: pd.DataFrame  # :func:`atlas.mobilite.tableau_cartes`


@cache_par_base(partage=True, max_entries=16)
def vue_seuil(seuil: int) -> VueSeuil:
    """The communes, categories and tables of the page at ``seuil`` minutes.

    Parameters
    ----------
    seuil : int
        Time (minutes) at or above which a commune is *éloignée*.
    """
    iles_frame = mobilite.communes_insulaires()
    data = mobilite.communes().copy()
    data["categorie"] = mobilite.categoriser(data, seuil)
    annees = mobilite.millesimes()
    population = queries.metadonnees()["millesime_population"]
    croise = mobilite.croisement_ruralite(data)
    # the categories in the legend's order (the pivot sorted them alphabetically)
    croise = croise[[v[0] for v in mobilite.CATEGORIES.values() if v[0] in croise.columns]].reset_index()
    eloignees = mobilite.eloignees(data, seuil)
    return VueSeuil(
        data=data,
        mediane=data["part_sans_voiture"].median(),
        iles=frozenset(iles_frame["code"]),
        methode=mobilite.methode(iles_frame),
        annees=annees,
        millesime_population=population,
        croise=croise,
        eloignees=eloignees,
        eloignees_affichage=eloignees.round(
            {"temps_min": 0, "distance_km": 1, "part_sans_voiture": 1, "taux_pauvrete": 1}
        ),
        export=pour_lecteur(
            # the distance with the decimal shown on screen (« 19,5 », not « 19,486 »)
            eloignees.round({"distance_km": 1}),
            {
                "nom": "Commune",
                "code": "Code",
                "population": f"Population {population}",
                "temps_min": "Temps estimé (min)",
                "distance_km": "Distance (km)",
                "part_sans_voiture": "Ménages sans voiture (%)",
                "taux_pauvrete": f"Taux de pauvreté {annees.get('taux_pauvrete', '?')} (%)",
                "mediane_niveau_vie": f"Médiane du niveau de vie {annees.get('mediane_niveau_vie', '?')} (€)",
                "libelle_ruralite": "Ruralité (ANCT)",
            },
            unites={"part_sans_voiture": "%", "taux_pauvrete": "%", "mediane_niveau_vie": "€", "temps_min": "min"},
        ),
        entete=mobilite.entete_eloignees(seuil),
        tableau_cartes=mobilite.tableau_cartes(data),
    )


@dataclass(frozen=True)
class VueCarte:
    """One of the page's maps at one threshold, ready to draw: read-only, shared."""

    titre_legende: str
    source: str  # :func:`atlas.mobilite.source_carte`
    frame: pd.DataFrame  # the map's rows with their hover texts (for the component and the image)
    survol: list[str]  # hover columns of ``frame``
    groupes: list[tuple] | None  # the crossing's categories (:func:`atlas.mobilite.groupes_croisement`)
    classes: Classes | None  # the classes of a variable's map


@cache_par_base(partage=True, max_entries=24)
def vue_carte(seuil: int, vue: str) -> VueCarte:
    """The map ``vue`` (a key of :data:`atlas.mobilite.VUES`) at ``seuil`` minutes."""
    base = vue_seuil(seuil)
    if vue == "croisement":
        return VueCarte(
            titre_legende=f"Seuil : {seuil} min ; médiane sans voiture : {format_nombre(base.mediane, 1, '%')}",
            source=mobilite.source_carte(vue),
            frame=mobilite.textes_croisement(base.data, base.iles),
            survol=["nom", "k", "t", "v"],
            groupes=mobilite.groupes_croisement(base.data),
            classes=None,
        )
    frame, libelle, unite = mobilite.carte_variable(base.data, vue)
    return VueCarte(
        titre_legende=f"{libelle} ({unite}), {mobilite.legende_source(vue)}",
        source=mobilite.source_carte(vue),
        frame=frame,
        survol=["nom", "survol"],
        groupes=None,
        classes=classer(frame["valeur"], "quantiles", 5, unite, "+"),
    )


@cache_par_base(partage=True, max_entries=24)
def _donnees_carte(seuil: int, vue: str, fond: str, presentation: bool, dossier: str) -> dict:
    # ``presentation`` and ``dossier`` are read again inside (map height, layer's folder): they are
    # arguments so that each value has its own entry
    carte = vue_carte(seuil, vue)
    options = dict(emprise=queries.emprise_region(), survol=carte.survol, titre_legende=carte.titre_legende, fond=fond)
    if carte.groupes is not None:
        return carte_legere.donnees_categories(carte.frame, "commune", carte.groupes, **options)
    return carte_legere.donnees_classes(carte.frame, "commune", carte.classes, **options)


def donnees_carte(seuil: int, vue: str, fond: str) -> dict:
    """The map component's data of :func:`vue_carte` (colours, hover, legend), shared by every session.

    The same for every visitor with the same threshold, map, basemap and presentation mode. A
    shallow copy is returned: a caller may replace a key, never change a list or dict it holds.
    """
    from atlas.maps import en_presentation

    return dict(_donnees_carte(seuil, vue, fond, en_presentation(), str(couches.dossier_static())))
