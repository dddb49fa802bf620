"""A figure made only for exports (the bivariate map with its legend) is built on click, and whole."""

from __future__ import annotations

import json

from tests.apptest_helpers import run_page


def test_the_bivariate_view_added_to_the_slides_carries_its_legend_grid(app_env):
    from atlas.diaporama import CLE_SESSION

    app = run_page("pages/precarite_energetique.py")
    app.button(key="diaporama_carte_bivariee").click().run()
    assert not app.exception
    (vue,) = app.session_state[CLE_SESSION]
    figure = json.loads(vue.figure)
    # the map and, beside it, the 3 × 3 legend squares with their counts
    assert any(t["type"] == "choroplethmap" for t in figure["data"])
    assert len([s for s in figure["layout"]["shapes"] if s["type"] == "rect"]) == 9
    assert vue.titre.startswith("Passoires énergétiques × pauvreté")
