"""The session as app.py sees it: the cookie's token resolved on every run, the menu of the
role, the idle and absolute limits, an account disabled or changed mid-session.

The password form itself is a route of the server (``web/signin.py``): tested over HTTP in
``tests/test_web_signin.py`` and in Chromium in ``tests/e2e/test_sessions.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock, store
from datalek.accounts import auth, sessions
from datalek.accounts.users import set_active
from datalek.models import Actor, Role
from datalek.store import sessions as session_sql
from tests.pages.conftest import (
    BROWSER_COOKIES,
    app,
    open_db,
    rows,
    seed_session,
    signed_in,
    state_get,
    switch_to,
    titles,
)

SIGNIN = "Aanmelden bij Datalek"
IDLE = auth.EXPIRY_MESSAGES["idle"]
ABSOLUTE = auth.EXPIRY_MESSAGES["absolute"]
DISABLED = auth.EXPIRY_MESSAGES["disabled"]
ENDED = auth.EXPIRY_MESSAGES["ended"]
FIRST_PAGE = {role: pages[0].title for role, pages in navigation.PAGES_BY_ROLE.items()}


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def audit_actions(db_path, user_id: int) -> list[str]:
    return [
        r["action"]
        for r in rows(
            db_path,
            "select action from audit_log where object_type = 'user' and object_id = ? order by seq",
            [str(user_id)],
        )
    ]


def set_last_seen(token: str, ago: timedelta) -> None:
    with store.unit() as db, store.write(db):
        row = session_sql.by_token_hash(db, sessions.token_hash(token))
        session_sql.touch(db, row["id"], clock.to_iso(clock.now() - ago))


def assert_signed_out(at, message: str | None = None):
    assert not at.exception
    assert titles(at) == [SIGNIN]
    assert state_get(at, "user_id") is None
    assert state_get(at, "_actor") is None
    assert not any("/auth/signout" in h.proto.body for h in at.sidebar.get("html"))
    # the way to the sign-in form is a plain link in this tab
    assert any('href="/auth/signin"' in h.proto.body for h in at.main.get("html"))
    if message:
        assert infos(at) == [message]


def test_signed_out_visitor_sees_only_the_signin_page(world):
    at = app().run()
    assert_signed_out(at)
    assert infos(at) == []
    for spec in navigation.ALL_PAGES:
        with pytest.raises(ValueError):
            switch_to(at, spec)


@pytest.mark.parametrize("key", ["reporter", "dpo", "management", "admin"])
def test_a_session_opens_the_menu_for_the_role(world, key):
    actor = world[key]
    at = signed_in(actor)
    assert errors_free(at)
    assert at.session_state["user_id"] == actor.user_id
    assert at.session_state["_actor"]["role"] == actor.role.value
    # the first page of the role's menu opens, and the sidebar says who is signed in
    assert titles(at) == [FIRST_PAGE[actor.role]]
    assert [c.value for c in at.sidebar.caption] == [f"Aangemeld als {actor.role.label}"]
    [sign_out] = at.sidebar.get("html")
    assert '<form method="post" action="/auth/signout">' in sign_out.proto.body
    # the menu is exactly the role's pages
    for spec in navigation.ALL_PAGES:
        if spec in navigation.PAGES_BY_ROLE[actor.role]:
            switch_to(at, spec)
        else:
            with pytest.raises(ValueError):
                switch_to(at, spec)
    with pytest.raises(ValueError):
        switch_to(at, navigation.SIGNIN)


def errors_free(at) -> bool:
    return not at.exception and [e.value for e in at.error] == []


def test_a_reload_is_a_new_streamlit_session_and_stays_signed_in(world):
    """F5 starts a new Streamlit session with an empty state; the cookie still holds."""
    actor = world["dpo"]
    signed_in(actor, navigation.REGISTER)
    reloaded = app().run()  # the same browser (the same cookie), a fresh session state
    assert errors_free(reloaded)
    assert titles(reloaded) == [FIRST_PAGE[actor.role]]
    assert reloaded.session_state["user_id"] == actor.user_id


def test_another_account_in_the_same_browser_starts_from_nothing(world):
    at = signed_in(world["reporter"], navigation.REPORT)
    at.text_area(key="r_description").input("iets van een vorige gebruiker").run()
    seed_session(at, world["reporter2"])  # someone else signs in in this browser
    at.run()
    assert at.session_state["user_id"] == world["reporter2"].user_id
    assert state_get(at, "r_description") in (None, "")


def test_a_session_ended_elsewhere_signs_out_on_the_next_run(world, db_path):
    actor = world["dpo"]
    at = signed_in(actor, navigation.REPORT)
    assert titles(at) == ["Datalek melden"]
    with store.unit() as db:
        sessions.close(db, BROWSER_COOKIES[sessions.COOKIE])  # signed out in another tab
    at.run()
    assert_signed_out(at, ENDED)
    assert audit_actions(db_path, actor.user_id)[-1] == "signout"
    with pytest.raises(ValueError):
        switch_to(at, navigation.QUEUE)


def test_idle_timeout_signs_out_with_the_idle_message(world, db_path):
    actor = world["reporter"]
    at = app()
    seed_session(at, actor, login_ago=timedelta(minutes=40), idle=timedelta(minutes=31))
    at.run()
    assert_signed_out(at, IDLE)
    assert audit_actions(db_path, actor.user_id)[-1] == "session_end"


def test_idle_timeout_applies_on_the_page_the_user_was_on(world):
    actor = world["reporter"]
    at = signed_in(actor, navigation.REPORT)
    at.text_area(key="r_description").input("half ingevuld")
    set_last_seen(BROWSER_COOKIES[sessions.COOKIE], timedelta(minutes=31))
    at.run()
    assert_signed_out(at, IDLE)
    # nothing of the half-filled report is left in the session
    assert state_get(at, "r_description") is None


def test_activity_within_the_idle_limit_keeps_the_session(world):
    actor = world["reporter"]
    at = app()
    token = seed_session(at, actor, login_ago=timedelta(hours=2), idle=timedelta(minutes=29))
    at.run()
    assert errors_free(at)
    assert titles(at) == ["Datalek melden"]
    with store.unit() as db:  # last seen moved to now
        row = session_sql.by_token_hash(db, sessions.token_hash(token))
    assert clock.from_iso(row["last_seen_at"]) > clock.now() - timedelta(minutes=1)


def test_absolute_lifetime_signs_out_even_when_active(world, db_path):
    actor = world["reporter"]
    at = app()
    seed_session(at, actor, login_ago=timedelta(hours=11), idle=timedelta(seconds=10))
    at.run()
    assert_signed_out(at, ABSOLUTE)
    assert audit_actions(db_path, actor.user_id)[-1] == "session_end"


def test_disabling_the_account_signs_the_user_out_on_the_next_run(world, db_path):
    actor = world["reporter"]
    at = signed_in(actor, navigation.MY_REPORTS)
    assert titles(at) == ["Mijn meldingen"]
    db = open_db(db_path)
    try:
        set_active(db, world["admin"], actor.user_id, False)
    finally:
        db.close()
    at.run()
    assert_signed_out(at)
    assert infos(at) in ([DISABLED], [ENDED])  # ended by the disabling itself, or found disabled
    assert rows(db_path, "select * from sessions where user_id = ?", [actor.user_id]) == []


def test_role_change_in_the_database_changes_the_menu_on_the_next_run(world, db_path):
    """The role comes from the database on every run, not from the session."""
    actor = world["reporter"]
    at = signed_in(actor, navigation.REPORT)
    db = open_db(db_path)
    try:
        db.execute("update users set role = ? where id = ?", [Role.MANAGEMENT.value, actor.user_id])
        db.conn.commit()
    finally:
        db.close()
    at.run()
    assert not at.exception
    assert at.session_state["_actor"]["role"] == Role.MANAGEMENT.value
    assert titles(at) == ["Overzicht"]
    with pytest.raises(ValueError):
        switch_to(at, navigation.REPORT)


def test_a_forged_actor_in_the_session_is_replaced_by_the_database_one(world):
    """Only the cookie's session identifies the user; ``_actor`` is rebuilt from the database."""
    reporter = world["reporter"]
    at = app()
    seed_session(at, reporter)
    at.session_state["_actor"] = Actor(
        user_id=reporter.user_id, role=Role.ADMIN, org_ids=reporter.org_ids
    ).model_dump(mode="json")
    at.session_state["user_id"] = world["admin"].user_id
    at.run()
    assert at.session_state["_actor"]["role"] == Role.REPORTER.value
    assert at.session_state["user_id"] == reporter.user_id
    assert titles(at) == ["Datalek melden"]
    with pytest.raises(ValueError):
        switch_to(at, navigation.USERS)
