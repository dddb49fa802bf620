"""The secret rule on the figures of « Suivi des expérimentations » (tiny frames, no database)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas import experimentations as ex


def mensuel(**series) -> pd.DataFrame:
    """Monthly counts from January 2024, every count column defaulting to the contacts."""
    n = len(next(iter(series.values())))
    mois = [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(n)]
    base = series.get("contacts")
    frame = pd.DataFrame({c: series.get(c, base) for c in ex.COMPTES}, index=mois)
    return frame.rename_axis("mois")


def deducible(valeurs: pd.Series, cumul: pd.Series, masque_mois, masque_cumul) -> dict[str, int]:
    """Every cell a reader can compute from the shown ones (cumul m = cumul m-1 + month m)."""
    n = len(valeurs)
    connu = {f"m{i}": int(valeurs.iloc[i]) for i in range(n) if not masque_mois[i]}
    connu |= {f"c{i}": int(cumul.iloc[i]) for i in range(n) if not masque_cumul[i]}
    contraintes = [("c0", ["m0"])] + [(f"c{i}", [f"c{i - 1}", f"m{i}"]) for i in range(1, n)]
    change = True
    while change:
        change = False
        for parent, enfants in contraintes:
            inconnus = [c for c in [parent, *enfants] if c not in connu]
            if len(inconnus) != 1:
                continue
            cellule = inconnus[0]
            somme = sum(connu[e] for e in enfants if e in connu)
            connu[cellule] = somme if cellule == parent else connu[parent] - somme
            change = True
    return connu


def test_a_masked_month_cannot_be_computed_back_from_the_shown_cumuls():
    for contacts in ([20, 3, 20, 20], [3, 20, 20, 20], [20, 20, 20, 2], [0, 1, 30, 4, 40, 2, 2, 50], [6, 6, 1, 6]):
        frame = mensuel(contacts=contacts)
        cumul, masque_mois, masque_cumul = ex.protection(frame)
        m, c = masque_mois["contacts"].to_numpy(), masque_cumul["contacts"].to_numpy()
        connu = deducible(frame["contacts"], cumul["contacts"], m, c)
        petits = {k: v for k, v in connu.items() if 0 < v < ex.SEUIL_COMPTE}
        assert not petits, (contacts, petits)
        # and every month under 5 is itself shown « < 5 »
        assert all(m[i] for i, v in enumerate(contacts) if v < ex.SEUIL_COMPTE)


def test_progress_hides_small_months_and_cumuls_and_keeps_the_objectives():
    frame = mensuel(contacts=[20, 3, 20, 20])
    objectifs = pd.DataFrame(
        {"mois": [dt.date(2024, m, 1) for m in (1, 2, 3, 4)], "indicateur": "contacts", "valeur": [10.0] * 4}
    )
    prog = ex.progression(frame, objectifs)
    contacts = prog[prog["indicateur"] == "contacts"].reset_index(drop=True)
    assert contacts["realise"].isna()[1] and contacts["realise_masque"][1]
    assert contacts["objectif"].tolist() == [10.0] * 4
    assert contacts["cumul_objectif"].tolist() == [10.0, 20.0, 30.0, 40.0]
    # the last cumul is shown: 63 households for 40 planned
    assert contacts["cumul_realise"].iloc[-1] == 63 and contacts["atteinte_pct"].iloc[-1] == 158
    # an indicator without objectives has no objective, never 0
    assert prog[prog["indicateur"] == "bilans"]["objectif"].isna().all()


def test_rates_on_fewer_than_10_or_with_a_masked_numerator_are_not_shown():
    frame = mensuel(contacts=[40, 40, 40], bilans=[9, 30, 30], non_recours=[8, 3, 24])
    taux = ex.taux_mensuels(frame)
    # 9 bilans: under 10; 3 households in non-recours: masked numerator; 24 / 30 = 80 %
    assert taux["taux_non_recours"].isna().tolist()[:2] == [True, True]
    assert taux["taux_non_recours"].iloc[2] == 80.0
    assert ex.taux_protege(pd.Series([1]), pd.Series([3]), [False], [False]).isna().all()


def test_the_rest_of_the_region_is_given_as_rounded_rates_only():
    frame = mensuel(contacts=[40, 40])
    reste = mensuel(contacts=[300, 300], bilans=[100, 7], non_recours=[77, 5])
    ref = ex.reference(frame, reste)
    assert [c for c in ref.columns if c.endswith("_reste")] == [f"{k}_reste" for k in ex.TAUX]
    assert ref["taux_bilan_reste"].tolist() == [33.0, 2.0]
    assert ref["taux_non_recours_reste"].iloc[0] == 77.0 and pd.isna(ref["taux_non_recours_reste"].iloc[1])
    export = ex.tableau_export(ex.progression(frame, ex.objectifs_vides()), ref, ex.entonnoir_mensuel(frame))
    # no count of the rest of the region leaves the page
    assert not [c for c in export.columns if "reste" in c and not c.endswith("_pct")]


def test_the_csv_writes_masked_counts_as_less_than_5_never_their_value():
    frame = mensuel(contacts=[20, 3, 20, 20], bilans=[10, 2, 10, 10], droits_ouverts=[4, 1, 6, 6])
    export = ex.tableau_export(
        ex.progression(frame, ex.objectifs_vides()),
        ex.reference(frame, mensuel(contacts=[100] * 4)),
        ex.entonnoir_mensuel(frame),
    )
    assert export.loc[1, "contacts"] == ex.MASQUE
    assert export.loc[0, "droits_ouverts"] == ex.MASQUE
    for colonne in ("contacts", "bilans", "droits_ouverts", "cumul_contacts", "cumul_bilans", "cumul_droits_ouverts"):
        assert not any(isinstance(v, int) and 0 < v < ex.SEUIL_COMPTE for v in export[colonne]), colonne
