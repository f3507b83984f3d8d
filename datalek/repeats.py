"""Repeat incidents: the same kind of incident in the same department within 12 months.

A repeat says a preventive measure is missing or did not work, so it is flagged on the
incident and counted in the statistics. Detection runs when a report comes in and again
when the FG corrects the incident type, inside the caller's write transaction.
"""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from datalek import deadlines
from datalek.store import follow_up as sql
from datalek.store import incidents as incident_sql

WINDOW = timedelta(days=365)


def detect(db: Database, incident_id: int) -> int | None:
    """Set and return the earlier incident this one repeats (None if it is no repeat)."""
    row = incident_sql.incident(db, incident_id)
    if row["incident_type"] == "to_be_determined":
        earlier = None
    else:
        since = deadlines.to_iso(deadlines.from_iso(row["reported_at"]) - WINDOW)
        earlier = sql.earlier_similar(db, row, since)
    if earlier != row.get("repeat_of"):
        sql.set_repeat(db, incident_id, earlier)
    return earlier
