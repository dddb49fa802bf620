"""Fiche territoire: its key figures come first, under the territory's name, and a long list of quartiers folds."""

from atlas.fiche_chiffres import encadre_commune_html
from tests.apptest_helpers import run_page

PAGE = "pages/fiche_territoire.py"


def _blocs_html(app) -> list[str]:
    return [h.proto.body for h in app.get("html")]


def test_the_fiche_opens_on_the_poverty_rate_with_its_rank_and_references_before_the_map(app_env):
    app = run_page(PAGE)
    (chiffres,) = [b for b in _blocs_html(app) if "aria-label='Chiffres clés'" in b]
    # Angers: the profile's figures, written the same way, without opening any block
    assert "Taux de pauvreté, 2021" in chiffres and "21,0\u00a0%" in chiffres
    assert "rang 5\u00a0/\u00a0295 communes" in chiffres
    assert "Maine-et-Loire 11,1\u00a0% (2020)" in chiffres and "région 10,5\u00a0% (2020)" in chiffres
    assert "Niveau de vie médian, 2021" in chiffres and "21\u00a0450\u00a0€" in chiffres
    # drawn before the locator map and the comparable territories, not in a folded block
    ordre = [
        "chiffres" if n.type == "html" and "Chiffres clés" in n.proto.body else n.type
        for n in app.main
        if n.type in ("html", "bidi_component", "subheader", "expander")
    ]
    assert ordre.index("chiffres") < ordre.index("bidi_component") < ordre.index("subheader")


def test_an_estimate_is_said_in_the_key_figures_and_never_ranked(app_env):
    app = run_page(PAGE, {"niveau": "commune", "code": "44002"})
    (chiffres,) = [b for b in _blocs_html(app) if "aria-label='Chiffres clés'" in b]
    pauvrete = chiffres.split("Taux de pauvreté, 2021", 1)[1].split("<div class='fiche-chiffre'", 1)[0]
    assert "estimation de l'atlas (4,7 à 7,2\u00a0%)" in pauvrete and "rang" not in pauvrete


def test_a_region_compares_its_key_figures_with_france_only(app_env):
    app = run_page(PAGE, {"niveau": "region", "code": "52"})
    (chiffres,) = [b for b in _blocs_html(app) if "aria-label='Chiffres clés'" in b]
    assert "France métropolitaine 14,4\u00a0%" in chiffres and "rang" not in chiffres


def test_a_long_list_of_quartiers_prioritaires_names_three_and_folds_the_whole_list():
    quartiers = [(f"QN0490{i}M", f"Quartier {i}") for i in range(1, 9)]
    bloc = encadre_commune_html(quartiers, "2024", None)
    resume, liste = bloc.split("</summary>")
    assert "<details" in bloc and "8 quartiers, dont Quartier 1, Quartier 2, Quartier 3 et 5 autres" in resume
    assert all(f"{nom} ({code})" in liste for code, nom in quartiers)


def test_a_short_list_of_quartiers_prioritaires_is_written_in_full_unfolded():
    bloc = encadre_commune_html([("QN04901M", "Belle Beille"), ("QN04902M", "Roseraie")], "2024", None)
    assert "<details" not in bloc and "Belle Beille (QN04901M), Roseraie (QN04902M)." in bloc
    assert "aucun." in encadre_commune_html([], "2024", None)
