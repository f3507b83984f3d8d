"""Issue #16 in Chromium: the FG adds a processor to the register on the FG-team page, links it
to an incident as "reported it to us" with its own moments, sees its delay against the agreed
period, still sees it after a reload, and exports the register as CSV through the one-time
download link."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from datalek import clock, store
from datalek.handling import incidents
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, choose_options, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

DELAY = "De verwerker meldde het na 61 uur; afgesproken is 48 uur."


@pytest.fixture
def reported(seeded):
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=80),
        discovered_at=now - timedelta(hours=75),
    )
    with store.unit(path) as db:
        return incidents.submit_report(db, world["reporter"], report, at=now)


def _form(page, button: str):
    return page.locator("[data-testid=stForm]").filter(has_text=button)


def _date(scope, label: str, day) -> None:
    box = scope.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(day.strftime("%d-%m-%Y"))
    box.press("Enter")
    box.press("Escape")


def _time(scope, label: str, moment) -> None:
    """Type a time into a Streamlit time_input: its segments (hour, minute) advance by themselves."""
    box = scope.get_by_label(label, exact=True)
    box.locator("[role=spinbutton]").first.click()
    box.locator("[role=spinbutton]").first.press_sequentially(moment.strftime("%H%M"))
    box.locator("[role=spinbutton]").last.press("Tab")


def _open_incident(page, reference: str) -> None:
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    open_tab(page, "Melding")


def test_the_fg_adds_a_processor_links_it_sees_the_delay_and_exports_the_register(
    page, server, reported, tmp_path
):
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "FG-team")
    adding = _form(page, "Toevoegen aan het register")
    adding.get_by_label("Naam van de organisatie").fill("Cloudzorg BV")
    adding.get_by_label("Contact bij een datalek (een functieadres, niet van één persoon)").fill(
        "security@cloudzorg.invalid"
    )
    adding.get_by_label("Kenmerk van de overeenkomst").fill("VWO-2024-017")
    page.get_by_role("button", name="Toevoegen aan het register").click()
    settle(page)
    page.get_by_text("De partij staat in het register.").wait_for()
    dutch_only(page, names=("Dpo",))

    _open_incident(page, reported.reference)
    linking = _form(page, "Koppelen")
    choose_option(page, linking, "Welke partij?", "Cloudzorg BV (verwerker)")
    choose_options(page, "Rol van deze partij bij het lek", ["Meldde het lek aan ons"])
    hour = clock.now().astimezone(clock.AMSTERDAM).replace(minute=0, second=0, microsecond=0)
    aware, told = hour - timedelta(hours=70), hour - timedelta(hours=9)
    _date(linking, "Wanneer wist de verwerker het zelf: datum", aware.date())
    _time(linking, "Wanneer wist de verwerker het zelf: tijd", aware)
    _date(linking, "Wanneer meldde de verwerker het aan ons: datum", told.date())
    _time(linking, "Wanneer meldde de verwerker het aan ons: tijd", told)
    page.get_by_role("button", name="Koppelen").click()
    settle(page)
    page.get_by_text("De partij is gekoppeld aan dit incident.").wait_for()
    page.get_by_text(DELAY).wait_for()
    with store.unit(server.db_path) as db:
        (row,) = db.query(
            "SELECT roles, party_aware_at, party_told_at FROM incident_parties WHERE incident_id = ?",
            [reported.id],
        )
    assert row["roles"] == '["reported"]'
    assert (clock.from_iso(row["party_aware_at"]), clock.from_iso(row["party_told_at"])) == (aware, told)
    dutch_only(page, names=("Dpo", "Reporter"))

    page.reload()
    settle(page)
    _open_incident(page, reported.reference)
    page.get_by_text(DELAY).wait_for()  # stored, not kept in the browser
    page.get_by_text(re.compile(r"Cloudzorg BV \(verwerker\)")).first.wait_for()

    open_page(page, "FG-team")
    page.get_by_role("button", name="Maak export (CSV)").click()
    settle(page)
    link = page.get_by_role("link", name="Download de verwerkers en ketenpartners (CSV)")
    assert link.get_attribute("href").startswith("/download/")
    with page.expect_download(timeout=30000) as info:
        link.click()
    target = tmp_path / "register.csv"
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("verwerkers-en-partners-gemeente-test-")
    rows = list(csv.reader(io.StringIO(Path(target).read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Soort", "Naam"]
    assert rows[1][:3] == ["Verwerker", "Cloudzorg BV", "VWO-2024-017"]
    assert rows[1][8] == "48"
