"""Incidents: reference numbers, the reporter's own list, reading (audited), supplements,
the status machine and the FG's queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from datalek.handling import completeness, incidents, lifecycle
from datalek.handling.lifecycle import TRANSITIONS
from datalek.models import InvalidInput, Status
from datalek.store import audit_log
from tests.conftest import NOW, make_report
from tests.test_lessons import LEARNED, a_lesson


def submit(db, world, key="reporter", at=NOW, **changes):
    actor = world[key]
    return incidents.submit_report(db, actor, make_report(actor.org_ids[0], now=at, **changes), at=at)


def rows(db, sql, params=()):
    return db.execute(sql, params).fetchall()


# --- submitting ----------------------------------------------------------------------------


def test_reference_numbers_count_per_organisation(fresh_db, world):
    refs = [submit(fresh_db, world).reference for _ in range(3)]
    assert refs == ["DL-2026-0001", "DL-2026-0002", "DL-2026-0003"]
    # the second organisation has its own numbering; a colleague continues the shared one
    assert submit(fresh_db, world, "other_reporter").reference == "DL-2026-0001"
    assert submit(fresh_db, world, "dpo").reference == "DL-2026-0004"
    assert submit(fresh_db, world, "other_dpo").reference == "DL-2026-0002"


def test_numbering_starts_again_each_year(fresh_db, world):
    assert submit(fresh_db, world).reference == "DL-2026-0001"
    assert submit(fresh_db, world).reference == "DL-2026-0002"
    next_year = NOW.replace(year=2027)
    assert submit(fresh_db, world, at=next_year).reference == "DL-2027-0001"


@pytest.mark.parametrize(
    ("at", "year", "month"),
    [
        (datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), 2026, 12),  # 23:59:59 in NL
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), 2027, 1),  # midnight in NL
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 2027, 1),  # 00:30 on 1 January
        (datetime(2027, 1, 1, 0, 30, tzinfo=UTC), 2027, 1),
    ],
    ids=["nl-23h59-still-2026", "nl-midnight-2027", "utc-23h30-is-2027", "utc-new-year"],
)
def test_the_year_is_the_dutch_year(fresh_db, world, at, year, month):
    incident = submit(
        fresh_db, world, at=at, occurred_from=at - timedelta(hours=3), discovered_at=at - timedelta(hours=1)
    )
    assert incident.reference == f"DL-{year}-0001"
    assert rows(fresh_db, "SELECT year, month FROM incidents") == [(year, month)]


def test_the_clock_starts_at_discovery(fresh_db, world):
    incident = submit(fresh_db, world)
    assert incident.aware_at == incident.discovered_at == NOW - timedelta(hours=2)
    assert incident.reported_at == NOW


def test_a_new_report_is_reported_with_its_first_status_change(fresh_db, world):
    incident = submit(fresh_db, world)
    assert incident.status is Status.REPORTED
    assert incident.reporter_id == world["reporter"].user_id
    assert incident.org_id == world.org.id
    assert incident.report["data_kinds"] == ["name_address", "care_file"]
    assert incident.description == "Verslag naar een verkeerde ouder gestuurd."
    changes = rows(fresh_db, "SELECT incident_id, from_status, to_status, actor_id, at FROM status_changes")
    assert changes == [(incident.id, None, "reported", world["reporter"].user_id, NOW.isoformat())]
    entry = audit_log.recent(fresh_db, 1)[0]
    assert (entry["action"], entry["object_id"]) == ("incident.create", str(incident.id))
    assert json.loads(entry["detail"]) == {"org_id": world.org.id, "pii_kept": False, "repeat": False}


# --- the reporter's own list ---------------------------------------------------------------


def test_my_reports_shows_only_my_own_newest_first(fresh_db, world):
    mine = [submit(fresh_db, world, at=NOW + timedelta(minutes=i)).id for i in range(3)]
    submit(fresh_db, world, "dpo")
    submit(fresh_db, world, "other_reporter")
    assert [r.id for r in incidents.my_reports(fresh_db, world["reporter"])] == mine[::-1]
    # a colleague in the same organisation sees none of them
    assert incidents.my_reports(fresh_db, world["reporter2"]) == []


def test_my_reports_are_summaries_without_free_text(fresh_db, world):
    submit(fresh_db, world)
    [summary] = incidents.my_reports(fresh_db, world["reporter"])
    assert summary.reference == "DL-2026-0001" and summary.status is Status.REPORTED
    assert not hasattr(summary, "description")
    assert "Verslag" not in repr(summary)


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["reporter", "dpo"])
def test_reading_is_audited(fresh_db, world, key):
    incident = submit(fresh_db, world)
    view = incidents.read_incident(fresh_db, world[key], incident.id)
    assert view.incident.id == incident.id
    entry = audit_log.recent(fresh_db, 1)[0]
    assert (entry["action"], entry["object_type"], entry["object_id"], entry["actor_id"]) == (
        "incident.read",
        "incident",
        str(incident.id),
        world[key].user_id,
    )
    assert "Verslag" not in json.dumps(entry)  # ids, not contents


def test_every_read_is_audited_again(fresh_db, world):
    incident = submit(fresh_db, world)
    for _ in range(3):
        incidents.read_incident(fresh_db, world["dpo"], incident.id)
    assert len(audit_log.recent(fresh_db, 100, "incident.read")) == 3


# --- supplements ---------------------------------------------------------------------------


def test_supplements_append_and_never_overwrite(fresh_db, world):
    incident = submit(fresh_db, world)
    first = incidents.add_supplement(fresh_db, world["reporter"], incident.id, "  Ontvanger belde terug. ")
    incidents.add_supplement(fresh_db, world["dpo"], incident.id, "Verwijdering bevestigd.")
    view = incidents.read_incident(fresh_db, world["reporter"], incident.id)
    assert first.text == "Ontvanger belde terug."
    assert [(s.text, s.author_id) for s in view.supplements] == [
        ("Ontvanger belde terug.", world["reporter"].user_id),
        ("Verwijdering bevestigd.", world["dpo"].user_id),
    ]
    assert view.incident.description == incident.description
    assert view.incident.actions_taken == incident.actions_taken
    stored = rows(fresh_db, "SELECT description FROM incidents WHERE id = ?", [incident.id])
    assert stored == [(incident.description,)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "Schrijf"), ("   \n\t", "Schrijf"), ("x" * 4001, "4000")],
    ids=["empty", "whitespace", "4001-chars"],
)
def test_bad_supplements_are_refused_and_nothing_is_written(fresh_db, world, text, fragment):
    incident = submit(fresh_db, world)
    with pytest.raises(InvalidInput) as refused:
        incidents.add_supplement(fresh_db, world["reporter"], incident.id, text)
    assert set(refused.value.errors) == {"text"}
    assert fragment in refused.value.errors["text"]
    assert rows(fresh_db, "SELECT count(*) FROM supplements") == [(0,)]


def test_a_supplement_of_exactly_the_maximum_is_accepted(fresh_db, world):
    incident = submit(fresh_db, world)
    supplement = incidents.add_supplement(fresh_db, world["reporter"], incident.id, "x" * 4000)
    assert len(supplement.text) == incidents.MAX_SUPPLEMENT == 4000


# --- the status machine --------------------------------------------------------------------

PAIRS = [(a, b) for a in Status for b in Status if a is not b]


def _put_in(db, incident_id: int, status: Status) -> None:
    """Test set-up only: place the incident in a starting status directly."""
    db.execute("UPDATE incidents SET status = ? WHERE id = ?", [status.value, incident_id])
    db.conn.commit()


@pytest.mark.parametrize(
    ("start", "to"),
    PAIRS,
    ids=[f"{a.value}->{b.value}-{'allowed' if b in TRANSITIONS[a] else 'refused'}" for a, b in PAIRS],
)
def test_status_machine(fresh_db, world, monkeypatch, start, to):
    monkeypatch.setattr(
        completeness, "documentation_gaps", lambda db, incident_id: []
    )  # closing needs a complete dossier: tested separately below
    incident = submit(fresh_db, world)
    _put_in(fresh_db, incident.id, start)
    # closing records what was learned (issue #17): every move to "afgerond" brings a lesson
    lesson = a_lesson() if to is Status.CLOSED else None
    tables = ("incidents", "status_changes", "audit_log", "lessons")
    snapshot = [rows(fresh_db, f"SELECT * FROM {t}") for t in tables]
    if to in TRANSITIONS[start] and to not in lifecycle.BY_DECISION and start not in lifecycle.ONLY_BY_UNDO:
        assert lifecycle.change_status(fresh_db, world["dpo"], incident.id, to, "reden", lesson) is to
        assert rows(fresh_db, "SELECT status FROM incidents") == [(to.value,)]
        last = rows(
            fresh_db,
            "SELECT from_status, to_status, actor_id, reason FROM status_changes ORDER BY id DESC LIMIT 1",
        )
        assert last == [(start.value, to.value, world["dpo"].user_id, "reden")]
        entry = audit_log.recent(fresh_db, 1)[0]
        assert entry["action"] == "incident.status"
        assert json.loads(entry["detail"]) == {"from_status": start.value, "to_status": to.value}
        recorded = rows(fresh_db, "SELECT incident_id, theme, learned FROM lessons")
        assert recorded == ([(incident.id, "email", LEARNED)] if to is Status.CLOSED else [])
    else:
        with pytest.raises(InvalidInput) as refused:
            lifecycle.change_status(fresh_db, world["dpo"], incident.id, to, "reden", lesson)
        assert set(refused.value.errors) == {"status"}
        assert start.label in refused.value.errors["status"]
        after = [rows(fresh_db, f"SELECT * FROM {t}") for t in tables]
        assert after == snapshot


def test_every_status_can_be_left_and_reached():
    assert set(TRANSITIONS) == set(Status)
    reachable = set().union(*TRANSITIONS.values())
    assert reachable == set(Status) - {Status.REPORTED}


def test_closing_needs_a_complete_dossier(fresh_db, world):
    incident = submit(fresh_db, world)
    _put_in(fresh_db, incident.id, Status.DECIDED)
    with pytest.raises(InvalidInput) as refused:
        lifecycle.close(fresh_db, world["dpo"], incident.id, a_lesson())
    assert "dossier compleet" in refused.value.errors["status"]
    assert rows(fresh_db, "SELECT status FROM incidents") == [("decided",)]
    assert rows(fresh_db, "SELECT count(*) FROM lessons") == [(0,)]


@pytest.mark.parametrize("to", [Status.DECIDED, Status.NOT_A_BREACH])
def test_decision_statuses_are_reached_only_through_a_decision(fresh_db, world, to):
    incident = submit(fresh_db, world)
    lifecycle.change_status(fresh_db, world["dpo"], incident.id, Status.IN_PROGRESS)
    with pytest.raises(InvalidInput) as refused:
        lifecycle.change_status(fresh_db, world["dpo"], incident.id, to, "Geen persoonsgegevens.")
    assert "alleen met een besluit" in refused.value.errors["status"]
    assert rows(fresh_db, "SELECT status FROM incidents") == [("in_progress",)]


def test_status_history_is_listed_in_order(fresh_db, world):
    incident = submit(fresh_db, world)
    dpo = world["dpo"]
    lifecycle.change_status(fresh_db, dpo, incident.id, Status.IN_PROGRESS)
    _put_in(fresh_db, incident.id, Status.NOT_A_BREACH)  # by a decision, tested in test_decisions
    lifecycle.change_status(fresh_db, dpo, incident.id, Status.IN_PROGRESS, "Toch wel.")
    history = incidents.read_incident(fresh_db, dpo, incident.id).history
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "reported"),
        ("reported", "in_progress"),
        ("not_a_breach", "in_progress"),
    ]


# --- the FG's queue --------------------------------------------------------------------------


def _found(hours_ago: float, **changes) -> dict:
    found = NOW - timedelta(hours=hours_ago)
    return {"discovered_at": found, "occurred_from": found - timedelta(hours=1), **changes}


def test_queue_puts_the_earliest_awareness_first(fresh_db, world):
    fresh = submit(fresh_db, world, **_found(2))
    late = submit(fresh_db, world, **_found(80))
    soon = submit(fresh_db, world, **_found(30))
    order = [r.id for r in incidents.queue(fresh_db, world["dpo"])]
    assert order == [late.id, soon.id, fresh.id]
    hours = [r.hours_left(NOW) for r in incidents.queue(fresh_db, world["dpo"])]
    assert hours == sorted(hours) and hours[0] < 0  # the overdue one on top


def test_queue_shows_only_the_fgs_own_organisation(fresh_db, world):
    mine = submit(fresh_db, world)
    theirs = submit(fresh_db, world, "other_reporter")
    assert [r.id for r in incidents.queue(fresh_db, world["dpo"])] == [mine.id]
    assert [r.id for r in incidents.queue(fresh_db, world["other_dpo"])] == [theirs.id]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["sociaal-email", "jeugd-email", "sociaal-letter"]),
        ({"department": "Jeugd"}, ["jeugd-email"]),
        ({"department": "Sociaal Domein"}, ["sociaal-email", "sociaal-letter"]),
        ({"incident_type": "mail_misdelivered"}, ["sociaal-letter"]),
        ({"incident_type": "sent_by_mistake"}, ["sociaal-email", "jeugd-email"]),
        ({"department": "Jeugd", "incident_type": "mail_misdelivered"}, []),
        ({"department": "Bestaat niet"}, []),
    ],
    ids=["no-filter", "department", "department-2", "type", "type-2", "both-no-match", "unknown-dept"],
)
def test_queue_filters_by_department_and_type(fresh_db, world, filters, expected):
    made = {
        "sociaal-email": submit(fresh_db, world, **_found(30)),
        "jeugd-email": submit(fresh_db, world, **_found(20, department="Jeugd")),
        "sociaal-letter": submit(fresh_db, world, **_found(10, situation="letter_wrong_address")),
    }
    names = {v.id: k for k, v in made.items()}
    assert [names[r.id] for r in incidents.queue(fresh_db, world["dpo"], **filters)] == expected


def test_queue_excludes_closed_and_not_a_breach(fresh_db, world):
    open_one = submit(fresh_db, world, **_found(10))
    closed = submit(fresh_db, world, **_found(50))
    dismissed = submit(fresh_db, world, **_found(60))
    _put_in(fresh_db, closed.id, Status.CLOSED)
    _put_in(fresh_db, dismissed.id, Status.NOT_A_BREACH)
    assert [r.id for r in incidents.queue(fresh_db, world["dpo"])] == [open_one.id]
    # asked for explicitly, they can still be found
    done = incidents.queue(fresh_db, world["dpo"], statuses=[Status.CLOSED, Status.NOT_A_BREACH])
    assert {r.id for r in done} == {closed.id, dismissed.id}


def test_queue_lists_decided_incidents_after_the_undecided(fresh_db, world):
    """Decided not to notify: no clock runs, so after the undecided (issue #14: a decision to
    notify keeps its clock, tests/test_outstanding.py)."""
    from tests.test_outstanding import decide

    decided = submit(fresh_db, world, **_found(100))
    waiting = submit(fresh_db, world, **_found(5))
    decide(fresh_db, world, decided, "no_notify")
    queue = incidents.queue(fresh_db, world["dpo"])
    assert [r.id for r in queue] == [waiting.id, decided.id]
    assert [r.awaits_decision for r in queue] == [True, False]


@pytest.mark.parametrize(
    ("current", "by_hand"),
    [
        (Status.REPORTED, [Status.IN_PROGRESS]),
        (Status.IN_PROGRESS, []),
        (Status.DECIDED, [Status.IN_PROGRESS]),
        (Status.CLOSED, [Status.IN_PROGRESS]),
        (Status.NOT_A_BREACH, [Status.IN_PROGRESS]),
    ],
)
def test_by_hand_the_fg_may_only_take_a_case_up_again(current, by_hand):
    """Deciding ("besloten", "geen datalek") goes through the decision, closing through its own
    button once the dossier is complete: the status form offers only what is left."""
    assert lifecycle.manual_targets(current) == by_hand
