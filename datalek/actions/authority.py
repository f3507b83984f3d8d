"""Notifying the Autoriteit Persoonsgegevens (art. 33 AVG): the first notification with the
AP's reference number, later supplements (aanvulling) and a withdrawal (intrekking), each
recorded against the first notification. The AP's form itself is filled in by the FG on the
AP's website; this module keeps what was sent, when, and why it was late."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import chronology, clock, deadlines, regime, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import moments
from datalek.models import Actor, InvalidInput, LabelledEnum
from datalek.store import actions as sql
from datalek.store import assessments as decision_sql
from datalek.store import incidents as incident_sql

MAX_TEXT = 4000
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{2,39}$")
# A submission moment may be a few minutes ahead of our clock (the FG's watch, the AP's).
_CLOCK_SKEW = chronology.CLOCK_SKEW


class NotificationKind(LabelledEnum):
    INITIAL = "initial"
    SUPPLEMENT = "supplement"
    WITHDRAWAL = "withdrawal"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"initial": "Melding", "supplement": "Aanvulling", "withdrawal": "Intrekking"}


@dataclass(frozen=True)
class Notification:
    id: int
    incident_id: int
    kind: NotificationKind
    ap_reference: str
    submitted_at: datetime
    late_reason: str
    note: str
    draft: dict
    recorded_by: int | None
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: dict) -> Notification:
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            kind=NotificationKind(row["kind"]),
            ap_reference=row["ap_reference"],
            submitted_at=clock.from_iso(row["submitted_at"]),
            late_reason=row["late_reason"],
            note=row["note"],
            draft=json.loads(row["concept"]),
            recorded_by=row["recorded_by"],
            recorded_at=clock.from_iso(row["recorded_at"]),
        )


@dataclass(frozen=True)
class State:
    """Where the incident stands with the AP."""

    initial: Notification | None
    supplements: list[Notification]
    withdrawal: Notification | None

    @property
    def notified(self) -> bool:
        return self.initial is not None and self.withdrawal is None


def state_of(rows: list[Notification]) -> State:
    initial = next((n for n in rows if n.kind is NotificationKind.INITIAL), None)
    return State(
        initial=initial,
        supplements=[n for n in rows if n.kind is NotificationKind.SUPPLEMENT],
        withdrawal=next((n for n in rows if n.kind is NotificationKind.WITHDRAWAL), None),
    )


def is_late(aware_at: datetime, submitted_at: datetime) -> bool:
    """Later than 72 hours after the organisation became aware (art. 33(1) AVG)."""
    return submitted_at > deadlines.deadline(aware_at)


def history(db: Database, actor: Actor, incident_id: int) -> State:
    require(db, actor, Action.READ_NOTIFICATIONS, IncidentRef(incident_id))
    return state_of([Notification.from_row(r) for r in sql.notifications(db, incident_id)])


def _text(errors: dict, field: str, value: str, required: str | None) -> str:
    value = value.strip()
    if required and not value:
        errors[field] = required
    elif len(value) > MAX_TEXT:
        errors[field] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    return value


def _moment(errors: dict, submitted_at: datetime | None, aware_at: datetime) -> None:
    """The notification's moment: after the awareness and not in the future (``chronology``,
    with its clock skew)."""
    if submitted_at is None or submitted_at.tzinfo is None:
        errors["submitted_at"] = "Vul de datum en het tijdstip van de melding bij de AP in."
        return
    clashes = chronology.check(now=clock.now(), aware_at=aware_at, notified_at=submitted_at, skew=_CLOCK_SKEW)
    if "notified_at" in clashes:
        errors["submitted_at"] = clashes["notified_at"]


def _insert(
    db: Database,
    actor: Actor,
    incident_id: int,
    kind: NotificationKind,
    reference: str,
    submitted_at: datetime,
    late_reason: str,
    note: str,
    draft: dict,
) -> Notification:
    row = {
        "incident_id": incident_id,
        "kind": kind.value,
        "ap_reference": reference,
        "submitted_at": clock.to_iso(submitted_at),
        "late_reason": late_reason,
        "note": note,
        "concept": json.dumps(draft, ensure_ascii=False, sort_keys=True),
        "recorded_by": actor.user_id,
        "recorded_at": clock.to_iso(clock.now()),
    }
    row_id = sql.insert_notification(db, row)
    incident_sql.touch(db, incident_id, row["recorded_at"])
    audit.append(
        db,
        actor,
        f"authority.{kind.value}",
        "incident",
        incident_id,
        notification_id=row_id,
        late=bool(late_reason),
    )
    return Notification.from_row({**row, "id": row_id})


def record_initial(
    db: Database,
    actor: Actor,
    incident_id: int,
    ap_reference: str,
    submitted_at: datetime | None,
    late_reason: str = "",
    draft: dict | None = None,
) -> Notification:
    """Record that the FG notified the AP, with the AP's reference number."""
    require(db, actor, Action.RECORD_NOTIFICATION, IncidentRef(incident_id))
    errors: dict[str, str] = {}
    reference = ap_reference.strip()
    if not _REFERENCE.match(reference):
        errors["ap_reference"] = (
            "Vul het meldnummer van de AP in (3 tot 40 letters en cijfers, "
            "zoals in de bevestiging van de AP)."
        )
    late_reason = _text(errors, "late_reason", late_reason, None)
    with store.write(db):
        aware_at = moments.awareness(db, incident_id).judged_from  # lateness: handling.moments
        _moment(errors, submitted_at, aware_at)
        # The reason the FG already recorded on the incident (handling.delay) is the default.
        late_reason = late_reason or incident_sql.incident(db, incident_id)["delay_reason"].strip()
        if "submitted_at" not in errors and is_late(aware_at, submitted_at) and not late_reason:
            errors["late_reason"] = (
                f"De melding is later dan {regime.CURRENT.period_hours} uur nadat de organisatie "
                "het wist. Geef de reden van de vertraging (art. 33 lid 1 AVG)."
            )
        decision = decision_sql.latest_decision(db, incident_id)
        if decision is None or decision["kind"] != "breach" or not decision["notify_authority"]:
            errors["form"] = (
                "Het besluit is niet 'melden bij de AP'. Leg eerst een besluit vast om te melden."
            )
        rows = [Notification.from_row(r) for r in sql.notifications(db, incident_id)]
        if state_of(rows).initial is not None:
            errors["form"] = "Deze melding is al bij de AP gedaan. Leg een aanvulling of een intrekking vast."
        if errors:
            raise InvalidInput(errors)
        if not is_late(aware_at, submitted_at):
            late_reason = ""
        return _insert(
            db,
            actor,
            incident_id,
            NotificationKind.INITIAL,
            reference,
            submitted_at,
            late_reason,
            "",
            draft or {},
        )


