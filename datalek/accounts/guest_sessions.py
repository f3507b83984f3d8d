"""Opening a report link or a follow-up token, and the guest session that follows (issue #16).

``open_link`` and ``open_follow_up`` check a token from the address bar and, when it works,
open a guest session: the browser gets a random token in an HttpOnly cookie (``COOKIE``), the
database keeps its SHA-256 and what it is bound to (the link, or the follow-up token and so its
one incident). ``resolve`` finds the guest again on every request, and checks the link afresh:
a link revoked or expired ends every guest session it opened on their next click. A guest
session lasts at most ``SESSION_HOURS`` and never beyond its link or follow-up token.

Guessing is throttled as sign-in is (``datalek.accounts.throttle``: the same ``Rule`` and
client address), in a table of its own, inside the transaction that checks the token:

* per client address (``CLIENT``): a token that does not work (unknown, expired, revoked, used
  up) is a failure; after 10 failures a wait of a minute, doubling up to 15 minutes, for 24 hours
  from the first. A working token counts nothing here, so a team behind one address is not
  slowed down by its own use.
* per link (``LINK``) and per follow-up token (``FOLLOW_UP``): every attempt with a token that
  exists counts, working or not; after 50 (a link) or 20 (a follow-up) in 24 hours the same
  waits. A leaked link cannot be used to flood the FG's queue from many addresses, and a
  guessed but closed link cannot be hammered.

While a wait runs the token is not checked at all. Every counted failure is audited with its
reason and the client address (the security log); reaching a counter's free attempts, or
twice, four times ... that number, once more as a burst. The token never enters the trail.

The cookie is ``<random>.<l|f><SHA-256 of the link or follow-up token>``: the random part is
the session's secret (the database keeps the SHA-256 of the whole value), the rest names what
opened it. A revocation deletes the session rows, so only that rest lets ``ended`` tell the
browser of a guest whose link closed (it then reads "Deze link werkt niet meer" after a reload,
not an account's sign-in) from any other cookie: a random or made-up cookie names no link and
gets the sign-in as always. Naming a link's hash takes knowing its token, and whoever knows the
token learns more from ``/auth/melden`` itself, so this answers nobody anything new.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit, throttle
from datalek.accounts.guest import GuestActor
from datalek.accounts.report_links import LinkState, state_of
from datalek.accounts.sessions import MAX_USER_AGENT, token_hash
from datalek.store import report_links as sql

#: The guest's cookie: HttpOnly, SameSite=Lax (a link clicked in an e-mail must arrive with
#: it after the redirect), path /, Secure over https. Not the sign-in cookie: a guest never
#: holds a session of an account.
COOKIE = "datalek_gast"
SESSION_HOURS = 4
MAX_TOKEN = 100
MAX_COOKIE = 200
#: The cookie outlives its session by this much, so that a reload after the link was revoked or
#: expired still says the link closed (``ended``); the session itself ends on time regardless.
NOTICE_AFTER_END = timedelta(hours=24)
_LINK, _FOLLOW_UP = "l", "f"
#: What a guest whose link closed reads, in the app (``ui/session``) and after a reload (``web/guard``).
ENDED = (
    "De link waarmee je hier kwam werkt niet meer (ingetrokken of verlopen). Wat je nog niet "
    "verstuurde is NIET opgeslagen. Vraag de FG van de organisatie om een nieuwe link."
)

CLIENT = throttle.Rule("client", free_attempts=10, base_seconds=60, max_seconds=15 * 60)
LINK = throttle.Rule("link", free_attempts=50, base_seconds=60, max_seconds=15 * 60)
FOLLOW_UP = throttle.Rule("follow_up", free_attempts=20, base_seconds=60, max_seconds=15 * 60)

MESSAGES = {
    "unknown": (
        "Deze link werkt niet. Misschien is hij niet helemaal gekopieerd. Vraag de FG van de "
        "organisatie om een nieuwe link."
    ),
    "expired": "Deze link is verlopen. Vraag de FG van de organisatie om een nieuwe link.",
    "revoked": "Deze link is ingetrokken door de FG. Vraag de FG van de organisatie om een nieuwe link.",
    "used": (
        "Deze link was voor één melding en die is al gedaan. Wil je nog iets melden? Vraag de FG "
        "van de organisatie om een nieuwe link."
    ),
}
THROTTLED = "Er is te vaak een link geprobeerd die niet werkt. Wacht {wait} en probeer het dan opnieuw."


class Refused(Exception):
    """The token does not open anything. ``message`` is Dutch; ``retry_after`` in seconds when
    the answer is to wait (then the token was not even checked)."""

    def __init__(self, reason: str, message: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Opened:
    """A guest session: the token for the cookie (never stored) and how long it lasts."""

    token: str
    expires_at: datetime
    follow_up: bool


def _wait_text(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "een minuut" if minutes <= 1 else f"{minutes} minuten"


# --- the throttle: sign-in's rules and client address, this table -------------------------------


def _live(row: dict | None, at: datetime) -> dict | None:
    return row if row and clock.from_iso(row["expires_at"]) > at else None


def _remaining(rule: throttle.Rule, row: dict | None, at: datetime) -> float:
    wait = rule.delay_seconds(row["failures"]) if row else 0
    if not wait:
        return 0.0
    return (clock.from_iso(row["last_failed_at"]) + timedelta(seconds=wait) - at).total_seconds()


def _count(db: Database, rule: throttle.Rule, key: str, row: dict | None, at: datetime) -> int:
    failures = row["failures"] + 1 if row else 1
    first = clock.from_iso(row["first_failed_at"]) if row else at
    expires = max(first + throttle.WINDOW, at + timedelta(seconds=rule.delay_seconds(failures)))
    sql.put_counter(
        db,
        {
            "scope": rule.scope,
            "key": key,
            "failures": failures,
            "first_failed_at": clock.to_iso(first),
            "last_failed_at": clock.to_iso(at),
            "expires_at": clock.to_iso(expires),
        },
    )
    return failures


# --- opening a token ------------------------------------------------------------------------------


def _target(db: Database, follow_up: bool, hashed: str | None, at: datetime) -> tuple[dict | None, str]:
    """(the link's or follow-up's row, its state: 'active' or a key of ``MESSAGES``)."""
    if hashed is None:
        return None, "unknown"
    if follow_up:
        row = sql.follow_up_by_hash(db, hashed)
        if row is None:
            return None, "unknown"
        return row, "expired" if clock.from_iso(row["expires_at"]) <= at else LinkState.OPEN.value
    row = sql.link_by_hash(db, hashed)
    if row is None:
        return None, "unknown"
    return row, state_of(row, at).value


def _open(db: Database, follow_up: bool, token: str, client: str, user_agent: str, at: datetime) -> Opened:
    rule = FOLLOW_UP if follow_up else LINK
    plausible = isinstance(token, str) and 20 <= len(token) <= MAX_TOKEN
    address = throttle.client_key(client)
    with store.write(db):
        row, state = _target(db, follow_up, token_hash(token) if plausible else None, at)
        key = str(row["id"]) if row else ""
        by_client = _live(sql.counter(db, CLIENT.scope, address), at)
        by_token = _live(sql.counter(db, rule.scope, key), at) if row else None
        wait = max(_remaining(CLIENT, by_client, at), _remaining(rule, by_token, at))
        if wait > 0:
            refused = Refused(
                "throttled", THROTTLED.format(wait=_wait_text(math.ceil(wait))), math.ceil(wait)
            )
        else:
            sql.prune_counters(db, clock.to_iso(at))
            refused = None
            if row:
                uses = _count(db, rule, key, by_token, at)
                if rule.alert_at(uses):
                    kind, object_id, detail = _about(row, follow_up)
                    audit.append(db, None, "report_link.burst", kind, object_id, **detail, failures=uses)
            if state != LinkState.OPEN.value:
                failures = _count(db, CLIENT, address, by_client, at)
                kind, object_id, detail = _about(row, follow_up)
                audit.append(
                    db, None, "report_link.refused", kind, object_id, **detail, reason=state, client=address
                )
                if CLIENT.alert_at(failures):
                    audit.append(db, None, "report_link.burst", "", None, client=address, failures=failures)
                refused = Refused(state, MESSAGES[state])
            else:
                opened = _session(db, row, follow_up, client, user_agent, at)
    if refused is not None:
        raise refused
    return opened


def _about(row: dict | None, follow_up: bool) -> tuple[str, int | None, dict]:
    """What an audit entry about a token names: the incident of a follow-up token, or the
    organisation and number of a link; nothing for a token that does not exist."""
    if row is None:
        return "", None, {}
    if follow_up:
        return "incident", row["incident_id"], {}
    return "organisation", row["org_id"], {"link_id": row["id"]}


def _session(db: Database, row: dict, follow_up: bool, client: str, user_agent: str, at: datetime) -> Opened:
    sql.prune_sessions(db, clock.to_iso(at))
    token = f"{secrets.token_urlsafe(32)}.{_FOLLOW_UP if follow_up else _LINK}{row['token_hash']}"
    expires = min(at + timedelta(hours=SESSION_HOURS), clock.from_iso(row["expires_at"]))
    sql.insert_session(
        db,
        {
            "token_hash": token_hash(token),
            "link_id": None if follow_up else row["id"],
            "follow_up_id": row["id"] if follow_up else None,
            "created_at": clock.to_iso(at),
            "expires_at": clock.to_iso(expires),
            "client": client[:100],
            "user_agent": user_agent[:MAX_USER_AGENT],
        },
    )
    if follow_up:
        audit.append(db, None, "report_link.follow_up", "incident", row["incident_id"])
    else:
        audit.append(db, None, "report_link.open", "organisation", row["org_id"], link_id=row["id"])
    return Opened(token, expires, follow_up)


def open_link(
    db: Database, token: str, client: str, user_agent: str = "", at: datetime | None = None
) -> Opened:
    """A report link from the address bar: a guest session that may report for its
    organisation, or ``Refused`` (unknown, expired, revoked, used up, or wait)."""
    return _open(db, False, token, client, user_agent, at or clock.now())


def open_follow_up(
    db: Database, token: str, client: str, user_agent: str = "", at: datetime | None = None
) -> Opened:
    """A follow-up token: a guest session that may read and add to its one report."""
    return _open(db, True, token, client, user_agent, at or clock.now())


# --- the guest on every request -------------------------------------------------------------------


def resolve(db: Database, token: str | None, at: datetime | None = None) -> GuestActor | None:
    """The guest behind a cookie's token right now, or None. A session past its time, or whose
    link was revoked or expired (or whose follow-up token expired or was purged), is deleted."""
    if not token or len(token) > MAX_COOKIE:
        return None
    row = sql.session_by_hash(db, token_hash(token))
    if row is None:
        return None
    at = at or clock.now()
    guest = None if clock.from_iso(row["expires_at"]) <= at else _guest(db, row, at)
    if guest is None:
        with store.write(db):
            sql.delete_session(db, row["id"])
    return guest


def _guest(db: Database, row: dict, at: datetime) -> GuestActor | None:
    if row["link_id"] is not None:
        link = sql.link(db, row["link_id"])
        if link is None or state_of(link, at) in (LinkState.REVOKED, LinkState.EXPIRED):
            return None
        return GuestActor(
            user_id=None, org_ids=(link["org_id"],), guest_session_id=row["id"], link_id=link["id"]
        )
    follow_up = sql.follow_up(db, row["follow_up_id"])
    if follow_up is None or clock.from_iso(follow_up["expires_at"]) <= at:
        return None
    return GuestActor(user_id=None, guest_session_id=row["id"], incident_id=follow_up["incident_id"])


def ended(db: Database, token: str | None, at: datetime | None = None) -> bool:
    """Whether ``token`` is the cookie of a guest whose link was revoked or expired (or whose
    follow-up token expired): the sessions ``resolve`` ends because of what opened them. False
    for anything else, a random or made-up value included (see the module's docstring)."""
    if not token or len(token) > MAX_COOKIE:
        return False
    _, dot, ref = token.rpartition(".")
    kind, hashed = ref[:1], ref[1:]
    if not dot or len(hashed) != 64:
        return False
    at = at or clock.now()
    if kind == _LINK:
        link = sql.link_by_hash(db, hashed)
        return link is not None and state_of(link, at) in (LinkState.REVOKED, LinkState.EXPIRED)
    if kind == _FOLLOW_UP:
        follow_up = sql.follow_up_by_hash(db, hashed)
        return follow_up is not None and clock.from_iso(follow_up["expires_at"]) <= at
    return False
