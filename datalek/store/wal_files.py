"""The WAL's files as the group writer reads and syncs them itself (``store.group_commit``).

POSIX record locks belong to a process and a file: closing *any* descriptor of a file drops
every lock the process holds on it, those of SQLite's connections included. SQLite keeps its
WAL locks on the ``-shm`` file, so a plain ``open()``/``close()`` of it here would let another
process write at the same time as one of ours (the crash test lost confirmed rows that way).
So each file is opened once per process and kept open; it is closed only once it is unlinked
(SQLite removes the WAL and its index when the last connection anywhere closes, holding an
exclusive lock: then no connection holds a lock on it).
"""

from __future__ import annotations

import os
import struct
import threading

_OPEN: dict[tuple[int, int], int] = {}  # (device, inode) -> descriptor, never closed while linked
_LOCK = threading.Lock()


def _descriptor(path: str) -> int | None:
    """A descriptor of the file now at ``path`` (None when there is none), kept open."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    key = (found.st_dev, found.st_ino)
    with _LOCK:
        fd = _OPEN.get(key)
        if fd is None:
            try:
                fd = _OPEN[key] = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                return None
        return fd


def frames(db_path: str) -> tuple[int, int]:
    """(frames in the WAL since it last started anew, of those the frames copied into the
    database), from the WAL index's header in the ``-shm`` file: ``mxFrame`` at byte 16,
    ``nBackfill`` at byte 96, in the machine's byte order (https://www.sqlite.org/walformat.html,
    section 2.1). (0, 0) when there is no such file. The WAL file's size says nothing: SQLite
    reuses the file from its start and never shrinks it."""
    fd = _descriptor(db_path + "-shm")
    if fd is None:
        return 0, 0
    header = os.pread(fd, 100, 0)
    if len(header) < 100:
        return 0, 0
    return struct.unpack_from("=I", header, 16)[0], struct.unpack_from("=I", header, 96)[0]


def fsync(db_path: str) -> None:
    """Flush the WAL of the database at ``db_path`` to the disk (a file's fsync covers what any
    descriptor of it wrote: here the writer connection's frames)."""
    fd = _descriptor(db_path + "-wal")
    if fd is None:
        raise FileNotFoundError(db_path + "-wal")
    os.fsync(fd)


def forget_unlinked() -> None:
    """Close the descriptors of files that are gone."""
    with _LOCK:
        for key, fd in list(_OPEN.items()):
            if os.fstat(fd).st_nlink == 0:
                os.close(fd)
                del _OPEN[key]
