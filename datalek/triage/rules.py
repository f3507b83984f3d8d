"""Unknown key facts, the verdict (rules 3 to 5) and the reasons of the advice. The risk rules
themselves are in ``triage.risk``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from datalek import clock, deadlines
from datalek.intake.situations import Retrieval
from datalek.triage.advice import Art34Exception, Enisa, Reason, RiskLevel
from datalek.triage.context import (
    AP_RISK,
    CARE_CRITICAL,
    EDPB,
    FINANCIAL,
    HACK_TYPES,
    LARGE_SCALE,
    SENSITIVE,
    A,
    C,
    D,
    I,
    R,
    _confidentiality_at_stake,
    _exfiltration_assumed,
    _exposed,
    _known_categories,
    _num,
    _people,
    _recipients,
    _vulnerable,
)
from datalek.triage.facts import (
    AvailabilityEffect,
    AvailabilityState,
    Cause,
    ConfidentialityState,
    Exfiltration,
    Facts,
    PeopleGroup,
    Unintelligible,
)
from datalek.triage.questions import LABELS
from datalek.triage.risk import (
    CONFIDENTIALITY_HIGH_RULES,
    LOSS_HIGH_RULES,
    NO_RISK_RULES,
    no_risk,
    no_risk_trusted_recipient,
)

# --- 4. unknown key facts ----------------------------------------------------------------------


def cause_matters(f: Facts) -> bool:
    """An unknown cause matters when only the trusted-recipient situation would make a risk
    unlikely: that one requires that nothing malicious happened (EDPB 01/2021 casus 9)."""
    if f.cause not in (Cause.TBD, Cause.UNKNOWN) or not no_risk_trusted_recipient(f):
        return False
    return not any(rule(f) for rule in NO_RISK_RULES if rule is not no_risk_trusted_recipient)


def unknown_key_facts(f: Facts) -> list[str]:
    """AP 'bij twijfel melden'; EDPB 9/2022 §IV (assess when aware, don't wait): the facts whose
    absence forbids concluding 'no risk'. Each only where it can matter: whether and by whom data
    were seen is moot once they were unintelligible, or only reached a trusted professional who
    confirmed deletion."""
    trusted = _recipients(f) == {R.TRUSTED} and f.retrieval is Retrieval.CONFIRMED
    readable = f.unintelligible is not Unintelligible.INTACT
    open_states = (None, ConfidentialityState.TBD, ConfidentialityState.NOT_ASSESSABLE)
    backup_open = (
        f.backup_available is None
        or f.availability in (None, AvailabilityState.UNDETERMINED)
        or (
            f.backup_available
            and f.restore_hours is None
            and f.availability is not AvailabilityState.PERMANENT
        )
    )
    checks = {
        "natures": not f.natures,
        "data_categories": D.UNKNOWN in f.data_categories or not f.data_categories,
        "groups": PeopleGroup.UNKNOWN in f.groups or not f.groups,
        "confidentiality": C in f.natures and readable and not trusted and f.confidentiality in open_states,
        "recipients": C in f.natures
        and readable
        and R.TBD in _recipients(f)
        and _confidentiality_at_stake(f)
        and not _exfiltration_assumed(f),
        "unintelligible": _confidentiality_at_stake(f)
        and not trusted
        and f.unintelligible in (Unintelligible.TBD, Unintelligible.NOT_ASSESSABLE),
        "exfiltration": f.incident_type in HACK_TYPES and f.exfiltration is Exfiltration.UNKNOWN,
        "backup_available": A in f.natures and backup_open,
        # EDPB 01/2021 casus 3: care-critical data are a reason to ask about the effect.
        "availability_effect": set(f.natures) == {A}
        and bool(set(f.data_categories) & CARE_CRITICAL)
        and f.availability_effect is AvailabilityEffect.TBD
        and not _exfiltration_assumed(f),
    }
    unknown = [field for field, is_open in checks.items() if is_open]
    return unknown + ["cause"] if cause_matters(f) else unknown


# --- 5. the verdict and the advice -----------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    risk: RiskLevel
    risk_reasons: list[Reason]
    exception: Art34Exception | None
    unknown: list[str]

    @property
    def notify(self) -> bool:
        return self.risk is not RiskLevel.NONE

    @property
    def inform(self) -> bool:
        return self.risk is RiskLevel.HIGH and self.exception is None


def _later_exception(f: Facts) -> Art34Exception | None:
    """Art. 34 lid 3 sub b and c AVG. Sub a is weighed in ``verdict``: encryption only protects
    against disclosure, not against loss or change."""
    if f.later_measures:
        return Art34Exception.LATER_MEASURES
    if f.disproportionate_effort:
        return Art34Exception.DISPROPORTIONATE
    return None


def verdict(f: Facts, enisa: Enisa) -> Verdict:
    """Rules 3 to 5 in order: high risk first; then 'no risk' only with every key fact known; then
    encryption as art. 34 lid 3 sub a; otherwise risk (AP: bij twijfel melden)."""
    unknown = unknown_key_facts(f)
    high = [r for rule in CONFIDENTIALITY_HIGH_RULES if (r := rule(f, enisa))] if _exposed(f) else []
    high += [r for rule in LOSS_HIGH_RULES if (r := rule(f, enisa))]
    if high:  # open questions cannot lower a high risk; the missing facts name them
        return Verdict(RiskLevel.HIGH, high, _later_exception(f), unknown)
    if not unknown and (why := no_risk(f)):
        return Verdict(RiskLevel.NONE, [why], None, unknown)

    open_list = "; ".join(LABELS[field].lower() for field in unknown)
    doubt = (
        [
            Reason(
                text=f"Nog niet bekend: {open_list}. Dan is niet vast te stellen dat een risico "
                "onwaarschijnlijk is. Bij twijfel melden.",
                ref="AP 'Zo meldt u een datalek'; art. 33 lid 1 AVG",
            )
        ]
        if unknown
        else []
    )
    shielded = (
        [r for rule in CONFIDENTIALITY_HIGH_RULES if (r := rule(f, enisa))]
        if f.unintelligible is Unintelligible.INTACT and _exposed(f, ignore_protection=True)
        else []
    )
    if shielded:
        protected = Reason(
            text="Zonder de versleuteling zou het risico hoog zijn, om de redenen hieronder. De "
            "gegevens zijn onleesbaar en de sleutel is veilig, dus de betrokkenen lopen dat "
            "risico niet.",
            ref="art. 34 lid 3 sub a AVG",
        )
        return Verdict(RiskLevel.HIGH, [*doubt, protected, *shielded], Art34Exception.UNINTELLIGIBLE, unknown)
    if doubt:
        return Verdict(RiskLevel.RISK, doubt, None, unknown)
    risk = Reason(
        text="Een risico voor de betrokkenen is niet onwaarschijnlijk: geen van de situaties waarin de AP "
        "en de EDPB 'geen risico' aannemen, doet zich voor.",
        ref=f"art. 33 lid 1 AVG; {AP_RISK}; {EDPB}",
    )
    return Verdict(RiskLevel.RISK, [risk], None, unknown)


def _lower(label: str) -> str:
    """A label inside a sentence: without its explanation, lower case unless a name or acronym."""
    label = label.split(" (")[0]
    return label if label[1:2].isupper() or label.startswith("Veilig Thuis") else label[0].lower() + label[1:]


_PROTECTION = {
    Unintelligible.INTACT: "de gegevens zijn versleuteld of gehasht volgens de stand van de techniek en de sleutel "
    "is veilig",
    Unintelligible.SUBVERTIBLE: "de gegevens zijn beveiligd, maar die beveiliging is te omzeilen",
    Unintelligible.NO: "de gegevens zijn leesbaar",
    Unintelligible.NOT_ASSESSABLE: "niet vast te stellen of de gegevens onleesbaar waren",
    Unintelligible.TBD: "nog niet bekend of de gegevens onleesbaar waren",
}


def risk_factors(f: Facts, enisa: Enisa) -> list[Reason]:
    """EDPB 9/2022 §IV: the seven factors, each stated for this breach."""
    states = {I: f.integrity, A: f.availability}
    natures = ", ".join(
        _lower(n.label) + (f" ({_lower(states[n].label)})" if states.get(n) else "") for n in f.natures
    )
    cats = _known_categories(f)
    kinds = "; ".join(_lower(c.label) for c in sorted(cats)) or "nog niet bekend"
    special = (
        "bijzondere of strafrechtelijke gegevens, schade is dan waarschijnlijk"
        if cats & SENSITIVE
        else "nog niet bekend of er bijzondere persoonsgegevens bij zijn"
        if D.UNKNOWN in f.data_categories or not f.data_categories
        else "geen bijzondere persoonsgegevens"
    )
    recipients = ", ".join(_lower(r.label) for r in sorted(_recipients(f)))
    harms = [
        harm
        for harm, applies in (
            ("identiteitsfraude", bool(cats & {D.BSN, D.ID_DOCUMENT})),
            ("financiële schade", bool(cats & FINANCIAL)),
            ("discriminatie of psychische schade", bool(cats & SENSITIVE)),
            ("verlies van het beroepsgeheim", f.professional_secrecy),
            ("gevaar voor de veiligheid van een kind", f.child_safety),
        )
        if applies
    ]
    groups = ", ".join(_lower(g.label) for g in f.groups) or "nog niet bekend"
    context = [
        text
        for text, applies in (
            ("jeugdhulp of sociaal domein, cliënt zijn is al gevoelig", f.youth_care_controller),
            ("de gegevens vallen onder het beroepsgeheim", f.professional_secrecy),
        )
        if applies
    ]
    dpc = f"ENISA-context {enisa.dpc} van 4"
    if enisa.adjustment_reason is not None:
        dpc += f", door de FG aangepast (berekend: {enisa.dpc_computed})"
    effect = (
        {
            AvailabilityEffect.NONE: "; hulp, zorg en besluiten niet vertraagd",
            AvailabilityEffect.DELAYED: "; hulp, zorg, besluiten of betalingen vertraagd"
            + (f" ({_num(f.effect_hours)} uur)" if f.effect_hours is not None else ""),
            AvailabilityEffect.HARM: "; iemand kan schade hebben door de vertraging",
            AvailabilityEffect.TBD: "",
        }[f.availability_effect]
        if A in f.natures
        else ""
    )
    people = _people(f)
    count = (
        "nog niet bekend"
        if people is None
        else f"het gaat om {people} {'persoon' if people == 1 else 'personen'}"
    )
    count += ", meer dan 100" if enisa.over_100 else ""
    count += f", {LARGE_SCALE} of meer: grote schaal" if people is not None and people >= LARGE_SCALE else ""
    return [
        Reason(
            text=f"1. Soort inbreuk: {'het gaat om ' + natures if natures else 'nog niet bekend'}{effect}.",
            ref=f"{EDPB}, factor 1",
        ),
        Reason(
            text=f"2. Gevoeligheid en omvang: {kinds}; {special}. {dpc}.",
            ref=f"{EDPB}, factor 2",
        ),
        Reason(
            text=f"3. Herkenbaarheid: {enisa.ei_reason.text} Versleuteling: {_PROTECTION[f.unintelligible]}.",
            ref=f"{EDPB}, factor 3",
        ),
        Reason(
            text=f"4. Ernst van de gevolgen: ontvangers {recipients}; oorzaak {_lower(f.cause.label)}; mogelijke "
            f"schade: {', '.join(harms) or 'hinder en verlies van controle over de gegevens'}.",
            ref=f"{EDPB}, factor 4",
        ),
        Reason(
            text=f"5. Bijzondere kenmerken van de betrokkenen: {groups}"
            + ("; kinderen of kwetsbare personen verhogen het risico." if _vulnerable(f) else "."),
            ref=f"{EDPB}, factor 5",
        ),
        Reason(
            text=f"6. Bijzondere kenmerken van de organisatie: {'; '.join(context) or 'geen bijzondere context'}.",
            ref=f"{EDPB}, factor 6",
        ),
        Reason(text=f"7. Aantal betrokkenen: {count}.", ref=f"{EDPB}, factor 7"),
    ]


def conclusions(f: Facts, v: Verdict, deadline: datetime, hours: float) -> list[Reason]:
    """The reasons for each conclusion: AP yes or no (art. 33), informing and its exceptions
    (art. 34), the youth-care cautions (handreiking §1.4 and §4.2), the deadline (art. 33 lid 1)."""
    reasons = list(v.risk_reasons)
    if _exfiltration_assumed(f):
        reasons.append(
            Reason(
                text="Bij een hack waarbij weglekken niet met bewijs is uitgesloten, ga je ervan uit "
                "dat de gegevens zijn weggesluisd.",
                ref="EDPB 01/2021 casus 4; EDPB 9/2022 §IV",
            )
        )
    if v.notify:
        reasons.append(
            Reason(
                text="Meld het datalek bij de AP: een risico voor de betrokkenen is niet onwaarschijnlijk.",
                ref="art. 33 lid 1 AVG",
            )
        )
    else:
        reasons.append(
            Reason(
                text="Melden bij de AP is niet nodig: een risico is onwaarschijnlijk. Leg het datalek en "
                "deze reden wel vast in het register.",
                ref="art. 33 lid 1 en lid 5 AVG",
            )
        )
    if v.notify and v.unknown:
        reasons.append(
            Reason(
                text="Meld binnen 72 uur met wat je nu weet, en vul de melding aan zodra de open vragen "
                "zijn beantwoord.",
                ref="art. 33 lid 4 AVG",
            )
        )
    if v.risk is not RiskLevel.HIGH:
        reasons.append(
            Reason(
                text="Betrokkenen informeren is niet verplicht: er is geen hoog risico.",
                ref="art. 34 lid 1 AVG",
            )
        )
    elif v.exception is None:
        reasons.append(
            Reason(
                text="Informeer de betrokkenen zonder onnodige vertraging, in duidelijke taal: wat er "
                "gebeurde, de gevolgen, de maatregelen en een contactpersoon.",
                ref="art. 34 lid 1 en 2 AVG",
            )
        )
    else:
        reasons.append(
            Reason(
                text=f"Betrokkenen apart informeren is niet nodig ({v.exception.label}).",
                ref=f"art. 34 lid 3 sub {v.exception.value} AVG",
            )
        )
        if v.exception is Art34Exception.DISPROPORTIONATE:
            reasons.append(
                Reason(
                    text="Doe in plaats daarvan een openbare mededeling die net zo goed werkt.",
                    ref="art. 34 lid 3 sub c AVG",
                )
            )
    if (
        v.risk is RiskLevel.HIGH
        and not _exposed(f)
        and f.unintelligible is Unintelligible.INTACT
        and v.exception is not Art34Exception.UNINTELLIGIBLE
    ):
        reasons.append(
            Reason(
                text="De versleuteling helpt hier niet: het risico komt doordat gegevens kwijt of "
                "veranderd zijn.",
                ref="art. 34 lid 3 sub a AVG",
            )
        )
    if v.inform and PeopleGroup.MINORS in f.groups:
        reasons.append(
            Reason(
                text="Bij kinderen onder 12 informeer je de ouders met gezag. Van 12 tot 16 jaar het "
                "kind én de ouders, bij 16 en 17 jaar de jongere zelf.",
                ref="handreiking jeugddomein §4.2",
            )
        )
    if v.inform and f.child_safety:
        reasons.append(
            Reason(
                text="Ga eerst na of informeren de veiligheid van een kind of een ander in gevaar "
                "brengt. Stel het dan uit, met een reden en een datum.",
                ref="handreiking jeugddomein §1.4",
            )
        )
    if not v.notify:
        reasons.append(
            Reason(
                text=f"De termijn van 72 uur zou lopen tot {clock.format_local(deadline)}.",
                ref="art. 33 lid 1 AVG",
            )
        )
    elif hours < 0:
        reasons.append(
            Reason(
                text=f"De termijn van 72 uur is verstreken ({deadlines.describe_hours_left(hours)}). "
                "Meld zo snel mogelijk en geef in de melding de redenen voor de vertraging.",
                ref="art. 33 lid 1 AVG",
            )
        )
    else:
        reasons.append(
            Reason(
                text=f"Meld uiterlijk {clock.format_local(deadline)} "
                f"({deadlines.describe_hours_left(hours)}).",
                ref="art. 33 lid 1 AVG",
            )
        )
    return reasons
