"""Exports open cleanly in French spreadsheets and never turn a secret value into 0."""

import io
import json

import numpy as np
import pandas as pd

from atlas.exports import LIGNE_FORMAT, colonne_indicateur, csv_fr, geojson_fr, pour_lecteur


def _table():
    return pd.DataFrame(
        {"code": ["49007", "44002"], "nom": ["Angers", "Ancenis"], "valeur": [21.0, np.nan], "statut": ["ok", "secret"]}
    )


def test_csv_has_a_bom_semicolons_decimal_commas_and_a_source_header():
    data = csv_fr(_table(), ["Taux de pauvreté (%) — millésime 2021", "Source : INSEE, Filosofi"])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "# Taux de pauvreté (%) — millésime 2021"
    assert lines[1] == "# Source : INSEE, Filosofi"
    assert lines[2].startswith("# Date d'extraction : ")
    assert lines[3] == "# " + LIGNE_FORMAT  # how to open it, read in the import dialog's preview
    assert lines[4] == '"code";"nom";"valeur";"statut"'
    assert lines[5] == '"49007";"Angers";21,0;"ok"'


def test_secret_value_is_empty_in_csv_never_zero():
    text = csv_fr(_table()).decode("utf-8-sig")
    assert '"44002";"Ancenis";;"secret"' in text


def test_columns_a_person_reads_have_french_headers_and_statut_words_and_codes_stay_text():
    table = pd.DataFrame(
        {"code": ["01053", "44002", "49007"], "nom": ["Bourg-en-Bresse", "Ancenis", "Angers"],
         "valeur": [12.5, np.nan, 9.6], "statut": ["ok", "secret", "estime"], "interne": [1, 2, 3]}
    )  # fmt: skip
    colonne = colonne_indicateur("Taux de pauvreté", "%", "2021")
    assert colonne == "Taux de pauvreté (%) 2021"
    lisible = pour_lecteur(
        table, {"code": "Code", "nom": "Territoire", "valeur": colonne, "statut": "Statut"}, statuts=["statut"]
    )
    text = csv_fr(lisible).decode("utf-8-sig")
    assert '"Code";"Territoire";"Taux de pauvreté (%) 2021";"Statut"\r\n' in text  # « interne » left out
    assert '"01053";"Bourg-en-Bresse";12,5;"Disponible"' in text  # the code quoted: text, its 0 kept
    assert '"44002";"Ancenis";;"Secret statistique"' in text
    assert '"49007";"Angers";9,6;"Estimation de l\'atlas"' in text
    # still machine-readable: codes as text, numbers as numbers, secret empty
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#", dtype={"Code": str})
    assert back["Code"].tolist() == ["01053", "44002", "49007"]
    assert back[colonne].iloc[0] == 12.5 and np.isnan(back[colonne].iloc[1])


def test_csv_reads_back_with_french_settings_and_codes_stay_text():
    text = csv_fr(_table(), ["Source : test"]).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#", dtype={"code": str})
    assert back["code"].tolist() == ["49007", "44002"]
    assert back["valeur"].iloc[0] == 21.0 and np.isnan(back["valeur"].iloc[1])


def test_geojson_keeps_secret_as_null_and_carries_source_and_millesime():
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": c, "properties": {}, "geometry": {"type": "Point", "coordinates": [0, 47]}}
            for c in ("49007", "44002", "99999")
        ],
    }
    out = json.loads(geojson_fr(geo, _table(), ["nom", "valeur", "statut"], {"source": "INSEE", "millesime": "2021"}))
    assert out["source"] == "INSEE" and out["millesime"] == "2021" and "date_extraction" in out
    props = {f["id"]: f["properties"] for f in out["features"]}
    assert props["44002"]["valeur"] is None and props["44002"]["statut"] == "secret"
    assert props["49007"]["valeur"] == 21.0
    assert "99999" not in props  # territories without a row are not exported


def test_the_header_lines_read_as_french_a_date_in_words_and_no_space_before_a_comma():
    import datetime as dt

    from atlas.formatting import format_date_fr

    data = csv_fr(_table(), ["Sources : ANCT France services 01/08/2024 ; INSEE RP 2020", "a ; b; c"])
    lignes = data.decode("utf-8-sig").split("\r\n")
    # a « ; » becomes a comma (one spreadsheet cell per line), written as French writes a comma
    assert lignes[0] == "# Sources : ANCT France services 01/08/2024, INSEE RP 2020"
    assert lignes[1] == "# a, b, c"
    # « 2 décembre 2026 », as on the images and slides, not « 2026-12-02 »
    assert lignes[2] == f"# Date d'extraction : {format_date_fr(dt.date.today())}"
