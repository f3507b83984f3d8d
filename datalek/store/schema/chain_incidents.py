"""Migrations from 0027. Chain incidents and the partner notification log (issue #16)."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0027_chain_incidents")
def m0027_chain_incidents(db: Database) -> None:
    """``chains``: one event that touched several organisations of this installation. The
    description is what the creating FG wrote for the chain and the only text every member's FG
    sees; ``origin_incident_id`` is the incident the chain was made from. A change of the
    description keeps the old value, who and why in ``chain_changes``.

    ``chain_members``: which incident is in which chain; an incident is in at most one chain.
    A removed member keeps its row with who, when and why (a later re-add clears the removal and
    is recorded in ``chain_changes``, as is every removal). ``created_linked`` marks an incident
    that was made as a linked incident from the chain (rather than added as an existing one).

    ``partner_notices``: per incident, which partner or controller was told what, when, by whom,
    by which channel, and their reply. The partner is a row of the party register, another
    organisation of the chain, or a free name; ``partner_name`` keeps the name as it was told.
    Corrections keep the old value, who and why in ``partner_notice_changes``; a withdrawn row
    stays with its reason."""
    db.executescript(
        """
        CREATE TABLE chains (
            id INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            origin_incident_id INTEGER REFERENCES incidents(id),
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL
        );
        CREATE TABLE chain_members (
            id INTEGER PRIMARY KEY,
            chain_id INTEGER NOT NULL REFERENCES chains(id),
            incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
            created_linked INTEGER NOT NULL DEFAULT 0,
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id),
            removed_reason TEXT
        );
        CREATE INDEX chain_members_chain ON chain_members (chain_id, id);
        CREATE TABLE chain_changes (
            id INTEGER PRIMARY KEY,
            chain_id INTEGER NOT NULL REFERENCES chains(id),
            incident_id INTEGER REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX chain_changes_chain ON chain_changes (chain_id, id);
        CREATE TABLE partner_notices (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            party_id INTEGER REFERENCES parties(id),
            partner_org_id INTEGER REFERENCES organisations(id),
            partner_name TEXT NOT NULL,
            told_what TEXT NOT NULL,
            told_at TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN
                ('phone', 'email', 'letter', 'secure_platform', 'meeting')),
            reply TEXT NOT NULL DEFAULT '',
            reply_at TEXT,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL,
            withdrawn_at TEXT,
            withdrawn_by INTEGER REFERENCES users(id),
            withdrawn_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX partner_notices_incident ON partner_notices (incident_id, id);
        CREATE TABLE partner_notice_changes (
            id INTEGER PRIMARY KEY,
            notice_id INTEGER NOT NULL REFERENCES partner_notices(id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX partner_notice_changes_incident
            ON partner_notice_changes (incident_id, id);
        """
    )
