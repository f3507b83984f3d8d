"""Issue #16 in Chromium, "één gebeurtenis, meerdere verwerkingsverantwoordelijken": the FG of a
shared service (FG of three organisations) makes, from one report, a linked incident for each
of the two organisations it works for; logs that one of them was told, with its reply; each
organisation's incident has its own clock, from its own awareness. The FG of only one of those
organisations sees of the chain its shared description and the other incidents' organisation and
reference, nothing of the report it was made from.

(The issue's journey through a report link is H1's: a processor reports through the link, then
this test's steps follow on that report.)"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.handling import incidents
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, make_report
from tests.e2e.conftest import (
    choose_option,
    choose_options,
    dutch_only,
    open_page,
    open_tab,
    settle,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.e2e

SHARED = (
    "Storing bij de leverancier van het zaaksysteem: dossiers waren een dag voor andere gemeenten zichtbaar."
)
OWN_TEXT = "Verslag naar een verkeerde ouder gestuurd."  # the report's own description (conftest)
TOLD = "Wat er lekte en dat de gemeente zelf beoordeelt of zij meldt."
REPLY = "Gemeente Derde meldt zelf bij de AP, meldnummer M-2026-000777."


@pytest.fixture
def shared_service(seeded):
    """A third organisation, an FG of all three (the shared service's), and a report in the
    first, made 30 hours after the organisation knew."""
    path, world = seeded
    with store.unit(path) as db:
        third = create_organisation(db, Actor.cli(), "Gemeente Derde")
        orgs = [world.org.id, world.other_org.id, third.id]
        create_user(db, Actor.cli(), "Sam Shared", "shared@test.invalid", Role.DPO, PASSWORD, orgs)
        now = clock.now()
        report = make_report(
            world.org.id,
            now=now,
            occurred_from=now - timedelta(hours=40),
            discovered_at=now - timedelta(hours=30),
        )
        made = incidents.submit_report(db, auth.actor_for(db, world["reporter"].user_id), report, at=now)
    return made, third


def _form(page, text: str):
    """The form holding ``text`` (by text: an open list hides the rest of the page from roles)."""
    return page.locator("[data-testid=stForm]").filter(has_text=text)


def _date(scope, label: str, day) -> None:
    box = scope.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(day.strftime("%d-%m-%Y"))
    box.press("Enter")
    box.press("Escape")


def _time(scope, label: str, moment) -> None:
    box = scope.get_by_label(label, exact=True)
    box.locator("[role=spinbutton]").first.click()
    box.locator("[role=spinbutton]").first.press_sequentially(moment.strftime("%H%M"))
    box.locator("[role=spinbutton]").last.press("Tab")


def _open_incident(page, option: str, reference: str) -> str:
    """Open an incident from the queue; returns its heading (reference and clock)."""
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", option)
    settle(page)
    heading = page.get_by_role("heading", name=re.compile(reference)).first
    heading.wait_for()
    open_tab(page, "Melding")
    return heading.inner_text()


def test_the_shared_fg_links_two_organisations_logs_a_reply_and_each_has_its_own_clock(
    page, server, shared_service
):
    source, third = shared_service
    sign_in(page, server.url, "shared@test.invalid")
    before = _open_incident(page, f"{source.reference} · Gemeente Test", source.reference)
    making = _form(page, "Voor welke organisaties?")
    making.get_by_label("Gedeelde beschrijving (zonder persoonsgegevens)").fill("Mail aan jan@voorbeeld.nl")
    choose_options(page, "Voor welke organisaties?", ["Jeugdzorg Test", "Gemeente Derde"])
    page.get_by_role("button", name="Gekoppelde meldingen maken").click()
    settle(page)
    page.get_by_text(re.compile("Er staan persoonsgegevens in")).wait_for()  # next to the field, kept
    assert making.get_by_label("Gedeelde beschrijving (zonder persoonsgegevens)").input_value() == (
        "Mail aan jan@voorbeeld.nl"
    )
    making.get_by_label("Gedeelde beschrijving (zonder persoonsgegevens)").fill(SHARED)
    page.get_by_role("button", name="Gekoppelde meldingen maken").click()
    settle(page)
    page.get_by_text("De gekoppelde meldingen zijn gemaakt.", exact=False).wait_for()
    with store.unit(server.db_path) as db:
        rows = list(
            db.query(
                "SELECT i.id, i.org_id, i.reference, i.aware_at, i.description FROM chain_members m"
                " JOIN incidents i ON i.id = m.incident_id ORDER BY m.id"
            )
        )
    assert len(rows) == 3 and rows[0]["id"] == source.id and {r["description"] for r in rows[1:]} == {SHARED}
    theirs = {r["org_id"]: r for r in rows[1:]}
    for r in rows[1:]:  # each clock starts when its incident was made, not at the source's awareness
        assert clock.now() - clock.from_iso(r["aware_at"]) < timedelta(minutes=5)
    assert clock.now() - clock.from_iso(rows[0]["aware_at"]) > timedelta(hours=29)
    chain_text = page.get_by_text(re.compile("Meldingen in de keten")).first
    for r in rows[1:]:
        assert r["reference"] in chain_text.inner_text()
    dutch_only(page, names=("Reporter",))

    telling = _form(page, "Wat heb je verteld?")
    choose_option(page, telling, "Partner uit het register of de keten", "Gemeente Derde (keten)")
    telling.get_by_label("Wat heb je verteld?").fill(TOLD)
    hour = clock.now().astimezone(clock.AMSTERDAM).replace(minute=0, second=0, microsecond=0)
    told, replied = hour - timedelta(hours=2), hour - timedelta(hours=1)
    _date(telling, "Wanneer geïnformeerd: datum", told.date())
    _time(telling, "Wanneer geïnformeerd: tijd", told)
    choose_option(page, telling, "Hoe?", "Telefoon")
    telling.get_by_label("Antwoord van de partner (als dat er al is)").fill(REPLY)
    _date(telling, "Wanneer kwam het antwoord: datum", replied.date())
    _time(telling, "Wanneer kwam het antwoord: tijd", replied)
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    settle(page)
    page.get_by_text("Vastgelegd: de partner is geïnformeerd.").wait_for()
    page.get_by_text(re.compile(re.escape(REPLY))).first.wait_for()
    page.reload()
    settle(page)
    _open_incident(page, f"{source.reference} · Gemeente Test", source.reference)
    page.get_by_text(re.compile(re.escape(REPLY))).first.wait_for()  # stored, not kept in the browser

    linked = theirs[third.id]
    after = _open_incident(page, f"{linked['reference']} · Gemeente Derde", linked["reference"])
    assert before.split(":", 1)[1] != after.split(":", 1)[1]  # its own clock, not the source's
    sign_out(page)

    sign_in(page, server.url, "other_dpo@test.invalid")  # FG of Jeugdzorg Test only
    other = next(r for r in rows[1:] if r["org_id"] != third.id)
    _open_incident(page, other["reference"], other["reference"])
    chain_text = page.get_by_text(re.compile("Meldingen in de keten")).first.inner_text()
    assert SHARED in chain_text and f"{source.reference} — Gemeente Test" in chain_text
    assert f"{linked['reference']} — Gemeente Derde" in chain_text
    main = page.locator("[data-testid=stMain]").inner_text()
    assert OWN_TEXT not in main and REPLY not in main and TOLD not in main
    assert page.get_by_role("button", name="Gekoppelde meldingen maken").count() == 0
    dutch_only(page, names=("Other_Dpo", "Other_Reporter"))
