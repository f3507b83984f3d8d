"""Server-side sessions (``datalek.accounts.sessions``): the token is never stored, limits hold,
and ending sessions reaches every tab and device."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts import sessions
from datalek.config import SessionPolicy
from tests.conftest import NOW

POLICY = SessionPolicy(idle_minutes=30, absolute_hours=10)


def open_for(db, actor, at=NOW, policy=POLICY) -> str:
    return sessions.open_session(
        db, actor.user_id, method="password", client="10.0.0.1", user_agent="t", policy=policy, at=at
    )


def session_count(db, user_id: int) -> int:
    return db.execute("SELECT count(*) FROM sessions WHERE user_id = ?", [user_id]).fetchone()[0]


def test_only_a_hash_of_the_token_is_stored(fresh_db, world):
    token = open_for(fresh_db, world["dpo"])
    dump = "\n".join(fresh_db.conn.iterdump())
    assert token not in dump and sessions.token_hash(token) in dump
    assert len(token) >= 40  # 32 random bytes


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (timedelta(minutes=29, seconds=59), None),
        (timedelta(minutes=30), "idle"),
    ],
)
def test_the_idle_limit(fresh_db, world, after, reason):
    token = open_for(fresh_db, world["dpo"])
    resolved = sessions.resolve(fresh_db, token, at=NOW + after)
    assert resolved.reason == reason
    assert (resolved.actor is None) == (reason is not None)


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (timedelta(hours=9, minutes=59), None),
        (timedelta(hours=10), "absolute"),
    ],
)
def test_the_absolute_limit_holds_for_an_active_user(fresh_db, world, after, reason):
    token = open_for(fresh_db, world["dpo"])
    moment = NOW
    while moment + timedelta(minutes=20) < NOW + after:  # a click every 20 minutes
        moment += timedelta(minutes=20)
        assert sessions.resolve(fresh_db, token, at=moment).actor is not None
    resolved = sessions.resolve(fresh_db, token, at=NOW + after)
    assert resolved.reason == reason
    if reason:  # gone for good
        assert sessions.resolve(fresh_db, token, at=NOW + after).reason == "ended"


def test_the_limits_of_a_session_are_the_ones_it_started_with(fresh_db, world):
    token = open_for(fresh_db, world["dpo"], policy=SessionPolicy(idle_minutes=5, absolute_hours=1))
    assert sessions.resolve(fresh_db, token, at=NOW + timedelta(minutes=6)).reason == "idle"


def test_last_seen_is_written_at_most_every_15_seconds(fresh_db, world):
    token = open_for(fresh_db, world["dpo"])
    seen = lambda: fresh_db.execute("SELECT last_seen_at FROM sessions").fetchone()[0]  # noqa: E731
    sessions.resolve(fresh_db, token, at=NOW + timedelta(seconds=10))
    assert seen() == clock.to_iso(NOW)
    sessions.resolve(fresh_db, token, at=NOW + timedelta(seconds=20))
    assert seen() == clock.to_iso(NOW + timedelta(seconds=20))


def test_a_disabled_account_has_no_session(fresh_db, world):
    token = open_for(fresh_db, world["reporter"])
    with store.write(fresh_db):
        fresh_db.execute("UPDATE users SET active = 0 WHERE id = ?", [world["reporter"].user_id])
    assert sessions.resolve(fresh_db, token, at=NOW).reason == "disabled"
    assert session_count(fresh_db, world["reporter"].user_id) == 0


@pytest.mark.parametrize("token", [None, "", "geraden-token"])
def test_no_or_an_unknown_token_is_nobody(fresh_db, world, token):
    assert sessions.resolve(fresh_db, token, at=NOW).actor is None


def test_end_all_ends_every_session_but_the_one_kept(fresh_db, world):
    dpo = world["dpo"]
    tokens = [open_for(fresh_db, dpo) for _ in range(3)]
    other = open_for(fresh_db, world["reporter"])
    keep = sessions.resolve(fresh_db, tokens[0], at=NOW).session_id
    with store.write(fresh_db):
        assert sessions.end_all(fresh_db, dpo.user_id, "password_changed", keep_session_id=keep) == 2
    assert [sessions.resolve(fresh_db, t, at=NOW).actor is not None for t in tokens] == [True, False, False]
    assert sessions.resolve(fresh_db, other, at=NOW).actor is not None


def test_the_owner_lists_and_ends_only_their_own_sessions(fresh_db, world):
    dpo, reporter = world["dpo"], world["reporter"]
    mine = [open_for(fresh_db, dpo), open_for(fresh_db, dpo)]
    theirs = open_for(fresh_db, reporter)
    listed = sessions.active(fresh_db, dpo)
    assert len(listed) == 2 and {s.client for s in listed} == {"10.0.0.1"}
    their_id = sessions.resolve(fresh_db, theirs, at=NOW).session_id
    assert sessions.end_own(fresh_db, dpo, their_id) is False
    assert sessions.resolve(fresh_db, theirs, at=NOW).actor is not None
    assert sessions.end_own(fresh_db, dpo, listed[1].id) is True
    assert len(sessions.active(fresh_db, dpo)) == 1
    assert sum(sessions.resolve(fresh_db, t, at=NOW).actor is not None for t in mine) == 1


def test_an_activation_code_works_once_and_for_a_minute():
    code = sessions.activation_code("het-token", at=NOW)
    assert sessions.redeem_activation(code, at=NOW + timedelta(seconds=59)) == "het-token"
    assert sessions.redeem_activation(code, at=NOW + timedelta(seconds=59)) is None
    late = sessions.activation_code("het-token", at=NOW)
    assert sessions.redeem_activation(late, at=NOW + timedelta(seconds=60)) is None
    assert sessions.redeem_activation("", at=NOW) is None
