"""INSEE's reliability flags of the Filosofi IRIS file reach qualite_valeurs and « Données et méthodes »."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.insee_csv import reliability_notes
from tests.apptest_helpers import run_page
from tests.conftest import RAW_DIR

FICHIER_IRIS = RAW_DIR / "insee_filosofi" / "BASE_TD_FILO_IRIS_2021_DEC_PDL.csv"


@pytest.fixture
def db(built_con):
    return built_con


def test_every_iris_flagged_uncertain_by_insee_carries_the_note_on_its_values(db):
    raw = pd.read_csv(FICHIER_IRIS, sep=";", dtype=str)
    flagged = set(raw.loc[raw["DEC_INCERT21"] == "2", "IRIS"])
    assert len(flagged) == 221
    noted = db.execute(
        """
        select distinct v.code
        from valeurs as v
        join qualite_valeurs as q using (indicateur, niveau, code, millesime)
        where v.niveau = 'iris' and v.statut = 'ok' and q.note like '%DEC_INCERT21%'
        """
    ).fetchall()
    assert {code for (code,) in noted} == flagged
    unflagged_noted = db.execute(
        "select count(*) from qualite_valeurs where niveau = 'iris' and note like '%DEC_INCERT21%' "
        "and not list_contains(?, code)",
        [sorted(flagged)],
    ).fetchone()[0]
    assert unflagged_noted == 0


def test_a_note_is_attached_to_each_published_value_of_a_flagged_row_only():
    frame = pd.DataFrame({"IRIS": ["A", "B"], "DEC_INCERT21": ["2", "1"], "DEC_NOTE21": ["0", "1"]}, dtype="string")
    long = pd.DataFrame(
        {
            "indicateur": ["m", "m", "t"],
            "niveau": "iris",
            "code": ["A", "B", "A"],
            "millesime": "2021",
            "valeur": [1.0, 2.0, None],
            "statut": ["ok", "ok", "secret"],
        }
    )
    notes = reliability_notes(frame, "IRIS", long)
    assert sorted(zip(notes["code"], notes["indicateur"], notes["note"].str.contains("DEC_INCERT21"), strict=True)) == [
        ("A", "m", True),
        ("B", "m", False),
    ]


def test_data_page_shows_how_many_iris_are_to_read_with_caution(app_env):
    app = run_page("pages/donnees.py")
    # a static table (its notes wrap), texts escaped for Markdown, numbers written the French way
    notes = next(t.value for t in app.table if "IRIS" in t.value.columns)
    incert = notes[notes["Note"].str.replace("\\", "").str.contains("DEC_INCERT21")]
    assert incert["IRIS"].tolist() == ["221"]
