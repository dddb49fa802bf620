"""The charts of the « Non-recours » page: funnel, households by benefit, monthly activity, canals.

Each chart exists twice from the same counts: light HTML for the screen (:mod:`atlas.graphiques_html`,
no plotly.js to load: ``*_html``) and a plotly figure for the PNG image and the slide (``figure_*``,
built on click only). Both take counts with the secret rule already applied
(:class:`atlas.non_recours_secret.Protege`): a masked count has no bar nor point, its « < 5 » is
written where a reader looks for it.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas import non_recours as nr
from atlas.formatting import format_mois_fr, format_nombre, graduations_mensuelles
from atlas.graphiques_html import Serie, barres_horizontales_html, courbes_html, tableau_html
from atlas.non_recours_secret import Protege, taux_proteges

#: Colours of the funnel's stages, from contact to rights opened.
COULEURS_ETAPES = ["#08519c", "#3182bd", "#bd0026", "#fd8d3c", "#31a354"]
#: The lines of the monthly chart: column, name, colour.
SERIES_MOIS = (
    ("contacts", "Contacts", "#08519c"),
    ("bilans", "Bilans", "#3182bd"),
    ("non_recours", "Non-recours détecté", "#bd0026"),
)

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
            marker={"color": COULEURS_ETAPES},
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
    for colonne, nom, couleur in SERIES_MOIS:
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


def entonnoir_html(comptes: Protege, *, grand: bool = False) -> str:
    """The funnel of :func:`figure_entonnoir` as HTML bars: each stage's count and its share of the households met.

    A share is a rate of the secret rule (:func:`atlas.non_recours_secret.taux_proteges`): rounded,
    not written when the households met are under 10 or a count is masked.

    Parameters
    ----------
    comptes : Protege
        The funnel (one row, :func:`atlas.non_recours_secret.entonnoir_protege`).
    grand : bool
        Presentation mode: larger texts.
    """
    etapes = list(nr.ETAPES)
    textes, survols = [], []
    for etape in etapes:
        compte = comptes.textes(etape)[0]
        part = taux_proteges(comptes, etape, "contacts").iloc[0]
        # the households met are the whole: their « 100 % » says nothing
        montree = etape != "contacts" and pd.notna(part)
        textes.append(f"{compte} · {format_nombre(part, 0, '%')}" if montree else compte)
        survols.append(
            f"{nr.ETAPES[etape]} : {compte} ménages"
            + (f", soit {format_nombre(part, 0, '%')} des ménages rencontrés" if montree else "")
        )
    return barres_horizontales_html(
        [nr.ETAPES[e] for e in etapes],
        [comptes.visibles(e)[0] for e in etapes],
        textes,
        survols,
        titre="Nombre de ménages à chaque étape, du contact à l'ouverture des droits",
        couleurs=COULEURS_ETAPES,
        note="Nombre de ménages · part des ménages rencontrés",
        grand=grand,
    )


def droits_html(droits: Protege, *, grand: bool = False) -> str:
    """The bars of :func:`figure_droits` as HTML: households in non-recours detected, per benefit.

    Parameters
    ----------
    droits : Protege
        :func:`atlas.non_recours_secret.droits_protege` (``cle``: the benefit's code).
    grand : bool
        Presentation mode: larger texts.
    """
    noms = list(droits.brut["cle"].map(nr.DROITS))
    textes = droits.textes("non_recours")
    return barres_horizontales_html(
        noms,
        droits.visibles("non_recours"),
        textes,
        [f"{n} : {t} ménages en non-recours détecté" for n, t in zip(noms, textes, strict=True)],
        titre="Ménages en non-recours détecté, par droit",
        couleurs="#bd0026",
        note="Ménages en non-recours détecté (un ménage peut ne pas percevoir plusieurs droits)",
        grand=grand,
    )


def mois_html(mois: Protege, *, grand: bool = False) -> str:
    """The lines of :func:`figure_mois` in HTML and SVG: contacts, bilans and non-recours month by month.

    Months are named in French (« janv. 2024 » under the axis, « janvier 2024 » on hover); a
    masked month has no point, its hover says « < 5 ».

    Parameters
    ----------
    mois : Protege
        :func:`atlas.non_recours_secret.groupe_protege` by month (``cle``: ``"YYYY-MM"``).
    grand : bool
        Presentation mode: larger texts.
    """
    cles = list(mois.brut["cle"])
    graduations = graduations_mensuelles(cles)
    return courbes_html(
        [format_mois_fr(c) for c in cles],
        [Serie(nom, couleur, mois.visibles(colonne), mois.textes(colonne)) for colonne, nom, couleur in SERIES_MOIS],
        etiquettes={cles.index(v): t for v, t in zip(graduations["tickvals"], graduations["ticktext"], strict=True)},
        titre="Activité mensuelle de l'aller vers",
        titre_y="ménages par mois",
        grand=grand,
    )


def canaux_html(canaux: pd.DataFrame, *, grand: bool = False) -> str:
    """The yield of each canal (:func:`atlas.non_recours_vues.tableau_canaux`) as a short HTML table.

    Parameters
    ----------
    canaux : DataFrame
        Counts as shown (« 1 234 », « < 5 ») and the rates of the secret rule (NaN: not shown).
    grand : bool
        Presentation mode: larger texts.
    """
    taux = ["taux_bilan_pct", "taux_non_recours_pct"]
    ecrit = canaux.assign(**{c: canaux[c].map(lambda v: format_nombre(v, 0)) for c in taux})
    comptes = ["contacts", "bilans", "non_recours"]
    ecrit[comptes] = ecrit[comptes].fillna("—")
    return tableau_html(
        ecrit,
        {
            "cle": "Canal",
            "contacts": "Contacts",
            "bilans": "Bilans",
            "taux_bilan_pct": "Bilans / contacts (%)",
            "non_recours": "Non-recours",
            "taux_non_recours_pct": "Taux détecté (%)",
        },
        nombres=[*comptes, *taux],
        aides={
            "taux_bilan_pct": "Bilans de droits réalisés ÷ contacts, en %",
            "taux_non_recours_pct": nr.DEFINITION_TAUX,
        },
        grand=grand,
    )
