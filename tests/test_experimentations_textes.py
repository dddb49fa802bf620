"""Texts of « Suivi des expérimentations » (no database)."""

from __future__ import annotations

from atlas import experimentations as ex


def test_every_rate_chart_subtitle_starts_with_a_capital():
    for cle in ex.TAUX:
        sous_titre = ex.sous_titre_taux(cle)
        assert sous_titre[0].isupper(), sous_titre
        assert sous_titre.endswith(" ; par mois, en %")
    assert ex.sous_titre_taux("taux_bilan") == "Bilans de droits réalisés ÷ ménages rencontrés ; par mois, en %"
