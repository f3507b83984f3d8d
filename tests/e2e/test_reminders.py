"""Reminders from a running server (issue #14): the scheduler inside the server sends the
reminder of an incident known for 25 hours to a real SMTP server, and the FG sees the banner
in Chromium; a reporter does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from datalek import clock, store
from datalek.handling import incidents
from tests.conftest import World, eventually, make_report
from tests.e2e.conftest import Server, dutch_only, sign_in
from tests.test_notice import Inbox, free_port

BASE_URL = "https://datalek.test.invalid"
DESCRIPTION = "Verslag naar een verkeerde ouder gestuurd."


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture(scope="module")
def reminding(tmp_path_factory, smtp):
    """A server with a mail server and a pass every second; one incident known 25 hours ago."""
    port, inbox = smtp
    path = tmp_path_factory.mktemp("e2e-reminders") / "datalek.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        world = World(db)
        aware = clock.now() - timedelta(hours=25)
        report = make_report(
            world.org.id, now=clock.now(), discovered_at=aware, occurred_from=aware - timedelta(hours=1)
        )
        incident = incidents.submit_report(db, world["reporter"], report)
    finally:
        db.close()
    env = {
        "DATALEK_SMTP_HOST": "127.0.0.1",
        "DATALEK_SMTP_PORT": str(port),
        "DATALEK_BASE_URL": BASE_URL,
        "DATALEK_REMINDER_INTERVAL": "1",
    }
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log", env)
    yield srv, incident, inbox
    srv.stop()


def test_the_running_server_sends_the_reminder_once(reminding):
    srv, incident, inbox = reminding
    assert eventually(lambda: len(inbox.messages) >= 1, timeout=30), srv.log_path.read_text()[-2000:]
    [received] = inbox.messages
    assert received.message["Subject"] == f"Datalek {incident.reference}: nog 46 uur om te melden"
    assert sorted(received.rcpt_tos) == ["dpo@test.invalid", "fg@test.invalid"]
    assert f"{BASE_URL}/werkvoorraad" in received.body
    assert DESCRIPTION not in received.body and "Sociaal Domein" not in received.body
    with store.unit(srv.db_path) as db:
        assert db.execute("SELECT count(*) FROM reminders").fetchone()[0] == 1
        seen = db.execute("SELECT count(*) FROM audit_log WHERE action = 'reminder.sent'").fetchone()[0]
    assert seen == 1 and len(inbox.messages) == 1


def test_the_fg_sees_the_banner_and_a_reporter_does_not(reminding, page):
    srv, incident, _ = reminding
    sign_in(page, srv.url, "dpo@test.invalid")
    banner = page.locator("[data-testid=stAlert]", has_text="termijn van 72 uur").first
    banner.wait_for(timeout=20000)
    text = banner.inner_text()
    assert "Let op: 1 melding nadert de termijn van 72 uur." in text
    assert f"{incident.reference}: nog 46 uur" in text
    dutch_only(page, names=("Dpo", "Reporter"))
    page.context.clear_cookies()
    sign_in(page, srv.url, "reporter@test.invalid")
    assert page.locator("[data-testid=stAlert]", has_text="termijn van 72 uur").count() == 0
