"""Demo data for the processors of issue #16: each organisation's register holds the demo's
processors (``ap_answers.PROCESSORS``, with an agreed notification period), and a breach whose
assessment names one of them as the other organisation is linked to it as the party that
caused it; most of those also reported it to us, with the processor's own moment of awareness
(hours to days before ours) and the moment it told us. Its own random numbers come from the
seed's generator without drawing from it, so the rest of the demo is the same with or without
them. Written with plain SQL inside the demo's bulk load (the roll-up is counted afterwards)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.demo.ap_answers import PROCESSORS

#: The notification period each demo processor's agreement promises (hours).
AGREED_HOURS = (24, 48, 48)
#: How many hours before our awareness a processor knew: (low, high).
KNEW_BEFORE = (1, 120)


def _parties(db: Database, org_id: int, at: str) -> dict[str, tuple[int, int]]:
    """name -> (party id, agreed hours) of the organisation's demo processors, added when missing."""
    found = {}
    for name, hours in zip(PROCESSORS, AGREED_HOURS, strict=True):
        row = db.execute(
            "SELECT id FROM parties WHERE org_id = ? AND kind = 'processor' AND name = ? AND active = 1",
            [org_id, name],
        ).fetchone()
        party_id = (
            row[0]
            if row
            else db.execute(
                "INSERT INTO parties (org_id, kind, name, services, notice_hours, created_at)"
                " VALUES (?, 'processor', ?, 'Software en hosting voor het dossier', ?, ?)",
                [org_id, name, hours, at],
            ).lastrowid
        )
        found[name] = (party_id, hours)
    return found


def generate(db: Database, rng: random.Random, dpo_id: int | None) -> int:
    """Link the breaches that name a demo processor to it; returns the number of links made."""
    own = random.Random("parties-" + ",".join(map(str, rng.getstate()[1][1:9])))
    rows = db.execute(
        """SELECT i.id, i.org_id, i.aware_at, a.facts ->> '$.other_organisation_name', i.reported_at
        FROM incidents i JOIN assessments a ON a.incident_id = i.id
        AND a.version = (SELECT max(version) FROM assessments WHERE incident_id = i.id)
        WHERE a.facts ->> '$.other_organisation' = 'processor'
        AND NOT EXISTS (SELECT 1 FROM incident_parties l WHERE l.incident_id = i.id)
        ORDER BY i.id"""
    ).fetchall()
    registers: dict[int, dict[str, tuple[int, int]]] = {}
    made = 0
    for incident_id, org_id, aware_at, name, reported_at in rows:
        if name not in PROCESSORS or aware_at is None:
            continue
        if org_id not in registers:
            registers[org_id] = _parties(db, org_id, reported_at)
        party_id, hours = registers[org_id][name]
        aware = clock.from_iso(aware_at)
        roles, knew, told = ["caused"], None, None
        if own.random() < 0.8:  # most processors told us themselves
            roles = ["caused", "reported"]
            told = aware - timedelta(minutes=own.randint(0, 120))
            knew = told - timedelta(
                hours=own.uniform(*KNEW_BEFORE) if own.random() < 0.7 else own.uniform(1, hours)
            )
        db.execute(
            "INSERT INTO incident_parties (incident_id, party_id, roles, party_aware_at, party_told_at,"
            " added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                incident_id,
                party_id,
                json.dumps(sorted(roles)),
                clock.to_iso(knew) if knew else None,
                clock.to_iso(told) if told else None,
                dpo_id,
                reported_at,
            ],
        )
        made += 1
    return made
