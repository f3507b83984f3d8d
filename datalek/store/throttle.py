"""SQL for the sign-in throttle's counters (``datalek/accounts/throttle.py`` decides).

A row counts failed sign-ins for one scope: ``account_client`` (one account from one client
address) or ``client`` (one client address, any account; ``account`` is then ''). Times are
UTC ISO-8601 text as written by ``clock.to_iso``, so they compare as text.
"""

from __future__ import annotations

from sqlite_utils import Database


def counter(db: Database, scope: str, client: str, account: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM signin_throttle WHERE scope = ? AND client = ? AND account = ?",
            [scope, client, account],
        )
    )
    return rows[0] if rows else None


def put_counter(db: Database, row: dict) -> None:
    db.execute(
        "INSERT OR REPLACE INTO signin_throttle"
        " (scope, client, account, failures, first_failed_at, last_failed_at, expires_at)"
        " VALUES (:scope, :client, :account, :failures, :first_failed_at, :last_failed_at, :expires_at)",
        row,
    )


def delete_counter(db: Database, scope: str, client: str, account: str) -> None:
    db.execute(
        "DELETE FROM signin_throttle WHERE scope = ? AND client = ? AND account = ?",
        [scope, client, account],
    )


def prune(db: Database, at: str) -> int:
    """Delete the counters whose window and delay have both run out by ``at``."""
    return db.execute("DELETE FROM signin_throttle WHERE expires_at <= ?", [at]).rowcount


def accounts_tried(db: Database, client: str) -> int:
    """How many accounts (known or not) have a live counter from this client address."""
    return next(
        db.query(
            "SELECT count(*) AS n FROM signin_throttle WHERE scope = 'account_client' AND client = ?",
            [client],
        )
    )["n"]


def counters(db: Database) -> list[dict]:
    """Every live or not yet pruned counter, for inspection and the tests."""
    return list(db.query("SELECT * FROM signin_throttle ORDER BY scope, client, account"))
