"""Documents made after the decision: the concept AP-melding and the letters to
betrokkenen. Each is made for the FG of the incident's organisation and audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import (
    authority,
    informing,
    informing_status,
    letter_templates,
    letters,
    notification_draft,
)
from datalek.actions import measures as measure_mod
from datalek.actions.addressees import Addressee
from datalek.handling import incidents, involvement, moments
from datalek.models import Actor, InvalidInput, Organisation, Role
from datalek.store import accounts as account_sql
from datalek.store import actions as actions_sql
from datalek.store import assessments as assessment_sql
from datalek.store import incidents as incident_sql
from datalek.triage import Advice
from datalek.triage.facts import Facts


def _notifier(db: Database, actor: Actor, org: Organisation) -> notification_draft.Notifier:
    """The FG making the concept, from her own account; for the operator, the account of the
    organisation's FG (by the organisation's FG address), else the organisation's settings."""
    row = account_sql.user(db, actor.user_id) if actor.user_id is not None else None
    if row is None or row["role"] != Role.DPO.value:
        # Only an active FG account of this organisation: never a former FG, nor another
        # organisation's FG whose address happens to be set here (found in review).
        wanted = (org.dpo_email or "").strip().lower()
        row = next(
            (
                a
                for a in account_sql.dpo_accounts(db, org.id)
                if a["active"] and wanted and a["email"].strip().lower() == wanted
            ),
            None,
        )
    if row is None:
        return notification_draft.Notifier(org.dpo_name, "", org.dpo_phone)
    return notification_draft.Notifier(
        row["name"], row.get("job_title") or "", row.get("phone") or org.dpo_phone
    )


def _change_line(c: moments.Change) -> str:
    after = " Gewijzigd na de melding aan de AP." if c.after_notification else ""
    return (
        f"{c.label}: was {c.old or 'leeg'}, werd {c.new or 'leeg'}. Gewijzigd op "
        f"{clock.format_local(c.changed_at)} door {c.changed_by}. Reden: {c.reason}.{after}"
    )


def _motivation(decision: dict | None) -> str:
    if decision is None:
        return ""
    return (decision["deviation_motivation"] if decision["deviates"] else "") or decision["motivation"]


def _sources(
    db: Database, actor: Actor, incident_id: int, late_reason: str, submitted_at: datetime | None = None
) -> notification_draft.Sources:
    row = incident_sql.incident(db, incident_id)
    incident = incidents.to_model(row)
    org = next(o for o in list_organisations(db, actor) if o.id == incident.org_id)
    latest = assessment_sql.latest_assessment(db, incident_id)
    decision = assessment_sql.latest_decision(db, incident_id)
    facts = Facts.model_validate_json(latest["facts"]) if latest else None
    advice = Advice.model_validate_json(latest["advice"]) if latest else None
    record = informing_status.informing_record(db, incident_id, clock.today())  # §8: what is on record
    notes = [authority.Notification.from_row(r) for r in actions_sql.notifications(db, incident_id)]
    state = authority.state_of(notes)
    aware = moments.awareness(db, incident_id)
    basis = aware.basis.label + (f" ({aware.source.strip()})" if aware.source.strip() else "")
    return notification_draft.Sources(
        incident=incident,
        organisation=org,
        facts=facts,
        effects=latest["effects"] if latest else "",
        remedial_action=latest["remedial_action"] if latest else "",
        risk=advice.risk if advice else None,
        inform=decision["inform_subjects"] if decision else None,
        inform_date=decision["inform_date"] if decision else None,
        exception=advice.exception.label if advice and advice.exception else None,
        informed=record.lines(),
        public_notice=record.public_text(),
        measures=[
            f"{m.kind.label}: {m.description} (gereed: {m.due_on:%d-%m-%Y}, {m.status.label.lower()})"
            for m in measure_mod.load(db, incident_id)
        ],
        late_reason=state.initial.late_reason if state.initial else late_reason,
        first_reference=state.initial.ap_reference if state.initial else "",
        first_submitted_at=state.initial.submitted_at if state.initial else submitted_at,
        last_submitted_at=max((n.submitted_at for n in notes), default=None),
        decision_motivation=_motivation(decision),
        notifier=_notifier(db, actor, org),
        aware_basis=basis,
        aware_changes=[_change_line(c) for c in aware.changes],
        judged_from=aware.judged_from,
        delay_reason=incident.delay_reason,
        delay_kind=row.get("delay_kind") or "",
        involved=involvement.concept_lines(db, incident_id),
    )


