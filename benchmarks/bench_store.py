"""Incident creation under 1, 16 and 64 concurrent writers, against a raw sqlite3 loop.

Both sides use WAL and synchronous=FULL. The raw side: one BEGIN IMMEDIATE transaction per
insert, a new connection each. The domain side: ``incidents.submit_report`` with a new
connection per report, as the report page does (permission check, reference number, status
history, hash-chained audit row, the roll-up's triggers), written by this process's group
writer (``store.group_commit``): many reports per COMMIT, a savepoint each.
``reports_per_commit`` says how many shared a COMMIT; ``run(group=False)`` measures the old way
(one transaction per report in the caller's thread) for comparison.

The machine is shared, so raw and domain are measured interleaved (raw, then domain, for each
number of writers) in ``rounds`` rounds, and every figure is the median over the rounds; the
ratio is the median of each round's own ratio.

``DATALEK_BENCH_FSYNC_DELAY`` (seconds, e.g. ``0.016``) emulates a disk whose fsync is that
slow: both sides sleep that long just before each COMMIT while holding the write lock (the raw
side in its transaction, the domain's writer thread through ``group_commit.commit_delay``), as
a real fsync of the WAL at COMMIT would keep the others waiting. It adds the wait, not the
I/O: a real slow disk also slows reads and checkpoints, so treat these figures as a lower bound.

Both sides write one report before the clock starts: the first COMMIT on a new database makes
its WAL file (on the slow disk: the header's fsync and the folder's, some 40 ms once), which a
running server paid long before. ``cold_start`` measures that first report on its own.

``per_report_connection=False`` keeps one connection per writer thread on both sides: what is
left is the write itself (opening a connection parses the schema, about 3 ms here, most of it
the roll-up's triggers: see ``benchmarks/profile_report.py``).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

from benchmarks.common import seeded_db, summary_ms
from datalek import store
from datalek.handling import incidents
from datalek.intake.report import Report, validate_report
from datalek.store import group_commit
from web import background

NOW = datetime.now(UTC)
FSYNC_DELAY_ENV = "DATALEK_BENCH_FSYNC_DELAY"
RAW_BUSY_SECONDS = 60


def fsync_delay() -> float:
    return float(os.environ.get(FSYNC_DELAY_ENV) or 0)


def _report(org_id: int) -> Report:
    return validate_report(
        {
            "org_id": org_id,
            "department": "Jeugd",
            "situation": "email_wrong_person",
            "occurrence": "moment",
            "occurred_from": NOW - timedelta(hours=3),
            "discovered_at": NOW - timedelta(hours=1),
            "data_kinds": ["name_address"],
            "subject_groups": ["clients"],
            "people_count_kind": "exact",
            "people_count": 1,
            "protection": "none",
            "recipients": ["known_person"],
            "retrieval": "unconfirmed",
            "description": "Verslag naar een verkeerde ontvanger gestuurd.",
        },
        NOW,
    )


def _run_threads(
    threads: int, per_thread: int, setup: Callable[[], tuple[Callable[[], None], Callable[[], None]]]
) -> tuple[float, list[float]]:
    """``setup()`` runs in each thread and returns (work, close); ``work`` is timed."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    ready = threading.Barrier(threads + 1)

    def worker():
        mine = []
        work, close = setup()
        ready.wait()
        try:
            for _ in range(per_thread):
                start = time.perf_counter()
                work()
                mine.append(time.perf_counter() - start)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed, latencies


def _warm(path, threads: int) -> None:
    """Leave ``threads`` connections idle, as a server has them after its first ``threads``
    concurrent page views: the benchmark measures writing, not opening connections."""
    with ExitStack() as units:
        for _ in range(threads):
            units.enter_context(store.unit(path)).execute("SELECT 1 FROM incidents LIMIT 1").fetchall()


