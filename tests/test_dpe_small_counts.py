"""One rule for DPE shares on fewer than 20 DPE: not published anywhere, the count kept."""

from __future__ import annotations

import pytest

from atlas import indicateurs
from atlas.fiche import profil


@pytest.fixture
def db(built_con):
    return built_con


def _petites(db, type_batiment="ensemble"):
    return {
        code
        for (code,) in db.execute(
            "select code from dpe_agregats where niveau = 'commune' and type_batiment = ? "
            "and periode = 'ensemble' and nb_dpe between 1 and 19",
            [type_batiment],
        ).fetchall()
    }


def test_shares_on_fewer_than_20_dpe_are_null_with_a_reason_and_the_count_is_kept(db):
    petites = _petites(db)
    assert petites  # the demonstration extract has small communes
    rows = db.execute(
        "select v.code, v.valeur, v.statut, q.note from valeurs as v "
        "left join qualite_valeurs as q using (indicateur, niveau, code, millesime) "
        "where v.indicateur = 'dpe_part_passoires' and v.niveau = 'commune' and list_contains(?, v.code)",
        [sorted(petites)],
    ).fetchall()
    assert {(valeur, statut) for _, valeur, statut, _ in rows} == {(None, "absent")}
    assert all(note.startswith("moins de 20 DPE") for *_, note in rows)
    counts = db.execute(
        "select count(*) from valeurs where indicateur = 'dpe_nb' and niveau = 'commune' and statut = 'ok' "
        "and valeur between 1 and 19"
    ).fetchone()[0]
    assert counts == len(petites)


def test_explorer_values_never_rank_or_class_a_share_on_few_dpe(app_env, db):
    petites = _petites(db, "appartement")
    millesime = indicateurs.millesimes("dpe_part_passoires_appartements", "commune")[0]
    data = indicateurs.valeurs("dpe_part_passoires_appartements", "commune", millesime)
    shown = data[data["valeur"].notna()]
    assert not set(shown["code"]) & petites
    assert shown["rang"].notna().all()
    region = db.execute(
        "select valeur from valeurs where indicateur = 'dpe_part_passoires_appartements' and niveau = 'region'"
    ).fetchone()[0]
    assert region is None or region > 0


def test_fiche_of_a_small_commune_shows_no_dpe_share(app_env, db):
    code = sorted(_petites(db))[0]
    rows = profil("commune", code).set_index("indicateur")
    assert rows.at["dpe_part_passoires", "statut"] == "absent"
    assert rows.at["dpe_part_passoires", "valeur"] != rows.at["dpe_part_passoires", "valeur"]  # NaN
    assert rows.at["dpe_nb", "statut"] == "ok"
