"""The e-mail to the FG about a new report: reference and link only, and never in the way."""

from __future__ import annotations

import email
import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from datalek.accounts.organisations import notice_recipients
from datalek.config import SmtpSettings
from datalek.handling import incidents
from datalek.intake import notice
from tests.conftest import eventually, make_report

BASE_URL = "https://datalek.test.invalid/fg"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=default_policy)  # type: ignore[return-value]

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


@dataclass
class Inbox:
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(base_url: str = BASE_URL) -> Iterator[tuple[SmtpSettings, Inbox, Controller]]:
    """A real SMTP server (aiosmtpd) on a free port, the settings that send to it, and what it
    received; shared by the tests of every mail the app sends."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = SmtpSettings(
            host="127.0.0.1", port=controller.port, base_url=base_url, sender="datalek@test.invalid"
        )
        yield settings, inbox, controller
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpSettings, Inbox]]:
    with smtp_server() as (settings, inbox, _):
        yield settings, inbox


def test_notice_contains_reference_and_link(smtp):
    settings, inbox = smtp
    assert notice.send_new_report(settings, ["fg@test.invalid"], "DL-2026-0042") is True
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received.rcpt_tos == ["fg@test.invalid"]
    assert received.mail_from == "datalek@test.invalid"
    assert "DL-2026-0042" in received.message["Subject"]
    assert "DL-2026-0042" in received.body
    assert BASE_URL in received.body
    assert "72 uur" in received.body


def test_notice_goes_once_to_each_address(smtp):
    settings, inbox = smtp
    sent = notice.send_new_report(
        settings, ["fg@test.invalid", "", "privacy@test.invalid", "fg@test.invalid"], "DL-2026-0001"
    )
    assert sent is True
    assert len(inbox.messages) == 1
    assert sorted(inbox.messages[0].rcpt_tos) == ["fg@test.invalid", "privacy@test.invalid"]


def test_submitted_report_notice_holds_no_description_or_reporter(smtp, world, fresh_db):
    settings, inbox = smtp
    report = make_report(
        world.org.id,
        description="Het verslag over Wolkenkrabbertje is naar de buurvrouw gestuurd.",
        actions_taken="Snoezelruimte gebeld en gevraagd het te verwijderen.",
        department="Afdeling Kwelderland",
    )
    incident = incidents.submit_report(fresh_db, world["reporter"], report)
    recipients = notice_recipients(fresh_db, world.org.id)
    assert recipients == ["dpo@test.invalid", "fg@test.invalid"]

    assert notice.send_new_report(settings, recipients, incident.reference) is True

    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert sorted(received.rcpt_tos) == recipients
    raw = received.raw.decode("utf-8", errors="replace")
    assert incident.reference in received.body
    for secret in (
        "Wolkenkrabbertje",
        "buurvrouw",
        "Snoezelruimte",
        "Kwelderland",
        "Reporter",
        "reporter@test.invalid",
        "Gemeente Test",
    ):
        assert secret not in raw


def test_notice_recipients_of_the_other_organisation(world, fresh_db):
    # The other organisation has no FG address of its own: only its FG account.
    assert notice_recipients(fresh_db, world.other_org.id) == ["other_dpo@test.invalid"]


def test_unreachable_server_returns_false_and_logs_no_address(caplog):
    settings = SmtpSettings(host="127.0.0.1", port=free_port())  # nothing listens here
    with caplog.at_level(logging.INFO, logger="datalek.intake.notice"):
        assert notice.send_new_report(settings, ["fg@test.invalid"], "DL-2026-0042") is False
    assert "DL-2026-0042" in caplog.text
    assert "fg@test.invalid" not in caplog.text


def test_refused_recipient_returns_false(smtp):
    settings, inbox = smtp

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such user"

    inbox.handle_RCPT = refuse  # type: ignore[attr-defined]
    assert notice.send_new_report(settings, ["fg@test.invalid"], "DL-2026-0042") is False
    assert inbox.messages == []


def test_successful_send_logs_no_address(smtp, caplog):
    settings, _ = smtp
    with caplog.at_level(logging.INFO, logger="datalek.intake.notice"):
        assert notice.send_new_report(settings, ["fg@test.invalid"], "DL-2026-0042")
    assert "DL-2026-0042" in caplog.text
    assert "fg@test.invalid" not in caplog.text


def test_no_settings_means_no_mail():
    assert notice.send_new_report(None, ["fg@test.invalid"], "DL-2026-0042") is False
    assert notice.send_new_report_in_background(None, ["fg@test.invalid"], "DL-2026-0042") is None


@pytest.mark.parametrize("to", [[], [""]], ids=["no-recipients", "empty-address"])
def test_no_recipients_means_no_mail(smtp, to):
    settings, inbox = smtp
    assert notice.send_new_report(settings, to, "DL-2026-0042") is False
    assert inbox.messages == []


def test_background_send(smtp):
    settings, inbox = smtp
    thread = notice.send_new_report_in_background(settings, ["fg@test.invalid"], "DL-2026-0007")
    assert thread is not None
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert [m.rcpt_tos for m in inbox.messages] == [["fg@test.invalid"]]


# --- settings from the environment -------------------------------------------------------

SMTP_ENV = (
    "DATALEK_SMTP_HOST",
    "DATALEK_SMTP_PORT",
    "DATALEK_SMTP_FROM",
    "DATALEK_SMTP_USER",
    "DATALEK_SMTP_PASSWORD",
    "DATALEK_SMTP_STARTTLS",
    "DATALEK_BASE_URL",
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in SMTP_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_none_without_host(clean_env):
    assert SmtpSettings.from_env() is None
    clean_env.setenv("DATALEK_SMTP_PORT", "2525")
    assert SmtpSettings.from_env() is None
    clean_env.setenv("DATALEK_SMTP_HOST", "")
    assert SmtpSettings.from_env() is None


def test_settings_from_env(clean_env):
    clean_env.setenv("DATALEK_SMTP_HOST", "smtp.test.invalid")
    clean_env.setenv("DATALEK_SMTP_PORT", "2525")
    clean_env.setenv("DATALEK_SMTP_STARTTLS", "1")
    clean_env.setenv("DATALEK_BASE_URL", BASE_URL)
    settings = SmtpSettings.from_env()
    assert settings == SmtpSettings(host="smtp.test.invalid", port=2525, starttls=True, base_url=BASE_URL)


def test_settings_defaults_and_bad_port(clean_env):
    clean_env.setenv("DATALEK_SMTP_HOST", "smtp.test.invalid")
    clean_env.setenv("DATALEK_SMTP_PORT", "vijfentwintig")
    settings = SmtpSettings.from_env()
    assert settings.port == 25
    assert settings.starttls is False
    assert settings.base_url == "http://localhost:8501"


def test_submitting_a_report_tells_the_fg(smtp, world, fresh_db):
    """The report screen no longer sends the notice itself: submitting does, after the commit."""
    settings, inbox = smtp
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), mail=settings)
    eventually(lambda: inbox.messages, timeout=10)
    assert [sorted(m.rcpt_tos) for m in inbox.messages] == [["dpo@test.invalid", "fg@test.invalid"]]
    assert incident.reference in inbox.messages[0].body


def test_a_failing_notice_never_undoes_the_report(world, fresh_db, caplog):
    settings = SmtpSettings(host="127.0.0.1", port=free_port())  # nothing listens here
    with caplog.at_level(logging.WARNING):
        incident = incidents.submit_report(
            fresh_db, world["reporter"], make_report(world.org.id), mail=settings
        )
        eventually(lambda: "not sent" in caplog.text, timeout=10)
    count = fresh_db.execute("SELECT count(*) FROM incidents WHERE id = ?", [incident.id]).fetchone()[0]
    assert count == 1
    assert incident.reference in caplog.text and "fg@test.invalid" not in caplog.text
