"""Territoires comparables: the territories of the same level whose published profile is closest.

Method (shown on the fiche and in docs/evolutions-comparables.md):

- variables: the poverty rate, the median standard of living, the density (population ÷ area,
  on a log scale: a city is not 100 times « more different » from a town than a town from a
  village) and, where the CNAF publishes them, the shares of allocataires receiving the RSA, the
  prime d'activité, an aide au logement and the AAH; each at the latest millésime published on
  the level. No age structure is in the atlas (INSEE's poverty rate by age of the household's
  referent is not one): age is not a variable;
- published values only (statut ``ok``): an estimate of the atlas never makes two territories
  look alike;
- z-scores over the territories of the level that publish the variable;
- distance between two territories: Euclidean distance of their z-scores on the variables both
  publish, divided by the square root of their number (a root mean square), so that distances
  on 3 and on 7 shared variables read on the same scale; a pair is compared on at least
  :data:`MIN_VARIABLES` shared variables (fewer only when the territory itself publishes fewer).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import format_nombre

#: Variables of the distance, in the order they are listed, with their label.
VARIABLES = {
    "taux_pauvrete": "taux de pauvreté",
    "mediane_niveau_vie": "niveau de vie médian",
    "densite": "densité (log)",
    "part_allocataires_rsa": "part RSA (CAF)",
    "part_allocataires_prime_activite": "part prime d'activité (CAF)",
    "part_allocataires_aides_logement": "part aides au logement (CAF)",
    "part_allocataires_aah": "part AAH (CAF)",
}
#: Short names of the variables, for the table of comparable territories.
VARIABLES_COURTS = {
    "taux_pauvrete": "pauvreté",
    "mediane_niveau_vie": "niveau de vie",
    "densite": "densité",
    "part_allocataires_rsa": "RSA",
    "part_allocataires_prime_activite": "prime d'activité",
    "part_allocataires_aides_logement": "aides au logement",
    "part_allocataires_aah": "AAH",
}
MIN_VARIABLES = 3
NOMBRE = 5


def tableau_variables(valeurs: pd.DataFrame, territoires: pd.DataFrame) -> pd.DataFrame:
    """The variables of every territory of a level, one column each, published values only.

    Parameters
    ----------
    valeurs : DataFrame
        Long values (``indicateur``, ``code``, ``valeur``, ``statut``); anything but statut
        ``ok`` (secret, absent, the atlas's estimates) is left out.
    territoires : DataFrame
        ``code``, ``population``, ``superficie_km2``: the density is ``log10(population ÷ area)``.

    Returns
    -------
    DataFrame
        Index ``code`` (every territory of ``territoires``), columns of :data:`VARIABLES` present.
    """
    publies = valeurs[(valeurs["statut"] == "ok") & valeurs["indicateur"].isin(list(VARIABLES))]
    large = publies.pivot_table(index="code", columns="indicateur", values="valeur", aggfunc="first")
    codes = territoires["code"].astype(str)
    large = large.reindex(codes)
    superficie = pd.to_numeric(territoires["superficie_km2"], errors="coerce").to_numpy()
    population = pd.to_numeric(territoires["population"], errors="coerce").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        densite = np.where((superficie > 0) & (population > 0), np.log10(population / superficie), np.nan)
    large["densite"] = densite
    large.index.name = "code"
    return large[[v for v in VARIABLES if v in large.columns]]


def standardiser(large: pd.DataFrame) -> pd.DataFrame:
    """z-scores of each variable over the territories that have it; a variable without spread is dropped."""
    moyenne = large.mean()
    ecart = large.std(ddof=0)
    gardees = ecart.index[(ecart > 0) & (large.count() >= 2)]
    return (large[gardees] - moyenne[gardees]) / ecart[gardees]


def distances(z: pd.DataFrame, code: str, min_variables: int = MIN_VARIABLES) -> pd.DataFrame:
    """Distance of every other territory to ``code`` on the variables both have.

    Parameters
    ----------
    z : DataFrame
        :func:`standardiser` output (index code).
    code : str
        The territory compared.
    min_variables : int
        Fewest shared variables for a pair to be compared (lowered to the territory's own number
        of variables when it has fewer, never under 2).

    Returns
    -------
    DataFrame
        ``code``, ``distance`` (root mean square of the z-score gaps), ``nb_variables``,
        ``variables`` (tuple of variable codes), closest first; territories sharing too few
        variables are left out.
    """
    if code not in z.index:
        return pd.DataFrame(columns=["code", "distance", "nb_variables", "variables"])
    cible = z.loc[code]
    propres = cible.notna()
    seuil = max(2, min(min_variables, int(propres.sum())))
    autres = z.drop(index=code)
    ecarts = autres.sub(cible, axis=1)
    communes = ecarts.notna()
    nb = communes.sum(axis=1)
    carres = (ecarts**2).sum(axis=1, min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.sqrt(carres / nb)
    out = pd.DataFrame(
        {
            "code": autres.index.astype(str),
            "distance": distance.to_numpy(),
            "nb_variables": nb.to_numpy(),
            "variables": [tuple(z.columns[ligne]) for ligne in communes.to_numpy()],
        }
    )
    out = out[out["nb_variables"] >= seuil]
    return out.sort_values(["distance", "code"], ignore_index=True)


def libelle_variables(variables) -> str:
    """« taux de pauvreté, niveau de vie médian, densité (log) »."""
    return ", ".join(VARIABLES[v] for v in variables)


@cache_par_base
def _donnees(niveau: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    valeurs = query(
        """
        with derniers as (
            -- the latest millésime of each variable published on the level
            select indicateur, max(millesime) as millesime
            from valeurs
            where niveau = ? and statut = 'ok' and list_contains(?, indicateur)
            group by indicateur
        )

        select v.indicateur, v.code, v.valeur, v.statut, v.millesime
        from valeurs as v
        join derniers as d using (indicateur, millesime)
        where v.niveau = ?
        """,
        [niveau, list(VARIABLES), niveau],
    )
    territoires = query(
        "select code, nom, population, superficie_km2 from territoires where niveau = ? order by code", [niveau]
    )
    return valeurs, territoires


@cache_par_base
def _z(niveau: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    valeurs, territoires = _donnees(niveau)
    return standardiser(tableau_variables(valeurs, territoires)), territoires


def comparables(niveau: str, code: str, nombre: int = NOMBRE) -> pd.DataFrame:
    """The ``nombre`` territories of the level closest to ``code`` (see the module's method).

    Returns
    -------
    DataFrame
        ``code``, ``nom``, ``distance``, ``nb_variables``, ``variables`` (tuple of codes),
        ``variables_libelle``; empty when the territory publishes too few variables or is alone
        of its level (the region).
    """
    z, territoires = _z(niveau)
    proches = distances(z, code).head(nombre)
    noms = territoires.set_index("code")["nom"]
    return proches.assign(nom=proches["code"].map(noms), variables_libelle=proches["variables"].map(libelle_variables))[
        ["code", "nom", "distance", "nb_variables", "variables", "variables_libelle"]
    ]


def tableau_comparables(proches: pd.DataFrame) -> pd.DataFrame:
    """The comparable territories as printed: rank, name, distance (French decimals), variables used."""
    return pd.DataFrame(
        {
            "Rang": range(1, len(proches) + 1),
            "Territoire": proches["nom"] + " (" + proches["code"] + ")",
            "Distance": [format_nombre(d, 2) for d in proches["distance"]],
            "Variables communes": [
                f"{len(v)} : {', '.join(VARIABLES_COURTS[c] for c in v)}" for v in proches["variables"]
            ],
        }
    )


def phrase_methode() -> str:
    """How the comparable territories are chosen, for the fiche and the PDF."""
    return (
        "Territoires du même échelon au profil le plus proche : écarts centrés-réduits (sur les territoires de "
        "l'échelon) du taux de pauvreté, du niveau de vie médian, de la densité (en logarithme) et, là où la CAF "
        "les publie, des parts d'allocataires du RSA, de la prime d'activité, des aides au logement et de l'AAH, "
        "au dernier millésime publié ; valeurs publiées seulement (jamais une estimation de l'atlas). Distance : "
        "moyenne quadratique des écarts sur les variables publiées pour les deux territoires (au moins "
        f"{MIN_VARIABLES}) ; 0 = profils identiques, 1 = un écart-type en moyenne. La structure par âge n'est "
        "pas dans l'atlas : elle n'entre pas dans la distance."
    )
