"""SQL for repeat incidents (``datalek.handling.repeats``: the rule and its period)."""

from __future__ import annotations

from sqlite_utils import Database

#: The most recent earlier report of the same organisation, incident type and department
#: within ``{days}`` days that was not judged "geen datalek" and is no duplicate; ``{me}`` is the
#: incident the rule is applied to (a row of ``incidents``, or a report's values as parameters).
_EARLIER = """
        SELECT p.id FROM incidents p
        WHERE p.org_id = {me}org_id AND p.incident_type = {me}incident_type
          AND p.department = {me}department AND p.id IS NOT {me}id
          AND p.reported_at < {me}reported_at
          AND p.reported_at >= strftime('%Y-%m-%dT%H:%M:%S', {me}reported_at, '-{days} days')
          AND p.status != 'not_a_breach'
          AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.incident_id = p.id
                          AND d.duplicate_of IS NOT NULL)
        ORDER BY p.reported_at DESC LIMIT 1"""
_REPEAT = (
    "UPDATE incidents SET repeat_of = ("
    + _EARLIER.replace("{me}", "incidents.")
    + ") WHERE department != '' AND incident_type != 'to_be_determined' AND {where}"
)
#: The same rule for a report before it is stored (``datalek.handling.repeats.earlier``).
_EARLIER_THAN_NEW = _EARLIER.replace("{me}", ":")


def mark(db: Database, incident_id: int | None, days: int) -> None:
    """Set ``repeat_of`` for one incident, or for all (``incident_id`` None), inside the
    caller's write; the roll-up's triggers follow."""
    where, params = ("id = ?", [incident_id]) if incident_id is not None else ("1", [])
    db.execute(f"UPDATE incidents SET repeat_of = NULL WHERE {where}", params)
    db.execute(_REPEAT.format(days=int(days), where=where), params)


def earlier(db: Database, row: dict, days: int) -> int | None:
    """The incident a report not yet stored would repeat (``row``: its ``org_id``,
    ``incident_type``, ``department`` and ``reported_at``), by the rule ``mark`` applies."""
    if row["department"] == "" or row["incident_type"] == "to_be_determined":
        return None
    params = {k: row[k] for k in ("org_id", "incident_type", "department", "reported_at")}
    found = db.execute(_EARLIER_THAN_NEW.format(days=int(days)), {**params, "id": None}).fetchone()
    return found[0] if found else None
