"""The ENISA severity method (2013, docs/domain/enisa.md): tables, levels, flags, and the 94
single-criterion examples of tests/data/enisa_examples.csv. Every example is either checked
against the engine or listed in NOT_EXPRESSIBLE with the reason, so none is silently dropped."""

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from datalek.intake.situations import CountKind
from datalek.models import IncidentType as T
from datalek.models import Nature
from datalek.triage import EnisaLevel, enisa, enisa_score, level_for
from datalek.triage.facts import AvailabilityState as AV
from datalek.triage.facts import Cause, ConfidentialityState, Exfiltration, Facts, Identification
from datalek.triage.facts import DataCategory as D
from datalek.triage.facts import IntegrityState as IS
from datalek.triage.facts import PeopleGroup as G
from datalek.triage.facts import RecipientKind as R
from datalek.triage.facts import Unintelligible as U

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
EXAMPLES_FILE = Path(__file__).parent / "data" / "enisa_examples.csv"


def _examples() -> list[dict]:
    with EXAMPLES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return [{**row, "expected": float(row["expected"])} for row in rows]


EXAMPLES = _examples()
C, I, A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY  # noqa: E741 - C, I, A as in "CIA"


def facts(**kw) -> Facts:
    """A confidentiality breach of a name, sent by mistake to one known person."""
    base = {
        "aware_at": AWARE,
        "natures": [C],
        "confidentiality": ConfidentialityState.DISCLOSED,
        "incident_type": T.SENT_BY_MISTAKE,
        "data_categories": [D.BASIC],
        "groups": [G.RESIDENTS],
        "unintelligible": U.NO,
        "recipients": [R.KNOWN],
        "cause": Cause.INTERNAL_NON_MALICIOUS,
        "exfiltration": Exfiltration.NOT_APPLICABLE,
    }
    return Facts(**{**base, **kw})


# --- DPC: every category's basic score and every adjustment ---------------------------------

SPECIAL = sorted((c for c in D if c.special), key=lambda c: c.value)
DPC_TABLE = [
    # simple: basic 1
    *[
        pytest.param({"data_categories": [c]}, "simple", 1, id=f"simple-{c.value}-basic-1")
        for c in (D.BASIC, D.CONTACT, D.OFFICIAL_DOCUMENTS, D.OTHER)
    ],
    # simple +1: identity fraud (art. 46 UAVG), profile of a family
    pytest.param({"data_categories": [D.BSN, D.BASIC]}, "simple", 2, id="simple-bsn-identity-fraud+1"),
    pytest.param({"data_categories": [D.ID_DOCUMENT]}, "simple", 2, id="simple-id-copy-identity-fraud+1"),
    pytest.param({"family_file": True}, "simple", 2, id="simple-family-file-profile+1"),
    # simple +2: the controller or the secrecy reveals health or the home situation
    pytest.param(
        {"youth_care_controller": True}, "simple", 3, id="simple-youth-care-client-reveals-health+2"
    ),
    pytest.param({"professional_secrecy": True}, "simple", 3, id="simple-professional-secrecy+2"),
    # simple +3: minors or vulnerable people, critical for their safety
    pytest.param(
        {"groups": [G.MINORS], "child_safety": True}, "simple", 4, id="simple-minors-safety-critical+3"
    ),
    pytest.param(
        {"groups": [G.VULNERABLE], "child_safety": True}, "simple", 4, id="simple-vulnerable-safety+3"
    ),
    pytest.param(
        {"groups": [G.EMPLOYEES], "child_safety": True},
        "simple",
        1,
        id="simple-safety-flag-without-minors-or-vulnerable-stays-1",
    ),
    pytest.param({"groups": [G.MINORS]}, "simple", 1, id="simple-minors-without-safety-stays-1"),
    # several adjustments: the highest counts, each is explained
    pytest.param(
        {"data_categories": [D.BSN, D.BASIC], "youth_care_controller": True, "family_file": True},
        "simple",
        3,
        id="simple-several-raises-keep-the-highest",
    ),
    # behavioural: basic 2, +1 profile of a youth-care client's daily life
    pytest.param({"data_categories": [D.LOCATION]}, "behavioural", 2, id="behavioural-location-basic-2"),
    pytest.param({"data_categories": [D.PROFILE]}, "behavioural", 2, id="behavioural-profile-basic-2"),
    pytest.param(
        {"data_categories": [D.PROFILE], "youth_care_controller": True},
        "behavioural",
        3,
        id="behavioural-youth-care-profile+1",
    ),
    # financial: basic 3, +1 full card data enabling fraud
    pytest.param({"data_categories": [D.FINANCIAL]}, "financial", 3, id="financial-basic-3"),
    pytest.param(
        {"data_categories": [D.PAYMENT_MEANS]}, "financial", 4, id="financial-payment-means-fraud+1"
    ),
    # sensitive: basic 4 for every special category, care files and criminal data included
    *[pytest.param({"data_categories": [c]}, "sensitive", 4, id=f"sensitive-{c.value}-4") for c in SPECIAL],
    # credentials: scored as the data they open
    pytest.param(
        {"data_categories": [D.CREDENTIALS, D.PROFILE]}, "behavioural", 2, id="credentials-open-behaviour"
    ),
    pytest.param(
        {"data_categories": [D.CREDENTIALS, D.HEALTH]}, "sensitive", 4, id="credentials-open-health"
    ),
]


