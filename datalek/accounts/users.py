"""Accounts: created, disabled and given a new password by the beheerder (or the operator
through the CLI); a user may change their own password.

Separation of duties (see ``datalek.accounts.permissions``): an FG account comes only from an
invitation (``datalek.accounts.invitations``) or from the operator on the server; the beheerder
may switch an FG account off, never set its password or change its role, and no account is
both beheerder and FG. Every grant of the FG role is audited and mailed to the FGs of the
organisation. A new password, a disabled account or another role ends the account's other
sessions at once.

Input problems raise ``InvalidInput`` with a Dutch message per field, so a form can show each
message next to its field and keep what was typed.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import account_mail, audit, auth, sessions
from datalek.accounts.organisations import notice_recipients
from datalek.accounts.permissions import Account, AccountRef, Action, OrgRef, allowed, require
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput, Role, User
from datalek.store import accounts as sql
from datalek.store import invitations as invitation_sql

NO_DPO_ACCOUNT = (
    "Je kunt geen FG-account aanmaken of een account de rol FG geven. Nodig de FG uit via "
    "Organisaties: zij krijgt dan zelf een link op het FG-e-mailadres van de organisatie."
)
NO_DPO_PASSWORD = (
    "Je kunt het wachtwoord van een FG niet instellen. Stuur de FG een link, dan kiest zij zelf "
    "een nieuw wachtwoord."
)
NO_DPO_ROLE_CHANGE = "Je kunt de rol van een FG niet wijzigen. Je kunt het account wel uitschakelen."
SEPARATE_ROLES = "Een beheerder kan niet ook FG zijn, en een FG niet ook beheerder."


def errors(name: str, email: str, password: str | None) -> dict[str, str]:
    """What is wrong with a new account's name, address and password, per field."""
    found = {}
    if not name.strip():
        found["name"] = "Vul een naam in."
    if not auth.is_email(email):
        found["email"] = "Dit is geen geldig e-mailadres."
    if password is not None and (problem := auth.password_problem(password)):
        found["password"] = problem
    return found


def from_row(db: Database, row: dict) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        role=Role(row["role"]),
        active=bool(row["active"]),
        org_ids=tuple(sql.membership_ids(db, row["id"])),
        job_title=row.get("job_title") or "",
        phone=row.get("phone") or "",
    )


def mail_settings(settings: SmtpSettings | None) -> SmtpSettings | None:
    """The given mail settings, else those of the environment (None: no mail server)."""
    return settings if settings is not None else SmtpSettings.from_env()


