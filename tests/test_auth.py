"""Sign-in and sessions: password policy, argon2id hashes, back-off after failed attempts
(the throttle's own rules: tests/test_throttle.py), disabled accounts, server-side session
limits and OIDC mapping.

Every sign-in outcome is audited, and failure messages never tell whether an account exists.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from datalek.accounts import auth, throttle
from datalek.accounts.users import get_user, set_active
from datalek.config import SessionPolicy
from datalek.models import Actor, Role
from datalek.store import audit_log
from datalek.store import throttle as throttle_sql
from tests.conftest import PASSWORD

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
WRONG = "definitely not the password"
CLIENT = "192.0.2.1"


def last_entry(db) -> dict:
    entry = audit_log.recent(db, 1)[0]
    return {**entry, "detail": json.loads(entry["detail"])}


def failures_in_db(db, email: str, client: str = CLIENT) -> int:
    """The failures counted for this account from this client address."""
    row = throttle_sql.counter(db, "account_client", client, throttle.account_key(email))
    return row["failures"] if row else 0


def fail(db, email: str, at: datetime) -> str:
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(db, email, WRONG, client=CLIENT, at=at)
    return refused.value.message


# --- password policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("a" * 11, False),
        ("a" * 12, True),
        ("a" * 64, True),
        ("a" * 65, True),
        ("a" * 1024, True),
        ("a" * 1025, False),
        (" " * 12, False),
        (" " * 40, False),
        ("\t \n " * 5, False),
        ("  spaties rond  ", True),
        ("wachtwoordé€🙂", True),
    ],
    ids=[
        "11-chars-refused",
        "12-chars-accepted",
        "64-chars-accepted",
        "65-chars-accepted",
        "1024-chars-accepted",
        "1025-chars-refused",
        "12-spaces-refused",
        "40-spaces-refused",
        "mixed-whitespace-refused",
        "inner-and-outer-spaces-accepted",
        "non-ascii-accepted",
    ],
)
def test_password_policy(password, accepted):
    problem = auth.password_problem(password)
    assert (problem is None) is accepted
    if not accepted:
        assert problem  # a Dutch sentence the form can show
        with pytest.raises(ValueError):
            auth.hash_password(password)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("a" * 11, "minstens 12"), ("a" * 1025, "hoogstens 1024"), (" " * 20, "spaties")],
    ids=["too-short", "too-long", "whitespace-only"],
)
def test_password_messages_say_what_is_wrong(password, fragment):
    assert fragment in auth.password_problem(password)


def test_the_app_hashes_with_the_production_parameters():
    """The tests swap in a cheap hasher (tests/conftest.py); the app itself must not: a fresh
    interpreter shows what ``datalek.accounts.auth`` hashes with."""
    code = (
        "from datalek.accounts import auth; h = auth._hasher; "
        "print(h.time_cost, h.memory_cost, h.parallelism, auth.hash_password('x' * 12)[:31])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3", "65536", "4", "$argon2id$v=19$m=65536,t=3,p=4$"]


def test_hashes_are_salted_argon2id():
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second
    assert PASSWORD not in first


def test_stored_hashes_are_argon2id_and_never_the_password(fresh_db, world):
    hashes = [r[0] for r in fresh_db.execute("SELECT password_hash FROM users")]
    assert len(hashes) == len(world.actors)
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


# --- signing in --------------------------------------------------------------------------


def test_sign_in_returns_the_actor_with_role_and_organisations(fresh_db, world):
    actor = auth.sign_in(fresh_db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=T0)
    assert actor == world["dpo"]
    assert actor.role is Role.DPO
    assert actor.org_ids == (world.org.id,)
    entry = last_entry(fresh_db)
    assert entry["action"] == "signin"
    assert entry["object_type"] == "user"
    assert entry["object_id"] == str(world["dpo"].user_id)
    assert entry["detail"] == {"method": "password"}


def test_the_e_mail_address_is_matched_case_insensitively(fresh_db, world):
    actor = auth.sign_in(fresh_db, "  Management@TEST.invalid ", PASSWORD, client=CLIENT, at=T0)
    assert actor.role is Role.MANAGEMENT and actor.user_id == world["management"].user_id


@pytest.mark.parametrize(
    ("email", "password", "object_id"),
    [
        ("dpo@test.invalid", WRONG, "dpo"),
        ("nobody@test.invalid", PASSWORD, None),
        ("nobody@test.invalid", WRONG, None),
    ],
    ids=["wrong-password", "unknown-email-right-password", "unknown-email-wrong-password"],
)
def test_failures_give_one_message_and_are_audited(fresh_db, world, email, password, object_id):
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, email, password, client=CLIENT, at=T0)
    assert refused.value.message == auth.WRONG_CREDENTIALS == "E-mailadres of wachtwoord klopt niet."
    entry = last_entry(fresh_db)
    assert entry["action"] == "signin_failed"
    assert entry["actor_id"] is None
    assert entry["object_id"] == (str(world[object_id].user_id) if object_id else "")
    # ids and the client address only: the typed e-mail address is not in the trail
    assert entry["detail"] == {"method": "password", "client": CLIENT}
    assert email not in json.dumps(entry)


def test_failures_are_counted_per_account_and_client_address_in_the_database(fresh_db, world):
    for i in range(3):
        fail(fresh_db, " DPO@test.invalid", T0 + timedelta(seconds=i))
    fail(fresh_db, "nobody@test.invalid", T0)
    assert failures_in_db(fresh_db, "dpo@test.invalid") == 3
    assert failures_in_db(fresh_db, "nobody@test.invalid") == 1
    assert failures_in_db(fresh_db, "reporter@test.invalid") == 0
    assert failures_in_db(fresh_db, "dpo@test.invalid", client="192.0.2.2") == 0


def test_known_and_unknown_addresses_are_indistinguishable_through_the_lockout(fresh_db, world):
    known = [fail(fresh_db, "dpo@test.invalid", T0 + timedelta(seconds=i)) for i in range(7)]
    unknown = [fail(fresh_db, "nobody@test.invalid", T0 + timedelta(seconds=i)) for i in range(7)]
    assert known == unknown
    assert known[:4] == [auth.WRONG_CREDENTIALS] * 4
    assert all("Te veel mislukte pogingen" in m for m in known[4:])


def test_after_five_failures_even_the_right_password_waits(fifth_failure, world):
    db, at = fifth_failure
    burst = last_entry(db)  # the fifth failure started the wait: one entry says so
    assert (burst["action"], burst["object_id"]) == ("signin_burst", str(world["dpo"].user_id))
    assert burst["detail"] == {
        "scope": "account_client",
        "client": CLIENT,
        "failures": 5,
        "wait_seconds": 30,
    }
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=at + timedelta(seconds=29))
    assert refused.value.message == "Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw."
    assert refused.value.retry_after == 1
    # a throttled attempt neither checks the password, nor counts, nor writes to the trail
    assert failures_in_db(db, "dpo@test.invalid") == 5
    assert last_entry(db) == burst


def test_after_the_wait_the_right_password_works_and_clears_the_failures(fifth_failure, world):
    db, at = fifth_failure
    actor = auth.sign_in(db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=at + timedelta(seconds=30))
    assert actor.user_id == world["dpo"].user_id
    assert failures_in_db(db, "dpo@test.invalid") == 0
    assert last_entry(db)["action"] == "signin"


def test_a_wrong_password_after_the_wait_doubles_it(fifth_failure):
    db, at = fifth_failure
    later = at + timedelta(seconds=30)
    assert "1 minuut" in fail(db, "dpo@test.invalid", later)
    assert failures_in_db(db, "dpo@test.invalid") == 6
    with pytest.raises(auth.SigninRefused):
        auth.sign_in(db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=later + timedelta(seconds=59))
    assert auth.sign_in(db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=later + timedelta(seconds=60))


def test_the_wait_of_one_account_does_not_affect_another_from_that_address(fifth_failure, world):
    db, at = fifth_failure
    actor = auth.sign_in(db, "reporter@test.invalid", PASSWORD, client=CLIENT, at=at + timedelta(seconds=1))
    assert actor.user_id == world["reporter"].user_id


def test_the_wait_does_not_affect_the_same_account_from_another_address(fifth_failure, world):
    db, at = fifth_failure
    actor = auth.sign_in(db, "dpo@test.invalid", PASSWORD, client="192.0.2.99", at=at + timedelta(seconds=1))
    assert actor == world["dpo"]


@pytest.fixture
def fifth_failure(fresh_db, world):
    """The dpo's account after five wrong passwords from CLIENT; returns the time of the fifth."""
    for i in range(5):
        fail(fresh_db, "dpo@test.invalid", T0 + timedelta(seconds=i))
    return fresh_db, T0 + timedelta(seconds=4)


