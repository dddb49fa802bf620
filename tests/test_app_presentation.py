"""« Mode présentation »: opened from the URL or the sidebar, kept in the URL, left with one button.

The mode is set up by the entry point (``dashboard.py``) for every page. AppTest's ``switch_page``
runs a page without the entry point's own code, so these tests drive the home page; the browser
suite checks a page in a real server (tests/test_browser_pages.py).
"""

from atlas.presentation import CLE
from tests.apptest_helpers import app_for, run_page


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


def test_a_chart_on_a_projector_has_larger_texts_and_the_shared_figure_stays_as_it_was(monkeypatch):
    # Non-recours' funnel had 12 px texts in presentation mode; its figure is shared by every session
    import plotly.graph_objects as go

    from atlas import presentation

    fig = go.Figure(
        go.Funnel(y=["Contacts", "Bilans"], x=[10, 5], text=["10", "5"]),
        layout={"font": {"size": 12}, "legend": {"font": {"size": 11}}, "yaxis": {"tickfont": {"size": 11}}},
    )
    monkeypatch.setattr(presentation, "actif", lambda: False)
    assert presentation.agrandir(fig) is fig
    monkeypatch.setattr(presentation, "actif", lambda: True)
    grande = presentation.agrandir(fig, hauteur=420)
    assert grande.layout.yaxis.tickfont.size >= 16 and grande.layout.legend.font.size >= 16
    assert grande.data[0].textfont.size >= 16 and grande.layout.height == 420
    assert fig.layout.yaxis.tickfont.size == 11 and fig.data[0].textfont.size is None


def test_the_explorer_on_a_projector_does_not_ask_to_use_the_controls_it_hides(app_env):
    app = app_for("pages/explorer.py")
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    texte = " ".join(m.value for m in app.markdown)
    assert "Où est la pauvreté" in texte and "Choisissez un indicateur" not in texte
    # outside presentation mode the invitation stays
    normal = run_page("pages/explorer.py")
    assert "Choisissez un indicateur et un échelon." in " ".join(m.value for m in normal.markdown)
