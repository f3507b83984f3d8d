"""Incidents: reference numbers, the reporter's own list, supplements, the status machine and
the FG's queue order."""

from datetime import datetime, timedelta, timezone

import pytest

from datalek import incidents
from datalek.models import TRANSITIONS, InvalidInput, Status
from tests.conftest import NOW, make_report


def submit(db, world, key="reporter", at=NOW, **changes):
    actor = world[key]
    return incidents.submit_report(db, actor, make_report(actor.org_ids[0], now=at, **changes), at=at)


def test_reference_numbers_count_per_organisation_and_year(fresh_db, world):
    refs = [submit(fresh_db, world).reference for _ in range(3)]
    assert refs == ["DL-2026-0001", "DL-2026-0002", "DL-2026-0003"]
    assert submit(fresh_db, world, "other_reporter").reference == "DL-2026-0001"


def test_the_year_is_the_dutch_year(fresh_db, world):
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)  # 00:30 on 1 January in Amsterdam
    incident = submit(fresh_db, world, at=new_year, occurred_from=new_year - timedelta(hours=3),
                      discovered_at=new_year - timedelta(hours=1))  # fmt: skip
    assert incident.reference == "DL-2027-0001"
    assert fresh_db.execute("SELECT month FROM incidents").fetchone()[0] == 1


def test_the_clock_starts_at_discovery_and_the_report_is_kept_as_given(fresh_db, world):
    incident = submit(fresh_db, world)
    assert incident.aware_at == incident.discovered_at == NOW - timedelta(hours=2)
    assert incident.status is Status.REPORTED
    assert incident.report["data_kinds"] == ["name_address", "care_file"]
    history = fresh_db.execute("SELECT from_status, to_status FROM status_changes").fetchall()
    assert history == [(None, "reported")]


def test_my_reports_lists_only_my_own(fresh_db, world):
    mine = [submit(fresh_db, world).id for _ in range(2)]
    theirs = submit(fresh_db, world, "reporter2").id
    assert [r.id for r in incidents.my_reports(fresh_db, world["reporter"])] == mine[::-1]
    assert [r.id for r in incidents.my_reports(fresh_db, world["reporter2"])] == [theirs]


def test_reading_is_audited(fresh_db, world):
    incident = submit(fresh_db, world)
    incidents.read_incident(fresh_db, world["dpo"], incident.id)
    row = fresh_db.execute("SELECT action, object_id, actor_id FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert row == ("incident.read", str(incident.id), world["dpo"].user_id)


def test_supplements_append_and_never_overwrite(fresh_db, world):
    incident = submit(fresh_db, world)
    incidents.add_supplement(fresh_db, world["reporter"], incident.id, "Ontvanger belde terug.")
    incidents.add_supplement(fresh_db, world["reporter"], incident.id, "Verwijdering bevestigd.")
    view = incidents.read_incident(fresh_db, world["reporter"], incident.id)
    assert [s.text for s in view.supplements] == ["Ontvanger belde terug.", "Verwijdering bevestigd."]
    assert view.incident.description == incident.description


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001], ids=["empty", "blank", "too-long"])
def test_bad_supplements_are_refused(fresh_db, world, text):
    incident = submit(fresh_db, world)
    with pytest.raises(InvalidInput) as refused:
        incidents.add_supplement(fresh_db, world["reporter"], incident.id, text)
    assert "text" in refused.value.errors


PAIRS = [(a, b) for a in Status for b in Status if a is not b and b is not Status.CLOSED]


def _bring_to(db, world, incident_id, status):
    for step in {Status.REPORTED: [], Status.IN_PROGRESS: [Status.IN_PROGRESS],
                 Status.DECIDED: [Status.IN_PROGRESS, Status.DECIDED],
                 Status.NOT_A_BREACH: [Status.NOT_A_BREACH]}[status]:  # fmt: skip
        incidents.change_status(db, world["dpo"], incident_id, step, "reden")


@pytest.mark.parametrize(("start", "to"), [p for p in PAIRS if p[0] is not Status.CLOSED],
                         ids=[f"{a.value}->{b.value}" for a, b in PAIRS if a is not Status.CLOSED])
def test_status_machine(fresh_db, world, start, to):
    incident = submit(fresh_db, world)
    _bring_to(fresh_db, world, incident.id, start)
    before = fresh_db.execute("SELECT count(*) FROM status_changes").fetchone()[0]
    if to in TRANSITIONS[start]:
        incidents.change_status(fresh_db, world["dpo"], incident.id, to, "reden")
        assert fresh_db.execute("SELECT status FROM incidents").fetchone()[0] == to.value
    else:
        with pytest.raises(InvalidInput):
            incidents.change_status(fresh_db, world["dpo"], incident.id, to, "reden")
        assert fresh_db.execute("SELECT count(*) FROM status_changes").fetchone()[0] == before


def test_no_breach_needs_a_reason(fresh_db, world):
    incident = submit(fresh_db, world)
    with pytest.raises(InvalidInput) as refused:
        incidents.change_status(fresh_db, world["dpo"], incident.id, Status.NOT_A_BREACH, " ")
    assert "reason" in refused.value.errors


def test_queue_order_undecided_by_deadline_then_decided(fresh_db, world):
    made = {}
    for name, hours in (("late", 80), ("soon", 30), ("fresh", 2), ("decided", 100)):
        found = NOW - timedelta(hours=hours)
        made[name] = submit(fresh_db, world, discovered_at=found, occurred_from=found - timedelta(hours=1))
    _bring_to(fresh_db, world, made["decided"].id, Status.DECIDED)
    closed = submit(fresh_db, world)
    _bring_to(fresh_db, world, closed.id, Status.NOT_A_BREACH)
    submit(fresh_db, world, "other_reporter")
    order = [r.id for r in incidents.queue(fresh_db, world["dpo"])]
    assert order == [made[n].id for n in ("late", "soon", "fresh", "decided")]
    narrowed = incidents.queue(fresh_db, world["dpo"], statuses=[Status.DECIDED])
    assert [r.id for r in narrowed] == [made["decided"].id]
