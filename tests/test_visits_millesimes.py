"""Visits by whole calendar year in ``valeurs``: a change between two years, the secret rule, no running year."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from atlas.evolutions import calculer
from commun import secret
from etl import catalogue, visits_millesimes
from etl.checks import SQL_DIR

COMMUNES = [("49001", "200000001", "49"), ("49002", "200000001", "49"), ("49003", "200000002", "49")]


def _base(visites: list[tuple[str, str, int, int, int]]) -> duckdb.DuckDBPyConnection:
    """A database with three communes (two EPCI, one département) and ``visites`` rows.

    ``visites``: (commune, date, contacts, of which bilans, of which in non-recours).
    """
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    # only what the yearly values read of the territories (no geometry, population or area)
    con.execute("drop view if exists visites_par_commune")
    con.execute("drop table territoires")
    con.execute(
        "create table territoires (niveau varchar, code varchar, nom varchar, code_epci varchar, code_departement varchar)"
    )
    con.execute("insert into territoires (niveau, code, nom) values ('region', '52', 'Région')")
    con.execute("insert into territoires (niveau, code, nom) values ('departement', '49', 'Maine-et-Loire')")
    for code, epci, dep in COMMUNES:
        con.execute(
            "insert into territoires (niveau, code, nom, code_epci, code_departement) values ('commune', ?, ?, ?, ?)",
            [code, f"Commune {code}", epci, dep],
        )
    for epci in ("200000001", "200000002"):
        con.execute("insert into territoires (niveau, code, nom) values ('epci', ?, ?)", [epci, f"EPCI {epci}"])
    catalogue.insert_sources(con)
    n = 0
    for commune, jour, contacts, bilans, non_recours in visites:
        epci, dep = next((e, d) for c, e, d in COMMUNES if c == commune)
        for i in range(contacts):
            n += 1
            con.execute(
                """
                insert into visites (id_visite, date_contact, structure, code_commune, code_epci, code_departement,
                                     canal, bilan_realise, non_recours, nb_droits_non_recours, fichier, demonstration)
                values (?, ?, 'S', ?, ?, ?, 'permanence', ?, ?, ?, 'f.csv', false)
                """,
                [str(n), dt.date.fromisoformat(jour), commune, epci, dep, i < bilans,
                 "RSA" if i < non_recours else None, 1 if i < non_recours else 0],
            )  # fmt: skip
    return con


def _annee(con, indicateur: str, annee: int) -> pd.DataFrame:
    return con.execute(
        "select niveau, code, valeur, statut from valeurs where indicateur = ? and millesime = ? order by niveau, code",
        [indicateur, str(annee)],
    ).df()


def test_a_change_between_two_whole_years_is_computed_from_the_yearly_values():
    con = _base(
        [
            ("49001", "2024-06-10", 30, 20, 15),
            ("49002", "2024-06-11", 12, 10, 5),
            ("49003", "2024-06-12", 25, 20, 10),
            ("49001", "2025-06-10", 45, 30, 12),
            ("49002", "2025-06-11", 15, 10, 6),
            ("49003", "2025-06-12", 20, 10, 9),
        ]
    )
    assert visits_millesimes.publish(con, today=dt.date(2026, 3, 1)) == [2024, 2025]
    debut, fin = _annee(con, "visites_contacts", 2024), _annee(con, "visites_contacts", 2025)
    contacts = calculer(debut, fin, "ménages").set_index("code")
    assert contacts.at["49001", "statut"] == "ok"
    assert contacts.at["49001", "valeur"] == pytest.approx(50.0)  # 30 → 45 households: +50 %
    assert contacts.at["52", "valeur"] == pytest.approx((80 - 67) / 67 * 100)
    taux = calculer(_annee(con, "visites_taux_non_recours", 2024), _annee(con, "visites_taux_non_recours", 2025), "%")
    taux = taux.set_index("code")
    assert taux.at["49001", "valeur"] == pytest.approx(40 - 75)  # 15/20 = 75 % → 12/30 = 40 %: −35 points
    # the explorer offers the change: the indicator has two millésimes at the commune level
    assert con.execute("select millesime from indicateurs where code = 'visites_contacts'").fetchone()[0] == "2025"


def test_a_masked_count_never_comes_back_from_two_years_nor_from_the_total_of_all_years():
    # 49002 met 3 households in 2025: « < 5 ». The page shows its total over every month (15 + 3 = 18)
    # and 2024 alone would give 18 − 15 = 3 back: 2024 must be masked too, and the EPCI's
    # communes so that 200000001 − 49001 does not give 49002 back either.
    con = _base(
        [
            ("49001", "2024-06-10", 30, 20, 15),
            ("49002", "2024-06-11", 15, 10, 4),
            ("49003", "2024-06-12", 25, 20, 10),
            ("49001", "2025-06-10", 45, 30, 12),
            ("49002", "2025-06-11", 3, 2, 1),
            ("49003", "2025-06-12", 20, 10, 9),
        ]
    )
    visits_millesimes.publish(con, today=dt.date(2026, 3, 1))
    bruts = con.execute(
        "select code_commune, year(date_contact) as annee, count(*) as n from visites group by all"
    ).df()
    totaux = bruts.groupby("code_commune")["n"].sum()
    publies = con.execute(
        "select code, millesime, valeur from valeurs where indicateur = 'visites_contacts' and niveau = 'commune' "
        "and statut = 'ok'"
    ).df()
    for commune, total in totaux.items():
        montre = publies.loc[publies["code"] == commune, "valeur"].sum()
        assert not 0 < total - montre < secret.SEUIL_COMPTE, commune  # the page's total minus the shown years
    for annee in (2024, 2025):
        annee_ = _annee(con, "visites_contacts", annee).set_index("code")
        communes = annee_.loc[["49001", "49002"]]
        if annee_.at["200000001", "statut"] == "ok":
            reste = annee_.at["200000001", "valeur"] - communes.loc[communes["statut"] == "ok", "valeur"].sum()
            assert not 0 < reste < secret.SEUIL_COMPTE, annee
    # a change needs both ends published: none for 49002
    change = calculer(_annee(con, "visites_contacts", 2024), _annee(con, "visites_contacts", 2025), "ménages")
    assert change.set_index("code").at["49002", "statut"] == "secret"
    assert (
        con.execute(
            "select count(*) from valeurs where indicateur like 'visites%' and statut = 'secret' and valeur is not null"
        ).fetchone()[0]
        == 0
    )  # masked: NULL, never the number


def test_the_running_year_is_left_out_and_said():
    con = _base([("49001", "2025-05-02", 30, 20, 10), ("49001", "2026-02-03", 40, 30, 10)])
    assert visits_millesimes.publish(con, today=dt.date(2026, 6, 15)) == [2025]
    assert con.execute("select distinct millesime from valeurs where indicateur like 'visites%'").fetchall() == [
        ("2025",)
    ]
    note = con.execute("select valeur from metadonnees where cle = 'visites_annee_en_cours'").fetchone()[0]
    assert note.startswith("2026 (année en cours")
    # on the first day of 2027 the year 2026 is whole
    assert visits_millesimes.publish(con, today=dt.date(2027, 1, 1)) == [2025, 2026]


def test_yearly_values_are_the_ones_the_non_recours_page_shows_for_that_year(app_env):
    from atlas import non_recours
    from atlas.non_recours_secret import vue_territoires

    con = duckdb.connect(str(app_env), read_only=True)
    annees = [int(a) for (a,) in con.execute(
        "select distinct millesime from valeurs where indicateur = 'visites_contacts' order by 1"
    ).fetchall()]  # fmt: skip
    assert len(annees) >= 2  # the demonstration visits cover 2024 and 2025
    for annee in annees:
        vue = vue_territoires(non_recours.Filtres(debut=dt.date(annee, 1, 1), fin=dt.date(annee, 12, 31)))
        region = con.execute("select code from territoires where niveau = 'region'").fetchone()[0]
        page = vue.brut.assign(
            code=vue.brut["code"].where(vue.brut["niveau"] != "region", region),
            cache=vue.masque["contacts"].to_numpy(),
        )
        stockees = _annee(con, "visites_contacts", annee)
        fusion = page.merge(stockees, on=["niveau", "code"], how="outer", validate="one_to_one")
        assert fusion["statut"].notna().all() and fusion["cache"].notna().all()
        assert ((fusion["statut"] == "secret") == fusion["cache"].astype(bool)).all()
        montres = fusion[fusion["statut"] == "ok"]
        assert (montres["valeur"] == montres["contacts"]).all()