@pytest.mark.parametrize(("changes", "category", "score"), DPC_TABLE)
def test_dpc_table(changes, category, score):
    scored = {s.category: s for s in enisa_score(facts(**changes)).dpc_scores}
    assert scored[category].score == score
    assert scored[category].base == {"simple": 1, "behavioural": 2, "financial": 3, "sensitive": 4}[category]
    reasons = scored[category].reasons
    assert (score == scored[category].base) == (not reasons), "every change from the basic score has a reason"
    assert all(r.text and r.ref.startswith("ENISA DPC +") for r in reasons)


def test_every_applicable_raise_is_explained_and_the_highest_counts():
    scored = enisa_score(
        facts(data_categories=[D.BSN, D.BASIC], youth_care_controller=True, family_file=True)
    )
    simple = scored.dpc_scores[0]
    assert simple.score == 3 and len(simple.reasons) == 3
    assert any("art. 46 UAVG" in r.ref for r in simple.reasons)


def test_several_categories_keep_the_highest_dpc():
    result = enisa_score(facts(data_categories=[D.BASIC, D.FINANCIAL, D.HEALTH]))
    assert [s.category for s in result.dpc_scores] == ["simple", "financial", "sensitive"]
    assert result.dpc == 4


@pytest.mark.parametrize(
    ("categories", "note"),
    [([D.CREDENTIALS], "Inloggegevens"), ([D.UNKNOWN], "nog niet bekend"), ([], "nog niet bekend")],
    ids=["credentials-only-scored-simple-with-a-note", "unknown-not-guessed", "empty-list-not-guessed"],
)
def test_what_is_not_known_is_scored_simple_and_said(categories, note):
    result = enisa_score(facts(data_categories=categories))
    assert result.dpc == 1
    assert note in result.dpc_scores[0].reasons[-1].text


def test_unknown_categories_score_only_what_is_known():
    assert enisa_score(facts(data_categories=[D.UNKNOWN, D.FINANCIAL])).dpc == 3


