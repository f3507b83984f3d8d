"""Recording the notification to the AP: the first one with the AP's reference, supplements,
a withdrawal, the 72-hour rule and who may do it."""

import json
from datetime import datetime, timedelta

import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import authority
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.models import InvalidInput
from datalek.store import audit_log
from tests.conftest import NOW, make_report

AWARE = NOW - timedelta(hours=2)  # make_report: discovered two hours before NOW
REF = "M-2026-000123"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """Five days after the report: every moment used below lies in the past."""
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


def _incident(db, world, decision: DecisionInput | None = "follow") -> int:
    incident = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
    saved = assessment.save(
        db,
        world["dpo"],
        incident.id,
        prefill.facts_from_report(incident, world.org),
        "Gevolgen.",
        "Maatregelen.",
    )
    if decision == "follow":
        decision = DecisionInput(
            breach=True,
            notify_authority=saved.advice.notify_authority,
            inform=Inform.YES,
            motivation="Conform advies.",
        )
    if decision is not None:
        decisions.record(db, world["dpo"], incident.id, decision)
    return incident.id


@pytest.fixture
def notify(fresh_db, world) -> int:
    """An incident whose decision is 'melden bij de AP'."""
    return _incident(fresh_db, world)


def _initial(db, world, incident_id, at=AWARE + timedelta(hours=20), **kw):
    return authority.record_initial(db, world["dpo"], incident_id, kw.pop("ref", REF), at, **kw)


def _errors(call) -> dict:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.errors


def test_the_first_notification_keeps_the_ap_reference_and_the_moment(fresh_db, world, notify):
    made = _initial(fresh_db, world, notify, ref="  M-2026-000123  ", draft={"kind": "initial"})
    state = authority.history(fresh_db, world["dpo"], notify)
    assert state.initial == made and state.notified
    assert made.ap_reference == REF and made.submitted_at == AWARE + timedelta(hours=20)
    assert made.late_reason == "" and made.draft == {"kind": "initial"}


@pytest.mark.parametrize(
    "ref",
    ["", "  ", "AB", "-M12345", "M" * 41, "M<script>1", "M;DROP"],
    ids=["empty", "blank", "too-short", "leading-dash", "too-long", "markup", "semicolon"],
)
def test_a_malformed_ap_reference_is_refused(fresh_db, world, notify, ref):
    errors = _errors(lambda: _initial(fresh_db, world, notify, ref=ref))
    assert "meldnummer van de AP" in errors["ap_reference"]
    assert authority.history(fresh_db, world["dpo"], notify).initial is None


@pytest.mark.parametrize(
    "ref",
    ["abc", "M-2026-000123", "AP 2026/12.3_a", "M" * 40],
    ids=["shortest", "usual", "spaces-and-punctuation", "longest"],
)
def test_well_formed_ap_references_are_accepted(fresh_db, world, notify, ref):
    assert _initial(fresh_db, world, notify, ref=ref).ap_reference == ref


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (None, "Vul de datum en het tijdstip"),
        (datetime(2026, 11, 21, 10, 0), "Vul de datum en het tijdstip"),
        (NOW + timedelta(days=5, minutes=10), "in de toekomst"),
        (
            AWARE - timedelta(minutes=1),
            "De AP werd ingelicht (20-11-2026 08:59) vóór de organisatie het wist (20-11-2026 09:00).",
        ),
    ],
    ids=["missing", "without-timezone", "future", "before-awareness"],
)
def test_an_impossible_submission_moment_is_refused(fresh_db, world, notify, at, message):
    assert message in _errors(lambda: _initial(fresh_db, world, notify, at=at))["submitted_at"]


def test_a_notification_after_72_hours_needs_the_reason_for_the_delay(fresh_db, world, notify):
    late = AWARE + timedelta(hours=72, minutes=1)
    assert "later dan 72 uur" in _errors(lambda: _initial(fresh_db, world, notify, at=late))["late_reason"]
    made = _initial(fresh_db, world, notify, at=late, late_reason="FG was ziek.")
    assert made.late_reason == "FG was ziek."


def test_exactly_72_hours_is_in_time_and_keeps_no_delay_reason(fresh_db, world, notify):
    made = _initial(fresh_db, world, notify, at=AWARE + timedelta(hours=72), late_reason="Niet nodig.")
    assert made.late_reason == ""
    assert not authority.is_late(AWARE, AWARE + timedelta(hours=72))
    assert authority.is_late(AWARE, AWARE + timedelta(hours=72, seconds=1))


def test_an_overlong_delay_reason_is_refused(fresh_db, world, notify):
    late = AWARE + timedelta(hours=80)
    errors = _errors(lambda: _initial(fresh_db, world, notify, at=late, late_reason="x" * 4001))
    assert "hoogstens 4000 tekens" in errors["late_reason"]


def test_a_second_first_notification_is_refused(fresh_db, world, notify):
    _initial(fresh_db, world, notify)
    assert "al bij de AP gedaan" in _errors(lambda: _initial(fresh_db, world, notify, ref="M-999"))["form"]


NO_NOTIFY = DecisionInput(
    breach=True,
    notify_authority=False,
    inform=Inform.YES,
    motivation="m",
    deviation_motivation="Risico is beperkt.",
)
NO_BREACH = DecisionInput(
    breach=False,
    not_breach_reason=NotBreachReason.NO_INCIDENT,
    motivation="Vals alarm.",
    deviation_motivation="Vals alarm.",
)


