"""First visit: the setup page on an empty database, its validation, and that it disappears."""

from __future__ import annotations

import pytest

import navigation
from datalek import store
from datalek.accounts import auth
from datalek.accounts.setup import NOT_THE_SAME, needs_setup, setup_first
from datalek.models import InvalidInput
from tests.conftest import PASSWORD
from tests.pages.conftest import (
    app,
    button,
    count_rows,
    error_after,
    errors,
    rows,
    seed_session,
    state_get,
    switch_to,
    titles,
)

VALID = {
    "org_name": "Gemeente Voorbeeld",
    "dpo_name": "Fien de FG",
    "dpo_email": "fg@voorbeeld.invalid",
    "dpo_phone": "010-1234567",
    "name": "Bea Beheer",
    "email": "Bea@Voorbeeld.invalid",
    "password": PASSWORD,
    "again": PASSWORD,
}


def fill(at, **values):
    for key, value in values.items():
        at.text_input(key=key).input(value)
    return at


def test_empty_database_shows_the_setup_page(db_path):
    at = app().run()
    assert not at.exception
    assert titles(at) == ["Datalek inrichten"]
    assert [t.key for t in at.text_input] == list(VALID)
    assert [b.label for b in at.button] == ["Inrichten"]
    assert "signout" not in [b.key for b in at.button]
    with pytest.raises(ValueError):
        switch_to(at, navigation.SIGNIN)
    with pytest.raises(ValueError):
        switch_to(at, navigation.REPORT)


def test_empty_submit_shows_a_dutch_message_next_to_each_field(db_path):
    at = app().run()
    button(at, "Inrichten").click().run()
    assert not at.exception
    assert titles(at) == ["Datalek inrichten"]
    assert error_after(at, "org_name") == "Vul de naam van de organisatie in."
    assert error_after(at, "name") == "Vul een naam in."
    assert error_after(at, "email") == "Dit is geen geldig e-mailadres."
    assert error_after(at, "password") == "Kies een wachtwoord van minstens 12 tekens."
    assert error_after(at, "again") is None  # two empty fields are the same
    # optional fields carry no message
    assert error_after(at, "dpo_name") is None
    assert error_after(at, "dpo_phone") is None
    assert any("je antwoorden zijn bewaard" in w.value for w in at.warning)
    assert count_rows(db_path, "users") == 0
    assert count_rows(db_path, "organisations") == 0


def test_bad_input_keeps_every_typed_value(db_path):
    at = app().run()
    typed = {**VALID, "dpo_email": "geen-adres", "email": "bea@", "password": "te kort"}
    fill(at, **typed)
    button(at, "Inrichten").click().run()
    assert not at.exception
    assert error_after(at, "dpo_email") == "Dit is geen geldig e-mailadres."
    assert error_after(at, "email") == "Dit is geen geldig e-mailadres."
    assert error_after(at, "password") == "Kies een wachtwoord van minstens 12 tekens."
    assert error_after(at, "org_name") is None
    assert error_after(at, "name") is None
    assert {t.key: t.value for t in at.text_input} == typed
    assert count_rows(db_path, "users") == 0

    # correcting the fields and submitting again works, without retyping the rest
    fill(at, dpo_email=VALID["dpo_email"], email=VALID["email"], password=VALID["password"])
    button(at, "Inrichten").click().run()
    assert not at.exception
    assert titles(at) == ["Aanmelden bij Datalek"]


