"""Group commit: the reports of this process are written by one thread, many per COMMIT.

The sessions of a Streamlit server are threads of one process. ``run(db, body)`` hands the
write ``body`` to this process's writer thread for the database of ``db`` and waits for its
own future. The writer keeps one connection open and takes what is queued (at most
``MAX_GROUP`` jobs) into one ``BEGIN IMMEDIATE … COMMIT``:

* every job runs in its own SAVEPOINT with its own ``store.Transaction``: the form's
  submission key (``store.first_in_next_write``), the body, then its before-commit callbacks
  (the audit entries with the incident's state as committed). A job that raises is rolled
  back alone and its caller gets its own exception; the others commit;
* the COMMIT does not wait for the disk (``store.durability``): the writer goes on with the
  next group at once, and its syncer thread fsyncs the WAL once for every group committed so
  far. Only then do a group's after-commit callbacks run (the jobs' own, then those a job asked
  to run once per group, ``ONCE_PER_GROUP``: one audit checkpoint, of the group's last entry)
  and are its callers' futures resolved: a caller never returns before its report is committed
  and on disk; when the fsync fails, its callers get a ``StorageError``;
* when SQLite rolls back the whole transaction (a full disk), or the COMMIT fails, every job
  of the group that had succeeded gets a ``StorageError``: nothing is reported as saved that
  is not; jobs of the group not yet run go into the next transaction;
* other processes (the command line, a second server) still meet SQLite's lock (``BEGIN
  IMMEDIATE`` with the busy timeout); other threads of this process that write with
  ``store.write`` wait for ``store.writer_lock``, which the writer holds per group.

A writer that has nothing to do for ``IDLE_SECONDS`` waits for its syncer, closes its
connection and ends; the next job starts a new one. ``shutdown()`` (also at interpreter exit)
commits what is queued first.
A writer that dies fails every job it holds or that waits for it with a ``StorageError``.

Only ``incidents.submit_report`` writes this way (docs/reliability.md says why).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from datalek import store
from datalek.store import audit_files
from datalek.store.durability import Durability

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
        self.durability = Durability(path, _deliver, _fail, lambda: commit_delay)
        self.thread = threading.Thread(target=self._loop, name=f"datalek-writer:{path}", daemon=True)

    def _loop(self) -> None:
        db = None
        failure: BaseException | None = None
        try:
            while (group := self._take()) is not None:
                self.held = group
                if db is None:
                    db = store.connect(self.path)
                    self.durability.start(db)
                self._write(db, group)
                self.held = []
                self.durability.between_groups(db)
        except BaseException as exc:  # noqa: BLE001 - every waiting caller hears of it below
            failure = exc
            _log.exception("group writer for %s stopped", self.path)
        finally:
            with _LOCK:
                if _ACTIVE.get(self.path) is self:
                    del _ACTIVE[self.path]
            left = [*self.held, *_drain(self.jobs)]
            _fail(left, failure if isinstance(failure, store.StorageError | store.DatabaseMissing) else None)
            self.durability.stop()  # what was committed is synced (or failed) first
            if db is not None:
                db.close()

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
        self.durability.committed(done)  # the syncer makes it durable, then tells the callers
        return []


class _GroupLost(Exception):
    """SQLite rolled back the whole transaction of a group (a full disk does)."""


def _deliver(done: list[_Job]) -> None:
    """A group is committed and on disk: its after-commit callbacks, then its callers."""
    _after_commit(done)
    for job in done:
        job.future.set_result(job.result)


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
