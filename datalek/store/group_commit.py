"""Group commit: the reports of this process are written by one thread, many per COMMIT.

The sessions of a Streamlit server are threads of one process. ``run(db, body)`` hands the
write ``body`` to this process's writer thread for the database of ``db`` and waits for its
own future. The writer keeps one connection open and takes what is queued (at most
``MAX_GROUP`` jobs) into one ``BEGIN IMMEDIATE … COMMIT``, one fsync for all of them:

* every job runs in its own SAVEPOINT with its own ``store.Transaction``: the form's
  submission key (``store.first_in_next_write``), the body, then its before-commit callbacks
  (the audit entries with the incident's state as committed). A job that raises is rolled
  back alone and its caller gets its own exception; the others commit;
* the COMMIT does not wait for the disk: the writer's connection runs with
  ``synchronous=NORMAL``, so the writer goes on with the next group at once. The syncer thread
  fsyncs the WAL file and only then runs the groups' after-commit callbacks in order (the jobs'
  own, then those a job asked to run once per group, ``ONCE_PER_GROUP``: one audit checkpoint,
  of the group's last entry) and resolves each caller's future. One fsync makes every group
  committed before it started durable, while the writer already commits the next ones
  (docs/reliability.md, "Group commit"). A caller never returns before its report is committed
  and on disk; when the fsync fails, its callers get a ``StorageError``;
* when SQLite rolls back the whole transaction (a full disk), or the COMMIT fails, every job
  of the group that had succeeded gets a ``StorageError``: nothing is reported as saved that
  is not; jobs of the group not yet run go into the next transaction;
* other processes (the command line, a second server) still meet SQLite's lock (``BEGIN
  IMMEDIATE`` with the busy timeout); other threads of this process that write with
  ``store.write`` wait for ``store.writer_lock``, which the writer holds per group.

A writer that has nothing to do for ``IDLE_SECONDS`` waits for its syncer, closes its
connection and ends; the next job starts a new one. ``shutdown()`` (also at interpreter exit) commits what is queued first.
A writer that dies fails every job it holds or that waits for it with a ``StorageError``.

Only ``incidents.submit_report`` writes this way (docs/reliability.md says why).
"""

from __future__ import annotations

import atexit
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from datalek import store
from datalek.store import audit_files, wal_files

#: In a job's ``Transaction.state``: after-commit callbacks by name that are run once per
#: group, after the jobs' own: of the jobs that committed, the last one's callback of each name
#: (the audit trail's checkpoint covers the group's last entry; one line per COMMIT).
ONCE_PER_GROUP = "group_commit.once_per_group"
#: In a job's ``Transaction.state``: one dict shared by the jobs of one transaction, for what
#: cannot change while it holds the write lock (the audit trail's key, that it is sealed).
SHARED = "group_commit.shared"
MAX_GROUP = 128
#: Benchmarks only (``benchmarks/bench_store.py``, ``DATALEK_BENCH_FSYNC_DELAY``): seconds the
#: syncer sleeps before each fsync, as on a disk whose fsync takes that long; the raw baseline
#: sleeps the same before each COMMIT. 0 in production.
commit_delay = 0.0
#: The writer does not checkpoint in its COMMIT (two fsyncs the group's callers would wait
#: for): once the WAL holds this many pages its checkpointer thread copies them into the
#: database on a connection of its own while the writer goes on (SQLite's own default is the
#: same number, run inside the COMMIT).
CHECKPOINT_PAGES = 1000
#: A WAL this many times ``CHECKPOINT_PAGES`` long (the checkpointer never catches up while
#: writes never pause) is checkpointed by the writer itself, between two groups: the WAL stays
#: bounded.
BACKSTOP = 16
IDLE_SECONDS = 2.0
_POLL_SECONDS = 1.0  # how often a waiting caller checks that its writer still lives
_log = logging.getLogger(__name__)

#: Off: every ``run`` writes in the caller's thread, one transaction per job (as before 0.6).
enabled = True


@dataclass
class _Job:
    body: Callable[[Database], Any]
    first: Callable[[Database], None] | None
    future: Future = field(default_factory=Future)
    tx: store.Transaction = field(default_factory=lambda: store.Transaction(state={ONCE_PER_GROUP: {}}))
    result: Any = None


_STOP = object()
_LOCK = threading.Lock()


