"""Managing organisations and accounts (role ``admin``, or the operator through the CLI).

Input problems raise ``InvalidInput`` with a Dutch message per field, so a form can show
each message next to its field and keep what was typed.
"""

from __future__ import annotations

import re
import sqlite3

from sqlite_utils import Database

from datalek import audit, auth, deadlines, permissions, store
from datalek.models import Actor, InvalidInput, Organisation, Role, User
from datalek.store import accounts as sql

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_admin(db: Database, actor: Actor, action: str) -> None:
    if not permissions.may_administer(actor):
        permissions.deny(db, actor, action)


def _org(row: dict) -> Organisation:
    return Organisation(
        **{k: row[k] for k in ("id", "name", "fg_name", "fg_email", "fg_phone")},
        youth_care=bool(row["youth_care"]),
    )


def needs_setup(db: Database) -> bool:
    """True on a fresh installation: no account exists yet."""
    return sql.count_users(db) == 0


def _organisation_errors(name: str, fg_email: str) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["org_name"] = "Vul de naam van de organisatie in."
    if fg_email.strip() and not _EMAIL.match(fg_email.strip()):
        errors["fg_email"] = "Dit is geen geldig e-mailadres."
    return errors


def _user_errors(name: str, email: str, password: str | None) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Vul een naam in."
    if not _EMAIL.match(email.strip()):
        errors["email"] = "Dit is geen geldig e-mailadres."
    if password is not None:
        problem = auth.password_problem(password)
        if problem:
            errors["password"] = problem
    return errors


def create_organisation(
    db: Database,
    actor: Actor,
    name: str,
    fg_name: str = "",
    fg_email: str = "",
    fg_phone: str = "",
    youth_care: bool = False,
) -> Organisation:
    _require_admin(db, actor, "organisation.create")
    errors = _organisation_errors(name, fg_email)
    if errors:
        raise InvalidInput(errors)
    row = {
        "name": name.strip(),
        "fg_name": fg_name.strip(),
        "fg_email": fg_email.strip(),
        "fg_phone": fg_phone.strip(),
        "youth_care": int(youth_care),
        "created_at": deadlines.to_iso(deadlines.now()),
    }
    try:
        with store.write(db):
            org_id = sql.insert_organisation(db, row)
            audit.append(db, actor, "organisation.create", "organisation", org_id)
    except sqlite3.IntegrityError:
        raise InvalidInput({"org_name": "Er bestaat al een organisatie met deze naam."}) from None
    return _org(sql.organisation(db, org_id))


def create_user(
    db: Database,
    actor: Actor,
    name: str,
    email: str,
    role: Role | str,
    password: str | None,
    org_ids: list[int],
) -> User:
    """Create an account. ``password`` None makes an account for OIDC sign-in only."""
    _require_admin(db, actor, "user.create")
    errors = _user_errors(name, email, password)
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = "Kies een rol: " + ", ".join(r.value for r in Role) + "."
    known = {o["id"] for o in sql.organisations(db)}
    if not org_ids or not set(org_ids) <= known:
        errors["org_ids"] = "Kies minstens één bestaande organisatie."
    if errors:
        raise InvalidInput(errors)
    at = deadlines.to_iso(deadlines.now())
    row = {
        "email": auth.normalise_email(email),
        "name": name.strip(),
        "role": role.value,
        "password_hash": auth.hash_password(password) if password is not None else None,
        "created_at": at,
    }
    try:
        with store.write(db):
            user_id = sql.insert_user(db, row)
            for org_id in org_ids:
                sql.add_membership(db, user_id, org_id)
            audit.append(db, actor, "user.create", "user", user_id, role=role.value)
    except sqlite3.IntegrityError:
        raise InvalidInput({"email": "Er bestaat al een account met dit e-mailadres."}) from None
    return get_user(db, actor, user_id)


ALREADY_SET_UP = "Datalek is al ingericht."


