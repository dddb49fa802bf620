"""Helpers for Streamlit AppTest: run a page file and read its plotly figures."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from atlas.config import ROOT


def run_page(fichier: str, timeout: float = 60) -> AppTest:
    """Run a page (path relative to the project root) and fail on any exception it shows."""
    app = AppTest.from_file(str(ROOT / fichier), default_timeout=timeout)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def plotly_figures(app: AppTest) -> list[dict]:
    """The plotly figures rendered by the page, as dicts (data + layout)."""
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]
