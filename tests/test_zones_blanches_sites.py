"""Zones blanches: the map draws the service sites of the region and those that reach it in time, no others."""

import pandas as pd

from atlas import zones_blanches as zb
from commun.geometrie import haversine_km, minutes_from_km
from tests.apptest_helpers import cartes, run_page

# two mainland communes and an island one (L'Île-d'Yeu-like: no road to the mainland)
COMMUNES = pd.DataFrame(
    {"longitude": [0.0, 1.0, -2.35], "latitude": [47.0, 47.0, 46.71], "ile": [None, None, "Île d'Yeu"]}
)
SITES = pd.DataFrame(
    {
        "nom": [
            "Dans la région, loin des mairies",
            "Voisin (15 min)",
            "Loin (29 min)",
            "Sur le continent face à l'île",
        ],
        "dans_region": [True, False, False, False],
        "longitude": [1.5, 0.0, 0.0, -2.35],
        "latitude": [47.5, 47.1, 47.2, 46.75],
        "ile": [None, None, None, None],
    }
)


def test_a_site_across_the_border_is_drawn_only_when_it_reaches_a_commune_of_the_region_in_time():
    assert zb.sites_de_la_carte(SITES, COMMUNES, 20)["nom"].tolist() == [
        "Dans la région, loin des mairies",
        "Voisin (15 min)",
    ]
    # a longer travel time brings the next site in
    assert "Loin (29 min)" in zb.sites_de_la_carte(SITES, COMMUNES, 30)["nom"].tolist()


def test_a_mainland_site_facing_an_island_commune_is_not_drawn_for_it():
    # 4 km from the island's town hall, but across the sea: it covers nothing of the region
    assert "Sur le continent face à l'île" not in zb.sites_de_la_carte(SITES, COMMUNES, 60)["nom"].tolist()


def test_the_page_draws_and_counts_only_the_sites_that_serve_the_region(app_env, built_con):
    app = run_page("pages/zones_blanches.py", {"minutes": "20"})
    (carte,) = cartes(app)
    points = carte["points"]["features"]
    (libelle,) = [e["libelle"] for e in carte["legende"] if e.get("point")]
    # the legend counts what is drawn
    assert libelle.replace("\u00a0", " ") == f"Sites : France services ({len(points)} sur la carte)"
    # each site's bubble names it and where it is, never the layer's count
    assert all(p["properties"]["nom"].startswith("France services : ") for p in points)
    lieux = [p["properties"]["couche"] for p in points]
    assert all(lieu.startswith(("Commune : ", "Hors de la région (département ")) for lieu in lieux)
    assert any(lieu.startswith("Commune : ") for lieu in lieux)
    # and the caption under the map says which sites those are
    legendes = [c.value.replace("\u00a0", " ") for c in app.caption]
    assert any(
        "Sites dessinés : ceux de la région et ceux à moins de 20 minutes d'une de ses communes." in c for c in legendes
    )
    # the map sends coordinates to 5 decimals (about a metre)
    dans_region = built_con.execute(
        """
        select s.longitude, s.latitude from services as s
        join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
        where s.couche = 'france_services'
        """
    ).fetchall()
    dans_region = {(round(lon, 5), round(lat, 5)) for lon, lat in dans_region}
    dessines = {tuple(p["geometry"]["coordinates"]) for p in points}
    assert dans_region <= dessines
    communes = built_con.execute("select longitude, latitude from territoires where niveau = 'commune'").df()
    for lon, lat in dessines - dans_region:
        # every site across the border is within the 20 minutes of some commune of the region
        km = haversine_km(communes["longitude"], communes["latitude"], lon, lat).min()
        assert minutes_from_km(km) <= 20.01, (lon, lat)
    # the sites beyond the reach of any commune (the map's margins) are gone
    tous = built_con.execute("select count(*) from services where couche = 'france_services'").fetchone()[0]
    assert len(dans_region) < len(points) < tous
