"""The secret rule on the figures of « Suivi des expérimentations » (tiny frames, no database)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas import experimentations as ex
from atlas import experimentations_suivi as suivi
from commun import secret


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


#: An experiment without objectives, as ``atlas.experimentations.objectifs`` reads it (no row).
SANS_OBJECTIF = pd.DataFrame({"mois": pd.Series(dtype=object), "indicateur": pd.Series(dtype=str), "valeur": []})
CAS = ([20, 3, 20, 20], [3, 20, 20, 20], [20, 20, 20, 2], [0, 1, 30, 4, 40, 2, 2, 50], [6, 6, 1, 6], [20, 3, 20, 2, 20])


def test_a_masked_month_cannot_be_computed_back_from_the_shown_cumuls():
    for contacts in CAS:
        frame = mensuel(contacts=contacts)
        cumul, masque_mois, masque_cumul = suivi.protection(frame)
        m, c = masque_mois["contacts"].to_numpy(), masque_cumul["contacts"].to_numpy()
        connu = deducible(frame["contacts"], cumul["contacts"], m, c)
        petits = {k: v for k, v in connu.items() if 0 < v < secret.SEUIL_COMPTE}
        assert not petits, (contacts, petits)
        # and every month under 5 is itself shown « < 5 »
        assert all(m[i] for i, v in enumerate(contacts) if v < secret.SEUIL_COMPTE)


def test_even_knowing_every_month_of_5_or_more_from_the_non_recours_page_no_small_month_comes_back():
    # The « Non-recours » page filtered on the experiment's structures and territory shows each
    # month of 5 households or more: here those months are never hidden, and the shown cumuls,
    # less those months, only ever give 0 or at least 5 households.
    for contacts in CAS:
        frame = mensuel(contacts=contacts)
        cumul, masque_mois, masque_cumul = suivi.protection(frame)
        assert not masque_mois["contacts"][frame["contacts"] >= secret.SEUIL_COMPTE].any()
        publics = [v if v >= secret.SEUIL_COMPTE else 0 for v in contacts]
        montres = [i for i in range(len(contacts)) if not masque_cumul["contacts"].iloc[i]]
        bornes = [-1, *montres]
        for debut, fin in zip(bornes, bornes[1:], strict=False):
            avant = 0 if debut < 0 else int(cumul["contacts"].iloc[debut])
            reste = int(cumul["contacts"].iloc[fin]) - avant - sum(publics[debut + 1 : fin + 1])
            assert reste == 0 or reste >= secret.SEUIL_COMPTE, (contacts, debut, fin, reste)


def test_progress_shows_the_last_cumul_it_can_and_keeps_the_objectives():
    frame = mensuel(contacts=[20, 3, 20, 20])
    objectifs = pd.DataFrame(
        {"mois": [dt.date(2024, m, 1) for m in (1, 2, 3, 4)], "indicateur": "contacts", "valeur": [10.0] * 4}
    )
    prog = suivi.progression(frame, objectifs)
    contacts = prog[prog["indicateur"] == "contacts"].reset_index(drop=True)
    assert contacts["realise"].isna().tolist() == [False, True, False, False]
    assert contacts["objectif"].tolist() == [10.0] * 4
    assert contacts["cumul_objectif"].tolist() == [10.0, 20.0, 30.0, 40.0]
    # every cumul after the 3 households of February would give them back
    assert contacts["cumul_masque"].tolist() == [False, True, True, True]
    etat = suivi.situation(prog, "contacts")
    assert (etat["valeur"], etat["mois"], etat["dernier"], etat["atteinte_pct"]) == (
        "20",
        dt.date(2024, 1, 1),
        False,
        200,
    )
    # a second small month covers the first: the cumul shows again
    prog = suivi.progression(mensuel(contacts=[20, 3, 20, 2, 20]), objectifs)
    assert suivi.situation(prog, "contacts")["valeur"] == "65"
    # an indicator without objectives has no objective, never 0
    assert prog[prog["indicateur"] == "bilans"]["objectif"].isna().all()


def test_rates_on_fewer_than_10_or_with_a_masked_numerator_are_not_shown():
    frame = mensuel(contacts=[40, 40, 40], bilans=[9, 30, 30], non_recours=[8, 3, 24])
    taux = suivi.taux_mensuels(frame)
    # 9 bilans: under 10; 3 households in non-recours: masked numerator; 24 / 30 = 80 %
    assert taux["taux_non_recours"].isna().tolist()[:2] == [True, True]
    assert taux["taux_non_recours"].iloc[2] == 80.0
    assert secret.taux_protege(pd.Series([1]), pd.Series([3]), [False], [False]).isna().all()


def test_the_rest_of_the_region_is_given_as_rounded_rates_only():
    frame = mensuel(contacts=[40, 40])
    reste = mensuel(contacts=[300, 300], bilans=[100, 7], non_recours=[77, 5])
    ref = suivi.reference(frame, reste)
    assert [c for c in ref.columns if c.endswith("_reste")] == [f"{k}_reste" for k in ex.TAUX]
    assert ref["taux_bilan_reste"].tolist() == [33.0, 2.0]
    assert ref["taux_non_recours_reste"].iloc[0] == 77.0 and pd.isna(ref["taux_non_recours_reste"].iloc[1])
    export = suivi.tableau_export(suivi.progression(frame, SANS_OBJECTIF), ref, suivi.entonnoir_mensuel(frame))
    # no count of the rest of the region leaves the page
    assert not [c for c in export.columns if "reste" in c and not c.endswith("_pct")]


def test_the_csv_writes_masked_counts_as_less_than_5_never_their_value():
    frame = mensuel(contacts=[20, 3, 20, 20], bilans=[10, 2, 10, 10], droits_ouverts=[4, 1, 6, 6])
    export = suivi.tableau_export(
        suivi.progression(frame, SANS_OBJECTIF),
        suivi.reference(frame, mensuel(contacts=[100] * 4)),
        suivi.entonnoir_mensuel(frame),
    )
    assert export.loc[1, "contacts"] == secret.MASQUE
    # a cumul of 23 hidden to protect February is « masqué », not « < 5 »
    assert export.loc[1, "cumul_contacts"] == suivi.MASQUE_CUMUL
    assert export.loc[0, "droits_ouverts"] == secret.MASQUE
    for colonne in ("contacts", "bilans", "droits_ouverts", "cumul_contacts", "cumul_bilans", "cumul_droits_ouverts"):
        assert not any(isinstance(v, int) and 0 < v < secret.SEUIL_COMPTE for v in export[colonne]), colonne
