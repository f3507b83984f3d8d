"""The triage engine: the EDPB example cases, the youth-care cases, and every rule of the advice.
Each case states its reasoning in its id."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from datalek.cli import main
from datalek.facts import (
    AvailabilityState, Cause, ConfidentialityState, DataCategory as D, Exfiltration, Facts,
    LawfulBasis, PeopleGroup as G, RecipientKind as R, Unintelligible as U,
)  # fmt: skip
from datalek.intake import CountKind, Retrieval
from datalek.models import IncidentType as T, Nature
from datalek.triage import Art34Exception, RiskLevel, assess

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
C, I, A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY


def known(**kw) -> Facts:
    """Facts with every key fact known (nothing 'nog te bepalen')."""
    base = {"aware_at": NOW - timedelta(hours=10), "natures": [C],
            "confidentiality": ConfidentialityState.DISCLOSED, "incident_type": T.SENT_BY_MISTAKE,
            "cause": Cause.INTERNAL_NON_MALICIOUS, "data_categories": [D.BASIC, D.CONTACT],
            "groups": [G.RESIDENTS], "people_count_kind": CountKind.EXACT, "people_count": 1,
            "unintelligible": U.NO, "recipients": [R.KNOWN], "retrieval": Retrieval.UNCONFIRMED,
            "exfiltration": Exfiltration.NOT_APPLICABLE}  # fmt: skip
    return Facts(**{**base, **kw})


RANSOMWARE = dict(natures=[A], confidentiality=None, availability=AvailabilityState.TEMPORARY,
                  incident_type=T.RANSOMWARE, cause=Cause.EXTERNAL_MALICIOUS, recipients=[R.MALICIOUS],
                  backup_available=True, restore_hours=4.0, exfiltration=Exfiltration.EXCLUDED)  # fmt: skip

CASES = [
    # EDPB Guidelines 01/2021 (rules.md §5)
    pytest.param(known(**RANSOMWARE, unintelligible=U.INTACT), RiskLevel.NONE, False, False,
                 id="edpb-ransomware-backup-encrypted-at-rest-exfil-excluded->record-only"),
    pytest.param(known(**RANSOMWARE, unintelligible=U.NO), RiskLevel.NONE, False, False,
                 id="edpb-ransomware-backup-same-day-exfil-excluded->record-only"),
    pytest.param(known(**{**RANSOMWARE, "restore_hours": 96.0, "data_categories": [D.HEALTH, D.BASIC]},
                       groups=[G.PATIENTS]), RiskLevel.HIGH, True, True,
                 id="edpb-long-unavailability-of-care-critical-data->high-risk"),
    pytest.param(known(**{**RANSOMWARE, "exfiltration": Exfiltration.CONFIRMED, "natures": [C, A],
                          "confidentiality": ConfidentialityState.DISCLOSED},
                       data_categories=[D.BASIC, D.HEALTH]), RiskLevel.HIGH, True, True,
                 id="edpb-ransomware-with-exfiltration-of-health-data->high-risk"),
    pytest.param(known(data_categories=[D.CREDENTIALS], incident_type=T.HACKING_MALWARE,
                       cause=Cause.EXTERNAL_MALICIOUS, recipients=[R.MALICIOUS], unintelligible=U.INTACT,
                       exfiltration=Exfiltration.CONFIRMED, people_count=5000),
                 RiskLevel.NONE, False, False, id="edpb-hashed-salted-credentials-only->record-only"),
    pytest.param(known(natures=[C, A], incident_type=T.DEVICE_LOST_STOLEN, cause=Cause.EXTERNAL_MALICIOUS,
                       recipients=[R.MALICIOUS], unintelligible=U.INTACT,
                       availability=AvailabilityState.TEMPORARY, backup_available=True, restore_hours=2.0,
                       data_categories=[D.BASIC, D.HEALTH], people_count=300),
                 RiskLevel.NONE, False, False, id="edpb-stolen-device-full-disk-encryption-and-backup->record-only"),
    pytest.param(known(natures=[C, A], incident_type=T.DEVICE_LOST_STOLEN, cause=Cause.EXTERNAL_MALICIOUS,
                       recipients=[R.MALICIOUS], availability=AvailabilityState.TEMPORARY,
                       backup_available=True, restore_hours=2.0, people_count=800,
                       data_categories=[D.BASIC, D.CONTACT, D.FINANCIAL]),
                 RiskLevel.HIGH, True, True, id="edpb-stolen-unencrypted-device-many-people->high-risk"),
    pytest.param(known(data_categories=[D.BASIC, D.HEALTH], recipients=[R.TRUSTED],
                       retrieval=Retrieval.CONFIRMED), RiskLevel.NONE, False, False,
                 id="edpb-trusted-recipient-confirms-deletion->record-only"),
    pytest.param(known(cause=Cause.INTERNAL_MALICIOUS, incident_type=T.EXFILTRATION, recipients=[R.MALICIOUS],
                       data_categories=[D.CONTACT], people_count_kind=CountKind.APPROXIMATE,
                       people_count=250, exfiltration=Exfiltration.CONFIRMED),
                 RiskLevel.RISK, True, False, id="edpb-employee-takes-client-contacts-for-own-business->notify-ap-only"),
    pytest.param(known(natures=[C, A], incident_type=T.PAPER_LOST, cause=Cause.EXTERNAL_MALICIOUS,
                       recipients=[R.MALICIOUS], availability=AvailabilityState.PERMANENT,
                       data_categories=[D.BASIC, D.HEALTH], groups=[G.PATIENTS], people_count=40),
                 RiskLevel.HIGH, True, True, id="edpb-stolen-paper-health-files-of-a-clinic->high-risk-inform"),
    # The youth-care cases
    pytest.param(known(data_categories=[D.BASIC, D.CARE_FILE], groups=[G.MINORS, G.PARENTS],
                       people_count=3, youth_care_controller=True, professional_secrecy=True,
                       family_file=True), RiskLevel.HIGH, True, True,
                 id="youth-jeugdhulp-report-emailed-to-the-wrong-parent->notify-and-inform"),
    pytest.param(known(incident_type=T.NO_BCC, data_categories=[D.CONTACT], groups=[G.MINORS, G.PARENTS],
                       people_count=120, recipients=[R.KNOWN], youth_care_controller=True),
                 RiskLevel.HIGH, True, True,
                 id="youth-mental-health-newsletter-all-addresses-in-cc->being-a-client-is-sensitive"),
    pytest.param(known(incident_type=T.ABUSE_OF_ACCESS, cause=Cause.INTERNAL_MALICIOUS,
                       data_categories=[D.BASIC, D.CARE_FILE], groups=[G.MINORS], recipients=[R.KNOWN],
                       youth_care_controller=True), RiskLevel.HIGH, True, True,
                 id="youth-colleague-opens-a-childs-file-without-reason->notify"),
    pytest.param(known(natures=[C, A], incident_type=T.PAPER_LOST, cause=Cause.UNKNOWN,
                       confidentiality=ConfidentialityState.NOT_ASSESSABLE, recipients=[R.UNKNOWN],
                       availability=AvailabilityState.UNDETERMINED, backup_available=False,
                       data_categories=[D.BASIC, D.CHILD_PROTECTION], groups=[G.MINORS, G.PARENTS],
                       child_safety=True), RiskLevel.HIGH, True, True,
                 id="youth-veilig-thuis-report-lost-on-the-train->high-risk"),
    # Ordinary municipal cases
    pytest.param(known(incident_type=T.MAIL_MISDELIVERED), RiskLevel.RISK, True, False,
                 id="letter-with-name-and-address-to-a-neighbour->notify-when-in-doubt"),
    pytest.param(known(confidentiality=ConfidentialityState.NOT_DISCLOSED, incident_type=T.DEVICE_LOST_STOLEN,
                       recipients=[R.NONE]), RiskLevel.NONE, False, False,
                 id="device-found-back-evidence-nobody-looked->record-only"),
    pytest.param(known(data_categories=[D.BSN, D.BASIC, D.ID_DOCUMENT], recipients=[R.PUBLIC],
                       incident_type=T.UNINTENDED_PUBLICATION), RiskLevel.HIGH, True, True,
                 id="bsn-and-id-copy-published-online->identity-fraud-high-risk"),
]


@pytest.mark.parametrize(("facts", "risk", "notify", "inform"), CASES)
def test_case(facts, risk, notify, inform):
    advice = assess(facts, NOW)
    assert advice.is_breach
    assert (advice.risk, advice.notify_authority, advice.inform_subjects) == (risk, notify, inform)
    assert not advice.phased or advice.notify_authority


@pytest.mark.parametrize("basis", [b for b in LawfulBasis if b is not LawfulBasis.NONE], ids=lambda b: b.value)
def test_lawful_sharing_is_no_breach(basis):
    advice = assess(known(lawful_basis=basis, data_categories=[D.CHILD_PROTECTION]), NOW)
    assert not advice.is_breach and not advice.notify_authority and advice.risk is None
    assert basis.label in advice.breach_reasons[0].text


def test_no_personal_data_is_no_breach():
    advice = assess(known(personal_data=False), NOW)
    assert not advice.is_breach and advice.enisa is None
    assert advice.breach_reasons[0].ref == "art. 4 sub 12 AVG"


def test_unknown_facts_give_a_cautious_phased_advice_and_name_what_would_change_it():
    facts = known(recipients=[R.TBD], confidentiality=ConfidentialityState.TBD, unintelligible=U.TBD)
    advice = assess(facts, NOW)
    assert advice.notify_authority and advice.phased and advice.risk is not RiskLevel.NONE
    missing = {m.field: m for m in advice.missing}
    assert {"recipients", "confidentiality", "unintelligible"} <= set(missing)
    assert "melden bij de AP nee" in missing["recipients"].effect


def test_defaults_are_the_cautious_answers():
    advice = assess(Facts(aware_at=NOW), NOW)
    assert advice.is_breach and advice.notify_authority and advice.phased
    assert {m.field for m in advice.missing} >= {"data_categories", "groups"}


HIGH = dict(data_categories=[D.BASIC, D.HEALTH], groups=[G.CLIENTS], recipients=[R.UNKNOWN])


@pytest.mark.parametrize(
    ("changes", "exception", "inform", "public"),
    [({}, None, True, False),
     ({"later_measures": True}, Art34Exception.LATER_MEASURES, False, False),
     ({"disproportionate_effort": True}, Art34Exception.DISPROPORTIONATE, False, True)],
    ids=["high-risk->inform", "34-3-b-later-measures->no-letters", "34-3-c-disproportionate->public-notice"],
)  # fmt: skip
def test_article_34_exceptions(changes, exception, inform, public):
    advice = assess(known(**HIGH, **changes), NOW)
    assert advice.risk is RiskLevel.HIGH and advice.notify_authority
    assert (advice.exception, advice.inform_subjects, advice.public_communication) == (exception, inform, public)


def test_34_3_a_unintelligible_means_no_high_risk_for_the_people():
    advice = assess(known(**HIGH, unintelligible=U.INTACT), NOW)
    assert not advice.inform_subjects


def test_child_safety_adds_a_safety_warning_before_informing():
    advice = assess(known(data_categories=[D.CHILD_PROTECTION], groups=[G.MINORS], child_safety=True), NOW)
    assert any("veiligheid van een kind" in r.text for r in advice.reasons)


@pytest.mark.parametrize(
    ("aware", "now", "deadline", "late"),
    [
        (datetime(2026, 3, 27, 11, 0, tzinfo=timezone.utc), datetime(2026, 3, 28, 11, 0, tzinfo=timezone.utc),
         datetime(2026, 3, 30, 11, 0, tzinfo=timezone.utc), False),
        (datetime(2026, 10, 23, 9, 0, tzinfo=timezone.utc), datetime(2026, 10, 26, 9, 30, tzinfo=timezone.utc),
         datetime(2026, 10, 26, 9, 0, tzinfo=timezone.utc), True),
    ],
    ids=["across-spring-dst-72-elapsed-hours", "across-autumn-dst-half-hour-late"],
)  # fmt: skip
def test_deadline_and_lateness(aware, now, deadline, late):
    advice = assess(known(aware_at=aware), now)
    assert advice.deadline == deadline and advice.late is late
    if late:
        assert any("redenen voor de vertraging" in r.text for r in advice.reasons)


def test_every_reason_is_dutch_with_a_reference_and_all_seven_edpb_factors_are_stated():
    for param in CASES:
        advice = assess(param.values[0], NOW)
        for reason in advice.breach_reasons + advice.reasons + advice.risk_factors:
            assert reason.text.strip() and reason.ref.strip()
        assert [r.text.split(".")[0] for r in advice.risk_factors] == [str(n) for n in range(1, 8)]
        assert all("EDPB 9/2022" in r.ref for r in advice.risk_factors)


def test_deterministic_and_fast():
    facts = CASES[10].values[0]
    first = assess(facts, NOW)
    assert all(assess(facts, NOW) == first for _ in range(2000))  # sanity bound, not a benchmark


def test_cli_prints_the_advice_and_the_schema(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(CASES[10].values[0].model_dump_json())
    result = CliRunner().invoke(main, ["assess", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.output)["inform_subjects"] is True
    schema = CliRunner().invoke(main, ["assess", "--schema"])
    assert schema.exit_code == 0 and "aware_at" in json.loads(schema.output)["required"]


@pytest.mark.parametrize("content", ["{not json", '{"aware_at": "gisteren"}', '{"natures": ["x"]}'],
                         ids=["broken-json", "bad-date", "unknown-value"])
def test_cli_refuses_invalid_facts_with_a_dutch_message(tmp_path, content):
    path = tmp_path / "facts.json"
    path.write_text(content)
    result = CliRunner().invoke(main, ["assess", str(path)])
    assert result.exit_code != 0 and "De feiten kloppen niet" in result.output
