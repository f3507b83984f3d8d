"""Accounts and sign-in: argon2id password hashes, throttling of failed attempts per
(account, client address) and per client address (``datalek/accounts/throttle.py``: never a
lock on the account for everybody), server-side session limits, and loading the acting user
fresh on every run.

Sign-in messages never tell whether an e-mail address has an account, and a wrong password
costs one argon2 verification whether the account exists or not.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, throttle
from datalek.config import SessionPolicy
from datalek.models import Actor, Role
from datalek.store import accounts as sql

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id with the library's current defaults
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


class SigninRefused(Exception):
    """Sign-in failed; ``message`` is the Dutch text to show. ``retry_after``: the seconds
    this client address has to wait before its next attempt is checked (a server can send
    them as HTTP ``Retry-After``), or None."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


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


def _wait_message(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    unit = "minuut" if minutes == 1 else "minuten"
    return f"Te veel mislukte pogingen. Probeer het over {minutes} {unit} opnieuw."


def _refused_to_wait(seconds: float) -> SigninRefused:
    return SigninRefused(_wait_message(seconds), retry_after=math.ceil(seconds))


def actor_for(db: Database, user_id: int) -> Actor | None:
    """The acting user as the database knows them now; None when missing or disabled."""
    row = sql.user(db, user_id)
    if row is None or not row["active"]:
        return None
    return Actor(user_id=row["id"], role=Role(row["role"]), org_ids=tuple(sql.membership_ids(db, row["id"])))


def sign_in(db: Database, email: str, password: str, *, client: str, at: datetime | None = None) -> Actor:
    """Check the credentials of a sign-in from the client address ``client``; failures and
    successes are audited (failures with the address, never the typed e-mail address).
    Raises ``SigninRefused``; see ``throttle`` for when an address has to wait."""
    at = at or clock.now()
    key = normalise_email(email)
    with store.write(db):  # check and count in one transaction: parallel guesses queue up here
        attempt = throttle.admit(db, key, client, at)
    if attempt.refused:  # the password is not checked, for a known and an unknown account alike
        raise _refused_to_wait(attempt.wait_seconds)
    row = sql.user_by_email(db, key)
    user_id = row["id"] if row else None
    if not _verify(row["password_hash"] if row else None, password):
        with store.write(db):
            audit.append(db, None, "signin_failed", "user", user_id, method="password", client=attempt.client)
            throttle.record_bursts(db, attempt, user_id)
        wait = attempt.wait_after_failure()
        raise _refused_to_wait(wait) if wait else SigninRefused(WRONG_CREDENTIALS)
    if not row["active"]:
        with store.write(db):
            audit.append(db, None, "signin_refused_disabled", "user", row["id"])
            throttle.record_bursts(db, attempt, user_id)
        raise SigninRefused("Dit account is uitgeschakeld. Neem contact op met de beheerder.")
    with store.write(db):
        throttle.succeeded(db, attempt)
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
    "ended": "Je bent afgemeld. Meld je opnieuw aan.",
}
