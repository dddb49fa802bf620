"""Mobilité and Précarité énergétique: headings without Streamlit's English anchor link."""

import pytest

from tests.apptest_helpers import run_page


@pytest.mark.parametrize("page", ["pages/mobilite.py", "pages/precarite_energetique.py"])
def test_no_heading_offers_the_english_link_to_heading(app_env, page):
    # the anchor's icon reads « Link to heading » to a screen reader, and drawing it makes the
    # browser recompute the page's styles once per heading on the first screen
    app = run_page(page)
    titres = [*app.title, *app.header, *app.subheader]
    assert len(titres) >= 3
    assert [t.value for t in titres if not t.proto.hide_anchor] == []
