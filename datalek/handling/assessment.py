"""The FG's assessment (beoordeling): the facts, prefilled from the report, kept as versions.

Each saved version stores the facts and the engine's advice on exactly those facts, so
later changes never rewrite what the FG saw when deciding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store, triage
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import lifecycle, repeats
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from datalek.models import Actor, Incident, IncidentType, InvalidInput, Nature, Organisation, Status
from datalek.store import actions as actions_sql
from datalek.store import assessments as sql
from datalek.store import incidents as incident_sql
from datalek.triage.facts import (
    AvailabilityState,
    Cause,
    ConfidentialityState,
    DataCategory,
    Exfiltration,
    Facts,
    PeopleGroup,
    RecipientKind,
    Unintelligible,
)

MAX_TEXT = 4000

DATA_KINDS: dict[DataKind, tuple[DataCategory, ...]] = {
    DataKind.NAME_ADDRESS: (DataCategory.BASIC, DataCategory.CONTACT),
    DataKind.CONTACT: (DataCategory.CONTACT,),
    DataKind.BSN: (DataCategory.BSN,),
    DataKind.ID_COPY: (DataCategory.ID_DOCUMENT,),
    DataKind.FINANCIAL: (DataCategory.FINANCIAL,),
    DataKind.HEALTH: (DataCategory.HEALTH,),
    DataKind.CARE_FILE: (DataCategory.CARE_FILE,),
    DataKind.CHILD_PROTECTION: (DataCategory.CHILD_PROTECTION,),
    DataKind.CRIMINAL: (DataCategory.CRIMINAL,),
    # "Other special data": the FG must say which art. 9 category; unknown until then.
    DataKind.OTHER_SPECIAL: (DataCategory.UNKNOWN,),
    DataKind.CREDENTIALS: (DataCategory.CREDENTIALS,),
    DataKind.OTHER: (DataCategory.OTHER,),
    DataKind.UNKNOWN: (DataCategory.UNKNOWN,),
}
GROUPS: dict[SubjectGroup, PeopleGroup] = {
    SubjectGroup.CLIENTS: PeopleGroup.CLIENTS,
    SubjectGroup.CHILDREN: PeopleGroup.MINORS,
    SubjectGroup.PARENTS: PeopleGroup.PARENTS,
    SubjectGroup.EMPLOYEES: PeopleGroup.EMPLOYEES,
    SubjectGroup.RESIDENTS: PeopleGroup.RESIDENTS,
    SubjectGroup.OTHER: PeopleGroup.OTHER,
    SubjectGroup.UNKNOWN: PeopleGroup.UNKNOWN,
}
# An employee's "encrypted" still has to be confirmed as state of the art by the FG.
PROTECTION: dict[Protection | None, Unintelligible] = {
    Protection.ENCRYPTED: Unintelligible.TBD,
    Protection.PASSWORD: Unintelligible.SUBVERTIBLE,
    Protection.NONE: Unintelligible.NO,
    Protection.UNKNOWN: Unintelligible.TBD,
    None: Unintelligible.NO,
}
RECIPIENTS: dict[Recipient, RecipientKind] = {
    Recipient.PROFESSIONAL: RecipientKind.TRUSTED,
    Recipient.KNOWN_PERSON: RecipientKind.KNOWN,
    Recipient.UNKNOWN_PEOPLE: RecipientKind.UNKNOWN,
    Recipient.PUBLIC: RecipientKind.PUBLIC,
    Recipient.UNKNOWN: RecipientKind.TBD,
}
_SENT = {
    Situation.EMAIL_WRONG_PERSON,
    Situation.LETTER_WRONG_ADDRESS,
    Situation.EMAIL_VISIBLE_RECIPIENTS,
    Situation.WRONG_DOCUMENT,
    Situation.PUBLISHED,
    Situation.VERBAL,
    Situation.UNAUTHORISED_ACCESS,
}
_LOST = {Situation.DEVICE_LOST, Situation.PAPER_LOST}
CAUSES: dict[Situation, Cause] = {
    **dict.fromkeys(_SENT - {Situation.UNAUTHORISED_ACCESS}, Cause.INTERNAL_NON_MALICIOUS),
    Situation.UNAUTHORISED_ACCESS: Cause.TBD,
    Situation.HACK: Cause.EXTERNAL_MALICIOUS,
    Situation.PHISHING: Cause.EXTERNAL_MALICIOUS,
    Situation.DEVICE_LOST: Cause.UNKNOWN,
    Situation.PAPER_LOST: Cause.UNKNOWN,
    Situation.DATA_LOST: Cause.INTERNAL_NON_MALICIOUS,
    Situation.OTHER: Cause.TBD,
}


def prefill(incident: Incident, org: Organisation | None) -> Facts:
    """A first version of the facts from the employee's answers; the FG completes it."""
    a = incident.report
    situation = Situation(incident.situation)
    natures = list(situation.info.natures)
    kinds = [c for k in a.get("data_kinds", []) for c in DATA_KINDS[DataKind(k)]]
    groups = [GROUPS[SubjectGroup(g)] for g in a.get("subject_groups", [])]
    if a.get("recipients"):
        recipients = [RECIPIENTS[Recipient(r)] for r in a["recipients"]]
    elif situation is Situation.HACK:
        recipients = [RecipientKind.MALICIOUS]
    elif situation is Situation.DATA_LOST:
        recipients = [RecipientKind.NONE]
    else:
        recipients = [RecipientKind.TBD]
    retrieval = Retrieval(a["retrieval"]) if a.get("retrieval") else Retrieval.UNKNOWN
    confidentiality = None
    if Nature.CONFIDENTIALITY in natures:
        confidentiality = (
            ConfidentialityState.DISCLOSED
            if situation in _SENT
            else ConfidentialityState.NOT_ASSESSABLE
            if situation in _LOST
            else ConfidentialityState.TBD
        )
    availability = None
    if Nature.AVAILABILITY in natures:
        availability = (
            AvailabilityState.TEMPORARY
            if retrieval is Retrieval.CONFIRMED
            else AvailabilityState.UNDETERMINED
        )
    category_set = set(kinds)
    return Facts(
        natures=natures or [Nature.CONFIDENTIALITY],
        confidentiality=confidentiality,
        availability=availability,
        incident_type=situation.info.incident_type,
        cause=CAUSES[situation],
        data_categories=list(dict.fromkeys(kinds)) or [DataCategory.UNKNOWN],
        groups=list(dict.fromkeys(groups)) or [PeopleGroup.UNKNOWN],
        people_count_kind=CountKind(a.get("people_count_kind") or "unknown"),
        people_count=a.get("people_count"),
        unintelligible=PROTECTION[Protection(a["protection"]) if a.get("protection") else None],
        recipients=recipients,
        retrieval=retrieval,
        exfiltration=Exfiltration.UNKNOWN if situation is Situation.HACK else Exfiltration.NOT_APPLICABLE,
        professional_secrecy=bool(category_set & {DataCategory.CARE_FILE, DataCategory.HEALTH}),
        child_safety=DataCategory.CHILD_PROTECTION in category_set,
        family_file=PeopleGroup.MINORS in groups and PeopleGroup.PARENTS in groups,
        youth_care_controller=bool(org and org.youth_care),
        aware_at=incident.aware_at,
    )


