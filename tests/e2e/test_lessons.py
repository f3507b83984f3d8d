"""#17 in Chromium: "Afronden" asks what the organisation learned. Without it the incident stays
open and the form says what is missing; with a theme, the lesson and one of the incident's
preventive measures, the incident closes and the lesson is recorded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import complete_actions, make_report
from tests.e2e.conftest import choose_option, choose_radio, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

LEARNED = "Een collega controleert voortaan het adres voordat een verslag weggaat."


@pytest.fixture(scope="module")
def complete(seeded):
    """A breach decided as the advice says, with everything the register needs to close it
    (``complete_actions`` adds the preventive measure "Adrescontrole in het sjabloon.")."""
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=22),
        discovered_at=now - timedelta(hours=20),
    )
    db = store.connect(path)
    try:
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        saved = assessment.save(db, world["dpo"], incident.id, facts, "Een ouder las het.", "Teruggehaald.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True,
                notify_authority=saved.advice.notify_authority,
                inform=Inform.YES if saved.advice.inform_subjects else Inform.NO,
                motivation="Volgens advies.",
            ),
        )
        complete_actions(db, world["dpo"], incident.id)
    finally:
        db.close()
    return incident


def _row(server, sql: str, params):
    with store.unit(server.db_path) as db:
        return db.execute(sql, params).fetchone()


def test_closing_asks_the_lesson_and_records_it(page, server, seeded, complete):
    _, world = seeded
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", complete.reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(complete.reference)).wait_for()
    open_tab(page, "Afhandelen")
    open_tab(page, "Afronden")
    page.get_by_text("Het dossier is compleet.").wait_for()

    page.get_by_role("button", name="Afronden", exact=True).click()
    settle(page)
    page.get_by_text("Kies het thema waar de les over gaat.").wait_for()
    page.get_by_text("Schrijf op wat de organisatie hiervan leert.").wait_for()
    page.get_by_text("Kies of er een preventieve maatregel volgt.").wait_for()
    assert _row(server, "SELECT status FROM incidents WHERE id = ?", [complete.id]) == ("decided",)

    choose_option(page, page, "Thema", "Bewustwording en werkwijze", exact=True)
    page.get_by_label("Wat leert de organisatie hiervan?").fill(LEARNED)
    page.get_by_label("Wat leert de organisatie hiervan?").press("Tab")
    choose_radio(
        page,
        "Welke preventieve maatregel volgt hieruit?",
        "Een preventieve maatregel die al bij dit incident staat",
    )
    choose_option(page, page, "Preventieve maatregel van dit incident", "Adrescontrole in het sjabloon.")
    page.get_by_role("button", name="Afronden", exact=True).click()
    settle(page)
    page.locator(
        "[data-testid=stAlertContentSuccess]", has_text="Afgerond. Wat de organisatie leert, is vastgelegd."
    ).first.wait_for()

    assert _row(server, "SELECT status FROM incidents WHERE id = ?", [complete.id]) == ("closed",)
    measure = _row(
        server, "SELECT id FROM measures WHERE incident_id = ? AND kind = 'preventive'", [complete.id]
    )[0]
    assert _row(
        server,
        "SELECT theme, learned, prevention, measure_id FROM lessons WHERE incident_id = ?",
        [complete.id],
    ) == ("awareness", LEARNED, "measure", measure)
