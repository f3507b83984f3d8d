"""Migrations of the organisation's settings that change only with a reason (0.6.0, issue #17).

Applied migrations are never edited: a change is a new migration at the end of this module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0024_organisation_changes")
def m0024_organisation_changes(db: Database) -> None:
    """Every change of an organisation's setting that needs a reason (first: the small-number
    threshold of its figures, ``datalek.accounts.figures_policy``): the old and the new value,
    who, when and why. Append-only; the audit trail names the row, never the reason's words."""
    db.executescript(
        """
        CREATE TABLE organisation_changes (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            setting TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT NOT NULL,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX organisation_changes_org ON organisation_changes (org_id, setting, id);
        """
    )
