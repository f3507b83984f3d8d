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

from datalek import clock, regime, store
from datalek.accounts import account_mail, audit, auth
from datalek.accounts.permissions import Action, OrgRef, allowed, require
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput, Organisation
from datalek.store import accounts as sql
from datalek.store import invitations as invitation_sql
from datalek.store import reminders as reminder_sql


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


# --- reminders of the notification period ------------------------------------------------------

MAX_REMINDER_POINTS = 8


@dataclass(frozen=True)
class ReminderSettings:
    """Who is reminded of an organisation's running notification clocks, and when.

    Set by the organisation's FG only: she answers for the deadline and knows who stands in
    for her; the beheerder manages accounts and organisations but has no part in incidents."""

    org_id: int
    deputy_dpo_id: int | None
    management_email: str
    hours: tuple[int, ...]

    @property
    def hours_text(self) -> str:
        return ", ".join(str(h) for h in self.hours)


def parse_hours(text: str | None) -> tuple[int, ...]:
    """'24, 48,60 70' -> (24, 48, 60, 70); ValueError for anything but whole numbers."""
    parts = (text or "").replace(",", " ").replace(";", " ").split()
    if not all(p.isdigit() for p in parts):
        raise ValueError("not whole hours")
    return tuple(int(p) for p in parts)


def hours_error(text: str) -> str | None:
    """The Dutch message for reminder points that are not allowed, or None."""
    period = regime.CURRENT.period_hours
    try:
        hours = parse_hours(text)
    except ValueError:
        return "Vul hele uren in, gescheiden door komma's. Bijvoorbeeld: 24, 48, 60, 70."
    if not hours:
        return "Vul minstens één moment in."
    if len(hours) > MAX_REMINDER_POINTS:
        return f"Kies hoogstens {MAX_REMINDER_POINTS} momenten."
    if any(h <= 0 or h >= period for h in hours):
        return f"Elk moment moet groter zijn dan 0 en kleiner dan {period} uur."
    if list(hours) != sorted(set(hours)):
        return "Zet de uren van laag naar hoog, en elk uur maar één keer."
    return None


def settings_from_row(org_id: int, row: dict | None) -> ReminderSettings:
    try:
        hours = parse_hours(row["reminder_hours"]) if row else regime.CURRENT.reminder_hours
    except ValueError:
        hours = regime.CURRENT.reminder_hours
    return ReminderSettings(
        org_id=org_id,
        deputy_dpo_id=row["deputy_dpo_id"] if row else None,
        management_email=(row["management_email"] if row else "") or "",
        hours=hours or regime.CURRENT.reminder_hours,
    )


def reminder_settings(db: Database, actor: Actor, org_id: int) -> ReminderSettings:
    require(db, actor, Action.REMINDER_SETTINGS, OrgRef(org_id))
    return settings_from_row(org_id, reminder_sql.settings(db, [org_id]).get(org_id))


def set_reminder_settings(
    db: Database, actor: Actor, org_id: int, deputy_dpo_id: int | None, management_email: str, hours: str
) -> ReminderSettings:
    """The FG names her deputy (an active FG account of the organisation), the management
    contact told at the end of the period, and the reminder points (hours after awareness)."""
    require(db, actor, Action.REMINDER_SETTINGS, OrgRef(org_id))
    found: dict[str, str] = {}
    if deputy_dpo_id is not None and reminder_sql.active_dpo(db, deputy_dpo_id, org_id) is None:
        found["deputy_dpo_id"] = "Kies een actief FG-account van deze organisatie."
    email = management_email.strip()
    if email and not auth.is_email(email):
        found["management_email"] = "Dit is geen geldig e-mailadres."
    if message := hours_error(hours):
        found["reminder_hours"] = message
    if found:
        raise InvalidInput(found)
    new = ReminderSettings(org_id, deputy_dpo_id, email, parse_hours(hours))
    old = settings_from_row(org_id, reminder_sql.settings(db, [org_id]).get(org_id))
    if new == old:
        raise InvalidInput({"form": "Er is niets veranderd."})
    with store.write(db):
        reminder_sql.set_settings(db, org_id, deputy_dpo_id, email, ",".join(map(str, new.hours)))
        audit.append(
            db,
            actor,
            "organisation.reminders",
            "organisation",
            org_id,
            deputy_changed=new.deputy_dpo_id != old.deputy_dpo_id,
            management_changed=new.management_email != old.management_email,
            hours_changed=new.hours != old.hours,
            points=len(new.hours),
        )
    return new


def reminder_recipients(db: Database, org_id: int, management: bool) -> list[str]:
    """Where a reminder goes: the FG address and every active FG account of the organisation,
    the named deputy (when still an active FG of it) and, with ``management``, the management
    contact."""
    addresses = set(notice_recipients(db, org_id))
    row = reminder_sql.settings(db, [org_id]).get(org_id) or {}
    if row.get("deputy_dpo_id") and (deputy := reminder_sql.active_dpo(db, row["deputy_dpo_id"], org_id)):
        addresses.add(auth.normalise_email(deputy["email"]))
    if management and row.get("management_email"):
        addresses.add(auth.normalise_email(row["management_email"]))
    return sorted(a for a in addresses if a)