@pytest.mark.parametrize(
    "decision", [None, NO_NOTIFY, NO_BREACH], ids=["undecided", "not-notify", "no-breach"]
)
def test_recording_a_notification_needs_the_decision_to_notify(fresh_db, world, decision):
    incident_id = _incident(fresh_db, world, decision)
    assert "niet 'melden bij de AP'" in _errors(lambda: _initial(fresh_db, world, incident_id))["form"]


@pytest.mark.parametrize("kind", ["supplement", "withdrawal"])
def test_supplement_and_withdrawal_need_a_first_notification(fresh_db, world, notify, kind):
    call = getattr(authority, f"record_{kind}")
    errors = _errors(lambda: call(fresh_db, world["dpo"], notify, AWARE + timedelta(days=1), "Tekst."))
    assert errors["form"] == "Er is nog geen melding bij de AP vastgelegd."


@pytest.mark.parametrize(
    ("kind", "message"), [("supplement", "wat er is veranderd"), ("withdrawal", "reden van de intrekking")]
)
def test_supplement_and_withdrawal_need_their_text(fresh_db, world, notify, kind, message):
    _initial(fresh_db, world, notify)
    call = getattr(authority, f"record_{kind}")
    errors = _errors(lambda: call(fresh_db, world["dpo"], notify, AWARE + timedelta(days=1), " "))
    assert message in errors["note"]


def test_a_supplement_carries_the_first_reference_and_may_not_predate_it(fresh_db, world, notify):
    _initial(fresh_db, world, notify)
    early = AWARE + timedelta(hours=10)
    errors = _errors(lambda: authority.record_supplement(fresh_db, world["dpo"], notify, early, "Meer."))
    assert errors["submitted_at"] == "Dit moment ligt vóór de eerste melding bij de AP."
    made = authority.record_supplement(
        fresh_db,
        world["dpo"],
        notify,
        AWARE + timedelta(days=2),
        "Aantal betrokkenen bekend.",
        {"kind": "supplement"},
    )
    assert made.ap_reference == REF and made.note == "Aantal betrokkenen bekend."
    assert authority.history(fresh_db, world["dpo"], notify).supplements == [made]


@pytest.mark.parametrize(
    "call", [authority.record_supplement, authority.record_withdrawal], ids=["supplement", "withdrawal"]
)
def test_a_later_notification_may_not_predate_the_last_supplement(fresh_db, world, notify, call):
    """The notifications to the AP keep their order (found in review: a withdrawal dated before
    an earlier supplement was accepted)."""
    _initial(fresh_db, world, notify)
    supplement = AWARE + timedelta(days=2)
    authority.record_supplement(fresh_db, world["dpo"], notify, supplement, "Aantal betrokkenen bekend.")
    errors = _errors(lambda: call(fresh_db, world["dpo"], notify, AWARE + timedelta(days=1), "Nog iets."))
    assert errors["submitted_at"] == (
        f"Dit moment ligt vóór de laatste aanvulling bij de AP ({clock.format_local(supplement)})."
    )
    assert call(fresh_db, world["dpo"], notify, supplement, "Nog iets.").submitted_at == supplement


def test_after_a_withdrawal_nothing_more_can_be_sent(fresh_db, world, notify):
    _initial(fresh_db, world, notify)
    authority.record_withdrawal(fresh_db, world["dpo"], notify, AWARE + timedelta(days=2), "Geen datalek.")
    state = authority.history(fresh_db, world["dpo"], notify)
    assert state.withdrawal is not None and not state.notified
    for call in (authority.record_supplement, authority.record_withdrawal):
        errors = _errors(lambda c=call: c(fresh_db, world["dpo"], notify, AWARE + timedelta(days=3), "x"))
        assert errors["form"] == "De melding bij de AP is ingetrokken."


def test_each_step_is_audited_with_codes_only(fresh_db, world, notify):
    first = _initial(fresh_db, world, notify, at=AWARE + timedelta(hours=80), late_reason="Geheim-X")
    authority.record_supplement(fresh_db, world["dpo"], notify, AWARE + timedelta(days=4), "Geheim-Y")
    authority.record_withdrawal(fresh_db, world["dpo"], notify, AWARE + timedelta(days=4), "Geheim-Z")
    for action, late in (
        ("authority.initial", True),
        ("authority.supplement", False),
        ("authority.withdrawal", False),
    ):
        (entry,) = audit_log.recent(fresh_db, 5, action=action)
        detail = json.loads(entry["detail"])
        assert entry["object_id"] == str(notify) and detail["late"] is late
        assert set(detail) == {"notification_id", "late"}
        assert "Geheim" not in entry["detail"] and REF not in entry["detail"]
    assert (
        json.loads(audit_log.recent(fresh_db, 1, action="authority.initial")[0]["detail"])["notification_id"]
        == first.id
    )


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
@pytest.mark.parametrize("step", ["initial", "supplement", "withdrawal", "history"])
def test_only_the_dpo_of_the_organisation_records_and_reads_ap_notifications(
    fresh_db, world, notify, who, step
):
    if step != "initial":
        _initial(fresh_db, world, notify)
    calls = {
        "initial": lambda a: authority.record_initial(fresh_db, a, notify, "M-777", NOW),
        "supplement": lambda a: authority.record_supplement(
            fresh_db, a, notify, NOW + timedelta(days=1), "x"
        ),
        "withdrawal": lambda a: authority.record_withdrawal(
            fresh_db, a, notify, NOW + timedelta(days=1), "x"
        ),
        "history": lambda a: authority.history(fresh_db, a, notify),
    }
    with pytest.raises(PermissionDenied):
        calls[step](world[who])
    state = authority.history(fresh_db, world["dpo"], notify)
    assert (state.initial is None) == (step == "initial") and not state.supplements and not state.withdrawal
