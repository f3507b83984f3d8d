"""SQL for submission keys (``datalek.submissions``). Writers hold ``BEGIN IMMEDIATE``."""

from __future__ import annotations

from sqlite_utils import Database


def claim(db: Database, key: str, user_id: int, form: str, at: str) -> bool:
    """True when ``key`` was free and is now taken; False when it was taken before."""
    return (
        db.execute(
            "INSERT OR IGNORE INTO submissions (key, user_id, form, created_at) VALUES (?, ?, ?, ?)",
            [key, user_id, form, at],
        ).rowcount
        == 1
    )


def prune(db: Database, cutoff: str) -> int:
    return db.execute("DELETE FROM submissions WHERE created_at < ?", [cutoff]).rowcount
