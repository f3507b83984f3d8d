"""The rules of a processor's or partner's part in an incident (``datalek.handling.involvement``):
the roles, the party's own moments in the order of ``datalek.chronology`` (its awareness ≤ the
moment it told us ≤ now), and its delay against the period its agreement promises. Pure: no
database; the caller passes ``now``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from datalek import chronology, clock
from datalek.handling.party_rules import PartyKind
from datalek.models import LabelledEnum


class PartyRole(LabelledEnum):
    CAUSED = "caused"
    HOLDS = "holds"
    RECEIVED = "received"
    REPORTED = "reported"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "caused": "Veroorzaakte het lek",
            "holds": "Heeft de gegevens",
            "received": "Kreeg de gegevens per ongeluk",
            "reported": "Meldde het lek aan ons",
        }


FIELDS = {
    "roles": "Rol",
    "party_aware_at": "Moment waarop de verwerker het wist",
    "party_told_at": "Moment waarop de verwerker het ons meldde",
    "removed": "Koppeling",
}
MOMENTS = ("party_aware_at", "party_told_at")


@dataclass(frozen=True)
class Delay:
    """How long the party took to tell us, and what the agreement promises."""

    delay: timedelta
    agreed_hours: int | None
    kind: PartyKind

    @property
    def late(self) -> bool:
        return self.agreed_hours is not None and self.delay > timedelta(hours=self.agreed_hours)

    @property
    def text(self) -> str:
        """'De verwerker meldde het na 61 uur; afgesproken is 48 uur.'"""
        said = f"{self.kind.noun.capitalize()} meldde het na {duration(self.delay)}"
        if self.agreed_hours is None:
            return said + "."
        return f"{said}; afgesproken is {self.agreed_hours} uur."


def duration(delay: timedelta) -> str:
    """'61 uur', '61 uur en 30 minuten', '45 minuten'."""
    minutes = int(delay.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} uur en {rest} minuten"
    return f"{hours} uur" if hours else f"{rest} minuten"


def delay_of(
    kind: PartyKind, aware: datetime | None, told: datetime | None, agreed: int | None
) -> Delay | None:
    if aware is None or told is None or told < aware:
        return None
    return Delay(told - aware, agreed if kind.processor else None, kind)


def _said(kind: PartyKind, message: str) -> str:
    """``chronology`` names a processor; a partner is named as such."""
    if kind.processor:
        return message
    return message.replace("De verwerker", "De ketenpartner").replace("de verwerker", "de ketenpartner")


def plan(
    kind: PartyKind,
    roles: list[str],
    aware: datetime | None,
    told: datetime | None,
    now: datetime,
) -> tuple[dict, dict[str, str]]:
    """The stored values of a link and the problems with them (``{field: Dutch message}``). Pure."""
    errors: dict[str, str] = {}
    chosen = sorted({r for r in roles or [] if r in {p.value for p in PartyRole}})
    if not chosen:
        errors["roles"] = "Kies minstens één rol: wat had deze partij met het lek te maken?"
    reported = PartyRole.REPORTED.value in chosen
    if not reported and (aware or told):
        errors["party_told_at"] = (
            "De momenten horen bij de rol 'Meldde het lek aan ons'. Kies die rol, of laat de momenten leeg."
        )
    elif reported and told is None:
        errors["party_told_at"] = _said(kind, "Vul in wanneer de verwerker het aan ons meldde.")
    if aware is not None and told is not None and told < aware:
        errors.setdefault(
            "party_told_at", _said(kind, chronology.clash("party_told_at", told, "party_aware_at", aware))
        )
    for field, moment in (("party_aware_at", aware), ("party_told_at", told)):
        if moment is not None and moment > now + chronology.CLOCK_SKEW:
            errors.setdefault(field, _said(kind, chronology.in_future(field, moment, now)))
    values = {
        "roles": json.dumps(chosen),
        "party_aware_at": clock.to_iso(aware) if aware else None,
        "party_told_at": clock.to_iso(told) if told else None,
    }
    return values, errors
