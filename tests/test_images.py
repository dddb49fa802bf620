"""Static images of the figures (atlas.images): standalone layout and the real Chromium render."""

import io
import os
import re
import subprocess
import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from atlas import images, mise_en_page_image

CARRE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "49007", "geometry": {"type": "Polygon", "coordinates": [[[-0.6, 47.4], [-0.5, 47.4], [-0.5, 47.5], [-0.6, 47.5], [-0.6, 47.4]]]}},
    ],
}  # fmt: skip


def carte():
    fig = go.Figure(
        go.Choroplethmap(geojson=CARRE, locations=["49007"], z=[21.0], name="plus de 12 %", showlegend=True)
    )
    fig.update_layout(map_style="carto-positron", map_zoom=6, height=560)
    return fig


def _textes_figure(fig) -> str:
    """Every text an exported figure draws: title, notes, legend and colour-bar titles, entries, axes."""
    layout = fig.layout
    textes = [layout.title.text, layout.legend.title.text, *(a.text for a in layout.annotations)]
    textes += [t.name for t in fig.data if t.name]
    textes += [t.colorbar.title.text for t in fig.data if getattr(t, "colorbar", None)]
    textes += [layout.xaxis.title.text, layout.yaxis.title.text]
    return " ".join(t for t in textes if t).replace("<br>", " ")


def test_exported_figure_carries_title_source_date_and_demonstration_label():
    fig = mise_en_page_image.figure_pour_image(
        carte(), titre="Taux de pauvreté", source="Insee, Filosofi 2021", demonstration=True
    )
    assert "Taux de pauvreté" in fig.layout.title.text
    ligne = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Source : Insee, Filosofi 2021" in ligne and "extraction du" in ligne
    assert ligne.startswith("<b>Données de démonstration</b> — Source")
    assert fig.layout.width >= 1600


def test_an_exported_image_says_demonstration_once_in_its_source_line_without_shouting():
    # the title said « (données de démonstration) », the source line « DONNÉES DE DÉMONSTRATION »,
    # and the page's legend title, subtitle or source (« (démonstration) » of the catalogue) again
    page = carte()
    page.data[0].name = "Part de passoires (démonstration)"
    page.update_layout(legend_title_text="Part de passoires F ou G (%), ADEME — données de démonstration")
    fig = mise_en_page_image.figure_pour_image(
        page,
        titre="Part des DPE classés E, F ou G (démonstration) — communes, 2025",
        sous_titre="Classes par quantiles (données de démonstration)",
        source="ADEME, DPE (données de démonstration)",
        demonstration=True,
    )
    textes = _textes_figure(fig)
    assert textes.lower().count("démonstration") == 1 and "DÉMONSTRATION" not in textes
    assert "Données de démonstration" in fig.layout.annotations[-1].text
    assert "Part de passoires F ou G (%), ADEME" in fig.layout.legend.title.text.replace("<br>", " ")
    # the visits' source said « (données de démonstration générées par l'atlas) » after the label
    visites = mise_en_page_image.mention_source("Visites (données de démonstration générées par l'atlas), 2025", True)
    assert visites.lower().count("démonstration") == 1 and "Source : Visites, 2025" in visites
    # a slide's figure leaves it to the slide's source line
    diapo = mise_en_page_image.figure_sans_cadre(page, 1800, 800, demonstration=True)
    assert "démonstration" not in _textes_figure(diapo).lower()
    # real data keeps its texts as they are
    reelle = mise_en_page_image.figure_pour_image(page, titre="Part (démonstration)", source="s")
    assert "démonstration" in reelle.layout.title.text and "Données de démonstration" not in _textes_figure(reelle)


def test_exported_map_drops_tile_basemap_and_leaves_page_figure_unchanged():
    page = carte()
    fig = mise_en_page_image.figure_pour_image(page, titre="t", source="s")
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.map.zoom > page.layout.map.zoom  # taller image: the region fills it
    assert page.layout.map.style == "carto-positron" and page.layout.title.text is None


def test_missing_chromium_gives_a_french_explanation(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(tmp_path / "absent"))
    assert images.chromium() is None
    with pytest.raises(images.ImageIndisponible, match="Chromium est introuvable"):
        images.png(carte(), titre="t", source="s")


def _programme(dossier, nom, corps: str) -> str:
    chemin = dossier / nom
    chemin.write_text("#!/bin/sh\n" + corps)
    chemin.chmod(0o755)
    return str(chemin)


