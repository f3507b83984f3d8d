"""Throttling failed sign-ins per (account, client address) and per client address.

An account is never locked for everybody (issue #13: an attacker who kept one account's
back-off running kept its owner out for 72 hours). Every failure is counted twice, and an
attempt is refused, without checking its password, while either counter's wait runs:

* one account from one client address: after 5 failures a wait of 30 s, doubling with each
  further failure (1, 2, 4, 8 min) up to 15 min; cleared by a successful sign-in of that
  account from that address;
* one client address, whatever account it tries (known or not): after 20 failures 30 s,
  doubling up to 15 min; never cleared by a success (an attacker with an account of their own
  could otherwise reset it), so an office behind one address can make 19 mistakes a day
  before anyone there has to wait.

A counter covers 24 hours from its first failure; once that window and its running wait are
both over it is forgotten. Pruned on write: every attempt that is not refused first deletes
all expired counters, so the table does not grow much beyond the last 24 hours' failures.

A correct password from an address that has to wait is refused too (else the wait would be
useless), but only there: the owner signing in from another address never waits because of
someone else's failures.

The most one address can try (``tests/test_throttle.py`` simulates it): against one account
12 guesses in the first hour, 104 a day and 312 in 72 hours; spread over any number of
accounts 27 in the first hour, 119 a day and 357 in 72 hours. So about four guesses an hour,
whatever it aims at. An attacker with many addresses gets that much per address: limits per
address cannot stop a botnet without locking the owner out again; the beheerder sees the
bursts in the audit trail (below), and the password policy (at least 12 characters, argon2id)
carries the rest.

The client address counts as: the IPv4 address; for IPv6 its /64 network (one subscriber
commonly holds a whole /64); anything else as one client, ``onbekend``. A server that cannot see
its clients' addresses (behind a reverse proxy that does not pass them on) puts everybody behind
one address, and then one attacker slows down everyone: deploy so that it can.

The audit trail: every failure whose password was checked is one ``signin_failed`` entry with
the client address (at most 119 a day per address, because of the waits); an attempt refused
while a wait runs writes nothing (it checked nothing). A counter that reaches its free attempts,
or twice, four times, ... that number, writes one ``signin_burst`` entry: 8 a day for an address
attacking one account (at 5, 10, 20, 40 and 80 failures for the account and address, at 20, 40
and 80 for the address), with how many accounts an address tried. The e-mail address is kept
only as a SHA-256 in the throttle table and never in the trail, so an unknown address that was
typed (perhaps a password in the wrong field) is not stored readable; the client address is in
the trail (the security log), never in the application's logs.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.accounts import audit
from datalek.store import throttle as sql

UNKNOWN_CLIENT = "onbekend"
WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Rule:
    """One counter's figures: failures without a wait, then ``base_seconds`` doubling per
    further failure up to ``max_seconds``."""

    scope: str
    free_attempts: int
    base_seconds: int
    max_seconds: int

    def delay_seconds(self, failures: int) -> int:
        """The wait after ``failures`` failures in this counter's window."""
        if failures < self.free_attempts:
            return 0
        doublings = min(failures - self.free_attempts, 32)
        return min(self.base_seconds * 2**doublings, self.max_seconds)

    def alert_at(self, failures: int) -> bool:
        """The counter reaches its free attempts, or twice, four times, ... that number."""
        times, rest = divmod(failures, self.free_attempts)
        return times >= 1 and rest == 0 and times & (times - 1) == 0


ACCOUNT_AND_CLIENT = Rule("account_client", free_attempts=5, base_seconds=30, max_seconds=15 * 60)
CLIENT = Rule("client", free_attempts=20, base_seconds=30, max_seconds=15 * 60)
RULES = (ACCOUNT_AND_CLIENT, CLIENT)


def client_key(client: str) -> str:
    """What a client address is counted as: the IPv4 address, the IPv6 /64 network, or
    ``onbekend`` for anything that is not an IP address."""
    try:
        address = ipaddress.ip_address((client or "").strip())
    except ValueError:
        return UNKNOWN_CLIENT
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


def account_key(email: str) -> str:
    """The normalised e-mail address as stored: its SHA-256, so that a mistyped address (or a
    password typed in the wrong field) is not kept readable. Unsalted, so a guess can still be
    checked against it; the row is gone a day after its first failure."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the throttle saw it."""

    account: str
    client: str
    at: datetime
    #: > 0: refused for this many seconds; nothing was counted
    wait_seconds: float
    #: per scope, the failures in the window including this attempt (counted before the
    #: password check; ``succeeded`` takes it back)
    failures: dict[str, int]
    previous_client_failure: str | None = None

    @property
    def refused(self) -> bool:
        return self.wait_seconds > 0

    def wait_after_failure(self) -> int:
        """The wait this attempt sets when its password turns out wrong."""
        return max(rule.delay_seconds(self.failures.get(rule.scope, 0)) for rule in RULES)


