"""Migrations from 0025. Reporting without an account (issue #16): report links and the follow-up token."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0025_report_links")
def m0025_report_links(db: Database) -> None:
    """``report_links``: a link the FG made for a processor or partner from the register
    (``party_id``) or for a named group of staff without an account; the token is stored only
    as its SHA-256. For one organisation, optionally one-time, always with an expiry date;
    revoked with a reason, never deleted. ``uses`` counts the reports made through it.

    ``report_follow_ups``: the second token, shown on the confirmation of a report made through
    a link, bound to that one incident (only its SHA-256 is stored).

    ``guest_sessions``: a browser that opened a link or a follow-up token; the cookie holds a
    random token, this table its hash, bound to the link or the follow-up it came from.

    ``report_link_throttle``: failed attempts per client address and every attempt per link,
    as the sign-in throttle counts them (``datalek.accounts.throttle``).

    ``incidents.report_link_id``: the link a report came through (its reporter_id is NULL).
    ``submissions.user_id`` may be NULL: a guest's report records once as well."""
    db.executescript(
        """
        CREATE TABLE report_links (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            token_hash TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('party', 'group')),
            party_id INTEGER REFERENCES parties(id),
            one_time INTEGER NOT NULL DEFAULT 0,
            expires_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            uses INTEGER NOT NULL DEFAULT 0,
            last_used_at TEXT,
            revoked_at TEXT,
            revoked_by INTEGER REFERENCES users(id),
            revoked_reason TEXT NOT NULL DEFAULT '',
            CHECK ((kind = 'party') = (party_id IS NOT NULL))
        );
        CREATE INDEX report_links_org ON report_links (org_id, created_at);
        CREATE TABLE report_follow_ups (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
            link_id INTEGER NOT NULL REFERENCES report_links(id),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE guest_sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            link_id INTEGER REFERENCES report_links(id),
            follow_up_id INTEGER REFERENCES report_follow_ups(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            client TEXT NOT NULL DEFAULT '',
            user_agent TEXT NOT NULL DEFAULT '',
            CHECK ((link_id IS NULL) != (follow_up_id IS NULL))
        );
        CREATE INDEX guest_sessions_link ON guest_sessions (link_id);
        CREATE INDEX guest_sessions_expiry ON guest_sessions (expires_at);
        CREATE TABLE report_link_throttle (
            scope TEXT NOT NULL CHECK (scope IN ('client', 'link', 'follow_up')),
            key TEXT NOT NULL,
            failures INTEGER NOT NULL CHECK (failures > 0),
            first_failed_at TEXT NOT NULL,
            last_failed_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        CREATE INDEX report_link_throttle_expiry ON report_link_throttle (expires_at);
        ALTER TABLE incidents ADD COLUMN report_link_id INTEGER REFERENCES report_links(id);
        CREATE TABLE submissions_0025 (
            key TEXT PRIMARY KEY,
            user_id INTEGER REFERENCES users (id),
            form TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        INSERT INTO submissions_0025 (key, user_id, form, created_at)
            SELECT key, user_id, form, created_at FROM submissions;
        DROP TABLE submissions;
        ALTER TABLE submissions_0025 RENAME TO submissions;
        CREATE INDEX submissions_created ON submissions (created_at);
        """
    )