def _role(value: Role | str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


ROLE_CHOICE = "Kies een rol: " + ", ".join(r.label for r in Role) + "."


def create_user(
    db: Database,
    actor: Actor,
    name: str,
    email: str,
    role: Role | str,
    password: str | None,
    org_ids: list[int],
    settings: SmtpSettings | None = None,
) -> User:
    """Create an account. ``password`` None makes an account for OIDC sign-in only.

    An FG account only by the operator on the server; on the screens it comes from an
    invitation. Its grant is audited and mailed to the FGs of its organisations."""
    require(db, actor, Action.CREATE_USER)
    parsed = _role(role)
    if parsed is Role.DPO:
        require(db, actor, Action.GRANT_DPO, message=NO_DPO_ACCOUNT)
    found = errors(name, email, password)
    if parsed is None:
        found["role"] = ROLE_CHOICE
    known = {o["id"] for o in sql.organisations(db)}
    if not org_ids or not set(org_ids) <= known:
        found["org_ids"] = "Kies minstens één bestaande organisatie."
    if found:
        raise InvalidInput(found)
    at = clock.now()
    row = {
        "email": auth.normalise_email(email),
        "name": name.strip(),
        "role": parsed.value,
        "password_hash": auth.hash_password(password) if password is not None else None,
        "created_at": clock.to_iso(at),
    }
    try:
        with store.write(db):
            user_id = sql.insert_user(db, row)
            for org_id in org_ids:
                sql.add_membership(db, user_id, org_id)
            audit.append(db, actor, "user.create", "user", user_id, role=parsed.value)
            if parsed is Role.DPO:
                audit.append(
                    db, actor, "user.grant_dpo", "user", user_id, org_ids=sorted(org_ids), method="server"
                )
    except sqlite3.IntegrityError:
        raise InvalidInput({"email": "Er bestaat al een account met dit e-mailadres."}) from None
    if parsed is Role.DPO:
        notify_dpo_granted(db, user_id, mail_settings(settings), at)
    return get_user(db, actor, user_id)


def notify_dpo_granted(db: Database, user_id: int, settings: SmtpSettings | None, at: datetime) -> bool:
    """Tell every FG of the account's organisations, the organisation's FG address and the
    account itself that it became an FG. True when every message went out."""
    if settings is None:
        return False
    row = sql.user(db, user_id)
    sent = []
    for org_id in sql.membership_ids(db, user_id):
        org = sql.organisation(db, org_id)
        to = account_mail.recipients(notice_recipients(db, org_id), row["email"])
        message = account_mail.dpo_granted(settings, to, org["name"], row["name"], row["email"], at)
        sent.append(account_mail.send(settings, "dpo_granted", message))
    return bool(sent) and all(sent)


def get_user(db: Database, actor: Actor, user_id: int) -> User:
    require(db, actor, Action.READ_USER, AccountRef(user_id))
    row = sql.user(db, user_id)
    if row is None:
        raise LookupError(user_id)
    return from_row(db, row)


def find_user(db: Database, actor: Actor, email: str) -> User | None:
    require(db, actor, Action.FIND_USER)
    row = sql.user_by_email(db, auth.normalise_email(email))
    return from_row(db, row) if row else None


def list_users(db: Database, actor: Actor) -> list[User]:
    require(db, actor, Action.LIST_USERS)
    memberships = sql.all_memberships(db)
    return [
        User(
            id=r["id"],
            name=r["name"],
            email=r["email"],
            role=Role(r["role"]),
            active=bool(r["active"]),
            org_ids=tuple(memberships.get(r["id"], [])),
        )
        for r in sql.users(db)
    ]


def set_active(
    db: Database, actor: Actor, user_id: int, active: bool, settings: SmtpSettings | None = None
) -> bool:
    """Switch an account on or off; off ends its sessions and its open one-time links at once.
    For an FG account the FGs of its organisations and the account itself get an e-mail.
    Returns whether such an e-mail went out (False also when none was due)."""
    action = Action.ENABLE_USER if active else Action.DISABLE_USER
    require(db, actor, action, AccountRef(user_id))
    if not active and actor.user_id == user_id:
        raise InvalidInput({"user": "Je kunt je eigen account niet uitschakelen."})
    at = clock.now()
    with store.write(db):
        if not sql.set_user_active(db, user_id, active):
            raise LookupError(user_id)
        audit.append(db, actor, "user.enable" if active else "user.disable", "user", user_id)
        if not active:
            sessions.end_all(db, user_id, "disabled")
            invitation_sql.close_open_for_user(db, user_id, clock.to_iso(at), "disabled")
    row = sql.user(db, user_id)
    if row["role"] != Role.DPO.value:
        return False
    return _notify_dpo_active(db, row, active, mail_settings(settings), at)


def _notify_dpo_active(
    db: Database, row: dict, active: bool, settings: SmtpSettings | None, at: datetime
) -> bool:
    if settings is None:
        return False
    org_ids = sql.membership_ids(db, row["id"])
    to = account_mail.recipients(row["email"], *[notice_recipients(db, org_id) for org_id in org_ids])
    names = [o["name"] for o in sql.organisations(db, org_ids)]
    message = account_mail.dpo_active_changed(settings, to, names, row["name"], row["email"], active, at)
    return account_mail.send(settings, "dpo_active", message)


def set_password(
    db: Database, actor: Actor, user_id: int, password: str, *, keep_session_id: int | None = None
) -> None:
    """Set a new password: one's own, a non-FG account's as beheerder, any as the operator.

    Ends every other session of the account at once; ``keep_session_id`` (the session of a
    user changing their own password) stays."""
    require(db, actor, Action.SET_PASSWORD, AccountRef(user_id), message=NO_DPO_PASSWORD)
    if problem := auth.password_problem(password):
        raise InvalidInput({"password": problem})
    keep = keep_session_id if actor.user_id == user_id else None
    with store.write(db):
        if not sql.set_password_hash(db, user_id, auth.hash_password(password), clock.to_iso(clock.now())):
            raise LookupError(user_id)
        audit.append(db, actor, "user.password", "user", user_id)
        sessions.end_all(db, user_id, "password", keep_session_id=keep)


MAX_JOB_TITLE, MAX_PHONE = 100, 30
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,28}")


