"""« Mode présentation »: opened from the URL or the sidebar, kept in the URL, left with one button.

The mode is set up by the entry point (``dashboard.py``) for every page. AppTest's ``switch_page``
runs a page without the entry point's own code, so these tests drive the home page; the browser
suite checks a page in a real server (tests/test_browser_pages.py).
"""

from atlas.presentation import CLE
from tests.apptest_helpers import run_page


def _styles(app):
    return [m.value for m in app.markdown if "mode présentation" in m.value]


def test_presentation_parameter_in_the_url_switches_the_mode_on(app_env):
    app = run_page("dashboard.py", {"presentation": "1"})
    assert app.session_state[CLE] is True
    assert _styles(app), "the presentation stylesheet is injected"
    assert 'section[data-testid="stSidebar"]' in _styles(app)[0]
    assert app.query_params["presentation"] in ("1", ["1"])


def test_quit_button_leaves_the_mode_and_cleans_the_url(app_env):
    app = run_page("dashboard.py", {"presentation": "1"})
    next(b for b in app.button if b.label == "Quitter le mode présentation").click().run()
    assert not app.exception
    assert app.session_state[CLE] is False
    assert not _styles(app)
    assert "presentation" not in app.query_params


def test_sidebar_switch_turns_the_mode_on(app_env):
    app = run_page("dashboard.py")
    assert not _styles(app)
    app.sidebar.toggle(key=CLE).set_value(True).run()
    assert not app.exception
    assert _styles(app)
    assert app.query_params["presentation"] in ("1", ["1"])
