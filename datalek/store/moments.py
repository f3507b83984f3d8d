"""SQL for the moments of an incident and every change of them (``incident_changes``)."""

from __future__ import annotations

from sqlite_utils import Database

#: The incident columns a change may touch (``datalek.handling.moments.FIELDS``).
_COLUMNS = (
    "aware_at",
    "aware_basis",
    "aware_source",
    "occurrence",
    "occurred_from",
    "occurred_to",
    "discovered_at",
    "delay_reason",
)


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def set_moments(db: Database, incident_id: int, values: dict, at: str) -> None:
    """Write new values of the moments (only known columns); ``ongoing`` follows ``occurrence``."""
    columns = {k: v for k, v in values.items() if k in _COLUMNS}
    if "occurrence" in columns:
        columns["ongoing"] = int(columns["occurrence"] == "ongoing")
    if not columns:
        return
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    db.execute(
        f"UPDATE incidents SET {assignments}, updated_at = :at WHERE id = :id",
        {**columns, "at": at, "id": incident_id},
    )


def insert_change(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO incident_changes (incident_id, field, old_value, new_value, reason,"
        " after_notification, changed_by, changed_at) VALUES (:incident_id, :field, :old_value,"
        " :new_value, :reason, :after_notification, :changed_by, :changed_at)",
        row,
    ).lastrowid


_CHANGES = (
    "SELECT c.*, u.name AS changed_by_name FROM incident_changes c LEFT JOIN users u ON u.id = c.changed_by"
)


def changes(db: Database, incident_id: int) -> list[dict]:
    """Every change of the incident's moments, oldest first, with the name of who made it."""
    return list(db.query(_CHANGES + " WHERE c.incident_id = ? ORDER BY c.id", [incident_id]))


def changes_of(db: Database, incident_ids: list[int]) -> dict[int, list[dict]]:
    """The changes of several incidents (for the register), oldest first per incident."""
    found: dict[int, list[dict]] = {i: [] for i in incident_ids}
    for row in db.query(
        _CHANGES + f" WHERE c.incident_id IN ({_marks(incident_ids)}) ORDER BY c.id", incident_ids
    ):
        found[row["incident_id"]].append(row)
    return found


def first_notified_at(db: Database, incident_id: int) -> str | None:
    """When the first AP notification was submitted (None when none is recorded)."""
    row = db.execute(
        "SELECT submitted_at FROM authority_notifications WHERE incident_id = ? AND kind = 'initial'"
        " ORDER BY id LIMIT 1",
        [incident_id],
    ).fetchone()
    return row[0] if row else None
