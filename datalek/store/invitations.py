"""SQL for one-time links (invitations to an FG account, password resets); codes only as hashes."""

from __future__ import annotations

from sqlite_utils import Database


def insert(db: Database, row: dict) -> int:
    cur = db.execute(
        "INSERT INTO invitations (token_hash, kind, email, name, org_id, user_id, created_by, created_at,"
        " expires_at) VALUES (:token_hash, :kind, :email, :name, :org_id, :user_id, :created_by,"
        " :created_at, :expires_at)",
        row,
    )
    return cur.lastrowid


def by_token_hash(db: Database, token_hash: str) -> dict | None:
    rows = list(db.query("SELECT * FROM invitations WHERE token_hash = ?", [token_hash]))
    return rows[0] if rows else None


def close(db: Database, invitation_id: int, at: str, reason: str) -> int:
    """Close one open link; 0 when it was already closed (used at the same moment elsewhere)."""
    return db.execute(
        "UPDATE invitations SET closed_at = ?, closed_reason = ? WHERE id = ? AND closed_at IS NULL",
        [at, reason, invitation_id],
    ).rowcount


def close_open_for_email(db: Database, kind: str, email: str, at: str, reason: str) -> int:
    return db.execute(
        "UPDATE invitations SET closed_at = ?, closed_reason = ?"
        " WHERE kind = ? AND email = ? AND closed_at IS NULL",
        [at, reason, kind, email],
    ).rowcount


def close_open_for_org_email(db: Database, org_id: int, email: str, at: str, reason: str) -> int:
    """The open FG invitations of an organisation to one address (its old FG address)."""
    return db.execute(
        "UPDATE invitations SET closed_at = ?, closed_reason = ?"
        " WHERE kind = 'dpo_account' AND org_id = ? AND email = ? AND closed_at IS NULL",
        [at, reason, org_id, email],
    ).rowcount


def close_open_for_user(db: Database, user_id: int, at: str, reason: str) -> int:
    return db.execute(
        "UPDATE invitations SET closed_at = ?, closed_reason = ? WHERE user_id = ? AND closed_at IS NULL",
        [at, reason, user_id],
    ).rowcount
