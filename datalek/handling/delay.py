"""The reason for a delay (art. 33(1) AVG, last sentence): when the notification period has
passed while a decision or the AP notification is still outstanding, the FG records why, and
what kind of reason it is (``KINDS``: the figures count the kind, never the text). The concept
AP-melding gives both in §2 (``incidents.delay_reason``, ``incidents.delay_kind``).

A reason or kind that replaces an earlier one keeps the old value, who and when in
``incident_changes`` (shown in the incident's history). A reason recorded before kinds
existed has none: the figures sort its text by key words (``store.rollup_facts``)."""

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
#: The reason kept with the old kind when the FG changes it.
KIND_CHANGED = "Soort reden van vertraging aangepast"
#: The kinds of reason, in the order of the form; the codes are the figures' late-reason groups
#: (``insight.figures.LATE_REASONS`` without "none"; a test keeps them the same).
KINDS = {
    "processor": "Een verwerker of andere partij meldde het laat",
    "investigation": "Eerst was onderzoek nodig",
    "internal": "Het lek kwam laat bij de FG (weekend, vakantie, afwezigheid)",
    "other": "Een andere reden",
}


def question() -> str:
    """The form's question, with the period of the current regime."""
    return f"Waarom is de melding later dan {regime.CURRENT.period_hours} uur?"


KIND_QUESTION = "Wat voor reden is het?"


def label(kind: str) -> str:
    """The Dutch name of a kind; empty for none (a reason recorded before kinds existed)."""
    return KINDS.get(kind or "", kind or "")


def described(reason: str, kind: str) -> str:
    """The reason as the concept and the register give it: its kind first, when there is one."""
    reason = (reason or "").strip()
    if not kind:
        return reason
    return f"Soort reden: {label(kind)}." + (f"\n{reason}" if reason else "")


def _errors(reason: str, kind: str) -> dict[str, str]:
    errors = {}
    if not reason:
        errors["reason"] = f"Schrijf op waarom de melding later is dan {regime.CURRENT.period_hours} uur."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."
    if kind not in KINDS:
        errors["kind"] = "Kies wat voor reden het is."
    return errors


def record(db: Database, actor: Actor, incident_id: int, reason: str, kind: str | None) -> Clock:
    """Record (or replace) the reason for the delay and its kind (a code of ``KINDS``): for the
    FG of the incident, while the deadline has passed with the clock running, or to change a
    reason recorded before."""
    require(db, actor, Action.RECORD_NOTIFICATION, IncidentRef(incident_id))
    reason = (reason or "").strip()
    kind = (kind or "").strip()
    if errors := _errors(reason, kind):
        raise InvalidInput(errors)
    now = clock.now()
    at = clock.to_iso(now)
    with store.write(db):
        before = Clock.from_row(sql.clock_row(db, incident_id))
        old, old_kind = before.delay_reason, before.delay_kind
        if not old and not before.overdue(now):
            raise InvalidInput(
                {
                    "reason": "Er is geen vertraging: de termijn loopt nog, of de klok staat stil "
                    "(gemeld, of besloten niet te melden)."
                }
            )
        if reason == old and kind == old_kind:
            return before
        sql.set_delay_reason(db, incident_id, reason, kind, at)
        after_notification = int(before.phase in (Phase.NOTIFIED, Phase.WITHDRAWN))
        replaced = [("delay_reason", old, reason, CHANGED)] if old and reason != old else []
        if old and kind != old_kind:  # a first kind for an old reason keeps its '' as well
            replaced.append(("delay_kind", old_kind, kind, KIND_CHANGED))
        for field, old_value, new_value, why in replaced:
            change_sql.insert_change(
                db,
                {
                    "incident_id": incident_id,
                    "field": field,
                    "old_value": old_value,
                    "new_value": new_value,
                    "reason": why,
                    "after_notification": after_notification,
                    "changed_by": actor.user_id,
                    "changed_at": at,
                },
            )
        audit.append(
            db, actor, "incident.delay_reason", "incident", incident_id, replaced=bool(old), kind=kind
        )
    return Clock(
        before.incident_id, before.org_id, before.reference, before.aware_at, before.phase, reason, kind
    )
