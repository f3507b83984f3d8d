"""``/auth/signin`` (GET: the form; POST: check the password, set the session cookie),
``/auth/signout`` (POST) and ``/auth/activate`` (a one-time code from the organisation
sign-in exchanged for the cookie).

The cookie holds a random token; the server keeps its hash (``datalek.accounts.sessions``).
It is HttpOnly (page scripts cannot read it), SameSite=Strict, path /, and Secure over https.
The form is protected against cross-site posting by a double-submit token (a second cookie
whose value must come back in a hidden field) and by checking the Origin header.
"""

from __future__ import annotations

import hmac
import os
import secrets
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from datalek import store
from datalek.accounts import auth, sessions
from datalek.accounts.setup import needs_setup
from datalek.config import SessionPolicy
from web import html

CSRF_COOKIE = "datalek_formulier"
SIGNIN_PATH = "/auth/signin"
MAX_FIELD = 1024
#: Streamlit's own identity cookies after an organisation sign-in (cleared on sign-out).
STREAMLIT_IDENTITY_COOKIES = ("_streamlit_user", "_streamlit_user_tokens")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def secure(request: Request) -> bool:
    """Secure cookies over https, or always when the operator says the site is behind https."""
    return request.url.scheme == "https" or os.environ.get("DATALEK_HTTPS") == "1"


