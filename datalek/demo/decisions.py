"""Demo data for the FG's work: assessments, advices and decisions for older incidents.

The facts start from the employee's answers (``prefill.facts_from_report``) and are completed the
way an FG would; the advice comes from the real engine; most decisions follow it, and a
realistic share deviates, each with a motivation of the difference.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock, triage
from datalek.demo import ap_answers
from datalek.handling import assessment, prefill
from datalek.handling.decisions import Inform
from datalek.intake.situations import CountKind, Retrieval, Situation
from datalek.models import Incident, Organisation
from datalek.store import assessments as sql
from datalek.triage.facts import (
    AvailabilityState,
    Cause,
    ConfidentialityState,
    Exfiltration,
    Facts,
    LawfulBasis,
    PeopleGroup,
    RecipientKind,
    Unintelligible,
)

DEVIATION_SHARE = 0.1

EFFECTS = (
    "Betrokkenen lopen een beperkt risico op ongewenst contact.",
    "Een onbevoegde kan gevoelige informatie over het gezin hebben gelezen.",
    "Betrokkenen kunnen schade ondervinden door verlies van vertrouwelijkheid.",
)
REMEDIAL = (
    "Ontvanger heeft de gegevens verwijderd; werkinstructie aangepast.",
    "Apparaat op afstand gewist; wachtwoorden gewijzigd.",
    "Document offline gehaald; publicatieproces aangescherpt.",
)
MOTIVATIONS = (
    "Besloten conform het advies; de feiten zijn met de melder nagelopen.",
    "Het advies volgt uit de vastgestelde feiten; geen aanleiding om af te wijken.",
)
DEVIATIONS = (
    "De ontvanger is een vaste ketenpartner met geheimhoudingsplicht; het risico is daardoor beperkt.",
    "Uit het gesprek met het gezin blijkt dat informeren nu meer schade doet dan goed.",
    "Uit voorzorg toch gemeld: de ontvanger reageert niet op verzoeken tot verwijdering.",
)

_NOT_BREACH_BASES = (LawfulBasis.MELDRECHT, LawfulBasis.INFORMATIEPLICHT, LawfulBasis.CONSENT)


def complete(rng: random.Random, facts: Facts, no_breach: bool) -> Facts:
    """Fill in what an FG would establish during the assessment."""
    f = facts.model_dump()
    if no_breach:
        if rng.random() < 0.2:
            f["personal_data"] = False
        else:
            f["lawful_basis"] = rng.choice(_NOT_BREACH_BASES)
    if f["unintelligible"] in (Unintelligible.TBD, Unintelligible.NOT_ASSESSABLE):
        f["unintelligible"] = rng.choices(
            [Unintelligible.NO, Unintelligible.INTACT, Unintelligible.SUBVERTIBLE], [65, 25, 10]
        )[0]
    if RecipientKind.TBD in f["recipients"]:
        f["recipients"] = [
            rng.choices([RecipientKind.UNKNOWN, RecipientKind.NONE, RecipientKind.KNOWN], [40, 40, 20])[0]
        ]
    if f["confidentiality"] in (ConfidentialityState.TBD, ConfidentialityState.NOT_ASSESSABLE):
        f["confidentiality"] = rng.choice([ConfidentialityState.LIKELY, ConfidentialityState.NOT_DISCLOSED])
    if f["availability"] is AvailabilityState.UNDETERMINED:
        f["availability"] = AvailabilityState.TEMPORARY
    if f["availability"] is not None:
        f["backup_available"] = rng.random() < 0.85
        f["restore_hours"] = float(rng.choice([2, 4, 8, 24, 72]))
    if f["cause"] in (Cause.TBD, Cause.UNKNOWN):
        f["cause"] = rng.choice(
            [Cause.INTERNAL_NON_MALICIOUS, Cause.EXTERNAL_MALICIOUS, Cause.INTERNAL_MALICIOUS]
        )
    if f["exfiltration"] is Exfiltration.UNKNOWN:
        f["exfiltration"] = rng.choices(
            [Exfiltration.EXCLUDED, Exfiltration.LIKELY, Exfiltration.CONFIRMED], [50, 30, 20]
        )[0]
    if PeopleGroup.UNKNOWN in f["groups"]:
        f["groups"] = [PeopleGroup.CLIENTS]
    if f["people_count_kind"] is CountKind.UNKNOWN:
        f["people_count_kind"], f["people_count"] = CountKind.APPROXIMATE, rng.randint(1, 40)
    if f["retrieval"] is Retrieval.UNKNOWN:
        f["retrieval"] = rng.choice([Retrieval.CONFIRMED, Retrieval.UNCONFIRMED, Retrieval.NO])
    return Facts.model_validate(f)


def _ap_rng(row: dict) -> random.Random:
    """A generator of one incident's own: the AP form's answers do not shift the demo's stream."""
    return random.Random(f"{row['reference']}|{row['org_id']}|{row['reported_at']}")


