"""Corrections of a recorded row (a measure, a notice to data subjects): the old and the new
value of every changed column, who, when and why, kept in the ``corrections`` table; a
withdrawal is a correction of ``withdrawn_at``. A correction or withdrawal always says why.
Shared by ``datalek.actions.measures`` and ``datalek.actions.informing``; the rule itself (what
changed, the reason, the change rows) is ``datalek.corrections``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from datalek import clock, corrections
from datalek.corrections import MAX_REASON, WHY
from datalek.models import Actor

NOTHING_CHANGED = "Er is niets veranderd. Pas een waarde aan, of trek de regel in."


@dataclass(frozen=True)
class Correction:
    """One changed value of a recorded row: the old and the new value (as stored), who, when
    and why. A withdrawal is a correction of ``withdrawn_at`` (old None)."""

    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    changed_by: int | None
    changed_at: datetime

    @classmethod
    def from_row(cls, row: dict) -> Correction:
        return cls(
            row["field"],
            row["old_value"],
            row["new_value"],
            row["reason"],
            row["changed_by"],
            clock.from_iso(row["changed_at"]),
        )


def reason_errors(reason: str) -> dict[str, str]:
    """A correction or withdrawal always says why (kept with the old value)."""
    return corrections.reason_errors(reason, required=True, missing=WHY, limit=MAX_REASON)


def correction_rows(table: str, row: dict, changed: dict, reason: str, actor: Actor, at: str) -> list[dict]:
    """The ``corrections`` rows for ``changed`` (column -> new value) of ``row``."""
    found = corrections.changes(row, changed, same=lambda *_: False)  # ``changed`` holds changes only
    return corrections.change_rows(
        found, reason, actor, at, table_name=table, row_id=row["id"], incident_id=row["incident_id"]
    )


def corrections_by_row(rows: list[dict], table: str) -> dict[int, tuple[Correction, ...]]:
    found: dict[int, list[Correction]] = {}
    for r in rows:
        if r["table_name"] == table:
            found.setdefault(r["row_id"], []).append(Correction.from_row(r))
    return {row_id: tuple(c) for row_id, c in found.items()}
