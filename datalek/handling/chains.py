"""Chain incidents (issue #16, "één gebeurtenis, meerdere verwerkingsverantwoordelijken"): one
event that touched several organisations of this installation, each its own controller.

The FG of a shared service (FG of several organisations here) makes, from one incident, a
linked incident for each other affected organisation: a normal incident of that organisation,
with its own reference, FG, facts, decision, register entry and 72-hour clock. That clock starts
at *that* organisation's awareness: the moment the linked incident is made, unless the FG states
an earlier moment with a reason (kept as a change of the moment, ``datalek.handling.moments``).
An existing incident of another organisation is added to a chain only by an FG of both.

What a chain shows an FG of one organisation about another organisation's incident is its
organisation's name, its reference and the link itself: never its text, facts, status or
clock. The chain's shared description is what the creating FG wrote, checked for personal data
like the employee's report (``datalek.intake.pii``): every member's FG reads it. An FG of an
organisation with an incident in the chain corrects it with a reason
(``datalek.handling.chain_description``, here as ``change_description``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, OrgRef, require
from datalek.handling import chain_description, moments
from datalek.handling.chain_description import Change
from datalek.handling.chain_description import change_description as change_description
from datalek.handling.chain_rules import (
    MAX_REASON,
    Target,
    description_errors,
    linked_row,
    target_errors,
)
from datalek.models import Actor, InvalidInput, Status
from datalek.store import accounts as account_sql
from datalek.store import chains as sql
from datalek.store import incidents as incident_sql


@dataclass(frozen=True)
class Member:
    """One incident of a chain as an FG sees it. ``incident_id`` and ``removed_reason`` are
    given only for an incident of the actor's own organisations (``own``)."""

    reference: str
    org_name: str
    own: bool
    incident_id: int | None
    created_linked: bool
    added_at: datetime
    removed_at: datetime | None
    removed_reason: str


@dataclass(frozen=True)
class Chain:
    id: int
    description: str
    created_at: datetime
    members: tuple[Member, ...]
    changes: tuple[Change, ...] = ()  # of the shared description


def _member(row: dict, actor: Actor) -> Member:
    own = row["org_id"] in actor.org_ids
    return Member(
        reference=row["reference"],
        org_name=row["org_name"],
        own=own,
        incident_id=row["incident_id"] if own else None,
        created_linked=bool(row["created_linked"]),
        added_at=clock.from_iso(row["added_at"]),
        removed_at=clock.from_iso(row["removed_at"]),
        removed_reason=(row["removed_reason"] or "") if own else "",
    )


def _chain(db: Database, actor: Actor, chain_id: int) -> Chain:
    row = sql.chain(db, chain_id)
    return Chain(
        id=chain_id,
        description=row["description"],
        created_at=clock.from_iso(row["created_at"]),
        members=tuple(_member(r, actor) for r in sql.members(db, chain_id)),
        changes=chain_description.changes(db, chain_id),
    )


def of_incident(db: Database, actor: Actor, incident_id: int) -> Chain | None:
    """The chain the incident is in (a removed membership shows the chain it left), or None."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    membership = sql.membership(db, incident_id)
    return _chain(db, actor, membership["chain_id"]) if membership else None


def _standing_chain(db: Database, incident_id: int) -> int | None:
    membership = sql.membership(db, incident_id)
    return membership["chain_id"] if membership and membership["removed_at"] is None else None


def _start(db: Database, actor: Actor, incident_id: int, description: str, at: str) -> int:
    """Inside a write: the chain of ``incident_id``, made with it as its first member if needed."""
    chain_id = _standing_chain(db, incident_id)
    if chain_id is not None:
        return chain_id
    text = description.strip()
    chain_id = sql.insert_chain(
        db,
        {
            "description": text,
            "origin_incident_id": incident_id,
            "created_by": actor.user_id,
            "created_at": at,
        },
    )
    _join(db, actor, chain_id, incident_id, at, linked=False)
    audit.append(db, actor, "chain.create", "incident", incident_id, chain_id=chain_id)
    return chain_id


def _join(db: Database, actor: Actor, chain_id: int, incident_id: int, at: str, linked: bool) -> None:
    old = sql.membership(db, incident_id)
    if old is None:
        sql.insert_member(
            db,
            {
                "chain_id": chain_id,
                "incident_id": incident_id,
                "created_linked": int(linked),
                "added_by": actor.user_id,
                "added_at": at,
            },
        )
        return
    sql.readd_member(db, old["id"], chain_id, actor.user_id, at)
    sql.insert_change(
        db,
        {
            "chain_id": chain_id,
            "incident_id": incident_id,
            "field": "member",
            "old_value": f"verwijderd uit keten {old['chain_id']}",
            "new_value": f"toegevoegd aan keten {chain_id}",
            "reason": "Opnieuw aan een keten toegevoegd.",
            "changed_by": actor.user_id,
            "changed_at": at,
        },
    )


def _needs_description(db: Database, incident_id: int, description: str, errors: dict) -> None:
    if _standing_chain(db, incident_id) is None:
        errors |= description_errors(description)


def create_linked(
    db: Database, actor: Actor, incident_id: int, targets: list[Target], description: str = ""
) -> list[int]:
    """Make a linked incident for every target organisation, in the chain of ``incident_id``
    (made with ``description`` when the incident is in none). Only an FG of the incident's
    organisation and of every target organisation may. Returns the new incidents' ids."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    for t in targets:
        require(db, actor, Action.CHAIN_INCIDENTS, OrgRef(t.org_id))
    source = incident_sql.incident(db, incident_id)
    errors: dict[str, str] = {}
    if not targets:
        errors["orgs"] = "Kies de organisaties waarvoor je een gekoppelde melding maakt."
    if len({t.org_id for t in targets}) != len(targets) or source["org_id"] in {t.org_id for t in targets}:
        errors["orgs"] = "Kies elke andere organisatie één keer (niet de organisatie van deze melding)."
    _needs_description(db, incident_id, description, errors)
    now = clock.now()
    for t in targets:
        for field, message in target_errors(source, t, now).items():
            errors.setdefault(field, message)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(now)
    made = []
    with store.write(db):
        chain_id = _start(db, actor, incident_id, description, at)
        in_chain = {r["org_id"] for r in sql.members(db, chain_id) if r["removed_at"] is None}
        if in_chain & {t.org_id for t in targets}:
            raise InvalidInput({"orgs": "Een gekozen organisatie heeft al een melding in deze keten."})
        text = sql.chain(db, chain_id)["description"]
        year = now.astimezone(clock.AMSTERDAM).year
        for t in targets:
            row = linked_row(source, t.org_id, actor, text, now, incident_sql.next_seq(db, t.org_id, year))
            new_id = incident_sql.insert_incident(db, row)["id"]
            incident_sql.insert_status_change(
                db,
                {
                    "incident_id": new_id,
                    "from_status": None,
                    "to_status": Status.REPORTED.value,
                    "actor_id": actor.user_id,
                    "at": at,
                    "reason": "",
                },
            )
            audit.append(db, actor, "incident.create", "incident", new_id, org_id=t.org_id, chain_id=chain_id)
            _join(db, actor, chain_id, new_id, at, linked=True)
            if t.aware_at is not None:
                earlier = clock.to_iso(t.aware_at)
                moments.apply(
                    db, actor, new_id, {"aware_at": earlier, "discovered_at": earlier}, t.reason, at
                )
            made.append(new_id)
        incident_sql.touch(db, incident_id, at)
    return made


