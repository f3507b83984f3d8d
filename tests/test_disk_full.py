"""A full disk and a read-only database: the write fails as a whole, the user reads a clear
Dutch "NIET opgeslagen" and keeps every answer, and once there is room again the same report
goes through.

The full disk is real: a 4 MB tmpfs mounted for the test (needs root; CI runs as root).
Without root the test is skipped locally, and fails under ``CI=true``. The read-only file is
a connection opened with SQLite's ``mode=ro`` (root ignores file permissions, so ``chmod``
would prove nothing on CI).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

import navigation
from datalek import store
from datalek.accounts import audit_verify
from datalek.handling import incidents
from datalek.models import Actor
from tests.conftest import make_report
from tests.pages.conftest import (  # noqa: F401 - autouse fixtures for the AppTest cases below
    _browser_cookies,
    _navigation_always_runs_app_py,
    _serializable_state_without_apptest_bookkeeping,
    count_rows,
    errors,
    fill_valid_report,
    signed_in,
    state_get,
    submit_report_form,
)

NOT_SAVED = "NIET opgeslagen"
DESCRIPTION = "Verslag per e-mail naar een verkeerde ouder gestuurd (schijf vol)."


def _require_root() -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("the disk-full test needs root to mount a tmpfs (CI runs as root)")
        pytest.skip("needs root to mount a small tmpfs (runs on CI)")


@pytest.fixture
def small_disk(world, db_path, tmp_path, monkeypatch):
    """The test world on a 4 MB tmpfs, with DATALEK_DB pointing at it."""
    _require_root()
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        reason = f"mounting a tmpfs was refused: {mounted.stderr.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI must run as root with the right to mount)")
        pytest.skip(reason)
    try:
        path = mount / "datalek.db"
        source, target = sqlite3.connect(db_path), sqlite3.connect(path)
        source.backup(target)
        source.close(), target.close()
        store.migrate(path)
        monkeypatch.setenv("DATALEK_DB", str(path))
        yield path
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_up(path: Path) -> Path:
    """Checkpoint the WAL to nothing and close every connection (those kept idle for a next
    unit too, as when the server restarts: the last one closed removes the -wal and -shm
    files), then take every free byte of the filesystem."""
    store.close_idle()
    db = store.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    filler = path.parent / "filler"
    chunk = b"\0" * 4096
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _state(path: Path) -> tuple:
    with store.unit(path) as db:
        return (
            db.execute("SELECT count(*) FROM incidents").fetchone()[0],
            db.execute("SELECT count(*) FROM status_changes").fetchone()[0],
            db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            db.execute("PRAGMA integrity_check").fetchone()[0],
            audit_verify.verify(db).intact,
        )


def test_a_full_disk_refuses_the_whole_write_and_recovers(small_disk, world):
    before = _state(small_disk)
    db = store.connect(small_disk)  # open before the disk fills: its -wal and -shm exist
    try:
        filler = fill_up(small_disk)
        with pytest.raises(store.StorageError):
            incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    finally:
        db.close()
    filler.unlink()
    assert _state(small_disk) == before  # nothing half-written
    with store.unit(small_disk) as db:
        made = incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    assert _state(small_disk)[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert made.reference.startswith("DL-")


def test_without_room_for_the_wal_files_opening_is_a_storage_error(small_disk):
    """With no connection open SQLite has removed the -wal and -shm files; the next one must
    create them, which a full disk refuses."""
    filler = fill_up(small_disk)
    with pytest.raises(store.StorageError):
        store.connect(small_disk)
    filler.unlink()
    store.connect(small_disk).close()


def test_on_a_full_disk_the_user_reads_not_saved_and_keeps_the_answers(small_disk, world):
    at = signed_in(world["reporter"], navigation.REPORT)
    fill_valid_report(at, description=DESCRIPTION)
    filler = fill_up(small_disk)
    submit_report_form(at)
    assert not at.exception
    assert any(NOT_SAVED in e for e in errors(at)), errors(at)
    assert state_get(at, "r_done") is None
    filler.unlink()
    assert count_rows(small_disk, "incidents") == 0
    at.run()  # the next click, once there is room again: the answers are back
    assert at.text_area(key="r_description").value == DESCRIPTION
    submit_report_form(at)
    assert not at.exception and count_rows(small_disk, "incidents") == 1
    assert state_get(at, "r_done") is not None


def _read_only_connect(real_connect):
    def connect(path=None, *, must_exist=True):
        db = real_connect(path, must_exist=must_exist)
        target = db.conn.execute("PRAGMA database_list").fetchone()[2]
        db.close()
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=10)
        from sqlite_utils import Database

        ro = Database(conn, execute_plugins=False)
        ro.execute(f"PRAGMA busy_timeout={store.BUSY_TIMEOUT_MS}")
        return ro

    return connect


def test_a_read_only_database_refuses_the_write_with_a_storage_error(world, db_path, monkeypatch):
    before = _state(db_path)
    monkeypatch.setattr(store, "connect", _read_only_connect(store.connect))
    with store.unit(db_path) as db, pytest.raises(store.StorageError):
        incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    monkeypatch.undo()
    assert _state(db_path) == before


def test_a_read_only_database_shows_not_saved_and_keeps_the_answers(world, db_path, monkeypatch):
    at = signed_in(world["reporter"], navigation.REPORT)
    fill_valid_report(at, description=DESCRIPTION)
    monkeypatch.setattr(store, "connect", _read_only_connect(store.connect))
    submit_report_form(at)
    assert not at.exception
    assert any(NOT_SAVED in e for e in errors(at)), errors(at)
    assert at.text_area(key="r_description").value == DESCRIPTION
    monkeypatch.undo()
    assert count_rows(db_path, "incidents") == 0


def test_the_cli_operator_is_refused_too(world, db_path, monkeypatch):
    monkeypatch.setattr(store, "connect", _read_only_connect(store.connect))
    with store.unit(db_path) as db, pytest.raises(store.StorageError):
        from datalek.accounts.organisations import create_organisation

        create_organisation(db, Actor.cli(), "Gemeente Alleen-Lezen")
