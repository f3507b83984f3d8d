"""SQL for retention: which closed incidents are past their organisation's retention period,
and blanking their free text while every column the statistics use stays as it is."""

from __future__ import annotations

from sqlite_utils import Database

#: The moment an incident was closed: ``closed_at`` when set, otherwise the time of the last
#: move into its final status (how 'not_a_breach' — and older 'closed' rows — are closed).
_CLOSED_MOMENT = """
    coalesce(i.closed_at, (SELECT max(sc.at) FROM status_changes sc
                           WHERE sc.incident_id = i.id AND sc.to_status = i.status))
"""

FINAL_STATUSES = ("closed", "not_a_breach")

#: Free text per table: (table, key column, [text columns]). Every one is replaced.
FREE_TEXT = (
    ("incidents", "id", ("description", "actions_taken")),
    ("supplements", "incident_id", ("text",)),
    ("assessments", "incident_id", ("effects", "remedial_action")),
    ("decisions", "incident_id", ("motivation", "deviation_motivation")),
    ("status_changes", "incident_id", ("reason",)),
    ("authority_notifications", "incident_id", ("late_reason", "note")),
    ("safety_checks", "incident_id", ("reason",)),
    ("public_notices", "incident_id", ("text",)),
    ("measures", "incident_id", ("description", "owner", "withdrawn_reason")),
    ("subject_notices", "incident_id", ("withdrawn_reason",)),
)

#: The old and new values of corrections (a measure's description, say) and their reasons:
#: free text too. A value that was empty (or none, as before a withdrawal) stays as it was.
CORRECTIONS = ("old_value", "new_value", "reason")

#: Rows counted per incident in a purge report (the tables that hold free text of their own).
COUNTED = (
    "supplements",
    "assessments",
    "decisions",
    "status_changes",
    "authority_notifications",
    "safety_checks",
    "public_notices",
    "measures",
)


def retention_years(db: Database) -> dict[int, int]:
    return {r["id"]: r["retention_years"] for r in db.query("SELECT id, retention_years FROM organisations")}


def set_retention_years(db: Database, org_id: int, years: int) -> int:
    return db.execute("UPDATE organisations SET retention_years = ? WHERE id = ?", [years, org_id]).rowcount


def due(db: Database, org_id: int, cutoff: str) -> list[dict]:
    """Unpurged incidents of one organisation in a final status, closed before ``cutoff``."""
    return list(
        db.query(
            f"""SELECT i.id, i.org_id, i.reference, i.status, {_CLOSED_MOMENT} AS closed_moment
                FROM incidents i
                WHERE i.org_id = ? AND i.purged_at IS NULL
                  AND i.status IN ({",".join("?" * len(FINAL_STATUSES))})
                  AND {_CLOSED_MOMENT} < ?
                ORDER BY i.id""",
            [org_id, *FINAL_STATUSES, cutoff],
        )
    )


def counts(db: Database, incident_id: int) -> dict[str, int]:
    """How many rows with free text each follow-up table holds for one incident."""
    return {
        table: db.execute(f"SELECT count(*) FROM {table} WHERE incident_id = ?", [incident_id]).fetchone()[0]
        for table in COUNTED
    }


def report_json(db: Database, incident_id: int) -> str:
    return db.execute("SELECT report FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]


def facts_json(db: Database, incident_id: int) -> list[tuple[int, str]]:
    return db.execute("SELECT id, facts FROM assessments WHERE incident_id = ?", [incident_id]).fetchall()


def blank(
    db: Database, incident_id: int, placeholder: str, report: str, facts: list[tuple[int, str]], at: str
) -> None:
    """Replace every free-text column of one incident; the caller holds BEGIN IMMEDIATE."""
    for table, key, columns in FREE_TEXT:
        sets = ", ".join(f"{c} = CASE WHEN {c} = '' THEN '' ELSE :placeholder END" for c in columns)
        db.execute(
            f"UPDATE {table} SET {sets} WHERE {key} = :id", {"placeholder": placeholder, "id": incident_id}
        )
    sets = ", ".join(
        f"{c} = CASE WHEN coalesce({c}, '') = '' THEN {c} ELSE :placeholder END" for c in CORRECTIONS
    )
    db.execute(
        f"UPDATE corrections SET {sets} WHERE incident_id = :id",
        {"placeholder": placeholder, "id": incident_id},
    )
    db.execute("UPDATE authority_notifications SET concept = '{}' WHERE incident_id = ?", [incident_id])
    db.execute("UPDATE supplements SET author_id = NULL WHERE incident_id = ?", [incident_id])
    db.conn.executemany(
        "UPDATE assessments SET facts = ? WHERE id = ?", [(text, row_id) for row_id, text in facts]
    )
    db.execute(
        "UPDATE incidents SET reporter_id = NULL, report = ?, pii_kept = 0, purged_at = ? WHERE id = ?",
        [report, at, incident_id],
    )
