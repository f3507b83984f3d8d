"""The routes of ``web/`` and the guard in front of them, over HTTP (Starlette's TestClient),
without Streamlit: the sign-in form, the session cookie, sign-out, the organisation
sign-in's one-time code, the redirect of anonymous visitors and the security headers.
The same, with Streamlit and Chromium, in ``tests/e2e/test_sessions.py``."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from datalek import store
from datalek.accounts import sessions
from datalek.accounts.users import set_active
from tests.conftest import PASSWORD
from web.guard import SECURITY_HEADERS, Guard
from web.routes import routes
from web.signin import CSRF_COOKIE, safe_next


async def _streamlit_stand_in(request):
    return HTMLResponse("<html>de app</html>")


@pytest.fixture
def client(db_path) -> TestClient:
    app = Starlette(
        routes=[*routes(), Route("/{path:path}", _streamlit_stand_in)], middleware=[Middleware(Guard)]
    )
    return TestClient(app, base_url="http://datalek.test", follow_redirects=False)


HTML = {"accept": "text/html,application/xhtml+xml"}
ORIGIN = {"origin": "http://datalek.test"}


def form_token(client: TestClient) -> str:
    page = client.get("/auth/signin", headers=HTML)
    assert page.status_code == 200
    return re.search(r'name="formulier" value="([^"]+)"', page.text).group(1)


def post_signin(client: TestClient, email: str, password: str, *, next_: str = "/", headers=ORIGIN):
    token = form_token(client)
    return client.post(
        f"/auth/signin?next={next_}",
        data={"email": email, "password": password, "formulier": token},
        headers=headers,
    )


def session_rows(db_path) -> list[dict]:
    with store.unit(db_path) as db:
        return list(db.query("SELECT * FROM sessions"))


def test_the_right_password_sets_an_httponly_strict_cookie_and_a_hashed_session(client, world, db_path):
    response = post_signin(client, "DPO@test.invalid ", PASSWORD, next_="/werkvoorraad")
    assert response.status_code == 303
    assert response.headers["location"] == "/werkvoorraad"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(sessions.COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in this test; see the https test below
    token = cookie.split(";")[0].split("=", 1)[1]
    [row] = session_rows(db_path)
    assert row["user_id"] == world["dpo"].user_id
    assert row["token_hash"] == sessions.token_hash(token) and token not in str(row)
    assert row["client"] == "testclient" and row["method"] == "password"
    # the browser now opens the app
    assert client.get("/werkvoorraad", headers=HTML).status_code == 200


def test_over_https_the_cookie_is_secure(db_path, world):
    app = Starlette(routes=routes(), middleware=[Middleware(Guard)])
    https = TestClient(app, base_url="https://datalek.test", follow_redirects=False)
    response = post_signin(https, "dpo@test.invalid", PASSWORD, headers={"origin": "https://datalek.test"})
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_says_so_in_dutch_keeps_the_address_and_opens_no_session(client, world, db_path):
    response = post_signin(client, "dpo@test.invalid", "niet het wachtwoord")
    assert response.status_code == 401
    assert "E-mailadres of wachtwoord klopt niet." in response.text
    assert 'value="dpo@test.invalid"' in response.text
    assert sessions.COOKIE not in response.headers.get("set-cookie", "")
    assert session_rows(db_path) == []


def test_a_throttled_address_gets_429_with_retry_after_and_the_wait_in_dutch(client, world, db_path):
    for _ in range(5):
        response = post_signin(client, "dpo@test.invalid", "niet het wachtwoord")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Te veel mislukte pogingen." in response.text
    assert post_signin(client, "dpo@test.invalid", PASSWORD).status_code == 429  # right, but waiting
    assert session_rows(db_path) == []


def test_empty_fields_get_a_message_next_to_each_field(client, world):
    response = post_signin(client, "", "")
    assert response.status_code == 400
    email_at, email_error = response.text.index('id="email"'), response.text.index("Vul je e-mailadres in.")
    password_at = response.text.index('id="password"')
    assert email_at < email_error < password_at < response.text.index("Vul je wachtwoord in.")
    assert 'aria-describedby="email-fout"' in response.text


def test_typed_text_comes_back_escaped(client, world):
    response = post_signin(client, '"><script>alert(1)</script>', "x")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        (None, ORIGIN),  # no token from the form
        ("vervalst", ORIGIN),  # a token that is not this browser's
        ("own", {"origin": "http://evil.example"}),  # posted from another site
    ],
)
def test_a_post_from_elsewhere_signs_nobody_in(client, world, db_path, token, headers):
    real = form_token(client)
    data = {"email": "dpo@test.invalid", "password": PASSWORD}
    if token:
        data["formulier"] = real if token == "own" else token
    response = client.post("/auth/signin", data=data, headers=headers)
    assert response.status_code == 400
    assert "Dit formulier is verlopen of kwam niet van Datalek." in response.text
    assert session_rows(db_path) == []


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [
        ("/werkvoorraad", "/werkvoorraad"),
        ("/melden?x=1", "/melden?x=1"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_after_sign_in_only_a_path_on_this_site(asked, goes_to):
    assert safe_next(asked) == goes_to


def test_an_anonymous_browser_is_sent_to_the_sign_in_form_first(client, world):
    response = client.get("/werkvoorraad?incident=3", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/auth/signin?next=/werkvoorraad%3Fincident%3D3"


@pytest.mark.parametrize(
    "path", ["/_stcore/health", "/static/js/x.js", "/wachtwoord-instellen", "/aanmelden"]
)
def test_streamlits_machinery_and_the_public_pages_are_not_redirected(client, world, path):
    assert client.get(path, headers=HTML).status_code == 200


def test_before_the_first_setup_the_app_opens_without_a_session(client):
    assert client.get("/", headers=HTML).status_code == 200  # no accounts yet: the setup page
    assert client.get("/auth/signin", headers=HTML).status_code == 303


def test_an_ended_session_is_sent_to_sign_in_and_its_cookie_cleared(client, world, db_path):
    post_signin(client, "reporter@test.invalid", PASSWORD)
    with store.unit(db_path) as db:
        set_active(db, world["admin"], world["reporter"].user_id, False)
    response = client.get("/melden", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] in (
        "/auth/signin?next=/melden",  # the disabling ended the session itself
        "/auth/signin?next=/melden&reden=disabled",  # or the guard found the account disabled
    )
    assert f"{sessions.COOKIE}=;" in response.headers["set-cookie"]


def test_an_idle_session_is_sent_to_sign_in_with_the_reason(client, world, db_path):
    post_signin(client, "reporter@test.invalid", PASSWORD)
    with store.unit(db_path) as db, store.write(db):
        db.execute("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00'")
    response = client.get("/melden", headers=HTML)
    assert response.headers["location"] == "/auth/signin?next=/melden&reden=idle"
    page = client.get(response.headers["location"], headers=HTML)
    assert "Je bent afgemeld omdat je een tijd niets hebt gedaan." in page.text


def test_sign_out_ends_the_session_and_clears_the_cookies(client, world, db_path):
    post_signin(client, "dpo@test.invalid", PASSWORD)
    assert len(session_rows(db_path)) == 1
    refused = client.post("/auth/signout", headers={"origin": "http://evil.example"})
    assert refused.status_code == 400 and len(session_rows(db_path)) == 1
    response = client.post("/auth/signout", headers=ORIGIN)
    assert response.status_code == 303
    assert response.headers["location"] == "/auth/signin?reden=ended"
    assert session_rows(db_path) == []
    cleared = response.headers.get_list("set-cookie")
    assert any(c.startswith(f"{sessions.COOKIE}=") and "Max-Age=0" in c for c in cleared)
    assert any(c.startswith("_streamlit_user=") for c in cleared)  # the organisation sign-in too
    assert "Je bent afgemeld." in client.get("/auth/signin?reden=ended", headers=HTML).text


def test_an_organisation_sign_in_code_works_once(client, world, db_path):
    with store.unit(db_path) as db:
        token = sessions.open_session(db, world["dpo"].user_id, method="oidc", client="x", user_agent="y")
    code = sessions.activation_code(token)
    first = client.get(f"/auth/activate?code={code}", headers=HTML)
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert f"{sessions.COOKIE}={token}" in first.headers["set-cookie"]
    again = client.get(f"/auth/activate?code={code}", headers=HTML)
    assert again.status_code == 403 and "Deze aanmeldlink werkt niet meer." in again.text


@pytest.mark.parametrize("path", ["/auth/signin", "/werkvoorraad", "/_stcore/health", "/download/onbekend"])
def test_every_response_carries_the_security_headers(client, world, path):
    response = client.get(path, headers=HTML)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_streamlits_hashed_static_files_may_be_cached(client):
    assert "no-store" not in client.get("/static/js/index.js").headers.get("cache-control", "")


def test_the_app_policy_allows_only_streamlits_own_inline_script(client, world):
    post_signin(client, "dpo@test.invalid", PASSWORD)
    policy = client.get("/werkvoorraad", headers=HTML).headers["content-security-policy"]
    scripts = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
    assert "unsafe-inline" not in scripts and "unsafe-eval" not in policy


def test_the_form_page_has_no_script_at_all(client, world):
    page = client.get("/auth/signin", headers=HTML)
    assert "<script" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert CSRF_COOKIE in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]
