"""Issue #16 in Chromium: two employees report the same event; the FG merges the second report
into the first from its page, with a reason. The main incident then shows both report texts,
the second employee sees "Samengevoegd met DL-…" in Mijn meldingen, and the register export
lists the duplicate as merged — never as "geen datalek"."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest

from datalek import clock, store
from datalek.handling import incidents, merges
from tests.conftest import click_sent, make_report
from tests.e2e.conftest import (
    choose_option,
    choose_options,
    dutch_only,
    open_page,
    open_tab,
    settle,
    sign_in,
    sign_out,
)
from tests.e2e.test_register import _download, _period_link

pytestmark = pytest.mark.e2e

FIRST = "Verslag van een gezin naar de verkeerde ouder gemaild."
SECOND = "Ik zag dat collega hetzelfde verslag naar de verkeerde ouder stuurde."
REASON = "Dezelfde e-mail, door twee collega's gemeld."


def _report_twice(seeded, first: str, second: str):
    """The same event reported by two employees, an hour apart."""
    path, world = seeded
    now = clock.now()
    made = []
    with store.unit(path) as db:
        for who, text, at in (("reporter", first, now - timedelta(hours=1)), ("reporter2", second, now)):
            report = make_report(
                world.org.id,
                now=at,
                occurred_from=at - timedelta(hours=3),
                discovered_at=at - timedelta(hours=2),
                description=text,
            )
            made.append(incidents.submit_report(db, world[who], report, at=at))
    return made


@pytest.fixture(scope="module")
def reported(seeded):
    return _report_twice(seeded, FIRST, SECOND)


@pytest.fixture(scope="module")
def reported_again(seeded):
    return _report_twice(
        seeded, "Een map met dossiers bleef in de trein liggen.", "Ik vond een map in de trein."
    )


def _open_incident(page, reference: str) -> None:
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def test_the_dpo_merges_a_duplicate_and_everyone_sees_it_merged(page, server, reported, tmp_path):
    main, copy = reported
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    _open_incident(page, copy.reference)
    open_tab(page, "Melding")
    page.get_by_text("Deze melding is een dubbele melding van een andere melding").click()
    page.get_by_label("Kenmerk van de eerste melding (hoofdmelding)").fill(main.reference)
    page.get_by_label("Waarom is dit een dubbele melding?").fill(REASON)
    page.get_by_role("button", name="Samenvoegen met deze hoofdmelding").click()
    settle(page)
    page.get_by_text(f"Samengevoegd met {main.reference}.").first.wait_for(timeout=20000)

    _open_incident(page, main.reference)
    open_tab(page, "Melding")
    page.get_by_text("Samengevoegde meldingen").wait_for()
    page.get_by_text(FIRST, exact=True).wait_for()  # the main incident's own report
    page.get_by_text(SECOND, exact=True).wait_for()  # and the merged one under it
    page.get_by_text(f"Reden van samenvoegen: {REASON}").wait_for()
    dutch_only(page, "[role=tabpanel]", names=("Dpo", "Reporter", "Reporter2"))  # the Melding tab

    open_page(page, "Register")
    _download(page, "Maak export (XLSX)", _period_link("XLSX"), tmp_path / "register.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO((tmp_path / "register.xlsx").read_bytes()))["Register"]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == copy.reference]
    cells = {k: str(c.value or "") for k, c in zip(header, row, strict=True)}
    assert cells["Status"] == "Samengevoegd"
    assert cells["Besluit"] == f"samengevoegd met {main.reference}"
    assert [v for v in cells.values() if "geen datalek" in v.lower()] == []
    sign_out(page)

    sign_in(page, server.url, "reporter2@test.invalid")
    open_page(page, "Mijn meldingen")
    page.get_by_text(f"Samengevoegd met {main.reference}", exact=True).wait_for()
    assert "Geen datalek" not in page.locator("[data-testid=stMain]").inner_text()


def test_merge_from_the_main_side_link_and_undo_with_dutch_messages(page, server, reported, reported_again):
    main, copy = reported_again
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    _open_incident(page, main.reference)
    open_tab(page, "Melding")
    page.get_by_text("Een dubbele melding hierin samenvoegen").click()
    page.get_by_label("Kenmerk van de dubbele melding").fill("DL-2099-0042")
    page.get_by_label("Waarom is die melding dubbel?").fill(REASON)
    page.get_by_role("button", name="Samenvoegen in deze melding").click()
    settle(page)
    page.get_by_text(merges.UNKNOWN_REFERENCE).wait_for()  # next to the field, and what was typed stays
    assert page.get_by_label("Waarom is die melding dubbel?").input_value() == REASON
    page.get_by_label("Kenmerk van de dubbele melding").fill(copy.reference)
    page.get_by_role("button", name="Samenvoegen in deze melding").click()
    settle(page)
    page.get_by_text(f"{copy.reference} is hierin samengevoegd.").wait_for()
    page.get_by_text("Ik vond een map in de trein.", exact=True).wait_for()

    page.get_by_text("Koppelen aan een andere melding").click()
    page.get_by_label("Kenmerk van de andere melding").fill(reported[0].reference)
    page.get_by_label("Hoe hangen de meldingen samen?").fill("Zelfde team, zelfde week.")
    click_sent(page, page.get_by_role("button", name="Koppelen"))
    settle(page)
    page.get_by_text("De meldingen zijn aan elkaar gekoppeld.").wait_for()
    page.get_by_text("Toelichting: Zelfde team, zelfde week.").first.wait_for()

    choose_options(page, "Status", ["Samengevoegd"])
    settle(page)
    _open_incident(page, copy.reference)
    open_tab(page, "Melding")
    page.get_by_text(f"Deze melding is samengevoegd met {main.reference}").wait_for()
    page.get_by_role("button", name="Samenvoegen ongedaan maken").click()
    settle(page)
    page.get_by_text("Schrijf op waarom. Dat is nodig voor het register.").wait_for()
    page.get_by_label("Waarom maak je het samenvoegen ongedaan?").fill("Toch twee verschillende mappen.")
    page.get_by_role("button", name="Samenvoegen ongedaan maken").click()
    settle(page)
    page.get_by_text("Samenvoegen ongedaan gemaakt. De melding staat weer op 'In behandeling'.").wait_for()
