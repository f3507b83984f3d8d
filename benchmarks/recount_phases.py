"""Where the full recount's time goes, per step and per worker (issue #18).

``python -m benchmarks.recount_phases DB``: the jobs ``stats rebuild`` gives its workers on this
database (``rollup_recount.Room.jobs``: one id range per core), each run in a process of its own,
all at once as the rebuild runs them, with the CPU time of every statement. Nothing is written to the
database: the workers write their scratch files only, and those are removed. Baseline, measured
by each worker in the same run on the same snapshot: reading the id, year, organisation and
department of every incident of its range once (the least any recount does per incident).

The steps: the raw moments and answers of every incident (its subqueries), its facts, its
measures' facts, which rows differ from the stored ones, and the cells.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datalek import store  # noqa: E402 - after the path that makes it importable
from datalek.store import rollup_recount, rollup_result  # noqa: E402

#: A worker that times each statement of its job (the CPU time of its process: a worker that
#: waits for a core counts nothing meanwhile) and prints the times as JSON.
TIMED = """
import json, sqlite3, sys, time
job = json.load(sys.stdin)
conn = sqlite3.connect(job["path"], isolation_level=None)
times = []
for statement, arguments in job["statements"]:
    start = time.process_time()
    conn.execute(statement, arguments)
    times.append(time.process_time() - start)
conn.close()
json.dump(times, sys.stdout)
"""
BASELINE = "baseline: every incident read once"
STEPS = ("raw moments and answers", "facts", "measure facts", "what differs", "cells", "the rest")


def step(statement: str) -> str:
    """The step of the recount a worker's statement belongs to."""
    if statement.startswith("CREATE TEMP TABLE stats_raw"):
        return STEPS[0]
    if statement.startswith("INSERT INTO part.stats_facts"):
        return STEPS[1]
    if statement.startswith("INSERT INTO part.stats_measure_facts"):
        return STEPS[2]
    if any(statement.startswith(f"INSERT INTO part.{table} ") for table in rollup_result.DIFFERING):
        return STEPS[3]
    if statement.startswith("CREATE TEMP TABLE stats_floor"):
        return BASELINE
    if any(name in statement for name in ("stats_tally", "stats_profiles", "stats_lists", "part.stats_cube")):
        return STEPS[4]
    return STEPS[5]


def _with_baseline(job: dict, low: int, high: int) -> dict:
    """``job`` with the baseline read right after its snapshot is fixed."""
    statements = list(job["statements"])
    floor = (
        "CREATE TEMP TABLE stats_floor AS SELECT id, year, org_id, department FROM incidents"
        f" WHERE id BETWEEN {int(low)} AND {int(high) - 1}"
    )
    statements.insert(job["pinned"] + 1, [floor, []])
    return {**job, "statements": statements}


def measure(path: str) -> dict:
    directory = tempfile.mkdtemp(prefix="datalek-phases-")
    try:
        with store.unit(path) as db:
            parts = rollup_recount.ranges(db, rollup_recount.workers())
            jobs = rollup_recount.Room(db, directory, keep=True).jobs(parts)
        if jobs is None:
            raise SystemExit("too few incidents for workers, or no WAL file: nothing to measure")
        jobs = [_with_baseline(job, low, high) for job, (low, high) in zip(jobs, parts, strict=True)]
        start = time.perf_counter()
        running = []
        for job in jobs:
            worker = subprocess.Popen(
                [sys.executable, "-I", "-c", TIMED], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            worker.stdin.write(json.dumps(job).encode())
            worker.stdin.close()
            running.append(worker)
        timings = [json.loads(worker.stdout.read()) for worker in running]
        if any(worker.wait() != 0 for worker in running):
            raise SystemExit("a worker failed")
        wall = time.perf_counter() - start
    finally:
        for file in Path(directory).glob("*"):
            file.unlink()
        Path(directory).rmdir()
    workers = []
    for job, times in zip(jobs, timings, strict=True):
        steps = dict.fromkeys((BASELINE, *STEPS), 0.0)
        for (statement, _), seconds in zip(job["statements"], times, strict=True):
            steps[step(statement)] += seconds
        workers.append(steps)
    return {"incidents": _count(path), "wall_s": wall, "workers": workers}


def _count(path: str) -> int:
    with store.unit(path) as db:
        return db.execute("SELECT count(*) FROM incidents").fetchone()[0]


def table(result: dict) -> list[str]:
    workers = result["workers"]
    head = " | ".join(f"worker {k + 1} CPU s" for k in range(len(workers)))
    lines = [f"| step | {head} | mean / baseline |", "|---|" + "---|" * (len(workers) + 1)]
    base = max(sum(w[BASELINE] for w in workers) / len(workers), 1e-9)
    for name in (BASELINE, *STEPS, "all steps"):
        values = [sum(w[s] for s in STEPS) if name == "all steps" else w[name] for w in workers]
        mean = sum(values) / len(values)
        lines.append(f"| {name} | {' | '.join(f'{v:.2f}' for v in values)} | {mean / base:.0f} |")
    busy = sum(sum(w[s] for s in STEPS) for w in workers)
    lines.append(
        f"\n{result['incidents']:,} incidents, {len(workers)} workers at once: {result['wall_s']:.1f} s"
        f" wall, {busy:.1f} s of CPU in all ({busy / result['incidents'] * 1e6:.1f} µs per incident)."
    )
    return lines


if __name__ == "__main__":
    figures = measure(sys.argv[1])
    print(json.dumps(figures))
    print("\n".join(table(figures)))
