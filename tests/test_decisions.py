"""The FG's decision: motivated, stored with the advice of that moment, deviations explained,
and an incident closes only when its Art. 33(5) documentation is complete."""

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import assessment, completeness, decisions, incidents, lifecycle, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.handling.lessons import LessonInput, LessonTheme, Prevention
from datalek.models import InvalidInput, Status
from datalek.store import assessments as assessment_sql
from datalek.store import audit_log
from datalek.store import incidents as incident_sql
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
    lesson = LessonInput(  # closing also asks what was learned (``lessons``)
        theme=LessonTheme.EMAIL,
        learned="Controleer het adres voor het versturen.",
        prevention=Prevention.NONE,
        no_measure_reason="Eenmalig; de werkwijze was al goed.",
    )
    assert lifecycle.close(fresh_db, world["dpo"], incident_id, lesson) is Status.CLOSED


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


# --- who was consulted, and a duplicate report (issue #17) ---------------------------------


def test_who_was_consulted_is_kept_with_the_decision(fresh_db, world, assessed):
    incident_id, saved = assessed
    made = decisions.record(
        fresh_db, world["dpo"], incident_id, _follow(saved.advice, consulted=" leidinggevende, CISO ")
    )
    assert made.consulted == "leidinggevende, CISO"
    assert decisions.latest(fresh_db, world["dpo"], incident_id).consulted == "leidinggevende, CISO"


@pytest.mark.parametrize(
    ("consulted", "error"),
    [("", None), ("c" * 500, None), ("c" * 501, "Dit is te lang: gebruik hoogstens 500 tekens.")],
    ids=["nobody", "longest", "too-long"],
)
def test_who_was_consulted_is_optional_and_short(fresh_db, world, assessed, consulted, error):
    incident_id, saved = assessed
    data = _follow(saved.advice, consulted=consulted)
    if error is None:
        assert decisions.record(fresh_db, world["dpo"], incident_id, data).consulted == consulted
    else:
        with pytest.raises(InvalidInput) as refused:
            decisions.record(fresh_db, world["dpo"], incident_id, data)
        assert refused.value.errors == {"consulted": error}


def test_the_duplicate_reason_reads_as_a_duplicate():
    assert NotBreachReason.DUPLICATE.label == "Dubbele melding van een incident dat al geregistreerd is"


@pytest.fixture
def copy(fresh_db, world, assessed):
    """A second report of the incident ``assessed`` (the main incident), assessed: its advice
    is a breach, as the main incident's is."""
    incident = incidents.submit_report(fresh_db, world["reporter2"], make_report(world.org.id), at=NOW)
    saved = assessment.save(
        fresh_db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org)
    )
    assert saved.advice.is_breach
    return incident


def _main(db, assessed):
    """The main incident's row (its id and reference)."""
    return SimpleNamespace(**incident_sql.incident(db, assessed[0]))


def _duplicate(reference: str, **changes) -> DecisionInput:
    values = {
        "breach": False,
        "not_breach_reason": NotBreachReason.DUPLICATE,
        "duplicate_of": reference,
        "motivation": "Dezelfde e-mail, gemeld door een collega.",
    }
    return DecisionInput(**{**values, **changes})


def test_a_duplicate_points_at_the_main_incident_and_needs_no_deviation(fresh_db, world, assessed, copy):
    main_id = assessed[0]
    main = _main(fresh_db, assessed)
    made = decisions.record(fresh_db, world["dpo"], copy.id, _duplicate(f" {main.reference} "))
    assert (made.breach, made.not_breach_reason, made.duplicate_of) == (False, "duplicate", main_id)
    assert not made.deviates  # the breach itself is handled under the main incident
    loaded = decisions.latest(fresh_db, world["dpo"], copy.id)
    assert (loaded.duplicate_of, loaded.duplicate_reference) == (main_id, main.reference)
    stored = fresh_db.execute("SELECT duplicate_of FROM decisions WHERE id = ?", [made.id]).fetchone()
    assert stored[0] == main_id
    entry = audit_log.recent(fresh_db, 1, action="decision.record")[0]
    assert json.loads(entry["detail"])["duplicate_of"] == main_id


UNKNOWN_REFERENCE = (
    "Er is geen melding met dit kenmerk in je organisatie. Vul het kenmerk in zoals DL-2026-0001."
)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Vul het kenmerk in van de melding die al geregistreerd is."),
        ("DL-2099-0042", UNKNOWN_REFERENCE),
        ("other-organisation", UNKNOWN_REFERENCE),
        ("itself", "Deze melding kan geen dubbele melding van zichzelf zijn."),
        ("a-duplicate", "Die melding is zelf een dubbele melding. Kies de eerste melding: {main}."),
    ],
    ids=["empty", "unknown", "other-organisation", "itself", "a-duplicate"],
)
def test_a_duplicate_needs_the_main_incident_of_the_same_organisation(
    fresh_db, world, assessed, copy, target, message
):
    main = _main(fresh_db, assessed)
    if target == "other-organisation":  # its third report: our organisation has two
        for _ in range(3):
            other = incidents.submit_report(
                fresh_db, world["other_reporter"], make_report(world.other_org.id), at=NOW
            )
        assert incident_sql.id_by_reference(fresh_db, world.org.id, other.reference) is None
        target = other.reference
    elif target == "itself":
        target = copy.reference
    elif target == "a-duplicate":
        third = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
        facts = prefill.facts_from_report(third, world.org)
        assessment.save(fresh_db, world["dpo"], third.id, facts)
        decisions.record(fresh_db, world["dpo"], third.id, _duplicate(main.reference))
        target = third.reference
    with pytest.raises(InvalidInput) as refused:
        decisions.record(fresh_db, world["dpo"], copy.id, _duplicate(target))
    assert refused.value.errors == {"duplicate_of": message.format(main=main.reference)}
    assert decisions.latest(fresh_db, world["dpo"], copy.id) is None


def test_a_reference_given_with_another_reason_is_not_kept(fresh_db, world, assessed, copy):
    main = _main(fresh_db, assessed)
    facts = prefill.facts_from_report(copy, world.org).model_copy(
        update={"lawful_basis": LawfulBasis.MELDRECHT}
    )
    assessment.save(fresh_db, world["dpo"], copy.id, facts)
    made = decisions.record(
        fresh_db,
        world["dpo"],
        copy.id,
        _duplicate(main.reference, not_breach_reason=NotBreachReason.MELDRECHT),
    )
    assert made.duplicate_of is None and made.not_breach_reason == "meldrecht"


def test_a_decision_stored_before_migration_0020_still_loads(fresh_db, world, assessed):
    incident_id, saved = assessed
    decisions.record(fresh_db, world["dpo"], incident_id, _follow(saved.advice))
    row = assessment_sql.latest_decision(fresh_db, incident_id)
    old = {k: v for k, v in row.items() if k not in ("consulted", "duplicate_of")}
    loaded = decisions.Decision.from_row(old)
    assert (loaded.consulted, loaded.duplicate_of, loaded.breach) == ("", None, True)
