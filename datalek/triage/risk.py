"""The EDPB risk rules (9/2022 §IV; docs/domain/rules.md §3 and §5): the situations in which a
risk is unlikely, and those in which the risk is high. Each rule is a small function that
returns its Dutch reason with its source, or None when it does not apply."""

from __future__ import annotations

from datalek.intake.situations import Retrieval
from datalek.triage.advice import Enisa, EnisaLevel, Reason
from datalek.triage.context import (
    AP_RISK,
    CARE_CRITICAL,
    CONTACT_DATA,
    EDPB,
    IDENTIFYING,
    LARGE_SCALE,
    LONG_DELAY_HOURS,
    SENSITIVE,
    A,
    C,
    D,
    R,
    _availability_hard,
    _back_without_effect,
    _effect_on_people,
    _effect_serious,
    _exfiltration_assumed,
    _integrity_misused,
    _num,
    _out_of_control,
    _people,
    _recipients,
    _restored_within_a_day,
    _still_sensitive,
    _vulnerable,
)
from datalek.triage.facts import (
    AvailabilityEffect,
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
    excluded; with care-critical data only when the FG says no help, care or decision was
    delayed (casus 3: the effect on the people decides, not the kind of data)."""
    if set(f.natures) != {A} or not _restored_within_a_day(f) or _exfiltration_assumed(f):
        return None
    care = bool(set(f.data_categories) & CARE_CRITICAL)
    if care and f.availability_effect is not AvailabilityEffect.NONE:
        return None
    return Reason(
        text="Alleen tijdelijk verlies van beschikbaarheid: binnen een dag teruggezet uit een back-up, en "
        "weglekken is uitgesloten."
        + (" Hulp, zorg en besluiten over mensen zijn niet vertraagd." if care else ""),
        ref="EDPB 01/2021 casus 1" + (" en 3" if care else ""),
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
    """The first situation in which a risk is unlikely (docs/domain/rules.md §3 and §5), if any.
    None once the outage delayed help, care, a decision or a payment (EDPB 01/2021 casus 3)."""
    if _effect_on_people(f):
        return None
    for rule in NO_RISK_RULES:
        if why := rule(f):
            return why
    return None


# --- 3. EDPB risk: high risk ---------------------------------------------------------------------
# The confidentiality rules are asked only once the data were exposed (``_exposed``). Encryption
# is weighed apart, so the advice can say it is what protects the people (art. 34 lid 3 sub a).


def high_special_data(f: Facts, enisa: Enisa) -> Reason | None:
    """Art. 9 and 10 AVG; EDPB 9/2022 §IV (damage should be considered likely); EDPB 01/2021
    casus 12: special, criminal or child-protection data reached non-trusted people, or were lost
    — unless the FG lowered the context below "could damage the individual" (ENISA 2013 §2)."""
    if not (set(f.data_categories) & SENSITIVE and _still_sensitive(f, enisa.dpc)):
        return None
    return Reason(
        text="Bijzondere, strafrechtelijke of jeugdbeschermingsgegevens zijn (mogelijk) bij onbevoegden "
        "terechtgekomen of kwijt. Dan moet je schade waarschijnlijk achten.",
        ref=f"art. 9 en 10 AVG; {EDPB}; EDPB 01/2021 casus 12",
    )


def high_identity_fraud(f: Facts, enisa: Enisa) -> Reason | None:
    """Art. 46 UAVG; AP 'Datalek: wel of niet melden'; EDPB 9/2022 §IV (identity data combined):
    a BSN with identity data, or a copy of an ID document, reached anyone who is not a trusted
    professional bound to confidentiality — a known wrong recipient too, as for financial data
    (asked only once the data were exposed, so the trusted-professional exception holds)."""
    cats = set(f.data_categories)
    with_identity = bool(cats & (IDENTIFYING | CONTACT_DATA) - {D.BSN})
    if not (D.ID_DOCUMENT in cats or (D.BSN in cats and with_identity)):
        return None
    return Reason(
        text="Een BSN met naam of adres, of een kopie van een identiteitsbewijs, is (mogelijk) bij "
        "iemand terechtgekomen die geen geheimhoudingsplicht heeft. Dat maakt identiteitsfraude mogelijk.",
        ref=f"art. 46 UAVG; {AP_RISK}; {EDPB}",
    )


def high_vulnerable_people(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 9/2022 §IV, factors 5 and 6; docs/domain/youth-care.md §2: children or vulnerable people in a
    sensitive context — in youth care, being a client is itself sensitive."""
    context = f.youth_care_controller or f.professional_secrecy or f.child_safety
    if not (_vulnerable(f) and (set(f.data_categories) & SENSITIVE or context)):
        return None
    if not _still_sensitive(f, enisa.dpc):
        return None
    return Reason(
        text="Het gaat om kinderen of kwetsbare personen, in een gevoelige context (jeugdhulp, "
        "beroepsgeheim of gevoelige gegevens).",
        ref=f"{EDPB}, factor 5 en 6; handreiking jeugddomein",
    )


def high_exfiltration(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 4 and 5: in a hack, exfiltration of sensitive data that is confirmed or
    cannot be excluded is assumed to have happened."""
    if not (
        _exfiltration_assumed(f) and set(f.data_categories) & SENSITIVE and _still_sensitive(f, enisa.dpc)
    ):
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


def high_scale(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 9/2022 §IV factor 7 (number of people) with factor 4 (who has the data); EDPB 01/2021
    casus 11 (a stolen unencrypted laptop with names, addresses and dates of birth of 100,000
    customers: high risk): ordinary identifying data of ``LARGE_SCALE`` people or more, out of
    control — phishing, fraud and profiling at scale."""
    people = _people(f)
    if not (people and people >= LARGE_SCALE and _out_of_control(f) and enisa.ei >= 0.75):
        return None
    return Reason(
        text=f"Herkenbare gegevens van {people} personen zijn bij onbekenden, een dief, een hacker of "
        "iedereen terechtgekomen. Op die schaal zijn phishing, fraude en profilering goed mogelijk, "
        "ook met gewone gegevens.",
        ref=f"{EDPB}, factor 4 en 7; EDPB 01/2021 casus 11",
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
    high_scale,
    high_enisa_confidentiality,
)


def high_care_data_unavailable(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 2 and 3: care-critical data lost for good, or unavailable for long —
    unless the FG says nobody's help, care or decisions were delayed."""
    if not (set(f.data_categories) & CARE_CRITICAL and _availability_hard(f)):
        return None
    if f.availability_effect is AvailabilityEffect.NONE:
        return None
    return Reason(
        text="Zorg- of jeugdbeschermingsgegevens zijn blijvend kwijt of lang niet beschikbaar. Dat kan de "
        "zorg of de veiligheid van mensen schaden.",
        ref="EDPB 01/2021 casus 2 en 3",
    )


def high_effect_on_people(f: Facts, enisa: Enisa) -> Reason | None:
    """EDPB 01/2021 casus 3 (a hospital's outage delayed treatment): the outage may harm someone,
    or delayed help, care, a decision or a payment for longer than ``LONG_DELAY_HOURS``."""
    if not _effect_serious(f):
        return None
    how = (
        "iemand kan daardoor schade hebben"
        if f.availability_effect is AvailabilityEffect.HARM
        else f"dat duurde langer dan {LONG_DELAY_HOURS} uur"
    )
    return Reason(
        text=f"Doordat de gegevens niet beschikbaar waren, zijn hulp, zorg, besluiten of betalingen "
        f"vertraagd, en {how}.",
        ref="EDPB 01/2021 casus 3",
    )


def high_enisa_loss(f: Facts, enisa: Enisa) -> Reason | None:
    """ENISA 2013 §4: severity level high or very high, for data changed and possibly misused,
    or lost for long (not when back from a backup without any effect on the people)."""
    hard = _availability_hard(f) and not _back_without_effect(f)
    if not (_integrity_misused(f) or hard):
        return None
    if enisa.level not in (EnisaLevel.HIGH, EnisaLevel.VERY_HIGH):
        return None
    return Reason(
        text=f"De ENISA-ernst is {enisa.level.label.lower()} (SE {_num(round(enisa.se, 2))}) en de "
        "gegevens zijn veranderd of kwijt.",
        ref="ENISA 2013 §4",
    )


LOSS_HIGH_RULES = (high_effect_on_people, high_care_data_unavailable, high_enisa_loss)
