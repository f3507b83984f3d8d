"""The two files next to the database that anchor the audit trail outside it.

* ``<db>.auditkey`` — the secret key (64 hex characters, mode 0600), made once when the
  database is created or first migrated, unless ``DATALEK_AUDIT_KEY`` holds the key.
* ``<db>.auditlog-checkpoints`` — append-only lines ``v1 <seq> <hash> <mac>``, one for the
  last audit entry of every committed write. Each line is one ``write()`` on a file opened
  with ``O_APPEND``, so lines of concurrent writers never interleave.

What the lines and the key mean (the HMACs, the checks) is ``datalek.accounts.audit_anchor``'s
business; this module only reads and writes the bytes.
"""

from __future__ import annotations

import os
import secrets
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from datalek import config
from datalek.store import audit_log

_FILE_OF: weakref.WeakKeyDictionary[Database, Path | None] = weakref.WeakKeyDictionary()


def db_file(db: Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    if db not in _FILE_OF:
        rows = db.execute("PRAGMA database_list").fetchall()
        name = next((row[2] for row in rows if row[1] == "main"), "")
        _FILE_OF[db] = Path(name) if name else None
    return _FILE_OF[db]


def key_from_environment() -> bytes | None:
    value = os.environ.get(config.AUDIT_KEY_ENV, "").strip()
    return value.encode() if value else None


_KEYS: dict[Path, tuple[tuple[int, int, int], bytes]] = {}


def read_key(db_path: Path | None) -> bytes | None:
    """The key: from the environment, else from the key file; None when neither has one. The
    file is read again whenever ``stat`` says it is another file or was changed."""
    from_env = key_from_environment()
    if from_env is not None or db_path is None:
        return from_env
    path = config.audit_key_path(db_path)
    try:
        info = path.stat()
        version = (info.st_ino, info.st_mtime_ns, info.st_size)
        cached = _KEYS.get(path)
        if cached and cached[0] == version:
            return cached[1]
        value = path.read_bytes().strip()
    except FileNotFoundError:
        return None
    if value:
        _KEYS[path] = (version, value)
    return value or None


def key_location(db_path: Path | None) -> str:
    """Where the key is looked for, for a message."""
    if key_from_environment() is not None or db_path is None:
        return f"${config.AUDIT_KEY_ENV}"
    return str(config.audit_key_path(db_path))


def was_anchored(db: Database, db_path: Path | None) -> bool:
    """True when this database has ever been written with a key: it has a head marker, or
    checkpoint lines exist. A missing key is then a problem, never a reason for a new one."""
    if audit_log.head(db) is not None:
        return True
    if db_path is None:
        return False
    checkpoints = config.audit_checkpoint_path(db_path)
    return checkpoints.exists() and checkpoints.stat().st_size > 0


def ensure_key(db: Database, db_path: Path | None) -> bool:
    """Create the key file if there is no key and the database was never anchored; returns
    True when a key file was made. Two processes racing here: ``O_EXCL`` lets one win."""
    if db_path is None or read_key(db_path) is not None or was_anchored(db, db_path):
        return False
    path = config.audit_key_path(db_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def append_checkpoint(db_path: Path, line: str) -> None:
    """Append one line with a single ``write()`` on an ``O_APPEND`` file (mode 0600)."""
    data = line.encode()
    fd = os.open(config.audit_checkpoint_path(db_path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        written = os.write(fd, data)
        if written != len(data):  # only on a full disk; the torn line is ignored by verify
            raise OSError(f"checkpoint line cut off after {written} of {len(data)} bytes")
    finally:
        os.close(fd)


def checkpoint_lines(db_path: Path | None) -> Iterator[str] | None:
    """The checkpoint file's whole lines, read as a stream; None when there is no file. A last
    line without its newline (a write cut off by a full disk) is left out."""
    if db_path is None:
        return None
    try:
        f = open(config.audit_checkpoint_path(db_path), encoding="ascii", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        return None

    def lines() -> Iterator[str]:
        with f:
            for line in f:
                if line.endswith("\n"):
                    yield line[:-1]

    return lines()


def snapshot_for_backup(source: Path) -> list[tuple[Callable[[Path], Path], bytes]]:
    """The key file and the checkpoints of ``source``, read before its database is copied: every
    checkpoint line then names an entry that the copy holds."""
    found = []
    for path_of in (config.audit_key_path, config.audit_checkpoint_path):
        try:
            found.append((path_of, path_of(source).read_bytes()))
        except FileNotFoundError:
            continue
    return found


def write_backup(target: Path, snapshot: list[tuple[Callable[[Path], Path], bytes]]) -> None:
    """Put the snapshot next to the copy (mode 0600), so that the copy can be verified."""
    for path_of, data in snapshot:
        fd = os.open(path_of(target), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
