"""Storage: SQLite through sqlite-utils. Every SQL statement of Datalek lives in this package.

Rules (see docs/design.md):

* one connection per unit of work: ``with store.unit() as db: ...``; a finished unit leaves its
  connection idle for the next unit on the same file (``_Idle``): opening one parses the whole
  schema, its triggers included, which cost a report or a page view about 2.5 ms of CPU;
* pragmas on every connection: ``foreign_keys=ON``, ``busy_timeout``, ``synchronous=FULL`` (the
  group writer sets its own to NORMAL and fsyncs the WAL before any caller hears of its
  COMMIT: ``store.durability``);
* every writing transaction starts with ``BEGIN IMMEDIATE`` (``with store.write(db):``), so a
  read-then-write never fails with "database is locked" under concurrency;
* WAL is switched on once, when the database is created or migrated.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from datalek import config
from datalek.store import audit_files
from datalek.store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


class DatabaseMissing(RuntimeError):
    """The database file does not exist (run ``python -m datalek init`` first)."""


class StorageError(RuntimeError):
    """A write could not be completed (disk full, read-only file, lock timeout)."""


def connect(path: Path | str | None = None, *, must_exist: bool = True) -> Database:
    """Open a connection with the house pragmas. The caller closes it."""
    path = Path(path or config.db_path())
    if must_exist and not path.exists():
        raise DatabaseMissing(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: an idle connection may serve the next unit in another thread;
    # ``unit`` hands each connection to one unit at a time
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous=FULL")
        audit_files.db_file(db)  # known from now on: a unit's first write reads no pragma for it
    except sqlite3.OperationalError as exc:
        # e.g. a full disk: opening a WAL database creates its -wal and -shm files
        conn.close()
        raise StorageError(str(exc)) from exc
    return db


class _Idle:
    """Connections whose unit ended, kept for the next unit on the same database file.

    A file is known by its path, device and inode. A database replaced at the same path (a
    restore, a test's fresh copy) is a new inode: the old one's number cannot be reused while an
    idle connection holds that file open, so it never gets a connection to the old file. Its
    change time is not part of it: every checkpoint writes the file, and keying on it made all
    idle connections useless at each checkpoint, so that the next burst of units opened new ones
    at once. (Copying over a live database in place is never safe with SQLite, kept or not.)
    At most ``LIMIT`` connections wait, the least recently used closed first: as many as
    concurrent page views and writers a server serves; each costs about 1 MB. A connection is kept only when
    it is as ``connect`` made it: no transaction open, no temporary table or trigger, the
    house pragmas unchanged (anything else closes it)."""

    LIMIT = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[tuple[tuple, Database]] = []

    @staticmethod
    def key(path: Path) -> tuple | None:
        try:
            found = path.stat()
        except OSError:
            return None
        return (str(path), found.st_dev, found.st_ino)

    def take(self, key: tuple) -> Database | None:
        with self._lock:
            for n in range(len(self._waiting) - 1, -1, -1):
                if self._waiting[n][0] == key:
                    return self._waiting.pop(n)[1]
        return None

    def give_back(self, key: tuple | None, db: Database) -> None:
        if key is None or not _reusable(db):
            db.close()
            return
        with self._lock:
            self._waiting.append((key, db))
            surplus = self._waiting[: max(0, len(self._waiting) - self.LIMIT)]
            del self._waiting[: len(surplus)]
        for _, old in surplus:
            old.close()

    def close_all(self) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for _, db in waiting:
            db.close()


def _reusable(db: Database) -> bool:
    _FIRST.pop(db, None)
    if db in _OPEN:
        return False
    try:
        if db.conn.in_transaction:
            return False
        found = db.conn.execute(_AS_CONNECTED).fetchone()  # one statement: given back per unit
    except sqlite3.Error:
        return False
    return found == (0, 0, 1, BUSY_TIMEOUT_MS, 2)


#: Temporary objects, attached databases (a recount's scratch files, ``rollup_recount``), and
#: the house pragmas (``connect``) as the connection has them now.
_AS_CONNECTED = (
    "SELECT (SELECT count(*) FROM temp.sqlite_master),"
    " (SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp')),"
    " * FROM pragma_foreign_keys, pragma_busy_timeout, pragma_synchronous"
)


_IDLE = _Idle()


def close_idle() -> None:
    """Close the connections kept for a next unit (as a server that stops does)."""
    _IDLE.close_all()


@contextmanager
def unit(path: Path | str | None = None) -> Iterator[Database]:
    """One unit of work: a connection with the house pragmas, kept for the next unit when this
    one ends normally (``_Idle``), closed when it ends with an error."""
    path = Path(path or config.db_path())
    key = _Idle.key(path)
    db = (_IDLE.take(key) if key else None) or connect(path)
    try:
        yield db
    except BaseException:
        # a cursor of the failed unit may still be alive in a traceback, holding its statement
        # (and with it a read snapshot) open: such a connection is never handed on
        db.close()
        raise
    _IDLE.give_back(key, db)


def identity(db: Database) -> tuple | None:
    """The database file behind ``db`` as ``_Idle`` knows it (path, device, inode), for what a
    process keeps in memory about one file; None for an in-memory database."""
    path = audit_files.db_file(db)
    return _Idle.key(path) if path is not None else None


@contextmanager
def snapshot(db: Database) -> Iterator[Database]:
    """Several reads that see one state of the database (one read transaction, WAL: it never
    waits for a writer); inside an open transaction, that one."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        db.conn.commit()


@dataclass
class Transaction:
    """One open ``write``: callbacks run just before its COMMIT (still inside it: they may
    write, or raise to roll everything back) and just after it (the data is committed; an
    error there is logged, never raised). ``state`` keeps a caller's data for this transaction
    only: the audit trail's pending entries."""

    before_commit: list[Callable[[], None]] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    state: dict = field(default_factory=dict)


_OPEN: weakref.WeakKeyDictionary[Database, Transaction] = weakref.WeakKeyDictionary()
_FIRST: weakref.WeakKeyDictionary[Database, Callable[[Database], None]] = weakref.WeakKeyDictionary()


def first_in_next_write(db: Database, check: Callable[[Database], None] | None) -> None:
    """Run ``check`` first inside the next ``write`` opened on ``db`` (None: forget it), with
    the connection that writes: ``db`` itself, or the group writer's (``group_commit``). It may
    write, or raise to refuse the whole transaction: a form's submission key is claimed so."""
    if check is None:
        _FIRST.pop(db, None)
    else:
        _FIRST[db] = check


def first_pending(db: Database) -> bool:
    """Whether a check waits for the next ``write`` on ``db`` (``first_in_next_write``)."""
    return db in _FIRST


def take_first(db: Database) -> Callable[[Database], None] | None:
    """Take the check ``first_in_next_write`` left on ``db``: its write runs elsewhere."""
    return _FIRST.pop(db, None)


def transaction(db: Database) -> Transaction:
    """The ``write`` transaction open on ``db``; RuntimeError outside one."""
    try:
        return _OPEN[db]
    except KeyError:
        raise RuntimeError("must run inside store.write (BEGIN IMMEDIATE)") from None


#: The writers of this process queue here before ``BEGIN IMMEDIATE``. A waiting thread is woken
#: the moment the writer before it is done, instead of SQLite's busy handler, which sleeps and
#: retries: with 64 threads writing at once that let a few of them wait past the busy timeout
#: ("database is locked"). Other processes (the command line) still meet SQLite's own lock.
#: Re-entrant, so a thread that opens a second connection behaves as before (SQLite decides).
_WRITERS = threading.RLock()
_HELD = threading.local()


@contextmanager
def writer_lock() -> Iterator[None]:
    """Hold this process's write lock (``_WRITERS``); StorageError after the busy timeout."""
    if not _WRITERS.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise StorageError("database is locked (writers of this process)")
    _HELD.depth = getattr(_HELD, "depth", 0) + 1
    try:
        yield
    finally:
        _HELD.depth -= 1
        _WRITERS.release()


def holds_writer_lock() -> bool:
    """True inside a ``write`` of this thread: a write handed to another thread would wait for
    the lock this thread holds."""
    return getattr(_HELD, "depth", 0) > 0


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """A writing transaction, started with BEGIN IMMEDIATE; rolled back on any error."""
    with writer_lock(), _transaction(db):
        yield db


def storage_error(exc: BaseException) -> BaseException:
    """What a failed write raises: SQLite's own failures (a full disk, a lock timeout) as
    ``StorageError``; a constraint (``IntegrityError``) and the domain's errors as they are."""
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError
    ):
        error = StorageError(str(exc))
        error.__cause__ = exc
        return error
    return exc