def test_success_clears_earlier_failures(fresh_db, world):
    for i in range(4):
        fail(fresh_db, "dpo@test.invalid", T0 + timedelta(seconds=i))
    assert failures_in_db(fresh_db, "dpo@test.invalid") == 4
    auth.sign_in(fresh_db, "dpo@test.invalid", PASSWORD, client=CLIENT, at=T0 + timedelta(seconds=5))
    assert failures_in_db(fresh_db, "dpo@test.invalid") == 0
    # the count starts again from zero: one more mistake is not throttled
    assert fail(fresh_db, "dpo@test.invalid", T0 + timedelta(seconds=6)) == auth.WRONG_CREDENTIALS


# --- disabled accounts -------------------------------------------------------------------


def test_a_disabled_account_is_refused_with_a_clear_message(fresh_db, world):
    set_active(fresh_db, world["admin"], world["reporter"].user_id, False)
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, "reporter@test.invalid", PASSWORD, client=CLIENT, at=T0)
    assert refused.value.message == "Dit account is uitgeschakeld. Neem contact op met de beheerder."
    entry = last_entry(fresh_db)
    assert entry["action"] == "signin_refused_disabled"
    assert entry["object_id"] == str(world["reporter"].user_id)


def test_a_disabled_account_with_a_wrong_password_gets_the_ordinary_message(fresh_db, world):
    set_active(fresh_db, world["admin"], world["reporter"].user_id, False)
    assert fail(fresh_db, "reporter@test.invalid", T0) == auth.WRONG_CREDENTIALS


