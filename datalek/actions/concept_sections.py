"""The answers of the concept AP-melding, section by section (docs/domain/ap-form.md §1).

Each builder reads only ``Sources``; an answer the register does not hold is ``None``.
"""

from __future__ import annotations

from datetime import datetime

from datalek import clock, deadlines, regime
from datalek.actions.consequences import consequences, inform_answer
from datalek.actions.notification_types import Answer, Sources
from datalek.handling import delay
from datalek.intake.situations import CountKind
from datalek.models import Incident
from datalek.triage.facts import (
    NAMED_ORGANISATION,
    SPECIAL_CATEGORIES,
    Cause,
    CrossBorder,
    DataCategory,
    Facts,
    OtherOrganisation,
    PeopleGroup,
    SecurityMeasure,
    Unintelligible,
)

D = DataCategory
#: The notification period in hours, as the law of the regime sets it (72 under art. 33 AVG).
PERIOD = regime.CURRENT.period_hours
#: The AP form's option label of each kind of data. The youth-care file and child-protection
#: information are health data for the AP (named in the explanation, ``4.explain``).
AP_LABELS: dict[DataCategory, str] = {
    D.NAME_ADDRESS: "Naam-, adres- en woonplaatsgegevens",
    D.PHONE: "Telefoonnummers",
    D.EMAIL: "E-mailadressen",
    D.DEMOGRAPHIC: "Geslacht, geboortedatum en/of leeftijd",
    D.CREDENTIALS: "Toegangs- of identificatiegegevens",
    D.FINANCIAL: "Financiële gegevens",
    D.ID_DOCUMENT: "Kopieën van paspoorten of andere legitimatiebewijzen",
    D.BSN: "Burgerservicenummer (BSN)",
    D.HEALTH: "Gezondheid",
    D.CARE_FILE: "Gezondheid",
    D.RELIGIOUS: "Godsdienst of levensovertuiging",
    D.RACIAL_ETHNIC: "Ras of etnische afkomst",
    D.POLITICAL: "Politieke opvattingen",
    D.SEX_LIFE: "Seksueel leven of seksuele gerichtheid",
    D.UNION: "Lidmaatschap van een vakbond",
    D.GENETIC: "Genetische gegevens",
    D.BIOMETRIC: "Biometrische gegevens",
    D.CRIMINAL: "Strafrechtelijke gegevens",
}
#: What the explanation names, for kinds the AP's list does not name exactly.
EXPLAINED: dict[DataCategory, str] = {
    D.CARE_FILE: "jeugdhulpgegevens (een jeugdhulp- of zorgdossier)",
    D.CHILD_PROTECTION: "Veilig Thuis- of jeugdbeschermingsinformatie",
}


def ap_label(category: DataCategory) -> str:
    """The AP form's words for a kind of data; the app's own label where the form has none."""
    return AP_LABELS.get(category, category.label)


def when(moment: datetime | None) -> str | None:
    return clock.format_local(moment) if moment else None


def _listed(values, unknown_values) -> str | None:
    shown = list(dict.fromkeys(v.label for v in values if v not in unknown_values))
    return "; ".join(shown) if shown else None


def _count(kind: CountKind, number: int | None) -> str | None:
    if kind is CountKind.UNKNOWN or number is None:
        return None
    return f"{number}" if kind is CountKind.EXACT else f"ongeveer {number}"


# --- §1 ------------------------------------------------------------------------------------------


def other_organisation(f: Facts | None, involved: list[str] | None = None) -> str | None:
    """The facts' answer; while that is open, the processors and partners recorded for the
    incident (``datalek.handling.involvement.concept_lines``) instead of "Onbekend"."""
    if f is None or f.other_organisation is OtherOrganisation.TBD:
        return "\n".join(involved) if involved else None
    if f.other_organisation in NAMED_ORGANISATION:
        return f"{f.other_organisation.label}: {f.other_organisation_name.strip()}"
    return f.other_organisation.label


