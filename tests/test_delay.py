"""The reason for a delay (issue #14): when the deadline has passed with the clock running,
the FG records why; replacing it keeps the old text, who and when."""

from __future__ import annotations

import json

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import delay, outstanding
from datalek.models import InvalidInput
from tests.test_outstanding import at_now, decide, notify, report  # noqa: F401 - at_now is a fixture

REASON = "De FG was ziek en de vervanger wist niet van de melding."


def _changes(db, incident_id):
    return list(db.query("SELECT * FROM incident_changes WHERE incident_id = ? ORDER BY id", [incident_id]))


def _audit(db, incident_id):
    return list(
        db.query(
            "SELECT actor_id, detail FROM audit_log WHERE action = 'incident.delay_reason' AND object_id = ?",
            [str(incident_id)],
        )
    )


def test_an_overdue_clock_takes_a_reason_once_given(fresh_db, world, at_now):  # noqa: F811
    late = report(fresh_db, world, 80)
    assert outstanding.for_incident(fresh_db, world["dpo"], late.id).needs_delay_reason(at_now)
    saved = delay.record(fresh_db, world["dpo"], late.id, f"  {REASON}\n", "internal")
    assert saved.delay_reason == REASON
    found = outstanding.for_incident(fresh_db, world["dpo"], late.id)
    assert found.delay_reason == REASON and not found.needs_delay_reason(at_now)
    assert _changes(fresh_db, late.id) == []  # nothing replaced
    (entry,) = _audit(fresh_db, late.id)
    assert entry["actor_id"] == world["dpo"].user_id
    assert REASON not in entry["detail"] and json.loads(entry["detail"])["replaced"] is False


def test_a_replaced_reason_keeps_the_old_one_who_and_why(fresh_db, world, at_now):  # noqa: F811
    late = report(fresh_db, world, 80)
    decide(fresh_db, world, late, "notify")
    delay.record(fresh_db, world["dpo"], late.id, REASON, "internal")
    notify(fresh_db, world, late)  # notified late; the reason can still be put right
    delay.record(fresh_db, world["dpo"], late.id, "Het weekend: niemand las de mail.", "internal")
    (change,) = _changes(fresh_db, late.id)
    assert {k: change[k] for k in ("field", "old_value", "new_value", "reason", "after_notification")} == {
        "field": "delay_reason",
        "old_value": REASON,
        "new_value": "Het weekend: niemand las de mail.",
        "reason": "Reden van vertraging aangepast",
        "after_notification": 1,
    }
    assert change["changed_by"] == world["dpo"].user_id and change["changed_at"]
    assert [json.loads(e["detail"])["replaced"] for e in _audit(fresh_db, late.id)] == [False, True]


def test_the_same_reason_again_changes_nothing(fresh_db, world, at_now):  # noqa: F811
    late = report(fresh_db, world, 80)
    delay.record(fresh_db, world["dpo"], late.id, REASON, "internal")
    delay.record(fresh_db, world["dpo"], late.id, REASON + "  ", "internal")
    assert _changes(fresh_db, late.id) == []
    assert len(_audit(fresh_db, late.id)) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Schrijf op waarom de melding later is dan 72 uur."),
        ("   \n ", "Schrijf op waarom de melding later is dan 72 uur."),
        ("x" * (delay.MAX_REASON + 1), f"Dit is te lang: gebruik hoogstens {delay.MAX_REASON} tekens."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_bad_input_gets_a_dutch_message_next_to_the_field(fresh_db, world, at_now, text, message):  # noqa: F811
    late = report(fresh_db, world, 80)
    with pytest.raises(InvalidInput) as caught:
        delay.record(fresh_db, world["dpo"], late.id, text, "internal")
    assert caught.value.errors == {"reason": message}
    assert outstanding.for_incident(fresh_db, world["dpo"], late.id).delay_reason == ""


@pytest.mark.parametrize(
    ("hours_ago", "steps"),
    [(10, []), (80, [("decide", "no_notify")]), (80, [("decide", "notify"), ("notify",)])],
    ids=["deadline-ahead", "decided-not-to-notify", "notified"],
)
def test_no_reason_without_a_delay(fresh_db, world, at_now, hours_ago, steps):  # noqa: F811
    incident = report(fresh_db, world, hours_ago)
    for step in steps:
        decide(fresh_db, world, incident, step[1]) if step[0] == "decide" else notify(
            fresh_db, world, incident
        )
    with pytest.raises(InvalidInput) as caught:
        delay.record(fresh_db, world["dpo"], incident.id, REASON, "internal")
    assert set(caught.value.errors) == {"reason"}


@pytest.mark.parametrize("key", ["other_dpo", "management", "reporter", "admin"])
def test_only_the_fg_of_the_incident_records_it(fresh_db, world, at_now, key):  # noqa: F811
    late = report(fresh_db, world, 80)
    with pytest.raises(PermissionDenied):
        delay.record(fresh_db, world[key], late.id, REASON, "internal")
    assert outstanding.for_incident(fresh_db, world["dpo"], late.id).delay_reason == ""


def test_the_notification_takes_the_recorded_reason_and_the_concept_shows_it(fresh_db, world, at_now):  # noqa: F811
    """Asked once: the reason recorded on the incident is the AP notification's reason for the
    delay, unless the FG types another one when she records it."""
    from datalek.actions import authority, documents

    late = report(fresh_db, world, 80)
    decide(fresh_db, world, late, "notify")
    delay.record(fresh_db, world["dpo"], late.id, REASON, "internal")
    draft = documents.draft_notification(fresh_db, world["dpo"], late.id)
    assert draft.answers()["2.late_reason"] == f"Soort reden: {delay.KINDS['internal']}.\n{REASON}"
    saved = authority.record_initial(fresh_db, world["dpo"], late.id, "M-2026-000777", at_now)
    assert saved.late_reason == REASON


def test_without_any_reason_a_late_notification_is_refused_in_dutch(fresh_db, world, at_now):  # noqa: F811
    from datalek.actions import authority

    late = report(fresh_db, world, 80)
    decide(fresh_db, world, late, "notify")
    with pytest.raises(InvalidInput) as refused:
        authority.record_initial(fresh_db, world["dpo"], late.id, "M-2026-000777", at_now)
    assert refused.value.errors["late_reason"].startswith(
        "De melding is later dan 72 uur nadat de organisatie het wist."
    )