def test_a_chromium_that_never_answers_gives_a_french_error_instead_of_a_download_that_never_ends(
    monkeypatch, tmp_path
):
    # a loaded server once left a deck download waiting forever on a Chromium that did not start
    duree = f"600.{os.getpid()}"  # a command line this test alone runs
    monkeypatch.setenv("ATLAS_CHROMIUM", _programme(tmp_path, "chromium", f"exec sleep {duree}\n"))
    monkeypatch.setattr(images, "DELAI_IMAGE", 2.0)
    monkeypatch.setattr(images, "DELAI_PAR_FIGURE", 0.0)
    debut = time.monotonic()
    with pytest.raises(images.ImageIndisponible, match="n'a pas dessiné l'image en 2 s"):
        images.png(carte(), titre="t", source="s")
    assert time.monotonic() - debut < 60  # two tries of 2 s, plus closing what was started
    # nothing left running on the server
    restants = subprocess.run(["pgrep", "-f", f"sleep {duree}"], capture_output=True, text=True).stdout
    assert restants == ""


@pytest.mark.chromium
def test_a_chromium_that_fails_to_start_once_is_started_again(monkeypatch, tmp_path):
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    vrai = images.chromium()
    premier = tmp_path / "premier-essai"
    monkeypatch.setenv(
        "ATLAS_CHROMIUM",
        _programme(tmp_path, "chromium", f'[ -e {premier} ] || {{ touch {premier}; exit 1; }}\nexec {vrai} "$@"\n'),
    )
    contenu = images.png(carte(), titre="Taux de pauvreté", source="Insee, Filosofi 2021")
    assert premier.exists() and contenu.startswith(b"\x89PNG")


@pytest.mark.chromium
def test_png_is_drawn_by_chromium_at_1600_pixels_wide():
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    from PIL import Image

    contenu = images.png(carte(), titre="Taux de pauvreté", source="Insee, Filosofi 2021")
    image = Image.open(io.BytesIO(contenu))
    assert image.format == "PNG" and image.size == (1600, 1100)
    # the polygon is drawn: some pixels are neither white nor text grey
    couleurs = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(couleurs) > 10


def _comparaison():
    # the fiche's comparison chart: grouped bars, horizontal legend under the plot
    fig = go.Figure()
    for nom, couleur in (("Angers", "#bd0026"), ("Médiane des communes du département", "#fd8d3c"),
                         ("Médiane des communes de la région", "#9e9e9e")):  # fmt: skip
        fig.add_trace(go.Bar(y=["Taux de pauvreté", "Part des ménages sans voiture"], x=[21, 9], name=nom,
                             orientation="h", marker_color=couleur))  # fmt: skip
    fig.update_layout(
        barmode="group", height=210, margin={"l": 0, "r": 10, "t": 10, "b": 40}, xaxis_title="%",
        legend={"orientation": "h", "y": -0.25},
    )  # fmt: skip
    return fig


def _svg(fig) -> str:
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    (svg,) = images.dessiner([fig], format="svg")
    return svg.decode() if isinstance(svg, bytes) else svg


