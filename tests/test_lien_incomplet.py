"""A stale or hostile link to Zones blanches, Mobilité, Fiche territoire or Précarité énergétique says, in one
line, what the page replaced.

The pages fell back to their defaults silently: a committee member opening an old link saw other
rules than the ones shared with them, and nothing said so.
"""

from __future__ import annotations

from atlas.url import remplacements
from tests.apptest_helpers import run_page


def _avertissements(app) -> list[str]:
    return [w.value for w in app.warning if w.value.startswith("Lien incomplet")]


def test_zones_blanches_names_each_parameter_it_replaced(app_env):
    app = run_page("pages/zones_blanches.py", {"indicateur": "inconnu", "mois": "99", "minutes": "20"})
    (message,) = _avertissements(app)
    assert message.startswith("Lien incomplet : indicateur=inconnu remplacé par ")
    assert "mois=99 remplacé par 36" in message
    assert "minutes" not in message  # a valid parameter is kept, and not named


def test_mobilite_names_a_threshold_out_of_range(app_env):
    app = run_page("pages/mobilite.py", {"seuil": "99"})
    assert _avertissements(app) == ["Lien incomplet : seuil=99 remplacé par 40."]


def test_a_link_the_pages_wrote_themselves_opens_without_a_notice(app_env):
    assert _avertissements(run_page("pages/mobilite.py", {"seuil": "25"})) == []
    assert _avertissements(run_page("pages/zones_blanches.py", {"mois": "6", "minutes": "15.0"})) == []


def test_numbers_are_compared_as_numbers():
    assert remplacements({"mois": "12.0", "seuil": "abc"}, {"mois": "12", "seuil": "20"}) == [
        "seuil=abc remplacé par 20"
    ]


def test_fiche_names_an_unknown_territory_and_a_territory_to_compare_of_another_level(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "99999"})
    assert _avertissements(app) == ["Lien incomplet : code=99999 remplacé par 49007."]
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "44109", "comparer": "200067981"})
    (message,) = _avertissements(app)
    assert message.startswith("Lien incomplet : comparer=200067981 remplacé par ")
    assert _avertissements(run_page("pages/fiche_territoire.py", {"niveau": "pays", "code": "44109"})) == [
        "Lien incomplet : niveau=pays remplacé par commune ; code=44109 remplacé par 49007."
    ]


def test_precarite_names_an_unknown_poverty_indicator_and_an_unpublished_millesime(app_env):
    app = run_page("pages/precarite_energetique.py", {"pauvrete": "inconnu", "millesime": "1990", "estimations": "0"})
    (message,) = _avertissements(app)
    assert message.startswith(
        "Lien incomplet : pauvrete=inconnu remplacé par taux_pauvrete ; millesime=1990 remplacé par "
    )
    assert "estimations" not in message  # a valid parameter is kept, and not named
    assert _avertissements(run_page("pages/precarite_energetique.py", {"type_batiment": "ma"})) == [
        "Lien incomplet : type_batiment=ma remplacé par ensemble."
    ]


def test_fiche_and_precarite_open_their_own_links_without_a_notice(app_env):
    assert _avertissements(run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": "244400404"})) == []
    app = run_page("pages/precarite_energetique.py", {"niveau": "epci", "type_batiment": "appartement"})
    assert _avertissements(app) == []
