"""Repeat incidents: the same kind of incident in the same department within 12 months.

A repeat says a preventive measure is missing or did not work, so it is flagged on the
incident and counted in the statistics. Detection runs when a report comes in and again
when the FG corrects the incident type, inside the caller's write transaction. An earlier
incident judged "geen datalek" does not count; neither does an empty department.
"""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import actions as sql
from datalek.store import incidents as incident_sql

WINDOW_DAYS = 365


def detect(db: Database, incident_id: int) -> int | None:
    """Set and return the earlier incident this one repeats (None if it is no repeat)."""
    sql.mark_repeats(db, incident_id)
    return incident_sql.incident(db, incident_id)["repeat_of"]
