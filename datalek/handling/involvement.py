"""Which processor or partner an incident involved, and in which roles (issue #16): it caused the
breach, holds the data, received the data by mistake, or reported the breach to us. Several
parties and several roles per party are allowed (``Action.LINK_PARTIES``, the incident's FG).

**Awareness through a processor** (art. 33(2) AVG): for a party that reported the breach to us,
its own moment of awareness and the moment it told us are recorded. Our 72 hours still run from
*our* awareness (``incidents.aware_at``, ``datalek.handling.moments``): nothing here touches that
clock. The party's delay (told us − its own awareness) is compared with the period the
processor agreement promises ("De verwerker meldde het na 61 uur; afgesproken is 48 uur.").
The order is checked in the words of ``datalek.chronology``: the party's awareness ≤ the moment
it told us ≤ now.

A link is removed with a reason, never deleted; every change of a link (roles, moments) keeps
the old and the new value, who, when and why (``incident_party_changes``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, corrections, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling.involvement_rules import FIELDS, MOMENTS, Delay, PartyRole, delay_of, plan
from datalek.handling.processors import PartyKind
from datalek.models import Actor, InvalidInput
from datalek.store import incidents as incident_sql
from datalek.store import processors as sql

MAX_REASON = 2000
#: A change that overwrites a recorded role or moment says why; our 72 hours do not move.
WHY = (
    "Geef de reden van de wijziging. Het oude gegeven bewaren we met de reden. Het moment waarop "
    "de organisatie het wist, verandert hierdoor niet."
)
WHY_REMOVED = "Geef de reden: waarom hoort deze partij niet bij het lek?"


@dataclass(frozen=True)
class Link:
    id: int
    incident_id: int
    party_id: int
    party_name: str
    party_kind: PartyKind
    roles: tuple[PartyRole, ...]
    party_aware_at: datetime | None
    party_told_at: datetime | None
    added_by: str
    added_at: datetime
    removed_at: datetime | None
    removed_reason: str
    delay: Delay | None


@dataclass(frozen=True)
class LinkChange:
    link_id: int
    party_name: str
    field: str
    label: str
    old: str | None
    new: str | None
    reason: str
    changed_by: str
    changed_at: datetime


def _roles(text: str) -> tuple[PartyRole, ...]:
    return tuple(PartyRole(r) for r in json.loads(text or "[]"))


def _link(row: dict) -> Link:
    kind = PartyKind(row["party_kind"])
    aware, told = clock.from_iso(row["party_aware_at"]), clock.from_iso(row["party_told_at"])
    return Link(
        id=row["id"],
        incident_id=row["incident_id"],
        party_id=row["party_id"],
        party_name=row["party_name"],
        party_kind=kind,
        roles=_roles(row["roles"]),
        party_aware_at=aware,
        party_told_at=told,
        added_by=corrections.who(row["added_by"], row["added_by_name"]),
        added_at=clock.from_iso(row["added_at"]),
        removed_at=clock.from_iso(row["removed_at"]),
        removed_reason=row["removed_reason"],
        delay=delay_of(kind, aware, told, row["notice_hours"]),
    )


def _party_for(db: Database, incident_id: int, party_id: int | None) -> dict:
    row = sql.party(db, party_id) if party_id is not None else None
    org_id = incident_sql.incident(db, incident_id)["org_id"]
    if row is None or row["org_id"] != org_id or not row["active"]:
        raise InvalidInput(
            {"party": "Kies een verwerker of ketenpartner uit het register van deze organisatie."}
        )
    return row


def link(
    db: Database,
    actor: Actor,
    incident_id: int,
    party_id: int | None,
    roles: list[str],
    party_aware_at: datetime | None = None,
    party_told_at: datetime | None = None,
) -> Link:
    """Record that ``party_id`` was involved in the incident, in ``roles``."""
    require(db, actor, Action.LINK_PARTIES, IncidentRef(incident_id))
    party = _party_for(db, incident_id, party_id)
    now = clock.now()
    values, errors = plan(PartyKind(party["kind"]), roles, party_aware_at, party_told_at, now)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(now)
    with store.write(db):
        if sql.standing_link(db, incident_id, party["id"]):
            raise InvalidInput({"party": "Deze partij is al gekoppeld. Wijzig de koppeling hieronder."})
        link_id = sql.insert_link(
            db,
            {
                **values,
                "incident_id": incident_id,
                "party_id": party["id"],
                "added_by": actor.user_id,
                "added_at": at,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "incident.party_link",
            "incident",
            incident_id,
            fields=sorted(k for k, v in values.items() if v),
        )
    return next(x for x in links_of(db, incident_id) if x.id == link_id)


def _same(field: str, old: str | None, new: str | None) -> bool:
    if field in MOMENTS and old and new:
        return clock.from_iso(old).replace(second=0, microsecond=0) == clock.from_iso(new).replace(
            second=0, microsecond=0
        )
    return (old or None) == (new or None)


def _standing(db: Database, actor: Actor, incident_id: int, link_id: int) -> dict:
    require(db, actor, Action.LINK_PARTIES, IncidentRef(incident_id))
    row = sql.link(db, link_id)
    if row is None or row["incident_id"] != incident_id:
        raise InvalidInput({"form": "Deze koppeling hoort niet bij deze melding."})
    if row["removed_at"]:
        raise InvalidInput({"form": "Deze koppeling is al verwijderd."})
    return row


def change(
    db: Database,
    actor: Actor,
    incident_id: int,
    link_id: int,
    roles: list[str],
    party_aware_at: datetime | None,
    party_told_at: datetime | None,
    reason: str,
) -> list[dict]:
    """Change a link's roles or moments. Filling an empty moment needs no reason; changing a
    role or a moment that had a value does, and keeps the old value."""
    row = _standing(db, actor, incident_id, link_id)
    party = sql.party(db, row["party_id"])
    now = clock.now()
    values, errors = plan(PartyKind(party["kind"]), roles, party_aware_at, party_told_at, now)
    reason = (reason or "").strip()
    changes = corrections.checked(
        row,
        values,
        reason,
        errors,
        missing=WHY,
        same=_same,
        empty=(*corrections.EMPTY, "[]"),
        limit=MAX_REASON,
    )
    if not changes:
        return []
    at = clock.to_iso(now)
    with store.write(db):
        for r in corrections.change_rows(
            changes, reason, actor, at, link_id=link_id, incident_id=incident_id
        ):
            sql.insert_link_change(db, r)
        sql.update_link(db, link_id, {c["field"]: c["new_value"] for c in changes})
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "incident.party_change", "incident", incident_id, fields=[c["field"] for c in changes]
        )
    return changes


def remove(db: Database, actor: Actor, incident_id: int, link_id: int, reason: str) -> None:
    """Remove a link made by mistake: the row stays, marked, with the reason."""
    _standing(db, actor, incident_id, link_id)
    reason = (reason or "").strip()
    if errors := corrections.reason_errors(reason, missing=WHY_REMOVED, limit=MAX_REASON):
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    mark = corrections.marked("removed", at)
    with store.write(db):
        sql.remove_link(db, link_id, actor.user_id, at, reason)
        for r in corrections.change_rows(mark, reason, actor, at, link_id=link_id, incident_id=incident_id):
            sql.insert_link_change(db, r)
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "incident.party_remove", "incident", incident_id)


def links_of(db: Database, incident_id: int) -> list[Link]:
    """The incident's links, oldest first (no permission check: callers check)."""
    return [_link(r) for r in sql.links(db, incident_id)]


