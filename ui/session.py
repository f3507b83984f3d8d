"""Who is signed in, resolved on every run from the HttpOnly session cookie.

The cookie holds a random token (set by ``/auth/signin``, see ``web/signin.py``); the
database knows which user it belongs to and enforces the idle timeout and the absolute
lifetime (``datalek.accounts.sessions``). ``st.session_state`` only caches the actor for the
pages of this one run: a reload, a second tab or a server restart finds the same session
through the cookie, and a session ended anywhere (sign-out, a new password, a disabled
account) is gone on the next click.
"""

from __future__ import annotations

import os

import streamlit as st

from datalek import store
from datalek.accounts import auth, guest, guest_sessions, sessions
from datalek.models import Actor
from ui import unsent_report

USER_ID, SESSION_ID, ACTOR, FLASH = "user_id", "_session_id", "_actor", "flash"
#: the guest session of a browser that opened a report link or a follow-up token (issue #16)
GUEST = "_guest_session"
GUEST_ENDED = guest_sessions.ENDED
STORAGE_FAILED = "storage_failed"
STORAGE_MESSAGE = (
    "Datalek kan nu niet bij de opslag (de schijf is vol of alleen-lezen). Wat je net deed is "
    "NIET opgeslagen. Wat je invulde staat nog klaar: probeer het over een minuut opnieuw. "
    "Lukt het niet, mail of bel dan de FG."
)


def token() -> str | None:
    """The session token the browser sent with this run's websocket (HttpOnly cookie)."""
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) else None


def guest_token() -> str | None:
    """The guest token of a browser that came through a report link (HttpOnly cookie)."""
    value = st.context.cookies.get(guest_sessions.COOKIE)
    return value if isinstance(value, str) else None


def site_url() -> str:
    """This site's address as the browser sees it (for a link to show), e.g. https://host;
    ``DATALEK_BASE_URL`` when the browser's is not known."""
    url = st.context.url or ""
    parts = url.split("/", 3)
    if url.startswith(("http://", "https://")) and len(parts) >= 3:
        return "/".join(parts[:3])
    return os.environ.get("DATALEK_BASE_URL", "http://localhost:8501")


def user_agent() -> str:
    value = st.context.headers.get("user-agent", "")
    return value if isinstance(value, str) else ""


def client() -> str:
    value = st.context.ip_address  # None (or no string at all) without a websocket
    return value if isinstance(value, str) and value else "onbekend"


def end(flash: str | None = None) -> None:
    """Forget everything this browser session held (answers typed by the previous user too)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if flash:
        st.session_state[FLASH] = flash


def resume(db) -> Actor | None:
    """The signed-in actor for this run, or None (and the reason in ``flash``)."""
    resolved = sessions.resolve(db, token())
    if resolved.actor is None:
        if (visitor := guest_sessions.resolve(db, guest_token())) is not None:
            return _as_guest(visitor)
        if st.session_state.get(GUEST) is not None:
            # what the guest typed and could not send: shown once more on the page that says the
            # link closed (``pages/signin``), in this browser session's memory only
            try:
                typed = unsent_report.text_of(st.session_state, _guest_incident())
            except Exception:  # noqa: BLE001 - giving the text back must never keep the session open
                typed = ""
            end(GUEST_ENDED)
            if typed:
                st.session_state[unsent_report.KEY] = typed
        elif st.session_state.get(USER_ID) is not None or resolved.reason:
            end(auth.EXPIRY_MESSAGES.get(resolved.reason or "ended"))
        return None
    if st.session_state.get(USER_ID) != resolved.actor.user_id or st.session_state.get(GUEST) is not None:
        end()  # another account signed in in this browser: nothing of the previous one stays
    st.session_state[USER_ID] = resolved.actor.user_id
    st.session_state[SESSION_ID] = resolved.session_id
    st.session_state[ACTOR] = resolved.actor.model_dump(mode="json")
    return resolved.actor


def _guest_incident() -> int | None:
    """The one report of a follow-up link's guest (its addition is given back too); else None."""
    return (st.session_state.get(ACTOR) or {}).get("incident_id")


def _as_guest(visitor: guest.GuestActor) -> guest.GuestActor:
    """A guest: bound to its link or follow-up token; nothing of an account stays."""
    if st.session_state.get(GUEST) != visitor.guest_session_id or st.session_state.get(USER_ID) is not None:
        end()
    st.session_state[GUEST] = visitor.guest_session_id
    st.session_state[ACTOR] = visitor.model_dump(mode="json")
    return visitor


def fresh_actor() -> Actor | None:
    """For button callbacks, which run before app.py: check the session again right now.

    When the database cannot be opened (a full disk) the callback does nothing and app.py
    tells the user that nothing was saved; the answers stay in the session."""
    try:
        with store.unit() as db:
            return resume(db)
    except store.StorageError:
        st.session_state[STORAGE_FAILED] = True
        return None


def actor() -> Actor:
    """The actor ``app.py`` resolved for this run; pages call this first."""
    data = st.session_state.get(ACTOR)
    if not data:
        st.stop()
    return guest.from_data(data)


def session_id() -> int:
    """This browser's session (downloads are bound to it)."""
    value = st.session_state.get(SESSION_ID)
    if value is None:
        st.stop()
    return value
