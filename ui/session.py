"""The signed-in session, kept server-side in ``st.session_state`` (ids and times only).

On every run ``resume`` re-reads the account from the database and enforces the idle
timeout and the absolute lifetime, so a disabled account or an expired session is
signed out on its next interaction.
"""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.accounts import auth
from datalek.config import SessionPolicy
from datalek.models import Actor

USER_ID, LOGIN_AT, LAST_SEEN, ACTOR, FLASH = "user_id", "login_at", "last_seen", "_actor", "flash"
STORAGE_FAILED = "storage_failed"
STORAGE_MESSAGE = (
    "Datalek kan nu niet bij de opslag (de schijf is vol of alleen-lezen). Wat je net deed is "
    "NIET opgeslagen. Wat je invulde staat nog klaar: probeer het over een minuut opnieuw. "
    "Lukt het niet, mail of bel dan de FG."
)


def start(actor: Actor) -> None:
    """Begin a fresh session: nothing from before sign-in is carried over."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    at = clock.to_iso(clock.now())
    st.session_state[USER_ID] = actor.user_id
    st.session_state[LOGIN_AT] = at
    st.session_state[LAST_SEEN] = at
    st.session_state[ACTOR] = actor.model_dump(mode="json")


def end(flash: str | None = None) -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if flash:
        st.session_state[FLASH] = flash


def resume(db) -> Actor | None:
    """The signed-in actor for this run, or None (and the reason in ``flash``)."""
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return None
    at = clock.now()
    reason = auth.session_expiry(
        SessionPolicy.from_env(),
        clock.from_iso(st.session_state[LOGIN_AT]),
        clock.from_iso(st.session_state[LAST_SEEN]),
        at,
    )
    actor = None if reason else auth.actor_for(db, user_id)
    if actor is None:
        auth.end_session(db, user_id, reason or "disabled")
        end(auth.EXPIRY_MESSAGES[reason or "disabled"])
        return None
    st.session_state[LAST_SEEN] = clock.to_iso(at)
    st.session_state[ACTOR] = actor.model_dump(mode="json")
    return actor


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
    return Actor.model_validate(data)


def sign_out() -> None:
    with store.unit() as db:
        auth.sign_out(db, actor())
    end("Je bent afgemeld.")
