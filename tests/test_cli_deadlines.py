"""``python -m datalek deadlines`` (issue #14): what is outstanding, with hours left, as text
or JSON, for monitoring; ``--fail-on-overdue`` exits 3. No personal data, no free text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from datalek import clock
from datalek.cli import main
from datalek.handling import delay
from datalek.regime import CURRENT
from tests.test_outstanding import at_now, decide, notify, report  # noqa: F401 - at_now is a fixture

REASON = "De FG was ziek; Jan de Vries van team Jeugd wist het niet."


@pytest.fixture
def run(db_path, at_now):  # noqa: F811
    def invoke(*args: str):
        return CliRunner().invoke(main, ["deadlines", "--db", str(db_path), *args])

    return invoke


@pytest.fixture
def clocks(fresh_db, world, at_now):  # noqa: F811
    """Running: 80 h (late, no reason), 75 h (decided to notify, late, reason), 63 h (decided
    to notify), 10 h, and one of the other organisation (5 h). Stopped: notified, decided not
    to notify."""
    made = {h: report(fresh_db, world, h) for h in (80, 75, 63, 10, 90, 100)}
    made["other"] = report(fresh_db, world, 5, key="other_reporter")
    for h in (75, 63, 90):
        decide(fresh_db, world, made[h], "notify")
    notify(fresh_db, world, made[90])
    decide(fresh_db, world, made[100], "no_notify")
    delay.record(fresh_db, world["dpo"], made[75].id, REASON, "internal")
    return made


def test_json_lists_every_running_clock_earliest_deadline_first(run, clocks, world):
    result = run("--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [c["reference"] for c in listed] == [clocks[h].reference for h in (80, 75, 63, 10)] + [
        clocks["other"].reference
    ]
    first, second, third = listed[:3]
    assert first == {
        "reference": clocks[80].reference,
        "organisation": "Gemeente Test",
        "phase": "awaiting_decision",
        "aware_at": clock.to_utc(clocks[80].aware_at).isoformat(),
        "deadline": clock.to_utc(clocks[80].aware_at + CURRENT.period).isoformat(),
        "hours_left": -8.0,
        "overdue": True,
        "delay_reason_recorded": False,
    }
    assert (second["phase"], second["hours_left"], second["overdue"], second["delay_reason_recorded"]) == (
        "decided_to_notify",
        -3.0,
        True,
        True,
    )
    assert (third["phase"], third["hours_left"], third["overdue"]) == ("decided_to_notify", 9.0, False)
    assert listed[-1]["organisation"] == "Jeugdzorg Test"
    assert REASON not in result.output and "Jan de Vries" not in result.output


def test_text_has_one_line_per_running_clock(run, clocks):
    result = run("--org", "Gemeente Test")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 4
    deadline = clock.format_local(clocks[63].aware_at + CURRENT.period)
    assert lines[2] == (
        f"{clocks[63].reference} · Gemeente Test · Besloten te melden · uiterlijk {deadline} · nog 9 uur"
    )
    assert lines[0].endswith("· 8 uur te laat · reden van vertraging ontbreekt")
    assert lines[1].endswith("· 3 uur te laat · reden van vertraging vastgelegd")
    assert REASON not in result.output


@pytest.mark.parametrize(
    ("args", "code"),
    [((), 0), (("--fail-on-overdue",), 3), (("--json", "--fail-on-overdue"), 3)],
)
def test_fail_on_overdue_exits_3_when_a_deadline_has_passed(run, clocks, args, code):
    assert run(*args).exit_code == code


def test_nothing_overdue_exits_0_with_fail_on_overdue(run, clocks):
    result = run("--org", "Jeugdzorg Test", "--fail-on-overdue")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("nog 67 uur")


def test_nothing_running(run, world):
    result = run("--fail-on-overdue")
    assert (result.exit_code, result.output) == (0, "Geen lopende termijnen.\n")
    assert json.loads(run("--json").output) == []


def test_an_unknown_organisation_is_refused(run, world):
    result = run("--org", "Bestaat Niet")
    assert result.exit_code != 0 and "Onbekende organisatie: Bestaat Niet" in result.output
