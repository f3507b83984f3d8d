"""SQL for server-side sessions (tokens are stored only as hashes)."""

from __future__ import annotations

from sqlite_utils import Database


def insert(db: Database, row: dict) -> int:
    cur = db.execute(
        "INSERT INTO sessions (token_hash, user_id, method, created_at, last_seen_at, idle_minutes,"
        " absolute_hours, client, user_agent) VALUES (:token_hash, :user_id, :method, :created_at,"
        " :last_seen_at, :idle_minutes, :absolute_hours, :client, :user_agent)",
        row,
    )
    return cur.lastrowid


def by_token_hash(db: Database, token_hash: str) -> dict | None:
    rows = list(db.query("SELECT * FROM sessions WHERE token_hash = ?", [token_hash]))
    return rows[0] if rows else None


def of_user(db: Database, user_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC", [user_id]))


def touch(db: Database, session_id: int, at: str) -> None:
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [at, session_id])


def delete(db: Database, session_id: int) -> int:
    return db.execute("DELETE FROM sessions WHERE id = ?", [session_id]).rowcount


def delete_of_user(db: Database, user_id: int, keep_id: int | None = None) -> int:
    return db.execute("DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?", [user_id, keep_id]).rowcount
