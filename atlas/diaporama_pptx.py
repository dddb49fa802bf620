"""The presenter's basket (:mod:`atlas.diaporama`) as a PowerPoint deck: one slide per view, texts measured so that no box runs into another."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass

import pandas as pd
import plotly.io as pio

from atlas import images, mise_en_page_image
from atlas.diaporama import Vue
from atlas.formatting import accord, format_date_fr
from atlas.mesure_texte import largeur_texte

#: Slide size (16:9, inches).
LARGEUR_DIAPO, HAUTEUR_DIAPO = 13.333, 7.5


#: Left and right margin of every slide, inches.
MARGE = 0.4


#: At most this many table rows per slide: a longer table continues on the next slide (« suite »).
LIGNES_PAR_DIAPO = 12


#: Font of every text of the deck. PowerPoint draws it as Arial; LibreOffice as Liberation Sans,
#: which has Arial's widths: the widths measured (:func:`atlas.mesure_texte.largeur_texte`) are those drawn.
POLICE = "Arial"


#: Height of a line of text, in font sizes (single spacing of Arial is 1.15; kept a little above).
INTERLIGNE = 1.2


#: Inner margins of a text box (PowerPoint's defaults), inches: left and right, top and bottom.
MARGE_INTERNE_X, MARGE_INTERNE_Y = 0.1, 0.05


#: Share of a box's width that a measured line may fill: the renderers' own rounding and kerning.
REMPLISSAGE = 0.985


def insecables(texte: str) -> str:
    """French typography: a no-break space before « % : ; ! ? » » and after « «, so that a line never
    starts with the sign (« 60 » then « %) » on the next line)."""
    return re.sub(r"« ", "«\u00a0", re.sub(r" ([%:;!?»])", "\u00a0\\1", texte))


def lignes_texte(texte: str, taille: float, largeur: float, gras: bool = False) -> list[str]:
    """``texte`` cut into the lines a box ``largeur`` inches wide shows (word wrap, inner margins kept)."""
    texte = insecables(texte)
    utile = (largeur - 2 * MARGE_INTERNE_X) * 72 * REMPLISSAGE
    lignes: list[str] = []
    for paragraphe in texte.split("\n"):
        ligne = ""
        for mot in (m for m in paragraphe.split(" ") if m):  # never at a no-break space (« 1 227 »)
            essai = f"{ligne} {mot}" if ligne else mot
            if ligne and largeur_texte(essai, taille, gras) > utile:
                lignes.append(ligne)
                ligne = mot
            else:
                ligne = essai
        lignes.append(ligne)
    return lignes


def hauteur_texte(texte: str, taille: float, largeur: float, gras: bool = False) -> float:
    """Height in inches of a box ``largeur`` inches wide that shows all of ``texte`` (margins included)."""
    utile = (largeur - 2 * MARGE_INTERNE_X) * 72 * REMPLISSAGE
    # a word wider than the box is broken over several lines by the renderer
    lignes = sum(
        max(1, math.ceil(largeur_texte(ligne, taille, gras) / utile))
        for ligne in lignes_texte(texte, taille, largeur, gras)
    )
    return lignes * INTERLIGNE * taille / 72 + 2 * MARGE_INTERNE_Y


def _taille_sur_deux_lignes(titre: str, tailles: tuple[float, ...], largeur: float, gras: bool = True) -> float:
    """The largest of ``tailles`` at which ``titre`` holds on two lines (the smallest otherwise)."""
    for taille in tailles:
        if len(lignes_texte(titre, taille, largeur, gras)) <= 2:
            return taille
    return tailles[-1]


@dataclass(frozen=True)
class _Cadre:
    """Where the texts and the content of a titled slide stand, in inches from the slide's top.

    Each text box is as tall as its text measured at its width (:func:`hauteur_texte`): a title
    on two lines pushes the subtitle and the content down instead of running into them.
    """

    taille_titre: float
    taille_pied: float
    haut_titre: float
    hauteur_titre: float
    haut_sous_titre: float
    hauteur_sous_titre: float
    haut_contenu: float
    haut_pied: float
    hauteur_pied: float

    @property
    def hauteur_contenu(self) -> float:
        """Height left for the figure or the table, between the titles and the source line."""
        return self.haut_pied - ESPACE - self.haut_contenu


#: Space between two blocks of a slide, inches.
ESPACE = 0.1


#: Title sizes of a slide, points: the largest that holds the title on two lines.
TAILLES_TITRE = (28, 24, 20)
TAILLE_SOUS_TITRE, TAILLE_PIED, TAILLE_TABLEAU = 16, 12, 12


#: Size of a source line longer than two lines (a territory profile cites many sources), points.
TAILLE_PIED_LONG = 9


def _cadre(titre: str, sous_titre: str | None, pied: str, taille: float | None = None) -> _Cadre:
    largeur = LARGEUR_DIAPO - 2 * MARGE
    taille = taille or _taille_sur_deux_lignes(titre, TAILLES_TITRE, largeur)
    haut_titre = 0.25
    hauteur_titre = hauteur_texte(titre, taille, largeur, gras=True)
    haut_sous_titre = haut_titre + hauteur_titre
    hauteur_sous_titre = hauteur_texte(sous_titre, TAILLE_SOUS_TITRE, largeur) if sous_titre else 0.0
    taille_pied = _taille_sur_deux_lignes(pied, (TAILLE_PIED, TAILLE_PIED_LONG), largeur, gras=False)
    hauteur_pied = hauteur_texte(pied, taille_pied, largeur)
    return _Cadre(
        taille_titre=taille,
        taille_pied=taille_pied,
        haut_titre=haut_titre,
        hauteur_titre=hauteur_titre,
        haut_sous_titre=haut_sous_titre,
        hauteur_sous_titre=hauteur_sous_titre,
        haut_contenu=haut_sous_titre + hauteur_sous_titre + ESPACE,
        haut_pied=HAUTEUR_DIAPO - 0.2 - hauteur_pied,
        hauteur_pied=hauteur_pied,
    )


def _texte_cellule(valeur) -> str:
    return "" if valeur is None or (isinstance(valeur, float) and pd.isna(valeur)) else str(valeur)


def _largeur_de(texte_pt: float) -> float:
    """Width (inches) of a cell that shows a text ``texte_pt`` points wide on one line."""
    return texte_pt / 72 / REMPLISSAGE + 2 * MARGE_INTERNE_X + 0.05


def _largeurs_colonnes(tableau: pd.DataFrame, largeur: float) -> list[float]:
    """Column widths (inches) filling ``largeur``: each column as wide as its longest cell when
    all fit, otherwise the narrow columns whole and the wide ones sharing the rest in proportion
    to their longest cell, none narrower than its longest word (a renderer breaks a word wider
    than its cell in the middle: « Compositio | n des revenus »)."""
    naturelles, minimales = [], []
    for colonne in tableau.columns:
        textes = [_texte_cellule(v) for v in tableau[colonne]]
        plus_large = max(
            [largeur_texte(str(colonne), TAILLE_TABLEAU, gras=True)]
            + [largeur_texte(t, TAILLE_TABLEAU) for t in textes]
        )
        naturelles.append(_largeur_de(plus_large))
        # words as the cells cut them: never at a no-break space (« 1 227 », « 12,5 % »)
        mots = [(m, True) for m in str(colonne).split(" ")] + [(m, False) for t in textes for m in t.split(" ")]
        minimales.append(_largeur_de(max(largeur_texte(m, TAILLE_TABLEAU, gras=g) for m, g in mots)))
    if sum(naturelles) <= largeur:
        supplement = (largeur - sum(naturelles)) / len(naturelles)
        return [n + supplement for n in naturelles]
    largeurs = [None] * len(naturelles)
    reste, libres = largeur, list(range(len(naturelles)))
    while True:
        part = reste / len(libres)
        etroites = [j for j in libres if naturelles[j] <= part]
        if not etroites:
            break
        for j in etroites:
            largeurs[j] = naturelles[j]
            reste -= naturelles[j]
            libres.remove(j)
        if not libres:
            break
    # the wide columns share the rest in proportion to their longest cell, each keeping its longest
    # word whole: a column that would be narrower takes that width, the others share what is left
    while libres:
        total_libres = sum(naturelles[j] for j in libres)
        trop_etroites = [j for j in libres if reste * naturelles[j] / total_libres < minimales[j]]
        if not trop_etroites:
            break
        for j in trop_etroites:
            largeurs[j] = minimales[j]
            reste -= minimales[j]
            libres.remove(j)
    total_libres = sum(naturelles[j] for j in libres)
    for j in libres:
        largeurs[j] = reste * naturelles[j] / total_libres
    return largeurs


def _hauteurs_lignes(tableau: pd.DataFrame, largeurs: list[float]) -> list[float]:
    """Height (inches) of the header row then of each row, its cells wrapped at their column's width."""
    entete = max(
        hauteur_texte(str(c), TAILLE_TABLEAU, w, gras=True) for c, w in zip(tableau.columns, largeurs, strict=True)
    )
    lignes = [
        max(hauteur_texte(_texte_cellule(v), TAILLE_TABLEAU, w) for v, w in zip(ligne, largeurs, strict=True))
        for ligne in tableau.itertuples(index=False)
    ]
    return [entete, *lignes]


