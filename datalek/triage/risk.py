"""The EDPB risk rules (9/2022 §IV; docs/domain/rules.md §3 and §5): the situations in which a
risk is unlikely, and those in which the risk is high. Each rule is a small function that
returns its Dutch reason with its source, or None when it does not apply."""

from __future__ import annotations

from datalek.intake.situations import Retrieval
from datalek.triage.advice import Enisa, EnisaLevel, Reason
from datalek.triage.context import (
    AP_RISK,
    BROAD,
    CARE_CRITICAL,
    CONTACT_DATA,
    EDPB,
    IDENTIFYING,
    SENSITIVE,
    A,
    C,
    D,
    R,
    _availability_hard,
    _exfiltration_assumed,
    _integrity_misused,
    _num,
    _people,
    _recipients,
    _restored_within_a_day,
    _vulnerable,
)
from datalek.triage.facts import (
    AvailabilityState,
    ConfidentialityState,
    Facts,
    Unintelligible,
)

# --- 3. EDPB risk: "no risk" only where the facts support it ------------------------------------


def no_risk_encrypted(f: Facts) -> Reason | None:
    """AP 'Datalek: wel of niet melden'; EDPB 01/2021 casus 6 and 10: unintelligible by the state
    of the art, the key safe, and the data still there (backup)."""
    if f.unintelligible is not Unintelligible.INTACT or _integrity_misused(f):
        return None
    if A in f.natures and not (f.backup_available and f.availability is not AvailabilityState.PERMANENT):
        return None
    return Reason(
        text="De gegevens waren onleesbaar gemaakt volgens de stand van de techniek, de sleutel is veilig "
        "en de gegevens zijn er nog (back-up).",
        ref=f"{AP_RISK}; EDPB 01/2021 casus 6 en 10",
    )


def no_risk_trusted_recipient(f: Facts) -> Reason | None:
    """AP 'Datalek: wel of niet melden'; EDPB 01/2021 casus 9: only a trusted professional with a
    duty of confidentiality received the data and confirmed deletion, and nothing was malicious."""
    if _recipients(f) != {R.TRUSTED} or f.retrieval is not Retrieval.CONFIRMED:
        return None
    if f.cause.malicious or _exfiltration_assumed(f) or _integrity_misused(f):
        return None
    if A in f.natures and not _restored_within_a_day(f):
        return None
    return Reason(
        text="Alleen een betrouwbare professional met geheimhoudingsplicht kreeg de gegevens, en die heeft "
        "bevestigd dat ze zijn verwijderd.",
        ref=f"{AP_RISK}; EDPB 01/2021 casus 9",
    )


def no_risk_short_outage(f: Facts) -> Reason | None:
    """EDPB 01/2021 casus 1: availability only, back from a backup within a day, exfiltration
    excluded, and no care-critical data (casus 3: a hospital's outage is a risk)."""
    if set(f.natures) != {A} or not _restored_within_a_day(f) or _exfiltration_assumed(f):
        return None
    if set(f.data_categories) & CARE_CRITICAL:
        return None
    return Reason(
        text="Alleen tijdelijk verlies van beschikbaarheid: binnen een dag teruggezet uit een back-up, en "
        "weglekken is uitgesloten.",
        ref="EDPB 01/2021 casus 1",
    )


def no_risk_not_disclosed(f: Facts) -> Reason | None:
    """EU notification template (2026) 'not exfiltrated nor disclosed (reasonable evidence)';
    EDPB 9/2022 §IV: nobody saw the data, and nothing else was lost or changed."""
    if C not in f.natures or f.confidentiality is not ConfidentialityState.NOT_DISCLOSED:
        return None
    if (
        _exfiltration_assumed(f)
        or _integrity_misused(f)
        or (A in f.natures and not _restored_within_a_day(f))
    ):
        return None
    return Reason(
        text="Met redelijk bewijs is vastgesteld dat niemand de gegevens heeft ingezien, en er is niets "
        "kwijt of veranderd.",
        ref=f"{EDPB}; EU-meldformulier: niet ingezien (met bewijs)",
    )


NO_RISK_RULES = (no_risk_encrypted, no_risk_trusted_recipient, no_risk_short_outage, no_risk_not_disclosed)


def no_risk(f: Facts) -> Reason | None:
    """The first situation in which a risk is unlikely (docs/domain/rules.md §3 and §5), if any."""
    for rule in NO_RISK_RULES:
        if why := rule(f):
            return why
    return None


# --- 3. EDPB risk: high risk ---------------------------------------------------------------------
# The confidentiality rules are asked only once the data were exposed (``_exposed``). Encryption
# is weighed apart, so the advice can say it is what protects the people (art. 34 lid 3 sub a).


