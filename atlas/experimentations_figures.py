"""The charts of the « Suivi des expérimentations » page, month by month, built by one helper.

Every chart has the months of the experiment on its x axis (``AAAA-MM`` keys, French
graduations and hover), French number separators and its legend below; what it draws comes
already protected by the secret rule (:mod:`atlas.experimentations_suivi`): a masked value is a
gap in a line, never a zero, and a masked month is marked by a grey cross on the axis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from atlas.experimentations import OBJECTIFS, TAUX, UNITES, libelle_mois
from atlas.formatting import graduations_mensuelles

# The funnel of DESIGN.md: the same steps, in the same words, as on the « Non-recours » page.
from atlas.non_recours import ETAPES

REALISE = "#08519c"
OBJECTIF = "#d94801"
TEINTES_ETAPES = ["#08519c", "#3182bd", "#bd0026", "#fd8d3c", "#31a354"]
MASQUE = "#636363"


def _valeurs(serie: Iterable) -> list:
    """Plain numbers, None where missing (a gap in the line, never a zero)."""
    return [None if pd.isna(v) else float(v) for v in serie]


def figure_mensuelle(
    mois: list[dt.date],
    titre: str,
    titre_y: str,
    *,
    demi_largeur: bool = False,
    hauteur: int = 340,
    pourcentage: bool = False,
) -> go.Figure:
    """An empty chart of the months of an experiment, with the layout every chart of the page shares.

    Parameters
    ----------
    mois : list of datetime.date
        The months followed (first days), in order.
    titre, titre_y : str
        Title of the chart and of its y axis.
    demi_largeur : bool
        A chart of half the page's width: fewer, horizontal month labels (rotated ones were cut
        at the edge).
    hauteur : int
        Height in pixels.
    pourcentage : bool
        A rate: the y axis runs from 0 to 100.
    """
    cles = [f"{m:%Y-%m}" for m in mois]
    axe = {**graduations_mensuelles(cles, nombre=4), "tickangle": 0} if demi_largeur else graduations_mensuelles(cles)
    figure = go.Figure()
    figure.update_layout(
        height=hauteur,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        title=titre,
        yaxis_title=titre_y,
        legend={"orientation": "h", "y": -0.15},
        separators=", ",
        xaxis_separatethousands=True,
        yaxis_separatethousands=True,
    )
    figure.update_xaxes(**axe)
    return figure


def ajouter_serie(
    figure: go.Figure, mois: list[dt.date], valeurs: Iterable, nom: str, survol: str, *, barres: bool = False, **style
) -> None:
    """Add one series of monthly values (a line with markers, or bars) with its French hover.

    Parameters
    ----------
    figure : plotly Figure
        A chart of :func:`figure_mensuelle`.
    mois : list of datetime.date
        The months of the values.
    valeurs : iterable
        One value a month; NaN or None is a gap.
    nom : str
        Name of the series in the legend.
    survol : str
        The hover after the month: « : %{y:,} ménages<extra></extra> ».
    barres : bool
        Bars instead of a line.
    **style
        Plotly trace settings (``mode``, ``line``, ``marker_color``…).
    """
    trace = go.Bar if barres else go.Scatter
    options = {} if barres else {"mode": "lines+markers"}
    figure.add_trace(
        trace(
            x=[f"{m:%Y-%m}" for m in mois],
            y=_valeurs(valeurs),
            name=nom,
            customdata=[libelle_mois(m) for m in mois],
            hovertemplate="%{customdata} : " + survol,
            **(options | style),
        )
    )


def ajouter_masques(figure: go.Figure, mois: list[dt.date], masques: Iterable, libelle: str) -> None:
    """Masked months drawn as grey crosses on the axis, so that a gap does not read as zero."""
    masques = list(masques)
    choisis = [m for m, masque in zip(mois, masques, strict=True) if masque]
    if not choisis:
        return
    figure.add_trace(
        go.Scatter(
            x=[f"{m:%Y-%m}" for m in choisis],
            y=[0] * len(choisis),
            mode="markers",
            name=libelle,
            marker={"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": MASQUE}},
            customdata=[libelle_mois(m) for m in choisis],
            hovertemplate="%{customdata} : " + libelle + "<extra></extra>",
        )
    )


def _partie(progression: pd.DataFrame, indicateur: str) -> pd.DataFrame:
    return progression[progression["indicateur"] == indicateur].reset_index(drop=True)


def progression_mois(progression: pd.DataFrame, indicateur: str, mois: list[dt.date]) -> go.Figure:
    """Achieved and objective of one indicator, month by month (bars and a dashed line).

    Parameters
    ----------
    progression : DataFrame
        Output of :func:`atlas.experimentations_suivi.progression`.
    indicateur : str
        A key of :data:`atlas.experimentations.OBJECTIFS`.
    mois : list of datetime.date
        The months followed.
    """
    partie = _partie(progression, indicateur)
    taux = indicateur == "taux_non_recours"
    unite = UNITES[indicateur]
    figure = figure_mensuelle(
        mois,
        f"{OBJECTIFS[indicateur]} : réalisé et objectif par mois",
        "%" if taux else f"{unite} par mois",
        demi_largeur=True,
    )
    ajouter_serie(
        figure,
        mois,
        partie["realise"],
        "Réalisé",
        "%{y:,} " + unite + "<extra>Réalisé</extra>",
        barres=True,
        marker_color=REALISE,
    )
    ajouter_masques(
        figure,
        mois,
        partie["realise_masque"],
        "non diffusé (moins de 10 bilans ou masqué)" if taux else "moins de 5 ménages (masqué)",
    )
    ajouter_serie(
        figure,
        mois,
        partie["objectif"],
        "Objectif",
        "objectif %{y:,} " + unite + "<extra></extra>",
        line={"color": OBJECTIF, "dash": "dash"},
    )
    figure.update_yaxes(rangemode="tozero", range=[0, 100] if taux else None)
    return figure


def progression_cumul(progression: pd.DataFrame, indicateur: str, mois: list[dt.date]) -> go.Figure:
    """Achieved since the start against the cumulated objective (for the rate: the rate since the
    start against the mean objective), same arguments as :func:`progression_mois`."""
    partie = _partie(progression, indicateur)
    taux = indicateur == "taux_non_recours"
    unite = UNITES[indicateur]
    figure = figure_mensuelle(
        mois,
        "Taux depuis le début" if taux else f"{OBJECTIFS[indicateur]} : cumul depuis le début",
        "%" if taux else f"{unite} depuis le début",
        demi_largeur=True,
    )
    ajouter_serie(
        figure,
        mois,
        partie["cumul_realise"],
        "Taux depuis le début" if taux else "Réalisé cumulé",
        "%{y:,} " + unite + "<extra></extra>",
        line={"color": REALISE},
    )
    ajouter_masques(figure, mois, partie["cumul_masque"], "cumul masqué (règle du secret)")
    ajouter_serie(
        figure,
        mois,
        partie["cumul_objectif"],
        "Objectif moyen" if taux else "Objectif cumulé",
        "objectif %{y:,} " + unite + "<extra></extra>",
        mode="lines",
        line={"color": OBJECTIF, "dash": "dash"},
    )
    figure.update_yaxes(rangemode="tozero", range=[0, 100] if taux else None)
    return figure


def entonnoir(entonnoir_mensuel: pd.DataFrame, mois: list[dt.date]) -> go.Figure:
    """Households at each step of the funnel, month by month (a masked month is a gap).

    Parameters
    ----------
    entonnoir_mensuel : DataFrame
        Output of :func:`atlas.experimentations_suivi.entonnoir_mensuel`.
    mois : list of datetime.date
        The months followed.
    """
    figure = figure_mensuelle(
        mois, "Ménages à chaque étape, par mois (point absent : moins de 5, masqué)", "ménages par mois", hauteur=360
    )
    for etape, teinte in zip(ETAPES, TEINTES_ETAPES, strict=True):
        ajouter_serie(
            figure,
            mois,
            entonnoir_mensuel[etape],
            ETAPES[etape],
            "%{y:,} ménages<extra>" + ETAPES[etape] + "</extra>",
            line_color=teinte,
        )
    figure.update_yaxes(rangemode="tozero")
    return figure


def reference(reference_: pd.DataFrame, cle_taux: str, mois: list[dt.date]) -> go.Figure:
    """One rate of the experiment beside the same rate for the rest of the region, month by month.

    Parameters
    ----------
    reference_ : DataFrame
        Output of :func:`atlas.experimentations_suivi.reference`.
    cle_taux : str
        A key of :data:`atlas.experimentations.TAUX`.
    mois : list of datetime.date
        The months followed.
    """
    libelle = TAUX[cle_taux][2]
    figure = figure_mensuelle(mois, f"{libelle} par mois (%)", "%")
    for suffixe, nom, teinte, tirets in (
        ("experimentation", "Expérimentation", REALISE, "solid"),
        ("reste", "Reste de la région", "#737373", "dot"),
    ):
        ajouter_serie(
            figure,
            mois,
            reference_[f"{cle_taux}_{suffixe}"],
            nom,
            "%{y} %<extra>" + nom + "</extra>",
            line={"color": teinte, "dash": tirets},
        )
    figure.update_yaxes(range=[0, 100])
    return figure
