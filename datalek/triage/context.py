"""Groupings of the facts vocabulary and small questions about the facts, shared by the rules."""

from __future__ import annotations

from datalek.intake.situations import CountKind
from datalek.models import IncidentType, Nature
from datalek.triage.facts import (
    SPECIAL_CATEGORIES,
    AvailabilityEffect,
    AvailabilityState,
    ConfidentialityState,
    DataCategory,
    Exfiltration,
    Facts,
    IntegrityState,
    PeopleGroup,
    RecipientKind,
    Unintelligible,
)

# --- vocabulary -------------------------------------------------------------------------------

D, R = DataCategory, RecipientKind
C, I, A = Nature.CONFIDENTIALITY, Nature.INTEGRITY, Nature.AVAILABILITY  # noqa: E741 - C, I, A as in "CIA"
SIMPLE = frozenset(
    {D.NAME_ADDRESS, D.PHONE, D.EMAIL, D.DEMOGRAPHIC, D.BASIC, D.CONTACT}
    | {D.OFFICIAL_DOCUMENTS, D.BSN, D.ID_DOCUMENT, D.OTHER}
)
#: Contact details: the older ``CONTACT`` and the AP form's finer kinds that refine it.
CONTACT_DATA = frozenset({D.CONTACT, D.PHONE, D.EMAIL, D.NAME_ADDRESS})
BEHAVIOURAL = frozenset({D.LOCATION, D.PROFILE})
FINANCIAL = frozenset({D.FINANCIAL, D.PAYMENT_MEANS})
SENSITIVE = SPECIAL_CATEGORIES  # art. 9 and 10 AVG, and the youth-care files that hold them
IDENTIFYING = frozenset(
    {
        D.BASIC,
        D.NAME_ADDRESS,  # refines BASIC with CONTACT: treated as both
        D.DEMOGRAPHIC,  # refines BASIC: treated as BASIC
        D.BSN,
        D.ID_DOCUMENT,
        D.OFFICIAL_DOCUMENTS,
        D.CARE_FILE,
        D.CHILD_PROTECTION,
        D.BIOMETRIC,
        D.GENETIC,
    }
)
CARE_CRITICAL = frozenset({D.HEALTH, D.CARE_FILE, D.CHILD_PROTECTION})
BROAD = frozenset({R.UNKNOWN, R.PUBLIC, R.MALICIOUS})
LOSS_TYPES = frozenset(
    {
        IncidentType.DEVICE_LOST_STOLEN,
        IncidentType.PAPER_LOST,
        IncidentType.EWASTE,
        IncidentType.PAPER_DISPOSAL,
        IncidentType.MAIL_MISDELIVERED,
    }
)
HACK_TYPES = frozenset(
    {
        IncidentType.HACKING_MALWARE,
        IncidentType.RANSOMWARE,
        IncidentType.PHISHING,
        IncidentType.EXPLOITED_VULNERABILITY,
        IncidentType.UNAUTHORISED_ACCESS,
        IncidentType.EXFILTRATION,
    }
)
#: EDPB 9/2022 §IV factor 7 with EDPB 01/2021 casus 11: from this many people, ordinary
#: identifying data out of control make the risk high by themselves (docs/domain/rules.md §5).
LARGE_SCALE = 1000
#: ENISA 2013 §2: a sensitive context lowered below this ("only general assumptions") is no
#: longer high risk by itself; 3 is "assumptions that could damage the individual".
SENSITIVE_FLOOR = 3
#: EDPB 01/2021 casus 3: a delay of help, care, a decision or a payment longer than this is high
#: risk (one day: ENISA's "recovered without difficulty", as for restoring from a backup).
LONG_DELAY_HOURS = 24
EDPB = "EDPB 9/2022 §IV"
AP_RISK = "AP 'Datalek: wel of niet melden'"


def _num(x: float) -> str:
    """A number as a Dutch reader writes it: 0,25."""
    return f"{x:g}".replace(".", ",")


def _known_categories(f: Facts) -> frozenset[DataCategory]:
    return frozenset(f.data_categories) - {D.UNKNOWN}


