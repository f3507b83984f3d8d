"""Every screen fits and stays Dutch (issue #20), in Chromium:

- the FG's queue fits a 1280x800 laptop screen with all its columns;
- on a phone the menu closes after a page is chosen;
- a reload (F5) on every page of every role shows the same page again, never Streamlit's
  English "Page not found ... Running the app's main page"; signed out, a reload shows the
  sign-in form;
- the FG sees who reported an incident and how to reach them; management never does.
"""

from __future__ import annotations

import pytest

import navigation
from datalek import store
from datalek.accounts import auth
from datalek.accounts.users import create_user
from datalek.handling import incidents
from datalek.models import Actor, Role
from navigation import PAGES_BY_ROLE
from tests.conftest import PASSWORD, make_report, new_context, settle
from tests.e2e.conftest import open_page, open_tab, sign_in
from tests.e2e.test_xss import choose

pytestmark = pytest.mark.e2e

ACCOUNTS = {
    Role.REPORTER: "reporter@test.invalid",
    Role.DPO: "dpo@test.invalid",
    Role.MANAGEMENT: "management@test.invalid",
    Role.ADMIN: "admin@test.invalid",
}
REPORTER_NAME = "Meike Meldster"
REPORTER_EMAIL = "meike.meldster@test.invalid"
#: Markdown-looking text typed by an employee: the queue's table must show it as typed.
DEPARTMENT = "Jeugd *en* Gezin [team]"
ENGLISH = ("Page not found", "Running the app's main page", "You have requested page")
QUEUE_HEADERS = [
    "Nummer",
    "Termijn",
    "Urgentie",
    "Status",
    "Aandacht",
    "Wat er gebeurde",
    "Afdeling",
    "Organisatie",
    "Gemeld",
]


@pytest.fixture(scope="module")
def seeded(seeded):
    """The world, plus a report by an employee with a name of her own and an odd department."""
    path, world = seeded
    db = store.connect(path)
    try:
        meike = create_user(
            db, Actor.cli(), REPORTER_NAME, REPORTER_EMAIL, Role.REPORTER, PASSWORD, [world.org.id]
        )
        made = incidents.submit_report(
            db, auth.actor_for(db, meike.id), make_report(world.org.id, department=DEPARTMENT)
        )
        incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    finally:
        db.close()
    world.meike_reference = made.reference
    return path, world


def no_english(page) -> None:
    page.wait_for_timeout(300)  # Streamlit's "Page not found" dialog comes with the run's messages
    text = page.locator("body").inner_text()
    assert not [phrase for phrase in ENGLISH if phrase in text], text[:500]


# --- 1280 px: the queue ---------------------------------------------------------------------


def test_the_queue_fits_a_laptop_screen(page, server, seeded):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server.url, ACCOUNTS[Role.DPO])
    open_page(page, "Werkvoorraad")
    table = page.locator("[data-testid=stMain] [data-testid=stTable]").first
    table.wait_for()
    headers = table.locator("thead th")
    assert [h.strip() for h in headers.all_inner_texts()] == QUEUE_HEADERS
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    for header in headers.all():
        h = header.bounding_box()
        assert h is not None and h["width"] > 0
        assert box["x"] - 0.5 <= h["x"] and h["x"] + h["width"] <= box["x"] + box["width"] + 0.5, (
            header.inner_text(),
            h,
            box,
        )
    # Nothing inside the table scrolls sideways, and neither does the page.
    overflowing = table.evaluate(
        "t => [t, ...t.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.tagName + ' ' + e.scrollWidth + '>' + e.clientWidth)"
    )
    assert overflowing == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    # The department typed by an employee is shown as typed, not as Markdown.
    assert DEPARTMENT in table.inner_text()


# --- a phone: the menu closes after a choice --------------------------------------------------


def phone_sign_in(page, url: str, email: str) -> None:
    """``sign_in`` on a phone: there the menu starts closed, so wait for it to exist, not to show."""
    page.goto(url)
    page.wait_for_url("**/auth/signin**")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").first.click()
    page.wait_for_selector("[data-testid=stSidebarNav]", state="attached", timeout=20000)
    settle(page)


