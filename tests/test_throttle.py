"""Throttling failed sign-ins without locking the owner out (issue #13).

Failures are counted per (account, client address) and per client address
(``datalek/accounts/throttle.py``): a throttled address is refused even with the right
password, but the owner signing in from her own address never waits for someone else's
failures. Time is simulated with ``at=``; nothing sleeps.
"""

from __future__ import annotations

import heapq
import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from datalek.accounts import auth, throttle
from datalek.accounts.users import create_user, set_active
from datalek.models import Actor, Role
from datalek.store import audit_log
from datalek.store import throttle as throttle_sql
from tests.conftest import PASSWORD

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
FG = "dpo@test.invalid"
FG_ADDRESS = "192.0.2.10"
ATTACKER = "198.51.100.1"
ELSEWHERE = "203.0.113.7"
WRONG = "a wrong guess of the password"
SECOND = timedelta(seconds=1)


def sign_in(db, email: str, password: str, client: str, at: datetime):
    """The actor, or the refusal."""
    try:
        return auth.sign_in(db, email, password, client=client, at=at)
    except auth.SigninRefused as refused:
        return refused


def fail(db, email: str, client: str, at: datetime) -> auth.SigninRefused:
    refused = sign_in(db, email, WRONG, client, at)
    assert isinstance(refused, auth.SigninRefused)
    return refused


def fail_in_a_row(db, email: str, client: str, times: int, start: datetime = T0) -> datetime:
    """``times`` wrong passwords, each as soon as the throttle allows; the time of the last."""
    at, wait = start, 0
    for i in range(times):
        at += timedelta(seconds=max(wait, 1)) if i else timedelta(0)
        wait = fail(db, email, client, at).retry_after or 0
    return at


def spray(db, client: str, accounts: int, start: datetime = T0) -> datetime:
    """One wrong password for each of ``accounts`` unknown addresses, a second apart."""
    for i in range(accounts):
        fail(db, f"guess{i}@test.invalid", client, start + i * SECOND)
    return start + (accounts - 1) * SECOND


def failed_from(db, client: str) -> int:
    return sum(
        json.loads(e["detail"]).get("client") == client for e in audit_log.recent(db, 10**6, "signin_failed")
    )


def counter(db, rule: throttle.Rule, client: str, email: str = "") -> int:
    account = throttle.account_key(email) if rule is throttle.ACCOUNT_AND_CLIENT else ""
    row = throttle_sql.counter(db, rule.scope, throttle.client_key(client), account)
    return row["failures"] if row else 0


# --- the finding: 72 hours of attack did not keep the FG out ---------------------------


@dataclass
class Outcome:
    fg_signins: int = 0
    fg_refused: int = 0
    attempts: dict[str, int] = field(default_factory=dict)


def simulate(db, attackers: list[str], hours: int = 72) -> Outcome:
    """Each attacker address guesses the FG's password as often as the throttle lets it:
    right away after a plain "wrong", else exactly when ``retry_after`` says. Meanwhile the
    FG signs in from her own address every 30 minutes."""
    end = T0 + timedelta(hours=hours)
    outcome = Outcome(attempts=dict.fromkeys(attackers, 0))
    queue = [(T0 + i * SECOND, address) for i, address in enumerate(attackers)]
    queue += [(T0 + timedelta(minutes=7 + 30 * k), FG_ADDRESS) for k in range(hours * 2)]
    heapq.heapify(queue)
    while queue:
        at, address = heapq.heappop(queue)
        if address == FG_ADDRESS:
            outcome.fg_signins += 1
            outcome.fg_refused += isinstance(sign_in(db, FG, PASSWORD, address, at), auth.SigninRefused)
            continue
        refused = fail(db, FG, address, at)
        outcome.attempts[address] += 1
        following = at + timedelta(seconds=refused.retry_after or 1)
        if following < end:
            heapq.heappush(queue, (following, address))
    return outcome


