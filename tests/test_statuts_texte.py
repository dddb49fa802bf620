"""The count sentence under the explorer's map, in both modes: every statut some territory has, none said as « 0 »."""

import pandas as pd

from atlas import evolutions, explorer


def test_the_map_count_sentence_names_every_statut_with_french_numbers():
    statuts = pd.Series(["ok"] * 1200 + ["estime"] * 3 + ["secret"] * 2 + ["absent"])
    assert explorer.comptes_texte(statuts, "communes") == (
        "1\u00a0200 communes avec une valeur publiée, 3 estimées par l'atlas, 2 en secret statistique, "
        "1 sans donnée (sur 1\u00a0206)."
    )


def test_the_change_count_sentence_leaves_out_the_statuts_no_territory_has():
    # « 0 en secret statistique » reads as a figure to look for: a statut nobody has is not said
    statuts = pd.Series(["ok"] * 70 + ["absent"])
    assert evolutions.comptes_texte(statuts, "EPCI") == (
        "70 EPCI avec une évolution calculée, 1 sans donnée à l'un des millésimes (sur 71)."
    )


def test_a_map_without_any_published_value_says_so_in_words():
    statuts = pd.Series(["secret"] * 3)
    assert explorer.comptes_texte(statuts, "communes") == (
        "Aucun territoire avec une valeur publiée, 3 en secret statistique (sur 3)."
    )
