"""A count or a population has no « sens »: coloured without a direction, never called unfavourable."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.classification import BLUES, YLORRD, classer
from tests.apptest_helpers import run_page

#: Units of counts in the catalogue (a per-100 rate or a share is not a count).
UNITES_EFFECTIFS = {"ménages", "personnes", "foyers", "droits", "DPE"}


@pytest.fixture
def db(built_con):
    return built_con


def test_every_count_of_people_or_households_has_no_sens(db):
    rows = db.execute("select code, unite, sens from indicateurs").fetchall()
    counts = [(code, sens) for code, unite, sens in rows if unite in UNITES_EFFECTIFS]
    assert {"foyers_allocataires", "allocataires_rsa", "nb_menages_fiscaux", "nr_potentiel_rsa"} <= {
        c for c, _ in counts
    }
    assert [c for c, sens in counts if sens is not None] == []
    # the per-100-households estimate is a rate: higher is worse
    assert dict((code, sens) for code, _, sens in rows)["taux_nr_potentiel_rsa"] == "+"


def test_a_count_is_classified_in_neutral_blues_darker_for_more():
    values = pd.Series([10.0, 200.0, 3000.0, 40.0, 500.0, 6000.0])
    count = classer(values, "quantiles", 3, "foyers", sens=None)
    assert count.couleurs == BLUES[3]
    assert not set(count.couleurs) & {c for palette in YLORRD.values() for c in palette}
    assert count.classe[5] == count.libelles[-1]  # the largest count in the darkest class


def test_explorer_caption_of_a_count_says_nothing_of_favourable_or_unfavourable(app_env):
    app = run_page("pages/explorer.py", {"indicateur": "foyers_allocataires", "niveau": "commune"})
    assert app.selectbox(key="indicateur").value == "foyers_allocataires"
    caption = " ".join(c.value for c in app.caption)
    assert "favorable" not in caption and "défavorable" not in caption
    assert "Effectif" in caption


def test_explorer_caption_of_a_rate_still_states_its_direction(app_env):
    app = run_page("pages/explorer.py", {"indicateur": "taux_pauvrete", "niveau": "commune"})
    caption = " ".join(c.value for c in app.caption)
    assert "Plus la valeur est élevée, plus la situation est défavorable." in caption
