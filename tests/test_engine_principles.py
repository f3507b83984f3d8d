"""The five principles of an advice an experienced FG signs (issue #19), each situation with its
source in its id; what must stay right; and monotonicity: more people, a wider recipient or a
longer outage never lowers the advice (hypothesis over generated facts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek.intake.situations import CountKind, Retrieval
from datalek.models import IncidentType as T
from datalek.models import Nature
from datalek.triage import RiskLevel, assess
from datalek.triage.facts import AvailabilityEffect as E
from datalek.triage.facts import AvailabilityState as AV
from datalek.triage.facts import Cause, Facts, LawfulBasis, engine_answer_errors
from datalek.triage.facts import ConfidentialityState as CS
from datalek.triage.facts import DataCategory as D
from datalek.triage.facts import Exfiltration as X
from datalek.triage.facts import Identification as EI
from datalek.triage.facts import PeopleGroup as G
from datalek.triage.facts import RecipientKind as R
from datalek.triage.facts import Unintelligible as U

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
C, I, A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY  # noqa: E741 - C, I, A as in "CIA"
N, RK, H = RiskLevel.NONE, RiskLevel.RISK, RiskLevel.HIGH


def known(**kw) -> Facts:
    """A letter with a name and address sent to one wrong, known person: every key fact known."""
    base = {
        "aware_at": NOW - timedelta(hours=10),
        "natures": [C],
        "confidentiality": CS.DISCLOSED,
        "incident_type": T.MAIL_MISDELIVERED,
        "cause": Cause.INTERNAL_NON_MALICIOUS,
        "data_categories": [D.NAME_ADDRESS],
        "groups": [G.RESIDENTS],
        "people_count_kind": CountKind.EXACT,
        "people_count": 1,
        "unintelligible": U.NO,
        "recipients": [R.KNOWN],
        "retrieval": Retrieval.UNCONFIRMED,
        "exfiltration": X.NOT_APPLICABLE,
    }
    return Facts(**{**base, **kw})


def outcome(facts: Facts) -> tuple[RiskLevel, bool, bool]:
    advice = assess(facts, NOW)
    return advice.risk, advice.notify_authority, advice.inform_subjects


ORDINARY = [D.NAME_ADDRESS, D.DEMOGRAPHIC]
STOLEN = dict(
    incident_type=T.DEVICE_LOST_STOLEN,
    cause=Cause.EXTERNAL_MALICIOUS,
    recipients=[R.MALICIOUS],
    confidentiality=CS.LIKELY,
    data_categories=ORDINARY,
)
HACK = dict(
    incident_type=T.HACKING_MALWARE,
    cause=Cause.EXTERNAL_MALICIOUS,
    recipients=[R.MALICIOUS],
    exfiltration=X.CONFIRMED,
    data_categories=[D.NAME_ADDRESS, D.EMAIL],
)
OUTAGE = dict(
    natures=[A],
    confidentiality=None,
    availability=AV.TEMPORARY,
    incident_type=T.RANSOMWARE,
    cause=Cause.EXTERNAL_MALICIOUS,
    recipients=[R.MALICIOUS],
    backup_available=True,
    restore_hours=4.0,
    exfiltration=X.EXCLUDED,
    data_categories=[D.NAME_ADDRESS, D.CARE_FILE],
    groups=[G.CLIENTS],
    people_count=300,
)
LOWER = "Alleen een dieetwens van oud-deelnemers aan een kamp; zegt niets over hun gezondheid."


def many(n: int) -> dict:
    return {"people_count_kind": CountKind.APPROXIMATE, "people_count": n}


def situation(id, expected, **facts):
    return pytest.param(known(**facts), expected, id=id)


# --- 1. scale counts on its own ----------------------------------------------------------------
SCALE = [
    situation(
        "edpb-01-2021-casus-11-stolen-unencrypted-laptop-100000-names-addresses->high",
        (H, True, True),
        natures=[C, A],
        availability=AV.TEMPORARY,
        backup_available=True,
        restore_hours=2.0,
        **STOLEN,
        **many(100_000),
    ),
    situation(
        "edpb-9-2022-factor-7-database-of-5000-names-and-emails-exfiltrated->high",
        (H, True, True),
        **HACK,
        **many(5000),
    ),
    situation(
        "edpb-9-2022-factor-7-1500-names-addresses-public-by-misconfiguration->high",
        (H, True, True),
        incident_type=T.MISCONFIGURATION,
        recipients=[R.PUBLIC],
        **many(1500),
    ),
    situation(
        "edpb-9-2022-factor-7-stolen-laptop-40-names-addresses-few-people->risk",
        (RK, True, False),
        **STOLEN,
        **many(40),
    ),
    situation(
        "edpb-9-2022-factor-4-5000-names-to-one-known-partner-in-control->risk",
        (RK, True, False),
        incident_type=T.SENT_BY_MISTAKE,
        **many(5000),
    ),
]

# --- 2. identity data in any wrong hands ----------------------------------------------------------
IDENTITY = [
    situation(
        "art-46-uavg-bsn-letter-to-the-wrong-client->high",
        (H, True, True),
        data_categories=[D.NAME_ADDRESS, D.BSN],
    ),
    situation(
        "ap-wel-of-niet-melden-id-copy-mailed-to-a-known-wrong-person->high",
        (H, True, True),
        incident_type=T.SENT_BY_MISTAKE,
        data_categories=[D.ID_DOCUMENT],
    ),
    situation(
        "enisa-dpc-financial-same-letter-with-income-data->high-consistent",
        (H, True, True),
        data_categories=[D.NAME_ADDRESS, D.FINANCIAL],
    ),
    situation(
        "ap-wel-of-niet-melden-bsn-letter-to-a-gp-who-deleted-it->no-risk",
        (N, False, False),
        data_categories=[D.NAME_ADDRESS, D.BSN],
        recipients=[R.TRUSTED],
        retrieval=Retrieval.CONFIRMED,
    ),
    situation(
        "ap-wel-of-niet-melden-bsn-letter-to-a-gp-deletion-not-yet-confirmed->risk",
        (RK, True, False),
        data_categories=[D.NAME_ADDRESS, D.BSN],
        recipients=[R.TRUSTED],
    ),
]

# --- 3. availability judged by its effect --------------------------------------------------------
AVAILABILITY = [
    situation(
        "edpb-01-2021-casus-1-care-files-back-from-backup-no-effect-on-care->no-risk",
        (N, False, False),
        **OUTAGE,
        availability_effect=E.NONE,
    ),
    situation(
        "edpb-01-2021-casus-3-care-files-back-care-delayed-3-hours->risk",
        (RK, True, False),
        **OUTAGE,
        availability_effect=E.DELAYED,
        effect_hours=3.0,
    ),
    situation(
        "edpb-01-2021-casus-3-care-files-back-care-delayed-2-days->high",
        (H, True, True),
        **OUTAGE,
        availability_effect=E.DELAYED,
        effect_hours=48.0,
    ),
    situation(
        "edpb-01-2021-casus-3-care-files-back-a-client-could-be-harmed->high",
        (H, True, True),
        **OUTAGE,
        availability_effect=E.HARM,
        effect_hours=2.0,
    ),
    situation(
        "edpb-01-2021-casus-1-payments-of-benefits-delayed-a-week->high",
        (H, True, True),
        **{**OUTAGE, "data_categories": [D.NAME_ADDRESS, D.FINANCIAL], "restore_hours": 20.0},
        availability_effect=E.DELAYED,
        effect_hours=170.0,
    ),
]

# --- 4. sensitivity has degrees --------------------------------------------------------------------
SENSITIVITY = [
    situation(
        "enisa-2013-dpc-lowered-dietary-note-of-12-former-participants->risk",
        (RK, True, False),
        data_categories=[D.NAME_ADDRESS, D.HEALTH],
        people_count=12,
        context_adjustment=-3,
        context_reason=LOWER,
    ),
    situation(
        "edpb-9-2022-special-data-psychiatric-diagnosis-not-adjusted->high",
        (H, True, True),
        data_categories=[D.NAME_ADDRESS, D.HEALTH],
    ),
    situation(
        "enisa-2013-dpc-lowered-to-3-assumptions-that-can-harm->still-high",
        (H, True, True),
        data_categories=[D.NAME_ADDRESS, D.HEALTH],
        context_adjustment=-1,
        context_reason="Alleen dat iemand is getest, zonder uitslag.",
    ),
    situation(
        "enisa-2013-dpc-raised-addresses-of-women-in-a-shelter->high",
        (H, True, True),
        data_categories=[D.NAME_ADDRESS],
        context_adjustment=3,
        context_reason="Adressen van vrouwen in een opvanghuis: bepalend voor hun veiligheid.",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), SCALE)
def test_principle_1_scale_counts_on_its_own(facts, expected):
    assert outcome(facts) == expected


@pytest.mark.parametrize(("facts", "expected"), IDENTITY)
def test_principle_2_identity_data_in_any_wrong_hands(facts, expected):
    assert outcome(facts) == expected


@pytest.mark.parametrize(("facts", "expected"), AVAILABILITY)
def test_principle_3_availability_judged_by_its_effect(facts, expected):
    assert outcome(facts) == expected


def test_principle_3_care_data_are_a_reason_to_ask_the_effect():
    """EDPB 01/2021 casus 3: with care data and the effect not yet known, the advice stays
    cautious and names the question."""
    advice = assess(known(**OUTAGE), NOW)
    assert (advice.risk, advice.notify_authority) == (RK, True)
    assert "availability_effect" in {m.field for m in advice.missing}
    assert any("vertraagd" in r.text and "Bij twijfel melden" in r.text for r in advice.reasons)


def test_principle_3_the_effect_is_not_asked_of_ordinary_data():
    """EDPB 01/2021 casus 1: an ordinary outage restored from backup stays 'no risk'."""
    advice = assess(known(**{**OUTAGE, "data_categories": ORDINARY}), NOW)
    assert advice.risk is N and not advice.missing


@pytest.mark.parametrize(("facts", "expected"), SENSITIVITY)
def test_principle_4_sensitivity_has_degrees(facts, expected):
    assert outcome(facts) == expected


def test_principle_4_the_adjustment_is_kept_and_explained_in_the_advice():
    facts = known(data_categories=[D.NAME_ADDRESS, D.HEALTH], context_adjustment=-3, context_reason=LOWER)
    enisa = assess(facts, NOW).enisa
    assert (enisa.dpc_computed, enisa.dpc) == (4, 1)
    assert enisa.adjustment_reason is not None and LOWER in enisa.adjustment_reason.text
    assert "ENISA" in enisa.adjustment_reason.ref
    reloaded = type(assess(facts, NOW)).model_validate_json(assess(facts, NOW).model_dump_json())
    assert reloaded.enisa.adjustment_reason.text == enisa.adjustment_reason.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"context_adjustment": -2}, "context_reason"),
        ({"context_adjustment": 1, "context_reason": "  "}, "context_reason"),
        ({"identification": EI.NEGLIGIBLE}, "identification_reason"),
    ],
    ids=[
        "enisa-2013-lowering-needs-a-reason",
        "enisa-2013-raising-needs-a-reason",
        "enisa-2013-ei-needs-a-reason",
    ],
)
def test_principle_4_an_adjustment_without_a_reason_is_refused(changes, field):
    errors = engine_answer_errors(known(**changes))
    assert field in errors and "reden" in errors[field].lower()


def test_principle_4_an_adjustment_with_its_reason_is_accepted():
    assert engine_answer_errors(known(context_adjustment=-2, context_reason=LOWER)) == {}


# --- what must stay right --------------------------------------------------------------------------
KEEP = [
    situation(
        "youth-care-md-3-lawful-sharing-with-veilig-thuis->no-breach",
        (None, False, False),
        lawful_basis=LawfulBasis.MELDRECHT,
        data_categories=[D.CHILD_PROTECTION, D.BSN],
        **many(5000),
    ),
    situation(
        "edpb-01-2021-casus-9-trusted-professional-deletes->no-risk",
        (N, False, False),
        data_categories=[D.NAME_ADDRESS, D.HEALTH, D.BSN],
        recipients=[R.TRUSTED],
        retrieval=Retrieval.CONFIRMED,
        **many(2000),
    ),
    situation(
        "edpb-01-2021-casus-1-file-recovered-within-minutes-by-a-colleague->no-risk",
        (N, False, False),
        natures=[A],
        confidentiality=None,
        availability=AV.TEMPORARY,
        backup_available=True,
        restore_hours=0.1,
        incident_type=T.OTHER,
        recipients=[R.NONE],
        data_categories=[D.NAME_ADDRESS, D.BSN],
    ),
    situation(
        "eu-template-unopened-envelope-returned->no-risk",
        (N, False, False),
        confidentiality=CS.NOT_DISCLOSED,
        data_categories=[D.NAME_ADDRESS, D.BSN, D.FINANCIAL],
        recipients=[R.NONE],
    ),
    situation(
        "edpb-01-2021-casus-10-intact-encrypted-laptop-stolen->no-risk",
        (N, False, False),
        natures=[C, A],
        availability=AV.TEMPORARY,
        backup_available=True,
        restore_hours=2.0,
        unintelligible=U.INTACT,
        **{**STOLEN, "data_categories": [D.NAME_ADDRESS, D.BSN]},
        **many(100_000),
    ),
]


@pytest.mark.parametrize(("facts", "expected"), KEEP)
def test_what_was_right_stays_right(facts, expected):
    assert outcome(facts) == expected


def test_unknown_key_facts_stay_cautious_and_are_named():
    """AP 'Zo meldt u een datalek': bij twijfel melden."""
    advice = assess(known(data_categories=[D.UNKNOWN], recipients=[R.TBD], **many(5000)), NOW)
    assert advice.notify_authority and advice.phased
    assert {"data_categories", "recipients"} <= {m.field for m in advice.missing}
    assert any("Bij twijfel melden" in r.text for r in advice.reasons)


# --- monotonicity ----------------------------------------------------------------------------------

RANK = {None: -1, N: 0, RK: 1, H: 2}
LADDER = [R.TRUSTED, R.KNOWN, R.UNKNOWN, R.PUBLIC, R.MALICIOUS]


def _rank(facts: Facts) -> tuple[int, bool, bool]:
    advice = assess(facts, NOW)
    return RANK[advice.risk], advice.notify_authority, advice.inform_subjects


def _not_lower(before: tuple, after: tuple) -> bool:
    """Risk never lower; notifying never dropped; informing never dropped unless an art. 34(3)
    exception is what differs (it is not: the exception facts stay the same)."""
    return after[0] >= before[0] and after[1] >= before[1] and after[2] >= before[2]


def _some(values, min_size=1):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=3, unique=True)


@st.composite
def generated(draw) -> Facts:
    """Facts over the weighed vocabulary, every key fact answered or not."""
    effect = draw(st.sampled_from(list(E)))
    return Facts(
        aware_at=NOW - timedelta(hours=10),
        natures=draw(_some([C, I, A])),
        confidentiality=draw(st.none() | st.sampled_from(list(CS))),
        availability=draw(st.none() | st.sampled_from(list(AV))),
        incident_type=draw(st.sampled_from(list(T))),
        cause=draw(st.sampled_from(list(Cause))),
        data_categories=draw(_some(list(D))),
        groups=draw(_some(list(G))),
        people_count_kind=CountKind.APPROXIMATE,
        people_count=draw(st.integers(1, 200_000)),
        unintelligible=draw(st.sampled_from(list(U))),
        recipients=[draw(st.sampled_from(LADDER))],
        retrieval=draw(st.sampled_from(list(Retrieval))),
        exfiltration=draw(st.sampled_from(list(X))),
        backup_available=draw(st.none() | st.booleans()),
        restore_hours=draw(st.none() | st.floats(0, 500)),
        availability_effect=effect,
        effect_hours=draw(st.none() | st.floats(0, 500)),
        professional_secrecy=draw(st.booleans()),
        youth_care_controller=draw(st.booleans()),
        child_safety=draw(st.booleans()),
        context_adjustment=draw(st.integers(-3, 3)),
        context_reason="Reden van de FG.",
    )


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(generated(), st.integers(1, 200_000))
def test_more_people_never_lower_the_advice(facts, extra):
    """EDPB 9/2022 §IV factor 7: the number of people only raises the assessment."""
    more = facts.model_copy(update={"people_count": facts.people_count + extra})
    assert _not_lower(_rank(facts), _rank(more))


@SETTINGS
@given(generated(), st.data())
def test_a_wider_recipient_never_lowers_the_advice(facts, data):
    """EDPB 9/2022 §IV factor 4; ENISA CB: trusted < known < unknown < public < malicious."""
    start = LADDER.index(facts.recipients[0])
    wider = data.draw(st.sampled_from(LADDER[start:]))
    assert _not_lower(_rank(facts), _rank(facts.model_copy(update={"recipients": [wider]})))


@SETTINGS
@given(generated(), st.floats(0, 500), st.sampled_from(["restore_hours", "effect_hours"]))
def test_a_longer_outage_or_delay_never_lowers_the_advice(facts, extra, field):
    """EDPB 01/2021 casus 1-3; ENISA CB availability: a longer outage or delay only raises it."""
    longer = facts.model_copy(update={field: (getattr(facts, field) or 0.0) + extra})
    if getattr(facts, field) is None:
        facts = facts.model_copy(update={field: 0.0})
    assert _not_lower(_rank(facts), _rank(longer))


# --- principle 4: kept with the assessment version and shown in the register ------------------------


def _incident(db, world):
    from datalek.handling import incidents
    from tests.conftest import make_report

    report = make_report(world.org.id, now=NOW, data_kinds=["name_address", "care_file"])
    return incidents.submit_report(db, world["reporter"], report, at=NOW)


def test_principle_4_the_core_refuses_an_adjustment_without_reason(fresh_db, world, monkeypatch):
    from datalek import clock
    from datalek.handling import assessment, prefill
    from datalek.models import InvalidInput

    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(hours=1))
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org).model_copy(update={"context_adjustment": -2})
    with pytest.raises(InvalidInput) as refused:
        assessment.save(fresh_db, world["dpo"], incident.id, facts)
    assert "context_reason" in refused.value.errors
    assert assessment.current(fresh_db, world["dpo"], incident.id) is None


def test_principle_4_the_adjustment_is_kept_with_the_version_and_shown_in_the_register(
    fresh_db, world, monkeypatch
):
    from datalek import clock
    from datalek.handling import assessment, prefill
    from datalek.insight import register_export

    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(hours=1))
    incident = _incident(fresh_db, world)
    facts = prefill.facts_from_report(incident, world.org).model_copy(
        update={"context_adjustment": -2, "context_reason": LOWER}
    )
    saved = assessment.save(fresh_db, world["dpo"], incident.id, facts)
    kept = assessment.current(fresh_db, world["dpo"], incident.id)
    assert kept.version == saved.version == 1
    assert kept.facts.context_reason == LOWER and LOWER in kept.advice.enisa.adjustment_reason.text
    row = {r["Kenmerk"]: r for r in register_export.rows(fresh_db, world.org.id, NOW.year)}[
        incident.reference
    ]
    assert (
        LOWER in row["Aanpassing door de FG (ENISA)"]
        and "verlaagd van 4 naar 2" in row["Aanpassing door de FG (ENISA)"]
    )
