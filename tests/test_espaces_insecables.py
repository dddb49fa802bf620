"""French punctuation never starts a line: the space before « ; : ! ? » % » is a no-break one."""

from __future__ import annotations

from atlas.formatting import espaces_insecables
from tests.apptest_helpers import run_page


def test_the_space_before_a_french_punctuation_mark_does_not_break():
    assert espaces_insecables("ci-dessous ; un fichier : « oui » à 12 % ?") == (
        "ci-dessous\u00a0; un fichier\u00a0: «\u00a0oui\u00a0» à 12\u00a0%\u00a0?"
    )


def test_icons_urls_and_code_keep_their_colons():
    texte = ":material/info: voir http://exemple.fr/a;b et `a:b`"
    assert espaces_insecables(texte) == texte


def test_the_import_page_never_starts_a_line_with_a_semicolon(app_env, monkeypatch):
    # « Le format est décrit ci-dessous / ; un fichier… » at 1400 px
    monkeypatch.delenv("ATLAS_MOT_DE_PASSE_EDITEUR", raising=False)
    app = run_page("pages/importer_visites.py")
    textes = [m.value for m in app.markdown] + [i.value for i in app.info]
    assert not [t for t in textes if " ;" in t or " :" in t.replace("`", "")]
