"""Page « Zones blanches »: summary line, rules, URL state."""

import json
import re

import pandas as pd

from tests.apptest_helpers import cartes, codes_par_libelle, colonne_de_liste, run_page


def _summary(app):
    text = app.subheader[0].value
    if text.startswith("Aucune zone blanche"):
        return 0, text
    # a count and its noun held together by a no-break space (« 2 communes »)
    match = re.match(r"([\d\u00a0]+)[ \u00a0]communes? \(([\d\u00a0]+)[ \u00a0]habitants?\)", text)
    return int(match.group(1).replace("\u00a0", "")), text


def test_default_rules_give_a_summary_line_and_a_map_of_every_commune(app_env):
    app = run_page("pages/zones_blanches.py")
    n, text = _summary(app)
    assert text.startswith("Aucune zone blanche") if n == 0 else text.endswith("par aucun service")
    if n:
        assert len(colonne_de_liste(app, "Commune", "nom")) == n
    else:  # no heading over an empty list
        assert not [h for h in app.subheader if h.value.startswith("Liste des zones blanches")]
    # on screen the atlas's map component (no plotly figure): every commune once, in one category
    assert not app.get("plotly_chart")
    (carte,) = cartes(app)
    assert len(carte["codes"]) == len(set(carte["codes"])) == 1228
    blanches = [codes for lib, codes in codes_par_libelle(carte).items() if lib.startswith("Besoin élevé, aucun")]
    assert sum(len(c) for c in blanches) == n
    assert carte["trait"] == "#9e9e9e"  # the light grey categories keep visible borders


def test_a_stricter_time_rule_gives_more_white_zones(app_env):
    app = run_page("pages/zones_blanches.py")
    app.selectbox(key="zb_mois").set_value(0).run()
    app.selectbox(key="zb_minutes").set_value(30).run()
    loose, _ = _summary(app)
    app.selectbox(key="zb_minutes").set_value(5).run()
    strict, _ = _summary(app)
    assert strict > loose
    assert app.query_params["minutes"] in ("5", ["5"])


def test_the_rules_are_chosen_without_a_slider_a_multiselect_or_radio_buttons(app_env):
    # a slider's chunk brings moment.js and numbro and measures the page at each of its renders, a
    # multiselect loads its own chunk, each radio option recomputes the page's styles: every month and
    # every 5 minutes stay in a list, the threshold and the layers are button groups
    app = run_page("pages/zones_blanches.py")
    assert not app.get("slider") and not app.get("multiselect") and not app.get("radio")
    assert app.button_group(key="zb_seuil").value == "tercile"
    assert app.selectbox(key="zb_mois").options == [str(m) for m in range(37)]
    assert app.selectbox(key="zb_minutes").options == [str(m) for m in range(5, 61, 5)]
    assert app.button_group(key="zb_couches").value == ["france_services"]


def test_url_rules_reopen_the_same_view(app_env):
    app = run_page(
        "pages/zones_blanches.py",
        {"indicateur": "part_menages_sans_voiture", "seuil": "quartile", "mois": "6", "minutes": "15"},
    )
    assert app.selectbox(key="zb_indicateur").value == "part_menages_sans_voiture"
    assert app.button_group(key="zb_seuil").value == "quartile"
    assert app.selectbox(key="zb_mois").value == 6 and app.selectbox(key="zb_minutes").value == 15


def test_service_sites_of_the_chosen_layers_are_drawn(app_env):
    app = run_page("pages/zones_blanches.py")
    (carte,) = cartes(app)
    assert any(e["libelle"].startswith("Sites : France services") and e.get("point") for e in carte["legende"])
    assert len(carte["points"]["features"]) > 50
    app.toggle(key="zb_sites").set_value(False).run()
    (carte,) = cartes(app)
    assert not carte.get("points") and not any(e["libelle"].startswith("Sites") for e in carte["legende"])


def test_a_new_rule_sends_new_colours_to_the_same_map_layer(app_env):
    # the browser keeps the layer it fetched: a widget change re-colours, never re-downloads the geometry
    app = run_page("pages/zones_blanches.py", {"mois": "0", "minutes": "30"})
    (avant,) = cartes(app)
    app.selectbox(key="zb_minutes").set_value(5).run()
    (apres,) = cartes(app)
    assert apres["url"] == avant["url"] and apres["emprise"] == avant["emprise"]
    assert apres["classes"] != avant["classes"]


def test_the_unknown_need_legend_entry_has_a_visible_swatch(app_env):
    from atlas.couleurs import ecart_couleurs

    app = run_page("pages/zones_blanches.py")
    app.toggle(key="zb_estimations").set_value(False).run()  # many needs unknown
    (carte,) = cartes(app)
    entree = next(e for e in carte["legende"] if e["libelle"].startswith("Besoin inconnu"))
    assert not entree.get("contour") and ecart_couleurs(entree["couleur"], "#ffffff") > 10


