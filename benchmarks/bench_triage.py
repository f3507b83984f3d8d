"""The triage engine's speed, and the FG's queue page with 10^5 incidents.

Baselines measured in the same run: parsing the same facts into the pydantic model (the
floor any assessment pays), and the queue's plain SQL query on the same database.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import signed_in_app, summary_ms
from datalek import config, store, triage
from datalek.accounts import auth
from datalek.demo import dataset
from datalek.store import incidents as incident_sql
from datalek.triage.facts import Facts

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
FACTS = {
    "aware_at": (NOW - timedelta(hours=20)).isoformat(),
    "natures": ["confidentiality"],
    "confidentiality": "disclosed",
    "incident_type": "sent_by_mistake",
    "cause": "internal_non_malicious",
    "data_categories": ["basic", "care_file"],
    "groups": ["minors", "parents"],
    "people_count_kind": "exact",
    "people_count": 3,
    "unintelligible": "no",
    "recipients": ["known"],
    "retrieval": "unconfirmed",
    "youth_care_controller": True,
}
UNKNOWN = {"aware_at": FACTS["aware_at"]}


def _rate(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def engine(n: int = 5000) -> dict:
    known, unknown = Facts.model_validate(FACTS), Facts.model_validate(UNKNOWN)
    return {
        "parse_per_s": _rate(lambda: Facts.model_validate(FACTS), n),
        "known_per_s": _rate(lambda: triage.assess(known, NOW), n),
        "unknown_per_s": _rate(lambda: triage.assess(unknown, NOW), n // 5),
    }


def queue_page(incidents: int = 100_000, reruns: int = 10) -> dict:
    path = Path(tempfile.mkdtemp(prefix="datalek-qbench-")) / "demo.db"
    dataset.generate(str(path), incidents, years=3, seed=1)
    os.environ["DATALEK_DB"] = str(path)
    with store.unit(path) as db:
        dpo_id = db.execute("SELECT id FROM users WHERE role = 'dpo' LIMIT 1").fetchone()[0]
        actor = auth.actor_for(db, dpo_id)
        open_count = db.execute(
            "SELECT count(*) FROM incidents WHERE status IN ('reported','in_progress','decided')"
        ).fetchone()[0]
    sql_times = []
    for _ in range(reruns):
        start = time.perf_counter()
        with store.unit(path) as db:
            incident_sql.queue(
                db,
                list(actor.org_ids),
                ["reported", "in_progress", "decided"],
                None,
                None,
                config.QUEUE_LIMIT,
            )
        sql_times.append(time.perf_counter() - start)
    at = signed_in_app(actor, timeout=60)
    page_times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        page_times.append(time.perf_counter() - start)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Werkvoorraad"], "measured a page that did not render"
    return {
        "incidents": incidents,
        "open": open_count,
        "page": summary_ms(page_times),
        "sql": summary_ms(sql_times),
    }
