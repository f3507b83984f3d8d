"""The rules of a row of the register of processors and partners (``datalek.handling.processors``):
the kinds of party, the fields with their Dutch names, and what a form or an import row states
as stored values with a Dutch message per wrong field. Pure: no database, no clock."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from datalek.models import LabelledEnum
from datalek.triage.facts import LEGACY_CATEGORIES, DataCategory

MAX_NAME = 200
MAX_REFERENCE = 100
MAX_TEXT = 1000
MAX_CONTACT = 200
MAX_PHONE = 40
MAX_REASON = 2000
DEFAULT_NOTICE_HOURS = 48
MAX_NOTICE_HOURS = 720
_PHONE = re.compile(r"[0-9+()\- ]{6,40}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class PartyKind(LabelledEnum):
    PROCESSOR = "processor"
    CHAIN_PARTNER = "chain_partner"
    JOINT_CONTROLLER = "joint_controller"
    CONTROLLER = "controller"

    @property
    def processor(self) -> bool:
        return self is PartyKind.PROCESSOR

    @property
    def noun(self) -> str:
        """'de verwerker', 'de ketenpartner': how a sentence names a party of this kind."""
        return "de verwerker" if self.processor else "de ketenpartner"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "processor": "Verwerker",
            "chain_partner": "Ketenpartner",
            "joint_controller": "Gezamenlijk verwerkingsverantwoordelijke",
            "controller": "Andere verwerkingsverantwoordelijke",
        }


#: The kinds of data a register row may name (the older, coarser codes are not offered).
CATEGORIES = tuple(c for c in DataCategory if c not in LEGACY_CATEGORIES and c is not DataCategory.UNKNOWN)

#: Every stated field with its Dutch name (the change history and the import's messages).
FIELDS = {
    "kind": "Soort",
    "name": "Naam",
    "agreement_reference": "Kenmerk overeenkomst",
    "agreement_date": "Datum overeenkomst",
    "services": "Diensten",
    "data_categories": "Soorten gegevens",
    "contact": "Contact bij een datalek",
    "phone": "Telefoon bij een datalek",
    "notice_hours": "Afgesproken meldtermijn (uren)",
    "basis": "Grondslag",
}


def _text(values: dict, field: str, limit: int, errors: dict, required: str = "") -> str:
    value = values.get(field)
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors[field] = required
    elif len(text) > limit:
        errors[field] = f"Dit is te lang: gebruik hoogstens {limit} tekens."
    return text


def _date(value, errors: dict, today: date) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = str(value).strip()
        try:
            value = (
                datetime.strptime(text, "%d-%m-%Y").date() if "-" in text[:3] else date.fromisoformat(text)
            )
        except ValueError:
            errors["agreement_date"] = f"'{text[:20]}' is geen datum. Schrijf de datum als 31-12-2025."
            return None
    if value > today:
        errors["agreement_date"] = "De datum van de overeenkomst ligt in de toekomst."
        return None
    return value.isoformat()


def category(value: str) -> DataCategory | None:
    """A kind of data by its code or its Dutch label (case and spaces ignored)."""
    wanted = " ".join(str(value).split()).casefold()
    for c in CATEGORIES:
        if wanted in (c.value, c.label.casefold()):
            return c
    return None


def _categories(value, errors: dict) -> str:
    if isinstance(value, str):
        value = [v for v in value.split(";") if v.strip()]
    found, unknown = [], []
    for item in value or []:
        c = item if isinstance(item, DataCategory) else category(item)
        (found.append(c.value) if c else unknown.append(str(item).strip()))
    if unknown:
        errors["data_categories"] = (
            f"Onbekende soort gegevens: {', '.join(unknown)[:120]}. Gebruik de namen uit de lijst, "
            "gescheiden door een puntkomma."
        )
    return json.dumps(sorted(set(found)))


def _hours(value, kind: PartyKind | None, errors: dict) -> int | None:
    if kind is not PartyKind.PROCESSOR:
        return None
    if value in (None, ""):
        return DEFAULT_NOTICE_HOURS
    try:
        hours = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        errors["notice_hours"] = "Vul de meldtermijn in als een heel aantal uren, bijvoorbeeld 48."
        return None
    if not 1 <= hours <= MAX_NOTICE_HOURS:
        errors["notice_hours"] = f"Vul een meldtermijn in van 1 tot {MAX_NOTICE_HOURS} uur."
        return None
    return hours


def normalise(values: dict, today: date) -> tuple[dict, dict[str, str]]:
    """What a form or an import row states, as stored values, and the problems with it
    (``{field: Dutch message}``). Pure."""
    errors: dict[str, str] = {}
    kind_value = values.get("kind")
    kind = PartyKind(kind_value) if kind_value in {k.value for k in PartyKind} else None
    if kind is None:
        errors["kind"] = "Kies de soort: verwerker, ketenpartner of verwerkingsverantwoordelijke."
    row = {
        "kind": kind.value if kind else None,
        "name": _text(values, "name", MAX_NAME, errors, "Vul de naam van de organisatie in."),
        "agreement_reference": _text(values, "agreement_reference", MAX_REFERENCE, errors),
        "agreement_date": _date(values.get("agreement_date"), errors, today),
        "services": _text(values, "services", MAX_TEXT, errors),
        "data_categories": _categories(values.get("data_categories"), errors),
        "contact": _text(values, "contact", MAX_CONTACT, errors),
        "phone": _text(values, "phone", MAX_PHONE, errors),
        "notice_hours": _hours(values.get("notice_hours"), kind, errors),
        "basis": _text(values, "basis", MAX_CONTACT, errors),
    }
    if row["phone"] and "phone" not in errors and not _PHONE.fullmatch(row["phone"]):
        errors["phone"] = "Vul een telefoonnummer in met alleen cijfers, spaties, + of -."
    if "@" in row["contact"] and "contact" not in errors and not _EMAIL.fullmatch(row["contact"]):
        errors["contact"] = "Dit e-mailadres klopt niet. Controleer het."
    if kind is PartyKind.PROCESSOR and not (row["contact"] or row["phone"]) and "contact" not in errors:
        errors["contact"] = (
            "Vul in hoe de verwerker een datalek meldt: een functieadres (zoals "
            "security@verwerker.nl) of een telefoonnummer."
        )
    return row, errors
