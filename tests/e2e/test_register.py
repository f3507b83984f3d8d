"""Issue #17 in Chromium: the FG exports the register for the AP from the register page —
the XLSX (with real date cells) and the printable HTML — through the authenticated download
route, and each holds what the register must: here who was consulted for the decision."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pytest

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import open_page, settle, sign_in

pytestmark = pytest.mark.e2e

CONSULTED = "leidinggevende, CISO"


@pytest.fixture(scope="module")
def decided(seeded):
    """A breach reported three hours ago, assessed and decided after consulting two people."""
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id, now=now, occurred_from=now - timedelta(hours=4), discovered_at=now - timedelta(hours=3)
    )
    db = store.connect(path)
    try:
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(db, world["dpo"], incident.id, facts, "Gevolgen voor het gezin.", "Teruggevraagd.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True,
                notify_authority=True,
                inform=Inform.YES,
                motivation="Volgens advies.",
                consulted=CONSULTED,
            ),
        )
    finally:
        db.close()
    return incident


def _download(page, button: str, link: str, target):
    page.get_by_role("button", name=button).click()
    settle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("link", name=link).click()
    info.value.save_as(target)
    return info.value.suggested_filename


def _period_link(fmt: str) -> str:
    """The link of the whole year, the period the page proposes."""
    return f"Download het register {clock.now().astimezone(clock.AMSTERDAM).year} ({fmt})"


def test_the_dpo_downloads_the_register_as_xlsx_and_as_printable_html(
    page, server, seeded, decided, tmp_path
):
    _, world = seeded
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Register")
    page.get_by_role("button", name="Maak export (XLSX)").wait_for(timeout=20000)

    name = _download(page, "Maak export (XLSX)", _period_link("XLSX"), tmp_path / "register.xlsx")
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO((tmp_path / "register.xlsx").read_bytes()))["Register"]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == decided.reference]
    cells = dict(zip(header, row, strict=True))
    assert cells["Geraadpleegd"].value == CONSULTED
    assert isinstance(cells["Besluit genomen"].value, datetime) and cells["Besluit genomen"].is_date

    name = _download(
        page, "Maak export (HTML, om te printen)", _period_link("HTML"), tmp_path / "register.html"
    )
    assert name.endswith(".html")
    page.goto((tmp_path / "register.html").as_uri())  # offline: the file itself, as printed
    section = page.locator("section", has=page.get_by_role("heading", level=2, name=decided.reference))
    consulted = section.locator("tr", has=page.locator("th", has_text="Geraadpleegd")).locator("td")
    assert consulted.inner_text() == CONSULTED
