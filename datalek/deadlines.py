"""The 72-hour clock of art. 33(1) AVG (docs/domain/rules.md §2).

The deadline is 72 *elapsed* hours after the organisation became aware: calendar hours,
weekends, holidays and daylight-saving changes included, so it is computed in UTC.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from datalek.clock import to_utc
from datalek.regime import CURRENT

#: The notification period of the current regime (72 hours under art. 33 AVG).
DEADLINE: timedelta = CURRENT.period


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
