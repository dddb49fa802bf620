"""What the Explorer's first screen draws: no data grid until its table is opened, no code block for the link."""

import pytest

from tests.apptest_helpers import ouvrir_tableaux, run_page


@pytest.mark.parametrize("query", [None, {"mode": "evolution"}], ids=["niveau", "evolution"])
def test_the_explorer_opens_without_a_data_grid_and_builds_its_table_when_opened(app_env, query):
    app = run_page("pages/explorer.py", query)
    assert not app.dataframe, "a data grid on the Explorer's first screen"
    assert [e for e in app.expander if e.label.startswith("Tableau des territoires")]
    # the CSV download needs no grid: it sits outside the block
    assert [b for b in app.get("download_button") if b.proto.label == "Télécharger (CSV)"]
    ouvrir_tableaux(app)
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) == 71


def test_the_link_of_the_view_is_one_html_block_with_a_copy_button_not_a_code_block(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from atlas import ui

    lien = "http://atlas.example/explorer?indicateur=taux_pauvrete&niveau=epci&x=<b>"
    monkeypatch.setattr(ui, "lien_de_la_vue", lambda: lien)

    def page():
        from atlas import ui

        ui.copier_le_lien()

    app = AppTest.from_function(page).run()
    assert not app.exception
    assert not app.get("code"), "st.code loads Streamlit's syntax highlighter on every page"
    (bloc,) = [h.proto.body for h in app.get("html")]
    assert "Copier le lien de cette vue" in bloc and 'class="atlas-copier"' in bloc
    assert "explorer?indicateur=taux_pauvrete&amp;niveau=epci&amp;x=&lt;b&gt;" in bloc


def test_the_indicators_definition_and_its_counts_are_one_block(app_env):
    app = run_page("pages/explorer.py")
    avec_comptes = [c.value for c in app.caption if "avec une valeur publiée" in c.value]
    assert len(avec_comptes) == 1 and "Source :" in avec_comptes[0], "the counts apart from the definition"
    assert not [m for m in app.markdown if "avec une valeur publiée" in m.value]


@pytest.mark.parametrize("query", [None, {"mode": "evolution"}], ids=["niveau", "evolution"])
def test_the_number_of_classes_is_a_row_of_buttons_not_a_slider_that_loads_its_own_scripts(app_env, query):
    app = run_page("pages/explorer.py", query)
    # a slider loads moment.js and numbro (about 130 kB of script) for five values
    assert not app.slider
    choix = app.button_group(key="classes" if query is None else "classes_evolution")
    assert list(choix.options) == (
        ["3", "4", "5", "6", "7"] if query is None else ["4 (2 de chaque côté de 0)", "6 (3 de chaque côté de 0)"]
    )


def test_the_territory_list_waits_in_a_popover_and_still_selects_by_the_link(app_env):
    app = run_page("pages/explorer.py", {"niveau": "commune", "code": "49007"})
    (popover,) = [n for n in app.main if n.type == "popover"]
    # 1 228 communes: the browser builds the list once the popover is opened
    assert popover.proto.popover.label == "Choisir un territoire dans la liste"
    assert [w.key for w in popover if getattr(w, "type", "") == "selectbox"] == ["territoire"]
    assert app.selectbox(key="territoire").value == "49007" and "Angers" in app.info[0].value


def _hors_popover(app, type_: str) -> list:
    """The keys of the page's widgets of one type, those in a popover (built once opened) left out."""
    dans = {w.key for n in app.main if n.type == "popover" for w in n if getattr(w, "type", "") == type_}
    return [w.key for w in app.get(type_) if w.key not in dans]


@pytest.mark.parametrize("query", [None, {"mode": "evolution"}], ids=["niveau", "evolution"])
def test_only_the_theme_and_the_indicator_are_drop_down_lists_on_the_page(app_env, query):
    # each drop-down list is a large element for the browser to build, and radio buttons make it
    # recompute the page's styles: the short choices are button groups, the territory list in a popover
    app = run_page("pages/explorer.py", query)
    assert _hors_popover(app, "selectbox") == ["theme", "indicateur"]
    assert not app.main.get("radio")
    groupes = ["mode", "niveau", "millesime", "methode", "classes"]
    if query:
        groupes = ["mode", "niveau", "debut", "millesime", "methode", "classes_evolution"]
    assert sorted(g.key for g in app.main.get("button_group")) == sorted(groupes)
