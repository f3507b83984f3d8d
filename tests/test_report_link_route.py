"""The token routes of issue #16 attacked over HTTP (Starlette's TestClient, without
Streamlit): ``/auth/melden?t=`` and ``/auth/aanvullen?t=`` with random, expired, revoked and
used-up tokens, too many tries per address, and a guest cookie replayed after revocation. What
the guest then sees in Streamlit (only the report form, every other page "not found") is proven
in Chromium by ``tests/e2e/test_report_links.py``."""

from __future__ import annotations

import secrets

import pytest
from starlette.testclient import TestClient

from datalek import clock, store
from datalek.accounts import guest_sessions, report_links
from tests import guarded_server
from tests.guarded_server import HTML

NO_FORM = ("<form", "<input", "<textarea")


@pytest.fixture
def client(db_path, world) -> TestClient:
    return guarded_server.client()


def _link(db_path, world, **changes) -> tuple[int, str]:
    return guarded_server.report_link(db_path, world, **changes)


def _guest_cookie(response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(guest_sessions.COOKIE + "="):
            return header
    return None


def test_a_working_link_sets_an_httponly_guest_cookie_and_opens_the_app(client, db_path, world):
    _, path = _link(db_path, world)
    response = client.get(path, headers=HTML)
    assert response.status_code == 303 and response.headers["location"] == "/melden"
    cookie = _guest_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert response.headers["cache-control"] == "no-store"
    app = client.get("/melden", headers=HTML)
    assert app.status_code == 200 and app.text == "<html>de app</html>"  # the guard lets it through


def test_without_a_guest_cookie_the_app_still_asks_to_sign_in(client):
    response = client.get("/melden", headers=HTML)
    assert response.status_code == 303 and response.headers["location"].startswith("/auth/signin")


@pytest.mark.parametrize("state", sorted(["expired", "revoked", "unknown", "used"]))
def test_a_token_that_does_not_work_gets_a_dutch_page_without_a_form(client, db_path, world, state):
    link_id, path = _link(db_path, world, one_time=True)
    with store.unit(db_path) as db:
        if state == "expired":
            db.execute(
                "UPDATE report_links SET expires_at = ? WHERE id = ?", [clock.to_iso(clock.now()), link_id]
            )
        if state == "revoked":
            report_links.revoke(db, world["dpo"], link_id, "Niet meer nodig")
        if state == "used":
            db.execute("UPDATE report_links SET uses = 1 WHERE id = ?", [link_id])
    if state == "unknown":
        path = f"/auth/melden?t={secrets.token_urlsafe(32)}"
    response = client.get(path, headers=HTML)
    assert response.status_code in (403, 404)
    assert guest_sessions.MESSAGES[state] in response.text.replace("&#x27;", "'")
    assert '<html lang="nl">' in response.text and not any(tag in response.text for tag in NO_FORM)
    assert _guest_cookie(response) is None
    assert client.get("/melden", headers=HTML).status_code == 303  # still no way in


def test_guessing_is_refused_then_throttled_per_address(client, db_path, world):
    _, path = _link(db_path, world)
    statuses = [
        client.get(f"/auth/melden?t={secrets.token_urlsafe(32)}", headers=HTML).status_code
        for _ in range(guest_sessions.CLIENT.free_attempts)
    ]
    assert statuses == [404] * guest_sessions.CLIENT.free_attempts
    throttled = client.get(path, headers=HTML)  # the right token, from the guessing address
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "60"
    assert "Wacht een minuut" in throttled.text and _guest_cookie(throttled) is None


def test_a_guest_cookie_replayed_after_revocation_is_refused(client, db_path, world):
    link_id, path = _link(db_path, world)
    cookie = _guest_cookie(client.get(path, headers=HTML)).split(";")[0].split("=", 1)[1]
    assert client.get("/melden", headers=HTML).status_code == 200
    with store.unit(db_path) as db:
        report_links.revoke(db, world["dpo"], link_id, "Gelekt")
    client.cookies.clear()
    client.cookies.set(guest_sessions.COOKIE, cookie)
    replay = client.get("/melden", headers=HTML)  # the link closed: tests/test_guest_link_closed.py
    assert replay.status_code == 403 and "de app" not in replay.text


def test_a_follow_up_token_opens_the_follow_up_page_only_through_its_own_route(client, db_path, world):
    from datalek.handling import incidents
    from tests.conftest import make_report

    _, path = _link(db_path, world)
    with store.unit(db_path) as db:
        token = path.split("?t=")[1]
        guest = guest_sessions.resolve(db, guest_sessions.open_link(db, token, "192.0.2.1").token)
        acting, follow_up = report_links.with_follow_up(guest)
        incidents.submit_report(db, acting, make_report(world.org.id, now=clock.now()))
    assert client.get(f"/auth/melden?t={follow_up}", headers=HTML).status_code == 404
    client.cookies.clear()
    response = client.get(f"/auth/aanvullen?t={follow_up}", headers=HTML)
    assert response.status_code == 303 and response.headers["location"] == "/aanvullen"
    assert _guest_cookie(response) is not None
    assert client.get(f"/auth/aanvullen?t={token}", headers=HTML).status_code == 404
