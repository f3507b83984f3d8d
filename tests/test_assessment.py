"""The FG's assessment: prefill from the report, versions with their advice, permissions."""

from datetime import timedelta

import pytest

from datalek import store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import assessment, incidents, prefill
from datalek.intake.situations import CountKind, Retrieval
from datalek.models import IncidentType, InvalidInput, Nature, Status
from datalek.triage.facts import (
    Cause,
    ConfidentialityState,
    DataCategory,
    Exfiltration,
    Facts,
    PeopleGroup,
    RecipientKind,
    Unintelligible,
)
from tests.conftest import NOW, make_report


def _incident(db, world, **changes):
    return incidents.submit_report(db, world["reporter"], make_report(world.org.id, **changes), at=NOW)


@pytest.mark.parametrize(
    ("situation", "incident_type", "cause", "natures"),
    [
        (
            "email_wrong_person",
            IncidentType.SENT_BY_MISTAKE,
            Cause.INTERNAL_NON_MALICIOUS,
            [Nature.CONFIDENTIALITY],
        ),
        (
            "hack",
            IncidentType.HACKING_MALWARE,
            Cause.EXTERNAL_MALICIOUS,
            [Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY],
        ),
        (
            "device_lost",
            IncidentType.DEVICE_LOST_STOLEN,
            Cause.UNKNOWN,
            [Nature.CONFIDENTIALITY, Nature.AVAILABILITY],
        ),
        ("unauthorised_access", IncidentType.INCORRECT_PERMISSIONS, Cause.TBD, [Nature.CONFIDENTIALITY]),
        ("data_lost", IncidentType.DATA_DELETED, Cause.INTERNAL_NON_MALICIOUS, [Nature.AVAILABILITY]),
    ],
    ids=lambda v: getattr(v, "value", v) if not isinstance(v, list) else "+".join(n.value for n in v),
)
def test_prefill_takes_type_cause_and_nature_from_the_situation(
    fresh_db, world, situation, incident_type, cause, natures
):
    incident = _incident(fresh_db, world, situation=situation)
    facts = prefill.facts_from_report(incident, world.org)
    assert (facts.incident_type, facts.cause, facts.natures) == (incident_type, cause, natures)
    assert facts.aware_at == incident.aware_at


@pytest.mark.parametrize(
    ("protection", "expected"),
    [
        ("encrypted", Unintelligible.TBD),
        ("password", Unintelligible.SUBVERTIBLE),
        ("none", Unintelligible.NO),
        ("unknown", Unintelligible.TBD),
    ],
    ids=[
        "employee-says-encrypted->fg-must-confirm",
        "password->subvertible",
        "none->readable",
        "unknown->tbd",
    ],
)
def test_prefill_never_trusts_encryption_without_the_dpo(fresh_db, world, protection, expected):
    facts = prefill.facts_from_report(_incident(fresh_db, world, protection=protection), world.org)
    assert facts.unintelligible is expected


def test_prefill_maps_data_people_and_recipients(fresh_db, world):
    incident = _incident(
        fresh_db,
        world,
        data_kinds=["name_address", "bsn", "child_protection"],
        subject_groups=["children", "parents"],
        recipients=["professional"],
        retrieval="confirmed",
    )
    facts = prefill.facts_from_report(incident, world.org.model_copy(update={"youth_care": True}))
    assert facts.data_categories == [  # "Naam en adres" as such: no date of birth, phone or e-mail
        DataCategory.NAME_ADDRESS,
        DataCategory.BSN,
        DataCategory.CHILD_PROTECTION,
    ]
    assert facts.groups == [PeopleGroup.MINORS, PeopleGroup.PARENTS]
    assert facts.recipients == [RecipientKind.TRUSTED]
    assert facts.child_safety and facts.family_file and facts.youth_care_controller
    assert facts.confidentiality is ConfidentialityState.DISCLOSED
    assert facts.exfiltration is Exfiltration.NOT_APPLICABLE


def test_save_keeps_versions_with_the_advice_of_that_moment(fresh_db, world):
    incident = _incident(fresh_db, world)
    dpo = world["dpo"]
    facts = prefill.facts_from_report(incident, world.org)
    first = assessment.save(fresh_db, dpo, incident.id, facts, "gevolgen", "maatregelen")
    changed = facts.model_copy(
        update={
            "recipients": [RecipientKind.TRUSTED],
            "retrieval": Retrieval.CONFIRMED,
            "unintelligible": Unintelligible.INTACT,
        }
    )
    second = assessment.save(fresh_db, dpo, incident.id, changed)
    assert (first.version, second.version) == (1, 2)
    stored = assessment.versions(fresh_db, dpo, incident.id)
    assert [v["version"] for v in stored] == [1, 2]
    assert stored[0]["notify_authority"] == int(first.advice.notify_authority)
    assert assessment.current(fresh_db, dpo, incident.id).facts == changed


