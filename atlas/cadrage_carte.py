"""Fitting a map's view to its region: centre and zoom on the server, refitted in the browser at the map's real size."""

from __future__ import annotations

import math

#: Fits every map of the page to its region in the browser, at the map's real size. The centre and
#: zoom computed on the server (:func:`vue_carte`) assume a width; a page column is narrower at
#: 1024 px, or beside a legend, and the region's edge (Guérande, the Vendée coast) fell off the map.
#: The extent travels in each figure's ``layout.meta.emprise``. Whenever the view does not hold the
#: whole extent (first drawing, a rerun, a narrower window), it is fitted to it; never after a pan
#: or zoom of the reader's own, until plotly draws a new figure.
SCRIPT_AJUSTER_CARTES = """
<script>
(() => {
  if (window.__atlasCartes) return;
  window.__atlasCartes = true;
  const contient = (b, e) =>
    b.getWest() <= e[0] + 1e-6 && b.getSouth() <= e[1] + 1e-6 && b.getEast() >= e[2] - 1e-6 && b.getNorth() >= e[3] - 1e-6;
  const ajuster = (gd) => {
    const fl = gd._fullLayout;
    const e = fl && fl.meta && fl.meta.emprise;
    const sous = fl && fl.map && fl.map._subplot;
    if (!e || !sous || !sous.map || gd.__atlasLecteur) return;
    const carte = sous.map;
    if (!carte.__atlasEcoute) {
      carte.__atlasEcoute = true;
      // a pan or zoom of the reader's own (a mouse, touch or keyboard event) is left alone; a
      // window resize also comes with an originalEvent, and must not stop the fitting
      carte.on("movestart", (ev) => {
        const type = ev.originalEvent && ev.originalEvent.type;
        if (type && /^(mouse|wheel|touch|pointer|key|dblclick)/.test(type)) gd.__atlasLecteur = true;
      });
    }
    if (contient(carte.getBounds(), e)) return;
    carte.resize();
    carte.fitBounds([[e[0], e[1]], [e[2], e[3]]], {padding: 6, animate: false});
  };
  setInterval(() => {
    document.querySelectorAll(".js-plotly-plot").forEach((gd) => {
      if (!gd.__atlasSuivi && typeof gd.on === "function") {
        gd.__atlasSuivi = true;
        // a new figure (a rerun) is fitted again, even after the reader moved the previous one
        gd.on("plotly_afterplot", () => { gd.__atlasLecteur = false; });
      }
      ajuster(gd);
    });
  }, 300);
})();
</script>
"""


def vue_carte(emprise: tuple[float, float, float, float], largeur_px: int = 760, hauteur_px: int = 560):
    """Centre and zoom (Web Mercator) that fit a bounding box in a map of the given size.

    Parameters
    ----------
    emprise : (west, south, east, north)
        Bounding box in degrees (EPSG:4326).
    largeur_px, hauteur_px : int
        Expected size of the map on screen.

    Returns
    -------
    dict, float
        ``{"lon": ..., "lat": ...}`` and the zoom level.
    """
    ouest, sud, est, nord = emprise

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_lon = math.log2(360 * largeur_px / (512 * max(est - ouest, 1e-6)))
    zoom_lat = math.log2(2 * math.pi * hauteur_px / (512 * max(merc(nord) - merc(sud), 1e-9)))
    centre_lat = math.degrees(math.atan(math.sinh((merc(nord) + merc(sud)) / 2)))
    return {"lon": (ouest + est) / 2, "lat": centre_lat}, round(min(zoom_lon, zoom_lat) - 0.1, 2)
