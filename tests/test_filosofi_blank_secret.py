"""Empty cells of the Filosofi 2019 commune file are INSEE's secret, not missing figures."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.insee_csv import blank_statut, parse_values
from tests.conftest import RAW_DIR

FICHIER_2019 = RAW_DIR / "insee_filosofi" / "FILO2019_DISP_COM_PDL.csv"


@pytest.fixture
def db(built_con):
    return built_con


def test_blank_cell_is_secret_only_in_files_that_write_the_secret_blank():
    frame = pd.DataFrame({"ligne": [2], "Q219": pd.array([None], dtype="string")})
    secret, _ = parse_values(frame, ["Q219"], blank_statut(FICHIER_2019))
    ailleurs, _ = parse_values(frame, ["Q219"], blank_statut(RAW_DIR / "cnaf_iris" / "data_CAF_2020_IRIS_PDL.csv"))
    assert secret.at[0, "Q219__statut"] == "secret"
    assert ailleurs.at[0, "Q219__statut"] == "absent"


def test_blank_first_decile_of_the_2019_commune_file_is_stored_secret(db):
    raw = pd.read_csv(FICHIER_2019, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    vides = raw.loc[raw["D119"] == "", "CODGEO"].tolist()
    assert len(vides) > 700  # the file writes the secret as an empty cell (808 communes)
    statuts = db.execute(
        """
        with fusions as (
            -- a commune nouvelle merging several communes of the file is absent by another rule
            select code_actuel from passage_communes where list_contains(?, code_ancien)
            group by code_actuel having count(*) > 1
        )

        select statut, count(*) from valeurs
        where indicateur = 'd1_niveau_vie' and niveau = 'commune' and millesime = '2019'
          and list_contains(?, code) and code not in (select code_actuel from fusions)
        group by statut
        """,
        [raw["CODGEO"].tolist(), vides],
    ).fetchall()
    assert dict(statuts).get("absent", 0) == 0
    assert dict(statuts)["secret"] > 700
