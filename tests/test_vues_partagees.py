"""Non-recours and Précarité énergétique: what a view shows is computed once per database, for every visitor.

A committee opening the same page together must not make the server recompute the secret rule,
the classes and the charts once per person: the second session reads what the first computed.
"""

from __future__ import annotations

from tests.apptest_helpers import compter_appels, ouvrir_tableaux, run_page


def test_a_second_visitor_of_non_recours_gets_the_first_ones_tables_and_charts(app_env, monkeypatch):
    from atlas import non_recours_secret, non_recours_vues

    for bloc in (non_recours_vues.entonnoir, non_recours_vues.territoires, non_recours_vues.detail):
        bloc.clear()
    tableaux = compter_appels(monkeypatch, non_recours_secret, "tableau_protege")
    droits = compter_appels(monkeypatch, non_recours_secret, "droits_protege")
    run_page("pages/non_recours.py")
    assert len(tableaux) == 1 and len(droits) == 1
    run_page("pages/non_recours.py")  # another session, same view
    assert len(tableaux) == 1 and len(droits) == 1


def test_a_second_visitor_of_precarite_gets_the_first_ones_crossing(app_env, monkeypatch):
    from atlas import precarite_vues

    for bloc in (precarite_vues.passoires, precarite_vues.croisement):
        bloc.clear()
    croisements = compter_appels(monkeypatch, precarite_vues, "croiser")
    premiere = run_page("pages/precarite_energetique.py")
    assert len(croisements) == 1
    seconde = run_page("pages/precarite_energetique.py")
    assert len(croisements) == 1
    # the same target list on both screens
    cibles = [
        next(d.value for d in ouvrir_tableaux(app).dataframe if "rang" in d.value.columns)
        for app in (premiere, seconde)
    ]
    assert cibles[0].equals(cibles[1])
