"""SQL for report drafts: one row per account with the answers typed so far (JSON text).
Writers hold ``BEGIN IMMEDIATE`` (``store.write``)."""

from __future__ import annotations

from sqlite_utils import Database


def of_user(db: Database, user_id: int) -> dict | None:
    rows = list(
        db.query("SELECT user_id, answers, updated_at FROM report_drafts WHERE user_id = ?", [user_id])
    )
    return rows[0] if rows else None


def put(db: Database, user_id: int, answers: str, at: str) -> None:
    db.execute(
        "INSERT INTO report_drafts (user_id, answers, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
        [user_id, answers, at],
    )


def delete(db: Database, user_id: int | None) -> int:
    return db.execute("DELETE FROM report_drafts WHERE user_id = ?", [user_id]).rowcount


def any_older_than(db: Database, cutoff: str) -> bool:
    return (
        db.execute("SELECT 1 FROM report_drafts WHERE updated_at < ? LIMIT 1", [cutoff]).fetchone()
        is not None
    )


def delete_older_than(db: Database, cutoff: str) -> int:
    return db.execute("DELETE FROM report_drafts WHERE updated_at < ?", [cutoff]).rowcount
