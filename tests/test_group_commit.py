"""Group commit (``datalek.store.group_commit``): the reports of one process are written by one
thread, many per COMMIT, each in its own savepoint. A report that fails fails alone, a caller
returns only after its group committed, and a writer that dies or stops leaves nobody waiting.

Groups are made deterministic with a *blocker*: a job that holds the writer inside its
transaction until the test lets it go, while the reports the test wants in one group queue."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future

import pytest

from datalek import config, store, submissions
from datalek.accounts import audit, audit_verify
from datalek.handling import incidents
from datalek.models import Actor
from datalek.store import group_commit
from tests.conftest import NOW, eventually, make_report


def _count(db_path, table: str = "incidents") -> int:
    with store.unit(db_path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _in_thread(fn, *args) -> tuple[threading.Thread, Future]:
    """Run ``fn(*args)`` in a thread; its outcome lands in the returned future."""
    done: Future = Future()

    def target():
        try:
            done.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            done.set_exception(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, done


def _submit(db_path, actor, key: str | None = None):
    with store.unit(db_path) as db:
        if key is None:
            return incidents.submit_report(db, actor, make_report(actor.org_ids[0]), at=NOW)
        with submissions.once(db, actor, key, "r_"):
            return incidents.submit_report(db, actor, make_report(actor.org_ids[0]), at=NOW)


class Blocker:
    """A job that keeps the writer inside its transaction until ``release``."""

    def __init__(self, db_path):
        self.inside, self.go = threading.Event(), threading.Event()

        def body(db):
            self.inside.set()
            assert self.go.wait(30)

        def run():
            with store.unit(db_path) as db:
                group_commit.run(db, body)

        self.thread, self.done = _in_thread(run)
        assert self.inside.wait(30)
        self.writer = group_commit.writer_for(db_path)

    def queued(self, n: int) -> None:
        assert eventually(lambda: self.writer.jobs.qsize() >= n, 30)

    def release(self) -> None:
        self.go.set()
        self.thread.join(30)
        self.done.result()


def _in_one_group(db_path, calls) -> list[Future]:
    """Queue ``calls`` in this order behind a blocker, so that they make one group."""
    blocker = Blocker(db_path)
    started = []
    for n, call in enumerate(calls, 1):
        started.append(_in_thread(*call))
        blocker.queued(n)
    groups = blocker.writer.groups
    assert not any(done.done() for _, done in started)  # nobody returns before its COMMIT
    blocker.release()
    for thread, _ in started:
        thread.join(30)
    assert blocker.writer.groups == groups + 2  # the blocker's transaction, then theirs
    return [done for _, done in started]


def _chain_holds(db_path) -> None:
    with store.unit(db_path) as db:
        result = audit_verify.verify(db)
        assert result.intact, result.message
        last = db.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    lines = config.audit_checkpoint_path(db_path).read_text().splitlines()
    assert int(lines[-1].split()[1]) == last  # the last checkpoint covers the group's last entry


def test_concurrent_reports_share_commits_and_all_arrive(world, db_path):
    # the blocked ones first: reports started beside them could count as queued before theirs
    blocked = _in_one_group(db_path, [(_submit, db_path, world["reporter"]) for _ in range(8)])
    threads = [_in_thread(_submit, db_path, world["reporter"]) for _ in range(8)]
    for thread, _ in threads:
        thread.join(30)
    references = [done.result().reference for done in blocked] + [d.result().reference for _, d in threads]
    assert len(set(references)) == 16 == _count(db_path) == _count(db_path, "status_changes")
    _chain_holds(db_path)


def test_a_spent_submission_key_fails_alone_in_its_group(world, db_path):
    key = submissions.new_key()
    reporter = world["reporter"]
    first, again, other = _in_one_group(
        db_path,
        [(_submit, db_path, reporter, key), (_submit, db_path, reporter, key), (_submit, db_path, reporter)],
    )
    assert first.result().reference != other.result().reference
    with pytest.raises(submissions.Repeated):
        again.result()
    assert _count(db_path) == 2
    _chain_holds(db_path)


def _write_then_fail(db_path, error: BaseException, in_callback: bool):
    """A job that writes a row and an audit entry, then fails (in its body or its callback)."""

    def body(db):
        audit.append(db, Actor.cli(), "test.failing")
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Weg', 'x')")
        if in_callback:
            store.transaction(db).before_commit.append(lambda: (_ for _ in ()).throw(error))
        else:
            raise error

    with store.unit(db_path) as db:
        return group_commit.run(db, body)


@pytest.mark.parametrize(
    "error, in_callback, raised",
    [
        (sqlite3.IntegrityError("constraint"), False, sqlite3.IntegrityError),
        (ValueError("validation"), False, ValueError),
        (ValueError("roll-up"), True, ValueError),  # a before-commit callback (the roll-up's)
    ],
)
def test_a_failing_job_rolls_back_alone_with_its_audit_entries(world, db_path, error, in_callback, raised):
    organisations = _count(db_path, "organisations")
    ok, failing, ok_too = _in_one_group(
        db_path,
        [
            (_submit, db_path, world["reporter"]),
            (_write_then_fail, db_path, error, in_callback),
            (_submit, db_path, world["reporter2"]),
        ],
    )
    with pytest.raises(raised):
        failing.result()
    assert ok.result().reference != ok_too.result().reference
    assert _count(db_path) == 2
    assert _count(db_path, "organisations") == organisations
    with store.unit(db_path) as db:
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'test.failing'").fetchone()[0] == 0
    _chain_holds(db_path)


def test_when_sqlite_rolls_back_the_whole_group_no_report_is_called_saved(world, db_path):
    def lose_the_transaction(db):  # as SQLite does on a full disk
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Weg', 'x')")
        db.conn.rollback()
        raise sqlite3.OperationalError("database or disk is full")

    def failing():
        with store.unit(db_path) as db:
            group_commit.run(db, lose_the_transaction)

    before, failed, after = _in_one_group(
        db_path, [(_submit, db_path, world["reporter"]), (failing,), (_submit, db_path, world["reporter"])]
    )
    with pytest.raises(store.StorageError):
        before.result()  # it had succeeded in its savepoint, but its group is gone
    with pytest.raises(store.StorageError):
        failed.result()
    reference = after.result().reference  # queued behind it: written in the next transaction
    with store.unit(db_path) as db:
        assert [r for (r,) in db.execute("SELECT reference FROM incidents")] == [reference]
    _chain_holds(db_path)


def test_after_commit_callbacks_run_after_the_commit(world, db_path):
    seen = []

    def body(db):
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Na', 'x')")
        store.transaction(db).after_commit.append(lambda: seen.append(_count_named(db_path, "Na")))

    with store.unit(db_path) as db:
        group_commit.run(db, body)
    assert seen == [1]  # another connection sees the row: it was committed


def _count_named(db_path, name: str) -> int:
    with store.unit(db_path) as db:
        return db.execute("SELECT count(*) FROM organisations WHERE name = ?", [name]).fetchone()[0]


def test_a_writer_that_dies_leaves_no_caller_waiting(world, db_path, monkeypatch):
    def broken(self, db, jobs):
        raise RuntimeError("a bug in the writer")

    monkeypatch.setattr(group_commit._Writer, "_write", broken)
    with pytest.raises(store.StorageError):
        _submit(db_path, world["reporter"])
    monkeypatch.undo()
    assert eventually(lambda: group_commit.writer_for(db_path) is None, 10)
    assert _submit(db_path, world["reporter"]).reference  # a new writer takes over
    assert _count(db_path) == 1


def test_shutdown_commits_what_is_queued(world, db_path):
    blocker = Blocker(db_path)
    queued = []
    for n in range(1, 4):
        queued.append(_in_thread(_submit, db_path, world["reporter"]))
        blocker.queued(n)
    stopping = threading.Thread(target=group_commit.shutdown)
    stopping.start()
    blocker.release()
    stopping.join(30)
    assert not blocker.writer.thread.is_alive()
    assert all(done.result().reference for _, done in queued)
    assert _count(db_path) == 3


def test_a_thread_holding_the_write_lock_writes_itself_instead_of_waiting_for_itself(world, db_path):
    with store.writer_lock():
        assert _submit(db_path, world["reporter"]).reference
    assert _count(db_path) == 1


def test_a_group_writes_one_audit_checkpoint_for_its_last_entry(world, db_path):
    _submit(db_path, world["reporter"])  # the checkpoint file exists from here on
    checkpoints = config.audit_checkpoint_path(db_path)
    before = len(checkpoints.read_text().splitlines())
    _in_one_group(db_path, [(_submit, db_path, world["reporter"]) for _ in range(3)])
    lines = checkpoints.read_text().splitlines()
    assert len(lines) == before + 1, f"{len(lines) - before} checkpoints for one group"
    _chain_holds(db_path)


def _old_database(path) -> None:
    """A database from before the audit key (migration 0008), with three plain SHA-256 entries,
    then migrated: nothing sealed yet."""
    db = store.connect(path, must_exist=False)
    try:
        with store.write(db):
            store.MIGRATIONS.apply(db, stop_before="0008_audit_anchor")
        prev = audit.GENESIS
        for seq in (1, 2, 3):
            row = {"seq": seq, "at": "2026-01-01T00:00:00+00:00", "actor_id": None, "actor_role": "system"}
            row |= {"action": "backup", "object_type": "", "object_id": "", "detail": "{}"}
            row["prev_hash"], row["hash"] = prev, audit.entry_hash(prev, audit.event_of(row))
            db.execute(
                "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id,"
                " detail, prev_hash, hash) VALUES (:seq, :at, :actor_id, :actor_role, :action,"
                " :object_type, :object_id, :detail, :prev_hash, :hash)",
                row,
            )
            prev = row["hash"]
        db.conn.commit()
    finally:
        db.close()
    store.migrate(path)


def _append(db_path, fail: bool = False):
    def body(db):
        audit.append(db, Actor.cli(), "test.entry")
        if fail:
            raise ValueError("this job fails")

    with store.unit(db_path) as db:
        return group_commit.run(db, body)


def test_an_old_trail_is_sealed_once_by_the_group_even_when_its_first_job_fails(tmp_path, monkeypatch):
    monkeypatch.delenv(config.AUDIT_KEY_ENV, raising=False)
    path = tmp_path / "oud.db"
    _old_database(path)
    failing, ok, ok_too = _in_one_group(path, [(_append, path, True), (_append, path), (_append, path)])
    with pytest.raises(ValueError):
        failing.result()
    ok.result(), ok_too.result()
    with store.unit(path) as db:
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log WHERE seq > 3 ORDER BY seq")]
    assert actions == [audit.ANCHOR_ACTION, "test.entry", "test.entry"]
    _chain_holds(path)


def test_the_caller_gets_its_stored_report_without_reading_it_back(world, db_path):
    """The writer hands back the row as stored (``RETURNING``): the caller's connection runs no
    statement for the report, so under many writers the caller never queues for the GIL to
    read what its own job just wrote (issue #18: 12 ms of the 64-writer latency)."""
    actor = world["reporter"]
    with store.unit(db_path) as db:
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        try:
            incident = incidents.submit_report(db, actor, make_report(actor.org_ids[0]), at=NOW)
        finally:
            db.conn.set_trace_callback(None)
        stored = incidents.to_model(incidents.sql.incident(db, incident.id))
    assert statements == []
    assert incident == stored
