"""A reload after a guest's report link closed (issue #16): over HTTP through the guard (Starlette's
TestClient, without Streamlit), and ``guest_sessions.ended`` on its own.

The browser of a guest whose link was revoked or expired reads "Deze link werkt niet meer", with
no sign-in offered and nothing about the link or its organisation; every other browser without
a session, one with a random or made-up guest cookie included, gets the sign-in as before (the
page is no oracle: see ``guest_sessions``' docstring). What the guest sees in Chromium, and the
answers they typed given back before the reload, is ``tests/e2e/test_guest_link_revoked.py``."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from datalek import clock, store
from datalek.accounts import guest_sessions, report_links, sessions
from tests import guarded_server
from tests.guarded_server import BASE, HTML, LABEL

CLOSED = "Deze link werkt niet meer"


@pytest.fixture
def client(db_path, world) -> TestClient:
    return guarded_server.client()


def _link(db_path, world, **changes) -> tuple[int, str]:
    return guarded_server.report_link(db_path, world, **changes)


def _opened(client, path: str) -> str:
    """Open the link: the guest cookie's value (and its Max-Age) as the browser got it."""
    response = client.get(path, headers=HTML)
    assert response.status_code == 303
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(guest_sessions.COOKIE))
    return header.split(";")[0].split("=", 1)[1]


def _close(db_path, world, link_id: int, how: str) -> None:
    with store.unit(db_path) as db:
        if how == "revoked":
            report_links.revoke(db, world["dpo"], link_id, "Gelekt in een chat")
        else:
            db.execute(
                "UPDATE report_links SET expires_at = ? WHERE id = ?", [clock.to_iso(clock.now()), link_id]
            )


def _reload(client, cookie: str | None, account: str | None = None):
    client.cookies.clear()
    if cookie is not None:
        client.cookies.set(guest_sessions.COOKIE, cookie)
    if account is not None:
        client.cookies.set(sessions.COOKIE, account)
    return client.get("/melden", headers=HTML)


def _is_sign_in(response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/auth/signin")


@pytest.mark.parametrize("how", sorted(["expired", "revoked"]))
def test_a_reload_after_the_link_closed_says_so_without_a_sign_in(client, db_path, world, how):
    link_id, path = _link(db_path, world)
    cookie = _opened(client, path)
    assert _reload(client, cookie).text == "<html>de app</html>"
    _close(db_path, world, link_id, how)
    for _ in range(2):  # and again: the browser keeps its cookie, the page stays the same
        page = _reload(client, cookie)
        assert page.status_code == 403, (page.status_code, page.headers.get("location"))
        text = page.text.replace("&#x27;", "'")
        assert f"<h1>{CLOSED}</h1>" in text and guest_sessions.ENDED in text
        assert '<html lang="nl">' in text and "de app" not in text
        assert not any(tag in text for tag in ("<form", "<input", "<textarea", "<script", "href="))
        assert "Aanmelden" not in text and "signin" not in text
        assert LABEL not in text and world.org.name not in text  # nothing the guest did not know
        assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert guest_sessions.COOKIE not in page.headers.get("set-cookie", "")


def test_the_guest_cookie_outlives_its_session_so_a_reload_can_say_the_link_closed(client, db_path, world):
    _, path = _link(db_path, world)
    response = client.get(path, headers=HTML)
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(guest_sessions.COOKIE))
    max_age = int(next(p for p in header.split("; ") if p.lower().startswith("max-age=")).split("=")[1])
    session_seconds = guest_sessions.SESSION_HOURS * 3600
    assert session_seconds < max_age <= session_seconds + guest_sessions.NOTICE_AFTER_END.total_seconds()


def _forgeries(cookie: str) -> list[str]:
    """Guest cookies this server never gave, or gave for a link that still works."""
    _, _, ref = cookie.rpartition(".")
    unknown = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
    return [
        secrets.token_urlsafe(32),  # the shape of the cookies before this change
        f"{secrets.token_urlsafe(32)}.l{unknown}",  # a link that does not exist
        f"{secrets.token_urlsafe(32)}.f{unknown}",
        f"{secrets.token_urlsafe(32)}.x{ref[1:]}",  # a kind that does not exist
        f"{secrets.token_urlsafe(32)}.l{ref[1:-1]}",  # a hash cut short
        "." * 50,
        "",
        "a" * 500,
    ]


def test_a_random_or_made_up_guest_cookie_gets_the_sign_in_as_before(client, db_path, world):
    link_id, path = _link(db_path, world)
    cookie = _opened(client, path)
    _close(db_path, world, link_id, "revoked")
    for forged in _forgeries(cookie):
        assert _is_sign_in(_reload(client, forged)), forged


def test_a_browser_with_an_account_cookie_is_told_nothing_about_a_link(client, db_path, world):
    link_id, path = _link(db_path, world)
    cookie = _opened(client, path)
    _close(db_path, world, link_id, "revoked")
    response = _reload(client, cookie, account=secrets.token_urlsafe(32))  # an ended account session
    assert _is_sign_in(response)


def test_a_guest_whose_session_ran_out_on_a_working_link_gets_the_sign_in(client, db_path, world):
    """Only a closed link is "closed": the session's own four hours ending is not."""
    _, path = _link(db_path, world)
    cookie = _opened(client, path)
    with store.unit(db_path) as db:
        db.execute("UPDATE guest_sessions SET expires_at = ?", [clock.to_iso(clock.now())])
    assert _is_sign_in(_reload(client, cookie))


# --- guest_sessions.ended on its own ------------------------------------------------------------


def test_ended_knows_a_closed_link_or_follow_up_and_nothing_else(fresh_db, world):
    from datalek.handling import incidents
    from tests.conftest import make_report

    values = {"label": LABEL, "kind": "group", "expires_on": clock.today() + timedelta(days=7)}
    made = report_links.create(fresh_db, world["dpo"], world.org.id, values, BASE)
    token = made.url.split("?t=", 1)[1]
    opened = guest_sessions.open_link(fresh_db, token, "192.0.2.1")
    guest = guest_sessions.resolve(fresh_db, opened.token)
    assert guest is not None and not guest_sessions.ended(fresh_db, opened.token)  # live
    assert opened.token.rpartition(".")[2] == "l" + sessions.token_hash(token)  # its link, hashed
    assert token not in opened.token

    acting, follow_up = report_links.with_follow_up(guest)
    incidents.submit_report(fresh_db, acting, make_report(world.org.id, now=clock.now()))
    reading = guest_sessions.open_follow_up(fresh_db, follow_up, "192.0.2.1")
    assert reading.token.rpartition(".")[2] == "f" + sessions.token_hash(follow_up)
    after = clock.now() + timedelta(days=report_links.FOLLOW_UP_DAYS, seconds=1)
    assert not guest_sessions.ended(fresh_db, reading.token)
    assert guest_sessions.resolve(fresh_db, reading.token, at=after) is None
    assert guest_sessions.ended(fresh_db, reading.token, at=after)  # the follow-up token expired

    report_links.revoke(fresh_db, world["dpo"], made.link.id, "Gelekt in een chat")
    assert guest_sessions.resolve(fresh_db, opened.token) is None
    assert guest_sessions.ended(fresh_db, opened.token)
    for forged in _forgeries(opened.token) + [None]:
        assert not guest_sessions.ended(fresh_db, forged), forged
    # what decides is the link's hash, not the secret: only whoever had the link can name it
    assert guest_sessions.ended(fresh_db, "iets." + opened.token.rpartition(".")[2])
