"""The concept AP-melding: answers to the AP's "Meldformulier datalekken", section by section
(0-9, docs/domain/ap-form.md §1), in Dutch, one copyable answer per question.

Nothing is invented: an answer the register does not hold is ``None`` and shown as
"Onbekend — nog aanvullen". A supplement (aanvulling) states only what changed since the
concept stored with the first notification.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from datalek import clock, deadlines
from datalek.intake.situations import CountKind
from datalek.models import Incident, Organisation
from datalek.triage.facts import SPECIAL_CATEGORIES, Cause, DataCategory, Facts, PeopleGroup, Unintelligible

UNKNOWN = "Onbekend — nog aanvullen"
#: Answers a supplement always repeats, so the AP can place it.
IDENTIFYING = frozenset({"0.law", "0.kind", "1.organisation", "9.reference"})


@dataclass(frozen=True)
class Answer:
    key: str  # stable across versions, e.g. "2.discovered_at"
    question: str
    text: str | None  # None: not known yet

    @property
    def shown(self) -> str:
        return UNKNOWN if self.text is None else self.text


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    answers: list[Answer]


@dataclass(frozen=True)
class NotificationDraft:
    reference: str
    kind: str  # "initial" | "supplement"
    sections: list[Section]
    generated_at: datetime
    changed_since: datetime | None = None
    full: dict | None = None  # for a supplement: the whole concept, stored with it

    def snapshot(self) -> dict:
        """What to store with a notification: always the whole concept, so that the next
        supplement can be compared answer by answer."""
        return self.full or self.as_dict()

    @property
    def changed(self) -> list[Answer]:
        """The answers beyond the identifying ones (for a supplement: what changed)."""
        return [a for s in self.sections for a in s.answers if a.key not in IDENTIFYING]

    @property
    def missing(self) -> list[Answer]:
        return [a for s in self.sections for a in s.answers if a.text is None]

    def answers(self) -> dict[str, str | None]:
        return {a.key: a.text for s in self.sections for a in s.answers}

    def as_dict(self) -> dict:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "generated_at": clock.to_iso(self.generated_at),
            "sections": [
                {
                    "number": s.number,
                    "title": s.title,
                    "answers": [{"key": a.key, "question": a.question, "answer": a.text} for a in s.answers],
                }
                for s in self.sections
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_markdown(self) -> str:
        title = "Concept AP-melding" if self.kind == "initial" else "Concept aanvulling AP-melding"
        lines = [
            f"# {title} {self.reference}",
            "",
            f"Gemaakt op {clock.format_local(self.generated_at)}. Kopieer elk antwoord "
            "naar het meldformulier van de Autoriteit Persoonsgegevens.",
            "",
        ]
        for section in self.sections:
            lines += [f"## {section.number}. {section.title}", ""]
            for answer in section.answers:
                fence = "`" * max(3, _longest_backtick_run(answer.shown) + 1)
                lines += [f"**{answer.question}**", "", fence + "text", answer.shown, fence, ""]
        return "\n".join(lines)


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


@dataclass(frozen=True)
class Sources:
    """Everything the concept is made from; loaded by ``documents.draft_notification``."""

    incident: Incident
    organisation: Organisation
    facts: Facts | None
    effects: str = ""
    remedial_action: str = ""
    risk: str | None = None
    enisa: str | None = None
    inform: str | None = None  # decision: yes / no / later
    inform_date: str | None = None
    exception: str | None = None
    informed: list[str] = field(default_factory=list)  # one line per recipient group
    public_notice: str | None = None
    measures: list[str] = field(default_factory=list)
    late_reason: str = ""
    first_reference: str = ""  # the AP's reference, for a supplement
    first_submitted_at: datetime | None = None  # when the first notification was made


def _labels(values, unknown_values) -> str | None:
    shown = [v.label for v in values if v not in unknown_values]
    return "; ".join(shown) if shown else None


def _count(kind: CountKind, number: int | None) -> str | None:
    if kind is CountKind.UNKNOWN or number is None:
        return None
    return f"{number}" if kind is CountKind.EXACT else f"ongeveer {number}"


def _when(moment: datetime | None) -> str | None:
    return clock.format_local(moment) if moment else None


def _timeline(src: Sources, now: datetime) -> list[Answer]:
    i = src.incident
    # Once notified, lateness is that of the first notification, not of today's supplement.
    late = (src.first_submitted_at or now) > deadlines.deadline(i.aware_at)
    if i.ongoing:
        ended = "Nee, de inbreuk duurt nog voort."
    else:
        ended = f"Ja, beëindigd op {_when(i.occurred_to)}" if i.occurred_to else None
    return [
        Answer("2.started", "Wanneer is de inbreuk begonnen?", _when(i.occurred_from)),
        Answer("2.ended", "Is de inbreuk beëindigd?", ended),
        Answer("2.discovered", "Wanneer is de inbreuk ontdekt?", _when(i.discovered_at)),
        Answer("2.aware", "Wanneer werd de organisatie zich bewust van de inbreuk?", _when(i.aware_at)),
        Answer(
            "2.late_reason",
            "Reden van melden na 72 uur",
            (src.late_reason.strip() or None) if late else "Niet van toepassing: binnen 72 uur gemeld.",
        ),
    ]


def _nature(f: Facts | None, i: Incident) -> list[Answer]:
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


def _data(f: Facts | None) -> list[Answer]:
    unknown = {DataCategory.UNKNOWN}
    general = special = records = None
    if f is not None:
        general = _labels([c for c in f.data_categories if c not in SPECIAL_CATEGORIES], unknown)
        known = [c for c in f.data_categories if c not in unknown]
        special = _labels([c for c in known if c in SPECIAL_CATEGORIES], unknown) or (
            "Nee, geen bijzondere of strafrechtelijke persoonsgegevens" if known else None
        )
        records = _count(f.records_count_kind, f.records_count)
    return [
        Answer("4.kinds", "Om welke soorten persoonsgegevens gaat het?", general),
        Answer("4.special", "Gaat het om bijzondere of strafrechtelijke persoonsgegevens?", special),
        Answer("4.records", "Om hoeveel records gaat het (ongeveer)?", records),
    ]


def _subjects(f: Facts | None) -> list[Answer]:
    count = groups = None
    if f is not None:
        count = _count(f.people_count_kind, f.people_count)
        groups = _labels(f.groups, {PeopleGroup.UNKNOWN})
    return [
        Answer("5.count", "Van hoeveel personen zijn gegevens betrokken?", count),
        Answer("5.groups", "Om welke groepen personen gaat het?", groups),
    ]


def _before(f: Facts | None) -> list[Answer]:
    protected = None
    if f is not None and f.unintelligible is not Unintelligible.TBD:
        protected = f.unintelligible.label
    return [
        Answer(
            "6.unintelligible",
            "Waren de gegevens versleuteld, gehasht of op een andere manier "
            "onbegrijpelijk of ontoegankelijk gemaakt?",
            protected,
        ),
        Answer("6.security", "Welke beveiligingsmaatregelen waren er vooraf?", None),
    ]


def _effects(src: Sources) -> list[Answer]:
    severity = None
    if src.risk:
        severity = src.risk + (f" (ENISA-ernst: {src.enisa})" if src.enisa else "")
    return [
        Answer(
            "7.effects", "Wat zijn de mogelijke gevolgen voor de betrokkenen?", src.effects.strip() or None
        ),
        Answer("7.severity", "Hoe ernstig schat u de gevolgen in?", severity),
    ]


def _actions_answers(src: Sources) -> list[Answer]:
    inform = None
    if src.inform == "yes":
        inform = "Ja. " + (" ".join(src.informed) if src.informed else "Dit wordt nog gedaan.")
    elif src.inform == "later":
        inform = f"Nog niet; gepland op {src.inform_date}." if src.inform_date else "Nog niet."
    elif src.inform == "no":
        inform = "Nee. " + (src.exception or "Er is geen hoog risico voor de betrokkenen.")
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
            None,
        ),
    ]


def build(src: Sources, now: datetime, kind: str = "initial") -> NotificationDraft:
    org, i = src.organisation, src.incident
    about = (
        "Nieuwe melding."
        if kind == "initial"
        else f"Aanvulling op de melding met meldnummer {src.first_reference}."
    )
    notifier = ", ".join(x for x in (org.dpo_name, "functionaris gegevensbescherming", org.dpo_phone) if x)
    sections = [
        Section(
            0,
            "Over deze melding",
            [
                Answer("0.law", "Onder welke wet meldt u?", "Algemene verordening gegevensbescherming (AVG)"),
                Answer("0.kind", "Soort melding", about),
            ],
        ),
        Section(
            1,
            "Contactgegevens en algemene informatie",
            [
                Answer("1.organisation", "Naam van de organisatie (verwerkingsverantwoordelijke)", org.name),
                Answer(
                    "1.notifier",
                    "Wie doet de melding (naam, functie, telefoonnummer)?",
                    notifier if org.dpo_name and org.dpo_phone else None,
                ),
                Answer("1.contact", "Contactpersoon voor de AP (e-mail)", org.dpo_email or None),
                Answer(
                    "1.other",
                    "Is er een andere organisatie betrokken (verwerker, "
                    "gezamenlijk verwerkingsverantwoordelijke)?",
                    None,
                ),
            ],
        ),
        Section(2, "Tijdlijn", _timeline(src, now)),
        Section(3, "Gegevens over het datalek", _nature(src.facts, i)),
        Section(4, "Persoonsgegevens", _data(src.facts)),
        Section(5, "Betrokkenen", _subjects(src.facts)),
        Section(6, "Maatregelen vooraf", _before(src.facts)),
        Section(7, "Gevolgen", _effects(src)),
        Section(8, "Vervolgacties", _actions_answers(src)),
        Section(
            9,
            "Overig",
            [
                Answer("9.reference", "Ons kenmerk", i.reference),
            ],
        ),
    ]
    return NotificationDraft(i.reference, kind, sections, now)


def changes(previous: dict, current: NotificationDraft) -> NotificationDraft:
    """Only the answers that differ from the concept stored with an earlier notification."""
    if not previous.get("sections"):  # nothing stored to compare with: the whole concept
        return NotificationDraft(
            current.reference, "supplement", current.sections, current.generated_at, None, current.as_dict()
        )
    before = {a["key"]: a["answer"] for s in previous["sections"] for a in s["answers"]}
    sections = []
    for section in current.sections:
        changed = [a for a in section.answers if a.key in IDENTIFYING or before.get(a.key) != a.text]
        if changed:
            sections.append(Section(section.number, section.title, changed))
    since = clock.from_iso(previous["generated_at"]) if previous.get("generated_at") else None
    return NotificationDraft(
        current.reference, "supplement", sections, current.generated_at, since, current.as_dict()
    )
