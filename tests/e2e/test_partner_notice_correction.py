"""Issue #16 in Chromium, "Ketenpartners geïnformeerd": the FG records that a partner was told,
with its reply, and then corrects the reply and the moment of telling. Without a reason the
correction is refused with a Dutch message next to the reason field and everything typed stays;
with a reason it is saved: the row shows the new values, the history the old ones with who and
why, a reload keeps it, and nothing is recorded twice. Saving the form unchanged says that
nothing was changed (not "opgeslagen") and records nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from datalek import clock, store
from datalek.accounts import auth
from datalek.handling import incidents
from tests.conftest import click_sent, eventually, make_report, script_runs
from tests.e2e.conftest import choose_option, settle, sign_in
from tests.e2e.test_chain_incidents import _date, _form, _open_incident, _time

pytestmark = pytest.mark.e2e

PARTNER = "Stichting Leerlingvervoer"
TOLD = "Dat de leerlingenlijst naar het verkeerde adres is gemaild en wat erin stond."
REPLY = "Zij melden zelf niet; wij melden voor beiden."
BETTER = "Zij melden zelf bij de AP, meldnummer M-2026-000123."
WHY = "Het eerste antwoord was een misverstand: zij bellen terug dat ze toch zelf melden."
NO_REASON = "Geef de reden van de wijziging. Het oude gegeven bewaren we met de reden."
NOTHING_CHANGED = "Je hebt niets gewijzigd. Er is niets opgeslagen."
REASON_LABEL = "Waarom wijzig je dit? (niet nodig als je alleen het antwoord invult)"
REPLY_LABEL = "Antwoord van de partner (als dat er al is)"


def _whole_hour(moment):
    return moment.astimezone(clock.AMSTERDAM).replace(minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def reported(seeded):
    """A report made 30 hours after the organisation knew of it."""
    path, world = seeded
    with store.unit(path) as db:
        now = clock.now()
        report = make_report(
            world.org.id,
            now=now,
            occurred_from=now - timedelta(hours=40),
            discovered_at=now - timedelta(hours=30),
        )
        return incidents.submit_report(db, auth.actor_for(db, world["reporter"].user_id), report, at=now)


def _choose_row(page) -> None:
    """Open the notice in the correction block. The list is opened, and the option clicked,
    again when a click landed while the page still redrew (it then only focuses the field, or
    the list closes under the pointer)."""
    box = page.locator("[data-testid=stSelectbox]").filter(
        has_text="Antwoord invullen, verbeteren of intrekken"
    )
    field, option = box.locator("input"), page.get_by_role("option", name=PARTNER).first
    runs = script_runs(page)
    for _ in range(3):
        for _ in range(20):
            if field.get_attribute("aria-expanded") == "true":
                break
            field.click()
            page.wait_for_timeout(250)
        before = runs.sent
        try:
            option.click(timeout=10_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        if eventually(lambda before=before: runs.sent > before, 5, lambda: page.wait_for_timeout(20)):
            break
    settle(page)
    _form(page, "Wijziging opslaan").get_by_text(f"Partner: {PARTNER}").wait_for()


def _rows(server, incident_id: int) -> tuple[list, list]:
    with store.unit(server.db_path) as db:
        notices = db.execute(
            "SELECT partner_name, told_at, reply FROM partner_notices WHERE incident_id = ?", [incident_id]
        ).fetchall()
        changes = db.execute(
            "SELECT field, old_value, new_value, reason FROM partner_notice_changes WHERE incident_id = ?"
            " ORDER BY id",
            [incident_id],
        ).fetchall()
    return [tuple(r) for r in notices], [tuple(r) for r in changes]


def test_a_partner_notice_is_corrected_only_with_a_reason_and_keeps_its_history(page, server, reported):
    now = clock.now()
    told, replied = _whole_hour(now - timedelta(hours=5)), _whole_hour(now - timedelta(hours=3))
    if told.hour == 0:  # the correction changes the time only: keep it on the same day
        told -= timedelta(hours=1)
    earlier = told - timedelta(hours=1)  # the moment as the FG finds it in her call log

    sign_in(page, server.url, "dpo@test.invalid")
    _open_incident(page, f"{reported.reference}", reported.reference)
    telling = _form(page, "Wat heb je verteld?").filter(has_text="Vastleggen")
    telling.get_by_label("Naam van de partner").fill(PARTNER)
    telling.get_by_label("Wat heb je verteld?").fill(TOLD)
    _date(telling, "Wanneer geïnformeerd: datum", told.date())
    _time(telling, "Wanneer geïnformeerd: tijd", told)
    choose_option(page, telling, "Hoe?", "Telefoon")
    telling.get_by_label(REPLY_LABEL).fill(REPLY)
    _date(telling, "Wanneer kwam het antwoord: datum", replied.date())
    _time(telling, "Wanneer kwam het antwoord: tijd", replied)
    click_sent(page, page.get_by_role("button", name="Vastleggen", exact=True))
    settle(page)
    page.get_by_text("Vastgelegd: de partner is geïnformeerd.").wait_for()
    notices, changes = _rows(server, reported.id)
    assert notices == [(PARTNER, clock.to_iso(told), REPLY)] and changes == []

    _choose_row(page)
    fixing = _form(page, "Wijziging opslaan")
    fixing.get_by_label(REPLY_LABEL).wait_for()
    assert fixing.get_by_label(REPLY_LABEL).input_value() == REPLY  # the form starts from the row
    fixing.get_by_label(REPLY_LABEL).fill(BETTER)
    _time(fixing, "Wanneer geïnformeerd: tijd", earlier)
    click_sent(page, fixing.get_by_role("button", name="Wijziging opslaan"))
    settle(page)
    fixing.get_by_text(NO_REASON).wait_for()  # next to the field, inside the correction form
    assert fixing.get_by_label(REPLY_LABEL).input_value() == BETTER  # what was typed stays
    kept = fixing.get_by_label("Wanneer geïnformeerd: tijd", exact=True).inner_text()
    assert re.sub(r"[^0-9:]", "", kept) == earlier.strftime("%H:%M")
    assert page.get_by_text("De wijziging is opgeslagen.").count() == 0
    assert _rows(server, reported.id) == ([(PARTNER, clock.to_iso(told), REPLY)], [])

    fixing.get_by_label(REASON_LABEL).fill(WHY)
    click_sent(page, fixing.get_by_role("button", name="Wijziging opslaan"))
    settle(page)
    page.get_by_text("De wijziging is opgeslagen.").wait_for()
    _shows_the_correction(page, told, earlier)

    page.reload()
    page.wait_for_selector("[data-testid=stSidebarNav]", timeout=20000)
    settle(page)
    _open_incident(page, f"{reported.reference}", reported.reference)
    _shows_the_correction(page, told, earlier)
    notices, changes = _rows(server, reported.id)
    assert notices == [(PARTNER, clock.to_iso(earlier), BETTER)]
    expected = [("told_at", clock.to_iso(told), clock.to_iso(earlier), WHY), ("reply", REPLY, BETTER, WHY)]
    assert sorted(changes) == sorted(expected)

    # the form again, as it stands (the saved values), with a reason: nothing is changed, and
    # the page must not say that a change was saved
    _choose_row(page)
    fixing = _form(page, "Wijziging opslaan")
    assert fixing.get_by_label(REPLY_LABEL).input_value() == BETTER
    fixing.get_by_label(REASON_LABEL).fill(WHY)
    click_sent(page, fixing.get_by_role("button", name="Wijziging opslaan"))
    settle(page)
    assert page.get_by_text("De wijziging is opgeslagen.").count() == 0, "an unchanged form said 'opgeslagen'"
    fixing.get_by_text(NOTHING_CHANGED).wait_for()
    assert fixing.get_by_label(REASON_LABEL).input_value() == WHY  # what was typed stays
    notices, changes = _rows(server, reported.id)
    assert notices == [(PARTNER, clock.to_iso(earlier), BETTER)] and sorted(changes) == sorted(expected)


def _shows_the_correction(page, told, earlier) -> None:
    shown = page.locator("[data-testid=stMain]").inner_text()
    assert f"): {BETTER}" in shown and f"): {REPLY}" not in shown
    assert f"telefoon, {clock.format_local(earlier)}" in shown, shown
    assert f"Antwoord: {REPLY} → {BETTER}" in shown
    assert f"Geïnformeerd op: {clock.format_local(told)} → {clock.format_local(earlier)}" in shown
    assert re.search(r"Door Dpo op .*\nReden: " + re.escape(WHY), shown)
    assert shown.count(f"Verteld: {TOLD}") == 1  # one row, not two
