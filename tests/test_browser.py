"""End to end in headless Chromium: every page loads, shows its content and logs no console error."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from atlas.navigation import pages_existantes
from tests.browser import (
    CHROMIUM_FLAGS,
    CONTRASTE_JS,
    SCREENSHOTS,
    StreamlitServer,
    chromium_or_skip,
    fautes_de_chiffres,
)

pytestmark = pytest.mark.browser

PAGES = [("accueil", "")] + [
    (Path(p.fichier).stem, Path(p.fichier).stem) for ps in pages_existantes().values() for p in ps
]


@pytest.fixture(scope="module")
def server(built_db):
    srv = StreamlitServer(built_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class PageErrors:
    """Console errors and uncaught exceptions of a page, less Streamlit's base-path probes.

    Opened at /<page>, Streamlit's frontend first probes /<page>/_stcore/health and
    /<page>/_stcore/host-config to find its base path (404) and then uses the root: that is
    Streamlit's own behaviour, and the only console error tolerated (matched one for one).
    """

    def __init__(self, page):
        self.messages: list[str] = []
        self.probes = 0
        page.on("response", self._on_response)
        page.on("console", lambda msg: self.messages.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.messages.append(f"pageerror: {exc}"))

    def _on_response(self, response):
        if response.status == 404 and response.url.split("?")[0].endswith(("/_stcore/health", "/_stcore/host-config")):
            self.probes += 1

    def real(self) -> list[str]:
        out, tolerated = [], self.probes
        for message in self.messages:
            if "status of 404" in message and tolerated:
                tolerated -= 1
            else:
                out.append(message)
        return out


def open_page(browser, url: str, width: int = 1400, height: int = 1000, erreurs: bool = True):
    """Open ``url`` and wait until the script has run; returns the page and its error log.

    ``erreurs=False`` opens it without listening to its console (the error log is then None).
    """
    # a French browser, as the users': tables write their numbers in the browser's language
    page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
    errors = PageErrors(page) if erreurs else None
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    # wait until the script has finished (the status widget disappears)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    # and until every element is drawn: the status widget may not be up yet when the title shows,
    # and a screenshot of grey placeholders tells a human nothing
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    # the script has run to its end (Streamlit draws no status widget with this configuration)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    return page, errors


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_loads_without_console_error(server, browser, name, path):
    page, errors = open_page(browser, f"{server.url}/{path}")
    page.wait_for_timeout(1500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()
    assert errors.real() == []
    page.close()


def test_home_page_shows_the_map_canvas(server, browser):
    page, errors = open_page(browser, server.url)
    canvas = page.locator("canvas.maplibregl-canvas")
    canvas.first.wait_for(state="visible", timeout=30_000)
    box = canvas.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    # the legend of the map names its unit
    assert page.get_by_text("hab./km²").count() >= 1
    assert errors.real() == []
    page.close()


def test_click_on_the_explorer_map_opens_the_territory_profile(server, browser):
    # EPCI polygons are large: a click in the middle of the map lands on one
    page, errors = open_page(browser, f"{server.url}/explorer?indicateur=mediane_niveau_vie&niveau=epci")
    canvas = page.locator("canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(2000)  # MapLibre loads the sources after the canvas appears
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


def test_copy_link_block_holds_the_url_of_the_current_view(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer?indicateur=mediane_niveau_vie&niveau=epci&classes=4")
    code = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").first
    code.wait_for(timeout=30_000)
    text = code.inner_text()
    assert (
        "/explorer?" in text
        and "indicateur=mediane_niveau_vie" in text
        and "niveau=epci" in text
        and "classes=4" in text
    )
    assert errors.real() == []
    page.close()


def test_presentation_mode_at_1280x720_hides_controls_and_shows_the_map(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer?presentation=1", width=1280, height=720)
    page.wait_for_timeout(1500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "presentation_1280x720.png")
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    assert page.locator("[data-testid='stSelectbox']:visible").count() == 0
    assert page.locator("[data-testid='stSlider']:visible").count() == 0
    # big title, and the map starts on the first screen and takes the width
    taille_titre = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert taille_titre >= 40
    canvas = page.locator("canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    assert box["y"] < 720 and box["width"] >= 1000
    # the whole map on the first screen: a presenter does not scroll in front of a committee
    assert box["y"] + box["height"] <= 720
    assert page.get_by_role("button", name="Quitter le mode présentation").is_visible()
    assert "presentation=1" in page.url
    assert errors.real() == []
    page.close()


def test_fiche_downloads_as_a_pdf_whose_tables_fit_on_two_a4_pages_before_the_series(server, browser):
    import io

    from pypdf import PdfReader

    page, errors = open_page(browser, f"{server.url}/fiche_territoire?niveau=commune&code=44109")
    page.get_by_role("heading", name="Nantes").wait_for(timeout=30_000)
    with page.expect_download(timeout=120_000) as attente:
        page.get_by_role("button", name="Télécharger la fiche (PDF)").click()
    telechargement = attente.value
    assert telechargement.suggested_filename == "fiche-commune-44109.pdf"
    lecteur = PdfReader(io.BytesIO(Path(telechargement.path()).read_bytes()))
    textes = [p.extract_text() for p in lecteur.pages]
    debut_series = next(i for i, t in enumerate(textes) if "Séries : chaque indicateur" in t)
    assert 1 <= debut_series <= 2 and "Nantes" in textes[0]  # tables on one or two pages, then the series
    assert errors.real() == []
    page.close()


def test_views_added_on_two_pages_download_as_one_pptx_deck(server, browser):
    import io

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


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_every_text_contrasts_at_least_4_5_to_1(server, browser, name, path):
    page, _errors = open_page(browser, f"{server.url}/{path}")
    page.wait_for_timeout(1000)
    assert page.evaluate(CONTRASTE_JS) == []
    page.close()


def test_explorer_controls_are_reachable_with_the_keyboard(server, browser):
    # the commune level (the explorer opens on the EPCI one): « Angers » is then the commune
    page, errors = open_page(browser, f"{server.url}/explorer?niveau=commune")
    # start from the top of a fully drawn page: a rerun that redraws the widgets drops the focus
    page.locator('[data-testid="stSlider"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    page.locator("h1").first.click()
    atteints = set()
    for _ in range(120):
        if {"stSelectbox", "stRadio", "stSlider", "stCheckbox"} <= atteints:
            break
        page.keyboard.press("Tab")
        atteints.add(
            page.evaluate(
                "() => { const w = document.activeElement && document.activeElement.closest("
                '\'[data-testid="stSelectbox"], [data-testid="stRadio"], [data-testid="stSlider"], '
                '[data-testid="stCheckbox"], [data-testid="stDownloadButton"]\'); return w ? w.dataset.testid : null; }'
            )
        )
    assert {"stSelectbox", "stRadio", "stSlider", "stCheckbox"} <= atteints, atteints
    # the territory picker is the keyboard alternative to a click on the map
    page.get_by_label("Territoire sélectionné (cliquez sur la carte ou choisissez)").focus()
    page.keyboard.type("Angers")
    page.keyboard.press("Enter")
    page.get_by_text("Ouvrir la fiche de Angers").wait_for(timeout=30_000)
    assert errors.real() == []
    page.close()


def test_explorer_png_download_is_a_png_at_least_1600_pixels_wide(server, browser):
    import io

    from PIL import Image

    page, errors = open_page(browser, f"{server.url}/explorer?indicateur=mediane_niveau_vie&niveau=epci")
    bouton = page.get_by_role("button", name="Télécharger l'image (PNG)")
    bouton.wait_for(timeout=30_000)
    bouton.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "explorer_boutons_export.png")
    with page.expect_download(timeout=120_000) as attente:
        bouton.click()
    telechargement = attente.value
    assert telechargement.suggested_filename == "mediane_niveau_vie_epci_2021.png"
    SCREENSHOTS.mkdir(exist_ok=True)
    chemin = SCREENSHOTS / "explorer_export.png"
    telechargement.save_as(chemin)
    image = Image.open(io.BytesIO(chemin.read_bytes()))
    assert image.format == "PNG" and image.size[0] >= 1600
    assert errors.real() == []
    page.close()


def test_presentation_mode_hides_the_export_buttons(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer?presentation=1", width=1280, height=720)
    page.locator("canvas.maplibregl-canvas").first.wait_for(state="visible", timeout=30_000)
    page.locator("button", has_text="Ajouter au diaporama").first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=SCREENSHOTS / "presentation_sans_exports.png")
    assert page.locator("button:visible", has_text="Ajouter au diaporama").count() == 0
    assert page.locator("button:visible", has_text="Télécharger l'image (PNG)").count() == 0
    assert errors.real() == []
    page.close()


def test_visible_numbers_and_dates_are_french_on_every_page(server, browser):
    # « (sur 1228) », « 2026-12-01 », « -16,4 % » were on screen: a committee reads every page
    fautes = {}
    for name, path in PAGES:
        page, _errors = open_page(browser, f"{server.url}/{path}")
        page.wait_for_timeout(1000)
        # the tables and notes folded in expanders are part of what a reader sees
        for resume in page.locator("[data-testid='stExpander'] summary").all():
            resume.click()
        page.wait_for_timeout(500)
        trouvees = fautes_de_chiffres(page.evaluate("() => document.body.innerText"))
        if trouvees:
            fautes[name] = trouvees
        page.close()
    assert fautes == {}


# Every map of the page with its region's extent (layout.meta.emprise, or the extent given to the
# atlas's own MapLibre component) and what MapLibre shows.
CARTES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd._fullLayout.meta && gd._fullLayout.meta.emprise && gd._fullLayout.map
                && gd._fullLayout.map._subplot && gd.offsetParent !== null)
  .map(gd => { const b = gd._fullLayout.map._subplot.map.getBounds();
               return {emprise: gd._fullLayout.meta.emprise, vue: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                       largeur: gd._fullLayout.map._subplot.map.getContainer().clientWidth}; })
  .concat([...document.querySelectorAll('.atlas-carte')]
  .filter(r => r.__atlasCarte && r.offsetParent !== null)
  .map(r => { const m = r.__atlasCarte.carte, b = m.getBounds();
              return {emprise: r.__atlasCarte.emprise, vue: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                      largeur: m.getContainer().clientWidth}; }))"""
