"""Every data grid of every page, at 1400 × 900 and 1280 × 720, fits its page and says its headers whole.

The grid (Glide) draws on a canvas: a header is one line, clipped at its column's right edge, and
its columns can run past the grid's right edge. Each grid is read from the grid itself (the
columns it lays out, their widths after stretching to the container, its pinned columns and its
cells as drawn) and each header is measured with ``measureText`` in the grid's own header font:

- its columns fit its width, unless the table says under it that it scrolls sideways (a month by
  month table: too wide for a 1280 px page), and only then is its first column pinned (Streamlit
  draws it grey);
- every header is drawn whole: its text and the cell's padding fit its column;
- numbers (and figures written as text, « < 5 », « +5,7 pts ») are right-aligned, written the
  French way (« 1 234 », « 28,1 »).

The folded tables are opened first (:func:`tests.browser.ouvrir_les_volets`); the page is loaded
at 1400 × 900, judged, narrowed to 1280 × 720 and judged again.
"""

from __future__ import annotations

import pytest

from tests.browser import open_page, ouvrir_les_volets

pytestmark = pytest.mark.browser

# the pages that draw a data grid (the others draw static tables, checked in test_browser_pages)
PAGES = [
    "",
    "explorer",
    "non_recours",
    "precarite_energetique",
    "mobilite",
    "zones_blanches",
    "experimentations",
    "donnees",
]

# Each grid drawn on the page: its name, width, pinned columns, whether it says it scrolls, and each
# column as the grid lays it out (title, width, header text width in the header font, padding
# included) with its cells' alignments and the texts of its figures.
GRILLES_JS = r"""async () => {
  const rendu = (e) => e.offsetParent !== null && !(e.closest('details:not([open])') && !e.closest('summary'));
  // a figure as text (« < 5 », « +5,7 pts », « 1 234 »; « 2.5 » too, to be reported); a code is not one
  const chiffre = /^[<>≤≥]?\s?[−+-]?\d{1,3}(\s\d{3})*([.,]\d+)?(\s?(%|pts|points|min|€))?$/;
  const mesure = document.createElement('canvas').getContext('2d');
  const grilles = [];
  for (const e of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!rendu(e)) continue;
    const bloc = e.closest('[data-testid="stExpander"]');
    const nom = bloc ? bloc.querySelector('summary').innerText.replace(/^\S+\s+/, '').trim()
                     : (e.closest('[class*="st-key-"]')?.className.match(/st-key-(\S+)/)?.[1] || 'tableau');
    const canvas = e.querySelector('canvas[data-testid="data-grid-canvas"]');
    // the grid's own properties, from its React component (the canvas holds no layout)
    let f = canvas && canvas[Object.keys(canvas).find(k => k.startsWith('__reactFiber'))];
    while (f && !(f.memoizedProps && f.memoizedProps.columns && typeof f.memoizedProps.width === 'number')) f = f.return;
    if (!f) { grilles.push({nom, erreur: 'grille sans colonnes lisibles'}); continue; }
    const p = f.memoizedProps, theme = p.theme;
    await document.fonts.load(theme.headerFontFull);
    mesure.font = theme.headerFontFull;
    const dit = e.closest('[class*="st-key-tableau_defilant_"]');
    const colonnes = p.columns.map((c, i) => {
      const icone = c.icon ? Math.ceil(theme.headerIconSize * 1.3) : 0;
      const entete = mesure.measureText(c.title).width + 2 * theme.cellHorizontalPadding + icone;
      const droite = new Set(), gauche = new Set(), nombres = [];
      for (let r = 0; r < Math.min(p.rows, 300); r++) {
        const cell = p.getCellContent([c.sourceIndex ?? i, r]);
        const texte = String(cell.displayData ?? '').trim();
        if (cell.kind !== 'number' && !(cell.kind === 'text' && chiffre.test(texte))) continue;
        (cell.contentAlign === 'right' ? droite : gauche).add(texte);
        if (cell.kind === 'number' && nombres.length < 50) nombres.push(texte);
      }
      return {titre: c.title, largeur: c.width, entete, a_gauche: [...gauche].slice(0, 3), a_droite: droite.size, nombres};
    });
    grilles.push({nom, largeur: p.width, epinglees: p.freezeColumns,
                  defile: Boolean(dit && dit.innerText.includes('faites-le défiler vers la droite')), colonnes});
  }
  return grilles;
}"""