def _pages_tableau(hauteurs: list[float], disponible) -> list[tuple[int, int]]:
    """Row ranges (start, end) of each slide: at most :data:`LIGNES_PAR_DIAPO` rows, and no more
    than the header and the rows fit in ``disponible`` inches (a number, or a function of the
    range of rows: a slide citing its rows' sources has its own source line's height)."""
    hauteur_de = disponible if callable(disponible) else (lambda _debut, _fin: disponible)
    entete, lignes = hauteurs[0], hauteurs[1:]
    pages, debut, cumul = [], 0, entete
    for i, h in enumerate(lignes):
        if i > debut and (i - debut >= LIGNES_PAR_DIAPO or cumul + h > hauteur_de(debut, i + 1)):
            pages.append((debut, i))
            debut, cumul = i, entete
        cumul += h
    pages.append((debut, len(lignes)))
    return pages


def _sources_des_lignes(sources: pd.Series, millesimes: pd.Series | None) -> str:
    """The sources of some rows of a table, each once with the millésimes of its rows:
    « Filosofi…, millésime 2019, 2021 ; ANCT…, millésime 2024 »."""
    par_source: dict[str, set[str]] = {}
    for i, source in enumerate(sources):
        annees = par_source.setdefault(str(source), set())
        if millesimes is not None and _texte_cellule(millesimes.iloc[i]):
            annees.add(_texte_cellule(millesimes.iloc[i]))
    return " ; ".join(
        source + (f", millésime {', '.join(sorted(annees))}" if annees else "") for source, annees in par_source.items()
    )


