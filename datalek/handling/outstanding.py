"""Which notification clocks still run (art. 33 AVG): the period runs from awareness until
the AP notification is recorded or the FG decided not to notify (docs/domain/rules.md §2).

A decision to notify does not stop the clock: "Besloten te melden — nog 9 uur" stays in
the queue until the notification itself is recorded. An incident taken up again after a
decision ("in behandeling") awaits a new decision: its clock runs again, unless the AP was
notified already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, deadlines
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor, LabelledEnum, Status
from datalek.store import outstanding as sql


class Phase(LabelledEnum):
    AWAITING_DECISION = "awaiting_decision"
    DECIDED_TO_NOTIFY = "decided_to_notify"
    NOTIFIED = "notified"
    WITHDRAWN = "withdrawn"
    NOT_NOTIFYING = "not_notifying"
    NOT_A_BREACH = "not_a_breach"
    MERGED = "merged"

    @property
    def running(self) -> bool:
        """The clock runs while a decision or the notification itself is outstanding."""
        return self in (Phase.AWAITING_DECISION, Phase.DECIDED_TO_NOTIFY)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "awaiting_decision": "Besluit over melden nodig",
            "decided_to_notify": "Besloten te melden",
            "notified": "Gemeld bij de AP",
            "withdrawn": "Melding bij de AP ingetrokken",
            "not_notifying": "Besloten niet te melden",
            "not_a_breach": "Geen datalek",
            "merged": "Samengevoegd",
        }


def phase_of(
    decision_kind: str | None,
    decided_notify: bool | None,
    notified: bool,
    *,
    withdrawn: bool = False,
    status: str | None = None,
) -> Phase:
    """Where the clock stands, from the latest decision, the recorded notification (and its
    withdrawal) and the status. The store's ``RUNNING`` expression says the same in SQL."""
    if notified:
        return Phase.WITHDRAWN if withdrawn else Phase.NOTIFIED
    if decision_kind is None or (status is not None and Status(status).awaits_decision):
        return Phase.AWAITING_DECISION
    if decision_kind == "breach":
        return Phase.DECIDED_TO_NOTIFY if decided_notify else Phase.NOT_NOTIFYING
    return Phase.MERGED if status == Status.MERGED.value else Phase.NOT_A_BREACH


@dataclass(frozen=True)
class Clock:
    incident_id: int
    org_id: int
    reference: str
    aware_at: datetime
    phase: Phase
    delay_reason: str = ""
    delay_kind: str = ""  # the kind of the reason (``handling.delay.KINDS``); '' for none

    @property
    def deadline(self) -> datetime:
        return deadlines.deadline(self.aware_at)

    def hours_left(self, at: datetime) -> float:
        return deadlines.hours_left(self.aware_at, at)

    def overdue(self, at: datetime) -> bool:
        """The clock runs and the deadline has passed."""
        return self.phase.running and self.hours_left(at) <= 0

    def urgency(self, at: datetime) -> str | None:
        """``deadlines.urgency`` of a running clock ('late', 'urgent', 'soon', 'ok'); None
        when no clock runs."""
        return deadlines.urgency(self.hours_left(at)) if self.phase.running else None

    def label(self, at: datetime) -> str:
        """Plain Dutch for the queue: "nog 41 uur", "Besloten te melden — nog 9 uur"."""
        left = deadlines.describe_hours_left(self.hours_left(at))
        if self.phase is Phase.DECIDED_TO_NOTIFY:
            return f"Besloten te melden — {left}"
        if self.phase is Phase.AWAITING_DECISION:
            return left
        return self.phase.label

    def needs_delay_reason(self, at: datetime) -> bool:
        """Overdue with the clock still running, and no reason for the delay recorded yet."""
        return self.overdue(at) and not self.delay_reason.strip()

    @classmethod
    def from_row(cls, row: dict) -> Clock:
        return cls(
            incident_id=row["id"],
            org_id=row["org_id"],
            reference=row["reference"],
            aware_at=clock.from_iso(row["aware_at"]),
            phase=phase_of(
                row["decision_kind"],
                bool(row["decided_notify"]),
                bool(row["notified"]),
                withdrawn=bool(row.get("withdrawn")),
                status=row.get("status"),
            ),
            delay_reason=row.get("delay_reason") or "",
            delay_kind=row.get("delay_kind") or "",
        )


def running(db: Database, org_ids: list[int] | None = None) -> list[Clock]:
    """The clocks that still run, earliest deadline first. No permission check: callers are
    the FG's queue (which checks), the reminder scheduler and ``python -m datalek deadlines``
    (the system itself, on the server)."""
    clocks = [Clock.from_row(r) for r in sql.clock_rows(db, org_ids)]
    return [c for c in clocks if c.phase.running]


def for_incident(db: Database, actor: Actor, incident_id: int) -> Clock:
    """The clock of one incident, for the FG who handles it."""
    require(db, actor, Action.READ_NOTIFICATIONS, IncidentRef(incident_id))
    return Clock.from_row(sql.clock_row(db, incident_id))