@pytest.mark.parametrize("device", ["Pixel 7", "iPhone 13"])
def test_on_a_phone_the_menu_closes_after_choosing_a_page(browser, playwright, server, seeded, device):
    context = new_context(
        browser, **{**playwright.devices[device], "viewport": {"width": 390, "height": 844}}
    )
    try:
        phone = context.new_page()
        phone_sign_in(phone, server.url, ACCOUNTS[Role.DPO])
        sidebar = phone.locator("[data-testid=stSidebar]")
        phone.get_by_test_id("stExpandSidebarButton").click()
        phone.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 100"
        )
        phone.locator("[data-testid=stSidebarNav] a", has_text="Register").click()
        settle(phone)
        heading = phone.get_by_role("heading", name="Register").first
        heading.wait_for()
        phone.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0",
            timeout=5000,
        )
        box = sidebar.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0
        # What is at the heading's place is the heading: nothing covers the page.
        h = heading.bounding_box()
        covered = phone.evaluate(
            "([x, y]) => !document.elementFromPoint(x, y)?.closest('[data-testid=stMain]')",
            [h["x"] + min(h["width"], 300) / 2, h["y"] + h["height"] / 2],
        )
        assert not covered
    finally:
        context.close()


# --- F5 on every page of every role -----------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_reload_shows_the_same_page_in_dutch(page, server, seeded, role):
    sign_in(page, server.url, ACCOUNTS[role])
    for spec in PAGES_BY_ROLE[role]:
        open_page(page, spec.title)
        page.wait_for_url(f"**/{spec.url_path}" if spec != PAGES_BY_ROLE[role][0] else "**/*")
        shown = page.url
        page.reload()
        settle(page)
        page.get_by_role("heading", name=spec.title).first.wait_for(timeout=20000)
        assert page.url == shown
        no_english(page)


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=[r.value for r in ACCOUNTS])
def test_the_address_of_a_roles_first_page_opens_it_in_dutch(page, server, seeded, role):
    """A bookmark of the first page, or the link in a reminder ("/werkvoorraad"): Streamlit
    serves its default page at "/" only and said "Page not found" in English (found in
    Chromium; it ran the page underneath all the same)."""
    home = PAGES_BY_ROLE[role][0]
    sign_in(page, server.url, ACCOUNTS[role])
    page.goto(f"{server.url}/{home.url_path}")
    settle(page)
    page.get_by_role("heading", name=home.title).first.wait_for(timeout=20000)
    no_english(page)
    assert page.url.endswith(f"/{home.url_path}")
    # On from there through the menu, and back: still the pages themselves.
    other = PAGES_BY_ROLE[role][1]
    open_page(page, other.title)
    page.get_by_role("heading", name=other.title).first.wait_for(timeout=20000)
    open_page(page, home.title)
    page.get_by_role("heading", name=home.title).first.wait_for(timeout=20000)
    no_english(page)


@pytest.mark.parametrize("path", ["beoordelen", "aanmelden", "wachtwoord-instellen", "werkvoorraad"])
def test_a_path_that_is_not_the_roles_page_is_said_in_dutch(page, server, seeded, path):
    """A link from an old bookmark, the sign-in page after signing in, or another role's page."""
    sign_in(page, server.url, ACCOUNTS[Role.REPORTER])
    page.goto(f"{server.url}/{path}")
    settle(page)
    page.get_by_text("Deze pagina bestaat niet").first.wait_for(timeout=20000)
    no_english(page)
    page.reload()
    settle(page)
    page.get_by_text("Deze pagina bestaat niet").first.wait_for(timeout=20000)
    no_english(page)


def test_signed_out_a_reload_shows_the_sign_in_form(page, server, seeded):
    page.goto(f"{server.url}/beoordelen")
    page.wait_for_url("**/auth/signin**")
    page.reload()
    page.wait_for_url("**/auth/signin**")
    page.get_by_role("heading", name="Aanmelden bij Datalek").wait_for()
    no_english(page)
    # Signing in there leads to the address asked for: not a page, said in Dutch.
    page.get_by_label("E-mailadres").fill(ACCOUNTS[Role.DPO])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").first.click()
    page.wait_for_selector("[data-testid=stSidebarNav]", timeout=20000)
    settle(page)
    no_english(page)


# --- the FG sees the reporter; management never --------------------------------------------------


def test_the_dpo_sees_who_reported_and_management_does_not(page, browser, server, seeded):
    _, world = seeded
    sign_in(page, server.url, ACCOUNTS[Role.DPO])
    open_page(page, "Werkvoorraad")
    choose(page, "Open een melding", world.meike_reference)
    main = page.locator("[data-testid=stMain]")
    assert REPORTER_NAME in main.inner_text() and REPORTER_EMAIL in main.inner_text()
    open_tab(page, "Verloop")
    page.get_by_text(f"Melder: {REPORTER_NAME}").first.wait_for()

    other = new_context(browser)
    try:
        boss = other.new_page()
        sign_in(boss, server.url, ACCOUNTS[Role.MANAGEMENT])
        open_page(boss, navigation.OVERVIEW.title)
        text = boss.locator("body").inner_text()
        assert REPORTER_NAME not in text and REPORTER_EMAIL not in text
    finally:
        other.close()
