"""Organisations: each a controller (verwerkingsverantwoordelijke) with its own FG.

Created by the beheerder or by the operator through the CLI. The organisation's FG address is
where the invitation to an FG account goes, so a change of it is mailed to the old address and
to every FG of the organisation, and closes the invitations still open to the old address.
Input problems raise ``InvalidInput`` with a Dutch message per field, so a form can show each
message next to its field and keep what was typed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import account_mail, audit, auth
from datalek.accounts.permissions import Action, OrgRef, allowed, require
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput, Organisation
from datalek.store import accounts as sql
from datalek.store import invitations as invitation_sql


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


@dataclass(frozen=True)
class ContactChanged:
    """The organisation after the change; whether its FG address changed and that was mailed."""

    organisation: Organisation
    email_changed: bool
    mailed: bool


def change_dpo_contact(
    db: Database,
    actor: Actor,
    org_id: int,
    dpo_name: str,
    dpo_email: str,
    dpo_phone: str,
    settings: SmtpSettings | None = None,
) -> ContactChanged:
    """Change the FG's name, address and phone number of an organisation (beheerder, operator).

    A new address is mailed to the old address and to every FG account of the organisation,
    and closes the FG invitations still open to the old address."""
    require(db, actor, Action.CHANGE_DPO_CONTACT, OrgRef(org_id))
    old = sql.organisation(db, org_id)
    if old is None:
        raise LookupError(org_id)
    if found := {k: v for k, v in errors(old["name"], dpo_email).items() if k == "dpo_email"}:
        raise InvalidInput(found)
    new = {"dpo_name": dpo_name.strip(), "dpo_email": dpo_email.strip(), "dpo_phone": dpo_phone.strip()}
    changed = {key: new[key] != old[key] for key in new}
    email_changed = auth.normalise_email(new["dpo_email"]) != auth.normalise_email(old["dpo_email"])
    if not any(changed.values()):
        raise InvalidInput({"form": "Er is niets veranderd."})
    at = clock.now()
    with store.write(db):
        sql.set_dpo_contact(db, org_id, **new)
        closed = 0
        if email_changed and old["dpo_email"]:
            closed = invitation_sql.close_open_for_org_email(
                db, org_id, auth.normalise_email(old["dpo_email"]), clock.to_iso(at), "address_changed"
            )
        audit.append(
            db,
            actor,
            "organisation.dpo_contact",
            "organisation",
            org_id,
            email_changed=email_changed,
            name_changed=changed["dpo_name"],
            phone_changed=changed["dpo_phone"],
            invitations_closed=closed,
        )
    mailed = False
    settings = settings if settings is not None else SmtpSettings.from_env()
    if email_changed and settings is not None:
        to = account_mail.recipients(old["dpo_email"], sql.dpo_emails(db, org_id))
        message = account_mail.dpo_email_changed(
            settings, to, old["name"], old["dpo_email"], new["dpo_email"], at
        )
        mailed = account_mail.send(settings, "dpo_email_changed", message)
    return ContactChanged(from_row(sql.organisation(db, org_id)), email_changed, mailed)
