"""Logic of the « Mobilité » page: access time, households without a car, and their crossing.

The mobility-gap reading crosses two published figures per commune, without inventing a score:
- *éloignée*: estimated time to the nearest France services at or above the chosen threshold
  (crow-fly distance × 1.3 at 60 km/h, an estimate without a routing engine);
- *peu motorisée*: share of households without a car at or above the regional median of communes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.db import db_stamp, query
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
_SOURCE_FS = "ANCT, France services au 01/08/2024 (temps estimé : vol d'oiseau × 1,3 à 60 km/h)"
_SOURCE_VOITURE = "INSEE, recensement 2020 (part des ménages sans voiture, fichier dérivé par IRIS)"
#: Source and millésime of each map, as the page names them (for exports).
SOURCES_CARTES = {
    "croisement": f"{_SOURCE_FS} ; {_SOURCE_VOITURE}",
    "temps": _SOURCE_FS,
    "voiture": _SOURCE_VOITURE,
}


@st.cache_data(show_spinner=False)
def _communes(stamp: str) -> pd.DataFrame:
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


def communes() -> pd.DataFrame:
    """One row per commune: access time and distance, share without a car, poverty, typologies."""
    return _communes(db_stamp())


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


@st.cache_data(show_spinner=False)
def _communes_insulaires(stamp: str) -> pd.DataFrame:
    return query(
        """
        select i.code_commune as code, i.nom, i.ile, i.acces, v.valeur as temps_min
        from communes_insulaires as i
        left join valeurs as v
          on v.indicateur = 'fs_temps_min' and v.niveau = 'commune' and v.code = i.code_commune
        order by i.code_commune
        """
    )


def communes_insulaires() -> pd.DataFrame:
    """Communes without a road link to the mainland (``code``, ``nom``, ``ile``, ``acces``, ``temps_min``).

    ``temps_min`` (France services) is NaN when the island has no site: the crossing is not
    estimated as a drive.
    """
    return _communes_insulaires(db_stamp())


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
