"""SQL for the FG's assessments (versioned) and decisions."""

from __future__ import annotations

from sqlite_utils import Database

_ASSESSMENT_COLUMNS = (
    "incident_id",
    "version",
    "facts",
    "advice",
    "risk",
    "notify_authority",
    "inform_subjects",
    "enisa_level",
    "enisa_score",
    "effects",
    "remedial_action",
    "author_id",
    "created_at",
)
#: The columns of a decision, written in one place (``insert_decision``, ``insert_decisions``);
#: ``consulted`` and ``duplicate_of`` came with migration 0020.
DECISION_COLUMNS = (
    "incident_id",
    "assessment_id",
    "kind",
    "notify_authority",
    "inform_subjects",
    "inform_date",
    "lawful_basis",
    "motivation",
    "deviates",
    "deviation_motivation",
    "advice",
    "decided_by",
    "decided_at",
    "consulted",
    "duplicate_of",
)
#: What a decision holds when its row does not say (the demo's decisions).
DECISION_DEFAULTS = {"consulted": "", "duplicate_of": None}


def insert_statement(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (a, b) VALUES (:a, :b)``: the columns by name."""
    return "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(columns), ", ".join(":" + c for c in columns)
    )


def next_version(db: Database, incident_id: int) -> int:
    row = next(
        db.query(
            "SELECT coalesce(max(version), 0) + 1 AS n FROM assessments WHERE incident_id = ?",
            [incident_id],
        )
    )
    return row["n"]


def insert_assessment(db: Database, row: dict) -> int:
    return db.execute(insert_statement("assessments", _ASSESSMENT_COLUMNS), row).lastrowid


def insert_assessments(db: Database, rows: list[dict]) -> None:
    db.conn.executemany(insert_statement("assessments", _ASSESSMENT_COLUMNS), rows)


def latest_assessment(db: Database, incident_id: int) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE incident_id = ? ORDER BY version DESC LIMIT 1",
            [incident_id],
        )
    )
    return rows[0] if rows else None


def assessment_versions(db: Database, incident_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT id, version, risk, notify_authority, inform_subjects, enisa_level, author_id,"
            " created_at FROM assessments WHERE incident_id = ? ORDER BY version",
            [incident_id],
        )
    )


def insert_decision(db: Database, row: dict) -> int:
    return db.execute(insert_statement("decisions", DECISION_COLUMNS), {**DECISION_DEFAULTS, **row}).lastrowid


def insert_decisions(db: Database, rows: list[dict]) -> None:
    db.conn.executemany(
        insert_statement("decisions", DECISION_COLUMNS), [{**DECISION_DEFAULTS, **r} for r in rows]
    )


def latest_decision(db: Database, incident_id: int) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM decisions WHERE incident_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1",
            [incident_id],
        )
    )
    return rows[0] if rows else None


def decisions(db: Database, incident_id: int) -> list[dict]:
    return list(
        db.query("SELECT * FROM decisions WHERE incident_id = ? ORDER BY decided_at, id", [incident_id])
    )


def set_aware_at(db: Database, incident_id: int, aware_at: str, at: str) -> None:
    db.execute("UPDATE incidents SET aware_at = ?, updated_at = ? WHERE id = ?", [aware_at, at, incident_id])
