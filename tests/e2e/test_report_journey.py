"""An employee reports an e-mail sent to the wrong person, with a BSN in the description."""

import re

import pytest

from datalek import store
from tests.e2e.conftest import open_page, settle, sign_in

pytestmark = pytest.mark.e2e


def _radio(page, question: str, answer: str) -> None:
    group = page.locator("[data-testid=stRadio]").filter(has_text=question)
    group.get_by_text(answer, exact=True).click()


def _multiselect(page, label: str, options: list[str]) -> None:
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label)
    for option in options:
        box.locator("input").click()
        box.locator("input").press_sequentially(option)
        page.get_by_role("option", name=option).first.wait_for()
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_employee_reports_redacts_and_finds_it_back(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Datalek melden")
    page.get_by_text("E-mail naar de verkeerde persoon", exact=True).click()
    settle(page)
    _radio(page, "Wanneer gebeurde het?", "Weet ik niet")
    settle(page)
    page.get_by_label("Je afdeling of team").fill("Jeugd")
    _multiselect(page, "Welke soorten gegevens?", ["Naam en adres", "Jeugdhulp- of zorgdossier"])
    _multiselect(page, "Over wie gaat het?", ["Kinderen of jongeren (onder 18)"])
    _radio(page, "Hoeveel mensen", "Precies")
    page.get_by_label("Aantal mensen (laat leeg als je het niet weet)").fill("1")
    _radio(page, "Waren de gegevens beveiligd?", "Nee")
    _multiselect(page, "Wie heeft de gegevens gekregen", ["Onbekende personen"])
    _radio(page, "Zijn de gegevens teruggegeven of verwijderd?", "Weet ik niet")
    page.get_by_label("Korte beschrijving").fill(
        "Verslag met BSN 111222333 naar een verkeerde ouder gestuurd."
    )
    page.get_by_role("button", name="Versturen").click()
    settle(page)

    # Nothing is stored before the employee chooses what to do with the BSN.
    page.get_by_text("BSN in je beschrijving").wait_for()
    with store.unit(server.db_path) as db:
        assert db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0

    page.get_by_role("button", name="Alles vervangen en versturen").click()
    settle(page)
    success = page.locator("[data-testid=stAlertContentSuccess]")
    success.wait_for()
    reference = re.search(r"DL-\d{4}-\d{4}", success.inner_text()).group(0)
    with store.unit(server.db_path) as db:
        description = db.execute("SELECT description FROM incidents").fetchone()[0]
    assert "111222333" not in description and "[BSN]" in description

    open_page(page, "Mijn meldingen")
    page.get_by_role("cell", name=reference, exact=True).wait_for()

    page.get_by_role("button", name="Afmelden").click()
    settle(page)
    sign_in(page, server.url, "reporter2@test.invalid")
    open_page(page, "Mijn meldingen")
    page.get_by_text("Je hebt nog geen meldingen gedaan.").wait_for()
    assert page.get_by_role("cell", name=reference, exact=True).count() == 0
