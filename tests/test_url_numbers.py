"""Numbers read from a page's address: any value (inf, 1e308, nan, negative, text) opens the page."""

import pytest

from tests.apptest_helpers import run_page

ETRANGES = ["inf", "-inf", "1e308", "-1e308", "nan", "-1", "abc", "99999999999999999999"]


@pytest.mark.parametrize("valeur", ETRANGES)
def test_zones_blanches_opens_with_any_chosen_value_in_the_address(app_env, valeur):
    app = run_page("pages/zones_blanches.py", {"seuil": "valeur", "valeur": valeur})
    choisie = app.number_input(key="zb_valeur").value
    assert choisie == choisie and abs(choisie) < 1e15  # a finite value, not NaN


@pytest.mark.parametrize("valeur", ETRANGES)
def test_zones_blanches_months_and_minutes_stay_in_their_range_whatever_the_address(app_env, valeur):
    app = run_page("pages/zones_blanches.py", {"mois": valeur, "minutes": valeur})
    assert 0 <= app.selectbox(key="zb_mois").value <= 36
    assert 5 <= app.selectbox(key="zb_minutes").value <= 60


def test_zones_blanches_clamps_a_month_count_beyond_the_list(app_env):
    app = run_page("pages/zones_blanches.py", {"mois": "50"})
    assert app.selectbox(key="zb_mois").value == 36


@pytest.mark.parametrize("valeur", ETRANGES)
def test_mobilite_opens_with_any_threshold_in_the_address(app_env, valeur):
    app = run_page("pages/mobilite.py", {"seuil": valeur})
    assert 5 <= app.button_group(key="seuil").value <= 40
