"""Browser test support: a ``streamlit run`` server on a free loopback port and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from commun.config import CHROMIUM_FLAGS, ROOT  # noqa: F401 (CHROMIUM_FLAGS re-exported)

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"


def chromium_or_skip() -> str:
    """Path of Chromium; skip the test when absent, but fail in CI where it must be installed."""
    if Path(CHROMIUM).is_file() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"Chromium introuvable ({CHROMIUM}) : installer le paquet Debian « chromium »"
    if os.environ.get("CI"):
        pytest.fail(reason + " (obligatoire en CI)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run dashboard.py`` in a subprocess, stopped on exit."""

    def __init__(self, db_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-{self.port}.log"
        # not ATLAS_APPTEST, which the AppTest helpers set in this process: the served pages would skip
        # their switch to the atlas's navigation (atlas.navigation.page_via_navigation)
        env = {k: v for k, v in os.environ.items() if k != "ATLAS_APPTEST"}
        env |= {"ATLAS_DB": str(db_path), "ATLAS_REGION": "52", "PYTHONPATH": str(ROOT)}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                    "--server.port", str(self.port), "--server.address", "127.0.0.1",
                    "--server.headless", "true", "--browser.gatherUsageStats", "false",
                ],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit s'est arrêté : {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit ne répond pas après {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Contrast audit of the visible text of a page (WCAG 2.1, 1.4.3: at least 4.5:1). The background
# of a text is the composition of the translucent backgrounds of its ancestors on white. Skipped:
# figures (svg/canvas: their texts are drawn on known palettes, checked in the unit tests),
# dataframes (canvas-drawn), Material icons (decorative glyphs, non-text contrast) and the slider
# thumb value (drawn outside the thumb whose colour it shares).
CONTRASTE_JS = r"""
() => {
  function parse(c) { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(Number); return {r:p[0], g:p[1], b:p[2], a: p.length > 3 ? p[3] : 1}; }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126*f(c.r) + 0.7152*f(c.g) + 0.0722*f(c.b); }
  function bg(el) { let layers = []; for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } } let out = {r:255,g:255,b:255}; for (const c of layers.reverse()) { out = {r: c.r*c.a + out.r*(1-c.a), g: c.g*c.a + out.g*(1-c.a), b: c.b*c.a + out.b*(1-c.a)}; } return out; }
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const t = walker.currentNode; const el = t.parentElement;
    if (!el || seen.has(el) || !t.textContent.trim()) continue; seen.add(el);
    if (el.closest('svg, canvas, [data-testid="stDataFrame"], [data-testid="stIconMaterial"], [data-testid="stSliderThumbValue"]')) continue;
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el); if (s.visibility === 'hidden' || s.display === 'none') continue;
    const fg = parse(s.color); if (!fg) continue;
    const b = bg(el); let f = fg; if (fg.a < 1) f = {r: fg.r*fg.a + b.r*(1-fg.a), g: fg.g*fg.a + b.g*(1-fg.a), b: fg.b*fg.a + b.b*(1-fg.a)};
    const l1 = lum(f), l2 = lum(b); const ratio = (Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    if (ratio < 4.5) bad.push(`${ratio.toFixed(2)}:1 ${s.color} sur rgb(${b.r|0},${b.g|0},${b.b|0}) (${el.closest('[data-testid]')?.dataset.testid}) « ${t.textContent.trim().slice(0,50)} »`);
  }
  return bad;
}
"""


