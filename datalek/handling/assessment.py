"""The FG's assessment (beoordeling): the facts, prefilled from the report, kept as versions.

Each saved version stores the facts and the engine's advice on exactly those facts, so
later changes never rewrite what the FG saw when deciding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from datalek import clock, store, triage
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import lifecycle, moments, repeats
from datalek.intake.situations import CountKind
from datalek.models import Actor, AwareBasis, IncidentType, InvalidInput, Status
from datalek.store import actions as actions_sql
from datalek.store import assessments as sql
from datalek.store import incidents as incident_sql
from datalek.triage.facts import (
    Facts,
    ap_answer_errors,
    engine_answer_errors,
)

MAX_TEXT = 4000


#: Questions every saved assessment answers; each list offers "nog onbekend" where it can be.
REQUIRED_CHOICES = {
    "natures": "Kies minstens één soort inbreuk.",
    "data_categories": "Kies minstens één soort gegevens (of 'Nog onbekend').",
    "groups": "Kies minstens één groep (of 'Nog onbekend').",
    "recipients": "Kies minstens één soort ontvanger (of 'Nog te bepalen').",
}
COUNTS = (("people_count", "people_count_kind"), ("records_count", "records_count_kind"))
COUNT_MISSING = "Vul het aantal in, of kies 'Weet ik niet'."
_BACKUP = {"yes": True, "no": False, "unknown": None}


def _count_gaps(value_of: Callable[[str], Any]) -> dict[str, str]:
    """A number is needed where the answer is "exactly" or "about" so many."""
    return {
        count: COUNT_MISSING
        for count, kind in COUNTS
        if value_of(kind) in (CountKind.EXACT, CountKind.APPROXIMATE) and value_of(count) is None
    }


def _choice_gaps(value_of: Callable[[str], Any]) -> dict[str, str]:
    return {field: message for field, message in REQUIRED_CHOICES.items() if not value_of(field)}


def count_errors(facts: Facts) -> dict[str, str]:
    """The count rule alone (``python -m datalek assess`` allows every other unknown)."""
    return _count_gaps(lambda name: getattr(facts, name))


def check_facts(facts: Facts) -> dict[str, str]:
    """What is missing or contradicts itself in the facts the FG saves, per field (Dutch)."""
    return {
        **_choice_gaps(lambda name: getattr(facts, name)),
        **count_errors(facts),
        **ap_answer_errors(facts),
        **engine_answer_errors(facts),
    }


def facts_from_answers(answers: dict, aware_at: datetime | None) -> Facts:
    """The facts from the assessment form's answers (a value per ``Facts`` field, and
    ``backup`` as yes/no/unknown), or ``InvalidInput`` with a Dutch message per field."""
    data = {name: answers[name] for name in Facts.model_fields if name in answers and name != "aware_at"}
    data["backup_available"] = _BACKUP[answers.get("backup") or "unknown"]
    for count, kind in COUNTS:
        if data.get(kind) == CountKind.UNKNOWN:  # "weet ik niet" forgets a number typed before
            data[count] = None
    errors = {**_choice_gaps(data.get), **_count_gaps(data.get)}
    if aware_at is None:
        errors["aware_at"] = "Vul in wanneer de organisatie het wist."
    if errors:
        raise InvalidInput(errors)
    try:
        return Facts.model_validate({**data, "aware_at": aware_at})
    except ValidationError as exc:
        raise InvalidInput({str(e["loc"][0]): "Dit antwoord klopt niet." for e in exc.errors()}) from None


def answers_for(facts: Facts) -> dict:
    """The form's answers for these facts: the reverse of ``facts_from_answers``."""
    answers = facts.model_dump(mode="json", exclude={"aware_at", "backup_available"})
    answers["backup"] = {True: "yes", False: "no", None: "unknown"}[facts.backup_available]
    return answers


@dataclass(frozen=True)
class Assessment:
    id: int
    incident_id: int
    version: int
    facts: Facts
    advice: triage.Advice
    effects: str
    remedial_action: str
    author_id: int | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict) -> Assessment:
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            version=row["version"],
            facts=Facts.model_validate_json(row["facts"]),
            advice=triage.Advice.model_validate_json(row["advice"]),
            effects=row["effects"],
            remedial_action=row["remedial_action"],
            author_id=row["author_id"],
            created_at=clock.from_iso(row["created_at"]),
        )


