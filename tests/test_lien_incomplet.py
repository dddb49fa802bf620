"""A stale or hostile link to Zones blanches or Mobilité says, in one line, what the page replaced.

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
