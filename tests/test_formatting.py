"""French number formatting used in legends, hovers and tables."""

import math

from atlas.formatting import NBSP, accord, format_date_fr, format_nombre


def test_thousands_use_a_no_break_space_and_units_follow():
    assert format_nombre(21450, unite="€") == f"21{NBSP}450{NBSP}€"


def test_rates_use_a_decimal_comma():
    assert format_nombre(17.04, 1, "%") == f"17,0{NBSP}%"


def test_missing_values_are_shown_as_a_dash_not_zero():
    assert format_nombre(None) == "—"
    assert format_nombre(math.nan, 1, "%") == "—"


def test_negative_zero_is_printed_as_zero():
    assert format_nombre(-0.01, 1) == "0,0"


def test_dates_are_written_in_french():
    assert format_date_fr("2024-08-01") == "1er août 2024"


def test_halves_are_rounded_up_as_readers_expect():
    assert format_nombre(6.25, 1) == "6,3"
    assert format_nombre(87.75, 1, "%") == f"87,8{NBSP}%"
    assert format_nombre(0.5) == "1"


def test_the_unit_is_appended_only_when_the_label_does_not_already_hold_it():
    from atlas.formatting import libelle_avec_unite

    assert libelle_avec_unite("Taux de pauvreté (seuil à 60 %)", "%") == "Taux de pauvreté (seuil à 60 %)"
    assert libelle_avec_unite("Part des ménages sans voiture", "%") == "Part des ménages sans voiture (%)"
    assert libelle_avec_unite("Part de passoires (DPE F ou G) (démonstration)", "%").endswith("(démonstration) (%)")
    assert libelle_avec_unite("Rapport interdécile (D9/D1) du niveau de vie", "rapport").endswith("vie (rapport)")
    assert libelle_avec_unite("Non-recours pour 100 ménages", "pour 100 ménages") == "Non-recours pour 100 ménages"
    assert libelle_avec_unite("Nombre de soucoupes", "pes") == "Nombre de soucoupes (pes)"  # a word, not letters
    assert libelle_avec_unite("Médiane du niveau de vie", "") == "Médiane du niveau de vie"


def test_months_are_written_in_french_for_time_axes():
    from atlas.formatting import format_mois_fr, graduations_mensuelles

    assert format_mois_fr("2024-02") == "février 2024"
    assert format_mois_fr("2024-07", court=True) == "juil. 2024"
    deux_ans = [f"{a}-{m:02d}" for a in (2024, 2025) for m in range(1, 13)]
    # 24 months: one graduation a quarter, on January, April, July and October
    graduations = graduations_mensuelles(deux_ans)
    assert graduations["tickvals"][:2] == ["2024-01", "2024-04"] and len(graduations["tickvals"]) == 8
    assert graduations["ticktext"][:4] == ["janv. 2024", "avr. 2024", "juil. 2024", "oct. 2024"]
    assert graduations_mensuelles(deux_ans[:5])["tickvals"] == deux_ans[:5]  # a short period: every month


def test_a_count_under_two_takes_the_singular_of_its_unit():
    # a fiche read « 0 sites », « 1 sites »: French uses the singular under 2
    assert format_nombre(0, unite="sites") == f"0{NBSP}site"
    assert format_nombre(1, unite="sites") == f"1{NBSP}site"
    assert format_nombre(1.5, 1, "ménages") == f"1,5{NBSP}ménage"
    assert format_nombre(2, unite="sites") == f"2{NBSP}sites"
    assert format_nombre(1, unite="pour 100 ménages") == f"1{NBSP}pour 100 ménages"
    assert format_nombre(1, unite="DPE") == f"1{NBSP}DPE"


def test_a_static_table_shows_its_texts_as_typed_not_as_markdown():
    import pandas as pd

    from atlas.formatting import texte_litteral

    brut = pd.DataFrame({"Indicateur": ["Part *des* ménages_1", "- 3,2 %", "Taux (seuil à 60 %)"], "n": [1, 2, 3]})
    vu = texte_litteral(brut)
    assert list(vu["Indicateur"]) == [r"Part \*des\* ménages\_1", r"\- 3,2 %", "Taux (seuil à 60 %)"]
    assert list(vu["n"]) == [1, 2, 3]  # numbers untouched
    assert list(brut["Indicateur"])[0] == "Part *des* ménages_1"  # a copy: the table given is not changed


def test_negative_numbers_take_the_minus_sign_not_a_hyphen():
    # « -16,4 % » reads as a dash before the number; French typography writes U+2212
    assert format_nombre(-16.4, 1, "%") == f"\u221216,4{NBSP}%"
    assert format_nombre(-1234) == f"\u22121{NBSP}234"


def test_a_ratio_and_an_index_carry_no_unit_word_and_an_index_has_two_decimals():
    from atlas.formatting import decimales

    # « 3,7 rapport », « 0,3 indice » were printed: the header names the kind of number
    assert format_nombre(3.71, decimales("rapport"), "rapport") == "3,7"
    assert format_nombre(0.2871, decimales("indice"), "indice") == "0,29"


def test_ranks_and_counts_are_grouped_by_thousands():
    from atlas.formatting import accord, format_rang

    assert format_rang(136, 1227) == f"136{NBSP}/{NBSP}1{NBSP}227"
    assert format_rang(None, 1227) == "—"
    import pandas as pd

    assert format_rang(pd.NA, 408) == "—"
    assert accord(1, "vue") == f"1{NBSP}vue" and accord(3, "vue") == f"3{NBSP}vues"
    assert accord(11174, "ligne rejetée", "lignes rejetées") == f"11{NBSP}174{NBSP}lignes rejetées"


def test_table_columns_show_one_number_of_decimals_read_from_their_unit():
    from atlas.ui import colonne_nombre

    # « 25 » beside « 28,1 »: a localized column printed the decimals each value had
    assert colonne_nombre("Taux détecté (%)")["type_config"]["step"] == 0.1
    assert colonne_nombre("Indice de Gini (indice)")["type_config"]["step"] == 0.01
    assert colonne_nombre("Nombre de DPE")["type_config"]["step"] is None


def test_a_count_of_zero_is_said_in_words_with_the_gender_of_its_noun():
    # « 0 communes à 40 minutes ou plus » read as a glitch on the Mobilité page
    assert accord(0, "commune", majuscule=True) == "Aucune commune"
    assert accord(0, "EPCI", "EPCI") == "aucun EPCI"
    assert accord(0, "ligne rejetée", "lignes rejetées") == "aucune ligne rejetée"
    assert accord(2, "commune", majuscule=True) == "2\u00a0communes"
