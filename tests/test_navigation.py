"""The menu lists every page, and a listed page whose file is missing stops the app with its name."""

from pathlib import Path

import pytest

from atlas import navigation
from commun.config import ROOT


def test_every_page_file_is_in_the_menu_and_every_menu_entry_has_a_file():
    listed = {p.fichier for pages in navigation.pages_existantes().values() for p in pages}
    files = {f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py")}
    assert listed == files


def test_a_listed_page_without_its_file_is_named_not_dropped(monkeypatch):
    sections = {
        "Pauvreté et territoires": [
            navigation.PageInfo("pages/explorer.py", "Explorer les indicateurs", ":material/map:"),
            navigation.PageInfo("pages/page_disparue.py", "Page disparue", ":material/map:"),
        ]
    }
    monkeypatch.setattr(navigation, "SECTIONS", sections)
    with pytest.raises(navigation.PageManquante, match=r"sans fichier : pages/page_disparue\.py") as error:
        navigation.pages_existantes()
    assert Path("pages/explorer.py").as_posix() not in str(error.value)


def test_the_link_to_a_territory_profile_is_never_hidden_without_a_word(monkeypatch, tmp_path):
    # a page file missing is the navigation's loud error, not a link that silently disappears
    from atlas import selection

    liens = []
    monkeypatch.setattr("commun.config.ROOT", tmp_path)
    monkeypatch.setattr(selection, "lien_page", lambda fichier, libelle, *args: liens.append((fichier, libelle)))
    selection.lien_fiche("commune", "44049", "Le Croisic")
    assert liens == [("pages/fiche_territoire.py", "Ouvrir la fiche de Le Croisic")]