PAGES_CARTES = ["", "explorer", "non_recours", "precarite_energetique", "mobilite", "zones_blanches"]


def _vues_rognees(browser, server, path: str, largeur: int) -> list[tuple]:
    """The maps of a page whose view does not contain the region, once the page has settled."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # no console listener here: with Playwright listening to the console, a map narrower than
    # the server's guess flipped between its fitted view and the server's one several times a
    # second (Zones blanches at 1280 px, every such map at 1024 px)
    page, _errors = open_page(browser, f"{server.url}/{path}", width=largeur, height=800, erreurs=False)
    page.locator("canvas.maplibregl-canvas").first.wait_for(state="visible", timeout=30_000)
    # MapLibre sizes its canvas, then the view is fitted: a few hundred milliseconds, longer
    # on a loaded machine (on a timeout, the caller names the maps still cropped)
    entieres = (
        f"() => ({CARTES_JS})().every(c => c.vue[0] <= c.emprise[0] && c.vue[1] <= c.emprise[1]"
        " && c.vue[2] >= c.emprise[2] && c.vue[3] >= c.emprise[3])"
    )
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(entieres, timeout=15_000)
        # the page's first reruns (URL state) redraw the figure at the server's view, which the
        # script fits again within 300 ms: judge the view once the page has settled
        page.wait_for_timeout(2_000)
        page.wait_for_function(entieres, timeout=15_000)
    cartes = page.evaluate(CARTES_JS)
    assert cartes, f"/{path} : aucune carte"
    rognees = []
    for carte in cartes:
        ouest, sud, est, nord = carte["emprise"]
        v_ouest, v_sud, v_est, v_nord = carte["vue"]
        if not (v_ouest <= ouest and v_sud <= sud and v_est >= est and v_nord >= nord):
            rognees.append((path or "accueil", carte["largeur"], carte["emprise"], [round(x, 3) for x in carte["vue"]]))
    page.close()
    return rognees


@pytest.mark.parametrize("largeur", [1024, 1280, 1400])
def test_every_map_shows_its_whole_region_at_any_width(server, browser, largeur):
    # at 1280 × 720 the Guérande peninsula (the only zones blanches) fell off the map's left edge
    rognees = []
    for path in PAGES_CARTES:
        vues = _vues_rognees(browser, server, path, largeur)
        if vues:
            # a map that keeps the server's view is seen in about one full run out of three at 1024 px
            # on this 2-core machine under load (issue 18, cause not found): a second load of the page
            # must show the whole region, and a map cropped twice fails
            vues = _vues_rognees(browser, server, path, largeur)
        rognees += vues
    assert rognees == []


def test_presentation_home_shows_key_figures_larger_than_their_labels_and_no_empty_heading(server, browser):
    page, errors = open_page(browser, f"{server.url}/?presentation=1", width=1280, height=720)
    page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=30_000)
    tailles = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMetric"]'), p = (s) => m.querySelector(s + ' p');
                   return [parseFloat(getComputedStyle(p('[data-testid="stMetricValue"]')).fontSize),
                           parseFloat(getComputedStyle(p('[data-testid="stMetricLabel"]')).fontSize)]; }"""
    )
    assert tailles[0] >= 2 * tailles[1], tailles
    # the key figures and the whole map on one 1280 × 720 screen
    canvas = page.locator("canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    assert box["y"] + box["height"] <= 720
    # the page links are hidden in presentation mode: their heading goes with them
    assert page.get_by_role("heading", name="Explorer l'atlas").count() == 0
    assert errors.real() == []
    page.close()


def _ouvrir_les_volets(page) -> None:
    """Open every expander of the page: the tables folded in them are part of what a reader sees."""
    for resume in page.locator("[data-testid='stExpander'] summary").all():
        if resume.is_visible():
            resume.click()
    page.wait_for_timeout(1500)


# Every table of the page wider than its frame (cut at the right edge): interactive tables by
# their scroller, static ones by their table against their frame. A table with too many columns
# for any screen (month by month) may scroll sideways if it says so under it.
TABLES_COUPEES_JS = """() => [
  ...[...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(e => e.offsetParent !== null)
     .map(e => { const s = e.querySelector('.dvn-scroller'); const dit = e.closest('[class*="st-key-tableau_defilant_"]');
        if (dit && dit.innerText.includes('faites-le défiler vers la droite')) return null;
        return s && s.scrollWidth > s.clientWidth + 1
        ? `tableau ${s.scrollWidth} px dans ${s.clientWidth} px` : null; }),
  ...[...document.querySelectorAll('[data-testid="stTable"]')].filter(e => e.offsetParent !== null)
     .map(e => { const t = e.querySelector('table'); return t.getBoundingClientRect().right > e.getBoundingClientRect().right + 1
        ? `tableau statique ${Math.round(t.getBoundingClientRect().width)} px dans ${Math.round(e.getBoundingClientRect().width)} px « ${t.innerText.slice(0, 40)} »` : null; }),
].filter(x => x)"""


@pytest.mark.parametrize("largeur", [1280, 1400])
def test_no_table_is_cut_at_the_right_edge(server, browser, largeur):
    # Précarité « Tableau de tous les territoires », Mobilité and the sources of « Données et
    # méthodes » ran past the page's right edge at 1280 px
    coupees = {}
    for name, path in PAGES:
        page, _errors = open_page(browser, f"{server.url}/{path}", width=largeur, height=900)
        page.wait_for_timeout(1000)
        _ouvrir_les_volets(page)
        trouvees = page.evaluate(TABLES_COUPEES_JS)
        if trouvees:
            coupees[name] = trouvees
        page.close()
    assert coupees == {}


# Streamlit's own English, as a reader could see or hear it (texts, tooltips, spoken names)
MOTS_ANGLAIS = re.compile(
    r"\b(Stop|Stopping|Skip|Running|Deploy|Print|Record|Rerun|Settings|Download|Search|Fullscreen|"
    r"Collapse|Expand|Clear|Show|Hide|Please wait|Made with)\b"
)
TEXTES_DE_LA_PAGE_JS = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[aria-label], [title], [data-title]')]
     .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('data-title')].filter(x => x).join(' '))]"""


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_no_english_word_of_streamlit_is_shown_or_spoken(server, browser, presentation):
    anglais = {}
    for name, path in PAGES:
        url = f"{server.url}/{path}" + ("?presentation=1" if presentation else "")
        page, _errors = open_page(browser, url, width=1280, height=720)
        page.wait_for_timeout(1000)
        textes = page.evaluate(TEXTES_DE_LA_PAGE_JS)
        # the keyboard's first stop: the skip link, shown when focused
        page.locator("h1").first.click()
        page.keyboard.press("Tab")
        textes.append(page.evaluate("() => document.activeElement ? document.activeElement.innerText : ''"))
        trouves = sorted({m.group(0) for texte in textes for m in MOTS_ANGLAIS.finditer(texte or "")})
        if trouves or page.evaluate("() => document.documentElement.lang") != "fr":
            anglais[name] = trouves or ["lang"]
        page.close()
    assert anglais == {}


def test_a_count_of_zero_is_said_in_words(server, browser):
    # « 0 communes à 40 minutes ou plus d'une France services »: no commune is that far
    page, errors = open_page(browser, f"{server.url}/mobilite?seuil=40", width=1280, height=720)
    page.get_by_text("Aucune commune à 40 minutes ou plus d'une France services").wait_for(timeout=30_000)
    texte = page.evaluate("() => document.body.innerText")
    assert re.findall(r"(?<![\d,])0[\s\u00a0\u202f]+(?:communes?|habitants?|EPCI|vues?|DPE|lignes?)\b", texte) == []
    assert errors.real() == []
    page.close()


def test_the_fiche_is_folded_into_one_block_per_theme_and_keeps_every_indicator(server, browser):
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
    # every block, once open, holds its table; the sources are numbered once, at the end
    _ouvrir_les_volets(page)
    assert (
        page.locator("[data-testid='stMain'] [data-testid='stExpander'] [data-testid='stTable']").count()
        == volets.count()
    )
    assert page.get_by_text("Sources des indicateurs").count() == 1
    assert errors.real() == []
    page.close()


def test_home_footer_names_demonstration_data_once_first_then_lists_the_sources(server, browser):
    # the footer was one paragraph beginning « DÉMONSTRATION : extrait DPE… »
    page, errors = open_page(browser, server.url, width=1280, height=720)
    pied = page.locator("[data-testid='stCaptionContainer']").last
    pied.wait_for(timeout=30_000)
    texte = pied.inner_text()
    assert texte.startswith("Données de démonstration")
    assert texte.upper().count("DÉMONSTRATION") == 1
    assert pied.locator("li").count() >= 5
    assert errors.real() == []
    page.close()