@pytest.mark.chromium
def test_a_legend_under_a_chart_goes_above_it_in_the_image_away_from_the_source_line():
    page = _comparaison()
    image = mise_en_page_image.figure_pour_image(page, titre="Angers — Revenus et pauvreté", source="Insee, Filosofi 2021",
                                     sous_titre="Taux (%) comparés aux médianes")  # fmt: skip
    assert image.layout.legend.yref == "container" and image.layout.legend.yanchor == "top"
    assert page.layout.legend.y == -0.25 and page.layout.legend.yref is None  # the page figure is left unchanged
    # where Chromium draws them: the title, then the legend, the plot, and the source line last
    svg = _svg(image)
    legende_y = float(re.search(r'<g class="legend"[^>]*translate\([\d.]+,([\d.]+)\)', svg).group(1))
    legende_h = float(re.search(r'<g class="legend".*?<rect class="bg"[^>]*height="([\d.]+)"', svg).group(1))
    graphique = re.search(r'<rect class="bg" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    haut_graphique, bas_graphique = float(graphique.group(1)), float(graphique.group(1)) + float(graphique.group(2))
    # the source line is the last annotation (the subtitle comes first)
    source = re.findall(
        r'<g class="annotation".*?translate\([\d.]+,([\d.]+)\)"><rect class="bg"[^>]*height="([\d.]+)"', svg
    )[-1]
    haut_source = float(source[0])
    assert legende_y + legende_h <= haut_graphique  # the legend stands above the plot, not on it
    assert bas_graphique < haut_source  # the source line is under the plot and its axis
    assert legende_y + legende_h < haut_source and haut_source + float(source[1]) <= image.layout.height


@pytest.mark.chromium
def test_the_source_line_starts_under_the_title_beside_long_indicator_names():
    # the fiche's indicator names are long: the plot area starts far right of them, and so did the
    # source line (anchored to the plot area) before
    page = _comparaison()
    longs = ["Taux de pauvreté des ménages dont le référent fiscal a moins de 30 ans (seuil à 60 %)",
             "Part des allocataires dont les revenus dépendent à 50 % ou plus des prestations"]  # fmt: skip
    for trace in page.data:
        trace.y = pd.Series(longs)  # the fiche hands plotly a column of its table
    image = mise_en_page_image.figure_pour_image(
        page, titre="Angers — Revenus et pauvreté", source="Insee, Filosofi 2021"
    )
    assert list(page.data[0].y) == longs  # the page figure is left unchanged
    # wrapped at 40 characters in the image, so that the names do not take half its width
    assert all(len(ligne) <= 40 for nom in image.data[0].y for ligne in nom.split("<br>"))
    svg = _svg(image)
    titre_x = float(re.search(r'<text class="gtitle" x="([\d.]+)"', svg).group(1))
    source_x = float(re.search(r'<g class="annotation".*?translate\(([\d.]+),[\d.]+\)"><rect class="bg"', svg).group(1))
    graphique_x = float(re.search(r'<rect class="bg" x="([\d.]+)" y="[\d.]+" width="[\d.]+"', svg).group(1))
    assert graphique_x > 250  # the names do push the plot area right
    assert abs(source_x - titre_x) < 30  # the source line starts under the title, at the image's left


def test_numbers_on_the_y_axis_are_left_as_they_are():
    # plotly carries NumPy values as a typed array ({"dtype", "bdata"}): read as labels, they
    # became the bars' names (« dtype », « bdata ») and the chart lost its values
    page = go.Figure(go.Bar(x=["avant 1948", "1948-1974", "1975-1988"], y=np.array([31.5, 22.0, 12.25])))
    image = mise_en_page_image.figure_pour_image(page, titre="Part de passoires par période", source="ADEME")
    assert image.to_dict()["data"][0]["y"] == page.to_dict()["data"][0]["y"]  # the same typed array
    # no names on that axis: the source line starts under the title, left of the numbers' room
    assert image.layout.margin.l + image.layout.annotations[0].xshift == mise_en_page_image.MARGE_PNG


def test_a_half_width_map_fills_its_image_like_a_full_width_one():
    # the page fits the region to a narrow column by its width; the image, much wider, must fit it
    # to its own map area, not only scale the page's zoom by the taller height
    from atlas.maps_continue import carte_choroplethe

    data = pd.DataFrame({"code": ["49007"], "nom": ["Angers"], "v": [21.0]})
    emprise = (-2.6, 46.3, 0.95, 48.6)  # the region's: wider than tall
    kwargs = {"colonne": "v", "libelle": "Taux", "unite": "%", "emprise": emprise, "hauteur": 420}
    etroite = carte_choroplethe(data, CARRE, largeur=340, **kwargs)
    large = carte_choroplethe(data, CARRE, largeur=600, **kwargs)
    assert etroite.layout.map.zoom < large.layout.map.zoom  # on the page
    image_etroite = mise_en_page_image.figure_pour_image(etroite, titre="Taux", source="Insee")
    image_large = mise_en_page_image.figure_pour_image(large, titre="Taux", source="Insee")
    assert image_etroite.layout.map.zoom == image_large.layout.map.zoom > large.layout.map.zoom
    assert etroite.layout.map.zoom == carte_choroplethe(data, CARRE, largeur=340, **kwargs).layout.map.zoom
    # slides too (no title: the region fills the slide's height)
    diapo_etroite, diapo_large = (mise_en_page_image.figure_sans_cadre(f, 1800, 763) for f in (etroite, large))
    assert diapo_etroite.layout.map.zoom == diapo_large.layout.map.zoom > large.layout.map.zoom


def test_a_map_legend_under_the_map_goes_above_it_in_the_image():
    import pandas as pd

    from atlas.maps_continue import carte_choroplethe

    data = pd.DataFrame({"code": ["49007", "49008"], "nom": ["Angers", "B"], "v": [21.0, None]})
    carte = carte_choroplethe(data, CARRE, colonne="v", libelle="Taux", unite="%", emprise=(-0.7, 47.3, -0.4, 47.6))
    image = mise_en_page_image.figure_pour_image(carte, titre="t", source="s")
    assert image.layout.legend.yref == "container" and image.layout.legend.y > 0.85
    # a legend already beside the plot stays where it is
    vertical = go.Figure(go.Bar(x=[1], y=["a"], name="A", showlegend=True))
    assert mise_en_page_image.figure_pour_image(vertical, titre="t", source="s").layout.legend.yref is None


def _encre(contenu: bytes) -> np.ndarray:
    """Where something is drawn: pixels visibly darker than the white background."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(contenu)).convert("RGB")).astype(int)
    return (255 * 3 - pixels.sum(axis=2)) > 30


def _carte_et_legende_longue(legende: str):
    from atlas.maps import carte_categories
    from atlas.maps_continue import carte_choroplethe

    emprise = (-0.6, 47.4, -0.5, 47.5)  # taller than wide: the map area is wider than the region
    data = pd.DataFrame({"code": ["49007"], "nom": ["Angers"], "v": [21.0]})
    if legende == "classes":
        return carte_categories(
            data, CARRE, [("plus de 13,0 à 18,6 %", "#bd0026", data.index)], survol=["nom"], emprise=emprise,
            titre_legende="Taux de pauvreté des ménages (seuil à 60 %), 2021",
        )  # fmt: skip
    return carte_choroplethe(
        data, CARRE, colonne="v", libelle="Densité de population", unite="hab./km²", emprise=emprise
    )


@pytest.mark.parametrize("legende", ["classes", "barre de couleur"])
def test_a_map_and_its_legend_are_centred_and_nothing_is_drawn_near_the_edges(legende):
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    image = mise_en_page_image.figure_pour_image(
        _carte_et_legende_longue(legende), titre="Taux de pauvreté — EPCI, 2021", source="Insee, Filosofi 2021",
        sous_titre="Classification : quantiles, 5 classes",
    )  # fmt: skip
    encre = _encre(images.pngs([image])[0])
    hauteur, largeur = encre.shape
    lignes, colonnes = np.nonzero(encre)
    # title, subtitle, legend title and source line keep a margin along every edge
    assert lignes.min() >= 20 and hauteur - lignes.max() >= 20
    assert colonnes.min() >= 20 and largeur - colonnes.max() >= 40
    # between the titles and the source line: the map and its legend, as far from the left edge as
    # from the right one (no empty band between the map and its legend)
    bande = encre[image.layout.margin.t : hauteur - image.layout.margin.b]
    _, colonnes_bande = np.nonzero(bande)
    gauche, droite = colonnes_bande.min(), largeur - colonnes_bande.max()
    assert abs(gauche - droite) <= 60, (gauche, droite)


def test_a_chart_keeps_its_tick_labels_and_titles_away_from_the_edges():
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    droits = ["Complémentaire santé solidaire", "ASPA (minimum vieillesse)", "Prime d'activité", "RSA"]
    graphique = go.Figure(go.Bar(y=droits, x=[191, 85, 431, 458], orientation="h"))
    graphique.update_layout(margin={"l": 0, "r": 10, "t": 10, "b": 40}, yaxis={"ticklabelstandoff": 0})
    for page in (graphique, go.Figure(go.Scatter(x=["janv. 2024", "févr. 2024"], y=[12500, 13000]))):
        image = mise_en_page_image.figure_pour_image(
            page, titre="Ménages en non-recours détecté, par droit", source="Visites"
        )
        encre = _encre(images.pngs([image])[0])
        hauteur, largeur = encre.shape
        lignes, colonnes = np.nonzero(encre)
        # plotly's automargin alone put the names against the left edge (12 px)
        assert colonnes.min() >= mise_en_page_image.MARGE_PNG - 10 and largeur - colonnes.max() >= 20
        assert lignes.min() >= 20 and hauteur - lignes.max() >= 20


def _lignes_encre(masque: np.ndarray) -> np.ndarray:
    return np.nonzero(masque.any(axis=1))[0]


@pytest.mark.chromium
def test_a_two_line_title_its_subtitle_and_a_legend_above_the_chart_do_not_overlap():
    # an experiment's long title took two lines: plotly raised it to 4 px from the top, and the
    # legend moved above the chart pushed the plot down with the subtitle (tied to the plot) onto it
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    from PIL import Image

    page = go.Figure()
    for nom, couleur in (("Réalisé cumulé", "#00a000"), ("Objectif cumulé", "#00a000")):
        page.add_trace(go.Scatter(x=["2024-03", "2024-04"], y=[10, 20], name=nom, line_color=couleur))
    page.update_layout(legend={"orientation": "h", "y": -0.2})
    titre = (
        "Territoire zéro non-recours Chemillé-en-Anjou : ménages rencontrés, cumul et objectif déclaré depuis le "
        "début de l'expérimentation"
    )
    image = mise_en_page_image.figure_pour_image(
        page, titre=titre, source="Visites", demonstration=True, sous_titre="Chemillé-en-Anjou ; depuis mars 2024"
    )
    assert image.layout.title.text.count("<br>") == 2  # two lines of title, one of subtitle
    pixels = np.asarray(Image.open(io.BytesIO(images.pngs([image])[0])).convert("RGB")).astype(int)
    sombre = pixels.max(axis=2) < 110  # text (dark grey, not the green symbols)
    vert = (pixels[..., 1] > 120) & (pixels[..., 0] < 80) & (pixels[..., 2] < 80)  # the legend's line symbols
    bord = slice(mise_en_page_image.MARGE_PNG, mise_en_page_image.MARGE_PNG + 35)  # where every text line starts
    assert _lignes_encre(sombre).min() >= 20  # the title keeps its margin from the top edge
    symboles = _lignes_encre(vert[:, bord])
    haut_legende, bas_legende = symboles.min(), symboles[symboles < symboles.min() + 30].max()
    textes = _lignes_encre(sombre[: haut_legende - 1, bord])
    # title and subtitle are above the legend: no text at the left edge on the legend's row
    assert not sombre[haut_legende - 8 : bas_legende + 8, bord].any()
    assert len(textes) and textes.max() < haut_legende - 8


@pytest.mark.chromium
def test_a_legend_right_of_a_chart_ends_as_far_from_the_edge_as_the_title_starts():
    # « Non-recours détecté », the longest name of the monthly chart's legend, ended 18 px from the edge
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    page = go.Figure()
    for nom in ("Contacts", "Bilans", "Non-recours détecté"):
        page.add_trace(go.Scatter(x=["janv. 2024", "févr. 2024"], y=[80, 120], name=nom))
    image = mise_en_page_image.figure_pour_image(page, titre="Activité mensuelle de l'aller vers", source="Visites")
    encre = _encre(images.pngs([image])[0])
    _, colonnes = np.nonzero(encre)
    assert encre.shape[1] - colonnes.max() >= mise_en_page_image.MARGE_PNG - 5


def test_a_wrapped_line_never_leaves_a_unit_alone_at_the_start_of_the_next_line():
    from atlas.mesure_texte import envelopper

    # the Zones blanches subtitle ended « … à moins de 20 » with « min » alone on a second line
    texte = "aucun service (France services) à moins de 20 min"
    largeur = mise_en_page_image.largeur_texte("aucun service (France services) à moins de 20", 20) + 5
    assert envelopper(texte, largeur, 20).split("<br>") == ["aucun service (France services) à moins de", "20 min"]


@pytest.mark.chromium
def test_the_names_of_the_bars_stand_apart_from_the_axis():
    # plotly wrote them against the axis (« RSA| »), Streamlit's theme keeps no gap
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    import streamlit.elements.lib.streamlit_plotly_theme  # noqa: F401 - registers the theme
    from PIL import Image

    droits = ["Complémentaire santé solidaire", "ASPA (minimum vieillesse)", "Prime d'activité", "RSA"]
    page = go.Figure(go.Bar(y=droits, x=[191, 85, 431, 458], orientation="h", marker_color="#bd0026"))
    page.update_layout(margin={"l": 0, "r": 10, "t": 30, "b": 40}, template="streamlit")
    image = mise_en_page_image.figure_pour_image(page, titre="Ménages en non-recours détecté, par droit", source="V")
    pixels = np.asarray(Image.open(io.BytesIO(images.pngs([image])[0])).convert("RGB")).astype(int)
    rouge = (pixels[..., 0] > 150) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    texte = pixels.max(axis=2) < 140
    lignes = np.nonzero(rouge.any(axis=1))[0]
    bande = slice(lignes.min(), lignes.max())
    barres = np.nonzero(rouge[bande].any(axis=0))[0].min()
    noms = np.nonzero(texte[bande, : barres - 3].any(axis=0))[0]  # left of the axis line
    assert barres - noms.max() >= 8
