"""Accounts: created, disabled and given a new password by the beheerder (or the operator
through the CLI); a user may change their own password.

Input problems raise ``InvalidInput`` with a Dutch message per field, so a form can show each
message next to its field and keep what was typed.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, auth
from datalek.accounts.permissions import AccountRef, Action, require
from datalek.models import Actor, InvalidInput, Role, User
from datalek.store import accounts as sql


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
    )


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
    require(db, actor, Action.CREATE_USER)
    found = errors(name, email, password)
    try:
        role = Role(role)
    except ValueError:
        found["role"] = "Kies een rol: " + ", ".join(r.label for r in Role) + "."
    known = {o["id"] for o in sql.organisations(db)}
    if not org_ids or not set(org_ids) <= known:
        found["org_ids"] = "Kies minstens één bestaande organisatie."
    if found:
        raise InvalidInput(found)
    row = {
        "email": auth.normalise_email(email),
        "name": name.strip(),
        "role": role.value,
        "password_hash": auth.hash_password(password) if password is not None else None,
        "created_at": clock.to_iso(clock.now()),
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


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    action = Action.ENABLE_USER if active else Action.DISABLE_USER
    require(db, actor, action, AccountRef(user_id))
    if not active and actor.user_id == user_id:
        raise InvalidInput({"user": "Je kunt je eigen account niet uitschakelen."})
    with store.write(db):
        if not sql.set_user_active(db, user_id, active):
            raise LookupError(user_id)
        audit.append(db, actor, action.value, "user", user_id)


def set_password(db: Database, actor: Actor, user_id: int, password: str) -> None:
    require(db, actor, Action.SET_PASSWORD, AccountRef(user_id))
    if problem := auth.password_problem(password):
        raise InvalidInput({"password": problem})
    with store.write(db):
        if not sql.set_password_hash(db, user_id, auth.hash_password(password), clock.to_iso(clock.now())):
            raise LookupError(user_id)
        audit.append(db, actor, "user.password", "user", user_id)