# --- EI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "ei"),
    [
        ([D.BASIC], 1.0),
        ([D.BSN], 1.0),
        ([D.ID_DOCUMENT], 1.0),
        ([D.OFFICIAL_DOCUMENTS], 1.0),
        ([D.CARE_FILE], 1.0),
        ([D.CHILD_PROTECTION], 1.0),
        ([D.BIOMETRIC], 1.0),
        ([D.UNKNOWN], 1.0),
        ([D.CONTACT], 0.75),
        ([D.CONTACT, D.UNKNOWN], 0.75),
        ([D.CONTACT, D.HEALTH], 0.75),
        ([D.FINANCIAL], 0.5),
        ([D.CREDENTIALS], 0.5),
        ([D.LOCATION], 0.5),
        ([D.HEALTH], 0.5),
    ],
    ids=[
        "name",
        "bsn",
        "id-copy",
        "official-documents",
        "care-file",
        "child-protection-file",
        "biometric",
        "nothing-known-cautious",
        "contact-only",
        "contact-plus-unknown-scores-the-known",
        "contact-with-health",
        "financial-only",
        "credentials-only",
        "location-only",
        "pseudonymised-health",
    ],
)
def test_ease_of_identification(categories, ei):
    result = enisa_score(facts(data_categories=categories))
    assert result.ei == ei
    assert result.ei_reason.ref.startswith(f"ENISA EI {ei:g}".replace(".", ","))


# --- CB ---------------------------------------------------------------------------------------

CB_TABLE = [
    (
        {"recipients": [R.NONE], "incident_type": T.DEVICE_LOST_STOLEN},
        "confidentiality",
        0,
        "conf-lost-device-no-evidence-0",
    ),
    (
        {"recipients": [R.TBD], "incident_type": T.PAPER_LOST},
        "confidentiality",
        0,
        "conf-paper-lost-recipient-open-0",
    ),
    (
        {"confidentiality": ConfidentialityState.NOT_DISCLOSED},
        "confidentiality",
        0,
        "conf-evidence-nobody-saw-0",
    ),
    ({"recipients": [R.KNOWN]}, "confidentiality", 0.25, "conf-known-recipient-0.25"),
    ({"recipients": [R.TRUSTED]}, "confidentiality", 0.25, "conf-trusted-recipient-0.25"),
    ({"recipients": [R.TBD]}, "confidentiality", 0.25, "conf-email-recipient-open-0.25"),
    ({"recipients": [R.UNKNOWN]}, "confidentiality", 0.5, "conf-unknown-recipients-0.5"),
    ({"recipients": [R.PUBLIC]}, "confidentiality", 0.5, "conf-public-0.5"),
    ({"recipients": [R.MALICIOUS]}, "confidentiality", 0.5, "conf-malicious-0.5"),
    ({"recipients": [R.KNOWN, R.PUBLIC]}, "confidentiality", 0.5, "conf-widest-recipient-counts-0.5"),
    (
        {
            "natures": [A],
            "incident_type": T.RANSOMWARE,
            "exfiltration": Exfiltration.UNKNOWN,
            "availability": AV.TEMPORARY,
        },
        "confidentiality",
        0.5,
        "conf-hack-exfiltration-not-excluded-0.5",
    ),
    ({"natures": [I], "integrity": IS.ALTERED_NO_MISUSE}, "integrity", 0, "int-restored-before-use-0"),
    ({"natures": [I], "integrity": IS.ALTERED_REVERSIBLE}, "integrity", 0.25, "int-reversible-0.25"),
    ({"natures": [I], "integrity": IS.ALTERED_IRREVERSIBLE}, "integrity", 0.5, "int-irreversible-0.5"),
    ({"natures": [I]}, "integrity", 0.25, "int-not-yet-known-0.25"),
    (
        {"natures": [A], "availability": AV.TEMPORARY, "backup_available": True, "restore_hours": 24.0},
        "availability",
        0,
        "av-backup-within-24h-0",
    ),
    (
        {"natures": [A], "availability": AV.TEMPORARY, "backup_available": True, "restore_hours": 25.0},
        "availability",
        0.25,
        "av-backup-after-25h-0.25",
    ),
    ({"natures": [A], "availability": AV.TEMPORARY}, "availability", 0.25, "av-temporary-0.25"),
    ({"natures": [A], "availability": AV.PERMANENT}, "availability", 0.5, "av-permanent-0.5"),
    (
        {"natures": [A], "availability": AV.TEMPORARY, "backup_available": False},
        "availability",
        0.5,
        "av-no-backup-0.5",
    ),
    ({"cause": Cause.INTERNAL_MALICIOUS}, "malicious", 0.5, "malicious-employee+0.5"),
    ({"cause": Cause.EXTERNAL_MALICIOUS}, "malicious", 0.5, "malicious-thief-or-hacker+0.5"),
    ({"recipients": [R.MALICIOUS]}, "malicious", 0.5, "malicious-recipient+0.5"),
]


