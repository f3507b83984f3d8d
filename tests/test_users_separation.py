"""Separation of duties: the beheerder manages accounts but never holds or sets an FG's
credentials, and a new password, a disabled account or another role ends the other sessions."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from datalek.accounts import sessions
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import SEPARATE_ROLES, create_user, set_active, set_password, set_role
from datalek.models import Actor, InvalidInput, Role
from datalek.store import audit_log
from tests.conftest import PASSWORD


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def password_works(db, email: str, password: str) -> bool:
    """Whether ``password`` opens the account (checked against the stored argon2id hash)."""
    row = db.execute("SELECT password_hash FROM users WHERE email = ?", [email]).fetchone()
    if row is None or row[0] is None:
        return False
    try:
        return PasswordHasher().verify(row[0], password)
    except VerificationError:
        return False


def open_for(db, actor) -> str:
    return sessions.open_session(db, actor.user_id, method="password", client="127.0.0.1", user_agent="test")


def test_a_beheerder_cannot_create_an_fg_account(fresh_db, world):
    users_before = count(fresh_db, "users")
    with pytest.raises(PermissionDenied):
        create_user(
            fresh_db, world["admin"], "Eigen FG", "eigen-fg@test.invalid", Role.DPO, PASSWORD, [world.org.id]
        )
    assert count(fresh_db, "users") == users_before
    assert not password_works(fresh_db, "eigen-fg@test.invalid", PASSWORD)


def test_a_beheerder_cannot_set_a_password_on_the_fg_account(fresh_db, world):
    with pytest.raises(PermissionDenied):
        set_password(fresh_db, world["admin"], world["dpo"].user_id, "overgenomen door beheer")
    assert not password_works(fresh_db, "dpo@test.invalid", "overgenomen door beheer")
    assert password_works(fresh_db, "dpo@test.invalid", PASSWORD)
    assert audit_log.recent(fresh_db, 1)[0]["action"] == "refused"


def test_a_password_reset_by_the_beheerder_ends_every_session_of_that_account(fresh_db, world):
    target = world["reporter2"]
    laptop, phone = open_for(fresh_db, target), open_for(fresh_db, target)
    assert sessions.resolve(fresh_db, laptop).actor == target
    set_password(fresh_db, world["admin"], target.user_id, "een heel nieuw wachtwoord")
    assert sessions.resolve(fresh_db, laptop).actor is None
    assert sessions.resolve(fresh_db, phone).actor is None


def test_disabling_an_account_ends_its_sessions_at_once(fresh_db, world):
    target = world["reporter2"]
    token = open_for(fresh_db, target)
    set_active(fresh_db, world["admin"], target.user_id, False)
    assert count(fresh_db, "sessions") == 0
    assert sessions.resolve(fresh_db, token).actor is None


# --- the rules, as a table of real calls -------------------------------------------------------

A, R, BAD = "allowed", "refused", "invalid"
NEW = "een heel nieuw wachtwoord"


def _create(role):
    return lambda db, w, a: create_user(db, a, "Nieuw", "nieuw@test.invalid", role, PASSWORD, [w.org.id])


#: what -> the call (db, world, actor)
CALLS = {
    "create a reporter": _create(Role.REPORTER),
    "create a beheerder": _create(Role.ADMIN),
    "create an FG": _create(Role.DPO),
    "set the FG's password": lambda db, w, a: set_password(db, a, w["dpo"].user_id, NEW),
    "set a reporter's password": lambda db, w, a: set_password(db, a, w["reporter2"].user_id, NEW),
    "set a beheerder's password": lambda db, w, a: set_password(db, a, w["admin"].user_id, NEW),
    "make a reporter FG": lambda db, w, a: set_role(db, a, w["reporter2"].user_id, Role.DPO),
    "make a reporter management": lambda db, w, a: set_role(db, a, w["reporter2"].user_id, Role.MANAGEMENT),
    "make the FG a reporter": lambda db, w, a: set_role(db, a, w["dpo"].user_id, Role.REPORTER),
    "make the FG beheerder": lambda db, w, a: set_role(db, a, w["dpo"].user_id, Role.ADMIN),
    "make a beheerder FG": lambda db, w, a: set_role(db, a, w["admin"].user_id, Role.DPO),
    "disable the FG": lambda db, w, a: set_active(db, a, w["dpo"].user_id, False),
}

RULES = [
    # the beheerder: every non-FG account as before; an FG account only switched off
    ("admin", "create a reporter", A),
    ("admin", "create a beheerder", A),
    ("admin", "create an FG", R),
    ("admin", "set the FG's password", R),
    ("admin", "set a reporter's password", A),
    ("admin", "make a reporter FG", R),
    ("admin", "make a reporter management", A),
    ("admin", "make the FG a reporter", R),
    ("admin", "make the FG beheerder", R),
    ("admin", "disable the FG", A),
    # the FG: her own password only
    ("dpo", "set the FG's password", A),
    ("other_dpo", "set the FG's password", R),
    ("dpo", "create an FG", R),
    ("dpo", "make a reporter FG", R),
    ("dpo", "disable the FG", R),
    ("reporter", "set the FG's password", R),
    ("management", "make a reporter FG", R),
    # the operator on the server: may, but never beheerder and FG in one account
    ("cli", "create an FG", A),
    ("cli", "set the FG's password", A),
    ("cli", "make a reporter FG", A),
    ("cli", "make the FG a reporter", A),
    ("cli", "make the FG beheerder", BAD),
    ("cli", "make a beheerder FG", BAD),
    ("cli", "set a beheerder's password", A),
]


@pytest.mark.parametrize(("who", "what", "expected"), RULES, ids=[f"{w}-{c}-{e}" for w, c, e in RULES])
def test_who_may_do_what_with_an_account(fresh_db, world, who, what, expected):
    actor = Actor.cli() if who == "cli" else world[who]
    before = fresh_db.execute("SELECT id, role, password_hash, active FROM users ORDER BY id").fetchall()
    if expected == A:
        CALLS[what](fresh_db, world, actor)
        return
    with pytest.raises(PermissionDenied if expected == R else InvalidInput) as refused:
        CALLS[what](fresh_db, world, actor)
    assert (
        fresh_db.execute("SELECT id, role, password_hash, active FROM users ORDER BY id").fetchall() == before
    )
    if expected == R:
        assert refused.value.message.startswith("Je ")
        assert audit_log.recent(fresh_db, 1)[0]["action"] == "refused"
    else:
        assert refused.value.errors == {"role": SEPARATE_ROLES}


def test_the_table_covers_every_call_and_each_outcome():
    assert {c for _, c, _ in RULES} == set(CALLS)
    assert {e for *_, e in RULES} == {A, R, BAD}


def test_the_beheerder_hears_why_when_refused(fresh_db, world):
    with pytest.raises(PermissionDenied) as create:
        _create(Role.DPO)(fresh_db, world, world["admin"])
    assert "Nodig de FG uit via Organisaties" in create.value.message
    with pytest.raises(PermissionDenied) as password:
        set_password(fresh_db, world["admin"], world["dpo"].user_id, NEW)
    assert "Stuur de FG een link" in password.value.message


# --- sessions end at once -------------------------------------------------------------------


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(fresh_db, world):
    me = world["reporter2"]
    here, elsewhere = open_for(fresh_db, me), open_for(fresh_db, me)
    this_session = sessions.resolve(fresh_db, here).session_id
    set_password(fresh_db, me, me.user_id, NEW, keep_session_id=this_session)
    assert sessions.resolve(fresh_db, here).actor == me
    assert sessions.resolve(fresh_db, elsewhere).actor is None


def test_the_beheerder_cannot_keep_someone_elses_session_alive(fresh_db, world):
    target = world["reporter2"]
    token = open_for(fresh_db, target)
    session_id = sessions.resolve(fresh_db, token).session_id
    set_password(fresh_db, world["admin"], target.user_id, NEW, keep_session_id=session_id)
    assert sessions.resolve(fresh_db, token).actor is None


def test_another_role_ends_the_sessions_so_it_applies_at_once(fresh_db, world):
    target = world["reporter2"]
    token = open_for(fresh_db, target)
    set_role(fresh_db, world["admin"], target.user_id, Role.MANAGEMENT)
    assert sessions.resolve(fresh_db, token).actor is None
    ended = audit_log.recent(fresh_db, 5, "sessions_ended")[0]
    assert json.loads(ended["detail"]) == {"reason": "role", "count": 1}
    changed = audit_log.recent(fresh_db, 5, "user.role")[0]
    assert json.loads(changed["detail"]) == {"old_role": "reporter", "new_role": "management"}


def test_a_role_change_says_what_is_wrong(fresh_db, world):
    admin = world["admin"]
    cases = [
        (admin.user_id, Role.REPORTER, "Je kunt je eigen rol niet wijzigen."),
        (world["reporter2"].user_id, Role.REPORTER, "Dit account heeft deze rol al."),
        (world["reporter2"].user_id, "baas", "Kies een rol: "),
    ]
    for user_id, role, message in cases:
        with pytest.raises(InvalidInput) as refused:
            set_role(fresh_db, admin, user_id, role)
        assert refused.value.errors["role"].startswith(message)
