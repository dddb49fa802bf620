"""The count sentence under the explorer's map, in both modes: every statut said, estimates only when there are some."""

import pandas as pd

from atlas import evolutions, explorer


def test_the_map_count_sentence_names_every_statut_with_french_numbers():
    statuts = pd.Series(["ok"] * 1200 + ["estime"] * 3 + ["secret"] * 2 + ["absent"])
    assert explorer.comptes_texte(statuts, "communes") == (
        "1\u00a0200 communes avec une valeur publiée, 3 estimées par l'atlas, 2 en secret statistique, "
        "1 sans donnée (sur 1\u00a0206)."
    )


def test_the_change_count_sentence_leaves_out_estimates_when_there_are_none():
    statuts = pd.Series(["ok"] * 70 + ["absent"])
    assert evolutions.comptes_texte(statuts, "EPCI") == (
        "70 EPCI avec une évolution calculée, 0 en secret statistique à l'un des millésimes, "
        "1 sans donnée à l'un des millésimes (sur 71)."
    )
