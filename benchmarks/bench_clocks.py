"""The notification clocks with 10^5 incidents: what every FG page run pays for the banner
(``reminders.attention``), what the reminder scheduler pays per pass (``reminders.due``) and
``outstanding.running``, against the baseline of reading the open incidents alone (the scan
every clock needs). ``python -m benchmarks.bench_clocks``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import times_ms
from datalek import clock, store
from datalek.accounts import auth
from datalek.actions import reminders
from datalek.demo import dataset
from datalek.handling import outstanding

OPEN = (
    "SELECT id, org_id, aware_at FROM incidents WHERE purged_at IS NULL AND org_id IN ({})"
    " AND status IN ('reported', 'in_progress', 'decided')"
)


def run(incidents: int = 100_000, n: int = 20, path: Path | None = None) -> dict:
    """On a new demo database of ``incidents``, or on the one at ``path``."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="datalek-clocks-")) / "demo.db"
        dataset.generate(str(path), incidents, years=3, seed=1)
    with store.unit(path) as db:
        dpo_id = db.execute("SELECT id FROM users WHERE role = 'dpo' LIMIT 1").fetchone()[0]
        actor = auth.actor_for(db, dpo_id)
        orgs = list(actor.org_ids)
        sql = OPEN.format(",".join("?" * len(orgs)))
        now = clock.now()
        return {
            "incidents": incidents,
            "open": len(db.execute(sql, orgs).fetchall()),
            "running": len(outstanding.running(db, orgs)),
            "baseline": times_ms(lambda: db.execute(sql, orgs).fetchall(), n),
            "running_ms": times_ms(lambda: outstanding.running(db, orgs), n),
            "attention_ms": times_ms(lambda: reminders.attention(db, actor, now), n),
            "due_ms": times_ms(lambda: reminders.due(db, now), max(3, n // 4)),
        }


def section(incidents: int = 100_000, path: Path | None = None) -> list[str]:
    r = run(incidents, path=path)
    base = r["baseline"]["p50_ms"]
    lines = [
        "",
        f"## Notification clocks with {incidents:,} incidents".replace(",", " "),
        "",
        f"{r['open']} open incidents, {r['running']} clocks running, the FG of every organisation. "
        "Baseline: reading the open incidents alone.",
        "",
        "| what | p50 ms | p99 ms | ratio to baseline (p50) |",
        "|---|---|---|---|",
        f"| baseline: open incidents | {base:.2f} | {r['baseline']['p99_ms']:.2f} | 1.00 |",
    ]
    for key, label in (
        ("running_ms", "`outstanding.running` (every clock's phase)"),
        ("attention_ms", "`reminders.attention` (the banner, every FG page run)"),
        ("due_ms", "`reminders.due` (one scheduler pass)"),
    ):
        t = r[key]
        lines.append(f"| {label} | {t['p50_ms']:.2f} | {t['p99_ms']:.2f} | {t['p50_ms'] / base:.1f} |")
    return lines


if __name__ == "__main__":
    import sys

    print("\n".join(section(path=Path(sys.argv[1]) if len(sys.argv) > 1 else None)))