def _later_notification(
    db: Database,
    actor: Actor,
    incident_id: int,
    kind: NotificationKind,
    submitted_at: datetime | None,
    note: str,
    draft: dict | None,
) -> Notification:
    action = Action.RECORD_SUPPLEMENT if kind is NotificationKind.SUPPLEMENT else Action.RECORD_WITHDRAWAL
    require(db, actor, action, IncidentRef(incident_id))
    errors: dict[str, str] = {}
    required = (
        "Schrijf kort wat er is veranderd of aangevuld."
        if kind is NotificationKind.SUPPLEMENT
        else "Geef de reden van de intrekking."
    )
    note = _text(errors, "note", note, required)
    with store.write(db):
        aware_at = clock.from_iso(incident_sql.incident(db, incident_id)["aware_at"])
        _moment(errors, submitted_at, aware_at)
        state = state_of([Notification.from_row(r) for r in sql.notifications(db, incident_id)])
        if state.initial is None:
            errors["form"] = "Er is nog geen melding bij de AP vastgelegd."
        elif state.withdrawal is not None:
            errors["form"] = "De melding bij de AP is ingetrokken."
        elif submitted_at and submitted_at.tzinfo and submitted_at < state.initial.submitted_at:
            errors["submitted_at"] = "Dit moment ligt vóór de eerste melding bij de AP."
        elif submitted_at and submitted_at.tzinfo and state.supplements:
            last = max(n.submitted_at for n in state.supplements)
            if submitted_at < last:  # the notifications to the AP keep their order
                errors["submitted_at"] = (
                    f"Dit moment ligt vóór de laatste aanvulling bij de AP ({clock.format_local(last)})."
                )
        if errors:
            raise InvalidInput(errors)
        return _insert(
            db, actor, incident_id, kind, state.initial.ap_reference, submitted_at, "", note, draft or {}
        )


def record_supplement(
    db: Database,
    actor: Actor,
    incident_id: int,
    submitted_at: datetime | None,
    note: str,
    draft: dict | None = None,
) -> Notification:
    """Record a supplement (aanvulling) to the first notification."""
    return _later_notification(db, actor, incident_id, NotificationKind.SUPPLEMENT, submitted_at, note, draft)


def record_withdrawal(
    db: Database, actor: Actor, incident_id: int, submitted_at: datetime | None, reason: str
) -> Notification:
    """Record that the notification was withdrawn (intrekking), with the reason."""
    return _later_notification(
        db, actor, incident_id, NotificationKind.WITHDRAWAL, submitted_at, reason, None
    )
