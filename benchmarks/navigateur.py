"""Browser measures shared by ``benchmarks.pages`` and ``benchmarks.charge``.

A ``streamlit run`` server of any script on a free loopback port, Debian's Chromium driven by
Playwright (never ``playwright install``), and the « page ready » condition: the script has
finished (no running indicator, no skeleton), every visible plotly chart has drawn its map
(MapLibre canvas, sources loaded) or its SVG, and every map of the atlas's component in view is
drawn (one below the fold, not started until the reader scrolls near it, is not waited for).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from commun.config import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
LARGEUR, HAUTEUR = 1400, 900

#: The pages measured: (name, path in the URL).
PAGES = [
    ("Accueil", ""),
    ("Explorer", "explorer"),
    ("Fiche territoire", "fiche_territoire"),
    ("Non-recours", "non_recours"),
    ("Précarité énergétique", "precarite_energetique"),
    ("Mobilité", "mobilite"),
    ("Zones blanches", "zones_blanches"),
]

# True when the page is idle and every visible chart is drawn (plotly charts, and the maps of
# :mod:`atlas.composants.carte`, which say so in their ``data-etat``). ``avant`` (optional) is a chart
# state saved before an interaction: the chart must then have been redrawn since.
PRETE_JS = r"""
(avant) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('h1')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.offsetParent !== null);
  for (const c of charts) {
    const gd = c.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) return false;
    const maps = (gd._fullLayout._subplots && gd._fullLayout._subplots.map) || [];
    for (const id of maps) {
      const sp = gd._fullLayout[id] && gd._fullLayout[id]._subplot;
      if (!sp || !sp.map || !sp.map.loaded() || !sp.map.areTilesLoaded()) return false;
      if (!gd.querySelector('canvas.maplibregl-canvas')) return false;
    }
    if (!maps.length && !gd.querySelector('svg.main-svg')) return false;
  }
  // the atlas's own map component (atlas.composants.carte): drawn once its state says so. A map
  // below the fold waits (« en_attente ») until the reader scrolls near it: the page is ready
  // without it, but not while a map in view waits, nor while a map that has started still draws
  const legeres = [...document.querySelectorAll('.atlas-carte')].filter(c => c.offsetParent !== null);
  const horsVue = (c) => { const r = c.getBoundingClientRect(); return r.bottom <= 0 || r.top >= innerHeight; };
  if (legeres.some(c => c.dataset.etat !== 'prete' && !(c.dataset.etat === 'en_attente' && horsVue(c)))) return false;
  if (avant) {
    const legere = document.querySelector(avant.selecteur + ' .atlas-carte');
    if (legere) {
      if (legere.dataset.rendu === window.__avant_figure) return false;
    } else {
      const gd = document.querySelector(avant.selecteur + ' .js-plotly-plot');
      if (!gd || gd._fullLayout === window.__avant_figure) return false;
    }
  }
  return true;
}
"""

# Saves the drawn state of a chart, to tell afterwards that it has been redrawn.
MARQUER_JS = r"""
(selecteur) => {
  const legere = document.querySelector(selecteur + ' .atlas-carte');
  if (legere) {
    window.__avant_figure = legere.dataset.rendu;
    return true;
  }
  const gd = document.querySelector(selecteur + ' .js-plotly-plot');
  window.__avant_figure = gd ? gd._fullLayout : null;
  return !!gd;
}
"""


class Serveur:
    """``streamlit run SCRIPT`` on a free loopback port, on the given database; stopped by :meth:`stop`."""

    def __init__(self, script: Path, db: Path):
        from tests.browser import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.gettempdir()) / f"streamlit-bench-{self.port}.log"
        # not ATLAS_APPTEST, which the AppTest helpers set in this process: the served pages would skip
        # their switch to the atlas's navigation (atlas.navigation.page_via_navigation)
        env = {k: v for k, v in os.environ.items() if k != "ATLAS_APPTEST"}
        env |= {"ATLAS_DB": str(db), "ATLAS_REGION": "52", "PYTHONPATH": str(ROOT)}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "streamlit", "run", str(script),
                    "--server.port", str(self.port), "--server.address", "127.0.0.1",
                    "--server.headless", "true", "--browser.gatherUsageStats", "false",
                    "--server.fileWatcherType", "none",
                ],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit s'est arrêté : {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit ne répond pas après 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# The baseline page: one title. With ``?carte=...``, also one map, to tell what a map costs:
# ``carre``, a plotly MapLibre map of a single square (the floor of any page with such a map,
# whatever its data); ``communes``, the atlas's commune layer in one plotly MapLibre trace;
# ``legere``, the commune layer in classes drawn by the atlas's own canvas component (no plotly).
PAGE_REFERENCE = """import plotly.graph_objects as go
import streamlit as st

st.title("Référence")
carte = st.query_params.get("carte")
if carte == "carre":
    carre = [[-1.6, 47.2], [-1.5, 47.2], [-1.5, 47.3], [-1.6, 47.3], [-1.6, 47.2]]
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "a", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [carre]}}]}
    fig = go.Figure(go.Choroplethmap(geojson=geojson, locations=["a"], z=[1], showscale=False))
    fig.update_layout(map={"style": "white-bg", "center": {"lon": -1.55, "lat": 47.25}, "zoom": 6}, height=560)
    st.plotly_chart(fig, key="carte")
