"""Reading a visit CSV: the fast Arrow reader gives exactly the cells and line numbers pandas' parser gives."""

from __future__ import annotations

import pytest

from etl import visits_reading

HEADER = "date_contact;structure;code_commune;canal;bilan_realise;non_recours"
CASES = {
    "guillemets": HEADER + '\n2024-01-01;"Asso; ""X""";49007;pap;oui;RSA\n',
    "retour_a_la_ligne_entre_guillemets": HEADER
    + '\n2024-01-01;"Asso\nbis";49007;pap;oui;RSA\n2024-01-02;B;49007;pap;non;\n',
    "crlf_et_na": HEADER.replace("\n", "\r\n") + "\r\n2024-01-01;A;49007;pap;oui;NA\r\n",
    "sans_fin_de_ligne": HEADER + "\n2024-01-01;A;49007;pap;oui;null",
    "virgules": HEADER.replace(";", ",") + '\n2024-01-01,"A, B",49007,pap,oui,"RSA|PA"\n',
    "guillemet_au_milieu": HEADER + '\n2024-01-01;A"b;49007;pap;oui;RSA\n',
    "bom": "\ufeff" + HEADER + "\n2024-01-01;A;49007;pap;oui;RSA\n",
    "en_tete_seul": HEADER + "\n",
}


@pytest.mark.parametrize("name", CASES)
def test_a_csv_gives_the_same_cells_and_line_numbers_with_either_reader(name, tmp_path, monkeypatch):
    path = tmp_path / f"{name}.csv"
    path.write_text(CASES[name], encoding="utf-8", newline="")
    used = []
    arrow = visits_reading._read_csv_arrow
    monkeypatch.setattr(visits_reading, "_read_csv_arrow", lambda *args: used.append(arrow(*args)) or used[-1])
    fast = visits_reading.read_table(path, path.name)
    assert used and used[0] is not None  # the file was read by Arrow's reader
    monkeypatch.setattr(visits_reading, "_read_csv_arrow", lambda *_args: None)
    reference = visits_reading.read_table(path, path.name)
    assert list(fast.columns) == list(reference.columns)
    assert fast.index.equals(reference.index)
    assert fast.equals(reference)


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "\n2024-01-01;A;49007\n",  # a row too short: pandas fills it
        HEADER + "\n2024-01-01;A;49007;pap;oui;RSA\n\n2024-01-02;A;49007;pap;oui;RSA\n",  # a blank line counts
        HEADER + ";structure\n2024-01-01;A;49007;pap;oui;RSA;B\n",  # a repeated header: pandas renames it
    ],
)
def test_a_csv_arrow_cannot_read_like_pandas_is_left_to_pandas(text, tmp_path):
    path = tmp_path / "visites.csv"
    path.write_text(text, encoding="utf-8")
    assert visits_reading._read_csv_arrow(path.read_bytes(), "utf-8-sig", ";") is None
