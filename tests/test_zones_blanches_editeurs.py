"""Zones blanches: the editors' block « Ajouter une couche de services » is built only once opened.

Closed, its help, its password field and its upload cost the page's visitors nothing; opened (the
session keeps it open across runs), it shows the same help and gate as before.
"""

from __future__ import annotations

from tests.apptest_helpers import run_page


def _bloc(app):
    (bloc,) = [e for e in app.expander if e.label == "Ajouter une couche de services (éditeurs)"]
    return bloc


def test_the_closed_editors_block_draws_nothing_inside(app_env):
    app = run_page("pages/zones_blanches.py")
    assert not _bloc(app).children
    assert not any("CSV avec les colonnes" in m.value for m in app.markdown)


def test_the_opened_editors_block_shows_its_help_and_its_gate_and_stays_open(app_env):
    app = run_page("pages/zones_blanches.py")
    app.session_state["zb_editeurs"] = True  # as the editor's click on its title does
    app.run()
    assert not app.exception
    textes = [m.value for m in _bloc(app).markdown] + [c.value for c in _bloc(app).caption]
    assert any("CSV avec les colonnes `nom`, `type`" in t for t in textes)
    assert any(t.startswith("Réservé aux éditeurs") for t in textes)
    app.selectbox(key="zb_minutes").set_value(15).run()  # another widget's run keeps it open
    assert any("CSV avec les colonnes" in m.value for m in _bloc(app).markdown)
