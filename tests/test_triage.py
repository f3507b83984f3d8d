"""The triage engine: the EDPB example cases, the youth-care cases, and every rule of the advice.
Each case states its reasoning in its id."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from datalek import clock
from datalek.cli import main
from datalek.intake.situations import CountKind, Retrieval
from datalek.models import IncidentType as T
from datalek.models import Nature
from datalek.triage import Advice, Art34Exception, RiskLevel, assess
from datalek.triage.facts import AvailabilityEffect as E
from datalek.triage.facts import AvailabilityState as AV
from datalek.triage.facts import Cause, Facts, IntegrityState, LawfulBasis
from datalek.triage.facts import ConfidentialityState as CS
from datalek.triage.facts import DataCategory as D
from datalek.triage.facts import Exfiltration as X
from datalek.triage.facts import PeopleGroup as G
from datalek.triage.facts import RecipientKind as R
from datalek.triage.facts import Unintelligible as U

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
C, I, A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY  # noqa: E741 - C, I, A as in "CIA"


def known(**kw) -> Facts:
    """An e-mail with a name and address sent to one wrong, known person: every key fact known."""
    base = {
        "aware_at": NOW - timedelta(hours=10),
        "natures": [C],
        "confidentiality": CS.DISCLOSED,
        "incident_type": T.SENT_BY_MISTAKE,
        "cause": Cause.INTERNAL_NON_MALICIOUS,
        "data_categories": [D.BASIC, D.CONTACT],
        "groups": [G.RESIDENTS],
        "people_count_kind": CountKind.EXACT,
        "people_count": 1,
        "unintelligible": U.NO,
        "recipients": [R.KNOWN],
        "retrieval": Retrieval.UNCONFIRMED,
        "exfiltration": X.NOT_APPLICABLE,
    }
    return Facts(**{**base, **kw})


RANSOMWARE = dict(
    natures=[A],
    confidentiality=None,
    availability=AV.TEMPORARY,
    incident_type=T.RANSOMWARE,
    cause=Cause.EXTERNAL_MALICIOUS,
    recipients=[R.MALICIOUS],
    backup_available=True,
    restore_hours=4.0,
    exfiltration=X.EXCLUDED,
    people_count=2000,
)
STOLEN = dict(
    natures=[C, A],
    incident_type=T.DEVICE_LOST_STOLEN,
    cause=Cause.EXTERNAL_MALICIOUS,
    recipients=[R.MALICIOUS],
    confidentiality=CS.LIKELY,
    availability=AV.TEMPORARY,
    backup_available=True,
    restore_hours=2.0,
)
TRUSTED = dict(data_categories=[D.BASIC, D.HEALTH], recipients=[R.TRUSTED], retrieval=Retrieval.CONFIRMED)


def case(id, risk, notify, inform, **facts):
    return pytest.param(known(**facts), risk, notify, inform, id=id)


N, RK, H = RiskLevel.NONE, RiskLevel.RISK, RiskLevel.HIGH
CASES = [
    # EDPB Guidelines 01/2021 (docs/domain/rules.md §5)
    case(
        "edpb-1-ransomware-backup-encrypted-at-rest-exfil-excluded->record-only",
        N,
        False,
        False,
        **RANSOMWARE,
        unintelligible=U.INTACT,
    ),
    case(
        "edpb-1-ransomware-backup-restored-within-hours-exfil-excluded->record-only",
        N,
        False,
        False,
        **RANSOMWARE,
    ),
    case(
        "edpb-2-ransomware-no-backup-care-files-lost->high-risk",
        H,
        True,
        True,
        **{**RANSOMWARE, "backup_available": False, "availability": AV.PERMANENT, "restore_hours": None},
        data_categories=[D.BASIC, D.CARE_FILE],
        groups=[G.CLIENTS],
        availability_effect=E.HARM,
    ),
    case(
        "edpb-3-long-unavailability-of-care-critical-data->high-risk",
        H,
        True,
        True,
        **{**RANSOMWARE, "restore_hours": 96.0},
        data_categories=[D.BASIC, D.HEALTH],
        groups=[G.PATIENTS],
        availability_effect=E.DELAYED,
        effect_hours=96.0,
    ),
    case(
        "edpb-3-care-files-back-within-hours-care-delayed-for-hours->risk-not-record-only",
        RK,
        True,
        False,
        **RANSOMWARE,
        data_categories=[D.BASIC, D.CARE_FILE],
        groups=[G.CLIENTS],
        availability_effect=E.DELAYED,
        effect_hours=3.0,
    ),
    case(
        "edpb-4-ransomware-with-exfiltration-of-health-data->high-risk",
        H,
        True,
        True,
        **{**RANSOMWARE, "natures": [C, A], "confidentiality": CS.DISCLOSED, "exfiltration": X.CONFIRMED},
        data_categories=[D.BASIC, D.HEALTH],
    ),
    case(
        "edpb-6-hashed-salted-credentials-exfiltrated->record-only",
        N,
        False,
        False,
        data_categories=[D.CREDENTIALS],
        incident_type=T.HACKING_MALWARE,
        cause=Cause.EXTERNAL_MALICIOUS,
        recipients=[R.MALICIOUS],
        unintelligible=U.INTACT,
        exfiltration=X.CONFIRMED,
        people_count=5000,
    ),
    case(
        "edpb-10-stolen-laptop-full-disk-encryption-and-backup->record-only",
        N,
        False,
        False,
        **STOLEN,
        unintelligible=U.INTACT,
        data_categories=[D.BASIC, D.HEALTH],
        people_count=300,
    ),
    case(
        "edpb-11-stolen-unencrypted-laptop-many-people->high-risk",
        H,
        True,
        True,
        **STOLEN,
        people_count=800,
        data_categories=[D.BASIC, D.CONTACT, D.FINANCIAL],
    ),
    case("edpb-9-trusted-recipient-confirms-deletion->record-only", N, False, False, **TRUSTED),
    case(
        "edpb-8-employee-takes-client-contacts-for-own-business->notify-ap-not-inform",
        RK,
        True,
        False,
        cause=Cause.INTERNAL_MALICIOUS,
        incident_type=T.EXFILTRATION,
        recipients=[R.MALICIOUS],
        data_categories=[D.CONTACT],
        people_count_kind=CountKind.APPROXIMATE,
        people_count=250,
        exfiltration=X.CONFIRMED,
    ),
    case(
        "edpb-12-stolen-paper-health-files-of-a-rehab-clinic->high-risk-inform",
        H,
        True,
        True,
        natures=[C, A],
        incident_type=T.PAPER_LOST,
        cause=Cause.EXTERNAL_MALICIOUS,
        recipients=[R.MALICIOUS],
        availability=AV.TEMPORARY,
        backup_available=True,
        restore_hours=8.0,
        data_categories=[D.BASIC, D.HEALTH],
        groups=[G.PATIENTS],
        people_count=40,
    ),
    # The youth-care cases
    case(
        "youth-jeugdhulp-report-emailed-to-the-wrong-parent->high-notify-inform",
        H,
        True,
        True,
        data_categories=[D.BASIC, D.CARE_FILE],
        groups=[G.MINORS, G.PARENTS],
        people_count=3,
        youth_care_controller=True,
        professional_secrecy=True,
        family_file=True,
    ),
    case(
        "youth-mental-health-newsletter-all-addresses-in-cc->being-a-client-is-sensitive-notify-inform",
        H,
        True,
        True,
        incident_type=T.NO_BCC,
        data_categories=[D.CONTACT],
        groups=[G.MINORS, G.PARENTS],
        people_count=120,
        youth_care_controller=True,
    ),
    case(
        "youth-colleague-opens-a-childs-file-without-reason->notify",
        H,
        True,
        True,
        incident_type=T.ABUSE_OF_ACCESS,
        cause=Cause.INTERNAL_MALICIOUS,
        data_categories=[D.BASIC, D.CARE_FILE],
        groups=[G.MINORS],
        recipients=[R.KNOWN],
        youth_care_controller=True,
    ),
    case(
        "youth-veilig-thuis-report-lost-on-the-train->high-risk",
        H,
        True,
        True,
        natures=[C],
        incident_type=T.PAPER_LOST,
        cause=Cause.INTERNAL_NON_MALICIOUS,
        confidentiality=CS.LIKELY,
        recipients=[R.UNKNOWN],
        data_categories=[D.BASIC, D.CHILD_PROTECTION],
        groups=[G.MINORS, G.PARENTS],
        child_safety=True,
        family_file=True,
    ),
    # Ordinary municipal cases
    case(
        "letter-with-name-and-address-to-a-neighbour->notify-when-in-doubt",
        RK,
        True,
        False,
        incident_type=T.MAIL_MISDELIVERED,
    ),
    case(
        "health-report-to-the-wrong-doctor-deletion-not-confirmed->notify-not-inform",
        RK,
        True,
        False,
        **{**TRUSTED, "retrieval": Retrieval.UNCONFIRMED},
    ),
    case(
        "art-46-uavg-bsn-letter-to-one-known-neighbour->identity-fraud-high-risk-inform",
        H,
        True,
        True,
        data_categories=[D.BASIC, D.BSN],
        incident_type=T.MAIL_MISDELIVERED,
    ),
    case(
        "bsn-and-id-copy-published-online->identity-fraud-high-risk",
        H,
        True,
        True,
        data_categories=[D.BSN, D.BASIC, D.ID_DOCUMENT],
        recipients=[R.PUBLIC],
        incident_type=T.UNINTENDED_PUBLICATION,
    ),
    case(
        "device-found-back-evidence-nobody-looked->record-only",
        N,
        False,
        False,
        confidentiality=CS.NOT_DISCLOSED,
        incident_type=T.DEVICE_LOST_STOLEN,
        recipients=[R.NONE],
    ),
    case(
        "care-file-altered-original-lost->high-risk-by-enisa",
        H,
        True,
        True,
        natures=[I],
        confidentiality=None,
        integrity=IntegrityState.ALTERED_IRREVERSIBLE,
        incident_type=T.UNAUTHORISED_MODIFICATION,
        recipients=[R.NONE],
        data_categories=[D.BASIC, D.CARE_FILE],
        groups=[G.CLIENTS],
    ),
]


@pytest.mark.parametrize(("facts", "risk", "notify", "inform"), CASES)
def test_case(facts, risk, notify, inform):
    advice = assess(facts, NOW)
    assert advice.is_breach and advice.enisa is not None
    assert (advice.risk, advice.notify_authority, advice.inform_subjects) == (risk, notify, inform)
    assert not advice.phased, "every key fact is known in these cases"
    if D.CREDENTIALS not in facts.data_categories:
        assert not advice.missing


# --- 1. not a breach -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "basis", [b for b in LawfulBasis if b is not LawfulBasis.NONE], ids=lambda b: b.value
)
def test_lawful_sharing_is_no_breach_and_names_the_basis(basis):
    advice = assess(known(lawful_basis=basis, data_categories=[D.CHILD_PROTECTION], groups=[G.MINORS]), NOW)
    assert not advice.is_breach and advice.risk is None and advice.enisa is None
    assert not advice.notify_authority and not advice.inform_subjects and not advice.late
    assert basis.label in advice.breach_reasons[0].text and "geen datalek" in advice.breach_reasons[0].text
    assert advice.summary().startswith("Geen datalek")


def test_no_personal_data_is_no_breach():
    advice = assess(known(personal_data=False, aware_at=NOW - timedelta(hours=100)), NOW)
    assert not advice.is_breach and advice.enisa is None and advice.risk is None
    assert (advice.notify_authority, advice.inform_subjects, advice.late) == (False, False, False)
    assert advice.breach_reasons[0].ref == "art. 4 sub 12 AVG"


# --- 4. unknown key facts never give 'no risk' ----------------------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        pytest.param(
            known(**TRUSTED, groups=[G.UNKNOWN]), "groups", id="trusted-recipient-but-groups-unknown"
        ),
        pytest.param(
            known(**{**TRUSTED, "data_categories": [D.UNKNOWN]}),
            "data_categories",
            id="trusted-recipient-but-data-unknown",
        ),
        pytest.param(known(**TRUSTED, cause=Cause.TBD), "cause", id="trusted-recipient-but-cause-open"),
        pytest.param(known(**{**TRUSTED, "recipients": [R.TBD]}), "recipients", id="recipient-open"),
        pytest.param(
            known(confidentiality=CS.TBD, incident_type=T.DEVICE_LOST_STOLEN, recipients=[R.NONE]),
            "confidentiality",
            id="found-back-but-not-yet-known-if-read",
        ),
        pytest.param(
            known(confidentiality=CS.NOT_ASSESSABLE, incident_type=T.DEVICE_LOST_STOLEN, recipients=[R.NONE]),
            "confidentiality",
            id="found-back-cannot-tell-if-read",
        ),
        pytest.param(
            known(**STOLEN, unintelligible=U.TBD), "unintelligible", id="stolen-laptop-encryption-open"
        ),
        pytest.param(
            known(**STOLEN, unintelligible=U.NOT_ASSESSABLE),
            "unintelligible",
            id="stolen-laptop-encryption-not-assessable",
        ),
        pytest.param(
            known(**{**RANSOMWARE, "exfiltration": X.UNKNOWN}),
            "exfiltration",
            id="ransomware-exfiltration-open",
        ),
        pytest.param(
            known(**{**RANSOMWARE, "data_categories": [D.UNKNOWN]}),
            "data_categories",
            id="ransomware-data-unknown",
        ),
        pytest.param(
            known(**{**RANSOMWARE, "backup_available": None}), "backup_available", id="ransomware-backup-open"
        ),
        pytest.param(
            known(**{**RANSOMWARE, "restore_hours": None}),
            "backup_available",
            id="ransomware-restore-time-open",
        ),
        pytest.param(known(natures=[]), "natures", id="kind-of-breach-open"),
    ],
)
def test_an_unknown_key_fact_gives_a_phased_notification_and_is_named(facts, field):
    advice = assess(facts, NOW)
    assert advice.risk is not RiskLevel.NONE and advice.notify_authority and advice.phased
    assert field in {m.field for m in advice.missing}
    assert any(r.ref == "art. 33 lid 4 AVG" for r in advice.reasons), "notify now, supplement later"
    answered = {m.field: m for m in advice.missing}[field]
    assert answered.label and answered.effect.endswith(".")


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(
            known(**{**TRUSTED, "confidentiality": CS.TBD}), id="whether-read-is-moot-after-trusted-deletion"
        ),
        pytest.param(
            known(
                **{**STOLEN, "recipients": [R.TBD], "confidentiality": CS.NOT_ASSESSABLE},
                unintelligible=U.INTACT,
                data_categories=[D.BASIC, D.HEALTH],
            ),
            id="who-has-the-encrypted-laptop-is-moot",
        ),
    ],
)
def test_an_open_question_that_cannot_matter_does_not_block_record_only(facts):
    advice = assess(facts, NOW)
    assert advice.risk is RiskLevel.NONE and not advice.phased


def test_the_missing_facts_say_what_a_known_answer_would_change():
    advice = assess(known(recipients=[R.TBD], confidentiality=CS.TBD, unintelligible=U.TBD), NOW)
    assert advice.risk is RiskLevel.RISK and advice.phased
    missing = {m.field: m.effect for m in advice.missing}
    assert set(missing) == {"recipients", "confidentiality", "unintelligible"}
    assert missing["recipients"] == (
        "Als de ontvanger een professional met geheimhoudingsplicht is die verwijdering "
        "bevestigt, hoef je niet te melden bij de AP."
    )
    assert missing["unintelligible"].startswith("Als ze goed versleuteld waren")


def test_unknown_data_kinds_can_raise_the_advice_to_informing():
    advice = assess(known(data_categories=[D.UNKNOWN]), NOW)
    effect = {m.field: m.effect for m in advice.missing}["data_categories"]
    assert "Als er gezondheidsgegevens bij zitten, moet je de betrokkenen informeren." in effect


def test_open_encryption_of_a_stolen_laptop_with_health_data_is_high_until_known():
    advice = assess(known(**STOLEN, unintelligible=U.TBD, data_categories=[D.BASIC, D.HEALTH]), NOW)
    assert advice.risk is RiskLevel.HIGH and advice.inform_subjects and advice.phased
    effect = {m.field: m.effect for m in advice.missing}["unintelligible"]
    assert "hoef je niet te melden bij de AP en hoef je de betrokkenen niet te informeren" in effect


def test_credentials_without_what_they_open_are_a_missing_fact():
    advice = assess(
        known(
            data_categories=[D.CREDENTIALS],
            incident_type=T.PHISHING,
            cause=Cause.EXTERNAL_MALICIOUS,
            recipients=[R.MALICIOUS],
            exfiltration=X.CONFIRMED,
        ),
        NOW,
    )
    labels = {m.label: m for m in advice.missing}
    assert labels["Waar de inloggegevens toegang toe geven"].field == "data_categories"
    assert "gezondheidsgegevens" in labels["Waar de inloggegevens toegang toe geven"].effect


def test_an_unknown_number_of_people_is_named_only_when_it_matters():
    many = assess(
        known(
            **STOLEN,
            data_categories=[D.BASIC, D.CONTACT],
            people_count_kind=CountKind.UNKNOWN,
            people_count=None,
        ),
        NOW,
    )
    assert many.risk is RiskLevel.RISK
    assert (
        "Als het om duizenden mensen gaat, moet je de betrokkenen informeren."
        in {m.field: m.effect for m in many.missing}["people_count"]
    )
    few = assess(known(people_count_kind=CountKind.UNKNOWN, people_count=None), NOW)
    assert "people_count" not in {m.field for m in few.missing}


def test_the_default_facts_are_the_cautious_answers():
    advice = assess(Facts(aware_at=NOW), NOW)
    assert advice.is_breach and advice.notify_authority and advice.phased
    assert {"natures", "data_categories", "groups"} <= {m.field for m in advice.missing}
    assert "Nog niet bekend: wat voor inbreuk het is" in advice.reasons[0].text


# --- 5. art. 34 lid 3: the exceptions to informing -------------------------------------------

HIGH = dict(data_categories=[D.BASIC, D.HEALTH], groups=[G.CLIENTS], recipients=[R.UNKNOWN])


@pytest.mark.parametrize(
    ("changes", "exception", "inform", "public"),
    [
        ({}, None, True, False),
        ({"later_measures": True}, Art34Exception.LATER_MEASURES, False, False),
        ({"disproportionate_effort": True}, Art34Exception.DISPROPORTIONATE, False, True),
        (
            {"later_measures": True, "disproportionate_effort": True},
            Art34Exception.LATER_MEASURES,
            False,
            False,
        ),
    ],
    ids=[
        "high-risk->inform",
        "34-3-b-later-measures->no-letters",
        "34-3-c-disproportionate->public-notice",
        "34-3-b-before-c",
    ],
)
def test_article_34_exceptions_b_and_c(changes, exception, inform, public):
    advice = assess(known(**HIGH, **changes), NOW)
    assert advice.risk is RiskLevel.HIGH and advice.notify_authority
    assert (advice.exception, advice.inform_subjects, advice.public_communication) == (
        exception,
        inform,
        public,
    )
    if exception:
        assert any(r.ref == f"art. 34 lid 3 sub {exception.value} AVG" for r in advice.reasons)


def test_34_3_a_encrypted_health_data_lost_notify_but_no_letters():
    """Not 'record only' because who is involved is still open; the encryption is what keeps the
    people safe, so art. 34 lid 3 sub a applies."""
    advice = assess(
        known(**STOLEN, unintelligible=U.INTACT, data_categories=[D.BASIC, D.HEALTH], groups=[G.UNKNOWN]), NOW
    )
    assert advice.risk is RiskLevel.HIGH and advice.exception is Art34Exception.UNINTELLIGIBLE
    assert advice.notify_authority and advice.phased and not advice.inform_subjects
    assert not advice.public_communication
    assert "sub a" in advice.summary()


def test_34_3_a_does_not_cover_losing_the_data():
    advice = assess(
        known(
            **{**STOLEN, "availability": AV.PERMANENT, "backup_available": False},
            unintelligible=U.INTACT,
            data_categories=[D.BASIC, D.CARE_FILE],
        ),
        NOW,
    )
    assert advice.risk is RiskLevel.HIGH and advice.exception is None and advice.inform_subjects
    assert any("versleuteling helpt hier niet" in r.text for r in advice.reasons)


def test_exceptions_only_apply_to_high_risk():
    advice = assess(known(later_measures=True, disproportionate_effort=True), NOW)
    assert advice.risk is RiskLevel.RISK and advice.exception is None and not advice.public_communication


def test_exception_labels_name_article_34_3():
    assert [e.label.split(":")[0] for e in Art34Exception] == [
        "art. 34 lid 3 sub a AVG",
        "art. 34 lid 3 sub b AVG",
        "art. 34 lid 3 sub c AVG",
    ]
    assert [r.label for r in RiskLevel] == ["Geen risico waarschijnlijk", "Risico", "Hoog risico"]


def test_informing_children_names_who_receives_the_letter_and_safety_first():
    advice = assess(CASES[15].values[0], NOW)  # Veilig Thuis report lost
    refs = {r.ref for r in advice.reasons}
    assert {"handreiking jeugddomein §4.2", "handreiking jeugddomein §1.4"} <= refs


# --- the deadline -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aware_local", "local_deadline"),
    [("2026-03-27T10:00:00+01:00", "30-03-2026 11:00"), ("2026-10-23T10:00:00+02:00", "26-10-2026 09:00")],
    ids=[
        "spring-forward-72-elapsed-hours-end-an-hour-later-on-the-clock",
        "fall-back-72-elapsed-hours-end-an-hour-earlier-on-the-clock",
    ],
)
def test_deadline_is_72_elapsed_hours_across_dst(aware_local, local_deadline):
    aware = datetime.fromisoformat(aware_local)
    advice = assess(known(aware_at=aware), aware + timedelta(hours=1))
    assert advice.deadline - aware == timedelta(hours=72) and advice.deadline.tzinfo is not None
    assert clock.format_local(advice.deadline) == local_deadline
    assert advice.hours_left == 71 and not advice.late
    assert any(local_deadline in r.text for r in advice.reasons)


@pytest.mark.parametrize(
    ("after", "late", "hours_left"),
    [
        (timedelta(hours=71, minutes=59), False, 1 / 60),
        (timedelta(hours=72), False, 0.0),
        (timedelta(hours=72, minutes=30), True, -0.5),
        (timedelta(days=5), True, -48.0),
    ],
    ids=["a-minute-left", "exactly-72-hours-still-in-time", "half-an-hour-late", "two-days-late"],
)
def test_lateness_and_the_reasons_for_the_delay(after, late, hours_left):
    aware = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
    advice = assess(known(aware_at=aware), aware + after)
    assert advice.late is late and advice.hours_left == pytest.approx(hours_left)
    assert any("redenen voor de vertraging" in r.text for r in advice.reasons) is late


def test_no_notification_is_never_late():
    advice = assess(known(**TRUSTED, aware_at=NOW - timedelta(days=10)), NOW)
    assert advice.risk is RiskLevel.NONE and not advice.late and advice.hours_left < 0


# --- the reasons ---------------------------------------------------------------------------------

DUTCH = re.compile(r"\b(de|het|een|en|is|van|niet|je|zijn|te|bij|met|geen|of|nog)\b", re.I)
ENGLISH = re.compile(r"\b(the|and|with|should|which|notify|risk)\b", re.I)
ALL = [p.values[0] for p in CASES] + [
    Facts(aware_at=NOW),
    known(recipients=[R.TBD], unintelligible=U.TBD),
    known(lawful_basis=LawfulBasis.CONSENT),
    known(**HIGH, disproportionate_effort=True),
]


def _all_reasons(advice: Advice):
    yield from advice.breach_reasons + advice.reasons + advice.risk_factors
    if advice.enisa:
        yield advice.enisa.ei_reason
        yield from (e.reason for e in advice.enisa.cb_elements)
        yield from (r for s in advice.enisa.dpc_scores for r in s.reasons)


@pytest.mark.parametrize("facts", ALL, ids=[p.id for p in CASES] + ["defaults", "open", "consent", "public"])
def test_every_reason_is_a_dutch_sentence_with_a_reference(facts):
    advice = assess(facts, NOW)
    assert advice.breach_reasons and advice.reasons
    for reason in _all_reasons(advice):
        assert reason.text.strip() and reason.ref.strip()
        assert reason.text[0].isupper() or reason.text[0].isdigit()
        assert reason.text.rstrip().endswith((".", ")")), reason.text
        assert DUTCH.search(reason.text) and not ENGLISH.search(reason.text), reason.text
    for missing in advice.missing:
        assert DUTCH.search(missing.effect) and not ENGLISH.search(missing.effect), missing.effect


@pytest.mark.parametrize("facts", ALL[:-2], ids=[p.id for p in CASES] + ["defaults", "open"])
def test_all_seven_edpb_factors_are_stated(facts):
    factors = assess(facts, NOW).risk_factors
    assert [r.text.split(".")[0] for r in factors] == [str(n) for n in range(1, 8)]
    assert [r.ref for r in factors] == [f"EDPB 9/2022 §IV, factor {n}" for n in range(1, 8)]


def test_every_conclusion_has_its_reason():
    advice = assess(known(**HIGH), NOW)
    refs = " | ".join(r.ref for r in advice.reasons)
    assert "art. 33 lid 1 AVG" in refs and "art. 34 lid 1" in refs
    assert advice.reasons[0].ref.startswith("art. 9 en 10 AVG")  # why high


@pytest.mark.parametrize(
    ("facts", "summary"),
    [
        (known(**HIGH), "Melden bij de AP: ja. Betrokkenen informeren: ja. Hoog risico."),
        (known(), "Melden bij de AP: ja. Betrokkenen informeren: nee. Risico."),
        (known(**TRUSTED), "Melden bij de AP: nee. Betrokkenen informeren: nee. Geen risico waarschijnlijk."),
        (
            known(recipients=[R.TBD]),
            "Melden bij de AP: ja (nu melden, later aanvullen). Betrokkenen informeren: nee. Risico.",
        ),
    ],
    ids=["high", "risk", "none", "phased"],
)
def test_summary_is_one_dutch_line(facts, summary):
    assert assess(facts, NOW).summary() == summary


# --- determinism and speed -------------------------------------------------------------------------


@pytest.mark.parametrize("facts", [CASES[12].values[0], Facts(aware_at=NOW)], ids=["complete", "all-unknown"])
def test_same_facts_same_advice(facts):
    first = assess(facts, NOW)
    again = assess(Facts.model_validate_json(facts.model_dump_json()), NOW)
    assert again == first and again.model_dump_json() == first.model_dump_json()


# --- python -m datalek assess ----------------------------------------------------------------------


def test_cli_prints_the_advice_as_json(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(CASES[12].values[0].model_dump_json())
    result = CliRunner().invoke(main, ["assess", str(path)])
    assert result.exit_code == 0, result.output
    advice = Advice.model_validate_json(result.output)
    assert advice.notify_authority and advice.inform_subjects and advice.risk is RiskLevel.HIGH


def test_cli_prints_the_schema_of_the_facts():
    result = CliRunner().invoke(main, ["assess", "--schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == json.loads(json.dumps(Facts.model_json_schema()))
    assert "aware_at" in schema["required"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "geen geldige JSON (regel 1, kolom 2)"),
        ('{"aware_at": "gisteren"}', "aware_at: moet een datum en tijd zijn"),
        ('{"aware_at": "2026-11-20T09:00:00"}', "aware_at: moet een tijdzone hebben"),
        ('{"aware_at": "2026-11-20T09:00:00+01:00", "natures": ["x"]}', "natures.0: onbekende waarde"),
        (
            '{"aware_at": "2026-11-20T09:00:00+01:00", "people_count": -3}',
            "people_count: mag niet negatief zijn",
        ),
        ("{}", "aware_at: ontbreekt"),
        ("[]", "moet een JSON-object zijn"),
        (
            '{"aware_at": "2026-11-20T09:00:00+01:00", "people_count_kind": "exact"}',
            "people_count: Vul het aantal in, of kies 'Weet ik niet'.",
        ),
    ],
    ids=[
        "broken-json",
        "bad-date",
        "no-timezone",
        "unknown-value",
        "negative-count",
        "missing-field",
        "not-an-object",
        "exact-count-without-number",  # the assessment form's rule, applied by the core
    ],
)
def test_cli_refuses_invalid_facts_with_a_dutch_message(tmp_path, content, message):
    path = tmp_path / "facts.json"
    path.write_text(content)
    result = CliRunner().invoke(main, ["assess", str(path)])
    assert result.exit_code != 0
    assert "Fout:" in result.output and message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["assess"], ["assess", "nergens.json"]], ids=["no-file", "missing-file"])
def test_cli_without_a_usable_file_says_so_in_dutch(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "Fout:" in result.output
    assert "JSON-bestand" in result.output or "bestaat niet" in result.output