def high_special_data(f: Facts, enisa: Enisa) -> Reason | None:
    """Art. 9 and 10 AVG; EDPB 9/2022 §IV (damage should be considered likely); EDPB 01/2021
    casus 12: special, criminal or child-protection data reached non-trusted people, or were lost."""
    if not set(f.data_categories) & SENSITIVE:
        return None
    return Reason(
        text="Bijzondere, strafrechtelijke of jeugdbeschermingsgegevens zijn (mogelijk) bij onbevoegden "
        "terechtgekomen of kwijt. Dan moet je schade waarschijnlijk achten.",
        ref=f"art. 9 en 10 AVG; {EDPB}; EDPB 01/2021 casus 12",
    )


def high_identity_fraud(f: Facts, enisa: Enisa) -> Reason | None:
    """Art. 46 UAVG; EDPB 9/2022 §IV (identity data combined): a BSN with identity data, or a copy
    of an ID document, reached unknown, public or malicious recipients."""
    cats = set(f.data_categories)
    with_identity = bool(cats & (IDENTIFYING | CONTACT_DATA) - {D.BSN})
    if not (D.ID_DOCUMENT in cats or (D.BSN in cats and with_identity)):
        return None
    if not (_recipients(f) & BROAD or _exfiltration_assumed(f)):
        return None
    return Reason(
        text="Een BSN met naam of adres, of een kopie van een identiteitsbewijs, is bij onbekenden "
        "terechtgekomen. Dat maakt identiteitsfraude mogelijk.",
        ref=f"art. 46 UAVG; {EDPB}",
    )


def high_vulnerable_people(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 9/2022 §IV, factors 5 and 6; docs/domain/youth-care.md §2: children or vulnerable people in a
    sensitive context — in youth care, being a client is itself sensitive."""
    context = f.youth_care_controller or f.professional_secrecy or f.child_safety
    if not (_vulnerable(f) and (set(f.data_categories) & SENSITIVE or context)):
        return None
    return Reason(
        text="Het gaat om kinderen of kwetsbare personen, in een gevoelige context (jeugdhulp, "
        "beroepsgeheim of gevoelige gegevens).",
        ref=f"{EDPB}, factor 5 en 6; handreiking jeugddomein",
    )


def high_exfiltration(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 4 and 5: in a hack, exfiltration of sensitive data that is confirmed or
    cannot be excluded is assumed to have happened."""
    if not (_exfiltration_assumed(f) and set(f.data_categories) & SENSITIVE):
        return None
    return Reason(
        text="Bij de hack zijn gevoelige gegevens weggesluisd, of dat is niet uit te sluiten. Ga ervan uit "
        "dat het is gebeurd.",
        ref="EDPB 01/2021 casus 4 en 5",
    )


def high_many_people(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 11; EDPB 9/2022 §IV, factor 7: more than 100 people, and more than
    trivial data (ENISA DPC 2 or higher)."""
    people = _people(f)
    if not (people and people > 100 and enisa.dpc >= 2):
        return None
    return Reason(
        text=f"Gegevens van {people} personen, meer dan alleen naam en adres, zijn (mogelijk) bij "
        "onbevoegden terechtgekomen.",
        ref=f"EDPB 01/2021 casus 11; {EDPB}, factor 7",
    )


def high_enisa_confidentiality(f: Facts, enisa: Enisa) -> Reason | None:
    """ENISA 2013 §4: severity level high or very high, for data that reached others."""
    if enisa.level not in (EnisaLevel.HIGH, EnisaLevel.VERY_HIGH):
        return None
    return Reason(
        text=f"De ENISA-ernst is {enisa.level.label.lower()} (SE {_num(round(enisa.se, 2))}): ernstige "
        "gevolgen voor de betrokkenen zijn goed mogelijk.",
        ref="ENISA 2013 §4",
    )


CONFIDENTIALITY_HIGH_RULES = (
    high_special_data,
    high_identity_fraud,
    high_vulnerable_people,
    high_exfiltration,
    high_many_people,
    high_enisa_confidentiality,
)


def high_care_data_unavailable(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 2 and 3: care-critical data lost for good, or unavailable for long."""
    if not (set(f.data_categories) & CARE_CRITICAL and _availability_hard(f)):
        return None
    return Reason(
        text="Zorg- of jeugdbeschermingsgegevens zijn blijvend kwijt of lang niet beschikbaar. Dat kan de "
        "zorg of de veiligheid van mensen schaden.",
        ref="EDPB 01/2021 casus 2 en 3",
    )


def high_enisa_loss(f: Facts, enisa: Enisa) -> Reason | None:
    """ENISA 2013 §4: severity level high or very high, for data changed and possibly misused,
    or lost for long."""
    if not (_integrity_misused(f) or _availability_hard(f)):
        return None
    if enisa.level not in (EnisaLevel.HIGH, EnisaLevel.VERY_HIGH):
        return None
    return Reason(
        text=f"De ENISA-ernst is {enisa.level.label.lower()} (SE {_num(round(enisa.se, 2))}) en de "
        "gegevens zijn veranderd of kwijt.",
        ref="ENISA 2013 §4",
    )


LOSS_HIGH_RULES = (high_care_data_unavailable, high_enisa_loss)
