"""The beheerder's screens after the separation of duties: Accounts (no FG account, no FG
password), Organisaties (the FG's address and the invitation), Audittrail (in Dutch); the FG's
own FG-team page; and the page a one-time link opens, signed out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

import navigation
from datalek import clock, store
from datalek.accounts import invitations, redeem
from datalek.models import Actor
from tests.pages.conftest import (
    app,
    button,
    error_after,
    errors,
    once_key,
    rows,
    signed_in,
    successes,
    switch_to,
    table_with,
    titles,
)
from tests.test_notice import Inbox, free_port

NEW_PASSWORD = "mijn eigen geheime zin"
CODE = re.compile(r"wachtwoord-instellen\?code=([A-Za-z0-9_\-]+)")


@pytest.fixture(autouse=True)
def _no_mail_server(monkeypatch):
    monkeypatch.delenv("DATALEK_SMTP_HOST", raising=False)


@pytest.fixture
def mail_server(monkeypatch) -> Iterator[Inbox]:
    """A mail server for the app, through the environment as in production."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("DATALEK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DATALEK_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("DATALEK_BASE_URL", "https://datalek.test.invalid")
    try:
        yield inbox
    finally:
        controller.stop()


def printed_code(world, at=None) -> str:
    """An FG invitation made by the operator on the server (``at``: when); returns its code."""
    with store.unit() as db:
        printed = invitations.print_dpo_invitation(db, Actor.cli(), world.org.id, "https://x.invalid", at=at)
    return CODE.search(printed.link).group(1)


def choose_account(at, email: str):
    options = at.selectbox(key="u_target")
    return options.select_index(next(i for i, v in enumerate(options.options) if f"({email})" in v)).run()


# --- Accounts ----------------------------------------------------------------------------------


def test_the_beheerder_cannot_choose_the_fg_role_for_a_new_account(world):
    at = signed_in(world["admin"], navigation.USERS)
    assert titles(at) == ["Accounts"]
    assert at.selectbox(key=once_key(at, "u_new_", "role")).options == [
        "Medewerker / melder",
        "Directie / bestuur",
        "Beheerder",
    ]
    assert any("Nodig de FG uit op de pagina Organisaties" in c.value for c in at.caption)


