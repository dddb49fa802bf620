"""« Diaporama (PPTX) »: the session basket of views and the deck built from it."""

import io
import os

import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation

from atlas import diaporama, diaporama_pptx, images
from atlas.diaporama import Vue


def graphique(valeur=2):
    fig = go.Figure(go.Bar(x=["RSA", "Prime d'activité"], y=[1, valeur]))
    fig.update_layout(height=400, yaxis_title="droits ouverts")
    return fig


def test_a_view_is_added_once_and_can_be_removed():
    etat = {}
    assert diaporama.ajouter(etat, Vue.de_figure(graphique(), titre="Droits", source="Visites 2025"))
    assert not diaporama.ajouter(etat, Vue.de_figure(graphique(), titre="Droits", source="Visites 2025"))
    assert diaporama.ajouter(etat, Vue.de_figure(graphique(3), titre="Droits", source="Visites 2025"))
    assert len(diaporama.vues(etat)) == 2
    diaporama.retirer(etat, 0)
    assert diaporama.vues(etat)[0].figure == graphique(3).to_json()
    diaporama.vider(etat)
    assert diaporama.vues(etat) == []


def test_the_basket_refuses_views_beyond_its_limit():
    etat = {}
    for i in range(diaporama.MAX_VUES):
        assert diaporama.ajouter(etat, Vue(titre=f"Vue {i}", source="s", tableau=pd.DataFrame({"a": [i]})))
    assert not diaporama.ajouter(etat, Vue(titre="Une de trop", source="s", tableau=pd.DataFrame({"a": [0]})))


def _textes(diapo):
    # no-break spaces (« Source\u00a0: ») read as spaces
    return "\n".join(f.text_frame.text for f in diapo.shapes if f.has_text_frame).replace("\u00a0", " ")


def test_a_long_table_continues_over_slides_with_title_source_date_and_demonstration_label():
    tableau = pd.DataFrame(
        {"Indicateur": [f"Indicateur {i}" for i in range(15)], "Valeur": [f"{i},5 %" for i in range(15)]}
    )
    vue = Vue(
        titre="Fiche territoire — Angers",
        source="Insee, Filosofi 2021",
        tableau=tableau,
        demonstration=True,
        lien="http://x/fiche?code=49007",
    )
    deck = Presentation(
        io.BytesIO(diaporama_pptx.construire_pptx([vue], titre="Atlas du non-recours — Pays de la Loire"))
    )
    diapos = list(deck.slides)
    assert len(diapos) == 1 + 2  # title slide, then 12 + 3 rows
    assert "Contient des données de démonstration" in _textes(diapos[0])
    premiere, suite = diapos[1], diapos[2]
    # said once on each slide, at the start of its source line, in a sentence's words (the title
    # said « (données de démonstration) » and the source line « DONNÉES DE DÉMONSTRATION »)
    assert premiere.shapes.title.text == "Fiche territoire — Angers"
    assert "suite 2/2" in suite.shapes.title.text
    for diapo in (premiere, suite):
        textes = _textes(diapo)
        assert textes.lower().count("démonstration") == 1 and "DÉMONSTRATION" not in textes
    pied = _textes(premiere)
    assert "Données de démonstration — Source : Insee, Filosofi 2021" in pied and "extraction du" in pied
    grille = next(f for f in premiere.shapes if f.has_table).table
    assert (
        grille.cell(0, 0).text == "Indicateur" and grille.cell(1, 1).text == "0,5\u00a0%"
    )  # the unit never alone on a line
    assert len(grille.rows) == diaporama_pptx.LIGNES_PAR_DIAPO + 1
    assert "http://x/fiche?code=49007" in premiere.notes_slide.notes_text_frame.text


@pytest.mark.chromium
def test_a_figure_view_becomes_a_picture_drawn_by_chromium():
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour le diaporama")
        pytest.skip("Chromium absent")
    from PIL import Image

    vue = Vue.de_figure(graphique(), titre="Droits ouverts par prestation", source="Visites d'aller-vers, 2025")
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx([vue], titre="Atlas")))
    diapo = list(deck.slides)[1]
    assert diapo.shapes.title.text == "Droits ouverts par prestation"
    image = next(f for f in diapo.shapes if f.shape_type == 13).image  # MSO_SHAPE_TYPE.PICTURE
    largeur, _ = Image.open(io.BytesIO(image.blob)).size
    assert image.content_type == "image/png" and largeur >= 1600
    assert "Source : Visites d'aller-vers, 2025" in _textes(diapo)


def test_a_deck_with_figures_explains_itself_when_chromium_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(tmp_path / "absent"))
    vues = [
        Vue.de_figure(graphique(), titre="Droits ouverts par prestation", source="Visites d'aller-vers, 2025"),
        Vue(
            titre="Chiffres clés", source="Insee", tableau=pd.DataFrame({"Indicateur": ["Taux"], "Valeur": ["15,2 %"]})
        ),
    ]
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx(vues, titre="Atlas")))
    figure, tableau = list(deck.slides)[1:]
    # the deck still downloads: the figure's slide keeps its title and source and says why
    assert figure.shapes.title.text == "Droits ouverts par prestation"
    assert "Image non dessinée : Export d'image indisponible : Chromium est introuvable" in _textes(figure)
    assert "Source : Visites d'aller-vers, 2025" in _textes(figure)
    assert not any(f.shape_type == 13 for f in figure.shapes)
    assert any(f.has_table for f in tableau.shapes)


