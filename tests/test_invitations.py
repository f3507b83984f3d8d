"""One-time links: the FG's account by invitation, a deputy FG, a new password by link, the
notices about the FG role, and the FG address of an organisation. Mail goes to a real SMTP
server in this process (aiosmtpd), as in ``test_notice.py``."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import fields
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from datalek import clock
from datalek.accounts import invitations, redeem, sessions
from datalek.accounts.organisations import change_dpo_contact
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.redeem import LinkInvalid
from datalek.accounts.users import create_user, set_active
from datalek.config import SmtpSettings
from datalek.models import Actor, InvalidInput, Role
from datalek.store import audit_log
from tests.conftest import PASSWORD
from tests.test_notice import Inbox, free_port, smtp_server

BASE_URL = "https://datalek.test.invalid"
NEW_PASSWORD = "mijn eigen geheime zin"
LINK = re.compile(re.escape(BASE_URL) + r"/wachtwoord-instellen\?code=([A-Za-z0-9_\-]+)")


@pytest.fixture
def mail() -> Iterator[tuple[SmtpSettings, Inbox]]:
    with smtp_server(BASE_URL) as (settings, inbox, _):
        yield settings, inbox


@pytest.fixture(autouse=True)
def _no_mail_server_from_the_environment(monkeypatch):
    monkeypatch.delenv("DATALEK_SMTP_HOST", raising=False)


def code_in(inbox: Inbox, to: str) -> str:
    [message] = [m for m in inbox.messages if to in m.rcpt_tos]
    return LINK.search(message.body).group(1)


def password_works(db, email: str, password: str) -> bool:
    row = db.execute("SELECT password_hash FROM users WHERE email = ?", [email]).fetchone()
    try:
        return bool(row and row[0]) and PasswordHasher().verify(row[0], password)
    except VerificationError:
        return False


def entries(db, action: str) -> list[dict]:
    return [{**e, "detail": json.loads(e["detail"])} for e in audit_log.recent(db, 100, action)]


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- the FG of an organisation, invited by the beheerder ---------------------------------------


def test_the_beheerder_invites_the_fg_at_the_address_of_the_organisation(fresh_db, world, mail):
    settings, inbox = mail
    sent = invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    assert sent.sent is True
    assert {f.name for f in fields(sent)} == {"sent", "expires_at"}  # the code never reaches the screen
    [message] = inbox.messages
    assert message.rcpt_tos == ["fg@test.invalid"]
    assert message.message["Subject"] == "Uitnodiging: je FG-account in Datalek"
    body = message.body
    assert "functionaris gegevensbescherming (FG) van Gemeente Test" in body
    assert clock.format_local(sent.expires_at) in body
    code = LINK.search(body).group(1)
    assert len(code) >= 43  # 256 random bits
    # the database keeps only the hash of the code
    [row] = fresh_db.execute("SELECT token_hash, email, name FROM invitations").fetchall()
    assert row == (invitations.code_hash(code), "fg@test.invalid", "Fien FG")
    dump = "\n".join(fresh_db.conn.iterdump())
    assert code not in dump
    [entry] = entries(fresh_db, "invitation.dpo")
    assert (entry["actor_id"], entry["object_type"], entry["object_id"]) == (
        world["admin"].user_id,
        "organisation",
        str(world.org.id),
    )
    assert entry["detail"] == {"invitation_id": 1, "delivery": "mail", "superseded": 0}


def test_the_fg_sets_her_own_password_and_every_fg_hears_of_it(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    code = code_in(inbox, "fg@test.invalid")
    pending = redeem.pending(fresh_db, code)
    assert (pending.kind, pending.name, pending.email, pending.org_name) == (
        invitations.Kind.DPO_ACCOUNT,
        "Fien FG",
        "fg@test.invalid",
        "Gemeente Test",
    )
    user = redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD, settings)
    assert (user.role, user.org_ids, user.email) == (Role.DPO, (world.org.id,), "fg@test.invalid")
    assert password_works(fresh_db, "fg@test.invalid", NEW_PASSWORD)
    grant = entries(fresh_db, "user.grant_dpo")[0]
    assert (grant["actor_id"], grant["object_id"]) == (user.id, str(user.id))
    assert grant["detail"] == {
        "org_ids": [world.org.id],
        "method": "invitation",
        "invited_by": world["admin"].user_id,
        "invitation_id": 1,
    }
    notice = inbox.messages[-1]
    assert notice.message["Subject"] == "Nieuw FG-account voor Gemeente Test in Datalek"
    # every FG of the organisation (the one there was, and the new one) and its FG address
    assert sorted(notice.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid"]
    assert "Fien FG (fg@test.invalid)" in notice.body
    assert "other_dpo@test.invalid" not in notice.rcpt_tos


def test_a_link_works_once(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    code = code_in(inbox, "fg@test.invalid")
    redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD, settings)
    users = count(fresh_db, "users")
    for attempt in (
        lambda: redeem.pending(fresh_db, code),
        lambda: redeem.redeem(fresh_db, code, "nog een ander wachtwoord", "nog een ander wachtwoord"),
    ):
        with pytest.raises(LinkInvalid) as refused:
            attempt()
        assert refused.value.reason == "used"
        assert refused.value.message.startswith("Deze link is al gebruikt")
    assert count(fresh_db, "users") == users
    assert password_works(fresh_db, "fg@test.invalid", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("after", "works"),
    [(timedelta(0), True), (timedelta(hours=72) - timedelta(seconds=1), True), (timedelta(hours=72), False)],
    ids=["at-once", "just-in-time", "72-hours-later"],
)
def test_a_link_is_valid_for_72_hours(fresh_db, world, mail, after, works):
    settings, inbox = mail
    start = clock.now()
    sent = invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings, at=start)
    assert sent.expires_at == start + timedelta(hours=72)
    code = code_in(inbox, "fg@test.invalid")
    if works:
        assert redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD, at=start + after).role is Role.DPO
        return
    with pytest.raises(LinkInvalid) as refused:
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD, at=start + after)
    assert refused.value.reason == "expired"
    assert "72 uur geldig" in refused.value.message
    assert not password_works(fresh_db, "fg@test.invalid", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("code", "reason"),
    [("", "missing"), (None, "missing"), ("verkeerd", "unknown"), ("x" * 43, "unknown")],
    ids=["empty", "none", "short", "guessed"],
)
def test_a_wrong_code_opens_nothing(fresh_db, world, mail, code, reason):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    users = count(fresh_db, "users")
    with pytest.raises(LinkInvalid) as refused:
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD)
    assert refused.value.reason == reason
    assert refused.value.message == redeem.MESSAGES[reason]
    assert count(fresh_db, "users") == users
    assert redeem.pending(fresh_db, code_in(inbox, "fg@test.invalid")).email == "fg@test.invalid"


def test_a_password_that_will_not_do_keeps_the_link_open(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    code = code_in(inbox, "fg@test.invalid")
    with pytest.raises(InvalidInput) as short:
        redeem.redeem(fresh_db, code, "kort", "kort")
    assert short.value.errors == {"password": "Kies een wachtwoord van minstens 12 tekens."}
    with pytest.raises(InvalidInput) as different:
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert different.value.errors == {"again": "De twee wachtwoorden zijn niet gelijk."}
    assert redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD).role is Role.DPO


def test_a_newer_invitation_closes_the_older_one(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    first = code_in(inbox, "fg@test.invalid")
    inbox.messages.clear()
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    second = code_in(inbox, "fg@test.invalid")
    with pytest.raises(LinkInvalid) as refused:
        redeem.pending(fresh_db, first)
    assert refused.value.reason == "closed"
    assert entries(fresh_db, "invitation.dpo")[0]["detail"]["superseded"] == 1
    assert redeem.pending(fresh_db, second).email == "fg@test.invalid"


def test_without_a_mail_server_the_beheerder_cannot_invite(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        invitations.invite_dpo(fresh_db, world["admin"], world.org.id)
    assert set(refused.value.errors) == {"mail"}
    assert "python -m datalek user invite-dpo" in refused.value.errors["mail"]
    assert count(fresh_db, "invitations") == 0


def test_an_invitation_never_goes_to_an_address_that_has_an_account(fresh_db, world, mail):
    settings, inbox = mail
    # the beheerder's own address as the FG address: no FG account comes of it
    change_dpo_contact(fresh_db, world["admin"], world.org.id, "Fien FG", "admin@test.invalid", "", settings)
    inbox.messages.clear()
    with pytest.raises(InvalidInput) as refused:
        invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    assert refused.value.errors == {"dpo_email": invitations.TAKEN}
    assert inbox.messages == [] and count(fresh_db, "invitations") == 0


def test_an_account_made_after_the_invitation_is_not_taken_over(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    code = code_in(inbox, "fg@test.invalid")
    someone = create_user(
        fresh_db, world["admin"], "Iemand", "fg@test.invalid", Role.REPORTER, PASSWORD, [world.org.id]
    )
    with pytest.raises(LinkInvalid) as refused:
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD)
    assert refused.value.reason == "taken"
    assert password_works(fresh_db, "fg@test.invalid", PASSWORD)
    row = fresh_db.execute("SELECT role FROM users WHERE id = ?", [someone.id]).fetchone()
    assert row == ("reporter",)


def test_a_mail_that_does_not_go_out_leaves_no_usable_link(fresh_db, world):
    down = SmtpSettings(host="127.0.0.1", port=free_port(), base_url=BASE_URL)
    sent = invitations.invite_dpo(fresh_db, world["admin"], world.org.id, down)
    assert sent.sent is False
    assert fresh_db.execute("SELECT closed_reason FROM invitations").fetchall() == [("not_sent",)]


@pytest.mark.parametrize("who", ["dpo", "reporter", "management", "other_dpo"])
def test_only_the_beheerder_invites_the_fg_of_an_organisation(fresh_db, world, mail, who):
    settings, inbox = mail
    with pytest.raises(PermissionDenied):
        invitations.invite_dpo(fresh_db, world[who], world.org.id, settings)
    assert inbox.messages == [] and count(fresh_db, "invitations") == 0
    assert entries(fresh_db, "refused")[0]["detail"] == {"attempted": "invitation.dpo"}


def test_the_logs_hold_no_address_name_or_link(fresh_db, world, mail, caplog):
    settings, inbox = mail
    with caplog.at_level(logging.DEBUG):
        invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
        code = code_in(inbox, "fg@test.invalid")
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD, settings)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("datalek"))
    assert "account mail dpo_invitation sent to 1 recipient(s)" in logged
    assert "account mail dpo_granted sent to 2 recipient(s)" in logged
    for secret in ("fg@test.invalid", "Fien", code, "Gemeente Test", NEW_PASSWORD):
        assert secret not in logged


# --- a deputy FG, invited by the FG ------------------------------------------------------------


def test_the_fg_invites_a_deputy_at_the_address_she_gives(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_deputy(
        fresh_db, world["dpo"], world.org.id, "Piet Plaatsvervanger", "piet@test.invalid", settings
    )
    [message] = inbox.messages
    assert message.rcpt_tos == ["piet@test.invalid"]
    assert "plaatsvervangend functionaris gegevensbescherming (FG) van Gemeente Test" in message.body
    assert entries(fresh_db, "invitation.deputy")[0]["actor_id"] == world["dpo"].user_id
    user = redeem.redeem(fresh_db, LINK.search(message.body).group(1), NEW_PASSWORD, NEW_PASSWORD, settings)
    assert (user.name, user.role, user.org_ids) == ("Piet Plaatsvervanger", Role.DPO, (world.org.id,))
    notice = inbox.messages[-1]
    assert sorted(notice.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid", "piet@test.invalid"]
    assert entries(fresh_db, "user.grant_dpo")[0]["detail"]["invited_by"] == world["dpo"].user_id


@pytest.mark.parametrize(
    ("who", "org"),
    [
        ("other_dpo", "org"),
        ("dpo", "other_org"),
        ("admin", "org"),
        ("reporter", "org"),
        ("management", "org"),
    ],
)
def test_only_an_fg_of_the_organisation_invites_a_deputy(fresh_db, world, mail, who, org):
    settings, inbox = mail
    with pytest.raises(PermissionDenied):
        invitations.invite_deputy(
            fresh_db, world[who], getattr(world, org).id, "Piet", "piet@test.invalid", settings
        )
    assert inbox.messages == [] and count(fresh_db, "invitations") == 0


def test_a_deputy_invitation_checks_the_name_and_the_address(fresh_db, world, mail):
    settings, _ = mail
    with pytest.raises(InvalidInput) as refused:
        invitations.invite_deputy(fresh_db, world["dpo"], world.org.id, " ", "geen-adres", settings)
    assert refused.value.errors == {"name": "Vul een naam in.", "email": "Dit is geen geldig e-mailadres."}
    with pytest.raises(InvalidInput) as taken:
        invitations.invite_deputy(fresh_db, world["dpo"], world.org.id, "Bea", "Admin@test.invalid", settings)
    assert taken.value.errors == {"email": invitations.TAKEN}


# --- a new password by link --------------------------------------------------------------------


def test_the_fg_gets_a_new_password_by_link_and_her_sessions_end(fresh_db, world, mail):
    settings, inbox = mail
    dpo = world["dpo"]
    token = sessions.open_session(
        fresh_db, dpo.user_id, method="password", client="127.0.0.1", user_agent="t"
    )
    sent = invitations.send_reset_link(fresh_db, world["admin"], dpo.user_id, settings)
    assert sent.sent is True
    [message] = inbox.messages
    assert message.rcpt_tos == ["dpo@test.invalid"]  # the FG's own address, never the beheerder's
    assert message.message["Subject"] == "Nieuw wachtwoord voor Datalek"
    assert password_works(fresh_db, "dpo@test.invalid", PASSWORD)  # the old one works until then
    code = LINK.search(message.body).group(1)
    assert redeem.pending(fresh_db, code).kind is invitations.Kind.PASSWORD_RESET
    redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD)
    assert password_works(fresh_db, "dpo@test.invalid", NEW_PASSWORD)
    assert sessions.resolve(fresh_db, token).actor is None
    [changed] = entries(fresh_db, "user.password")
    assert (changed["actor_id"], changed["detail"]) == (dpo.user_id, {"method": "link", "invitation_id": 1})
    assert entries(fresh_db, "sessions_ended")[0]["detail"] == {"reason": "password_reset", "count": 1}


def test_disabling_an_account_closes_its_open_links(fresh_db, world, mail):
    settings, inbox = mail
    invitations.send_reset_link(fresh_db, world["admin"], world["reporter2"].user_id, settings)
    code = code_in(inbox, "reporter2@test.invalid")
    set_active(fresh_db, world["admin"], world["reporter2"].user_id, False, settings)
    with pytest.raises(LinkInvalid) as refused:
        redeem.redeem(fresh_db, code, NEW_PASSWORD, NEW_PASSWORD)
    assert refused.value.reason == "closed"
    with pytest.raises(InvalidInput) as again:
        invitations.send_reset_link(fresh_db, world["admin"], world["reporter2"].user_id, settings)
    assert set(again.value.errors) == {"user"}


@pytest.mark.parametrize("who", ["dpo", "reporter", "management"])
def test_only_the_beheerder_sends_a_password_link(fresh_db, world, mail, who):
    settings, inbox = mail
    with pytest.raises(PermissionDenied):
        invitations.send_reset_link(fresh_db, world[who], world["reporter2"].user_id, settings)
    assert inbox.messages == []


# --- the operator on the server -----------------------------------------------------------------


def test_the_operator_prints_a_link_that_no_account_can_ask_for(fresh_db, world):
    printed = invitations.print_dpo_invitation(fresh_db, Actor.cli(), world.org.id, BASE_URL)
    assert printed.email == "fg@test.invalid"
    code = LINK.search(printed.link).group(1)
    assert redeem.pending(fresh_db, code).name == "Fien FG"
    assert entries(fresh_db, "invitation.dpo")[0]["detail"]["delivery"] == "printed"
    for who in ("admin", "dpo"):
        with pytest.raises(PermissionDenied):
            invitations.print_dpo_invitation(fresh_db, world[who], world.org.id, BASE_URL)
        with pytest.raises(PermissionDenied):
            invitations.print_reset_link(fresh_db, world[who], world["dpo"].user_id, BASE_URL)
    reset = invitations.print_reset_link(fresh_db, Actor.cli(), world["dpo"].user_id, BASE_URL)
    assert reset.email == "dpo@test.invalid"


# --- notices about the FG role and the FG address -------------------------------------------


def test_disabling_an_fg_account_is_mailed_to_the_fgs_and_to_her(fresh_db, world, mail):
    settings, inbox = mail
    assert set_active(fresh_db, world["admin"], world["dpo"].user_id, False, settings) is True
    [message] = inbox.messages
    assert message.message["Subject"] == "FG-account uitgeschakeld in Datalek"
    assert sorted(message.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid"]
    assert "Dpo (dpo@test.invalid) bij Gemeente Test uitgeschakeld" in message.body
    assert entries(fresh_db, "user.disable")[0]["object_id"] == str(world["dpo"].user_id)


def test_disabling_another_account_sends_nothing(fresh_db, world, mail):
    settings, inbox = mail
    assert set_active(fresh_db, world["admin"], world["reporter2"].user_id, False, settings) is False
    assert inbox.messages == []


def test_a_new_fg_address_is_mailed_to_the_old_address_and_every_fg(fresh_db, world, mail):
    settings, inbox = mail
    invitations.invite_dpo(fresh_db, world["admin"], world.org.id, settings)
    old_code = code_in(inbox, "fg@test.invalid")
    inbox.messages.clear()
    changed = change_dpo_contact(
        fresh_db, world["admin"], world.org.id, "Fien FG", "nieuw-fg@test.invalid", "010-1", settings
    )
    assert (changed.email_changed, changed.mailed) == (True, True)
    assert changed.organisation.dpo_email == "nieuw-fg@test.invalid"
    [message] = inbox.messages
    assert sorted(message.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid"]
    assert "gewijzigd van fg@test.invalid in nieuw-fg@test.invalid" in message.body
    # the invitation to the old address no longer works
    with pytest.raises(LinkInvalid):
        redeem.redeem(fresh_db, old_code, NEW_PASSWORD, NEW_PASSWORD)
    [entry] = entries(fresh_db, "organisation.dpo_contact")
    assert entry["detail"] == {
        "email_changed": True,
        "name_changed": False,
        "phone_changed": True,
        "invitations_closed": 1,
    }


def test_changing_only_the_phone_number_sends_nothing(fresh_db, world, mail):
    settings, inbox = mail
    changed = change_dpo_contact(
        fresh_db, world["admin"], world.org.id, "Fien FG", "fg@test.invalid", "06", settings
    )
    assert (changed.email_changed, changed.mailed) == (False, False)
    assert inbox.messages == []
    with pytest.raises(InvalidInput) as nothing:
        change_dpo_contact(
            fresh_db, world["admin"], world.org.id, "Fien FG", "fg@test.invalid", "06", settings
        )
    assert set(nothing.value.errors) == {"form"}


@pytest.mark.parametrize("who", ["dpo", "reporter", "management"])
def test_only_the_beheerder_changes_the_fg_address(fresh_db, world, mail, who):
    settings, inbox = mail
    with pytest.raises(PermissionDenied):
        change_dpo_contact(fresh_db, world[who], world.org.id, "X", "x@test.invalid", "", settings)
    assert inbox.messages == []


def test_an_fg_account_by_the_operator_is_mailed_to_every_fg(fresh_db, world, mail):
    settings, inbox = mail
    made = create_user(
        fresh_db,
        Actor.cli(),
        "Nieuwe FG",
        "nieuwe-fg@test.invalid",
        Role.DPO,
        PASSWORD,
        [world.org.id],
        settings,
    )
    [message] = inbox.messages
    assert sorted(message.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid", "nieuwe-fg@test.invalid"]
    assert entries(fresh_db, "user.grant_dpo")[0]["object_id"] == str(made.id)
