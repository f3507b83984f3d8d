"""Organisations: each a controller (verwerkingsverantwoordelijke) with its own FG.

Created by the beheerder or by the operator through the CLI. Input problems raise
``InvalidInput`` with a Dutch message per field, so a form can show each message next to its
field and keep what was typed.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, auth
from datalek.accounts.permissions import Action, allowed, require
from datalek.models import Actor, InvalidInput, Organisation
from datalek.store import accounts as sql


def from_row(row: dict) -> Organisation:
    return Organisation(
        **{k: row[k] for k in ("id", "name", "dpo_name", "dpo_email", "dpo_phone")},
        youth_care=bool(row["youth_care"]),
    )


def errors(name: str, dpo_email: str) -> dict[str, str]:
    """What is wrong with a new organisation's name and FG address, per field."""
    found = {}
    if not name.strip():
        found["org_name"] = "Vul de naam van de organisatie in."
    if dpo_email.strip() and not auth.is_email(dpo_email):
        found["dpo_email"] = "Dit is geen geldig e-mailadres."
    return found


def row_for(name: str, dpo_name: str, dpo_email: str, dpo_phone: str, youth_care: bool, at: str) -> dict:
    return {
        "name": name.strip(),
        "dpo_name": dpo_name.strip(),
        "dpo_email": dpo_email.strip(),
        "dpo_phone": dpo_phone.strip(),
        "youth_care": int(youth_care),
        "created_at": at,
    }


def create_organisation(
    db: Database,
    actor: Actor,
    name: str,
    dpo_name: str = "",
    dpo_email: str = "",
    dpo_phone: str = "",
    youth_care: bool = False,
) -> Organisation:
    require(db, actor, Action.CREATE_ORGANISATION)
    if found := errors(name, dpo_email):
        raise InvalidInput(found)
    row = row_for(name, dpo_name, dpo_email, dpo_phone, youth_care, clock.to_iso(clock.now()))
    try:
        with store.write(db):
            org_id = sql.insert_organisation(db, row)
            audit.append(db, actor, "organisation.create", "organisation", org_id)
    except sqlite3.IntegrityError:
        raise InvalidInput({"org_name": "Er bestaat al een organisatie met deze naam."}) from None
    return from_row(sql.organisation(db, org_id))


def list_organisations(db: Database, actor: Actor) -> list[Organisation]:
    """The beheerder sees every organisation; everyone else sees their own."""
    ids = None if allowed(actor, Action.SEE_ALL_ORGANISATIONS) else list(actor.org_ids)
    return [from_row(r) for r in sql.organisations(db, ids)]


def notice_recipients(db: Database, org_id: int) -> list[str]:
    """Where the notice of a new report goes: the organisation's FG address and FG accounts."""
    org = sql.organisation(db, org_id)
    addresses = sql.dpo_emails(db, org_id)
    if org and org["dpo_email"]:
        addresses.append(auth.normalise_email(org["dpo_email"]))
    return sorted(set(addresses))
