"""Migrations 0012–0013. Recorded once, corrected never silently (0.4.0): form submission keys, corrections and
withdrawals of notices and measures.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0012_submissions")
def m0012_submissions(db: Database) -> None:
    """Each rendered form that records something carries a random submission key; the write it
    starts claims the key here in the same transaction, so a repeated or double-clicked
    submission records nothing new (``datalek.submissions``). Pruned after a week."""
    db.executescript(
        """
        CREATE TABLE submissions (
            key TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id),
            form TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX submissions_created ON submissions (created_at);
        """
    )


@MIGRATIONS(name="0013_corrections")
def m0013_corrections(db: Database) -> None:
    """A recorded notice to data subjects or a measure entered by mistake is corrected or
    withdrawn, never deleted: a withdrawn row keeps its values, says when, by whom and why, and
    no longer counts anywhere; every changed value is kept in ``corrections`` with the old and
    the new value, who changed it, when and why (``datalek.actions.informing``, ``measures``)."""
    db.executescript(
        """
        ALTER TABLE subject_notices ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE subject_notices ADD COLUMN withdrawn_by INTEGER REFERENCES users(id);
        ALTER TABLE subject_notices ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE measures ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE measures ADD COLUMN withdrawn_by INTEGER REFERENCES users(id);
        ALTER TABLE measures ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL CHECK (table_name IN ('subject_notices', 'measures')),
            row_id INTEGER NOT NULL,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX corrections_incident ON corrections (incident_id, id);
        CREATE INDEX corrections_row ON corrections (table_name, row_id, id);
        """
    )