def construire_pptx(vues_: list[Vue], *, titre: str, date: dt.date | None = None) -> bytes:
    """The deck: a title slide, then one slide per view (a long table takes several).

    Every text box is sized to its text measured in :data:`POLICE` (two-line titles push the
    subtitle and the content down); the figure is drawn at the size left between the titles and
    the source line; table rows are as tall as their wrapped cells.

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
        A ``.pptx`` file. Figures are drawn by Chromium in one batch (:func:`atlas.images.dessiner_au_plus`).

        When Chromium cannot draw the figures (missing, failing, too slow), each figure's slide
        keeps its title, subtitle and source and says why its picture is missing
        (:class:`atlas.images.ImageIndisponible`'s message), so the deck still downloads.
    """
    date = date or dt.date.today()
    cadres = [_cadre(_titre_de(v), _sous_titre_de(v), mise_en_page_image.mention_source(v.source, v.demonstration, date))
              for v in vues_]  # fmt: skip
    rendus, image_absente = _dessiner_figures(vues_, cadres)
    deck = _Deck(titre, date)
    deck.accueil(titre, vues_)
    for vue, cadre in zip(vues_, cadres, strict=True):
        if vue.figure is None:
            deck.diapos_tableau(vue)
            continue
        diapo = deck.diapo_titree(_titre_de(vue), vue, cadre)
        rendu = next(rendus) if rendus is not None else None
        if rendu is None:
            raison = image_absente if rendus is None else _image_en_retard()
            deck.texte(diapo, raison, MARGE, cadre.haut_contenu, deck.largeur, TAILLE_SOUS_TITRE, "B00020")
        else:
            diapo.shapes.add_picture(
                io.BytesIO(rendu),
                _pouces(MARGE),
                _pouces(cadre.haut_contenu),
                _pouces(deck.largeur),
                _pouces(cadre.hauteur_contenu),
            )
    return deck.enregistrer()


