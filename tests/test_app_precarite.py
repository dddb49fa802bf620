"""Page « Précarité énergétique »: passoires map, bivariate map, target list, URL state."""

from tests.apptest_helpers import cartes, codes_par_libelle, plotly_figures, run_page

PAGE = "pages/precarite_energetique.py"


def _carte_bivariee(app):
    return next(f for f in plotly_figures(app) if any(str(t.get("name")).startswith("Passoires :") for t in f["data"]))


def _legende_bivariee(app):
    return next(f for f in plotly_figures(app) if f["layout"].get("annotations"))


def _noms_de_traces(figure):
    return [t.get("name") for t in figure["data"]]


def test_page_maps_every_commune_and_says_the_data_are_a_demonstration(app_env):
    app = run_page(PAGE)
    carte = cartes(app)[0]
    assert len(carte["codes"]) == 1228
    assert any("démonstration" in w.value.lower() for w in app.warning)
    assert "DÉMONSTRATION" in carte["titre"]


def test_shares_on_fewer_than_20_dpe_are_never_shown_only_their_count(app_env):
    # one rule everywhere (etl/dpe.py): no switch brings them back, a stale link asking for them neither
    app = run_page(PAGE, {"peu_fiables": "1"})
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
    carte, legende = _carte_bivariee(app), _legende_bivariee(app)
    noms = _noms_de_traces(carte)
    assert "Passoires : part élevée · pauvreté : élevée" in noms
    # a cell is drawn as its published part and its estimated part (outlined): count both
    par_cellule = {}
    for t in carte["data"]:
        if t["name"].startswith("Passoires :"):
            par_cellule[t["name"]] = par_cellule.get(t["name"], 0) + len(t["locations"])
    comptes = sorted(int(a["text"]) for a in legende["layout"]["annotations"])
    assert sorted(par_cellule.values()) == sorted(c for c in comptes if c)


def test_target_list_is_the_high_high_cell_in_rank_order(app_env):
    app = run_page(PAGE)
    carte = _carte_bivariee(app)
    # the cell's published and estimated (outlined) parts
    haut_haut = [
        code
        for t in carte["data"]
        if t["name"] == "Passoires : part élevée · pauvreté : élevée"
        for code in t["locations"]
    ]
    liste = next(d.value for d in app.dataframe if "rang" in d.value.columns)
    assert sorted(liste["code"]) == sorted(haut_haut)
    assert liste["rang"].tolist() == list(range(1, len(liste) + 1))
    assert f"{len(liste)}\u00a0communes cumulent" in app.subheader[1].value


def test_switching_to_epci_and_an_income_indicator_updates_the_view_and_the_url(app_env):
    app = run_page(PAGE)
    app.radio(key="niveau").set_value("epci").run()
    app.selectbox(key="pauvrete").set_value("mediane_niveau_vie").run()
    assert not app.exception
    carte = _carte_bivariee(app)
    assert len(sum((t["locations"] for t in carte["data"]), [])) == 71
    assert app.query_params["niveau"] in ("epci", ["epci"])
    assert app.query_params["pauvrete"] in ("mediane_niveau_vie", ["mediane_niveau_vie"])
    # an income axis is reversed: the poorest tercile holds the lowest medians
    legende = _legende_bivariee(app)
    assert legende["layout"]["yaxis"]["ticktext"][-1].startswith("jusqu'à")


def test_url_reopens_the_same_view(app_env):
    app = run_page(PAGE, {"niveau": "epci", "type_batiment": "maison", "pauvrete": "part_minima_sociaux"})
    assert app.radio(key="niveau").value == "epci"
    assert app.radio(key="type_batiment").value == "maison"
    assert app.selectbox(key="pauvrete").value == "part_minima_sociaux"


def _tables_with(app, column):
    return [t.value for t in app.dataframe if column in t.value.columns]


def test_targets_resting_on_an_atlas_estimate_are_counted_and_labelled(app_env):
    app = run_page(PAGE)
    (cibles,) = _tables_with(app, "pauvrete_estimee")
    estimees = int((cibles["pauvrete_estimee"] == "estimation de l'atlas").sum())
    assert estimees > 0  # the secret commune rates of the region are estimated (etl/estimation.py)
    assert any(f"{estimees} de ces cibles reposent sur une estimation" in c.value for c in app.caption)
    carte = _carte_bivariee(app)
    hovers = [row[2] for t in carte["data"] for row in t.get("customdata", [])]
    assert any("estimation de l’atlas, intervalle" in h for h in hovers)


def test_switching_estimates_off_leaves_insee_secret_communes_unclassified(app_env):
    app = run_page(PAGE)
    avant = len(_tables_with(app, "pauvrete_estimee")[0])
    app.toggle(key="estimations").set_value(False).run()
    assert not app.exception
    (cibles,) = _tables_with(app, "pauvrete_estimee")
    assert (cibles["pauvrete_estimee"] == "publié").all() and len(cibles) < avant
    assert app.query_params["estimations"] in ("0", ["0"])
