"""The small-number threshold of an organisation's figures (issue #17), set by its FG.

A breakdown count below the threshold is hidden on the dashboard, in the yearly report and in
the board DOCX (``datalek.insight.disclosure``); the totals are always shown. Every organisation
starts at 5 (``organisations.small_number``). The installation's floor is
``DATALEK_SMALL_NUMBER`` (``disclosure.installation_minimum``): the figures never use a lower
threshold, and nobody can set one. A threshold of 1 would hide nothing, so 2 is the lowest that
can be set even without a floor; more than ``MAXIMUM`` would hide almost every breakdown.

Who: the organisation's FG (or the operator on the server, ``python -m datalek org
small-number``). Not the beheerder, who manages accounts but has no part in the privacy of the
figures, and not management, who reads the figures the threshold protects.

Every change keeps the old and the new value, who, when and the reason in
``organisation_changes``, and is audited with the values and the row's number (never the
reason's words). The figures read the threshold on every request (the protected pattern is
cached per threshold, ``datalek.insight.selections.pattern``), so a change counts at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, OrgRef, require
from datalek.insight import disclosure
from datalek.models import Actor, InvalidInput
from datalek.store import organisation_changes as sql

#: The lowest threshold that hides anything (0 < n < 2: the ones).
MINIMUM = 2
#: Above this, almost every breakdown of an organisation would be hidden.
MAXIMUM = 50
MAX_REASON = 1000


@dataclass(frozen=True)
class Threshold:
    """An organisation's threshold: its own, the installation's floor, and the one the figures use."""

    org_id: int
    own: int
    floor: int

    @property
    def used(self) -> int:
        return disclosure.limit_for(self.own)

    @property
    def lowest(self) -> int:
        """The lowest value that can be set."""
        return max(MINIMUM, self.floor)


@dataclass(frozen=True)
class Change:
    id: int
    old: int | None
    new: int
    reason: str
    changed_by_name: str
    changed_at: datetime


def threshold(db: Database, actor: Actor, org_id: int) -> Threshold:
    require(db, actor, Action.SMALL_NUMBER, OrgRef(org_id))
    own = sql.small_number(db, org_id)
    if own is None:
        raise LookupError(org_id)
    return Threshold(org_id, own, disclosure.installation_minimum())


def history(db: Database, actor: Actor, org_id: int) -> list[Change]:
    """Every change of the threshold, newest first."""
    require(db, actor, Action.SMALL_NUMBER, OrgRef(org_id))
    return [
        Change(
            r["id"],
            None if r["old_value"] is None else int(r["old_value"]),
            int(r["new_value"]),
            r["reason"],
            r["changed_by_name"] or "Server (opdrachtregel)",
            clock.from_iso(r["changed_at"]),
        )
        for r in sql.changes(db, org_id, sql.SMALL_NUMBER)
    ]


def as_number(value: object) -> int | None:
    """A whole number from a form or the command line ("7", 7, 7.0); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"-?[0-9]{1,6}", text) else None


def value_error(value: object, current: Threshold) -> str | None:
    """The Dutch message for a threshold that cannot be set, or None."""
    number = as_number(value)
    if number is None:
        return "Vul een heel getal in, bijvoorbeeld 5."
    if number < current.lowest:
        if current.floor > MINIMUM:
            return (
                f"De drempel kan niet lager zijn dan {current.floor}: dat is de ondergrens van deze "
                "installatie."
            )
        return f"De drempel kan niet lager zijn dan {MINIMUM}: bij 1 wordt niets verborgen."
    if number > MAXIMUM:
        return f"De drempel kan niet hoger zijn dan {MAXIMUM}: dan blijft er bijna niets over om te tonen."
    if number == current.own:
        return f"De drempel is al {number}. Er is niets veranderd."
    return None


def set_threshold(db: Database, actor: Actor, org_id: int, value: object, reason: str) -> Threshold:
    """Set the organisation's threshold, with a reason; ``InvalidInput`` (fields
    "small_number", "reason") when refused. Returns the threshold as it is now."""
    current = threshold(db, actor, org_id)
    reason = (reason or "").strip()
    found: dict[str, str] = {}
    if message := value_error(value, current):
        found["small_number"] = message
    if not reason:
        found["reason"] = "Schrijf waarom je de drempel verandert."
    elif len(reason) > MAX_REASON:
        found["reason"] = f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."
    if found:
        raise InvalidInput(found)
    new = as_number(value)
    with store.write(db):
        old = sql.small_number(db, org_id)  # as it stands inside the transaction
        sql.set_small_number(db, org_id, new)
        change_id = sql.insert_change(
            db,
            {
                "org_id": org_id,
                "setting": sql.SMALL_NUMBER,
                "old_value": None if old is None else str(old),
                "new_value": str(new),
                "reason": reason,
                "changed_by": actor.user_id,
                "changed_at": clock.to_iso(clock.now()),
            },
        )
        audit.append(
            db,
            actor,
            "organisation.small_number",
            "organisation",
            org_id,
            change_id=change_id,
            old_small_number=old,
            new_small_number=new,
        )
    return Threshold(org_id, new, current.floor)
