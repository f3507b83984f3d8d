"""A writer process for the group-commit crash test: like the Streamlit server, one process
whose many threads submit reports at once, so that ``store.group_commit`` writes them in
groups. Each thread prints a reference only after ``submit_report`` returned, i.e. after its
group committed: a printed reference is a report confirmed to its user.

    python -m tests.group_writer DB_PATH THREADS USER_ID [USER_ID ...]

Lines: ``R <org id> <reference>`` per committed report, ``G <groups> <reports>`` now and then
(the writer's committed transactions and the reports so far), ``FAILED <error>``.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta

from datalek import clock, store
from datalek.accounts import auth
from datalek.handling import incidents
from datalek.intake.report import validate_report
from datalek.models import InvalidInput
from datalek.store import group_commit
from tests.conftest import report_values

_print = threading.Lock()
_reports = [0]


def say(line: str) -> None:
    with _print:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def submit_forever(db_path: str, user_id: int, n: int) -> None:
    with store.unit(db_path) as db:
        actor = auth.actor_for(db, user_id)
    org_id = actor.org_ids[0]
    for i in range(10**9):
        now = clock.now()
        values = report_values(org_id, description=f"Draad {n} melding {i}.")
        values["occurred_from"] = now.replace(microsecond=0) - timedelta(hours=5)
        values["discovered_at"] = now.replace(microsecond=0) - timedelta(hours=2)
        try:
            with store.unit(db_path) as db:  # a connection per report, as a page does
                made = incidents.submit_report(db, actor, validate_report(values, now))
        except (store.StorageError, InvalidInput) as exc:
            say(f"FAILED {type(exc).__name__}")
            continue
        say(f"R {org_id} {made.reference}")
        with _print:
            _reports[0] += 1
            count = _reports[0]
        if count % 25 == 0 and (writer := group_commit.writer_for(db_path)) is not None:
            say(f"G {writer.groups} {count}")


def main(db_path: str, threads: int, user_ids: list[int]) -> None:
    pool = [
        threading.Thread(target=submit_forever, args=(db_path, user_ids[n % len(user_ids)], n), daemon=True)
        for n in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), [int(u) for u in sys.argv[3:]])
