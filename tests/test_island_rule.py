"""Island rule: a commune without a road link to the mainland only reaches sites of its own island."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely

from commun.geometrie import island_of_sites
from etl.access import commune_access
from tests.apptest_helpers import run_page

YEU = "85113"
# Port-Joinville and Fromentine (the ferry port on the mainland, ~23 km away)
ISLAND_POINT = (-2.348, 46.725)
MAINLAND_POINT = (-2.142, 46.893)


def _communes():
    return pd.DataFrame(
        {
            "code": ["I", "M"],
            "longitude": [ISLAND_POINT[0], MAINLAND_POINT[0]],
            "latitude": [ISLAND_POINT[1], MAINLAND_POINT[1]],
            "ile": ["Île d'Yeu", None],
        }
    )


def _sites(*points, iles):
    return pd.DataFrame(
        {
            "code_commune": [None] * len(points),
            "longitude": [p[0] for p in points],
            "latitude": [p[1] for p in points],
            "ile": iles,
        }
    )


def test_island_commune_is_not_reached_by_a_mainland_site():
    out = commune_access(_communes(), _sites(MAINLAND_POINT, iles=[None]))
    assert np.isinf(out.at["I", "distance_km"]) and np.isinf(out.at["I", "minutes"])
    assert out.loc["I", ["sites_10min", "sites_20min", "sites_30min"]].tolist() == [0, 0, 0]
    assert out.at["M", "distance_km"] == pytest.approx(0.0, abs=1e-9)
    # without the rule, the crow-fly estimate would put the mainland site about half an hour away
    plain = commune_access(_communes().drop(columns="ile"), _sites(MAINLAND_POINT, iles=[None]).drop(columns="ile"))
    assert plain.at["I", "minutes"] < 35


def test_island_commune_reaches_a_site_on_its_own_island_and_the_mainland_does_not():
    near_port = (ISLAND_POINT[0] + 0.01, ISLAND_POINT[1])
    out = commune_access(_communes(), _sites(near_port, iles=["Île d'Yeu"]))
    assert out.at["I", "distance_km"] == pytest.approx(0.76, abs=0.05)
    assert out.at["I", "sites_10min"] == 1
    assert np.isinf(out.at["M", "distance_km"]) and out.at["M", "sites_30min"] == 0
    assert out.index.tolist() == ["I", "M"]  # order of the communes kept


def test_a_site_given_by_coordinates_inside_an_island_commune_is_on_the_island():
    island = pd.DataFrame(
        {
            "code_commune": ["I"],
            "ile": ["Île d'Yeu"],
            "geom": [shapely.to_wkb(shapely.box(-2.40, 46.68, -2.28, 46.76))],
        }
    )
    sites = pd.DataFrame(
        {
            "code_commune": [None, "I", None],
            "longitude": [ISLAND_POINT[0], 0.0, MAINLAND_POINT[0]],
            "latitude": [ISLAND_POINT[1], 0.0, MAINLAND_POINT[1]],
        }
    )
    assert island_of_sites(sites, island).tolist() == ["Île d'Yeu", "Île d'Yeu", None]


@pytest.fixture
def real(built_con):
    return built_con


def test_yeu_is_not_counted_as_reached_within_20_minutes_by_france_services(real):
    rows = dict(
        (ind, (valeur, statut))
        for ind, valeur, statut in real.execute(
            "select indicateur, valeur, statut from valeurs where niveau = 'commune' and code = ? and indicateur like 'fs_%'",
            [YEU],
        ).fetchall()
    )
    assert rows["fs_temps_min"] == (None, "absent")
    assert rows["fs_distance_km"] == (None, "absent")
    assert rows["fs_sites_20min"] == (0.0, "ok") and rows["fs_sites_30min"] == (0.0, "ok")
    note = real.execute(
        "select note from qualite_valeurs where indicateur = 'fs_temps_min' and niveau = 'commune' and code = ?", [YEU]
    ).fetchone()[0]
    assert "île sans lien routier" in note and "traversée" in note
    # the Vendée mean leaves the island out, and says so, rather than disappearing
    valeur, statut = real.execute(
        "select valeur, statut from valeurs where indicateur = 'fs_temps_min' and niveau = 'departement' and code = '85'"
    ).fetchone()
    assert statut == "ok" and valeur > 0
    assert (
        real.execute(
            "select count(*) from qualite_valeurs where indicateur = 'fs_temps_min' and niveau = 'departement' and code = '85' "
            "and note like '%85113%'"
        ).fetchone()[0]
        == 1
    )
    # Noirmoutier is linked by a bridge: not an island commune
    assert real.execute("select list(code_commune) from communes_insulaires").fetchone()[0] == [YEU]


def test_yeu_is_never_covered_by_a_service_on_zones_blanches(built_db, tmp_path, monkeypatch):
    from atlas import zones_blanches as zb

    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    con = duckdb.connect(str(db))
    # a user layer with one site at the Fromentine ferry port, ~23 km (≈ 30 min estimated) from Yeu
    con.execute(
        "insert into services values ('port', 'p1', 'Gare maritime', null, null, null, ?, ?, 'test', true, 'coordonnees')",
        list(MAINLAND_POINT),
    )
    con.close()
    monkeypatch.setenv("ATLAS_DB", str(db))
    data = zb.donnees("taux_pauvrete", ("france_services", "port")).set_index("code")
    assert np.isnan(data.at[YEU, "minutes_service"])
    assert data.at["85092", "minutes_service"] < 5  # La Barre-de-Monts, the port's commune
    regles = zb.Regles(minutes=60, mois=0, couches=("france_services", "port"))
    categories = zb.classer(data.reset_index(), "+", regles, pd.Timestamp("2025-01-01").date())
    assert categories[data.index.get_loc(YEU)] in ("zone_blanche", "non_couvert", "inconnu")


def test_pages_say_why_the_island_is_not_reached(app_env):
    mob = run_page("pages/mobilite.py")
    texte = " ".join(c.value for c in mob.caption)
    assert "L'Île-d'Yeu n'a pas de France services sur l'île" in texte
    assert "ignore la traversée" not in texte
    zb = run_page("pages/zones_blanches.py")
    assert "L'Île-d'Yeu n'a pas de France services sur l'île" in " ".join(c.value for c in zb.caption)
