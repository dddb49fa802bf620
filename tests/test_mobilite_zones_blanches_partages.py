"""Mobilité and Zones blanches: a view is computed once per database and shared by every visitor.

A committee opening these pages together must not make the server classify the 1 228 communes,
write their hover texts and assemble the map twenty times: the second session reads what the first
computed, and another threshold or other rules get their own view.
"""

from __future__ import annotations

from tests.apptest_helpers import cartes, compter_appels, run_page


def test_a_second_visitor_of_mobilite_gets_the_first_ones_map_and_tables_another_threshold_its_own(
    app_env, monkeypatch
):
    from atlas import mobilite, mobilite_vues
    from atlas.composants import carte

    for cache in (mobilite_vues.vue_seuil, mobilite_vues.vue_carte, mobilite_vues._donnees_carte):
        cache.clear()
    classements = compter_appels(monkeypatch, mobilite, "categoriser")
    textes = compter_appels(monkeypatch, mobilite, "textes_croisement")
    assemblages = compter_appels(monkeypatch, carte, "donnees_categories")
    premiere = run_page("pages/mobilite.py")
    assert (len(classements), len(textes), len(assemblages)) == (1, 1, 1)
    seconde = run_page("pages/mobilite.py")  # another session, same default threshold
    assert (len(classements), len(textes), len(assemblages)) == (1, 1, 1)
    assert cartes(premiere) == cartes(seconde)
    for a, b in zip(premiere.dataframe, seconde.dataframe, strict=True):
        assert a.value.equals(b.value)
    # another threshold is classified afresh: its map is not the default one's
    autre = run_page("pages/mobilite.py", {"seuil": "35"})
    assert (len(classements), len(textes), len(assemblages)) == (2, 2, 2)
    assert cartes(autre) != cartes(premiere)


def test_a_second_visitor_of_zones_blanches_gets_the_first_ones_map_and_list_other_rules_their_own(
    app_env, monkeypatch
):
    from atlas import zones_blanches_partage, zones_blanches_vues
    from atlas.composants import carte

    for cache in (
        zones_blanches_partage.vue_regles,
        zones_blanches_partage._donnees_carte,
        zones_blanches_partage.couches_sites,
    ):
        cache.clear()
    textes = compter_appels(monkeypatch, zones_blanches_vues, "textes_survol")
    listes = compter_appels(monkeypatch, zones_blanches_vues, "liste")
    assemblages = compter_appels(monkeypatch, carte, "donnees_categories")
    premiere = run_page("pages/zones_blanches.py")
    assert (len(textes), len(listes), len(assemblages)) == (1, 1, 1)
    seconde = run_page("pages/zones_blanches.py")  # another session, same default rules
    assert (len(textes), len(listes), len(assemblages)) == (1, 1, 1)
    assert cartes(premiere) == cartes(seconde)
    for a, b in zip(premiere.dataframe, seconde.dataframe, strict=True):
        assert a.value.equals(b.value)
    # other rules are classified afresh: their map and count are their own
    autre = run_page("pages/zones_blanches.py", {"mois": "0", "minutes": "5"})
    assert (len(textes), len(listes), len(assemblages)) == (2, 2, 2)
    assert cartes(autre) != cartes(premiere)
    assert autre.subheader[0].value != premiere.subheader[0].value
