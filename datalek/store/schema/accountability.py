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


@MIGRATIONS(name="0020_lessons")
def m0020_lessons(db: Database) -> None:
    """What the organisation learned from an incident, recorded when it is closed (a theme, the
    lesson in the FG's words, and the preventive measure that follows or why there is none);
    per organisation and year the FG's own summary per theme and her narrative for the board
    (append-only: the newest row counts, older ones stay). Who was consulted for a decision, and
    the incident a duplicate report repeats (a duplicate is counted apart, never as a breach or as
    "geen datalek")."""
    db.executescript(
        """
        CREATE TABLE lessons (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            theme TEXT NOT NULL,
            learned TEXT NOT NULL,
            prevention TEXT NOT NULL CHECK (prevention IN ('measure', 'none')),
            measure_id INTEGER REFERENCES measures(id),
            no_measure_reason TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX lessons_incident ON lessons (incident_id, id);
        CREATE TABLE theme_summaries (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            year INTEGER NOT NULL,
            theme TEXT NOT NULL,
            summary TEXT NOT NULL,
            written_by INTEGER REFERENCES users(id),
            written_at TEXT NOT NULL
        );
        CREATE INDEX theme_summaries_org_year ON theme_summaries (org_id, year, theme, id);
        CREATE TABLE year_narratives (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            year INTEGER NOT NULL,
            text TEXT NOT NULL,
            written_by INTEGER REFERENCES users(id),
            written_at TEXT NOT NULL
        );
        CREATE INDEX year_narratives_org_year ON year_narratives (org_id, year, id);
        ALTER TABLE decisions ADD COLUMN consulted TEXT NOT NULL DEFAULT '';
        ALTER TABLE decisions ADD COLUMN duplicate_of INTEGER REFERENCES incidents(id);
        """
    )


@MIGRATIONS(name="0021_figures")
def m0021_figures(db: Database) -> None:
    """The figures of issue #17 (``datalek.store.rollup``): the outcome of each report (breach,
    the kinds of not-a-breach, duplicate, undecided), AP notifications on time, late, withdrawn
    or with a time that cannot be (never clamped to 0), the reason group of a late one, people
    affected, minors, special categories, BSN, youth-care files, processors, days to informing,
    measures done on time. Repeats follow the rule of ``datalek.handling.repeats`` (the same
    incident type and department within 90 days). The roll-up is counted again."""
    from datalek.store import repeats, rollup  # the definitions of this version

    rollup.uninstall(db)
    repeats.mark(db, None, 90)
    for table in ("stats_cube", "stats_facts", "stats_measure_facts"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in rollup.TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    rollup.rebuild(db)
