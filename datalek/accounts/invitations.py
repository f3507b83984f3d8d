"""One-time links: how an FG gets her account, and how anyone gets a new password without the
beheerder ever knowing it.

* The beheerder invites the FG of an organisation: the link goes to the FG address recorded
  for the organisation (``organisations.dpo_email``), never to an address typed on the screen.
* An FG invites a deputy FG for her own organisation, to the address she gives.
* The beheerder sends a password link to an account's own address (for an FG the only way:
  the beheerder cannot set an FG's password).
* Without a mail server, the operator on the server prints a link (``python -m datalek user
  invite-dpo`` / ``reset-link``) and hands it over.

A link holds a random code of 256 bits; the database keeps only its SHA-256. It works once,
for ``VALID_FOR`` (72 hours); a newer link for the same address or account closes the older
one. Opening it needs no sign-in: the page ``/wachtwoord-instellen`` asks for the password
twice (``datalek.accounts.redeem``). Creating the FG account is audited as a grant of the FG role and mailed to every FG of
the organisation; a new password ends every session of the account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import account_mail, audit, auth, users
from datalek.accounts.permissions import AccountRef, Action, OrgRef, require
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput
from datalek.store import accounts as account_sql
from datalek.store import invitations as sql

VALID_FOR = timedelta(hours=72)
#: The page that takes the code (``navigation.SET_PASSWORD``) and the query parameter.
URL_PATH = "wachtwoord-instellen"
QUERY_KEY = "code"

NO_MAIL = (
    "Datalek kan geen e-mail versturen: er is geen e-mailserver ingesteld. Vraag wie de server "
    "beheert om de link te maken met de opdrachtregel (python -m datalek user invite-dpo of "
    "user reset-link)."
)
NOT_SENT = "De e-mail kon niet worden verstuurd. Er is geen geldige link gemaakt. Probeer het later opnieuw."
TAKEN = (
    "Er bestaat al een account met dit e-mailadres. Een FG krijgt een eigen account, met een "
    "e-mailadres dat nog bij geen ander account hoort."
)


class Kind(StrEnum):
    DPO_ACCOUNT = "dpo_account"
    PASSWORD_RESET = "password_reset"


@dataclass(frozen=True)
class Sent:
    """An invitation or password link sent by e-mail. The code itself never leaves this module."""

    sent: bool
    expires_at: datetime


@dataclass(frozen=True)
class Printed:
    """A link for the operator on the server to hand over (no mail server)."""

    email: str
    link: str
    expires_at: datetime


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def link(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/{URL_PATH}?{QUERY_KEY}={code}"


# --- making a link -------------------------------------------------------------------------------


def _issue(
    db: Database,
    actor: Actor,
    kind: Kind,
    *,
    deputy: bool = False,
    email: str,
    name: str,
    org_id: int | None,
    user_id: int | None,
    delivery: str,
    at: datetime,
) -> tuple[str, int, datetime]:
    """Store a new link (closing the older open ones for the same address or account), audited.
    Returns the code, the link's id and when it expires."""
    code = secrets.token_urlsafe(32)
    expires = at + VALID_FOR
    stamp = clock.to_iso(at)
    with store.write(db):
        if kind is Kind.DPO_ACCOUNT:
            superseded = sql.close_open_for_email(db, kind.value, email, stamp, "superseded")
        else:
            superseded = sql.close_open_for_user(db, user_id, stamp, "superseded")
        invitation_id = sql.insert(
            db,
            {
                "token_hash": code_hash(code),
                "kind": kind.value,
                "email": email,
                "name": name,
                "org_id": org_id,
                "user_id": user_id,
                "created_by": actor.user_id,
                "created_at": stamp,
                "expires_at": clock.to_iso(expires),
            },
        )
        object_type, object_id = ("user", user_id) if user_id is not None else ("organisation", org_id)
        audit.append(
            db,
            actor,
            "invitation.reset"
            if kind is Kind.PASSWORD_RESET
            else "invitation.deputy"
            if deputy
            else "invitation.dpo",
            object_type,
            object_id,
            invitation_id=invitation_id,
            delivery=delivery,
            superseded=superseded,
        )
    return code, invitation_id, expires


def _mail(db: Database, settings: SmtpSettings, invitation_id: int, kind: str, message) -> bool:
    """Send; a link whose mail did not go out is closed at once (nobody could use it)."""
    if account_mail.send(settings, kind, message):
        return True
    with store.write(db):
        sql.close(db, invitation_id, clock.to_iso(clock.now()), "not_sent")
    return False


def _new_account_errors(db: Database, name: str, email: str) -> dict[str, str]:
    found = users.errors(name, email, None)
    if "email" not in found and account_sql.user_by_email(db, auth.normalise_email(email)):
        found["email"] = TAKEN
    return found


