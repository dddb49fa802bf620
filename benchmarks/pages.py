"""Benchmark: every page in a real browser, against a one-title Streamlit page in the same run.

Run ``python -m benchmarks.pages`` (a few minutes). It builds a fresh database, starts
``streamlit run dashboard.py`` and, as the baseline, ``streamlit run`` of a page that writes one
title, each on a free loopback port, and drives Debian's headless Chromium (Playwright,
1400 × 900, French locale). For each page it measures the time from navigation until the page is
ready (:data:`benchmarks.navigateur.PRETE_JS`: script finished, every visible map and chart
drawn), median of ``--runs`` (3), each run of a page alternated with a run of the baseline. Then
three interactions, each until the redrawn map is ready (median of 3): the explorer's level
switch (communes → EPCI), its indicator change, and a slider of « Zones blanches ». Last, the
server-side render of every page, warm (AppTest, as ``benchmarks.run``).
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
    temps_de_page,
)

#: Reference pages with one map (:data:`benchmarks.navigateur.PAGE_REFERENCE`), measured once per round.
CARTES_REFERENCE = {
    "carre": "page à un titre et une carte plotly MapLibre d'un seul carré",
    "communes": "page à un titre et la couche des communes (plotly MapLibre, une trace)",
    "legere": "page à un titre et la couche des communes en classes (composant canvas de l'atlas, sans plotly)",
}


def mesurer_pages(atlas: Serveur, reference: Serveur, context, runs: int, pages=PAGES) -> tuple[dict, float, dict]:
    """Median ready time of each page, of the baseline page and of the baseline pages with one map."""
    # one unmeasured visit of each: the server's caches and the browser's cache of Streamlit's
    # own scripts are warm for every measure, baseline included
    temps_de_page(context, reference.url)
    for carte in CARTES_REFERENCE:
        temps_de_page(context, f"{reference.url}/?carte={carte}")
    for _, chemin in pages:
        temps_de_page(context, f"{atlas.url}/{chemin}")
    mesures: dict[str, list[float]] = {nom: [] for nom, _ in pages}
    base: list[float] = []
    une_carte: dict[str, list[float]] = {carte: [] for carte in CARTES_REFERENCE}
    for _ in range(runs):
        for nom, chemin in pages:
            base.append(temps_de_page(context, reference.url))
            mesures[nom].append(temps_de_page(context, f"{atlas.url}/{chemin}"))
        for carte in CARTES_REFERENCE:
            une_carte[carte].append(temps_de_page(context, f"{reference.url}/?carte={carte}"))
    medianes = {nom: statistics.median(v) for nom, v in mesures.items()}
    return medianes, statistics.median(base), {c: statistics.median(v) for c, v in une_carte.items()}


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
        # zones blanches: the « minutes » slider, one step right then left
        page.goto(f"{atlas.url}/zones_blanches")
        attendre_prete(page)
        carte = ".st-key-carte_zones_blanches"
        curseur = page.locator('.st-key-zb_minutes input[type="range"]')
        for i in range(runs):
            curseur.focus()
            touche = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
            out.setdefault("Zones blanches : curseur « minutes »", []).append(
                _interaction(page, carte, lambda t=touche: curseur.press(t))
            )
    finally:
        page.close()
    return {nom: statistics.median(v) for nom, v in out.items()}


def rendus_serveur(db: Path) -> dict[str, float]:
    """Warm server-side render of every page (AppTest, median of 5), baseline included."""
    from benchmarks.run import page_render_times

    return page_render_times(db)


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
        help="seulement ces pages (chemin d'URL : fiche_territoire, non_recours…)",
    )
    args = parser.parse_args()
    pages_mesurees = [(nom, chemin) for nom, chemin in PAGES if not args.pages or chemin.split("?")[0] in args.pages]
    if not pages_mesurees:
        parser.error(f"aucune page ne correspond à {args.pages} ; chemins : {', '.join(c for _, c in PAGES)}")
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    db = args.db or construire_base(tmp)
    atlas = Serveur(ROOT / "dashboard.py", db)
    reference = Serveur(page_titre_seul(tmp), db)
    try:
        with sync_playwright() as p:
            browser = lancer_chromium(p)
            context = nouveau_contexte(browser)
            pages, base, une_carte = mesurer_pages(atlas, reference, context, args.runs, pages_mesurees)
            interactions = {} if args.sans_interactions else mesurer_interactions(atlas, context, args.runs)
            browser.close()
    finally:
        atlas.stop()
        reference.stop()
    print(f"\nPage prête dans Chromium (médiane de {args.runs}, alternée avec la page à un titre) :\n")
    print("| page | médiane | ratio à la page à un titre |")
    print("|---|---:|---:|")
    print(f"| page à un titre (référence) | {base:.2f} s | 1,00 |".replace(".", ","))
    for carte, secondes in une_carte.items():
        print(f"| {CARTES_REFERENCE[carte]} | {secondes:.2f} s | {secondes / base:.2f} |".replace(".", ","))
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
