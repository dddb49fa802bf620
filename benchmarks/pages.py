"""Benchmark: every page in a real browser, against a one-title Streamlit page in the same run.

Run ``python -m benchmarks.pages`` (a few minutes). It builds a fresh database, starts
``streamlit run dashboard.py`` and, as the baseline, ``streamlit run`` of a page that writes one
title, each on a free loopback port, and drives Debian's headless Chromium (Playwright,
1400 × 900, French locale). For each page it measures the time from navigation until the page is
ready (:data:`benchmarks.navigateur.PRETE_JS`: script finished, every visible map and chart
drawn), median of ``--runs`` (3), each run of a page alternated with a run of the baseline; the
other reference pages (one map; one title inside the atlas's menu and sidebar, the floor of every
page) once per round. Then three interactions, each until the redrawn map is ready (median of 3):
the explorer's level switch (communes → EPCI), its indicator change, and the « minutes » list of
« Zones blanches ». Last, the server-side render of every page, warm (AppTest, as ``benchmarks.run``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.navigateur import (
    MARQUER_JS,
    PAGES,
    ROOT,
    Serveur,
    attendre_prete,
    construire_base,
    lancer_chromium,
    nouveau_contexte,
    page_titre_seul,
    page_titre_seul_dans_le_cadre,
    temps_de_page,
)

#: Reference pages with one map (:data:`benchmarks.navigateur.PAGE_REFERENCE`), measured once per round.
CARTES_REFERENCE = {
    "carre": "page à un titre et une carte plotly MapLibre d'un seul carré",
    "communes": "page à un titre et la couche des communes (plotly MapLibre, une trace)",
    "legere": "page à un titre et la couche des communes en classes (composant canvas de l'atlas, sans plotly)",
}
#: Every reference page but the baseline, measured once per round: the pages with one map, and one
#: title in the atlas's frame (:data:`benchmarks.navigateur.PAGE_CADRE`), the floor of every page.
REFERENCES = {
    "cadre": "page à un titre dans la navigation de l'atlas (menu, barre latérale, chrome en français)",
    **CARTES_REFERENCE,
}


def mesurer_pages(
    atlas: Serveur, reference: Serveur, cadre: Serveur, context, runs: int, pages=PAGES
) -> tuple[dict, float, dict]:
    """Median ready time of each page, of the baseline page and of the other reference pages.

    The other reference pages (:data:`REFERENCES`): one title with one map, and one title in the
    atlas's frame (served by ``cadre``), each measured once per round.
    """
    adresses = {carte: f"{reference.url}/?carte={carte}" for carte in CARTES_REFERENCE} | {"cadre": cadre.url}
    # one unmeasured visit of each: the server's caches and the browser's cache of Streamlit's
    # own scripts are warm for every measure, baseline included; every load shares one browser
    # context, so each measure is a page seen before in the same browser (the map layers read from
    # its Cache Storage, atlas/composants/carte.js), not a first visit
    temps_de_page(context, reference.url)
    for url in adresses.values():
        temps_de_page(context, url)
    for _, chemin in pages:
        temps_de_page(context, f"{atlas.url}/{chemin}")
    mesures: dict[str, list[float]] = {nom: [] for nom, _ in pages}
    base: list[float] = []
    autres: dict[str, list[float]] = {nom: [] for nom in adresses}
    for _ in range(runs):
        for nom, chemin in pages:
            base.append(temps_de_page(context, reference.url))
            mesures[nom].append(temps_de_page(context, f"{atlas.url}/{chemin}"))
        for nom, url in adresses.items():
            autres[nom].append(temps_de_page(context, url))
    medianes = {nom: statistics.median(v) for nom, v in mesures.items()}
    return medianes, statistics.median(base), {nom: statistics.median(v) for nom, v in autres.items()}


def _interaction(page, carte: str, action) -> float:
    """Seconds from ``action()`` until the chart ``carte`` (CSS selector) is redrawn and the page ready."""
    assert page.evaluate(MARQUER_JS, carte), f"graphique introuvable : {carte}"
    t0 = time.monotonic()
    action()
    return attendre_prete(page, avant={"selecteur": carte}) - t0


def mesurer_interactions(atlas: Serveur, context, runs: int) -> dict[str, float]:
    """Median seconds of the three interactions, each until its redrawn map is ready."""
    out: dict[str, list[float]] = {}
    page = context.new_page()
    try:
        # explorer: level switch, communes → EPCI (back to communes unmeasured)
        page.goto(f"{atlas.url}/explorer")
        attendre_prete(page)
        # the maps are the atlas's map component, found by their keys
        carte = ".st-key-carte_explorer"
        niveau = page.locator(".st-key-niveau")
        niveau.get_by_text("Communes", exact=True).click()
        attendre_prete(page, avant={"selecteur": carte})
        for _ in range(runs):
            out.setdefault("Explorer : échelon communes → EPCI", []).append(
                _interaction(page, carte, lambda: niveau.get_by_text("EPCI", exact=True).click())
            )
            niveau.get_by_text("Communes", exact=True).click()
            attendre_prete(page, avant={"selecteur": carte})
        # explorer: indicator change (at the commune level), alternating the first two of the theme
        for i in range(runs):

            def choisir(n=(i + 1) % 2):
                page.locator(".st-key-indicateur").click()
                page.get_by_role("option").nth(n).click()

            out.setdefault("Explorer : changement d'indicateur (communes)", []).append(
                _interaction(page, carte, choisir)
            )
        # zones blanches: the « minutes » list, one step up then down (25, 20, 25… minutes)
        page.goto(f"{atlas.url}/zones_blanches")
        attendre_prete(page)
        carte = ".st-key-carte_zones_blanches"
        for i in range(runs):

            def minutes(valeur="25" if i % 2 == 0 else "20"):
                page.locator(".st-key-zb_minutes").click()
                page.get_by_role("option", name=valeur, exact=True).click()

            out.setdefault("Zones blanches : liste « minutes »", []).append(_interaction(page, carte, minutes))
    finally:
        page.close()
    return {nom: statistics.median(v) for nom, v in out.items()}


def rendus_serveur(db: Path) -> dict[str, float]:
    """Warm server-side render of every page (AppTest, median of 5), baseline included."""
    from benchmarks.run import page_render_times

    return page_render_times(db)


def pages_choisies(chemins: list[str] | None) -> list[tuple[str, str]]:
    """The pages of :data:`benchmarks.navigateur.PAGES` named by their URL paths, all without a name.

    The home page's path is empty: « accueil » names it.

    Raises
    ------
    ValueError
        When no page has one of these paths, naming the paths there are.
    """
    connus = {nom: chemin.split("?")[0] or "accueil" for nom, chemin in PAGES}
    choisies = [(nom, chemin) for nom, chemin in PAGES if not chemins or connus[nom] in chemins]
    if not choisies:
        raise ValueError(f"aucune page ne correspond à {chemins} ; chemins : {', '.join(connus.values())}")
    return choisies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="base déjà construite (par défaut : construite pour la mesure)")
    parser.add_argument("--sans-serveur", action="store_true", help="sans les rendus AppTest")
    parser.add_argument("--sans-interactions", action="store_true", help="sans les interactions")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="CHEMIN",
        help="seulement ces pages (chemin d'URL : accueil, fiche_territoire, non_recours…)",
    )
    args = parser.parse_args()
    try:
        pages_mesurees = pages_choisies(args.pages)
    except ValueError as erreur:
        parser.error(str(erreur))
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    db = args.db or construire_base(tmp)
    atlas = Serveur(ROOT / "dashboard.py", db)
    reference = Serveur(page_titre_seul(tmp), db)
    cadre = Serveur(page_titre_seul_dans_le_cadre(tmp), db)
    try:
        with sync_playwright() as p:
            browser = lancer_chromium(p)
            context = nouveau_contexte(browser)
            pages, base, autres = mesurer_pages(atlas, reference, cadre, context, args.runs, pages_mesurees)
            interactions = {} if args.sans_interactions else mesurer_interactions(atlas, context, args.runs)
            browser.close()
    finally:
        atlas.stop()
        reference.stop()
        cadre.stop()
    print(f"\nPage prête dans Chromium (médiane de {args.runs}, alternée avec la page à un titre) :\n")
    print("| page | médiane | ratio à la page à un titre |")
    print("|---|---:|---:|")
    print(f"| page à un titre (référence) | {base:.2f} s | 1,00 |".replace(".", ","))
    for nom, libelle in REFERENCES.items():
        print(f"| {libelle} | {autres[nom]:.2f} s | {autres[nom] / base:.2f} |".replace(".", ","))
    for nom, s in pages.items():
        print(f"| {nom} | {s:.2f} s | {s / base:.2f} |".replace(".", ","))
    if interactions:
        print(f"\nInteractions jusqu'à la carte redessinée (médiane de {args.runs}) :\n")
        print("| interaction | médiane |")
        print("|---|---:|")
    for nom, s in interactions.items():
        print(f"| {nom} | {s:.2f} s |".replace(".", ","))
    if not args.sans_serveur:
        rendus = rendus_serveur(db)
        ref = rendus.pop("référence : page avec un titre seul")
        print("\nRendu serveur à chaud (AppTest, médiane de 5) :\n")
        print("| page | rendu | ratio à la page à un titre |")
        print("|---|---:|---:|")
        print(f"| page à un titre (référence) | {ref * 1000:.0f} ms | 1 |")
        for nom, s in rendus.items():
            print(f"| {nom} | {s * 1000:.0f} ms | {s / ref:.0f} |")


if __name__ == "__main__":
    main()