def _withdrawal_reason(db: Database, incident_id: int, state: authority.State) -> str:
    """The recorded withdrawal's reason, else "not a breach after all" when that is the decision."""
    if state.withdrawal is not None:
        return state.withdrawal.note
    decision = assessment_sql.latest_decision(db, incident_id)
    if decision is not None and decision["kind"] != "breach":
        return f"Bij nader inzien geen datalek. {decision['motivation']}".strip()
    return ""


def draft_notification(
    db: Database,
    actor: Actor,
    incident_id: int,
    late_reason: str = "",
    submitted_at: datetime | None = None,
    kind: str | None = None,
    reason: str = "",
) -> notification_draft.NotificationDraft:
    """The concept for the first notification or, once that is recorded, for a supplement
    (only what changed since the last notification); ``kind="withdrawal"``: the concept for
    withdrawing it, with ``reason`` (else the recorded one, or the decision "geen datalek").
    ``submitted_at``: the moment of the first notification, when known (it decides whether a
    delay reason belongs in it). Audited: it holds personal data."""
    require(db, actor, Action.DRAFT_NOTIFICATION, IncidentRef(incident_id))
    if kind is not None and kind not in notification_draft.KINDS:
        raise InvalidInput({"kind": "Kies een nieuwe melding, een aanvulling of een intrekking."})
    src = _sources(db, actor, incident_id, late_reason, submitted_at)
    notes = [authority.Notification.from_row(r) for r in actions_sql.notifications(db, incident_id)]
    state = authority.state_of(notes)
    kind = kind or ("initial" if state.initial is None else "supplement")
    if kind != "initial" and state.initial is None:
        raise InvalidInput({"kind": "Er is nog geen melding bij de AP vastgelegd."})
    with store.write(db):
        audit.append(db, actor, "authority.concept", "incident", incident_id, **_audit_detail(kind, state))
    now = clock.now()
    if kind == "withdrawal":
        return notification_draft.build_withdrawal(
            src, now, reason or _withdrawal_reason(db, incident_id, state)
        )
    if kind == "initial":
        return notification_draft.build(src, now)
    previous = next((n.draft for n in reversed(notes) if n.draft), {})
    return notification_draft.changes(previous, notification_draft.build(src, now, kind="supplement"))


def _audit_detail(kind: str, state: authority.State) -> dict:
    """As before for the first notification and a supplement; a withdrawal says so."""
    if kind == "withdrawal":
        return {"supplement": False, "withdrawal": True}
    return {"supplement": state.initial is not None and kind != "initial"}


def letter_prefill(
    db: Database, actor: Actor, incident_id: int, recipient: Addressee = Addressee.PERSON, children: int = 1
) -> letters.LetterText:
    """A first version of the letter for this kind of reader (the FG completes it): what the
    reader can do in the address form of the organisation's current template."""
    owner = require(db, actor, Action.MAKE_LETTER, IncidentRef(incident_id))
    latest = assessment_sql.latest_assessment(db, incident_id)
    if latest is None:
        return letters.prefill(None)
    form = letter_templates.current(db, owner.org_id, recipient).form
    return letters.prefill(
        Facts.model_validate_json(latest["facts"]),
        latest["effects"],
        latest["remedial_action"],
        recipient,
        form,
        children,
    )


def letter_for(
    db: Database,
    actor: Actor,
    incident_id: int,
    recipient: Addressee,
    text: letters.LetterText,
    today: date | None = None,
    template: letter_templates.Template | None = None,
    children: int = 1,
) -> letters.Letter:
    """The letter for a recipient group — never for a group flagged as a safety risk, and not
    before the safety question was answered for it — through ``template`` (default: the
    organisation's current one for this reader). Without ``text.data`` the letter names the
    data of the incident's latest assessment. Audited."""
    require(db, actor, Action.MAKE_LETTER, IncidentRef(incident_id))
    allowed, why = informing.load(db, incident_id).allowed(recipient)
    if not allowed:
        raise InvalidInput({"recipient": why})
    row = incident_sql.incident(db, incident_id)
    org = next(o for o in list_organisations(db, actor) if o.id == row["org_id"])
    if template is None:
        template = letter_templates.current(db, org.id, recipient)
    elif template.org_id not in (None, org.id):
        raise InvalidInput({"template": "Dit sjabloon is van een andere organisatie."})
    latest = assessment_sql.latest_assessment(db, incident_id)
    if not text.data and latest is not None:
        facts = Facts.model_validate_json(latest["facts"])
        text = text.model_copy(update={"data": letters.prefill(facts).data})
    made = letters.compose(
        recipient, text, org, row["reference"], today or clock.today(), template=template, children=children
    )
    with store.write(db):
        audit.append(db, actor, "subjects.letter", "incident", incident_id, recipient=recipient.value)
    return made