# --- §2 ------------------------------------------------------------------------------------------


def _ended(i: Incident) -> str | None:
    occurrence = i.occurrence if i.occurrence != "unknown" else i.report.get("occurrence", "unknown")
    if i.ongoing or occurrence == "ongoing":
        return "Nee, de inbreuk duurt nog voort."
    if occurrence == "moment" and i.occurred_from:
        return f"Ja, het was een eenmalige gebeurtenis op {when(i.occurred_from)}"
    return f"Ja, beëindigd op {when(i.occurred_to)}" if i.occurred_to else None


def timeline(src: Sources, now: datetime) -> list[Answer]:
    i = src.incident
    judged = src.judged_from or i.aware_at
    # Once notified, lateness is that of the first notification, not of today's supplement;
    # it is judged against the first recorded awareness unless the FG corrected it.
    late = (src.first_submitted_at or now) > deadlines.deadline(judged)
    reason = (src.late_reason.strip() or src.delay_reason.strip() or None) if late else None
    if late and src.delay_kind:  # the kind the FG picked, in Dutch
        reason = delay.described(reason or "", src.delay_kind)
    answers = [
        Answer("2.started", "Wanneer is de inbreuk begonnen?", when(i.occurred_from)),
        Answer("2.ended", "Is de inbreuk beëindigd?", _ended(i)),
        Answer("2.discovered", "Wanneer is de inbreuk ontdekt?", when(i.discovered_at)),
        Answer("2.aware", "Wanneer werd de organisatie zich bewust van de inbreuk?", when(i.aware_at)),
        Answer("2.aware_basis", "Hoe werd de organisatie zich bewust?", src.aware_basis or None),
    ]
    if src.aware_changes:
        answers.append(
            Answer(
                "2.aware_changes", "Is het moment van bewustwording gewijzigd?", "\n".join(src.aware_changes)
            )
        )
    answers.append(
        Answer(
            "2.late_reason",
            f"Reden van melden na {PERIOD} uur",
            reason if late else f"Niet van toepassing: binnen {PERIOD} uur gemeld.",
        )
    )
    return answers


# --- §3-§6 ---------------------------------------------------------------------------------------


def nature(f: Facts | None, i: Incident) -> list[Answer]:
    natures = sub = incident_type = cause = None
    if f is not None:
        natures = "; ".join(n.label for n in f.natures) or None
        states = [s.label for s in (f.confidentiality, f.integrity, f.availability) if s]
        sub = "; ".join(states) or None
        incident_type = None if f.incident_type.value == "to_be_determined" else f.incident_type.label
        cause = None if f.cause in (Cause.TBD, Cause.UNKNOWN) else f.cause.label
    return [
        Answer("3.nature", "Wat is de aard van de inbreuk?", natures),
        Answer("3.states", "Wat is er met de gegevens gebeurd?", sub),
        Answer("3.type", "Soort incident", incident_type),
        Answer("3.cause", "Oorzaak", cause),
        Answer(
            "3.description",
            "Beschrijving van het incident en hoe het is gebeurd",
            i.description.strip() or None,
        ),
    ]


def data(f: Facts | None) -> list[Answer]:
    """The kinds of data exactly as recorded, in the AP form's labels; never a group expanded."""
    general = special = records = explain = None
    if f is not None:
        known = [c for c in f.data_categories if c is not D.UNKNOWN]
        general = "; ".join(dict.fromkeys(ap_label(c) for c in known if c not in SPECIAL_CATEGORIES)) or None
        if not known:
            general = None
        elif general is None:
            general = "Geen andere dan bijzondere persoonsgegevens."
        special = "; ".join(dict.fromkeys(ap_label(c) for c in known if c in SPECIAL_CATEGORIES)) or (
            "Nee, geen bijzondere of strafrechtelijke persoonsgegevens" if known else None
        )
        named = [EXPLAINED[c] for c in known if c in EXPLAINED]
        explain = ("Het gaat om " + " en ".join(named) + ".") if named else "Geen toelichting nodig."
        records = _count(f.records_count_kind, f.records_count)
    return [
        Answer("4.kinds", "Om welke soorten persoonsgegevens gaat het?", general),
        Answer("4.special", "Gaat het om bijzondere of strafrechtelijke persoonsgegevens?", special),
        Answer("4.explain", "Toelichting op de soorten persoonsgegevens", explain),
        Answer("4.records", "Om hoeveel records gaat het (ongeveer)?", records),
    ]


