"""The triage engine: from the facts of a breach to an advice with reasons.

Pure functions, no Streamlit, no database. It decides, each step with Dutch reasons and
their source:

1. whether this is a personal data breach at all (art. 4 sub 12 AVG; lawful sharing is not);
2. the ENISA severity SE = DPC × EI + CB (ENISA 2013; ``shared/domain/enisa.md``);
3. the risk level per EDPB 9/2022 §IV (no risk likely / risk / high risk), every factor stated;
4. the advice: notify the AP (art. 33), inform the people (art. 34) or which art. 34(3)
   exception applies, the 72-hour deadline and whether it has passed;
5. which unknown facts would change the advice, found by re-running the rules with a
   plausible answer for each ("bij twijfel melden": unknown key facts never give "no risk").

ENISA sets no notification threshold; its level is evidence in the EDPB weighing, not the rule.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from datalek import deadlines
from datalek.facts import (
    AvailabilityState, ConfidentialityState, DataCategory, Exfiltration, Facts,
    IntegrityState, PeopleGroup, RecipientKind, Unintelligible,
)  # fmt: skip
from datalek.intake import CountKind, Retrieval
from datalek.models import IncidentType, LabelledEnum, Nature


class Reason(BaseModel):
    text: str
    ref: str


class EnisaLevel(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"low": "Laag", "medium": "Gemiddeld", "high": "Hoog", "very_high": "Zeer hoog"}


class RiskLevel(LabelledEnum):
    NONE = "none"
    RISK = "risk"
    HIGH = "high"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"none": "Geen risico waarschijnlijk", "risk": "Risico", "high": "Hoog risico"}


class Art34Exception(LabelledEnum):
    UNINTELLIGIBLE = "a"
    LATER_MEASURES = "b"
    DISPROPORTIONATE = "c"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "a": "art. 34 lid 3 sub a AVG: de gegevens zijn onleesbaar voor anderen",
            "b": "art. 34 lid 3 sub b AVG: maatregelen achteraf nemen het hoge risico weg",
            "c": "art. 34 lid 3 sub c AVG: onevenredige inspanning, dus een openbare mededeling",
        }


class DpcScore(BaseModel):
    category: str
    base: int
    score: int
    reasons: list[Reason]


class CbElement(BaseModel):
    element: str
    points: float
    reason: Reason


class Enisa(BaseModel):
    dpc: int
    dpc_scores: list[DpcScore]
    ei: float
    ei_reason: Reason
    cb: float
    cb_elements: list[CbElement]
    se: float
    level: EnisaLevel
    over_100: bool
    unintelligible: bool


class MissingFact(BaseModel):
    field: str
    label: str
    effect: str


class Advice(BaseModel):
    is_breach: bool
    breach_reasons: list[Reason]
    enisa: Enisa | None
    risk: RiskLevel | None
    risk_factors: list[Reason]
    notify_authority: bool
    inform_subjects: bool
    exception: Art34Exception | None
    public_communication: bool
    phased: bool
    deadline: datetime
    hours_left: float
    late: bool
    reasons: list[Reason]
    missing: list[MissingFact]

    def summary(self) -> str:
        if not self.is_breach:
            return "Geen datalek: vastleggen in het register, niet melden."
        yes = {True: "ja", False: "nee"}
        return (f"Melden bij de AP: {yes[self.notify_authority]}. Betrokkenen informeren: "
                f"{yes[self.inform_subjects]}. {self.risk.label}.")  # fmt: skip


# --- vocabulary groupings ---------------------------------------------------------------

D = DataCategory
SENSITIVE = frozenset({D.HEALTH, D.CARE_FILE, D.CHILD_PROTECTION, D.CRIMINAL, D.RACIAL_ETHNIC,
                       D.POLITICAL, D.RELIGIOUS, D.SEX_LIFE, D.UNION, D.GENETIC, D.BIOMETRIC})  # fmt: skip
FINANCIAL = frozenset({D.FINANCIAL, D.PAYMENT_MEANS})
BEHAVIOURAL = frozenset({D.LOCATION, D.PROFILE})
SIMPLE = frozenset({D.BASIC, D.CONTACT, D.OFFICIAL_DOCUMENTS, D.BSN, D.ID_DOCUMENT, D.OTHER})
IDENTIFYING = frozenset({D.BASIC, D.BSN, D.ID_DOCUMENT, D.OFFICIAL_DOCUMENTS, D.CARE_FILE,
                         D.CHILD_PROTECTION, D.HEALTH, D.CRIMINAL, D.BIOMETRIC, D.GENETIC})  # fmt: skip
CARE_CRITICAL = frozenset({D.HEALTH, D.CARE_FILE, D.CHILD_PROTECTION})
BROAD = frozenset({RecipientKind.UNKNOWN, RecipientKind.PUBLIC, RecipientKind.MALICIOUS})
LOSS_TYPES = frozenset({IncidentType.DEVICE_LOST_STOLEN, IncidentType.PAPER_LOST,
                        IncidentType.MAIL_MISDELIVERED, IncidentType.EWASTE,
                        IncidentType.PAPER_DISPOSAL})  # fmt: skip
HACK_TYPES = frozenset({IncidentType.HACKING_MALWARE, IncidentType.RANSOMWARE,
                        IncidentType.EXPLOITED_VULNERABILITY, IncidentType.UNAUTHORISED_ACCESS,
                        IncidentType.EXFILTRATION, IncidentType.PHISHING})  # fmt: skip
EDPB = "EDPB 9/2022 §IV"


def _vulnerable(f: Facts) -> bool:
    return bool({PeopleGroup.MINORS, PeopleGroup.VULNERABLE} & set(f.groups))


def _count(f: Facts) -> int | None:
    return f.people_count if f.people_count_kind is not CountKind.UNKNOWN else None


def _confidentiality_lost(f: Facts) -> bool:
    """Confidentiality is at stake unless evidence excludes disclosure."""
    return Nature.CONFIDENTIALITY in f.natures and f.confidentiality is not ConfidentialityState.NOT_DISCLOSED


# --- 1. is it a breach ------------------------------------------------------------------


def breach_reasons(f: Facts) -> tuple[bool, list[Reason]]:
    """Art. 4 sub 12 AVG; lawful sharing (youth-context §3) is no breach but is recorded."""
    if not f.personal_data:
        return False, [Reason(text="Er zijn geen persoonsgegevens bij betrokken, dus dit is geen "
                                   "datalek. Leg het wel vast in het register.", ref="art. 4 sub 12 AVG")]  # fmt: skip
    if f.lawful_basis.value != "none":
        return False, [Reason(text=f"De gegevens zijn gedeeld met een wettelijke grondslag "
                                   f"({f.lawful_basis.label}). Dat is geen datalek; leg de grondslag vast.",
                              ref="art. 6 AVG; handreiking jeugddomein §1.6")]  # fmt: skip
    return True, [Reason(text="Persoonsgegevens zijn zonder grondslag gelekt, veranderd of kwijt: "
                              "dit is een datalek.", ref="art. 4 sub 12 AVG")]  # fmt: skip


# --- 2. ENISA severity ------------------------------------------------------------------


def _dpc_simple(f: Facts, cats: set[DataCategory]) -> DpcScore:
    score, reasons = 1, []
    if _vulnerable(f) and f.child_safety:
        score, reasons = 4, [Reason(text="Minderjarigen of kwetsbare personen: de informatie is "
                                         "bepalend voor hun veiligheid.", ref="ENISA DPC +3: minderjarigen/kwetsbaren, veiligheid")]  # fmt: skip
    elif f.youth_care_controller or f.professional_secrecy:
        score, reasons = 3, [Reason(text="Cliënt zijn van jeugdhulp of het sociaal domein zegt al iets "
                                         "over gezondheid of de thuissituatie.", ref="ENISA DPC +2: aard van de verwerkingsverantwoordelijke")]  # fmt: skip
    elif cats & {D.BSN, D.ID_DOCUMENT} or f.family_file:
        why = ("BSN of kopie identiteitsbewijs maakt identiteitsfraude en koppeling mogelijk."
               if cats & {D.BSN, D.ID_DOCUMENT} else "Een gezinsdossier geeft een profiel van een heel gezin.")
        score, reasons = 2, [Reason(text=why, ref="ENISA DPC +1; art. 46 UAVG")]
    return DpcScore(category="simple", base=1, score=score, reasons=reasons)


def _dpc_scores(f: Facts) -> tuple[list[DpcScore], list[MissingFact]]:
    cats, scores, missing = set(f.data_categories), [], []
    if cats & SIMPLE:
        scores.append(_dpc_simple(f, cats))
    if cats & BEHAVIOURAL:
        up = f.youth_care_controller
        scores.append(DpcScore(category="behavioural", base=2, score=3 if up else 2, reasons=[
            Reason(text="Gedrag van cliënten van jeugdhulp of sociaal domein geeft een gedetailleerd "
                        "beeld van hun dagelijks leven.", ref="ENISA DPC +1: profiel")] if up else []))  # fmt: skip
    if cats & FINANCIAL:
        card = D.PAYMENT_MEANS in cats
        scores.append(DpcScore(category="financial", base=3, score=4 if card else 3, reasons=[
            Reason(text="Volledige betaalgegevens maken fraude mogelijk.", ref="ENISA DPC +1: fraude")]
            if card else []))  # fmt: skip
    if cats & SENSITIVE:
        scores.append(DpcScore(category="sensitive", base=4, score=4, reasons=[]))
    if D.CREDENTIALS in cats and not scores:
        scores.append(DpcScore(category="simple", base=1, score=1, reasons=[Reason(
            text="Inloggegevens tellen naar de gegevens waar ze toegang toe geven; die zijn nog niet bekend.",
            ref="ENISA DPC: inloggegevens")]))  # fmt: skip
        missing.append(MissingFact(field="data_categories", label="Waar de inloggegevens toegang toe geven",
                                   effect="Geven ze toegang tot gevoelige gegevens, dan is de ernst hoger."))  # fmt: skip
    if not scores:
        scores.append(DpcScore(category="simple", base=1, score=1, reasons=[Reason(
            text="De soort gegevens is nog onbekend; alleen het bekende is gescoord.", ref="ENISA DPC")]))
    return scores, missing


def _ei(f: Facts) -> tuple[float, Reason]:
    cats = set(f.data_categories)
    if cats & IDENTIFYING or D.UNKNOWN in cats:
        return 1.0, Reason(text="De personen zijn direct uit de gegevens te herkennen (naam, BSN, dossier).",
                           ref="ENISA EI 1: maximaal")  # fmt: skip
    if D.CONTACT in cats:
        return 0.75, Reason(text="Contactgegevens maken de persoon met weinig moeite herkenbaar.",
                            ref="ENISA EI 0,75: aanzienlijk")  # fmt: skip
    return 0.5, Reason(text="Zonder naam of nummer is de persoon alleen met extra informatie te herkennen.",
                       ref="ENISA EI 0,5: beperkt")  # fmt: skip


def _cb(f: Facts) -> list[CbElement]:
    elements = []
    if Nature.CONFIDENTIALITY in f.natures and f.confidentiality is not ConfidentialityState.NOT_DISCLOSED:
        recipients = set(f.recipients)
        if recipients & BROAD or (f.exfiltration in (Exfiltration.CONFIRMED, Exfiltration.LIKELY)):
            elements.append(CbElement(element="confidentiality", points=0.5, reason=Reason(
                text="Gegevens zijn bij een onbekend aantal ontvangers terechtgekomen of openbaar geweest.",
                ref="ENISA CB vertrouwelijkheid +0,5")))  # fmt: skip
        elif recipients & {RecipientKind.TRUSTED, RecipientKind.KNOWN}:
            elements.append(CbElement(element="confidentiality", points=0.25, reason=Reason(
                text="Gegevens zijn bij een beperkt aantal bekende ontvangers terechtgekomen.",
                ref="ENISA CB vertrouwelijkheid +0,25")))  # fmt: skip
        else:
            elements.append(CbElement(element="confidentiality", points=0.0, reason=Reason(
                text="Gegevens zijn blootgesteld (kwijt), zonder aanwijzing dat iemand ze gebruikte.",
                ref="ENISA CB vertrouwelijkheid 0")))  # fmt: skip
    if Nature.INTEGRITY in f.natures and f.integrity is not None:
        points = {IntegrityState.ALTERED_NO_MISUSE: 0.0, IntegrityState.ALTERED_REVERSIBLE: 0.25,
                  IntegrityState.ALTERED_IRREVERSIBLE: 0.5}[f.integrity]  # fmt: skip
        elements.append(CbElement(element="integrity", points=points, reason=Reason(
            text=f"Integriteit: {f.integrity.label.lower()}.", ref=f"ENISA CB integriteit +{points:g}")))
    if Nature.AVAILABILITY in f.natures:
        easy = (f.availability is AvailabilityState.TEMPORARY and f.backup_available
                and f.restore_hours is not None and f.restore_hours <= 24)  # fmt: skip
        if easy:
            points, text = 0.0, "De gegevens zijn zonder moeite te herstellen uit een back-up."
        elif f.availability is AvailabilityState.PERMANENT or f.backup_available is False:
            points, text = 0.5, "De gegevens zijn blijvend weg of er is geen back-up."
        else:
            points, text = 0.25, "De gegevens zijn tijdelijk niet beschikbaar."
        elements.append(CbElement(element="availability", points=points,
                                  reason=Reason(text=text, ref=f"ENISA CB beschikbaarheid +{points:g}")))
    if f.cause.malicious or RecipientKind.MALICIOUS in f.recipients:
        elements.append(CbElement(element="malicious", points=0.5, reason=Reason(
            text="Er is opzet of kwade wil in het spel (diefstal, hack, misbruik).",
            ref="ENISA CB kwade opzet +0,5")))  # fmt: skip
    return elements


def level_for(se: float) -> EnisaLevel:
    if se < 2:
        return EnisaLevel.LOW
    if se < 3:
        return EnisaLevel.MEDIUM
    if se < 4:
        return EnisaLevel.HIGH
    return EnisaLevel.VERY_HIGH


def enisa_score(f: Facts) -> Enisa:
    """SE = DPC × EI + CB: highest DPC, highest EI, CB elements summed."""
    scores, _ = _dpc_scores(f)
    dpc = max(s.score for s in scores)
    ei, ei_reason = _ei(f)
    cb_elements = _cb(f)
    cb = sum(e.points for e in cb_elements)
    se = round(dpc * ei + cb, 4)
    count = _count(f)
    return Enisa(dpc=dpc, dpc_scores=scores, ei=ei, ei_reason=ei_reason, cb=cb,
                 cb_elements=cb_elements, se=se, level=level_for(se),
                 over_100=bool(count and count > 100),
                 unintelligible=f.unintelligible is Unintelligible.INTACT)  # fmt: skip


# --- 3. EDPB risk -----------------------------------------------------------------------


def unknown_key_facts(f: Facts) -> list[str]:
    """The facts whose absence forbids concluding 'no risk' (AP: bij twijfel melden)."""
    unknown = []
    if D.UNKNOWN in f.data_categories:
        unknown.append("data_categories")
    if PeopleGroup.UNKNOWN in f.groups:
        unknown.append("groups")
    if Nature.CONFIDENTIALITY in f.natures and f.unintelligible is not Unintelligible.INTACT:
        if RecipientKind.TBD in f.recipients:
            unknown.append("recipients")
        if f.confidentiality in (None, ConfidentialityState.TBD, ConfidentialityState.NOT_ASSESSABLE):
            unknown.append("confidentiality")
    if Nature.CONFIDENTIALITY in f.natures and f.unintelligible in (
            Unintelligible.TBD, Unintelligible.NOT_ASSESSABLE):
        unknown.append("unintelligible")
    if f.incident_type in HACK_TYPES and f.exfiltration is Exfiltration.UNKNOWN:
        unknown.append("exfiltration")
    if Nature.AVAILABILITY in f.natures and f.backup_available is None:
        unknown.append("backup_available")
    if not f.natures:
        unknown.append("natures")
    return unknown


def _no_risk(f: Facts) -> Reason | None:
    """The situations the AP and EDPB name where a risk is unlikely (rules.md §3, §5)."""
    availability_ok = Nature.AVAILABILITY not in f.natures or bool(
        f.backup_available and f.availability is AvailabilityState.TEMPORARY
        and f.restore_hours is not None and f.restore_hours <= 24)  # fmt: skip
    if f.unintelligible is Unintelligible.INTACT and availability_ok:
        return Reason(text="De gegevens waren onleesbaar gemaakt volgens de stand van de techniek, de "
                           "sleutel is veilig en de gegevens zijn er nog (back-up).",
                      ref="AP 'Datalek: wel of niet melden'; EDPB 01/2021 casus 1 en 5")  # fmt: skip
    only_availability = Nature.CONFIDENTIALITY not in f.natures and Nature.INTEGRITY not in f.natures
    if only_availability and availability_ok and (
            f.incident_type not in HACK_TYPES or f.exfiltration is Exfiltration.EXCLUDED):
        return Reason(text="Alleen tijdelijk verlies van beschikbaarheid, binnen een dag hersteld uit "
                           "een back-up, en weglekken is uitgesloten.", ref="EDPB 01/2021 casus 1 en 2")  # fmt: skip
    if f.cause.malicious or Nature.INTEGRITY in f.natures or not availability_ok:
        return None
    if set(f.recipients) == {RecipientKind.TRUSTED} and f.retrieval is Retrieval.CONFIRMED:
        return Reason(text="De ontvanger is een betrouwbare professional met geheimhoudingsplicht die "
                           "heeft bevestigd dat de gegevens zijn verwijderd.",
                      ref="AP 'Datalek: wel of niet melden'; EDPB 01/2021 casus 14")  # fmt: skip
    if f.confidentiality is ConfidentialityState.NOT_DISCLOSED:
        return Reason(text="Met redelijk bewijs is vastgesteld dat niemand de gegevens heeft gezien, "
                           "en ze zijn er nog.", ref="EDPB 9/2022 §IV")  # fmt: skip
    return None


def _high_risk(f: Facts, enisa: Enisa) -> list[Reason]:
    """Circumstances in which the EDPB says damage should be considered likely."""
    cats, found = set(f.data_categories), []
    exposed = _confidentiality_lost(f) and f.unintelligible is not Unintelligible.INTACT and not (
        set(f.recipients) == {RecipientKind.TRUSTED} and f.retrieval is Retrieval.CONFIRMED)
    if exposed and cats & SENSITIVE:
        found.append(Reason(text="Bijzondere, strafrechtelijke of jeugdbeschermingsgegevens zijn mogelijk "
                                 "bij onbevoegden terechtgekomen: schade moet waarschijnlijk worden geacht.",
                            ref="art. 9 en 10 AVG; EDPB 9/2022 §IV"))  # fmt: skip
    if exposed and cats & {D.BSN, D.ID_DOCUMENT} and set(f.recipients) & BROAD:
        found.append(Reason(text="BSN of kopie identiteitsbewijs bij onbekenden: kans op identiteitsfraude.",
                            ref="art. 46 UAVG; EDPB 9/2022 §IV"))  # fmt: skip
    if exposed and _vulnerable(f) and (cats & SENSITIVE or f.youth_care_controller):
        found.append(Reason(text="Het gaat om kinderen of kwetsbare personen in een gevoelige context.",
                            ref="EDPB 9/2022 §IV, factor 5"))  # fmt: skip
    if Nature.AVAILABILITY in f.natures and cats & CARE_CRITICAL and (
            f.availability is AvailabilityState.PERMANENT or f.backup_available is False
            or (f.restore_hours or 0) > 24):
        found.append(Reason(text="Zorgkritische gegevens zijn lang of blijvend niet beschikbaar.",
                            ref="EDPB 01/2021 casus 2"))  # fmt: skip
    count = _count(f)
    if exposed and count and count > 100 and f.unintelligible is Unintelligible.NO and enisa.dpc >= 2:
        found.append(Reason(text="Leesbare gegevens van meer dan 100 personen zijn mogelijk bij onbevoegden.",
                            ref="EDPB 01/2021 casus 6; EDPB 9/2022 §IV, factor 7"))  # fmt: skip
    if exposed and enisa.level in (EnisaLevel.HIGH, EnisaLevel.VERY_HIGH):
        found.append(Reason(text=f"De ENISA-ernst is {enisa.level.label.lower()} (SE {enisa.se:.2f}).",
                            ref="ENISA 2013 §3"))  # fmt: skip
    return found


def risk_factors(f: Facts, enisa: Enisa) -> list[Reason]:
    """The seven EDPB factors, each stated for this breach."""
    natures = ", ".join(n.label.split(" (")[0].lower() for n in f.natures) or "nog onbekend"
    cats = set(f.data_categories)
    sensitive = "bijzondere of gevoelige gegevens" if cats & SENSITIVE else "geen bijzondere gegevens"
    count = _count(f)
    people = f"{count} personen" if count is not None else "een onbekend aantal personen"
    groups = ", ".join(g.label.lower() for g in f.groups)
    recipients = ", ".join(r.label.lower() for r in f.recipients)
    return [
        Reason(text=f"1. Soort inbreuk: {natures}.", ref=f"{EDPB}, factor 1"),
        Reason(text=f"2. Gevoeligheid en omvang: {sensitive}; ENISA-context {enisa.dpc} van 4.",
               ref=f"{EDPB}, factor 2"),
        Reason(text=f"3. Herkenbaarheid: {enisa.ei_reason.text}", ref=f"{EDPB}, factor 3"),
        Reason(text=f"4. Ernst van de gevolgen: ontvangers {recipients}; oorzaak {f.cause.label.lower()}.",
               ref=f"{EDPB}, factor 4"),
        Reason(text=f"5. Bijzondere kenmerken van de betrokkenen: {groups}.", ref=f"{EDPB}, factor 5"),
        Reason(text="6. Bijzondere kenmerken van de organisatie: " + (
            "jeugdhulp of sociaal domein, cliënt zijn is al gevoelig." if f.youth_care_controller
            else "geen bijzondere context opgegeven."), ref=f"{EDPB}, factor 6"),  # fmt: skip
        Reason(text=f"7. Aantal betrokkenen: {people}.", ref=f"{EDPB}, factor 7"),
    ]


def _risk(f: Facts, enisa: Enisa) -> tuple[RiskLevel, list[Reason], bool]:
    high = _high_risk(f, enisa)
    if high:
        return RiskLevel.HIGH, high, bool(unknown_key_facts(f))
    unknown = unknown_key_facts(f)
    if not unknown and (why := _no_risk(f)):
        return RiskLevel.NONE, [why], False
    if unknown:
        return RiskLevel.RISK, [Reason(text="Belangrijke feiten zijn nog onbekend. Bij twijfel melden: meld "
                                            "binnen 72 uur en vul later aan.", ref="AP; art. 33 lid 4 AVG")], True  # fmt: skip
    return RiskLevel.RISK, [Reason(text="Een risico voor de betrokkenen is niet onwaarschijnlijk.",
                                   ref="art. 33 lid 1 AVG; EDPB 9/2022 §IV")], False  # fmt: skip


# --- 4. the advice ----------------------------------------------------------------------


def _outcome(f: Facts, now: datetime) -> Advice:
    deadline = deadlines.deadline(f.aware_at)
    hours = deadlines.hours_left(f.aware_at, now)
    is_breach, why_breach = breach_reasons(f)
    if not is_breach:
        return Advice(is_breach=False, breach_reasons=why_breach, enisa=None, risk=None, risk_factors=[],
                      notify_authority=False, inform_subjects=False, exception=None,
                      public_communication=False, phased=False, deadline=deadline, hours_left=hours,
                      late=False, reasons=[], missing=[])  # fmt: skip
    enisa = enisa_score(f)
    risk, reasons, phased = _risk(f, enisa)
    notify = risk is not RiskLevel.NONE
    reasons = list(reasons)
    reasons.append(Reason(text="Melden bij de AP is nodig: een risico is niet onwaarschijnlijk." if notify
                          else "Niet melden bij de AP: een risico is onwaarschijnlijk. Leg het wel vast.",
                          ref="art. 33 lid 1 en lid 5 AVG"))  # fmt: skip
    exception, inform, public = None, False, False
    if risk is RiskLevel.HIGH:
        if f.unintelligible is Unintelligible.INTACT:
            exception = Art34Exception.UNINTELLIGIBLE
        elif f.later_measures:
            exception = Art34Exception.LATER_MEASURES
        elif f.disproportionate_effort:
            exception, public = Art34Exception.DISPROPORTIONATE, True
        inform = exception is None
        reasons.append(Reason(text="Informeer de betrokkenen zonder onnodige vertraging, in duidelijke taal."
                              if inform else f"Betrokkenen apart informeren is niet nodig: {exception.label}.",
                              ref="art. 34 lid 1 en lid 3 AVG"))  # fmt: skip
        if f.child_safety:
            reasons.append(Reason(text="Let op: ga eerst na of informeren de veiligheid van een kind of een "
                                       "ander in gevaar brengt; stel het dan gemotiveerd uit.",
                                  ref="handreiking jeugddomein §1.4"))  # fmt: skip
    else:
        reasons.append(Reason(text="Betrokkenen informeren is niet verplicht: er is geen hoog risico.",
                              ref="art. 34 lid 1 AVG"))  # fmt: skip
    late = notify and hours < 0
    reasons.append(Reason(
        text=(f"De termijn van 72 uur is verstreken ({deadlines.describe_hours_left(hours)}): meld zo snel "
              "mogelijk en geef de redenen voor de vertraging." if late else
              f"Meld uiterlijk {deadlines.format_local(deadline)} ({deadlines.describe_hours_left(hours)}).")
        if notify else f"De termijn van 72 uur loopt tot {deadlines.format_local(deadline)}.",
        ref="art. 33 lid 1 AVG"))  # fmt: skip
    return Advice(is_breach=True, breach_reasons=why_breach, enisa=enisa, risk=risk,
                  risk_factors=risk_factors(f, enisa), notify_authority=notify, inform_subjects=inform,
                  exception=exception, public_communication=public, phased=phased, deadline=deadline,
                  hours_left=hours, late=late, reasons=reasons, missing=[])  # fmt: skip


# --- 5. what missing facts would change --------------------------------------------------

_ALTERNATIVES: dict[str, tuple[str, list[tuple[dict, str]]]] = {
    "recipients": ("Wie de gegevens heeft gekregen", [
        ({"recipients": [RecipientKind.TRUSTED], "retrieval": Retrieval.CONFIRMED},
         "een betrouwbare professional die verwijdering bevestigt"),
        ({"recipients": [RecipientKind.UNKNOWN]}, "onbekende personen")]),
    "confidentiality": ("Of de gegevens echt zijn ingezien", [
        ({"confidentiality": ConfidentialityState.NOT_DISCLOSED}, "bewezen niet ingezien"),
        ({"confidentiality": ConfidentialityState.DISCLOSED}, "wel ingezien")]),
    "unintelligible": ("Of de gegevens versleuteld waren", [
        ({"unintelligible": Unintelligible.INTACT}, "goed versleuteld met een veilige sleutel"),
        ({"unintelligible": Unintelligible.NO}, "leesbaar")]),
    "data_categories": ("Welke soorten gegevens het betreft", [
        ({"data_categories": [D.BASIC]}, "alleen naam en adres"),
        ({"data_categories": [D.HEALTH]}, "gezondheidsgegevens")]),
    "groups": ("Over wie het gaat", [
        ({"groups": [PeopleGroup.EMPLOYEES]}, "volwassen medewerkers"),
        ({"groups": [PeopleGroup.MINORS]}, "kinderen")]),
    "exfiltration": ("Of gegevens zijn weggesluisd", [
        ({"exfiltration": Exfiltration.EXCLUDED}, "met bewijs uitgesloten"),
        ({"exfiltration": Exfiltration.CONFIRMED}, "vastgesteld")]),
    "backup_available": ("Of er een back-up is", [
        ({"backup_available": True, "availability": AvailabilityState.TEMPORARY, "restore_hours": 4.0},
         "een back-up, binnen een dag hersteld"),
        ({"backup_available": False}, "geen back-up")]),
    "natures": ("Wat voor inbreuk het is", [
        ({"natures": [Nature.AVAILABILITY], "backup_available": True, "restore_hours": 4.0,
          "availability": AvailabilityState.TEMPORARY}, "alleen tijdelijk onbereikbaar")]),
}  # fmt: skip


def _missing(f: Facts, base: Advice, now: datetime) -> list[MissingFact]:
    """For each unknown key fact: would a known answer change the advice? The other unknown
    facts are then taken at their least favourable answer, so a change is a real one."""
    unknown = unknown_key_facts(f)
    worst = {field: _ALTERNATIVES[field][1][-1][0] for field in unknown}
    found = []
    for field in unknown:
        label, options = _ALTERNATIVES[field]
        rest = {k: v for other, change in worst.items() if other != field for k, v in change.items()}
        effects = []
        for change, description in options:
            other = _outcome(f.model_copy(update={**rest, **change}), now)
            if (other.notify_authority, other.inform_subjects) != (base.notify_authority, base.inform_subjects):
                effects.append(f"als het {description} is: melden bij de AP "
                               f"{'ja' if other.notify_authority else 'nee'}, informeren "
                               f"{'ja' if other.inform_subjects else 'nee'}")  # fmt: skip
        effect = ("Kan het advies veranderen: " + "; ".join(effects) + "." if effects
                  else "Verandert het advies niet, maar hoort in de melding en het register.")  # fmt: skip
        found.append(MissingFact(field=field, label=label, effect=effect))
    return found


def assess(facts: Facts, now: datetime | None = None) -> Advice:
    """The advice on these facts at moment ``now`` (default: the current time)."""
    now = now or deadlines.now()
    advice = _outcome(facts, now)
    if advice.is_breach:
        advice = advice.model_copy(update={"missing": _missing(facts, advice, now)})
    return advice

