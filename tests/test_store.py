"""Storage: connections, migrations, transactions, backups and behaviour under concurrency."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from datalek import store
from datalek.accounts import audit, audit_verify
from datalek.accounts.organisations import list_organisations
from datalek.handling import incidents
from datalek.models import Actor
from datalek.store import incidents as incident_sql
from datalek.store import schema
from tests.conftest import NOW, World, make_report

# --- connections ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pragma, expected",
    [
        ("foreign_keys", 1),
        ("synchronous", 2),  # FULL: these are legal records
        ("journal_mode", "wal"),
    ],
    ids=["foreign-keys-on", "synchronous-full", "journal-mode-wal"],
)
def test_every_connection_has_the_house_pragmas(db_path: Path, pragma: str, expected) -> None:
    for _ in range(2):  # not just the first connection: every one
        with store.unit(db_path) as db:
            assert db.execute(f"PRAGMA {pragma}").fetchone()[0] == expected


def test_busy_timeout_is_at_least_five_seconds(db_path: Path) -> None:
    with store.unit(db_path) as db:
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_are_enforced(fresh_db) -> None:
    with pytest.raises(sqlite3.IntegrityError), store.write(fresh_db):
        fresh_db.execute("INSERT INTO memberships (user_id, org_id) VALUES (?, ?)", [12345, 67890])


def test_missing_database_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "datalek.db"
    with pytest.raises(store.DatabaseMissing):
        store.connect(missing)
    with pytest.raises(store.DatabaseMissing), store.unit(missing):
        pass  # pragma: no cover
    assert not missing.exists()
    assert not store.is_current(missing)


# --- migrations -----------------------------------------------------------------------


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    first = store.migrate(path)
    assert first  # a new database gets every migration
    assert first == sorted(first), "migrations are named in sortable order"
    assert store.is_current(path)

    with store.unit(path) as db:
        tables = set(db.table_names())
    assert {"organisations", "users", "incidents", "audit_log"} <= tables

    assert store.migrate(path) == []  # the second run applies nothing
    assert store.is_current(path)


def test_migrating_again_keeps_the_data(db_path: Path, world: World) -> None:
    with store.unit(db_path) as db:
        incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
        before = incident_sql.count(db), db.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    assert store.migrate(db_path) == []

    with store.unit(db_path) as db:
        after = incident_sql.count(db), db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert audit_verify.verify(db).intact
    assert after == before


# --- transactions ---------------------------------------------------------------------


def _organisation_names(path: Path) -> list[str]:
    with store.unit(path) as db:
        return [r["name"] for r in db.query("SELECT name FROM organisations ORDER BY name")]


def test_write_rolls_back_everything_on_an_exception(db_path: Path, fresh_db) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.write(fresh_db):
        fresh_db.execute(
            "INSERT INTO organisations (name, created_at) VALUES (?, ?)",
            ["Half geschreven", NOW.isoformat()],
        )
        audit.append(fresh_db, Actor.cli(), "organisation.create", "organisation", 1)
        raise Boom

    assert not fresh_db.conn.in_transaction
    assert _organisation_names(db_path) == []  # seen from another connection, too
    assert fresh_db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_write_commits_on_success(db_path: Path, fresh_db) -> None:
    with store.write(fresh_db):
        fresh_db.execute(
            "INSERT INTO organisations (name, created_at) VALUES (?, ?)",
            ["Gemeente Heel", NOW.isoformat()],
        )
    assert not fresh_db.conn.in_transaction
    assert _organisation_names(db_path) == ["Gemeente Heel"]


def test_write_lets_integrity_errors_through_and_rolls_back(db_path: Path, fresh_db) -> None:
    insert = "INSERT INTO organisations (name, created_at) VALUES (?, ?)"
    with store.write(fresh_db):
        fresh_db.execute(insert, ["Dubbel", NOW.isoformat()])
    with pytest.raises(sqlite3.IntegrityError), store.write(fresh_db):
        fresh_db.execute(insert, ["Uniek", NOW.isoformat()])
        fresh_db.execute(insert, ["Dubbel", NOW.isoformat()])
    assert _organisation_names(db_path) == ["Dubbel"]


def test_write_takes_the_write_lock_at_begin(db_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer is kept out before the first has written anything."""
    with store.unit(db_path) as first, store.unit(db_path) as second:
        second.execute("PRAGMA busy_timeout=0")  # fail at once instead of waiting
        with store.write(first):
            with pytest.raises(store.StorageError, match="locked"), store.write(second):
                pass  # pragma: no cover
            # Readers are never kept out (WAL).
            assert second.execute("SELECT count(*) FROM organisations").fetchone()[0] == 0
        assert not second.conn.in_transaction
        with store.write(second):  # once the first has committed, the second gets its turn
            pass


