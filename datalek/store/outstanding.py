"""SQL for the notification clocks that still run: open incidents with their latest decision
and whether the AP was notified (``datalek.handling.outstanding``)."""

from __future__ import annotations

from sqlite_utils import Database


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def clock_rows(db: Database, org_ids: list[int] | None = None) -> list[dict]:
    """Per open incident: the moment of awareness, the latest decision (or none) and whether
    a first notification to the AP is recorded. ``org_ids`` None: every organisation."""
    sql = """
        SELECT i.id, i.org_id, i.reference, i.status, i.aware_at, i.delay_reason,
               d.kind AS decision_kind, d.notify_authority AS decided_notify,
               EXISTS (SELECT 1 FROM authority_notifications n
                       WHERE n.incident_id = i.id AND n.kind = 'initial') AS notified
        FROM incidents i
        LEFT JOIN decisions d ON d.id = (
            SELECT id FROM decisions WHERE incident_id = i.id ORDER BY decided_at DESC, id DESC LIMIT 1)
        WHERE i.purged_at IS NULL AND i.status IN ('reported', 'in_progress', 'decided')
    """
    params: list = []
    if org_ids is not None:
        sql += f" AND i.org_id IN ({_marks(org_ids)})"
        params += org_ids
    return list(db.query(sql + " ORDER BY i.aware_at, i.id", params))