@pytest.mark.parametrize(
    ("changes", "element", "points"), [p[:3] for p in CB_TABLE], ids=[p[3] for p in CB_TABLE]
)
def test_circumstances_of_the_breach(changes, element, points):
    elements = {e.element: e for e in enisa_score(facts(**changes)).cb_elements}
    assert elements[element].points == points
    assert elements[element].reason.text and elements[element].reason.ref.startswith("ENISA CB")


@pytest.mark.parametrize(
    ("changes", "absent"),
    [
        ({"natures": [A], "availability": AV.TEMPORARY}, "confidentiality"),
        ({}, "integrity"),
        ({}, "availability"),
        ({}, "malicious"),
    ],
    ids=[
        "no-confidentiality-element-when-only-availability",
        "no-integrity-element",
        "no-availability-element",
        "no-malicious-element-for-a-mistake",
    ],
)
def test_elements_that_do_not_apply_are_left_out(changes, absent):
    assert absent not in {e.element for e in enisa_score(facts(**changes)).cb_elements}


def test_cb_elements_are_summed_and_se_follows_the_formula():
    result = enisa_score(
        facts(
            natures=[C, I, A],
            integrity=IS.ALTERED_IRREVERSIBLE,
            availability=AV.PERMANENT,
            recipients=[R.PUBLIC],
            cause=Cause.EXTERNAL_MALICIOUS,
        )
    )
    assert result.cb == 2.0
    assert result.se == result.dpc * result.ei + result.cb == 3.0
    assert result.level is EnisaLevel.HIGH


# --- levels and flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("se", "level"),
    [
        (0.25, EnisaLevel.LOW),
        (1.99, EnisaLevel.LOW),
        (2.0, EnisaLevel.MEDIUM),
        (2.99, EnisaLevel.MEDIUM),
        (3.0, EnisaLevel.HIGH),
        (3.99, EnisaLevel.HIGH),
        (4.0, EnisaLevel.VERY_HIGH),
        (6.0, EnisaLevel.VERY_HIGH),
    ],
    ids=lambda v: str(v) if isinstance(v, float) else v.value,
)
def test_level_boundaries(se, level):
    assert level_for(se) is level


def test_levels_have_dutch_labels():
    assert [level.label for level in EnisaLevel] == ["Laag", "Gemiddeld", "Hoog", "Zeer hoog"]


@pytest.mark.parametrize(
    ("changes", "over_100", "unintelligible"),
    [
        ({"people_count_kind": CountKind.EXACT, "people_count": 100}, False, False),
        ({"people_count_kind": CountKind.APPROXIMATE, "people_count": 101}, True, False),
        ({"people_count_kind": CountKind.UNKNOWN, "people_count": None}, False, False),
        ({"unintelligible": U.INTACT}, False, True),
        ({"unintelligible": U.SUBVERTIBLE}, False, False),
        ({"unintelligible": U.TBD}, False, False),
    ],
    ids=[
        "100-people-no-flag",
        "101-people-flag",
        "unknown-count-no-flag",
        "encrypted-key-safe-flag",
        "subvertible-no-flag",
        "encryption-unknown-no-flag",
    ],
)
def test_flags_are_reported_not_scored(changes, over_100, unintelligible):
    result = enisa_score(facts(**changes))
    assert (result.over_100, result.unintelligible) == (over_100, unintelligible)
    assert result.se == enisa_score(facts()).se