def test_imported_service_layer_counts_in_coverage(built_db, tmp_path, monkeypatch):
    import shutil

    from atlas import imports

    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    import datetime as dt

    import duckdb

    from atlas import zones_blanches as zb

    # the white zones without any service layer, computed directly (mois = 0: outreach ignored)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select t.code, v.valeur from territoires t left join valeurs v on v.code = t.code and v.niveau = 'commune' "
        "and v.indicateur = 'taux_pauvrete' and v.millesime = '2021' where t.niveau = 'commune'"
    ).fetchall()
    con.close()
    frame = pd.DataFrame(rows, columns=["code", "besoin"]).assign(dernier_contact=None, minutes_service=float("nan"))
    categories = zb.classer(frame, "+", zb.Regles(mois=0, minutes=10, couches=()), dt.date(2025, 12, 31))
    codes = frame.loc[categories == "zone_blanche", "code"].tolist()
    without = len(codes)
    # a "service" in every white zone commune (placed at the town hall) must cover them all
    content = ("nom;type;code_commune\n" + "".join(f"Permanence {c};permanence;{c}\n" for c in codes)).encode()
    rapport, rejets = imports.importer_services("permanences.csv", content, "permanences_droits")
    assert rapport.chargees == len(codes) and rejets is None
    app = run_page("pages/zones_blanches.py", {"couches": "permanences_droits", "mois": "0", "minutes": "10"})
    with_layer, _ = _summary(app)
    assert without > 0 and with_layer == 0


def test_the_need_counts_the_atlas_estimates_so_that_few_communes_are_left_unknown(app_env):
    def inconnus(app):
        legende = [e["libelle"] for e in cartes(app)[0]["legende"]]
        nom = next(n for n in legende if n.startswith("Besoin inconnu"))
        return int(nom.rsplit("(", 1)[1].rstrip(")").replace("\u00a0", ""))

    app = run_page("pages/zones_blanches.py")
    assert inconnus(app) < 50  # the few communes without a published median
    app.toggle(key="zb_estimations").set_value(False).run()
    assert inconnus(app) > 900  # INSEE keeps three poverty rates in four secret
    assert app.query_params["estimations"] in ("0", ["0"])


def test_zones_blanches_resting_on_an_estimate_are_counted_and_labelled(app_env):
    # no outreach counted, a service within 5 minutes: many communes are not covered
    app = run_page("pages/zones_blanches.py", {"mois": "0", "minutes": "5"})
    liste = next(t.value for t in app.dataframe if "nature_besoin" in t.value.columns)
    estimees = int(liste["nature_besoin"].str.startswith("estimation de l'atlas").sum())
    assert estimees > 0
    assert any(
        f"{estimees} de ces {len(liste)} zones blanches reposent sur une estimation" in i.value for i in app.info
    )


def test_in_presentation_mode_the_map_comes_right_after_the_count_and_the_rules_under_it(app_env):
    from atlas.presentation import CLE
    from tests.apptest_helpers import app_for

    app = app_for("pages/zones_blanches.py")
    app.session_state[CLE] = True  # as the entry point sets it from « ?presentation=1 »
    app.run()
    assert not app.exception
    ordre = [
        "compte" if n.type == "subheader" and n is app.subheader[0] else
        "carte" if n.type == "bidi_component" else
        "regles" if n.type == "caption" and n.value.replace("\u00a0", " ").startswith("Besoin élevé :") else
        "intro" if n.type == "markdown" and "zone blanche" in n.value else None
        for n in _feuilles(app.main)
    ]  # fmt: skip
    ordre = [o for o in ordre if o]
    # a presenter at 1280 × 720 sees the title, the count and the whole map without scrolling
    assert ordre == ["compte", "carte", "regles"]


def _feuilles(bloc):
    for enfant in bloc.children.values():
        if getattr(enfant, "children", None):
            yield from _feuilles(enfant)
        else:
            yield enfant


def test_the_slide_keeps_the_plotly_map_with_the_categories_and_the_service_sites(app_env):
    from atlas import diaporama

    app = run_page("pages/zones_blanches.py")
    app.button(key="diaporama_carte_zones_blanches").click().run()
    assert not app.exception
    (vue,) = app.session_state[diaporama.CLE_SESSION]
    traces = json.loads(vue.figure)["data"]
    assert any(t.get("name", "").startswith("Besoin modéré, couvert (") for t in traces)
    assert any(t["type"] == "scattermap" and t["name"].startswith("Sites : France services") for t in traces)


def test_the_map_caption_states_the_rules_in_a_few_lines_with_the_method_folded_under_it(app_env):
    # the rules, the travel-time estimate and the island rule made one caption of about 900 characters
    app = run_page("pages/zones_blanches.py")
    regles = next(c.value for c in app.caption if c.value.replace("\u00a0", " ").startswith("Besoin élevé :"))
    assert len(regles) < 600 and "vol d'oiseau" not in regles
    (volet,) = [e for e in app.expander if e.label == "Méthode et limites"]
    assert "vol d'oiseau" in volet.caption[0].value and "L'Île-d'Yeu" in volet.caption[0].value
