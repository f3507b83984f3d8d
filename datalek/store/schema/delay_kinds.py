"""Migration 0022. The kind of a late notification's reason (issue #17): the FG picks it from a
short list when she records why the notification is late (``datalek.handling.delay``), and the
figures count the kind instead of guessing it from key words.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0022_delay_kind")
def m0022_delay_kind(db: Database) -> None:
    """``incidents.delay_kind``: the code of the reason for a delay (``handling.delay.KINDS``),
    empty for a reason recorded before (the figures then sort its text by key words). The
    roll-up's views and triggers are installed again so that a changed kind recounts the
    incident; the stored figures stay (no incident has a kind yet)."""
    from datalek.store import rollup  # the definitions of this version

    db.execute(
        "ALTER TABLE incidents ADD COLUMN delay_kind TEXT NOT NULL DEFAULT ''"
        " CHECK (delay_kind IN ('', 'processor', 'investigation', 'internal', 'other'))"
    )
    rollup.install(db)
