"""Fiche territoire: light for the browser, its tables plain HTML and its folded blocks built once opened."""

from atlas.ui import cle_tableau
from tests.apptest_helpers import run_page, tableaux_html

PAGE = "pages/fiche_territoire.py"


def _indicateurs(app) -> set[str]:
    return {i for t in tableaux_html(app) for i in t.get("Indicateur", [])}


def test_the_fiche_draws_its_tables_in_html_with_figures_right_aligned_and_no_grid_or_markdown_table(app_env):
    app = run_page(PAGE, {"niveau": "commune", "code": "44109"})
    app.session_state[cle_tableau("Revenus et pauvreté", "fiche_volet")] = True  # the reader opens the block
    app.run()
    # a st.table renders every cell as Markdown, a st.dataframe loads a data grid: neither here
    assert list(app.table) == [] and list(app.dataframe) == []
    profil = next(t for t in tableaux_html(app) if "Indicateur" in t.columns)
    ligne = profil.set_index("Indicateur").loc["Taux de pauvreté (seuil à 60 %)"]
    assert ligne["Valeur"].endswith("\u00a0%") and ligne["Rang"].count("/") == 1
    (bloc,) = [
        h.proto.body
        for h in app.get("html")
        if "<table" in h.proto.body and "Taux de pauvreté (seuil à " in h.proto.body
    ]
    # every column but the indicator's is of figures: right-aligned, units under units
    assert bloc.count("<th scope='col' class='nombre'>") == len(profil.columns) - 1
    assert "Source : n° " in bloc and "(liste en fin de page)" in bloc  # its source, under the table
    (proches,) = [t for t in tableaux_html(app) if "Distance" in t.columns]
    assert list(proches["Rang"]) == ["1", "2", "3", "4", "5"]


def test_a_folded_theme_is_built_once_the_reader_opens_it(app_env):
    app = run_page(PAGE, {"niveau": "commune", "code": "44109"})
    titres = [e.label for e in app.expander]
    logement = next(t for t in titres if t.startswith("Logement et précarité énergétique"))
    # every theme folded on arrival (the key figures above give the main values): none built yet
    assert _indicateurs(app) == set()
    # the reader opens it (the expander keeps its state under its key, as a click does)
    app.session_state[cle_tableau(logement.split(" (")[0], "fiche_volet")] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Part des DPE classés E, F ou G (démonstration)" in _indicateurs(app)
    assert [e.label for e in app.expander] == titres  # every theme still listed, in the same order


def test_the_long_territory_lists_wait_in_popovers_that_name_their_choice(app_env):
    app = run_page(PAGE, {"niveau": "commune", "code": "49007"})
    popovers = [n for n in app.main if n.type == "popover"]
    # the browser builds a popover's content once opened: a list of 1 305 territories on the page
    # was rebuilt at each element drawn after it
    dans = {w.key for p in popovers for w in p if getattr(w, "type", "") == "selectbox"}
    assert {"fiche_territoire", "fiche_comparer"} <= dans
    assert [p.proto.popover.label for p in popovers] == ["Changer de territoire", "Comparer avec : Le Mans (72181)"]


def test_the_numbered_sources_are_one_html_list_not_markdown(app_env):
    # the browser's Markdown renderer was the second largest share of the page's script, after React
    app = run_page(PAGE, {"niveau": "commune", "code": "49007"})
    assert not [m for m in app.markdown if "Sources des indicateurs" in m.value]
    (bloc,) = [h.proto.body for h in app.get("html") if "Sources des indicateurs" in h.proto.body]
    assert bloc.count("<li value=") >= 5 and '<li value="1">' in bloc
    assert "Fichier localisé social et fiscal (Filosofi)" in bloc
    assert " »" not in bloc and " :" not in bloc, "a line of the list starting with « » » or « : »"
