"""The moment of awareness and the other moments of an incident: changing one needs a reason,
every change is kept (old, new, who, when, why), and a change after the AP notification never
makes that notification "on time" again."""

from datetime import timedelta

import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import authority
from datalek.handling import assessment, decisions, incidents, moments, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.models import AwareBasis, InvalidInput
from tests.conftest import NOW, make_report

DISCOVERED = NOW - timedelta(hours=2)  # make_report: discovered two hours before NOW
LATER = NOW + timedelta(days=5)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: LATER)


def _incident(db, world):
    return incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)


def _facts(incident, world, **changes):
    return prefill.facts_from_report(incident, world.org).model_copy(update=changes)


def _errors(call) -> dict:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.errors


def test_a_new_report_records_its_first_awareness_and_the_employee_as_basis(fresh_db, world):
    incident = _incident(fresh_db, world)
    assert incident.first_aware_at == incident.aware_at == DISCOVERED
    assert incident.aware_basis is AwareBasis.EMPLOYEE_REPORT
    assert incident.occurrence == "moment"
    aware = moments.awareness(fresh_db, incident.id)
    assert (aware.changes, aware.judged_from) == ([], DISCOVERED)


def test_moving_the_awareness_without_a_reason_is_refused(fresh_db, world):
    incident = _incident(fresh_db, world)
    later = _facts(incident, world, aware_at=DISCOVERED + timedelta(hours=10))
    errors = _errors(lambda: assessment.save(fresh_db, world["dpo"], incident.id, later))
    assert "72 uur" in errors["aware_reason"]
    assert incidents.read_incident(fresh_db, world["dpo"], incident.id).incident.aware_at == DISCOVERED
    assert assessment.current(fresh_db, world["dpo"], incident.id) is None


def test_moving_the_awareness_keeps_the_old_value_who_and_why(fresh_db, world):
    incident = _incident(fresh_db, world)
    later = _facts(incident, world, aware_at=DISCOVERED + timedelta(hours=10))
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        later,
        basis=AwareBasis.PROCESSOR,
        source="Leverancier zaaksysteem",
        reason="De verwerker meldde het pas later aan ons.",
    )
    aware = moments.awareness(fresh_db, incident.id)
    assert (aware.aware_at, aware.first_aware_at) == (DISCOVERED + timedelta(hours=10), DISCOVERED)
    assert (aware.basis, aware.source) == (AwareBasis.PROCESSOR, "Leverancier zaaksysteem")
    first = aware.changes[0]
    assert (first.field, first.label) == ("aware_at", "Moment van bewustwording")
    assert (first.old, first.new) == ("20-11-2026 09:00", "20-11-2026 19:00")
    assert first.reason == "De verwerker meldde het pas later aan ons."
    assert (first.changed_by, first.changed_at, first.after_notification) == ("Dpo", LATER, False)
    assert [c.field for c in aware.changes] == ["aware_at", "aware_basis", "aware_source"]
    assert aware.changes[1].new == "Bericht van een verwerker"
    audited = fresh_db.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 3").fetchall()
    assert ("incident.awareness",) in audited


def test_a_save_that_moves_nothing_needs_no_reason_and_records_no_change(fresh_db, world):
    incident = _incident(fresh_db, world)
    assessment.save(fresh_db, world["dpo"], incident.id, _facts(incident, world))
    assessment.save(fresh_db, world["dpo"], incident.id, _facts(incident, world))
    assert moments.history(fresh_db, world["dpo"], incident.id) == []


def _notified_late(db, world, incident):
    """Decided to notify, and notified 80 hours after the recorded awareness (late)."""
    assessment.save(db, world["dpo"], incident.id, _facts(incident, world))
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    authority.record_initial(
        db, world["dpo"], incident.id, "M-2026-000123", DISCOVERED + timedelta(hours=80), "Ziekte."
    )


def test_a_change_after_notifying_never_makes_the_notification_on_time(fresh_db, world):
    incident = _incident(fresh_db, world)
    _notified_late(fresh_db, world, incident)
    moved = _facts(incident, world, aware_at=DISCOVERED + timedelta(hours=10))
    assessment.save(fresh_db, world["dpo"], incident.id, moved, reason="Bij nader inzien later.")
    aware = moments.awareness(fresh_db, incident.id)
    assert aware.aware_at == DISCOVERED + timedelta(hours=10)
    assert aware.judged_from == DISCOVERED  # the value it had when the AP was notified
    assert aware.changes[0].after_notification is True
    assert authority.is_late(aware.judged_from, DISCOVERED + timedelta(hours=80))


def test_the_first_awareness_never_changes(fresh_db, world):
    incident = _incident(fresh_db, world)
    for hours, why in ((10, "Eerste correctie."), (20, "Tweede correctie.")):
        moved = _facts(incident, world, aware_at=DISCOVERED + timedelta(hours=hours))
        assessment.save(fresh_db, world["dpo"], incident.id, moved, reason=why)
    aware = moments.awareness(fresh_db, incident.id)
    assert aware.first_aware_at == DISCOVERED
    assert [(c.old, c.new) for c in aware.changes] == [
        ("20-11-2026 09:00", "20-11-2026 19:00"),
        ("20-11-2026 19:00", "21-11-2026 05:00"),
    ]


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_reads_the_history_of_the_moments(fresh_db, world, who):
    incident = _incident(fresh_db, world)
    with pytest.raises(PermissionDenied):
        moments.history(fresh_db, world[who], incident.id)
