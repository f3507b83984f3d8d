"""SQL for the append-only audit log (the hashing lives in ``datalek.accounts.audit``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database


def last_entry(db: Database) -> dict | None:
    rows = list(db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
    return rows[0] if rows else None


def insert_entry(db: Database, row: dict) -> None:
    db.execute(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id,"
        " detail, prev_hash, hash) VALUES (:seq, :at, :actor_id, :actor_role, :action,"
        " :object_type, :object_id, :detail, :prev_hash, :hash)",
        row,
    )


def entries(db: Database) -> Iterator[dict]:
    return db.query("SELECT * FROM audit_log ORDER BY seq")


def entries_for(db: Database, object_type: str, object_id: str) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY seq",
            [object_type, object_id],
        )
    )


def recent(db: Database, limit: int = 200, action: str | None = None) -> list[dict]:
    if action:
        return list(
            db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT ?", [action, limit])
        )
    return list(db.query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", [limit]))
