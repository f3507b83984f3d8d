"""Which notification clocks still run (issue #14, "De klok"): the clock runs from awareness
until the AP notification is recorded or the FG decided not to notify; a decision to notify
does not stop it. The queue shows every incident's clock, running clocks first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock
from datalek.actions import authority
from datalek.handling import assessment, decisions, incidents, lifecycle, outstanding, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.handling.outstanding import Phase
from datalek.models import Status
from datalek.store import incidents as incident_sql
from tests.conftest import NOW, make_report

# --- the rule, as a table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision_kind", "decided_notify", "notified", "withdrawn", "status", "phase"),
    [
        (None, None, False, False, "reported", Phase.AWAITING_DECISION),
        (None, None, False, False, "in_progress", Phase.AWAITING_DECISION),
        ("breach", True, False, False, "decided", Phase.DECIDED_TO_NOTIFY),
        ("breach", True, True, False, "decided", Phase.NOTIFIED),
        ("breach", True, True, True, "decided", Phase.WITHDRAWN),
        ("breach", True, True, False, "closed", Phase.NOTIFIED),
        ("breach", False, False, False, "decided", Phase.NOT_NOTIFYING),
        ("not_a_breach", False, False, False, "not_a_breach", Phase.NOT_A_BREACH),
        # notified, then a new decision not to notify: the AP was notified all the same
        ("breach", False, True, False, "decided", Phase.NOTIFIED),
        ("not_a_breach", False, True, False, "not_a_breach", Phase.NOTIFIED),
        ("not_a_breach", False, True, True, "not_a_breach", Phase.WITHDRAWN),
        # taken up again after a decision: the decision is being reconsidered, the clock runs
        ("breach", True, False, False, "in_progress", Phase.AWAITING_DECISION),
        ("breach", False, False, False, "in_progress", Phase.AWAITING_DECISION),
        ("not_a_breach", False, False, False, "in_progress", Phase.AWAITING_DECISION),
        ("breach", True, True, False, "in_progress", Phase.NOTIFIED),
    ],
)
def test_phase_table(decision_kind, decided_notify, notified, withdrawn, status, phase):
    assert (
        outstanding.phase_of(decision_kind, decided_notify, notified, withdrawn=withdrawn, status=status)
        is phase
    )


@pytest.mark.parametrize(
    ("phase", "running"),
    [
        (Phase.AWAITING_DECISION, True),
        (Phase.DECIDED_TO_NOTIFY, True),
        (Phase.NOTIFIED, False),
        (Phase.WITHDRAWN, False),
        (Phase.NOT_NOTIFYING, False),
        (Phase.NOT_A_BREACH, False),
    ],
)
def test_only_an_outstanding_decision_or_notification_runs(phase, running):
    assert phase.running is running


def _clock(phase: Phase, hours_ago: float, delay_reason: str = "") -> outstanding.Clock:
    return outstanding.Clock(1, 1, "DL-2026-0001", NOW - timedelta(hours=hours_ago), phase, delay_reason)


@pytest.mark.parametrize(
    ("phase", "hours_ago", "label"),
    [
        (Phase.AWAITING_DECISION, 31, "nog 41 uur"),
        (Phase.DECIDED_TO_NOTIFY, 63, "Besloten te melden — nog 9 uur"),
        (Phase.DECIDED_TO_NOTIFY, 75, "Besloten te melden — 3 uur te laat"),
        (Phase.NOTIFIED, 75, "Gemeld bij de AP"),
        (Phase.WITHDRAWN, 75, "Melding bij de AP ingetrokken"),
        (Phase.NOT_NOTIFYING, 75, "Besloten niet te melden"),
        (Phase.NOT_A_BREACH, 75, "Geen datalek"),
    ],
)
def test_the_label_says_where_the_clock_stands(phase, hours_ago, label):
    assert _clock(phase, hours_ago).label(NOW) == label


@pytest.mark.parametrize(
    ("phase", "hours_ago", "reason", "needed"),
    [
        (Phase.AWAITING_DECISION, 71, "", False),
        (Phase.AWAITING_DECISION, 73, "", True),
        (Phase.DECIDED_TO_NOTIFY, 73, "", True),
        (Phase.DECIDED_TO_NOTIFY, 73, "  ", True),
        (Phase.DECIDED_TO_NOTIFY, 73, "De FG was ziek.", False),
        (Phase.NOTIFIED, 73, "", False),
        (Phase.NOT_NOTIFYING, 73, "", False),
        (Phase.NOT_A_BREACH, 73, "", False),
    ],
)
def test_an_overdue_running_clock_needs_a_reason(phase, hours_ago, reason, needed):
    assert _clock(phase, hours_ago, reason).needs_delay_reason(NOW) is needed


# --- the clock from the database -------------------------------------------------------------------


@pytest.fixture
def at_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def report(db, world, hours_ago: float, key: str = "reporter"):
    actor = world[key]
    found = NOW - timedelta(hours=hours_ago)
    r = make_report(actor.org_ids[0], now=NOW, discovered_at=found, occurred_from=found - timedelta(hours=1))
    return incidents.submit_report(db, actor, r, at=NOW)


DECISIONS = {
    "notify": DecisionInput(
        breach=True,
        notify_authority=True,
        inform=Inform.YES,
        motivation="Melden.",
        deviation_motivation="Bij twijfel melden.",
    ),
    "no_notify": DecisionInput(
        breach=True,
        notify_authority=False,
        inform=Inform.NO,
        motivation="Geen risico.",
        deviation_motivation="De ontvanger is een collega-hulpverlener met geheimhouding.",
    ),
    "not_a_breach": DecisionInput(
        breach=False,
        not_breach_reason=NotBreachReason.NO_PERSONAL_DATA,
        motivation="Geen persoonsgegevens.",
        deviation_motivation="Bij nader inzien geen persoonsgegevens.",
    ),
}


def decide(db, world, incident, kind: str, dpo: str = "dpo") -> None:
    actor = world[dpo]
    if assessment.current(db, actor, incident.id) is None:
        assessment.save(db, actor, incident.id, prefill.facts_from_report(incident, world.org))
    decisions.record(db, actor, incident.id, DECISIONS[kind])


def notify(db, world, incident, dpo: str = "dpo") -> None:
    aware = incidents.read_incident(db, world[dpo], incident.id).incident.aware_at
    submitted = min(aware + timedelta(hours=20), clock.now())
    late = "Te laat." if authority.is_late(aware, submitted) else ""
    authority.record_initial(db, world[dpo], incident.id, "M-2026-000123", submitted, late)


STEPS = {
    "reported": [],
    "notify": [("decide", "notify")],
    "notify+notified": [("decide", "notify"), ("notify",)],
    "notify+notified+withdrawn": [("decide", "notify"), ("notify",), ("withdraw",)],
    "no_notify": [("decide", "no_notify")],
    "not_a_breach": [("decide", "not_a_breach")],
    "notify+reopened": [("decide", "notify"), ("reopen",)],
    "not_a_breach+reopened": [("decide", "not_a_breach"), ("reopen",)],
}


def walk(db, world, incident, steps) -> None:
    for step in steps:
        if step[0] == "decide":
            decide(db, world, incident, step[1])
        elif step[0] == "notify":
            notify(db, world, incident)
        elif step[0] == "withdraw":
            authority.record_withdrawal(db, world["dpo"], incident.id, NOW, "Bij nader inzien geen datalek.")
        else:
            lifecycle.change_status(db, world["dpo"], incident.id, Status.IN_PROGRESS, "Nieuwe feiten.")


@pytest.mark.parametrize(
    ("steps", "phase", "label"),
    [
        ("reported", Phase.AWAITING_DECISION, "nog 9 uur"),
        ("notify", Phase.DECIDED_TO_NOTIFY, "Besloten te melden — nog 9 uur"),
        ("notify+notified", Phase.NOTIFIED, "Gemeld bij de AP"),
        ("notify+notified+withdrawn", Phase.WITHDRAWN, "Melding bij de AP ingetrokken"),
        ("no_notify", Phase.NOT_NOTIFYING, "Besloten niet te melden"),
        ("not_a_breach", Phase.NOT_A_BREACH, "Geen datalek"),
        ("notify+reopened", Phase.AWAITING_DECISION, "nog 9 uur"),
        ("not_a_breach+reopened", Phase.AWAITING_DECISION, "nog 9 uur"),
    ],
)
def test_the_clock_of_an_incident_as_it_travels(fresh_db, world, at_now, steps, phase, label):
    incident = report(fresh_db, world, 62.5)
    walk(fresh_db, world, incident, STEPS[steps])
    found = outstanding.for_incident(fresh_db, world["dpo"], incident.id)
    assert (found.phase, found.label(NOW)) == (phase, label)
    running = [c.incident_id for c in outstanding.running(fresh_db)]
    assert (incident.id in running) is phase.running
    # the queue (one SQL of its own) says the same as the clock
    statuses = list(Status)
    (row,) = [r for r in incidents.queue(fresh_db, world["dpo"], statuses=statuses) if r.id == incident.id]
    assert (row.clock.phase, row.clock.label(NOW)) == (phase, label)
    # and the queue's order (SQL) counts the clock as running exactly when the phase does
    (raw,) = list(incident_sql.queue(fresh_db, [world.org.id], [s.value for s in statuses], None, None, 50))
    assert bool(raw["clock_running"]) is phase.running


def test_the_clock_of_another_organisation_is_refused(fresh_db, world, at_now):
    from datalek.accounts.permissions import PermissionDenied

    incident = report(fresh_db, world, 10)
    with pytest.raises(PermissionDenied):
        outstanding.for_incident(fresh_db, world["other_dpo"], incident.id)


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_keeps_the_countdown_after_a_decision_to_notify(fresh_db, world, at_now):
    """Found: once a decision was recorded the queue said "besluit genomen" and sorted the
    incident below every undecided one, while the AP notification was still outstanding."""
    decided = report(fresh_db, world, 63)
    waiting = report(fresh_db, world, 5)
    not_notifying = report(fresh_db, world, 100)
    notified = report(fresh_db, world, 90)
    decide(fresh_db, world, decided, "notify")
    decide(fresh_db, world, not_notifying, "no_notify")
    decide(fresh_db, world, notified, "notify")
    notify(fresh_db, world, notified)
    queue = incidents.queue(fresh_db, world["dpo"])
    assert [(r.id, r.clock.label(NOW)) for r in queue] == [
        (decided.id, "Besloten te melden — nog 9 uur"),
        (waiting.id, "nog 67 uur"),
        (not_notifying.id, "Besloten niet te melden"),
        (notified.id, "Gemeld bij de AP"),
    ]


def test_running_clocks_come_first_earliest_deadline_on_top(fresh_db, world, at_now):
    made = {hours: report(fresh_db, world, hours) for hours in (80, 10, 50, 120, 30)}
    decide(fresh_db, world, made[120], "no_notify")
    decide(fresh_db, world, made[50], "notify")
    order = [r.id for r in incidents.queue(fresh_db, world["dpo"])]
    assert order == [made[h].id for h in (80, 50, 30, 10, 120)]
    assert [c.incident_id for c in outstanding.running(fresh_db, [world.org.id])] == order[:4]


def _statements_for_queue(db, world) -> int:
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        incidents.queue(db, world["dpo"])
    finally:
        db.conn.set_trace_callback(None)
    return len(seen)


def test_the_queue_is_one_query_however_many_rows(fresh_db, world, at_now):
    """No query per row: the clock comes with the queue's own SQL."""
    first = report(fresh_db, world, 30)
    decide(fresh_db, world, first, "notify")
    few = _statements_for_queue(fresh_db, world)
    for hours in range(1, 21):
        incident = report(fresh_db, world, hours)
        if hours % 3 == 0:
            decide(fresh_db, world, incident, "notify")
        if hours % 6 == 0:
            notify(fresh_db, world, incident)
    assert len(incidents.queue(fresh_db, world["dpo"])) == 21
    assert _statements_for_queue(fresh_db, world) == few
