"""Sign-in, sign-out and the server-side session limits, through app.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.accounts import auth
from datalek.accounts.users import set_active
from datalek.models import Actor, Role
from tests.conftest import PASSWORD
from tests.pages.conftest import (
    app,
    button,
    errors,
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
FIRST_PAGE = {role: pages[0].title for role, pages in navigation.PAGES_BY_ROLE.items()}


def _iso_ago(delta: timedelta) -> str:
    return clock.to_iso(clock.now() - delta)


def sign_in_via_form(at, email: str, password: str):
    at.text_input(key="signin_email").input(email)
    at.text_input(key="signin_password").input(password)
    return button(at, "Aanmelden").click().run()


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


def assert_signed_out(at, message: str | None = None):
    assert not at.exception
    assert titles(at) == [SIGNIN]
    assert state_get(at, "user_id") is None
    assert state_get(at, "_actor") is None
    assert "signout" not in [b.key for b in at.button]
    if message:
        assert infos(at) == [message]


def test_signed_out_visitor_sees_only_the_signin_page(world):
    at = app().run()
    assert_signed_out(at)
    assert infos(at) == []
    for spec in navigation.ALL_PAGES:
        with pytest.raises(ValueError):
            switch_to(at, spec)


def test_wrong_password_shows_dutch_error_and_no_session(world, db_path):
    at = app().run()
    sign_in_via_form(at, "reporter@test.invalid", "helemaal verkeerd wachtwoord")
    assert errors(at) == ["E-mailadres of wachtwoord klopt niet."]
    assert_signed_out(at)
    assert audit_actions(db_path, world["reporter"].user_id)[-1] == "signin_failed"


def test_unknown_address_gets_the_same_message(world):
    at = app().run()
    sign_in_via_form(at, "niemand@test.invalid", PASSWORD)
    assert errors(at) == ["E-mailadres of wachtwoord klopt niet."]
    assert_signed_out(at)


def test_repeated_failures_are_throttled_even_with_the_right_password(world):
    at = app().run()
    for _ in range(auth.FREE_ATTEMPTS - 1):
        sign_in_via_form(at, "reporter@test.invalid", "fout fout fout fout")
        assert errors(at) == ["E-mailadres of wachtwoord klopt niet."]
    sign_in_via_form(at, "reporter@test.invalid", "fout fout fout fout")
    assert errors(at) == ["Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw."]
    # a new tab (new session) does not reset the counter: it lives in the database
    fresh = app().run()
    sign_in_via_form(fresh, "reporter@test.invalid", PASSWORD)
    assert errors(fresh) == ["Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw."]
    assert_signed_out(fresh)


@pytest.mark.parametrize("key", ["reporter", "dpo", "management", "admin"])
def test_right_password_signs_in_with_the_menu_for_the_role(world, key):
    actor = world[key]
    at = app().run()
    sign_in_via_form(at, f"{key.upper()}@test.invalid  ", PASSWORD)  # case and spaces ignored
    assert not at.exception
    assert errors(at) == []
    assert at.session_state["user_id"] == actor.user_id
    assert at.session_state["_actor"]["role"] == actor.role.value
    # the first page of the role's menu opens, and the sidebar says who is signed in
    assert titles(at) == [FIRST_PAGE[actor.role]]
    assert [c.value for c in at.sidebar.caption] == [f"Aangemeld als {actor.role.label}"]
    assert [b.key for b in at.sidebar.button] == ["signout"]
    # the menu is exactly the role's pages
    for spec in navigation.ALL_PAGES:
        if spec in navigation.PAGES_BY_ROLE[actor.role]:
            switch_to(at, spec)
        else:
            with pytest.raises(ValueError):
                switch_to(at, spec)
    # the sign-in form is gone once signed in
    with pytest.raises(ValueError):
        switch_to(at, navigation.SIGNIN)


def test_signin_starts_a_fresh_session(world):
    at = app()
    at.session_state["r_description"] = "iets van een vorige gebruiker"
    at.run()
    sign_in_via_form(at, "reporter@test.invalid", PASSWORD)
    assert state_get(at, "r_description") in (None, "")
    assert state_get(at, "signin_password") is None


def test_signout_button_ends_the_session(world, db_path):
    actor = world["dpo"]
    at = signed_in(actor, navigation.REPORT)
    assert titles(at) == ["Datalek melden"]
    at.button(key="signout").click().run()
    assert_signed_out(at, "Je bent afgemeld.")
    assert audit_actions(db_path, actor.user_id)[-1] == "signout"
    # the pages of the role are gone; the next run still shows the sign-in page
    with pytest.raises(ValueError):
        switch_to(at, navigation.QUEUE)
    at.run()
    assert_signed_out(at)


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
    at.session_state["last_seen"] = _iso_ago(timedelta(minutes=31))
    at.run()
    assert_signed_out(at, IDLE)
    # nothing of the half-filled report is left in the session
    assert state_get(at, "r_description") is None


def test_activity_within_the_idle_limit_keeps_the_session(world):
    actor = world["reporter"]
    at = app()
    seed_session(at, actor, login_ago=timedelta(hours=2), idle=timedelta(minutes=29))
    at.run()
    assert not at.exception
    assert titles(at) == ["Datalek melden"]
    # last_seen moved to now
    assert at.session_state["last_seen"] > _iso_ago(timedelta(minutes=1))


def test_absolute_lifetime_signs_out_even_when_active(world, db_path):
    actor = world["reporter"]
    at = app()
    seed_session(at, actor, login_ago=timedelta(hours=13), idle=timedelta(seconds=10))
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
    assert_signed_out(at, DISABLED)
    assert audit_actions(db_path, actor.user_id)[-1] == "session_end"
    # and cannot sign in again
    sign_in_via_form(at, "reporter@test.invalid", PASSWORD)
    assert errors(at) == ["Dit account is uitgeschakeld. Neem contact op met de beheerder."]
    assert_signed_out(at)


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
    """Only ``user_id`` identifies the user; ``_actor`` is rebuilt from the database."""
    reporter = world["reporter"]
    at = app()
    seed_session(at, reporter)
    at.session_state["_actor"] = Actor(
        user_id=reporter.user_id, role=Role.ADMIN, org_ids=reporter.org_ids
    ).model_dump(mode="json")
    at.run()
    assert at.session_state["_actor"]["role"] == Role.REPORTER.value
    assert titles(at) == ["Datalek melden"]
    with pytest.raises(ValueError):
        switch_to(at, navigation.USERS)
