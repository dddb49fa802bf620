"""Visit metrics and the secret rule: < 5 households masked, rates on < 10 bilans not shown."""

import pandas as pd

from atlas.non_recours import MASQUE, compte_affiche, taux, taux_affiche
from atlas.non_recours_secret import masquer


def test_counts_under_five_are_masked():
    assert [compte_affiche(n) for n in (0, 4, 5, 1234)] == [MASQUE, MASQUE, "5", "1\u00a0234"]


def test_rates_on_fewer_than_ten_bilans_are_not_shown():
    assert taux(8, 9) is None
    assert taux(79, 90) == 100 * 79 / 90
    assert taux_affiche(8, 9) == "non diffusé (moins de 10 bilans)"


def test_400_contacts_90_bilans_79_in_non_recours_read_88_percent():
    assert taux_affiche(79, 90) == "88\u00a0%"
    assert taux_affiche(79, 90, 1) == "87,8\u00a0%"


def test_a_rate_is_hidden_with_its_masked_numerator_and_rounded_otherwise():
    raw = pd.DataFrame({"code": ["a", "b", "c", "d"], "bilans": [12, 4, 9, 12], "non_recours": [3, 2, 9, 10]})
    out = masquer(raw, ["bilans", "non_recours"], {"taux": ("non_recours", "bilans")})
    assert out["non_recours"].tolist() == [MASQUE, MASQUE, 9, 10]
    assert out["bilans"].tolist() == [12, MASQUE, 9, 12]
    assert pd.isna(out["taux"].iloc[0])  # 3 / 12 = 25 % beside 12 bilans would give the 3 back
    assert out["taux"].iloc[1:3].isna().all()  # denominators 4 and 9 are under 10
    assert out["taux"].iloc[3] == 83.0  # 10 / 12, a whole percent (not 83,33333333333333)
