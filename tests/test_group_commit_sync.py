"""Group commit on a slow disk (issue #18): the writer's COMMIT does not wait for the fsync. The
syncer thread fsyncs the WAL and only then writes the audit checkpoint and tells the callers;
meanwhile the writer commits the next group. A failed fsync is told as a failure. The WAL is
copied into the database by a checkpointer thread and stays bounded while writes never pause.

The disk is played by replacing ``wal_files.fsync``: a test holds it, counts it or fails it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from datalek import config, store
from datalek.store import group_commit, rollup, wal_files
from tests.conftest import eventually
from tests.test_group_commit import _chain_holds, _count, _in_thread, _submit


def _checkpoint_lines(db_path) -> int:
    path = config.audit_checkpoint_path(db_path)
    return len(path.read_text().splitlines()) if path.exists() else 0


class SlowDisk:
    """``wal_files.fsync`` that waits for ``release`` and counts its calls."""

    def __init__(self, monkeypatch):
        self.entered, self.go = threading.Event(), threading.Event()
        self.calls: list[str] = []
        monkeypatch.setattr(wal_files, "fsync", self)

    def __call__(self, path: str) -> None:
        self.calls.append(path)
        self.entered.set()
        assert self.go.wait(30)

    def release(self) -> None:
        self.go.set()


def test_the_writer_commits_the_next_report_while_the_last_one_is_synced(world, db_path, monkeypatch):
    disk = SlowDisk(monkeypatch)
    lines = _checkpoint_lines(db_path)
    first_thread, first = _in_thread(_submit, db_path, world["reporter"])
    assert disk.entered.wait(30)  # the first report is committed; its fsync hangs
    assert disk.calls == [str(db_path)]
    second_thread, second = _in_thread(_submit, db_path, world["reporter"])
    # the second report is committed while the disk still syncs the first: the writer did not wait
    assert eventually(lambda: _count(db_path) == 2, 30)
    # nobody heard "saved", and no audit checkpoint names an entry that is not on disk yet
    assert not first.done() and not second.done()
    assert _checkpoint_lines(db_path) == lines
    disk.release()
    for thread, done in ((first_thread, first), (second_thread, second)):
        thread.join(30)
        assert done.result().reference
    assert _checkpoint_lines(db_path) > lines
    _chain_holds(db_path)


def test_a_failed_fsync_is_told_to_the_caller_as_not_saved(world, db_path, monkeypatch):
    def broken(path: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(wal_files, "fsync", broken)
    lines = _checkpoint_lines(db_path)
    with pytest.raises(store.StorageError, match="Niet zeker opgeslagen"):
        _submit(db_path, world["reporter"])
    assert _checkpoint_lines(db_path) == lines  # nothing vouches for what may not be on disk


def test_a_database_not_in_wal_mode_is_synced_by_its_commit(world, fresh_db, db_path, monkeypatch):
    group_commit.shutdown()
    store.close_idle()
    assert fresh_db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    disk = SlowDisk(monkeypatch)
    disk.release()
    made = _submit(db_path, world["reporter"])
    assert made.reference and disk.calls == []
    assert _count(db_path) == 1


def test_the_wal_index_gives_what_sqlite_says_of_the_wal(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("CREATE TABLE filler (x)")
        for _ in range(5):
            conn.execute("INSERT INTO filler VALUES (randomblob(9000))")
        frames, copied = wal_files.frames(str(db_path))
        assert frames > 10 and copied == 0
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, log, done) == (0, frames, frames)
        assert wal_files.frames(str(db_path)) == (frames, frames)
        conn.execute("INSERT INTO filler VALUES (1)")  # everything was copied: the WAL starts anew
        assert wal_files.frames(str(db_path)) == (1, 0)
    finally:
        conn.close()


def test_the_wal_stays_bounded_while_reports_keep_coming(world, db_path, monkeypatch):
    """With a checkpoint every 20 pages and the writer's own at 3 times that, the WAL never
    holds much more, the checkpointer did the copying, and nothing is lost or miscounted."""
    monkeypatch.setattr(group_commit, "CHECKPOINT_PAGES", 20)
    monkeypatch.setattr(group_commit, "BACKSTOP", 3)
    _submit(db_path, world["reporter"])  # after the WAL the test's set-up left
    longest = 0
    for _ in range(40):
        _submit(db_path, world["reporter"])
        longest = max(longest, wal_files.frames(str(db_path))[0])
    writer = group_commit.writer_for(db_path)
    assert writer is not None and writer.checkpoints >= 1 and writer.syncs >= 41
    assert longest <= 3 * 20 + 2 * 20  # the bound, plus the pages of two reports (about 16 each)
    assert _count(db_path) == 41
    with store.unit(db_path) as db:
        assert rollup.differences(db)[1] == 0
    _chain_holds(db_path)


def _other_process_can_write(db_path) -> bool:
    """Whether a writer in another process gets the write lock at once."""
    probe = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
        "try:\n    c.execute('BEGIN IMMEDIATE')\nexcept sqlite3.OperationalError:\n    sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(db_path)], check=False)
    assert done.returncode in (0, 3)
    return done.returncode == 0


def test_reading_and_syncing_the_wal_keeps_sqlites_locks(db_path):
    """POSIX drops a process's locks on a file when it closes any descriptor of it: the writer's
    own reads of the WAL index and fsyncs of the WAL must not let another process write while a
    connection of this one holds the write lock."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("CREATE TABLE IF NOT EXISTS filler (x)")
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO filler VALUES (1)")
        assert not _other_process_can_write(db_path)
        for _ in range(2):
            wal_files.frames(str(db_path))
            wal_files.fsync(str(db_path))
            wal_files.forget_unlinked()
        assert not _other_process_can_write(db_path)
        holder.execute("COMMIT")
        assert _other_process_can_write(db_path)
    finally:
        holder.close()
