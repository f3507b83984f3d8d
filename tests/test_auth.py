"""Accounts and sign-in: password policy, argon2id, back-off, disabled accounts, session limits."""

from datetime import datetime, timedelta, timezone

import pytest

from datalek import accounts, auth
from datalek.config import SessionPolicy
from datalek.models import Role
from tests.conftest import PASSWORD

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("length", "ok"), [(11, False), (12, True), (64, True), (100, True), (1024, True), (1025, False)],
    ids=lambda v: str(v),
)  # fmt: skip
def test_password_length_policy(length, ok):
    assert (auth.password_problem("a" * length) is None) is ok


def test_whitespace_only_passwords_are_refused():
    assert auth.password_problem(" " * 20) is not None


def test_hashes_are_argon2id_and_never_the_password(fresh_db, world):
    row = fresh_db.execute("SELECT password_hash FROM users WHERE email = 'dpo@test.invalid'").fetchone()
    assert row[0].startswith("$argon2id$") and PASSWORD not in row[0]


def _actions(db, n=1):
    return [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT ?", [n])]


def test_sign_in_returns_the_actor_and_is_audited(fresh_db, world):
    actor = auth.sign_in(fresh_db, " DPO@test.invalid ", PASSWORD, at=T0)
    assert actor.role is Role.DPO and actor.org_ids == (world.org.id,)
    assert _actions(fresh_db) == ["signin"]


@pytest.mark.parametrize("email", ["dpo@test.invalid", "nobody@test.invalid"], ids=["wrong-password", "unknown-email"])
def test_failures_do_not_reveal_whether_the_account_exists(fresh_db, world, email):
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, email, "wrong password here", at=T0)
    assert refused.value.message == auth.WRONG_CREDENTIALS
    assert _actions(fresh_db) == ["signin_failed"]
    assert fresh_db.execute("SELECT failures FROM signin_failures WHERE email = ?", [email]).fetchone()[0] == 1


@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (10, 900), (30, 900)],
                         ids=lambda v: str(v))
def test_backoff_table(failures, seconds):
    assert auth.backoff_seconds(failures) == seconds


def test_after_five_failures_even_the_right_password_waits(fresh_db, world):
    for i in range(5):
        with pytest.raises(auth.SigninRefused):
            auth.sign_in(fresh_db, "dpo@test.invalid", "wrong password here", at=T0 + timedelta(seconds=i))
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, "dpo@test.invalid", PASSWORD, at=T0 + timedelta(seconds=10))
    assert "Te veel mislukte pogingen" in refused.value.message
    assert _actions(fresh_db) == ["signin_throttled"]
    actor = auth.sign_in(fresh_db, "dpo@test.invalid", PASSWORD, at=T0 + timedelta(seconds=40))
    assert actor.role is Role.DPO
    assert fresh_db.execute("SELECT count(*) FROM signin_failures").fetchone()[0] == 0


def test_a_disabled_account_is_refused_and_loses_its_session(fresh_db, world):
    target = world["reporter"]
    assert auth.actor_for(fresh_db, target.user_id) is not None
    accounts.set_active(fresh_db, world["admin"], target.user_id, False)
    assert auth.actor_for(fresh_db, target.user_id) is None  # the next interaction signs out
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, "reporter@test.invalid", PASSWORD, at=T0)
    assert "uitgeschakeld" in refused.value.message


@pytest.mark.parametrize(
    ("since_login", "idle", "expected"),
    [(timedelta(minutes=5), timedelta(minutes=29, seconds=59), None),
     (timedelta(minutes=40), timedelta(minutes=30), "idle"),
     (timedelta(hours=11, minutes=59), timedelta(minutes=1), None),
     (timedelta(hours=12), timedelta(0), "absolute")],
    ids=["active", "idle-30-min", "just-under-12-h", "absolute-12-h"],
)  # fmt: skip
def test_session_limits(since_login, idle, expected):
    at = T0 + timedelta(hours=13)
    assert auth.session_expiry(SessionPolicy(), at - since_login, at - idle, at) == expected


@pytest.mark.parametrize(
    ("email", "verified", "ok"),
    [("management@test.invalid", True, True), ("management@test.invalid", False, False),
     ("stranger@test.invalid", True, False)],
    ids=["verified-known", "unverified", "unknown"],
)  # fmt: skip
def test_oidc_maps_a_verified_email_to_the_local_role(fresh_db, world, email, verified, ok):
    if ok:
        assert auth.sign_in_oidc(fresh_db, email, verified).role is Role.MANAGEMENT
        assert _actions(fresh_db) == ["signin"]
    else:
        with pytest.raises(auth.SigninRefused):
            auth.sign_in_oidc(fresh_db, email, verified)
        assert _actions(fresh_db) == ["signin_failed"]
