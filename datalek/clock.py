"""Time as Datalek keeps and shows it.

Timestamps are stored as timezone-aware UTC ISO-8601 text. Arithmetic is done in UTC;
Europe/Amsterdam is used only to read a time typed by a person and to show one to a person
("03-12-2026 14:05"), so daylight-saving changes never bend a duration.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date on the Dutch clock (due dates, review dates, informed-on dates)."""
    return now().astimezone(AMSTERDAM).date()


def require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: every timestamp must carry a timezone")
    return moment


def to_utc(moment: datetime) -> datetime:
    return require_aware(moment).astimezone(UTC)


def local_to_utc(naive_local: datetime) -> datetime:
    """Interpret a wall-clock time typed by a user in the Netherlands."""
    if naive_local.tzinfo is not None:
        return to_utc(naive_local)
    return naive_local.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def to_iso(moment: datetime) -> str:
    return to_utc(moment).isoformat()


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return require_aware(datetime.fromisoformat(text)).astimezone(UTC)


def format_local(moment: datetime | None, with_time: bool = True) -> str:
    """A timestamp as a Dutch reader expects it, in Europe/Amsterdam."""
    if moment is None:
        return "onbekend"
    local = to_utc(moment).astimezone(AMSTERDAM)
    return local.strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")
