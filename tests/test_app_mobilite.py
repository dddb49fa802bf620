"""Page « Mobilité »: access-time threshold, mobility-gap categories, list of remote communes."""

import json

import pandas as pd

from atlas.mobilite import categoriser
from tests.apptest_helpers import cartes, codes_par_libelle, colonne_de_liste, run_page, tableaux_html


def test_categories_cross_distance_and_car_ownership():
    frame = pd.DataFrame({"temps_min": [30, 30, 5, 5, None], "part_sans_voiture": [20.0, 2.0, 20.0, 2.0, 10.0]})
    # median of the known shares is 11 (2, 2, 20, 20 → 11; the missing one is left out)
    assert categoriser(frame, 20).tolist() == [
        "eloignee_peu_motorisee",
        "eloignee",
        "peu_motorisee",
        "ni_l_un_ni_l_autre",
        "inconnue",
    ]


def test_mobility_page_maps_every_commune_and_lists_remote_ones(app_env):
    app = run_page("pages/mobilite.py")
    # on screen the atlas's map component, no plotly figure: every commune once
    assert not app.get("plotly_chart")
    (carte,) = cartes(app)
    assert len(carte["codes"]) == len(set(carte["codes"])) == 1228
    temps = colonne_de_liste(app, "Temps (min)", "temps_min")
    assert temps and all(float(str(t).replace(",", ".")) >= 20 for t in temps)


def test_the_crossing_map_bubble_names_the_category_and_the_millesimes(app_env):
    app = run_page("pages/mobilite.py")
    (carte,) = cartes(app)
    categories = {libelle.rsplit(" (", 1)[0] for libelle in (e["libelle"] for e in carte["legende"])}
    for _nom, categorie, temps, voiture in carte["survol"]:
        assert categorie.removeprefix("Catégorie : ") in categories
        assert temps.startswith("Temps vers France services (liste au ")
        assert voiture.startswith("Ménages sans voiture (RP 20")


def test_raising_the_threshold_shortens_the_list(app_env):
    app = run_page("pages/mobilite.py")
    before = len(colonne_de_liste(app, "Commune", "nom"))
    app.button_group(key="seuil").set_value(25).run()
    assert not app.exception
    assert len(colonne_de_liste(app, "Commune", "nom")) < before
    assert "25 minutes ou plus" in app.subheader[1].value


def test_map_legend_names_each_category_with_its_count(app_env):
    app = run_page("pages/mobilite.py")
    (carte,) = cartes(app)
    libelles = [e["libelle"] for e in carte["legende"]]
    proches = next(n for n in libelles if n.startswith("Proche et motorisée ("))
    # the count in the label is the number of communes drawn in that colour
    assert int(proches.rsplit("(", 1)[1].rstrip(")").replace("\u00a0", "")) == len(codes_par_libelle(carte)[proches])
    # every category drawn is named in the legend
    assert set(codes_par_libelle(carte)) <= set(libelles)


def test_threshold_lives_in_the_url(app_env):
    app = run_page("pages/mobilite.py", {"seuil": "25"})
    assert app.button_group(key="seuil").value == 25
    app.button_group(key="seuil").set_value(15).run()
    assert app.query_params["seuil"] in ("15", ["15"])


def test_time_and_car_maps_are_offered_beside_the_crossing(app_env):
    app = run_page("pages/mobilite.py")
    app.button_group(key="vue_mobilite").set_value("temps").run()
    assert not app.exception
    (temps,) = cartes(app)
    assert "min" in temps["titre"] and "ANCT" in temps["titre"]
    app.button_group(key="vue_mobilite").set_value("voiture").run()
    (voiture,) = cartes(app)
    assert "Part des ménages sans voiture (%)" in voiture["titre"]
    # another map of the same communes: the browser keeps the layer and redraws the colours only
    assert voiture["url"] == temps["url"] and voiture["classes"] != temps["classes"]


def test_a_new_threshold_recolours_the_same_map_layer(app_env):
    app = run_page("pages/mobilite.py")
    (avant,) = cartes(app)
    app.button_group(key="seuil").set_value(40).run()
    (apres,) = cartes(app)
    assert apres["url"] == avant["url"] and apres["emprise"] == avant["emprise"]
    assert apres["titre"].startswith("Seuil : 40 min") and apres["classes"] != avant["classes"]


def test_in_presentation_mode_the_map_comes_right_after_the_title_and_the_method_under_it(app_env):
    from atlas.presentation import CLE
    from tests.apptest_helpers import app_for

    app = app_for("pages/mobilite.py")
    app.session_state[CLE] = True  # as the entry point sets it from « ?presentation=1 »
    app.run()
    assert not app.exception

    def feuilles(bloc):
        for enfant in bloc.children.values():
            yield from feuilles(enfant) if getattr(enfant, "children", None) else [enfant]

    ordre = [
        "carte" if n.type == "bidi_component" else
        "methode" if n.type == "caption" and n.value.startswith("Éloignée :") and "Sources" in n.value else
        "texte" if n.type in ("markdown", "caption") and "mode présentation" not in n.value else None
        for n in feuilles(app.main)
    ]  # fmt: skip
    # a presenter at 1280 × 720 sees the title and the whole map without scrolling
    assert [o for o in ordre if o][:2] == ["carte", "methode"]


def test_the_slide_keeps_the_plotly_map_of_the_chosen_view(app_env):
    from atlas import diaporama

    app = run_page("pages/mobilite.py")
    app.button_group(key="vue_mobilite").set_value("temps").run()
    app.button(key="diaporama_carte_mobilite").click().run()
    assert not app.exception
    (vue,) = app.session_state[diaporama.CLE_SESSION]
    titre = json.loads(vue.figure)["layout"]["legend"]["title"]["text"]
    assert "min" in titre and "ANCT" in titre


def test_the_remote_communes_csv_gives_distances_with_the_screen_s_one_decimal(app_env):
    from atlas import mobilite_vues

    export = mobilite_vues.vue_seuil(20).export
    distances = export["Distance (km)"].dropna()
    assert len(distances) and all(round(d, 1) == d for d in distances), distances.tolist()


def test_a_threshold_that_no_commune_reaches_draws_no_empty_list_and_no_csv(app_env):
    # at 40 min « Aucune commune à 40 minutes ou plus » sat over a table of headers without a row,
    # with a CSV download of nothing
    app = run_page("pages/mobilite.py")
    app.button_group(key="seuil").set_value(40).run()
    assert not app.exception
    assert app.subheader[1].value.startswith("Aucune commune à 40")
    assert not any("Temps (min)" in tableau.columns for tableau in tableaux_html(app))
    assert not [b for b in app.get("download_button") if "liste" in b.proto.label]


def test_the_map_caption_is_a_few_lines_with_the_method_folded_under_it(app_env):
    # definitions, time estimate, island rule and sources made one caption of about 900 characters,
    # a wall of text under the map (at 1280 × 720 in presentation mode, 8 lines)
    app = run_page("pages/mobilite.py")
    legende = next(c.value for c in app.caption if c.value.startswith("Éloignée :"))
    assert len(legende) < 400 and "Sources" in legende and "vol d'oiseau" not in legende
    (volet,) = [e for e in app.expander if e.label == "Méthode et limites"]
    assert "vol d'oiseau" in volet.caption[0].value and "L'Île-d'Yeu" in volet.caption[0].value
