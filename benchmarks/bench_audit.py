"""What anchoring the audit trail costs: appends per second with and without the anchor.

"Without" is the audit append as it was before migration 0008 (SHA-256 chain, the row
inserted at once, nothing outside the database), copied here so both run on the same
database. "With" is ``datalek.accounts.audit.append``: HMAC-SHA256 chain, entry written at
COMMIT with the incident's state hash (for entries about an incident), the head marker, and
after the COMMIT one signed line appended to the checkpoint file.

Each append is its own ``BEGIN IMMEDIATE`` transaction (WAL, synchronous=FULL), as in the app
where a change and its entry commit together; ``batch`` puts 100 appends in one transaction.

    python -m benchmarks.bench_audit          (from the repository root)
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import summary_ms
from datalek import clock, config, store
from datalek.accounts import audit, audit_verify, auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.handling import incidents
from datalek.intake.report import validate_report
from datalek.models import Actor, Role
from datalek.store import incidents as incident_sql

ACTOR = Actor.cli()


def _old_append(db, action: str, object_type: str, object_id) -> int:
    """The append of before migration 0008, verbatim in what it does."""
    rows = list(db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
    last = rows[0] if rows else None
    prev = last["hash"] if last else audit.GENESIS
    row = {
        "seq": (last["seq"] + 1) if last else 1,
        "at": clock.to_iso(clock.now()),
        "actor_id": None,
        "actor_role": "system",
        "action": action,
        "object_type": object_type,
        "object_id": "" if object_id is None else str(object_id),
        "detail": audit.canonical({}),
    }
    event = {**row, "detail": {}}
    row["prev_hash"] = prev
    row["hash"] = hashlib.sha256((prev + audit.canonical(event)).encode()).hexdigest()
    db.execute(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id,"
        " detail, prev_hash, hash) VALUES (:seq, :at, :actor_id, :actor_role, :action,"
        " :object_type, :object_id, :detail, :prev_hash, :hash)",
        row,
    )
    return row["seq"]


def _new_append(db, action: str, object_type: str, object_id) -> int:
    return audit.append(db, ACTOR, action, object_type, object_id)


def _database() -> tuple[Path, int]:
    """A fresh database with its own key file and one incident (with a supplement)."""
    os.environ.pop(config.AUDIT_KEY_ENV, None)
    path = Path(tempfile.mkdtemp(prefix="datalek-bench-audit-")) / "bench.db"
    store.migrate(path)
    with store.unit(path) as db:
        org = create_organisation(db, ACTOR, "Benchgemeente", "FG", "fg@bench.invalid")
        user = create_user(
            db, ACTOR, "Melder", "melder@bench.invalid", Role.REPORTER, "bench-password-123", [org.id]
        )
        reporter = auth.actor_for(db, user.id)
        now = clock.now()
        report = validate_report(
            {
                "org_id": org.id,
                "department": "Jeugd",
                "situation": "email_wrong_person",
                "occurrence": "moment",
                "occurred_from": now.replace(microsecond=0) - timedelta(hours=3),
                "discovered_at": now.replace(microsecond=0) - timedelta(hours=1),
                "data_kinds": ["name_address"],
                "subject_groups": ["clients"],
                "people_count_kind": "exact",
                "people_count": 1,
                "protection": "none",
                "recipients": ["known_person"],
                "retrieval": "unconfirmed",
                "description": "Verslag naar een verkeerde ontvanger gestuurd.",
            },
            now,
        )
        made = incidents.submit_report(db, reporter, report)
        incidents.add_supplement(db, reporter, made.id, "Een aanvulling.")
    return path, made.id


def _measure(append, threads: int, total: int, per_tx: int, about_incident: str) -> dict:
    """``about_incident``: "" (an entry about no incident), "read" (about an incident, no
    change to it) or "change" (the incident changed in the same transaction)."""
    path, incident_id = _database()
    object_type, object_id = ("incident", incident_id) if about_incident else ("", None)
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(count: int) -> None:
        mine = []
        try:
            db = store.connect(path)
            try:
                for _ in range(count // per_tx):
                    start = time.perf_counter()
                    with store.write(db):
                        for _ in range(per_tx):
                            if about_incident == "change":
                                incident_sql.touch(db, incident_id, clock.to_iso(clock.now()))
                            append(db, "bench.append", object_type, object_id)
                    mine.append(time.perf_counter() - start)
            finally:
                db.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(total // threads,)) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    appended = len(latencies) * per_tx
    return {"appends_per_s": appended / elapsed, **summary_ms(latencies), "path": path}


CASES = [
    # (name, threads, appends, appends per transaction, about an incident)
    ("1 writer, 1 append per transaction", 1, 1000, 1, ""),
    ("1 writer, 1 append per transaction, about an incident (read)", 1, 1000, 1, "read"),
    ("1 writer, 1 append per transaction, with a change to the incident", 1, 1000, 1, "change"),
    ("8 writers, 1 append per transaction", 8, 1600, 1, ""),
    ("1 writer, 100 appends per transaction", 1, 5000, 100, ""),
]


def _median_of(runs: list[dict]) -> dict:
    runs = sorted(runs, key=lambda r: r["appends_per_s"])
    return runs[len(runs) // 2]


def run(rounds: int = 5) -> list[dict]:
    """Each case ``rounds`` times, before and anchored taking turns (the disk's fsync time
    drifts); the median round of each."""
    rows = []
    for name, threads, total, per_tx, about_incident in CASES:
        before, anchored = [], []
        for _ in range(rounds):
            before.append(_measure(_old_append, threads, total, per_tx, about_incident))
            anchored.append(_measure(_new_append, threads, total, per_tx, about_incident))
        for done in anchored:
            with store.unit(done["path"]) as db:
                verified = audit_verify.verify(db)
            assert verified.intact, verified.message
        b, a = _median_of(before), _median_of(anchored)
        rows.append(
            {"case": name, "before": b, "anchored": a, "ratio": a["appends_per_s"] / b["appends_per_s"]}
        )
    return rows


def main() -> None:
    print("| case | before appends/s | p50 ms | anchored appends/s | p50 ms | anchored/before |")
    print("|---|---|---|---|---|---|")
    for row in run():
        b, a = row["before"], row["anchored"]
        print(
            f"| {row['case']} | {b['appends_per_s']:.0f} | {b['p50_ms']:.2f} | {a['appends_per_s']:.0f} |"
            f" {a['p50_ms']:.2f} | {row['ratio']:.2f} |"
        )
    print("p50 is per transaction.")


if __name__ == "__main__":
    main()
