"""The first browser session after a server start sees its page in Dutch, in Chromium.

Until the first ``st.navigation`` call of a server process, Streamlit takes the ``pages/``
folder next to ``app.py`` for its legacy multipage app: the process's very first script run
looked up the address among the files of ``pages/``, did not find "/aanvullen", sent its
English "Page not found ... Running the app's main page" dialog, and only then ran ``app.py``,
which did find the page. The dialog covered the form until it was closed. Each case here is
the first session of a freshly started server: a guest's follow-up link, a guest's report link,
and an employee's bookmark that goes through the sign-in form first.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts import guest_sessions, report_links
from datalek.handling import incidents
from tests.conftest import PASSWORD, make_report, new_context, settle
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

ENGLISH = ("Page not found", "Running the app's main page", "You have requested page")


def _report_link(server, world) -> str:
    values = {"label": "Zorgteam", "kind": "group", "expires_on": clock.today() + timedelta(days=7)}
    with store.unit(server.db_path) as db:
        return report_links.create(db, world["dpo"], world.org.id, values, server.url).url


def _follow_up_link(server, world) -> str:
    """A report made through a report link, as ``pages/report`` makes it: its follow-up link."""
    url = _report_link(server, world)
    with store.unit(server.db_path) as db:
        opened = guest_sessions.open_link(db, url.split("?t=", 1)[1], "192.0.2.7")
        acting, follow_up = report_links.with_follow_up(guest_sessions.resolve(db, opened.token))
        incidents.submit_report(db, acting, make_report(world.org.id, now=clock.now()))
    return report_links.url(server.url, follow_up, report_links.FOLLOW_UP_PATH)


def _open_as_guest(page, server, world, how: str) -> None:
    link = _follow_up_link(server, world) if how == "follow_up_link" else _report_link(server, world)
    page.goto(link)  # the server's route sets the guest's cookie and sends the browser on


def _open_bookmark_signed_in(page, server, world, how: str) -> None:
    page.goto(f"{server.url}/mijn-meldingen")  # a bookmark: the guard asks to sign in first
    page.wait_for_url("**/auth/signin**")
    page.get_by_label("E-mailadres").fill("reporter@test.invalid")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").first.click()


#: how the first session arrives -> (how to open it, the address it lands on, its heading)
CASES = {
    "bookmark_signed_in": (_open_bookmark_signed_in, "/mijn-meldingen", "Mijn meldingen"),
    "follow_up_link": (_open_as_guest, "/aanvullen", "Melding aanvullen"),
    "report_link": (_open_as_guest, "/melden", "Datalek melden"),
}


@pytest.mark.parametrize("how", sorted(CASES))
def test_the_first_session_after_a_start_shows_no_english_page_not_found(browser, seeded, tmp_path, how):
    db_path, world = seeded
    server = Server(db_path, tmp_path / "streamlit.log")  # a fresh process: this is its first session
    context = new_context(browser)
    try:
        page = context.new_page()
        open_it, path, title = CASES[how]
        open_it(page, server, world, how)
        page.wait_for_url(f"{server.url}{path}")
        page.get_by_role("heading", name=title).first.wait_for(timeout=20000)
        settle(page)
        page.wait_for_timeout(300)  # Streamlit's dialog comes with the run's messages
        text = page.locator("body").inner_text()
        assert not [phrase for phrase in ENGLISH if phrase in text], text[:500]
        assert page.get_by_role("dialog").count() == 0
    finally:
        context.close()
        server.stop()
