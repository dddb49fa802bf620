"""Logic of the « Précarité énergétique » page: passoires énergétiques crossed with poverty.

Two readings, without inventing a score:

- the share of *passoires* (latest DPE of each dwelling labelled F or G) with the number of DPE
  behind it; a share computed on fewer than :data:`SEUIL_DPE` DPE is flagged as unreliable and
  hidden by default;
- a 3 × 3 bivariate classification: terciles of the share of passoires × terciles of a poverty
  indicator chosen from the catalogue (oriented by its ``sens``, so that the third tercile is
  always the poorest). The territories in the « élevée × élevée » cell are the aller-vers target
  list, ranked by the mean of their two percentile ranks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import decimales, format_nombre
from commun.methode import PERIODES_DPE, SEUIL_DPE

#: Source of the DPE shares, as named on the page and in the exported images.
SOURCE_DPE = "ADEME, DPE des logements existants"

#: Building types of the DPE aggregates, with their label.
TYPES_BATIMENT = {"ensemble": "Tous les logements", "maison": "Maisons", "appartement": "Appartements"}

#: Levels where both the DPE shares and most poverty indicators exist.
NIVEAUX = {"commune": "Communes", "epci": "EPCI"}

#: Default poverty indicator of the bivariate map, by preference: the poverty rate is not published
#: for EPCI in the bundled Filosofi 2019 EPCI file, so the share of minima sociaux comes next.
PAUVRETE_PAR_DEFAUT = ("taux_pauvrete", "part_minima_sociaux", "mediane_niveau_vie")

#: Catalogue themes offered as the poverty axis (rates and levels, not counts).
THEMES_PAUVRETE = ("Revenus et pauvreté", "Composition des revenus", "Prestations sociales (CAF)")
UNITES_PAUVRETE = ("%", "€", "rapport", "indice")

#: Construction periods in chronological order (labels of the ETL).
PERIODES = list(PERIODES_DPE)

NIVEAUX_TERCILE = ("faible", "moyenne", "élevée")

# Joshua Stevens' 3 × 3 bivariate palette (pink for passoires, teal for poverty), readable by
# colour-blind people in its two diagonals; [passoires class - 1][poverty class - 1].
PALETTE_BIVARIEE = [
    ["#e8e8e8", "#ace4e4", "#5ac8c8"],
    ["#dfb0d6", "#a5add3", "#5698b9"],
    ["#be64ac", "#8c62aa", "#3b4994"],
]
# Greys that no cell uses: the « faible × faible » cell is a very light grey (#e8e8e8), so the
# missing values are a mid grey and the unreliable shares a dark one.
GRIS_PEU_FIABLE = "#636363"
GRIS_MANQUANT = "#b0b0b0"
LIBELLE_PEU_FIABLE = f"Moins de {SEUIL_DPE} DPE : part non publiée"
LIBELLE_MANQUANT = "Donnée manquante (secret statistique ou non disponible)"


@dataclass
class EtatPrecarite:
    """What the page shows; it lives in the URL so that a copied link reopens the same view."""

    niveau: str = "commune"
    type_batiment: str = "ensemble"
    pauvrete: str = PAUVRETE_PAR_DEFAUT[0]
    millesime: str = ""
    estimations: bool = True  # the atlas's estimates of secret poverty rates count (switch off: secret)

    def vers_params(self) -> dict[str, str]:
        """Query parameters (only the non-empty ones; booleans as 1; estimates on by default: only 0 written)."""
        out = {
            k: ("1" if v is True else str(v))
            for k, v in asdict(self).items()
            if k != "estimations" and v not in (None, "", False)
        }
        if not self.estimations:
            out["estimations"] = "0"
        return out


def lire_etat(params: Mapping[str, str], candidats: list[str], millesimes_de) -> EtatPrecarite:
    """Read the page state from URL query parameters, replacing anything invalid by a default.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` (or any str → str mapping).
    candidats : list of str
        Codes of the poverty indicators offered at the chosen level.
    millesimes_de : callable
        ``(code, niveau) -> list of millésimes, latest first``.
    """
    niveau = params.get("niveau") if params.get("niveau") in NIVEAUX else "commune"
    type_batiment = params.get("type_batiment") if params.get("type_batiment") in TYPES_BATIMENT else "ensemble"
    pauvrete = params.get("pauvrete")
    if pauvrete not in candidats:
        pauvrete = pauvrete_par_defaut(candidats)
    millesimes = millesimes_de(pauvrete, niveau)
    millesime = params.get("millesime") if params.get("millesime") in millesimes else millesimes[0]
    return EtatPrecarite(niveau, type_batiment, pauvrete, millesime, params.get("estimations") != "0")


def source_dpe(demonstration: bool) -> str:
    """:data:`SOURCE_DPE`, with « (données de démonstration) » when the DPE are the generated extract.

    In the words of a sentence, as every other mention of the demonstration data: a map legend's
    title, a chart's caption and a CSV's header read it without shouting.
    """
    return SOURCE_DPE + (" (données de démonstration)" if demonstration else "")


def libelles_pauvrete(candidats: pd.DataFrame) -> dict[str, str]:
    """Code → label with its unit (« Taux de pauvreté (%) ») of :func:`indicateurs_pauvrete`, for the choice."""
    from atlas.formatting import libelle_avec_unite

    return {
        code: libelle_avec_unite(libelle, unite)
        for code, libelle, unite in zip(candidats["code"], candidats["libelle"], candidats["unite"], strict=True)
    }


def a_des_estimations(code: str, niveau: str, millesime: str) -> bool:
    """Whether some values of the poverty indicator are the atlas's estimates (INSEE keeps them secret)."""
    from atlas import indicateurs

    return bool((indicateurs.valeurs(code, niveau, millesime)["statut"] == "estime").any())


def pauvrete_par_defaut(candidats: list[str]) -> str:
    """The first of :data:`PAUVRETE_PAR_DEFAUT` offered, else the first candidate."""
    return next((c for c in PAUVRETE_PAR_DEFAUT if c in candidats), candidats[0])


def indicateurs_pauvrete(catalogue: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Catalogue rows that can be the poverty axis at ``niveau`` (rates and levels, not counts)."""
    garde = [
        t in THEMES_PAUVRETE and u in UNITES_PAUVRETE and n is not None and niveau in list(n)
        for t, u, n in zip(catalogue["theme"], catalogue["unite"], catalogue["niveaux_disponibles"], strict=True)
    ]
    return catalogue[garde]


@cache_par_base
def _passoires(niveau: str, type_batiment: str) -> pd.DataFrame:
    return query(
        """
        with

        agregats as (
            select code, nb_dpe, nb_fg, nb_efg, demonstration
            from dpe_agregats
            where niveau = ? and type_batiment = ? and periode = 'ensemble'
        ),

        final as (
            select
                t.code,
                t.nom,
                t.code_departement,
                t.population,
                coalesce(a.nb_dpe, 0) as nb_dpe,
                coalesce(a.nb_fg, 0) as nb_fg,
                100.0 * a.nb_fg / nullif(a.nb_dpe, 0) as part_passoires,
                100.0 * a.nb_efg / nullif(a.nb_dpe, 0) as part_efg,
                coalesce(a.demonstration, false) as demonstration
            from territoires as t
            left join agregats as a on a.code = t.code
            where t.niveau = ?
        )

        select * from final order by code
        """,
        [niveau, type_batiment, niveau],
    )


def passoires(niveau: str, type_batiment: str = "ensemble") -> pd.DataFrame:
    """Share of passoires and number of DPE of every territory of a level.

    Parameters
    ----------
    niveau : {"commune", "epci", "departement", "region"}
    type_batiment : {"ensemble", "maison", "appartement"}

    Returns
    -------
    DataFrame
        ``code, nom, code_departement, population, nb_dpe, nb_fg, part_passoires, part_efg,
        demonstration`` and ``fiable`` (at least :data:`SEUIL_DPE` DPE). A territory without any
        DPE has ``nb_dpe`` 0 and no share.
    """
    out = _passoires(niveau, type_batiment).copy()
    out["fiable"] = out["nb_dpe"] >= SEUIL_DPE
    return out


@cache_par_base
def _par_periode(niveau: str, code: str) -> pd.DataFrame:
    return query(
        """
        select periode, nb_dpe, nb_fg, 100.0 * nb_fg / nullif(nb_dpe, 0) as part_passoires
        from dpe_agregats
        where niveau = ? and code = ? and periode <> 'ensemble' and type_batiment = 'ensemble'
        order by periode
        """,
        [niveau, code],
    )


def par_periode(niveau: str, code: str) -> pd.DataFrame:
    """Share of passoires by construction period (all dwellings) for one territory.

    Shares computed on fewer than :data:`SEUIL_DPE` DPE are set to NaN (not shown).
    """
    out = _par_periode(niveau, code).copy()
    out.loc[out["nb_dpe"] < SEUIL_DPE, "part_passoires"] = np.nan
    out["periode"] = pd.Categorical(out["periode"], categories=PERIODES, ordered=True)
    return out.sort_values("periode").reset_index(drop=True)


@dataclass
class Bivariee:
    """A 3 × 3 classification: ``classe_x`` / ``classe_y`` in 1..3 (NaN when not classed)."""

    classe_x: pd.Series
    classe_y: pd.Series
    bornes_x: list[float]  # the two tercile limits of x, increasing
    bornes_y: list[float]  # the two tercile limits of y, increasing (in the indicator's own values)
    sens_y: str

    def libelles_x(self, unite: str) -> list[str]:
        """Legend labels of the three x classes, from the lowest to the highest."""
        return _libelles_terciles(self.bornes_x, unite, "+")

    def libelles_y(self, unite: str) -> list[str]:
        """Legend labels of the three y classes, from the least to the most deprived."""
        return _libelles_terciles(self.bornes_y, unite, self.sens_y)


def _libelles_terciles(bornes: list[float], unite: str, sens: str) -> list[str]:
    d = decimales(unite)
    b1, b2 = (format_nombre(b, d, unite or None) for b in bornes)
    croissants = [f"jusqu'à {b1}", f"plus de {b1} à {b2}", f"plus de {b2}"]
    if sens == "+":
        return croissants
    # higher is better: the most deprived tercile holds the lowest values
    return croissants[::-1]


def _terciles(valeurs: pd.Series) -> tuple[pd.Series, list[float]]:
    presentes = valeurs.dropna().astype(float)
    if presentes.nunique() < 3:
        return pd.Series(np.nan, index=valeurs.index), [np.nan, np.nan]
    b1, b2 = np.quantile(presentes.to_numpy(), [1 / 3, 2 / 3])
    classe = pd.Series(np.where(valeurs > b2, 3, np.where(valeurs > b1, 2, 1)), index=valeurs.index, dtype=float)
    return classe.where(valeurs.notna()), [float(b1), float(b2)]


def classer_bivarie(x: pd.Series, y: pd.Series, sens_y: str = "+") -> Bivariee:
    """Terciles of ``x`` (higher = worse) and of ``y`` oriented by ``sens_y``.

    Parameters
    ----------
    x : Series
        Share of passoires (NaN when hidden or missing).
    y : Series
        Poverty indicator, aligned on ``x`` (NaN when secret or missing).
    sens_y : {"+", "-"}
        ``+`` when a higher ``y`` is worse for people; ``-`` (e.g. a median income) reverses the
        classes so that class 3 is always the most deprived.

    Returns
    -------
    Bivariee
        Classes are computed on the territories where both values exist.
    """
    commun = x.notna() & y.notna()
    cx, bx = _terciles(x.where(commun))
    cy, by = _terciles(y.where(commun))
    if sens_y == "-":
        cy = 4 - cy
    return Bivariee(cx, cy, bx, by, sens_y)


def couleur(classe_x: int, classe_y: int) -> str:
    """Colour of a cell of the bivariate palette (classes 1..3)."""
    return PALETTE_BIVARIEE[classe_x - 1][classe_y - 1]


def libelle_cellule(classe_x: int, classe_y: int) -> str:
    """« Passoires élevée · pauvreté faible »-style name of a cell."""
    return f"Passoires : part {NIVEAUX_TERCILE[classe_x - 1]} · pauvreté : {NIVEAUX_TERCILE[classe_y - 1]}"


def cibles(data: pd.DataFrame, bivariee: Bivariee, sens_y: str = "+") -> pd.DataFrame:
    """The « élevée × élevée » territories, ranked for aller-vers.

    Ranked by the mean of the two percentile ranks (share of passoires, poverty oriented by
    ``sens_y``) among the classified territories: first = highest on both together.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``x`` (share of passoires) and ``y`` (poverty value).
    bivariee : Bivariee
        Classification of ``data``.
    sens_y : {"+", "-"}
    """
    classes = bivariee.classe_x.notna() & bivariee.classe_y.notna()
    rangs_x = data["x"].where(classes).rank(pct=True)
    rangs_y = (data["y"] if sens_y == "+" else -data["y"]).where(classes).rank(pct=True)
    score = (rangs_x + rangs_y) / 2
    garde = (bivariee.classe_x == 3) & (bivariee.classe_y == 3)
    out = data[garde].assign(score=score[garde]).sort_values(["score", "code"], ascending=[False, True])
    out.insert(0, "rang", np.arange(1, len(out) + 1))
    return out.drop(columns="score").reset_index(drop=True)
