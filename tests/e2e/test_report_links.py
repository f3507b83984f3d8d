"""Issue #16 "Melden zonder account" in Chromium: the FG makes a report link for a processor on
the FG-team page; the processor opens it in a fresh browser without an account, sees only the
report form, reports, and gets the confirmation with the reference and a follow-up link; with
that link it reads its report back and adds information. Every other page address is "not
found" for either guest. The FG sees the report in her queue "Gemeld via link", revokes the
link, and the revoked link then shows a Dutch message and no form."""

from __future__ import annotations

import re

import pytest

from datalek import store
from datalek.handling import processors
from navigation import ALL_PAGES, SET_PASSWORD, SETUP, SIGNIN
from tests.conftest import new_context
from tests.e2e.conftest import (
    choose_option,
    commit_text,
    dutch_only,
    fill_letter_report,
    open_page,
    open_tab,
    settle,
    sign_in,
)
from tests.test_processors import CLOUDZORG

pytestmark = pytest.mark.e2e

LABEL = "Cloudzorg meldt zelf"
WHAT = "Een back-up van het jeugddossier stond een nacht onbeveiligd op een testserver."
MORE = "Het ging om de back-up van 3 november; de testserver is nu uit."
#: Every page address of every role, and the pages before signing in.
ADDRESSES = sorted({spec.url_path for spec in (*ALL_PAGES, SETUP, SIGNIN, SET_PASSWORD)})


@pytest.fixture
def party(seeded):
    path, world = seeded
    with store.unit(path) as db:
        return processors.add(db, world["dpo"], world.org.id, CLOUDZORG)


def _form(page, button: str):
    return page.locator("[data-testid=stForm]").filter(has_text=button)


def _make_link(page, server) -> str:
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "FG-team")
    making = _form(page, "Meldlink maken")
    making.get_by_label("Naam van de link (bijvoorbeeld 'Uitzendkrachten zorg')").fill(LABEL)
    making.get_by_text("Verwerker of ketenpartner", exact=True).click()
    choose_option(page, making, "Welke verwerker of ketenpartner?", "Cloudzorg BV")
    making.get_by_role("button", name="Meldlink maken").click()
    settle(page)
    page.get_by_text("De meldlink is gemaakt.").wait_for()
    page.get_by_text("Je ziet hem maar één keer").wait_for()
    link = page.get_by_label("De nieuwe meldlink").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/auth/melden\?t=[A-Za-z0-9_-]{{43}}", link), link
    return link


def _only_its_own_page(guest, server, own: str, title: str) -> None:
    """Every other address shows the Dutch "not found" page, no menu, and nothing of the app."""
    for address in ADDRESSES:
        if address == own:
            continue
        guest.goto(f"{server.url}/{address}")
        guest.get_by_role("heading", name="Pagina niet gevonden").wait_for()
        guest.get_by_text("Deze pagina bestaat niet, of hij is niet voor jou.").wait_for()
        guest.get_by_role("link", name=f"Naar {title}").wait_for()
        settle(guest)
        assert guest.locator("[data-testid=stSidebarNav]").count() == 0
        assert guest.locator("[data-testid=stMain] input, [data-testid=stMain] textarea").count() == 0


def test_a_processor_reports_through_a_link_adds_to_it_and_the_fg_revokes_it(page, server, party, browser):
    link = _make_link(page, server)

    context = new_context(browser)
    guest = context.new_page()
    guest.goto(link)
    guest.wait_for_url(f"{server.url}/melden")
    guest.get_by_role("heading", name="Datalek melden").wait_for()
    guest.get_by_text("Je meldt zonder account, via een link van de FG.").wait_for()
    settle(guest)
    assert guest.locator("[data-testid=stSidebarNav]").count() == 0
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["datalek_gast"]["httpOnly"] and "datalek_sessie" not in cookies
    fill_letter_report(guest, WHAT)
    guest.get_by_role("button", name="Versturen").click()
    settle(guest)
    confirmed = guest.get_by_text(re.compile(r"Het nummer van je melding is DL-\d{4}-\d{4}"))
    confirmed.wait_for()
    reference = re.search(r"DL-\d{4}-\d{4}", confirmed.inner_text()).group(0)
    guest.get_by_role("heading", name="Wat gebeurt er nu?").wait_for()
    follow_up = guest.get_by_label("Je link om aan te vullen").input_value()
    assert follow_up.startswith(f"{server.url}/auth/aanvullen?t=")
    assert guest.get_by_text("Mijn meldingen").count() == 0
    dutch_only(guest)
    _only_its_own_page(guest, server, "melden", "Datalek melden")

    guest.goto(follow_up)
    guest.wait_for_url(f"{server.url}/aanvullen")
    guest.get_by_role("heading", name="Melding aanvullen").wait_for()
    guest.get_by_text(WHAT).wait_for()  # its own report, read back
    guest.get_by_label("Wat wil je toevoegen?").fill(MORE)
    commit_text(guest, "Wat wil je toevoegen?")
    guest.get_by_role("button", name="Aanvulling toevoegen").click()
    settle(guest)
    guest.get_by_text("Je aanvulling is opgeslagen.").wait_for()
    guest.get_by_text(MORE).wait_for()
    dutch_only(guest)
    _only_its_own_page(guest, server, "aanvullen", "Melding aanvullen")
    context.close()

    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    open_tab(page, "Melding")
    facts = page.locator("[data-testid=stTable]").filter(has_text="Gemeld via link")
    facts.wait_for()
    assert LABEL in facts.inner_text()
    page.get_by_text(MORE).wait_for()

    open_page(page, "FG-team")
    choose_option(page, page, "Welke link?", LABEL)
    settle(page)
    revoking = _form(page, "Intrekken")
    revoking.get_by_label("Waarom trek je de link in?").fill("Het contract met Cloudzorg is beëindigd.")
    revoking.get_by_role("button", name="Intrekken").click()
    settle(page)
    page.get_by_text("De meldlink is ingetrokken.").wait_for()

    late = new_context(browser).new_page()
    late.goto(link)
    late.get_by_role("heading", name="Deze link werkt niet").wait_for()
    late.get_by_text("Deze link is ingetrokken door de FG.").wait_for()
    assert late.locator("form, input, textarea").count() == 0
    late.goto(f"{server.url}/melden")
    late.wait_for_url("**/auth/signin**")  # no way into the app either
