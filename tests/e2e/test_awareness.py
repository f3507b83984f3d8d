"""The FG moves the moment of awareness in the facts form: without a reason the Dutch message
appears next to the reason field and what she typed stays; with a reason it is saved and the
incident shows the old and new value, who and why. A clash in the timeline names both moments."""

import re
from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.handling import incidents
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

SAVE = "Feiten opslaan en advies berekenen"


def _reported(server, seeded, days_ago: int) -> incidents.Incident:
    """A report discovered ``days_ago`` days ago, made through the core."""
    _, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(days=days_ago, hours=3),
        discovered_at=now - timedelta(days=days_ago),
    )
    with store.unit(server.db_path) as db:
        return incidents.submit_report(db, world["reporter"], report)


def _open_facts(page, server, reference: str) -> None:
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    open_tab(page, "Beoordeling")


def _set_date(page, label: str, day) -> None:
    """Type a date into a Streamlit date_input (format DD-MM-YYYY) and close the calendar."""
    box = page.get_by_label(label, exact=True)
    page.get_by_label(f"day, {label}", exact=True).click()  # the first segment, not the middle
    box.press_sequentially(day.strftime("%d-%m-%Y"))
    box.press("Enter")
    box.press("Escape")


def _date_shown(page, label: str) -> tuple[int, int, int]:
    parts = [f"{part}, {label}" for part in ("day", "month", "year")]
    return tuple(int(page.get_by_label(p, exact=True).get_attribute("aria-valuenow")) for p in parts)


def _shown_error(page) -> list[str]:
    return page.locator("[data-testid=stAlertContentError]").all_inner_texts()


def test_moving_the_awareness_needs_a_reason_and_shows_old_and_new(page, server, seeded):
    incident = _reported(server, seeded, days_ago=3)
    _open_facts(page, server, incident.reference)
    old = incident.aware_at.astimezone(clock.AMSTERDAM)
    new_day = old.date() + timedelta(days=1)
    _set_date(page, "Organisatie wist het (datum)", new_day)
    page.get_by_label("Van wie (bijvoorbeeld de naam van de verwerker)").fill("Leverancier zaaksysteem")
    page.get_by_role("button", name=SAVE).click()
    settle(page)
    reason = page.get_by_label("Reden van de wijziging", exact=True)
    message = page.get_by_text(re.compile("bepaalt de termijn van 72 uur"))
    message.wait_for()
    # next to the reason field: the message directly follows it
    following = reason.locator(
        "xpath=ancestor::div[contains(@class,'stElementContainer')][1]/following-sibling::div[1]"
    )
    assert "72 uur" in following.inner_text()
    assert _date_shown(page, "Organisatie wist het (datum)") == (new_day.day, new_day.month, new_day.year)
    assert page.get_by_label("Van wie (bijvoorbeeld de naam van de verwerker)").input_value() == (
        "Leverancier zaaksysteem"
    )
    dutch_only(page, names=("Reporter",))

    reason.fill("Het team hoorde het pas een dag later.")
    page.get_by_role("button", name=SAVE).click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()

    open_tab(page, "Melding")
    main = page.locator("[data-testid=stMain]")
    page.get_by_text("Wijzigingen in de tijdlijn").wait_for()
    text = main.inner_text()
    moved = old + timedelta(days=1)
    assert (
        f"Moment van bewustwording: {old.strftime('%d-%m-%Y %H:%M')} → {moved.strftime('%d-%m-%Y %H:%M')}"
        in text
    )
    assert "Door Dpo op " in text and "Reden: Het team hoorde het pas een dag later." in text
    assert "Eerst vastgelegd moment van weten" in text
    dutch_only(page, names=("Reporter", "Dpo"))


def test_a_clash_in_the_facts_form_names_both_moments(page, server, seeded):
    incident = _reported(server, seeded, days_ago=2)
    _open_facts(page, server, incident.reference)
    found = incident.discovered_at.astimezone(clock.AMSTERDAM)
    _set_date(page, "Organisatie wist het (datum)", found.date() - timedelta(days=1))
    page.get_by_label("Reden van de wijziging", exact=True).fill("Eerder gehoord van een collega.")
    page.get_by_role("button", name=SAVE).click()
    settle(page)
    page.get_by_text(re.compile("vóór het lek ontdekt werd")).wait_for()
    (message,) = [m for m in _shown_error(page) if "vóór het lek ontdekt werd" in m]
    assert message.split("\n")[-1].startswith("De organisatie wist het (")
    assert f"vóór het lek ontdekt werd ({found.strftime('%d-%m-%Y %H:%M')})" in message
    assert (
        page.get_by_label("Reden van de wijziging", exact=True).input_value()
        == "Eerder gehoord van een collega."
    )
    with store.unit(server.db_path) as db:
        n = db.execute(
            "SELECT count(*) FROM incident_changes WHERE incident_id = ?", [incident.id]
        ).fetchone()[0]
    assert n == 0