def for_incident(db: Database, actor: Actor, incident_id: int) -> list[Link]:
    """The incident's parties for its FG, removed links included (marked)."""
    require(db, actor, Action.LINK_PARTIES, IncidentRef(incident_id))
    return links_of(db, incident_id)


def readable(field: str, value: str | None) -> str | None:
    if value in (None, "", "[]"):
        return None
    if field in MOMENTS:
        return clock.format_local(clock.from_iso(value))
    if field == "roles":
        return ", ".join(r.label.lower() for r in _roles(value))
    if field == "removed":
        return "verwijderd"
    return value


def history(db: Database, actor: Actor, incident_id: int) -> list[LinkChange]:
    """Every change of the incident's links, oldest first."""
    require(db, actor, Action.LINK_PARTIES, IncidentRef(incident_id))
    return [
        LinkChange(
            link_id=r["link_id"],
            party_name=r["party_name"],
            **corrections.shown(r, FIELDS, readable),
            changed_at=clock.from_iso(r["changed_at"]),
        )
        for r in sql.link_changes(db, incident_id)
    ]


#: How the AP form names another organisation of each kind (``OtherOrganisation`` labels).
AP_KIND = {
    PartyKind.PROCESSOR: "Ja, een verwerker",
    PartyKind.JOINT_CONTROLLER: "Ja, een gezamenlijk verwerkingsverantwoordelijke",
    PartyKind.CHAIN_PARTNER: "Ja, een andere organisatie",
    PartyKind.CONTROLLER: "Ja, een andere organisatie",
}


def concept_lines(db: Database, incident_id: int) -> list[str]:
    """The standing links as the concept AP-melding names them (no permission check: the
    concept's caller checks): 'Ja, een verwerker: Cloudzorg BV (veroorzaakte het lek; meldde
    het lek aan ons)'."""
    return [
        f"{AP_KIND[x.party_kind]}: {x.party_name} ({'; '.join(r.label.lower() for r in x.roles)})"
        for x in links_of(db, incident_id)
        if x.removed_at is None
    ]
