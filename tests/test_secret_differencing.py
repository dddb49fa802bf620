"""The secret rule survives differencing: no difference of shown figures gives 1 to 4 households back.

Unit tests on tiny frames (commun.secret), then the three attacks of issue 19 played on the
« Non-recours » page, as a user would, on a database whose visits are a small generated file:
(a) an EPCI minus its other communes, (b) all structures minus all but one, (c) two periods one
step apart (a day on a day picker, a month on a month picker).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pandas as pd
import pytest

from commun import secret
from tests.apptest_helpers import graphiques_html, ouvrir_tableaux, run_page

COMPTES = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts"]


# -- pure functions ---------------------------------------------------------------------------


def test_one_masked_commune_gets_a_second_one_so_the_epci_total_does_not_give_it_back():
    frame = pd.DataFrame({"n": [40, 20, 3, 66]}, index=["a", "b", "c", "epci"])
    masque = secret.completer(frame, secret.masque_primaire(frame, ["n"]), [("epci", ["a", "b", "c"])], ["n"])
    assert masque["n"].tolist() == [False, True, True, False]  # the smallest other commune, 20


def test_two_masked_cells_whose_sum_is_under_5_get_a_third():
    frame = pd.DataFrame({"n": [40, 20, 1, 2, 63]}, index=["a", "b", "c", "d", "t"])
    masque = secret.completer(frame, secret.masque_primaire(frame, ["n"]), [("t", ["a", "b", "c", "d"])], ["n"])
    assert masque["n"].tolist() == [False, True, True, True, False]


def test_a_hidden_total_gets_a_hidden_part_when_all_its_parts_are_shown():
    frame = pd.DataFrame({"n": [10, 7, 17]}, index=["a", "b", "t"])
    depart = pd.DataFrame({"n": [False, False, True]}, index=frame.index)
    masque = secret.completer(frame, depart, [("t", ["a", "b"])], ["n"], parents_fixes=True)
    assert masque["n"].tolist() == [False, True, True]


def test_complementary_masks_propagate_through_the_levels():
    # commune b is masked to protect a inside its EPCI; the département total then shows every
    # other part but b's EPCI partner... the loop runs until no constraint gives a cell back
    communes = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "code_epci": ["E1", "E1", "E2", None],
            "code_departement": ["49", "49", "49", "49"],
            "n": [2, 30, 40, 50],
        }
    )
    cellules, contraintes = secret.hierarchie(communes, ["n"])
    masque = secret.completer(cellules, secret.masque_primaire(cellules, ["n"]), contraintes, ["n"])
    caches = set(masque.index[masque["n"]])
    assert {"commune:a", "commune:b"} <= caches
    for parent, enfants in contraintes:
        n = sum(c in caches for c in [parent, *enfants])
        assert n != 1, (parent, enfants)


def test_a_commune_outside_any_epci_is_not_its_departement_minus_the_epci():
    # L'Île-d'Yeu: Vendée minus its EPCI would give it back
    communes = pd.DataFrame(
        {
            "code": ["a", "b", "yeu", "c"],
            "code_epci": ["E1", "E1", None, "E2"],
            "code_departement": ["85", "85", "85", "49"],
            "n": [30, 40, 2, 50],
        }
    )
    cellules, contraintes = secret.hierarchie(communes, ["n"])
    masque = secret.completer(cellules, secret.masque_primaire(cellules, ["n"]), contraintes, ["n"])
    assert masque.loc["commune:yeu", "n"] and masque.loc["epci:E1", "n"]


def test_a_filtered_view_masks_a_cell_that_differs_from_the_unfiltered_one_by_fewer_than_5():
    vue = pd.DataFrame({"n": [88, 40]}, index=["region", "x"])
    reference = pd.DataFrame({"n": [91, 60]}, index=["region", "x"])
    masque = secret.masque_differences(vue, ["n"], reference)
    assert masque["n"].tolist() == [True, False]


def test_a_filtered_view_masks_a_cell_where_one_value_of_the_filter_counts_1_to_4():
    vue = pd.DataFrame({"n": [50, 50]}, index=["x", "y"])
    par_mois = pd.DataFrame({"n": [20, 3, 30, 0]}, index=["x", "x", "y", "y"])
    assert secret.masque_differences(vue, ["n"], details=[par_mois])["n"].tolist() == [True, False]


def test_a_period_is_masked_when_months_off_or_added_at_its_ends_sum_to_1_to_4():
    mois = pd.DataFrame({"detail": ["2025-01", "2025-02", "2025-03", "2025-04"], "n": [10, 3, 10, 10]}, index=["x"] * 4)
    vue = pd.DataFrame({"n": [0]}, index=["x"])  # the view's own value plays no part here

    def cache(debut, fin):
        return bool(secret.masque_differences(vue, ["n"], mois=mois, periode=(debut, fin))["n"].iloc[0])

    assert cache("2025-02", "2025-04")  # February alone is taken off at the start: 3
    assert cache("2025-03", "2025-04")  # February alone is added before the start: 3
    assert not cache("2025-01", "2025-04")  # February inside: any change at an end is 10 or more


def test_rates_are_whole_percents_and_hidden_with_a_masked_count():
    taux = secret.taux_protege(
        pd.Series([2, 10, 10]), pd.Series([12, 12, 12]), [True, False, False], [False, False, True]
    )
    assert pd.isna(taux[0]) and taux[1] == 83.0 and pd.isna(taux[2])


def test_display_counts_are_one_text_column_without_numbers_mixed_in():
    frame = pd.DataFrame({"n": [1234, 3, None]})
    out = secret.pour_affichage(frame, secret.masque_primaire(frame, ["n"]), ["n"], lambda v: f"{v:,}")
    assert str(out["n"].dtype) == "string" and out["n"].tolist()[:2] == ["1,234", "< 5"]


# -- the attacks, on the page -----------------------------------------------------------------

EPCI_ANGERS = "244900015"
GRANDE = "Grande structure (essai)"
PETITE = "Petite structure (essai)"
JOUR_PETITE = dt.date(2025, 3, 15)


def _lignes():
    """Visits of the attacks: a small commune (Trélazé, 3) and a small structure (3, one day)."""
    lignes, n = [], 0

    def visite(jour, structure, commune, canal, bilan, droits):
        nonlocal n
        n += 1
        lignes.append([jour.isoformat(), structure, commune, canal, "oui" if bilan else "non", droits,
                       "CAF" if droits else "", f"T-{n:04d}"])  # fmt: skip

    # a large structure, every month from January to June, in three communes of the EPCI and Cholet
    for i in range(120):
        jour = dt.date(2025, 1 + i % 6, 2 + (i // 6) % 12)
        commune = ("49007", "49007", "49015", "49099")[i % 4]
        visite(jour, GRANDE, commune, "porte_a_porte", i % 2 == 0, "RSA" if i % 4 == 0 else "")
    for _ in range(3):  # Trélazé: 3 households
        visite(dt.date(2025, 2, 20), GRANDE, "49353", "porte_a_porte", True, "AL")
    for _ in range(3):  # a small structure: 3 households on one day, alone that day
        visite(JOUR_PETITE, PETITE, "49007", "permanence", True, "RSA|PA")
    return lignes


@pytest.fixture
def db_attaques(built_db, tmp_path, monkeypatch):
    from etl.visits import import_visits

    fichier = tmp_path / "visites_attaques.csv"
    with open(fichier, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["date_contact", "structure", "code_commune", "canal", "bilan_realise", "non_recours",
                         "orientation", "id_contact"])  # fmt: skip
        writer.writerows(_lignes())
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    import_visits(db, fichier, log=lambda _line: None)
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_REGION", "52")
    return db


def _nombre(texte) -> int | None:
    """A shown count as a number, None when masked or missing."""
    if texte is None or texte is pd.NA or (isinstance(texte, float) and pd.isna(texte)):
        return None
    chiffres = str(texte).replace("\u00a0", "").replace(" ", "")
    return int(chiffres) if chiffres.isdigit() else None


def _entonnoir(app) -> list[int | None]:
    """The five funnel figures as shown (None where « < 5 »)."""
    import html
    import re

    ecrits = re.findall(r"<span class='(?:valeur|absente)'>([^<]*)</span>", graphiques_html(app)[0])
    assert len(ecrits) == 5
    # « 1 234 · 36 % »: the count before its share; « &lt; 5 » is « < 5 »
    return [_nombre(html.unescape(t).split(" · ")[0]) for t in ecrits]


def _tableau_territoires(app) -> pd.DataFrame:
    return next(t.value for t in app.dataframe if "nom" in t.value and "contacts" in t.value)


def _petit(a, b) -> bool:
    return a is not None and b is not None and 0 < abs(a - b) < secret.SEUIL_COMPTE


def test_attack_a_an_epci_minus_its_other_communes_gives_no_masked_commune_back(db_attaques):
    app = ouvrir_tableaux(run_page("pages/non_recours.py"))
    app.selectbox(key="territoire_nr").set_value(f"epci:{EPCI_ANGERS}").run()
    app.radio(key="echelon_nr").set_value("commune").run()
    assert not app.exception
    total = _entonnoir(app)
    communes = _tableau_territoires(app)
    assert len(communes) == 3  # Angers, Avrillé, Trélazé
    for etape, colonne in enumerate(COMPTES):
        valeurs = [_nombre(v) for v in communes[colonne]]
        caches = [v is None for v in valeurs]
        if total[etape] is None or not any(caches):
            continue
        reste = total[etape] - sum(v for v in valeurs if v is not None)
        assert sum(caches) >= 2, (colonne, "EPCI − autres communes =", reste)
        assert reste == 0 or reste >= secret.SEUIL_COMPTE, (colonne, reste)


def test_attack_b_all_structures_minus_all_but_one_gives_no_small_structure_back(db_attaques):
    app = ouvrir_tableaux(run_page("pages/non_recours.py"))
    toutes = _entonnoir(app)
    communes_toutes = _tableau_territoires(app).set_index("code")
    app.multiselect(key="structures").select(GRANDE).run()
    assert not app.exception
    sauf_une = _entonnoir(app)
    communes_sauf_une = _tableau_territoires(app).set_index("code")
    for etape, colonne in enumerate(COMPTES):
        assert not _petit(toutes[etape], sauf_une[etape]), (colonne, toutes[etape], sauf_une[etape])
        for code in communes_sauf_une.index.intersection(communes_toutes.index):
            a = _nombre(communes_toutes.loc[code, colonne])
            b = _nombre(communes_sauf_une.loc[code, colonne])
            assert not _petit(a, b), (code, colonne, a, b)


def _mois_brut(libelle: str) -> str:
    """« mars 2025 » (a month as the period's lists show it) → « 2025-03 » (its value)."""
    from atlas.formatting import MOIS_COURTS

    nom, annee = libelle.rsplit(" ", 1)
    return f"{annee}-{MOIS_COURTS.index(nom) + 1:02d}"


def _choisir_periode(app, debut: str, fin: str) -> None:
    """Choose a period on the page's two month lists (« du mois », « au mois ») and run it."""
    app.selectbox(key="periode_debut").set_value(debut)
    app.selectbox(key="periode_fin").set_value(fin).run()


def _deux_periodes_voisines(app):
    """Pairs of period choices one month apart on the page's period lists."""
    options = [_mois_brut(o) for o in app.selectbox(key="periode_debut").options]
    for k in range(len(options) - 1):
        yield (options[0], options[k]), (options[0], options[k + 1])


def test_attack_c_two_periods_one_step_apart_give_no_small_count_back(db_attaques):
    app = run_page("pages/non_recours.py")
    paires = list(_deux_periodes_voisines(app))
    assert paires
    for une, autre in paires:
        figures = []
        for periode in (une, autre):
            _choisir_periode(app, *periode)
            assert not app.exception
            figures.append(_entonnoir(app))
        for etape, colonne in enumerate(COMPTES):
            assert not _petit(figures[0][etape], figures[1][etape]), (colonne, une, autre, figures)


def test_periods_are_whole_months(db_attaques):
    app = run_page("pages/non_recours.py")
    assert not [w for w in app.get("date_input") if w.key.startswith("periode")]
    for cle in ("periode_debut", "periode_fin"):
        assert [_mois_brut(o) for o in app.selectbox(key=cle).options] == [f"2025-{m:02d}" for m in range(1, 7)]


def test_zones_blanches_dates_the_last_contact_by_its_month_only(db_attaques):
    # a day would date one household's visit (Trélazé: 3 households on 20/02/2025)
    from atlas import zones_blanches as zb

    data = zb.donnees("taux_pauvrete", ("france_services",))
    contacts = pd.to_datetime(data["dernier_contact"].dropna())
    assert len(contacts) == 4 and (contacts.dt.day == 1).all()  # Angers, Avrillé, Cholet, Trélazé
    assert pd.Timestamp("2025-02-01") in set(contacts)
    # the reference « now » is the end of the latest visit's month, not that visit's day
    assert pd.Timestamp(zb.contexte()["derniere_visite"]) == pd.Timestamp("2025-06-30")
