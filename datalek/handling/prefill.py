"""The first version of the facts, made from the employee's answers; the FG completes it.

An employee answers in words they know (``intake.situations``); the FG's assessment uses the
vocabulary of the AP form and the EU template (``triage.facts``). Nothing is assumed in the
direction of less risk: an employee's "encrypted" still needs the FG's confirmation.
"""

from __future__ import annotations

from datalek.intake.situations import (
    CountKind,
    DataKind,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from datalek.models import Incident, Nature, Organisation
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

DATA_KINDS: dict[DataKind, tuple[DataCategory, ...]] = {
    # Exactly what the employee chose, in the AP form's words: "NAW" is not also a date of
    # birth, a gender, a phone number and an e-mail address.
    DataKind.NAME_ADDRESS: (DataCategory.NAME_ADDRESS,),
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


def facts_from_report(incident: Incident, org: Organisation | None) -> Facts:
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
        # Records only where the report holds their count: a number of people is no number
        # of records (the FG is asked for it in the assessment).
        records_count_kind=CountKind(a.get("records_count_kind") or "unknown"),
        records_count=a.get("records_count")
        if a.get("records_count_kind") in ("exact", "approximate")
        else None,
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
