"""The presenter's basket of views, exported as a PowerPoint deck (one slide per view).

A view is what a page shows at a given moment: a figure (map or chart) or a table (key figures,
territory profile), with its title, source and millésime. Pages add views with
:func:`ajouter`; the basket lives in the Streamlit session state, so it follows the presenter
across pages until the deck is downloaded.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import MutableMapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from atlas import images
from atlas.formatting import accord, format_date_fr

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


#: Slide size (16:9, inches) and the frame of the figure on a slide.
LARGEUR_DIAPO, HAUTEUR_DIAPO = 13.333, 7.5
#: Table rows per slide: a longer table continues on the next slide (« suite »).
LIGNES_PAR_DIAPO = 12


def construire_pptx(vues_: list[Vue], *, titre: str, date: dt.date | None = None) -> bytes:
    """The deck: a title slide, then one slide per view (a long table takes several).

    Parameters
    ----------
    vues_ : list of Vue
        The views, in order.
    titre : str
        Title of the deck (first slide).
    date : date, optional
        Extraction date printed on every slide (today by default).

    Returns
    -------
    bytes
        A ``.pptx`` file. Figures are drawn by Chromium in one batch (:func:`atlas.images.pngs`).

    Raises
    ------
    atlas.images.ImageIndisponible
        A view holds a figure and Chromium is missing.
    """
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    date = date or dt.date.today()
    largeur_img, hauteur_img = 12.5, 5.3  # inches, under the title and above the source line
    figures = [
        images.figure_sans_cadre(pio.from_json(v.figure), int(largeur_img * 144), int(hauteur_img * 144))
        for v in vues_
        if v.figure is not None
    ]
    rendus = iter(images.pngs(figures) if figures else [])

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(LARGEUR_DIAPO), Inches(HAUTEUR_DIAPO)
    deck.core_properties.title = titre
    deck.core_properties.author = "Atlas du non-recours"
    deck.core_properties.language = "fr-FR"

    def texte(diapo, contenu, gauche, haut, largeur, hauteur, taille, couleur="333333", gras=False):
        cadre = diapo.shapes.add_textbox(Inches(gauche), Inches(haut), Inches(largeur), Inches(hauteur)).text_frame
        cadre.word_wrap = True
        cadre.text = contenu
        for paragraphe in cadre.paragraphs:
            paragraphe.font.size = Pt(taille)
            paragraphe.font.bold = gras
            paragraphe.font.color.rgb = RGBColor.from_string(couleur)
        return cadre

    def diapo_titree(titre_diapo: str, vue: Vue):
        diapo = deck.slides.add_slide(deck.slide_layouts[5])  # « Titre seul »: the title is the slide's title
        titre_forme = diapo.shapes.title
        titre_forme.left, titre_forme.top = Inches(0.4), Inches(0.2)
        titre_forme.width, titre_forme.height = Inches(LARGEUR_DIAPO - 0.8), Inches(0.8)
        titre_forme.text = titre_diapo
        for paragraphe in titre_forme.text_frame.paragraphs:
            paragraphe.alignment = PP_ALIGN.LEFT
            paragraphe.font.size = Pt(28)
            paragraphe.font.bold = True
        if vue.sous_titre:
            texte(diapo, vue.sous_titre, 0.4, 0.95, LARGEUR_DIAPO - 0.8, 0.4, 16, "555555")
        pied = images.mention_source(vue.source, vue.demonstration, date)
        texte(
            diapo,
            pied,
            0.4,
            HAUTEUR_DIAPO - 0.75,
            LARGEUR_DIAPO - 0.8,
            0.6,
            12,
            "B00020" if vue.demonstration else "333333",
        )
        if vue.lien:
            diapo.notes_slide.notes_text_frame.text = f"Vue dans l'Atlas du non-recours : {vue.lien}"
        return diapo

    accueil = deck.slides.add_slide(deck.slide_layouts[6])
    texte(accueil, titre, 0.8, 2.4, LARGEUR_DIAPO - 1.6, 1.2, 40, "1F1F1F", gras=True)
    texte(
        accueil,
        f"Diaporama du {format_date_fr(date)} — {accord(len(vues_), 'vue')}",
        0.8,
        3.7,
        LARGEUR_DIAPO - 1.6,
        0.6,
        20,
        "555555",
    )
    if any(v.demonstration for v in vues_):
        texte(accueil, "Contient des DONNÉES DE DÉMONSTRATION (valeurs inventées), signalées sur chaque diapositive concernée.",
              0.8, 4.6, LARGEUR_DIAPO - 1.6, 0.8, 16, "B00020")  # fmt: skip

    for vue in vues_:
        titre_vue = vue.titre + (" (données de démonstration)" if vue.demonstration else "")
        if vue.figure is not None:
            diapo = diapo_titree(titre_vue, vue)
            diapo.shapes.add_picture(
                io.BytesIO(next(rendus)), Inches(0.4), Inches(1.4), Inches(largeur_img), Inches(hauteur_img)
            )
            continue
        tableau = vue.tableau if vue.tableau is not None else pd.DataFrame()
        morceaux = [tableau.iloc[i : i + LIGNES_PAR_DIAPO] for i in range(0, max(len(tableau), 1), LIGNES_PAR_DIAPO)]
        for n, morceau in enumerate(morceaux):
            diapo = diapo_titree(titre_vue + (f" (suite {n + 1}/{len(morceaux)})" if n else ""), vue)
            forme = diapo.shapes.add_table(
                len(morceau) + 1,
                len(morceau.columns),
                Inches(0.4),
                Inches(1.45),
                Inches(LARGEUR_DIAPO - 0.8),
                Inches(0.4),
            )
            grille = forme.table
            for j, colonne in enumerate(morceau.columns):
                grille.cell(0, j).text = str(colonne)
            for i, ligne in enumerate(morceau.itertuples(index=False), start=1):
                for j, valeur in enumerate(ligne):
                    grille.cell(i, j).text = (
                        "" if valeur is None or (isinstance(valeur, float) and pd.isna(valeur)) else str(valeur)
                    )
            for ligne in grille.rows:
                for cellule in ligne.cells:
                    for paragraphe in cellule.text_frame.paragraphs:
                        paragraphe.font.size = Pt(12)

    sortie = io.BytesIO()
    deck.save(sortie)
    return sortie.getvalue()
