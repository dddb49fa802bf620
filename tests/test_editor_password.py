"""Editor password: guessing is slowed down, per session and across sessions (issue 19, item 11)."""

import pytest

from atlas import imports
from tests.apptest_helpers import run_page

MOT_DE_PASSE = "s3cret-éditeur"


class Horloge:
    """A clock the test moves forward by hand."""

    def __init__(self):
        self.maintenant = 1000.0

    def __call__(self) -> float:
        return self.maintenant


@pytest.fixture
def horloge(monkeypatch):
    # the server's failure counter starts empty and the test's failures do not outlive it
    monkeypatch.setattr(imports, "_global", {"echecs": 0, "jusqu_a": 0.0})
    clock = Horloge()
    monkeypatch.setattr(imports, "horloge", clock)
    return clock


def test_after_five_wrong_passwords_even_the_right_one_is_refused_until_the_delay_passes(horloge):
    session = {}
    for _ in range(imports.ECHECS_AVANT_BLOCAGE):
        assert imports.connexion_editeur("mauvais", MOT_DE_PASSE, session)[0] is False
    connecte, message = imports.connexion_editeur(MOT_DE_PASSE, MOT_DE_PASSE, session)
    assert not connecte
    assert "réessayez dans 60 s" in message
    horloge.maintenant += imports.BLOCAGE_S + 1
    assert imports.connexion_editeur(MOT_DE_PASSE, MOT_DE_PASSE, session) == (True, None)


def test_each_further_failure_doubles_the_lockout_up_to_fifteen_minutes(horloge):
    session = {}
    durees = []
    for _ in range(imports.ECHECS_AVANT_BLOCAGE + 6):
        imports.connexion_editeur("mauvais", MOT_DE_PASSE, session)
        durees.append(session[imports.CLE_SESSION]["jusqu_a"] - horloge.maintenant)
        horloge.maintenant = max(horloge.maintenant, session[imports.CLE_SESSION]["jusqu_a"])
    assert durees[imports.ECHECS_AVANT_BLOCAGE - 1 :] == [60, 120, 240, 480, 900, 900, 900]


def test_a_new_session_does_not_escape_the_servers_counter(horloge):
    for _ in range(imports.ECHECS_GLOBAUX_AVANT_BLOCAGE):
        imports.connexion_editeur("mauvais", MOT_DE_PASSE, {})  # a fresh session every time
    connecte, message = imports.connexion_editeur(MOT_DE_PASSE, MOT_DE_PASSE, {})
    assert not connecte and "réessayez dans" in message


def test_the_password_is_still_compared_in_constant_time(horloge, monkeypatch):
    calls = []
    real = imports.hmac.compare_digest
    monkeypatch.setattr(imports.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert imports.connexion_editeur(MOT_DE_PASSE, MOT_DE_PASSE, {})[0]
    assert calls == [1]


def _essai(app, mot_de_passe):
    app.text_input(key="mot_de_passe").input(mot_de_passe)
    next(b for b in app.button if b.label == "Se connecter").click().run()
    assert not app.exception


def test_the_import_page_refuses_the_right_password_during_a_lockout(app_env, monkeypatch, horloge):
    monkeypatch.setenv("ATLAS_MOT_DE_PASSE_EDITEUR", MOT_DE_PASSE)
    app = run_page("pages/importer_visites.py")
    for _ in range(imports.ECHECS_AVANT_BLOCAGE):
        _essai(app, "mauvais")
    _essai(app, MOT_DE_PASSE)
    assert any("Trop d'essais de mot de passe incorrects : réessayez dans 60 s" in e.value for e in app.error)
    assert len(app.get("file_uploader")) == 0
    horloge.maintenant += imports.BLOCAGE_S + 1
    _essai(app, MOT_DE_PASSE)
    assert len(app.get("file_uploader")) == 1