def set_contact(db: Database, actor: Actor, user_id: int, job_title: str, phone: str) -> User:
    """One's own job title and phone: the notifier's details in the concept AP-melding.
    Audited without the values (they are personal data)."""
    require(db, actor, Action.SET_OWN_CONTACT, AccountRef(user_id))
    job_title, phone = job_title.strip(), phone.strip()
    found = {}
    if len(job_title) > MAX_JOB_TITLE:
        found["job_title"] = f"Dit is te lang: gebruik hoogstens {MAX_JOB_TITLE} tekens."
    if phone and not _PHONE.fullmatch(phone):
        found["phone"] = "Vul een telefoonnummer in, met alleen cijfers, spaties, haakjes, - of + ervoor."
    if found:
        raise InvalidInput(found)
    with store.write(db):
        if not sql.set_user_contact(db, user_id, job_title, phone):
            raise LookupError(user_id)
        audit.append(db, actor, "user.contact", "user", user_id)
    return get_user(db, actor, user_id)


def set_role(
    db: Database, actor: Actor, user_id: int, role: Role | str, settings: SmtpSettings | None = None
) -> User:
    """Give an account another role; ends its sessions, so the new role applies at once.

    The beheerder never changes an FG's role and never grants the FG role (that goes by
    invitation); the operator on the server may. A beheerder never becomes FG, nor the reverse."""
    require(db, actor, Action.CHANGE_ROLE, AccountRef(user_id), message=NO_DPO_ROLE_CHANGE)
    new = _role(role)
    if new is Role.DPO:
        require(db, actor, Action.GRANT_DPO, message=NO_DPO_ACCOUNT)
    row = sql.user(db, user_id)
    old = Role(row["role"])
    if new is None:
        raise InvalidInput({"role": ROLE_CHOICE})
    if actor.user_id == user_id:
        raise InvalidInput({"role": "Je kunt je eigen rol niet wijzigen."})
    if new is old:
        raise InvalidInput({"role": "Dit account heeft deze rol al."})
    if {old, new} == {Role.ADMIN, Role.DPO}:
        raise InvalidInput({"role": SEPARATE_ROLES})
    at = clock.now()
    with store.write(db):
        sql.set_user_role(db, user_id, new.value)
        audit.append(db, actor, "user.role", "user", user_id, old_role=old.value, new_role=new.value)
        if new is Role.DPO:
            org_ids = sql.membership_ids(db, user_id)
            audit.append(db, actor, "user.grant_dpo", "user", user_id, org_ids=org_ids, method="server")
        sessions.end_all(db, user_id, "role")
    if new is Role.DPO:
        notify_dpo_granted(db, user_id, mail_settings(settings), at)
    return get_user(db, actor, user_id)


def dpo_team(db: Database, actor: Actor, org_id: int) -> list[User]:
    """The FG accounts of one of the FG's organisations: who else holds the role."""
    require(db, actor, Action.LIST_DPO_TEAM, OrgRef(org_id))
    return [from_row(db, row) for row in sql.dpo_accounts(db, org_id)]


def may_manage(actor: Actor, user: User) -> bool:
    """Whether ``actor`` may set this account's password or role (for the screen; the
    functions above check it again)."""
    return allowed(actor, Action.CHANGE_ROLE, Account(user.id, user.role))
