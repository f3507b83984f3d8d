"""Incidents: submitting a report, reading it, adding to it and moving it through its statuses.

Every function takes the acting user and checks it (``datalek.permissions``) before it
touches a row; writes and their audit entry share one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import audit, deadlines, permissions, register, repeats, store
from datalek.intake import Report
from datalek.models import TRANSITIONS, Actor, Incident, InvalidInput, Status, Supplement
from datalek.store import incidents as sql

MAX_SUPPLEMENT = 4000


def reference(year: int, seq: int) -> str:
    """The organisation's reference number, e.g. ``DL-2026-0042``."""
    return f"DL-{year}-{seq:04d}"


def to_model(row: dict) -> Incident:
    data = dict(row)
    for key in ("occurred_from", "occurred_to", "discovered_at", "reported_at", "aware_at", "updated_at"):
        data[key] = deadlines.from_iso(data[key])
    data["report"] = json.loads(data["report"])
    data["ongoing"] = bool(data["ongoing"])
    data["pii_kept"] = bool(data["pii_kept"])
    return Incident.model_validate(data)


def _row_for(report: Report, actor: Actor, at: datetime, year: int, seq: int) -> dict:
    occurred_from = report.occurred_from
    return {
        "org_id": report.org_id,
        "year": year,
        "month": at.astimezone(deadlines.AMSTERDAM).month,
        "seq": seq,
        "reference": reference(year, seq),
        "reporter_id": actor.user_id,
        "department": report.department,
        "situation": report.situation.value,
        "incident_type": report.situation.info.incident_type.value,
        "status": Status.REPORTED.value,
        "occurred_from": deadlines.to_iso(occurred_from) if occurred_from else None,
        "occurred_to": deadlines.to_iso(report.occurred_to) if report.occurred_to else None,
        "ongoing": int(report.occurrence.value == "ongoing"),
        "discovered_at": deadlines.to_iso(report.discovered_at),
        "reported_at": deadlines.to_iso(at),
        # The clock starts when anyone in the organisation knows: the employee's discovery.
        "aware_at": deadlines.to_iso(report.discovered_at),
        "report": json.dumps(report.answers(), sort_keys=True),
        "description": report.description,
        "actions_taken": report.actions_taken,
        "pii_kept": 0,
        "created_at": deadlines.to_iso(at),
        "updated_at": deadlines.to_iso(at),
    }


def submit_report(
    db: Database, actor: Actor, report: Report, pii_kept: bool = False, at: datetime | None = None
) -> Incident:
    """Store a new report with its reference number; audited in the same transaction."""
    if not permissions.may_report(actor, report.org_id):
        permissions.deny(db, actor, "incident.create", "organisation", report.org_id)
    at = at or deadlines.now()
    year = at.astimezone(deadlines.AMSTERDAM).year
    with store.write(db):
        seq = sql.next_seq(db, report.org_id, year)
        row = _row_for(report, actor, at, year, seq)
        row["pii_kept"] = int(pii_kept)
        incident_id = sql.insert_incident(db, row)
        repeat_of = repeats.detect(db, incident_id)
        sql.insert_status_change(
            db,
            {
                "incident_id": incident_id,
                "from_status": None,
                "to_status": Status.REPORTED.value,
                "actor_id": actor.user_id,
                "at": row["reported_at"],
                "reason": "",
            },
        )
        audit.append(
            db,
            actor,
            "incident.create",
            "incident",
            incident_id,
            org_id=report.org_id,
            pii_kept=bool(pii_kept),
            repeat=repeat_of is not None,
        )
    return to_model(sql.incident(db, incident_id))


@dataclass(frozen=True)
class IncidentSummary:
    """A row in a list: no free text and no report answers."""

    id: int
    org_id: int
    reference: str
    department: str
    situation: str
    incident_type: str
    status: Status
    reported_at: datetime
    aware_at: datetime
    reporter_id: int | None

    @classmethod
    def from_row(cls, row: dict) -> IncidentSummary:
        return cls(
            id=row["id"],
            org_id=row["org_id"],
            reference=row["reference"],
            department=row["department"],
            situation=row["situation"],
            incident_type=row["incident_type"],
            status=Status(row["status"]),
            reported_at=deadlines.from_iso(row["reported_at"]),
            aware_at=deadlines.from_iso(row["aware_at"]),
            reporter_id=row["reporter_id"],
        )

    def hours_left(self, at: datetime) -> float:
        return deadlines.hours_left(self.aware_at, at)

    @property
    def awaits_decision(self) -> bool:
        """The 72-hour clock matters until the FG has decided on notifying."""
        return self.status in (Status.REPORTED, Status.IN_PROGRESS)


def my_reports(db: Database, actor: Actor) -> list[IncidentSummary]:
    """The reports the actor made, newest first. Nobody else's."""
    if actor.user_id is None:
        permissions.deny(db, actor, "incident.list_own")
    return [IncidentSummary.from_row(r) for r in sql.by_reporter(db, actor.user_id)]


OPEN_STATUSES = [s.value for s in Status if s.is_open]


