"""When the group writer's commits reach the disk (``store.group_commit``, issue #18).

The writer's connection runs with ``synchronous=NORMAL`` and without automatic checkpoints, so
its COMMIT writes the group's frames to the WAL and returns at once: the writer goes on with the
next group. Two threads per writer finish the work:

* the **syncer** takes every group committed so far, fsyncs the WAL file once, and only then
  hands the groups back in the order they committed (``deliver``): their callers hear
  "opgeslagen" after an fsync that began after their COMMIT, the promise ``synchronous=FULL``
  makes. When the fsync fails, ``fail`` tells them it is not sure they were saved. After such a
  failure the kernel may have dropped the WAL's unwritten pages, and a later fsync could succeed
  while a later group sits behind frames that never reached the disk: so no group is handed back
  as saved until a full checkpoint (which copies the WAL into the database file and syncs it)
  has succeeded;
* the **checkpointer** copies the WAL into the database on a connection of its own (PASSIVE:
  it waits for nobody), at most once every ``CHECKPOINT_SECONDS`` while commits come in. What it
  returns says how long the WAL is: while writes never pause it never copies the last frames,
  and SQLite starts the WAL anew only when a write begins with every frame copied. So once the
  WAL passes ``LONGEST_WAL`` pages, the writer checkpoints itself between two groups.

``NORMAL`` still has SQLite sync a checkpoint and a new WAL's header. A database that is not in
WAL mode (Datalek never makes one) keeps ``FULL`` and its groups are handed back at once.

The WAL file is opened and closed for each fsync: SQLite keeps no POSIX lock on it. Its locks
are on the ``-shm`` file, which is never opened here: closing any descriptor of a file drops
every lock the process holds on it, SQLite's included.
"""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable

from sqlite_utils import Database

from datalek import store

#: At most one checkpoint in this many seconds while commits come in (at 450 reports a second
#: about 1 600 pages; SQLite's own default is every 1 000 pages, inside the COMMIT).
CHECKPOINT_SECONDS = 1.0
#: Past this many pages (about 66 MB) the writer checkpoints the WAL itself between two groups.
LONGEST_WAL = 16_000
_STOP = object()
_log = logging.getLogger(__name__)

NOT_SURE = "Niet zeker opgeslagen: de schijf meldde een fout. Kijk of uw melding er staat voordat u hem opnieuw doet."


def fsync_wal(db_path: str) -> None:
    """Flush the WAL of the database at ``db_path`` to the disk (a file's fsync covers what any
    descriptor of it wrote: here the writer connection's frames)."""
    fd = os.open(db_path + "-wal", os.O_RDWR)  # writable: fsync needs it on some systems
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Durability:
    """The syncer and the checkpointer of one group writer."""

    def __init__(
        self,
        path: str,
        deliver: Callable[[list], None],
        fail: Callable[[list, BaseException], None],
        delay: Callable[[], float] = lambda: 0.0,
    ):
        self.path = path
        self._deliver, self._fail, self._delay = deliver, fail, delay
        self.wal = False
        self.syncs = 0  # fsyncs of the WAL, for tests and benchmarks
        self.checkpoints = 0  # by the checkpointer
        self.own_checkpoints = 0  # by the writer, the WAL being too long
        self.wal_pages = 0  # the WAL's length at the last checkpoint
        self.suspect = False  # an fsync failed: nothing is saved until a full checkpoint held
        self._committed: queue.SimpleQueue = queue.SimpleQueue()
        self._dirty, self._stop = threading.Event(), threading.Event()
        self._syncer = threading.Thread(target=self._sync_loop, name=f"datalek-syncer:{path}", daemon=True)
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, name=f"datalek-checkpointer:{path}", daemon=True
        )

    def start(self, db: Database) -> None:
        """Set the writer's connection up and start the threads."""
        self.wal = db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        if self.wal:
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer.start()
        self._syncer.start()

    def committed(self, group: list) -> None:
        """A group is committed: its callers hear of it once the WAL is on disk."""
        self._committed.put(group)
        self._dirty.set()

    def between_groups(self, db: Database) -> None:
        """The writer's turn to checkpoint, when the WAL grew too long."""
        if self.wal_pages <= LONGEST_WAL:
            return
        self.wal_pages = 0
        try:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self.own_checkpoints += 1
        except sqlite3.Error as exc:  # a later checkpoint copies it; the reports are on disk
            _log.error("checkpoint of %s failed: %s", self.path, type(exc).__name__)

    def stop(self) -> None:
        """Stop the checkpointer, then sync and hand back what was committed."""
        self._stop.set()
        self._dirty.set()
        if self._checkpointer.is_alive():
            self._checkpointer.join()
        if self._syncer.is_alive():
            self._committed.put(_STOP)
            self._syncer.join()

    def _sync_loop(self) -> None:
        stop = False
        while not stop:
            groups = [self._committed.get()]
            while True:
                try:
                    groups.append(self._committed.get_nowait())
                except queue.Empty:
                    break
            stop = groups[-1] is _STOP
            groups = [group for group in groups if group is not _STOP]
            if groups:
                self._sync(groups)

    def _sync(self, groups: list[list]) -> None:
        try:
            if delay := self._delay():
                time.sleep(delay)
            if self.wal:
                if self.suspect:
                    self._copy_all()
                fsync_wal(self.path)
        except BaseException as exc:  # noqa: BLE001 - the callers hear of it, none hears "saved"
            _log.error("fsync of the WAL of %s failed: %s", self.path, type(exc).__name__)
            self.suspect = self.wal
            for group in groups:
                self._fail(group, store.StorageError(NOT_SURE))
            return
        self.syncs += 1
        for group in groups:
            try:
                self._deliver(group)
            except BaseException:  # noqa: BLE001 - no caller may be left waiting
                _log.exception("handing back a group of %s failed", self.path)
                self._fail(group, store.StorageError(NOT_SURE))

    def _copy_all(self) -> None:
        """After a failed fsync: copy the whole WAL into the database file and sync it (a FULL
        checkpoint waits for the writer's transaction and for readers), or raise."""
        db = store.connect(self.path)
        try:
            busy, log, copied = db.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
        finally:
            db.close()
        if busy or log != copied:
            raise store.StorageError(f"checkpoint copied {copied} of {log} pages")
        self.suspect = False

    def _checkpoint_loop(self) -> None:
        db = None
        try:
            while not self._stop.is_set():
                self._dirty.wait()
                if self._stop.wait(CHECKPOINT_SECONDS):  # gather what comes in, unless told to stop
                    return
                self._dirty.clear()
                try:
                    if db is None:
                        db = store.connect(self.path)
                    _, self.wal_pages, _ = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.checkpoints += 1
                except Exception as exc:  # noqa: BLE001 - a full disk, say: try again later
                    _log.error("checkpoint of %s failed: %s", self.path, type(exc).__name__)
                    if db is not None:
                        db.close()
                        db = None
                    self._dirty.set()
        finally:
            if db is not None:
                db.close()
