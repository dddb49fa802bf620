"""« Non-recours potentiel estimé » as catalogue indicators: B × r / (1 − r), computed by the ETL."""

from __future__ import annotations

import duckdb
import pytest

from etl.build import sql_file
from etl.potentiel import load_potentiel
from tests.apptest_helpers import run_page

R_RSA, R_PA = 0.34, 0.27


def _tiny(rsa: dict, pa: dict, menages: dict) -> duckdb.DuckDBPyConnection:
    """Schema + one EPCI « E » of communes A, B, C in département 85; CNAF 2018, Filosofi 2017/2019."""
    con = duckdb.connect()
    con.execute(sql_file("schema.sql"))
    territoires = [
        ("commune", "A", "A", "E", "85", 100),
        ("commune", "B", "B", "E", "85", 100),
        ("commune", "C", "C", "E", "85", 100),
        ("epci", "E", "E", None, "85", 300),
        ("departement", "85", "Vendée", None, "85", 300),
    ]
    for niveau, code, nom, epci, dep, pop in territoires:
        con.execute(
            "insert into territoires values (?, ?, ?, ?, ?, '52', ?, 1, 0, 0, ''::blob, ''::blob)",
            [niveau, code, nom, epci, dep, pop],
        )

    def put(indicateur, niveau, values, millesime):
        for code, cell in values.items():
            valeur, statut = (cell, "ok") if isinstance(cell, (int, float)) else (None, cell)
            con.execute(
                "insert into valeurs values (?, ?, ?, ?, ?, ?)", [indicateur, niveau, code, millesime, valeur, statut]
            )

    # CNAF 2018: the last year the prime d'activité rate (2016 data, before the 2019 reform) is applied
    put("allocataires_rsa", "commune", rsa, "2018")
    put("allocataires_prime_activite", "commune", pa, "2018")
    put("nb_menages_fiscaux", "commune", menages, "2017")
    put("nb_menages_fiscaux", "commune", {code: 1.0 for code in menages}, "2019")  # as close to 2018
    load_potentiel(con)
    return con


def _value(con, indicateur, niveau, code):
    row = con.execute(
        "select valeur, statut from valeurs where indicateur = ? and niveau = ? and code = ? and millesime = '2018'",
        [indicateur, niveau, code],
    ).fetchone()
    return row


def test_estimate_is_beneficiaries_times_r_over_one_minus_r():
    con = _tiny({"A": 66.0}, {"A": 73.0}, {"A": 1000.0})
    assert _value(con, "nr_potentiel_rsa", "commune", "A") == (pytest.approx(66 * R_RSA / (1 - R_RSA)), "ok")
    assert _value(con, "nr_potentiel_prime_activite", "commune", "A") == (pytest.approx(27.0), "ok")
    assert _value(con, "nr_potentiel_rsa_pa", "commune", "A") == (pytest.approx(34.0 + 27.0), "ok")


def test_rate_is_per_100_menages_fiscaux_of_the_closest_filosofi_year():
    con = _tiny({"A": 66.0}, {"A": 73.0}, {"A": 1000.0})
    # Filosofi 2017 (1000 ménages) is as close to CNAF 2018 as 2019 (1 ménage): the earlier one is used
    assert _value(con, "taux_nr_potentiel_rsa", "commune", "A") == (pytest.approx(3.4), "ok")
    assert _value(con, "taux_nr_potentiel_rsa_pa", "commune", "A") == (pytest.approx(6.1), "ok")


def test_secret_or_absent_counts_stay_null_with_their_statut_never_zero():
    con = _tiny({"A": 66.0, "B": "secret", "C": "absent"}, {"A": 73.0, "B": 10.0, "C": 10.0}, {"A": 10.0, "B": 10.0})
    assert _value(con, "nr_potentiel_rsa", "commune", "B") == (None, "secret")
    assert _value(con, "taux_nr_potentiel_rsa", "commune", "B") == (None, "secret")
    assert _value(con, "nr_potentiel_rsa", "commune", "C") == (None, "absent")
    # the sum of both benefits needs both
    assert _value(con, "nr_potentiel_rsa_pa", "commune", "B") == (None, "secret")
    assert _value(con, "nr_potentiel_rsa_pa", "commune", "C") == (None, "absent")
    # a known count without its denominator gives the count but no rate
    assert _value(con, "nr_potentiel_prime_activite", "commune", "C")[1] == "ok"
    assert _value(con, "taux_nr_potentiel_prime_activite", "commune", "C") == (None, "absent")


