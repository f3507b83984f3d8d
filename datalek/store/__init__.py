"""Storage: SQLite through sqlite-utils. Every SQL statement of Datalek lives in this package.

Rules (see docs/design.md):

* one connection per unit of work: ``with store.unit() as db: ...``;
* pragmas on every connection: ``foreign_keys=ON``, ``busy_timeout``, ``synchronous=FULL``;
* every writing transaction starts with ``BEGIN IMMEDIATE`` (``with store.write(db):``), so a
  read-then-write never fails with "database is locked" under concurrency;
* WAL is switched on once, when the database is created or migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from datalek import config
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
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn, execute_plugins=False)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.OperationalError as exc:
        # e.g. a full disk: opening a WAL database creates its -wal and -shm files
        conn.close()
        raise StorageError(str(exc)) from exc
    return db


@contextmanager
def unit(path: Path | str | None = None) -> Iterator[Database]:
    """One unit of work: open, use, close."""
    db = connect(path)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """A writing transaction, started with BEGIN IMMEDIATE; rolled back on any error."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StorageError(str(exc)) from exc
    try:
        yield db
        db.execute("COMMIT")
    except BaseException as exc:
        db.rollback()
        if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.IntegrityError
        ):
            raise StorageError(str(exc)) from exc
        raise


def migrate(path: Path | str | None = None) -> list[str]:
    """Create or upgrade the database; returns the names of the migrations applied."""
    db = connect(path, must_exist=False)
    try:
        db.enable_wal()
        with write(db):
            pending = [m.name for m in MIGRATIONS.pending(db)]
            MIGRATIONS.apply(db)
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
    return result
