"""SQL for repeat incidents (``datalek.handling.repeats``: the rule and its period)."""

from __future__ import annotations

from sqlite_utils import Database

#: The most recent earlier report of the same organisation, incident type and department
#: within ``{days}`` days that was not judged "geen datalek" and is no duplicate.
_REPEAT = """
    UPDATE incidents SET repeat_of = (
        SELECT p.id FROM incidents p
        WHERE p.org_id = incidents.org_id AND p.incident_type = incidents.incident_type
          AND p.department = incidents.department AND p.id != incidents.id
          AND p.reported_at < incidents.reported_at
          AND p.reported_at >= strftime('%Y-%m-%dT%H:%M:%S', incidents.reported_at, '-{days} days')
          AND p.status != 'not_a_breach'
          AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.incident_id = p.id
                          AND d.duplicate_of IS NOT NULL)
        ORDER BY p.reported_at DESC LIMIT 1)
    WHERE department != '' AND incident_type != 'to_be_determined' AND {where}"""


def mark(db: Database, incident_id: int | None, days: int) -> None:
    """Set ``repeat_of`` for one incident, or for all (``incident_id`` None), inside the
    caller's write; the roll-up's triggers follow."""
    where, params = ("id = ?", [incident_id]) if incident_id is not None else ("1", [])
    db.execute(f"UPDATE incidents SET repeat_of = NULL WHERE {where}", params)
    db.execute(_REPEAT.format(days=int(days), where=where), params)
