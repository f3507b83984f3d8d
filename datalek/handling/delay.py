"""The reason for a delay (art. 33(1) AVG, last sentence): when the notification period has
passed while a decision or the AP notification is still outstanding, the FG records why.
The concept AP-melding gives it in §2 (``incidents.delay_reason``).

A reason that replaces an earlier one keeps the old text, who and when in
``incident_changes`` (shown in the incident's history)."""

from __future__ import annotations

from sqlite_utils import Database

from datalek import clock, regime, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling.outstanding import Clock, Phase
from datalek.models import Actor, InvalidInput
from datalek.store import moments as change_sql
from datalek.store import outstanding as sql

MAX_REASON = 2000
#: The reason kept with the old text when the FG replaces it.
CHANGED = "Reden van vertraging aangepast"


def question() -> str:
    """The form's question, with the period of the current regime."""
    return f"Waarom is de melding later dan {regime.CURRENT.period_hours} uur?"


def _errors(reason: str) -> dict[str, str]:
    if not reason:
        return {"reason": f"Schrijf op waarom de melding later is dan {regime.CURRENT.period_hours} uur."}
    if len(reason) > MAX_REASON:
        return {"reason": f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."}
    return {}


def record(db: Database, actor: Actor, incident_id: int, reason: str) -> Clock:
    """Record (or replace) the reason for the delay: for the FG of the incident, while the
    deadline has passed with the clock running, or to change a reason recorded before."""
    require(db, actor, Action.RECORD_NOTIFICATION, IncidentRef(incident_id))
    reason = (reason or "").strip()
    if errors := _errors(reason):
        raise InvalidInput(errors)
    now = clock.now()
    at = clock.to_iso(now)
    with store.write(db):
        before = Clock.from_row(sql.clock_row(db, incident_id))
        old = before.delay_reason
        if not old and not before.overdue(now):
            raise InvalidInput(
                {
                    "reason": "Er is geen vertraging: de termijn loopt nog, of de klok staat stil "
                    "(gemeld, of besloten niet te melden)."
                }
            )
        if reason == old:
            return before
        sql.set_delay_reason(db, incident_id, reason, at)
        if old:
            change_sql.insert_change(
                db,
                {
                    "incident_id": incident_id,
                    "field": "delay_reason",
                    "old_value": old,
                    "new_value": reason,
                    "reason": CHANGED,
                    "after_notification": int(before.phase in (Phase.NOTIFIED, Phase.WITHDRAWN)),
                    "changed_by": actor.user_id,
                    "changed_at": at,
                },
            )
        audit.append(db, actor, "incident.delay_reason", "incident", incident_id, replaced=bool(old))
    return Clock(before.incident_id, before.org_id, before.reference, before.aware_at, before.phase, reason)
