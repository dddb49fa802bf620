"""Read cache freshness: after a swap or import, cached connections and queries read the new file."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from tests.apptest_helpers import run_page


def _with_layer(source, target, couche: str) -> None:
    """Write to ``target`` a copy of ``source`` with one more service layer (one site)."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    con.execute(
        "insert into services values (?, 'x1', 'Site test', null, null, null, -1.55, 47.22, 'test', true, 'coordonnees')",
        [couche],
    )
    con.execute("checkpoint")
    con.close()


@pytest.fixture
def db(built_db, tmp_path, monkeypatch):
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def test_a_swapped_file_is_read_while_a_connection_to_the_old_one_is_cached(db, tmp_path):
    from atlas import zones_blanches as zb

    assert "garages" not in zb.contexte()["couches"]  # caches a connection to the current file
    _with_layer(db, tmp_path / "new.duckdb", "garages")
    os.replace(tmp_path / "new.duckdb", db)
    assert "garages" in zb.contexte()["couches"]


def test_stamp_changes_when_the_content_changes_under_the_same_inode_and_mtime(db, tmp_path):
    from atlas.db import db_stamp

    before = db_stamp()
    stat = db.stat()
    _with_layer(db, tmp_path / "new.duckdb", "garages")
    shutil.copyfile(tmp_path / "new.duckdb", db)  # rewritten in place: same inode
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a coarse-mtime file system would show it
    assert db.stat().st_ino == stat.st_ino and db.stat().st_mtime_ns == stat.st_mtime_ns
    assert db_stamp() != before


def test_two_app_runs_around_a_command_line_import_show_the_new_layer(db, tmp_path):
    from etl.services_import import import_services

    first = run_page("pages/zones_blanches.py")
    assert not any("permanences" in o for o in first.button_group(key="zb_couches").options)
    csv = tmp_path / "permanences.csv"
    csv.write_text("nom;type;code_commune\nPermanence;permanence;44109\n", encoding="utf-8")
    import_services(csv, db, "permanences")  # the CLI path: nobody clears st.cache_data
    second = run_page("pages/zones_blanches.py")
    assert any("permanences" in o for o in second.button_group(key="zb_couches").options)