# --- the examples of the ENISA document -----------------------------------------------------------
# Each expressible example maps to Facts; the component it illustrates must score as the table says.


def _dpc(*categories, **kw):
    return "dpc", {"data_categories": list(categories), **kw}


def _ei(*categories):
    return "ei", {"data_categories": list(categories)}


def _cb(**kw):
    return "cb", kw


EXPRESSIBLE = {
    "DPC-S1-1": _dpc(D.BASIC, D.CONTACT),
    "DPC-S1-3": _dpc(D.BASIC, D.CONTACT, professional_secrecy=True),  # a pharmacy's client list
    "DPC-S2-1": _dpc(D.BASIC, D.OTHER),
    "DPC-S2-4": _dpc(D.BASIC, D.OTHER, D.HEALTH),  # addiction is health data: sensitive 4
    "DPC-S3-1": _dpc(D.BASIC, D.CONTACT),
    "DPC-S3-4": _dpc(D.BASIC, D.CONTACT, D.CRIMINAL),  # an accusation is art. 10 data: sensitive 4
    "DPC-B1-2": _dpc(D.PROFILE),
    "DPC-B1-4": _dpc(D.PROFILE, D.HEALTH),
    "DPC-B2-2": _dpc(D.PROFILE),
    "DPC-B2-4": _dpc(D.PROFILE, D.HEALTH),
    "DPC-B3-2": _dpc(D.PROFILE),
    "DPC-B3-4": _dpc(D.PROFILE, D.SEX_LIFE),
    "DPC-F1-3": _dpc(D.FINANCIAL),
    "DPC-F2-3": _dpc(D.FINANCIAL),
    "DPC-F3-3": _dpc(D.FINANCIAL, D.PROFILE),
    "DPC-F3-4": _dpc(D.PAYMENT_MEANS),
    "DPC-X1-4": _dpc(D.HEALTH),
    "DPC-X2-4": _dpc(D.POLITICAL),
    "DPC-X3-4": _dpc(D.SEX_LIFE),
    "DPC-C-1": _dpc(D.CREDENTIALS),
    "DPC-C-2.1": _dpc(D.CREDENTIALS, D.PROFILE),
    "DPC-C-3.1": _dpc(D.CREDENTIALS, D.FINANCIAL),
    "DPC-C-3.2": _dpc(D.CREDENTIALS, D.PAYMENT_MEANS),
    "DPC-C-4": _dpc(D.CREDENTIALS, D.SEX_LIFE),
    "EI-NAME-4": _ei(D.BASIC, D.CONTACT),
    "EI-ID-3": _ei(D.ID_DOCUMENT),
    "EI-MAIL-2": _ei(D.CONTACT),
    "EI-MAIL-3": _ei(D.BASIC, D.CONTACT),  # the address shows the name
    "EI-CODE-2": _ei(D.CONTACT),  # an alias with a first name, linked to an e-mail address
    "EI-CODE-3": _ei(D.BASIC),  # the alias reveals the full name
    "CB-CONF-0a": _cb(recipients=[R.NONE], incident_type=T.PAPER_LOST),
    "CB-CONF-0b": _cb(recipients=[R.NONE], incident_type=T.EWASTE),
    "CB-CONF-0.25a": _cb(recipients=[R.KNOWN], incident_type=T.SENT_BY_MISTAKE),
    "CB-CONF-0.25b": _cb(recipients=[R.KNOWN], incident_type=T.INCORRECT_PERMISSIONS),
    "CB-CONF-0.5a": _cb(recipients=[R.PUBLIC], incident_type=T.UNINTENDED_PUBLICATION),
    "CB-CONF-0.5b": _cb(recipients=[R.PUBLIC], incident_type=T.UNINTENDED_PUBLICATION),
    "CB-CONF-0.5c": _cb(
        recipients=[R.UNKNOWN], incident_type=T.ABUSE_OF_ACCESS, cause=Cause.INTERNAL_MALICIOUS
    ),
    "CB-CONF-0.5d": _cb(recipients=[R.PUBLIC], incident_type=T.MISCONFIGURATION),
    "CB-INT-0": _cb(natures=[I], integrity=IS.ALTERED_NO_MISUSE),
    "CB-INT-0.25a": _cb(natures=[I], integrity=IS.ALTERED_REVERSIBLE),
    "CB-INT-0.25b": _cb(natures=[I], integrity=IS.ALTERED_REVERSIBLE),
    "CB-INT-0.5": _cb(natures=[I], integrity=IS.ALTERED_IRREVERSIBLE),
    "CB-AV-0a": _cb(natures=[A], availability=AV.TEMPORARY, backup_available=True, restore_hours=0.5),
    "CB-AV-0b": _cb(natures=[A], availability=AV.TEMPORARY, backup_available=True, restore_hours=8.0),
    "CB-AV-0.25a": _cb(natures=[A], availability=AV.TEMPORARY, backup_available=True, restore_hours=48.0),
    "CB-AV-0.25b": _cb(natures=[A], availability=AV.TEMPORARY),
    "CB-AV-0.5": _cb(natures=[A], availability=AV.PERMANENT, backup_available=False),
    "CB-MAL-0.5a": _cb(
        recipients=[R.PUBLIC], incident_type=T.UNINTENDED_PUBLICATION, cause=Cause.INTERNAL_MALICIOUS
    ),
    "CB-MAL-0.5b": _cb(
        recipients=[R.MALICIOUS], incident_type=T.ABUSE_OF_ACCESS, cause=Cause.INTERNAL_MALICIOUS
    ),
    "CB-MAL-0.5c": _cb(recipients=[R.KNOWN], incident_type=T.OTHER, cause=Cause.EXTERNAL_MALICIOUS),
}

