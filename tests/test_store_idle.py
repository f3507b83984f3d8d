"""A finished unit of work leaves its connection for the next unit on the same file
(``store._Idle``): opening a connection parses the whole schema. Kept only when it is as
``connect`` made it, and never handed to a unit of another file or of a file replaced at the
same path."""

from __future__ import annotations

import shutil
import threading

import pytest

from datalek import store


@pytest.fixture
def path(tmp_path):
    made = tmp_path / "idle.db"
    store.migrate(made)
    yield made
    store.close_idle()


def _connection_of(path):
    with store.unit(path) as db:
        return db


def test_the_next_unit_on_the_same_file_gets_the_same_connection(path):
    assert _connection_of(path) is _connection_of(path)


def test_a_unit_that_failed_does_not_hand_its_connection_on(path):
    with pytest.raises(RuntimeError), store.unit(path) as db:
        failed = db
        raise RuntimeError("the unit fails")
    assert _connection_of(path) is not failed


@pytest.mark.parametrize(
    "left_behind",
    sorted(
        [
            "ATTACH ':memory:' AS scratch",  # a recount's scratch file left attached
            "BEGIN",
            "CREATE TEMP TABLE scratch (x)",
            "PRAGMA foreign_keys=OFF",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=5",
        ]
    ),
)
def test_a_connection_changed_by_its_unit_is_closed_not_kept(path, left_behind):
    with store.unit(path) as db:
        db.execute(left_behind)
        changed = db
    fresh = _connection_of(path)
    assert fresh is not changed
    assert fresh.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not fresh.conn.in_transaction


def test_a_database_replaced_at_the_same_path_is_read_through_a_new_connection(path, tmp_path):
    other = tmp_path / "other.db"
    store.migrate(other)
    with store.unit(other) as db, store.write(db):
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Gemeente Vervangen', '2026-01-01')")
    store.close_idle()  # the copy is made with the WAL checkpointed into the file
    old = _connection_of(path)
    path.unlink()
    shutil.copy(other, path)
    with store.unit(path) as db:
        assert db is not old
        names = [r[0] for r in db.execute("SELECT name FROM organisations")]
    assert "Gemeente Vervangen" in names


def test_another_file_never_gets_this_files_connection(path, tmp_path):
    other = tmp_path / "second.db"
    store.migrate(other)
    assert _connection_of(other) is not _connection_of(path)


def test_units_in_many_threads_each_have_a_connection_of_their_own(path):
    seen: list[int] = []
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with store.unit(path) as db:
                barrier.wait(5)  # all eight units are open at the same moment
                seen.append(id(db))
                db.execute("SELECT count(*) FROM incidents").fetchone()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    assert len(set(seen)) == 8
    assert len(store._IDLE._waiting) <= store._Idle.LIMIT


def test_no_more_than_the_limit_wait(path, tmp_path):
    paths = []
    for n in range(store._Idle.LIMIT + 4):
        paths.append(tmp_path / f"many{n}.db")
        shutil.copy(path, paths[-1])
    store.close_idle()
    for p in paths:
        _connection_of(p)
    assert len(store._IDLE._waiting) == store._Idle.LIMIT


def test_a_checkpoint_that_writes_the_file_keeps_its_idle_connections(path):
    """A checkpoint writes the database file (its change time moves) many times a minute on a
    busy server: that is the same file, and its idle connections stay usable. Before, every
    checkpoint made all idle connections wait in vain, and the next burst of units opened new
    ones at once (the writers benchmark's p99)."""
    kept = _connection_of(path)
    with store.unit(path) as db, store.write(db):
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Gemeente Check', '2026-01-01')")
    with store.unit(path) as db:
        assert db is kept
        other = store.connect(path)
    try:
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        other.close()
    with store.unit(path) as db:
        assert db is kept
        assert "Gemeente Check" in [r[0] for r in db.execute("SELECT name FROM organisations")]
