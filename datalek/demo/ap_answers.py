"""The demo FG's answers to what the AP form asks beyond the engine's facts, each from the
incident's own situation: the kinds of data she established, the states she found, another
organisation involved, the security measures in place, cross-border processing, the number of
records, and now and then her own view of the consequences, with its reason."""

from __future__ import annotations

import random

from datalek.intake.situations import CountKind, Situation
from datalek.models import IncidentType, Nature
from datalek.triage.facts import (
    AvailabilityState,
    ConfidentialityState,
    CrossBorder,
    DataCategory,
    Facts,
    IntegrityState,
    OtherOrganisation,
    SecurityMeasure,
    Severity,
)

D, M, S = DataCategory, SecurityMeasure, Situation
#: What the FG finds when the employee did not know which data were involved.
FOUND_DATA = (
    ((D.NAME_ADDRESS,), 40),
    ((D.NAME_ADDRESS, D.PHONE), 15),
    ((D.NAME_ADDRESS, D.EMAIL), 10),
    ((D.NAME_ADDRESS, D.DEMOGRAPHIC), 10),
    ((D.NAME_ADDRESS, D.CARE_FILE), 15),
    ((D.NAME_ADDRESS, D.BSN), 10),
)
#: "Other special data" as the FG establishes it.
FOUND_SPECIAL = (D.RELIGIOUS, D.RACIAL_ETHNIC, D.SEX_LIFE, D.POLITICAL)
PROCESSORS = ("Zorgsoftware Noord B.V.", "Hostingbedrijf Wolk B.V.", "Printservice Midden B.V.")
PARTNERS = ("Samenwerkingsverband Wijkteams", "GGD Regio Midden")
#: Who else may be involved, per situation: a processor's system or print street, a partner.
OTHERS: dict[Situation, tuple[tuple[OtherOrganisation, int], ...]] = {
    S.HACK: ((OtherOrganisation.PROCESSOR, 55), (OtherOrganisation.NONE, 45)),
    S.PHISHING: ((OtherOrganisation.PROCESSOR, 25), (OtherOrganisation.NONE, 75)),
    S.UNAUTHORISED_ACCESS: ((OtherOrganisation.PROCESSOR, 30), (OtherOrganisation.NONE, 70)),
    S.DATA_LOST: ((OtherOrganisation.PROCESSOR, 40), (OtherOrganisation.NONE, 60)),
    S.LETTER_WRONG_ADDRESS: ((OtherOrganisation.PROCESSOR, 20), (OtherOrganisation.NONE, 80)),
    S.EMAIL_WRONG_PERSON: ((OtherOrganisation.JOINT_CONTROLLER, 10), (OtherOrganisation.NONE, 90)),
    S.WRONG_DOCUMENT: ((OtherOrganisation.JOINT_CONTROLLER, 10), (OtherOrganisation.NONE, 90)),
}
#: The measures in place that matter for a situation (a random part of them was in place).
MEASURES: dict[Situation, tuple[SecurityMeasure, ...]] = {
    S.EMAIL_WRONG_PERSON: (M.POLICIES, M.TRAINING, M.ACCESS_LEVELS),
    S.LETTER_WRONG_ADDRESS: (M.POLICIES, M.TRAINING, M.AUDITS),
    S.EMAIL_VISIBLE_RECIPIENTS: (M.POLICIES, M.TRAINING),
    S.WRONG_DOCUMENT: (M.POLICIES, M.TRAINING, M.AUDITS),
    S.DEVICE_LOST: (M.ENCRYPTION, M.ACCESS_CONTROL, M.BACKUP, M.POLICIES),
    S.PAPER_LOST: (M.POLICIES, M.PHYSICAL_ACCESS, M.TRAINING),
    S.PUBLISHED: (M.POLICIES, M.AUDITS, M.ACCESS_LEVELS),
    S.UNAUTHORISED_ACCESS: (M.ACCESS_LEVELS, M.ACCESS_CONTROL, M.INCIDENT_LOG, M.AUDITS),
    S.HACK: (M.ACCESS_CONTROL, M.UP_TO_DATE, M.BACKUP, M.ENCRYPTION, M.INCIDENT_LOG),
    S.PHISHING: (M.TRAINING, M.ACCESS_CONTROL, M.UP_TO_DATE),
    S.DATA_LOST: (M.BACKUP, M.UP_TO_DATE, M.INCIDENT_LOG),
    S.VERBAL: (M.POLICIES, M.TRAINING),
    S.OTHER: (M.POLICIES, M.TRAINING, M.PSEUDONYMISATION),
}
_TYPES = (IncidentType.SENT_BY_MISTAKE, IncidentType.WRONG_RECIPIENT_DISPLAY, IncidentType.OTHER)
_OWN_VIEW = (
    (Severity.MINOR, "De ontvanger is een collega-hulpverlener met geheimhoudingsplicht."),
    (Severity.SEVERE, "Het gezin is al eerder bedreigd; de gevolgen wegen daarom zwaarder."),
    (Severity.MODERATE, "Het ging om één brief, die ongeopend is teruggestuurd."),
)