def queue(
    db: Database,
    actor: Actor,
    org_id: int | None = None,
    statuses: list[Status] | None = None,
    department: str | None = None,
    incident_type: str | None = None,
) -> list[IncidentSummary]:
    """The FG's work queue: open incidents of their organisations, earliest deadline first."""
    if not permissions.may_see_queue(actor):
        permissions.deny(db, actor, "incident.queue")
    org_ids = list(actor.org_ids)
    if org_id is not None:
        if org_id not in actor.org_ids:
            permissions.deny(db, actor, "incident.queue", "organisation", org_id)
        org_ids = [org_id]
    wanted = [s.value for s in statuses] if statuses else OPEN_STATUSES
    rows = sql.queue(db, org_ids, wanted, department, incident_type)
    return [IncidentSummary.from_row(r) for r in rows]


def departments(db: Database, actor: Actor) -> list[str]:
    if not permissions.may_see_queue(actor):
        permissions.deny(db, actor, "incident.departments")
    return sql.departments(db, list(actor.org_ids))


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    supplements: list[Supplement]
    history: list[dict]


def _owner(db: Database, actor: Actor, incident_id: int, action: str) -> dict:
    owner = sql.incident_org(db, incident_id)
    if owner is None:
        # Do not reveal whether the id exists: an unknown id is refused like a foreign one.
        permissions.deny(db, actor, action, "incident", incident_id)
    return owner


def require_handler(db: Database, actor: Actor, incident_id: int, action: str) -> dict:
    """Refuse (audited) unless the actor is the FG of the incident's organisation."""
    owner = _owner(db, actor, incident_id, action)
    if not permissions.may_handle_incident(actor, owner["org_id"]):
        permissions.deny(db, actor, action, "incident", incident_id)
    return owner


def read_incident(db: Database, actor: Actor, incident_id: int) -> IncidentView:
    """The full incident; reading personal data is audited."""
    owner = _owner(db, actor, incident_id, "incident.read")
    if not permissions.may_read_incident(actor, owner["org_id"], owner["reporter_id"]):
        permissions.deny(db, actor, "incident.read", "incident", incident_id)
    with store.write(db):
        audit.append(db, actor, "incident.read", "incident", incident_id)
        row = sql.incident(db, incident_id)
        extra = [
            Supplement.model_validate({**s, "created_at": deadlines.from_iso(s["created_at"])})
            for s in sql.supplements(db, incident_id)
        ]
        history = sql.status_changes(db, incident_id)
    return IncidentView(to_model(row), extra, history)


def add_supplement(
    db: Database, actor: Actor, incident_id: int, text: str, pii_kept: bool = False
) -> Supplement:
    """Append information to a report (aanvulling); the original is never overwritten."""
    owner = _owner(db, actor, incident_id, "incident.supplement")
    if not permissions.may_supplement(actor, owner["org_id"], owner["reporter_id"]):
        permissions.deny(db, actor, "incident.supplement", "incident", incident_id)
    text = text.strip()
    if not text:
        raise InvalidInput({"text": "Schrijf wat je wilt toevoegen."})
    if len(text) > MAX_SUPPLEMENT:
        raise InvalidInput({"text": f"Dit is te lang: gebruik hoogstens {MAX_SUPPLEMENT} tekens."})
    at = deadlines.to_iso(deadlines.now())
    with store.write(db):
        supplement_id = sql.insert_supplement(
            db, {"incident_id": incident_id, "author_id": actor.user_id, "created_at": at, "text": text}
        )
        sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "incident.supplement",
            "incident",
            incident_id,
            supplement_id=supplement_id,
            pii_kept=bool(pii_kept),
        )
    return Supplement(
        id=supplement_id,
        incident_id=incident_id,
        author_id=actor.user_id,
        created_at=deadlines.from_iso(at),
        text=text,
    )


# Only ``decisions.record`` moves an incident here: the register needs the motivated decision.
BY_DECISION = frozenset({Status.DECIDED, Status.NOT_A_BREACH})


def change_status(db: Database, actor: Actor, incident_id: int, to: Status, reason: str = "") -> Status:
    """Move an incident to another status, if the status machine and the actor allow it."""
    require_handler(db, actor, incident_id, "incident.status")
    at = deadlines.to_iso(deadlines.now())
    with store.write(db):
        current = Status(sql.incident(db, incident_id)["status"])
        if to not in TRANSITIONS[current]:
            raise InvalidInput({"status": f"Van '{current.label}' kan een melding niet naar '{to.label}'."})
        if to in BY_DECISION:
            raise InvalidInput(
                {
                    "status": f"Van '{current.label}' naar '{to.label}' gaat alleen met "
                    "een besluit: leg het vast onder 'Advies en besluit'."
                }
            )
        if to is Status.CLOSED and (gaps := register.documentation_gaps(db, incident_id)):
            raise InvalidInput({"status": "Afronden kan pas als het dossier compleet is. " + " ".join(gaps)})
        record_move(db, actor, incident_id, current, to, reason, at)
    return to


def record_move(
    db: Database, actor: Actor, incident_id: int, current: Status, to: Status, reason: str, at: str
) -> None:
    """Write a status change and its audit entry. Inside the caller's write transaction,
    after the caller checked the actor and the transition."""
    sql.set_status(db, incident_id, to.value, at)
    if to is Status.CLOSED or current is Status.CLOSED:
        sql.set_closed(db, incident_id, at if to is Status.CLOSED else None)
    sql.insert_status_change(
        db,
        {
            "incident_id": incident_id,
            "from_status": current.value,
            "to_status": to.value,
            "actor_id": actor.user_id,
            "at": at,
            "reason": reason.strip(),
        },
    )
    audit.append(
        db,
        actor,
        "incident.status",
        "incident",
        incident_id,
        from_status=current.value,
        to_status=to.value,
    )
