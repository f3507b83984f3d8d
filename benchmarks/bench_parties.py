"""A processor's agreement changed: how long the write holds the database (issue #16, #18).

The roll-up counts per breach whether the processors told us within the hours their agreement
promises (``proc_told``), so a change of those hours changes the figures of every incident
linked to the processor; every other writer waits for that write (and fails after the busy
timeout of 10 s). On a copy of the cached demo database of 10^5 incidents with the demo's
processors linked (``datalek.demo.parties``), the agreed hours of the processor with the most
links change back and forth, through ``handling.processors.change``. Baseline in the same run:
a write that changes one incident (``bench_dashboard._change``), what one linked incident
costs at least.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.bench_dashboard import _change, database
from benchmarks.common import summary_ms
from datalek import store
from datalek.accounts import auth
from datalek.demo import parties
from datalek.handling import processors
from datalek.store import stats as stats_sql

#: The demo's processors have no contact address; the form asks for one with any change.
CONTACT = {"contact": "security@verwerker.invalid"}


def _copy(incidents: int) -> Path:
    source = database(incidents)
    target = Path(tempfile.mkdtemp(prefix="datalek-parties-")) / "parties.db"
    for suffix in ("", ".auditkey", ".auditlog-checkpoints"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


def run(incidents: int = 100_000, rounds: int = 4) -> dict:
    path = _copy(incidents)
    try:
        with store.unit(path) as db:
            with store.write(db):
                links = parties.generate(db, random.Random(1), None)
            party_id, linked = db.execute(
                "SELECT party_id, count(*) FROM incident_parties GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
            ).fetchone()
            org_id = db.execute("SELECT org_id FROM parties WHERE id = ?", [party_id]).fetchone()[0]
            dpo_id = db.execute(
                "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id"
                " WHERE u.role = 'dpo' AND m.org_id = ? LIMIT 1",
                [org_id],
            ).fetchone()[0]
            dpo = auth.actor_for(db, dpo_id)
            processors.change(db, dpo, party_id, CONTACT, "Adres van de verwerker.")
            changed, one = [], []
            for n in range(rounds):
                start = time.perf_counter()
                _change(db, n)
                one.append(time.perf_counter() - start)
                start = time.perf_counter()
                processors.change(
                    db, dpo, party_id, {**CONTACT, "notice_hours": (12, 72)[n % 2]}, "Nieuwe overeenkomst."
                )
                changed.append(time.perf_counter() - start)
            exact = stats_sql.differences(db)[1] == 0
        return {
            "links": links,
            "linked": linked,
            "agreement": summary_ms(changed),
            "one_incident": summary_ms(one),
            "exact": exact,
        }
    finally:
        store.close_idle()
        shutil.rmtree(path.parent, ignore_errors=True)


def section() -> list[str]:
    r = run()
    return [
        "",
        "## A processor's agreed hours changed",
        "",
        f"A copy of the cached 10^5 demo database with the demo's processors linked ({r['links']:,} links;"
        f" the processor with the most has {r['linked']:,}): its agreed hours changed back and forth through"
        " `handling.processors.change`. Baseline: one write changing one incident, same run.",
        "",
        "| what | p50 ms | max ms |",
        "|---|---|---|",
        f"| agreed hours changed | {r['agreement']['p50_ms']:.1f} | {r['agreement']['p99_ms']:.1f} |",
        f"| baseline: one incident changed | {r['one_incident']['p50_ms']:.2f} | {r['one_incident']['p99_ms']:.2f} |",
        "",
        f"The roll-up equals a fresh count afterwards: {'yes' if r['exact'] else 'NO'}.",
    ]


if __name__ == "__main__":
    r = run()
    print(
        f"{r['links']} links; the processor with the most: {r['linked']}; agreed hours changed:"
        f" p50 {r['agreement']['p50_ms']:.1f} ms, max {r['agreement']['p99_ms']:.1f} ms;"
        f" baseline, one incident changed: p50 {r['one_incident']['p50_ms']:.2f} ms;"
        f" roll-up exact afterwards: {r['exact']}"
    )
