"""Personal data written in a cell are refused and never stored nor echoed (issue 19, item 10).

The header guard refuses a « téléphone » column, but a phone number typed into « structure »
was stored in clear and listed in a filter. A value that looks like a phone number, an e-mail
or a NIR, or a text over 80 characters, now rejects its row; the rejects show it masked.
"""

import duckdb
import pytest

from etl import visits
from etl import visits_format as fmt

HEADER = "date_contact;structure;code_commune;canal;bilan_realise;non_recours;profil_menage;tranche_age;id_contact"
VALID = ["2025-02-03", "Association Horizon", "49007", "permanence", "oui", "RSA", "personne seule", "25-39", "H-1"]
COLUMNS = HEADER.split(";")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Mme Dupont 06 12 34 56 78", "numéro de téléphone"),
        ("0612345678", "numéro de téléphone"),
        ("06.12.34.56.78", "numéro de téléphone"),
        ("+33 6 12 34 56 78", "numéro de téléphone"),
        ("0033 (0)2 41 00 00 00", "numéro de téléphone"),
        ("contact jean.dupont@example.fr", "adresse électronique"),
        ("1 85 05 78 006 084 36", "numéro de sécurité sociale (NIR)"),
        ("1850578006084", "numéro de sécurité sociale (NIR)"),
        ("2 85 05 2A 006 084", "numéro de sécurité sociale (NIR)"),
        ("x" * 81, "texte trop long"),
    ],
)
def test_values_looking_like_personal_data_are_recognised(value, kind):
    assert fmt.personal_value_kind(value) == kind


@pytest.mark.parametrize(
    "value", ["Association Horizon 44", "CCAS d'Angers", "R-000123", "2025-02-03", "490070101", "QN04901M", "x" * 80]
)
def test_ordinary_values_are_not_taken_for_personal_data(value):
    assert fmt.personal_value_kind(value) is None


@pytest.fixture
def db(db_copy):
    return db_copy


def _row(**changes) -> str:
    values = dict(zip(COLUMNS, VALID, strict=True)) | changes
    return ";".join(values[c] for c in COLUMNS)


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        ("structure", "Mme Dupont 06 12 34 56 78 dupont@example.fr", "adresse électronique"),
        ("structure", "Mme Dupont 06 12 34 56 78", "numéro de téléphone"),
        ("profil_menage", "1 85 05 78 006 084 36", "numéro de sécurité sociale (NIR)"),
        ("tranche_age", "07 11 22 33 44", "numéro de téléphone"),
        ("id_contact", "jean@example.fr", "adresse électronique"),
        ("structure", "Association " + "très " * 20, "texte trop long"),
    ],
)
def test_a_personal_value_rejects_its_row_and_is_masked_everywhere(db, tmp_path, column, value, kind):
    path = tmp_path / "visites.csv"
    path.write_text("\n".join([HEADER, _row(), _row(**{column: value}), _row(id_contact="H-2")]) + "\n", "utf-8")
    result = visits.import_visits(db, path, log=lambda _l: None)
    assert (result.lues, result.chargees, result.rejetees) == (3, 2, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        rejet = con.execute("select ligne, colonne, valeur, motif from rejets where source = 'visites'").fetchall()
        stored = con.execute("select * from visites where not demonstration").fetchall()
    assert rejet[0][:3] == (3, column, f"[masqué : {kind}]")
    motif = "valeur trop longue (111 caractères ; 80 au plus)" if kind == "texte trop long" else kind
    assert motif in rejet[0][3] and value not in rejet[0][3]
    assert value.strip() not in repr(stored)
    rejects_file = result.rejets_path.read_text(encoding="utf-8-sig")
    assert value.strip() not in rejects_file  # neither in « valeur » nor in the copied row
    assert rejects_file.count(f"[masqué : {kind}]") == 2
    assert ";49007;permanence;" in rejects_file  # the rest of the row is there, to fix it


def test_a_personal_value_wins_over_any_other_problem_of_the_row(db, tmp_path):
    # an unknown orientation would echo the value in its reason: the personal-data check runs first
    path = tmp_path / "visites.csv"
    path.write_text(
        "\n".join([HEADER + ";orientation", _row() + ";CAF", _row(canal="inconnu") + ";appeler le 06 12 34 56 78"])
        + "\n",
        "utf-8",
    )
    result = visits.import_visits(db, path, log=lambda _l: None)
    with duckdb.connect(str(db), read_only=True) as con:
        rejet = con.execute("select colonne, valeur from rejets where source = 'visites'").fetchall()
    assert rejet == [("orientation", "[masqué : numéro de téléphone]")]
    assert "06 12 34 56 78" not in result.rejets_path.read_text(encoding="utf-8-sig")
