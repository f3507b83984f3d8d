"""An employee reports; the FG opens it from the queue, completes the facts, reads the advice
with its reasons and records the decision."""

import re

import pytest

from datalek import store
from tests.e2e.conftest import (
    choose_option,
    choose_radio,
    dutch_only,
    fill_letter_report,
    open_page,
    settle,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.e2e


def _report_letter(page) -> str:
    open_page(page, "Datalek melden")
    fill_letter_report(
        page, "Hulpverleningsplan naar een oud adres gestuurd.", returned="Ja, maar dat is nog niet bevestigd"
    )
    page.get_by_role("button", name="Versturen").click()
    settle(page)
    success = page.locator("[data-testid=stAlertContentSuccess]")
    success.wait_for()
    return re.search(r"DL-\d{4}-\d{4}", success.inner_text()).group(0)


def test_dpo_assesses_and_decides(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    reference = _report_letter(page)
    sign_out(page)

    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    dutch_only(page)
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    main = page.locator("[data-testid=stMain]")
    assert "Reporter" in main.inner_text() and "reporter@test.invalid" in main.inner_text()  # who reported
    dutch_only(page, names=("Reporter",))  # the test account's name

    page.get_by_role("tab", name="Beoordeling").click()
    page.get_by_text("De organisatie is jeugdhulpaanbieder of sociaal team").click()
    page.get_by_label("Gevolgen voor de betrokkenen").fill(
        "Een ouder kan het plan van een ander gezin lezen."
    )
    page.get_by_label("Genomen maatregelen om het lek te herstellen en gevolgen te beperken").fill(
        "Ontvanger gebeld en gevraagd de brief terug te sturen."
    )
    page.get_by_role("button", name="Feiten opslaan en advies berekenen").click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()
    dutch_only(page, names=("Reporter",))

    page.get_by_role("tab", name="Advies en besluit").click()
    page.get_by_text("Waarom", exact=True).wait_for()
    assert page.get_by_text(re.compile(r"art\. 3[34]")).count() > 0
    choose_radio(page, "Melden bij de AP?", "Ja")
    choose_radio(page, "Betrokkenen informeren?", "Ja")
    page.get_by_label("Motivering van je besluit").fill("Zorgdossier van een kind bij een ander gezin.")
    dutch_only(page, names=("Reporter",))
    page.get_by_role("button", name="Besluit vastleggen").click()
    settle(page)
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    dutch_only(page, names=("Reporter",))
    with store.unit(server.db_path) as db:
        rows = db.execute(
            "SELECT d.notify_authority, d.inform_subjects, i.status FROM decisions d"
            " JOIN incidents i ON i.id = d.incident_id WHERE i.reference = ?",
            [reference],
        ).fetchall()
    assert rows == [(1, "yes", "decided")]
