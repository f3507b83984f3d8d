"""Keeping the informing list in families (issue #15): a family, a person in it, a change of
a person (every old value kept with who, when and why), a person taken off the list (the row
stays), a deviation from the rule for one person, and each family's safety judgement; and the
families whose messages wait for safety, for the FG's queue. Every write: the FG of the
incident's organisation (``Action.MANAGE_HOUSEHOLDS``), one ``BEGIN IMMEDIATE`` transaction,
the incident touched, an audit entry with codes and ids only.

A person holds the least data that does the job (vuistregel 5): the number of their file in the
organisation's own system, never a name (required for everyone except ``Relation.OTHER``:
someone outside the organisation's files, such as a neighbour who received the letter, may have
none); the relation; for a child a date of birth *or* an age band (``household_rules``).

The list may be kept from the report on (the FG often knows the family before deciding), as
``informing`` allows for its checks; a purged incident takes nothing new. What the list holds,
and the gate every letter passes: ``datalek.actions.informing_list`` (re-exported here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import informing_gaps  # noqa: F401 - adds the list's check to closing
from datalek.actions.addressees import Addressee, AgeBand, Concern, ParentsWithheld, Relation
from datalek.actions.corrections import MAX_REASON, NOTHING_CHANGED, reason_errors
from datalek.actions.household_rules import (
    FLAGGED,
    MAX_LABEL,
    MEMBER_FIELDS,
    PURGED,
    REMOVED_ALREADY,
    deviation_errors,
    member_errors,
    safety_errors,
    stored,
)
from datalek.actions.informing_list import (  # noqa: F401 - the list's records, read through this module too
    FIRST_QUESTION,
    Household,
    InformingList,
    MemberRecord,
    SafetyJudgement,
    informing_list,
    load,
)
from datalek.actions.recipients import INCLUDE
from datalek.models import Actor, InvalidInput
from datalek.store import households as sql
from datalek.store import incidents as incident_sql

DUPLICATE = "Deze persoon staat al op de lijst van deze melding (hetzelfde dossier- of cliëntnummer)."


# --- writing ----------------------------------------------------------------------------------


def _check(db: Database, actor: Actor, incident_id: int | None) -> int | None:
    """The permission check; an unknown family or member is refused like someone else's."""
    require(db, actor, Action.MANAGE_HOUSEHOLDS, IncidentRef(incident_id or 0))
    return incident_id


def _not_purged(db: Database, incident_id: int) -> None:
    if incident_sql.incident(db, incident_id)["purged_at"]:
        raise InvalidInput({"form": PURGED})


def _incident_of_member(db: Database, actor: Actor, member_id: int) -> int:
    """The member's incident, once the actor may keep its list."""
    row = sql.member(db, member_id)
    return _check(db, actor, row["incident_id"] if row else None)


def _incident_of_household(db: Database, actor: Actor, household_id: int) -> int:
    """The family's incident, once the actor may keep its list."""
    row = sql.household(db, household_id)
    return _check(db, actor, row["incident_id"] if row else None)


def _reload(db: Database, incident_id: int, member_id: int) -> MemberRecord:
    return load(db, incident_id).member(member_id)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def add_household(db: Database, actor: Actor, incident_id: int, label: str = "") -> Household:
    """A new family on the incident's list; without a label it is "Gezin 1", "Gezin 2", ..."""
    require(db, actor, Action.MANAGE_HOUSEHOLDS, IncidentRef(incident_id))
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise InvalidInput({"label": f"Gebruik hoogstens {MAX_LABEL} tekens."})
    at = clock.to_iso(clock.now())
    with store.write(db):
        _not_purged(db, incident_id)
        label = label or f"Gezin {sql.count_households(db, incident_id) + 1}"
        row = {"incident_id": incident_id, "label": label, "created_by": actor.user_id, "created_at": at}
        household_id = sql.insert_household(db, row)
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "subjects.household", "incident", incident_id, household_id=household_id)
    return Household(household_id, incident_id, label, (), ())