def add_existing(db: Database, actor: Actor, incident_id: int, other_id: int, description: str = "") -> None:
    """Add another organisation's existing incident to the chain of ``incident_id`` (made with
    ``description`` when there is none). Only an FG of both incidents' organisations may."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(other_id))
    source, other = incident_sql.incident(db, incident_id), incident_sql.incident(db, other_id)
    errors: dict[str, str] = {}
    if other["org_id"] == source["org_id"]:
        errors["other"] = (
            "Deze melding is van dezelfde organisatie. Een keten verbindt meldingen van verschillende organisaties."
        )
    elif _standing_chain(db, other_id) is not None:
        errors["other"] = "Deze melding zit al in een keten."
    _needs_description(db, incident_id, description, errors)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        chain_id = _start(db, actor, incident_id, description, at)
        if other["org_id"] in {r["org_id"] for r in sql.members(db, chain_id) if r["removed_at"] is None}:
            raise InvalidInput({"other": "Deze organisatie heeft al een melding in deze keten."})
        _join(db, actor, chain_id, other_id, at, linked=False)
        audit.append(db, actor, "chain.add", "incident", other_id, chain_id=chain_id)
        incident_sql.touch(db, other_id, at)


def remove(db: Database, actor: Actor, incident_id: int, reason: str) -> None:
    """Take the incident out of its chain (a link made by mistake): the row stays with the reason."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    membership = sql.membership(db, incident_id)
    if membership is None or membership["removed_at"]:
        raise InvalidInput({"form": "Deze melding zit niet in een keten."})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Geef de reden: waarom hoort deze melding niet bij de keten?"})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."})
    at = clock.to_iso(clock.now())
    with store.write(db):
        sql.remove_member(db, membership["id"], actor.user_id, at, reason)
        sql.insert_change(
            db,
            {
                "chain_id": membership["chain_id"],
                "incident_id": incident_id,
                "field": "member",
                "old_value": f"in keten {membership['chain_id']}",
                "new_value": "verwijderd",
                "reason": reason,
                "changed_by": actor.user_id,
                "changed_at": at,
            },
        )
        audit.append(db, actor, "chain.remove", "incident", incident_id, chain_id=membership["chain_id"])
        incident_sql.touch(db, incident_id, at)


@dataclass(frozen=True)
class Candidate:
    incident_id: int
    org_name: str
    reference: str


def candidates(db: Database, actor: Actor, incident_id: int) -> list[Candidate]:
    """Incidents of the actor's other organisations that could join this incident's chain:
    not in a chain now, newest first (the form's choice list)."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    org_id = incident_sql.incident(db, incident_id)["org_id"]
    others = [o for o in actor.org_ids if o != org_id]
    names = {r["id"]: r["name"] for r in account_sql.organisations(db, others)}
    return [Candidate(r["id"], names[r["org_id"]], r["reference"]) for r in sql.free_incidents(db, others)]


def other_organisations(db: Database, actor: Actor, incident_id: int) -> dict[int, str]:
    """The actor's other organisations (where a linked incident can be made), by name."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    org_id = incident_sql.incident(db, incident_id)["org_id"]
    return {
        r["id"]: r["name"] for r in account_sql.organisations(db, [o for o in actor.org_ids if o != org_id])
    }


def register_texts(db: Database, ids: list[int]) -> dict[int, str]:
    """Per incident in a chain, the register's "Keten-incident": the shared description and the
    other members as reference and organisation (no permission check: the register checks)."""
    found = {}
    for incident_id, others in sql.chain_of(db, ids).items():
        lines = [f"{r['reference']} ({r['org_name']})" for r in others]
        found[incident_id] = "\n".join([others[0]["description"], *lines])
    return found
