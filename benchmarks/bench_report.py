"""Server-side time to validate, scan and store one employee report (p50/p99), and the
demo-data generation rate."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.bench_store import NOW, _report
from benchmarks.common import seeded_db, summary_ms
from datalek import clock, store
from datalek.demo import dataset
from datalek.handling import incidents
from datalek.intake import pii
from datalek.intake.report import validate_report


def report_roundtrip(n: int = 500) -> dict:
    path, actor = seeded_db()
    values = _report(actor.org_ids[0]).model_dump()
    latencies = []
    for _ in range(n):
        start = time.perf_counter()
        report = validate_report(values, clock.now())
        pii.find_pii(report.description)
        with store.unit(path) as db:
            incidents.submit_report(db, actor, report)
        latencies.append(time.perf_counter() - start)
    return summary_ms(latencies)


def demo_rate(n: int = 100_000) -> dict:
    path = Path(tempfile.mkdtemp(prefix="datalek-demo-")) / "demo.db"
    start = time.perf_counter()
    dataset.generate(str(path), n, years=3, seed=1, now=NOW, with_accounts=False)
    seconds = time.perf_counter() - start
    return {"incidents": n, "seconds": seconds, "per_second": n / seconds}
