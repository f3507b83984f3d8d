"""The organisation's processors and partners (issue #16): a register per organisation, kept by
its FG (``Action.MANAGE_PARTIES``).

A **processor** (verwerker) processes personal data on the organisation's behalf under an
agreement: its reference and date, the services, the kinds of data (``DataCategory`` codes),
a breach contact (a role address or phone, not necessarily a person) and the notification
period the agreement promises (hours; 48 unless stated, agreements usually say 24-48). A
**partner** is a ketenpartner, a joint controller or another controller the organisation
exchanges data with: its kind, contact and basis (a convenant, say).

A party is ended, never deleted. Every change keeps the old and the new value, who, when and
why (``party_changes``); the audit trail names the fields, never their contents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, corrections, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, OrgRef, refuse, require
from datalek.handling.party_rules import CATEGORIES as CATEGORIES
from datalek.handling.party_rules import DEFAULT_NOTICE_HOURS as DEFAULT_NOTICE_HOURS
from datalek.handling.party_rules import FIELDS as FIELDS
from datalek.handling.party_rules import MAX_CONTACT as MAX_CONTACT
from datalek.handling.party_rules import MAX_NAME as MAX_NAME
from datalek.handling.party_rules import MAX_NOTICE_HOURS as MAX_NOTICE_HOURS
from datalek.handling.party_rules import MAX_PHONE as MAX_PHONE
from datalek.handling.party_rules import MAX_REASON as MAX_REASON
from datalek.handling.party_rules import MAX_REFERENCE as MAX_REFERENCE
from datalek.handling.party_rules import MAX_TEXT as MAX_TEXT
from datalek.handling.party_rules import PartyKind as PartyKind
from datalek.handling.party_rules import category as category
from datalek.handling.party_rules import normalise as normalise
from datalek.models import Actor, InvalidInput
from datalek.store import processors as sql
from datalek.triage.facts import DataCategory


@dataclass(frozen=True)
class Party:
    id: int
    org_id: int
    kind: PartyKind
    name: str
    agreement_reference: str
    agreement_date: date | None
    services: str
    categories: tuple[DataCategory, ...]
    contact: str
    phone: str
    notice_hours: int | None  # processors only
    basis: str
    active: bool
    ended_at: datetime | None
    ended_reason: str

    @classmethod
    def from_row(cls, row: dict) -> Party:
        return cls(
            id=row["id"],
            org_id=row["org_id"],
            kind=PartyKind(row["kind"]),
            name=row["name"],
            agreement_reference=row["agreement_reference"],
            agreement_date=date.fromisoformat(row["agreement_date"]) if row["agreement_date"] else None,
            services=row["services"],
            categories=tuple(DataCategory(c) for c in json.loads(row["data_categories"] or "[]")),
            contact=row["contact"],
            phone=row["phone"],
            notice_hours=row["notice_hours"],
            basis=row["basis"],
            active=bool(row["active"]),
            ended_at=clock.from_iso(row["ended_at"]),
            ended_reason=row["ended_reason"],
        )

    def stated(self) -> dict:
        """The party's stated fields as a form or a file holds them."""
        return {
            "kind": self.kind.value,
            "name": self.name,
            "agreement_reference": self.agreement_reference,
            "agreement_date": self.agreement_date,
            "services": self.services,
            "data_categories": [c.value for c in self.categories],
            "contact": self.contact,
            "phone": self.phone,
            "notice_hours": self.notice_hours,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class PartyChange:
    party_id: int
    field: str
    label: str
    old: str | None
    new: str | None
    reason: str
    changed_by: str
    changed_at: datetime


def _duplicate(
    kind: str, existing: dict[tuple[str, str], int], name: str, party_id: int | None
) -> str | None:
    found = existing.get((kind, name.casefold()))
    if found is not None and found != party_id:
        return f"Er staat al een {PartyKind(kind).label.lower()} met deze naam in het register."
    return None


def list_parties(db: Database, actor: Actor, org_id: int, include_ended: bool = True) -> list[Party]:
    """The organisation's processors and partners, active first (ended ones kept)."""
    require(db, actor, Action.MANAGE_PARTIES, OrgRef(org_id))
    return [Party.from_row(r) for r in sql.parties(db, org_id, include_ended)]


def _party_of(db: Database, actor: Actor, party_id: int, action: Action = Action.MANAGE_PARTIES) -> dict:
    """The party's row, if the actor may do ``action`` on its organisation; an unknown party is
    refused like another organisation's."""
    row = sql.party(db, party_id)
    if row is None:
        refuse(db, actor, action, "organisation", None)
    require(db, actor, action, OrgRef(row["org_id"]))
    return row


def get(db: Database, actor: Actor, party_id: int) -> Party:
    return Party.from_row(_party_of(db, actor, party_id))


def insert_checked(db: Database, actor: Actor, org_id: int, row: dict, at: str) -> int:
    """Inside a ``store.write``: add a normalised row (the name checked again in the transaction)."""
    if message := _duplicate(row["kind"], sql.names_in_use(db, org_id), row["name"], None):
        raise InvalidInput({"name": message})
    return sql.insert_party(db, {**row, "org_id": org_id, "created_by": actor.user_id, "created_at": at})


def add(db: Database, actor: Actor, org_id: int, values: dict) -> Party:
    """Add a processor or partner to the organisation's register; ``InvalidInput`` per field."""
    require(db, actor, Action.MANAGE_PARTIES, OrgRef(org_id))
    now = clock.now()
    row, errors = normalise(values, clock.today())
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(now)
    with store.write(db):
        party_id = insert_checked(db, actor, org_id, row, at)
        audit.append(db, actor, "party.add", "organisation", org_id)
    return Party.from_row(sql.party(db, party_id))


def _stored(field: str, value) -> str | None:
    return None if value in (None, "") else str(value)


def change(db: Database, actor: Actor, party_id: int, values: dict, reason: str) -> list[dict]:
    """Change a party's stated fields with a reason; each change keeps the old value, who and
    why. Returns the changes (empty when nothing changed)."""
    row = _party_of(db, actor, party_id)
    if not row["active"]:
        raise InvalidInput(
            {"form": "Deze partij is beëindigd. Voeg haar opnieuw toe als de samenwerking weer loopt."}
        )
    now = clock.now()
    new, errors = normalise({**Party.from_row(row).stated(), **values}, clock.today())
    changes = [
        {"field": f, "old_value": _stored(f, row[f]), "new_value": _stored(f, new[f])}
        for f in sql.PARTY_COLUMNS
        if _stored(f, row[f]) != _stored(f, new[f])
    ]
    if changes and not (reason or "").strip():
        errors["reason"] = "Geef de reden van de wijziging. Het oude gegeven bewaren we met de reden."
    elif len((reason or "").strip()) > MAX_REASON:
        errors["reason"] = f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."
    if errors:
        raise InvalidInput(errors)
    if not changes:
        return []
    at = clock.to_iso(now)
    with store.write(db):
        if message := _duplicate(new["kind"], sql.names_in_use(db, row["org_id"]), new["name"], party_id):
            raise InvalidInput({"name": message})
        for c in changes:
            sql.insert_party_change(
                db,
                {
                    **c,
                    "party_id": party_id,
                    "org_id": row["org_id"],
                    "reason": reason.strip(),
                    "changed_by": actor.user_id,
                    "changed_at": at,
                },
            )
        sql.update_party(db, party_id, {c["field"]: new[c["field"]] for c in changes})
        audit.append(
            db, actor, "party.change", "organisation", row["org_id"], fields=[c["field"] for c in changes]
        )
    return changes


def end(db: Database, actor: Actor, party_id: int, reason: str) -> None:
    """End the work with a party (the agreement ended): the row stays, with the reason."""
    row = _party_of(db, actor, party_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            {"reason": "Geef de reden: waarom werkt de organisatie niet meer met deze partij?"}
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."})
    if not row["active"]:
        raise InvalidInput({"reason": "Deze partij was al beëindigd."})
    at = clock.to_iso(clock.now())
    with store.write(db):
        sql.end_party(db, party_id, actor.user_id, at, reason)
        sql.insert_party_change(
            db,
            {
                "party_id": party_id,
                "org_id": row["org_id"],
                "field": "active",
                "old_value": "1",
                "new_value": "0",
                "reason": reason,
                "changed_by": actor.user_id,
                "changed_at": at,
            },
        )
        audit.append(db, actor, "party.end", "organisation", row["org_id"])


def readable(field: str, value: str | None) -> str | None:
    """A stored value as a person reads it."""
    if value in (None, ""):
        return None
    if field == "kind":
        return PartyKind(value).label
    if field == "agreement_date":
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if field == "data_categories":
        return "; ".join(DataCategory(c).label for c in json.loads(value)) or None
    if field == "active":
        return "actief" if value == "1" else "beëindigd"
    return value


def history(db: Database, actor: Actor, party_id: int) -> list[PartyChange]:
    """Every change of a party, oldest first."""
    _party_of(db, actor, party_id)
    return [
        PartyChange(
            party_id=r["party_id"],
            field=r["field"],
            label=FIELDS.get(r["field"], "Actief"),
            old=readable(r["field"], r["old_value"]),
            new=readable(r["field"], r["new_value"]),
            reason=r["reason"],
            changed_by=corrections.who(r["changed_by"], r["changed_by_name"]),
            changed_at=clock.from_iso(r["changed_at"]),
        )
        for r in sql.party_changes(db, party_id)
    ]