def current(db: Database, actor: Actor, incident_id: int) -> Assessment | None:
    """The latest saved version, or None when the FG has not assessed it yet."""
    require(db, actor, Action.READ_ASSESSMENT, IncidentRef(incident_id))
    row = sql.latest_assessment(db, incident_id)
    return Assessment.from_row(row) if row else None


def versions(db: Database, actor: Actor, incident_id: int) -> list[dict]:
    """Every saved version (no facts, just what changed in the outcome), oldest first."""
    require(db, actor, Action.READ_ASSESSMENT, IncidentRef(incident_id))
    return sql.assessment_versions(db, incident_id)


def assessment_row(
    incident_id: int,
    version: int,
    facts: Facts,
    advice: triage.Advice,
    effects: str,
    remedial_action: str,
    author_id: int | None,
    at: str,
) -> dict:
    return {
        "incident_id": incident_id,
        "version": version,
        "facts": facts.model_dump_json(),
        "advice": advice.model_dump_json(),
        "risk": advice.risk.value if advice.risk else None,
        "notify_authority": int(advice.notify_authority),
        "inform_subjects": int(advice.inform_subjects),
        "enisa_level": advice.enisa.level.value if advice.enisa else None,
        "enisa_score": advice.enisa.se if advice.enisa else None,
        "effects": effects,
        "remedial_action": remedial_action,
        "author_id": author_id,
        "created_at": at,
    }


def save(
    db: Database,
    actor: Actor,
    incident_id: int,
    facts: Facts,
    effects: str = "",
    remedial_action: str = "",
    expected_version: int | None = None,
    *,
    basis: AwareBasis | None = None,
    source: str | None = None,
    timeline: moments.Timeline | None = None,
    reason: str = "",
) -> Assessment:
    """Store a new version of the facts with the advice on them; audited.

    ``expected_version`` is the version the FG was looking at (0 for none): when someone
    saved a newer one meanwhile, the save is refused instead of silently overwriting it.
    ``facts.aware_at`` with ``basis``, ``source`` and ``timeline`` (None: left as it is) are
    the incident's moments as the FG states them: a moment that had a value changes only with
    a ``reason``, kept with the old value (``handling.moments``), and the moments must be in
    order (``chronology``)."""
    require(db, actor, Action.SAVE_ASSESSMENT, IncidentRef(incident_id))
    effects, remedial_action = effects.strip(), remedial_action.strip()
    stated = moments.proposed(facts.aware_at, basis, source, timeline)
    errors = moments.check(db, incident_id, stated, reason)
    errors.update(check_facts(facts))
    errors.update(
        {
            f: f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
            for f, v in (("effects", effects), ("remedial_action", remedial_action))
            if len(v) > MAX_TEXT
        }
    )
    if errors:
        raise InvalidInput(errors)
    advice = triage.assess(facts)
    at = clock.to_iso(clock.now())
    with store.write(db):
        version = sql.next_version(db, incident_id)
        if expected_version is not None and version - 1 != expected_version:
            raise InvalidInput(
                {
                    "form": f"Iemand anders heeft de feiten intussen opgeslagen (versie "
                    f"{version - 1}). Je invoer staat er nog: bekijk eerst de "
                    "nieuwe versie en sla daarna opnieuw op."
                }
            )
        moments.apply(db, actor, incident_id, stated, reason, at)
        # The facts carry the awareness as stored (a save to the minute keeps its seconds).
        aware_at = clock.from_iso(incident_sql.incident(db, incident_id)["aware_at"])
        if aware_at != facts.aware_at:
            facts = facts.model_copy(update={"aware_at": aware_at})
            advice = triage.assess(facts)
        row = assessment_row(incident_id, version, facts, advice, effects, remedial_action, actor.user_id, at)
        row_id = sql.insert_assessment(db, row)
        if facts.incident_type is not IncidentType.TO_BE_DETERMINED:
            # The FG's judgement of the type replaces the one derived from the situation.
            actions_sql.set_incident_type(db, incident_id, facts.incident_type.value)
            repeats.detect(db, incident_id)
        status = Status(incident_sql.incident(db, incident_id)["status"])
        if status is Status.REPORTED:
            lifecycle.record_move(db, actor, incident_id, status, Status.IN_PROGRESS, "", at)
        audit.append(
            db,
            actor,
            "assessment.save",
            "incident",
            incident_id,
            version=version,
            risk=row["risk"],
            notify=bool(row["notify_authority"]),
        )
    return Assessment.from_row({**row, "id": row_id})
