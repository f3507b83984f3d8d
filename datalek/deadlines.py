"""The 72-hour clock (art. 33(1) AVG) and how times are shown.

Timestamps are stored as timezone-aware UTC. The deadline is 72 *elapsed* hours after
the organisation became aware: calendar hours, weekends, holidays and daylight-saving
changes included. Arithmetic is therefore done in UTC; Europe/Amsterdam is only used
to show a time to a person.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEADLINE = timedelta(hours=72)


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


def deadline(aware_at: datetime) -> datetime:
    """The moment the AP must have been notified: 72 elapsed hours after awareness."""
    return to_utc(aware_at) + DEADLINE


def hours_left(aware_at: datetime, at: datetime) -> float:
    """Hours until the deadline; negative when it has passed."""
    return (deadline(aware_at) - to_utc(at)).total_seconds() / 3600


def describe_hours_left(hours: float) -> str:
    """Plain Dutch: "nog 41 uur", "nog 20 minuten", "3 uur te laat"."""
    if hours >= 1:
        return f"nog {math.floor(hours)} uur"
    if hours > 0:
        minutes = max(1, math.floor(hours * 60))
        return f"nog {minutes} {'minuut' if minutes == 1 else 'minuten'}"
    late = -hours
    if late < 1:
        return "termijn verstreken"
    if late >= 48:  # "672 uur te laat" reads as a number, "28 dagen te laat" as a time
        return f"{math.floor(late / 24)} dagen te laat"
    return f"{math.floor(late)} uur te laat"


def urgency(hours: float) -> str:
    """A colour-free urgency level: 'late', 'urgent' (< 24 h), 'soon' (< 48 h) or 'ok'."""
    if hours <= 0:
        return "late"
    if hours < 24:
        return "urgent"
    if hours < 48:
        return "soon"
    return "ok"


def format_local(moment: datetime | None, with_time: bool = True) -> str:
    """A timestamp as a Dutch reader expects it, in Europe/Amsterdam."""
    if moment is None:
        return "onbekend"
    local = to_utc(moment).astimezone(AMSTERDAM)
    return local.strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")
