"""Incidents: a report comes in, the FG is told, it is read, listed and added to.

Every function checks the acting user first (``permissions.require``); writes and their
audit entry share one ``BEGIN IMMEDIATE`` transaction. Status changes are in ``lifecycle``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, config, deadlines, store
from datalek.accounts import audit, report_links
from datalek.accounts.organisations import notice_recipients
from datalek.accounts.permissions import Action, IncidentRef, OrgRef, require
from datalek.config import SmtpSettings
from datalek.handling import outstanding, repeats
from datalek.intake import notice
from datalek.intake.report import Report
from datalek.models import Actor, AwareBasis, Incident, InvalidInput, Status, Supplement
from datalek.store import group_commit, report_drafts
from datalek.store import incidents as sql

log = logging.getLogger(__name__)

MAX_SUPPLEMENT = 4000


def reference(year: int, seq: int) -> str:
    """The organisation's reference number, e.g. ``DL-2026-0042``."""
    return f"DL-{year}-{seq:04d}"


#: The stored moments of an incident (ISO text in the database).
MOMENTS = (
    "occurred_from",
    "occurred_to",
    "discovered_at",
    "reported_at",
    "aware_at",
    "first_aware_at",
    "updated_at",
)


def to_model(row: dict) -> Incident:
    data = dict(row)
    for key in MOMENTS:
        data[key] = clock.from_iso(data.get(key))
    data["report"] = json.loads(data["report"])
    data["ongoing"] = bool(data["ongoing"])
    data["pii_kept"] = bool(data["pii_kept"])
    return Incident.model_validate(data)


def _row_for(report: Report, actor: Actor, at: datetime, year: int) -> dict:
    """The new incident's row but for its sequence number and reference (the writer's)."""
    occurred_from = report.occurred_from
    return {
        "org_id": report.org_id,
        "year": year,
        "month": at.astimezone(clock.AMSTERDAM).month,
        "reporter_id": actor.user_id,
        "department": report.department,
        "situation": report.situation.value,
        "incident_type": report.situation.info.incident_type.value,
        "status": Status.REPORTED.value,
        "occurred_from": clock.to_iso(occurred_from) if occurred_from else None,
        "occurred_to": clock.to_iso(report.occurred_to) if report.occurred_to else None,
        "ongoing": int(report.occurrence.value == "ongoing"),
        "discovered_at": clock.to_iso(report.discovered_at),
        "reported_at": clock.to_iso(at),
        # The clock starts when anyone in the organisation knows: the employee's discovery.
        "aware_at": clock.to_iso(report.discovered_at),
        "first_aware_at": clock.to_iso(report.discovered_at),  # never changed (handling.moments)
        "aware_basis": AwareBasis.EMPLOYEE_REPORT.value,
        "aware_source": "",
        "occurrence": report.occurrence.value,
        "report": json.dumps(report.answers(), sort_keys=True),
        "description": report.description,
        "actions_taken": report.actions_taken,
        "pii_kept": 0,
        "created_at": clock.to_iso(at),
        "updated_at": clock.to_iso(at),
    }


def submit_report(
    db: Database,
    actor: Actor,
    report: Report,
    pii_kept: bool = False,
    at: datetime | None = None,
    mail: SmtpSettings | None = None,
) -> Incident:
    """Store a new report with its reference number, audited in the same transaction; then,
    with ``mail``, tell the organisation's FG (in the background: the reference and a link).
    The transaction is one job of a group commit (``store.group_commit``): this returns only
    after the group committed, and a report that fails fails alone.

    A notice that cannot be prepared or sent never makes a stored report look unsaved."""
    require(db, actor, Action.REPORT, OrgRef(report.org_id))
    at = at or clock.now()
    year = at.astimezone(clock.AMSTERDAM).year
    # Everything that needs no database is done here, in the caller's thread: the writer
    # thread is what all reports of this process wait for.
    row = _row_for(report, actor, at, year)
    row["pii_kept"] = int(pii_kept)
    status_change = {
        "from_status": None,
        "to_status": Status.REPORTED.value,
        "actor_id": actor.user_id,
        "at": row["reported_at"],
        "reason": "",
    }

    def write(db: Database) -> dict:  # in this process's group writer (store.group_commit)
        seq = sql.next_seq(db, report.org_id, year)
        new = {**row, "seq": seq, "reference": reference(year, seq)}
        new["repeat_of"] = repeat_of = repeats.earlier(db, new)  # inserted with it: counted once
        stored = sql.insert_incident(db, new)
        incident_id = stored["id"]
        report_links.record_use(db, actor, incident_id, row["reported_at"])  # a guest's link (#16)
        sql.insert_status_change(db, {**status_change, "incident_id": incident_id})
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
        report_drafts.delete(db, actor.user_id)  # the report being written is sent (handling.report_drafts)
        return stored

    # returns once committed, with the row as stored: no statement here reads it back
    incident = to_model(group_commit.run(db, write))
    if mail is not None:
        _tell_the_dpo(db, mail, incident)
    return incident