@contextmanager
def _transaction(db: Database) -> Iterator[Database]:
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StorageError(str(exc)) from exc
    _OPEN[db] = tx = Transaction()
    try:
        if first := _FIRST.pop(db, None):
            first(db)
        yield db
        for callback in tx.before_commit:
            callback()
        db.execute("COMMIT")
    except BaseException as exc:
        db.rollback()
        error = storage_error(exc)
        if error is exc:
            raise
        raise error from exc
    finally:
        _OPEN.pop(db, None)
    run_after_commit(tx)


@contextmanager
def savepoint(db: Database, tx: Transaction, first: Callable[[Database], None] | None) -> Iterator[Database]:
    """One job of a group commit, inside the group's ``BEGIN IMMEDIATE`` (``group_commit``):
    its own ``Transaction`` and a SAVEPOINT, so that it succeeds or fails alone. ``first`` and
    the job's before-commit callbacks run inside the savepoint; its after-commit callbacks are
    left for the caller to run after the group's COMMIT. On an error the savepoint is rolled
    back, unless SQLite already rolled back the whole transaction (a full disk does)."""
    db.execute("SAVEPOINT job")
    outer = _OPEN.get(db)
    _OPEN[db] = tx
    try:
        if first is not None:
            first(db)
        yield db
        for callback in tx.before_commit:
            callback()
        db.execute("RELEASE job")
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK TO job")
            db.execute("RELEASE job")
        raise
    finally:
        if outer is None:
            _OPEN.pop(db, None)
        else:
            _OPEN[db] = outer


def run_after_commit(tx: Transaction) -> None:
    for callback in tx.after_commit:
        try:
            callback()
        except Exception:  # the write is done; what follows it must not make it look failed
            logging.getLogger(__name__).exception("after-commit callback failed")


def migrate(path: Path | str | None = None) -> list[str]:
    """Create or upgrade the database; returns the names of the migrations applied."""
    db = connect(path, must_exist=False)
    try:
        db.enable_wal()
        with write(db):
            pending = [m.name for m in MIGRATIONS.pending(db)]
            MIGRATIONS.apply(db)
        audit_files.ensure_key(db, Path(path or config.db_path()))  # the audit trail's key
        return pending
    finally:
        db.close()


def is_current(path: Path | str | None = None) -> bool:
    """True when the database exists and has every migration applied."""
    path = Path(path or config.db_path())
    if not path.exists():
        return False
    with unit(path) as db:
        return not MIGRATIONS.pending(db)


def backup(source: Path | str, target: Path | str) -> str:
    """Copy a live database with the online backup API; returns ``integrity_check``'s answer."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(str(target))
    anchor = audit_files.snapshot_for_backup(Path(source))  # the audit key and checkpoints
    src = connect(source)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.conn.backup(dst)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    audit_files.write_backup(target, anchor)
    return result