def test_a_chromium_that_fails_leaves_the_picture_slide_with_its_reason(monkeypatch, tmp_path):
    # a Chromium that exits at once (as when it cannot start on a loaded server)
    programme = tmp_path / "chromium"
    programme.write_text("#!/bin/sh\nexit 1\n")
    programme.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(programme))
    vue = Vue.de_figure(graphique(), titre="Droits ouverts par prestation", source="Visites d'aller-vers, 2025")
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx([vue], titre="Atlas")))
    assert "Image non dessinée : Chromium s'est arrêté ou n'a pas démarré" in _textes(list(deck.slides)[1])


@pytest.mark.chromium
def test_a_chart_on_a_slide_keeps_its_bar_names_and_axis_titles_inside_the_picture_apart_from_its_numbers():
    # drawn without Streamlit's theme, the names of the bars were cut at the picture's left edge
    # (« ité » for « Prime d'activité ») and the axis title ran over the tick numbers
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour le diaporama")
        pytest.skip("Chromium absent")
    import numpy as np
    from PIL import Image

    droits = ["Complémentaire santé solidaire", "ASPA (minimum vieillesse)", "Prime d'activité", "RSA"]
    page = go.Figure(go.Bar(y=droits, x=[191, 85, 431, 458], orientation="h", marker_color="#bd0026"))
    page.update_layout(margin={"l": 0, "r": 10, "t": 30, "b": 40}, xaxis_title="ménages en non-recours détecté")
    # the page's figure, as st.plotly_chart leaves it: with Streamlit's theme (no room kept for the axes)
    import streamlit.elements.lib.streamlit_plotly_theme  # noqa: F401 - registers the theme

    page.update_layout(template="streamlit")
    vue = Vue.de_figure(page, titre="Ménages en non-recours détecté, par droit", source="Visites")
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx([vue], titre="Atlas")))
    image = next(f for f in list(deck.slides)[1].shapes if f.shape_type == 13).image
    pixels = np.asarray(Image.open(io.BytesIO(image.blob)).convert("RGB")).astype(int)
    texte = pixels.max(axis=2) < 140  # dark grey text, not the red bars
    lignes, colonnes = np.nonzero(texte)
    assert colonnes.min() >= 10  # the longest name starts inside the picture
    # the axis title's line is below the tick numbers' line, a blank row between them
    rangees = np.nonzero(texte[lignes.max() - 120 :].any(axis=1))[0]
    assert (np.diff(rangees) > 1).any()


def test_a_deck_too_long_to_draw_comes_before_the_browser_gives_up_with_the_pictures_drawn_in_time(
    monkeypatch, tmp_path
):
    # Streamlit's browser waits 180 s for a file prepared on click, then says « Request timed out »
    # in English: a deck of 20 views took 228 s on a loaded server
    import asyncio
    import time

    programme = tmp_path / "chromium"
    programme.write_text("#!/bin/sh\nexit 0\n")
    programme.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(programme))
    png = _png_blanc()

    async def lent(figures, navigateur, format, rendus):
        rendus.append(png)  # the first picture in time, then Chromium takes too long
        await asyncio.sleep(3600)

    monkeypatch.setattr(images, "_dessiner_lot", lent)
    monkeypatch.setattr(images, "DELAI_CLIC", 1.0)
    vues = [Vue.de_figure(graphique(v), titre=f"Vue {v}", source="Visites") for v in (2, 3)]
    debut = time.monotonic()
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx(vues, titre="Atlas")))
    assert time.monotonic() - debut < 30
    dessinee, en_retard = list(deck.slides)[1:]
    assert any(f.shape_type == 13 for f in dessinee.shapes)
    assert not any(f.shape_type == 13 for f in en_retard.shapes)
    assert "Image non dessinée : le serveur n'a pas dessiné toutes les images du diaporama en 1 s." in _textes(
        en_retard
    )
    assert "Source : Visites" in _textes(en_retard)


def _png_blanc() -> bytes:
    from PIL import Image

    sortie = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(sortie, format="PNG")
    return sortie.getvalue()


def test_a_profile_s_slides_each_cite_the_sources_of_their_own_rows():
    # the fiche's 9 slides each carried all its sources (six lines in red), leaving room for 7 rows
    sources = ["Insee, Filosofi"] * 14 + ["DPE générés par l'atlas — données de démonstration"] * 4
    tableau = pd.DataFrame(
        {
            "Indicateur": [f"Indicateur {i}" for i in range(18)],
            "Valeur": [f"{i},5 %" for i in range(18)],
            "Millésime": ["2021"] * 14 + ["2025"] * 4,
            "Source": sources,
        }
    )
    vue = Vue(titre="Fiche territoire — Angers", source="toutes les sources", tableau=tableau, demonstration=True)
    deck = Presentation(io.BytesIO(diaporama_pptx.construire_pptx([vue], titre="Atlas")))
    premiere, suite = list(deck.slides)[1:]
    assert "Source : Insee, Filosofi, millésime 2021 — extraction" in _textes(premiere)
    assert "démonstration" not in _textes(premiere) and "DPE" not in _textes(premiere)
    assert (
        "Données de démonstration — Source : Insee, Filosofi, millésime 2021 ; DPE générés par l'atlas, millésime 2025"
        in (_textes(suite))
    )
    # the column of sources is not shown
    grille = next(f for f in premiere.shapes if f.has_table).table
    assert [grille.cell(0, j).text for j in range(len(grille.columns))] == ["Indicateur", "Valeur", "Millésime"]
