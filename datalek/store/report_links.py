"""SQL for report links, the follow-up tokens, guest sessions and their throttle
(``datalek/accounts/report_links.py`` and ``guest_sessions.py`` decide). Tokens are stored
only as SHA-256 hashes; times are UTC ISO-8601 text, so they compare as text."""

from __future__ import annotations

from sqlite_utils import Database


def _one(db: Database, sql: str, params: list) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


# --- links ---------------------------------------------------------------------------------------


def insert_link(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO report_links (org_id, token_hash, label, kind, party_id, one_time, expires_at,"
        " created_by, created_at) VALUES (:org_id, :token_hash, :label, :kind, :party_id, :one_time,"
        " :expires_at, :created_by, :created_at)",
        row,
    ).lastrowid


def link(db: Database, link_id: int) -> dict | None:
    return _one(
        db,
        "SELECT l.*, p.name AS party_name FROM report_links l LEFT JOIN parties p ON p.id = l.party_id"
        " WHERE l.id = ?",
        [link_id],
    )


def link_by_hash(db: Database, token_hash: str) -> dict | None:
    return _one(db, "SELECT * FROM report_links WHERE token_hash = ?", [token_hash])


def links_of(db: Database, org_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT l.*, p.name AS party_name FROM report_links l LEFT JOIN parties p ON p.id = l.party_id"
            " WHERE l.org_id = ? ORDER BY l.created_at DESC, l.id DESC",
            [org_id],
        )
    )


def use_link(db: Database, link_id: int, at: str) -> bool:
    """Count one report through the link, only while it is open: not revoked, not expired, and
    a one-time link not used before. False when it was not open (nothing changed)."""
    return (
        db.execute(
            "UPDATE report_links SET uses = uses + 1, last_used_at = :at WHERE id = :id"
            " AND revoked_at IS NULL AND expires_at > :at AND (one_time = 0 OR uses = 0)",
            {"id": link_id, "at": at},
        ).rowcount
        == 1
    )


def revoke_link(db: Database, link_id: int, by: int | None, at: str, reason: str) -> bool:
    return (
        db.execute(
            "UPDATE report_links SET revoked_at = ?, revoked_by = ?, revoked_reason = ?"
            " WHERE id = ? AND revoked_at IS NULL",
            [at, by, reason, link_id],
        ).rowcount
        == 1
    )


def mark_incident(db: Database, incident_id: int, link_id: int) -> None:
    db.execute("UPDATE incidents SET report_link_id = ? WHERE id = ?", [link_id, incident_id])


def link_of_incident(db: Database, incident_id: int) -> dict | None:
    return _one(
        db,
        "SELECT l.* FROM incidents i JOIN report_links l ON l.id = i.report_link_id WHERE i.id = ?",
        [incident_id],
    )


# --- follow-up tokens ------------------------------------------------------------------------------


def insert_follow_up(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO report_follow_ups (incident_id, link_id, token_hash, created_at, expires_at)"
        " VALUES (:incident_id, :link_id, :token_hash, :created_at, :expires_at)",
        row,
    ).lastrowid


def follow_up_by_hash(db: Database, token_hash: str) -> dict | None:
    return _one(db, "SELECT * FROM report_follow_ups WHERE token_hash = ?", [token_hash])


def follow_up(db: Database, follow_up_id: int) -> dict | None:
    return _one(db, "SELECT * FROM report_follow_ups WHERE id = ?", [follow_up_id])


def delete_follow_ups_of(db: Database, incident_id: int) -> int:
    """The follow-up token of a purged incident, and the browsers that opened it."""
    db.execute(
        "DELETE FROM guest_sessions WHERE follow_up_id IN"
        " (SELECT id FROM report_follow_ups WHERE incident_id = ?)",
        [incident_id],
    )
    return db.execute("DELETE FROM report_follow_ups WHERE incident_id = ?", [incident_id]).rowcount


# --- guest sessions ----------------------------------------------------------------------------------


def insert_session(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO guest_sessions (token_hash, link_id, follow_up_id, created_at, expires_at, client,"
        " user_agent) VALUES (:token_hash, :link_id, :follow_up_id, :created_at, :expires_at, :client,"
        " :user_agent)",
        row,
    ).lastrowid


def session_by_hash(db: Database, token_hash: str) -> dict | None:
    return _one(db, "SELECT * FROM guest_sessions WHERE token_hash = ?", [token_hash])


def delete_session(db: Database, session_id: int) -> int:
    return db.execute("DELETE FROM guest_sessions WHERE id = ?", [session_id]).rowcount


def delete_sessions_of_link(db: Database, link_id: int) -> int:
    return db.execute("DELETE FROM guest_sessions WHERE link_id = ?", [link_id]).rowcount


def prune_sessions(db: Database, at: str) -> int:
    return db.execute("DELETE FROM guest_sessions WHERE expires_at <= ?", [at]).rowcount


# --- the throttle --------------------------------------------------------------------------------------


def counter(db: Database, scope: str, key: str) -> dict | None:
    return _one(db, "SELECT * FROM report_link_throttle WHERE scope = ? AND key = ?", [scope, key])


def put_counter(db: Database, row: dict) -> None:
    db.execute(
        "INSERT OR REPLACE INTO report_link_throttle"
        " (scope, key, failures, first_failed_at, last_failed_at, expires_at)"
        " VALUES (:scope, :key, :failures, :first_failed_at, :last_failed_at, :expires_at)",
        row,
    )


def prune_counters(db: Database, at: str) -> int:
    return db.execute("DELETE FROM report_link_throttle WHERE expires_at <= ?", [at]).rowcount
