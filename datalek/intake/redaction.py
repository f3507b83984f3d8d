"""Identifiers in a report's free text, and the employee's choice for each: replace or keep.

A report describes the leak, not who it is about (docs/domain/youth-care.md §7). Before a
report is stored, the employee sees every identifier found in the description and in "what you
already did", and chooses per identifier to replace it by a neutral placeholder ("[BSN]") or to
keep it on purpose. The choices are applied here; the result is validated again, because a
placeholder can be longer than what it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from datalek.intake import pii
from datalek.intake.report import MAX_DESCRIPTION, MAX_SHORT_TEXT, Report
from datalek.models import InvalidInput

#: The report's free-text fields, with their longest length.
TEXT_FIELDS = {"description": MAX_DESCRIPTION, "actions_taken": MAX_SHORT_TEXT}


def findings(report: Report) -> list[dict]:
    """Every identifier in the report's free text, numbered in order, as plain data (each
    with its field) so that it can wait in the session while the employee chooses."""
    return [
        {"field": field, "index": i, **found.to_dict()}
        for field in TEXT_FIELDS
        for i, found in enumerate(pii.find_pii(getattr(report, field)))
    ]


@dataclass(frozen=True)
class Redacted:
    """The report's answers with the chosen identifiers replaced."""

    values: dict
    kept: bool  # an identifier was kept on purpose (recorded with the report)

    def report(self) -> Report:
        """The report to store, or ``InvalidInput`` for a text the placeholders made too long."""
        too_long = {
            field: f"Na het vervangen is deze tekst te lang (hoogstens {limit} tekens). "
            "Maak hem korter en verstuur opnieuw."
            for field, limit in TEXT_FIELDS.items()
            if len(self.values[field]) > limit
        }
        if too_long:
            raise InvalidInput(too_long)
        return Report.model_validate(self.values)


def redact(values: dict, found: list[dict], keep: set[int] = frozenset()) -> Redacted:
    """Replace every identifier in ``found`` (numbered as ``findings`` numbers them) except
    those whose number is in ``keep``."""
    redacted = dict(values)
    for field in TEXT_FIELDS:
        chosen = [
            pii.Finding.from_dict(f) for n, f in enumerate(found) if f["field"] == field and n not in keep
        ]
        redacted[field] = pii.redact(values[field], chosen)
    kept = any(n in keep for n in range(len(found)))
    return Redacted(redacted, kept)


def identifiers_in(text: str) -> list[dict]:
    """The identifiers in a free text (a supplement), as plain data for the warning."""
    return [found.to_dict() for found in pii.find_pii(text)]


def unwarned(found: list[dict], warned: list[dict]) -> bool:
    """Keeping identifiers on purpose covers only those the employee was warned about: True when
    the text now holds another one (``found``: ``identifiers_in`` of the text as it is now)."""
    seen = {(f["kind"], f["text"]) for f in warned}
    return bool({(f["kind"], f["text"]) for f in found} - seen)
