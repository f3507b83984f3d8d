"""``/auth/melden?t=<token>`` and ``/auth/aanvullen?t=<token>`` (issue #16): a report link, or
the follow-up token of a report made through one, exchanged for a guest session.

A working token sets the guest cookie (``guest_sessions.COOKIE``: HttpOnly, SameSite=Lax so
that a link clicked in an e-mail arrives with it after the redirect, Secure over https) and
sends the browser to the one page the guest may open; the sign-in cookie is cleared, so the
browser is a guest and nothing else. The cookie lives ``guest_sessions.NOTICE_AFTER_END`` longer
than its session (which ends on time in the database): a reload after the link was revoked or
expired then reads that the link closed, not an account's sign-in (``web/guard``). A token that
does not work gets a Dutch page without a form; too many tries get 429 with ``Retry-After``
(``datalek.accounts.guest_sessions``)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from datalek import clock, store
from datalek.accounts import guest_sessions, report_links, sessions
from web import html
from web.signin import client_address, secure

#: Where each kind of guest lands (``navigation.GUEST_REPORT`` and ``GUEST_FOLLOW_UP``).
REPORT_PAGE = "/melden"
FOLLOW_UP_PAGE = "/aanvullen"
TITLES = {"throttled": "Even wachten"}


async def _open(request: Request, follow_up: bool) -> Response:
    token = request.query_params.get(report_links.QUERY_KEY, "")
    client = client_address(request)
    user_agent = request.headers.get("user-agent", "")
    opener = guest_sessions.open_follow_up if follow_up else guest_sessions.open_link

    def check() -> guest_sessions.Opened:
        with store.unit() as db:
            return opener(db, token, client, user_agent)

    try:
        opened = await run_in_threadpool(check)
    except guest_sessions.Refused as refused:
        status = {"throttled": 429, "unknown": 404}.get(refused.reason, 403)
        page = html.message_page(TITLES.get(refused.reason, "Deze link werkt niet"), refused.message, status)
        if refused.retry_after:
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    except store.StorageError:
        return html.message_page(
            "Even niet bereikbaar",
            "Datalek kan nu niet bij de opslag. Probeer het over een minuut opnieuw.",
            503,
        )
    response = RedirectResponse(FOLLOW_UP_PAGE if follow_up else REPORT_PAGE, status_code=303)
    # the cookie outlives the session, so that a reload after the link closed says so (web/guard)
    ending = opened.expires_at + guest_sessions.NOTICE_AFTER_END
    seconds = max(int((ending - clock.now()).total_seconds()), 0)
    response.set_cookie(
        guest_sessions.COOKIE,
        opened.token,
        max_age=seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


async def report(request: Request) -> Response:
    return await _open(request, follow_up=False)


async def follow_up(request: Request) -> Response:
    return await _open(request, follow_up=True)