# The assessor's judgements of ENISA 2013 (§2 DPC adjustments, §3.1.2 EI) are the FG's facts
# ``context_adjustment`` and ``identification``, each with its reason.
_WHY = "De reden van de FG."


def _adj(n: int, *categories, **kw):
    return _dpc(*categories, context_adjustment=n, context_reason=_WHY, **kw)


def _judged(level, *categories):
    return "ei", {"data_categories": list(categories), "identification": level, "identification_reason": _WHY}


JUDGED = {
    # lowered: no real insight, public, invalid or partial data (ENISA 2013 §2)
    "DPC-B1-1": _adj(-1, D.PROFILE),
    "DPC-B2-1": _adj(-1, D.PROFILE),
    "DPC-B3-1": _adj(-1, D.PROFILE),
    "DPC-F1-1": _adj(-2, D.FINANCIAL),
    "DPC-F1-2": _adj(-1, D.FINANCIAL),
    "DPC-F2-1": _adj(-2, D.FINANCIAL),
    "DPC-F2-2": _adj(-1, D.FINANCIAL),
    "DPC-F3-1": _adj(-3, D.PAYMENT_MEANS),
    "DPC-F3-2": _adj(-1, D.FINANCIAL),
    "DPC-X1-1": _adj(-3, D.HEALTH),
    "DPC-X1-2": _adj(-2, D.HEALTH),
    "DPC-X1-3": _adj(-1, D.HEALTH),
    "DPC-X2-1": _adj(-3, D.BASIC, D.POLITICAL),
    "DPC-X2-2": _adj(-2, D.BASIC, D.POLITICAL),
    "DPC-X2-3": _adj(-1, D.BASIC, D.POLITICAL),
    "DPC-X3-1": _adj(-3, D.BASIC, D.SEX_LIFE),
    "DPC-X3-2": _adj(-2, D.BASIC, D.SEX_LIFE),
    "DPC-X3-3": _adj(-1, D.BASIC, D.SEX_LIFE),
    # raised: a year of data about one person allows a detailed profile (volume)
    "DPC-B1-3": _adj(1, D.PROFILE),
    "DPC-B2-3": _adj(1, D.LOCATION),
    "DPC-B3-3": _adj(1, D.PROFILE),
    "DPC-F1-4": _adj(1, D.FINANCIAL),
    "DPC-F2-4": _adj(1, D.FINANCIAL),
    "DPC-C-2.2": _adj(1, D.CREDENTIALS, D.PROFILE),
    # raised: the controller implies social or financial status, sexual life, or safety
    "DPC-S1-2": _adj(1, D.BASIC, D.CONTACT),
    "DPC-S2-2": _adj(1, D.BASIC, D.OTHER),
    "DPC-S3-2": _adj(1, D.NAME_ADDRESS),
    "DPC-S2-3": _adj(2, D.BASIC, D.OTHER),
    "DPC-S3-3": _adj(2, D.NAME_ADDRESS),
    "DPC-S1-4": _adj(3, D.BASIC),  # undercover agents: ENISA's safety raise for adults
    # the ease of identification as the FG judges it: how unique a name, number or picture is
    "EI-NAME-1": _judged(Identification.NEGLIGIBLE, D.BASIC),
    "EI-NAME-2": _judged(Identification.LIMITED, D.BASIC),
    "EI-NAME-3": _judged(Identification.SIGNIFICANT, D.BASIC),
    "EI-ID-1": _judged(Identification.NEGLIGIBLE, D.BSN),
    "EI-ID-2": _judged(Identification.SIGNIFICANT, D.ID_DOCUMENT, D.EMAIL),
    "EI-TEL-1": _judged(Identification.NEGLIGIBLE, D.PHONE),
    "EI-TEL-2": _judged(Identification.LIMITED, D.PHONE),
    "EI-TEL-3": _judged(Identification.MAXIMAL, D.PHONE),  # in a public register
    "EI-MAIL-1": _judged(Identification.NEGLIGIBLE, D.EMAIL),
    "EI-PIC-1": _judged(Identification.NEGLIGIBLE, D.OTHER),
    "EI-PIC-2": _ei(D.OTHER),  # without a name or number: limited, as the engine scores it
    "EI-PIC-3": _judged(Identification.SIGNIFICANT, D.OTHER),
    "EI-PIC-4": _ei(D.OTHER, D.NAME_ADDRESS),  # the home address identifies: no judgement needed
    "EI-CODE-1": _judged(Identification.NEGLIGIBLE, D.OTHER),
}
EXPRESSIBLE |= JUDGED
#: Examples the engine cannot express, with the reason: none left (issue #19).
NOT_EXPRESSIBLE: dict[str, str] = {}
_BY_ID = {e["id"]: e for e in EXAMPLES}
_CB_ELEMENT = {
    "loss_of_confidentiality": "confidentiality",
    "loss_of_integrity": "integrity",
    "loss_of_availability": "availability",
    "malicious_intent": "malicious",
}


