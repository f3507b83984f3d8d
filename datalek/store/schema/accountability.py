"""Migrations from 0019. Accounting for breaches (0.6.0): evidence attached to an incident,
the small-number threshold per organisation, lessons learned and the FG's yearly narrative.

Applied migrations are never edited: a change is a new migration at the end of this module
(keep the numbers in file order: registration order is the order of application)."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0019_evidence")
def m0019_evidence(db: Database) -> None:
    """Files attached to an incident as evidence (``datalek.handling.evidence``): the content
    once per SHA-256 in ``evidence_blobs`` (inside the database, so never under a web root and
    always in the backup), what was attached by whom in ``evidence`` (a removal keeps the row
    with the reason; a purge by the retention rules blanks the name and drops the content).
    The organisation's small-number threshold for the figures (``datalek.insight.disclosure``)."""
    db.executescript(
        """
        CREATE TABLE evidence_blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            content BLOB NOT NULL
        );
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id),
            removed_reason TEXT NOT NULL DEFAULT '',
            purged_at TEXT
        );
        CREATE INDEX evidence_incident ON evidence (incident_id, id);
        CREATE INDEX evidence_sha256 ON evidence (sha256);
        ALTER TABLE organisations ADD COLUMN small_number INTEGER NOT NULL DEFAULT 5;
        """
    )
