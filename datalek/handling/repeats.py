"""Repeat incidents: the same cause in the same department within 90 days.

A repeat says a preventive measure is missing or did not work, so it is flagged on the
incident and counted in the statistics. The rule (``docs/domain/rules.md``, "Herhaalde
incidenten"): an incident repeats the most recent earlier report of the same organisation with
the same incident type (the cause, as the FG corrects it) in the same department, reported at
most ``WINDOW_DAYS`` days before it. An earlier report judged "geen datalek" or recorded as a
duplicate does not count; neither does an empty department or an undetermined type. A
duplicate is never counted as a repeat in the figures (``datalek.store.rollup``).

90 days, not a year: within a year the same kind of incident in a busy department is the
normal rate (the demo flagged more than half of its incidents), while within three months it
points at a measure that is missing or not working. Detection runs when a report comes in and
again when the FG corrects the incident type, inside the caller's write transaction.
"""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import incidents as incident_sql
from datalek.store import repeats as sql

WINDOW_DAYS = 90


def detect(db: Database, incident_id: int) -> int | None:
    """Set and return the earlier incident this one repeats (None if it is no repeat)."""
    sql.mark(db, incident_id, WINDOW_DAYS)
    return incident_sql.incident(db, incident_id)["repeat_of"]


def earlier(db: Database, row: dict) -> int | None:
    """The earlier incident a new report repeats, before it is stored (``row``: its values), so
    that it is inserted with ``repeat_of`` at once: the same rule as ``detect``."""
    return sql.earlier(db, row, WINDOW_DAYS)


def detect_all(db: Database) -> None:
    """Apply the rule to every incident (demo data, a changed rule), inside the caller's write."""
    sql.mark(db, None, WINDOW_DAYS)
