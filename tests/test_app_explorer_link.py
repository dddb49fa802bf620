"""The explorer opened from a link: what a stale link replaced is said, the chosen territory outlined."""

from atlas.contours_carte import LIBELLE_SELECTION
from tests.apptest_helpers import cartes, run_page


def test_a_link_with_an_unknown_code_and_99_classes_says_what_it_replaced(app_env):
    app = run_page("pages/explorer.py", {"niveau": "commune", "classes": "99", "code": "99999"})
    lignes = [c.value for c in app.caption if c.value.startswith("Lien incomplet")]
    assert len(lignes) == 1
    assert "classes=99 remplacé par 7" in lignes[0] and "code=99999" in lignes[0]


def test_the_territory_of_the_link_is_outlined_on_the_map(app_env):
    app = run_page("pages/explorer.py", {"niveau": "commune", "code": "49007"})
    carte = cartes(app)[0]
    entrees = [e["libelle"] for e in carte["legende"] if e["libelle"].startswith(LIBELLE_SELECTION)]
    assert carte["selection"] == "49007" and entrees == [f"{LIBELLE_SELECTION} : Angers"]
    assert carte["styles"]["selection"]["epaisseur"] >= 3
    assert not [c for c in app.caption if c.value.startswith("Lien incomplet")]


def test_a_presenter_opening_a_stale_link_still_reads_what_it_replaced(app_env):
    # presentation mode hides the controls' container whole: the notice must not sit in it
    from atlas.presentation import CLE
    from tests.apptest_helpers import app_for

    app = app_for("pages/explorer.py", {"niveau": "commune", "classes": "99"})
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    dans_les_controles = [c.value for c in app.get("caption") if c.value.startswith("Lien incomplet")]
    controles = next(b for b in app.main.children.values() if getattr(b, "key", None) == "controles_explorer")
    assert len(dans_les_controles) == 1
    assert not [c for c in controles.get("caption") if c.value.startswith("Lien incomplet")]


def test_a_stale_link_to_a_change_between_two_millesimes_says_what_it_replaced(app_env):
    # the évolution mode fell back silently: « classes=99 », an unknown indicator and start were dropped unsaid
    query = {"mode": "evolution", "indicateur": "xxx", "niveau": "commune", "debut": "1990", "classes": "99"}
    app = run_page("pages/explorer.py", {**query, "code": "99999"})
    assert not app.exception, [e.value for e in app.exception]
    (ligne,) = [c.value for c in app.caption if c.value.startswith("Lien incomplet")]
    for remplace in (
        "indicateur=xxx remplacé par ",
        "debut=1990 remplacé par ",
        "classes=99 remplacé par 6",
        "code=99999",
    ):
        assert remplace in ligne


def test_a_link_the_change_map_wrote_itself_opens_without_a_notice(app_env):
    query = {"mode": "evolution", "indicateur": "part_allocataires_rsa", "niveau": "commune", "debut": "2017", "millesime": "2020", "classes": "4"}  # fmt: skip
    app = run_page("pages/explorer.py", {**query, "methode": "jenks", "code": "44184"})
    assert not app.exception, [e.value for e in app.exception]
    assert not [c for c in app.caption if c.value.startswith("Lien incomplet")]


def test_the_sentence_under_the_map_about_the_chosen_territory_starts_its_gaps_with_a_capital(app_env):
    # « 7e sur 71 EPCI (valeur décroissante). écart au département (2020) : +2,8 pts »
    app = run_page("pages/explorer.py", {"niveau": "epci", "code": "244900015"})
    (info,) = [i.value for i in app.info]
    assert ". Écart au département" in info and ". écart" not in info
