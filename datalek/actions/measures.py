"""Measures (maatregelen) after a breach: corrective ones that repair the damage now and
preventive ones that stop it from happening again, each with an owner, a due date and a
status. Open measures past their due date show up in the FG's queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, MeasureRef, require
from datalek.models import Actor, Incident, InvalidInput, LabelledEnum
from datalek.store import actions as sql
from datalek.store import incidents as incident_sql

MAX_DESCRIPTION = 2000
MAX_OWNER = 200


class MeasureKind(LabelledEnum):
    CORRECTIVE = "corrective"
    PREVENTIVE = "preventive"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "corrective": "Herstel (de gevolgen beperken)",
            "preventive": "Preventie (herhaling voorkomen)",
        }


class MeasureStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"planned": "Gepland", "in_progress": "Bezig", "done": "Uitgevoerd", "cancelled": "Vervallen"}

    @property
    def is_open(self) -> bool:
        return self in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


class MeasureInput(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    kind: MeasureKind | None = None
    description: str = ""
    owner: str = ""
    due_on: date | None = None


@dataclass(frozen=True)
class Measure:
    id: int
    incident_id: int
    kind: MeasureKind
    description: str
    owner: str
    due_on: date
    status: MeasureStatus
    done_on: date | None

    @classmethod
    def from_row(cls, row: dict) -> Measure:
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            kind=MeasureKind(row["kind"]),
            description=row["description"],
            owner=row["owner"],
            due_on=date.fromisoformat(row["due_on"]),
            status=MeasureStatus(row["status"]),
            done_on=date.fromisoformat(row["done_on"]) if row["done_on"] else None,
        )

    def overdue(self, today: date) -> bool:
        return self.status.is_open and self.due_on < today


def _errors(data: MeasureInput) -> dict[str, str]:
    errors = {}
    if data.kind is None:
        errors["kind"] = "Kies of het om herstel of preventie gaat."
    if not data.description:
        errors["description"] = "Beschrijf de maatregel."
    elif len(data.description) > MAX_DESCRIPTION:
        errors["description"] = f"Dit is te lang: gebruik hoogstens {MAX_DESCRIPTION} tekens."
    if not data.owner:
        errors["owner"] = "Vul in wie de maatregel uitvoert (een functie of afdeling is genoeg)."
    elif len(data.owner) > MAX_OWNER:
        errors["owner"] = f"Dit is te lang: gebruik hoogstens {MAX_OWNER} tekens."
    if data.due_on is None:
        errors["due_on"] = "Kies de datum waarop de maatregel klaar moet zijn."
    return errors


def add(db: Database, actor: Actor, incident_id: int, data: MeasureInput) -> Measure:
    owner = require(db, actor, Action.ADD_MEASURE, IncidentRef(incident_id))
    if errors := _errors(data):
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    row = {
        "incident_id": incident_id,
        "org_id": owner.org_id,
        "kind": data.kind.value,
        "description": data.description,
        "owner": data.owner,
        "due_on": data.due_on.isoformat(),
        "status": MeasureStatus.PLANNED.value,
        "done_on": None,
        "created_by": actor.user_id,
        "created_at": at,
        "updated_at": at,
    }
    with store.write(db):
        measure_id = sql.insert_measure(db, row)
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "measure.add", "incident", incident_id, measure_id=measure_id, kind=data.kind.value
        )
    return Measure.from_row({**row, "id": measure_id})


def set_status(db: Database, actor: Actor, measure_id: int, status: MeasureStatus) -> Measure:
    """Move a measure to another status; 'uitgevoerd' records today as the date it was done."""
    require(db, actor, Action.CHANGE_MEASURE, MeasureRef(measure_id))
    row = sql.measure(db, measure_id)
    at = clock.to_iso(clock.now())
    done_on = clock.today().isoformat() if status is MeasureStatus.DONE else None
    with store.write(db):
        sql.update_measure(db, measure_id, status.value, done_on, at)
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(
            db,
            actor,
            "measure.status",
            "incident",
            row["incident_id"],
            measure_id=measure_id,
            status=status.value,
        )
    return Measure.from_row({**row, "status": status.value, "done_on": done_on})


def prevention_missing(incident: Incident, found: list[Measure]) -> bool:
    """A repeat incident (``handling.repeats``) without a preventive measure that is planned,
    running or done: the FG is asked whether one is needed, until there is one."""
    preventive = any(
        m.kind is MeasureKind.PREVENTIVE and m.status is not MeasureStatus.CANCELLED for m in found
    )
    return incident.repeat_of is not None and not preventive


def for_incident(db: Database, actor: Actor, incident_id: int) -> list[Measure]:
    require(db, actor, Action.READ_MEASURES, IncidentRef(incident_id))
    return load(db, incident_id)


def load(db: Database, incident_id: int) -> list[Measure]:
    """Without a permission check: for callers that checked already."""
    return [Measure.from_row(r) for r in sql.measures(db, incident_id)]


@dataclass(frozen=True)
class Overdue:
    measure_id: int
    incident_id: int
    reference: str
    kind: MeasureKind
    due_on: date


def overdue(db: Database, actor: Actor, today: date | None = None, limit: int | None = None) -> list[Overdue]:
    """Open measures past their due date in the actor's organisations, longest overdue
    first, at most ``limit`` (no free text)."""
    require(db, actor, Action.SEE_OVERDUE_MEASURES)
    day = (today or clock.today()).isoformat()
    return [
        Overdue(
            r["id"], r["incident_id"], r["reference"], MeasureKind(r["kind"]), date.fromisoformat(r["due_on"])
        )
        for r in sql.overdue_measures(db, list(actor.org_ids), day, limit)
    ]


def count_overdue(db: Database, actor: Actor, today: date | None = None) -> int:
    require(db, actor, Action.SEE_OVERDUE_MEASURES)
    return sql.count_overdue_measures(db, list(actor.org_ids), (today or clock.today()).isoformat())
