"""The FG's decision: motivated, stored with the advice of that moment, deviations explained,
and an incident closes only when its Art. 33(5) documentation is complete."""

from datetime import date, timedelta

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import assessment, completeness, decisions, incidents, lifecycle, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.models import InvalidInput, Status
from datalek.triage.facts import LawfulBasis, RecipientKind
from tests.conftest import NOW, complete_actions, make_report


@pytest.fixture
def assessed(fresh_db, world):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    facts = prefill.facts_from_report(incident, world.org)
    saved = assessment.save(fresh_db, world["dpo"], incident.id, facts, "gevolgen", "maatregelen")
    return incident.id, saved


def _follow(advice, **changes) -> DecisionInput:
    values = {
        "breach": advice.is_breach,
        "notify_authority": advice.notify_authority,
        "inform": Inform.YES if advice.inform_subjects else Inform.NO,
        "motivation": "Conform advies.",
    }
    return DecisionInput(**{**values, **changes})


def test_a_decision_needs_an_assessment_first(fresh_db, world):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    with pytest.raises(InvalidInput) as refused:
        decisions.record(fresh_db, world["dpo"], incident.id, DecisionInput(breach=True, motivation="x"))
    assert "feiten" in refused.value.errors["form"]


def test_following_the_advice_is_recorded_without_deviation(fresh_db, world, assessed):
    incident_id, saved = assessed
    made = decisions.record(fresh_db, world["dpo"], incident_id, _follow(saved.advice))
    assert not made.deviates and made.advice == saved.advice
    status = fresh_db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    assert status == Status.DECIDED.value


@pytest.mark.parametrize(
    "change",
    [
        {"notify_authority": "flip"},
        {"inform": "flip"},
        {"breach": False, "not_breach_reason": NotBreachReason.CONSENT},
    ],
    ids=["other-ap-choice", "other-inform-choice", "no-breach-against-advice"],
)
def test_a_deviation_without_its_own_motivation_is_refused(fresh_db, world, assessed, change):
    incident_id, saved = assessed
    a = saved.advice
    flips = {
        "notify_authority": not a.notify_authority,
        "inform": Inform.NO if a.inform_subjects else Inform.YES,
    }
    data = _follow(a, **{k: flips[k] if v == "flip" else v for k, v in change.items()})
    with pytest.raises(InvalidInput) as refused:
        decisions.record(fresh_db, world["dpo"], incident_id, data)
    assert "wijkt af van het advies" in refused.value.errors["deviation_motivation"]
    made = decisions.record(
        fresh_db, world["dpo"], incident_id, data.model_copy(update={"deviation_motivation": "Omdat."})
    )
    assert made.deviates and made.deviation_motivation == "Omdat."


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (DecisionInput(breach=True, notify_authority=True, inform=Inform.YES), "motivation"),
        (DecisionInput(breach=True, inform=Inform.YES, motivation="m"), "notify_authority"),
        (DecisionInput(breach=True, notify_authority=True, motivation="m"), "inform"),
        (
            DecisionInput(breach=True, notify_authority=True, inform=Inform.LATER, motivation="m"),
            "inform_date",
        ),
        (DecisionInput(breach=False, motivation="m"), "not_breach_reason"),
    ],
    ids=[
        "no-motivation",
        "no-ap-choice",
        "no-inform-choice",
        "later-without-date",
        "no-breach-without-reason",
    ],
)
def test_incomplete_decisions_get_a_dutch_message_per_field(fresh_db, world, assessed, data, field):
    with pytest.raises(InvalidInput) as refused:
        decisions.record(fresh_db, world["dpo"], assessed[0], data)
    assert field in refused.value.errors


def test_the_stored_advice_is_not_rewritten_by_later_facts(fresh_db, world, assessed):
    incident_id, saved = assessed
    decisions.record(fresh_db, world["dpo"], incident_id, _follow(saved.advice))
    facts = saved.facts.model_copy(
        update={"lawful_basis": LawfulBasis.CONSENT, "recipients": [RecipientKind.TRUSTED]}
    )
    assessment.save(fresh_db, world["dpo"], incident_id, facts)
    assert decisions.latest(fresh_db, world["dpo"], incident_id).advice == saved.advice


