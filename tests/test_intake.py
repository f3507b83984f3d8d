"""The employee's report: situations, which questions apply, and the validation rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import ValidationError

from datalek.intake.guidance import for_situation as guidance
from datalek.intake.report import MAX_DESCRIPTION, MAX_SHORT_TEXT, Report, applicable, validate_report
from datalek.intake.situations import Situation
from datalek.models import IncidentType, InvalidInput
from tests.conftest import NOW, make_report, report_values

P = pytest.param
ORG = 1

MAPPING = [
    ("email_wrong_person", "sent_by_mistake"),
    ("letter_wrong_address", "mail_misdelivered"),
    ("email_visible_recipients", "no_bcc"),
    ("wrong_document", "record_mixup"),
    ("device_lost", "device_lost_stolen"),
    ("paper_lost", "paper_lost"),
    ("published", "unintended_publication"),
    ("unauthorised_access", "incorrect_permissions"),
    ("hack", "hacking_malware"),
    ("phishing", "phishing"),
    ("data_lost", "data_deleted"),
    ("verbal", "verbal_disclosure"),
    ("other", "to_be_determined"),
]


def errors_of(values: dict) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        validate_report(values, NOW)
    return info.value.errors


def valid_for(situation: str, **changes) -> dict:
    """Complete answers for ``situation``: every question answered, applicable or not."""
    return report_values(ORG, situation=situation, **changes)


# --- situations --------------------------------------------------------------


def test_mapping_table_covers_every_situation():
    assert {s for s, _ in MAPPING} == {s.value for s in Situation}


@pytest.mark.parametrize(("situation", "incident_type"), MAPPING, ids=[s for s, _ in MAPPING])
def test_situation_maps_to_incident_type(situation, incident_type):
    assert Situation(situation).info.incident_type is IncidentType(incident_type)


@pytest.mark.parametrize("situation", list(Situation), ids=[s.value for s in Situation])
def test_situation_has_label_example_and_guidance(situation):
    assert situation.label.strip() and situation.label == situation.info.label
    assert len(situation.info.example) > 20
    advice = guidance(situation)
    assert advice and all(line.strip() for line in advice)
    # Situation-specific advice comes first, then the general don'ts that always apply.
    assert "Stuur de gegevens niet door, ook niet om te laten zien wat er misging." in advice
    assert len(advice) > 2


def test_situation_labels_are_distinct():
    labels = [s.label for s in Situation]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(("situation", "incident_type"), MAPPING, ids=[s for s, _ in MAPPING])
def test_submitted_report_keeps_its_situation(situation, incident_type):
    report = validate_report(valid_for(situation), NOW)
    assert report.situation is Situation(situation)
    assert report.situation.info.incident_type.value == incident_type


# --- which questions apply -----------------------------------------------------

APPLICABLE = [
    # situation, protection, recipients, retrieval
    P("email_wrong_person", True, True, True, id="email_wrong_person"),
    P("letter_wrong_address", False, True, True, id="letter_wrong_address-no-protection"),
    P("email_visible_recipients", False, True, True, id="email_visible_recipients"),
    P("wrong_document", True, True, True, id="wrong_document"),
    P("device_lost", True, False, True, id="device_lost-no-recipients"),
    P("paper_lost", False, False, True, id="paper_lost-no-protection-no-recipients"),
    P("published", False, True, True, id="published"),
    P("unauthorised_access", False, True, False, id="unauthorised_access-no-retrieval"),
    P("hack", True, False, False, id="hack-no-recipients-no-retrieval"),
    P("phishing", False, True, False, id="phishing-no-retrieval"),
    P("data_lost", False, False, True, id="data_lost-no-recipients"),
    P("verbal", False, True, False, id="verbal-no-retrieval"),
    P("other", True, True, True, id="other-asks-everything"),
]


@pytest.mark.parametrize(("situation", "protection", "recipients", "retrieval"), APPLICABLE)
def test_applicable_questions(situation, protection, recipients, retrieval):
    assert applicable(situation) == {
        "protection": protection,
        "recipients": recipients,
        "retrieval": retrieval,
    }
    assert applicable(Situation(situation)) == applicable(situation)


@pytest.mark.parametrize("situation", [None, "", "not-a-situation"], ids=["none", "empty", "unknown"])
def test_applicable_before_a_situation_is_chosen_asks_everything(situation):
    assert applicable(situation) == {"protection": True, "recipients": True, "retrieval": True}


@pytest.mark.parametrize("situation", ["letter_wrong_address", "paper_lost"])
def test_no_protection_question_for_paper(situation):
    assert applicable(situation)["protection"] is False


@pytest.mark.parametrize("situation", ["device_lost", "paper_lost", "hack", "data_lost"])
def test_no_recipients_question_when_nobody_received_it(situation):
    assert applicable(situation)["recipients"] is False


@pytest.mark.parametrize("situation", list(Situation), ids=[s.value for s in Situation])
def test_retrieval_question_exactly_where_defined(situation):
    question = situation.info.retrieval_question
    assert applicable(situation)["retrieval"] is (question is not None)
    if question is not None:
        assert question.endswith("?")


# --- validation rules --------------------------------------------------------------

MINUTES_6 = timedelta(minutes=6)
HOUR = timedelta(hours=1)
TOO_LONG = "x" * (MAX_DESCRIPTION + 1)

RULES = [
    # no personal details in the department (it shows in lists and on the dashboard)
    P(
        {"department": "Team van j.jansen@gemeente.nl"},
        "department",
        "alleen de naam",
        id="email-in-department",
    ),
    P({"department": "Wijkteam 1234 AB 5"}, "department", "alleen de naam", id="address-in-department"),
    # future dates (beyond the 5-minute clock skew)
    P(
        {"occurred_from": NOW + MINUTES_6, "discovered_at": NOW + MINUTES_6},
        "occurred_from",
        "in de toekomst",
        id="future-occurred_from",
    ),
    P(
        {"occurrence": "period", "occurred_to": NOW + HOUR},
        "occurred_to",
        "in de toekomst",
        id="future-occurred_to",
    ),
    P({"discovered_at": NOW + MINUTES_6}, "discovered_at", "in de toekomst", id="future-discovered_at"),
    # order of the dates
    P(
        {"occurred_from": NOW - 5 * HOUR, "discovered_at": NOW - 6 * HOUR},
        "discovered_at",
        "vóór het lek begon",
        id="discovered-before-occurred",
    ),
    P(
        {"occurrence": "period", "occurred_from": NOW - 5 * HOUR, "occurred_to": NOW - 6 * HOUR},
        "occurred_to",
        "Het lek eindigde",
        id="period-end-before-start",
    ),
    # dates that the chosen occurrence needs
    P({"occurred_from": None}, "occurred_from", "wanneer het gebeurde", id="moment-without-date"),
    P(
        {"occurrence": "ongoing", "occurred_from": None},
        "occurred_from",
        "wanneer het gebeurde",
        id="ongoing-without-start",
    ),
    P(
        {"occurrence": "period", "occurred_to": None},
        "occurred_to",
        "tot wanneer het duurde",
        id="period-without-end",
    ),
    P({"discovered_at": None}, "discovered_at", "wanneer je het ontdekte", id="missing-discovered_at"),
    # numbers
    P({"people_count": -1}, "people_count", "niet negatief", id="negative-count"),
    P({"people_count": "veel"}, "people_count", "heel getal", id="count-not-a-number"),
    P({"people_count": 10**9}, "people_count", "te groot", id="count-too-large"),
    P({"people_count": None}, "people_count", "aantal mensen", id="exact-count-missing"),
    P(
        {"people_count_kind": "approximate", "people_count": None},
        "people_count",
        "aantal mensen",
        id="approximate-count-missing",
    ),
    # required answers
    P({"situation": None}, "situation", "Kies wat er is gebeurd", id="missing-situation"),
    P({"situation": ""}, "situation", "Kies wat er is gebeurd", id="empty-situation"),
    P({"situation": "tsunami"}, "situation", "Kies een van de mogelijkheden", id="unknown-situation"),
    P({"occurrence": None}, "occurrence", "wanneer het gebeurde", id="missing-occurrence"),
    P({"people_count_kind": None}, "people_count_kind", "precies weet", id="missing-count-kind"),
    P({"description": ""}, "description", "Beschrijf kort", id="missing-description"),
    P({"description": "   \n "}, "description", "Beschrijf kort", id="blank-description"),
    P({"department": ""}, "department", "afdeling", id="missing-department"),
    P({"data_kinds": []}, "data_kinds", "minstens één soort gegevens", id="data_kinds-empty"),
    P({"data_kinds": None}, "data_kinds", "minstens één soort gegevens", id="data_kinds-none"),
    P({"subject_groups": []}, "subject_groups", "over wie het gaat", id="subject_groups-empty"),
    P({"recipients": []}, "recipients", "wie het kreeg", id="email-recipients-empty"),
    P({"recipients": None}, "recipients", "wie het kreeg", id="email-recipients-none"),
    P({"protection": None}, "protection", "beveiligd waren", id="email-protection-missing"),
    P({"retrieval": None}, "retrieval", "Kies een antwoord", id="retrieval-missing"),
    P(
        {"situation": "device_lost", "protection": ""},
        "protection",
        "beveiligd waren",
        id="device-protection-missing",
    ),
    P(
        {"situation": "data_lost", "retrieval": None},
        "retrieval",
        "Kies een antwoord",
        id="data_lost-retrieval-missing",
    ),
    P(
        {"situation": "published", "recipients": []},
        "recipients",
        "wie het kreeg",
        id="published-recipients-missing",
    ),
    P(
        {"data_kinds": ["name_address", "passport_photo"]},
        "data_kinds",
        "Kies een van de mogelijkheden",
        id="unknown-data-kind",
    ),
    # lengths
    P(
        {"description": TOO_LONG},
        "description",
        f"hoogstens {MAX_DESCRIPTION} tekens",
        id="description-too-long",
    ),
    P(
        {"actions_taken": "x" * (MAX_SHORT_TEXT + 1)},
        "actions_taken",
        f"hoogstens {MAX_SHORT_TEXT} tekens",
        id="actions-too-long",
    ),
    P({"department": "x" * 101}, "department", "te lang", id="department-too-long"),
]


@pytest.mark.parametrize(("changes", "field", "fragment"), RULES)
def test_validation_rule(changes, field, fragment):
    errors = errors_of(report_values(ORG, **changes))
    assert field in errors, errors
    assert fragment in errors[field]


@pytest.mark.parametrize(
    "missing",
    [
        "situation",
        "occurrence",
        "discovered_at",
        "department",
        "data_kinds",
        "subject_groups",
        "people_count_kind",
        "description",
        "org_id",
    ],
)
def test_a_missing_key_gets_the_required_message(missing):
    values = report_values(ORG)
    del values[missing]
    errors = errors_of(values)
    assert missing in errors
    assert "klopt niet" not in errors[missing]


def test_every_message_is_dutch_text_not_a_pydantic_message():
    values = report_values(
        ORG,
        situation=None,
        department="",
        description="",
        data_kinds=[],
        subject_groups=[],
        people_count=-3,
        discovered_at=None,
        occurrence="period",
        occurred_to=None,
    )
    for message in errors_of(values).values():
        assert "Input should" not in message and "validation error" not in message
        assert message.endswith(".")


@pytest.mark.parametrize(
    "changes",
    [
        P({"discovered_at": NOW + timedelta(minutes=4)}, id="discovered-within-skew"),
        P(
            {"occurred_from": NOW + timedelta(minutes=4), "discovered_at": NOW + timedelta(minutes=4)},
            id="occurred-within-skew",
        ),
        P({"discovered_at": NOW}, id="discovered-now"),
        P({"discovered_at": NOW - 5 * HOUR}, id="discovered-at-the-moment-it-happened"),
        P({"occurrence": "period", "occurred_to": NOW - 5 * HOUR}, id="period-of-zero-length"),
        P({"people_count": 0}, id="zero-people"),
        P({"description": "x" * MAX_DESCRIPTION}, id="description-at-limit"),
    ],
)
def test_boundaries_that_are_accepted(changes):
    validate_report(report_values(ORG, **changes), NOW)


def test_people_count_not_required_when_unknown():
    report = make_report(ORG, people_count_kind="unknown", people_count=None)
    assert report.people_count is None


def test_people_count_dropped_when_unknown():
    report = make_report(ORG, people_count_kind="unknown", people_count=-5)
    assert report.people_count is None


@pytest.mark.parametrize("kind", ["exact", "approximate"])
def test_people_count_kept_when_known(kind):
    assert make_report(ORG, people_count_kind=kind, people_count=12).people_count == 12


def test_several_errors_are_reported_at_once():
    errors = errors_of(
        report_values(
            ORG,
            department="",
            description="",
            data_kinds=[],
            subject_groups=[],
            people_count=-1,
            protection=None,
            recipients=[],
            retrieval=None,
            discovered_at=NOW + timedelta(days=1),
        )
    )
    assert set(errors) >= {
        "department",
        "description",
        "data_kinds",
        "subject_groups",
        "people_count",
        "protection",
        "recipients",
        "retrieval",
        "discovered_at",
    }


def test_an_empty_form_names_every_required_field():
    errors = errors_of({})
    assert set(errors) >= {
        "situation",
        "occurrence",
        "discovered_at",
        "department",
        "data_kinds",
        "subject_groups",
        "people_count_kind",
        "description",
        "org_id",
        "protection",
        "recipients",
        "retrieval",
    }


# --- questions that do not apply are dropped, not refused ------------------------------

DROPPED = [
    P("letter_wrong_address", {"protection": "encrypted"}, "protection", id="letter-protection"),
    P("paper_lost", {"protection": "password"}, "protection", id="paper-protection"),
    P("letter_wrong_address", {"protection": "not-an-option"}, "protection", id="letter-invalid-protection"),
    P("device_lost", {"recipients": ["public"]}, "recipients", id="device-recipients"),
    P("paper_lost", {"recipients": ["unknown_people"]}, "recipients", id="paper-recipients"),
    P("hack", {"recipients": ["nonsense"]}, "recipients", id="hack-invalid-recipients"),
    P("data_lost", {"recipients": ["known_person"]}, "recipients", id="data_lost-recipients"),
    P("hack", {"retrieval": "confirmed"}, "retrieval", id="hack-retrieval"),
    P("phishing", {"retrieval": "no"}, "retrieval", id="phishing-retrieval"),
    P("unauthorised_access", {"retrieval": "bogus"}, "retrieval", id="access-invalid-retrieval"),
    P("verbal", {"retrieval": "confirmed"}, "retrieval", id="verbal-retrieval"),
]


@pytest.mark.parametrize(("situation", "changes", "field"), DROPPED)
def test_answer_to_a_question_that_does_not_apply_is_dropped(situation, changes, field):
    report = validate_report(valid_for(situation, **changes), NOW)
    assert getattr(report, field) is None
    assert report.answers()[field] is None


def test_missing_answers_to_questions_that_do_not_apply_are_fine():
    report = validate_report(
        valid_for("paper_lost", protection=None, recipients=None, retrieval="unknown"), NOW
    )
    assert report.retrieval.value == "unknown"
    report = validate_report(valid_for("hack", recipients=None, retrieval=None), NOW)
    assert report.protection.value == "none"


def test_dates_that_do_not_apply_are_dropped():
    unknown = make_report(ORG, occurrence="unknown", occurred_from=NOW + timedelta(days=3))
    assert unknown.occurred_from is None and unknown.occurred_to is None
    moment = make_report(ORG, occurrence="moment", occurred_to=NOW - 6 * HOUR)
    assert moment.occurred_to is None
    ongoing = make_report(ORG, occurrence="ongoing", occurred_to=NOW + timedelta(days=3))
    assert ongoing.occurred_to is None and ongoing.occurred_from is not None


def test_weet_ik_niet_is_accepted_everywhere():
    report = make_report(
        ORG,
        occurrence="unknown",
        occurred_from=None,
        data_kinds=["unknown"],
        subject_groups=["unknown"],
        people_count_kind="unknown",
        people_count=None,
        protection="unknown",
        recipients=["unknown"],
        retrieval="unknown",
    )
    answers = report.answers()
    assert answers == {
        "occurrence": "unknown",
        "data_kinds": ["unknown"],
        "subject_groups": ["unknown"],
        "people_count_kind": "unknown",
        "people_count": None,
        "protection": "unknown",
        "recipients": ["unknown"],
        "retrieval": "unknown",
    }
    for enum_value, label in [
        (report.occurrence, "Weet ik niet"),
        (report.protection, "Weet ik niet"),
        (report.retrieval, "Weet ik niet"),
        (report.people_count_kind, "Weet ik niet"),
        (report.data_kinds[0], "Weet ik niet"),
        (report.subject_groups[0], "Weet ik niet"),
        (report.recipients[0], "Weet ik niet"),
    ]:
        assert enum_value.label == label


def test_text_is_stripped():
    report = make_report(ORG, department="  Jeugd  ", description="  Map kwijt.\n")
    assert report.department == "Jeugd"
    assert report.description == "Map kwijt."


def test_report_is_immutable():
    report = make_report(ORG)
    with pytest.raises(ValidationError):
        report.description = "anders"  # type: ignore[misc]


def test_answers_contain_no_free_text():
    secret_description = "Zwanenburg stuurde het verslag van Pietje door"
    secret_actions = "Kwakkelstein gebeld"
    report = make_report(
        ORG, description=secret_description, actions_taken=secret_actions, department="Geheimteam"
    )
    answers = report.answers()
    assert set(answers) == {
        "occurrence",
        "data_kinds",
        "subject_groups",
        "people_count_kind",
        "people_count",
        "protection",
        "recipients",
        "retrieval",
    }
    dumped = json.dumps(answers)
    for word in ("Zwanenburg", "Pietje", "Kwakkelstein", "Geheimteam"):
        assert word not in dumped
    assert isinstance(Report.model_validate(report.model_dump()), Report)
