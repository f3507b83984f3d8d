"""Issue #17: an organisation's totals are always shown, breakdowns of causes and data count
breaches (non-breaches apart, never "not yet assessed"), and a duration that cannot be is
counted apart, never as 0 hours."""

from __future__ import annotations

import pytest

from datalek.insight import figures, stats
from tests import dashboard_world as dw
from tests.test_dashboard import EXPECTED, small_number

P = pytest.param


@pytest.fixture
def board_world(world, fresh_db, monkeypatch):
    """The hand-made register of ``dashboard_world``, nothing hidden (threshold 1)."""
    small_number(fresh_db, monkeypatch, 1)
    return world, fresh_db, dw.fill(fresh_db, world)


TOTALS = sorted(figures.TOTALS)


@pytest.mark.parametrize("limit", [5, 10, 25])
@pytest.mark.parametrize("code", TOTALS)
def test_an_organisations_totals_are_always_shown(board_world, monkeypatch, code, limit):
    """Jeugdzorg Test has 3 reports, Gemeente Test 18: small numbers, but an organisation's own
    totals (and those of all together) are never hidden; only breakdowns are."""
    world, db, both = board_world
    small_number(db, monkeypatch, limit)
    for org_id in (world.org.id, world.other_org.id, None):
        for actor in (both, world["management"] if org_id == world.org.id else both):
            figure = stats.dashboard(db, actor, 2026, org_id, today=dw.TODAY).current.figures[code]
            assert figure.value is not None and figure.shown != stats.HIDDEN, (org_id, code)
    assert stats.dashboard(db, both, 2026, world.other_org.id).current.value("total") == 3
    assert stats.dashboard(db, both, 2026).current.value(code) == (
        EXPECTED[code] + {"total": 3, "undecided": 3}.get(code, 0)
    )


def test_a_department_hides_its_small_totals(board_world, monkeypatch):
    """A department's counts are a breakdown of its organisation: small ones stay hidden."""
    world, db, _ = board_world
    small_number(db, monkeypatch, 5)
    jeugd = stats.dashboard(db, world["management"], 2026, department="Jeugd", today=dw.TODAY).current
    assert jeugd.value("total") == 10
    assert jeugd.value("notified_late") is None and jeugd.value("informed") is None


def _not_a_breach_without_risk(db, world) -> int:
    """A report closed as "geen datalek" (no personal data): its assessment has no risk and no
    kind of data, as the assessment of a non-breach has."""
    at = dw.datetime(2026, 9, 1, 9, tzinfo=dw.UTC)
    incident = dw._incident(db, world.org.id, "ICT", "sent_by_mistake", at, 1, "not_a_breach")
    db.execute(
        "INSERT INTO assessments (incident_id, version, facts, advice, notify_authority, inform_subjects,"
        " created_at) VALUES (?, 1, '{\"data_categories\": []}', '{}', 0, 0, '2026-09-01T10:00:00+00:00')",
        [incident],
    )
    db.execute(
        "INSERT INTO decisions (incident_id, kind, lawful_basis, motivation, advice, decided_at)"
        " VALUES (?, 'not_a_breach', 'no_personal_data', 'm', '{}', '2026-09-01T11:00:00+00:00')",
        [incident],
    )
    db.conn.commit()
    return incident


def test_a_report_closed_as_no_breach_is_never_not_yet_assessed(board_world):
    world, db, _ = board_world
    _not_a_breach_without_risk(db, world)
    now = stats.dashboard(db, world["management"], 2026, today=dw.TODAY).current
    assert now.value("no_personal_data") == 1 and now.value("breach") == 9
    for chart in ("risk", "type", "people"):
        assert sum(c.count for c in now.series[chart]) == 9, chart
    labels = {c.label for chart in now.series.values() for c in chart}
    assert "Nog niet beoordeeld" not in labels


@pytest.mark.parametrize(
    ("statement", "code", "expected"),
    [
        P(
            "UPDATE decisions SET decided_at = '2026-03-09T09:00:00+00:00' WHERE incident_id = 1",
            "decision_median",
            13.5,
            id="decision-before-the-report",
        ),
        P(
            "UPDATE authority_notifications SET submitted_at = '2026-03-10T01:00:00+00:00'"
            " WHERE incident_id = 1",
            "notified_on_time",
            2,
            id="notification-before-the-organisation-knew",
        ),
    ],
)
def test_an_impossible_duration_is_counted_apart_never_as_zero(board_world, statement, code, expected):
    """A negative duration was shown as 0 hours (a decision at once, a notification in time);
    now it is left out of the times and counted as "tijden die niet kunnen"."""
    world, db, _ = board_world
    db.execute(statement)
    db.conn.commit()
    now = stats.dashboard(db, world["management"], 2026, today=dw.TODAY).current
    assert now.value(code) == pytest.approx(expected)
    assert now.value("bad_time") == 1
    assert 0 not in {
        float(k)
        for k in db.execute(
            "SELECT key FROM stats_cube WHERE dimension IN ('decision_hours', 'notify_hours')"
        ).fetchall()[0]
    }
