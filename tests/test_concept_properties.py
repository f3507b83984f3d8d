"""Properties of the concept AP-melding over thousands of generated incidents: §7, §8 and the
decision never contradict one another, no "Onbekend" for a fact the assessment holds, and no
kind of data in the concept that is not in the facts. And the finer kinds of data the AP form
names are weighed by the engine exactly like the coarser ones they refine."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import triage
from datalek.actions import consequences, notification_draft
from datalek.actions.addressees import Addressee
from datalek.actions.concept_sections import EXPLAINED, ap_label
from datalek.actions.consequences import InformedGroup, InformingRecord, PublicRecord
from datalek.actions.informing_status import NOT_INFORMED
from datalek.actions.notification_draft import Sources
from datalek.intake.situations import CountKind, Retrieval
from datalek.models import Incident, IncidentType, Nature, Organisation, Status
from datalek.triage.advice import Art34Exception, RiskLevel
from datalek.triage.facts import (
    AvailabilityState,
    Cause,
    ConfidentialityState,
    CrossBorder,
    DataCategory,
    Exfiltration,
    Facts,
    Impact,
    IntegrityState,
    OtherOrganisation,
    PeopleGroup,
    RecipientKind,
    SecurityMeasure,
    Severity,
    Unintelligible,
)

AWARE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = AWARE + timedelta(hours=20)
D = DataCategory


def _some(enum, min_size=1):
    return st.lists(st.sampled_from(list(enum)), min_size=min_size, max_size=4, unique=True)


def _optional(enum):
    return st.none() | st.sampled_from(list(enum))


def _count():
    return st.tuples(st.sampled_from(list(CountKind)), st.none() | st.integers(0, 10_000)).filter(
        lambda c: c[0] is CountKind.UNKNOWN or c[1] is not None
    )


@st.composite
def facts(draw) -> Facts:
    people, records = draw(_count()), draw(_count())
    other = draw(st.sampled_from(list(OtherOrganisation)))
    measures = draw(_some(SecurityMeasure))
    impacts = draw(_some(Impact, min_size=0))
    severity = draw(_optional(Severity))
    return Facts(
        natures=draw(_some(Nature)),
        confidentiality=draw(_optional(ConfidentialityState)),
        integrity=draw(_optional(IntegrityState)),
        availability=draw(_optional(AvailabilityState)),
        incident_type=draw(st.sampled_from(list(IncidentType))),
        cause=draw(st.sampled_from(list(Cause))),
        data_categories=draw(_some(DataCategory)),
        groups=draw(_some(PeopleGroup)),
        people_count_kind=people[0],
        people_count=people[1],
        records_count_kind=records[0],
        records_count=records[1],
        unintelligible=draw(st.sampled_from(list(Unintelligible))),
        recipients=draw(_some(RecipientKind)),
        retrieval=draw(st.sampled_from(list(Retrieval))),
        exfiltration=draw(st.sampled_from(list(Exfiltration))),
        professional_secrecy=draw(st.booleans()),
        child_safety=draw(st.booleans()),
        family_file=draw(st.booleans()),
        youth_care_controller=draw(st.booleans()),
        other_organisation=other,
        other_organisation_name="Verwerker B.V."
        if other not in (OtherOrganisation.NONE, OtherOrganisation.TBD)
        else "",
        security_measures=measures,
        security_other="Clean desk" if SecurityMeasure.OTHER in measures else "",
        cross_border=draw(st.sampled_from(list(CrossBorder))),
        other_authorities=draw(st.sampled_from(["", "Politie; NCSC"])),
        impacts=impacts,
        severity=severity,
        consequences_reason="Eigen afweging van de FG." if impacts or severity else "",
        aware_at=AWARE,
    )


INCIDENT = Incident(
    id=1,
    org_id=1,
    reference="DL-2026-0001",
    reporter_id=None,
    department="Sociaal Domein",
    situation="email_wrong_person",
    incident_type="email_wrong_recipient",
    status=Status.DECIDED,
    occurred_from=AWARE - timedelta(hours=3),
    discovered_at=AWARE - timedelta(hours=1),
    reported_at=AWARE,
    aware_at=AWARE,
    report={"occurrence": "moment"},
    description="Een verslag ging naar de verkeerde ouder.",
    updated_at=AWARE,
)
ORG = Organisation(
    id=1, name="Gemeente Test", dpo_name="Fien FG", dpo_email="fg@test.invalid", dpo_phone="030"
)


_DAYS = st.dates(date(2026, 11, 20), date(2027, 6, 30))


def _days(draw, most: int) -> tuple[date, ...]:
    return tuple(sorted(draw(st.sets(_DAYS, min_size=1, max_size=most))))


@st.composite
def records(draw) -> InformingRecord:
    """What may be on record about informing: people informed per kind of reader, families
    and groups postponed, people not informed per kind of reason, public notices."""
    readers = draw(st.lists(st.sampled_from(Addressee.options()), unique=True, max_size=3))
    informed = tuple(
        InformedGroup(
            r.label,
            draw(st.integers(1, 500)),
            _days(draw, 5),
            tuple(
                draw(st.lists(st.sampled_from(["brief", "e-mail", "telefonisch"]), min_size=1, unique=True))
            ),
        )
        for r in readers
    )
    families = draw(st.integers(0, 3))
    groups = tuple(draw(st.lists(st.sampled_from(["ouders of voogd met gezag", "medewerker"]), unique=True)))
    return InformingRecord(
        informed=informed,
        postponed_families=families,
        postponed_people=draw(st.integers(0, 9)) if families else 0,
        postponed_groups=groups,
        review_dates=_days(draw, 3) if families or groups else (),
        not_informed=tuple((why, n) for why in NOT_INFORMED.values() if (n := draw(st.integers(0, 4)))),
        public=tuple(
            PublicRecord(day, draw(st.sampled_from(["www.gemeente.nl/datalek", "Stadskrant"])), "Tekst.")
            for day in draw(st.lists(_DAYS, max_size=2))
        ),
    )


@st.composite
def sources(draw) -> Sources:
    inform = draw(st.sampled_from(["yes", "no", "later"]))
    record = draw(records())
    return Sources(
        incident=INCIDENT,
        organisation=ORG,
        facts=draw(facts()),
        effects=draw(st.sampled_from(["", "Ongewenst contact."])),
        risk=draw(_optional(RiskLevel)),
        inform=inform,
        inform_date="01-12-2026" if inform == "later" and draw(st.booleans()) else None,
        exception=draw(st.none() | st.sampled_from([e.label for e in Art34Exception])),
        informed=record.lines(),
        public_notice=record.public_text(),
        decision_motivation=draw(
            st.sampled_from(["Conform advies.", "Informeren doet het gezin meer kwaad."])
        ),
    )


#: The facts each answer reports: when the assessment holds it, the answer is never unknown.
HELD = {
    "1.other": lambda f: f.other_organisation is not OtherOrganisation.TBD,
    "6.security": lambda f: set(f.security_measures) != {SecurityMeasure.TBD},
    "8.international": lambda f: f.cross_border is not CrossBorder.TBD,
    "4.records": lambda f: f.records_count_kind is not CountKind.UNKNOWN,
    "5.count": lambda f: f.people_count_kind is not CountKind.UNKNOWN,
    "4.kinds": lambda f: set(f.data_categories) != {D.UNKNOWN},
    "4.special": lambda f: set(f.data_categories) != {D.UNKNOWN},
    "4.explain": lambda f: True,
    "5.groups": lambda f: set(f.groups) != {PeopleGroup.UNKNOWN},
    "3.nature": lambda f: bool(f.natures),
    "3.cause": lambda f: f.cause not in (Cause.TBD, Cause.UNKNOWN),
    "3.type": lambda f: f.incident_type is not IncidentType.TO_BE_DETERMINED,
    "6.unintelligible": lambda f: f.unintelligible is not Unintelligible.TBD,
    "7.impacts": lambda f: True,
    "7.severity": lambda f: True,
    "2.ended": lambda f: True,  # a one-off event
}
FIXED_SENTENCES = {
    "Geen andere dan bijzondere persoonsgegevens.",
    "Nee, geen bijzondere of strafrechtelijke persoonsgegevens",
}
FIRST_WORD = {"yes": "Ja.", "no": "Nee.", "later": "Nog niet"}


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_the_concept_never_contradicts_itself_nor_the_facts(src: Sources):
    made = notification_draft.build(src, NOW)
    answers, f = made.answers(), src.facts
    # §8 says what the decision says ...
    inform, severity = answers["8.inform"], answers["7.severity"]
    if inform is not None:
        assert inform.startswith(FIRST_WORD[src.inform])
    # ... and never "no high risk" next to consequences that §7 calls severe or not yet known.
    if inform and "geen hoog risico" in inform:
        assert severity.startswith(("Gering", "Aanzienlijk")), (inform, severity)
    if src.inform == "no" and severity.startswith("Ernstig"):
        assert inform is None or "geen hoog risico" not in inform
    # The ENISA score and the engine's risk label stay internal.
    for text in answers.values():
        assert "ENISA" not in (text or "") and "Hoog risico" not in (text or "")
    # No "Onbekend" for a fact the assessment holds.
    for key, held in HELD.items():
        if held(f):
            assert answers[key] is not None, key
    # No kind of data that is not in the facts; none expanded.
    recorded = {ap_label(c) for c in f.data_categories if c is not D.UNKNOWN}
    for key in ("4.kinds", "4.special"):
        if answers[key] and answers[key] not in FIXED_SENTENCES:
            assert set(answers[key].split("; ")) <= recorded, (answers[key], recorded)
    named = [text for c, text in EXPLAINED.items() if c in f.data_categories]
    assert all(text in answers["4.explain"] for text in named)


_CLAIMED = re.compile(r"(\d+) (?:persoon|personen) geïnformeerd")


@st.composite
def sources_with_record(draw) -> tuple[Sources, InformingRecord]:
    record = draw(records())
    src = dataclasses.replace(draw(sources()), informed=record.lines(), public_notice=record.public_text())
    return src, record


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources_with_record())
def test_section_8_says_what_is_on_record_and_never_more(made):
    """§8 never claims "geïnformeerd" for nobody, and never contradicts the record: the people
    informed per kind of reader with their dates, the postponements with their review dates,
    who is not informed and why, and the public notice with where and when."""
    src, record = made
    answers = notification_draft.build(src, NOW).answers()
    inform, public = answers["8.inform"], answers["8.public"]
    people = sum(g.people for g in record.informed)
    if inform is None:
        assert src.inform == "no"  # only a "no" without a reason is left open
    else:
        assert inform.startswith(FIRST_WORD[src.inform])
        claimed = sum(int(n) for n in _CLAIMED.findall(inform))
        assert claimed == people, (inform, record)  # never more, never fewer, never for nobody
        if people:
            assert "Dit wordt nog gedaan" not in inform
            assert src.inform != "later" or inform.startswith("Nog niet iedereen")
            for g in record.informed:
                assert f"{g.reader}: {g.people} perso" in inform
                assert f"{g.dates[0]:%d-%m-%Y}" in inform and f"{g.dates[-1]:%d-%m-%Y}" in inform
        else:
            assert "Toch geïnformeerd" not in inform and "Nog niet iedereen" not in inform
        told = src.inform != "no"
        waiting = bool(record.postponed_families or record.postponed_groups)
        assert (consequences.POSTPONED in inform) == (told and waiting), (inform, record)
        if told and waiting:
            assert all(f"{d:%d-%m-%Y}" in inform for d in (record.review_dates[0], record.review_dates[-1]))
            if record.postponed_families:
                assert f"{record.postponed_families} gezin" in inform
        assert (consequences.NOT_INFORMED in inform) == (told and bool(record.not_informed))
        for why, n in record.not_informed if told else ():
            assert f"{n} perso{'on' if n == 1 else 'nen'} {why}" in inform
    if not record.public:
        assert public == "Niet van toepassing."
    for p in record.public:
        assert f"Gepubliceerd op {p.published_on:%d-%m-%Y}. Waar: {p.where}." in public


#: A finer kind of data the AP form names, and the coarser kinds it refines.
REFINES = {
    D.NAME_ADDRESS: (D.BASIC, D.CONTACT),
    D.PHONE: (D.CONTACT,),
    D.EMAIL: (D.CONTACT,),
    D.DEMOGRAPHIC: (D.BASIC,),
}


def _coarse(categories: list[DataCategory]) -> list[DataCategory]:
    return list(dict.fromkeys(c for k in categories for c in REFINES.get(k, (k,))))


def _outcome(advice: triage.Advice) -> dict:
    """What the engine decides and why. The risk factors' and the unknown facts' texts name
    the kinds of data as recorded (finer or coarser): they are compared by source and field."""
    data = advice.model_dump(mode="json", exclude={"missing", "risk_factors"})
    data["risk_factors"] = [r.ref for r in advice.risk_factors]
    data["missing"] = sorted(m.field for m in advice.missing)
    return data


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts(), st.lists(st.sampled_from(list(REFINES)), min_size=1, max_size=3, unique=True))
def test_a_finer_kind_of_data_gets_exactly_the_advice_of_the_kind_it_refines(f: Facts, finer):
    fine = f.model_copy(update={"data_categories": [*finer, *f.data_categories]})
    coarse = f.model_copy(update={"data_categories": _coarse(fine.data_categories)})
    assert _outcome(triage.assess(fine, now=NOW)) == _outcome(triage.assess(coarse, now=NOW))


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts())
def test_section_7_never_calls_consequences_serious_without_naming_them(f: Facts):
    """§7 derived from the assessment: "Aanzienlijk" or "Ernstig" always comes with the
    consequences it is about (found in review: an outage that harmed people said "Ernstig"
    next to "Geen gevolgen voor de betrokkenen vastgesteld")."""
    f = f.model_copy(update={"impacts": [], "severity": None, "consequences_reason": ""})
    found = consequences.consequences(f, triage.assess(f, NOW).risk)
    if found.severity in (Severity.MODERATE, Severity.SEVERE):
        assert found.impacts, (found.severity, f)
