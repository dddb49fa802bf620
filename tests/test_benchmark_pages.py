"""``python -m benchmarks.pages --pages …`` measures the pages named by their URL paths."""

import pytest

from benchmarks.pages import pages_choisies


def test_the_home_page_is_measured_alone_when_named_accueil():
    assert pages_choisies(["accueil"]) == [("Accueil", "")]


def test_pages_are_named_by_their_url_paths_and_every_page_is_measured_without_a_name():
    assert [nom for nom, _ in pages_choisies(["explorer", "mobilite"])] == ["Explorer", "Mobilité"]
    assert len(pages_choisies(None)) == 7


def test_an_unknown_page_is_refused_with_the_paths_there_are():
    with pytest.raises(ValueError, match="chemins : accueil, explorer"):
        pages_choisies(["carte"])