def test_first_save_takes_the_incident_in_progress_and_is_audited(fresh_db, world):
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org)
    later = facts.aware_at + timedelta(hours=1)
    moved = facts.model_copy(update={"aware_at": later})
    assessment.save(fresh_db, world["dpo"], incident.id, moved, reason="Pas toen gemeld bij het team.")
    row = fresh_db.execute("SELECT status, aware_at FROM incidents WHERE id = ?", [incident.id]).fetchone()
    assert row[0] == Status.IN_PROGRESS.value
    assert row[1] == later.isoformat()
    actions = [r[0] for r in fresh_db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-3:] == ["incident.awareness", "incident.status", "assessment.save"]


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_of_the_organisation_may_assess(fresh_db, world, who):
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org)
    with pytest.raises(PermissionDenied):
        assessment.save(fresh_db, world[who], incident.id, facts)
    with pytest.raises(PermissionDenied):
        assessment.current(fresh_db, world[who], incident.id)
    last = fresh_db.execute("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert last[0] == "refused" and "assessment.read" in last[1]


def test_future_awareness_and_overlong_text_are_refused(fresh_db, world):
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org)
    future = facts.model_copy(update={"aware_at": NOW + timedelta(days=3650)})
    with pytest.raises(InvalidInput) as refused:
        assessment.save(fresh_db, world["dpo"], incident.id, future, "x" * 4001, reason="Later gehoord.")
    assert set(refused.value.errors) == {"aware_at", "effects"}
    with store.unit() as db:
        assert db.execute("SELECT count(*) FROM assessments").fetchone()[0] == 0


def test_a_save_on_top_of_a_newer_version_is_refused_not_lost(fresh_db, world):
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org)
    assessment.save(fresh_db, world["dpo"], incident.id, facts, "eerste", "", expected_version=0)
    with pytest.raises(InvalidInput) as refused:  # a second FG still looking at "no version yet"
        assessment.save(fresh_db, world["dpo"], incident.id, facts, "tweede", "", expected_version=0)
    assert "versie 1" in refused.value.errors["form"]
    assert [v["version"] for v in assessment.versions(fresh_db, world["dpo"], incident.id)] == [1]
    assert assessment.current(fresh_db, world["dpo"], incident.id).effects == "eerste"


# --- the rules of the assessment form, in the core (the form and every other caller) ------------

COMPLETE = {
    "natures": ["confidentiality"],
    "data_categories": ["basic"],
    "groups": ["clients"],
    "recipients": ["known"],
    "people_count_kind": "exact",
    "people_count": 3,
    "records_count_kind": "unknown",
    "records_count": 12,
    "backup": "yes",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"natures": []}, "natures", "Kies minstens één soort inbreuk."),
        ({"data_categories": []}, "data_categories", "Kies minstens één soort gegevens (of 'Nog onbekend')."),
        ({"groups": []}, "groups", "Kies minstens één groep (of 'Nog onbekend')."),
        ({"recipients": []}, "recipients", "Kies minstens één soort ontvanger (of 'Nog te bepalen')."),
        ({"people_count": None}, "people_count", "Vul het aantal in, of kies 'Weet ik niet'."),
        (
            {"people_count_kind": "approximate", "people_count": None},
            "people_count",
            "Vul het aantal in, of kies 'Weet ik niet'.",
        ),
        (
            {"records_count_kind": "exact", "records_count": None},
            "records_count",
            "Vul het aantal in, of kies 'Weet ik niet'.",
        ),
    ],
    ids=[
        "no-nature",
        "no-data",
        "no-group",
        "no-recipient",
        "exact-without-number",
        "about-without-number",
        "records-without-number",
    ],
)
def test_the_form_answers_are_judged_in_the_core(changes, field, message):
    with pytest.raises(InvalidInput) as refused:
        assessment.facts_from_answers({**COMPLETE, **changes}, NOW)
    assert refused.value.errors == {field: message}


def test_answers_become_facts_and_back():
    facts = assessment.facts_from_answers(COMPLETE, NOW)
    assert facts.backup_available is True
    assert facts.records_count is None  # "weet ik niet" forgets a number typed before
    assert facts.people_count == 3
    again = assessment.facts_from_answers(assessment.answers_for(facts), facts.aware_at)
    assert again == facts


def test_without_the_moment_of_awareness_nothing_is_saved():
    with pytest.raises(InvalidInput) as refused:
        assessment.facts_from_answers(COMPLETE, None)
    assert refused.value.errors == {"aware_at": "Vul in wanneer de organisatie het wist."}


DISCOVERED = NOW - timedelta(hours=2)  # make_report's discovery: the awareness as reported


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        (Facts(aware_at=DISCOVERED, natures=[Nature.CONFIDENTIALITY]), set()),
        (Facts(aware_at=DISCOVERED), {"natures"}),
        (
            Facts(aware_at=DISCOVERED, natures=[Nature.INTEGRITY], people_count_kind=CountKind.EXACT),
            {"people_count"},
        ),
        (Facts(aware_at=DISCOVERED, natures=[Nature.INTEGRITY], data_categories=[]), {"data_categories"}),
    ],
    ids=["complete", "no-nature", "exact-without-number", "no-data"],
)
def test_save_refuses_what_the_form_refuses(fresh_db, world, facts, fields):
    """Every caller of ``save`` gets the form's rules, not only the screen."""
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    if not fields:
        assert assessment.save(fresh_db, world["dpo"], incident.id, facts).version == 1
        return
    with pytest.raises(InvalidInput) as refused:
        assessment.save(fresh_db, world["dpo"], incident.id, facts)
    assert set(refused.value.errors) == fields
    assert assessment.current(fresh_db, world["dpo"], incident.id) is None
