"""SQL for files offered for one download (see ``datalek.accounts.downloads``)."""

from __future__ import annotations

from sqlite_utils import Database


def insert(db: Database, row: dict) -> None:
    db.execute(
        "INSERT INTO download_offers (token_hash, session_id, user_id, action, subject, file_name,"
        " media_type, data, created_at, expires_at) VALUES (:token_hash, :session_id, :user_id, :action,"
        " :subject, :file_name, :media_type, :data, :created_at, :expires_at)",
        row,
    )


def take(db: Database, token_hash: str) -> dict | None:
    """Remove the offer and return it: a second request finds nothing."""
    rows = list(db.query("DELETE FROM download_offers WHERE token_hash = ? RETURNING *", [token_hash]))
    return rows[0] if rows else None


def prune(db: Database, now: str) -> int:
    return db.execute("DELETE FROM download_offers WHERE expires_at <= ?", [now]).rowcount
