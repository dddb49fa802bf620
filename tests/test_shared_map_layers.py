"""Map layers shared by every visitor: computed once per database, read afresh after a rebuild."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest
import shapely

from atlas import geojson_partage
from tests.apptest_helpers import run_page

CARRE = shapely.box(-1.6, 47.2, -1.5, 47.3)


@pytest.fixture
def db(built_db, tmp_path, monkeypatch):
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def _swap_with_square(db, tmp_path, code: str) -> None:
    """Swap in (``os.replace``, as the ETL does) a copy whose EPCI ``code`` is drawn as a square."""
    new = tmp_path / "new.duckdb"
    shutil.copyfile(db, new)
    con = duckdb.connect(str(new))
    con.execute(
        "update territoires set geom_affichage = ? where niveau = 'epci' and code = ?", [shapely.to_wkb(CARRE), code]
    )
    con.execute("checkpoint")
    con.close()
    os.replace(new, db)


def _epci(fig) -> tuple[str, dict]:
    """Code and geometry (as sent to the browser) of the first EPCI of a map figure."""
    trace = json.loads(fig.to_json())["data"][0]
    return trace["locations"][0], trace["geojson"]["features"][0]["geometry"]


def _carte_epci():
    from atlas import maps_continue, queries

    epci = queries.territoires("epci")
    return maps_continue.carte_choroplethe(
        epci, queries.geojson("epci"), colonne="densite", libelle="Densité", unite="hab./km²", emprise=(-2, 46, 0, 48)
    )


def test_every_visitor_gets_the_same_layer_object_and_maps_do_not_copy_it(db):
    from atlas import maps_continue, queries

    layer = queries.geojson("commune")
    assert queries.geojson("commune") is layer  # once per database, not one copy per call or session
    prepared = geojson_partage.geojson_pour_plotly(layer)
    assert geojson_partage.geojson_pour_plotly(layer) is prepared
    data = queries.territoires("commune").assign(v=1.0)
    fig = maps_continue.carte_choroplethe(data, layer, colonne="v", libelle="V", unite="u", emprise=(-2, 46, 0, 48))
    shown = {id(f) for f in fig.data[0].geojson["features"]}
    assert shown <= {id(f) for f in prepared["features"]}
    # the figure sent to the browser still carries every commune's geometry, number for number
    sent = json.loads(fig.to_json())["data"][0]["geojson"]["features"]
    first = next(f for f in layer["features"] if f["id"] == sent[0]["id"])
    assert sent[0]["geometry"] == json.loads(json.dumps(first["geometry"]))
    assert len(sent) == len(layer["features"])


def test_a_rebuilt_database_draws_its_own_geometry_on_the_next_map(db, tmp_path):
    code, before = _epci(_carte_epci())
    assert shapely.geometry.shape(before).area != pytest.approx(CARRE.area)
    _swap_with_square(db, tmp_path, code)
    code_after, after = _epci(_carte_epci())
    assert code_after == code
    assert shapely.geometry.shape(after).equals_exact(CARRE, 1e-9)


def test_the_home_page_map_follows_a_rebuild_between_two_runs(db, tmp_path):
    from atlas.composants import couches
    from tests.apptest_helpers import cartes

    first = cartes(run_page("dashboard.py"))[0]
    code = first["codes"][0]
    _swap_with_square(db, tmp_path, code)
    second = cartes(run_page("dashboard.py"))[0]
    # a new database is a new layer URL: no browser keeps drawing the old geometry from its cache
    assert second["url"] != first["url"]
    fichier = couches.dossier_static() / couches.DOSSIER_COUCHES / second["url"].rsplit("/", 1)[1]
    couche = json.loads(fichier.read_text(encoding="utf-8"))
    feature = next(f for f in couche["features"] if f["properties"]["code"] == code)
    assert shapely.geometry.shape(feature["geometry"]).equals_exact(CARRE, 1e-9)


@pytest.mark.parametrize(
    "page",
    [
        "pages/explorer.py",
        "pages/mobilite.py",
        "pages/non_recours.py",
        "pages/precarite_energetique.py",
        "pages/zones_blanches.py",
        "pages/donnees.py",
    ],
)
def test_a_download_does_not_rerun_the_page_nor_redraw_its_maps(db, page):
    app = run_page(page)
    boutons = app.get("download_button")
    assert boutons
    assert all(b.proto.ignore_rerun for b in boutons), [b.proto.label for b in boutons if not b.proto.ignore_rerun]


def test_the_server_does_not_walk_every_object_after_each_page_view():
    # a full collection per run cost about 0,2 s per page view, every other session waiting
    import tomllib

    from commun.config import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
