"""Fiche territoire as PDF: one or two A4 pages with every indicator, its sources and the date."""

import io
import os

import pytest
from pypdf import PdfReader

from atlas import fiche, fiche_pdf, images


def test_printable_fiche_lists_every_indicator_with_numbered_sources(app_env):
    document = fiche_pdf.html_fiche("commune", "49007")
    profil = fiche.profil("commune", "49007")
    for libelle in profil["libelle"]:
        assert libelle.replace("'", "&#x27;") in document
    for source in profil["source_libelle"].unique():
        assert source.replace("'", "&#x27;") in document
    assert 'lang="fr"' in document and "extraction du" in document
    # the demonstration DPE values are in the profile: the fiche says so up front
    assert "DONNÉES DE DÉMONSTRATION" in document


def test_secret_values_are_printed_as_secret_not_as_numbers(app_env):
    profil = fiche.profil("commune", "49007")
    secrets = profil[profil["statut"] == "secret"]
    tableaux = dict(fiche.tableaux_profil(profil, "commune"))
    for r in secrets.itertuples():
        ligne = tableaux[r.theme].set_index("Indicateur").loc[r.libelle]
        assert ligne["Valeur"] == "Secret statistique"


@pytest.mark.chromium
@pytest.mark.parametrize(("niveau", "code", "nom"), [("commune", "49007", "Angers"), ("departement", "85", "Vendée")])
def test_pdf_fiche_fits_on_one_or_two_a4_pages(app_env, niveau, code, nom):
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour la fiche PDF")
        pytest.skip("Chromium absent")
    lecteur = PdfReader(io.BytesIO(fiche_pdf.pdf_fiche(niveau, code)))
    assert 1 <= len(lecteur.pages) <= 2
    largeur, hauteur = float(lecteur.pages[0].mediabox.width), float(lecteur.pages[0].mediabox.height)
    assert abs(largeur - 595) < 2 and abs(hauteur - 842) < 2  # A4 portrait, in points
    texte = "\n".join(p.extract_text() for p in lecteur.pages)
    assert nom in texte and "extraction du" in texte and "Sources" in texte
