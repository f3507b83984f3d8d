"""Where a report's time goes between the caller, the group writer and its syncer (issue #18).

``python -m benchmarks.writer_steps [WRITERS] [TOTAL]`` runs ``bench_store.domain`` and times,
for every report: the wait for the writer (queued until its group's transaction began), the
group's transaction, the wait for the syncer's fsync (its group committed, an fsync still in
flight), and its own fsync. It prints the median report's steps, the slowest reports' and the
writer's own checkpoints. Run it under ``benchmarks/slow_fsync.c`` (see ``benchmarks.slow_disk``)
to see a slow disk:

    LD_PRELOAD=/path/slow_fsync.so SLOW_FSYNC_MS=16 python -m benchmarks.writer_steps 16 6400
"""

from __future__ import annotations

import sys
import time

from benchmarks import bench_store
from datalek.store import durability, group_commit

_clock = time.perf_counter


def measure(writers: int, total: int) -> dict:
    steps: dict[int, dict] = {}
    checkpoints: list[float] = []
    enqueue, transaction = group_commit._enqueue, group_commit._Writer._transaction
    sync, between = durability.Durability._sync, durability.Durability.between_groups

    def timed_enqueue(path, job):
        steps[id(job)] = {"queued": _clock()}
        return enqueue(path, job)

    def timed_transaction(self, db, jobs):
        began = _clock()
        rest = transaction(self, db, jobs)
        for job in jobs:
            steps[id(job)].update(began=began, committed=_clock(), group=len(jobs))
        return rest

    def timed_sync(self, groups):
        began = _clock()
        sync(self, groups)
        for group in groups:
            for job in group:
                steps[id(job)].update(sync_began=began, synced=_clock())

    def timed_between(self, db):
        own = self.own_checkpoints
        began = _clock()
        between(self, db)
        if self.own_checkpoints > own:
            checkpoints.append((_clock() - began) * 1000)

    group_commit._enqueue, group_commit._Writer._transaction = timed_enqueue, timed_transaction
    durability.Durability._sync, durability.Durability.between_groups = timed_sync, timed_between
    try:
        summary = bench_store.domain(writers, total)
    finally:
        group_commit._enqueue, group_commit._Writer._transaction = enqueue, transaction
        durability.Durability._sync, durability.Durability.between_groups = sync, between
    done = sorted((s for s in steps.values() if "synced" in s), key=lambda s: s["synced"] - s["queued"])
    return {"summary": summary, "median": _parts(done[len(done) // 2]), "slowest": [_parts(s) for s in done[-5:]],
            "own_checkpoints_ms": checkpoints}  # fmt: skip


def _parts(s: dict) -> dict:
    ms = lambda a, b: round((s[b] - s[a]) * 1000, 1)  # noqa: E731
    return {
        "total": ms("queued", "synced"),
        "wait for the writer": ms("queued", "began"),
        f"transaction ({s['group']} reports)": ms("began", "committed"),
        "wait for the fsync in flight": ms("committed", "sync_began"),
        "own fsync": ms("sync_began", "synced"),
    }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    found = measure(*(args or [16, 6400]))
    print("summary:", {k: round(v, 1) for k, v in found["summary"].items()})
    print("median report:", found["median"])
    for parts in found["slowest"]:
        print("slow report:", parts)
    print("the writer's own checkpoints (ms):", [round(c, 1) for c in found["own_checkpoints_ms"]])