elif carte == "communes":
    from atlas import geojson_partage, queries

    layer = geojson_partage.geojson_pour_plotly(queries.geojson("commune"))
    codes = [f["id"] for f in layer["features"]]
    z = list(range(len(codes)))
    fig = go.Figure(go.Choroplethmap(geojson=layer, locations=codes, z=z, marker_line_color="white",
                                     marker_line_width=0.6))
    fig.update_layout(map={"style": "white-bg", "center": {"lon": -0.8, "lat": 47.4}, "zoom": 6.5}, height=560)
    st.plotly_chart(fig, key="carte")
elif carte == "legere":
    from atlas import indicateurs, queries
    from atlas.classification import classer
    from atlas.composants import carte as carte_legere
    from atlas.explorer import preparer

    ind = indicateurs.indicateur("taux_pauvrete")
    millesime = indicateurs.millesimes("taux_pauvrete", "commune")[0]
    data = preparer(indicateurs.valeurs("taux_pauvrete", "commune", millesime), ind, "communes", millesime)
    classes = classer(data["valeur"], "quantiles", 5, ind["unite"], ind["sens"])
    donnees = carte_legere.donnees_classes(data, "commune", classes, emprise=queries.emprise_region(),
                                           survol=["nom", "survol_valeur"], titre_legende="Taux de pauvreté (%)")
    carte_legere.afficher(donnees, key="carte")
"""


def page_titre_seul(dossier: Path) -> Path:
    """The baseline: a Streamlit page that writes one title (and one map with ``?carte=...``).

    The page has its own ``static/`` folder, which Streamlit serves: the map component writes
    the commune layer there.
    """
    (dossier / "static").mkdir(parents=True, exist_ok=True)
    script = dossier / "titre_seul.py"
    script.write_text(PAGE_REFERENCE, encoding="utf-8")
    return script


# The atlas's frame around one title: the atlas's own home page replaced by a title, every other
# part of the entry point kept (atlas.navigation.demarrer: menu, sidebar, chrome in French).
PAGE_CADRE = """import streamlit as st

from atlas.navigation import demarrer


def titre_seul():
    st.title("Référence")


demarrer(titre_seul)
"""


def page_titre_seul_dans_le_cadre(dossier: Path) -> Path:
    """A page that writes one title inside the atlas's frame: the floor of every page of the atlas.

    Its folder has its own ``static/`` and a ``pages`` link to the atlas's pages, whose files the
    menu lists (as beside ``dashboard.py``).
    """
    dossier = dossier / "cadre"
    (dossier / "static").mkdir(parents=True, exist_ok=True)
    if not (dossier / "pages").exists():
        (dossier / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    script = dossier / "titre_dans_le_cadre.py"
    script.write_text(PAGE_CADRE, encoding="utf-8")
    return script


def cpu_secondes(pid: int, exclure: frozenset[int] = frozenset(), racine: bool = True) -> float:
    """CPU seconds used by a process and its descendants (living ones, and the dead ones they reaped).

    ``exclure``: subtrees left out; ``racine=False`` leaves out the process itself (and the
    children it reaped).
    """
    tic = os.sysconf("SC_CLK_TCK")
    enfants: dict[int, list[int]] = {}
    temps: dict[int, float] = {}
    for entree in Path("/proc").iterdir():
        if not entree.name.isdigit():
            continue
        try:
            champs = (entree / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state, ppid, ... utime (14th field), stime, cutime, cstime
        enfants.setdefault(int(champs[1]), []).append(int(entree.name))
        temps[int(entree.name)] = sum(int(v) for v in champs[11:15]) / tic
    total, pile = 0.0, [pid]
    while pile:
        courant = pile.pop()
        if courant in exclure:
            continue
        if courant != pid or racine:
            total += temps.get(courant, 0.0)
        pile.extend(enfants.get(courant, []))
    return total


def lancer_chromium(playwright):
    """Headless Debian Chromium with the browser tests' flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)


def attendre_prete(page, avant: dict | None = None, timeout: float = 120, stable: float = 0.5) -> float:
    """Wait until :data:`PRETE_JS` holds for ``stable`` seconds; returns the monotonic time it first held."""
    fin = time.monotonic() + timeout
    depuis = None
    while time.monotonic() < fin:
        if page.evaluate(PRETE_JS, avant):
            maintenant = time.monotonic()
            if depuis is None:
                depuis = maintenant
            elif maintenant - depuis >= stable:
                return depuis
        else:
            depuis = None
        time.sleep(0.03)
    raise TimeoutError(f"page pas prête après {timeout} s : {page.url}")


def temps_de_page(context, url: str, timeout: float = 120) -> float:
    """Seconds from navigation to a ready page, in a new tab of ``context`` (closed afterwards)."""
    page = context.new_page()
    try:
        t0 = time.monotonic()
        page.goto(url, wait_until="commit")
        return attendre_prete(page, timeout=timeout) - t0
    finally:
        page.close()


def nouveau_contexte(browser):
    """A French browser context at 1400 × 900, as the users'."""
    return browser.new_context(viewport={"width": LARGEUR, "height": HAUTEUR}, locale="fr-FR")


def construire_base(dossier: Path) -> Path:
    """A fresh database built by ``python -m etl build`` in ``dossier``."""
    db = dossier / "atlas.duckdb"
    subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(db)], cwd=ROOT, check=True, capture_output=True)
    return db
