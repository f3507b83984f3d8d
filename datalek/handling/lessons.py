"""What the organisation learned from an incident: asked when the FG closes it
(``lifecycle.close``). A lesson has a theme from a fixed list, the lesson in the FG's own
words, and the preventive measure that follows from it — one of the incident's own — or why
none follows.

A reopened and re-closed incident gets a new lesson; the older ones stay. Only the FG of the
incident's organisation reads a lesson: management sees counts per theme and the FG's own
summary of a theme (``datalek.insight.narrative``), never the text of one incident.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlite_utils import Database

from datalek import clock
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor, InvalidInput, LabelledEnum
from datalek.store import actions as measure_sql
from datalek.store import lessons as sql

MAX_LEARNED = 2000
MAX_REASON = 2000
TOO_LONG = "Dit is te lang: gebruik hoogstens {} tekens."
NOT_THIS_INCIDENTS = "Kies een preventieve maatregel van dit incident."


class LessonTheme(LabelledEnum):
    """What a lesson is about: one fixed list, so the yearly report can count by theme."""

    EMAIL = "email"
    POST = "post"
    ACCESS = "access"
    AWARENESS = "awareness"
    TECHNOLOGY = "technology"
    SUPPLIERS = "suppliers"
    PAPER = "paper"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "email": "E-mail en adressering",
            "post": "Post en printen",
            "access": "Toegangsrechten",
            "awareness": "Bewustwording en werkwijze",
            "technology": "Techniek en beveiliging",
            "suppliers": "Leveranciers en verwerkers",
            "paper": "Papieren dossiers",
            "other": "Anders",
        }


class Prevention(LabelledEnum):
    MEASURE = "measure"
    NONE = "none"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"measure": "Er volgt een preventieve maatregel", "none": "Geen preventieve maatregel"}


class LessonInput(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    theme: LessonTheme | None = None
    learned: str = ""
    prevention: Prevention | None = None
    measure_id: int | None = None
    no_measure_reason: str = ""


@dataclass(frozen=True)
class Lesson:
    id: int
    incident_id: int
    theme: LessonTheme
    learned: str
    prevention: Prevention
    measure_id: int | None
    no_measure_reason: str
    recorded_by: int | None
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: dict) -> Lesson:
        return cls(
            row["id"],
            row["incident_id"],
            LessonTheme(row["theme"]),
            row["learned"],
            Prevention(row["prevention"]),
            row["measure_id"],
            row["no_measure_reason"],
            row["recorded_by"],
            clock.from_iso(row["recorded_at"]),
        )


def errors(data: LessonInput, measure_pending: bool = False) -> dict[str, str]:
    """The Dutch message per field of an incomplete lesson (no database needed).
    ``measure_pending``: the preventive measure is being added in the same step."""
    found = {}
    if data.theme is None:
        found["theme"] = "Kies het thema waar de les over gaat."
    if not data.learned:
        found["learned"] = "Schrijf op wat de organisatie hiervan leert."
    elif len(data.learned) > MAX_LEARNED:
        found["learned"] = TOO_LONG.format(MAX_LEARNED)
    if data.prevention is None:
        found["prevention"] = "Kies of er een preventieve maatregel volgt."
    elif data.prevention is Prevention.MEASURE and data.measure_id is None and not measure_pending:
        found["measure_id"] = "Kies de preventieve maatregel die volgt."
    elif data.prevention is Prevention.NONE and not data.no_measure_reason:
        found["no_measure_reason"] = "Schrijf waarom er geen preventieve maatregel volgt."
    elif data.prevention is Prevention.NONE and len(data.no_measure_reason) > MAX_REASON:
        found["no_measure_reason"] = TOO_LONG.format(MAX_REASON)
    return found


def _follows(db: Database, incident_id: int, measure_id: int) -> bool:
    """A preventive measure of this incident that still counts (not withdrawn or cancelled)."""
    row = measure_sql.measure(db, measure_id)
    return bool(
        row
        and row["incident_id"] == incident_id
        and row["kind"] == "preventive"
        and not row["withdrawn_at"]
        and row["status"] != "cancelled"
    )


def record(db: Database, actor: Actor, incident_id: int, data: LessonInput | None, at: str) -> int:
    """Check and write the lesson of a closing, with its audit entry (codes only). Inside the
    caller's write transaction, after the caller checked the actor (``lifecycle.close``)."""
    data = data or LessonInput()
    if found := errors(data):
        raise InvalidInput(found)
    with_measure = data.prevention is Prevention.MEASURE
    if with_measure and not _follows(db, incident_id, data.measure_id):
        raise InvalidInput({"measure_id": NOT_THIS_INCIDENTS})
    lesson_id = sql.insert_lesson(
        db,
        {
            "incident_id": incident_id,
            "theme": data.theme.value,
            "learned": data.learned,
            "prevention": data.prevention.value,
            "measure_id": data.measure_id if with_measure else None,
            "no_measure_reason": "" if with_measure else data.no_measure_reason,
            "recorded_by": actor.user_id,
            "recorded_at": at,
        },
    )
    audit.append(
        db,
        actor,
        "lesson.record",
        "incident",
        incident_id,
        lesson_id=lesson_id,
        theme=data.theme.value,
        prevention=data.prevention.value,
        measure_id=data.measure_id if with_measure else None,
    )
    return lesson_id


def history(db: Database, actor: Actor, incident_id: int) -> list[Lesson]:
    """Every lesson of an incident, oldest first (the FG of its organisation only)."""
    require(db, actor, Action.READ_LESSONS, IncidentRef(incident_id))
    return [Lesson.from_row(r) for r in sql.lessons(db, incident_id)]


def latest(db: Database, actor: Actor, incident_id: int) -> Lesson | None:
    """The lesson of the last closing, or None (the FG of its organisation only)."""
    found = history(db, actor, incident_id)
    return found[-1] if found else None


def counts_by_theme(db: Database, org_ids: list[int], year: int) -> dict[int, Counter]:
    """Per organisation the number of closed incidents of ``year`` per theme of their newest
    lesson. Counts only, and unprotected: for callers that checked the actor and protect the
    small numbers themselves (``datalek.insight.narrative``)."""
    found: dict[int, Counter] = {org_id: Counter() for org_id in org_ids}
    for org_id, theme, n in sql.theme_counts(db, org_ids, year):
        found[org_id][LessonTheme(theme)] += n
    return {org_id: counts for org_id, counts in found.items() if counts}