def test_disabling_takes_effect_on_the_next_interaction(fresh_db, world):
    held = world["reporter"]  # the actor a running session still holds
    assert auth.actor_for(fresh_db, held.user_id) == held
    set_active(fresh_db, world["admin"], held.user_id, False)
    assert auth.actor_for(fresh_db, held.user_id) is None
    set_active(fresh_db, world["admin"], held.user_id, True)
    assert auth.actor_for(fresh_db, held.user_id) == held


def test_actor_for_an_unknown_user_is_none(fresh_db, world):
    assert auth.actor_for(fresh_db, 999_999) is None


def test_actor_for_reads_the_role_from_the_database(fresh_db, world):
    actor = auth.actor_for(fresh_db, world["other_management"].user_id)
    assert actor == Actor(
        user_id=world["other_management"].user_id, role=Role.MANAGEMENT, org_ids=(world.other_org.id,)
    )


# --- session limits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since_login", "since_last_seen", "expected"),
    [
        (timedelta(minutes=1), timedelta(0), None),
        (timedelta(minutes=45), timedelta(minutes=29, seconds=59), None),
        (timedelta(minutes=45), timedelta(minutes=30), "idle"),
        (timedelta(minutes=45), timedelta(minutes=31), "idle"),
        (timedelta(hours=9, minutes=59, seconds=59), timedelta(minutes=1), None),
        (timedelta(hours=10), timedelta(0), "absolute"),
        (timedelta(hours=11), timedelta(0), "absolute"),
        (timedelta(hours=10), timedelta(hours=1), "absolute"),
    ],
    ids=[
        "just-signed-in",
        "idle-29m59s-ok",
        "idle-30m-expires",
        "idle-31m-expires",
        "9h59m59s-active-ok",
        "10h-expires-even-when-active",
        "11h-expires",
        "absolute-wins-over-idle",
    ],
)
def test_session_expiry(since_login, since_last_seen, expected):
    at = T0 + timedelta(days=1)
    policy = SessionPolicy()
    assert (policy.idle_minutes, policy.absolute_hours) == (30, 10)
    assert auth.session_expiry(policy, at - since_login, at - since_last_seen, at) == expected


