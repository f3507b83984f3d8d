"""Reports saved while the roll-up is counted in full (issue #18).

``python -m benchmarks.bench_recount [INCIDENTS]``: on the cached demo database with that many
incidents (``bench_dashboard.database``; 100 000 by default), ``python -m datalek stats
rebuild`` and ``stats verify`` run as the administrator runs them, in a process of their own.
Meanwhile this process writes as a report does: every 50 ms one write (``BEGIN IMMEDIATE``, an
incident's status moved, the roll-up's triggers, ``COMMIT``), timed from asking for the lock to
the commit. Baseline, measured in the same run: the same writes for 3 s while nothing is
counted. A write that waits longer than the busy timeout (10 s) is a report that failed.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import database  # noqa: E402 - after the path that makes it importable
from benchmarks.common import summary_ms  # noqa: E402

#: Seconds between two writes.
PAUSE = 0.05


def _write(connection: sqlite3.Connection, k: int) -> float:
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "UPDATE incidents SET status = CASE status WHEN 'closed' THEN 'decided' ELSE 'closed' END"
        " WHERE id = (SELECT max(id) FROM incidents) - ?",
        [k % 5000],
    )
    connection.execute("COMMIT")
    return time.perf_counter() - start


def _summary(waits: list[float]) -> dict:
    return {**summary_ms(waits), "n": len(waits), "max_ms": max(waits, default=0) * 1000}


def _writes_while(connection: sqlite3.Connection, running) -> list[float]:
    waits = []
    while running():
        waits.append(_write(connection, len(waits)))
        time.sleep(PAUSE)
    return waits


def measure(incidents: int = 100_000) -> dict:
    path = database(incidents)
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    idle_until = time.monotonic() + 3
    result = {"idle": _summary(_writes_while(connection, lambda: time.monotonic() < idle_until))}
    for command in ("rebuild", "verify"):
        start = time.perf_counter()
        counting = subprocess.Popen(
            [sys.executable, "-m", "datalek", "stats", command, "--db", str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        waits = _writes_while(connection, lambda proc=counting: proc.poll() is None)
        seconds = time.perf_counter() - start
        out, err = counting.communicate()
        result[command] = {
            "seconds": seconds,
            "exit": counting.returncode,
            "said": (out or err).decode().strip().splitlines()[-1:],
            **_summary(waits),
        }
    connection.close()
    return result


def table(result: dict) -> list[str]:
    idle = result["idle"]["p50_ms"]
    lines = [
        "| while | seconds | writes | write p50 ms | write p99 ms | slowest write ms | slowest / idle p50 |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, key in (
        ("nothing counted (baseline)", "idle"),
        ("`stats rebuild`", "rebuild"),
        ("`stats verify`", "verify"),
    ):
        row = result[key]
        lines.append(
            f"| {label} | {row.get('seconds', 3.0):.1f} | {row['n']} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} |"
            f" {row['max_ms']:.1f} | {row['max_ms'] / idle:.0f} |"
        )
    return lines


if __name__ == "__main__":
    figures = measure(*(int(a) for a in sys.argv[1:]))
    print(json.dumps(figures))
    print("\n".join(table(figures)))
