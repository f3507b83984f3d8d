"""Issue #14 in Chromium: the queue keeps the clock after a decision to notify until the AP
notification is recorded; an overdue clock asks for the reason of the delay, and the
"Aandacht" flag goes once it is given."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.handling import assessment, incidents, prefill
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, choose_radio, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def made(seeded):
    """Two reports, assessed: one discovered 20 hours ago, one 80 hours ago (overdue)."""
    path, world = seeded
    now = clock.now()
    found = {}
    db = store.connect(path)
    try:
        for name, hours in (("fresh", 20), ("late", 80)):
            report = make_report(
                world.org.id,
                now=now,
                occurred_from=now - timedelta(hours=hours + 2),
                discovered_at=now - timedelta(hours=hours),
            )
            incident = incidents.submit_report(db, world["reporter"], report, at=now)
            facts = prefill.facts_from_report(incident, world.org)
            assessment.save(db, world["dpo"], incident.id, facts, "Een ouder las het verslag.", "Gebeld.")
            found[name] = incident
    finally:
        db.close()
    return found


def _row(page, reference: str):
    """The queue's row (the incident's own facts table also has a row with its number)."""
    queue = page.locator("[data-testid=stTable]").filter(has_text="Urgentie")
    return queue.locator("tr", has_text=reference)


def _cell_text(page, reference: str, text) -> None:
    _row(page, reference).filter(has_text=text).wait_for()


def _fits_a_laptop(page) -> None:
    """The queue with its longest clock labels still fits 1280 px (tests/e2e/test_screens_fit.py)."""
    table = page.locator("[data-testid=stTable]").filter(has_text="Urgentie")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    overflowing = table.evaluate(
        "t => [t, ...t.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert overflowing == 0
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _open(page, reference: str) -> None:
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def test_the_queue_keeps_the_clock_until_the_ap_notification(page, server, made):
    fresh = made["fresh"].reference
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    _cell_text(page, fresh, re.compile(r"nog 5\d uur"))
    _open(page, fresh)

    open_tab(page, "Advies en besluit")
    choose_radio(page, "Melden bij de AP?", "Ja")
    choose_radio(page, "Betrokkenen informeren?", "Ja")
    page.get_by_label("Motivering van je besluit").fill("Verslag over een kind bij een ander gezin.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    settle(page)
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    _cell_text(page, fresh, re.compile(r"Besloten te melden — nog 5\d uur"))
    assert "Minder dan 24 uur" not in _row(page, fresh).inner_text()
    _fits_a_laptop(page)
    page.get_by_role("heading", name=re.compile(rf"{fresh}: Besloten te melden — nog 5\d uur")).wait_for()
    dutch_only(page, names=("Reporter",))

    open_tab(page, "Afhandelen")
    open_tab(page, "AP-melding")
    page.get_by_label("Meldnummer van de AP").fill("M-2026-141414")
    page.get_by_role("button", name="Melding vastleggen").click()
    settle(page)
    page.locator(
        "[data-testid=stAlertContentSuccess]", has_text="De melding bij de AP is vastgelegd."
    ).wait_for()
    _cell_text(page, fresh, "Gemeld bij de AP")
    assert "Geen termijn" in _row(page, fresh).inner_text()
    assert "Besloten te melden" not in _row(page, fresh).inner_text()


def test_an_overdue_clock_asks_for_the_reason_of_the_delay(page, server, made):
    late = made["late"].reference
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    _cell_text(page, late, "Reden vertraging ontbreekt")
    _fits_a_laptop(page)
    _open(page, late)

    form = page.locator("[data-testid=stForm]").filter(has_text="Waarom is de melding later dan 72 uur?")
    form.get_by_role("button", name="Reden vastleggen").click()
    settle(page)
    form = page.locator("[data-testid=stForm]").filter(has_text="Waarom is de melding later dan 72 uur?")
    form.locator(
        "[data-testid=stAlertContentError]", has_text="Schrijf op waarom de melding later is dan 72 uur."
    ).wait_for()

    form.get_by_label("Waarom is de melding later dan 72 uur?").fill(
        "Het weekend: de FG las de mail pas maandag."
    )
    choose_radio(
        page, "Wat voor reden is het?", "Het lek kwam laat bij de FG (weekend, vakantie, afwezigheid)"
    )
    form.get_by_role("button", name="Reden vastleggen").click()
    settle(page)
    page.locator(
        "[data-testid=stAlertContentSuccess]", has_text="De reden van de vertraging is vastgelegd."
    ).wait_for()
    _row(page, late).wait_for()
    assert "Reden vertraging ontbreekt" not in _row(page, late).inner_text()
    with store.unit(server.db_path) as db:
        (reason,) = db.execute("SELECT delay_reason FROM incidents WHERE reference = ?", [late]).fetchone()
    assert reason == "Het weekend: de FG las de mail pas maandag."
    dutch_only(page, names=("Reporter",))