def setup_first(
    db: Database,
    org_name: str,
    fg_name: str,
    fg_email: str,
    fg_phone: str,
    name: str,
    email: str,
    password: str,
    youth_care: bool = False,
) -> User:
    """The one-time setup of a fresh installation: first organisation and first beheerder.

    Refused as soon as any account exists, so the setup screen cannot be replayed;
    the refused attempt is audited like every other refusal.
    """
    errors = {**_organisation_errors(org_name, fg_email), **_user_errors(name, email, password)}
    if errors:
        raise InvalidInput(errors)
    at = deadlines.to_iso(deadlines.now())
    try:
        with store.write(db):
            if sql.count_users(db):
                raise permissions.PermissionDenied("setup", ALREADY_SET_UP)
            org_id = sql.insert_organisation(
                db,
                {
                    "name": org_name.strip(),
                    "fg_name": fg_name.strip(),
                    "fg_email": fg_email.strip(),
                    "fg_phone": fg_phone.strip(),
                    "youth_care": int(youth_care),
                    "created_at": at,
                },
            )
            user_id = sql.insert_user(
                db,
                {
                    "email": auth.normalise_email(email),
                    "name": name.strip(),
                    "role": Role.ADMIN.value,
                    "password_hash": auth.hash_password(password),
                    "created_at": at,
                },
            )
            sql.add_membership(db, user_id, org_id)
            audit.append(db, None, "setup", "organisation", org_id, user_id=user_id)
    except permissions.PermissionDenied:
        # The check ran inside the transaction (no race); now rolled back, record the refusal.
        permissions.deny(db, None, "setup", message=ALREADY_SET_UP)
    return _user(db, sql.user(db, user_id))


def _user(db: Database, row: dict) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        role=Role(row["role"]),
        active=bool(row["active"]),
        org_ids=tuple(sql.membership_ids(db, row["id"])),
    )


def get_user(db: Database, actor: Actor, user_id: int) -> User:
    if not (permissions.may_administer(actor) or actor.user_id == user_id):
        permissions.deny(db, actor, "user.read", "user", user_id)
    row = sql.user(db, user_id)
    if row is None:
        raise LookupError(user_id)
    return _user(db, row)


def find_user(db: Database, actor: Actor, email: str) -> User | None:
    _require_admin(db, actor, "user.read")
    row = sql.user_by_email(db, auth.normalise_email(email))
    return _user(db, row) if row else None


def list_users(db: Database, actor: Actor) -> list[User]:
    _require_admin(db, actor, "user.list")
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


def list_organisations(db: Database, actor: Actor) -> list[Organisation]:
    """Admins see every organisation; everyone else sees their own."""
    ids = None if permissions.may_administer(actor) else list(actor.org_ids)
    return [_org(r) for r in sql.organisations(db, ids)]


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    _require_admin(db, actor, "user.disable" if not active else "user.enable")
    if not active and actor.user_id == user_id:
        raise InvalidInput({"user": "Je kunt je eigen account niet uitschakelen."})
    with store.write(db):
        if not sql.set_user_active(db, user_id, active):
            raise LookupError(user_id)
        audit.append(db, actor, "user.enable" if active else "user.disable", "user", user_id)


def set_password(db: Database, actor: Actor, user_id: int, password: str) -> None:
    if not permissions.may_change_password(actor, user_id):
        permissions.deny(db, actor, "user.password", "user", user_id)
    problem = auth.password_problem(password)
    if problem:
        raise InvalidInput({"password": problem})
    with store.write(db):
        if not sql.set_password_hash(
            db, user_id, auth.hash_password(password), deadlines.to_iso(deadlines.now())
        ):
            raise LookupError(user_id)
        audit.append(db, actor, "user.password", "user", user_id)


def notice_recipients(db: Database, org_id: int) -> list[str]:
    """Where the notice of a new report goes: the organisation's FG address and FG accounts."""
    org = sql.organisation(db, org_id)
    addresses = sql.dpo_emails(db, org_id)
    if org and org["fg_email"]:
        addresses.append(auth.normalise_email(org["fg_email"]))
    return sorted(set(addresses))