def _in_transaction(db: Database) -> None:
    if not db.conn.in_transaction:
        raise RuntimeError("the sign-in throttle must run inside a BEGIN IMMEDIATE transaction")


def _keys(rule: Rule, account: str, client: str) -> tuple[str, str, str]:
    return rule.scope, client, account if rule is ACCOUNT_AND_CLIENT else ""


def _expires(rule: Rule, first: datetime, last: datetime, failures: int) -> datetime:
    return max(first + WINDOW, last + timedelta(seconds=rule.delay_seconds(failures)))


def _live(row: dict | None, at: datetime) -> dict | None:
    return row if row and clock.from_iso(row["expires_at"]) > at else None


def _remaining(rule: Rule, row: dict | None, at: datetime) -> float:
    if row is None:
        return 0.0
    wait = rule.delay_seconds(row["failures"])
    if not wait:  # below the free attempts nobody waits, also not an attempt that queued
        return 0.0
    return (clock.from_iso(row["last_failed_at"]) + timedelta(seconds=wait) - at).total_seconds()


def admit(db: Database, email: str, client: str, at: datetime) -> Attempt:
    """Refuse while a wait runs for this account from this address or for this address;
    otherwise count the attempt as a failure before the (slow) password check, so that
    attempts made at the same moment cannot all slip past. Run inside ``store.write``."""
    _in_transaction(db)
    account, client = account_key(email), client_key(client)
    rows = {rule: _live(sql.counter(db, *_keys(rule, account, client)), at) for rule in RULES}
    wait = max(_remaining(rule, row, at) for rule, row in rows.items())
    if wait > 0:
        return Attempt(account, client, at, wait, {})
    sql.prune(db, clock.to_iso(at))
    failures = {}
    for rule, row in rows.items():
        scope, key_client, key_account = _keys(rule, account, client)
        count = row["failures"] + 1 if row else 1
        first = clock.from_iso(row["first_failed_at"]) if row else at
        last = max(clock.from_iso(row["last_failed_at"]), at) if row else at
        sql.put_counter(
            db,
            {
                "scope": scope,
                "client": key_client,
                "account": key_account,
                "failures": count,
                "first_failed_at": clock.to_iso(first),
                "last_failed_at": clock.to_iso(last),
                "expires_at": clock.to_iso(_expires(rule, first, last, count)),
            },
        )
        failures[scope] = count
    previous = rows[CLIENT]["last_failed_at"] if rows[CLIENT] else None
    return Attempt(account, client, at, 0.0, failures, previous)


def succeeded(db: Database, attempt: Attempt) -> None:
    """The password was right: clear this account's counter from this address and take back
    the failure counted for the address (its other failures stay). Run inside ``store.write``."""
    _in_transaction(db)
    sql.delete_counter(db, *_keys(ACCOUNT_AND_CLIENT, attempt.account, attempt.client))
    keys = _keys(CLIENT, attempt.account, attempt.client)
    row = sql.counter(db, *keys)
    if row is None:
        return
    count = row["failures"] - 1
    if count <= 0:
        sql.delete_counter(db, *keys)
        return
    last = row["last_failed_at"]
    if last == clock.to_iso(attempt.at) and attempt.previous_client_failure:
        last = attempt.previous_client_failure  # no other failure came after this attempt
    first = clock.from_iso(row["first_failed_at"])
    expires = _expires(CLIENT, first, clock.from_iso(last), count)
    sql.put_counter(
        db, {**row, "failures": count, "last_failed_at": last, "expires_at": clock.to_iso(expires)}
    )


def record_bursts(db: Database, attempt: Attempt, user_id: int | None) -> None:
    """One ``signin_burst`` entry per counter that this failed attempt brought to an alert
    threshold. ``user_id`` only for a known account; run inside ``store.write``."""
    for rule in RULES:
        failures = attempt.failures.get(rule.scope, 0)
        if not failures or not rule.alert_at(failures):
            continue
        wait = rule.delay_seconds(failures)
        if rule is ACCOUNT_AND_CLIENT:
            audit.append(
                db,
                None,
                "signin_burst",
                "user",
                user_id,
                scope=rule.scope,
                client=attempt.client,
                failures=failures,
                wait_seconds=wait,
            )
        else:  # the whole address: no account, but how many it tried
            audit.append(
                db,
                None,
                "signin_burst",
                "user",
                None,
                scope=rule.scope,
                client=attempt.client,
                failures=failures,
                accounts=sql.accounts_tried(db, attempt.client),
                wait_seconds=wait,
            )
