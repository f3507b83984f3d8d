"""Linking two incidents of one organisation that belong together without being the same event
("hangt samen met", issue #16): both ways, with a note, shown on both, removed with a reason
(the link stays on record), by the FG, audited. A duplicate report is merged instead
(``datalek.handling.merges``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import merges
from datalek.models import Actor, InvalidInput, Status
from datalek.store import merges as sql

MAX_NOTE = 1000


@dataclass(frozen=True)
class Link:
    """A link in force, seen from one incident: the other incident and the note."""

    id: int
    other_id: int
    other_reference: str
    other_status: Status
    note: str
    linked_by: str
    linked_at: datetime


def _text_error(text: str, field: str, empty: str) -> dict[str, str]:
    if not text.strip():
        return {field: empty}
    if len(text) > MAX_NOTE:
        return {field: f"Dit is te lang: gebruik hoogstens {MAX_NOTE} tekens."}
    return {}


def link(db: Database, actor: Actor, incident_id: int, other_reference: str, note: str) -> Link:
    """Link ``incident_id`` to the incident with ``other_reference`` of the same organisation."""
    require(db, actor, Action.LINK_INCIDENTS, IncidentRef(incident_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        other_id = merges.by_reference(db, incident_id, other_reference)
        errors = _text_error(note, "note", "Schrijf op hoe de meldingen samenhangen.")
        if not other_reference.strip():
            errors["reference"] = "Vul het kenmerk in van de andere melding, zoals DL-2026-0001."
        elif other_id is None:
            errors["reference"] = merges.UNKNOWN_REFERENCE
        elif other_id == incident_id:
            errors["reference"] = "Een melding kan niet aan zichzelf worden gekoppeld."
        elif sql.link_in_force(db, incident_id, other_id):
            errors["reference"] = "Deze meldingen zijn al aan elkaar gekoppeld."
        if errors:
            raise InvalidInput(errors)
        require(db, actor, Action.LINK_INCIDENTS, IncidentRef(other_id))
        made = {}
        for one, two in ((incident_id, other_id), (other_id, incident_id)):  # one row per side
            row = {"incident_id": one, "other_id": two, "note": note.strip(), "linked_by": actor.user_id}
            made[one] = sql.insert_link(db, row | {"linked_at": at})
            audit.append(
                db, actor, "incident.link", "incident", one, incident_link_id=made[one], linked_to=two
            )
    link_id = made[incident_id]
    return next(x for x in links(db, actor, incident_id) if x.id == link_id)


def unlink(db: Database, actor: Actor, incident_id: int, link_id: int, reason: str) -> None:
    """Remove a link of ``incident_id`` with a reason; the row stays with who, when and why."""
    require(db, actor, Action.LINK_INCIDENTS, IncidentRef(incident_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        found = sql.link(db, link_id)
        if found is None or found["removed_at"] or found["incident_id"] != incident_id:
            raise InvalidInput({"reason": "Deze koppeling bestaat niet (meer)."})
        if errors := _text_error(reason, "reason", "Schrijf op waarom je de koppeling verwijdert."):
            raise InvalidInput(errors)
        mirror = sql.link_in_force(db, found["other_id"], incident_id)
        for row, other in ((found, found["other_id"]), (mirror, incident_id)):
            if row is not None:
                sql.remove_link(db, row["id"], actor.user_id, at, reason.strip())
                audit.append(
                    db,
                    actor,
                    "incident.unlink",
                    "incident",
                    row["incident_id"],
                    incident_link_id=row["id"],
                    linked_to=other,
                )


def links(db: Database, actor: Actor, incident_id: int) -> list[Link]:
    """The links in force of an incident, by the other incident's reference."""
    require(db, actor, Action.LINK_INCIDENTS, IncidentRef(incident_id))
    return [
        Link(
            id=r["id"],
            other_id=r["other_id"],
            other_reference=r["other_reference"],
            other_status=Status(r["other_status"]),
            note=r["note"],
            linked_by=r["linked_by_name"] or "",
            linked_at=clock.from_iso(r["linked_at"]),
        )
        for r in sql.links_of(db, incident_id)
    ]
