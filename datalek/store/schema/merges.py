"""Migrations from 0026. Merged reports (issue #16): a duplicate report moved under its main incident,
and two incidents of one organisation linked as related ("hangt samen met").

Applied migrations are never edited: a change is a new migration at the end of this module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0026_merges")
def m0026_merges(db: Database) -> None:
    """``incident_merges``: a duplicate report (``incident_id``) merged into its main incident
    (``main_id``) of the same organisation, with the decision that records it, who, when and why;
    undoing it fills the ``undone_*`` columns (the row stays). At most one merge of an incident is
    in force. ``incident_links``: two incidents of one organisation that belong together without
    being the same event, one row per side (each incident's state and retention hold its own
    row), with a note; removing it fills the ``removed_*`` columns of both rows."""
    db.executescript(
        """
        CREATE TABLE incident_merges (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            main_id INTEGER NOT NULL REFERENCES incidents(id),
            decision_id INTEGER REFERENCES decisions(id),
            reason TEXT NOT NULL,
            merged_by INTEGER REFERENCES users(id),
            merged_at TEXT NOT NULL,
            undone_by INTEGER REFERENCES users(id),
            undone_at TEXT,
            undo_reason TEXT NOT NULL DEFAULT '',
            CHECK (incident_id != main_id)
        );
        CREATE UNIQUE INDEX incident_merges_in_force ON incident_merges (incident_id)
            WHERE undone_at IS NULL;
        CREATE INDEX incident_merges_main ON incident_merges (main_id, undone_at);
        CREATE TABLE incident_links (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            other_id INTEGER NOT NULL REFERENCES incidents(id),
            note TEXT NOT NULL,
            linked_by INTEGER REFERENCES users(id),
            linked_at TEXT NOT NULL,
            removed_by INTEGER REFERENCES users(id),
            removed_at TEXT,
            removed_reason TEXT NOT NULL DEFAULT '',
            CHECK (incident_id != other_id)
        );
        CREATE UNIQUE INDEX incident_links_in_force ON incident_links (incident_id, other_id)
            WHERE removed_at IS NULL;
        CREATE INDEX incident_links_other ON incident_links (other_id, removed_at);
        """
    )