def defauts_des_grilles(grilles: list[dict]) -> list[str]:
    """What a reader would stumble on in the grids of a page, grid by grid."""
    fautes = []
    for g in grilles:
        if "erreur" in g:
            fautes.append(f"« {g['nom']} » : {g['erreur']}")
            continue
        nom, colonnes = g["nom"][:60], g["colonnes"]
        total = sum(c["largeur"] for c in colonnes)
        if total > g["largeur"] + 1 and not g["defile"]:
            fautes.append(f"« {nom} » : colonnes de {total} px dans {g['largeur']} px, sans dire qu'il défile")
        # (a table wider than the 1280 px page says so and is pinned at every size: the server
        # does not know the window's width)
        if g["epinglees"] and not g["defile"]:
            fautes.append(f"« {nom} » : première colonne épinglée (grise) dans un tableau qui ne défile pas")
        for c in colonnes:
            if c["entete"] > c["largeur"] + 0.5:
                fautes.append(
                    f"« {nom} » : en-tête « {c['titre']} » coupé ({c['entete']:.0f} px dans {c['largeur']} px)"
                )
            if c["a_gauche"]:
                fautes.append(f"« {nom} » : chiffres alignés à gauche dans « {c['titre']} » : {c['a_gauche']}")
            mal_ecrits = [n for n in c["nombres"] if _nombre_pas_francais(n)]
            if mal_ecrits:
                fautes.append(f"« {nom} » : nombres de « {c['titre']} » pas à la française : {mal_ecrits[:3]}")
    return fautes


def _nombre_pas_francais(texte: str) -> bool:
    """« 28.1 », « 1234 » or « -3 »: a decimal point, a count without its separator, a hyphen for minus."""
    import re

    return bool(re.search(r"\d\.\d|\d{4}|^-", texte))


def test_a_header_wider_than_its_column_or_columns_wider_than_the_grid_are_reported():
    grille = {
        "nom": "essai",
        "largeur": 300,
        "epinglees": 1,
        "defile": False,
        "colonnes": [
            {"titre": "Territoire", "largeur": 200, "entete": 86, "a_gauche": [], "a_droite": 0, "nombres": []},
            {"titre": "Part (%)", "largeur": 56, "entete": 70, "a_gauche": ["2,5"], "a_droite": 3, "nombres": ["2.5"]},
            {"titre": "Population", "largeur": 80, "entete": 80, "a_gauche": [], "a_droite": 3, "nombres": ["1234"]},
        ],
    }
    fautes = defauts_des_grilles([grille])
    assert len(fautes) == 6, fautes
    assert any("336 px dans 300 px" in f for f in fautes) and any("« Part (%) » coupé" in f for f in fautes)


@pytest.mark.parametrize("path", PAGES, ids=[p or "accueil" for p in PAGES])
def test_every_grid_fits_its_page_with_whole_headers_and_french_right_aligned_numbers(server, browser, path):
    page, _ = open_page(browser, f"{server.url}/{path}", width=1400, height=900, erreurs=False)
    ouvrir_les_volets(page)
    fautes, vues = [], 0
    for largeur, hauteur in ((1400, 900), (1280, 720)):
        if largeur != 1400:
            page.set_viewport_size({"width": largeur, "height": hauteur})
            page.wait_for_timeout(1500)  # the grids laid out again at the new width
        grilles = page.evaluate(GRILLES_JS)
        vues += len(grilles)
        fautes += [f"{largeur} × {hauteur} : {f}" for f in defauts_des_grilles(grilles)]
    page.close()
    assert vues, f"page {path or 'accueil'} : aucune grille dessinée (volets ouverts)"
    assert fautes == [], f"page {path or 'accueil'} :\n  " + "\n  ".join(fautes)