class _Writer:
    """The writer thread of one database file."""

    def __init__(self, path: str):
        self.path = path
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.held: list[_Job] = []  # the group being written
        self.groups = 0  # committed transactions, for tests and benchmarks
        self.syncs = 0  # fsyncs of the WAL by the syncer, for tests and benchmarks
        self.wal = True  # the database is in WAL mode (known once connected)
        self.checkpoints = 0  # checkpoints by the checkpointer, for tests and benchmarks
        self.committed: queue.SimpleQueue = queue.SimpleQueue()  # groups waiting for the fsync
        self.wal_full = threading.Event()  # wakes the checkpointer
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, name=f"datalek-writer:{path}", daemon=True)
        self.syncer = threading.Thread(target=self._sync_loop, name=f"datalek-syncer:{path}", daemon=True)
        self.checkpointer = threading.Thread(
            target=self._checkpoint_loop, name=f"datalek-checkpointer:{path}", daemon=True
        )

    def _loop(self) -> None:
        db = None
        failure: BaseException | None = None
        try:
            while (group := self._take()) is not None:
                self.held = group
                if db is None:
                    db = store.connect(self.path)
                    # in WAL mode the COMMIT writes the WAL without an fsync; the syncer makes it
                    # durable before any caller hears "saved". Checkpoints and a new WAL's header
                    # are still synced by SQLite (NORMAL, not OFF). Not in WAL mode (never made
                    # by Datalek), the COMMIT syncs as everywhere else.
                    self.wal = db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
                    if self.wal:
                        db.execute("PRAGMA synchronous=NORMAL")
                        db.execute("PRAGMA wal_autocheckpoint=0")
                        self.checkpointer.start()
                    self.syncer.start()
                self._write(db, group)
                self.held = []
                if self.wal:
                    self._mind_the_wal(db)
        except BaseException as exc:  # noqa: BLE001 - every waiting caller hears of it below
            failure = exc
            _log.exception("group writer for %s stopped", self.path)
        finally:
            with _LOCK:
                if _ACTIVE.get(self.path) is self:
                    del _ACTIVE[self.path]
            left = [*self.held, *_drain(self.jobs)]
            _fail(left, failure if isinstance(failure, store.StorageError | store.DatabaseMissing) else None)
            self.stopping = True
            if self.checkpointer.is_alive():
                self.wal_full.set()
                self.checkpointer.join()
            if self.syncer.is_alive():  # what was committed is synced (or failed) first
                self.committed.put(_STOP)
                self.syncer.join()
            if db is not None:
                db.close()
            wal_files.forget_unlinked()

    def _mind_the_wal(self, db: Database) -> None:
        """After a group: wake the checkpointer when the WAL holds many pages not yet in the
        database; checkpoint here when the WAL is far too long. While the writer never pauses
        the checkpointer never copies the last frames, so SQLite never starts the WAL anew: a
        checkpoint between two groups copies them, and the next COMMIT restarts the WAL."""
        frames, copied = wal_files.frames(self.path)
        if frames > BACKSTOP * CHECKPOINT_PAGES:
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:  # copied by a later checkpoint; the reports are safe
                _log.error("checkpoint of %s failed: %s", self.path, type(exc).__name__)
        elif frames - copied > CHECKPOINT_PAGES:
            self.wal_full.set()

    def _checkpoint_loop(self) -> None:
        """Until the writer stops: when woken, copy the WAL into the database (PASSIVE: it
        waits for no reader and no writer) on a connection of its own."""
        db = None
        try:
            while True:
                self.wal_full.wait()
                self.wal_full.clear()
                if self.stopping:
                    return
                if db is None:
                    db = store.connect(self.path)
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.checkpoints += 1
        except Exception as exc:  # noqa: BLE001 - a checkpoint left out is made by a later one
            _log.error("checkpointer of %s stopped: %s", self.path, type(exc).__name__)
        finally:
            if db is not None:
                db.close()

    def _sync_loop(self) -> None:
        """Until told to stop: take every committed group, fsync the WAL once, then run their
        after-commit callbacks and resolve their callers, in the order they committed."""
        stop = False
        while not stop:
            groups = [self.committed.get()]
            while True:
                try:
                    groups.append(self.committed.get_nowait())
                except queue.Empty:
                    break
            stop = groups[-1] is _STOP
            groups = [group for group in groups if group is not _STOP]
            if not groups:
                continue
            try:
                self._sync(groups)
            except BaseException:  # noqa: BLE001 - no caller may be left waiting
                _log.exception("syncer for %s failed", self.path)
                _fail([job for group in groups for job in group], None)

    def _sync(self, groups: list[list[_Job]]) -> None:
        try:
            if commit_delay:
                time.sleep(commit_delay)
            if self.wal:
                wal_files.fsync(self.path)
        except BaseException as exc:  # noqa: BLE001 - the callers hear of it, none hears "saved"
            _log.error("fsync of the WAL of %s failed: %s", self.path, type(exc).__name__)
            error = store.StorageError(
                "Niet zeker opgeslagen: de schijf meldde een fout. Kijk of uw melding er staat"
                " voordat u hem opnieuw doet."
            )
            _fail([job for group in groups for job in group], error)
            return
        self.syncs += 1
        for done in groups:
            _after_commit(done)
            for job in done:
                job.future.set_result(job.result)

    def _take(self) -> list[_Job] | None:
        """The next group: what is queued, waiting for the first job; None to stop."""
        while True:
            try:
                first = self.jobs.get(timeout=IDLE_SECONDS)
                break
            except queue.Empty:
                with _LOCK:
                    if self.jobs.empty():  # no caller can queue here any more once unregistered
                        if _ACTIVE.get(self.path) is self:
                            del _ACTIVE[self.path]
                        return None
        group = []
        item = first
        while item is not _STOP:
            group.append(item)
            if len(group) >= MAX_GROUP:
                break
            try:
                item = self.jobs.get_nowait()
            except queue.Empty:
                break
        if item is _STOP:
            self.jobs.put(_STOP)  # after this group, stop
        return group or None

    def _write(self, db: Database, jobs: list[_Job]) -> None:
        while jobs:
            jobs = self._transaction(db, jobs)

    def _transaction(self, db: Database, jobs: list[_Job]) -> list[_Job]:
        """One ``store.write`` (BEGIN IMMEDIATE … COMMIT) for ``jobs``, a savepoint each;
        returns the jobs left for another transaction."""
        done: list[_Job] = []
        rest: list[_Job] = []
        shared: dict = {}
        try:
            with store.write(db):
                for n, job in enumerate(jobs):
                    job.tx.state[SHARED] = shared
                    try:
                        with store.savepoint(db, job.tx, job.first):
                            job.result = job.body(db)
                    except BaseException as exc:
                        job.future.set_exception(store.storage_error(exc))
                        if not db.conn.in_transaction:  # SQLite rolled back the whole group
                            rest = jobs[n + 1 :]
                            raise _GroupLost(str(exc)) from exc
                        continue
                    done.append(job)
        except BaseException as exc:  # noqa: BLE001 - BEGIN, the lock or the COMMIT failed
            error = store.StorageError(f"Niet opgeslagen: {exc}")
            _fail([job for job in jobs if job not in rest], error)
            return rest
        self.groups += 1
        self.committed.put(done)  # the syncer makes it durable, then tells the callers
        return []


