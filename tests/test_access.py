"""France services access indicators, checked against an independent computation on the real list."""

from __future__ import annotations

import csv
import math

import duckdb
import pytest

from atlas.config import ROOT
from etl.access import km_from_minutes, minutes_from_km

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


@pytest.fixture(scope="module")
def con(built_db):
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


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


def test_a_commune_hosting_a_france_services_site_has_distance_zero(con, sites):
    hosted = {s[1] for s in sites if s[0] in PDL_DEPARTEMENTS}
    assert "49114" not in hosted
    for code in ["44109", "49007", "53130", "72181", "49244"]:
        if code in hosted:
            assert value(con, "fs_distance_km", code) == 0
            assert value(con, "fs_temps_min", code) == 0
            assert value(con, "fs_sites_10min", code) >= 1


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
