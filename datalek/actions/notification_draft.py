"""The concept AP-melding: answers to the AP's "Meldformulier datalekken", section by section
(0-9, docs/domain/ap-form.md §1), in Dutch, one copyable answer per question.

Nothing is invented: an answer the register does not hold is ``None`` and shown as
"Onbekend — nog aanvullen". Four kinds: a first notification (phased — "voorlopig" — when
answers are still open, naming what will follow), a supplement (only what changed since the
last notification, with its date) and a withdrawal (with its reason).
"""

from __future__ import annotations

from datetime import datetime

from datalek import clock
from datalek.actions import concept_sections as part
from datalek.actions.notification_types import (
    IDENTIFYING,
    KINDS,
    TITLES,
    UNKNOWN,
    Answer,
    NotificationDraft,
    Notifier,
    Section,
    Sources,
)

__all__ = [
    "IDENTIFYING",
    "KINDS",
    "TITLES",
    "UNKNOWN",
    "Answer",
    "NotificationDraft",
    "Notifier",
    "Section",
    "Sources",
    "build",
    "build_withdrawal",
    "changes",
]

LAW = "Algemene verordening gegevensbescherming (AVG)"
#: The notifier's job title when the FG's account holds none: the organisation's FG is who
#: its settings name (``Organisation.dpo_name``).
DPO_TITLE = "Functionaris gegevensbescherming"


def _notifier(src: Sources) -> list[Answer]:
    org, who = src.organisation, src.notifier or Notifier()
    name = who.name or org.dpo_name
    title = who.job_title or (DPO_TITLE if name else "")
    phone = who.phone or org.dpo_phone
    return [
        Answer("1.notifier_name", "Wie doet de melding? Naam", name or None),
        Answer("1.notifier_title", "Functie van de melder", title or None),
        Answer("1.notifier_phone", "Telefoonnummer van de melder", phone or None),
        Answer("1.contact", "Contactpersoon voor de AP (e-mail)", org.dpo_email or None),
    ]


def _about(kind: str, src: Sources) -> list[Answer]:
    return [
        Answer("0.law", "Onder welke wet meldt u?", LAW),
        Answer("0.kind", "Soort melding", _kind_text(kind, src)),
    ]


def _kind_text(kind: str, src: Sources) -> str:
    if kind == "initial":
        return "Nieuwe melding."
    last = f" van {clock.format_local(src.last_submitted_at)}" if src.last_submitted_at else ""
    if kind == "supplement":
        return f"Aanvulling op de melding met meldnummer {src.first_reference}{last}."
    return f"Intrekking van de melding met meldnummer {src.first_reference}."


def build(src: Sources, now: datetime, kind: str = "initial") -> NotificationDraft:
    """The whole concept: every question of sections 0-9."""
    org, i = src.organisation, src.incident
    sections = [
        Section(0, "Over deze melding", _about(kind, src)),
        Section(
            1,
            "Contactgegevens en algemene informatie",
            [
                Answer("1.organisation", "Naam van de organisatie (verwerkingsverantwoordelijke)", org.name),
                *_notifier(src),
                Answer(
                    "1.other",
                    "Is er een andere organisatie betrokken (verwerker, gezamenlijk verwerkingsverantwoordelijke)?",
                    part.other_organisation(src.facts, src.involved),
                ),
            ],
        ),
        Section(2, "Tijdlijn", part.timeline(src, now)),
        Section(3, "Gegevens over het datalek", part.nature(src.facts, i)),
        Section(4, "Persoonsgegevens", part.data(src.facts)),
        Section(5, "Betrokkenen", part.subjects(src.facts)),
        Section(6, "Maatregelen vooraf", part.before(src.facts)),
        Section(7, "Gevolgen", part.effects(src)),
        Section(8, "Vervolgacties", part.follow_up(src)),
        Section(9, "Overig", [Answer("9.reference", "Ons kenmerk", i.reference)]),
    ]
    made = NotificationDraft(i.reference, kind, sections, now)
    if kind == "initial" and made.missing:
        return _phased(made)
    return made


def _phased(made: NotificationDraft) -> NotificationDraft:
    """A first notification with open answers is a preliminary one (art. 33(4) AVG): it says so
    and names what will follow in a supplement."""
    follows = "; ".join(a.question for a in made.missing)
    text = (
        "Nieuwe melding, in fasen (art. 33 lid 4 AVG): dit is een voorlopige melding. "
        f"Wij vullen later aan: {follows}."
    )
    about = made.sections[0]
    answers = [Answer(a.key, a.question, text) if a.key == "0.kind" else a for a in about.answers]
    return NotificationDraft(
        made.reference, made.kind, [Section(0, about.title, answers), *made.sections[1:]], made.generated_at
    )


def build_withdrawal(src: Sources, now: datetime, reason: str) -> NotificationDraft:
    """The concept for withdrawing a notification: which one, why, and who withdraws it."""
    org, i = src.organisation, src.incident
    sections = [
        Section(
            0,
            "Over deze melding",
            [
                *_about("withdrawal", src),
                Answer("0.reason", "Reden van de intrekking", reason.strip() or None),
            ],
        ),
        Section(
            1,
            "Contactgegevens en algemene informatie",
            [
                Answer("1.organisation", "Naam van de organisatie (verwerkingsverantwoordelijke)", org.name),
                *_notifier(src),
            ],
        ),
        Section(9, "Overig", [Answer("9.reference", "Ons kenmerk", i.reference)]),
    ]
    return NotificationDraft(i.reference, "withdrawal", sections, now)


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