def test_an_epci_is_the_sum_of_its_communes_only_when_all_are_known():
    con = _tiny({"A": 66.0, "B": 33.0}, {"A": 73.0, "B": 73.0}, {"A": 10.0, "B": 10.0})
    valeur, statut = _value(con, "nr_potentiel_rsa", "epci", "E")
    assert (valeur, statut) == (None, "absent")  # commune C has no CNAF count
    note = con.execute(
        "select note from qualite_valeurs where indicateur = 'nr_potentiel_rsa' and code = 'E'"
    ).fetchone()
    assert "2 des 3 communes" in note[0]

    complete = _tiny({"A": 66.0, "B": 33.0, "C": 0.0}, {"A": 73.0, "B": 73.0, "C": 0.0}, {"A": 10.0, "B": 10.0})
    assert _value(complete, "nr_potentiel_rsa", "epci", "E") == (pytest.approx(99 * R_RSA / (1 - R_RSA)), "ok")
    assert _value(complete, "nr_potentiel_rsa", "departement", "85")[1] == "ok"


@pytest.fixture
def real(built_con):
    return built_con


def test_catalogue_descriptions_state_formula_rate_source_and_year(real):
    taux = dict(
        (droit, (r, annee))
        for droit, r, annee in real.execute("select droit, taux, annee from taux_non_recours_national").fetchall()
    )
    rows = dict(real.execute("select code, description from indicateurs where code like '%nr_potentiel%'").fetchall())
    assert len(rows) == 6
    publications = dict(real.execute("select droit, publication from taux_non_recours_national").fetchall())
    for code, description in rows.items():
        assert "B × r / (1 − r)" in description or "B × 0,34 / 0,66" in description, code
        droits = ["RSA", "PA"] if code.endswith("rsa_pa") else ["PA"] if "prime" in code else ["RSA"]
        for droit in droits:
            r, annee = taux[droit]
            assert f"{round(100 * r)} %" in description or f"0,{round(100 * r)}" in description, (code, droit)
            assert str(annee) in description, (code, droit)
            assert publications[droit].removeprefix("DREES, ") in description, (code, droit)
    for code in rows:
        if code.startswith("taux_"):
            assert "ménages fiscaux" in rows[code]


def test_real_build_has_estimates_for_communes_with_cnaf_counts_and_no_zero_for_unknown(real):
    frame = real.execute(
        """
        select p.code, p.valeur, p.statut, b.valeur as b, b.statut as statut_b
        from valeurs as p
        join valeurs as b on b.indicateur = 'allocataires_rsa' and b.niveau = 'commune'
         and b.code = p.code and b.millesime = p.millesime
        where p.indicateur = 'nr_potentiel_rsa' and p.niveau = 'commune' and p.millesime = '2020'
        """
    ).df()
    assert (frame["statut"] == frame["statut_b"]).all()
    ok = frame[frame["statut"] == "ok"]
    assert len(ok) >= 20
    assert ok["valeur"].to_numpy() == pytest.approx(ok["b"].to_numpy() * R_RSA / (1 - R_RSA), abs=1e-3)
    assert frame.loc[frame["statut"] != "ok", "valeur"].isna().all()


def test_read_side_reads_the_etl_estimate(app_env, real):
    from atlas import non_recours as nr

    lu = nr.non_recours_potentiel()
    # the sum stops with the prime d'activité estimate, at CNAF 2018
    etl = real.execute(
        "select code, valeur from valeurs where indicateur = 'nr_potentiel_rsa_pa' and niveau = 'commune' "
        "and statut = 'ok' and millesime = '2018' order by code"
    ).df()
    total = lu[lu["droit"] == "RSA+PA"].sort_values("code")
    assert total["code"].tolist() == etl["code"].tolist()
    assert total["potentiel"].to_numpy() == pytest.approx(etl["valeur"].to_numpy())
    assert set(lu["droit"]) == {"RSA", "PA", "RSA+PA"}


def test_zones_blanches_offers_estimated_non_recours_and_passoires_as_need(app_env):
    app = run_page("pages/zones_blanches.py")
    options = set(app.selectbox(key="zb_indicateur").options)
    libelles = " | ".join(options)
    assert "Non-recours potentiel estimé (RSA + prime d'activité) pour 100 ménages" in libelles
    assert "passoires" in libelles.lower()
    app = run_page("pages/zones_blanches.py", {"indicateur": "taux_nr_potentiel_rsa_pa"})
    assert app.selectbox(key="zb_indicateur").value == "taux_nr_potentiel_rsa_pa"
    assert "pour 100 ménages" in app.caption[0].value
    app = run_page("pages/zones_blanches.py", {"indicateur": "dpe_part_passoires"})
    assert app.selectbox(key="zb_indicateur").value == "dpe_part_passoires"
