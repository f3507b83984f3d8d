"""Issue #17: marking a measure done asks the real date it was done (today unless the FG picks
another day, never in the future: the field stops at today); the date is stored and shown, and
a date before the measure was recorded is refused next to the field."""

from __future__ import annotations

from datetime import timedelta

from datalek import clock
from tests.pages.conftest import button, error_after, rows
from tests.pages.test_follow_up_page import opened
from tests.pages.test_once_follow_up import _measure, decided  # noqa: F401 - a fixture


def _today():
    return clock.now().astimezone(clock.AMSTERDAM).date()


def _mark_done(at, incident_id: int, measure_id: int, day) -> None:
    p = f"ms{incident_id}_{measure_id}_"
    at.selectbox(key=p + "status").set_value("done")
    at.date_input(key=p + "done_on").set_value(day)
    button(at, "Status opslaan").click().run()
    assert not at.exception, at.exception


def test_the_done_date_defaults_to_today(world, decided, db_path):  # noqa: F811
    measure_id = _measure(world, decided, db_path)
    at = opened(world, decided)
    assert at.date_input(key=f"ms{decided.id}_{measure_id}_done_on").value == _today()


def test_the_real_done_date_is_stored_and_shown(world, decided, db_path, monkeypatch):  # noqa: F811
    recorded = clock.now()
    monkeypatch.setattr(clock, "now", lambda: recorded - timedelta(days=3))
    measure_id = _measure(world, decided, db_path)  # recorded three days ago
    monkeypatch.setattr(clock, "now", lambda: recorded)
    at = opened(world, decided)
    day = _today() - timedelta(days=2)
    _mark_done(at, decided.id, measure_id, day)
    assert rows(db_path, "SELECT status, done_on FROM measures") == [
        {"status": "done", "done_on": day.isoformat()}
    ]
    assert any(f"uitgevoerd op {day:%d-%m-%Y}" in m.value for m in at.markdown)


def test_a_done_date_before_the_measure_was_recorded_is_refused_next_to_the_field(
    world,
    decided,  # noqa: F811
    db_path,
):
    measure_id = _measure(world, decided, db_path)  # recorded today
    at = opened(world, decided)
    p = f"ms{decided.id}_{measure_id}_"
    _mark_done(at, decided.id, measure_id, _today() - timedelta(days=1))
    assert error_after(at, p + "done_on") == (
        f"Deze datum ligt vóór het vastleggen van de maatregel ({_today():%d-%m-%Y})."
    )
    assert rows(db_path, "SELECT status, done_on FROM measures") == [{"status": "planned", "done_on": None}]
