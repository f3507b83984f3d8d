"""Issue #14's "done when", in Chromium: a late notification is on record; the FG then learns
the organisation became aware a day later and corrects the moment, with her reason. That is
never a silent edit: the incident says it belongs in a supplement, the supplement concept names
the new moment with the old one and the reason, it still says why the first notification was
late, and the FG records the supplement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.actions import authority, documents
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import dutch_only, open_tab, settle
from tests.e2e.test_awareness import SAVE, _open_facts, _set_date
from tests.e2e.test_concept import _answers, _flash

pytestmark = pytest.mark.e2e

AP_NUMBER = "M-2026-626262"
LATE = "De FG was ziek en haar vervanger was nog niet aangewezen."
WHY = "De verwerker meldde het ons pas een dag later; de medewerker zag toen pas wat er mis was."


@pytest.fixture
def notified(server, seeded):
    """Discovered four days ago, decided (notify), notified late (80 hours), with the concept
    stored with the notification, as the FG's button stores it."""
    _, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(days=4, hours=2),
        discovered_at=now - timedelta(days=4),
    )
    with store.unit(server.db_path) as db:
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(
            db, world["dpo"], incident.id, facts, "Een ouder kon het verslag lezen.", "Verwijderd."
        )
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Volgens advies."
            ),
        )
        at = incident.aware_at + timedelta(hours=80)
        concept = documents.draft_notification(db, world["dpo"], incident.id, LATE, at).snapshot()
        authority.record_initial(db, world["dpo"], incident.id, AP_NUMBER, at, LATE, concept)
    return incident


def test_a_corrected_awareness_after_notifying_becomes_a_supplement(page, server, notified):
    _open_facts(page, server, notified.reference)
    old = notified.aware_at.astimezone(clock.AMSTERDAM)
    _set_date(page, "Organisatie wist het (datum)", old.date() + timedelta(days=1))
    page.get_by_label("Reden van de wijziging", exact=True).fill(WHY)
    page.get_by_role("button", name=SAVE).click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()

    open_tab(page, "Melding")
    page.get_by_text("Gewijzigd na de melding bij de AP: neem dit op in een aanvulling.").wait_for()

    open_tab(page, "Afhandelen")
    open_tab(page, "AP-melding")
    page.get_by_text("Concept aanvulling (alleen wat veranderde)").wait_for()
    answers = _answers(page)
    new = (old + timedelta(days=1)).strftime("%d-%m-%Y %H:%M")
    assert answers["Wanneer werd de organisatie zich bewust van de inbreuk?"] == new
    changes = " ".join(v for q, v in answers.items() if WHY in v)
    assert old.strftime("%d-%m-%Y %H:%M") in changes and new in changes  # old and new, with why
    # The first notification stays late: the correction never turns it into "binnen 72 uur".
    assert "binnen 72 uur gemeld" not in " ".join(answers.values())
    assert all(v != "Onbekend — nog aanvullen" for v in answers.values()), answers
    dutch_only(page, names=("Dpo", "Reporter"))

    page.get_by_label("Wat is er veranderd of aangevuld?").fill(
        "Het moment van bewustwording is gecorrigeerd."
    )
    page.get_by_role("button", name="Aanvulling vastleggen").click()
    settle(page)
    _flash(page, "De aanvulling is vastgelegd.")
    with store.unit(server.db_path) as db:
        rows = db.execute(
            "SELECT kind, late_reason FROM authority_notifications WHERE incident_id = ? ORDER BY id",
            [notified.id],
        ).fetchall()
        late = db.execute(
            "SELECT after_notification FROM incident_changes WHERE incident_id = ? AND field = 'aware_at'",
            [notified.id],
        ).fetchall()
    assert rows == [("initial", LATE), ("supplement", "")]
    assert late == [(1,)]