@dataclass(frozen=True)
class Assessment:
    id: int
    incident_id: int
    version: int
    facts: Facts
    advice: triage.Advice
    effects: str
    remedial_action: str
    author_id: int | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict) -> Assessment:
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            version=row["version"],
            facts=Facts.model_validate_json(row["facts"]),
            advice=triage.Advice.model_validate_json(row["advice"]),
            effects=row["effects"],
            remedial_action=row["remedial_action"],
            author_id=row["author_id"],
            created_at=clock.from_iso(row["created_at"]),
        )


def current(db: Database, actor: Actor, incident_id: int) -> Assessment | None:
    """The latest saved version, or None when the FG has not assessed it yet."""
    require(db, actor, Action.READ_ASSESSMENT, IncidentRef(incident_id))
    row = sql.latest_assessment(db, incident_id)
    return Assessment.from_row(row) if row else None


def versions(db: Database, actor: Actor, incident_id: int) -> list[dict]:
    """Every saved version (no facts, just what changed in the outcome), oldest first."""
    require(db, actor, Action.READ_ASSESSMENT, IncidentRef(incident_id))
    return sql.assessment_versions(db, incident_id)


def assessment_row(
    incident_id: int,
    version: int,
    facts: Facts,
    advice: triage.Advice,
    effects: str,
    remedial_action: str,
    author_id: int | None,
    at: str,
) -> dict:
    return {
        "incident_id": incident_id,
        "version": version,
        "facts": facts.model_dump_json(),
        "advice": advice.model_dump_json(),
        "risk": advice.risk.value if advice.risk else None,
        "notify_authority": int(advice.notify_authority),
        "inform_subjects": int(advice.inform_subjects),
        "enisa_level": advice.enisa.level.value if advice.enisa else None,
        "enisa_score": advice.enisa.se if advice.enisa else None,
        "effects": effects,
        "remedial_action": remedial_action,
        "author_id": author_id,
        "created_at": at,
    }


