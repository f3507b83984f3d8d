"""Migrations from 0018. Informing the people involved per person and per family (0.6.0): the
informing list in families, the safety judgement per family, the organisation's letter
templates (versioned) and every letter made, with what was sent to whom.

Applied migrations are never edited: a change is a new migration in the newest module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0018_households")
def m0018_households(db: Database) -> None:
    """Who must be informed, as persons grouped in families (``datalek.actions.households``).

    A member holds the least data that does the job (vuistregel 5): a reference to the person's
    file in the organisation's own system, never a name or address; a date of birth or an age
    band for minors. A changed member keeps every old value in ``member_changes`` (who, when,
    why); a member taken off the list keeps its row with the reason. A family's safety is
    judged in ``household_safety`` (append-only, the latest row counts): who must never
    receive a message, and whether the family's messages are postponed until a review date.

    A letter made is kept in ``letters`` (its text, the SHA-256 of the text, and the template
    version it came from); a notice (``subject_notices``) that records sending it points to it
    and to the member, so what was sent to whom stays on record."""
    db.executescript(
        """
        CREATE TABLE households (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            label TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX households_incident ON households (incident_id, id);
        CREATE TABLE household_members (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            file_ref TEXT NOT NULL DEFAULT '',
            relation TEXT NOT NULL,
            birth_date TEXT,
            age_band TEXT,
            competent INTEGER,
            consent_parents INTEGER,
            parents_withheld TEXT NOT NULL DEFAULT '',
            parents_withheld_reason TEXT NOT NULL DEFAULT '',
            deviation TEXT NOT NULL DEFAULT '' CHECK (deviation IN ('', 'include', 'exclude')),
            deviation_reader TEXT NOT NULL DEFAULT '',
            deviation_reason TEXT NOT NULL DEFAULT '',
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id),
            removed_reason TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX household_members_incident ON household_members (incident_id, household_id, id);
        CREATE TABLE member_changes (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES household_members(id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX member_changes_incident ON member_changes (incident_id, id);
        CREATE TABLE household_safety (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            flagged TEXT NOT NULL DEFAULT '[]',
            concern TEXT NOT NULL DEFAULT '',
            postponed INTEGER NOT NULL CHECK (postponed IN (0, 1)),
            reason TEXT NOT NULL DEFAULT '',
            review_on TEXT,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX household_safety_incident ON household_safety (incident_id, household_id, id);
        CREATE TABLE letter_templates (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            reader TEXT NOT NULL,
            version INTEGER NOT NULL,
            form TEXT NOT NULL CHECK (form IN ('u', 'je')),
            body TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            UNIQUE (org_id, reader, version)
        );
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            member_id INTEGER REFERENCES household_members(id),
            reader TEXT NOT NULL,
            template_id INTEGER REFERENCES letter_templates(id),
            template_version INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            made_by INTEGER REFERENCES users(id),
            made_at TEXT NOT NULL
        );
        CREATE INDEX letters_incident ON letters (incident_id, id);
        ALTER TABLE subject_notices ADD COLUMN member_id INTEGER REFERENCES household_members(id);
        ALTER TABLE subject_notices ADD COLUMN letter_id INTEGER REFERENCES letters(id);
        ALTER TABLE public_notices ADD COLUMN published_where TEXT NOT NULL DEFAULT '';
        """
    )
