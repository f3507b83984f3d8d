"""Where the CPU time of one employee report goes (issue #18), part by part.

``python -m benchmarks.profile_report [N] [FOLDER]`` submits N reports one after another through
``incidents.submit_report`` (a new connection per report, as the report page does, written by
the group writer), after 300 to warm up, and prints the CPU time (``time.thread_time``) per
report of each part, on the caller's side (C) and in the writer thread (W). Parts nest: an
indented part is included in the one above it. FOLDER defaults to ``/dev/shm`` when it exists,
so that the figures are CPU, not the disk's fsync.

``schema()`` measures what opening a connection costs with and without the roll-up's triggers
and views: SQLite parses the whole schema on a connection's first statement.
"""

from __future__ import annotations

import functools
import importlib
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.bench_store import _report
from benchmarks.common import seeded_db
from datalek import store
from datalek.handling import incidents
from datalek.store import group_commit, rollup

#: (module, function, label): the parts timed.
PARTS = [
    ("datalek.store", "connect", "open a connection (pragmas: parses the schema)"),
    ("datalek.handling.incidents", "require", "permission check"),
    ("datalek.handling.incidents", "_row_for", "the row from the report (pydantic, JSON)"),
    ("datalek.store.group_commit", "run", "hand over and wait for the COMMIT"),
    ("datalek.store.incidents", "incident", "read the incident back"),
    ("datalek.handling.incidents", "to_model", "the Incident model (pydantic)"),
    ("datalek.store.group_commit._Writer", "_transaction", "the transaction (BEGIN … COMMIT)"),
    ("datalek.store.incidents", "next_seq", "  reference number"),
    ("datalek.handling.repeats", "earlier", "  repeat rule (one SELECT)"),
    ("datalek.handling.repeats", "detect", "  repeat rule (before 0.6: two UPDATEs, a read)"),
    ("datalek.store.incidents", "insert_incident", "  insert incident (+ roll-up trigger)"),
    ("datalek.store.incidents", "insert_status_change", "  status history"),
    ("datalek.accounts.audit", "append", "  audit.append"),
    ("datalek.accounts.audit", "_pending", "    key, chain head, seal check"),
    ("datalek.store.report_drafts", "delete", "  draft deleted"),
    ("datalek.accounts.audit", "_flush", "  audit entry written (before COMMIT)"),
    ("datalek.accounts.audit_anchor", "state_hash", "    state hash (one query, JSON, SHA-256)"),
    ("datalek.accounts.audit", "_changed_outside", "    changed outside the app?"),
    ("datalek.accounts.audit", "keyed_hash", "    HMAC of the entry"),
    ("datalek.store.audit_log", "insert_entry", "    insert entry"),
    ("datalek.store.audit_log", "set_head", "    head marker"),
    ("datalek.accounts.audit_anchor", "write_checkpoint", "checkpoint line (after COMMIT)"),
]


def _folder(given: str | None) -> Path:
    base = given or ("/dev/shm" if Path("/dev/shm").is_dir() else None)
    return Path(tempfile.mkdtemp(prefix="datalek-profile-", dir=base))


def profile(n: int = 1000, folder: str | None = None) -> list[str]:
    spent: dict[tuple[str, str], float] = defaultdict(float)
    patched = []

    def timed(label, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                side = "W" if threading.current_thread().name.startswith("datalek-writer") else "C"
                spent[side, label] += time.thread_time() - start

        return wrapper

    for module, name, label in PARTS:
        owner = group_commit._Writer if module.endswith("_Writer") else importlib.import_module(module)
        if not hasattr(owner, name):  # profiling an older version
            continue
        patched.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timed(label, getattr(owner, name)))
    try:
        path, actor = seeded_db(_folder(folder))
        report = _report(actor.org_ids[0])

        def one():
            with store.unit(path) as db:
                incidents.submit_report(db, actor, report)

        for _ in range(300):
            one()
        spent.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            one()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        group_commit.shutdown()
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)
    lines = [
        f"{n} reports one after another: process CPU {cpu / n * 1000:.3f} ms, wall {wall / n * 1000:.3f} ms each"
    ]
    for _, _, label in PARTS:
        for side in "CW":
            if (side, label) in spent:
                lines.append(f"{side} {label:48s} {spent[side, label] / n * 1000:7.3f} ms")
    return lines


def _open_cost(path: Path, n: int = 300) -> float:
    """CPU ms to open a connection, run the first pragma (the schema is parsed) and close it."""
    keep = sqlite3.connect(str(path))  # as in a server, another connection keeps the WAL open
    keep.execute("SELECT 1 FROM sqlite_master").fetchall()
    start = time.thread_time()
    for _ in range(n):
        conn = sqlite3.connect(str(path))
        conn.execute("PRAGMA synchronous=FULL")
        conn.close()
    keep.close()
    return (time.thread_time() - start) / n * 1000


def schema(folder: str | None = None) -> list[str]:
    path, _ = seeded_db(_folder(folder))
    bare = path.with_name("without-rollup.db")
    shutil.copyfile(path, bare)
    conn = sqlite3.connect(str(bare))
    from sqlite_utils import Database

    rollup.uninstall(Database(conn))
    conn.commit()
    sizes = sqlite3.connect(str(path)).execute(
        "SELECT sum(length(sql)), sum(CASE WHEN name LIKE 'stats%' THEN length(sql) END) FROM sqlite_master"
    )
    total, stats = sizes.fetchone()
    conn.close()
    return [
        f"schema {total} bytes, of which roll-up (stats_*) {stats}",
        f"open + first pragma + close: {_open_cost(path):.3f} ms; without the roll-up's triggers and"
        f" views: {_open_cost(bare):.3f} ms",
    ]


if __name__ == "__main__":
    print(
        "\n".join(
            profile(
                int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.argv[2] if len(sys.argv) > 2 else None
            )
        )
    )
    print("\n".join(schema()))
