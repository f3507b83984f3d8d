"""SQL for the organisation's letter templates: one row per saved version of the text for a
kind of reader (``letter_templates``, migration 0018). Rows are never changed or deleted."""

from __future__ import annotations

from sqlite_utils import Database

_COLUMNS = ("org_id", "reader", "version", "form", "body", "created_by", "created_at")


def insert_template(db: Database, row: dict) -> int:
    """In the caller's write transaction; UNIQUE (org_id, reader, version) refuses a second
    row with the same version."""
    sql = "INSERT INTO letter_templates ({}) VALUES ({})".format(
        ", ".join(_COLUMNS), ", ".join(":" + c for c in _COLUMNS)
    )
    return db.execute(sql, {c: row[c] for c in _COLUMNS}).lastrowid


def latest_template(db: Database, org_id: int, reader: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM letter_templates WHERE org_id = ? AND reader = ? ORDER BY version DESC LIMIT 1",
            [org_id, reader],
        )
    )
    return rows[0] if rows else None


def templates(db: Database, org_id: int, reader: str) -> list[dict]:
    """Every saved version, the newest first."""
    return list(
        db.query(
            "SELECT * FROM letter_templates WHERE org_id = ? AND reader = ? ORDER BY version DESC",
            [org_id, reader],
        )
    )
