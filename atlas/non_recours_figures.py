"""The plotly charts of the « Non-recours » page: funnel, households by benefit, monthly activity.

Each takes counts with the secret rule already applied (:class:`atlas.non_recours_secret.Protege`):
a masked count has no bar nor point, its « < 5 » is written where a reader looks for it.
"""

from __future__ import annotations

import plotly.graph_objects as go

from atlas import non_recours as nr
from atlas.formatting import format_mois_fr, graduations_mensuelles
from atlas.non_recours_secret import Protege

#: French number format of every chart of the page (« 1 234,5 »).
FORMAT_FR = {"separators": ", ", "xaxis_separatethousands": True, "yaxis_separatethousands": True}


def figure_entonnoir(comptes: Protege) -> go.Figure:
    """Contacts → bilans → non-recours → orientations → droits ouverts of one selection.

    Parameters
    ----------
    comptes : Protege
        The funnel (one row, :func:`atlas.non_recours_secret.entonnoir_protege`).
    """
    etapes = list(nr.ETAPES)
    fig = go.Figure(
        go.Funnel(
            # a masked stage has no bar to carry its « < 5 »: its label does
            y=[nr.ETAPES[e] + (" : < 5" if comptes.masque[e].iloc[0] else "") for e in etapes],
            x=[comptes.visibles(e)[0] for e in etapes],
            text=[comptes.textes(e)[0] for e in etapes],
            textinfo="text",
            marker={"color": ["#08519c", "#3182bd", "#bd0026", "#fd8d3c", "#31a354"]},
            hovertemplate="%{y} : %{text} ménages<extra></extra>",
        )
    )
    fig.update_layout(height=320, margin={"l": 0, "r": 0, "t": 10, "b": 10}, **FORMAT_FR)
    return fig


def figure_droits(droits: Protege) -> go.Figure:
    """Households in non-recours detected, one horizontal bar per benefit.

    Parameters
    ----------
    droits : Protege
        :func:`atlas.non_recours_secret.droits_protege` (``cle``: the benefit's code).
    """
    fig = go.Figure(
        go.Bar(
            y=droits.brut["cle"].map(nr.DROITS),
            x=droits.visibles("non_recours"),
            text=droits.textes("non_recours"),
            orientation="h",
            marker_color="#bd0026",
            hovertemplate="%{y} : %{text} ménages<extra></extra>",
        )
    )
    fig.update_layout(
        height=340,
        margin={"l": 0, "r": 10, "t": 30, "b": 40},
        xaxis_title="ménages en non-recours détecté",
        yaxis={"autorange": "reversed"},
        title="Ménages en non-recours, par droit",
        **FORMAT_FR,
    )
    return fig


def figure_mois(mois: Protege) -> go.Figure:
    """Contacts, bilans and households in non-recours month by month (French month names).

    Parameters
    ----------
    mois : Protege
        :func:`atlas.non_recours_secret.groupe_protege` by month (``cle``: ``"YYYY-MM"``).
    """
    fig = go.Figure()
    for colonne, nom, couleur in (
        ("contacts", "Contacts", "#08519c"),
        ("bilans", "Bilans", "#3182bd"),
        ("non_recours", "Non-recours détecté", "#bd0026"),
    ):
        fig.add_trace(
            go.Scatter(
                x=mois.brut["cle"],
                y=mois.visibles(colonne),
                name=nom,
                mode="lines+markers",
                line_color=couleur,
                customdata=[format_mois_fr(c) for c in mois.brut["cle"]],
                hovertemplate="%{customdata} : %{y:,} ménages<extra>" + nom + "</extra>",
            )
        )
    fig.update_layout(
        height=300,
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        yaxis_title="ménages par mois",
        title="Activité mensuelle (mois de moins de 5 ménages non affichés)",
        **FORMAT_FR,
    )
    fig.update_xaxes(**graduations_mensuelles(list(mois.brut["cle"])))
    # counts start at zero: a truncated axis would magnify a month-to-month change
    fig.update_yaxes(rangemode="tozero")
    return fig