@pytest.mark.parametrize("addresses", [1, 20], ids=["one-address", "twenty-addresses"])
def test_an_attacker_at_the_maximum_rate_never_keeps_the_fg_out(fresh_db, world, addresses):
    fresh_db.execute("PRAGMA synchronous=OFF")  # 6,000 commits of a simulation need no fsync
    attackers = [f"198.51.100.{i + 1}" for i in range(addresses)]
    outcome = simulate(fresh_db, attackers)
    assert outcome.fg_signins == 144
    assert outcome.fg_refused == 0, outcome
    # every address got the documented maximum, and every attempt it made at the announced
    # time reached the password check (none was refused unchecked): the rate is the maximum
    assert outcome.attempts == dict.fromkeys(attackers, 312)
    assert [failed_from(fresh_db, a) for a in attackers] == [312] * addresses
    # the beheerder sees 8 burst entries a day per address (24 in 72 h), not one per attempt
    assert len(audit_log.recent(fresh_db, 10**6, "signin_burst")) == 24 * addresses


# --- the figures in throttle's docstring ------------------------------------------------


def greedy(db, client: str, hours: int, accounts: list[str]) -> int:
    """Wrong passwords from one address for ``hours``, as fast as allowed, rotating over
    ``accounts``; how many reached the password check."""
    at, end, made = T0, T0 + timedelta(hours=hours), 0
    while at < end:
        refused = fail(db, accounts[made % len(accounts)], client, at)
        made += 1
        at += timedelta(seconds=refused.retry_after or 1)
    assert failed_from(db, client) == made  # nothing was refused unchecked
    return made


@pytest.mark.parametrize(
    ("hours", "accounts", "most"),
    [(1, 1, 12), (24, 1, 104), (72, 1, 312), (1, 50, 27), (24, 50, 119), (72, 50, 357)],
    ids=["1h-one-account", "24h-one-account", "72h-one-account", "1h-spray", "24h-spray", "72h-spray"],
)
def test_the_most_one_address_can_try(fresh_db, world, hours, accounts, most):
    emails = [FG] if accounts == 1 else [f"guess{i}@test.invalid" for i in range(accounts)]
    assert greedy(fresh_db, ATTACKER, hours, emails) == most


# --- the rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "failures", "seconds"),
    [
        (throttle.ACCOUNT_AND_CLIENT, 0, 0),
        (throttle.ACCOUNT_AND_CLIENT, 4, 0),
        (throttle.ACCOUNT_AND_CLIENT, 5, 30),
        (throttle.ACCOUNT_AND_CLIENT, 6, 60),
        (throttle.ACCOUNT_AND_CLIENT, 7, 120),
        (throttle.ACCOUNT_AND_CLIENT, 8, 240),
        (throttle.ACCOUNT_AND_CLIENT, 9, 480),
        (throttle.ACCOUNT_AND_CLIENT, 10, 900),
        (throttle.ACCOUNT_AND_CLIENT, 1000, 900),
        (throttle.CLIENT, 19, 0),
        (throttle.CLIENT, 20, 30),
        (throttle.CLIENT, 21, 60),
        (throttle.CLIENT, 24, 480),
        (throttle.CLIENT, 25, 900),
        (throttle.CLIENT, 10**6, 900),
    ],
    ids=lambda v: v.scope if isinstance(v, throttle.Rule) else str(v),
)
def test_delays_grow_as_documented(rule, failures, seconds):
    assert rule.delay_seconds(failures) == seconds


@pytest.mark.parametrize("failures", [5, 6, 7, 8, 9, 10, 11])
def test_one_second_before_the_wait_ends_is_refused_and_at_its_end_the_password_is_checked(
    fresh_db, world, failures
):
    last = fail_in_a_row(fresh_db, FG, ATTACKER, failures)
    wait = throttle.ACCOUNT_AND_CLIENT.delay_seconds(failures)
    early = sign_in(fresh_db, FG, PASSWORD, ATTACKER, last + timedelta(seconds=wait) - SECOND)
    assert isinstance(early, auth.SigninRefused) and early.retry_after == 1
    assert counter(fresh_db, throttle.ACCOUNT_AND_CLIENT, ATTACKER, FG) == failures  # not counted
    on_time = sign_in(fresh_db, FG, PASSWORD, ATTACKER, last + timedelta(seconds=wait))
    assert on_time == world["dpo"]


@pytest.mark.parametrize(
    ("failures", "message", "retry_after"),
    [
        (4, auth.WRONG_CREDENTIALS, None),
        (5, "Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.", 30),
        (7, "Te veel mislukte pogingen. Probeer het over 2 minuten opnieuw.", 120),
        (10, "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.", 900),
    ],
)
def test_the_failure_that_starts_a_wait_says_how_long(fresh_db, world, failures, message, retry_after):
    at = fail_in_a_row(fresh_db, FG, ATTACKER, failures - 1)
    refused = fail(fresh_db, FG, ATTACKER, at + timedelta(hours=1))
    assert (refused.message, refused.retry_after) == (message, retry_after)


