"""Migrations 0014–0017. The clock and the figures (0.5.0): awareness and every change of a moment, reminders, the
notifier's own contact, the roll-up kept inside every write.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0014_awareness")
def m0014_awareness(db: Database) -> None:
    """How and through whom the organisation became aware, the first recorded awareness (never
    changed), the reason a notification is late, and every change of a moment of an incident
    with its old and new value, who, when and why (``datalek.handling.moments``)."""
    db.executescript(
        """
        ALTER TABLE incidents ADD COLUMN aware_basis TEXT NOT NULL DEFAULT 'employee_report';
        ALTER TABLE incidents ADD COLUMN aware_source TEXT NOT NULL DEFAULT '';
        ALTER TABLE incidents ADD COLUMN first_aware_at TEXT;
        ALTER TABLE incidents ADD COLUMN delay_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE incidents ADD COLUMN occurrence TEXT NOT NULL DEFAULT 'unknown';
        UPDATE incidents SET first_aware_at = aware_at,
            occurrence = coalesce(json_extract(report, '$.occurrence'), 'unknown');
        CREATE TABLE incident_changes (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            after_notification INTEGER NOT NULL DEFAULT 0,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX incident_changes_incident ON incident_changes (incident_id, id);
        """
    )


@MIGRATIONS(name="0015_reminders")
def m0015_reminders(db: Database) -> None:
    """Reminders of the notification period: per organisation a named deputy FG, a management
    contact and the reminder points; every reminder sent, at most once per incident and point.

    A reminder row is claimed ('sending') before the mail goes out, then becomes 'sent' or
    'failed' (retried on a later pass); a point passed while no reminder could go out (a server
    that was down) is 'skipped'. ``sent_at`` is the last attempt, ``failed`` counts failed ones."""
    db.executescript(
        """
        ALTER TABLE organisations ADD COLUMN deputy_dpo_id INTEGER REFERENCES users(id);
        ALTER TABLE organisations ADD COLUMN management_email TEXT NOT NULL DEFAULT '';
        ALTER TABLE organisations ADD COLUMN reminder_hours TEXT NOT NULL DEFAULT '24,48,60,70';
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            regime TEXT NOT NULL,
            point_hours INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'sending'
                CHECK (state IN ('sending', 'sent', 'failed', 'skipped')),
            sent_at TEXT NOT NULL,
            recipients INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (incident_id, regime, point_hours)
        );
        """
    )


@MIGRATIONS(name="0016_notifier")
def m0016_notifier(db: Database) -> None:
    """The notifier's job title and phone on the FG's own account, for the concept AP-melding."""
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
        ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
        """
    )


@MIGRATIONS(name="0017_rollup")
def m0017_rollup(db: Database) -> None:
    """The roll-up maintained inside every write (``datalek.store.rollup``): each incident's
    facts kept, the cube keyed for adding and subtracting, triggers on the source tables.
    Replaces the roll-up refreshed by its readers (``stats_state``); counted once now."""
    from datalek.store import rollup  # the definitions of this version

    db.execute("DROP TABLE stats_cube")
    db.execute("DROP TABLE stats_state")
    for statement in rollup.TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    rollup.rebuild(db)
