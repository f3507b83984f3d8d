"""SQL for the notification clocks: per incident its latest decision, whether the AP was
notified (and the notification withdrawn), and the reason for a delay
(``datalek.handling.outstanding``, ``datalek.handling.delay``). The queue's SQL
(``store.incidents.queue``) selects the same columns, so that the queue needs one query."""

from __future__ import annotations

from sqlite_utils import Database

#: The clock's columns of an incident ``i`` joined to its latest decision ``d``.
CLOCK_COLUMNS = """
    i.status, i.aware_at, i.delay_reason, i.delay_kind,
    d.kind AS decision_kind, d.notify_authority AS decided_notify,
    EXISTS (SELECT 1 FROM authority_notifications n
            WHERE n.incident_id = i.id AND n.kind = 'initial') AS notified,
    EXISTS (SELECT 1 FROM authority_notifications n
            WHERE n.incident_id = i.id AND n.kind = 'withdrawal') AS withdrawn
"""

#: The incident's latest decision (none: ``d`` is all NULL).
LATEST_DECISION = """
    LEFT JOIN decisions d ON d.id = (
        SELECT id FROM decisions WHERE incident_id = i.id ORDER BY decided_at DESC, id DESC LIMIT 1)
"""

#: Over the columns above: the clock runs (``handling.outstanding.phase_of`` says the same;
#: tests/test_outstanding.py checks both on every phase).
RUNNING = """
    (NOT notified AND (status IN ('reported', 'in_progress') OR decision_kind IS NULL
                       OR (decision_kind = 'breach' AND decided_notify = 1)))
"""


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def clock_rows(db: Database, org_ids: list[int] | None = None) -> list[dict]:
    """Per open incident not yet notified to the AP (a notified one's clock has stopped) its
    clock's columns. ``org_ids`` None: every organisation. Leaving the notified ones out first
    spares their decision lookups: the banner on every FG page runs this (docs/benchmarks.md)."""
    sql = f"""
        SELECT i.id, i.org_id, i.reference, {CLOCK_COLUMNS}
        FROM incidents i {LATEST_DECISION}
        WHERE i.purged_at IS NULL AND i.status IN ('reported', 'in_progress', 'decided')
          AND NOT EXISTS (SELECT 1 FROM authority_notifications n
                          WHERE n.incident_id = i.id AND n.kind = 'initial')
    """
    params: list = []
    if org_ids is not None:
        sql += f" AND i.org_id IN ({_marks(org_ids)})"
        params += org_ids
    return list(db.query(sql + " ORDER BY i.aware_at, i.id", params))


def clock_row(db: Database, incident_id: int) -> dict | None:
    """One incident's clock's columns, whatever its status."""
    sql = f"SELECT i.id, i.org_id, i.reference, {CLOCK_COLUMNS} FROM incidents i {LATEST_DECISION} WHERE i.id = ?"
    return next(iter(db.query(sql, [incident_id])), None)


def set_delay_reason(db: Database, incident_id: int, reason: str, kind: str, at: str) -> None:
    db.execute(
        "UPDATE incidents SET delay_reason = ?, delay_kind = ?, updated_at = ? WHERE id = ?",
        [reason, kind, at, incident_id],
    )
