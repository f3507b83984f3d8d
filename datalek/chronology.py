"""The order of an incident's moments, checked wherever a moment is entered (the employee's
report, the FG's facts form, the AP notification, ``python -m datalek assess``, demo data).

The chain is occurred_from ≤ discovered_at ≤ aware_at ≤ notified_at ≤ now, and beside it
occurred_from ≤ occurred_to ≤ now. An unknown moment (None) is skipped: each known moment is
compared with the nearest known moment before it in the chain. A clash is reported on the
later moment, in Dutch, naming both moments and their values. Pure: no database, no clock
unless the caller passes ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from datalek import clock

#: A moment typed by a person may be a few minutes ahead of our clock (their watch, the AP's).
CLOCK_SKEW = timedelta(minutes=5)

#: The chain, earliest first.
CHAIN = ("occurred_from", "discovered_at", "aware_at", "notified_at")

#: Each moment as a sentence ("Het lek werd ontdekt") and as a clause after "vóór"
#: ("het lek ontdekt werd").
_SAID = {
    "occurred_from": ("Het lek begon", "het lek begon"),
    "occurred_to": ("Het lek eindigde", "het lek eindigde"),
    "discovered_at": ("Het lek werd ontdekt", "het lek ontdekt werd"),
    "aware_at": ("De organisatie wist het", "de organisatie het wist"),
    "notified_at": ("De AP werd ingelicht", "de AP ingelicht werd"),
    # a processor's or partner's own moments (``datalek.handling.involvement``)
    "party_aware_at": ("De verwerker wist het", "de verwerker het wist"),
    "party_told_at": ("De verwerker meldde het aan ons", "de verwerker het aan ons meldde"),
}


def _at(moment: datetime) -> str:
    return clock.format_local(moment)


def clash(later: str, later_at: datetime, earlier: str, earlier_at: datetime) -> str:
    """'De organisatie wist het (03-12-2026 10:00) vóór het lek ontdekt werd (04-12-2026 09:00).
    Pas een van beide aan.'"""
    return (
        f"{_SAID[later][0]} ({_at(later_at)}) vóór {_SAID[earlier][1]} ({_at(earlier_at)}). "
        "Pas een van beide aan."
    )


def in_future(field: str, moment: datetime, now: datetime) -> str:
    return f"{_SAID[field][0]} ({_at(moment)}): dat ligt in de toekomst. Het is nu {_at(now)}."


def check(
    *,
    now: datetime,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
    discovered_at: datetime | None = None,
    aware_at: datetime | None = None,
    notified_at: datetime | None = None,
    skew: timedelta = CLOCK_SKEW,
) -> dict[str, str]:
    """Every clash in the order of the given moments: ``{field: Dutch message}``, at most one
    message per field (the later moment of the two that clash)."""
    given = {
        "occurred_from": occurred_from,
        "discovered_at": discovered_at,
        "aware_at": aware_at,
        "notified_at": notified_at,
    }
    errors: dict[str, str] = {}
    previous: tuple[str, datetime] | None = None
    for field in CHAIN:
        moment = given[field]
        if moment is None:
            continue
        if previous is not None and moment < previous[1]:
            errors[field] = clash(field, moment, *previous)
        previous = (field, moment)
    if occurred_from is not None and occurred_to is not None and occurred_to < occurred_from:
        errors["occurred_to"] = clash("occurred_to", occurred_to, "occurred_from", occurred_from)
    for field, moment in (*given.items(), ("occurred_to", occurred_to)):
        if moment is not None and moment > now + skew:
            errors.setdefault(field, in_future(field, moment, now))
    return errors