def add_member(
    db: Database,
    actor: Actor,
    household_id: int,
    *,
    relation: Relation | None,
    file_ref: str = "",
    birth_date: date | None = None,
    age_band: AgeBand | None = None,
    competent: bool | None = None,
    consent_parents: bool | None = None,
    parents_withheld: ParentsWithheld = ParentsWithheld.NONE,
    parents_withheld_reason: str = "",
) -> MemberRecord:
    """Put a person on a family's list; ``InvalidInput`` with a Dutch message per field."""
    incident_id = _incident_of_household(db, actor, household_id)
    values = {name: value for name, value in locals().items() if name in MEMBER_FIELDS}
    errors = member_errors(values, clock.today())
    at = clock.to_iso(clock.now())
    with store.write(db):
        _not_purged(db, incident_id)
        ref = (values["file_ref"] or "").strip()
        if ref and "file_ref" not in errors and sql.file_ref_taken(db, incident_id, ref):
            errors["file_ref"] = DUPLICATE
        if errors:
            raise InvalidInput(errors)
        row = {"household_id": household_id, "incident_id": incident_id, **stored(values)}
        member_id = sql.insert_member(db, {**row, "recorded_by": actor.user_id, "recorded_at": at})
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "subjects.member", "incident", incident_id,
            household_id=household_id, member_id=member_id, relation=values["relation"].value,
        )  # fmt: skip
    return _reload(db, incident_id, member_id)


def _change(db: Database, actor: Actor, row: dict, new: dict, reason: str, at: str) -> list[str]:
    """Write the changed columns of ``new`` with their old values (who, when, why); their names."""
    changed = {column: value for column, value in new.items() if row[column] != value}
    if not changed:
        raise InvalidInput({"form": NOTHING_CHANGED})
    sql.insert_changes(
        db,
        [
            {
                "member_id": row["id"],
                "incident_id": row["incident_id"],
                "field": column,
                "old_value": None if row[column] is None else str(row[column]),
                "new_value": None if value is None else str(value),
                "reason": reason,
                "changed_by": actor.user_id,
                "changed_at": at,
            }
            for column, value in changed.items()
        ],
    )
    sql.update_member(db, row["id"], changed)
    incident_sql.touch(db, row["incident_id"], at)
    return list(changed)


def _standing(db: Database, incident_id: int, member_id: int) -> dict:
    _not_purged(db, incident_id)
    row = sql.member(db, member_id)
    if row["removed_at"]:
        raise InvalidInput({"form": REMOVED_ALREADY})
    return row


def change_member(db: Database, actor: Actor, member_id: int, reason: str, **changes) -> MemberRecord:
    """Change what is recorded about a person (any of ``MEMBER_FIELDS``), with a reason. Every
    changed value is kept with its old value, who, when and why, in the same transaction."""
    if unknown := set(changes) - set(MEMBER_FIELDS):
        raise TypeError(f"change_member() cannot change {sorted(unknown)}")
    incident_id = _incident_of_member(db, actor, member_id)
    reason = (reason or "").strip()
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = _standing(db, incident_id, member_id)
        current = MemberRecord.from_row(row)
        values = {name: getattr(current, name) for name in MEMBER_FIELDS} | changes
        errors = member_errors(values, clock.today()) | reason_errors(reason)
        ref = (values["file_ref"] or "").strip()
        if ref and "file_ref" not in errors and sql.file_ref_taken(db, incident_id, ref, member_id):
            errors["file_ref"] = DUPLICATE
        if errors:
            raise InvalidInput(errors)
        changed = _change(db, actor, row, stored(values), reason, at)
        audit.append(
            db, actor, "subjects.member_change", "incident", incident_id, member_id=member_id, fields=changed
        )
    return _reload(db, incident_id, member_id)


