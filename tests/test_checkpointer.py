"""WAL checkpoints beside the group writer (``datalek.store.checkpointer``): the log is copied
back on another thread after each COMMIT, a failing checkpoint never touches a report, and the
thread ends with its writer."""

from __future__ import annotations

import logging
import sqlite3
import threading

from datalek import store
from datalek.handling import incidents
from datalek.store import checkpointer, group_commit
from tests.conftest import NOW, eventually, make_report


def _submit(db_path, actor):
    with store.unit(db_path) as db:
        return incidents.submit_report(db, actor, make_report(actor.org_ids[0]), at=NOW)


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("datalek-checkpoint")]


def test_the_log_is_copied_back_beside_the_writer_after_its_commits(world, db_path):
    for _ in range(5):
        _submit(db_path, world["reporter"])
    writer = group_commit.writer_for(db_path)
    assert writer is not None and writer.checkpointer is not None
    # every page the log holds is copied into the database file, by the checkpoint thread
    done = writer.checkpointer
    assert eventually(lambda: (last := done.last) is not None and last[1] == last[2], 10)
    assert done.last[1] > 0 and done.runs >= 1
    assert writer.checkpointer.thread is not threading.current_thread()


def test_a_failing_checkpoint_never_fails_a_report_and_logs_no_path(world, db_path, monkeypatch, caplog):
    def broken(self):
        raise sqlite3.OperationalError(f"disk I/O error at {self.path}")

    monkeypatch.setattr(checkpointer.Checkpointer, "_open", broken)
    caplog.set_level(logging.WARNING, logger="datalek.store.checkpointer")
    references = [_submit(db_path, world["reporter"]).reference for _ in range(3)]
    writer = group_commit.writer_for(db_path)
    assert eventually(lambda: "WAL checkpoint failed" in caplog.text, 10)
    assert writer.checkpointer.runs == 0
    monkeypatch.undo()
    with store.unit(db_path) as db:
        stored = [r[0] for r in db.execute("SELECT reference FROM incidents ORDER BY id")]
    assert stored == references
    assert str(db_path) not in caplog.text and "OperationalError" in caplog.text


def test_the_checkpoint_thread_ends_with_its_writer(world, db_path):
    _submit(db_path, world["reporter"])
    assert _checkpoint_threads()
    group_commit.shutdown()
    assert eventually(lambda: not _checkpoint_threads(), 10)