class _GroupLost(Exception):
    """SQLite rolled back the whole transaction of a group (a full disk does)."""


def _after_commit(done: list[_Job]) -> None:
    once: dict[str, Callable[[], None]] = {}
    for job in done:
        store.run_after_commit(job.tx)
        once.update(job.tx.state[ONCE_PER_GROUP])
    store.run_after_commit(store.Transaction(after_commit=list(once.values())))


_ACTIVE: dict[str, _Writer] = {}


def _drain(jobs: queue.SimpleQueue) -> list[_Job]:
    found = []
    while True:
        try:
            item = jobs.get_nowait()
        except queue.Empty:
            return found
        if item is not _STOP:
            found.append(item)


def _fail(jobs: list[_Job], error: BaseException | None) -> None:
    for job in jobs:
        if not job.future.done():
            job.future.set_exception(
                error
                if isinstance(error, store.StorageError | store.DatabaseMissing)
                else store.StorageError(f"Niet opgeslagen: de schrijver stopte ({type(error).__name__})")
            )


def _enqueue(path: str, job: _Job) -> _Writer:
    with _LOCK:
        writer = _ACTIVE.get(path)
        if writer is None:
            writer = _ACTIVE[path] = _Writer(path)
            writer.thread.start()
        writer.jobs.put(job)
        return writer


def run(db: Database, body: Callable[[Database], Any]) -> Any:
    """Run ``body(write_db)`` in a write transaction on the database of ``db`` and return what
    it returned once that transaction has committed; raise what it raised (nothing of it is
    written). ``write_db`` is the group writer's connection, or ``db`` itself when the write
    cannot be handed over: an in-memory database, group commit switched off, or a thread that
    already holds the write lock (it would wait for itself)."""
    path = audit_files.db_file(db)
    if not enabled or path is None or store.holds_writer_lock():
        with store.write(db):
            return body(db)
    job = _Job(body, store.take_first(db))
    writer = _enqueue(str(path), job)
    while True:
        try:
            return job.future.result(timeout=_POLL_SECONDS)
        except TimeoutError:
            if not writer.thread.is_alive() and not job.future.done():
                raise store.StorageError("Niet opgeslagen: de schrijver is gestopt.") from None


def writer_for(path) -> _Writer | None:
    """The live writer of a database file (tests and benchmarks read its ``groups``)."""
    with _LOCK:
        return _ACTIVE.get(str(path))


def shutdown(timeout: float | None = None) -> None:
    """Commit what is queued, then stop every writer of this process."""
    with _LOCK:
        writers = list(_ACTIVE.values())
        _ACTIVE.clear()
        for writer in writers:
            writer.jobs.put(_STOP)
    for writer in writers:
        writer.thread.join(timeout)


atexit.register(shutdown)
