"""A writer process for the crash and backup tests: submits reports through the domain core
as fast as it can and prints each reference only after ``submit_report`` returned, i.e. after
its transaction committed. A reference on standard output is a report confirmed to its user.

    python -m tests.reliability_writer DB_PATH USER_ID COUNT

Lines: ``R <org id> <reference>`` for a committed report, ``S <org id> <reference>`` for a
committed supplement to it, ``FAILED <error>`` for a write that was refused.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from datalek import clock, store
from datalek.accounts import auth
from datalek.handling import incidents
from datalek.intake.report import validate_report
from datalek.models import InvalidInput
from tests.conftest import report_values


def main(db_path: str, user_id: int, count: int) -> None:
    db = store.connect(db_path)
    actor = auth.actor_for(db, user_id)
    assert actor is not None
    org_id = actor.org_ids[0]
    for n in range(count):
        now = clock.now()
        values = report_values(org_id, description=f"Proces {user_id} melding {n}.")
        values["occurred_from"] = now.replace(microsecond=0) - timedelta(hours=5)
        values["discovered_at"] = now.replace(microsecond=0) - timedelta(hours=2)
        try:
            made = incidents.submit_report(db, actor, validate_report(values, now))
            print(f"R {org_id} {made.reference}", flush=True)
            if n % 3 == 0:
                incidents.add_supplement(db, actor, made.id, f"Aanvulling {n}.")
                print(f"S {org_id} {made.reference}", flush=True)
        except (store.StorageError, InvalidInput) as exc:
            print(f"FAILED {type(exc).__name__}", flush=True)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
