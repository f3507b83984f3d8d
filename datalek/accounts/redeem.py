"""Using a one-time link (made by ``datalek.accounts.invitations``): what it is for, why it no
longer works, and — with a password given twice — the FG account it creates or the new password
it sets. Checked again inside the ``BEGIN IMMEDIATE`` transaction, so two tabs cannot both use
one link. Creating the FG account is audited as a grant of the FG role and mailed to every FG of
the organisation; a new password ends every session of the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, auth, sessions, users
from datalek.accounts.invitations import Kind, code_hash
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput, Role, User
from datalek.store import accounts as account_sql
from datalek.store import invitations as sql

MESSAGES = {
    "missing": (
        "Deze pagina werkt met de link uit je e-mail. Open die link opnieuw, of kopieer hem "
        "helemaal in de adresbalk."
    ),
    "unknown": "Deze link klopt niet. Kopieer de hele link uit de e-mail en probeer het opnieuw.",
    "used": (
        "Deze link is al gebruikt: een link werkt maar één keer. Weet je je wachtwoord niet meer? "
        "Vraag dan de beheerder om een nieuwe link."
    ),
    "expired": (
        "Deze link is verlopen: een link is 72 uur geldig. Vraag een nieuwe link aan bij wie je "
        "de link stuurde (de beheerder, of de FG die je uitnodigde)."
    ),
    "closed": (
        "Deze link geldt niet meer: er is een nieuwere link verstuurd, het account is "
        "uitgeschakeld of het FG-e-mailadres is veranderd. Vraag zo nodig een nieuwe link aan."
    ),
    "taken": "Er bestaat al een account met dit e-mailadres. Meld je aan met dat account.",
    "disabled": "Dit account is uitgeschakeld. Neem contact op met de beheerder.",
}


class LinkInvalid(Exception):
    """The link cannot be used; ``reason`` is a key of ``MESSAGES``, ``message`` Dutch."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.message = MESSAGES[reason]


@dataclass(frozen=True)
class Pending:
    """What an open link is for, shown above the password form."""

    kind: Kind
    name: str
    email: str
    org_name: str
    expires_at: datetime


def _why_not(row: dict | None, at: datetime) -> str | None:
    """Why a link cannot be used now (a key of ``MESSAGES``), or None."""
    if row is None:
        return "unknown"
    if row["closed_at"] is not None:
        return "used" if row["closed_reason"] == "used" else "closed"
    if at >= clock.from_iso(row["expires_at"]):
        return "expired"
    return None


def _open(db: Database, code: str | None, at: datetime) -> dict:
    if not code:
        raise LinkInvalid("missing")
    row = sql.by_token_hash(db, code_hash(code))
    if reason := _why_not(row, at):
        raise LinkInvalid(reason)
    return row


def pending(db: Database, code: str | None, at: datetime | None = None) -> Pending:
    """What the link is for; raises ``LinkInvalid`` when it cannot be used."""
    row = _open(db, code, at or clock.now())
    org = account_sql.organisation(db, row["org_id"]) if row["org_id"] is not None else None
    return Pending(
        kind=Kind(row["kind"]),
        name=row["name"],
        email=row["email"],
        org_name=org["name"] if org else "",
        expires_at=clock.from_iso(row["expires_at"]),
    )


def redeem(
    db: Database,
    code: str | None,
    password: str,
    again: str,
    settings: SmtpSettings | None = None,
    at: datetime | None = None,
) -> User:
    """Use the link: set the password (and, for an invitation, create the FG account).

    Raises ``LinkInvalid`` for a wrong, used, closed or expired link and ``InvalidInput``
    (fields ``password``, ``again``) for a password that will not do; the link then stays open."""
    at = at or clock.now()
    _open(db, code, at)
    if problem := auth.password_problem(password):
        raise InvalidInput({"password": problem})
    if password != again:
        raise InvalidInput({"again": "De twee wachtwoorden zijn niet gelijk."})
    password_hash = auth.hash_password(password)
    stamp = clock.to_iso(at)
    with store.write(db):  # checked again inside the transaction: two tabs cannot both use it
        row = sql.by_token_hash(db, code_hash(code))
        reason = _why_not(row, at) or _blocked(db, row)
        if reason in (None, "taken", "disabled"):
            sql.close(db, row["id"], stamp, reason or "used")
        if reason is None and row["kind"] == Kind.DPO_ACCOUNT:
            user_id = _create_dpo(db, row, password_hash, stamp)
        elif reason is None:
            user_id = _reset(db, row, password_hash, stamp)
    if reason is not None:
        raise LinkInvalid(reason)
    if row["kind"] == Kind.DPO_ACCOUNT:
        users.notify_dpo_granted(db, user_id, users.mail_settings(settings), at)
    return users.from_row(db, account_sql.user(db, user_id))


def _blocked(db: Database, row: dict) -> str | None:
    """'taken' when the invited address got an account meanwhile, 'disabled' when the account
    of a password link is switched off."""
    if row["kind"] == Kind.DPO_ACCOUNT:
        return "taken" if account_sql.user_by_email(db, row["email"]) else None
    user = account_sql.user(db, row["user_id"])
    return None if user and user["active"] else "disabled"


def _create_dpo(db: Database, row: dict, password_hash: str, stamp: str) -> int:
    user_id = account_sql.insert_user(
        db,
        {
            "email": row["email"],
            "name": row["name"],
            "role": Role.DPO.value,
            "password_hash": password_hash,
            "created_at": stamp,
        },
    )
    account_sql.add_membership(db, user_id, row["org_id"])
    newcomer = Actor(user_id=user_id, role=Role.DPO, org_ids=(row["org_id"],))
    audit.append(db, newcomer, "user.create", "user", user_id, role=Role.DPO.value, invitation_id=row["id"])
    audit.append(
        db,
        newcomer,
        "user.grant_dpo",
        "user",
        user_id,
        org_ids=[row["org_id"]],
        method="invitation",
        invited_by=row["created_by"],
        invitation_id=row["id"],
    )
    return user_id


def _reset(db: Database, row: dict, password_hash: str, stamp: str) -> int:
    user = account_sql.user(db, row["user_id"])
    account_sql.set_password_hash(db, user["id"], password_hash, stamp)
    owner = Actor(user_id=user["id"], role=Role(user["role"]))
    audit.append(db, owner, "user.password", "user", user["id"], method="link", invitation_id=row["id"])
    sessions.end_all(db, user["id"], "password_reset")
    sql.close_open_for_user(db, user["id"], stamp, "superseded")
    return user["id"]
