"""An employee reports; the FG opens it from the queue, completes the facts, reads the advice
with its reasons and records the decision."""

import re

import pytest

from datalek import store
from tests.e2e.conftest import open_page, settle, sign_in
from tests.e2e.test_report_journey import _multiselect, _radio

pytestmark = pytest.mark.e2e


def _report_letter(page) -> str:
    open_page(page, "Datalek melden")
    page.get_by_text("Brief of pakket naar het verkeerde adres", exact=True).click()
    settle(page)
    _radio(page, "Wanneer gebeurde het?", "Weet ik niet")
    settle(page)
    page.get_by_label("Je afdeling of team").fill("Jeugd")
    _multiselect(page, "Welke soorten gegevens?", ["Jeugdhulp- of zorgdossier"])
    _multiselect(page, "Over wie gaat het?", ["Kinderen of jongeren (onder 18)"])
    _radio(page, "Hoeveel mensen", "Precies")
    page.get_by_label("Aantal mensen (laat leeg als je het niet weet)").fill("2")
    _multiselect(page, "Wie heeft de gegevens gekregen", ["Een andere bekende persoon (zoals een ouder of inwoner)"])
    _radio(page, "Zijn de gegevens teruggegeven of verwijderd?", "Ja, maar dat is nog niet bevestigd")
    page.get_by_label("Korte beschrijving").fill("Hulpverleningsplan naar een oud adres gestuurd.")
    page.get_by_role("button", name="Versturen").click()
    settle(page)
    success = page.locator("[data-testid=stAlertContentSuccess]")
    success.wait_for()
    return re.search(r"DL-\d{4}-\d{4}", success.inner_text()).group(0)


def test_fg_assesses_and_decides(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    reference = _report_letter(page)
    page.get_by_role("button", name="Afmelden").click()
    settle(page)

    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    chooser = page.locator("[data-testid=stSelectbox]").filter(has_text="Open een melding")
    chooser.locator("input").click()
    chooser.locator("input").press_sequentially(reference)
    page.get_by_role("option", name=reference).first.click()
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()

    page.get_by_role("tab", name="Beoordeling").click()
    page.get_by_text("De organisatie is jeugdhulpaanbieder of sociaal team").click()
    page.get_by_label("Gevolgen voor de betrokkenen").fill("Een ouder kan het plan van een ander gezin lezen.")
    page.get_by_label("Genomen maatregelen om het lek te herstellen en gevolgen te beperken").fill(
        "Ontvanger gebeld en gevraagd de brief terug te sturen.")
    page.get_by_role("button", name="Feiten opslaan en advies berekenen").click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()

    page.get_by_role("tab", name="Advies en besluit").click()
    page.get_by_text("Waarom", exact=True).wait_for()
    assert page.get_by_text(re.compile(r"art\. 3[34]")).count() > 0
    _radio(page, "Melden bij de AP?", "Ja")
    _radio(page, "Betrokkenen informeren?", "Ja")
    page.get_by_label("Motivering van je besluit").fill("Zorgdossier van een kind bij een ander gezin.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    settle(page)
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    with store.unit(server.db_path) as db:
        row = db.execute(
            "SELECT d.notify_authority, d.inform_subjects, i.status FROM decisions d"
            " JOIN incidents i ON i.id = d.incident_id WHERE i.reference = ?", [reference]
        ).fetchone()
    assert row == (1, "yes", "decided")
