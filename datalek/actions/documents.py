"""Documents made after the decision: the concept AP-melding and the letters to
betrokkenen. Each is made for the FG of the incident's organisation and audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import authority, informing, letters, notification_draft
from datalek.actions import measures as measure_mod
from datalek.actions.addressees import Addressee
from datalek.handling import incidents
from datalek.models import Actor, InvalidInput
from datalek.store import actions as actions_sql
from datalek.store import assessments as assessment_sql
from datalek.store import incidents as incident_sql
from datalek.triage import Advice
from datalek.triage.facts import Facts


def _sources(
    db: Database, actor: Actor, incident_id: int, late_reason: str, submitted_at: datetime | None = None
) -> notification_draft.Sources:
    incident = incidents.to_model(incident_sql.incident(db, incident_id))
    org = next(o for o in list_organisations(db, actor) if o.id == incident.org_id)
    latest = assessment_sql.latest_assessment(db, incident_id)
    decision = assessment_sql.latest_decision(db, incident_id)
    facts = Facts.model_validate_json(latest["facts"]) if latest else None
    advice = Advice.model_validate_json(latest["advice"]) if latest else None
    subjects = informing.load(db, incident_id)
    informed = [
        f"{n.recipient.label}: {n.people_count} op {n.informed_on:%d-%m-%Y} ({n.channel.label.lower()})."
        for n in subjects.notices
    ]
    public = "; ".join(f"{p.published_on:%d-%m-%Y}: {p.text}" for p in subjects.public) or None
    state = authority.state_of(
        [authority.Notification.from_row(r) for r in actions_sql.notifications(db, incident_id)]
    )
    return notification_draft.Sources(
        incident=incident,
        organisation=org,
        facts=facts,
        effects=latest["effects"] if latest else "",
        remedial_action=latest["remedial_action"] if latest else "",
        risk=advice.risk.label if advice and advice.risk else None,
        enisa=advice.enisa.level.label if advice and advice.enisa else None,
        inform=decision["inform_subjects"] if decision else None,
        inform_date=decision["inform_date"] if decision else None,
        exception=advice.exception.label if advice and advice.exception else None,
        informed=informed,
        public_notice=public,
        measures=[
            f"{m.kind.label}: {m.description} (gereed: {m.due_on:%d-%m-%Y}, {m.status.label.lower()})"
            for m in measure_mod.load(db, incident_id)
        ],
        late_reason=state.initial.late_reason if state.initial else late_reason,
        first_reference=state.initial.ap_reference if state.initial else "",
        first_submitted_at=state.initial.submitted_at if state.initial else submitted_at,
    )


def draft_notification(
    db: Database, actor: Actor, incident_id: int, late_reason: str = "", submitted_at: datetime | None = None
) -> notification_draft.NotificationDraft:
    """The concept for the first notification or, once that is recorded, for a supplement
    (only what changed since the last notification). ``submitted_at``: the moment of the
    first notification, when known (it decides whether a delay reason belongs in it).
    Audited: it holds personal data."""
    require(db, actor, Action.DRAFT_NOTIFICATION, IncidentRef(incident_id))
    src = _sources(db, actor, incident_id, late_reason, submitted_at)
    notes = [authority.Notification.from_row(r) for r in actions_sql.notifications(db, incident_id)]
    state = authority.state_of(notes)
    with store.write(db):
        audit.append(
            db, actor, "authority.concept", "incident", incident_id, supplement=state.initial is not None
        )
    now = clock.now()
    if state.initial is None:
        return notification_draft.build(src, now)
    previous = next((n.draft for n in reversed(notes) if n.draft), {})
    return notification_draft.changes(previous, notification_draft.build(src, now, kind="supplement"))


def letter_prefill(
    db: Database, actor: Actor, incident_id: int, recipient: Addressee = Addressee.PERSON
) -> letters.LetterText:
    """A first version of the letter for this kind of reader (the FG completes it)."""
    require(db, actor, Action.MAKE_LETTER, IncidentRef(incident_id))
    latest = assessment_sql.latest_assessment(db, incident_id)
    if latest is None:
        return letters.prefill(None)
    return letters.prefill(
        Facts.model_validate_json(latest["facts"]), latest["effects"], latest["remedial_action"], recipient
    )


def letter_for(
    db: Database,
    actor: Actor,
    incident_id: int,
    recipient: Addressee,
    text: letters.LetterText,
    today: date | None = None,
) -> letters.Letter:
    """The letter for a recipient group — never for a group flagged as a safety risk, and not
    before the safety question was answered for it. Audited."""
    require(db, actor, Action.MAKE_LETTER, IncidentRef(incident_id))
    allowed, why = informing.load(db, incident_id).allowed(recipient)
    if not allowed:
        raise InvalidInput({"recipient": why})
    row = incident_sql.incident(db, incident_id)
    org = next(o for o in list_organisations(db, actor) if o.id == row["org_id"])
    made = letters.compose(recipient, text, org, row["reference"], today or clock.today())
    with store.write(db):
        audit.append(db, actor, "subjects.letter", "incident", incident_id, recipient=recipient.value)
    return made
