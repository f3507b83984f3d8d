"""The employee's report (melding): the answers as validated, with a Dutch message per field.

Which questions a report asks depends on its situation (``intake.situations``); a question
that does not apply is None.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from datalek import chronology
from datalek.intake import pii
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Occurrence,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from datalek.models import InvalidInput

CLOCK_SKEW = chronology.CLOCK_SKEW
MAX_DESCRIPTION = 4000
MAX_SHORT_TEXT = 2000


class Report(BaseModel):
    """An employee's report, as validated. Questions that do not apply are None."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    org_id: int
    department: str = Field(min_length=1, max_length=100)
    situation: Situation
    occurrence: Occurrence
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    discovered_at: datetime
    data_kinds: list[DataKind] = Field(min_length=1)
    subject_groups: list[SubjectGroup] = Field(min_length=1)
    people_count_kind: CountKind
    people_count: int | None = Field(default=None, ge=0, le=100_000_000)
    protection: Protection | None = None
    recipients: list[Recipient] | None = None
    retrieval: Retrieval | None = None
    actions_taken: str = Field(default="", max_length=MAX_SHORT_TEXT)
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION)

    @field_validator("occurred_from", "occurred_to", "discovered_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def answers(self) -> dict:
        """The answers kept as the report's JSON (dates and free text have own columns)."""
        return self.model_dump(
            mode="json",
            include={
                "occurrence",
                "data_kinds",
                "subject_groups",
                "people_count_kind",
                "people_count",
                "protection",
                "recipients",
                "retrieval",
            },
        )


def applicable(situation: Situation | str | None) -> dict[str, bool]:
    """Which situation-dependent questions the form asks."""
    try:
        info = Situation(situation).info
    except ValueError:
        return {"protection": True, "recipients": True, "retrieval": True}
    return {
        "protection": info.asks_protection,
        "recipients": info.asks_recipients,
        "retrieval": info.retrieval_question is not None,
    }


_REQUIRED = {
    "situation": "Kies wat er is gebeurd.",
    "occurrence": "Kies wanneer het gebeurde, of 'Weet ik niet'.",
    "discovered_at": "Vul in wanneer je het ontdekte.",
    "department": "Vul je afdeling of team in.",
    "data_kinds": "Kies minstens één soort gegevens, of 'Weet ik niet'.",
    "subject_groups": "Kies over wie het gaat, of 'Weet ik niet'.",
    "people_count_kind": "Kies of je het aantal precies weet, ongeveer, of niet.",
    "description": "Beschrijf kort wat er is gebeurd.",
    "org_id": "Kies de organisatie.",
    "protection": "Kies of de gegevens beveiligd waren, of 'Weet ik niet'.",
    "recipients": "Kies wie het kreeg of kon zien, of 'Weet ik niet'.",
    "retrieval": "Kies een antwoord, of 'Weet ik niet'.",
    "people_count": "Vul het aantal mensen in.",
    "occurred_from": "Vul in wanneer het gebeurde.",
    "occurred_to": "Vul in tot wanneer het duurde.",
}


def _message(field: str, error: dict) -> str:
    kind = error["type"]
    if kind in ("missing", "too_short", "string_too_short") or (
        (kind.endswith("_type") or kind == "enum") and error.get("input") in (None, "", [])
    ):
        return _REQUIRED.get(field, "Dit is verplicht.")
    if kind in ("greater_than_equal",):
        return "Het aantal kan niet negatief zijn."
    if kind in ("less_than_equal",):
        return "Dit aantal is te groot."
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "Vul een heel getal in."
    if kind in ("string_too_long", "too_long"):
        limit = error.get("ctx", {}).get("max_length")
        return f"Dit is te lang: gebruik hoogstens {limit} tekens." if limit else "Dit is te lang."
    if kind == "enum":
        return "Kies een van de mogelijkheden."
    return "Dit antwoord klopt niet."


def _consistency_errors(values: dict, now: datetime) -> dict[str, str]:
    """Rules across fields: conditional questions and the order of the dates."""
    errors: dict[str, str] = {}
    if pii.find_pii(str(values.get("department") or "")):
        # The department is shown in lists and on the dashboard: no personal details in it.
        errors["department"] = (
            "Vul alleen de naam van je afdeling of team in, zonder nummers, adressen of e-mailadressen."
        )
    asks = applicable(values.get("situation"))
    for field in ("protection", "retrieval"):
        if asks[field] and values.get(field) in (None, ""):
            errors[field] = _REQUIRED[field]
    if asks["recipients"] and not values.get("recipients"):
        errors["recipients"] = _REQUIRED["recipients"]
    if values.get("people_count_kind") in ("exact", "approximate") and values.get("people_count") in (
        None,
        "",
    ):
        errors["people_count"] = _REQUIRED["people_count"]
    occurrence = values.get("occurrence")
    start, end, found = (values.get(k) for k in ("occurred_from", "occurred_to", "discovered_at"))
    if occurrence in ("moment", "period", "ongoing") and start is None:
        errors["occurred_from"] = _REQUIRED["occurred_from"]
    if occurrence == "period" and end is None:
        errors["occurred_to"] = _REQUIRED["occurred_to"]
    moments = {
        field: moment if isinstance(moment, datetime) and moment.tzinfo else None
        for field, moment in (("occurred_from", start), ("occurred_to", end), ("discovered_at", found))
    }
    for field, message in chronology.check(now=now, skew=CLOCK_SKEW, **moments).items():
        errors.setdefault(field, message)
    return errors


def validate_report(values: dict, now: datetime) -> Report:
    """Build a ``Report`` or raise ``InvalidInput`` with a Dutch message per field.

    Answers to questions that do not apply to the chosen situation are dropped.
    """
    values = dict(values)
    asks = applicable(values.get("situation"))
    for field, asked in asks.items():
        if not asked:
            values[field] = None
    if values.get("occurrence") in ("unknown", None):
        values["occurred_from"] = None
    if values.get("occurrence") != "period":
        values["occurred_to"] = None
    if values.get("people_count_kind") == "unknown":
        values["people_count"] = None
    errors: dict[str, str] = {}
    report = None
    try:
        report = Report.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, _message(field, error))
    for field, message in _consistency_errors(values, now).items():
        errors.setdefault(field, message)
    if errors or report is None:
        raise InvalidInput(errors or {"form": "Het formulier is niet compleet."})
    return report
