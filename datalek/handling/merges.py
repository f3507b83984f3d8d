"""Merging a duplicate report into its main incident (issue #16: "Koppelen en samenvoegen").

Two employees report the same event: the FG merges the later report (the duplicate) into the
first (the main incident), from either side. The duplicate keeps its report text, which is shown
under the main incident; it gets the status "Samengevoegd" and a decision of its own that names
the main incident (``decisions.duplicate_of``), so every figure counts it once, as merged, and
never as a breach of its own or as "geen datalek". Only within one organisation, only into an
incident that is not merged itself and only an incident that has no reports merged under it
(no chains, no cycles); always with a reason, by the FG, audited. Undoing it
("samenvoegen ongedaan maken") takes a reason too and keeps the merge on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store, triage
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling import lifecycle, prefill
from datalek.handling.incidents import to_model
from datalek.models import Actor, InvalidInput, Status
from datalek.store import assessments as assessment_sql
from datalek.store import incidents as incident_sql
from datalek.store import merges as sql

MAX_REASON = 2000

UNKNOWN_REFERENCE = (
    "Er is geen melding met dit kenmerk in je organisatie. Vul het kenmerk in zoals DL-2026-0001."
)


@dataclass(frozen=True)
class MergedReport:
    """A report merged under a main incident, as the main incident's FG sees it."""

    incident_id: int
    reference: str
    reporter: str
    reported_at: datetime
    aware_at: datetime
    description: str
    actions_taken: str
    reason: str
    merged_at: datetime
    merged_by: str


@dataclass(frozen=True)
class MergedInto:
    """The main incident this incident is merged into, and why."""

    main_id: int
    main_reference: str
    reason: str
    merged_at: datetime


