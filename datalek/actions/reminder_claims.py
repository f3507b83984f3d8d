"""What the reminders of the notification period (``datalek.actions.reminders``) and of a
postponement's review date (``datalek.actions.review_reminders``) share: a reminder's row is
claimed in a write transaction before its mail goes out (UNIQUE per incident, regime and
point), so it is sent at most once across restarts and processes; a failed send, or a row left
'sending' by a process that stopped mid-send (after ``STALE``), is taken again."""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.store import reminders as sql

#: A row still 'sending' this long after its claim belongs to a process that stopped mid-send.
STALE = timedelta(minutes=15)
#: The path of the FG's work queue, after ``DATALEK_BASE_URL``.
QUEUE_PATH = "/werkvoorraad"
SIGNATURE = "\n\nDit bericht is automatisch verstuurd door Datalek. Je kunt er niet op antwoorden.\n"


def is_retry(row: dict | None, stale_before: str) -> bool:
    """A claimed row to take again: its send failed, or its process stopped mid-send."""
    return row is not None and (
        row["state"] == "failed" or (row["state"] == "sending" and row["sent_at"] < stale_before)
    )


def take(db: Database, incident_id: int, code: str, point: int, retry: bool, at: str) -> bool:
    """Claim a row (or take a failed or stale one again), inside the caller's transaction."""
    if retry:
        return sql.reclaim(db, incident_id, code, point, at, clock.to_iso(clock.from_iso(at) - STALE))
    return sql.claim(db, incident_id, code, point, at)
