"""The README's set-up commands stay true: CI runs exactly the README's test command."""

import re

from commun.config import ROOT


def _commands(text: str) -> list[str]:
    return [
        line.strip()
        for line in re.findall(r"```(?:bash|sh)?\n(.*?)```", text, re.S)[0].splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_readme_starts_with_the_two_set_up_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme[: readme.index("##", 3)]
    commands = _commands(first)
    assert len(commands) == 2
    assert "streamlit run dashboard.py" in commands[0] and "requirements.txt" in commands[0]
    assert "pytest" in commands[1] and "requirements-dev.txt" in commands[1]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = _commands(readme[: readme.index("##", 3)])[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in [line.strip() for line in ci]


def test_every_bundled_raw_file_has_its_provenance():
    sources = (ROOT / "data" / "raw" / "SOURCES.md").read_text(encoding="utf-8")
    raw = ROOT / "data" / "raw"
    missing = [
        str(p.relative_to(raw))
        for p in raw.rglob("*")
        if p.is_file()
        and p.suffix not in (".md",)
        and not p.name.startswith("LICENSE")
        and str(p.relative_to(raw)) not in sources
    ]
    assert missing == []
