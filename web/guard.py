"""ASGI middleware in front of everything the server answers, Streamlit's own responses included:

* security headers on every response (``SECURITY_HEADERS``, ``content_security_policy``);
* ``Cache-Control: no-store`` on every response but Streamlit's versioned static files;
* a browser that opens an app page without a valid session is sent to the sign-in form first,
  so Streamlit's frontend never starts for an anonymous visitor (except for the first-run setup
  and the page that sets a password from a one-time link);
* but a guest whose report link was revoked or expired (issue #16: no account cookie, a guest
  cookie that ``guest_sessions.ended`` recognises) reads that the link no longer works, with no
  sign-in offered: a guest has no account.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import streamlit
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request

from datalek import store
from datalek.accounts import guest_sessions, sessions
from datalek.accounts.setup import needs_setup
from web import html
from web.signin import SIGNIN_PATH

#: Paths that never need a session: Streamlit's machinery, our own routes, the public pages.
OPEN_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/auth/", "/oauth2callback", "/download/")
OPEN_PATHS = {"/favicon.png", "/manifest.json", "/robots.txt", "/aanmelden", "/wachtwoord-instellen"}

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _inline_script_hashes() -> list[str]:
    """Streamlit's index.html has one small inline script; allow exactly that script by its hash."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    found = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in found]


def content_security_policy() -> str:
    """As strict as Streamlit's frontend allows (checked in Chromium, tests/e2e/test_headers.py):
    its emotion CSS-in-JS needs inline styles; its websocket needs ``connect-src`` ws/wss on this
    host ('self' covers ws: in current browsers, the explicit schemes are for older ones);
    Plotly draws into blob:/data: images. No script from anywhere but this site."""
    scripts = " ".join(["'self'", *_inline_script_hashes()])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
        "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def _cacheable(path: str) -> bool:
    """Streamlit's hashed JS/CSS/fonts hold no personal data and may be cached."""
    return path.startswith("/static/")


def _is_app_page(scope) -> bool:
    if scope["method"] != "GET":
        return False
    path = scope["path"]
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return False
    return "text/html" in Headers(scope=scope).get("accept", "")


#: The reason ``_signed_in_or_open`` gives for a guest whose link closed (not a sign-in reason).
LINK_CLOSED = "link_closed"
LINK_CLOSED_TITLE = "Deze link werkt niet meer"


def _signed_in_or_open(token: str | None, guest: str | None = None) -> tuple[bool, str | None]:
    """(may this browser open the app, why not: a key of ``auth.EXPIRY_MESSAGES``, or
    ``LINK_CLOSED``). A guest from a report link may open it too; ``app.py`` then shows the
    guest only its own page. A browser with an account cookie is never told about a link."""
    with store.unit() as db:
        if needs_setup(db):
            return True, None
        resolved = sessions.resolve(db, token)
        if resolved.actor is None and guest:
            if guest_sessions.resolve(db, guest) is not None:
                return True, None
            if not token and guest_sessions.ended(db, guest):
                return False, LINK_CLOSED
        return resolved.actor is not None, resolved.reason


class Guard:
    def __init__(self, app) -> None:
        self.app = app
        self.csp = content_security_policy()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _is_app_page(scope):
            request = Request(scope)
            token = request.cookies.get(sessions.COOKIE)
            try:
                allowed, reason = await run_in_threadpool(
                    _signed_in_or_open, token, request.cookies.get(guest_sessions.COOKIE)
                )
            except (store.StorageError, store.DatabaseMissing):
                # app.py checks the session again and says in Dutch that the storage is unreachable
                allowed, reason = True, None
            if reason == LINK_CLOSED:
                page = html.message_page(LINK_CLOSED_TITLE, guest_sessions.ENDED, 403)
                await page(scope, receive, self._secured(send, scope["path"]))
                return
            if not allowed:
                query = scope["query_string"].decode()
                target = scope["path"] + (f"?{query}" if query else "")
                location = f"{SIGNIN_PATH}?next={quote(target, safe='/')}"
                if reason and reason != "ended":
                    location += f"&reden={reason}"
                await self._redirect(send, location, clear=bool(token))
                return
        await self.app(scope, receive, self._secured(send, scope["path"]))

    def _secured(self, send, path: str):
        """``send`` with the security headers added, and ``no-store`` but for static files."""

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.csp.encode()))
                if not _cacheable(path):
                    headers = [
                        (k, v) for k, v in headers if k.lower() not in (b"cache-control", b"expires", b"etag")
                    ]
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        return with_headers

    async def _redirect(self, send, location: str, clear: bool) -> None:
        headers = [
            (b"location", location.encode()),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0"),
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        headers.append((b"content-security-policy", self.csp.encode()))
        if clear:
            headers.append(
                (b"set-cookie", f"{sessions.COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=strict".encode())
            )
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