def _tell_the_dpo(db: Database, mail: SmtpSettings, incident: Incident) -> None:
    try:
        notice.send_new_report_in_background(mail, notice_recipients(db, incident.org_id), incident.reference)
    except Exception as exc:  # noqa: BLE001 - the report is stored; a failing notice is only logged
        log.error("notice for %s not prepared: %s", incident.reference, type(exc).__name__)


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
    #: Where the notification clock stands (the queue only).
    clock: outstanding.Clock | None = None

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
            reported_at=clock.from_iso(row["reported_at"]),
            aware_at=clock.from_iso(row["aware_at"]),
            reporter_id=row["reporter_id"],
            clock=outstanding.Clock.from_row(row) if "decision_kind" in row else None,
        )

    def hours_left(self, at: datetime) -> float:
        return deadlines.hours_left(self.aware_at, at)

    @property
    def awaits_decision(self) -> bool:
        return self.status.awaits_decision


def my_reports(db: Database, actor: Actor) -> list[IncidentSummary]:
    """The reports the actor made, newest first. Nobody else's."""
    require(db, actor, Action.LIST_OWN_REPORTS)
    return [IncidentSummary.from_row(r) for r in sql.by_reporter(db, actor.user_id, config.MY_REPORTS_LIMIT)]


OPEN_STATUSES = [s.value for s in Status if s.is_open]


def queue(
    db: Database,
    actor: Actor,
    org_id: int | None = None,
    statuses: list[Status] | None = None,
    department: str | None = None,
    incident_type: str | None = None,
) -> list[IncidentSummary]:
    """The FG's work queue: open incidents of their organisations with their clocks, in one
    query. Running clocks first (a decision or the AP notification outstanding), earliest
    deadline on top; then those whose clock stopped."""
    require(db, actor, Action.SEE_QUEUE, OrgRef(org_id) if org_id is not None else None)
    org_ids = [org_id] if org_id is not None else list(actor.org_ids)
    wanted = [s.value for s in statuses] if statuses else OPEN_STATUSES
    rows = sql.queue(db, org_ids, wanted, department, incident_type, config.QUEUE_LIMIT)
    return [IncidentSummary.from_row(r) for r in rows]


def departments(db: Database, actor: Actor) -> list[str]:
    require(db, actor, Action.LIST_DEPARTMENTS)
    return sql.departments(db, list(actor.org_ids))


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    supplements: list[Supplement]
    history: list[dict]


def read_incident(db: Database, actor: Actor, incident_id: int) -> IncidentView:
    """The full incident; reading personal data is audited."""
    require(db, actor, Action.READ_INCIDENT, IncidentRef(incident_id))
    with store.write(db):
        audit.append(db, actor, "incident.read", "incident", incident_id)
        row = sql.incident(db, incident_id)
        extra = [
            Supplement.model_validate({**s, "created_at": clock.from_iso(s["created_at"])})
            for s in sql.supplements(db, incident_id)
        ]
        history = sql.status_changes(db, incident_id)
    return IncidentView(to_model(row), extra, history)


@dataclass(frozen=True)
class Reporter:
    """Who reported an incident, for the FG who may contact them. ``active`` is False when the
    account is switched off or gone, or when the report came through a report link without an
    account (``via_link``); then name and address are empty."""

    name: str
    email: str
    department: str
    active: bool
    #: the label of the report link the report came through, without an account (issue #16);
    #: empty when it did not come through a link
    via_link: str = ""


def reporter(db: Database, actor: Actor, incident_id: int) -> Reporter:
    """The reporter's name, department and e-mail address: for the FG of the incident's
    organisation only (never management or the beheerder); reading it is audited."""
    require(db, actor, Action.READ_REPORTER, IncidentRef(incident_id))
    with store.write(db):
        audit.append(db, actor, "incident.reporter", "incident", incident_id)
        row = sql.reporter(db, incident_id)
        department = sql.incident(db, incident_id)["department"]
    # Looked up here once; the FG's incident view shows this value in its facts as well.
    via = report_links.reported_through(db, actor, incident_id) or ""
    if row is None or not row["active"]:
        return Reporter(name="", email="", department=department, active=False, via_link=via)
    return Reporter(name=row["name"], email=row["email"], department=department, active=True, via_link=via)


def add_supplement(
    db: Database, actor: Actor, incident_id: int, text: str, pii_kept: bool = False
) -> Supplement:
    """Append information to a report (aanvulling); the original is never overwritten."""
    require(db, actor, Action.SUPPLEMENT, IncidentRef(incident_id))
    text = text.strip()
    if not text:
        raise InvalidInput({"text": "Schrijf wat je wilt toevoegen."})
    if len(text) > MAX_SUPPLEMENT:
        raise InvalidInput({"text": f"Dit is te lang: gebruik hoogstens {MAX_SUPPLEMENT} tekens."})
    at = clock.to_iso(clock.now())
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
        created_at=clock.from_iso(at),
        text=text,
    )