def test_an_fg_account_shows_no_password_form_only_a_link(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    choose_account(at, "dpo@test.invalid")
    assert not at.exception
    assert "u_new_password" not in [t.key for t in at.text_input]
    assert any("kiest zelf een nieuw wachtwoord" in i.value for i in at.info)
    assert [b.label for b in at.button if b.key in ("u_toggle", "u_link")] == [
        "Uitschakelen",
        "Stuur een link voor een nieuw wachtwoord",
    ]
    # without a mail server the link cannot go out: said next to the button
    button(at, "Stuur een link voor een nieuw wachtwoord").click().run()
    assert error_after(at, "u_link") == invitations.NO_MAIL
    assert rows(db_path, "select count(*) as n from invitations")[0]["n"] == 0


def test_a_password_link_for_the_fg_goes_to_her_own_address(world, mail_server):
    at = signed_in(world["admin"], navigation.USERS)
    choose_account(at, "dpo@test.invalid")
    button(at, "Stuur een link voor een nieuw wachtwoord").click().run()
    assert not at.exception
    assert successes(at) == [
        "Er is een link voor een nieuw wachtwoord gestuurd naar dpo\\@test\\.invalid. De link is 72 uur geldig."
    ]
    [message] = mail_server.messages
    assert message.rcpt_tos == ["dpo@test.invalid"]
    # the code is nowhere on the beheerder's screen
    code = CODE.search(message.body).group(1)
    assert code not in str(at.main)
    keys = list(at.session_state)
    assert "u_target" in keys
    assert not any(code in str(at.session_state[key]) for key in keys)


def test_a_reporter_still_gets_a_password_from_the_beheerder(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    choose_account(at, "reporter2@test.invalid")
    at.text_input(key="u_new_password").input("kort")
    button(at, "Wachtwoord instellen").click().run()
    assert error_after(at, "u_new_password") == "Kies een wachtwoord van minstens 12 tekens."
    assert at.text_input(key="u_new_password").value == "kort"  # what was typed stays
    at.text_input(key="u_new_password").input("een heel nieuw wachtwoord")
    button(at, "Wachtwoord instellen").click().run()
    assert successes(at) == ["Wachtwoord ingesteld. De persoon is overal afgemeld."]


def test_the_beheerder_changes_a_role_but_not_to_fg(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    choose_account(at, "reporter2@test.invalid")
    assert "Functionaris gegevensbescherming (FG)" not in at.selectbox(key="u_new_role").options
    at.selectbox(key="u_new_role").select("Directie / bestuur")
    button(at, "Rol wijzigen").click().run()
    assert successes(at) == ["Rol gewijzigd in Directie / bestuur. De persoon is overal afgemeld."]
    [row] = rows(db_path, "select role from users where email = 'reporter2@test.invalid'")
    assert row["role"] == "management"


def test_disabling_the_fg_says_the_fgs_are_told(world, db_path):
    at = signed_in(world["admin"], navigation.USERS)
    choose_account(at, "dpo@test.invalid")
    button(at, "Uitschakelen").click().run()
    assert successes(at) == [
        "Account uitgeschakeld en overal afgemeld. De FG's van de organisatie krijgen hierover een e-mail."
    ]


# --- Organisaties -------------------------------------------------------------------------------


def test_inviting_the_fg_without_a_mail_server_says_what_to_do(world, db_path):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    button(at, "Nodig de FG uit").click().run()
    assert not at.exception
    assert invitations.NO_MAIL in errors(at)
    assert rows(db_path, "select count(*) as n from invitations")[0]["n"] == 0


def test_the_beheerder_invites_the_fg_by_mail(world, mail_server):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    at.selectbox(key="o_dpo_org").select("Gemeente Test").run()
    button(at, "Nodig de FG uit").click().run()
    assert successes(at) == [
        "De uitnodiging is verstuurd naar het FG-adres van Gemeente Test. De link is 72 uur geldig."
    ]
    assert mail_server.messages[0].rcpt_tos == ["fg@test.invalid"]


def test_a_wrong_fg_address_is_said_next_to_the_field_and_kept(world, db_path):
    at = signed_in(world["admin"], navigation.ORGANISATIONS)
    at.selectbox(key="o_dpo_org").select("Gemeente Test").run()
    assert at.text_input(key="o_new_dpo_email").value == "fg@test.invalid"
    at.text_input(key="o_new_dpo_email").input("geen-adres")
    button(at, "Gegevens van de FG opslaan").click().run()
    assert error_after(at, "o_new_dpo_email") == "Dit is geen geldig e-mailadres."
    assert at.text_input(key="o_new_dpo_email").value == "geen-adres"
    at.text_input(key="o_new_dpo_email").input("nieuw-fg@test.invalid")
    button(at, "Gegevens van de FG opslaan").click().run()
    assert successes(at) == [
        "Gegevens van de FG van Gemeente Test opgeslagen. Er kon geen e-mail over de wijziging worden verstuurd."
    ]
    [row] = rows(db_path, "select dpo_email from organisations where name = 'Gemeente Test'")
    assert row["dpo_email"] == "nieuw-fg@test.invalid"


# --- Audittrail ---------------------------------------------------------------------------------


def test_the_audit_trail_reads_as_dutch(world):
    at = signed_in(world["admin"], navigation.AUDIT)
    table = table_with(at, "Wie")
    assert list(table.columns) == ["Nr.", "Tijd", "Wie", "Rol", "Wat", "Waarover", "Details"]
    created = table[table["Waarover"] == "Account: Dpo"]
    assert "Account aangemaakt" in set(created["Wat"])
    assert "Rol FG gegeven" in set(created["Wat"])
    assert set(table["Rol"]) <= {"Server (opdrachtregel)", "Niet aangemeld", "Beheerder"}
    assert not any("{" in d for d in table["Details"])


# --- FG-team ------------------------------------------------------------------------------------


def test_the_fg_sees_her_team_and_invites_a_deputy(world, mail_server):
    at = signed_in(world["dpo"], navigation.DPO_TEAM)
    assert titles(at) == ["FG-team"]
    assert list(table_with(at, "Naam")["E-mailadres"]) == ["dpo@test.invalid"]
    at.text_input(key="t_name").input("Piet Plaatsvervanger")
    at.text_input(key="t_email").input("geen-adres")
    button(at, "Uitnodiging versturen").click().run()
    assert error_after(at, "t_email") == "Dit is geen geldig e-mailadres."
    assert at.text_input(key="t_name").value == "Piet Plaatsvervanger"
    at.text_input(key="t_email").input("piet@test.invalid")
    button(at, "Uitnodiging versturen").click().run()
    assert successes(at) == ["De uitnodiging is verstuurd naar piet\\@test\\.invalid."]
    assert mail_server.messages[0].rcpt_tos == ["piet@test.invalid"]


def test_only_the_fg_has_the_team_page(world):
    for key in ("admin", "reporter", "management"):
        at = signed_in(world[key])
        with pytest.raises(ValueError):
            switch_to(at, navigation.DPO_TEAM)


# --- Wachtwoord instellen (signed out) -------------------------------------------------------


def set_password_page(code: str | None):
    at = app()
    if code is not None:
        at.query_params[invitations.QUERY_KEY] = code
    at.run()
    switch_to(at, navigation.SET_PASSWORD).run()
    assert not at.exception, at.exception
    return at


def test_the_link_opens_the_form_and_makes_the_fg_account(world, db_path):
    at = set_password_page(printed_code(world))
    assert titles(at) == ["Wachtwoord instellen"]
    assert any(
        "uitgenodigd als functionaris gegevensbescherming (FG) van Gemeente Test" in m.value
        for m in at.markdown
    )
    at.text_input(key="sp_password").input(NEW_PASSWORD)
    at.text_input(key="sp_again").input(NEW_PASSWORD + "?")
    button(at, "Wachtwoord instellen").click().run()
    assert error_after(at, "sp_again") == "De twee wachtwoorden zijn niet gelijk."
    assert error_after(at, "sp_password") is None
    # nothing typed is lost
    assert (at.text_input(key="sp_password").value, at.text_input(key="sp_again").value) == (
        NEW_PASSWORD,
        NEW_PASSWORD + "?",
    )
    at.text_input(key="sp_again").input(NEW_PASSWORD)
    button(at, "Wachtwoord instellen").click().run()
    assert not at.exception
    assert successes(at) == [
        "Je wachtwoord is ingesteld. Meld je nu aan met fg\\@test\\.invalid en je nieuwe wachtwoord."
    ]
    [row] = rows(db_path, "select role from users where email = 'fg@test.invalid'")
    assert row["role"] == "dpo"
    # the same link once more: used
    at.run()
    assert errors(at) == [redeem.MESSAGES["used"]]


def test_a_short_password_is_said_next_to_its_field(world):
    at = set_password_page(printed_code(world))
    at.text_input(key="sp_password").input("kort")
    at.text_input(key="sp_again").input("kort")
    button(at, "Wachtwoord instellen").click().run()
    assert error_after(at, "sp_password") == "Kies een wachtwoord van minstens 12 tekens."
    assert at.text_input(key="sp_password").value == "kort"


@pytest.mark.parametrize(
    ("code", "reason"),
    [(None, "missing"), ("verkeerd", "unknown"), ("expired", "expired")],
    ids=["no-code", "wrong-code", "expired"],
)
def test_a_link_that_does_not_work_says_why(world, code, reason):
    if code == "expired":
        code = printed_code(world, at=clock.now() - timedelta(hours=72, seconds=1))
    at = set_password_page(code)
    assert errors(at) == [redeem.MESSAGES[reason]]
    assert [t.key for t in at.text_input] == []


def test_the_link_in_the_mail_opens_this_page():
    assert navigation.SET_PASSWORD.url_path == invitations.URL_PATH
    assert invitations.link("https://x.invalid/", "abc") == "https://x.invalid/wachtwoord-instellen?code=abc"
