"""Server-side sessions behind an HttpOnly cookie.

The browser holds a random token; the database holds only its SHA-256, the user, when the
session started and was last seen, its idle and absolute limits, and the client's address and
user agent. Every request resolves the actor from the token afresh, so ending a session (sign
out, a new password, a disabled account, another role) takes effect on the user's next click
in every tab. Nothing of the identity lives only in ``st.session_state``.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, auth
from datalek.config import SessionPolicy
from datalek.models import Actor
from datalek.store import sessions as sql

#: The cookie's name; HttpOnly, SameSite=Strict, path /, Secure over https (see server.py).
COOKIE = "datalek_sessie"
#: last_seen is written at most this often, so a burst of clicks costs one write.
TOUCH_EVERY = timedelta(seconds=15)
MAX_USER_AGENT = 300


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Resolved:
    """What a token stands for now: an actor, or why not (a key of ``auth.EXPIRY_MESSAGES``)."""

    actor: Actor | None
    session_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SessionInfo:
    id: int
    created_at: datetime
    last_seen_at: datetime
    client: str
    user_agent: str
    method: str


def open_session(
    db: Database,
    user_id: int,
    *,
    method: str,
    client: str,
    user_agent: str,
    policy: SessionPolicy | None = None,
    at: datetime | None = None,
) -> str:
    """Start a session for ``user_id``; returns the token for the cookie (never stored)."""
    policy = policy or SessionPolicy.from_env()
    now = clock.to_iso(at or clock.now())
    token = secrets.token_urlsafe(32)
    with store.write(db):
        sql.insert(
            db,
            {
                "token_hash": token_hash(token),
                "user_id": user_id,
                "method": method,
                "created_at": now,
                "last_seen_at": now,
                "idle_minutes": policy.idle_minutes,
                "absolute_hours": policy.absolute_hours,
                "client": client[:100],
                "user_agent": user_agent[:MAX_USER_AGENT],
            },
        )
    return token


def resolve(db: Database, token: str | None, at: datetime | None = None) -> Resolved:
    """The actor behind ``token`` right now. An expired session, or one of an account that is
    disabled or gone, is deleted and audited; the reason comes back for a Dutch message."""
    if not token:
        return Resolved(None)
    row = sql.by_token_hash(db, token_hash(token))
    if row is None:
        return Resolved(None, reason="ended")
    at = at or clock.now()
    policy = SessionPolicy(idle_minutes=row["idle_minutes"], absolute_hours=row["absolute_hours"])
    last_seen = clock.from_iso(row["last_seen_at"])
    reason = auth.session_expiry(policy, clock.from_iso(row["created_at"]), last_seen, at)
    actor = None if reason else auth.actor_for(db, row["user_id"])
    if actor is None:
        reason = reason or "disabled"
        with store.write(db):
            if sql.delete(db, row["id"]):
                audit.append(db, None, "session_end", "user", row["user_id"], reason=reason)
        return Resolved(None, reason=reason)
    if at - last_seen >= TOUCH_EVERY:
        with store.write(db):
            sql.touch(db, row["id"], clock.to_iso(at))
    return Resolved(actor, session_id=row["id"])


def close(db: Database, token: str | None, reason: str = "user") -> None:
    """Sign out: the session behind ``token`` stops existing."""
    if not token:
        return
    row = sql.by_token_hash(db, token_hash(token))
    if row is None:
        return
    with store.write(db):
        if sql.delete(db, row["id"]):
            audit.append(db, None, "signout", "user", row["user_id"], reason=reason)


def end_all(db: Database, user_id: int, reason: str, keep_session_id: int | None = None) -> int:
    """End every session of ``user_id`` (but ``keep_session_id``). Call it inside the caller's
    write transaction when it changes the password, the role or disables the account."""
    ended = sql.delete_of_user(db, user_id, keep_session_id)
    if ended:
        audit.append(db, None, "sessions_ended", "user", user_id, reason=reason, count=ended)
    return ended


def active(db: Database, actor: Actor) -> list[SessionInfo]:
    """The actor's own open sessions, most recently used first."""
    return [
        SessionInfo(
            id=r["id"],
            created_at=clock.from_iso(r["created_at"]),
            last_seen_at=clock.from_iso(r["last_seen_at"]),
            client=r["client"],
            user_agent=r["user_agent"],
            method=r["method"],
        )
        for r in sql.of_user(db, actor.user_id)
    ]


def end_own(db: Database, actor: Actor, session_id: int) -> bool:
    """The actor ends one of their own sessions (another device); False when it was not theirs."""
    mine = {r["id"] for r in sql.of_user(db, actor.user_id)}
    if session_id not in mine:
        return False
    with store.write(db):
        sql.delete(db, session_id)
        audit.append(db, actor, "session_end", "user", actor.user_id, reason="ended_by_owner")
    return True


# The organisation sign-in (OIDC) finishes inside the Streamlit script, which cannot set an
# HttpOnly cookie. It opens the session and hands the browser a one-time code for
# /auth/activate, which sets the cookie. The codes live in this process's memory only (the
# script and the route run in the same server process) and for one minute.
ACTIVATION_SECONDS = 60
_activations: dict[str, tuple[str, datetime]] = {}
_activations_lock = threading.Lock()


def activation_code(token: str, at: datetime | None = None) -> str:
    at = at or clock.now()
    code = secrets.token_urlsafe(24)
    with _activations_lock:
        for key in [k for k, (_, until) in _activations.items() if until <= at]:
            del _activations[key]
        _activations[token_hash(code)] = (token, at + timedelta(seconds=ACTIVATION_SECONDS))
    return code


def redeem_activation(code: str, at: datetime | None = None) -> str | None:
    """The session token for a one-time ``code``, or None when unknown, used or expired."""
    at = at or clock.now()
    with _activations_lock:
        entry = _activations.pop(token_hash(code), None) if code else None
    if entry is None or entry[1] <= at:
        return None
    return entry[0]
