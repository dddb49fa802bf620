"""Explorer page state in the URL, and the French texts of hover and table."""

import pandas as pd

from atlas.explorer import EtatExplorer, ecart, lire_etat, ordinal

CATALOGUE = pd.DataFrame({"code": ["taux_pauvrete", "mediane_niveau_vie"]})
NIVEAUX = {"taux_pauvrete": ["commune"], "mediane_niveau_vie": ["commune", "epci"]}
MILLESIMES = {
    ("taux_pauvrete", "commune"): ["2021"],
    ("mediane_niveau_vie", "commune"): ["2021", "2019"],
    ("mediane_niveau_vie", "epci"): ["2019"],
}


def _lire(params):
    return lire_etat(params, CATALOGUE, NIVEAUX.__getitem__, lambda c, n: MILLESIMES[(c, n)])


def test_url_state_round_trips():
    etat = EtatExplorer("mediane_niveau_vie", "epci", "2019", "jenks", 4, "200071546", True)
    assert _lire(etat.vers_params()) == etat


def test_invalid_url_values_fall_back_to_defaults():
    etat = _lire({"indicateur": "inconnu", "niveau": "iris", "millesime": "1999", "methode": "x", "classes": "douze"})
    assert etat == EtatExplorer("taux_pauvrete", "commune", "2021", "quantiles", 5, None)


def test_class_count_is_bounded_to_3_to_7():
    assert _lire({"classes": "12"}).classes == 7
    assert _lire({"classes": "1"}).classes == 3


def test_gaps_are_in_points_for_rates_and_in_units_otherwise():
    assert ecart(21.0, 14.5, "%") == "+6,5\u00a0pts"
    assert ecart(19000, 21450, "€") == "−2\u00a0450\u00a0€"
    assert ecart(None, 3.0, "%") is None


def test_french_ordinals():
    assert [ordinal(n) for n in (1, 2, 11)] == ["1er", "2e", "11e"]


def test_a_stale_link_says_in_one_line_what_it_replaced():
    # « classes=99 » or an unknown indicator used to fall back silently to a default view
    from atlas.explorer import message_lien_incomplet

    etat = _lire({"indicateur": "inconnu", "classes": "99", "niveau": "commune"})
    assert etat.remplacements == ("indicateur=inconnu remplacé par taux_pauvrete", "classes=99 remplacé par 7")
    message = message_lien_incomplet(etat.remplacements)
    assert message.startswith("Lien incomplet : ") and "\n" not in message
    assert _lire({"indicateur": "taux_pauvrete", "classes": "4"}).remplacements == ()
    assert "remplacements" not in etat.vers_params()
