"""SQL for permission checks: only the columns that say whose a thing is, never contents."""

from __future__ import annotations

from sqlite_utils import Database


def incident_owner(db: Database, incident_id: int) -> dict | None:
    """The incident's organisation and reporter, or None when there is no such incident."""
    rows = list(db.query("SELECT org_id, reporter_id FROM incidents WHERE id = ?", [incident_id]))
    return rows[0] if rows else None


def incident_of_measure(db: Database, measure_id: int) -> int | None:
    """The incident a measure belongs to, or None when there is no such measure."""
    rows = list(db.query("SELECT incident_id FROM measures WHERE id = ?", [measure_id]))
    return rows[0]["incident_id"] if rows else None