def test_lawful_sharing_is_recorded_as_no_breach(fresh_db, world, assessed):
    incident_id, saved = assessed
    facts = saved.facts.model_copy(update={"lawful_basis": LawfulBasis.MELDRECHT})
    new = assessment.save(fresh_db, world["dpo"], incident_id, facts)
    assert not new.advice.is_breach
    made = decisions.record(
        fresh_db,
        world["dpo"],
        incident_id,
        DecisionInput(
            breach=False, not_breach_reason=NotBreachReason.MELDRECHT, motivation="Melding Veilig Thuis."
        ),
    )
    assert not made.breach and not made.deviates
    status = fresh_db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]
    assert status == Status.NOT_A_BREACH.value


def test_inform_later_keeps_its_date(fresh_db, world, assessed):
    incident_id, saved = assessed
    later = date.today() + timedelta(days=7)
    data = _follow(
        saved.advice,
        inform=Inform.LATER,
        inform_date=later,
        deviation_motivation="Eerst veiligheid van het kind nagaan.",
    )
    made = decisions.record(fresh_db, world["dpo"], incident_id, data)
    assert made.inform is Inform.LATER and made.inform_date == later


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_decides(fresh_db, world, assessed, who):
    with pytest.raises(PermissionDenied):
        decisions.record(fresh_db, world[who], assessed[0], _follow(assessed[1].advice))


FOLLOW_UP_GAPS = [
    "De melding bij de AP is nog niet vastgelegd (meldnummer en tijdstip).",
    "Er is nog niet vastgelegd wie er zijn geïnformeerd, wanneer en hoe.",
    "Er is nog geen maatregel vastgelegd (herstel of preventie).",
]


@pytest.mark.parametrize(
    ("effects", "remedial", "decide", "expected"),
    [
        (
            "",
            "",
            False,
            [
                "De gevolgen zijn nog niet beschreven.",
                "De genomen maatregelen zijn nog niet beschreven.",
                "Er is nog geen besluit met motivering.",
            ],
        ),
        ("g", "", True, ["De genomen maatregelen zijn nog niet beschreven.", *FOLLOW_UP_GAPS]),
        ("g", "m", False, ["Er is nog geen besluit met motivering."]),
        ("g", "m", True, FOLLOW_UP_GAPS),
    ],
    ids=["nothing", "no-remedial-action", "no-decision", "complete"],
)
def test_register_gaps(fresh_db, world, effects, remedial, decide, expected):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    assert completeness.documentation_gaps(fresh_db, incident.id) == [
        "De feiten (beoordeling) zijn nog niet vastgelegd.",
        "Er is nog geen besluit met motivering.",
    ]
    saved = assessment.save(
        fresh_db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), effects, remedial
    )
    if decide:
        decisions.record(fresh_db, world["dpo"], incident.id, _follow(saved.advice))
    assert completeness.documentation_gaps(fresh_db, incident.id) == expected


def test_closing_requires_complete_documentation(fresh_db, world, assessed):
    incident_id, saved = assessed
    fresh = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    s2 = assessment.save(fresh_db, world["dpo"], fresh.id, prefill.facts_from_report(fresh, world.org))
    decisions.record(fresh_db, world["dpo"], fresh.id, _follow(s2.advice))
    with pytest.raises(InvalidInput) as refused:
        lifecycle.change_status(fresh_db, world["dpo"], fresh.id, Status.CLOSED)
    assert "De gevolgen zijn nog niet beschreven." in refused.value.errors["status"]
    decisions.record(fresh_db, world["dpo"], incident_id, _follow(saved.advice))
    with pytest.raises(InvalidInput) as refused:
        lifecycle.change_status(fresh_db, world["dpo"], incident_id, Status.CLOSED)
    assert "De melding bij de AP is nog niet vastgelegd" in refused.value.errors["status"]
    complete_actions(fresh_db, world["dpo"], incident_id)
    assert lifecycle.change_status(fresh_db, world["dpo"], incident_id, Status.CLOSED) is Status.CLOSED


def test_a_decision_on_an_advice_that_changed_meanwhile_is_refused(fresh_db, world, assessed):
    incident_id, first = assessed
    newer = assessment.save(
        fresh_db, world["dpo"], incident_id, first.facts, "gevolgen", "nieuw", expected_version=1
    )  # a colleague saved version 2
    with pytest.raises(InvalidInput) as refused:
        decisions.record(fresh_db, world["dpo"], incident_id, _follow(first.advice), assessment_version=1)
    assert "versie 2" in refused.value.errors["form"]
    assert decisions.latest(fresh_db, world["dpo"], incident_id) is None
    made = decisions.record(fresh_db, world["dpo"], incident_id, _follow(newer.advice), assessment_version=2)
    assert made.advice == newer.advice
