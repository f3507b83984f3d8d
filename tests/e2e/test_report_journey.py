"""An employee reports an e-mail sent to the wrong person, with a BSN in the description, and
adds to a report later."""

import re

import pytest

from datalek import store
from datalek.handling import incidents
from tests.conftest import make_report
from tests.e2e.conftest import (
    choose_option,
    choose_options,
    choose_radio,
    commit_text,
    dutch_only,
    open_page,
    settle,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.e2e


def test_employee_reports_redacts_and_finds_it_back(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Datalek melden")
    dutch_only(page)
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
    commit_text(page, "Korte beschrijving")  # a click right after typing can be lost (test_report_once)
    page.get_by_role("button", name="Versturen").click()
    settle(page)

    # Nothing is stored before the employee chooses what to do with the BSN.
    page.get_by_text("BSN in je beschrijving").wait_for()
    dutch_only(page)
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
    dutch_only(page)

    open_page(page, "Mijn meldingen")
    page.get_by_role("cell", name=reference, exact=True).wait_for()
    dutch_only(page)

    sign_out(page)
    sign_in(page, server.url, "reporter2@test.invalid")
    open_page(page, "Mijn meldingen")
    page.get_by_text("Je hebt nog geen meldingen gedaan.").wait_for()
    assert page.get_by_role("cell", name=reference, exact=True).count() == 0


def test_a_supplement_with_identifiers_is_replaced_or_kept_only_knowingly(page, server, seeded):
    """Mijn meldingen: an identifier in a supplement is replaced on request; keeping it on purpose
    covers only what the employee was warned about — a new one is warned about again."""
    path, world = seeded
    with store.unit(path) as db:
        mine = incidents.submit_report(db, world["reporter2"], make_report(world.org.id))
    sign_in(page, server.url, "reporter2@test.invalid")
    open_page(page, "Mijn meldingen")
    if choose_option(page, page, "Bekijk of vul een melding aan", mine.reference):
        settle(page)
    box = page.get_by_label("Wat wil je toevoegen?")

    box.fill("De ontvanger belde terug via 06-12345678.")
    page.get_by_role("button", name="Aanvulling toevoegen").click()
    settle(page)
    page.get_by_text("waarmee iemand te herkennen is (telefoonnummer)").wait_for()
    page.get_by_role("button", name="Vervangen en toevoegen").click()
    settle(page)
    page.locator("[data-testid=stAlertContentSuccess]", has_text="Je aanvulling is opgeslagen.").wait_for()

    box.fill("Gebeld met 06-12345678.")
    page.get_by_role("button", name="Aanvulling toevoegen").click()
    settle(page)
    box.fill("Gebeld met 06-12345678, BSN 111222333.")  # a new identifier after the warning
    page.get_by_role("button", name="Toch toevoegen zoals het is").click()
    settle(page)
    page.get_by_text("waarmee iemand te herkennen is (BSN, telefoonnummer)").wait_for()  # warned again
    with store.unit(path) as db:
        texts = [r[0] for r in db.execute("SELECT text FROM supplements WHERE incident_id = ?", [mine.id])]
    assert texts == ["De ontvanger belde terug via [telefoon]."]
    page.get_by_role("button", name="Toch toevoegen zoals het is").click()
    settle(page)
    page.locator("[data-testid=stAlertContentSuccess]", has_text="Je aanvulling is opgeslagen.").wait_for()
    with store.unit(path) as db:
        texts = [r[0] for r in db.execute("SELECT text FROM supplements WHERE incident_id = ?", [mine.id])]
    assert texts == ["De ontvanger belde terug via [telefoon].", "Gebeld met 06-12345678, BSN 111222333."]
