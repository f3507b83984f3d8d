"""SQL for the register export: one organisation's incidents of a year or a period with their
latest assessment and decision, and the rows of what followed (notifications, informing,
measures, linked incidents, the audit entries about each incident). A decision is written by
``datalek.store.assessments.insert_decision``, where its columns are kept."""

from __future__ import annotations

from sqlite_utils import Database

_INCIDENTS = """
        SELECT i.*, r.reference AS repeat_reference,
               a.facts, a.advice AS assessment_advice, a.risk, a.enisa_level, a.effects,
               a.remedial_action, a.version AS latest_version,
               d.kind AS decision_kind, d.notify_authority AS decision_notify,
               d.inform_subjects AS decision_inform, d.inform_date AS decision_inform_date,
               d.lawful_basis, d.motivation, d.deviates, d.deviation_motivation, d.decided_at,
               d.advice AS decision_advice, d.decided_by, d.consulted, d.duplicate_of,
               u.name AS decided_by_name, da.version AS decision_version,
               dup.reference AS duplicate_reference,
               (SELECT m.undone_at FROM incident_merges m WHERE m.decision_id = d.id) AS merge_undone_at
        FROM incidents i
        LEFT JOIN incidents r ON r.id = i.repeat_of
        LEFT JOIN assessments a ON a.id = (
            SELECT id FROM assessments WHERE incident_id = i.id ORDER BY version DESC LIMIT 1)
        LEFT JOIN decisions d ON d.id = (
            SELECT id FROM decisions WHERE incident_id = i.id ORDER BY decided_at DESC, id DESC
            LIMIT 1)
        LEFT JOIN assessments da ON da.id = d.assessment_id
        LEFT JOIN users u ON u.id = d.decided_by
        LEFT JOIN incidents dup ON dup.id = d.duplicate_of
        WHERE i.org_id = ? AND {where}
        ORDER BY i.reported_at, i.year, i.seq"""


def incidents_of_year(db: Database, org_id: int, year: int) -> list[dict]:
    """The incidents whose reference has ``year`` (DL-2026-...)."""
    return list(db.query(_INCIDENTS.format(where="i.year = ?"), [org_id, year]))


def incidents_between(db: Database, org_id: int, start: str, end: str) -> list[dict]:
    """The incidents reported from ``start`` up to (not including) ``end``, both UTC ISO text
    as stored."""
    where = "i.reported_at >= ? AND i.reported_at < ?"
    return list(db.query(_INCIDENTS.format(where=where), [org_id, start, end]))


def _by_incident(
    db: Database, table: str, ids: list[int], order: str, where: str = "1"
) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        sql = f"SELECT * FROM {table} WHERE incident_id IN ({_marks(chunk)}) AND {where} ORDER BY {order}"
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


def _marks(ids: list) -> str:
    return ", ".join("?" for _ in ids)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), 500):
        yield ids[start : start + 500]


def linked(db: Database, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Per incident the references of the incidents that repeat it, and of the reports whose
    latest decision calls them a duplicate of it."""
    found: dict[str, dict[int, list[str]]] = {"repeats": {}, "duplicates": {}}
    for chunk in _chunks(ids):
        marks = _marks(chunk)
        for row in db.query(
            f"SELECT repeat_of AS target, reference FROM incidents WHERE repeat_of IN ({marks})"
            " ORDER BY reported_at, id",
            chunk,
        ):
            found["repeats"].setdefault(row["target"], []).append(row["reference"])
        for row in db.query(
            f"""SELECT d.duplicate_of AS target, i.reference FROM decisions d
            JOIN incidents i ON i.id = d.incident_id
            WHERE d.duplicate_of IN ({marks}) AND d.id = (
                SELECT id FROM decisions WHERE incident_id = d.incident_id
                ORDER BY decided_at DESC, id DESC LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM incident_merges m
                              WHERE m.decision_id = d.id AND m.undone_at IS NOT NULL)
            ORDER BY i.reported_at, i.id""",
            chunk,
        ):
            found["duplicates"].setdefault(row["target"], []).append(row["reference"])
    return found


def audit_entries(db: Database, ids: list[int], leave_out: tuple[str, ...]) -> dict[int, list[dict]]:
    """Per incident the audit entries about it (sequence number, time, action, hash), oldest
    first, without the actions ``leave_out``."""
    found: dict[int, list[dict]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = db.query(
            f"""SELECT object_id, seq, at, action, hash FROM audit_log
            WHERE object_type = 'incident' AND object_id IN ({_marks(chunk)})
              AND action NOT IN ({_marks(list(leave_out))})
            ORDER BY seq""",
            [str(i) for i in chunk] + list(leave_out),
        )
        for row in rows:
            found[int(row["object_id"])].append(row)
    return found


def organisation_name(db: Database, org_id: int) -> str:
    rows = list(db.query("SELECT name FROM organisations WHERE id = ?", [org_id]))
    return rows[0]["name"] if rows else ""


def years(db: Database, org_id: int) -> list[int]:
    return [
        r["year"]
        for r in db.query("SELECT DISTINCT year FROM incidents WHERE org_id = ? ORDER BY year DESC", [org_id])
    ]