def remove_member(db: Database, actor: Actor, member_id: int, reason: str) -> MemberRecord:
    """Take a person off the list, with a reason; the row and what was recorded stay."""
    incident_id = _incident_of_member(db, actor, member_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Schrijf waarom deze persoon van de lijst gaat."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."})
    at = clock.to_iso(clock.now())
    with store.write(db):
        _standing(db, incident_id, member_id)
        sql.remove_member(db, member_id, actor.user_id, reason, at)
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "subjects.member_remove", "incident", incident_id, member_id=member_id)
    return _reload(db, incident_id, member_id)


def set_deviation(
    db: Database, actor: Actor, member_id: int, deviation: str, reader: Addressee | None, reason: str
) -> MemberRecord:
    """Depart from the rule for one person: "include" (a letter of kind ``reader`` after all),
    "exclude" (no letter), or "" (follow the rule again). Always with a reason; a change too."""
    incident_id = _incident_of_member(db, actor, member_id)
    reason = (reason or "").strip()
    errors = deviation_errors(deviation, reader, reason)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = _standing(db, incident_id, member_id)
        if deviation == INCLUDE and member_id in load(db, incident_id).household(row["household_id"]).flagged:
            errors = {"deviation": FLAGGED}
        if errors:
            raise InvalidInput(errors)
        new = {
            "deviation": deviation,
            "deviation_reader": reader.value if deviation == INCLUDE else "",
            "deviation_reason": reason if deviation else "",
        }
        _change(db, actor, row, new, reason, at)
        audit.append(
            db, actor, "subjects.deviation", "incident", incident_id, member_id=member_id, deviation=deviation
        )
    return _reload(db, incident_id, member_id)


def judge_safety(
    db: Database,
    actor: Actor,
    household_id: int,
    *,
    flagged: set[int],
    concerns: set[Concern],
    postponed: bool | None,
    reason: str,
    review_on: date | None,
) -> SafetyJudgement:
    """Judge a family's safety (append-only; the latest judgement counts). Flagged persons never
    get a message; a postponement waits until ``review_on``. Someone flagged and the family not
    postponed: the reason says why informing the others is safe now (how a postponement ends)."""
    incident_id = _incident_of_household(db, actor, household_id)
    flagged, concerns = frozenset(flagged or ()), frozenset(Concern(c) for c in concerns or ())
    reason = (reason or "").strip()
    errors = safety_errors(flagged, concerns, postponed, reason, review_on, clock.today())
    at = clock.to_iso(clock.now())
    with store.write(db):
        _not_purged(db, incident_id)
        house = load(db, incident_id).household(household_id)
        if not flagged <= {m.id for m in house.members}:
            errors["flagged"] = "Kies alleen personen uit dit gezin die op de lijst staan."
        if errors:
            raise InvalidInput(errors)
        row = {
            "household_id": household_id,
            "incident_id": incident_id,
            "flagged": json.dumps(sorted(flagged)),
            "concern": ",".join(sorted(c.value for c in concerns)),
            "postponed": int(postponed),
            "reason": reason,
            "review_on": review_on.isoformat() if postponed else None,
            "recorded_by": actor.user_id,
            "recorded_at": at,
        }
        judgement_id = sql.insert_judgement(db, row)
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "subjects.family_safety", "incident", incident_id,
            household_id=household_id, flagged=len(flagged), postponed=bool(postponed),
        )  # fmt: skip
    return SafetyJudgement.from_row({**row, "id": judgement_id})


# --- the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postponement:
    incident_id: int
    reference: str
    household_id: int
    label: str
    review_on: date


def open_postponements(db: Database, actor: Actor) -> list[Postponement]:
    """The families of the FG's organisations whose messages wait for safety, soonest first."""
    require(db, actor, Action.SEE_REVIEWS)
    names = [f.name for f in fields(Postponement)]
    return [
        Postponement(**{n: _day(r[n]) if n == "review_on" else r[n] for n in names})
        for r in sql.open_postponements(db, list(actor.org_ids))
    ]