def test_valid_setup_creates_org_and_admin_then_shows_signin(db_path):
    at = app().run()
    fill(at, **VALID)
    button(at, "Inrichten").click().run()
    assert not at.exception
    assert titles(at) == ["Aanmelden bij Datalek"]
    assert [i.value for i in at.info] == ["Datalek is ingericht. Meld je aan met je nieuwe account."]
    assert errors(at) == []
    # nothing typed survives the setup (the password least of all)
    assert state_get(at, "password") is None
    assert state_get(at, "again") is None
    assert state_get(at, "user_id") is None

    orgs = rows(db_path, "select * from organisations")
    assert [(o["name"], o["dpo_name"], o["dpo_email"], o["dpo_phone"]) for o in orgs] == [
        ("Gemeente Voorbeeld", "Fien de FG", "fg@voorbeeld.invalid", "010-1234567")
    ]
    users = rows(db_path, "select * from users")
    assert [(u["name"], u["email"], u["role"]) for u in users] == [
        ("Bea Beheer", "bea@voorbeeld.invalid", "admin")
    ]
    assert PASSWORD not in users[0]["password_hash"]

    # the new beheerder's password works, and a session gets the admin menu
    with store.unit() as db:
        admin = auth.sign_in(db, VALID["email"], PASSWORD, client="127.0.0.1")
    assert admin.user_id == users[0]["id"]
    seed_session(at, admin)
    at.run()
    assert not at.exception
    assert titles(at) == ["Accounts"]
    assert at.session_state["user_id"] == users[0]["id"]


def test_setup_page_is_gone_after_setup(db_path):
    at = app().run()
    fill(at, **VALID).button[0].click().run()
    assert titles(at) == ["Aanmelden bij Datalek"]
    with pytest.raises(ValueError):
        switch_to(at, navigation.SETUP)

    # a new visitor (new session) gets the sign-in page, not the setup page
    fresh = app().run()
    assert titles(fresh) == ["Aanmelden bij Datalek"]
    with pytest.raises(ValueError):
        switch_to(fresh, navigation.SETUP)


def test_setup_cannot_be_replayed_from_a_second_open_tab(db_path):
    first, second = app().run(), app().run()
    assert titles(second) == ["Datalek inrichten"]
    fill(first, **VALID).button[0].click().run()
    assert titles(first) == ["Aanmelden bij Datalek"]

    fill(second, **{**VALID, "org_name": "Kaper BV", "email": "kaper@example.invalid"})
    second.button[0].click().run()
    assert not second.exception
    assert titles(second) == ["Aanmelden bij Datalek"]
    assert [o["name"] for o in rows(db_path, "select name from organisations")] == ["Gemeente Voorbeeld"]
    assert [u["email"] for u in rows(db_path, "select email from users")] == ["bea@voorbeeld.invalid"]


# --- the first beheerder's password, typed twice ----------------------------------------------


def test_the_password_is_asked_twice_and_a_difference_is_said_next_to_the_second(db_path):
    at = app().run()
    typed = {**VALID, "again": PASSWORD + "!"}
    fill(at, **typed)
    button(at, "Inrichten").click().run()
    assert not at.exception
    assert titles(at) == ["Datalek inrichten"]
    assert error_after(at, "again") == NOT_THE_SAME
    assert error_after(at, "password") is None
    assert {t.key: t.value for t in at.text_input} == typed  # nothing typed is lost
    assert (count_rows(db_path, "users"), count_rows(db_path, "organisations")) == (0, 0)

    fill(at, again=PASSWORD)
    button(at, "Inrichten").click().run()
    assert titles(at) == ["Aanmelden bij Datalek"]
    with store.unit() as db:
        assert auth.sign_in(db, VALID["email"], PASSWORD, client="127.0.0.1").role.value == "admin"


CORE = {k: v for k, v in VALID.items() if k != "again"}


@pytest.mark.parametrize(
    ("again", "refused"),
    [(PASSWORD, None), (PASSWORD + " ", "again"), ("", "again"), (None, None)],
    ids=["same", "one-character-more", "empty", "not-asked"],
)
def test_the_core_refuses_a_second_password_that_differs(fresh_db, again, refused):
    """The rule lives in the core: a page that forgot the check still cannot set up an account
    with a password its beheerder did not type twice the same."""
    if refused is None:
        setup_first(fresh_db, **CORE, again=again)
        assert not needs_setup(fresh_db)
        return
    with pytest.raises(InvalidInput) as caught:
        setup_first(fresh_db, **CORE, again=again)
    assert caught.value.errors == {"again": NOT_THE_SAME}
    assert needs_setup(fresh_db)
