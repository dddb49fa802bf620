"""Mobilité and Précarité énergétique: their choices above the map are button groups, hidden on a projector."""

import pytest

from tests.apptest_helpers import run_page

MOBILITE = "pages/mobilite.py"
PRECARITE = "pages/precarite_energetique.py"


@pytest.mark.parametrize(
    ("page", "cles"),
    [(MOBILITE, {"seuil", "vue_mobilite"}), (PRECARITE, {"niveau", "type_batiment"})],
)
def test_the_choices_above_the_map_load_no_slider_or_radio_script(app_env, page, cles):
    # a slider loads moment.js and numbro, a radio button its own script and a style recomputation
    # per option: the same choices as button groups cost the first screen neither
    app = run_page(page)
    assert not app.slider and not app.radio
    assert {g.key for g in app.button_group} >= cles


@pytest.mark.parametrize(
    ("page", "conteneur", "cles"),
    [
        (MOBILITE, "controles_mobilite", {"seuil", "vue_mobilite"}),
        (PRECARITE, "controles_precarite", {"niveau", "type_batiment"}),
    ],
)
def test_presentation_mode_hides_the_choices_with_their_row(app_env, page, conteneur, cles):
    # atlas.presentation hides the containers keyed « controles_… » whole: a button group outside
    # one would stay on the projector's screen
    app = run_page(page)
    controles = next(b for b in app.main.children.values() if getattr(b, "key", None) == conteneur)
    assert {g.key for g in controles.get("button_group")} == cles


def test_a_new_threshold_chosen_with_the_buttons_updates_the_list_and_the_link(app_env):
    app = run_page(MOBILITE, {"seuil": "25"})
    assert app.button_group(key="seuil").value == 25
    app.button_group(key="seuil").set_value(35).run()
    assert not app.exception
    assert app.query_params["seuil"] in ("35", ["35"])
    assert "35 minutes ou plus" in app.subheader[1].value
