"""The logs never contain personal data.

A real server runs with its standard output and error captured in a file. A journey with
seeded personal data (a name, an e-mail address, a BSN and a phone number in the account
and in the free text, kept on purpose) goes through sign-in failures, a report, a
supplement, a failing e-mail notice (the mail server is down) and the FG's screens. After
it, the log holds none of that data.
"""

from __future__ import annotations

import re
import socket

import pytest

from datalek import store
from datalek.accounts.users import create_user
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, World, click_sent, eventually
from tests.e2e.conftest import (  # noqa: F401 - the browser fixture for Debian's Chromium
    Server,
    browser_type_launch_args,
    fill_letter_report,
    open_page,
    open_tab,
    settle,
    sign_in,
    sign_out,
)
from tests.e2e.test_xss import choose

pytestmark = pytest.mark.e2e

NAME, EMAIL = "Jan de Vries", "jan.devries@gemeente-voorbeeld.invalid"
BSN, PHONE, OTHER = "111222333", "0612345678", "Piet Pietersen"
DESCRIPTION = f"{NAME} ({EMAIL}, BSN {BSN}, tel {PHONE}) kreeg het verslag van {OTHER}."
SECRETS = [
    NAME,
    EMAIL,
    "jan.devries",
    "gemeente-voorbeeld",
    BSN,
    PHONE,
    OTHER,
    "Pietersen",
    "verslag van",
    "@test.invalid",
    PASSWORD,
]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / "datalek.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        world = World(db)
        create_user(db, Actor.cli(), NAME, EMAIL, Role.REPORTER, PASSWORD, [world.org.id])
    finally:
        db.close()
    srv = Server(
        path,
        tmp_path_factory.mktemp("logs") / "server.log",
        env={"DATALEK_SMTP_HOST": "127.0.0.1", "DATALEK_SMTP_PORT": str(_closed_port())},
    )
    yield srv
    srv.stop()


def _report(page) -> str:
    open_page(page, "Datalek melden")
    fill_letter_report(page, DESCRIPTION)
    page.get_by_role("button", name="Versturen").click()
    settle(page)
    # Leaving the description field is a run of its own (the form is no st.form), so the run
    # settle() saw may be that one: wait for the identifiers step itself.
    page.get_by_text("Laten staan (bewust)").first.wait_for()
    for choice in page.get_by_text("Laten staan (bewust)").all():  # keep the data on purpose
        keep = choice.locator("xpath=ancestor::label[1]//input")
        for _ in range(3):  # a choice a redraw undid is shown undone: chosen again, as a person would
            click_sent(page, choice)
            settle(page)  # each choice is a run of its own (the radios are not in a form)
            if keep.is_checked():
                break
        assert keep.is_checked()
    page.get_by_role("button", name="Versturen met deze keuzes").click()
    settle(page)
    success = page.locator("[data-testid=stAlertContentSuccess]")
    success.wait_for()
    return re.search(r"DL-\d{4}-\d{4}", success.inner_text()).group(0)


def test_a_journey_with_personal_data_leaves_none_in_the_logs(page, server):
    page.goto(server.url)
    page.wait_for_url("**/auth/signin**")  # the server's sign-in form, without Streamlit
    for _ in range(2):  # failed sign-ins with the person's address
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill("dit is niet het wachtwoord")
        page.get_by_role("button", name="Aanmelden").first.click()
        page.get_by_text("E-mailadres of wachtwoord klopt niet.").wait_for()
    sign_in(page, server.url, EMAIL)
    reference = _report(page)
    with store.unit(server.db_path) as db:
        stored = db.execute("SELECT description FROM incidents").fetchone()[0]
    assert BSN in stored and EMAIL in stored  # kept on purpose: the logs must still not have it

    open_page(page, "Mijn meldingen")
    choose(page, "Bekijk of vul een melding aan", reference)
    page.get_by_label("Wat wil je toevoegen?").fill(f"Ook {OTHER} belde, op {PHONE}.")
    page.get_by_role("button", name="Aanvulling toevoegen").click()
    settle(page)
    sign_out(page)

    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    choose(page, "Open een melding", reference)
    for tab in page.get_by_role("tab").all():
        open_tab(page, tab.inner_text().strip())
    sign_out(page)
    # the failing e-mail notice runs in a background thread: wait until its line is logged
    eventually(lambda: "notice for" in server.log_path.read_text())

    server.stop()
    log = server.log_path.read_text()
    assert "notice for" in log  # the log is really captured: the notice failure is in it
    leaked = [s for s in SECRETS if s.lower() in log.lower()]
    assert leaked == [], leaked
