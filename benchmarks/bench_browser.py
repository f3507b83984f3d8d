"""Browser time from clicking "Versturen" to the confirmation, in Debian's Chromium.

Baseline, measured in the same run: clicking "Versturen" on an empty form, which is the
same round trip (browser -> server rerun -> rendered answer) without storing anything.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import seeded_db, summary_ms
from tests.e2e.conftest import Server, settle

LAUNCH = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _fill(page) -> None:
    page.get_by_text("Brief of pakket naar het verkeerde adres", exact=True).click()
    settle(page)
    page.locator("[data-testid=stRadio]").filter(has_text="Wanneer gebeurde het?").get_by_text(
        "Weet ik niet", exact=True
    ).click()
    settle(page)
    page.get_by_label("Je afdeling of team").fill("Belastingen")
    for label, option in (
        ("Welke soorten gegevens?", "Naam en adres"),
        ("Over wie gaat het?", "Inwoners"),
        ("Wie heeft de gegevens gekregen", "Onbekende personen"),
    ):
        box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label)
        box.locator("input").click()
        box.locator("input").press_sequentially(option)
        page.get_by_role("option", name=option).first.wait_for()
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    for question, answer in (("Hoeveel mensen", "Weet ik niet"), ("Zijn de gegevens", "Weet ik niet")):
        page.locator("[data-testid=stRadio]").filter(has_text=question).get_by_text(
            answer, exact=True
        ).click()
    page.get_by_label("Korte beschrijving").fill("Brief naar een oud adres gestuurd.")


def run(rounds: int = 8) -> dict | None:
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    from tests.conftest import PASSWORD  # noqa: F401 - same password policy as the tests

    path, _ = seeded_db(Path(tempfile.mkdtemp(prefix="datalek-bbench-")))
    server = Server(path, path.parent / "streamlit.log")
    saves, empties = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH)
            page = browser.new_page()
            page.goto(server.url)
            settle(page)
            page.get_by_label("E-mailadres").fill("melder@bench.invalid")
            page.get_by_label("Wachtwoord").fill("bench-password-123")
            page.get_by_role("button", name="Aanmelden").first.click()
            page.wait_for_selector("[data-testid=stSidebarNav]")
            settle(page)
            for _ in range(rounds):
                start = time.perf_counter()
                page.get_by_role("button", name="Versturen").click()
                page.get_by_text("Kies wat er is gebeurd.").first.wait_for()
                settle(page)
                empties.append(time.perf_counter() - start)
                _fill(page)
                start = time.perf_counter()
                page.get_by_role("button", name="Versturen").click()
                page.locator("[data-testid=stAlertContentSuccess]").wait_for()
                settle(page)
                saves.append(time.perf_counter() - start)
                page.get_by_role("button", name="Nieuwe melding maken").click()
                settle(page)
            browser.close()
    finally:
        server.stop()
    save, empty = summary_ms(saves), summary_ms(empties)
    return {"save": save, "empty": empty, "ratio": save["p50_ms"] / empty["p50_ms"]}
