"""Issue #17's evidence in Chromium: the FG uploads a screenshot on the incident's tab Melding,
sees it listed, and downloads it through the one-time link with the very same bytes, as an
attachment of the sniffed type; the screen stays Dutch, also around Streamlit's uploader."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from datalek import clock, store
from datalek.handling import incidents
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, dutch_only, open_page, open_tab, settle, sign_in
from tests.test_evidence import PNG

pytestmark = pytest.mark.e2e

NAME = "Schermafdruk <b>mail<b> aan ouder.PNG"  # ".png" would read as a code to dutch_only


@pytest.fixture
def reported(seeded):
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id, now=now, occurred_from=now - timedelta(hours=3), discovered_at=now - timedelta(hours=2)
    )
    with store.unit(path) as db:
        return incidents.submit_report(db, world["reporter"], report, at=now)


def test_the_fg_uploads_a_screenshot_and_downloads_the_same_bytes(page, server, reported, tmp_path):
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reported.reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reported.reference)).wait_for()
    open_tab(page, "Melding")
    page.get_by_text("Nog geen bewijsstukken.").wait_for()
    dutch_only(page, names=("Dpo", "Reporter"))
    assert "per file" not in page.locator("[data-testid=stMain]").inner_text()  # Streamlit's English limit

    upload = tmp_path / NAME
    upload.write_bytes(PNG)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
    page.locator("[data-testid=stFileChip]").first.wait_for()
    page.get_by_label("Toelichting (mag leeg blijven)").fill("Wat de ouder te zien kreeg.")
    page.get_by_role("button", name="Bewijsstuk toevoegen").click()
    settle(page)
    page.get_by_text("Het bestand is toegevoegd.").wait_for()

    listed = page.locator("[data-testid=stText]", has_text=NAME)
    listed.wait_for()  # the name as plain text, the tags literal
    assert page.locator("[data-testid=stMain] b", has_text="mail").count() == 0
    page.get_by_text(re.compile(r"afbeelding \(PNG\), \d+ bytes\. Toegevoegd door Dpo")).wait_for()
    with store.unit(server.db_path) as db:
        (row,) = db.query(
            "SELECT id, file_name, media_type, size FROM evidence WHERE incident_id = ?", [reported.id]
        )
    assert (row["file_name"], row["media_type"], row["size"]) == (NAME, "image/png", len(PNG))
    dutch_only(page, names=("Dpo", "Reporter"))

    page.get_by_role("button", name="Maak download").click()
    settle(page)
    link = page.get_by_role("link", name="Download het bestand")
    href = link.get_attribute("href")
    assert href.startswith("/download/")
    with page.expect_download() as info:
        link.click()
    downloaded = info.value
    assert Path(downloaded.path()).read_bytes() == PNG
    assert downloaded.suggested_filename == f"{reported.reference}-bewijsstuk-{row['id']}.png"
    assert page.request.get(server.url + href).status == 404  # once
