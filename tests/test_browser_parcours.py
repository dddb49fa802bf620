"""What a user does in headless Chromium: click the map, copy a link, download PNG, PDF and PPTX."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.browser import SCREENSHOTS, open_page, ouvrir_les_volets

pytestmark = pytest.mark.browser


def test_explorer_view_gives_its_link_a_png_download_and_a_click_to_the_territory_profile(server, browser):
    from PIL import Image

    page, errors = open_page(browser, f"{server.url}/explorer?indicateur=mediane_niveau_vie&niveau=epci&classes=4")
    # the copy-link block holds the URL of the current view, and its button copies it
    code = page.locator("[data-testid='stSidebar'] .atlas-lien code").first
    code.wait_for(timeout=30_000)
    lien = code.inner_text()
    for morceau in ("/explorer?", "indicateur=mediane_niveau_vie", "niveau=epci", "classes=4"):
        assert morceau in lien, f"lien à copier sans « {morceau} » : {lien}"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.locator("[data-testid='stSidebar'] .atlas-copier").click()
    page.wait_for_function("() => document.querySelector('.atlas-copier').textContent === 'Lien copié'")
    assert page.evaluate("navigator.clipboard.readText()") == lien

    # the PNG download is a PNG at least 1 600 pixels wide
    bouton = page.get_by_role("button", name="Télécharger l'image (PNG)")
    bouton.wait_for(timeout=30_000)
    bouton.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "explorer_boutons_export.png")
    with page.expect_download(timeout=120_000) as attente:
        bouton.click()
    telechargement = attente.value
    assert telechargement.suggested_filename == "mediane_niveau_vie_epci_2021.png"
    chemin = SCREENSHOTS / "explorer_export.png"
    telechargement.save_as(chemin)
    image = Image.open(io.BytesIO(chemin.read_bytes()))
    assert image.format == "PNG" and image.size[0] >= 1600, (image.format, image.size)

    # a click on the map opens the territory's profile (EPCI polygons are large: a click in the
    # middle of the map lands on one)
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.scroll_into_view_if_needed()
    canvas.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(2000)  # the layer loads after the canvas appears
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.55)
    link = page.get_by_role("link", name="Ouvrir la fiche de")
    link.wait_for(timeout=30_000)
    name = link.inner_text().split("Ouvrir la fiche de", 1)[1].strip()  # the icon's text comes first
    link.click()
    page.wait_for_url("**/fiche_territoire?niveau=epci&code=*", timeout=30_000)
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('h2')].some(h => h.innerText.includes(name))", arg=name, timeout=30_000
    )
    page.screenshot(path=SCREENSHOTS / "fiche_depuis_carte.png", full_page=True)
    assert errors.real() == []
    page.close()


def test_the_fiche_is_folded_into_one_block_per_theme_and_downloads_as_a_pdf(server, browser):
    from pypdf import PdfReader

    # the fiche of Nantes was 10 937 px tall, the same sources repeated on every row
    page, errors = open_page(
        browser, f"{server.url}/fiche_territoire?niveau=commune&code=44109", width=1280, height=720
    )
    page.get_by_role("heading", name="Nantes").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    hauteur = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().height"
    )
    assert hauteur < 5_000, hauteur
    volets = page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary")
    assert volets.count() >= 5
    # every block, once open, holds its table (every indicator kept); the sources are numbered once, at the end
    ouvrir_les_volets(page)
    # every block folded on arrival: each click reruns the page to build its block, the last may still run
    page.wait_for_function(
        "(n) => document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stExpander'] table.atlas-tableau\")"
        ".length === n",
        arg=volets.count(),
        timeout=60_000,
    )
    assert page.get_by_text("Sources des indicateurs").count() == 1

    # its PDF: the tables fit on one or two A4 pages, then the series
    with page.expect_download(timeout=120_000) as attente:
        page.get_by_role("button", name="Télécharger la fiche (PDF)").click()
    telechargement = attente.value
    assert telechargement.suggested_filename == "fiche-commune-44109.pdf"
    lecteur = PdfReader(io.BytesIO(Path(telechargement.path()).read_bytes()))
    textes = [p.extract_text() for p in lecteur.pages]
    debut_series = next(i for i, t in enumerate(textes) if "Séries : chaque indicateur" in t)
    assert 1 <= debut_series <= 2 and "Nantes" in textes[0]
    assert errors.real() == []
    page.close()


def test_views_added_on_two_pages_download_as_one_pptx_deck(server, browser):
    from pptx import Presentation

    page, errors = open_page(browser, f"{server.url}/")
    page.locator(".st-key-diaporama_chiffres_cles").get_by_role("button", name="Ajouter au diaporama").click()
    page.get_by_text("Vue ajoutée au diaporama (1 vue)").wait_for(timeout=30_000)
    # same session, other page: the basket follows the presenter
    page.get_by_role("link", name="Fiche territoire").first.click()
    ajouter = page.locator(".st-key-diaporama_fiche").get_by_role("button", name="Ajouter au diaporama")
    ajouter.wait_for(timeout=30_000)
    ajouter.click()
    page.get_by_text("Diaporama (2 vues)", exact=True).click()
    with page.expect_download(timeout=120_000) as attente:
        page.get_by_role("button", name="Télécharger le diaporama (PPTX)").click()
    deck = Presentation(io.BytesIO(Path(attente.value.path()).read_bytes()))
    titres = [d.shapes.title.text for d in list(deck.slides)[1:] if d.shapes.title is not None]
    assert titres[0] == "Chiffres clés — Pays de la Loire"
    assert titres[1].startswith("Fiche territoire — Angers")
    assert errors.real() == []
    page.close()


def test_explorer_controls_are_reachable_with_the_keyboard(server, browser):
    # the commune level (the explorer opens on the EPCI one): « Angers » is then the commune
    page, errors = open_page(browser, f"{server.url}/explorer?niveau=commune")
    # start from the top of a fully drawn page: a rerun that redraws the widgets drops the focus
    page.locator(".st-key-classes [data-testid='stButtonGroup']").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    page.locator("h1").first.click()
    atteints = set()
    for _ in range(120):
        if {"stSelectbox", "stButtonGroup", "stCheckbox"} <= atteints:
            break
        page.keyboard.press("Tab")
        atteints.add(
            page.evaluate(
                "() => { const w = document.activeElement && document.activeElement.closest("
                '\'[data-testid="stSelectbox"], [data-testid="stButtonGroup"], [data-testid="stSlider"], '
                '[data-testid="stCheckbox"], [data-testid="stDownloadButton"]\'); return w ? w.dataset.testid : null; }'
            )
        )
    assert {"stSelectbox", "stButtonGroup", "stCheckbox"} <= atteints, atteints
    # the territory picker is the keyboard alternative to a click on the map
    page.get_by_role("button", name="Choisir un territoire dans la liste").click()  # its popover
    page.get_by_label("Territoire sélectionné (cliquez sur la carte ou choisissez)").focus()
    page.keyboard.type("Angers")
    page.keyboard.press("Enter")
    page.get_by_text("Ouvrir la fiche de Angers").wait_for(timeout=30_000)
    assert errors.real() == []
    page.close()


def test_a_count_of_zero_is_said_in_words(server, browser):
    # « 0 communes à 40 minutes ou plus d'une France services »: no commune is that far
    page, errors = open_page(browser, f"{server.url}/mobilite?seuil=40", width=1280, height=720)
    page.get_by_text("Aucune commune à 40 minutes ou plus d'une France services").wait_for(timeout=30_000)
    texte = page.evaluate("() => document.body.innerText")
    assert re.findall(r"(?<![\d,])0[\s\u00a0\u202f]+(?:communes?|habitants?|EPCI|vues?|DPE|lignes?)\b", texte) == []
    assert errors.real() == []
    page.close()
