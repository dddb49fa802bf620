"""Demonstration visit outcomes: deterministic, plausible, valid, labelled."""

from __future__ import annotations

import duckdb

from etl import demo_visits
from etl.__main__ import main


def test_two_generations_give_byte_identical_files(tmp_path):
    first = demo_visits.write_demo(tmp_path / "a.csv")
    second = demo_visits.write_demo(tmp_path / "b.csv")
    assert first.read_bytes() == second.read_bytes()


def test_the_rows_cover_two_years_of_every_structure():
    rows = demo_visits.generate_rows()
    assert len(rows) == demo_visits.DEFAULT_ROWS
    months = {r[0][:7] if "-" in r[0] else f"{r[0][6:]}-{r[0][3:5]}" for r in rows}
    assert len(months) == 24
    assert {r[1] for r in rows} == {s[0] for s in demo_visits.STRUCTURES}


def test_the_rates_are_plausible_for_outreach_work():
    rows = demo_visits.generate_rows()
    bilans = [r for r in rows if r[5] == "oui"]
    in_non_recours = [r for r in bilans if r[6]]
    door = [r for r in rows if r[4] == "porte_a_porte"]
    desk = [r for r in rows if r[4] == "permanence"]
    assert 0.2 < len(bilans) / len(rows) < 0.5
    assert 0.8 < len(in_non_recours) / len(bilans) < 0.92
    assert sum(r[5] == "oui" for r in door) / len(door) < sum(r[5] == "oui" for r in desk) / len(desk)
    assert any("|" in r[6] for r in in_non_recours)  # several benefits for some households
    counts = {d: sum(d in r[6].split("|") for r in in_non_recours) for d in demo_visits.DROITS}
    assert sorted(counts, key=counts.get, reverse=True)[:2] == ["RSA", "PA"]


def test_every_generated_row_is_loaded_and_labelled_demonstration(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        lues, chargees, rejetees = con.execute(
            "select lignes_lues, lignes_chargees, lignes_rejetees from chargements where source = 'visites_demonstration'"
        ).fetchall()[0]
        assert (lues, chargees, rejetees) == (demo_visits.DEFAULT_ROWS, demo_visits.DEFAULT_ROWS, 0)
        assert con.execute("select bool_and(demonstration), count(*) from visites").fetchall() == [
            (True, demo_visits.DEFAULT_ROWS)
        ]
        # the column says it: the names carry no « (démonstration) » repeated on every row, option and label
        structures = {s for (s,) in con.execute("select distinct structure from visites").fetchall()}
        assert structures == {s[0] for s in demo_visits.STRUCTURES}
        assert not [s for s in structures if "démonstration" in s.lower()]


def test_the_filled_example_names_its_structures_as_examples():
    # imported as a real file, it has no demonstration flag: its names say what it is
    from etl.facade import visits_example

    entete, *lignes = visits_example(20)
    assert {ligne[entete.index("structure")] for ligne in lignes} <= {
        f"{s[0]} (exemple)" for s in demo_visits.STRUCTURES
    }


def test_the_cli_writes_the_requested_number_of_rows(tmp_path, capsys):
    out = tmp_path / "demo" / "visites.csv"
    assert main(["demo-visits", "--rows", "250", "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 251
    assert "250 contacts" in capsys.readouterr().out
