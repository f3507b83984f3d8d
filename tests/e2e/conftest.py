"""Browser tests: a real Streamlit server on a free port and Debian's Chromium.

The browser comes from Debian (``/usr/bin/chromium``); nothing is downloaded. Without
it the tests are skipped locally, and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from datalek import store
from tests.conftest import PASSWORD, World, settle

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DATALEK_CHROMIUM", "/usr/bin/chromium")


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing: install Debian's 'chromium' package (make test does).")
    pytest.skip("Chromium not installed")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_or_skip(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db_path: Path, log_path: Path, env: dict | None = None):
        self.db_path = db_path
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "server.py"),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DATALEK_DB": str(db_path), **(env or {})},
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("e2e") / "datalek.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        world = World(db)
    finally:
        db.close()
    return path, world


@pytest.fixture(scope="module")
def server(seeded, tmp_path_factory):
    path, _ = seeded
    srv = Server(path, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv
    srv.stop()


def sign_in(page, url: str, email: str, password: str = PASSWORD) -> None:
    """Open the app: an anonymous browser lands on the sign-in form (``/auth/signin``, a page of
    the server without Streamlit); after it, the app opens with the role's menu."""
    page.goto(url)
    page.wait_for_url("**/auth/signin**")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").first.click()
    page.wait_for_selector("[data-testid=stSidebarNav]", timeout=20000)
    settle(page)


def sign_out(page) -> None:
    """The sidebar's "Afmelden" posts to /auth/signout, which ends the session and shows the
    sign-in form with a notice, in the same tab."""
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url("**/auth/signin?reden=ended")
    page.get_by_text("Je bent afgemeld. Meld je opnieuw aan.").wait_for()


def open_page(page, title: str) -> None:
    """Open a page from the menu (no click, and so no run, when it is the page shown)."""
    link = page.locator("[data-testid=stSidebarNav] a", has_text=title).first
    if link.get_attribute("aria-current") != "page":
        link.click()
        settle(page)
    page.get_by_role("heading", name=title).first.wait_for(timeout=20000)


def open_tab(page, name: str) -> None:
    """Open a tab (no click, and so no run, when it is open already)."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
        settle(page)


def choose_option(page, scope, label: str, option: str, exact: bool = False) -> bool:
    """Pick ``option`` in the selectbox labelled ``label`` inside ``scope``. True when that
    changed the value; outside a form a change starts a run, choosing the chosen one does not."""
    box = scope.locator("[data-testid=stSelectbox]").filter(has_text=label)
    box.locator("input").click()
    box.locator("input").press_sequentially(option)
    choice = page.get_by_role("option", name=option, exact=exact).first
    changed = choice.get_attribute("aria-selected") != "true"
    choice.click()
    return changed


def choose_radio(page, question: str, answer: str) -> None:
    group = page.locator("[data-testid=stRadio]").filter(has_text=question)
    group.get_by_text(answer, exact=True).click()


def choose_options(page, label: str, options: list[str]) -> None:
    """Pick options in a multiselect: type each, wait for it, Enter; Escape closes the list."""
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label)
    for option in options:
        box.locator("input").click()
        box.locator("input").press_sequentially(option)
        page.get_by_role("option", name=option).first.wait_for()
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def fill_letter_report(page, description: str, returned: str = "Weet ik niet") -> None:
    """Fill the report form for a letter sent to an old address (the form must be open)."""
    page.get_by_text("Brief of pakket naar het verkeerde adres", exact=True).click()
    settle(page)
    choose_radio(page, "Wanneer gebeurde het?", "Weet ik niet")
    settle(page)
    page.get_by_label("Je afdeling of team").fill("Jeugd")
    choose_options(page, "Welke soorten gegevens?", ["Jeugdhulp- of zorgdossier"])
    choose_options(page, "Over wie gaat het?", ["Kinderen of jongeren (onder 18)"])
    choose_radio(page, "Hoeveel mensen", "Precies")
    page.get_by_label("Aantal mensen (laat leeg als je het niet weet)").fill("2")
    choose_options(
        page, "Wie heeft de gegevens gekregen", ["Een andere bekende persoon (zoals een ouder of inwoner)"]
    )
    choose_radio(page, "Zijn de gegevens teruggegeven of verwijderd?", returned)
    page.get_by_label("Korte beschrijving").fill(description)