# Numbers of a page's visible text that a French reader would stumble on.
_NOMBRE_NU = re.compile(r"(?<![\d\w,.\u00a0\u202f/:#=-])(\d{4,})(?![\d\w,.])")
# codes are written without separators: « (49007) », « commune 49092 », « code=44109 », SIREN
_AVANT_UN_CODE = re.compile(r"(\(|\bcommune |\bcode |\bsiren |\bepci |\biris )$", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
_TIRET_MOINS = re.compile(r"(?<![\w)\]])-\d")


def fautes_de_chiffres(texte: str) -> list[str]:
    """Unformatted numbers in a visible text, each with its context.

    A count of 1 000 or more without its thousands separator (years and codes aside), an ISO
    date or month (« 2026-12-01 », « 2024-01 ») and a hyphen used as a minus sign (« -16,4 % »).
    """
    fautes = []
    for m in _NOMBRE_NU.finditer(texte):
        nombre = int(m.group(1))
        if 1900 <= nombre <= 2100 or _AVANT_UN_CODE.search(texte[max(0, m.start() - 12) : m.start()]):
            continue
        fautes.append(f"nombre sans séparateur : « {texte[max(0, m.start() - 30) : m.end() + 10]} »")
    for motif, nom in ((_DATE_ISO, "date ISO"), (_TIRET_MOINS, "trait d'union pour moins")):
        fautes += [f"{nom} : « {texte[max(0, m.start() - 30) : m.end() + 10]} »" for m in motif.finditer(texte)]
    return [f.replace("\n", " ⏎ ") for f in fautes]


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


def open_page(browser, url: str, width: int = 1400, height: int = 1000, erreurs: bool = True, **options):
    """Open ``url`` and wait until the script has run; returns the page and its error log.

    ``erreurs=False`` opens it without listening to its console (the error log is then None);
    ``options`` go to Playwright's ``new_page`` (``has_touch=True``: a touch screen).
    """
    # a French browser, as the users': tables write their numbers in the browser's language
    page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR", **options)
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


def ouvrir_les_volets(page) -> list:
    """Open every folded expander of the page: the tables folded in them are part of what a reader sees.

    Returns the summaries clicked (a click on each folds its expander again); an expander already
    open stays open.
    """
    ouverts = []
    for resume in page.locator("[data-testid='stExpander'] summary").all():
        if resume.is_visible() and not resume.evaluate("s => Boolean(s.closest('details')?.open)"):
            resume.click()
            ouverts.append(resume)
            # an expander built when opened (atlas.ui.donnees_en_tableau, the fiche's themes) reruns
            # the page to draw its content: the next summary is clicked once that rerun is over, or
            # the rerun detaches it under the click
            page.wait_for_timeout(200)
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    if ouverts:
        page.wait_for_timeout(1500)  # the folded content drawn
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
        page.wait_for_timeout(500)
    return ouverts


# Every map of the page (the atlas's map component: no page draws a plotly map on screen) with its
# region's extent and what it shows, both [west, south, east, north].
CARTES_JS = """() => [...document.querySelectorAll('.atlas-carte')]
  .filter(r => r.__atlasCarte && r.__atlasCarte.vue() && r.offsetParent !== null)
  .map(r => ({emprise: r.__atlasCarte.emprise, vue: r.__atlasCarte.vue(), largeur: r.__atlasCarte.boite.clientWidth}))"""


def dessiner_les_cartes(page, timeout: float = 60_000) -> None:
    """Scroll to every visible map of the atlas's component in turn until it is drawn, then back to the title.

    A map below the fold waits (``data-etat="en_attente"``) until the reader scrolls near it, then
    draws (``chargement``) and says when it is drawn (``prete``, atlas/composants/carte.js): a
    check of every map on the page (its view, a screenshot of it) scrolls first, as a reader would.
    """
    for carte in page.locator(".atlas-carte").all():
        if not carte.is_visible():
            continue
        carte.scroll_into_view_if_needed()
        page.wait_for_function(
            "(c) => ['prete', 'erreur'].includes(c.dataset.etat)", arg=carte.element_handle(), timeout=timeout
        )
    page.locator("h1").first.scroll_into_view_if_needed()


def cartes_rognees(page) -> list[str]:
    """The maps of a loaded page whose view does not contain their region, once the page has settled.

    Every map is drawn first (:func:`dessiner_les_cartes`). A page without any map is reported
    too (``aucune carte``): the caller asks only pages that draw one.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dessiner_les_cartes(page)
    page.locator("canvas.atlas-carte-canvas").first.wait_for(state="visible", timeout=30_000)
    # the canvas takes its box's size, then the view is fitted: at the next frame, later on a
    # loaded machine (on a timeout, the maps still cropped are named)
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
    if not cartes:
        return ["aucune carte"]
    rognees = []
    for carte in cartes:
        ouest, sud, est, nord = carte["emprise"]
        v_ouest, v_sud, v_est, v_nord = carte["vue"]
        if not (v_ouest <= ouest and v_sud <= sud and v_est >= est and v_nord >= nord):
            vue = [round(x, 3) for x in carte["vue"]]
            rognees.append(f"carte de {carte['largeur']} px : région {carte['emprise']}, vue {vue}")
    return rognees


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
  ...[...document.querySelectorAll('table.atlas-tableau')].filter(t => t.offsetParent !== null)
     .map(t => { const e = t.parentElement; return t.getBoundingClientRect().right > e.getBoundingClientRect().right + 1
        ? `tableau HTML ${Math.round(t.getBoundingClientRect().width)} px dans ${Math.round(e.getBoundingClientRect().width)} px « ${t.innerText.slice(0, 40)} »` : null; }),
].filter(x => x)"""

# Streamlit's own English, as a reader could see or hear it (texts, tooltips, spoken names)
MOTS_ANGLAIS = re.compile(
    r"\b(Stop|Stopping|Skip|Running|Deploy|Print|Record|Rerun|Settings|Download|Search|Fullscreen|"
    r"Collapse|Expand|Clear|Show|Hide|Please wait|Made with)\b"
)
TEXTES_DE_LA_PAGE_JS = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[aria-label], [title], [data-title]')]
     .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('data-title')].filter(x => x).join(' '))]"""


def anglais_de_streamlit(page) -> list[str]:
    """Streamlit's English words shown or spoken on the page (and ``lang`` when it is not ``fr``).

    Presses Tab once from the title: the keyboard's first stop (the skip link) shows when focused.
    """
    textes = page.evaluate(TEXTES_DE_LA_PAGE_JS)
    page.locator("h1").first.click()
    page.keyboard.press("Tab")
    textes.append(page.evaluate("() => document.activeElement ? document.activeElement.innerText : ''"))
    trouves = sorted({m.group(0) for texte in textes for m in MOTS_ANGLAIS.finditer(texte or "")})
    if page.evaluate("() => document.documentElement.lang") != "fr":
        trouves.append("lang")
    return trouves


# Texts of a map legend drawn over one another (« DÉMONSTRATION » over « 3,1 à 13,0 % »): plotly's
# legends and colour bars (SVG), and the legend of the atlas's own map component (HTML).
# Two boxes overlap when they share more than one pixel both ways.
LEGENDES_SUPERPOSEES_JS = r"""() => {
  const boite = (e) => { const r = e.getBoundingClientRect(); return {t: e.textContent.trim().slice(0, 40), l: r.left, r: r.right, h: r.top, b: r.bottom}; };
  const legendes = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (gd.offsetParent === null) continue;
    for (const g of gd.querySelectorAll('g.legend, g.colorbar'))
      legendes.push([...g.querySelectorAll('text')].filter(t => t.textContent.trim()).map(boite));
  }
  for (const l of document.querySelectorAll('.atlas-carte-legende')) {
    if (l.offsetParent === null) continue;
    legendes.push([...l.querySelectorAll('.atlas-carte-legende-titre, .atlas-carte-legende-ligne > span:last-child')].map(boite));
  }
  const fautes = [];
  for (const textes of legendes)
    for (let i = 0; i < textes.length; i++)
      for (let j = i + 1; j < textes.length; j++) {
        const a = textes[i], c = textes[j];
        const x = Math.min(a.r, c.r) - Math.max(a.l, c.l), y = Math.min(a.b, c.b) - Math.max(a.h, c.h);
        if (x > 1 && y > 1) fautes.push(`« ${a.t} » sur « ${c.t} » (${x.toFixed(0)} × ${y.toFixed(0)} px)`);
      }
  return fautes;
}"""


# An element drawn on screen: laid out, not hidden, and not in the folded part of an expander (a
# closed <details> keeps its content's layout boxes, where nothing is drawn)
_RENDU = """(e) => e.offsetParent !== null && e.checkVisibility({visibilityProperty: true, opacityProperty: true, contentVisibilityAuto: true})
  && !(e.closest('details:not([open])') && !e.closest('summary'))"""

# French punctuation that a line starts with (« ; part : ménages… », « : », « ? », « % », « » »):
# its space before it was a breaking one, the browser wrapped there. A text node's punctuation
# mark preceded by a space whose previous character sits on another line.
PONCTUATION_EN_DEBUT_DE_LIGNE_JS = (
    r"""() => {
  const rendu = """
    + _RENDU
    + r""";
  const fautes = [];
  const textes = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const haut = (noeud, i) => { const r = document.createRange(); r.setStart(noeud, i); r.setEnd(noeud, i + 1);
                               const b = [...r.getClientRects()].filter(b => b.width > 0); return b.length ? Math.round(b[0].top) : null; };
  while (textes.nextNode()) {
    const noeud = textes.currentNode, el = noeud.parentElement;
    if (!el || el.closest('svg, canvas, code, pre, script, style, [aria-hidden="true"]') || !rendu(el)) continue;
    for (const m of noeud.textContent.matchAll(/(\S)[ \t\n]+([;:!?%»])/g)) {
      const avant = haut(noeud, m.index), apres = haut(noeud, m.index + m[0].length - 1);
      if (avant !== null && apres !== null && apres > avant) {
        const t = noeud.textContent;
        fautes.push(`« ${m[2]} » en début de ligne : « ${t.slice(Math.max(0, m.index - 30), m.index + m[0].length + 20).replace(/\s+/g, ' ')} »`);
      }
    }
  }
  return [...new Set(fautes)];
}"""
)

# Headings with nothing under them (« Explorer l'atlas » in presentation mode, its links hidden):
# the next visible block after a heading is a heading of its level or higher, a divider, or nothing.
TITRES_SANS_CONTENU_JS = (
    r"""() => {
  const rendu = """
    + _RENDU
    + r""";
  const visible = e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.width > 0 && rendu(e); };
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const fautes = [];
  for (const h of main.querySelectorAll('h1, h2, h3, h4')) {
    if (!visible(h) || !h.textContent.trim()) continue;
    // a markdown block going on after its heading
    let frere = h.nextElementSibling;
    while (frere && !visible(frere)) frere = frere.nextElementSibling;
    if (frere) continue;
    let suivant = null;
    for (let n = h.closest('[data-testid="stElementContainer"]') || h; n && n !== main && !suivant; n = n.parentElement) {
      for (let s = n.nextElementSibling; s; s = s.nextElementSibling) if (visible(s)) { suivant = s; break; }
    }
    const titre = h.textContent.trim().slice(0, 60);
    if (!suivant) { fautes.push(`« ${titre} » : rien dessous`); continue; }
    const haut = suivant.getBoundingClientRect().top;
    // a subheading under a title is content; a heading of the same or a higher level is not
    const niveau = Number(h.tagName[1]);
    const premier = [...suivant.querySelectorAll('h1, h2, h3, h4, hr')].find(e => visible(e) && e.getBoundingClientRect().top - haut < 4
      && (e.tagName === 'HR' || Number(e.tagName[1]) <= niveau));
    if (suivant.matches('hr') || premier) fautes.push(`« ${titre} » : suivi de « ${(premier || suivant).textContent.trim().slice(0, 40) || 'un trait'} »`);
  }
  return fautes;
}"""
)

# Texts drawn over other texts anywhere on the page (the legend check's class, everywhere): the line
# boxes of two text nodes sharing more than 2 px both ways. Figures (SVG, canvas) are left to their own
# checks; hidden and screen-reader-only texts (clipped to a pixel) are not drawn.
TEXTES_SUPERPOSES_JS = (
    r"""() => {
  const rendu = """
    + _RENDU
    + r""";
  const lignes = [];
  const textes = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (textes.nextNode()) {
    const noeud = textes.currentNode, el = noeud.parentElement;
    if (!noeud.textContent.trim() || !el || !rendu(el)) continue;
    if (el.closest('svg, canvas, script, style, [data-testid="stTooltipContent"], .atlas-carte-bulle')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
    // a text cut by its box (an ellipsis, a scroller) is drawn within the box only
    let clip = {l: -Infinity, r: Infinity, h: -Infinity, b: Infinity};
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e);
      if (o.overflowX !== 'visible' || o.overflowY !== 'visible') {
        const c = e.getBoundingClientRect();
        clip = {l: Math.max(clip.l, c.left), r: Math.min(clip.r, c.right), h: Math.max(clip.h, c.top), b: Math.min(clip.b, c.bottom)};
      }
    }
    const r = document.createRange(); r.selectNodeContents(noeud);
    for (const b of r.getClientRects()) {
      const l = Math.max(b.left, clip.l), d = Math.min(b.right, clip.r), h = Math.max(b.top, clip.h), bas = Math.min(b.bottom, clip.b);
      if (d - l > 2 && bas - h > 2) lignes.push({n: noeud, t: noeud.textContent.trim().slice(0, 40), l, r: d, h, b: bas});
    }
  }
  lignes.sort((a, c) => a.h - c.h);
  const fautes = new Set();
  for (let i = 0; i < lignes.length; i++)
    for (let j = i + 1; j < lignes.length && lignes[j].h < lignes[i].b; j++) {
      const a = lignes[i], c = lignes[j];
      if (a.n === c.n) continue;
      const x = Math.min(a.r, c.r) - Math.max(a.l, c.l), y = Math.min(a.b, c.b) - Math.max(a.h, c.h);
      if (x > 2 && y > 2) fautes.add(`« ${a.t} » sur « ${c.t} » (${x.toFixed(0)} × ${y.toFixed(0)} px)`);
    }
  return [...fautes];
}"""
)

# Tables drawn with their headers and no row (« Liste des zones blanches » over an empty list): the
# static tables (HTML, st.table) only, a grid's rows are drawn on a canvas.
TABLES_VIDES_JS = r"""() => [...document.querySelectorAll('table.atlas-tableau, [data-testid="stTable"] table')]
  .filter(t => t.offsetParent !== null && !t.querySelector('tbody tr'))
  .map(t => `« ${t.querySelector('thead')?.innerText.replace(/\s+/g, ' ').trim().slice(0, 60)} »`)"""
