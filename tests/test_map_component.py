"""The explorer's map without plotly: the atlas's canvas component, layers served once per database as static files."""

import json
import os
import time

from atlas.composants import couches
from tests.apptest_helpers import cartes, run_page

CARRE = [[-1.6, 47.2], [-1.5, 47.2], [-1.5, 47.3], [-1.6, 47.3], [-1.6, 47.2]]
COUCHE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "49007", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [CARRE]}}
    ],
}


def test_a_layer_is_written_once_per_database_and_a_rebuilt_database_gets_a_new_url(tmp_path):
    premiere = couches._ecrire(tmp_path, "commune", "base|1", COUCHE)
    assert couches._ecrire(tmp_path, "commune", "base|1", COUCHE) == premiere
    fichier = tmp_path / couches.DOSSIER_COUCHES / premiere.rsplit("/", 1)[1]
    couche = json.loads(fichier.read_text(encoding="utf-8"))
    # the code travels as a property: the browser keys each territory's colour by it
    assert couche["features"][0]["properties"] == {"code": "49007"}
    assert couche["features"][0]["geometry"]["coordinates"] == [CARRE]
    # a new database is a new URL (no browser keeps the old geometry); the old layer goes after a day
    os.utime(fichier, (time.time() - 2 * 86_400,) * 2)
    seconde = couches._ecrire(tmp_path, "commune", "base|2", COUCHE)
    assert seconde != premiere and premiere.startswith("app/static/") and not fichier.exists()


def test_the_explorer_map_sends_no_plotly_figure_and_names_its_layer_by_url(app_env):
    app = run_page("pages/explorer.py")
    assert len(app.get("plotly_chart")) == 0
    (donnees,) = cartes(app)
    assert donnees["url"].startswith("app/static/couches/epci-") and donnees["url"].endswith(".geojson")
    assert len(donnees["codes"]) == len(donnees["classes"]) == len(donnees["survol"]) == 71
    # every territory has the colour of its class, listed in the legend
    assert {donnees["couleurs"][c] for c in donnees["classes"]} <= {e["couleur"] for e in donnees["legende"]}


def test_hover_texts_travel_once_each_as_utf8_and_read_back_unchanged():
    from atlas.composants import carte

    donnees = {
        "codes": ["49007", "49008", "49009"],
        "survol": [["Angers", "Non classé"], ["Avrillé", "Non classé"], ["Écouflant", "Taux : 12,3\u00a0%"]],
    }
    brut = carte.charge_utile(donnees)
    # « é » as its two UTF-8 bytes, not the six of « \u00e9 »; a text shared by two territories once
    assert "Non classé".encode() in brut and b"\\u00e9" not in brut
    assert brut.count("Non classé".encode()) == 1
    assert carte.lire_charge_utile(brut) == donnees


def test_each_map_carries_a_small_loader_and_the_component_code_is_a_static_file(app_env):
    """The ~42 kB of carte.js and carte.css travel once per page (and stay in the browser's HTTP
    cache) as static files, not inline in every map's element."""
    from atlas.composants import carte

    app = run_page("pages/explorer.py")
    (element,) = [el.proto for el in app.get("bidi_component") if "atlas_carte" in el.proto.component_name]
    assert len(element.js_content) < 2_000 and not element.css_content and not element.js_source_path
    for source in carte.SOURCES:
        nom = carte._NOMS_PUBLIES[source]
        # the loader names the file, whose name changes with its content
        assert f'"app/static/{carte.DOSSIER_CODE}/{nom}"' in element.js_content
        assert source.stem in nom and nom != source.name
        publie = couches.dossier_static() / carte.DOSSIER_CODE / nom
        assert publie.read_bytes() == source.read_bytes()
        # dated long ago: a browser keeps it without asking again (heuristic freshness)
        assert publie.stat().st_mtime == carte.DATE_PUBLIEE


def test_the_published_code_of_an_earlier_version_goes_a_day_after_it_was_written(tmp_path, monkeypatch):
    from atlas.composants import carte

    dossier = tmp_path / carte.DOSSIER_CODE
    dossier.mkdir()
    ancien = dossier / "carte-0000000000000000.js"
    ancien.write_text("export default function () {}")
    actuels = set(carte._NOMS_PUBLIES.values())
    carte.publier_le_code(tmp_path)
    # written just now: another server process may still serve a page with it
    assert {p.name for p in dossier.iterdir()} == {ancien.name, *actuels}
    for publie in dossier.iterdir():
        if publie != ancien:
            publie.unlink()
    maintenant = time.time()
    monkeypatch.setattr(carte.couches.time, "time", lambda: maintenant + 2 * 86_400)
    carte.publier_le_code(tmp_path)
    assert {p.name for p in dossier.iterdir()} == actuels