A2, B2 = "2001:db8:0:1::1", "2001:db8:0:1::ff"


@pytest.mark.parametrize(
    ("failures", "signer", "refused"),
    [
        ([(FG, ATTACKER, 4)], (FG, ATTACKER), False),
        ([(FG, ATTACKER, 5)], (FG, ATTACKER), True),
        ([(FG, ATTACKER, 5)], (FG, FG_ADDRESS), False),
        ([(FG, ATTACKER, 5)], ("reporter@test.invalid", ATTACKER), False),
        ([(FG, ATTACKER, 50)], (FG, FG_ADDRESS), False),
        ([("spray", ATTACKER, 19)], (FG, ATTACKER), False),
        ([("spray", ATTACKER, 20)], (FG, ATTACKER), True),
        ([("spray", ATTACKER, 20)], (FG, FG_ADDRESS), False),
        ([(FG, A2, 5)], (FG, B2), True),
        ([(FG, A2, 5)], (FG, "2001:db8:0:2::1"), False),
        ([(FG, "::ffff:198.51.100.1", 5)], (FG, ATTACKER), True),
        ([(FG, "onbekend", 5)], (FG, ""), True),
        ([(FG, ATTACKER, 3), (FG, ELSEWHERE, 3)], (FG, ATTACKER), False),
        ([(FG, ATTACKER, 5)], ("nobody@test.invalid", ATTACKER), False),
    ],
    ids=[
        "four-failures-are-free",
        "throttled-pair-refuses-the-right-password",
        "owner-from-her-own-address-is-not-refused",
        "another-account-from-that-address-is-not-refused",
        "fifty-failures-elsewhere-do-not-refuse-the-owner",
        "nineteen-accounts-from-one-address-are-free",
        "address-spraying-twenty-accounts-refuses-every-account-there",
        "address-limit-does-not-reach-other-addresses",
        "one-ipv6-64-is-one-address",
        "another-ipv6-64-is-another-address",
        "ipv4-mapped-ipv6-is-the-ipv4-address",
        "unknown-addresses-are-one-client",
        "failures-from-two-addresses-are-not-added-up",
        "an-unknown-account-from-that-address-is-not-refused",
    ],
)
def test_who_is_refused(fresh_db, world, failures, signer, refused):
    at = T0
    for email, client, times in failures:
        if email == "spray":
            at = spray(fresh_db, client, times, at) + SECOND
        else:
            at = fail_in_a_row(fresh_db, email, client, times, at) + SECOND
    email, client = signer
    outcome = sign_in(fresh_db, email, PASSWORD, client, at)
    if email == "nobody@test.invalid":  # no account: refused as wrong, but not as throttled
        assert outcome.message == auth.WRONG_CREDENTIALS
    elif refused:
        assert outcome.message.startswith("Te veel mislukte pogingen")
    else:
        assert not isinstance(outcome, auth.SigninRefused), outcome.message


