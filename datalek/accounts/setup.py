"""The one-time setup of a fresh installation: the first organisation and the first beheerder."""

from __future__ import annotations

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, auth, organisations, users
from datalek.accounts.permissions import Action, PermissionDenied, refuse
from datalek.models import InvalidInput, Role, User
from datalek.store import accounts as sql

ALREADY_SET_UP = "Datalek is al ingericht."
NOT_THE_SAME = "De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord twee keer hetzelfde."


def needs_setup(db: Database) -> bool:
    """True on a fresh installation: no account exists yet."""
    return sql.count_users(db) == 0


def setup_first(
    db: Database,
    org_name: str,
    dpo_name: str,
    dpo_email: str,
    dpo_phone: str,
    name: str,
    email: str,
    password: str,
    youth_care: bool = False,
    *,
    again: str | None = None,
) -> User:
    """Create the first organisation and its beheerder.

    ``again`` is the password typed a second time: the setup screen always asks it, and a
    difference is refused under field ``again`` (nobody can sign in with a mistyped first
    password, and there is no beheerder yet to set another). None: the caller typed it once
    on purpose (the tests of the core, a script).

    Refused as soon as any account exists, so the setup screen cannot be replayed; the
    check runs inside the transaction (no race), and the refused attempt is audited like
    every other refusal.
    """
    found = {**organisations.errors(org_name, dpo_email), **users.errors(name, email, password)}
    if again is not None and again != password:
        found["again"] = NOT_THE_SAME
    if found:
        raise InvalidInput(found)
    at = clock.to_iso(clock.now())
    try:
        with store.write(db):
            if sql.count_users(db):
                raise PermissionDenied(Action.SETUP.value, ALREADY_SET_UP)
            org_id = sql.insert_organisation(
                db, organisations.row_for(org_name, dpo_name, dpo_email, dpo_phone, youth_care, at)
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
    except PermissionDenied:
        refuse(db, None, Action.SETUP, message=ALREADY_SET_UP)
    return users.from_row(db, sql.user(db, user_id))
