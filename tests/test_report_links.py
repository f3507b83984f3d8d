"""Report links (issue #16): who makes them, what is stored, the states a token can be in, and
what a guest may do. The HTTP route is attacked in ``test_report_link_route.py``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from datalek import clock
from datalek.accounts import guest_sessions, report_links
from datalek.accounts.guest import GuestActor
from datalek.accounts.permissions import Action, IncidentRef, OrgRef, PermissionDenied, require
from datalek.handling import incidents, processors
from datalek.models import InvalidInput
from tests.conftest import make_report
from tests.test_processors import CLOUDZORG

BASE = "https://datalek.example"
TODAY = clock.today()


def _values(**changes) -> dict:
    return {
        "label": "Uitzendkrachten zorg",
        "kind": "group",
        "expires_on": TODAY + timedelta(days=30),
        "one_time": False,
    } | changes


def _token(made: report_links.Made) -> str:
    return made.url.split("?t=", 1)[1]


def _guest(db, made, client="192.0.2.10") -> GuestActor:
    opened = guest_sessions.open_link(db, _token(made), client)
    return guest_sessions.resolve(db, opened.token)


def _report(db, guest, org_id):
    acting, follow_up = report_links.with_follow_up(guest)
    incident = incidents.submit_report(db, acting, make_report(org_id, now=clock.now()), at=clock.now())
    return incident, follow_up


@pytest.mark.parametrize("who", sorted(["admin", "management", "other_dpo", "reporter"]))
def test_only_the_fg_of_the_organisation_makes_lists_and_revokes_links(fresh_db, world, who):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    actor = world[who]
    with pytest.raises(PermissionDenied):
        report_links.create(fresh_db, actor, world.org.id, _values(), BASE)
    with pytest.raises(PermissionDenied):
        report_links.list_links(fresh_db, actor, world.org.id)
    with pytest.raises(PermissionDenied):
        report_links.revoke(fresh_db, actor, made.link.id, "Weg ermee")
    with pytest.raises(PermissionDenied):  # an unknown link like another's
        report_links.revoke(fresh_db, world["dpo"], 999_999, "Weg ermee")


def test_the_link_is_shown_once_and_only_its_hash_is_stored(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    token = _token(made)
    assert made.url.startswith(f"{BASE}/auth/melden?t=") and len(token) >= 43
    stored = fresh_db.execute("SELECT token_hash FROM report_links").fetchone()[0]
    assert stored == guest_sessions.token_hash(token) != token
    everything = " ".join(str(r) for r in fresh_db.execute("SELECT * FROM audit_log").fetchall())
    assert token not in everything and "Uitzendkrachten" not in everything
    listed = report_links.list_links(fresh_db, world["dpo"], world.org.id)
    assert [(x.label, x.state, x.uses) for x in listed] == [
        ("Uitzendkrachten zorg", report_links.LinkState.OPEN, 0)
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expires_on": TODAY}, "expires_on"),
        ({"expires_on": TODAY + timedelta(days=367)}, "expires_on"),
        ({"expires_on": None}, "expires_on"),
        ({"kind": "everyone"}, "kind"),
        ({"kind": "party", "party_id": None}, "party_id"),
        ({"label": " "}, "label"),
        ({"label": "x" * 101}, "label"),
    ],
)
def test_bad_input_is_named_per_field(fresh_db, world, changes, field):
    with pytest.raises(InvalidInput) as refused:
        report_links.create(fresh_db, world["dpo"], world.org.id, _values(**changes), BASE)
    assert field in refused.value.errors


def test_a_party_link_needs_a_party_of_the_same_organisation(fresh_db, world):
    other = processors.add(fresh_db, world["other_dpo"], world.other_org.id, CLOUDZORG)
    with pytest.raises(InvalidInput):
        report_links.create(
            fresh_db, world["dpo"], world.org.id, _values(kind="party", party_id=other.id), BASE
        )
    own = processors.add(fresh_db, world["dpo"], world.org.id, CLOUDZORG)
    made = report_links.create(
        fresh_db, world["dpo"], world.org.id, _values(kind="party", party_id=own.id), BASE
    )
    assert made.link.party_name == "Cloudzorg BV"


def _expire(db, made):
    db.execute(
        "UPDATE report_links SET expires_at = ? WHERE id = ?", [clock.to_iso(clock.now()), made.link.id]
    )


def _revoke(db, made, world):
    report_links.revoke(db, world["dpo"], made.link.id, "Contract beëindigd")


def _use(db, made, world):
    guest = _guest(db, made)
    _report(db, guest, world.org.id)


STATES = {
    "expired": (True, _expire),
    "revoked": (True, _revoke),
    "unknown": (False, None),
    "used": (True, _use),
}


@pytest.mark.parametrize("state", sorted(STATES))
def test_a_token_that_does_not_work_says_why_and_opens_nothing(fresh_db, world, state):
    one_time, change = STATES[state]
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(one_time=one_time), BASE)
    if change is _expire or change is None:
        (change or (lambda *_: None))(fresh_db, made)
    else:
        change(fresh_db, made, world)
    token = _token(made) if state != "unknown" else "x" * 43
    with pytest.raises(guest_sessions.Refused) as refused:
        guest_sessions.open_link(fresh_db, token, "192.0.2.99")
    assert refused.value.reason == state
    assert refused.value.message == guest_sessions.MESSAGES[state]


def test_an_open_link_gives_a_guest_that_may_only_report_for_its_organisation(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    guest = _guest(fresh_db, made)
    assert guest.user_id is None and guest.org_ids == (world.org.id,) and guest.link_id == made.link.id
    require(fresh_db, guest, Action.REPORT, OrgRef(world.org.id))
    with pytest.raises(PermissionDenied):
        require(fresh_db, guest, Action.REPORT, OrgRef(world.other_org.id))


@pytest.mark.parametrize("action", sorted(a.value for a in Action if a is not Action.REPORT))
def test_a_report_guest_is_refused_everything_else(fresh_db, world, action):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    guest = _guest(fresh_db, made)
    incident, _ = _report(fresh_db, guest, world.org.id)  # even the report it just made
    for about in (None, OrgRef(world.org.id), IncidentRef(incident.id)):
        with pytest.raises(PermissionDenied):
            require(fresh_db, guest, Action(action), about)


def test_a_report_through_a_link_records_the_link_and_a_follow_up_token(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    incident, follow_up = _report(fresh_db, _guest(fresh_db, made), world.org.id)
    row = fresh_db.execute(
        "SELECT reporter_id, report_link_id FROM incidents WHERE id = ?", [incident.id]
    ).fetchone()
    assert row == (None, made.link.id)
    assert report_links.reported_through(fresh_db, world["dpo"], incident.id) == "Uitzendkrachten zorg"
    assert incidents.queue(fresh_db, world["dpo"])[0].reference == incident.reference
    assert fresh_db.execute("SELECT token_hash FROM report_follow_ups").fetchone()[0] == (
        guest_sessions.token_hash(follow_up)
    )
    assert report_links.list_links(fresh_db, world["dpo"], world.org.id)[0].uses == 1


def test_a_one_time_link_takes_one_report_and_then_says_it_was_used(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(one_time=True), BASE)
    first, second = _guest(fresh_db, made), _guest(fresh_db, made, "192.0.2.11")  # two tabs, two people
    _report(fresh_db, first, world.org.id)
    assert not report_links.may_report(fresh_db, second)
    with pytest.raises(PermissionDenied) as refused:
        _report(fresh_db, second, world.org.id)
    assert refused.value.message == report_links.CLOSED
    assert fresh_db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 1


def test_a_revoked_link_ends_its_guests_and_refuses_their_report(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    opened = guest_sessions.open_link(fresh_db, _token(made), "192.0.2.10")
    guest = guest_sessions.resolve(fresh_db, opened.token)
    report_links.revoke(fresh_db, world["dpo"], made.link.id, "Gelekt in een chat")
    assert guest_sessions.resolve(fresh_db, opened.token) is None  # the cookie replayed
    with pytest.raises(PermissionDenied):
        _report(fresh_db, guest, world.org.id)  # a guest resolved before the revocation
    assert fresh_db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
    listed = report_links.list_links(fresh_db, world["dpo"], world.org.id)[0]
    assert (listed.state, listed.revoked_reason) == (report_links.LinkState.REVOKED, "Gelekt in een chat")
    with pytest.raises(InvalidInput):
        report_links.revoke(fresh_db, world["dpo"], made.link.id, "Nog eens")
    with pytest.raises(InvalidInput):
        report_links.revoke(fresh_db, world["dpo"], made.link.id, " ")


def test_the_follow_up_token_reads_and_adds_to_its_own_report_only(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    guest = _guest(fresh_db, made)
    mine, follow_up = _report(fresh_db, guest, world.org.id)
    other, _ = _report(fresh_db, _guest(fresh_db, made, "192.0.2.12"), world.org.id)
    colleague = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id))
    opened = guest_sessions.open_follow_up(fresh_db, follow_up, "192.0.2.10")
    later = guest_sessions.resolve(fresh_db, opened.token)
    assert later.incident_id == mine.id and later.org_ids == ()
    assert incidents.read_incident(fresh_db, later, mine.id).incident.reference == mine.reference
    incidents.add_supplement(fresh_db, later, mine.id, "Het was ook nog een tweede bestand.")
    for incident_id in (other.id, colleague.id):
        with pytest.raises(PermissionDenied):
            incidents.read_incident(fresh_db, later, incident_id)
        with pytest.raises(PermissionDenied):
            incidents.add_supplement(fresh_db, later, incident_id, "Nog iets")
    with pytest.raises(PermissionDenied):
        incidents.submit_report(fresh_db, later, make_report(world.org.id))
    with pytest.raises(guest_sessions.Refused):  # a report link is no follow-up token, nor back
        guest_sessions.open_follow_up(fresh_db, _token(made), "192.0.2.10")
    with pytest.raises(guest_sessions.Refused):
        guest_sessions.open_link(fresh_db, follow_up, "192.0.2.10")


def test_an_expired_follow_up_token_opens_nothing(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    _, follow_up = _report(fresh_db, _guest(fresh_db, made), world.org.id)
    later = clock.now() + timedelta(days=report_links.FOLLOW_UP_DAYS, seconds=1)
    with pytest.raises(guest_sessions.Refused) as refused:
        guest_sessions.open_follow_up(fresh_db, follow_up, "192.0.2.10", at=later)
    assert refused.value.reason == "expired"


def test_guessing_is_throttled_per_address_and_not_for_another_address(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    for n in range(guest_sessions.CLIENT.free_attempts):
        with pytest.raises(guest_sessions.Refused) as refused:
            guest_sessions.open_link(fresh_db, f"guess-{n:040d}", "198.51.100.7")
        assert refused.value.reason == "unknown"
    with pytest.raises(guest_sessions.Refused) as refused:  # even the right token now waits
        guest_sessions.open_link(fresh_db, _token(made), "198.51.100.7")
    assert refused.value.reason == "throttled" and refused.value.retry_after == 60
    assert "Wacht een minuut" in refused.value.message
    guest_sessions.open_link(fresh_db, _token(made), "198.51.100.8")  # someone else is not slowed
    actions = [r[0] for r in fresh_db.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
    assert actions.count("report_link.refused") == 10 and "report_link.burst" in actions


def test_a_link_opened_too_often_waits_whatever_the_address(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    for n in range(guest_sessions.LINK.free_attempts):
        guest_sessions.open_link(fresh_db, _token(made), f"203.0.113.{n % 250}")
    with pytest.raises(guest_sessions.Refused) as refused:
        guest_sessions.open_link(fresh_db, _token(made), "203.0.113.251")
    assert refused.value.reason == "throttled"
    later = clock.now() + timedelta(minutes=2)
    guest_sessions.open_link(fresh_db, _token(made), "203.0.113.252", at=later)


def test_a_revoked_link_tried_again_and_again_waits_per_link(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    _revoke(fresh_db, made, world)
    reasons = set()
    for n in range(guest_sessions.LINK.free_attempts + 1):
        with pytest.raises(guest_sessions.Refused) as refused:
            guest_sessions.open_link(fresh_db, _token(made), f"203.0.113.{n % 250}")
        reasons.add(refused.value.reason)
    assert reasons == {"revoked", "throttled"}


def test_a_guest_session_ends_with_its_time(fresh_db, world):
    made = report_links.create(
        fresh_db, world["dpo"], world.org.id, _values(expires_on=date.today() + timedelta(days=2)), BASE
    )
    opened = guest_sessions.open_link(fresh_db, _token(made), "192.0.2.10")
    later = clock.now() + timedelta(hours=guest_sessions.SESSION_HOURS, seconds=1)
    assert guest_sessions.resolve(fresh_db, opened.token, at=later) is None
    assert fresh_db.execute("SELECT count(*) FROM guest_sessions").fetchone()[0] == 0


def test_a_purge_deletes_the_follow_up_token_and_its_guests(fresh_db, world):
    from datalek import store
    from datalek.store import retention as purge_sql

    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    incident, follow_up = _report(fresh_db, _guest(fresh_db, made), world.org.id)
    opened = guest_sessions.open_follow_up(fresh_db, follow_up, "192.0.2.10")
    everything = " ".join(str(r) for r in fresh_db.execute("SELECT * FROM audit_log").fetchall())
    assert follow_up not in everything and opened.token not in everything
    with store.write(fresh_db):
        purge_sql.blank(fresh_db, incident.id, "[verwijderd]", "{}", [], clock.to_iso(clock.now()))
    assert guest_sessions.resolve(fresh_db, opened.token) is None
    with pytest.raises(guest_sessions.Refused) as refused:
        guest_sessions.open_follow_up(fresh_db, follow_up, "192.0.2.10")
    assert refused.value.reason == "unknown"


def test_the_fg_sees_that_a_report_came_through_a_link_not_an_inactive_account(fresh_db, world):
    made = report_links.create(fresh_db, world["dpo"], world.org.id, _values(), BASE)
    incident, _ = _report(fresh_db, _guest(fresh_db, made), world.org.id)
    found = incidents.reporter(fresh_db, world["dpo"], incident.id)
    assert (found.active, found.name, found.email, found.via_link) == (
        False,
        "",
        "",
        "Uitzendkrachten zorg",
    )
