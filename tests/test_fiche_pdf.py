"""Fiche territoire as PDF: one or two A4 pages with every indicator, its sources and the date."""

import io
import os

import pytest
from pypdf import PdfReader

from atlas import fiche, fiche_pdf, fiche_series, fiche_tableaux, images


def test_printable_fiche_lists_every_indicator_with_numbered_sources(app_env):
    document = fiche_pdf.html_fiche("commune", "49007")
    profil = fiche.profil("commune", "49007")
    for libelle in profil["libelle"]:
        assert libelle.replace("'", "&#x27;") in document
    for source in profil["source_libelle"].unique():
        assert source.replace("'", "&#x27;") in document
    assert 'lang="fr"' in document and "extraction du" in document
    # the demonstration DPE values are in the profile: the fiche says so up front, in a sentence's
    # words (it read « DONNÉES DE DÉMONSTRATION », shouted)
    entete = document[document.index("<header>") : document.index("</header>")]
    assert "contient des données de démonstration" in entete and "DÉMONSTRATION" not in document


def test_a_source_number_stays_on_the_line_of_the_indicators_last_word(app_env):
    # « Taux de non-recours détecté par l'aller vers (démonstration) » then « 6 » alone on a line
    import re

    document = fiche_pdf.html_fiche("epci", "244900015")
    renvois = re.findall(r"(.)<sup>\d+</sup>", document)
    assert renvois and set(renvois) == {"\u00a0"}


def test_secret_values_are_printed_as_secret_not_as_numbers(app_env):
    profil = fiche.profil("commune", "49007")
    secrets = profil[profil["statut"] == "secret"]
    tableaux = dict(fiche_tableaux.tableaux_profil(profil, "commune"))
    for r in secrets.itertuples():
        ligne = tableaux[r.theme].set_index("Indicateur").loc[r.libelle]
        assert ligne["Valeur"] == "Secret statistique"


def _chromium_requis() -> None:
    # the PDF is printed by Chromium: missing in CI is a failure, missing on a laptop a skip
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour la fiche PDF")
        pytest.skip("Chromium absent")


@pytest.mark.chromium
@pytest.mark.parametrize(("niveau", "code", "nom"), [("commune", "49007", "Angers"), ("departement", "85", "Vendée")])
def test_pdf_fiche_tables_fit_on_one_or_two_a4_pages_then_each_themes_series(app_env, niveau, code, nom):
    _chromium_requis()
    lecteur = PdfReader(io.BytesIO(fiche_pdf.pdf_fiche(niveau, code)))
    textes = [p.extract_text() for p in lecteur.pages]
    debut_series = next(i for i, t in enumerate(textes) if "Séries : chaque indicateur" in t)
    assert 1 <= debut_series <= 2  # the tables on one or two pages, the series on the next ones
    largeur, hauteur = float(lecteur.pages[0].mediabox.width), float(lecteur.pages[0].mediabox.height)
    assert abs(largeur - 595) < 2 and abs(hauteur - 842) < 2  # A4 portrait, in points
    texte = "\n".join(textes)
    assert nom in texte and "extraction du" in texte and "Sources" in texte
    # one small-multiples figure per theme with series, as on the fiche page
    themes = list(dict.fromkeys(fiche_series.series(niveau, code)["theme"]))
    assert themes
    for theme in themes:
        assert f"Séries — {theme}" in " ".join(texte.split())
    assert sum(len(p.images) for p in lecteur.pages[debut_series:]) == len(themes)


@pytest.mark.chromium
@pytest.mark.parametrize(("niveau", "code", "pages"), [("commune", "49007", 3), ("region", "52", 2)])
def test_pdf_fiche_leaves_no_page_near_empty(app_env, niveau, code, pages):
    # Angers printed a 4th page with its last series and the sources alone; the region's tables
    # left two rows alone on a 2nd page, then its series on a 3rd, mostly blank
    _chromium_requis()
    lecteur = PdfReader(io.BytesIO(fiche_pdf.pdf_fiche(niveau, code)))
    assert len(lecteur.pages) == pages
    textes = [" ".join(p.extract_text().split()) for p in lecteur.pages]
    # the sources close the document, after the last series, on the same page
    assert "Sources (numéros en exposant)" in textes[-1] and "Séries — " in textes[-1]


def test_pdf_series_leave_a_secret_millesime_as_a_gap_and_say_it(app_env):
    figures = fiche_pdf.figures_series("commune", "49267")
    serie = fiche_series.series("commune", "49267")
    secrets = serie[(serie["serie"] == "territoire") & (serie["statut"] == "secret")]
    assert len(secrets)  # Filosofi keeps some of this commune's values secret
    theme = secrets["theme"].iloc[0]
    fig = figures[theme]
    assert any(a.text.startswith("secret : ") for a in fig.layout.annotations)
    territoire = [t for t in fig.data if t.legendgroup == "territoire"]
    assert any(any(y is None or y != y for y in t.y) for t in territoire)  # no point: a gap in the line
    assert fig.layout.width == fiche_pdf.LARGEUR_SERIES  # sized for the page
    # never an empty panel: a series has two millésimes with a value (or a secret) for the territory
    du_territoire = serie[(serie["serie"] == "territoire") & (serie["statut"] != "absent")]
    assert (du_territoire.groupby("indicateur")["millesime"].nunique() >= 2).all()
    assert set(du_territoire["indicateur"]) == set(serie["indicateur"])
