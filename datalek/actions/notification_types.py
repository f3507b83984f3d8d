"""The concept AP-melding's building blocks: an answer, a section, the concept itself (with
its Markdown and JSON), and the ``Sources`` it is made from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from datalek import clock
from datalek.models import Incident, Organisation
from datalek.triage.advice import RiskLevel
from datalek.triage.facts import Facts

UNKNOWN = "Onbekend — nog aanvullen"
#: Answers a supplement always repeats, so the AP can place it.
IDENTIFYING = frozenset({"0.law", "0.kind", "1.organisation", "9.reference"})


KINDS = ("initial", "supplement", "withdrawal")
TITLES = {
    "initial": "Concept AP-melding",
    "supplement": "Concept aanvulling AP-melding",
    "withdrawal": "Concept intrekking AP-melding",
}


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
    kind: str  # "initial" | "supplement" | "withdrawal"
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
        title = TITLES[self.kind]
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
class Notifier:
    """Who notifies: from the FG's own account, completed from the organisation's settings."""

    name: str = ""
    job_title: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Sources:
    """Everything the concept is made from; loaded by ``documents.draft_notification``."""

    incident: Incident
    organisation: Organisation
    facts: Facts | None
    effects: str = ""
    remedial_action: str = ""
    risk: RiskLevel | None = None  # the engine's, for §7's derived severity; never shown as such
    inform: str | None = None  # decision: yes / no / later
    inform_date: str | None = None
    exception: str | None = None
    informed: list[str] = field(default_factory=list)  # one line per recipient group
    public_notice: str | None = None
    measures: list[str] = field(default_factory=list)
    late_reason: str = ""
    first_reference: str = ""  # the AP's reference, for a supplement
    first_submitted_at: datetime | None = None  # when the first notification was made
    last_submitted_at: datetime | None = None  # the notification a supplement follows on
    decision_motivation: str = ""  # why the FG decided as she did (a deviation's own reason first)
    notifier: Notifier | None = None
    aware_basis: str = ""  # how the organisation became aware, and through whom
    aware_changes: list[str] = field(default_factory=list)  # each change: old, new, who, why
    judged_from: datetime | None = None  # the awareness lateness is judged against
    delay_reason: str = ""  # the incident's reason for a delay beyond 72 hours
    delay_kind: str = ""  # its kind (``handling.delay.KINDS``), '' for none
    involved: list[str] = field(default_factory=list)  # recorded processors/partners (§1, #16)