def save(
    db: Database,
    actor: Actor,
    incident_id: int,
    facts: Facts,
    effects: str = "",
    remedial_action: str = "",
    expected_version: int | None = None,
) -> Assessment:
    """Store a new version of the facts with the advice on them; audited.

    ``expected_version`` is the version the FG was looking at (0 for none): when someone
    saved a newer one meanwhile, the save is refused instead of silently overwriting it."""
    require(db, actor, Action.SAVE_ASSESSMENT, IncidentRef(incident_id))
    effects, remedial_action = effects.strip(), remedial_action.strip()
    errors = {
        f: f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
        for f, v in (("effects", effects), ("remedial_action", remedial_action))
        if len(v) > MAX_TEXT
    }
    if facts.aware_at > clock.now():
        errors["aware_at"] = "Dit moment ligt in de toekomst."
    if errors:
        raise InvalidInput(errors)
    advice = triage.assess(facts)
    at = clock.to_iso(clock.now())
    with store.write(db):
        version = sql.next_version(db, incident_id)
        if expected_version is not None and version - 1 != expected_version:
            raise InvalidInput(
                {
                    "form": f"Iemand anders heeft de feiten intussen opgeslagen (versie "
                    f"{version - 1}). Je invoer staat er nog: bekijk eerst de "
                    "nieuwe versie en sla daarna opnieuw op."
                }
            )
        row = assessment_row(incident_id, version, facts, advice, effects, remedial_action, actor.user_id, at)
        row_id = sql.insert_assessment(db, row)
        sql.set_aware_at(db, incident_id, clock.to_iso(facts.aware_at), at)
        if facts.incident_type is not IncidentType.TO_BE_DETERMINED:
            # The FG's judgement of the type replaces the one derived from the situation.
            actions_sql.set_incident_type(db, incident_id, facts.incident_type.value)
            repeats.detect(db, incident_id)
        status = Status(incident_sql.incident(db, incident_id)["status"])
        if status is Status.REPORTED:
            lifecycle.record_move(db, actor, incident_id, status, Status.IN_PROGRESS, "", at)
        audit.append(
            db,
            actor,
            "assessment.save",
            "incident",
            incident_id,
            version=version,
            risk=row["risk"],
            notify=bool(row["notify_authority"]),
        )
    return Assessment.from_row({**row, "id": row_id})
