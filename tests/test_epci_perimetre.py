"""Filosofi EPCI values of a millésime whose member communes changed since carry « périmètre différent »."""

from __future__ import annotations

import duckdb

from etl import perimetre_epci


def _notes(con, code: str, millesime: str) -> list[str]:
    return [
        n
        for (n,) in con.execute(
            "select distinct note from qualite_valeurs where niveau = 'epci' and code = ? and millesime = ? "
            "and indicateur = 'mediane_niveau_vie'",
            [code, millesime],
        ).fetchall()
    ]


def test_the_epci_of_essarts_en_bocage_is_flagged_for_the_filosofi_millesimes_before_the_split(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        epci = con.execute("select code_epci from territoires where niveau = 'commune' and code = '85084'").fetchall()
        notes = _notes(con, epci[0][0], "2019")
    assert len(notes) == 1 and notes[0].startswith("périmètre différent")
    for commune in ("Essarts-en-Bocage (85084)", "L'Oie (85165)", "Sainte-Florence (85212)"):
        assert commune in notes[0]


def test_an_epci_whose_communes_did_not_change_has_no_perimeter_note(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        # Nantes Métropole: no commune merged or split since 2019
        assert not [n for n in _notes(con, "244400404", "2019") if n.startswith("périmètre")]


def test_every_epci_holding_a_commune_carried_from_an_older_geography_is_flagged(built_db):
    # derived from the placement notes of the commune files (passage table, events), never a list of codes
    with duckdb.connect(str(built_db), read_only=True) as con:
        manquantes = con.execute(
            """
            with changees as (
                select distinct q.millesime, t.code_epci
                from qualite_valeurs as q
                join territoires as t on t.niveau = 'commune' and t.code = q.code
                where q.niveau = 'commune' and q.indicateur = 'mediane_niveau_vie' and t.code_epci is not null
                  and exists (select 1 from unnest(?::varchar[]) as p(prefixe) where starts_with(q.note, p.prefixe))
            )
            select c.code_epci, c.millesime
            from changees as c
            join valeurs as v on v.indicateur = 'mediane_niveau_vie' and v.niveau = 'epci'
                 and v.code = c.code_epci and v.millesime = c.millesime and v.statut = 'ok'
            where not exists (
                select 1 from qualite_valeurs as q
                where q.indicateur = 'mediane_niveau_vie' and q.niveau = 'epci' and q.code = c.code_epci
                  and q.millesime = c.millesime and starts_with(q.note, 'périmètre différent')
            )
            """,
            [perimetre_epci.PREFIXES],
        ).fetchall()
        total = con.execute(
            "select count(distinct code || millesime) from qualite_valeurs where niveau = 'epci' "
            "and starts_with(note, 'périmètre différent')"
        ).fetchall()[0][0]
    assert manquantes == [] and total >= 2


def test_the_remark_shows_on_the_fiche_and_in_its_pdf(app_env):
    import lxml.html

    from atlas import fiche_pdf
    from tests.apptest_helpers import ouvrir_tableaux, run_page

    # the remarks are written under their theme's table, each folded theme opened
    app = ouvrir_tableaux(run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": "200071918"}))
    notes = [
        n.text_content() for h in app.get("html") for n in lxml.html.fromstring(h.proto.body).find_class("atlas-note")
    ]
    remarques = [n for n in notes if n.startswith("Remarques :")]
    assert any("périmètre différent" in r and "Sainte-Florence (85212)" in r for r in remarques)
    document = fiche_pdf.html_fiche("epci", "200071918")
    assert "Remarques : périmètre différent" in document and "Sainte-Florence (85212)" in document
