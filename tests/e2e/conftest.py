"""Browser tests: a real Streamlit server on a free port and Debian's Chromium.

The browser comes from Debian (``/usr/bin/chromium``); nothing is downloaded. Without
it the tests are skipped locally, and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import re
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


def open_options(page, box, option: str, exact: bool = False):
    """Open the list of a select box and find ``option`` in it. A long list is filtered by
    typing; a short one takes no typing (``filter_mode=None``: no English "No results") and
    shows every option. A click that lands while the page is still running only focuses the
    field, so it is opened until it is open."""
    field = box.locator("input")
    choice = page.get_by_role("option", name=option, exact=exact).first
    if field.get_attribute("inputmode") != "none":
        field.click()
        field.press_sequentially(option)
    else:
        for _ in range(20):
            if field.get_attribute("aria-expanded") == "true":
                break
            field.click()
            page.wait_for_timeout(250)
    choice.wait_for()
    return choice


def choose_option(page, scope, label: str, option: str, exact: bool = False) -> bool:
    """Pick ``option`` in the selectbox labelled ``label`` inside ``scope``. True when that
    changed the value; outside a form a change starts a run, choosing the chosen one does not."""
    box = scope.locator("[data-testid=stSelectbox]").filter(has_text=label)
    choice = open_options(page, box, option, exact)
    changed = choice.get_attribute("aria-selected") != "true"
    choice.click()
    return changed


def choose_radio(page, question: str, answer: str) -> None:
    group = page.locator("[data-testid=stRadio]").filter(has_text=question)
    group.get_by_text(answer, exact=True).click()


def choose_options(page, label: str, options: list[str]) -> None:
    """Pick options in a multiselect, one by one; Escape closes the list."""
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label)
    for option in options:
        open_options(page, box, option).click()
    page.keyboard.press("Escape")


def fill_letter_report(page, description: str, returned: str = "Weet ik niet", typing: bool = False) -> None:
    """Fill the report form for a letter sent to an old address (the form must be open). The
    description then reaches the server (its field loses focus) before the caller clicks on:
    a click right after typing can be lost under load, a Streamlit limit that only
    ``test_report_once`` is about (``typing=True`` leaves the cursor in the description)."""
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
    if not typing:
        commit_text(page, "Korte beschrijving")


def commit_text(page, label: str) -> None:
    """Let a text area's value reach the server: leave the field and wait for that run."""
    page.get_by_label(label).press("Tab")
    settle(page)


#: The Material icons the app draws (":material/name:"): the browser shows their name's glyph.
MATERIAL_ICONS = {
    name
    for source in [*Path(__file__).parents[2].glob("*.py"), *Path(__file__).parents[2].glob("[pu][ai]*/*.py")]
    for name in re.findall(r":material/([a-z0-9_]+):", source.read_text(encoding="utf-8"))
}


def shown_texts(page, scope: str = "[data-testid=stApp]") -> list[str]:
    """The visible text of ``scope`` line by line, and every text inside the charts' SVG, the
    fields' values and placeholders and every aria-label. The names of Material icons
    ("keyboard_arrow_down") are left out: the browser draws them as an icon, hidden from screen
    readers."""
    icons = set(page.locator("[data-testid=stIconMaterial]").all_text_contents()) | MATERIAL_ICONS
    lines = [line.strip() for line in page.locator(scope).first.inner_text().splitlines()]
    lines = [" ".join(w for w in line.split(" ") if w not in icons) for line in lines]
    svg = page.locator(".main-svg text").all_text_contents()
    fields = page.locator(f"{scope} input, {scope} textarea").evaluate_all(
        "els => els.flatMap(e => [e.value, e.placeholder, e.getAttribute('aria-label') || ''])"
    )
    labels = page.locator(f"{scope} [aria-label], {scope} [title]").evaluate_all(
        "els => els.flatMap(e => [e.getAttribute('aria-label') || '', e.getAttribute('title') || ''])"
    )
    return [t for t in lines + svg + fields + labels if t.strip() and t.strip() not in icons]


def bad(texts: list[str]) -> dict[str, list[str]]:
    """Each text with an internal code or avoidable English in it (``test_dutch_only.offences``)."""
    from tests.pages.test_dutch_only import offences

    return {t: found for t in texts if (found := offences(t))}


#: English that Streamlit 1.67 writes and offers no option for (docs/accessibility.md).
UNAVOIDABLE = {"Show password", "Hide password", "Open"}


def dutch_only(page, scope: str = "[data-testid=stMain]", names: tuple[str, ...] = ()) -> None:
    """What the user sees now holds no internal code and none of the English we can avoid.
    ``names``: people's names in the test data that look like a code ("Reporter")."""
    texts = [t for t in shown_texts(page, scope) if t.strip() not in UNAVOIDABLE]
    for name in names:
        texts = [t.replace(name, "") for t in texts]
    assert bad(texts) == {}