def test_every_example_is_tested_or_explained():
    assert len(_BY_ID) == len(EXAMPLES) == 94
    assert not set(EXPRESSIBLE) & set(NOT_EXPRESSIBLE)
    assert set(_BY_ID) == set(EXPRESSIBLE) | set(NOT_EXPRESSIBLE)
    assert all(reason.strip() for reason in NOT_EXPRESSIBLE.values())


def test_all_94_examples_are_expressed():
    assert set(EXPRESSIBLE) == set(_BY_ID) and not NOT_EXPRESSIBLE


@pytest.mark.parametrize(
    "example_id",
    sorted(i for i in JUDGED if "identification" in JUDGED[i][1] or "context_adjustment" in JUDGED[i][1]),
)
def test_a_judged_example_needs_the_fgs_judgement_and_shows_it(example_id):
    """Without the FG's judgement the engine scores differently; with it, the reason is shown."""
    component, changes = JUDGED[example_id]
    plain = {
        k: v
        for k, v in changes.items()
        if k not in {"context_adjustment", "context_reason", "identification", "identification_reason"}
    }
    judged, unjudged = enisa_score(facts(**changes)), enisa_score(facts(**plain))
    if component == "dpc":
        assert judged.dpc != unjudged.dpc == judged.dpc_computed
        assert _WHY in judged.adjustment_reason.text and "ENISA 2013 §2" in judged.adjustment_reason.ref
    else:
        assert judged.ei != unjudged.ei
        assert _WHY in judged.ei_reason.text and "oordeel van de FG" in judged.ei_reason.ref


