"""Measures (maatregelen) after a breach: corrective ones that repair the damage now and
preventive ones that stop it from happening again, each with an owner, a due date and a
status. Open measures past their due date show up in the FG's queue.

A measure entered by mistake is corrected or withdrawn with a reason, never deleted: the old
values stay in the ``corrections`` table (who, when, why), and a withdrawn measure stays visible
in the incident, marked, but counts nowhere (register, figures, overdue list, completeness).
``Correction`` and the reason rule (``datalek.actions.corrections``) are shared with
``datalek.actions.informing``.

Marking a measure done asks the real date it was done: today by default, never in the future,
never before the measure was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict
from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, MeasureRef, require
from datalek.actions.corrections import (  # noqa: F401 - also imported from here (informing)
    MAX_REASON,
    NOTHING_CHANGED,
    Correction,
    correction_rows,
    corrections_by_row,
    reason_errors,
)
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
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = ""
    corrections: tuple[Correction, ...] = ()

    @classmethod
    def from_row(cls, row: dict, corrections: tuple[Correction, ...] = ()) -> Measure:
        withdrawn = row.get("withdrawn_at")
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            kind=MeasureKind(row["kind"]),
            description=row["description"],
            owner=row["owner"],
            due_on=date.fromisoformat(row["due_on"]),
            status=MeasureStatus(row["status"]),
            done_on=date.fromisoformat(row["done_on"]) if row["done_on"] else None,
            withdrawn_at=clock.from_iso(withdrawn) if withdrawn else None,
            withdrawn_reason=row.get("withdrawn_reason") or "",
            corrections=corrections,
        )

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def overdue(self, today: date) -> bool:
        return not self.withdrawn and self.status.is_open and self.due_on < today


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


def _done_on_error(done_on: date, created_at: str) -> dict[str, str]:
    recorded = clock.from_iso(created_at).astimezone(clock.AMSTERDAM).date()
    if done_on > clock.today():
        return {"done_on": "Deze datum ligt in de toekomst."}
    if done_on < recorded:
        return {"done_on": f"Deze datum ligt vóór het vastleggen van de maatregel ({recorded:%d-%m-%Y})."}
    return {}


def set_status(
    db: Database, actor: Actor, measure_id: int, status: MeasureStatus, done_on: date | None = None
) -> Measure:
    """Move a measure to another status. 'Uitgevoerd' records the day it was done: ``done_on``
    (not in the future, not before the measure was recorded), else the day it was done
    already, else today. Another status has no done date."""
    require(db, actor, Action.CHANGE_MEASURE, MeasureRef(measure_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.measure(db, measure_id)
        if row["withdrawn_at"]:
            raise InvalidInput({"status": WITHDRAWN})
        day = None
        if status is MeasureStatus.DONE:
            if done_on is None and row["status"] == MeasureStatus.DONE.value and row["done_on"]:
                done_on = date.fromisoformat(row["done_on"])
            done_on = done_on or clock.today()
            if errors := _done_on_error(done_on, row["created_at"]):
                raise InvalidInput(errors)
            day = done_on.isoformat()
        sql.update_measure(db, measure_id, status.value, day, at)
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
    return Measure.from_row({**row, "status": status.value, "done_on": day})


WITHDRAWN = "Deze maatregel is ingetrokken. Er kan niets meer aan veranderen."


def _changes(row: dict, data: MeasureInput) -> dict[str, str]:
    new = {
        "kind": data.kind.value,
        "description": data.description,
        "owner": data.owner,
        "due_on": data.due_on.isoformat(),
    }
    return {column: value for column, value in new.items() if row[column] != value}


def correct(db: Database, actor: Actor, measure_id: int, data: MeasureInput, reason: str) -> Measure:
    """Correct a measure entered wrongly (kind, description, owner, due date). Every changed
    value is kept with its old value, who, when and why, in the same transaction."""
    require(db, actor, Action.CHANGE_MEASURE, MeasureRef(measure_id))
    reason = (reason or "").strip()
    errors = _errors(data) | reason_errors(reason)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.measure(db, measure_id)
        if row["withdrawn_at"]:
            raise InvalidInput({"form": WITHDRAWN})
        changed = _changes(row, data)
        if not changed:
            raise InvalidInput({"form": NOTHING_CHANGED})
        sql.insert_corrections(db, correction_rows("measures", row, changed, reason, actor, at))
        sql.correct_measure(db, measure_id, changed, at)
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(
            db,
            actor,
            "measure.correct",
            "incident",
            row["incident_id"],
            measure_id=measure_id,
            kind=data.kind.value,
        )
        found = _with_corrections(db, sql.measure(db, measure_id))
    return found


def withdraw(db: Database, actor: Actor, measure_id: int, reason: str) -> Measure:
    """Withdraw a measure entered by mistake: it stays in the incident's history, marked with
    the reason, and counts nowhere any more."""
    require(db, actor, Action.CHANGE_MEASURE, MeasureRef(measure_id))
    reason = (reason or "").strip()
    if errors := reason_errors(reason):
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.measure(db, measure_id)
        if row["withdrawn_at"]:
            raise InvalidInput({"form": WITHDRAWN})
        sql.insert_corrections(db, correction_rows("measures", row, {"withdrawn_at": at}, reason, actor, at))
        sql.withdraw_measure(db, measure_id, actor.user_id, reason, at)
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(db, actor, "measure.withdraw", "incident", row["incident_id"], measure_id=measure_id)
        found = _with_corrections(db, sql.measure(db, measure_id))
    return found


def _with_corrections(db: Database, row: dict) -> Measure:
    fixes = corrections_by_row(sql.corrections(db, row["incident_id"]), "measures")
    return Measure.from_row(row, fixes.get(row["id"], ()))


def prevention_missing(incident: Incident, found: list[Measure]) -> bool:
    """A repeat incident (``handling.repeats``) without a preventive measure that is planned,
    running or done: the FG is asked whether one is needed, until there is one."""
    preventive = any(
        m.kind is MeasureKind.PREVENTIVE and m.status is not MeasureStatus.CANCELLED and not m.withdrawn
        for m in found
    )
    return incident.repeat_of is not None and not preventive


def for_incident(db: Database, actor: Actor, incident_id: int) -> list[Measure]:
    """The incident's measures for the FG's screen, the withdrawn ones included (marked: they
    count nowhere, but stay in the history), each with its corrections."""
    require(db, actor, Action.READ_MEASURES, IncidentRef(incident_id))
    return load(db, incident_id, with_withdrawn=True)


def load(db: Database, incident_id: int, with_withdrawn: bool = False) -> list[Measure]:
    """Without a permission check: for callers that checked already. Withdrawn measures only
    with ``with_withdrawn=True``."""
    fixes = corrections_by_row(sql.corrections(db, incident_id), "measures")
    return [
        Measure.from_row(r, fixes.get(r["id"], ()))
        for r in sql.measures(db, incident_id, with_withdrawn=with_withdrawn)
    ]


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
