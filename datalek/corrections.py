"""Changing a recorded fact, the one rule for every part of the core: which fields changed,
when the change needs a reason, and the change rows that keep the old value, the new value,
who, when and why.

A reason is needed when a recorded value is overwritten; filling in a value that was empty
needs none, unless the caller always asks one (``reason_errors(required=True)``, e.g. a
correction or withdrawal of a measure). Values are kept as stored text (None stays None).
Writing the rows, updating the row and touching the incident stay with the caller's store, in
the caller's transaction. Used by ``datalek.actions.corrections`` (measures, notices to data
subjects), ``datalek.handling.partner_notices`` and ``datalek.handling.involvement``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from datalek.models import Actor, InvalidInput

MAX_REASON = 2000
#: Who made a change, as every history shows it: the command line has no account; an account
#: that was removed keeps its changes, under this name.
CLI_NAME = "Beheer (opdrachtregel)"
GONE = "(account niet meer actief)"
#: The stored values that count as "nothing recorded yet".
EMPTY: tuple[Any, ...] = (None, "")
#: The default message when a needed reason is missing.
WHY = "Schrijf waarom je dit corrigeert of intrekt."


def identical(field: str, old: Any, new: Any) -> bool:
    """The default comparison: the stored value and the new one are equal."""
    return old == new


def changes(
    row: Mapping[str, Any], new: Mapping[str, Any], same: Callable[[str, Any, Any], bool] = identical
) -> list[dict]:
    """One ``{"field", "old_value", "new_value"}`` per field of ``new`` whose value differs from
    ``row``'s (``same(field, old, new)`` says when two values count as one), as stored text."""
    return [
        {"field": field, "old_value": as_text(row[field]), "new_value": as_text(value)}
        for field, value in new.items()
        if not same(field, row[field], value)
    ]


def overwrites(found: Iterable[Mapping[str, Any]], empty: Iterable[Any] = EMPTY) -> bool:
    """Whether any of the changes replaces a recorded value (not only fills in an empty one)."""
    empty = tuple(empty)
    return any(c["old_value"] not in empty for c in found)


def reason_errors(
    reason: str, *, required: bool = True, missing: str = WHY, limit: int = MAX_REASON
) -> dict[str, str]:
    """``{"reason": Dutch message}`` when a needed reason is missing or any reason is too long.
    ``reason`` is already stripped."""
    if required and not reason:
        return {"reason": missing}
    if len(reason) > limit:
        return {"reason": f"Dit is te lang: gebruik hoogstens {limit} tekens."}
    return {}


def review(
    row: Mapping[str, Any],
    new: Mapping[str, Any],
    reason: str,
    *,
    missing: str,
    same: Callable[[str, Any, Any], bool] = identical,
    empty: Iterable[Any] = EMPTY,
    limit: int = MAX_REASON,
) -> tuple[list[dict], dict[str, str]]:
    """The changes of ``row`` to ``new`` and the reason's problems: a reason is needed only when
    a recorded value is overwritten (a blank reason is none)."""
    found = changes(row, new, same)
    reason = (reason or "").strip()
    return found, reason_errors(reason, required=overwrites(found, empty), missing=missing, limit=limit)


def checked(
    row: Mapping[str, Any],
    new: Mapping[str, Any],
    reason: str,
    errors: Mapping[str, str],
    *,
    missing: str,
    same: Callable[[str, Any, Any], bool] = identical,
    empty: Iterable[Any] = EMPTY,
    limit: int = MAX_REASON,
) -> list[dict]:
    """``review``, raising ``InvalidInput`` with the form's ``errors`` and the reason's problems
    together; the changes (maybe none) when there are none."""
    found, problems = review(row, new, reason, missing=missing, same=same, empty=empty, limit=limit)
    if errors or problems:
        raise InvalidInput({**errors, **problems})
    return found


def change_rows(
    found: Iterable[Mapping[str, Any]], reason: str, actor: Actor, at: str, **keys: Any
) -> list[dict]:
    """The rows of a change table: per change the ``keys`` (which row, which incident), the old
    and the new value, who (``actor``), when (``at``, stored form) and why."""
    return [
        {
            **keys,
            "field": c["field"],
            "old_value": c["old_value"],
            "new_value": c["new_value"],
            "reason": reason,
            "changed_by": actor.user_id,
            "changed_at": at,
        }
        for c in found
    ]


def marked(field: str, at: str) -> list[dict]:
    """The one change of a withdrawal or removal: ``field`` (e.g. "withdrawn") set at ``at``."""
    return [{"field": field, "old_value": None, "new_value": at}]


def as_text(value: Any) -> str | None:
    """A value as a change table keeps it: text, or None."""
    return None if value is None else str(value)


def who(user_id: int | None, name: str | None) -> str:
    """The name a history gives the author of a change (``changed_by``, ``changed_by_name``)."""
    return CLI_NAME if user_id is None else (name or GONE)


def shown(row: Mapping[str, Any], labels: Mapping[str, str], readable: Callable[[str, Any], Any]) -> dict:
    """What every history line shows of a stored change row: the field and its label, the old and
    the new value as ``readable`` words them, the reason and who made it."""
    field = row["field"]
    return {
        "field": field,
        "label": labels.get(field, field),
        "old": readable(field, row["old_value"]),
        "new": readable(field, row["new_value"]),
        "reason": row["reason"],
        "changed_by": who(row["changed_by"], row["changed_by_name"]),
    }
