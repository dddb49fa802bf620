"""What the « Précarité énergétique » page shows, ready to draw: shares, crossing, target list, tables.

The figures come from :mod:`atlas.precarite` (DPE shares, terciles, ranking) and
:mod:`atlas.indicateurs` (poverty); this module only shapes them for the page, with the rule that
a share computed on fewer than :data:`atlas.precarite.SEUIL_DPE` DPE is never shown (one rule everywhere,
as the ETL stores it: only its count of DPE is said).

What a view shows is the same for every visitor: the blocks of the page (:func:`passoires`,
:func:`periodes`, :func:`croisement`) are computed once per database and view, and shared by
every session (read-only: the page only draws them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from atlas import indicateurs, precarite
from atlas.classification import Classes, classer
from atlas.db import cache_par_base
from atlas.exports import colonne_indicateur
from atlas.formatting import accord, format_nombre, libelle_avec_unite
from atlas.maps import contours_estimations


def libelle_niveau(niveau: str) -> str:
    """« communes » or « EPCI », as a sentence names the territories of the level."""
    return precarite.NIVEAUX[niveau].lower() if niveau == "commune" else "EPCI"


def parts_affichees(data: pd.DataFrame) -> pd.DataFrame:
    """The share of passoires as the map shows it, with its status and hover text.

    A share on fewer than :data:`atlas.precarite.SEUIL_DPE` DPE is never shown: its territory is
    ``secret`` on the map (dark grey) with its count of DPE, and a territory without any DPE is
    ``absent``, never a zero.

    Parameters
    ----------
    data : DataFrame
        :func:`atlas.precarite.passoires` (``part_passoires``, ``nb_dpe``, ``fiable``).

    Returns
    -------
    DataFrame
        ``data`` with ``montree`` (the share shown, NaN when hidden), ``texte_part`` (hover),
        ``valeur`` and ``statut`` (``ok`` / ``secret`` / ``absent``) for the map.
    """
    out = data.copy()
    out["montree"] = out["part_passoires"].where(out["fiable"])
    out["texte_part"] = [
        (
            f"Passoires (F ou G) : {format_nombre(p, 1, '%')} de {format_nombre(n)} DPE"
            if n > 0 and f
            else f"Passoires : part non publiée ({accord(int(n), 'DPE', 'DPE')}, moins de {precarite.SEUIL_DPE})"
        )
        for p, n, f in zip(out["part_passoires"], out["nb_dpe"], out["fiable"], strict=True)
    ]
    out["valeur"] = out["montree"]
    out["statut"] = [
        "ok" if pd.notna(v) else ("secret" if n > 0 else "absent")
        for v, n in zip(out["montree"], out["nb_dpe"], strict=True)
    ]
    return out


def phrase_region(region: pd.DataFrame, data: pd.DataFrame, niveau: str) -> str:
    """The sentence above the map: the region's share, and how many territories have too few DPE.

    Parameters
    ----------
    region : DataFrame
        :func:`atlas.precarite.passoires` at the region level (one row).
    data : DataFrame
        The level's shares (``nb_dpe``, ``fiable``).
    niveau : str
        The level of ``data``.
    """
    nb_peu_fiables = int(((data["nb_dpe"] > 0) & ~data["fiable"]).sum())
    phrase = (
        f"Dans la région, **{format_nombre(region['part_passoires'].iloc[0], 1, '%')}** des logements diagnostiqués "
        f"sont classés F ou G ({format_nombre(region['nb_fg'].iloc[0])} sur {format_nombre(region['nb_dpe'].iloc[0])} DPE)."
    )
    # none: nothing to say (« 0 EPCI ont moins de 20 DPE » read as a glitch); one: in the singular
    if nb_peu_fiables == 1:
        nom = "commune" if niveau == "commune" else "EPCI"
        phrase += (
            f" 1 {nom} a moins de {precarite.SEUIL_DPE} DPE : sa part n'est pas publiée, trop peu fiable "
            "(gris foncé sur la carte)."
        )
    elif nb_peu_fiables:
        phrase += (
            f" {format_nombre(nb_peu_fiables)} {libelle_niveau(niveau)} ont moins de {precarite.SEUIL_DPE} DPE : leur "
            "part n'est pas publiée, trop peu fiable (gris foncé sur la carte)."
        )
    return phrase


def croiser(
    data: pd.DataFrame, pauvrete: pd.DataFrame, ind: Mapping, millesime: str
) -> tuple[pd.DataFrame, precarite.Bivariee]:
    """Cross the shown share of passoires with a poverty indicator: terciles and hover texts.

    A secret or missing poverty value stays missing (the territory is not classed), never zero.

    Parameters
    ----------
    data : DataFrame
        :func:`parts_affichees`.
    pauvrete : DataFrame
        :func:`atlas.indicateurs.valeurs` of the poverty indicator (``code``, ``valeur``,
        ``statut``, ``bas``, ``haut``).
    ind : mapping
        :func:`atlas.indicateurs.indicateur` of it (``libelle``, ``unite``, ``sens``).
    millesime : str
        Its millésime, written in the hover text.

    Returns
    -------
    tuple
        ``data`` with ``x`` (share shown), ``y``, ``statut_y``, ``bas_y``, ``haut_y``,
        ``texte_pauvrete`` and ``cellule`` (name of the 3 × 3 cell, « Non classé »), and the
        :class:`atlas.precarite.Bivariee` classification.
    """
    out = data.copy()
    valeurs = pauvrete.set_index("code")
    out["y"] = out["code"].map(valeurs["valeur"])
    out["statut_y"] = out["code"].map(valeurs["statut"]).fillna("absent")
    out["bas_y"] = out["code"].map(valeurs["bas"])
    out["haut_y"] = out["code"].map(valeurs["haut"])
    out["x"] = out["montree"]
    bivariee = precarite.classer_bivarie(out["x"], out["y"], ind["sens"])
    out["texte_pauvrete"] = [
        f"{ind['libelle']} {millesime} : " + indicateurs.texte_valeur(v, s, b, h, ind["unite"])
        for v, s, b, h in zip(out["y"], out["statut_y"], out["bas_y"], out["haut_y"], strict=True)
    ]
    out["cellule"] = [
        precarite.libelle_cellule(int(cx), int(cy)) if pd.notna(cx) and pd.notna(cy) else "Non classé"
        for cx, cy in zip(bivariee.classe_x, bivariee.classe_y, strict=True)
    ]
    return out, bivariee


def non_classes(bivariee: precarite.Bivariee) -> pd.Series:
    """Territories outside the 3 × 3 grid (a value missing, secret or hidden)."""
    return bivariee.classe_x.isna() | bivariee.classe_y.isna()


def groupes_carte(data: pd.DataFrame, bivariee: precarite.Bivariee) -> list[tuple]:
    """The bivariate map's groups: nine cells (estimates outlined), then hidden shares, then missing values.

    Parameters
    ----------
    data : DataFrame
        :func:`croiser` (``statut_y``, ``nb_dpe``, ``x``).
    bivariee : Bivariee
        Its classification.

    Returns
    -------
    list of (label, colour, index)
        For :func:`atlas.maps.carte_categories`.
    """
    groupes = contours_estimations(
        [
            (
                precarite.libelle_cellule(i, j),
                precarite.couleur(i, j),
                data.index[(bivariee.classe_x == i) & (bivariee.classe_y == j)],
            )
            for i in (3, 2, 1)
            for j in (3, 2, 1)
        ],
        data["statut_y"] == "estime",
    )
    dehors = non_classes(bivariee)
    masques = dehors & (data["nb_dpe"] > 0) & data["x"].isna()
    groupes.append((precarite.LIBELLE_PEU_FIABLE, precarite.GRIS_PEU_FIABLE, data.index[masques]))
    groupes.append((precarite.LIBELLE_MANQUANT, precarite.GRIS_MANQUANT, data.index[dehors & ~masques]))
    return groupes


def comptes_cellules(bivariee: precarite.Bivariee) -> list[list[int]]:
    """Territories in each cell, ``[classe passoires - 1][classe pauvreté - 1]`` (the legend's counts)."""
    return [
        [int(((bivariee.classe_x == i + 1) & (bivariee.classe_y == j + 1)).sum()) for j in range(3)] for i in range(3)
    ]


def phrase_terciles(bivariee: precarite.Bivariee, niveau: str, sens: str) -> str:
    """Caption of the 3 × 3 legend: terciles on how many territories, and a reversed axis said."""
    return (
        "Chaque axe est découpé en terciles (trois groupes d'effectifs égaux) calculés sur les "
        f"{format_nombre(int((~non_classes(bivariee)).sum()))} {libelle_niveau(niveau)} ayant les deux valeurs. "
        + ("Pour cet indicateur, une valeur faible signale la pauvreté : l'axe est inversé." if sens == "-" else "")
    )


def liste_cibles(data: pd.DataFrame, bivariee: precarite.Bivariee, sens: str) -> pd.DataFrame:
    """:func:`atlas.precarite.cibles` with ``pauvrete_estimee``: « publié » or « estimation de l'atlas »."""
    liste = precarite.cibles(data, bivariee, sens)
    liste["pauvrete_estimee"] = liste["statut_y"].eq("estime").map({True: "estimation de l'atlas", False: "publié"})
    return liste


def entete_cibles(
    niveau: str, type_batiment: str, ind: Mapping, millesime: str, source_dpe: str, estimees: bool
) -> list[str]:
    """Header lines of the target-list CSV: what, sources and millésimes, definitions, the reliability rule.

    The lines from the second on also head the CSV of all territories.

    Parameters
    ----------
    niveau, type_batiment : str
        Level and building type shown.
    ind : mapping
        The poverty indicator (``libelle``, ``source_libelle``, ``producteur``).
    millesime : str
        Its millésime.
    source_dpe : str
        Source of the DPE shares (demonstration said).
    estimees : bool
        Whether some targets rest on an atlas estimate.
    """
    return [
        f"Cibles de l'aller-vers : {libelle_niveau(niveau)} du tercile le plus élevé de la part de passoires "
        f"({precarite.TYPES_BATIMENT[type_batiment].lower()}) et de « {ind['libelle']} » {millesime}",
        f"Sources : {source_dpe} ; {ind['source_libelle']} ({ind['producteur']}), millésime {millesime}",
        "Passoire : dernier DPE du logement classé F ou G. Classement : moyenne des deux rangs centiles.",
        f"Parts calculées sur moins de {precarite.SEUIL_DPE} DPE : non publiées, exclues du classement.",
        *(
            [
                "Colonne « Statut (pauvreté) » : « Estimation de l'atlas » quand l'INSEE garde le taux secret "
                "(jamais une valeur de l'INSEE)."
            ]
            if estimees
            else []
        ),
    ]


def tableau_territoires(data: pd.DataFrame, bivariee: precarite.Bivariee) -> pd.DataFrame:
    """Every territory with its DPE, shares, reliability, poverty value and cell (export order).

    Parameters
    ----------
    data : DataFrame
        :func:`croiser`.
    bivariee : Bivariee
        Its classification.
    """
    return data.assign(
        part_passoires=data["montree"],
        part_efg=data["part_efg"].where(data["fiable"]),
        fiabilite=[
            "fiable" if f else ("aucun DPE" if n == 0 else f"moins de {precarite.SEUIL_DPE} DPE : part non publiée")
            for f, n in zip(data["fiable"], data["nb_dpe"], strict=True)
        ],
        classe_passoires=bivariee.classe_x,
        classe_pauvrete=bivariee.classe_y,
    )[["nom", "code", "population", "nb_dpe", "part_passoires", "part_efg", "fiabilite", "y", "statut_y", "cellule"]]


def tableau_affiche(tableau: pd.DataFrame, fiable: pd.Series) -> pd.DataFrame:
    """:func:`tableau_territoires` as shown: reliable shares first, statuses in words, rounded.

    A 100 % computed on one DPE must not head the table.
    """
    return (
        tableau.assign(
            _fiable=fiable,
            statut_y=tableau["statut_y"].map(indicateurs.STATUTS),
            # « élevée · faible » (passoires · pauvreté, said in the header's tooltip): the table fits the screen
            cellule=tableau["cellule"].str.replace(
                r"^Passoires : part (.+) · pauvreté : (.+)$", r"\1 · \2", regex=True
            ),
        )
        .sort_values(["_fiable", "part_passoires"], ascending=False, na_position="last")
        .drop(columns="_fiable")
        .round({"part_passoires": 1, "part_efg": 1, "y": 1})
    )


def colonnes_export(ind: Mapping, millesime: str, millesime_population: str) -> dict[str, str]:
    """French headers of the CSV columns (target list and full table), in their order.

    The poverty column says its indicator, unit and millésime (« Taux de pauvreté (%) 2021 »),
    the population its millésime; the column names are those of :func:`liste_cibles` and
    :func:`tableau_territoires` (absent ones are skipped by :func:`atlas.exports.pour_lecteur`).
    """
    return {
        "rang": "Rang",
        "nom": "Territoire",
        "code": "Code",
        "population": f"Population {millesime_population}",
        "nb_dpe": "Nombre de DPE",
        "part_passoires": "Passoires F ou G (%)",
        "part_efg": "E, F ou G (%)",
        "fiabilite": "Fiabilité",
        "y": colonne_indicateur(ind["libelle"], ind["unite"], millesime),
        "statut_y": "Statut (pauvreté)",
        "pauvrete_estimee": "Pauvreté",
        "cellule": "Case du croisement",
    }


@dataclass(frozen=True)
class Passoires:
    """The share of passoires of a level as the map shows it, its classes and the sentence above it."""

    data: pd.DataFrame
    classes: Classes
    phrase: str
    demonstration: bool


@cache_par_base(partage=True, max_entries=16)
def passoires(niveau: str, type_batiment: str) -> Passoires:
    """The block « part de passoires énergétiques » (shared by every session: read-only)."""
    data = parts_affichees(precarite.passoires(niveau, type_batiment))
    return Passoires(
        data,
        classer(data["valeur"], "quantiles", 5, "%", "+"),
        phrase_region(precarite.passoires("region", type_batiment), data, niveau),
        bool(data["demonstration"].any()),
    )


@cache_par_base(partage=True, max_entries=4)
def periodes(region: str) -> pd.DataFrame:
    """The region's shares by construction period, rounded as the table shows them.

    The page draws them as HTML bars (:func:`atlas.precarite_barres.barres_periodes`), the PNG
    and the slide as a plotly figure (:func:`atlas.precarite_barres.figure_periodes`).
    """
    return precarite.par_periode("region", region).round({"part_passoires": 1})


@dataclass(frozen=True)
class Croisement:
    """Passoires × poverty: the crossed data, its classification, the map's groups and grid, the lists."""

    data: pd.DataFrame
    bivariee: precarite.Bivariee
    groupes: list
    grille: dict
    liste: pd.DataFrame
    tableau: pd.DataFrame
    affichage: pd.DataFrame


@cache_par_base(partage=True, max_entries=64)
def croisement(
    niveau: str, type_batiment: str, code_pauvrete: str, millesime: str, avec_estimations: bool
) -> Croisement:
    """The blocks « passoires × pauvreté », target list and full table (shared by every session: read-only).

    Parameters
    ----------
    niveau, type_batiment : str
        Level and building type of the shares.
    code_pauvrete, millesime : str
        The poverty indicator and its millésime.
    avec_estimations : bool
        Count the atlas's estimates where INSEE keeps the rate secret (otherwise they are not classed).
    """
    ind = indicateurs.indicateur(code_pauvrete)
    pauvrete = indicateurs.valeurs(code_pauvrete, niveau, millesime)
    if not avec_estimations:
        pauvrete = indicateurs.sans_estimations(pauvrete)
    data, bivariee = croiser(passoires(niveau, type_batiment).data, pauvrete, ind, millesime)
    grille = {
        "palette": precarite.PALETTE_BIVARIEE,
        "libelles_x": bivariee.libelles_x("%"),
        "libelles_y": bivariee.libelles_y(ind["unite"]),
        "comptes": comptes_cellules(bivariee),
        "titre_x": "Part de passoires (%)",
        "titre_y": libelle_avec_unite(ind["libelle"], ind["unite"]),
    }
    tableau = tableau_territoires(data, bivariee)
    return Croisement(
        data,
        bivariee,
        groupes_carte(data, bivariee),
        grille,
        liste_cibles(data, bivariee, ind["sens"]),
        tableau,
        tableau_affiche(tableau, data["fiable"]),
    )
