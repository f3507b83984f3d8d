"""An employee reports an e-mail sent to the wrong person, with a BSN in the description."""

import re

import pytest

from datalek import store
from tests.e2e.conftest import choose_options, choose_radio, open_page, settle, sign_in

pytestmark = pytest.mark.e2e


def test_employee_reports_redacts_and_finds_it_back(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Datalek melden")
    page.get_by_text("E-mail naar de verkeerde persoon", exact=True).click()
    settle(page)
    choose_radio(page, "Wanneer gebeurde het?", "Weet ik niet")
    settle(page)
    page.get_by_label("Je afdeling of team").fill("Jeugd")
    choose_options(page, "Welke soorten gegevens?", ["Naam en adres", "Jeugdhulp- of zorgdossier"])
    choose_options(page, "Over wie gaat het?", ["Kinderen of jongeren (onder 18)"])
    choose_radio(page, "Hoeveel mensen", "Precies")
    page.get_by_label("Aantal mensen (laat leeg als je het niet weet)").fill("1")
    choose_radio(page, "Waren de gegevens beveiligd?", "Nee")
    choose_options(page, "Wie heeft de gegevens gekregen", ["Onbekende personen"])
    choose_radio(page, "Zijn de gegevens teruggegeven of verwijderd?", "Weet ik niet")
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
