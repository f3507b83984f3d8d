"""Accounts and sign-in: argon2id password hashes, back-off after failed attempts,
server-side session limits, and loading the acting user fresh on every run.

Sign-in messages never tell whether an e-mail address has an account.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.config import SessionPolicy
from datalek.models import Actor, Role
from datalek.store import accounts as sql

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
FREE_ATTEMPTS = 5
BASE_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 15 * 60

_hasher = PasswordHasher()  # argon2id with the library's current defaults
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


class SigninRefused(Exception):
    """Sign-in failed; ``message`` is the Dutch text to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


WRONG_CREDENTIALS = "E-mailadres of wachtwoord klopt niet."


def normalise_email(email: str) -> str:
    return email.strip().lower()


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    """Looks like an e-mail address (one @, a dot in the domain, no spaces)."""
    return bool(_EMAIL.match(text.strip()))


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (Dutch), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens hebben."
    if not password.strip():
        return "Een wachtwoord mag niet alleen uit spaties bestaan."
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def backoff_seconds(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: none for the first few,
    then doubling from 30 seconds up to 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(BASE_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def _wait_message(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    unit = "minuut" if minutes == 1 else "minuten"
    return f"Te veel mislukte pogingen. Probeer het over {minutes} {unit} opnieuw."


def actor_for(db: Database, user_id: int) -> Actor | None:
    """The acting user as the database knows them now; None when missing or disabled."""
    row = sql.user(db, user_id)
    if row is None or not row["active"]:
        return None
    return Actor(user_id=row["id"], role=Role(row["role"]), org_ids=tuple(sql.membership_ids(db, row["id"])))


def sign_in(db: Database, email: str, password: str, at: datetime | None = None) -> Actor:
    """Check the credentials; every outcome is audited. Raises ``SigninRefused``."""
    at = at or clock.now()
    key = normalise_email(email)
    remaining = 0.0
    with store.write(db):  # check and count in one transaction: parallel guesses queue up here
        failures = sql.signin_failures(db, key)
        wait = backoff_seconds(failures["failures"]) if failures else 0
        if wait:  # (an attempt that started before the last failure was written: no wait)
            last = clock.from_iso(failures["last_failed_at"])
            remaining = (last + timedelta(seconds=wait) - at).total_seconds()
        if remaining > 0:
            audit.append(db, None, "signin_throttled", "user", None)
        else:
            # Counted before the (slow) password check and cleared on success, so attempts
            # made at the same moment cannot all slip past the back-off.
            count = sql.record_signin_failure(db, key, clock.to_iso(at))
    if remaining > 0:
        raise SigninRefused(_wait_message(remaining))
    row = sql.user_by_email(db, key)
    if not _verify(row["password_hash"] if row else None, password):
        with store.write(db):
            audit.append(db, None, "signin_failed", "user", row["id"] if row else None)
        wait = backoff_seconds(count)
        raise SigninRefused(_wait_message(wait) if wait else WRONG_CREDENTIALS)
    if not row["active"]:
        with store.write(db):
            audit.append(db, None, "signin_refused_disabled", "user", row["id"])
        raise SigninRefused("Dit account is uitgeschakeld. Neem contact op met de beheerder.")
    with store.write(db):
        sql.clear_signin_failures(db, key)
        if _hasher.check_needs_rehash(row["password_hash"]):
            sql.set_password_hash(db, row["id"], _hasher.hash(password), clock.to_iso(at))
        audit.append(db, None, "signin", "user", row["id"], method="password")
    actor = actor_for(db, row["id"])
    assert actor is not None
    return actor


def sign_in_oidc(db: Database, email: str, email_verified: bool) -> Actor:
    """Map an identity provider's verified e-mail address to an active local account."""
    row = sql.user_by_email(db, normalise_email(email)) if email and email_verified else None
    actor = actor_for(db, row["id"]) if row else None
    with store.write(db):
        if actor is None:
            audit.append(db, None, "signin_failed", "user", row["id"] if row else None, method="oidc")
        else:
            audit.append(db, None, "signin", "user", actor.user_id, method="oidc")
    if actor is None:
        raise SigninRefused("Met dit account kun je Datalek niet gebruiken. Vraag de beheerder om toegang.")
    return actor


def sign_out(db: Database, actor: Actor, reason: str = "user") -> None:
    with store.write(db):
        audit.append(db, actor, "signout", "user", actor.user_id, reason=reason)


def session_expiry(
    policy: SessionPolicy, login_at: datetime, last_seen: datetime, at: datetime
) -> str | None:
    """'idle' or 'absolute' when the session has run out, else None."""
    if at - login_at >= timedelta(hours=policy.absolute_hours):
        return "absolute"
    if at - last_seen >= timedelta(minutes=policy.idle_minutes):
        return "idle"
    return None


EXPIRY_MESSAGES = {
    "idle": "Je bent afgemeld omdat je een tijd niets hebt gedaan. Meld je opnieuw aan.",
    "absolute": "Je sessie is verlopen. Meld je opnieuw aan.",
    "disabled": "Je account is uitgeschakeld of bestaat niet meer.",
}


def end_session(db: Database, user_id: int, reason: str) -> None:
    """Record that a session ended without the user signing out (timeout, disabled)."""
    with store.write(db):
        audit.append(db, None, "session_end", "user", user_id, reason=reason)