def _reason_error(reason: str, field: str = "reason") -> dict[str, str]:
    if not reason.strip():
        return {field: "Schrijf op waarom. Dat is nodig voor het register."}
    if len(reason) > MAX_REASON:
        return {field: f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."}
    return {}


def main_incident(
    db: Database, duplicate_id: int, main_id: int | None, field: str, reference: str = ""
) -> dict[str, str]:
    """Why ``duplicate_id`` cannot be merged into ``main_id`` (the id found for ``reference`` in
    the duplicate's organisation), as a Dutch message for ``field``; empty when it can."""
    if main_id is None:
        if not reference.strip():
            return {field: "Vul het kenmerk in van de melding die al geregistreerd is."}
        return {field: UNKNOWN_REFERENCE}
    if main_id == duplicate_id:
        return {field: "Deze melding kan geen dubbele melding van zichzelf zijn."}
    if found := sql.merge_in_force(db, main_id):
        return {
            field: f"Die melding is zelf een dubbele melding. Kies de eerste melding: {found['main_reference']}."
        }
    main_decision = assessment_sql.latest_decision(db, main_id)
    if main_decision and main_decision.get("duplicate_of"):  # a duplicate recorded before 0026
        first = incident_sql.incident(db, main_decision["duplicate_of"])["reference"]
        return {field: f"Die melding is zelf een dubbele melding. Kies de eerste melding: {first}."}
    if under := sql.merged_under(db, duplicate_id):
        names = ", ".join(r["reference"] for r in under)
        return {
            field: f"Onder deze melding zijn al meldingen samengevoegd ({names}). Voeg die melding "
            "hierin samen, of maak dat samenvoegen eerst ongedaan."
        }
    return {}


def by_reference(db: Database, incident_id: int, reference: str) -> int | None:
    """The id of the incident with ``reference`` in the organisation of ``incident_id``."""
    org_id = incident_sql.incident(db, incident_id)["org_id"]
    return incident_sql.id_by_reference(db, org_id, reference.strip().upper()) if reference.strip() else None


def record_in(
    db: Database, actor: Actor, duplicate_id: int, main_id: int, reason: str, decision_id: int, at: str
) -> int:
    """Write the merge of a duplicate decided just now (``decisions.record``), inside the caller's
    transaction, after the caller checked the actor and the main incident."""
    merge_id = sql.insert_merge(
        db,
        {
            "incident_id": duplicate_id,
            "main_id": main_id,
            "decision_id": decision_id,
            "reason": reason.strip(),
            "merged_by": actor.user_id,
            "merged_at": at,
        },
    )
    audit.append(
        db, actor, "incident.merge", "incident", duplicate_id, merge_id=merge_id, duplicate_of=main_id
    )
    return merge_id


def merge(db: Database, actor: Actor, duplicate_id: int, main_reference: str, reason: str) -> MergedInto:
    """Merge ``duplicate_id`` into the incident with ``main_reference`` (from the duplicate's side)."""
    require(db, actor, Action.MERGE_INCIDENTS, IncidentRef(duplicate_id))
    main_id = by_reference(db, duplicate_id, main_reference)
    return _merge(db, actor, duplicate_id, main_id, reason, "main", main_reference)


def merge_into(db: Database, actor: Actor, main_id: int, duplicate_reference: str, reason: str) -> MergedInto:
    """Merge the incident with ``duplicate_reference`` into ``main_id`` (from the main incident's side)."""
    require(db, actor, Action.MERGE_INCIDENTS, IncidentRef(main_id))
    duplicate_id = by_reference(db, main_id, duplicate_reference)
    if duplicate_id is None:
        error = main_incident(db, main_id, None, "reference", duplicate_reference) | _reason_error(reason)
        raise InvalidInput(error)
    if duplicate_id == main_id:
        raise InvalidInput({"reference": "Een melding kan niet met zichzelf worden samengevoegd."})
    return _merge(db, actor, duplicate_id, main_id, reason, "reference", duplicate_reference)


def _merge(
    db: Database,
    actor: Actor,
    duplicate_id: int,
    main_id: int | None,
    reason: str,
    field: str,
    reference: str,
) -> MergedInto:
    require(db, actor, Action.MERGE_INCIDENTS, IncidentRef(duplicate_id))
    if main_id is not None:
        require(db, actor, Action.MERGE_INCIDENTS, IncidentRef(main_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        errors = main_incident(db, duplicate_id, main_id, field, reference) | _reason_error(reason)
        row = incident_sql.incident(db, duplicate_id)
        current = Status(row["status"])
        if not errors and current not in lifecycle.MERGEABLE:
            errors[field] = (
                f"Melding {row['reference']} heeft de status '{current.label}' en kan niet worden "
                "samengevoegd. Heropen die melding eerst."
            )
        if not errors and sql.notified(db, duplicate_id):
            errors[field] = (
                f"Melding {row['reference']} is al bij de AP gemeld en kan niet worden samengevoegd. "
                "Voeg andersom samen, of leg eerst de intrekking bij de AP vast."
            )
        if errors:
            raise InvalidInput(errors)
        decision_id = duplicate_decision(db, row, main_id, reason.strip(), actor.user_id, at)
        lifecycle.record_move(db, actor, duplicate_id, current, Status.MERGED, "", at)
        record_in(db, actor, duplicate_id, main_id, reason, decision_id, at)
        main_reference = incident_sql.incident(db, main_id)["reference"]
    return MergedInto(main_id, main_reference, reason.strip(), clock.from_iso(at))


def duplicate_decision(
    db: Database,
    row: dict,
    main_id: int,
    reason: str,
    decided_by: int | None,
    at: str,
    now: datetime | None = None,
) -> int:
    """Store the decision that the incident ``row`` duplicates ``main_id`` ("geen datalek" on
    the basis 'duplicate', with the advice of its latest assessment, or of the triage of the
    report itself judged at ``now``); returns its id."""
    assessment = assessment_sql.latest_assessment(db, row["id"])
    advice = (
        assessment["advice"]
        if assessment
        else triage.assess(prefill.facts_from_report(to_model(row), None), now=now).model_dump_json()
    )
    return assessment_sql.insert_decision(
        db,
        {
            "incident_id": row["id"],
            "assessment_id": assessment["id"] if assessment else None,
            "kind": "not_a_breach",
            "notify_authority": 0,
            "inform_subjects": "no",
            "inform_date": None,
            "lawful_basis": "duplicate",
            "motivation": reason,
            "deviates": 0,
            "deviation_motivation": "",
            "advice": advice,
            "decided_by": decided_by,
            "decided_at": at,
            "consulted": "",
            "duplicate_of": main_id,
        },
    )


def undo(db: Database, actor: Actor, duplicate_id: int, reason: str) -> Status:
    """Undo the merge of ``duplicate_id``: it is "in behandeling" again and awaits its own
    decision; the merge stays on record with who undid it, when and why."""
    require(db, actor, Action.MERGE_INCIDENTS, IncidentRef(duplicate_id))
    at = clock.to_iso(clock.now())
    with store.write(db):
        if errors := _reason_error(reason):
            raise InvalidInput(errors)
        found = sql.merge_in_force(db, duplicate_id)
        if found is None:
            raise InvalidInput({"reason": "Deze melding is niet samengevoegd."})
        sql.undo_merge(db, found["id"], actor.user_id, at, reason.strip())
        current = Status(incident_sql.incident(db, duplicate_id)["status"])
        lifecycle.record_move(db, actor, duplicate_id, current, Status.IN_PROGRESS, reason, at)
        audit.append(
            db,
            actor,
            "incident.unmerge",
            "incident",
            duplicate_id,
            merge_id=found["id"],
            duplicate_of=found["main_id"],
        )
    return Status.IN_PROGRESS


def merged_into(db: Database, actor: Actor, incident_id: int) -> MergedInto | None:
    """The main incident this one is merged into (for its FG), or None."""
    require(db, actor, Action.READ_DECISION, IncidentRef(incident_id))
    found = sql.merge_in_force(db, incident_id)
    if found is None:
        return None
    return MergedInto(
        found["main_id"], found["main_reference"], found["reason"], clock.from_iso(found["merged_at"])
    )


def merged_reports(db: Database, actor: Actor, main_id: int) -> list[MergedReport]:
    """The reports merged under ``main_id``, oldest report first, with their report text."""
    require(db, actor, Action.READ_REPORTER, IncidentRef(main_id))
    return [
        MergedReport(
            incident_id=r["id"],
            reference=r["reference"],
            reporter=(r["reporter_name"] if r["reporter_active"] else "(account niet meer actief)")
            if r["reporter_name"]
            else "",
            reported_at=clock.from_iso(r["reported_at"]),
            aware_at=clock.from_iso(r["aware_at"]),
            description=r["description"],
            actions_taken=r["actions_taken"],
            reason=r["reason"],
            merged_at=clock.from_iso(r["merged_at"]),
            merged_by=r["merged_by_name"] or "",
        )
        for r in sql.merged_under(db, main_id)
    ]


def earlier_awareness(main_aware_at: datetime, merged: list[MergedReport]) -> MergedReport | None:
    """The merged report by which the organisation knew earlier than the main incident's moment
    of awareness, if any: the FG must be told, and can adopt that moment through the moment
    correction with a reason (``moments``) — never silently."""
    earlier = [m for m in merged if m.aware_at < main_aware_at]
    return min(earlier, key=lambda m: (m.aware_at, m.reference)) if earlier else None


def own_merges(db: Database, actor: Actor, incident_ids: list[int]) -> dict[int, str]:
    """For the employee's own reports: which were merged, into which reference. Nothing else
    of the main incident."""
    require(db, actor, Action.LIST_OWN_REPORTS)
    own = [
        i for i in incident_ids if (incident_sql.incident(db, i) or {}).get("reporter_id") == actor.user_id
    ]
    return sql.main_references(db, own)