def _titre_de(vue: Vue) -> str:
    # demonstration data is said once, at the start of the slide's source line (mention_source)
    return mise_en_page_image.sans_mention_demonstration(vue.titre) if vue.demonstration else vue.titre


def _sous_titre_de(vue: Vue) -> str | None:
    return mise_en_page_image.sans_mention_demonstration(vue.sous_titre) if vue.demonstration else vue.sous_titre


def _pouces(valeur: float):
    from pptx.util import Inches

    return Inches(valeur)


def _dessiner_figures(vues_: list[Vue], cadres: list[_Cadre]):
    """The figures' pictures at their slide's size: an iterator (None for a picture not drawn in
    time) and no reason, or None and the French reason why none could be drawn."""
    largeur = LARGEUR_DIAPO - 2 * MARGE
    figures = [
        mise_en_page_image.figure_sans_cadre(
            pio.from_json(v.figure), int(largeur * 144), int(c.hauteur_contenu * 144), v.demonstration
        )
        for v, c in zip(vues_, cadres, strict=True)
        if v.figure is not None
    ]
    try:
        # drawn until the click's time runs out (DELAI_CLIC): the pictures not drawn by then are None
        return iter(images.dessiner_au_plus(figures) if figures else []), None
    except images.ImageIndisponible as exc:
        # the deck still downloads: its picture slides say why the picture is missing
        return None, f"Image non dessinée : {exc} Les autres diapositives sont complètes."


def _image_en_retard() -> str:
    return (
        f"Image non dessinée : le serveur n'a pas dessiné toutes les images du diaporama en "
        f"{images.DELAI_CLIC:.0f} s. Téléchargez cette vue en image (PNG) depuis sa page, ou préparez un "
        "diaporama de moins de vues."
    )


