"""Migrations 0006–0011. Access that holds (0.3.0): server-side sessions, the sign-in throttle, the audit trail's
anchor, one-time links, report drafts and one-time downloads.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0006_sessions")
def m0006_sessions(db: Database) -> None:
    """Server-side sessions: the browser holds a random token in an HttpOnly cookie, the
    database only its SHA-256. A session ends by deleting its row."""
    db.executescript(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users (id),
            method TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            idle_minutes INTEGER NOT NULL,
            absolute_hours INTEGER NOT NULL,
            client TEXT NOT NULL,
            user_agent TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        """
    )


@MIGRATIONS(name="0007_signin_throttle")
def m0007_signin_throttle(db: Database) -> None:
    """Failed sign-ins counted per (account, client address) and per client address instead
    of per account (issue #13): the account is never locked for everybody. ``account`` is the
    SHA-256 of the normalised e-mail address ('' for the per-address counter), so an unknown
    address that was typed (perhaps a password) is not stored readable. A row is pruned once
    ``expires_at`` has passed."""
    db.executescript(
        """
        DROP TABLE signin_failures;
        CREATE TABLE signin_throttle (
            scope TEXT NOT NULL CHECK (scope IN ('account_client', 'client')),
            client TEXT NOT NULL,
            account TEXT NOT NULL,
            failures INTEGER NOT NULL CHECK (failures > 0),
            first_failed_at TEXT NOT NULL,
            last_failed_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (scope, client, account)
        );
        CREATE INDEX signin_throttle_expiry ON signin_throttle (expires_at);
        """
    )


@MIGRATIONS(name="0008_audit_anchor")
def m0008_audit_anchor(db: Database) -> None:
    """The audit trail anchored outside the database (``datalek.accounts.audit_anchor``).

    * ``audit_log.state_hash``: for an entry about an incident, the SHA-256 of the incident's
      stored state at commit (``s1:<hex>``, version 1 of ``audit_log.STATE_COLUMNS``). It is
      part of the entry's hash; NULL in every older entry, so their hashes still hold.
    * ``audit_log.state_before``: set only when, at that entry's write, the incident's
      committed state was not the state of its newest entry: changed outside the app between
      the two. Kept in the trail, so the next write cannot hide such a change.
    * ``audit_head``: the last entry as the database itself recorded it, HMAC-signed, so that
      entries removed from the end show even without the checkpoint file.
    * an index to find an incident's newest entry.

    Older entries keep their SHA-256 hashes: they are sealed, not rewritten. The first write
    afterwards (or ``python -m datalek init``) appends an ``audit.anchor`` entry, keyed with the
    HMAC and linked to the last older entry, and an ``incident.baseline`` entry with the state
    of every incident. ``store.migrate`` makes the key file."""
    db.execute("ALTER TABLE audit_log ADD COLUMN state_hash TEXT")
    db.execute("ALTER TABLE audit_log ADD COLUMN state_before TEXT")
    db.execute("CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq)")
    db.execute(
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            key_id TEXT NOT NULL,
            mac TEXT NOT NULL
        )"""
    )


@MIGRATIONS(name="0009_invitations")
def m0009_invitations(db: Database) -> None:
    """One-time links: an invitation to a new FG account, or a password reset sent to the
    account's own address. The database holds only the SHA-256 of the random code; a link
    is closed when used, replaced by a newer one, or no longer wanted (a changed FG address,
    a disabled account)."""
    db.executescript(
        """
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('dpo_account', 'password_reset')),
            email TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            org_id INTEGER REFERENCES organisations (id),
            user_id INTEGER REFERENCES users (id),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            closed_at TEXT,
            closed_reason TEXT
        );
        CREATE INDEX invitations_email ON invitations (email, kind);
        CREATE INDEX invitations_user ON invitations (user_id);
        """
    )


@MIGRATIONS(name="0010_report_drafts")
def m0010_report_drafts(db: Database) -> None:
    """A report being written, one per account: the answers typed so far (JSON), so that a
    reload does not lose them. Deleted when the report is sent, discarded, or 24 hours old."""
    db.executescript(
        """
        CREATE TABLE report_drafts (
            user_id INTEGER PRIMARY KEY REFERENCES users (id),
            answers TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX report_drafts_updated ON report_drafts (updated_at);
        """
    )


@MIGRATIONS(name="0011_download_offers")
def m0011_download_offers(db: Database) -> None:
    """A file with personal data waits here, for one download within a minute, by the session
    that made it (``datalek.accounts.downloads``); taken out on use, pruned when stale."""
    db.executescript(
        """
        CREATE TABLE download_offers (
            token_hash TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users (id),
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX download_offers_expiry ON download_offers (expires_at);
        """
    )
