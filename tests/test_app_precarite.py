"""Page « Précarité énergétique »: passoires map, bivariate map, target list, URL state."""

from tests.apptest_helpers import app_for, cartes, codes_par_libelle, ouvrir_tableaux, run_page

PAGE = "pages/precarite_energetique.py"


def _carte_bivariee(app):
    (carte,) = [c for c in cartes(app) if c.get("grille")]
    return carte


def test_page_maps_every_commune_and_says_the_data_are_a_demonstration(app_env):
    app = run_page(PAGE)
    carte = cartes(app)[0]
    assert len(carte["codes"]) == 1228
    assert any("démonstration" in w.value.lower() for w in app.warning)
    # the legend's title ended « — DONNÉES DE DÉMONSTRATION », shouted: a sentence's words, once
    assert carte["titre"].endswith("(données de démonstration)")
    assert carte["titre"].lower().count("démonstration") == 1 and "DÉMONSTRATION" not in carte["titre"]


def test_shares_on_fewer_than_20_dpe_are_never_shown_only_their_count(app_env):
    # one rule everywhere (etl/dpe.py): no switch brings them back, a stale link asking for them neither
    app = ouvrir_tableaux(run_page(PAGE, {"peu_fiables": "1"}))
    assert not [t for t in app.toggle if t.key == "peu_fiables"]
    carte = cartes(app)[0]
    (peu_fiables,) = [codes for lib, codes in codes_par_libelle(carte).items() if lib.startswith("Moins de 20 DPE")]
    assert any(e["libelle"].startswith("Moins de 20 DPE") for e in carte["legende"])
    survol = dict(zip(carte["codes"], carte["survol"], strict=True))
    assert all("non publiée" in survol[code][1] for code in peu_fiables)
    tableau = next(d.value for d in app.dataframe if "fiabilite" in d.value.columns)
    moins_de_20 = tableau[(tableau["nb_dpe"] > 0) & (tableau["nb_dpe"] < 20)]
    assert len(moins_de_20) and moins_de_20["part_passoires"].isna().all() and moins_de_20["part_efg"].isna().all()
    assert "peu_fiables" not in app.query_params


def test_bivariate_map_has_nine_named_cells_and_a_legend_with_counts(app_env):
    app = run_page(PAGE)
    carte = _carte_bivariee(app)
    par_cellule = {lib: len(codes) for lib, codes in codes_par_libelle(carte).items() if lib.startswith("Passoires :")}
    assert "Passoires : part élevée · pauvreté : élevée" in par_cellule
    # the 3 × 3 grid beside the map counts the territories of each cell (published and estimated)
    comptes = sorted(int(c["texte"].replace("\u00a0", "")) for ligne in carte["grille"]["lignes"] for c in ligne)
    assert sorted(par_cellule.values()) == [c for c in comptes if c]
    # the nine cells are named by the grid; the list under it keeps the greys only
    assert not [e for e in carte["legende"] if e["libelle"].startswith("Passoires :")]


def test_target_list_is_the_high_high_cell_in_rank_order(app_env):
    app = ouvrir_tableaux(run_page(PAGE))
    haut_haut = codes_par_libelle(_carte_bivariee(app))["Passoires : part élevée · pauvreté : élevée"]
    liste = next(d.value for d in app.dataframe if "rang" in d.value.columns)
    assert sorted(liste["code"]) == sorted(haut_haut)
    assert liste["rang"].tolist() == list(range(1, len(liste) + 1))
    assert f"{len(liste)}\u00a0communes cumulent" in app.subheader[1].value


def test_switching_to_epci_and_an_income_indicator_updates_the_view_and_the_url(app_env):
    app = run_page(PAGE)
    app.button_group(key="niveau").set_value("epci").run()
    app.selectbox(key="pauvrete").set_value("mediane_niveau_vie").run()
    assert not app.exception
    carte = _carte_bivariee(app)
    assert len(carte["codes"]) == 71
    assert app.query_params["niveau"] in ("epci", ["epci"])
    assert app.query_params["pauvrete"] in ("mediane_niveau_vie", ["mediane_niveau_vie"])
    # an income axis is reversed: the poorest tercile holds the lowest medians
    assert carte["grille"]["libelles_y"][-1].startswith("≤")  # the lowest incomes: the most need


def test_url_reopens_the_same_view(app_env):
    app = run_page(PAGE, {"niveau": "epci", "type_batiment": "maison", "pauvrete": "part_minima_sociaux"})
    assert app.button_group(key="niveau").value == "epci"
    assert app.button_group(key="type_batiment").value == "maison"
    assert app.selectbox(key="pauvrete").value == "part_minima_sociaux"


def _tables_with(app, column):
    return [t.value for t in app.dataframe if column in t.value.columns]


def test_targets_resting_on_an_atlas_estimate_are_counted_and_labelled(app_env):
    app = ouvrir_tableaux(run_page(PAGE))
    (cibles,) = _tables_with(app, "pauvrete_estimee")
    estimees = int((cibles["pauvrete_estimee"] == "estimation de l'atlas").sum())
    assert estimees > 0  # the secret commune rates of the region are estimated (etl/estimation.py)
    assert any(f"{estimees} de ces cibles reposent sur une estimation" in c.value for c in app.caption)
    hovers = [ligne[2] for ligne in _carte_bivariee(app)["survol"]]
    assert any("estimation de l’atlas, intervalle" in h for h in hovers)


def test_switching_estimates_off_leaves_insee_secret_communes_unclassified(app_env):
    app = ouvrir_tableaux(run_page(PAGE))
    avant = len(_tables_with(app, "pauvrete_estimee")[0])
    app.toggle(key="estimations").set_value(False).run()
    assert not app.exception
    (cibles,) = _tables_with(app, "pauvrete_estimee")
    assert (cibles["pauvrete_estimee"] == "publié").all() and len(cibles) < avant
    assert app.query_params["estimations"] in ("0", ["0"])


def test_the_crossing_map_goes_to_the_slideshow_with_its_3_by_3_legend(app_env):
    from plotly.io import from_json

    from atlas import diaporama

    app = run_page(PAGE)
    app.button(key="diaporama_carte_bivariee").click().run()
    assert not app.exception
    (vue,) = app.session_state[diaporama.CLE_SESSION]
    figure = from_json(vue.figure)
    # the image holds the map (its greys in the legend) and the grid of nine cells with their bounds
    assert any(t.type == "choroplethmap" and t.name.startswith("Passoires :") for t in figure.data)
    assert figure.layout.yaxis.ticktext and len(figure.layout.yaxis.ticktext) == 3


def test_presentation_mode_leaves_the_introduction_out_but_keeps_the_demonstration_label(app_env):
    # on a 1280 × 720 projector the title, the region's share and the whole first map fit on one screen
    from atlas.presentation import CLE

    normal = run_page(PAGE)
    projete = app_for(PAGE)
    projete.session_state[CLE] = True
    projete.run()
    assert not projete.exception
    assert any(m.value.startswith("Où les logements") for m in normal.markdown)
    assert not any(m.value.startswith("Où les logements") for m in projete.markdown)
    (avertissement,) = projete.warning
    assert "Données de démonstration" in avertissement.value and len(avertissement.value) < 100
