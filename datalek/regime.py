"""The legal regime that sets the notification period (docs/domain/rules.md §2).

A regime is data, not code: its law, the event that starts the clock, how long the period
is, when reminders go out and when the organisation's management is told. Today one
regime applies, art. 33(1) AVG: 72 elapsed hours after the organisation became aware. A
changed period (the EU has proposed 96 hours) or a second regime is a new ``Regime`` value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Regime:
    code: str
    law: str  # Dutch, as the AP form asks it ("Onder welke wet meldt u?")
    start_event: str  # the moment the clock starts: "aware" (the organisation became aware)
    period: timedelta
    reminder_hours: tuple[int, ...]  # default reminder points, hours after the start event
    escalation_hours: int  # from this point on the organisation's management is told too

    @property
    def period_hours(self) -> int:
        return int(self.period.total_seconds() // 3600)


AVG = Regime(
    code="avg_art33",
    law="Algemene verordening gegevensbescherming (AVG)",
    start_event="aware",
    period=timedelta(hours=72),
    reminder_hours=(24, 48, 60, 70),
    escalation_hours=72,
)

#: The regime every incident falls under today.
CURRENT = AVG
