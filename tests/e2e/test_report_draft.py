"""A report being written survives a reload (F5): the answers come back with a notice; once the
report is sent, a reload shows an empty form. In Chromium, against a real server."""

import json

import pytest
from playwright.sync_api import expect

from datalek import store
from tests.conftest import eventually
from tests.e2e.conftest import choose_options, choose_radio, open_page, settle, sign_in

pytestmark = pytest.mark.e2e

SITUATION = "E-mail naar de verkeerde persoon"
DEPARTMENT = "Wijkteam Zuid"
DESCRIPTION = "Verslag naar de verkeerde ouder gestuurd."
DATA_KIND = "Jeugdhulp- of zorgdossier"
NOTICE = "We hebben je melding van vandaag om"


def draft_of(db_path) -> dict | None:
    with store.unit(db_path) as db:
        row = db.execute("SELECT answers FROM report_drafts").fetchone()
    return json.loads(row[0]) if row else None


def type_and_leave(page, label: str, text: str) -> None:
    """Type into a field and leave it (Tab): that is when the browser sends the value."""
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Tab")
    settle(page)


def situation(page):
    group = page.locator("[data-testid=stRadio]").filter(has_text="Kies wat het meest lijkt")
    return group.locator("label", has_text=SITUATION).locator("input")


def chips(page, label: str):
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label)
    return box.locator("[data-testid=stMultiSelectTagsContainer] [data-tag]")


def form_shown(page) -> None:
    """After a reload: wait until the whole form is on screen (its last button)."""
    settle(page)
    page.get_by_role("button", name="Versturen").wait_for(timeout=20000)


def assert_the_answers_are_there(page) -> None:
    expect(situation(page)).to_be_checked()
    expect(page.get_by_label("Je afdeling of team", exact=True)).to_have_value(DEPARTMENT)
    expect(page.get_by_label("Korte beschrijving", exact=True)).to_have_value(DESCRIPTION)
    expect(chips(page, "Welke soorten gegevens?")).to_have_count(1)
    expect(chips(page, "Welke soorten gegevens?")).to_have_attribute("aria-label", DATA_KIND)


def test_a_reload_keeps_the_report_being_written_until_it_is_sent(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Datalek melden")
    page.get_by_text(SITUATION, exact=True).click()
    settle(page)
    choose_radio(page, "Wanneer gebeurde het?", "Weet ik niet")
    settle(page)
    type_and_leave(page, "Je afdeling of team", DEPARTMENT)
    choose_options(page, "Welke soorten gegevens?", [DATA_KIND])
    settle(page)
    type_and_leave(page, "Korte beschrijving", DESCRIPTION)
    assert eventually(lambda: (draft_of(server.db_path) or {}).get("description") == DESCRIPTION, 10)
    assert_the_answers_are_there(page)
    assert page.get_by_text(NOTICE).count() == 0

    page.reload()
    form_shown(page)
    page.get_by_text(NOTICE).wait_for(timeout=20000)  # a new session: only the draft brings it back
    assert_the_answers_are_there(page)

    choose_options(page, "Over wie gaat het?", ["Kinderen of jongeren (onder 18)"])
    settle(page)
    choose_radio(page, "Hoeveel mensen", "Weet ik niet")
    settle(page)
    choose_radio(page, "Waren de gegevens beveiligd?", "Nee")
    settle(page)
    choose_options(page, "Wie heeft de gegevens gekregen", ["Onbekende personen"])
    settle(page)
    choose_radio(page, "Zijn de gegevens teruggegeven of verwijderd?", "Weet ik niet")
    settle(page)
    page.get_by_role("button", name="Versturen").click()
    settle(page)
    page.locator("[data-testid=stAlertContentSuccess]", has_text="Je melding is verstuurd.").wait_for()
    assert draft_of(server.db_path) is None

    page.reload()
    form_shown(page)
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    expect(situation(page)).not_to_be_checked()
    expect(page.get_by_label("Je afdeling of team", exact=True)).to_have_value("")
    expect(page.get_by_label("Korte beschrijving", exact=True)).to_have_value("")
    expect(chips(page, "Welke soorten gegevens?")).to_have_count(0)