def test_every_cb_example_is_expressed():
    assert {i for i, e in _BY_ID.items() if e["component"] == "cb"} <= set(EXPRESSIBLE)


@pytest.mark.parametrize("example_id", sorted(EXPRESSIBLE))
def test_enisa_example(example_id):
    example = _BY_ID[example_id]
    component, changes = EXPRESSIBLE[example_id]
    assert component == example["component"]
    result = enisa_score(facts(**changes))
    if component == "dpc":
        assert result.dpc == example["expected"], example["example"]
    elif component == "ei":
        assert result.ei == example["expected"], example["example"]
    else:
        points = {e.element: e.points for e in result.cb_elements}
        assert points[_CB_ELEMENT[example["category"]]] == example["expected"], example["example"]


# --- what a user reads: ENISA's codes in Dutch --------------------------------------------------

SEEN_CATEGORIES = {p.values[1] for p in DPC_TABLE}
SEEN_ELEMENTS = {p[1] for p in CB_TABLE}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(("changes", "category", "score"), DPC_TABLE)
def test_every_scored_data_category_is_shown_in_dutch(changes, category, score):
    scored = {s.category: s for s in enisa_score(facts(**changes)).dpc_scores}
    label = enisa.DPC_CATEGORY_LABELS[category]
    assert enisa.dpc_line(scored[category]) == (
        f"Soort gegevens (DPC), {label}: basis {scored[category].base}, score {score}"
    )
    assert category not in _words(label)


@pytest.mark.parametrize(
    ("changes", "element", "points"), [p[:3] for p in CB_TABLE], ids=[p[3] for p in CB_TABLE]
)
def test_every_circumstance_is_shown_in_dutch(changes, element, points):
    shown = {e.element: e for e in enisa_score(facts(**changes)).cb_elements}
    label = enisa.CB_ELEMENT_LABELS[element]
    dutch_points = f"{points:g}".replace(".", ",")
    assert enisa.cb_line(shown[element]) == f"Omstandigheden (CB), {label} +{dutch_points}"
    assert element not in _words(label)


def test_there_is_a_label_for_every_code_and_no_other():
    """The tables above reach every category and element the engine has (its docstrings and
    ``advice.py`` name the same four each); a label without a code would be a stale one."""
    assert set(enisa.DPC_CATEGORY_LABELS) == SEEN_CATEGORIES
    assert set(enisa.CB_ELEMENT_LABELS) == SEEN_ELEMENTS
    assert set(enisa.PART_LABELS) == {"DPC", "EI", "CB"}


def test_the_sum_is_written_as_a_dutch_reader_writes_it():
    result = enisa_score(facts(data_categories=[D.CONTACT], recipients=[R.KNOWN]))
    assert (result.dpc, result.ei, result.cb) == (1, 0.75, 0.25)
    assert enisa.formula(result) == "SE = 1 × 0,75 + 0,25 = 1"
    assert enisa.ei_line(result.ei) == "Herkenbaarheid (EI) 0,75"
