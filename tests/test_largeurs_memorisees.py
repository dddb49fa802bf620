"""Table widths: a table drawn again for another visitor is not measured again; a changed one is."""

from __future__ import annotations

import pandas as pd

from tests.apptest_helpers import compter_appels


def test_a_table_shown_again_keeps_its_widths_without_being_measured_again_and_a_changed_one_is_measured(
    monkeypatch,
):
    from atlas import largeurs_colonnes as module

    monkeypatch.setattr(module, "_MESUREES", type(module._MESUREES)())
    mesures = compter_appels(monkeypatch, module, "_mesurer")
    table = pd.DataFrame({"nom": ["Nantes", "Angers"], "population": [320_732, 157_175]})
    config = {"nom": "Commune", "population": {"label": "Population"}}

    premiere = module.largeurs_colonnes(table, config, True)
    premiere[0]["nom"] = 1  # a caller changing its copy changes nobody else's widths
    seconde = module.largeurs_colonnes(table.copy(), config, True)
    assert len(mesures) == 1
    assert seconde == module._mesurer(table, config, True, module.LARGEUR_TABLEAU)

    # a longer name, another header or a shown index: measured again, never the old widths
    longue = table.assign(nom=["Saint-Philbert-de-Grand-Lieu", "Angers"])
    assert module.largeurs_colonnes(longue, config, True)[0]["nom"] > seconde[0]["nom"]
    module.largeurs_colonnes(table, {**config, "nom": "Commune de la région"}, True)
    module.largeurs_colonnes(table, config, False)
    assert len(mesures) == 5  # three new tables, and the direct call above
