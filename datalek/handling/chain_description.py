"""Correcting a chain incident's shared description (issue #16): an FG of an organisation with an
incident in the chain changes it, with a reason, as every recorded fact is changed
(``datalek.corrections``). The new text is checked for personal data as when the chain was made
(``chain_rules.description_errors``), and so is the reason: every member's FG reads both. The
old text, the new one, who, when and why stay in ``chain_changes``; every member's FG sees them
in the chain's history (``datalek.handling.chains``, which offers this as ``change_description``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, corrections, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling.chain_rules import MAX_REASON, description_errors, personal_data
from datalek.models import Actor, InvalidInput
from datalek.store import chains as sql
from datalek.store import incidents as incident_sql

FIELD = "description"
WHY_DESCRIPTION = "Waarom pas je de gedeelde beschrijving aan? Schrijf de reden."
UNCHANGED = "Je hebt de beschrijving niet veranderd. Er is niets opgeslagen."
NOT_IN_CHAIN = "Deze melding zit niet (meer) in een keten: je kunt de beschrijving niet aanpassen."


@dataclass(frozen=True)
class Change:
    """A change of the shared description, as every member's FG sees it."""

    old: str
    new: str
    reason: str
    changed_by: str
    changed_at: datetime


def changes(db: Database, chain_id: int) -> tuple[Change, ...]:
    """The description's changes, oldest first. Only these: a member's own changes (its removal)
    name another organisation's incident and its reason."""
    return tuple(
        Change(
            c["old_value"] or "",
            c["new_value"] or "",
            c["reason"],
            corrections.who(c["changed_by"], c["changed_by_name"]),
            clock.from_iso(c["changed_at"]),
        )
        for c in sql.changes(db, chain_id)
        if c["field"] == FIELD
    )


def _reason_errors(reason: str) -> dict[str, str]:
    found = personal_data(reason)
    return {"reason": found} if found else {}


def change_description(db: Database, actor: Actor, incident_id: int, text: str, reason: str) -> None:
    """Correct the shared description of the chain ``incident_id`` stands in: only an FG of the
    incident's organisation may, and only while it is a member (not taken out). A reason is
    always needed (a recorded text is overwritten); an unchanged text records nothing."""
    require(db, actor, Action.CHAIN_INCIDENTS, IncidentRef(incident_id))
    membership = sql.membership(db, incident_id)
    if membership is None or membership["removed_at"] is not None:
        raise InvalidInput({"form": NOT_IN_CHAIN})
    chain_id = membership["chain_id"]
    text, reason = (text or "").strip(), (reason or "").strip()
    errors = description_errors(text) | _reason_errors(reason)
    row, new = sql.chain(db, chain_id), {FIELD: text}
    if not errors and not corrections.changes(row, new):
        raise InvalidInput({FIELD: UNCHANGED})
    found = corrections.checked(row, new, reason, errors, missing=WHY_DESCRIPTION, limit=MAX_REASON)
    at = clock.to_iso(clock.now())
    with store.write(db):
        sql.set_description(db, chain_id, text)
        for r in corrections.change_rows(
            found, reason, actor, at, chain_id=chain_id, incident_id=incident_id
        ):
            sql.insert_change(db, r)
        incident_sql.touch(db, incident_id, at)
        audit.append(db, actor, "chain.describe", "incident", incident_id, chain_id=chain_id)