def subjects(f: Facts | None) -> list[Answer]:
    count = groups = None
    if f is not None:
        count = _count(f.people_count_kind, f.people_count)
        groups = _listed(f.groups, {PeopleGroup.UNKNOWN})
    return [
        Answer("5.count", "Van hoeveel personen zijn gegevens betrokken?", count),
        Answer("5.groups", "Om welke groepen personen gaat het?", groups),
    ]


def before(f: Facts | None) -> list[Answer]:
    protected = security = None
    if f is not None and f.unintelligible is not Unintelligible.TBD:
        protected = f.unintelligible.label
    # "Nog te bepalen" next to measures that were chosen: the chosen ones are what is known.
    known = [m for m in (f.security_measures if f is not None else []) if m is not SecurityMeasure.TBD]
    if known:
        labels = [
            f"{m.label}: {f.security_other.strip()}" if m is SecurityMeasure.OTHER else m.label for m in known
        ]
        security = "; ".join(labels)
    return [
        Answer(
            "6.unintelligible",
            "Waren de gegevens versleuteld, gehasht of op een andere manier "
            "onbegrijpelijk of ontoegankelijk gemaakt?",
            protected,
        ),
        Answer("6.security", "Welke beveiligingsmaatregelen waren er vooraf?", security),
    ]


# --- §7, §8 --------------------------------------------------------------------------------------


def effects(src: Sources) -> list[Answer]:
    found = consequences(src.facts, src.risk) if src.facts is not None else None
    return [
        Answer(
            "7.effects", "Wat zijn de mogelijke gevolgen voor de betrokkenen?", src.effects.strip() or None
        ),
        Answer(
            "7.impacts",
            "Welke soorten gevolgen kan het datalek hebben?",
            found.impacts_text if found else None,
        ),
        Answer("7.severity", "Hoe ernstig schat u de gevolgen in?", found.severity_text if found else None),
    ]


def _international(f: Facts | None) -> str | None:
    if f is None or f.cross_border is CrossBorder.TBD:
        return None
    others = f.other_authorities.strip()
    told = f"Ingelicht: {others}" if others else "Geen andere toezichthouders of instanties ingelicht."
    return f"{f.cross_border.label}. {told}"


def follow_up(src: Sources) -> list[Answer]:
    severity = consequences(src.facts, src.risk).severity if src.facts is not None else None
    inform = inform_answer(
        src.inform, src.inform_date, src.informed, src.exception, severity, src.decision_motivation
    )
    measures = "\n".join(m for m in [src.remedial_action.strip(), *src.measures] if m) or None
    return [
        Answer("8.inform", "Zijn of worden de betrokkenen geïnformeerd?", inform),
        Answer(
            "8.public",
            "Openbare mededeling (bij onevenredige inspanning)",
            src.public_notice or "Niet van toepassing.",
        ),
        Answer(
            "8.measures",
            "Welke maatregelen zijn genomen om de inbreuk aan te pakken, de "
            "gevolgen te beperken en herhaling te voorkomen?",
            measures,
        ),
        Answer(
            "8.international",
            "Gaat het om grensoverschrijdende verwerking of zijn toezichthouders in andere landen ingelicht?",
            _international(src.facts),
        ),
    ]
