"""Demo data for chain incidents (issue #16, ``datalek.handling.chains``): a handful of times a
year one event touched two or three of the demo organisations (a shared supplier, a shared
mailing, a shared system); each organisation reported it as its own incident within days of
the others, and the demo FG, FG of all of them, put those incidents in one chain with a shared
description. Now and then a member was taken out again with a reason (linked by mistake).

Written as ``handling.chains.add_existing`` and ``remove`` write it (the chain, its members,
the change of a removed member, the incidents' ``updated_at``), inside the demo's bulk load and
without audit entries of their own, as every bulk row of the demo. Never a merged report. Its
own random numbers come from the seed's generator without drawing from it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.demo.merges import own_random
from datalek.store import chains as sql
from datalek.store import incidents as incident_sql

#: Chains per year of demo data.
PER_YEAR = 4
#: The organisations' incidents of one event are reported within this span of each other.
WITHIN = timedelta(days=4)
#: Every ``REMOVE_EVERY``-th chain has a member taken out again.
REMOVE_EVERY = 4

#: The shared description per kind of situation (no personal data: every member's FG reads it).
DESCRIPTIONS = {
    "hack": (
        "Ransomware bij de gezamenlijke leverancier van het zaaksysteem; "
        "dossiers van meerdere organisaties waren mogelijk leesbaar."
    ),
    "phishing": (
        "Phishingmail aan medewerkers van meerdere organisaties; "
        "inloggegevens van een gedeeld portaal zijn ingevuld."
    ),
    "unauthorised_access": "Een gedeelde map van het samenwerkingsverband was open voor medewerkers van alle deelnemers.",
    "published": "Een gezamenlijk jaarverslag is gepubliceerd met niet-geanonimiseerde gegevens.",
    "email_visible_recipients": (
        "Een nieuwsbrief van het samenwerkingsverband ging met alle adressen zichtbaar naar de deelnemers."
    ),
    "letter_wrong_address": (
        "Het gezamenlijke verzendhuis gebruikte een verouderd adresbestand "
        "voor brieven van meerdere organisaties."
    ),
    "data_lost": "Bij de gezamenlijke leverancier van de opslag is een map met dossierstukken verloren gegaan.",
}
REMOVE_REASONS = (
    "Bij nader inzien een losse gebeurtenis bij deze organisatie, niet dezelfde fout.",
    "Per ongeluk gekoppeld: deze melding gaat over een andere verzending.",
)


def _events(db: Database) -> list[list[dict]]:
    """Groups of incidents of different organisations, the same kind of situation (one that a
    shared supplier, system or mailing can cause: ``DESCRIPTIONS``), reported
    within ``WITHIN`` of the first; oldest first. No merged report, no incident in a chain."""
    rows = list(
        db.query(
            "SELECT i.id, i.org_id, i.situation, i.reported_at FROM incidents i"
            " WHERE NOT EXISTS (SELECT 1 FROM incident_merges m WHERE m.incident_id = i.id OR m.main_id = i.id)"
            " AND NOT EXISTS (SELECT 1 FROM chain_members c WHERE c.incident_id = i.id)"
            " ORDER BY i.reported_at, i.id"
        )
    )
    groups, used = [], set()
    for n, first in enumerate(rows):
        if first["id"] in used or first["situation"] not in DESCRIPTIONS:
            continue
        end = clock.to_iso(clock.from_iso(first["reported_at"]) + WITHIN)
        group, orgs = [first], {first["org_id"]}
        for other in rows[n + 1 :]:
            if other["reported_at"] > end:
                break
            if (
                other["situation"] == first["situation"]
                and other["org_id"] not in orgs
                and other["id"] not in used
            ):
                group.append(other)
                orgs.add(other["org_id"])
        if len(group) > 1:
            groups.append(group[:3])
            used.update(r["id"] for r in group[:3])
    return groups


def generate(
    db: Database, rng: random.Random, dpo_id: int | None, now: datetime, years: int
) -> tuple[int, int]:
    """Make about ``PER_YEAR`` chains in every year of the demo; inside the caller's write
    transaction. Returns (chains, members removed)."""
    own = own_random(rng, "chains")
    start = now - timedelta(days=365 * years)
    by_year: dict[int, list[list[dict]]] = {}
    for group in _events(db):
        by_year.setdefault((clock.from_iso(group[0]["reported_at"]) - start).days // 365, []).append(group)
    latest = now - timedelta(hours=1)
    made = removed = 0
    for year in sorted(by_year):
        events, count = by_year[year], 0
        share3, share2 = _shares(events)
        for members in events:
            if count >= PER_YEAR or own.random() >= (share3 if len(members) == 3 else share2):
                continue
            when = clock.from_iso(members[-1]["reported_at"]) + timedelta(hours=own.uniform(2, 72))
            if when + timedelta(minutes=10) > latest:
                continue
            chain_id = _chain(db, members, dpo_id, when)
            made, count = made + 1, count + 1
            if made % REMOVE_EVERY == 2:
                later = when + timedelta(days=own.uniform(1, 21))
                if later <= latest:
                    _remove(db, own, chain_id, members[-1]["id"], dpo_id, later)
                    removed += 1
    return made, removed


def _shares(events: list[list[dict]]) -> tuple[float, float]:
    """The chance to make a chain of an event of three and of two organisations: ``PER_YEAR``
    chains, about a third of them of three when the events allow it."""
    triples = sum(len(g) == 3 for g in events)
    share3 = min(1.0, PER_YEAR / 3 / triples) if triples else 0.0
    pairs = len(events) - triples
    share2 = min(1.0, (PER_YEAR - share3 * triples) / pairs) if pairs else 0.0
    return share3, share2


def _chain(db: Database, members: list[dict], dpo_id: int | None, when: datetime) -> int:
    """The chain of ``members`` made from the first with ``add_existing`` for each other one
    (a few minutes apart)."""
    at = clock.to_iso(when)
    origin = members[0]
    chain_id = sql.insert_chain(
        db,
        {
            "description": DESCRIPTIONS[origin["situation"]],
            "origin_incident_id": origin["id"],
            "created_by": dpo_id,
            "created_at": at,
        },
    )
    sql.insert_member(
        db,
        {
            "chain_id": chain_id,
            "incident_id": origin["id"],
            "created_linked": 0,
            "added_by": dpo_id,
            "added_at": at,
        },
    )
    for n, other in enumerate(members[1:]):
        added = clock.to_iso(when + timedelta(minutes=5 * n))
        sql.insert_member(
            db,
            {
                "chain_id": chain_id,
                "incident_id": other["id"],
                "created_linked": 0,
                "added_by": dpo_id,
                "added_at": added,
            },
        )
        incident_sql.touch(db, other["id"], added)
    return chain_id


def _remove(
    db: Database, own: random.Random, chain_id: int, incident_id: int, dpo_id: int | None, when: datetime
) -> None:
    """What ``handling.chains.remove`` stores."""
    at, reason = clock.to_iso(when), own.choice(REMOVE_REASONS)
    membership = sql.membership(db, incident_id)
    sql.remove_member(db, membership["id"], dpo_id, at, reason)
    sql.insert_change(
        db,
        {
            "chain_id": chain_id,
            "incident_id": incident_id,
            "field": "member",
            "old_value": f"in keten {chain_id}",
            "new_value": "verwijderd",
            "reason": reason,
            "changed_by": dpo_id,
            "changed_at": at,
        },
    )
    incident_sql.touch(db, incident_id, at)
