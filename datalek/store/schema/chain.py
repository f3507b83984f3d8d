"""Migrations from 0023. Breaches that cross organisations (issue #16): the organisation's
processors and partners, and which of them an incident involved.

0022 is another stage's; the migration runner applies what is pending in registration order,
so this module is imported last in ``datalek.store.schema``. Applied migrations are never
edited: a change is a new migration at the end of this module."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0023_parties")
def m0023_parties(db: Database) -> None:
    """``parties``: per organisation its processors (verwerkers: the agreement's reference and
    date, services, kinds of data as ``DataCategory`` codes in JSON, a breach contact that is a
    role address rather than a person, the agreed notification period in hours) and partners
    (ketenpartners, joint controllers, other controllers: kind, contact, basis such as a
    convenant). Ended, never deleted. Every change keeps the old value, who, when and why in
    ``party_changes``.

    ``incident_parties``: which party an incident involved and in which roles (JSON list of
    'caused', 'holds', 'received', 'reported'), the party's own moment of awareness and the
    moment it told us (art. 33(2) AVG; our own 72 hours still run from ``incidents.aware_at``).
    A removed link keeps its row with the reason; every change of a link is in
    ``incident_party_changes``. Later work (report links, chain incidents, the partner
    notification log) refers to ``parties.id``."""
    db.executescript(
        """
        CREATE TABLE parties (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL CHECK (kind IN
                ('processor', 'chain_partner', 'joint_controller', 'controller')),
            name TEXT NOT NULL,
            agreement_reference TEXT NOT NULL DEFAULT '',
            agreement_date TEXT,
            services TEXT NOT NULL DEFAULT '',
            data_categories TEXT NOT NULL DEFAULT '[]',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            notice_hours INTEGER,
            basis TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            ended_at TEXT,
            ended_by INTEGER REFERENCES users(id),
            ended_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX parties_org ON parties (org_id, active, name);
        CREATE TABLE party_changes (
            id INTEGER PRIMARY KEY,
            party_id INTEGER NOT NULL REFERENCES parties(id),
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX party_changes_party ON party_changes (party_id, id);
        CREATE TABLE incident_parties (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            party_id INTEGER NOT NULL REFERENCES parties(id),
            roles TEXT NOT NULL DEFAULT '[]',
            party_aware_at TEXT,
            party_told_at TEXT,
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id),
            removed_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX incident_parties_incident ON incident_parties (incident_id, id);
        CREATE INDEX incident_parties_party ON incident_parties (party_id);
        CREATE TABLE incident_party_changes (
            id INTEGER PRIMARY KEY,
            link_id INTEGER NOT NULL REFERENCES incident_parties(id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            changed_by INTEGER REFERENCES users(id),
            changed_at TEXT NOT NULL
        );
        CREATE INDEX incident_party_changes_incident ON incident_party_changes (incident_id, id);
        """
    )
