"""Issue #16's whole journey in Chromium: the FG makes a report link for a processor; the
processor reports through it without an account; the FG of the shared service opens that report,
links it to incidents of two other organisations and logs that one of them was told, with its
reply. Each step's details are tested on their own in ``test_report_links.py`` and
``test_chain_incidents.py``; this test is about the steps following each other."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, new_context
from tests.e2e.conftest import choose_option, choose_options, fill_letter_report, settle, sign_in, sign_out
from tests.e2e.test_chain_incidents import REPLY, SHARED, TOLD, _date, _open_incident, _time
from tests.e2e.test_chain_incidents import _form as form_with
from tests.e2e.test_report_links import WHAT, _make_link, party  # noqa: F401 - party is a fixture

pytestmark = pytest.mark.e2e

WHY_NOT = "Jeugdzorg Test gebruikt een ander zaaksysteem."


@pytest.fixture
def third(seeded):
    """A third organisation, and the shared service's FG of all three."""
    path, world = seeded
    with store.unit(path) as db:
        made = create_organisation(db, Actor.cli(), "Gemeente Keten")
        orgs = [world.org.id, world.other_org.id, made.id]
        create_user(db, Actor.cli(), "Kim Keten", "keten@test.invalid", Role.DPO, PASSWORD, orgs)
    return made


@pytest.mark.usefixtures("party")  # Cloudzorg BV in the processor register
def test_a_report_through_a_link_becomes_a_chain_incident_with_a_partner_told(
    page,
    server,
    third,
    browser,
):
    link = _make_link(page, server)
    sign_out(page)

    context = new_context(browser)
    guest = context.new_page()
    guest.goto(link)
    guest.get_by_role("heading", name="Datalek melden").wait_for()
    settle(guest)
    fill_letter_report(guest, WHAT)
    guest.get_by_role("button", name="Versturen").click()
    settle(guest)
    confirmed = guest.get_by_text(re.compile(r"Het nummer van je melding is DL-\d{4}-\d{4}"))
    confirmed.wait_for()
    reference = re.search(r"DL-\d{4}-\d{4}", confirmed.inner_text()).group(0)
    context.close()

    sign_in(page, server.url, "keten@test.invalid")
    _open_incident(page, f"{reference} · Gemeente Test", reference)
    page.get_by_text(re.compile("Gemeld zonder account, via de link")).wait_for()
    making = form_with(page, "Voor welke organisaties?")
    making.get_by_label("Gedeelde beschrijving (zonder persoonsgegevens)").fill(SHARED)
    choose_options(page, "Voor welke organisaties?", ["Jeugdzorg Test", "Gemeente Keten"])
    page.get_by_role("button", name="Gekoppelde meldingen maken").click()
    settle(page)
    page.get_by_text("De gekoppelde meldingen zijn gemaakt.", exact=False).wait_for()

    telling = form_with(page, "Wat heb je verteld?")
    choose_option(page, telling, "Partner uit het register of de keten", "Gemeente Keten (keten)")
    telling.get_by_label("Wat heb je verteld?").fill(TOLD)
    # the report was made minutes ago: the next whole minute is after it and within the
    # clock skew the rules allow (chronology.CLOCK_SKEW, 5 minutes)
    told = replied = (
        (clock.now() + timedelta(minutes=1)).astimezone(clock.AMSTERDAM).replace(second=0, microsecond=0)
    )
    _date(telling, "Wanneer geïnformeerd: datum", told.date())
    _time(telling, "Wanneer geïnformeerd: tijd", told)
    choose_option(page, telling, "Hoe?", "Telefoon")
    telling.get_by_label("Antwoord van de partner (als dat er al is)").fill(REPLY)
    _date(telling, "Wanneer kwam het antwoord: datum", replied.date())
    _time(telling, "Wanneer kwam het antwoord: tijd", replied)
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    settle(page)
    page.get_by_text("Vastgelegd: de partner is geïnformeerd.").wait_for()

    with store.unit(server.db_path) as db:
        source = db.execute(
            "SELECT id, report_link_id, reporter_id FROM incidents WHERE reference = ?", [reference]
        ).fetchone()
        members = db.execute(
            "SELECT o.name FROM chain_members m JOIN incidents i ON i.id = m.incident_id"
            " JOIN organisations o ON o.id = i.org_id WHERE m.removed_at IS NULL ORDER BY m.id"
        ).fetchall()
        told_rows = db.execute(
            "SELECT incident_id, partner_name, partner_org_id, reply FROM partner_notices"
        ).fetchall()
    assert source[1] is not None and source[2] is None  # through the link, no account
    assert [m[0] for m in members] == ["Gemeente Test", "Jeugdzorg Test", "Gemeente Keten"]
    assert [(r[0], r[2], r[3]) for r in told_rows] == [(source[0], third.id, REPLY)]

    # Jeugdzorg Test's incident was linked by mistake: its FG takes it out, with the reason
    with store.unit(server.db_path) as db:
        mistaken = db.execute(
            "SELECT i.reference FROM chain_members m JOIN incidents i ON i.id = m.incident_id"
            " JOIN organisations o ON o.id = i.org_id WHERE o.name = 'Jeugdzorg Test'"
        ).fetchone()[0]
    _open_incident(page, f"{mistaken} · Jeugdzorg Test", mistaken)
    removing = form_with(page, "Uit de keten halen")
    removing.get_by_role("button", name="Uit de keten halen").click()
    settle(page)
    removing.get_by_text("Geef de reden: waarom hoort deze melding niet bij de keten?").wait_for()
    removing.get_by_label("Waarom hoort deze melding niet bij de keten?").fill(WHY_NOT)
    removing.get_by_role("button", name="Uit de keten halen").click()
    settle(page)
    page.get_by_text("De melding is uit de keten gehaald.", exact=False).wait_for()
    page.get_by_text(re.compile("uit de keten gehaald op .*Reden: " + re.escape(WHY_NOT))).first.wait_for()
    with store.unit(server.db_path) as db:
        standing = db.execute(
            "SELECT i.reference, m.removed_reason FROM chain_members m"
            " JOIN incidents i ON i.id = m.incident_id ORDER BY m.id"
        ).fetchall()
    assert [r for r in standing if r[1]] == [(mistaken, WHY_NOT)] and len(standing) == 3