# --- backups --------------------------------------------------------------------------

TABLES = ["organisations", "users", "memberships", "incidents", "status_changes", "audit_log"]


def _rows(path: Path) -> dict[str, list[tuple]]:
    with store.unit(path) as db:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def test_backup_copies_every_row_and_checks_the_copy(db_path: Path, world: World, tmp_path: Path) -> None:
    with store.unit(db_path) as db:
        for _ in range(3):
            incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    target = tmp_path / "backup" / "copy.db"
    target.parent.mkdir()

    assert store.backup(db_path, target) == "ok"

    assert _rows(target) == _rows(db_path)
    assert len(_rows(target)["incidents"]) == 3
    with store.unit(target) as copy:
        assert audit_verify.verify(copy).intact
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.is_current(target)


def test_backup_refuses_to_overwrite_an_existing_file(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing.db"
    target.write_bytes(b"an earlier backup")
    with pytest.raises(FileExistsError):
        store.backup(db_path, target)
    assert target.read_bytes() == b"an earlier backup"


def test_backup_of_a_missing_database_fails(tmp_path: Path) -> None:
    with pytest.raises(store.DatabaseMissing):
        store.backup(tmp_path / "missing.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


# --- concurrency ----------------------------------------------------------------------
#
# Every thread opens its own connection per unit of work, as a Streamlit rerun does, and
# goes through the real domain function: permission check, next sequence number (a read),
# insert, status history and audit entry (writes) in one transaction.


SNAPSHOT = """
    SELECT (SELECT count(*) FROM incidents),
           (SELECT count(*) FROM status_changes),
           (SELECT count(*) FROM audit_log WHERE action = 'incident.create')
"""


def _run_concurrently(
    db_path: Path, world: World, writers: int, per_writer: int, readers: int
) -> tuple[list[str], list[int]]:
    """Submit ``writers × per_writer`` reports while ``readers`` threads query in loops.

    Returns the references handed out and, per reader, the number of incidents its last
    read saw. Any exception in any thread fails the test.
    """
    report = make_report(world.org.id)
    reporters = [world["reporter"], world["reporter2"]]
    errors: list[BaseException] = []
    references: list[str] = []
    seen = [0] * readers
    lock = threading.Lock()
    start = threading.Barrier(writers + readers)
    writing_done = threading.Event()

    def writer(i: int) -> None:
        actor = reporters[i % len(reporters)]
        mine = []
        try:
            start.wait()
            for _ in range(per_writer):
                with store.unit(db_path) as db:
                    mine.append(incidents.submit_report(db, actor, report, at=NOW).reference)
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)
        finally:
            with lock:
                references.extend(mine)

    def reader(i: int) -> None:
        try:
            start.wait()
            while True:
                done = writing_done.is_set()  # read once more after the writers finished
                with store.unit(db_path) as db:
                    # One statement, one snapshot: a reader never sees half a report.
                    made, history, audited = db.execute(SNAPSHOT).fetchone()
                    assert made == history == audited, "a reader saw a half-written report"
                    assert made >= seen[i], "a committed incident disappeared"
                    seen[i] = made
                    # What the FG's queue and the employee's list read.
                    incident_sql.queue(db, [world.org.id], ["reported"], None, None, limit=25)
                    incident_sql.by_reporter(db, reporters[i % len(reporters)].user_id, limit=25)
                if done:
                    break
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    reading = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in threads + reading:
        t.start()
    for t in threads:
        t.join()
    writing_done.set()
    for t in reading:
        t.join()

    assert errors == [], f"{len(errors)} thread(s) failed, first: {errors[0]!r}"
    return references, seen


def _assert_all_committed_once(db_path: Path, world: World, expected: int, refs: list[str]):
    year = NOW.year
    assert len(refs) == expected
    assert len(set(refs)) == expected, "a reference number was handed out twice"

    with store.unit(db_path) as db:
        assert incident_sql.count(db) == expected
        rows = list(
            db.query(
                "SELECT id, seq, reference FROM incidents WHERE org_id = ? AND year = ? ORDER BY seq",
                [world.org.id, year],
            )
        )
        # Gapless and unique per (organisation, year): 1..N.
        assert [r["seq"] for r in rows] == list(range(1, expected + 1))
        assert sorted(refs) == [r["reference"] for r in rows]
        assert all(r["reference"] == incidents.reference(year, r["seq"]) for r in rows)

        # Each incident has its first status change: the writes of one report are atomic.
        assert db.execute("SELECT count(*) FROM status_changes").fetchone()[0] == expected

        # The audit chain did not fork and records each creation exactly once.
        check = audit_verify.verify(db)
        assert check.intact, check.message
        assert check.entries == db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        created = [
            r["object_id"]
            for r in db.query("SELECT object_id FROM audit_log WHERE action = 'incident.create'")
        ]
        assert len(created) == expected
        assert sorted(int(c) for c in created) == sorted(r["id"] for r in rows)
        refused = db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'")
        assert refused.fetchone()[0] == 0


@pytest.mark.slow
def test_16_writers_and_4_readers_lose_nothing(db_path: Path, world: World) -> None:
    refs, seen = _run_concurrently(db_path, world, writers=16, per_writer=100, readers=4)
    _assert_all_committed_once(db_path, world, 1600, refs)
    assert seen == [1600] * 4  # every reader's last read sees every commit


@pytest.mark.slow
def test_64_writers_lose_nothing(db_path: Path, world: World) -> None:
    refs, seen = _run_concurrently(db_path, world, writers=64, per_writer=20, readers=4)
    _assert_all_committed_once(db_path, world, 1280, refs)
    assert seen == [1280] * 4


def test_a_database_of_version_0_1_0_keeps_its_fg_details_under_the_new_names(tmp_path: Path) -> None:
    """Migration 0005 renames the FG columns to dpo_*: an existing installation keeps its data."""
    path = tmp_path / "old.db"
    old = Migrations("datalek")  # the schema as version 0.1.0 left it: migrations 0001-0004
    for name, step in [
        ("0001_initial", schema.m0001_initial),
        ("0002_assessment_decision", schema.m0002_assessment_decision),
        ("0003_follow_up", schema.m0003_follow_up),
        ("0004_dashboard", schema.m0004_dashboard),
    ]:
        old(name=name)(step)
    db = store.connect(path, must_exist=False)
    try:
        old.apply(db)
        db.execute(
            "INSERT INTO organisations (name, fg_name, fg_email, fg_phone, youth_care, created_at)"
            " VALUES ('Gemeente Oud', 'A. de Vries', 'fg@oud.invalid', '010-1234567', 1, '2026-01-01')"
        )
        db.conn.commit()
    finally:
        db.close()

    applied = store.migrate(path)  # 0.1.0 -> now: every migration from 0005 on, in order
    assert applied[0] == "0005_dpo_columns"
    assert applied == sorted(applied) and len(applied) == len(schema.MIGRATIONS._migrations) - 4

    with store.unit(path) as db:
        [org] = list_organisations(db, Actor.cli())
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        columns = {c.name for c in db["organisations"].columns}
    assert (org.name, org.dpo_name, org.dpo_email, org.dpo_phone, org.youth_care) == (
        "Gemeente Oud",
        "A. de Vries",
        "fg@oud.invalid",
        "010-1234567",
        True,
    )
    assert not {c for c in columns if c.startswith("fg_")}


def test_the_migrations_are_registered_oldest_first_and_each_once():
    """``datalek/store/schema/`` holds them in modules per stage: importing those modules in the
    wrong order would apply a newer migration before an older one."""
    names = [m.name for m in schema.MIGRATIONS._migrations]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert [int(n[:4]) for n in names] == list(range(1, len(names) + 1))