def safe_next(value: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=SessionPolicy.from_env().absolute_hours * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(sessions.COOKIE, path="/")
    for name in STREAMLIT_IDENTITY_COOKIES:
        response.delete_cookie(name, path="/")


def _same_origin(request: Request) -> bool:
    """A POST must come from a page of this site. Browsers say so in ``Sec-Fetch-Site``; under
    ``Referrer-Policy: no-referrer`` their Origin header is "null", so Origin only counts when it
    names a site (older browsers). The double-submit token is checked as well, always."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin in (None, "null"):
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def _form(
    request: Request,
    *,
    email: str = "",
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    errors = errors or {}
    token = secrets.token_urlsafe(24)
    nxt = safe_next(request.query_params.get("next"))

    def error(field: str) -> str:
        if field not in errors:
            return ""
        return f'<p class="error" id="{field}-fout" role="alert">{html.text(errors[field])}</p>'

    def described(field: str) -> str:
        return f' aria-invalid="true" aria-describedby="{field}-fout"' if field in errors else ""

    notice_html = f'<p class="notice" role="status">{html.text(notice)}</p>' if notice else ""
    body = (
        "<h1>Aanmelden bij Datalek</h1>"
        f"{notice_html}{error('form')}"
        f'<form method="post" action="{SIGNIN_PATH}?next={html.text(quote(nxt, safe="/"))}" novalidate>'
        f'<input type="hidden" name="formulier" value="{token}">'
        '<label for="email">E-mailadres</label>'
        f'<input id="email" name="email" type="email" autocomplete="username" maxlength="200" '
        f'value="{html.text(email)}"{described("email")} autofocus>'
        f"{error('email')}"
        '<label for="password">Wachtwoord</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password" '
        f'maxlength="{MAX_FIELD}"{described("password")}>'
        f"{error('password')}"
        '<button type="submit">Aanmelden</button>'
        "</form>"
        '<p class="hint"><a href="/aanmelden">Aanmelden via je organisatie</a> (als je organisatie dat heeft '
        "ingesteld).</p>"
        '<p class="hint">Wachtwoord vergeten? Vraag de beheerder van Datalek in je organisatie om een nieuw '
        "wachtwoord. Ben je FG? Dan krijg je een link op je eigen e-mailadres.</p>"
    )
    response = html.page("Aanmelden", body, status)
    response.set_cookie(
        CSRF_COOKIE, token, path=SIGNIN_PATH, httponly=True, samesite="strict", secure=secure(request)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _resolve(token: str | None) -> sessions.Resolved:
    with store.unit() as db:
        return sessions.resolve(db, token)


def _setup_needed() -> bool:
    with store.unit() as db:
        return needs_setup(db)


async def signin_form(request: Request) -> Response:
    if await run_in_threadpool(_setup_needed):
        return RedirectResponse("/", status_code=303)
    nxt = safe_next(request.query_params.get("next"))
    token = request.cookies.get(sessions.COOKIE)
    if (
        token is None
        and request.headers.get("sec-fetch-site") == "cross-site"
        and "hop" not in request.query_params
    ):
        # A link from an e-mail: SameSite=Strict keeps the cookie back on this first request.
        # One hop from this page makes the next request same-site, and the cookie comes along.
        here = f"{SIGNIN_PATH}?next={quote(nxt, safe='/')}&hop=1"
        return html.page(
            "Aanmelden",
            f'<meta http-equiv="refresh" content="0; url={html.text(here)}">'
            f'<p><a href="{html.text(here)}">Verder naar Datalek</a></p>',
        )
    if token and (await run_in_threadpool(_resolve, token)).actor is not None:
        return RedirectResponse(nxt, status_code=303)
    notice = auth.EXPIRY_MESSAGES.get(request.query_params.get("reden", ""), "")
    return _form(request, notice=notice)


async def signin(request: Request) -> Response:
    form = await request.form()
    email = str(form.get("email", ""))[:200]
    password = str(form.get("password", ""))[:MAX_FIELD]
    sent = str(form.get("formulier", ""))
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not _same_origin(request) or not expected or not hmac.compare_digest(sent, expected):
        return _form(
            request,
            email=email,
            status=400,
            errors={
                "form": "Dit formulier is verlopen of kwam niet van Datalek. Vul je gegevens opnieuw in."
            },
        )
    errors = {}
    if not email.strip():
        errors["email"] = "Vul je e-mailadres in."
    if not password:
        errors["password"] = "Vul je wachtwoord in."
    if errors:
        return _form(request, email=email, errors=errors, status=400)
    client = client_address(request)
    user_agent = request.headers.get("user-agent", "")

    def check() -> str:
        with store.unit() as db:
            actor = auth.sign_in(db, email, password, client=client)
            return sessions.open_session(
                db, actor.user_id, method="password", client=client, user_agent=user_agent
            )

    try:
        token = await run_in_threadpool(check)
    except auth.SigninRefused as refused:
        if refused.retry_after:
            response = _form(request, email=email, errors={"form": refused.message}, status=429)
            response.headers["Retry-After"] = str(refused.retry_after)
            return response
        return _form(request, email=email, errors={"form": refused.message}, status=401)
    except store.StorageError:
        return _form(
            request,
            email=email,
            status=503,
            errors={
                "form": "Datalek kan nu niet bij de opslag. Je bent niet aangemeld. Probeer het over een minuut opnieuw."
            },
        )
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(CSRF_COOKIE, path=SIGNIN_PATH)
    return response


async def signout(request: Request) -> Response:
    if not _same_origin(request):
        return html.message_page("Niet afgemeld", "Dit verzoek kwam niet van Datalek.", 400)
    token = request.cookies.get(sessions.COOKIE)

    def close() -> None:
        with store.unit() as db:
            sessions.close(db, token)

    await run_in_threadpool(close)
    response = RedirectResponse(f"{SIGNIN_PATH}?reden=ended", status_code=303)
    clear_session_cookies(response)
    return response


async def activate(request: Request) -> Response:
    """The organisation sign-in (OIDC) ends in the Streamlit script, which cannot set an
    HttpOnly cookie; it opens the session and sends the browser here with a one-time code."""
    token = sessions.redeem_activation(request.query_params.get("code", ""))
    if token is None:
        return html.message_page(
            "Link verlopen",
            "Deze aanmeldlink werkt niet meer. Meld je opnieuw aan.",
            403,
            (SIGNIN_PATH, "Naar aanmelden"),
        )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, token)
    return response
