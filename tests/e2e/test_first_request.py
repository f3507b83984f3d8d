"""The first request after a server start never shows a page's content.

Until the first ``st.navigation`` call in a server process, Streamlit treats the ``pages/``
folder next to ``app.py`` as its legacy multipage app: a request for ``/queue`` would run
``pages/queue.py`` on its own, without ``app.py``'s sign-in. ``server.py`` switches that mode
off before any session (``tests/e2e/test_first_session.py``), and our page files only define
functions, so such a run would show nothing anyway. Each URL below is the very first request of a fresh
browser context to a freshly started server (started as ``make run`` starts it), and must show
the sign-in screen or nothing at all — never a page's title, text or an error.

Since the server guards every page request (``web/guard.py``), an anonymous browser does not
even reach Streamlit: it is sent to the server's sign-in form. Only the two public pages
(``/aanmelden``, ``/wachtwoord-instellen``) and the setup reach Streamlit without a session.
"""

from __future__ import annotations

import pytest

import navigation
from tests.conftest import new_context, settle
from tests.e2e.conftest import ROOT, Server

pytestmark = pytest.mark.e2e

SCREENS = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
SPECS = (*navigation.ALL_PAGES, navigation.SETUP, navigation.SIGNIN, navigation.SET_PASSWORD)
SPECS += (navigation.GUEST_FOLLOW_UP,)  # a guest's follow-up token (#16); its report page is REPORT's
PAGE_URLS = [f"/{spec.url_path}" for spec in SPECS]
#: What Streamlit's legacy mode serves: "/<file name>" runs pages/<file>.py; and the file paths.
FILE_URLS = [f"/{name}" for name in SCREENS] + [f"/pages/{name}.py" for name in SCREENS]
TITLES = {spec.title for spec in navigation.ALL_PAGES} | {"Datalek inrichten"}
SIGNIN_TITLE = "Aanmelden bij Datalek"


def test_every_screen_has_a_page_url():
    assert sorted(spec.render.__module__ for spec in SPECS) == [f"pages.{name}" for name in SCREENS]


@pytest.mark.parametrize("path", ["/", *PAGE_URLS, *FILE_URLS])
def test_the_first_request_after_a_start_shows_signin_or_nothing(browser, seeded, tmp_path, path):
    db_path, _ = seeded
    server = Server(db_path, tmp_path / "streamlit.log")  # a fresh process: this is its first request
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        if "/auth/signin" in page.url:  # the guard sent the browser to the server's form
            page.get_by_role("heading", name=SIGNIN_TITLE).wait_for()
            page.get_by_label("E-mailadres").wait_for()
            assert page.locator("[data-testid=stApp]").count() == 0
            return
        if page.locator("[data-testid=stApp]").count() == 0:
            # Under /pages/... the app's relative script paths do not resolve: nothing starts.
            assert page.locator("body").inner_text().strip() == ""
            return
        settle(page)
        main = page.locator("[data-testid=stMain]")
        headings = [h.strip() for h in main.locator("h1, h2, h3").all_inner_texts()]
        assert page.locator("[data-testid=stException]").count() == 0
        assert not TITLES & set(headings), headings
        # the one page a one-time link opens without a session (no code here: it says so)
        public = [navigation.SET_PASSWORD.title] if path == f"/{navigation.SET_PASSWORD.url_path}" else None
        assert headings in ([], [SIGNIN_TITLE], public), headings
        if headings == [SIGNIN_TITLE]:
            main.get_by_role("link", name="Aanmelden", exact=True).wait_for()
        elif headings:
            main.locator("[data-testid=stAlertContentError]").wait_for()  # "this link does not work"
        else:
            assert main.inner_text().strip() == ""
    finally:
        context.close()
        server.stop()
