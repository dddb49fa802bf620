"""The fiche territoire's series: each indicator with several millésimes, beside its département, region and France."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.db import cache_par_base, query
from atlas.fiche import ordre_catalogue
from atlas.fiche_tableaux import valeur_affichee
from atlas.formatting import decimales, format_nombre
from atlas.maps import couper_libelle


@cache_par_base
def _series(niveau: str, code: str) -> pd.DataFrame:
    return query(
        """
        with

        cible as (
            select code, code_departement from territoires where niveau = ? and code = ?
        ),

        plusieurs as (
            -- the indicators this territory has at two millésimes or more (a secret one is a gap
            -- in its line; a millésime without any value at all is no point of the series)
            select indicateur
            from valeurs
            where niveau = ? and code = (select code from cible) and statut <> 'absent'
            group by indicateur
            having count(distinct millesime) >= 2
        ),

        final as (
            select
                i.theme, v.indicateur, i.libelle, i.unite, i.sens,
                case
                    when v.niveau = ? and v.code = (select code from cible) then 'territoire'
                    else v.niveau
                end as serie,
                v.millesime, v.valeur, v.statut
            from valeurs as v
            join plusieurs as p on p.indicateur = v.indicateur
            join indicateurs as i on i.code = v.indicateur
            where (v.niveau = ? and v.code = (select code from cible))
               or (v.niveau = 'departement' and v.code = (select code_departement from cible))
               or v.niveau in ('region', 'france')
        )

        select * from final order by theme, indicateur, serie, millesime
        """,
        [niveau, code, niveau, niveau, niveau],
    )


def series(niveau: str, code: str) -> pd.DataFrame:
    """Every indicator the territory has at two millésimes or more, with its département, region and France.

    Returns
    -------
    DataFrame
        Long: theme, indicateur, libelle, unite, sens, ``serie`` (``territoire``,
        ``departement``, ``region``, ``france``), millesime, valeur, statut. The enclosing
        levels are kept for rates and levels only (a count of the département is no reference
        for a commune's count), and only where they publish a value.
    """
    frame = _series(niveau, code)
    comparable = frame["sens"].isin(["+", "-"])
    reference = frame["serie"] != "territoire"
    frame = frame[~reference | (comparable & (frame["statut"] == "ok"))]
    ordre = frame["indicateur"].map(ordre_catalogue()).fillna(len(ordre_catalogue()))
    return frame.assign(_ordre=ordre).sort_values(["theme", "_ordre", "serie", "millesime"]).drop(columns="_ordre")


PHRASE_SERIES = (
    "Chaque indicateur à son propre axe. Le territoire, son département, la région et la France (valeurs "
    "publiées, à leurs propres millésimes ; pas de référence pour un effectif). Marqueur creux : estimation de "
    "l'atlas ; « secret » : valeur couverte par le secret statistique (pas de point)."
)


#: Lines of a series figure: the territory, then its département, region and France.
SERIES = {
    "territoire": ("#bd0026", "solid"),
    "departement": ("#fd8d3c", "dash"),
    "region": ("#737373", "dot"),
    "france": ("#252525", "dashdot"),
}


def _an(millesime: str):
    return int(millesime) if str(millesime).isdigit() else millesime


def figure_series(bloc: pd.DataFrame, noms: dict[str, str], colonnes: int = 4) -> go.Figure:
    """Small multiples of a theme: one small line chart per indicator, the territory beside its references.

    Parameters
    ----------
    bloc : DataFrame
        Rows of :func:`series` for one theme.
    noms : dict
        Names of the series (:func:`atlas.fiche_figures.noms_references`: ``territoire``, ``departement``,
        ``region``, ``france``).
    colonnes : int
        Panels per row.

    Notes
    -----
    An estimate of the atlas is a hollow marker (with a legend entry); a secret value leaves a
    gap in the line and the panel says « secret » with its millésime under the axis.
    """
    from plotly.subplots import make_subplots

    from atlas.formatting import libelle_avec_unite

    indicateurs_ = list(dict.fromkeys(bloc["indicateur"]))
    n = len(indicateurs_)
    cols = min(colonnes, n)
    rangees = -(-n // cols)
    libelles = bloc.drop_duplicates("indicateur").set_index("indicateur")
    titres = [
        couper_libelle(libelle_avec_unite(libelles.at[i, "libelle"], libelles.at[i, "unite"]), 38) for i in indicateurs_
    ]
    fig = make_subplots(
        rows=rangees, cols=cols, subplot_titles=titres, horizontal_spacing=0.06, vertical_spacing=0.3 / rangees + 0.12
    )
    montres: set[str] = set()
    for position, indicateur in enumerate(indicateurs_):
        rangee, col = position // cols + 1, position % cols + 1
        lignes = bloc[bloc["indicateur"] == indicateur]
        unite = libelles.at[indicateur, "unite"]
        for serie in SERIES:
            points = lignes[lignes["serie"] == serie]
            if not points.empty:
                _tracer(fig, points, serie, unite, noms, montre=serie in montres, case=(rangee, col, position))
                montres.add(serie)
    if (bloc["statut"] == "estime").any():
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name="Estimation de l'atlas (marqueur creux)",
                marker={"symbol": "circle-open", "size": 8, "color": "#1a1a1a"}, hoverinfo="skip",
            )
        )  # fmt: skip
    _mise_en_page(fig, rangees)
    return fig


def _tracer(
    fig: go.Figure, points: pd.DataFrame, serie: str, unite: str, noms: dict, *, montre: bool, case: tuple
) -> None:
    """Draw one series of one indicator in its panel (``case``: row, column, position from 0).

    An estimate is a hollow marker, a secret value a gap; the territory's panel says under its axis
    the millésimes left secret. ``montre``: whether the series already has its legend entry.
    """
    rangee, col, position = case
    couleur, trait = SERIES[serie]
    d = decimales(unite)
    valeurs = points["valeur"].where(points["statut"].isin(["ok", "estime"]))
    textes = [
        valeur_affichee(v, s, unite) if s != "estime" else f"{format_nombre(v, d, unite)} (estimation de l'atlas)"
        for v, s in zip(points["valeur"], points["statut"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[_an(m) for m in points["millesime"]],
            y=valeurs,
            mode="lines+markers",
            name=noms.get(serie, serie),
            legendgroup=serie,
            showlegend=not montre,
            line={"color": couleur, "dash": trait, "width": 2 if serie == "territoire" else 1.4},
            marker={
                "size": 7 if serie == "territoire" else 5,
                "symbol": ["circle-open" if s == "estime" else "circle" for s in points["statut"]],
                "line": {"color": couleur, "width": 1.6},
            },
            customdata=textes,
            hovertemplate="%{x} : %{customdata}<extra>" + noms.get(serie, serie) + "</extra>",
        ),
        row=rangee,
        col=col,
    )
    secrets = points.loc[points["statut"] == "secret", "millesime"].tolist()
    if serie == "territoire" and secrets:
        axe = "" if position == 0 else str(position + 1)
        fig.add_annotation(
            text="secret : " + ", ".join(map(str, secrets)),
            xref=f"x{axe} domain",
            yref=f"y{axe} domain",
            x=0,
            y=0.02,
            xanchor="left",
            showarrow=False,
            font={"size": 10, "color": "#595959"},
        )


def _mise_en_page(fig: go.Figure, rangees: int) -> None:
    """Axes, panel titles, height and legend of the small multiples (``rangees`` rows of panels)."""
    fig.update_xaxes(tickformat="d", dtick=1, tickfont={"size": 10})
    fig.update_yaxes(tickfont={"size": 10}, tickformat=",~g")  # « 22 500 », « 3,2 »: no « 22,5k »
    fig.update_annotations(font_size=11, selector={"xref": "paper"})
    # the first row's titles inside the plotting area, so that a legend put above it (image export)
    # does not cover them
    haut = 1 - 0.12 / rangees
    for axe in fig.layout:
        if axe.startswith("yaxis"):
            bas_, haut_ = fig.layout[axe].domain
            fig.layout[axe].domain = (bas_ * haut, haut_ * haut)
    for annotation in fig.layout.annotations:
        if annotation.yref == "paper":
            annotation.y = annotation.y * haut
    hauteur = 90 + 190 * rangees
    fig.update_layout(
        height=hauteur,
        margin={"l": 10, "r": 10, "t": 40, "b": 50},
        separators=", ",
        # under the panels (the image export moves such a legend under its title)
        legend={"orientation": "h", "x": 0, "y": -32 / (hauteur - 90), "yanchor": "top"},
    )