def _recipients(f: Facts) -> frozenset[RecipientKind]:
    return frozenset(f.recipients) or frozenset({R.TBD})


def _people(f: Facts) -> int | None:
    return f.people_count if f.people_count_kind is not CountKind.UNKNOWN else None


def _vulnerable(f: Facts) -> bool:
    """EDPB 9/2022 §IV, factor 5: children and other vulnerable people raise the risk."""
    return bool({PeopleGroup.MINORS, PeopleGroup.VULNERABLE} & set(f.groups))


def _exfiltration_assumed(f: Facts) -> bool:
    """EDPB 01/2021 casus 4: in a hack, exfiltration that is confirmed or cannot be excluded
    is assumed to have happened."""
    return f.incident_type in HACK_TYPES and f.exfiltration in (
        Exfiltration.CONFIRMED,
        Exfiltration.LIKELY,
        Exfiltration.UNKNOWN,
    )


def _confidentiality_at_stake(f: Facts) -> bool:
    """Art. 4 sub 12 AVG: disclosure or access that evidence does not exclude."""
    stated = C in f.natures and f.confidentiality is not ConfidentialityState.NOT_DISCLOSED
    return stated or _exfiltration_assumed(f)


def _exposed(f: Facts, ignore_protection: bool = False) -> bool:
    """Readable data reached, or may have reached, someone other than a trusted professional,
    or were lost. ``ignore_protection`` leaves the encryption out, to see whether it is what
    keeps the people safe (art. 34 lid 3 sub a AVG)."""
    if not _confidentiality_at_stake(f):
        return False
    if f.unintelligible is Unintelligible.INTACT and not ignore_protection:
        return False
    return _exfiltration_assumed(f) or _recipients(f) != {R.TRUSTED}


def _integrity_misused(f: Facts) -> bool:
    return I in f.natures and f.integrity is not IntegrityState.ALTERED_NO_MISUSE


def _restored_within_a_day(f: Facts) -> bool:
    return bool(
        f.availability is AvailabilityState.TEMPORARY
        and f.backup_available
        and f.restore_hours is not None
        and f.restore_hours <= 24
    )


def _availability_hard(f: Facts) -> bool:
    """Lost for good, no backup, or back only after more than a day."""
    long = f.restore_hours is not None and f.restore_hours > 24
    return A in f.natures and (
        f.availability is AvailabilityState.PERMANENT or f.backup_available is False or long
    )


def _effect_on_people(f: Facts) -> bool:
    """The FG says the outage delayed help, care, a decision or a payment (EDPB 01/2021 casus 3)."""
    return A in f.natures and f.availability_effect in (AvailabilityEffect.DELAYED, AvailabilityEffect.HARM)


def _effect_serious(f: Facts) -> bool:
    """Someone may be harmed, or the delay lasted longer than a day (EDPB 01/2021 casus 3)."""
    if A not in f.natures:
        return False
    if f.availability_effect is AvailabilityEffect.HARM:
        return True
    long = f.effect_hours is not None and f.effect_hours > LONG_DELAY_HOURS
    return f.availability_effect is AvailabilityEffect.DELAYED and long


def _back_without_effect(f: Facts) -> bool:
    """Back from a backup, and the FG says nobody's help, care or decisions were delayed."""
    return (
        f.availability_effect is AvailabilityEffect.NONE
        and f.availability is AvailabilityState.TEMPORARY
        and f.backup_available is not False
    )


def _out_of_control(f: Facts) -> bool:
    """EDPB 9/2022 §IV factor 4: the data went to an unknown number of people, the public or a
    malicious party (a thief, a hacker), or were exfiltrated — not to a known recipient."""
    return bool(_recipients(f) & BROAD) or _exfiltration_assumed(f)


def _still_sensitive(f: Facts, dpc: int) -> bool:
    """ENISA 2013 §2: the sensitive-context rules hold unless the FG lowered the context score
    below ``SENSITIVE_FLOOR`` (with a reason)."""
    return f.context_adjustment >= 0 or dpc >= SENSITIVE_FLOOR
