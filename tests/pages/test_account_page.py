"""Mijn account: the places one is signed in, ending one of them, and a new password that ends
every other session but this one."""

from __future__ import annotations

import navigation
from datalek import store
from datalek.accounts import sessions
from tests.pages.conftest import BROWSER_COOKIES, button, errors, rows, signed_in, successes
from ui.forms import md_escape

PAGE = navigation.ACCOUNT


def open_elsewhere(actor, user_agent: str = "Firefox op de laptop thuis") -> str:
    with store.unit() as db:
        return sessions.open_session(
            db, actor.user_id, method="password", client="192.0.2.7", user_agent=user_agent
        )


def alive(token: str) -> bool:
    with store.unit() as db:
        return sessions.resolve(db, token).actor is not None


def test_the_page_lists_every_session_and_ends_another_one(world):
    dpo = world["dpo"]
    elsewhere = open_elsewhere(dpo)
    at = signed_in(dpo, PAGE)
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("Firefox op de laptop thuis" in t and md_escape("192.0.2.7") in t for t in texts)
    assert any("(deze browser)" in t for t in texts)
    [end] = [b for b in at.button if b.key.startswith("a_end_")]  # not for this browser itself
    end.click().run()
    assert successes(at) == ["Die sessie is beëindigd."]
    assert not alive(elsewhere)
    assert alive(BROWSER_COOKIES[sessions.COOKIE])
    assert [b for b in at.button if b.key.startswith("a_end_")] == []


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(world):
    dpo = world["dpo"]
    elsewhere = open_elsewhere(dpo)
    at = signed_in(dpo, PAGE)
    passwords = [t for t in at.text_input if "wachtwoord" in t.label]
    passwords[0].input("een heel nieuw wachtwoord")
    passwords[1].input("een heel nieuw wachtwoord")
    button(at, "Wachtwoord wijzigen").click().run()
    assert not at.exception
    assert successes(at) == ["Je wachtwoord is gewijzigd. Je bent overal anders afgemeld."]
    assert not alive(elsewhere)
    assert alive(BROWSER_COOKIES[sessions.COOKIE])
    assert at.title[0].value == "Mijn account"


def _contact_inputs(at):
    return {t.label: t for t in at.text_input if t.label in ("Functie", "Telefoonnummer")}


def test_the_fg_sets_her_job_title_and_phone_for_the_ap_notification(world, db_path):
    at = signed_in(world["dpo"], PAGE)
    fields = _contact_inputs(at)
    fields["Functie"].input("Privacy officer")
    fields["Telefoonnummer"].input("bel mij")  # not a phone number: refused, and kept
    button(at, "Gegevens opslaan").click().run()
    assert not at.exception
    assert "Vul een telefoonnummer in, met alleen cijfers, spaties, haakjes, - of + ervoor." in errors(at)
    assert _contact_inputs(at)["Functie"].value == "Privacy officer"
    _contact_inputs(at)["Telefoonnummer"].input("030 123 45 67")
    button(at, "Gegevens opslaan").click().run()
    assert "Je functie en telefoonnummer zijn opgeslagen." in successes(at)
    assert rows(db_path, "SELECT job_title, phone FROM users WHERE email = 'dpo@test.invalid'") == [
        {"job_title": "Privacy officer", "phone": "030 123 45 67"}
    ]
    assert _contact_inputs(at)["Functie"].value == "Privacy officer"  # the new form shows what is saved


def test_only_the_fg_is_asked_for_it(world):
    at = signed_in(world["reporter"], PAGE)
    assert _contact_inputs(at) == {}
