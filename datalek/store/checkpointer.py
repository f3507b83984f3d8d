"""WAL checkpoints beside the group writer, so that no report waits for one.

In WAL mode SQLite copies the log back into the database file in a *checkpoint*. By default
the connection whose COMMIT brings the log past 1 000 pages runs it at once, in that commit:
for the group writer (``datalek.store.group_commit``) about 30 ms of copying every ten groups
or so, and every report of that group and of the next waited for it (issue #18: the tail of
the writers' latency).

A ``Checkpointer`` runs a PASSIVE checkpoint on its own connection after the writer commits, at
most every ``EVERY`` seconds. PASSIVE never takes the write lock and never waits: it copies
what no reader still needs while the writer goes on. The writer keeps SQLite's own automatic
checkpoint, which then finds the log almost all copied (only what came in since) and still
starts the log from the beginning again: the log file stays as small as before, even if this
thread stops. A checkpoint that fails is logged and tried again at the next nudge; it never
touches a report, which is committed (and durable in the log) before the nudge.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from datalek import store

#: Seconds between two checkpoints at most: the log copied at least this often under load,
#: and on a disk whose fsync is slow no more than 20 checkpoints (2 fsyncs each) per second.
EVERY = 0.05
_log = logging.getLogger(__name__)


class Checkpointer:
    """The checkpoint thread of one database file; ``nudge`` after a commit, ``stop`` once."""

    def __init__(self, path: str):
        self.path = path
        self.runs = 0  # checkpoints run, for tests and benchmarks
        #: (busy, pages in the log, pages copied) of the last checkpoint (SQLite's answer)
        self.last: tuple[int, int, int] | None = None
        self._nudged = threading.Event()
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"datalek-checkpoint:{path}", daemon=True)
        self.thread.start()

    def nudge(self) -> None:
        self._nudged.set()

    def stop(self, timeout: float | None = 5) -> None:
        self._stopping.set()
        self._nudged.set()
        if threading.current_thread() is not self.thread:
            self.thread.join(timeout)

    def _open(self):
        return store.connect(self.path)

    def _loop(self) -> None:
        db = None
        try:
            while self._nudged.wait() and not self._stopping.is_set():
                self._nudged.clear()
                try:
                    if db is None:
                        db = self._open()
                    self.last = tuple(db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
                    self.runs += 1
                except (sqlite3.Error, store.StorageError, store.DatabaseMissing) as exc:
                    # the reason only: never a path's contents or a statement's values
                    _log.warning(
                        "WAL checkpoint failed (%s); tried again after the next commit", type(exc).__name__
                    )
                    if db is not None:
                        db.close()
                        db = None
                self._stopping.wait(EVERY)
        finally:
            if db is not None:
                db.close()
