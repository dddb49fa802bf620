"""The map legends' small texts stay readable at every width a committee uses.

A gradient's graduations (home page, log scale) must never touch one another: « 500 » and
« 1 000 » side by side read as one number. The bivariate grid's class bounds (Précarité,
« passoires × pauvreté ») must not wrap into a column of words under their cell.
"""

from __future__ import annotations

import pytest

from atlas.composants.echelles import grille_bivariee
from tests.browser import open_page

pytestmark = pytest.mark.browser

#: Least room between two graduations, in pixels (the legend keeps 6).
ECART_MINIMAL = 3

GRADUATIONS_JS = """() => [...document.querySelectorAll('.atlas-carte-degrade-graduations')]
  .filter(g => g.offsetParent !== null)
  .map(g => { const cadre = g.closest('.atlas-carte-legende').getBoundingClientRect();
    return {cadre: [cadre.left, cadre.right],
            textes: [...g.children].filter(t => t.offsetParent !== null)
              .map(t => { const r = t.getBoundingClientRect(); return {t: t.textContent, l: r.left, r: r.right}; })
              .sort((a, b) => a.l - b.l)}; })"""


def _fautes_graduations(legendes: list[dict]) -> list[str]:
    fautes = []
    for legende in legendes:
        textes = legende["textes"]
        if len(textes) < 2:
            fautes.append(f"moins de deux graduations : {textes}")
        for a, b in zip(textes, textes[1:], strict=False):
            if b["l"] - a["r"] < ECART_MINIMAL:
                fautes.append(f"« {a['t']} » et « {b['t']} » se touchent ({b['l'] - a['r']:.1f} px d'écart)")
        gauche, droite = legende["cadre"]
        fautes += [f"« {t['t']} » sort de la légende" for t in textes if t["l"] < gauche - 1 or t["r"] > droite + 1]
    return fautes


@pytest.mark.parametrize(
    ("largeur", "hauteur", "chemin"),
    [(1024, 800, ""), (1280, 720, ""), (1400, 900, ""), (1280, 720, "?presentation=1")],
    ids=["1024", "1280", "1400", "presentation"],
)
def test_graduations_of_the_home_map_legend_never_touch(server, browser, largeur, hauteur, chemin):
    page, _ = open_page(browser, f"{server.url}/{chemin}", width=largeur, height=hauteur, erreurs=False)
    page.locator(".atlas-carte-degrade-graduation").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    legendes = page.evaluate(GRADUATIONS_JS)
    page.close()
    assert legendes, "aucune légende graduée sur l'accueil"
    fautes = _fautes_graduations(legendes)
    assert fautes == [], f"accueil à {largeur} px{chemin} : " + " ; ".join(fautes)


def test_bivariate_grid_writes_its_class_bounds_briefly():
    grille = grille_bivariee(
        [["#e8e8e8", "#b8d6be", "#73ae80"], ["#e4acac", "#ad9ea5", "#5a9178"], ["#c85a5a", "#985356", "#2a5a5b"]],
        ["jusqu'à 12,3 %", "plus de 12,3 % à 18,4 %", "plus de 18,4 %"],
        ["jusqu'à 9,8 %", "plus de 9,8 % à 13,1 %", "plus de 13,1 %"],
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
        titre_x="Part de passoires (%)",
        titre_y="Taux de pauvreté (%)",
    )
    courts = [[t.replace("\u00a0", " ") for t in grille[axe]] for axe in ("libelles_x", "libelles_y")]
    assert courts == [["≤ 12,3 %", "12,3 à 18,4 %", "> 18,4 %"], ["≤ 9,8 %", "9,8 à 13,1 %", "> 13,1 %"]]
    # a screen reader still says each cell's classes in full
    assert "Part de passoires (%) : plus de 12,3 % à 18,4 %" in grille["lignes"][2][1]["titre"]


BORNES_X_JS = """() => [...document.querySelectorAll('.atlas-carte-grille-borne-x, .atlas-carte-grille-borne')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect(), h = parseFloat(getComputedStyle(e).lineHeight);
              return {t: e.textContent, lignes: Math.round(r.height / h)}; })"""


@pytest.mark.parametrize(
    ("largeur", "hauteur", "chemin"),
    [(1280, 720, ""), (1400, 900, ""), (1280, 720, "?presentation=1")],
    ids=["1280", "1400", "presentation"],
)
def test_bivariate_grid_class_bounds_hold_on_two_lines_at_most(server, browser, largeur, hauteur, chemin):
    url = f"{server.url}/precarite_energetique{chemin}"
    page, _ = open_page(browser, url, width=largeur, height=hauteur, erreurs=False)
    page.locator(".atlas-carte-grille-borne-x").first.wait_for(timeout=30_000)
    bornes = page.evaluate(BORNES_X_JS)
    page.close()
    assert len(bornes) == 6, bornes
    trop_hautes = [f"« {b['t']} » sur {b['lignes']} lignes" for b in bornes if b["lignes"] > 2]
    assert trop_hautes == [], f"Précarité à {largeur} px{chemin} : " + " ; ".join(trop_hautes)
