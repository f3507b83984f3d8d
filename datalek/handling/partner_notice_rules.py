"""The rules of a partner notice (``datalek.handling.partner_notices``), pure: the channels and
their Dutch names, what a person states, the order of the moments (told not before the
organisation knew and not in the future; a reply with its moment, not before the telling), and
a notice as the register writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from datalek import chronology, clock

MAX_NAME = 200
MAX_TEXT = 1000
MAX_REASON = 2000


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    SECURE_PLATFORM = "secure_platform"
    MEETING = "meeting"

    @property
    def label(self) -> str:
        return CHANNELS[self]


CHANNELS = {
    Channel.PHONE: "Telefoon",
    Channel.EMAIL: "E-mail",
    Channel.LETTER: "Brief",
    Channel.SECURE_PLATFORM: "Beveiligd berichtenplatform",
    Channel.MEETING: "Overleg",
}

#: Every field a correction can be about, with its Dutch name.
FIELDS = {
    "partner_name": "Partner",
    "told_what": "Wat is verteld",
    "told_at": "Geïnformeerd op",
    "channel": "Kanaal",
    "reply": "Antwoord",
    "reply_at": "Antwoord op",
    "withdrawn": "Ingetrokken",
}
MOMENTS = ("told_at", "reply_at")


@dataclass(frozen=True)
class Partner:
    """Who was told: one of a party of the register, an organisation of the chain, or a name."""

    party_id: int | None = None
    org_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class NoticeInput:
    partner: Partner
    told_what: str
    told_at: datetime | None
    channel: str | None
    reply: str = ""
    reply_at: datetime | None = None


def moment_errors(
    row: dict, told_at: datetime | None, reply_at: datetime | None, reply: str, now: datetime
) -> dict:
    errors: dict[str, str] = {}
    aware = clock.from_iso(row["aware_at"])
    if told_at is None:
        errors["told_at"] = "Vul in wanneer de partner is geïnformeerd."
    elif told_at > now + chronology.CLOCK_SKEW:
        errors["told_at"] = (
            f"Dit moment ({clock.format_local(told_at)}) ligt in de toekomst. Het is nu {clock.format_local(now)}."
        )
    elif told_at < aware:
        errors["told_at"] = (
            f"De partner werd geïnformeerd ({clock.format_local(told_at)}) vóór de organisatie het wist "
            f"({clock.format_local(aware)}). Pas een van beide aan."
        )
    if reply and reply_at is None:
        errors["reply_at"] = "Vul in wanneer het antwoord kwam."
    elif reply_at is not None and not reply:
        errors["reply"] = "Vul het antwoord in, of laat ook het moment van het antwoord leeg."
    elif reply_at is not None and reply_at > now + chronology.CLOCK_SKEW:
        errors["reply_at"] = (
            f"Dit moment ({clock.format_local(reply_at)}) ligt in de toekomst. Het is nu {clock.format_local(now)}."
        )
    elif reply_at is not None and told_at is not None and reply_at < told_at:
        errors["reply_at"] = (
            f"Het antwoord ({clock.format_local(reply_at)}) kwam vóór de partner werd geïnformeerd "
            f"({clock.format_local(told_at)}). Pas een van beide aan."
        )
    return errors


def same(field: str, old: str | None, new: str | None) -> bool:
    if field in MOMENTS and old and new:
        return clock.from_iso(old).replace(second=0, microsecond=0) == clock.from_iso(new).replace(
            second=0, microsecond=0
        )
    return (old or None) == (new or None)


def readable(field: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if field in MOMENTS:
        return clock.format_local(clock.from_iso(value))
    if field == "channel":
        return Channel(value).label
    if field == "withdrawn":
        return "ingetrokken"
    return value


def line(row: dict) -> str:
    """One standing notice as the register writes it: "04-12-2026 10:00, Gemeente X, telefoon:
    wat is verteld. Antwoord (05-12-2026 09:00): …"."""
    text = (
        f"{clock.format_local(clock.from_iso(row['told_at']))}, {row['partner_name']}, "
        f"{Channel(row['channel']).label.lower()}: {row['told_what']}"
    )
    if row["reply"]:
        text += f". Antwoord ({clock.format_local(clock.from_iso(row['reply_at']))}): {row['reply']}"
    return text
