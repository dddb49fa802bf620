"""The fiche's locator map is the atlas's map component, framed on the territory's département."""

import duckdb
import shapely

from tests.apptest_helpers import cartes, codes_par_libelle, plotly_figures, run_page


def _communes_du_departement(db, code_departement: str) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        lignes = con.execute(
            "select code from territoires where niveau = 'commune' and code_departement = ?", [code_departement]
        ).fetchall()
    return {code for (code,) in lignes}


def test_the_fiche_map_shows_the_commune_in_red_among_its_departements_communes(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    (carte,) = cartes(app)
    par_libelle = codes_par_libelle(carte)
    assert par_libelle["Angers"] == {"49007"}
    voisines = par_libelle["Communes du département de Maine-et-Loire"]
    assert voisines == _communes_du_departement(app_env, "49") - {"49007"}
    # the plotly map is left to the PNG and the slide, built on click
    assert not [f for f in plotly_figures(app) if any(t.get("type") == "choroplethmap" for t in f["data"])]


def test_the_fiche_map_of_an_epci_is_framed_on_its_departement_not_the_region(app_env):
    region = run_page("pages/fiche_territoire.py", {"niveau": "region", "code": "52"})
    epci = run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": "244900015"})
    (carte_region,) = cartes(region)
    (carte_epci,) = cartes(epci)
    cadre_region = shapely.box(*carte_region["emprise"])
    cadre_epci = shapely.box(*carte_epci["emprise"])
    # Angers Loire Métropole: Maine-et-Loire's extent, well within the region's
    assert cadre_region.contains(cadre_epci) and cadre_epci.area < 0.5 * cadre_region.area
    assert codes_par_libelle(carte_epci)["Communauté urbaine Angers Loire Métropole"] == {"244900015"}


def test_the_fiche_map_of_a_commune_loads_the_shapes_of_its_departements_communes_only(app_env):
    import json

    from atlas.composants import couches

    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    (carte,) = cartes(app)
    couche = json.loads((couches.dossier_static().parent / carte["url"].removeprefix("app/")).read_text())
    # the commune layer of the whole region weighs about 0,7 MB: the browser fetches and projects only these
    assert sorted(f["properties"]["code"] for f in couche["features"]) == sorted(carte["codes"])
    assert set(carte["codes"]) == _communes_du_departement(app_env, "49")


def test_the_fiche_map_is_as_tall_as_its_departement_drawn_across_leaving_no_blank_band(app_env):
    import math

    from atlas.fiche_figures import HAUTEUR_SITUATION, LARGEUR_DESSIN_SITUATION

    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    (carte,) = cartes(app)
    o, s, e, n = carte["emprise"]

    def mercator(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    # Maine-et-Loire is wider than tall: at the map's width it needs about 250 px, not the 380 of before
    dessin = LARGEUR_DESSIN_SITUATION * (mercator(n) - mercator(s)) / math.radians(e - o)
    assert carte["hauteur"] < HAUTEUR_SITUATION
    assert abs(carte["hauteur"] - 12 - dessin) <= 1


def _hauteur_dessinee(emprise_formes, emprise_vue, largeur_boite: int, hauteur_boite: int) -> float:
    """Height (px) of the shapes' extent as the map component draws it in its box (carte.js ``ajuster``:
    6 px around the view's extent, 42 px kept for the zoom buttons)."""
    import math

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    o, s, e, n = emprise_vue
    k = min((largeur_boite - 48) / math.radians(e - o), (hauteur_boite - 12) / (y(n) - y(s)))
    return k * (y(emprise_formes[3]) - y(emprise_formes[1]))


def test_the_caption_under_the_fiche_map_follows_the_drawing_with_no_blank_band(app_env):
    from atlas.fiche import _contexte

    # Angers, a Vendée commune, an EPCI, a département, the region
    for niveau, code in (("commune", "49007"), ("commune", "85191"), ("departement", "85"), ("region", "52")):
        app = run_page("pages/fiche_territoire.py", {"niveau": niveau, "code": code})
        (carte,) = cartes(app)
        frame, _emprise = _contexte(niveau, code)  # the shapes drawn (an EPCI's neighbours run past its frame)
        emprise_formes = shapely.bounds(shapely.union_all(list(frame["_geom"]))).tolist()
        # from the legend beside the map (a 340 px box at 1400 px) to the legend under it (1280 px)
        for largeur in (340, 354, 484, 700):
            dessin = _hauteur_dessinee(emprise_formes, carte["emprise"], largeur, carte["hauteur"])
            # the component's own 6 px above and under the drawing, nothing more
            assert carte["hauteur"] - dessin <= 12 + 2, (niveau, code, largeur, carte["hauteur"], dessin)
