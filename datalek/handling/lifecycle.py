"""The status machine of an incident: which status may follow which, and who moves it.

Reopening is allowed, because new facts can turn a closed case or a "geen datalek" into a
breach after all. Only a recorded decision (``decisions.record``) moves an incident to
"besloten" or "geen datalek". Closing needs a complete dossier (``completeness``) and what the
organisation learned (``lessons``), recorded in the same transaction: ``close``.
"""

from __future__ import annotations

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import completeness, lessons
from datalek.handling.lessons import LessonInput
from datalek.models import Actor, InvalidInput, Status
from datalek.store import incidents as sql

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REPORTED: frozenset({Status.IN_PROGRESS, Status.NOT_A_BREACH, Status.MERGED}),
    Status.IN_PROGRESS: frozenset({Status.DECIDED, Status.NOT_A_BREACH, Status.MERGED}),
    Status.DECIDED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.NOT_A_BREACH: frozenset({Status.IN_PROGRESS, Status.MERGED}),
    # only by undoing the merge, with a reason (``merges.undo``)
    Status.MERGED: frozenset({Status.IN_PROGRESS}),
}

#: Statuses left only by undoing the merge, with a reason (``merges.undo``), never by hand.
ONLY_BY_UNDO = frozenset({Status.MERGED})

#: Where a report can be merged from (``datalek.handling.merges``): not once it was decided,
#: closed or merged — reopen it first.
MERGEABLE = frozenset({Status.REPORTED, Status.IN_PROGRESS, Status.NOT_A_BREACH})


# Only ``decisions.record`` moves an incident here: the register needs the motivated decision.
BY_DECISION = frozenset({Status.DECIDED, Status.NOT_A_BREACH, Status.MERGED})


def manual_targets(current: Status) -> list[Status]:
    """Where the FG may move an incident by hand from ``current``: not to a status that needs a
    decision, and not to "afgerond", which has its own button once the dossier is complete. A
    merged report moves only by undoing the merge (``merges.undo``)."""
    if current in ONLY_BY_UNDO:
        return []
    return sorted(TRANSITIONS[current] - BY_DECISION - {Status.CLOSED}, key=lambda s: s.value)


def close(db: Database, actor: Actor, incident_id: int, lesson: LessonInput) -> Status:
    """Close a decided incident with a complete dossier, and record what was learned."""
    return change_status(db, actor, incident_id, Status.CLOSED, lesson=lesson)


def change_status(
    db: Database,
    actor: Actor,
    incident_id: int,
    to: Status,
    reason: str = "",
    lesson: LessonInput | None = None,
) -> Status:
    """Move an incident to another status, if the status machine and the actor allow it.
    Closing takes the ``lesson`` (refused without one); other moves ignore it."""
    require(db, actor, Action.CHANGE_STATUS, IncidentRef(incident_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        current = Status(sql.incident(db, incident_id)["status"])
        if to not in TRANSITIONS[current] or current in ONLY_BY_UNDO:
            raise InvalidInput({"status": f"Van '{current.label}' kan een melding niet naar '{to.label}'."})
        if to in BY_DECISION:
            raise InvalidInput(
                {
                    "status": f"Van '{current.label}' naar '{to.label}' gaat alleen met "
                    "een besluit: leg het vast onder 'Advies en besluit'."
                }
            )
        if to is Status.CLOSED and (gaps := completeness.documentation_gaps(db, incident_id)):
            raise InvalidInput({"status": "Afronden kan pas als het dossier compleet is. " + " ".join(gaps)})
        if to is Status.CLOSED:
            lessons.record(db, actor, incident_id, lesson, at)
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