def _decision(rng: random.Random, advice: triage.Advice) -> tuple[dict, bool]:
    notify, inform = advice.notify_authority, advice.inform_subjects
    deviates = advice.is_breach and rng.random() < DEVIATION_SHARE
    if deviates:
        if rng.random() < 0.5:
            notify = not notify
        else:
            inform = not inform
    return {
        "kind": "breach" if advice.is_breach else "not_a_breach",
        "notify_authority": int(advice.is_breach and notify),
        "inform_subjects": ("yes" if inform else "no") if advice.is_breach else Inform.NO.value,
        "inform_date": None,
        "motivation": rng.choice(MOTIVATIONS),
        "deviates": int(deviates),
        "deviation_motivation": rng.choice(DEVIATIONS) if deviates else "",
    }, deviates


def decided_on(incident: Incident, hours: float, now: datetime) -> datetime:
    """When the FG decided: ``hours`` after the organisation knew, never before the employee's
    report reached her (a late internal report delays the decision) and never after ``now``
    (the figures count a decision before the report as a time that cannot be)."""
    earliest = max(incident.aware_at, incident.reported_at) + timedelta(hours=1)
    return min(
        max(incident.aware_at + timedelta(hours=hours), earliest), max(earliest, now - timedelta(hours=1))
    )


def generate(
    db: Database,
    rng: random.Random,
    rows: list[dict],
    orgs: dict[int, Organisation],
    dpo_id: int | None,
    now: datetime | None = None,
) -> int:
    """Assess and decide the given incident rows (``SELECT * FROM incidents``); inside the
    caller's write transaction. Returns the number of decisions written."""
    now = now or clock.now()
    assessments, decisions = [], []
    for row in rows:
        incident = _incident(row)
        no_breach = row["status"] == "not_a_breach"
        facts = complete(rng, prefill.facts_from_report(incident, orgs.get(row["org_id"])), no_breach)
        facts = ap_answers.answer(_ap_rng(row), facts, Situation(incident.situation))
        hours = rng.choice([6, 20, 40, 60, 90])
        decided_at = decided_on(incident, hours, now)
        advice = triage.assess(facts, now=decided_at)
        if advice.notify_authority and hours > 60:  # an FG who must notify decides in time
            decided_at = decided_on(incident, 60, now)
            advice = triage.assess(facts, now=decided_at)
        at = clock.to_iso(decided_at)
        assessments.append(
            assessment.assessment_row(
                row["id"],
                1,
                facts,
                advice,
                "" if no_breach else rng.choice(EFFECTS),
                "" if no_breach else rng.choice(REMEDIAL),
                dpo_id,
                at,
            )
        )
        decision, _ = _decision(rng, advice)
        decisions.append(
            {
                **decision,
                "incident_id": row["id"],
                "advice": assessments[-1]["advice"],
                "lawful_basis": "none" if advice.is_breach else _reason(facts),
                "decided_by": dpo_id,
                "decided_at": at,
            }
        )
    sql.insert_assessments(db, assessments)
    ids = {
        r["incident_id"]: r["id"]
        for r in db.query("SELECT id, incident_id FROM assessments WHERE version = 1")
    }
    for d in decisions:
        d["assessment_id"] = ids[d["incident_id"]]
    sql.insert_decisions(db, decisions)
    return len(decisions)


def _reason(facts: Facts) -> str:
    return "no_personal_data" if not facts.personal_data else facts.lawful_basis.value


def _incident(row: dict) -> Incident:
    import json

    data = {k: row[k] for k in Incident.model_fields if k in row}
    for key in ("occurred_from", "occurred_to", "discovered_at", "reported_at", "aware_at", "updated_at"):
        data[key] = clock.from_iso(data[key]) if data[key] else None
    data["report"] = json.loads(row["report"])
    return Incident.model_validate(data)


def decided_before(now: datetime) -> datetime:
    """Incidents reported before this moment are old enough to have been decided."""
    return now - timedelta(days=3)