def _categories(rng: random.Random, found: list[DataCategory]) -> list[DataCategory]:
    if D.UNKNOWN not in found:
        return found
    known = [c for c in found if c is not D.UNKNOWN]
    if known:  # the employee named some, and "other special data": which one
        return [*known, rng.choice(FOUND_SPECIAL)]
    options, weights = zip(*FOUND_DATA, strict=True)
    return list(rng.choices(options, weights)[0])


def _records(rng: random.Random, situation: Situation, f: Facts) -> tuple[CountKind, int]:
    """The number of records the FG counted: documents, e-mail addresses, rows in a system."""
    people = f.people_count or rng.randint(1, 40)
    if situation is S.EMAIL_VISIBLE_RECIPIENTS:
        return CountKind.EXACT, people  # one e-mail address each
    if situation in (S.HACK, S.DATA_LOST, S.UNAUTHORISED_ACCESS, S.PUBLISHED):
        return CountKind.APPROXIMATE, people * rng.randint(2, 12)
    return CountKind.EXACT, max(1, rng.randint(1, 3) * (1 if people < 3 else people // 2))


def answer(rng: random.Random, facts: Facts, situation: Situation) -> Facts:
    """The facts with the AP form's own questions answered as this FG would."""
    f = facts.model_dump()
    f["data_categories"] = _categories(rng, f["data_categories"])
    if f["incident_type"] is IncidentType.TO_BE_DETERMINED:
        f["incident_type"] = rng.choice(_TYPES)
    if Nature.CONFIDENTIALITY in f["natures"] and f["confidentiality"] is None:
        f["confidentiality"] = rng.choice([ConfidentialityState.DISCLOSED, ConfidentialityState.LIKELY])
    if Nature.INTEGRITY in f["natures"] and f["integrity"] is None:
        f["integrity"] = rng.choice([IntegrityState.ALTERED_NO_MISUSE, IntegrityState.ALTERED_REVERSIBLE])
    if Nature.AVAILABILITY in f["natures"] and f["availability"] is None:
        f["availability"] = AvailabilityState.TEMPORARY
    options, weights = zip(*OTHERS.get(situation, ((OtherOrganisation.NONE, 1),)), strict=True)
    other = rng.choices(options, weights)[0]
    f["other_organisation"] = other
    if other is OtherOrganisation.PROCESSOR:
        f["other_organisation_name"] = rng.choice(PROCESSORS)
    elif other is OtherOrganisation.JOINT_CONTROLLER:
        f["other_organisation_name"] = rng.choice(PARTNERS)
    relevant = MEASURES[situation]
    f["security_measures"] = rng.sample(relevant, rng.randint(1, len(relevant)))
    cloud = other is OtherOrganisation.PROCESSOR and situation in (S.HACK, S.DATA_LOST)
    f["cross_border"] = CrossBorder.YES if cloud and rng.random() < 0.3 else CrossBorder.NO
    if situation in (S.HACK, S.PHISHING) and rng.random() < 0.6:
        f["other_authorities"] = rng.choice(
            ["Politie (aangifte)", "Politie (aangifte); Nationaal Cyber Security Centrum"]
        )
    if f["records_count_kind"] is CountKind.UNKNOWN:
        f["records_count_kind"], f["records_count"] = _records(rng, situation, facts)
    if rng.random() < 0.05:
        f["severity"], f["consequences_reason"] = rng.choice(_OWN_VIEW)
    return Facts.model_validate(f)
