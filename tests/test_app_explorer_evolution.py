"""Explorer, évolution mode: a change between two millésimes on a diverging map, in the URL, the table and the CSV."""

import pytest

from tests.apptest_helpers import cartes, codes_par_libelle, ouvrir_tableaux, run_page


def _param(app, cle):
    valeur = app.query_params.get(cle)
    return valeur[0] if isinstance(valeur, list) else valeur


@pytest.fixture
def evolution(app_env):
    app = ouvrir_tableaux(run_page("pages/explorer.py"))
    app.button_group(key="mode").set_value("evolution")
    ouvrir_tableaux(app)  # runs the page, its grid's block open again
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_switching_to_evolution_maps_the_change_of_the_median_income_of_every_epci(evolution):
    app = evolution
    assert app.selectbox(key="indicateur").value == "mediane_niveau_vie"
    assert app.button_group(key="debut").value == "2019" and app.button_group(key="millesime").value == "2021"
    table = app.dataframe[0].value
    assert len(table) == 71 and table["valeur"].notna().all()
    ligne = table.iloc[0]
    # a level in €: the change is relative, in %
    assert ligne["valeur"] == pytest.approx((ligne["valeur_fin"] - ligne["valeur_debut"]) / ligne["valeur_debut"] * 100)
    assert _param(app, "mode") == "evolution" and _param(app, "debut") == "2019" and _param(app, "millesime") == "2021"
    assert any("symétriques autour de 0" in c.value for c in app.caption)
    # an even number of classes by default: 0 is a bound, no white class hides a rise
    assert app.button_group(key="classes_evolution").value == 6 and _param(app, "classes") == "6"


def test_a_rate_changes_in_points_and_the_url_reopens_the_same_two_millesimes(app_env):
    query = {"mode": "evolution", "indicateur": "part_allocataires_rsa", "niveau": "commune", "debut": "2017", "millesime": "2020"}  # fmt: skip
    app = ouvrir_tableaux(run_page("pages/explorer.py", query))
    assert app.button_group(key="mode").value == "evolution"
    assert app.button_group(key="debut").value == "2017" and app.button_group(key="millesime").value == "2020"
    table = app.dataframe[0].value.set_index("code")
    calcule = table[table["valeur"].notna()]
    assert len(calcule) > 5
    assert (calcule["valeur"] - (calcule["valeur_fin"] - calcule["valeur_debut"])).abs().max() < 1e-9
    app.button_group(key="debut").set_value("2019")
    ouvrir_tableaux(app)  # runs the page, its grid's block open again
    assert _param(app, "debut") == "2019"
    apres = app.dataframe[0].value.set_index("code")
    assert apres["valeur_debut"].dropna().index.isin(table.index).all()


def test_a_commune_secret_at_one_millesime_has_no_change_and_is_named_in_the_legend(app_env):
    app = ouvrir_tableaux(
        run_page("pages/explorer.py", {"mode": "evolution", "indicateur": "d1_niveau_vie", "niveau": "commune"})
    )
    table = app.dataframe[0].value
    secret = table[table["statut_libelle"] == "Secret statistique à un millésime"]
    assert len(secret) > 100 and secret["valeur"].isna().all()
    carte = cartes(app)[0]
    assert codes_par_libelle(carte)["Secret statistique à l'un des deux millésimes"] == set(secret["code"])
    assert "Secret statistique à l'un des deux millésimes" in [e["libelle"] for e in carte["legende"]]


def test_on_the_map_a_fall_of_a_rate_whose_rise_is_unfavourable_is_blue_and_a_rise_red(app_env):
    from atlas.classification import RDBU

    app = run_page("pages/explorer.py", {"mode": "evolution", "indicateur": "part_minima_sociaux", "niveau": "epci"})
    couleurs = {e["libelle"]: e["couleur"] for e in cartes(app)[0]["legende"] if not e.get("contour")}
    classes = {n: c for n, c in couleurs.items() if " à " in n and "millésime" not in n}
    baisses = [c for n, c in classes.items() if n.split(" à ")[1][:1] in ("\u2212", "0")]
    hausses = [c for n, c in classes.items() if n.startswith(("plus de +", "plus de 0,0"))]
    assert baisses and hausses and len(baisses) + len(hausses) == len(classes)
    assert set(baisses) <= set(RDBU[6][3:]) and set(hausses) <= set(RDBU[6][:3])


def test_the_evolution_map_outlines_the_territory_of_the_url(app_env):
    query = {"mode": "evolution", "indicateur": "taux_pauvrete", "niveau": "commune", "code": "44184"}
    app = run_page("pages/explorer.py", query)
    assert not app.exception, [e.value for e in app.exception]
    carte = cartes(app)[0]
    assert carte["selection"] == "44184"
    contours = [e["libelle"] for e in carte["legende"] if e.get("contour")]
    assert any(lib.startswith("Territoire sélectionné") for lib in contours)


def test_back_to_the_level_map_drops_the_evolution_from_the_url(evolution):
    app = evolution
    app.button_group(key="mode").set_value("niveau").run()
    assert not app.exception
    assert _param(app, "mode") is None and _param(app, "debut") is None
    assert app.button_group(key="millesime").value == "2021"


def test_an_indicator_with_one_millesime_gives_way_to_one_with_several_and_departements_change_2019_to_2020(app_env):
    app = ouvrir_tableaux(run_page("pages/explorer.py", {"indicateur": "fs_distance_km", "niveau": "commune"}))
    app.button_group(key="mode").set_value("evolution").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="indicateur").value == "mediane_niveau_vie"
    assert app.selectbox(key="theme").value == "Revenus et pauvreté"
    app.button_group(key="niveau").set_value("departement")
    ouvrir_tableaux(app)  # runs the page, its grid's block open again
    assert app.button_group(key="debut").value == "2019" and app.button_group(key="millesime").value == "2020"
    assert len(app.dataframe[0].value) == 5 and app.dataframe[0].value["valeur"].notna().all()


def test_a_commune_split_between_the_two_millesimes_has_no_change_and_says_why(app_env):
    app = ouvrir_tableaux(
        run_page("pages/explorer.py", {"mode": "evolution", "indicateur": "mediane_niveau_vie", "niveau": "commune"})
    )
    ligne = (
        app.dataframe[0].value.set_index("code").loc["85084"]
    )  # Essarts-en-Bocage, L'Oie and Sainte-Florence rétablies
    assert ligne["statut_libelle"] == "Non disponible à un millésime" and ligne["valeur"] != ligne["valeur"]
    assert "scindée" in ligne["note"]