def test_every_expiry_reason_has_a_dutch_message():
    assert set(auth.EXPIRY_MESSAGES) >= {"idle", "absolute", "disabled"}


# --- OIDC --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "key"),
    [
        ("management@test.invalid", "management"),
        ("DPO@Test.Invalid", "dpo"),
        ("other_reporter@test.invalid", "other_reporter"),
    ],
    ids=["management", "case-insensitive-dpo", "other-org-reporter"],
)
def test_oidc_maps_a_verified_address_to_the_local_account(fresh_db, world, email, key):
    actor = auth.sign_in_oidc(fresh_db, email, email_verified=True)
    assert actor == world[key]  # role and organisations come from the local account
    entry = last_entry(fresh_db)
    assert entry["action"] == "signin" and entry["detail"] == {"method": "oidc"}
    assert entry["object_id"] == str(world[key].user_id)


@pytest.mark.parametrize(
    ("email", "verified", "disable"),
    [
        ("management@test.invalid", False, False),
        ("stranger@test.invalid", True, False),
        ("", True, False),
        ("management@test.invalid", True, True),
    ],
    ids=["unverified", "unknown", "empty", "disabled"],
)
def test_oidc_refuses_unverified_unknown_and_disabled(fresh_db, world, email, verified, disable):
    if disable:
        set_active(fresh_db, world["admin"], world["management"].user_id, False)
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in_oidc(fresh_db, email, email_verified=verified)
    assert "beheerder" in refused.value.message
    entry = last_entry(fresh_db)
    assert entry["action"] == "signin_failed" and entry["detail"] == {"method": "oidc"}


def test_simultaneous_guesses_cannot_slip_past_the_back_off(fresh_db, world, db_path):
    """Twenty wrong passwords at the same moment from one address: only the free attempts
    reach the password check, the rest wait — the count is taken in the same transaction as
    the check. The refused ones check nothing and write nothing to the trail."""
    from concurrent.futures import ThreadPoolExecutor

    from datalek import store

    email = get_user(fresh_db, Actor.cli(), world["reporter"].user_id).email

    def guess(n: int) -> str:
        db = store.connect(db_path)
        try:
            auth.sign_in(db, email, f"wrong password {n}", client=CLIENT)
        except auth.SigninRefused:
            return "refused"
        finally:
            db.close()
        return "signed in"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(guess, range(20)))
    assert outcomes == ["refused"] * 20
    actions = [
        r[0]
        for r in fresh_db.execute("SELECT action FROM audit_log WHERE action LIKE 'signin%' ORDER BY seq")
    ]
    free = throttle.ACCOUNT_AND_CLIENT.free_attempts
    # the fifth failure also wrote the one entry that says a wait started
    assert sorted(actions) == ["signin_burst"] + ["signin_failed"] * free
    assert failures_in_db(fresh_db, email) == free


def test_an_attempt_that_started_before_the_last_failure_is_not_made_to_wait(fresh_db, world):
    """Below the free attempts nobody waits, also not when another failure was written
    with a later time while this attempt queued for the lock."""
    email = get_user(fresh_db, Actor.cli(), world["reporter"].user_id).email
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    with pytest.raises(auth.SigninRefused) as first:
        auth.sign_in(fresh_db, email, "wrong password", client=CLIENT, at=now)
    with pytest.raises(auth.SigninRefused) as earlier:
        auth.sign_in(fresh_db, email, "wrong password", client=CLIENT, at=now - timedelta(seconds=1))
    assert str(earlier.value) == str(first.value) == auth.WRONG_CREDENTIALS