@pytest.mark.parametrize(
    ("client", "key"),
    [
        ("192.0.2.10", "192.0.2.10"),
        (" 192.0.2.10 ", "192.0.2.10"),
        ("2001:db8:0:1:aaaa:bbbb:cccc:dddd", "2001:db8:0:1::/64"),
        ("2001:DB8:0:1::1", "2001:db8:0:1::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("onbekend", "onbekend"),
        ("", "onbekend"),
        ("testclient", "onbekend"),
        ("192.0.2.10, 10.0.0.1", "onbekend"),
    ],
)
def test_what_a_client_address_counts_as(client, key):
    assert throttle.client_key(client) == key


# --- clearing and forgetting ----------------------------------------------------------


def test_success_clears_that_accounts_counter_from_that_address_only(fresh_db, world):
    at = fail_in_a_row(fresh_db, FG, FG_ADDRESS, 4)
    fail_in_a_row(fresh_db, FG, ATTACKER, 4)
    assert auth.sign_in(fresh_db, FG, PASSWORD, client=FG_ADDRESS, at=at + SECOND) == world["dpo"]
    assert counter(fresh_db, throttle.ACCOUNT_AND_CLIENT, FG_ADDRESS, FG) == 0
    assert counter(fresh_db, throttle.ACCOUNT_AND_CLIENT, ATTACKER, FG) == 4
    # the address keeps its four failures (a success never resets it), not five
    assert counter(fresh_db, throttle.CLIENT, FG_ADDRESS) == 4
    # from her address the count starts again: four more mistakes are free
    for i in range(4):
        assert fail(fresh_db, FG, FG_ADDRESS, at + (2 + i) * SECOND).message == auth.WRONG_CREDENTIALS


def test_a_success_does_not_restart_the_addresss_wait(fresh_db, world):
    """Twenty wrong guesses from the office's address make it wait 30 s. A colleague who signs
    in right after the wait must not make the next one wait another 30 s."""
    last = spray(fresh_db, ATTACKER, 20)
    at = last + timedelta(seconds=30)
    assert auth.sign_in(fresh_db, FG, PASSWORD, client=ATTACKER, at=at) == world["dpo"]
    assert counter(fresh_db, throttle.CLIENT, ATTACKER) == 20
    assert auth.sign_in(fresh_db, "reporter@test.invalid", PASSWORD, client=ATTACKER, at=at + SECOND)


def test_a_counter_is_forgotten_after_its_window_and_pruned_by_the_next_checked_attempt(fresh_db, world):
    fail_in_a_row(fresh_db, FG, ATTACKER, 30)
    spray(fresh_db, ELSEWHERE, 3)
    assert len(throttle_sql.counters(fresh_db)) == 2 + 4
    later = T0 + throttle.WINDOW + timedelta(hours=1)
    # forgotten: the next wrong password from that address starts a new count (no wait) ...
    assert fail(fresh_db, FG, ATTACKER, later).message == auth.WRONG_CREDENTIALS
    # ... and that attempt deleted every expired row, also those of other addresses
    rows = throttle_sql.counters(fresh_db)
    assert {(r["scope"], r["client"], r["failures"]) for r in rows} == {
        ("account_client", ATTACKER, 1),
        ("client", ATTACKER, 1),
    }


def test_a_wait_that_runs_past_the_window_still_holds(fresh_db, world):
    last = fail_in_a_row(fresh_db, FG, ATTACKER, 104)  # the last one 15 min before the window ends
    assert last < T0 + throttle.WINDOW < last + timedelta(minutes=15)
    refused = sign_in(fresh_db, FG, PASSWORD, ATTACKER, T0 + throttle.WINDOW + SECOND)
    assert isinstance(refused, auth.SigninRefused) and refused.retry_after > 0


# --- the audit trail -------------------------------------------------------------------


def bursts(db) -> list[tuple]:
    return [
        (e["object_id"], *(json.loads(e["detail"])[k] for k in ("scope", "client", "failures")))
        for e in reversed(audit_log.recent(db, 10**6, "signin_burst"))
    ]


@pytest.mark.parametrize(
    ("rule", "failures", "alert"),
    [
        (throttle.ACCOUNT_AND_CLIENT, 4, False),
        (throttle.ACCOUNT_AND_CLIENT, 5, True),
        (throttle.ACCOUNT_AND_CLIENT, 6, False),
        (throttle.ACCOUNT_AND_CLIENT, 10, True),
        (throttle.ACCOUNT_AND_CLIENT, 15, False),
        (throttle.ACCOUNT_AND_CLIENT, 20, True),
        (throttle.ACCOUNT_AND_CLIENT, 30, False),
        (throttle.ACCOUNT_AND_CLIENT, 320, True),
        (throttle.CLIENT, 5, False),
        (throttle.CLIENT, 20, True),
        (throttle.CLIENT, 40, True),
        (throttle.CLIENT, 60, False),
        (throttle.CLIENT, 80, True),
    ],
    ids=lambda v: v.scope if isinstance(v, throttle.Rule) else str(v),
)
def test_alert_thresholds(rule, failures, alert):
    assert rule.alert_at(failures) is alert


def test_a_burst_gives_a_few_entries_not_one_per_attempt(fresh_db, world):
    last = fail_in_a_row(fresh_db, FG, ATTACKER, 40)
    # hammering while the wait runs: refused unchecked, and not written to the trail
    before = audit_log.last_entry(fresh_db)["seq"]
    for i in range(100):
        sign_in(fresh_db, FG, PASSWORD, ATTACKER, last + i * SECOND)
    assert audit_log.last_entry(fresh_db)["seq"] == before
    fg = str(world["dpo"].user_id)
    assert bursts(fresh_db) == [
        (fg, "account_client", ATTACKER, 5),
        (fg, "account_client", ATTACKER, 10),
        (fg, "account_client", ATTACKER, 20),
        ("", "client", ATTACKER, 20),
        (fg, "account_client", ATTACKER, 40),
        ("", "client", ATTACKER, 40),
    ]
    assert failed_from(fresh_db, ATTACKER) == 40


def test_an_address_burst_says_how_many_accounts_it_tried(fresh_db, world):
    spray(fresh_db, ATTACKER, 20)
    [entry] = audit_log.recent(fresh_db, 1, "signin_burst")
    assert json.loads(entry["detail"]) == {
        "scope": "client",
        "client": ATTACKER,
        "failures": 20,
        "accounts": 20,
        "wait_seconds": 30,
    }
    assert entry["object_id"] == ""


def test_the_typed_address_of_an_unknown_account_is_nowhere_readable(fresh_db, world):
    typed = "Mijn Wachtwoord@Per Ongeluk"  # a password typed in the e-mail field
    for i in range(5):
        fail(fresh_db, typed, ATTACKER, T0 + timedelta(hours=i))
    trail = json.dumps(audit_log.recent(fresh_db, 10**6))
    table = json.dumps(throttle_sql.counters(fresh_db))
    for text in (typed, typed.lower(), "wachtwoord", "ongeluk", WRONG):
        assert text not in trail.lower() and text not in table.lower()
    entries = audit_log.recent(fresh_db, 10**6)
    assert {e["object_id"] for e in entries if e["action"].startswith("signin")} == {""}
    assert {json.loads(e["detail"]).get("client") for e in entries if e["action"].startswith("signin")} == {
        ATTACKER
    }


# --- timing: known and unknown accounts cost the same -----------------------------------


class CountingHasher(PasswordHasher):
    """The tests' cheap hasher, noting each hash it verifies against."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash, password):
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


@pytest.fixture
def counting(monkeypatch) -> CountingHasher:
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    monkeypatch.setattr(auth, "_DUMMY_HASH", hasher.hash("not-a-real-password-only-for-timing"))
    return hasher


@pytest.mark.parametrize(
    ("email", "password", "against"),
    [
        (FG, WRONG, "account"),
        ("nobody@test.invalid", WRONG, "dummy"),
        ("nobody@test.invalid", PASSWORD, "dummy"),
        ("passwordless@test.invalid", WRONG, "dummy"),
        ("reporter@test.invalid", WRONG, "account"),
        (FG, PASSWORD, "account"),
    ],
    ids=["known-wrong", "unknown-wrong", "unknown-right", "no-password", "disabled-wrong", "known-right"],
)
def test_every_checked_attempt_runs_one_hash_verification(
    fresh_db, world, counting, email, password, against
):
    create_user(
        fresh_db, Actor.cli(), "Zonder", "passwordless@test.invalid", Role.REPORTER, None, [world.org.id]
    )
    set_active(fresh_db, world["admin"], world["reporter"].user_id, False)
    stored = fresh_db.execute("SELECT password_hash FROM users WHERE email = ?", [email]).fetchone()
    sign_in(fresh_db, email, password, ATTACKER, T0)
    expected = stored[0] if against == "account" else auth._DUMMY_HASH
    assert counting.verified == [expected]


@pytest.mark.parametrize("email", [FG, "nobody@test.invalid"], ids=["known", "unknown"])
def test_a_throttled_attempt_verifies_nothing_known_or_not(fresh_db, world, counting, email):
    last = fail_in_a_row(fresh_db, email, ATTACKER, 5)
    counting.verified.clear()
    refused = sign_in(fresh_db, email, PASSWORD, ATTACKER, last + SECOND)
    assert isinstance(refused, auth.SigninRefused) and counting.verified == []


def test_the_dummy_hash_costs_what_a_real_one_costs():
    """In the app (production parameters, a fresh interpreter) the dummy hash that an unknown
    account is checked against has the same argon2 parameters as a real password's hash."""
    code = (
        "from argon2 import extract_parameters as p; from datalek.accounts import auth; "
        "print(p(auth._DUMMY_HASH) == p(auth.hash_password('x' * 12)), p(auth._DUMMY_HASH).memory_cost)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "65536"]
