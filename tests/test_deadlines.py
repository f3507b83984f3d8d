"""The 72-hour clock: real elapsed hours, shown in Dutch time, in plain Dutch words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from datalek import clock, deadlines
from datalek.clock import AMSTERDAM

UTC = UTC


def local(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM, fold=fold)


# --- the deadline: 72 elapsed hours, daylight saving included --------------------------


@pytest.mark.parametrize(
    "aware, shown, utc",
    [
        # Clocks go forward on 29 March 2026: the wall clock shows 73 hours.
        (local(2026, 3, 27, 12, 0), "30-03-2026 13:00", datetime(2026, 3, 30, 11, 0, tzinfo=UTC)),
        # Clocks go back on 25 October 2026: the wall clock shows 71 hours.
        (local(2026, 10, 23, 12, 0), "26-10-2026 11:00", datetime(2026, 10, 26, 10, 0, tzinfo=UTC)),
        # No change in between: exactly three days later on the clock.
        (local(2026, 11, 20, 11, 0), "23-11-2026 11:00", datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
        (local(2026, 7, 1, 9, 30), "04-07-2026 09:30", datetime(2026, 7, 4, 7, 30, tzinfo=UTC)),
        # Aware during the night of the change itself.
        (local(2026, 3, 29, 1, 30), "01-04-2026 02:30", datetime(2026, 4, 1, 0, 30, tzinfo=UTC)),
        (local(2026, 10, 25, 2, 30), "28-10-2026 01:30", datetime(2026, 10, 28, 0, 30, tzinfo=UTC)),
        (
            local(2026, 10, 25, 2, 30, fold=1),  # the second 02:30, after the clocks went back
            "28-10-2026 02:30",
            datetime(2026, 10, 28, 1, 30, tzinfo=UTC),
        ),
        # Over New Year: calendar hours, holidays count too.
        (local(2025, 12, 30, 16, 0), "02-01-2026 16:00", datetime(2026, 1, 2, 15, 0, tzinfo=UTC)),
    ],
    ids=[
        "spring-forward",
        "autumn-back",
        "winter",
        "summer",
        "night-of-spring-forward",
        "autumn-first-2.30",
        "autumn-second-2.30",
        "new-year",
    ],
)
def test_deadline_is_72_elapsed_hours(aware: datetime, shown: str, utc: datetime) -> None:
    due = deadlines.deadline(aware)
    assert due == utc
    assert due.utcoffset() == timedelta(0)  # arithmetic and storage in UTC
    assert due - aware == timedelta(hours=72)
    assert clock.format_local(due) == shown


def test_deadline_does_not_depend_on_the_timezone_of_the_input() -> None:
    in_amsterdam = local(2026, 3, 27, 12, 0)
    in_utc = in_amsterdam.astimezone(UTC)
    in_new_york = in_amsterdam.astimezone(timezone(timedelta(hours=-4)))
    assert deadlines.deadline(in_amsterdam) == deadlines.deadline(in_utc)
    assert deadlines.deadline(in_amsterdam) == deadlines.deadline(in_new_york)


@pytest.mark.parametrize(
    "aware, at, hours",
    [
        # Monday 12:00 after Friday 12:00 is only 71 real hours in spring: one hour left.
        (local(2026, 3, 27, 12, 0), local(2026, 3, 30, 12, 0), 1.0),
        # ... and 73 real hours in autumn: one hour late.
        (local(2026, 10, 23, 12, 0), local(2026, 10, 26, 12, 0), -1.0),
        (local(2026, 11, 20, 11, 0), local(2026, 11, 20, 11, 0), 72.0),
        (local(2026, 11, 20, 11, 0), local(2026, 11, 23, 11, 0), 0.0),
    ],
    ids=["spring-monday-noon", "autumn-monday-noon", "at-awareness", "at-deadline"],
)
def test_hours_left_counts_real_hours(aware: datetime, at: datetime, hours: float) -> None:
    assert deadlines.hours_left(aware, at) == pytest.approx(hours)


# --- telling a person how much time is left ---------------------------------------------

AWARE = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "since_aware, text",
    [
        (timedelta(0), "nog 72 uur"),
        (timedelta(hours=30, minutes=30), "nog 41 uur"),
        (timedelta(hours=31), "nog 41 uur"),
        (timedelta(hours=70, minutes=59), "nog 1 uur"),
        (timedelta(hours=71), "nog 1 uur"),
        (timedelta(hours=71, minutes=1), "nog 59 minuten"),
        (timedelta(hours=71, minutes=40), "nog 20 minuten"),
        (timedelta(hours=71, minutes=59), "nog 1 minuut"),
        (timedelta(hours=71, minutes=59, seconds=50), "nog 1 minuut"),
        (timedelta(hours=72), "termijn verstreken"),
        (timedelta(hours=72, minutes=30), "termijn verstreken"),
        (timedelta(hours=73), "1 uur te laat"),
        (timedelta(hours=75), "3 uur te laat"),
        (timedelta(hours=75, minutes=59), "3 uur te laat"),
        (timedelta(hours=72 + 47), "47 uur te laat"),
        (timedelta(hours=72 + 48), "2 dagen te laat"),
        (timedelta(days=10), "7 dagen te laat"),
    ],
    ids=lambda v: str(v) if isinstance(v, timedelta) else v,
)
def test_describe_hours_left(since_aware: timedelta, text: str) -> None:
    hours = deadlines.hours_left(AWARE, AWARE + since_aware)
    assert deadlines.describe_hours_left(hours) == text


def test_describe_never_says_zero_minutes() -> None:
    assert deadlines.describe_hours_left(1e-9) == "nog 1 minuut"


@pytest.mark.parametrize(
    "hours, level",
    [
        (72, "ok"),
        (48, "ok"),
        (47.99, "soon"),
        (24, "soon"),
        (23.99, "urgent"),
        (0.01, "urgent"),
        (0, "late"),
        (-0.01, "late"),
        (-100, "late"),
    ],
    ids=lambda v: str(v),
)
def test_urgency_boundaries(hours: float, level: str) -> None:
    assert deadlines.urgency(hours) == level


# --- converting and showing times -----------------------------------------------------


@pytest.mark.parametrize(
    "typed, utc",
    [
        (datetime(2026, 1, 15, 9, 0), datetime(2026, 1, 15, 8, 0, tzinfo=UTC)),
        (datetime(2026, 7, 1, 9, 0), datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
        # 02:30 happens twice on 25 October: take the first, so the clock never starts late.
        (datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
    ],
    ids=["winter-time", "summer-time", "ambiguous-autumn-hour", "already-aware"],
)
def test_local_to_utc(typed: datetime, utc: datetime) -> None:
    converted = clock.local_to_utc(typed)
    assert converted == utc
    assert converted.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: clock.to_utc(naive),
        lambda naive: clock.to_iso(naive),
        lambda naive: deadlines.deadline(naive),
        lambda naive: deadlines.hours_left(naive, AWARE),
        lambda naive: deadlines.hours_left(AWARE, naive),
        lambda naive: clock.format_local(naive),
        lambda naive: clock.from_iso(naive.isoformat()),
    ],
    ids=["to_utc", "to_iso", "deadline", "hours_left-aware", "hours_left-at", "format_local", "from_iso"],
)
def test_naive_datetimes_are_rejected(call) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(datetime(2026, 3, 27, 12, 0))


def test_iso_round_trip_is_utc() -> None:
    moment = local(2026, 3, 27, 12, 0)
    text = clock.to_iso(moment)
    assert text == "2026-03-27T11:00:00+00:00"
    assert clock.from_iso(text) == moment
    assert clock.from_iso("2026-03-27T12:00:00+01:00").utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", [None, ""], ids=["none", "empty"])
def test_from_iso_of_nothing_is_none(text) -> None:
    assert clock.from_iso(text) is None


def test_format_local() -> None:
    moment = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert clock.format_local(moment) == "02-07-2026 00:30"
    assert clock.format_local(moment, with_time=False) == "02-07-2026"
    assert clock.format_local(None) == "onbekend"
