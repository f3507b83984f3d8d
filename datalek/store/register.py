"""SQL for the register export: one organisation's incidents of one year with their latest
assessment and decision, and the rows of what followed (notifications, informing, measures)."""

from __future__ import annotations

from sqlite_utils import Database


def incidents_of_year(db: Database, org_id: int, year: int) -> list[dict]:
    return list(
        db.query(
            """
        SELECT i.*, r.reference AS repeat_reference,
               a.facts, a.advice AS assessment_advice, a.risk, a.enisa_level, a.effects,
               a.remedial_action,
               d.kind AS decision_kind, d.notify_authority AS decision_notify,
               d.inform_subjects AS decision_inform, d.inform_date AS decision_inform_date,
               d.lawful_basis, d.motivation, d.deviates, d.deviation_motivation, d.decided_at
        FROM incidents i
        LEFT JOIN incidents r ON r.id = i.repeat_of
        LEFT JOIN assessments a ON a.id = (
            SELECT id FROM assessments WHERE incident_id = i.id ORDER BY version DESC LIMIT 1)
        LEFT JOIN decisions d ON d.id = (
            SELECT id FROM decisions WHERE incident_id = i.id ORDER BY decided_at DESC, id DESC
            LIMIT 1)
        WHERE i.org_id = ? AND i.year = ?
        ORDER BY i.seq""",
            [org_id, year],
        )
    )


def _by_incident(
    db: Database, table: str, ids: list[int], order: str, where: str = "1"
) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT * FROM {table} WHERE incident_id IN ({marks}) AND {where} ORDER BY {order}"
        for row in db.query(sql, chunk):
            found[row["incident_id"]].append(row)
    return found


#: A withdrawn notice or measure (entered by mistake) is not in the register.
_STANDING = "withdrawn_at IS NULL"


def actions_of(db: Database, ids: list[int]) -> dict[str, dict[int, list[dict]]]:
    return {
        "notifications": _by_incident(db, "authority_notifications", ids, "id"),
        "checks": _by_incident(db, "safety_checks", ids, "id"),
        "notices": _by_incident(db, "subject_notices", ids, "informed_on, id", _STANDING),
        "public": _by_incident(db, "public_notices", ids, "id"),
        "measures": _by_incident(db, "measures", ids, "due_on, id", _STANDING),
    }


def years(db: Database, org_id: int) -> list[int]:
    return [
        r["year"]
        for r in db.query("SELECT DISTINCT year FROM incidents WHERE org_id = ? ORDER BY year DESC", [org_id])
    ]