def invite_dpo(
    db: Database, actor: Actor, org_id: int, settings: SmtpSettings | None = None, at: datetime | None = None
) -> Sent:
    """The beheerder invites the organisation's FG, at the FG address recorded for it."""
    require(db, actor, Action.INVITE_DPO, OrgRef(org_id))
    settings = users.mail_settings(settings)
    org = account_sql.organisation(db, org_id)
    if org is None:
        raise LookupError(org_id)
    found = {}
    if not org["dpo_name"].strip():
        found["dpo_name"] = "Vul eerst de naam van de FG in bij deze organisatie."
    if not org["dpo_email"].strip():
        found["dpo_email"] = "Vul eerst het e-mailadres van de FG in bij deze organisatie."
    elif account_sql.user_by_email(db, auth.normalise_email(org["dpo_email"])):
        found["dpo_email"] = TAKEN
    if settings is None:
        found["mail"] = NO_MAIL
    if found:
        raise InvalidInput(found)
    at = at or clock.now()
    email = auth.normalise_email(org["dpo_email"])
    code, invitation_id, expires = _issue(
        db,
        actor,
        Kind.DPO_ACCOUNT,
        email=email,
        name=org["dpo_name"].strip(),
        org_id=org_id,
        user_id=None,
        delivery="mail",
        at=at,
    )
    message = account_mail.invitation(
        settings, email, link(settings.base_url, code), org["name"], expires, False
    )
    return Sent(_mail(db, settings, invitation_id, "dpo_invitation", message), expires)


def invite_deputy(
    db: Database,
    actor: Actor,
    org_id: int,
    name: str,
    email: str,
    settings: SmtpSettings | None = None,
    at: datetime | None = None,
) -> Sent:
    """An FG invites a deputy FG for one of her organisations, at the address she gives."""
    require(db, actor, Action.INVITE_DEPUTY, OrgRef(org_id))
    settings = users.mail_settings(settings)
    found = _new_account_errors(db, name, email)
    if settings is None:
        found["mail"] = NO_MAIL
    if found:
        raise InvalidInput(found)
    at = at or clock.now()
    email = auth.normalise_email(email)
    code, invitation_id, expires = _issue(
        db,
        actor,
        Kind.DPO_ACCOUNT,
        deputy=True,
        email=email,
        name=name.strip(),
        org_id=org_id,
        user_id=None,
        delivery="mail",
        at=at,
    )
    org_name = account_sql.organisation(db, org_id)["name"]
    message = account_mail.invitation(settings, email, link(settings.base_url, code), org_name, expires, True)
    return Sent(_mail(db, settings, invitation_id, "deputy_invitation", message), expires)


def send_reset_link(
    db: Database, actor: Actor, user_id: int, settings: SmtpSettings | None = None, at: datetime | None = None
) -> Sent:
    """The beheerder sends an account a link to choose a new password, at its own address."""
    require(db, actor, Action.SEND_RESET_LINK, AccountRef(user_id))
    settings = users.mail_settings(settings)
    row = account_sql.user(db, user_id)
    found = {}
    if not row["active"]:
        found["user"] = "Dit account is uitgeschakeld. Schakel het eerst in."
    if settings is None:
        found["mail"] = NO_MAIL
    if found:
        raise InvalidInput(found)
    at = at or clock.now()
    code, invitation_id, expires = _issue(
        db,
        actor,
        Kind.PASSWORD_RESET,
        email=row["email"],
        name=row["name"],
        org_id=None,
        user_id=user_id,
        delivery="mail",
        at=at,
    )
    message = account_mail.password_reset(settings, row["email"], link(settings.base_url, code), expires)
    return Sent(_mail(db, settings, invitation_id, "password_reset", message), expires)


def print_dpo_invitation(
    db: Database,
    actor: Actor,
    org_id: int,
    base_url: str,
    name: str | None = None,
    email: str | None = None,
    at: datetime | None = None,
) -> Printed:
    """For the operator on the server: an FG invitation to hand over (by default for the
    organisation's FG address and name)."""
    require(db, actor, Action.PRINT_LINK, OrgRef(org_id))
    org = account_sql.organisation(db, org_id)
    if org is None:
        raise LookupError(org_id)
    name = org["dpo_name"] if name is None else name
    email = org["dpo_email"] if email is None else email
    if found := _new_account_errors(db, name, email):
        raise InvalidInput(found)
    at = at or clock.now()
    email = auth.normalise_email(email)
    code, _, expires = _issue(
        db,
        actor,
        Kind.DPO_ACCOUNT,
        email=email,
        name=name.strip(),
        org_id=org_id,
        user_id=None,
        delivery="printed",
        at=at,
    )
    return Printed(email, link(base_url, code), expires)


def print_reset_link(
    db: Database, actor: Actor, user_id: int, base_url: str, at: datetime | None = None
) -> Printed:
    """For the operator on the server: a password link to hand over to the account's owner."""
    require(db, actor, Action.PRINT_LINK, AccountRef(user_id))
    row = account_sql.user(db, user_id)
    if not row["active"]:
        raise InvalidInput({"user": "Dit account is uitgeschakeld. Schakel het eerst in."})
    at = at or clock.now()
    code, _, expires = _issue(
        db,
        actor,
        Kind.PASSWORD_RESET,
        email=row["email"],
        name=row["name"],
        org_id=None,
        user_id=user_id,
        delivery="printed",
        at=at,
    )
    return Printed(row["email"], link(base_url, code), expires)
