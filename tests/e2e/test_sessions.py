"""Sign-in that holds, in Chromium against a real server (``server.py``): reload, a second tab
and a server restart keep the user signed in; signing out or a new password reaches every tab;
the session cookie is out of reach of page scripts; files go out through one-time links only;
every response carries the security headers and the app runs under its Content-Security-Policy."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from datalek import store
from datalek.accounts import sessions
from datalek.handling import incidents
from tests.conftest import PASSWORD, make_report, new_context, settle
from tests.e2e.conftest import Server, open_page, sign_in, sign_out

pytestmark = pytest.mark.e2e

LINK_SECONDS = 5


@pytest.fixture(scope="module")
def server(seeded, tmp_path_factory):
    path, world = seeded
    with store.unit(path) as db:
        incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    srv = Server(
        path,
        tmp_path_factory.mktemp("logs") / "streamlit.log",
        {"DATALEK_DOWNLOAD_SECONDS": str(LINK_SECONDS)},
    )
    yield srv
    srv.stop()


def csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def assert_signed_in_on(page, title: str) -> None:
    page.get_by_role("heading", name=title).first.wait_for(timeout=20000)
    assert "/auth/signin" not in page.url


def test_reload_and_a_second_tab_keep_the_user_signed_in(page, server):
    violations = csp_violations(page)
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Register")
    page.reload()
    settle(page)
    assert_signed_in_on(page, "Register")
    second = page.context.new_page()
    second.goto(server.url + "/overzicht")
    settle(second)
    assert_signed_in_on(second, "Overzicht")
    second.close()
    # the cookie: HttpOnly, SameSite=Strict, and invisible to the page's scripts
    [cookie] = [c for c in page.context.cookies() if c["name"] == sessions.COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert sessions.COOKIE not in page.evaluate("document.cookie")
    assert violations == []


def test_signing_out_in_one_tab_signs_out_the_other(page, server):
    sign_in(page, server.url, "management@test.invalid")
    other = page.context.new_page()
    other.goto(server.url + "/overzicht")
    settle(other)
    assert_signed_in_on(other, "Overzicht")
    sign_out(page)
    other.reload()  # the other tab's next page load
    other.wait_for_url("**/auth/signin**")
    other.close()


def test_a_new_password_signs_out_the_other_browser(browser, server):
    first, second = new_context(browser), new_context(browser)
    try:
        a, b = first.new_page(), second.new_page()
        sign_in(a, server.url, "reporter2@test.invalid")
        sign_in(b, server.url, "reporter2@test.invalid")
        open_page(a, "Mijn account")
        new = "een ander lang wachtwoord"
        a.get_by_label("Nieuw wachtwoord (minstens 12 tekens)").fill(new)
        a.get_by_label("Herhaal het nieuwe wachtwoord").fill(new)
        a.get_by_role("button", name="Wachtwoord wijzigen").click()
        settle(a)
        a.get_by_text("Je wachtwoord is gewijzigd. Je bent overal anders afgemeld.").wait_for()
        b.locator("[data-testid=stSidebarNav] a", has_text="Mijn meldingen").click()  # its next click
        settle(b)
        b.get_by_text("Je bent afgemeld. Meld je opnieuw aan.").wait_for()
        a.reload()
        settle(a)
        assert_signed_in_on(a, "Mijn account")  # this browser stays signed in
        sign_out(a)
        sign_in(a, server.url, "reporter2@test.invalid", new)
    finally:
        first.close()
        second.close()


def test_a_server_restart_keeps_the_session(page, seeded, tmp_path):
    path, _ = seeded
    before = Server(path, tmp_path / "before.log")
    sign_in(page, before.url, "management@test.invalid")
    before.stop()
    after = Server(path, tmp_path / "after.log")  # same host, another port: the cookie goes along
    try:
        page.goto(after.url + "/overzicht")
        settle(page)
        assert_signed_in_on(page, "Overzicht")
    finally:
        after.stop()


def test_an_export_goes_out_once_to_this_session_only(page, browser, server, seeded):
    _, world = seeded
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Register")
    page.get_by_role("button", name="Maak export (CSV)").click()
    settle(page)
    link = page.get_by_role("link", name=f"Download het register {time.gmtime().tm_year} (CSV)")
    href = link.get_attribute("href")
    assert href.startswith("/download/")
    with page.expect_download() as info:
        link.click()
    assert "Kenmerk" in Path(info.value.path()).read_text(encoding="utf-8-sig")
    again = page.request.get(server.url + href)  # the same browser, a second time
    assert again.status == 404
    # a fresh link, fetched by a browser without the session cookie
    page.get_by_role("button", name="Maak export (CSV)").click()
    settle(page)
    href = page.get_by_role(
        "link", name=f"Download het register {time.gmtime().tm_year} (CSV)"
    ).get_attribute("href")
    stranger = new_context(browser)
    try:
        anonymous = stranger.request.get(server.url + href)
        assert anonymous.status == 403 and b"Kenmerk" not in anonymous.body()
    finally:
        stranger.close()
    # a link not used in time
    page.get_by_role("button", name="Maak export (XLSX)").click()
    settle(page)
    href = page.get_by_role(
        "link", name=f"Download het register {time.gmtime().tm_year} (XLSX)"
    ).get_attribute("href")
    time.sleep(LINK_SECONDS + 1)
    assert page.request.get(server.url + href).status == 404


@pytest.mark.parametrize("path", ["/", "/auth/signin", "/_stcore/health", "/download/x"])
def test_every_response_carries_the_security_headers(server, path):
    request = urllib.request.Request(server.url + path, headers={"Accept": "text/html"})
    try:
        response = urllib.request.urlopen(request)  # follows the redirect to the sign-in form
    except urllib.error.HTTPError as refused:  # /download/x: 403, with headers all the same
        response = refused
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_the_pages_run_under_the_content_security_policy(page, server):
    """Every page of the FG and the charts of the overview, without one blocked resource."""
    violations = csp_violations(page)
    sign_in(page, server.url, "dpo@test.invalid")
    for title in (
        "Werkvoorraad",
        "Register",
        "Datalek melden",
        "Mijn meldingen",
        "Overzicht",
        "Mijn account",
    ):
        open_page(page, title)
    assert page.locator("[data-testid=stException]").count() == 0
    assert violations == []


def test_the_sign_in_form_keeps_the_address_and_says_what_is_wrong(page, server):
    page.goto(server.url + "/datalekkenregister")
    page.wait_for_url("**/auth/signin**")
    page.get_by_label("E-mailadres").fill("dpo@test.invalid")
    page.get_by_label("Wachtwoord").fill("niet goed")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("E-mailadres of wachtwoord klopt niet.").wait_for()
    assert page.get_by_label("E-mailadres").input_value() == "dpo@test.invalid"
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/datalekkenregister")  # back where the browser wanted to go
    settle(page)
    assert_signed_in_on(page, "Register")
