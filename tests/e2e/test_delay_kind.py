"""Issue #17 in Chromium: the FG records why the AP notification is late together with its
kind. Without a kind the form says so next to the field and keeps her text; after saving, a
reload shows the kind in Dutch, the concept AP-melding §2 gives it, and changing the kind keeps
the old one on record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, choose_radio, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

QUESTION = "Waarom is de melding later dan 72 uur?"
TEXT = "De leverancier van het zaaksysteem meldde het lek pas na vier dagen."
PROCESSOR = "Een verwerker of andere partij meldde het laat"
INVESTIGATION = "Eerst was onderzoek nodig"


@pytest.fixture(scope="module")
def late(seeded):
    """A report discovered 80 hours ago, assessed and decided 'melden bij de AP': overdue."""
    path, world = seeded
    now = clock.now()
    db = store.connect(path)
    try:
        report = make_report(
            world.org.id,
            now=now,
            occurred_from=now - timedelta(hours=82),
            discovered_at=now - timedelta(hours=80),
        )
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(db, world["dpo"], incident.id, facts, "Een ouder las het verslag.", "Gebeld.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True,
                notify_authority=True,
                inform=Inform.YES,
                motivation="Melden.",
                deviation_motivation="Bij twijfel melden.",
            ),
        )
    finally:
        db.close()
    return incident


def _form(page):
    return page.locator("[data-testid=stForm]").filter(has_text=QUESTION)


def _open(page, reference: str) -> None:
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def _stored(path, incident_id: int):
    with store.unit(path) as db:
        row = db.execute(
            "SELECT delay_reason, delay_kind FROM incidents WHERE id = ?", [incident_id]
        ).fetchone()
        changes = db.execute(
            "SELECT field, old_value, new_value FROM incident_changes WHERE incident_id = ? ORDER BY id",
            [incident_id],
        ).fetchall()
    return tuple(row), [tuple(c) for c in changes]


def test_a_late_reason_is_recorded_with_its_kind(page, server, late):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server.url, "dpo@test.invalid")
    _open(page, late.reference)

    _form(page).get_by_label(QUESTION).fill(TEXT)
    _form(page).get_by_role("button", name="Reden vastleggen").click()
    settle(page)
    _form(page).locator(
        "[data-testid=stAlertContentError]", has_text="Kies wat voor reden het is."
    ).wait_for()
    assert _form(page).get_by_label(QUESTION).input_value() == TEXT  # what she typed stays
    assert _stored(server.db_path, late.id) == (("", ""), [])
    dutch_only(page, names=("Reporter",))

    choose_radio(page, "Wat voor reden is het?", PROCESSOR)
    _form(page).get_by_role("button", name="Reden vastleggen").click()
    settle(page)
    page.locator(
        "[data-testid=stAlertContentSuccess]", has_text="De reden van de vertraging is vastgelegd."
    ).wait_for()
    assert _stored(server.db_path, late.id) == ((TEXT, "processor"), [])

    page.reload()
    settle(page)
    _open(page, late.reference)
    page.get_by_text("Reden van de vertraging").first.click()  # the expander
    page.get_by_text(f"Soort reden: {PROCESSOR}").wait_for()
    page.get_by_text(TEXT).first.wait_for()

    open_tab(page, "Afhandelen")
    open_tab(page, "AP-melding")
    concept = page.locator("textarea").filter(has_text=f"Soort reden: {PROCESSOR}.")
    concept.first.wait_for()
    assert TEXT in concept.first.input_value()

    # changing the kind later keeps the old one on record
    choose_radio(page, "Wat voor reden is het?", INVESTIGATION)
    _form(page).get_by_role("button", name="Reden aanpassen").click()
    settle(page)
    page.locator(
        "[data-testid=stAlertContentSuccess]", has_text="De reden van de vertraging is vastgelegd."
    ).wait_for()
    assert _stored(server.db_path, late.id) == (
        (TEXT, "investigation"),
        [("delay_kind", "processor", "investigation")],
    )
    dutch_only(page, names=("Reporter", "Dpo"))  # the test accounts' names