def domain(threads: int, total: int, per_report_connection: bool = True) -> dict:
    path, actor = seeded_db()
    report = _report(actor.org_ids[0])
    group_commit.commit_delay = fsync_delay()

    def setup():
        if per_report_connection:

            def work():
                with store.unit(path) as db:
                    incidents.submit_report(db, actor, report)

            return work, lambda: None
        db = store.connect(path)
        return (lambda: incidents.submit_report(db, actor, report)), db.close

    if per_report_connection:
        _warm(path, threads)
    with store.unit(path) as db:  # the writer runs, its first COMMIT made the WAL (see below)
        incidents.submit_report(db, actor, report)
    warm = group_commit.writer_for(path)
    warm_groups = warm.groups if warm else 0
    background.settle_heap()  # as the server does when it starts
    try:
        elapsed, lat = _run_threads(threads, total // threads, setup)
    finally:
        group_commit.commit_delay = 0.0
    writer = group_commit.writer_for(path)
    # the warm-up's COMMIT is not one of the measured reports'; a writer gone idle: one per report
    groups = len(lat) if writer is None else writer.groups - (warm_groups if writer is warm else 0)
    group_commit.shutdown()
    with store.unit(path) as db:
        assert incidents.sql.count(db) == len(lat) + 1
    return {"commits_per_s": len(lat) / elapsed, **summary_ms(lat), "reports_per_commit": len(lat) / groups}


def raw(threads: int, total: int, per_report_connection: bool = True) -> dict:
    path, _ = seeded_db()
    with store.unit(path) as db:
        db.execute(
            "CREATE TABLE raw_incidents (id INTEGER PRIMARY KEY, org_id INTEGER,"
            " reference TEXT, reported_at TEXT, description TEXT)"
        )
    delay = fsync_delay()

    def connect():
        # SQLite's busy handler lets some of 64 writers wait past the app's 10 s on a loaded
        # machine ("database is locked"): the baseline waits up to 60 s, and its p99 shows it
        conn = sqlite3.connect(str(path), timeout=RAW_BUSY_SECONDS, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA busy_timeout={RAW_BUSY_SECONDS * 1000}")
        return conn

    def insert(conn):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO raw_incidents (org_id, reference, reported_at, description)"
            " VALUES (1, 'DL-2026-0001', '2026-11-22T10:00:00+00:00', 'x')"
        )
        if delay:
            time.sleep(delay)
        conn.execute("COMMIT")

    def setup():
        if per_report_connection:

            def work():
                conn = connect()
                insert(conn)
                conn.close()

            return work, lambda: None
        conn = connect()
        return (lambda: insert(conn)), conn.close

    first = connect()
    insert(first)  # as the domain's first report: the WAL made, its header on disk
    first.close()
    elapsed, lat = _run_threads(threads, total // threads, setup)
    return {"commits_per_s": len(lat) / elapsed, **summary_ms(lat)}


def cold_start(rounds: int = 5) -> dict:
    """The first report on a new database, domain and raw (median ms over ``rounds`` fresh
    databases): the writer's thread and connection start, and the WAL file is made; raw's first
    COMMIT creates its table and one row."""
    found: dict[str, list[float]] = {"domain_ms": [], "raw_ms": []}
    for _ in range(rounds):
        path, actor = seeded_db()
        _warm(path, 1)
        start = time.perf_counter()
        with store.unit(path) as db:
            incidents.submit_report(db, actor, _report(actor.org_ids[0]))
        found["domain_ms"].append((time.perf_counter() - start) * 1000)
        group_commit.shutdown()
        path, _ = seeded_db()
        _warm(path, 1)
        start = time.perf_counter()
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE raw_first (id INTEGER PRIMARY KEY, description TEXT)")
        conn.execute("INSERT INTO raw_first (description) VALUES ('x')")
        conn.execute("COMMIT")
        conn.close()
        found["raw_ms"].append((time.perf_counter() - start) * 1000)
    return {k: statistics.median(v) for k, v in found.items()}


def _median(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def run(
    total: int = 1280,
    group: bool = True,
    rounds: int = 3,
    writers: tuple[int, ...] = (1, 16, 64),
    per_report_connection: bool = True,
) -> list[dict]:
    """Per number of writers: the median of ``rounds`` interleaved rounds (raw, then domain)."""
    found: dict[int, list[tuple[dict, dict]]] = {n: [] for n in writers}
    for _ in range(rounds):
        for threads in writers:
            base = raw(threads, total, per_report_connection)
            group_commit.enabled = group
            try:
                dom = domain(threads, total, per_report_connection)
            finally:
                group_commit.enabled = True
            found[threads].append((dom, base))
    rows = []
    for threads, measured in found.items():
        doms, bases = [d for d, _ in measured], [b for _, b in measured]
        rows.append(
            {
                "writers": threads,
                "domain": {k: _median(doms, k) for k in doms[0]},
                "raw": {k: _median(bases, k) for k in bases[0]},
                "ratio": statistics.median(d["commits_per_s"] / b["commits_per_s"] for d, b in measured),
                "rounds": [
                    {"ratio": d["commits_per_s"] / b["commits_per_s"], "p99_ms": d["p99_ms"]}
                    for d, b in measured
                ],
            }
        )
    return rows


def table(rows: list[dict]) -> list[str]:
    """The rows of ``run`` as a Markdown table."""
    lines = [
        "| writers | domain commits/s | p50 ms | p99 ms | reports per COMMIT | raw commits/s | raw p99 ms"
        " | domain/raw (rounds) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        d, r = row["domain"], row["raw"]
        each = ", ".join(f"{x['ratio']:.2f}" for x in row["rounds"])
        lines.append(
            f"| {row['writers']} | {d['commits_per_s']:.0f} | {d['p50_ms']:.1f} | {d['p99_ms']:.1f} |"
            f" {d['reports_per_commit']:.1f} | {r['commits_per_s']:.0f} | {r['p99_ms']:.1f} |"
            f" {row['ratio']:.2f} ({each}) |"
        )
    return lines


if __name__ == "__main__":
    import sys

    print(f"{FSYNC_DELAY_ENV}={fsync_delay()}")
    kept = "--kept-connections" in sys.argv
    total = next((int(a) for a in sys.argv[1:] if a.isdigit()), 1280)
    print("\n".join(table(run(total=total, per_report_connection=not kept))))
    cold = cold_start()
    print("\n| first report on a new database | domain ms | raw ms |\n|---|---|---|")
    print(f"| (median of 5) | {cold['domain_ms']:.1f} | {cold['raw_ms']:.1f} |")
