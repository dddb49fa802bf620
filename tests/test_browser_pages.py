"""Every page in headless Chromium at every size and in presentation mode, judged for each class of defect.

A committee sees the pages at 1400 × 900, at 1280 × 720 (a common projector) and in presentation
mode; the maps must also hold at 1024 px. Each page is loaded once at 1400 × 900, then its window is
narrowed to 1280 × 720 and, for the pages with a map, to 1024 × 800: a resize lays the page out
again and the maps fit their region again, and each size is judged from the top of the page with
its expanders folded, as a fresh load. Presentation mode, another URL, is a load of its own. Each
size is judged for every defect a reader would stumble on there, and a failure names the page, the
size and each defect found:

- 1400 × 900: every map shows its whole region, every text contrasts at least 4.5:1, numbers and
  dates are French, no table is cut at the right edge (expanders opened);
- 1280 × 720: whole maps, no English word of Streamlit shown or spoken, no table cut;
- 1280 × 720 in presentation mode: no English word of Streamlit;
- 1024 × 800: whole maps;
- at every size and in both modes: no exception, no console error, no text drawn over another (in
  a map legend or anywhere), no line starting with « ; », « : », « % »…, no heading with nothing
  under it, no table drawn without a row;
- at 1400 × 900, 1280 × 720 and in presentation mode, the first screen in ``tests/screenshots/``
  (``<page>_1400x900.png``, ``<page>_1280x720.png``, ``<page>_presentation.png``) for a human look.

Pages have their own checks on the same loads (home map and footer, presentation layouts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.navigation import pages_existantes
from tests.browser import (
    CONTRASTE_JS,
    LEGENDES_SUPERPOSEES_JS,
    PONCTUATION_EN_DEBUT_DE_LIGNE_JS,
    SCREENSHOTS,
    TABLES_COUPEES_JS,
    TABLES_VIDES_JS,
    TEXTES_SUPERPOSES_JS,
    TITRES_SANS_CONTENU_JS,
    anglais_de_streamlit,
    cartes_rognees,
    dessiner_les_cartes,
    fautes_de_chiffres,
    open_page,
    ouvrir_les_volets,
)

pytestmark = pytest.mark.browser

PAGES = [("accueil", "")] + [
    (Path(p.fichier).stem, Path(p.fichier).stem) for ps in pages_existantes().values() for p in ps
]
PAGES_CARTES = ["", "explorer", "non_recours", "precarite_energetique", "mobilite", "zones_blanches"]


def _carte_de_l_accueil(page) -> list[str]:
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    fautes = [] if box["width"] > 300 and box["height"] > 300 else [f"carte de l'accueil trop petite : {box}"]
    if page.get_by_text("hab./km²").count() == 0:
        fautes.append("la légende de la carte ne nomme pas son unité « hab./km² »")
    return fautes


def _pied_de_l_accueil(page) -> list[str]:
    # the footer was one paragraph beginning « DÉMONSTRATION : extrait DPE… »
    pied = page.locator("[data-testid='stCaptionContainer']").last
    pied.wait_for(timeout=30_000)
    texte = pied.inner_text()
    fautes = []
    if not texte.startswith("Données de démonstration"):
        fautes.append(f"le pied de page ne commence pas par « Données de démonstration » : « {texte[:60]} »")
    if texte.upper().count("DÉMONSTRATION") != 1:
        fautes.append("le pied de page nomme les données de démonstration plus d'une fois")
    if pied.locator("li").count() < 5:
        fautes.append("le pied de page ne liste pas ses sources (au moins 5 puces)")
    return fautes


def _accueil_en_presentation(page) -> list[str]:
    page.locator(".atlas-chiffre-cle dd").first.wait_for(timeout=30_000)
    valeur, libelle = page.evaluate(
        """() => { const m = document.querySelector('.atlas-chiffre-cle');
                   return [parseFloat(getComputedStyle(m.querySelector('dd')).fontSize),
                           parseFloat(getComputedStyle(m.querySelector('dt')).fontSize)]; }"""
    )
    fautes = [] if valeur >= 2 * libelle else [f"chiffre clé ({valeur} px) pas deux fois plus grand que son libellé"]
    # the key figures and the whole map on one 1280 × 720 screen
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    if box["y"] + box["height"] > 720:
        fautes.append(f"la carte finit sous le premier écran ({box['y'] + box['height']:.0f} px)")
    # the page links are hidden in presentation mode: their heading goes with them
    if page.get_by_role("heading", name="Explorer l'atlas").count():
        fautes.append("titre « Explorer l'atlas » sans rien dessous")
    return fautes


# the vertical distance between the block under the page title (its subtitle) and the next one drawn
ECART_SOUS_LE_SOUS_TITRE_JS = """() => {
  const visible = e => { while (e && e.getBoundingClientRect().height === 0) e = e.nextElementSibling; return e; };
  const sous_titre = visible(document.querySelector('h1').closest('[data-testid="stElementContainer"]').nextElementSibling);
  return visible(sous_titre.nextElementSibling).getBoundingClientRect().top - sous_titre.getBoundingClientRect().bottom;
}"""


def _explorateur_en_presentation(page) -> list[str]:
    fautes = []
    if page.locator("section[data-testid='stSidebar']").is_visible():
        fautes.append("barre latérale visible")
    visibles = (
        "[data-testid='stSelectbox']:visible, [data-testid='stSlider']:visible, [data-testid='stButtonGroup']:visible"
    )
    if page.locator(visibles).count():
        fautes.append("listes, curseurs ou groupes de boutons visibles")
    # big title, and the map starts on the first screen and takes the width
    taille_titre = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    if taille_titre < 40:
        fautes.append(f"titre de {taille_titre} px (au moins 40)")
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    box = canvas.bounding_box()
    # the hidden controls' rows and an empty placeholder left about 50 px of blank under the subtitle
    ecart = page.evaluate(ECART_SOUS_LE_SOUS_TITRE_JS)
    if ecart > 17:
        fautes.append(f"{ecart:.0f} px vides sous le sous-titre (un seul espacement de 16 px attendu)")
    # the whole map on the first screen: a presenter does not scroll in front of a committee
    if not (box["width"] >= 1000 and box["y"] + box["height"] <= 720):
        fautes.append(f"carte hors du premier écran ou trop étroite : {box}")
    if not page.get_by_role("button", name="Quitter le mode présentation").is_visible():
        fautes.append("pas de bouton « Quitter le mode présentation »")
    if "presentation=1" not in page.url:
        fautes.append(f"lien sans presentation=1 : {page.url}")
    # the export buttons are drawn (attached) but hidden
    page.locator("button", has_text="Ajouter au diaporama").first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=SCREENSHOTS / "presentation_sans_exports.png")
    for bouton in ("Ajouter au diaporama", "Télécharger l'image (PNG)"):
        if page.locator("button:visible", has_text=bouton).count():
            fautes.append(f"bouton « {bouton} » visible")
    return fautes


def _non_recours_en_presentation(page) -> list[str]:
    # the funnel's text was 12 px and its caption long: title, key figure and map were not on one screen
    fautes = []
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    bas_carte = canvas.bounding_box()["y"] + canvas.bounding_box()["height"]
    chiffre = page.locator(".atlas-chiffre-cle dd").first.bounding_box()
    if bas_carte > 720 or chiffre["y"] + chiffre["height"] > 720:
        fautes.append(
            f"taux ({chiffre['y'] + chiffre['height']:.0f} px) ou carte ({bas_carte:.0f} px) sous le premier écran"
        )
    # the funnel is HTML bars (atlas.graphiques_html): its stage names and figures
    tailles = page.evaluate(
        """() => [...document.querySelectorAll('.st-key-entonnoir .atlas-graphique :is(.nom, .valeur, .absente)')]
                 .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize))"""
    )
    if not tailles or min(tailles) < 16:
        fautes.append(f"textes de l'entonnoir de {min(tailles, default=0)} px (au moins 16)")
    return fautes


def _carte_au_premier_ecran(page) -> list[str]:
    # Zones blanches' rules and notices, Mobilité's method came first: the map started under the first 720 px
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    haut = canvas.bounding_box()["y"]
    return [] if haut + 200 <= 720 else [f"la carte commence à {haut:.0f} px : moins de 200 px au premier écran"]


# numbers of the static tables (st.table: atlas.ui.tableau_statique; HTML:
# atlas.graphiques_html.tableau_html) whose text does not end at the cell's right edge (a year,
# « 2018 », is a label written as text)
NOMBRES_A_GAUCHE_JS = r"""() => [...document.querySelectorAll('[data-testid="stTable"] td, table.atlas-tableau td')]
  .filter(td => /^[−-]?\d[\d\u00a0\u202f ]*(,\d+)?( ?%)?$/.test(td.innerText.trim()))
  .filter(td => !/^(19|20)\d\d$/.test(td.innerText.trim()))
  .filter(td => { const texte = td.querySelector('[data-testid="stMarkdownContainer"]') || document.createRange();
                  if (texte instanceof Range) texte.selectNodeContents(td);
                  return td.getBoundingClientRect().right - texte.getBoundingClientRect().right > 12; })
  .map(td => `${td.closest('[class*="st-key-"]')?.className.match(/st-key-\S+/)?.[0] || 'tableau'} : ${td.innerText.trim()}`)"""


# words of the static tables' headers cut across two lines or running out of their cell (the fiche's
# « Millé / sime », « Départe / ment »): a header wraps between its words only
ENTETES_COUPEES_JS = r"""() => {
  const fautes = [];
  for (const th of document.querySelectorAll('[data-testid="stTable"] th, table.atlas-tableau th')) {
    if (th.offsetParent === null) continue;
    const cle = th.closest('[class*="st-key-"]')?.className.match(/st-key-\S+/)?.[0] || 'tableau';
    const bord = th.getBoundingClientRect();
    const textes = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    while (textes.nextNode()) {
      const noeud = textes.currentNode;
      // a word of a compound name may end a line at its hyphen (« Saint- / Herblain »)
      for (const mot of noeud.textContent.matchAll(/[^\s\-\u2011\u2013\u2014\/]+/g)) {
        const r = document.createRange();
        r.setStart(noeud, mot.index);
        r.setEnd(noeud, mot.index + mot[0].length);
        const boites = [...r.getClientRects()].filter(b => b.width > 0);
        if (new Set(boites.map(b => Math.round(b.top))).size > 1) fautes.push(`${cle} : « ${mot[0]} » coupé en deux lignes`);
        else if (boites.some(b => b.right > bord.right + 1 || b.left < bord.left - 1)) fautes.push(`${cle} : « ${mot[0]} » hors de sa cellule`);
      }
    }
  }
  return [...new Set(fautes)];
}"""

# figures of the static tables drawn on two lines (« Derniers chargements » read « 37 53 / 0 » when
# its cells could break anywhere)
NOMBRES_COUPES_JS = r"""() => [...document.querySelectorAll('[data-testid="stTable"] td, table.atlas-tableau td')]
  .filter(td => td.offsetParent !== null && /^[−-]?\d[\d\u00a0\u202f ]*(,\d+)?( ?%)?$/.test(td.innerText.trim()))
  .filter(td => { const hauts = new Set(), textes = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
                  while (textes.nextNode()) { const r = document.createRange(); r.selectNodeContents(textes.currentNode);
                    for (const b of r.getClientRects()) if (b.width > 0) hauts.add(Math.round(b.top)); }
                  return hauts.size > 1; })
  .map(td => `${td.closest('[class*="st-key-"]')?.className.match(/st-key-\S+/)?.[0] || 'tableau'} : ${td.innerText.trim()}`)"""

# the page's visible text, less the « Code » column of the short HTML tables (atlas.bloc_carte.tableau_court):
# a commune code (« 44049 ») is written without separator, as everywhere
TEXTE_SANS_CODES_JS = r"""() => {
  const caches = [];
  for (const t of document.querySelectorAll('table.atlas-tableau')) {
    const i = [...t.querySelectorAll('th')].findIndex(th => th.textContent.trim() === 'Code');
    if (i < 0) continue;
    for (const tr of t.querySelectorAll('tbody tr')) { caches.push([tr.children[i], tr.children[i].style.display]); tr.children[i].style.display = 'none'; }
  }
  const texte = document.body.innerText;
  for (const [td, d] of caches) td.style.display = d;
  return texte;
}"""


# the vertical distance between the page title and the first block drawn under it
ECART_SOUS_LE_TITRE_JS = """() => {
  const titre = document.querySelector('h1').closest('[data-testid="stElementContainer"]');
  let suivant = titre.nextElementSibling;
  while (suivant && suivant.getBoundingClientRect().height === 0) suivant = suivant.nextElementSibling;
  return suivant.getBoundingClientRect().top - titre.getBoundingClientRect().bottom;
}"""


def _zones_blanches_en_presentation(page) -> list[str]:
    # the hidden controls' empty wrapper stayed between two gaps: 32 px of blank under the title
    fautes = []
    ecart = page.evaluate(ECART_SOUS_LE_TITRE_JS)
    if ecart > 17:
        fautes.append(f"{ecart:.0f} px vides sous le titre (un seul espacement de 16 px attendu)")
    # the count of zones blanches and the whole map on the first 1280 × 720 screen
    canvas = page.locator("canvas.atlas-carte-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    bas_carte = canvas.bounding_box()["y"] + canvas.bounding_box()["height"]
    compte = page.locator("h3").first.bounding_box()
    if bas_carte > 720 or compte["y"] + compte["height"] > 720:
        fautes.append(f"nombre de zones blanches ou carte ({bas_carte:.0f} px) sous le premier écran")
    return fautes


def _chiffres_au_premier_ecran(page) -> list[str]:
    # Suivi des expérimentations: the intro, a long demonstration notice and the source pushed the key figures down
    chiffres = page.locator(".atlas-chiffre-cle dd")
    chiffres.first.wait_for(timeout=30_000)
    bas = max(b["y"] + b["height"] for b in (c.bounding_box() for c in chiffres.all()))
    return [] if bas <= 720 else [f"chiffres clés sous le premier écran ({bas:.0f} px)"]


def _chiffres_cles_entiers(page) -> list[str]:
    # at 1024 px the home's « 3 853 999 » read « 3 853 … » and its label « Population mu… »; a figure
    # wider than its column would run into the next one
    page.locator(".atlas-chiffre-cle dd").first.wait_for(timeout=30_000)
    coupes = page.evaluate(
        """() => [...document.querySelectorAll('.atlas-chiffre-cle dt, .atlas-chiffre-cle dd')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1)
                 .map(e => e.textContent.trim())"""
    )
    return [f"chiffre clé coupé : « {t} »" for t in dict.fromkeys(coupes)]


# (mode, page) → the page's own checks, run on the same load after the common ones
PROPRES = {
    ("1400x900", "accueil"): _carte_de_l_accueil,
    ("1280x720", "accueil"): _pied_de_l_accueil,
    ("presentation", "accueil"): _accueil_en_presentation,
    ("presentation", "explorer"): _explorateur_en_presentation,
    ("presentation", "non_recours"): _non_recours_en_presentation,
    ("presentation", "experimentations"): _chiffres_au_premier_ecran,
    ("presentation", "zones_blanches"): _zones_blanches_en_presentation,
    ("1024x800", "accueil"): _chiffres_cles_entiers,
    ("1280x720", "zones_blanches"): _carte_au_premier_ecran,
    ("1280x720", "mobilite"): _carte_au_premier_ecran,
}


def _cartes_entieres(browser, url: str, largeur: int, hauteur: int, page) -> list[str]:
    """Cropped maps of a loaded page, judged again on a second load (a map cropped twice fails)."""
    rognees = cartes_rognees(page)
    if rognees and rognees != ["aucune carte"]:
        # every map on screen is the atlas's component, which fits the region at its real width;
        # the second load keeps a map measured while a loaded 2-core machine was still laying the
        # page out from failing the run, while a map that does not fit fails on both loads
        encore, _ = open_page(browser, url, width=largeur, height=hauteur, erreurs=False)
        rognees = cartes_rognees(encore)
        encore.close()
    return [f"carte rognée : {r}" for r in rognees]


def _exceptions(page) -> list[str]:
    return [f"exception : {e.inner_text()[:300]}" for e in page.locator("[data-testid='stException']").all()]


# Texts of the page smaller than 1.1 rem in presentation mode (maps keep their own legend sizes,
# grids their own, inline code is set smaller and wider; icons are not read).
TEXTES_TROP_PETITS_JS = r"""(minimum) => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body, out = [];
  const marcheur = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let t = marcheur.nextNode(); t; t = marcheur.nextNode()) {
    const texte = t.textContent.trim(), e = t.parentElement;
    if (!texte || !e || e.offsetParent === null || !e.getBoundingClientRect().width) continue;
    if (e.closest('.atlas-carte, [data-testid="stDataFrame"], [data-testid="stIconMaterial"], [aria-hidden="true"], code, .st-key-quitter_presentation')) continue;
    const taille = parseFloat(getComputedStyle(e).fontSize);
    if (taille < minimum) out.push(`${taille} px « ${texte.slice(0, 60)} »`);
  }
  return [...new Set(out)];
}"""


TAILLES = {"1400x900": (1400, 900), "1280x720": (1280, 720), "1024x800": (1024, 800)}


def _juger(browser, page, url: str, name: str, path: str, mode: str) -> list[str]:
    """Every defect of the page as it is laid out now, in ``mode`` (a size or « presentation »)."""
    largeur, hauteur = TAILLES.get(mode, (1280, 720))
    fautes = []
    if mode != "presentation" and path in PAGES_CARTES:
        # at 1280 × 720 the Guérande peninsula (the only zones blanches) fell off the map's left edge
        fautes += _cartes_entieres(browser, url, largeur, hauteur, page)
    if path in PAGES_CARTES:
        # a map below the fold draws when scrolled to: every legend is judged beside its drawn map
        dessiner_les_cartes(page)
        page.locator("canvas.atlas-carte-canvas").first.wait_for(state="visible", timeout=30_000)
        # on Précarité the legend title « DÉMONSTRATION » ran over « 3,1 à 13,0 % »
        fautes += [f"légende illisible : {t}" for t in page.evaluate(LEGENDES_SUPERPOSEES_JS)]
    if mode in ("1400x900", "1280x720", "presentation"):
        # the first screen, as a committee sees it, for a human look (the page scrolls inside
        # Streamlit's container: a full-page screenshot shows the same)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}_{mode}.png")
    if mode == "1400x900":
        fautes += [f"contraste insuffisant : {c}" for c in page.evaluate(CONTRASTE_JS)]
    if (mode, name) in PROPRES:
        fautes += PROPRES[mode, name](page)
    if mode in ("1280x720", "presentation"):
        # « Stop », « Skip to main content », « Print », « Record screen » were shown or spoken
        # (after the page's own checks: the Tab it presses shows the skip link)
        fautes += [f"mot anglais de Streamlit : {mot}" for mot in anglais_de_streamlit(page)]
    ouverts = []
    if mode in ("1400x900", "1280x720"):
        # the tables and notes folded in expanders are part of what a reader sees
        ouverts = ouvrir_les_volets(page)
        # Précarité « Tableau de tous les territoires », Mobilité and the sources of « Données et
        # méthodes » ran past the page's right edge at 1280 px
        fautes += [f"tableau coupé au bord droit : {t}" for t in page.evaluate(TABLES_COUPEES_JS)]
    # « Importer des visites » and the funnel's caption had a line starting with « ; »
    fautes += [f"ponctuation : {t}" for t in page.evaluate(PONCTUATION_EN_DEBUT_DE_LIGNE_JS)]
    # « Explorer l'atlas » stayed in presentation mode with its links hidden
    fautes += [f"titre sans contenu : {t}" for t in page.evaluate(TITRES_SANS_CONTENU_JS)]
    fautes += [f"textes superposés : {t}" for t in page.evaluate(TEXTES_SUPERPOSES_JS)]
    if mode == "presentation":
        # on a projector the bold titles over Non-recours' charts stayed at 16 px under 21 px
        # paragraphs, the fiche's comparables and their note at 14 px: nothing below 1.1 rem
        fautes += [f"texte trop petit pour un projecteur : {t}" for t in page.evaluate(TEXTES_TROP_PETITS_JS, 17.5)]
    # Zones blanches drew « Liste des zones blanches » over the headers of an empty list
    fautes += [f"tableau sans ligne : {t}" for t in page.evaluate(TABLES_VIDES_JS)]
    # the fiche's headers read « Millé / sime » and « Départe / ment » in their narrow columns
    fautes += [f"en-tête de tableau : {t}" for t in page.evaluate(ENTETES_COUPEES_JS)]
    fautes += [f"nombre coupé en deux lignes : {t}" for t in dict.fromkeys(page.evaluate(NOMBRES_COUPES_JS))]
    if mode == "1400x900":
        # « (sur 1228) », « 2026-12-01 », « -16,4 % » were on screen: a committee reads every page
        fautes += fautes_de_chiffres(page.evaluate(TEXTE_SANS_CODES_JS))
        # Mobilité's counts by rurality type sat at the left of their cells, units not under units
        fautes += [f"nombre aligné à gauche : {t}" for t in dict.fromkeys(page.evaluate(NOMBRES_A_GAUCHE_JS))]
    fautes += _exceptions(page)
    for resume in ouverts:  # folded again, for the next size's judgement as on a fresh load
        resume.click()
    return fautes


# scrolled back to the top and the keyboard's focus let go: the next size starts as a fresh load
EN_HAUT_JS = """() => { if (document.activeElement) document.activeElement.blur();
  for (const e of document.querySelectorAll('*')) if (e.scrollTop || e.scrollLeft) { e.scrollTop = 0; e.scrollLeft = 0; } }"""


def _juger_chaque_taille(browser, server, name: str, path: str) -> dict[str, list[str]]:
    """Load the page at 1400 × 900, judge it, narrow it to each smaller size and judge it again."""
    url = f"{server.url}/{path}"
    page, errors = open_page(browser, url, width=1400, height=900)
    page.wait_for_timeout(1500)
    fautes, vues = {}, 0
    for mode, (largeur, hauteur) in TAILLES.items():
        if mode == "1024x800" and path not in PAGES_CARTES:
            continue
        if mode != "1400x900":
            page.evaluate(EN_HAUT_JS)
            page.set_viewport_size({"width": largeur, "height": hauteur})
            page.wait_for_timeout(1500)  # the folded expanders, the new layout, the maps' fit to their new width
        fautes[mode] = _juger(browser, page, url, name, path, mode)
        # a console error belongs to the size at which it was logged (the load is at 1400 × 900)
        erreurs = errors.real()
        fautes[mode] += [f"erreur de console : {m}" for m in erreurs[vues:]]
        vues = len(erreurs)
    page.close()
    return fautes


def _juger_en_presentation(browser, server, name: str, path: str) -> dict[str, list[str]]:
    """Load the page in presentation mode at 1280 × 720 and judge it."""
    url = f"{server.url}/{path}?presentation=1"
    page, errors = open_page(browser, url, width=1280, height=720)
    page.wait_for_timeout(1500)
    fautes = _juger(browser, page, url, name, path, "presentation")
    fautes += [f"erreur de console : {m}" for m in errors.real()]
    page.close()
    return {"presentation": fautes}


CAS = [(name, path, "tailles") for name, path in PAGES] + [(name, path, "presentation") for name, path in PAGES]


@pytest.mark.parametrize(("name", "path", "mode"), CAS, ids=[f"{mode}-{name}" for name, _path, mode in CAS])
def test_every_page_at_every_size_and_mode_shows_no_defect_a_reader_would_see(server, browser, name, path, mode):
    juger = _juger_en_presentation if mode == "presentation" else _juger_chaque_taille
    lignes = [
        f"{'1280 × 720, mode présentation' if taille == 'presentation' else taille.replace('x', ' × ')} : {faute}"
        for taille, fautes in juger(browser, server, name, path).items()
        for faute in fautes
    ]
    assert lignes == [], f"page {name} :\n  " + "\n  ".join(lignes)
