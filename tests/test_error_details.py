"""An exception on a page shows no traceback, type or server path in the browser."""

import tomllib

from commun.config import ROOT


def test_error_details_stay_in_the_server_log():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # « none »: a generic message in the browser; true / false / « stacktrace » show tracebacks
    assert config["client"]["showErrorDetails"] == "none"
