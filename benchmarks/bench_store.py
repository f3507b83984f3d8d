"""Incident creation under 1, 16 and 64 concurrent writers, against a raw sqlite3 loop.

Both sides use WAL and synchronous=FULL. The raw side: one BEGIN IMMEDIATE transaction per
insert, a new connection each. The domain side: ``incidents.submit_report`` with a new
connection per report, as the report page does (permission check, reference number, status
history, hash-chained audit row), written by this process's group writer
(``store.group_commit``): many reports per COMMIT, a savepoint each. ``reports_per_commit``
says how many shared a COMMIT; ``run(group=False)`` measures the old way (one transaction per
report in the caller's thread) for comparison.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

from benchmarks.common import seeded_db, summary_ms
from datalek import store
from datalek.handling import incidents
from datalek.intake.report import Report, validate_report
from datalek.store import group_commit

NOW = datetime.now(UTC)


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


def _run_threads(threads: int, per_thread: int, work) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker():
        mine = []
        try:
            for _ in range(per_thread):
                start = time.perf_counter()
                work()
                mine.append(time.perf_counter() - start)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed, latencies


def domain(threads: int, total: int) -> dict:
    path, actor = seeded_db()
    report = _report(actor.org_ids[0])

    def work():
        with store.unit(path) as db:
            incidents.submit_report(db, actor, report)

    elapsed, lat = _run_threads(threads, total // threads, work)
    writer = group_commit.writer_for(path)
    groups = writer.groups if writer else len(lat)
    group_commit.shutdown()
    with store.unit(path) as db:
        assert incidents.sql.count(db) == len(lat)
    return {"commits_per_s": len(lat) / elapsed, **summary_ms(lat), "reports_per_commit": len(lat) / groups}


def raw(threads: int, total: int) -> dict:
    path, _ = seeded_db()
    with store.unit(path) as db:
        db.execute(
            "CREATE TABLE raw_incidents (id INTEGER PRIMARY KEY, org_id INTEGER,"
            " reference TEXT, reported_at TEXT, description TEXT)"
        )

    def work():
        conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO raw_incidents (org_id, reference, reported_at, description)"
            " VALUES (1, 'DL-2026-0001', '2026-11-22T10:00:00+00:00', 'x')"
        )
        conn.execute("COMMIT")
        conn.close()

    elapsed, lat = _run_threads(threads, total // threads, work)
    return {"commits_per_s": len(lat) / elapsed, **summary_ms(lat)}


def run(total: int = 1280, group: bool = True) -> list[dict]:
    rows = []
    for threads in (1, 16, 64):
        base = raw(threads, total)
        group_commit.enabled = group
        try:
            dom = domain(threads, total)
        finally:
            group_commit.enabled = True
        rows.append(
            {
                "writers": threads,
                "domain": dom,
                "raw": base,
                "ratio": dom["commits_per_s"] / base["commits_per_s"],
            }
        )
    return rows