class _Deck:
    """The presentation being written: its slides, text boxes and tables, laid out as measured."""

    def __init__(self, titre: str, date: dt.date):
        from pptx import Presentation
        from pptx.util import Inches

        self.date = date
        self.largeur = LARGEUR_DIAPO - 2 * MARGE
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = Inches(LARGEUR_DIAPO), Inches(HAUTEUR_DIAPO)
        self.deck.core_properties.title = titre
        self.deck.core_properties.author = "Atlas du non-recours"
        self.deck.core_properties.language = "fr-FR"

    def enregistrer(self) -> bytes:
        sortie = io.BytesIO()
        self.deck.save(sortie)
        return sortie.getvalue()

    @staticmethod
    def ecrire(cadre, contenu, taille, couleur="333333", gras=False, boite=True) -> None:
        """Write ``contenu`` in a text frame in :data:`POLICE` at ``taille`` points."""
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
        from pptx.util import Inches, Pt

        if boite:
            # the box keeps the size it was given (measured: no autofit) and its text starts at its top
            cadre.word_wrap = True
            cadre.auto_size = MSO_AUTO_SIZE.NONE
            cadre.vertical_anchor = MSO_ANCHOR.TOP
            cadre.margin_left = cadre.margin_right = Inches(MARGE_INTERNE_X)
            cadre.margin_top = cadre.margin_bottom = Inches(MARGE_INTERNE_Y)
        cadre.text = insecables(contenu)
        for paragraphe in cadre.paragraphs:
            paragraphe.alignment = PP_ALIGN.LEFT
            # an empty cell's line takes the size of its paragraph end: set as well, or it stays at 18 pt
            paragraphe._p.get_or_add_endParaRPr().set("sz", str(int(taille * 100)))
            for morceau in paragraphe.runs:
                morceau.font.name = POLICE
                morceau.font.size = Pt(taille)
                morceau.font.bold = gras
                if couleur:
                    morceau.font.color.rgb = RGBColor.from_string(couleur)

    def texte(self, diapo, contenu, gauche, haut, largeur_, taille, couleur="333333", gras=False) -> float:
        """A text box as tall as its text; returns its bottom (inches)."""
        from pptx.util import Inches

        hauteur = hauteur_texte(contenu, taille, largeur_, gras)
        forme = diapo.shapes.add_textbox(Inches(gauche), Inches(haut), Inches(largeur_), Inches(hauteur))
        self.ecrire(forme.text_frame, contenu, taille, couleur, gras)
        return haut + hauteur

    def accueil(self, titre: str, vues_: list[Vue]) -> None:
        """The title slide: the deck's title, its date and number of views, the demonstration warning."""
        accueil = self.deck.slides.add_slide(self.deck.slide_layouts[6])
        largeur_accueil = LARGEUR_DIAPO - 1.6
        taille_accueil = _taille_sur_deux_lignes(titre, (40, 32), largeur_accueil)
        bas = self.texte(accueil, titre, 0.8, 2.4, largeur_accueil, taille_accueil, "1F1F1F", gras=True)
        sous_titre_accueil = f"Diaporama du {format_date_fr(self.date)} — {accord(len(vues_), 'vue')}"
        bas = self.texte(accueil, sous_titre_accueil, 0.8, bas + ESPACE, largeur_accueil, 20, "555555")
        if any(v.demonstration for v in vues_):
            self.texte(accueil, "Contient des données de démonstration (valeurs inventées), signalées au pied de chaque diapositive concernée.",
                       0.8, bas + 3 * ESPACE, largeur_accueil, 16, "B00020")  # fmt: skip

    def diapo_titree(self, titre_diapo: str, vue: Vue, cadre: _Cadre, pied: str | None = None):
        """A slide with its title, subtitle, source line (``pied``: the view's by default) and the
        view's link in the notes."""
        from pptx.util import Inches

        diapo = self.deck.slides.add_slide(self.deck.slide_layouts[5])  # « Titre seul »: the title is the slide's title
        titre_forme = diapo.shapes.title
        titre_forme.left, titre_forme.top = Inches(MARGE), Inches(cadre.haut_titre)
        titre_forme.width, titre_forme.height = Inches(self.largeur), Inches(cadre.hauteur_titre)
        self.ecrire(titre_forme.text_frame, titre_diapo, cadre.taille_titre, couleur=None, gras=True)
        sous_titre = _sous_titre_de(vue)
        if sous_titre:
            self.texte(diapo, sous_titre, MARGE, cadre.haut_sous_titre, self.largeur, TAILLE_SOUS_TITRE, "555555")
        pied = pied or mise_en_page_image.mention_source(vue.source, vue.demonstration, self.date)
        couleur_pied = "B00020" if pied.startswith("Données de démonstration") else "333333"
        self.texte(diapo, pied, MARGE, cadre.haut_pied, self.largeur, cadre.taille_pied, couleur_pied)
        if vue.lien:
            diapo.notes_slide.notes_text_frame.text = f"Vue dans l'Atlas du non-recours : {vue.lien}"
        return diapo

    def diapos_tableau(self, vue: Vue) -> None:
        """A table view: as many slides as its rows need (« (suite 2/3) »), one title size for all.

        A table with a « Source » column (a territory profile, whose rows come from many sources)
        does not show it: each slide's source line cites the sources of its own rows, with their
        millésimes, instead of every source of the table on every slide.
        """
        from pptx.util import Inches

        titre_vue = _titre_de(vue)
        pied = mise_en_page_image.mention_source(vue.source, vue.demonstration, self.date)
        tableau = vue.tableau if vue.tableau is not None else pd.DataFrame()
        sources = tableau["Source"] if "Source" in tableau.columns else None
        tableau = tableau.drop(columns="Source") if sources is not None else tableau
        if tableau.columns.empty:
            self.diapo_titree(titre_vue, vue, _cadre(titre_vue, _sous_titre_de(vue), pied))
            return

        def pied_de(debut: int, fin: int) -> str:
            if sources is None:
                return pied
            des_lignes = sources.iloc[debut:fin]
            millesimes = tableau["Millésime"].iloc[debut:fin] if "Millésime" in tableau.columns else None
            # « Données de démonstration » on the slides whose rows hold some, said by their source
            demo = vue.demonstration and any(
                mise_en_page_image.sans_mention_demonstration(str(s)) != str(s) for s in des_lignes
            )
            return mise_en_page_image.mention_source(_sources_des_lignes(des_lignes, millesimes), demo, self.date)

        largeurs = _largeurs_colonnes(tableau, self.largeur)
        hauteurs = _hauteurs_lignes(tableau, largeurs)
        # laid out for the longest title of the series (« (suite 2/3) » may add a line)
        titre_pire = f"{titre_vue} (suite 99/99)"
        taille_titre = _cadre(titre_pire, _sous_titre_de(vue), pied).taille_titre
        pages = _pages_tableau(
            hauteurs,
            lambda debut, fin: (
                _cadre(titre_pire, _sous_titre_de(vue), pied_de(debut, fin), taille_titre).hauteur_contenu
            ),
        )
        for n, (debut, fin) in enumerate(pages):
            titre_page = titre_vue + (f" (suite {n + 1}/{len(pages)})" if n else "")
            pied_page = pied_de(debut, fin)
            # one title size for the series
            cadre_page = _cadre(titre_page, _sous_titre_de(vue), pied_page, taille_titre)
            diapo = self.diapo_titree(titre_page, vue, cadre_page, pied_page)
            morceau = tableau.iloc[debut:fin]
            rangs = [hauteurs[0], *hauteurs[1 + debut : 1 + fin]]
            forme = diapo.shapes.add_table(
                len(morceau) + 1,
                len(morceau.columns),
                Inches(MARGE),
                Inches(cadre_page.haut_contenu),
                Inches(self.largeur),
                Inches(sum(rangs)),
            )
            grille = forme.table
            for j, w in enumerate(largeurs):
                grille.columns[j].width = Inches(w)
            for i, h in enumerate(rangs):
                grille.rows[i].height = Inches(h)
            for j, colonne in enumerate(morceau.columns):
                self.ecrire(
                    grille.cell(0, j).text_frame, str(colonne), TAILLE_TABLEAU, couleur=None, gras=True, boite=False
                )
            for i, ligne in enumerate(morceau.itertuples(index=False), start=1):
                for j, valeur in enumerate(ligne):
                    self.ecrire(
                        grille.cell(i, j).text_frame, _texte_cellule(valeur), TAILLE_TABLEAU, couleur=None, boite=False
                    )
