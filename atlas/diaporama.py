"""The presenter's basket of views, exported as a PowerPoint deck (one slide per view: :mod:`atlas.diaporama_pptx`).

A view is what a page shows at a given moment: a figure (map or chart) or a table (key figures,
territory profile), with its title, source and millésime. Pages add views with
:func:`ajouter`; the basket lives in the Streamlit session state, so it follows the presenter
across pages until the deck is downloaded.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

CLE_SESSION = "diaporama_vues"
#: A deck beyond this many slides is no longer a presentation; the basket refuses more.
MAX_VUES = 30


@dataclass(frozen=True)
class Vue:
    """One slide: a figure or a table, with what makes it citable.

    Attributes
    ----------
    titre : str
        Slide title.
    source : str
        Source and millésime, printed at the foot of the slide with the extraction date.
    demonstration : bool
        Demonstration data: labelled « Données de démonstration » on the slide.
    sous_titre : str, optional
        Level, classification, filters...
    figure : str, optional
        The plotly figure as JSON (``fig.to_json()``), drawn as an image on the slide.
    tableau : DataFrame, optional
        A small table (key figures, territory profile) written as a native PowerPoint table.
    lien : str, optional
        URL of the view in the dashboard (its state is in the URL).
    """

    titre: str
    source: str
    demonstration: bool = False
    sous_titre: str | None = None
    figure: str | None = None
    tableau: pd.DataFrame | None = field(default=None, compare=False)
    lien: str | None = None

    @classmethod
    def de_figure(cls, fig: go.Figure, **attributs) -> Vue:
        """A view of a plotly figure (stored as JSON: the page's figure object is not kept)."""
        return cls(figure=fig.to_json(), **attributs)


def vues(etat: MutableMapping) -> list[Vue]:
    """The views in the basket, in the order they were added."""
    return list(etat.get(CLE_SESSION, []))


def ajouter(etat: MutableMapping, vue: Vue) -> bool:
    """Add a view to the basket unless the same view is already there.

    Returns
    -------
    bool
        ``True`` if added, ``False`` if it was already in the basket or the basket is full.
    """
    panier = vues(etat)
    if vue in panier or len(panier) >= MAX_VUES:
        return False
    etat[CLE_SESSION] = [*panier, vue]
    return True


def retirer(etat: MutableMapping, position: int) -> None:
    """Remove the view at ``position`` (0-based)."""
    panier = vues(etat)
    del panier[position]
    etat[CLE_SESSION] = panier


def vider(etat: MutableMapping) -> None:
    """Empty the basket."""
    etat[CLE_SESSION] = []
