"""Schema migrations, applied in order. Never edit one that has been applied: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("datalek")


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            fg_name TEXT NOT NULL DEFAULT '',
            fg_email TEXT NOT NULL DEFAULT '',
            fg_phone TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reporter', 'dpo', 'management', 'admin')),
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            password_changed_at TEXT
        );
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id),
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            PRIMARY KEY (user_id, org_id)
        );
        CREATE TABLE signin_failures (
            email TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failed_at TEXT NOT NULL
        );
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            reference TEXT NOT NULL,
            reporter_id INTEGER REFERENCES users(id),
            department TEXT NOT NULL DEFAULT '',
            situation TEXT NOT NULL,
            incident_type TEXT NOT NULL,
            status TEXT NOT NULL,
            occurred_from TEXT,
            occurred_to TEXT,
            ongoing INTEGER NOT NULL DEFAULT 0,
            discovered_at TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            aware_at TEXT NOT NULL,
            report TEXT NOT NULL DEFAULT '{}',
            description TEXT NOT NULL DEFAULT '',
            actions_taken TEXT NOT NULL DEFAULT '',
            pii_kept INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (org_id, year, seq)
        );
        CREATE INDEX incidents_reporter ON incidents (reporter_id, reported_at);
        CREATE INDEX incidents_queue ON incidents (org_id, status, aware_at);
        CREATE INDEX incidents_reported ON incidents (org_id, reported_at);
        CREATE TABLE supplements (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            author_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX supplements_incident ON supplements (incident_id, created_at);
        CREATE TABLE status_changes (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            from_status TEXT,
            to_status TEXT NOT NULL,
            actor_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX status_changes_incident ON status_changes (incident_id, at);
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id INTEGER,
            actor_role TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL DEFAULT '',
            object_id TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )
