"""The ENISA severity SE = DPC x EI + CB (ENISA 2013), with the assessor's adjustments."""

from __future__ import annotations

from datalek.triage.advice import CbElement, DpcScore, Enisa, EnisaLevel, Reason
from datalek.triage.context import (
    BEHAVIOURAL,
    BROAD,
    CONTACT_DATA,
    FINANCIAL,
    IDENTIFYING,
    LOSS_TYPES,
    SENSITIVE,
    SIMPLE,
    A,
    C,
    D,
    I,
    R,
    _confidentiality_at_stake,
    _exfiltration_assumed,
    _known_categories,
    _num,
    _people,
    _recipients,
    _restored_within_a_day,
    _vulnerable,
)
from datalek.triage.facts import (
    AvailabilityState,
    DataCategory,
    Facts,
    IntegrityState,
    Unintelligible,
)

# --- 2. ENISA severity --------------------------------------------------------------------------


def dpc_simple(f: Facts, cats: frozenset[DataCategory]) -> DpcScore:
    """ENISA 2013 DPC table, simple data: basic 1; +1 profiling or identity fraud; +2 assumptions
    about health (the controller); +3 critical for the safety of minors or vulnerable people."""
    raised: list[tuple[int, Reason]] = []
    if _vulnerable(f) and f.child_safety:
        raised.append(
            (
                4,
                Reason(
                    text="Het gaat om kinderen of kwetsbare personen en de informatie is bepalend voor "
                    "hun veiligheid.",
                    ref="ENISA DPC +3: minderjarigen of kwetsbaren, veiligheid (zoals DPC-S1-4)",
                ),
            )
        )
    if f.youth_care_controller:
        raised.append(
            (
                3,
                Reason(
                    text="Cliënt zijn van jeugdhulp of het sociaal domein zegt al iets over iemands "
                    "gezondheid of thuissituatie.",
                    ref="ENISA DPC +2: aard van de organisatie (zoals DPC-S1-3)",
                ),
            )
        )
    if f.professional_secrecy:
        raised.append(
            (
                3,
                Reason(
                    text="De gegevens vallen onder het beroepsgeheim. Ze laten vermoedens toe over "
                    "gezondheid of hulpvragen.",
                    ref="ENISA DPC +2: beroepsgeheim",
                ),
            )
        )
    if cats & {D.BSN, D.ID_DOCUMENT}:
        raised.append(
            (
                2,
                Reason(
                    text="Een BSN of kopie identiteitsbewijs maakt identiteitsfraude en het koppelen van "
                    "gegevens mogelijk.",
                    ref="ENISA DPC +1: identiteitsfraude; art. 46 UAVG",
                ),
            )
        )
    if f.family_file:
        raised.append(
            (
                2,
                Reason(
                    text="Een gezinsdossier geeft een beeld van een heel gezin.",
                    ref="ENISA DPC +1: profiel van een gezin",
                ),
            )
        )
    score = max([1, *(s for s, _ in raised)])
    return DpcScore(category="simple", base=1, score=score, reasons=[r for _, r in raised])


def dpc_behavioural(f: Facts) -> DpcScore:
    """ENISA 2013 DPC table, behavioural data: basic 2; +1 a detailed profile of daily life."""
    if not f.youth_care_controller:
        return DpcScore(category="behavioural", base=2, score=2, reasons=[])
    return DpcScore(
        category="behavioural",
        base=2,
        score=3,
        reasons=[
            Reason(
                text="Gedrag of locatie van cliënten van jeugdhulp of het sociaal domein geeft een gedetailleerd beeld van "
                "hun dagelijks leven.",
                ref="ENISA DPC +1: profiel (zoals DPC-B1-3)",
            )
        ],
    )


def dpc_financial(cats: frozenset[DataCategory]) -> DpcScore:
    """ENISA 2013 DPC table, financial data: basic 3; +1 full card data that enable fraud."""
    if D.PAYMENT_MEANS not in cats:
        return DpcScore(category="financial", base=3, score=3, reasons=[])
    return DpcScore(
        category="financial",
        base=3,
        score=4,
        reasons=[
            Reason(
                text="Volledige betaalgegevens maken fraude mogelijk.",
                ref="ENISA DPC +1: fraude (zoals DPC-F3-4)",
            )
        ],
    )


def dpc_scores(f: Facts) -> list[DpcScore]:
    """ENISA 2013: score every category present and keep the highest. Credentials count as the
    data they open; unknown categories are not guessed (the advice turns cautious instead)."""
    cats, scores = _known_categories(f), []
    if cats & SIMPLE:
        scores.append(dpc_simple(f, cats))
    if cats & BEHAVIOURAL:
        scores.append(dpc_behavioural(f))
    if cats & FINANCIAL:
        scores.append(dpc_financial(cats))
    if cats & SENSITIVE:
        scores.append(DpcScore(category="sensitive", base=4, score=4, reasons=[]))
    if not scores:  # only credentials, or nothing known yet
        simple = dpc_simple(f, cats)
        note = Reason(
            text="De soort gegevens is nog niet bekend. Alleen wat bekend is, telt mee.", ref="ENISA DPC"
        )
        if D.CREDENTIALS in cats:
            note = Reason(
                text="Inloggegevens tellen als de gegevens waartoe ze toegang geven. Dat is nog niet "
                "bekend, dus ze tellen nu als gewone gegevens.",
                ref="ENISA DPC: inloggegevens",
            )
        scores.append(simple.model_copy(update={"reasons": [*simple.reasons, note]}))
    return scores


def ease_of_identification(f: Facts) -> tuple[float, Reason]:
    """ENISA 2013 §3.1.2 and Annex 2: the highest level that applies to the known data, or the
    FG's own judgement with its reason (how unique a name, number or picture is; whether a
    number or address is in a public register — the engine cannot know)."""
    if f.identification is not None:
        return f.identification.ei, Reason(
            text=f"De FG beoordeelt de herkenbaarheid zelf: {f.identification_reason.strip()}",
            ref=f"ENISA EI {_num(f.identification.ei)}, oordeel van de FG (ENISA 2013 §3.1.2)",
        )
    cats = _known_categories(f)
    if not cats:
        return 1.0, Reason(
            text="Welke gegevens het zijn is nog niet bekend. We gaan uit van direct herkenbaar.",
            ref="ENISA EI 1, maximaal",
        )
    if cats & IDENTIFYING:
        return 1.0, Reason(
            text="De personen zijn direct uit de gegevens te herkennen (naam, BSN, identiteitsbewijs "
            "of dossier).",
            ref="ENISA EI 1, maximaal (zoals EI-NAME-4, EI-ID-3)",
        )
    if cats & CONTACT_DATA:
        return 0.75, Reason(
            text="Met contactgegevens is de persoon met weinig moeite te vinden.",
            ref="ENISA EI 0,75, aanzienlijk (zoals EI-MAIL-2)",
        )
    return 0.5, Reason(
        text="Zonder naam, nummer of adres is de persoon alleen met extra informatie te herkennen.",
        ref="ENISA EI 0,5, beperkt (zoals EI-NAME-2, EI-TEL-2)",
    )


def cb_confidentiality(f: Facts) -> CbElement | None:
    """ENISA 2013 Annex 3, loss of confidentiality: 0 exposed without evidence of misuse (lost),
    0.25 a number of known recipients, 0.5 an unknown number of recipients."""
    recipients = _recipients(f)
    if not _confidentiality_at_stake(f):
        if C not in f.natures:
            return None
        points, example, text = (
            0.0,
            "0a",
            "Met redelijk bewijs is vastgesteld dat niemand de gegevens heeft ingezien.",
        )
    elif _exfiltration_assumed(f) or recipients & BROAD:
        points, example, text = (
            0.5,
            "0.5a",
            "De gegevens zijn (mogelijk) bij onbekend veel mensen terechtgekomen.",
        )
    elif recipients & {R.TRUSTED, R.KNOWN}:
        points, example, text = (
            0.25,
            "0.25a",
            "De gegevens zijn bij een paar bekende ontvangers terechtgekomen.",
        )
    elif R.TBD in recipients and f.incident_type not in LOSS_TYPES:
        points, example, text = (
            0.25,
            "0.25a",
            "Wie de gegevens kreeg, is nog niet bekend. We rekenen met bekenden.",
        )
    else:
        points, example, text = (
            0.0,
            "0b",
            "De gegevens zijn kwijt, zonder aanwijzing dat iemand ze heeft gebruikt.",
        )
    return CbElement(
        element="confidentiality",
        points=points,
        reason=Reason(text=text, ref=f"ENISA CB vertrouwelijkheid +{_num(points)} (zoals CB-CONF-{example})"),
    )


def cb_integrity(f: Facts) -> CbElement | None:
    """ENISA 2013 Annex 3, loss of integrity: 0 restored before use, 0.25 recoverable, 0.5 not."""
    if I not in f.natures:
        return None
    if f.integrity is None:
        points, text = (
            0.25,
            "Nog niet bekend of veranderde gegevens zijn gebruikt. We rekenen met 'te herstellen'.",
        )
    else:
        points = {
            IntegrityState.ALTERED_NO_MISUSE: 0.0,
            IntegrityState.ALTERED_REVERSIBLE: 0.25,
            IntegrityState.ALTERED_IRREVERSIBLE: 0.5,
        }[f.integrity]
        text = f"De gegevens zijn {f.integrity.label[0].lower()}{f.integrity.label[1:]}."
    example = {0.0: "CB-INT-0", 0.25: "CB-INT-0.25a", 0.5: "CB-INT-0.5"}[points]
    return CbElement(
        element="integrity",
        points=points,
        reason=Reason(text=text, ref=f"ENISA CB integriteit +{_num(points)} (zoals {example})"),
    )


def cb_availability(f: Facts) -> CbElement | None:
    """ENISA 2013 Annex 3, loss of availability: 0 recoverable without difficulty (back from a
    backup within 24 hours), 0.25 temporary, 0.5 permanent or no backup."""
    if A not in f.natures:
        return None
    if _restored_within_a_day(f):
        points, text = 0.0, "De gegevens zijn binnen een dag zonder moeite teruggezet uit een back-up."
    elif f.availability is AvailabilityState.PERMANENT or f.backup_available is False:
        points, text = 0.5, "De gegevens zijn blijvend weg of er is geen back-up."
    else:
        points, text = 0.25, "De gegevens zijn tijdelijk niet beschikbaar."
    example = {0.0: "CB-AV-0b", 0.25: "CB-AV-0.25a", 0.5: "CB-AV-0.5"}[points]
    return CbElement(
        element="availability",
        points=points,
        reason=Reason(text=text, ref=f"ENISA CB beschikbaarheid +{_num(points)} (zoals {example})"),
    )


def cb_malicious(f: Facts) -> CbElement | None:
    """ENISA 2013 Annex 3, malicious intent: +0.5 for intentional harm (theft, hack, misuse)."""
    if not (f.cause.malicious or R.MALICIOUS in f.recipients):
        return None
    return CbElement(
        element="malicious",
        points=0.5,
        reason=Reason(
            text="Er is opzet of kwade wil in het spel (diefstal, hack of misbruik).",
            ref="ENISA CB kwade opzet +0,5 (zoals CB-MAL-0.5b)",
        ),
    )


def adjusted_dpc(f: Facts, computed: int) -> tuple[int, Reason | None]:
    """ENISA 2013 §2: the assessor raises or lowers the context score (1 to 4) with a written
    reason — a harmless note among sensitive data, data already public or invalid, a large
    volume about one person, or a controller whose customers' status shows."""
    if not f.context_adjustment:
        return computed, None
    dpc = min(4, max(1, computed + f.context_adjustment))
    way = "verhoogd" if f.context_adjustment > 0 else "verlaagd"
    change = (
        f"{way} van {computed} naar {dpc}"
        if dpc != computed
        else f"niet {way}: die stond al op {dpc}, de grens van de schaal"
    )
    return dpc, Reason(
        text=f"De FG heeft de score voor de soort gegevens {change}. Reden: {f.context_reason.strip()}",
        ref="ENISA DPC: aanpassing door de beoordelaar met een reden (ENISA 2013 §2)",
    )


def level_for(se: float) -> EnisaLevel:
    """ENISA 2013 §4: SE < 2 low, < 3 medium, < 4 high, otherwise very high."""
    if se < 2:
        return EnisaLevel.LOW
    if se < 3:
        return EnisaLevel.MEDIUM
    if se < 4:
        return EnisaLevel.HIGH
    return EnisaLevel.VERY_HIGH


def enisa_score(facts: Facts) -> Enisa:
    """ENISA 2013: SE = DPC × EI + CB (the highest DPC as the FG adjusted it, the highest EI or
    the FG's, the CB elements summed). The flags (more than 100 people, unintelligible data) are reported, not scored."""
    scores = dpc_scores(facts)
    computed = max(s.score for s in scores)
    dpc, adjustment = adjusted_dpc(facts, computed)
    ei, ei_reason = ease_of_identification(facts)
    rules = (cb_confidentiality, cb_integrity, cb_availability, cb_malicious)
    elements = [e for rule in rules if (e := rule(facts)) is not None]
    cb = sum(e.points for e in elements)
    se = round(dpc * ei + cb, 4)
    people = _people(facts)
    return Enisa(
        dpc=dpc,
        dpc_scores=scores,
        ei=ei,
        ei_reason=ei_reason,
        cb=cb,
        cb_elements=elements,
        se=se,
        level=level_for(se),
        over_100=people is not None and people > 100,
        unintelligible=facts.unintelligible is Unintelligible.INTACT,
        dpc_computed=computed,
        adjustment_reason=adjustment,
    )


# --- 3. what a user reads -------------------------------------------------------------------------

#: The three parts of SE = DPC × EI + CB in Dutch, with ENISA's abbreviation in brackets.
PART_LABELS = {
    "DPC": "Soort gegevens (DPC)",
    "EI": "Herkenbaarheid (EI)",
    "CB": "Omstandigheden (CB)",
}
#: ``DpcScore.category`` in Dutch.
DPC_CATEGORY_LABELS = {
    "simple": "gewone gegevens",
    "behavioural": "gegevens over gedrag",
    "financial": "financiële gegevens",
    "sensitive": "gevoelige gegevens",
}
#: ``CbElement.element`` in Dutch.
CB_ELEMENT_LABELS = {
    "confidentiality": "vertrouwelijkheid",
    "integrity": "integriteit",
    "availability": "beschikbaarheid",
    "malicious": "kwade opzet",
}


def formula(e: Enisa) -> str:
    """The sum with its numbers, as a Dutch reader writes them: SE = 3 × 0,75 + 0,25 = 2,5."""
    return f"SE = {e.dpc} × {_num(e.ei)} + {_num(e.cb)} = {_num(round(e.se, 2))}"


def dpc_line(score: DpcScore) -> str:
    """One scored data category: "Soort gegevens (DPC), financiële gegevens: basis 3, score 4"."""
    category = DPC_CATEGORY_LABELS[score.category]
    return f"{PART_LABELS['DPC']}, {category}: basis {score.base}, score {score.score}"


def adjustment_line(e: Enisa) -> str:
    """The FG's adjustment: "Soort gegevens (DPC), aangepast door de FG: van 4 naar 1"."""
    return f"{PART_LABELS['DPC']}, aangepast door de FG: van {e.dpc_computed} naar {e.dpc}"


def ei_line(ei: float) -> str:
    """The ease of identification: "Herkenbaarheid (EI) 0,75"."""
    return f"{PART_LABELS['EI']} {_num(ei)}"


def cb_line(element: CbElement) -> str:
    """One circumstance: "Omstandigheden (CB), vertrouwelijkheid +0,25"."""
    return f"{PART_LABELS['CB']}, {CB_ELEMENT_LABELS[element.element]} +{_num(element.points)}"
