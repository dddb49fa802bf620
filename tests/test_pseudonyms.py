"""Pseudonym hashes of the visit data are keyed: a guessable id_contact cannot be found again."""

import hashlib
import os
import stat

import duckdb
import pytest

from etl import pseudonymes
from etl import visits_format as fmt
from etl.visits import import_visits

ENTETE = "date_contact;structure;code_commune;canal;bilan_realise;non_recours;orientation;droits_ouverts;id_contact"


@pytest.fixture
def built_db_copy(db_copy):
    """A writable copy of the session database, in its own folder (its own key file)."""
    return db_copy


def _fichier(tmp_path, nom="visites.csv"):
    chemin = tmp_path / nom
    chemin.write_text(
        ENTETE + "\n2025-03-04;Association Horizon;49007;porte_a_porte;oui;RSA;CAF;RSA;1001\n", encoding="utf-8"
    )
    return chemin


def test_contact_hash_is_not_the_plain_sha256_of_the_pseudonym(built_db_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_SEL_PSEUDONYMES", raising=False)
    import_visits(built_db_copy, _fichier(tmp_path), log=lambda _l: None)
    with duckdb.connect(str(built_db_copy), read_only=True) as con:
        (stocke,) = con.execute("select id_contact_hash from visites where id_contact_hash is not null").fetchone()
    # trying candidates with a plain hash finds nothing: the key is needed
    structure = fmt.normalise("Association Horizon")
    candidats = {hashlib.sha256(f"{structure}\x1f{i}".encode()).hexdigest() for i in range(2000)}
    assert stocke not in candidats
    cle = pseudonymes.cle(built_db_copy.parent)
    assert stocke == pseudonymes.pseudonyme(cle, f"{structure}\x1f1001")


def test_key_file_is_created_once_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_SEL_PSEUDONYMES", raising=False)
    premiere = pseudonymes.cle(tmp_path)
    assert pseudonymes.cle(tmp_path) == premiere and len(premiere) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / pseudonymes.FICHIER_CLE).st_mode)
    assert mode == 0o600


def test_key_from_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_SEL_PSEUDONYMES", "secret-du-serveur")
    assert pseudonymes.cle(tmp_path) == b"secret-du-serveur"
    assert not (tmp_path / pseudonymes.FICHIER_CLE).exists()


def test_reimporting_with_the_same_key_finds_the_same_contact(built_db_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("ATLAS_SEL_PSEUDONYMES", raising=False)
    premier = import_visits(built_db_copy, _fichier(tmp_path), log=lambda _l: None)
    second = import_visits(built_db_copy, _fichier(tmp_path, "encore.csv"), log=lambda _l: None)
    assert premier.chargees == 1 and second.doublons == 1 and second.chargees == 0


@pytest.mark.parametrize("cle", [b"court", b"k" * 64, b"une cle plus longue qu'un bloc de SHA-256 " * 3])
def test_the_fast_pseudonymiser_gives_the_same_values_as_the_reference_hmac(cle):
    # a change here would make every re-import count its households twice
    for prefixe, texte in [("", "association_horizon\x1f1001"), ("contact\x1f", "structure\x1fé-42")]:
        assert pseudonymes.pseudonymiseur(cle, prefixe)(texte) == pseudonymes.pseudonyme(cle, prefixe + texte)


# Stored keys of a small file under a fixed key, as the atlas has always computed them: a database
# built before a change of the import code must find its households again on the next import.
_STABLE = (
    "date_contact;structure;code_commune;canal;bilan_realise;non_recours;orientation;droits_ouverts;id_contact\n"
    "2025-03-04;Association Horizon;49007;porte_a_porte;oui;RSA;CAF;RSA;1001\n"
    "2025-03-05;Association  horizon ;49007;permanence;oui;;;;1002\n"
    "2025-03-06;Association Horizon;49007;permanence;non;;;;\n"
    "2025-03-06;Association Horizon;49007;permanence;non;;;;\n"
    "04/03/2025;CCAS;49015;telephone;oui;AL|RSA;CCAS;;\n"
)
_STABLE_KEYS = {
    (None, "8c2fadeb5fed6030292eaf77d3521eadec410cf827ab77542e7afae8378559e3"),
    (
        "614cc319d4c12c8f6758df40b58ef133168fb1a2978399696182046d198af1fc",
        "b1296308f75704eece6b1c62f32d28748a1c296368ccc4b8198396d9dbc3e7f6",
    ),
    (
        "c1583a7a64933302695b61f2309b49180d4f0a905e7b04f8db5728a6f5d1075a",
        "7c52fe59f65bbfd24b6f3843bfde2cde5caa7857db615e59189bcd101d4701cb",
    ),
    (None, "8bd6e2810d0a5299f16eb6bdd226593a462da1e8f56bb8d77eaf84a8efee465b"),
    (None, "c2818bb3762bc00c45ad6479f44b4c95650f8ae25397c1f63dfd08aa5b164e88"),
}


def test_the_same_key_gives_the_same_stored_pseudonyms_and_visit_ids_as_earlier_databases(
    built_db_copy, tmp_path, monkeypatch
):
    monkeypatch.setenv("ATLAS_SEL_PSEUDONYMES", "cle-de-test-stable")
    chemin = tmp_path / "visites.csv"
    chemin.write_text(_STABLE, encoding="utf-8")
    assert import_visits(built_db_copy, chemin, log=lambda _l: None).chargees == 5
    with duckdb.connect(str(built_db_copy), read_only=True) as con:
        stockes = set(con.execute("select id_contact_hash, id_visite from visites where not demonstration").fetchall())
    assert stockes == _STABLE_KEYS
