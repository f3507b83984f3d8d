"""Demo follow-up data: AP notifications (late ones with a reason, supplements, one
withdrawal), postponements, informed recipients and measures in every state — and every
closed breach is complete in the register."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from datalek import clock, store
from datalek.actions import authority
from datalek.demo import dataset
from datalek.handling import completeness
from datalek.store import actions as actions_sql

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "follow_up.db"
    dataset.generate(str(path), 3000, 3, 11, now=NOW, with_accounts=False)
    return path


def query(path, sql: str) -> list[dict]:
    with store.unit(path) as db:
        return list(db.query(sql))


def test_notifications_include_late_ones_with_a_reason_supplements_and_one_withdrawal(demo_db):
    rows = query(
        demo_db,
        "SELECT n.*, i.aware_at FROM authority_notifications n JOIN incidents i ON i.id = n.incident_id",
    )
    kinds = [r["kind"] for r in rows]
    assert kinds.count("withdrawal") == 1 and kinds.count("supplement") > 0
    initial = [r for r in rows if r["kind"] == "initial"]
    late = [
        r
        for r in initial
        if authority.is_late(clock.from_iso(r["aware_at"]), clock.from_iso(r["submitted_at"]))
    ]
    assert 0 < len(late) < len(initial) / 2
    assert all(r["late_reason"] for r in late)
    assert not any(r["late_reason"] for r in initial if r not in late)


def test_only_decisions_to_notify_have_a_notification(demo_db):
    wrong = query(
        demo_db,
        """
        SELECT n.incident_id FROM authority_notifications n
        JOIN decisions d ON d.incident_id = n.incident_id
        WHERE d.notify_authority = 0 OR d.kind != 'breach'""",
    )
    assert wrong == []


def test_measures_occur_in_every_state_and_some_are_overdue(demo_db):
    states = {r["status"] for r in query(demo_db, "SELECT DISTINCT status FROM measures")}
    assert states == {"planned", "in_progress", "done", "cancelled"}
    with store.unit(demo_db) as db:
        assert actions_sql.overdue_measures(
            db, [o["id"] for o in db.query("SELECT id FROM organisations")], "2026-11-20"
        )


def test_postponements_only_on_open_youth_care_incidents(demo_db):
    rows = query(
        demo_db,
        """
        SELECT c.*, i.status, o.youth_care FROM safety_checks c
        JOIN incidents i ON i.id = c.incident_id JOIN organisations o ON o.id = i.org_id
        WHERE c.risk = 1""",
    )
    assert rows
    assert all(r["reason"] and r["review_on"] and r["status"] == "decided" and r["youth_care"] for r in rows)


def test_every_closed_incident_is_complete_in_the_register(demo_db):
    with store.unit(demo_db) as db:
        closed = [r["id"] for r in db.query("SELECT id FROM incidents WHERE status = 'closed'")]
        assert closed
        incomplete = {i: gaps for i in closed if (gaps := completeness.documentation_gaps(db, i))}
    assert incomplete == {}


def test_closed_incidents_have_a_closing_moment_and_repeats_are_marked(demo_db):
    assert query(
        demo_db, "SELECT count(*) AS n FROM incidents WHERE status = 'closed' AND closed_at IS NULL"
    ) == [{"n": 0}]
    repeats = query(
        demo_db,
        """
        SELECT i.reported_at AS later, p.reported_at AS earlier, i.department, p.department AS d2,
               i.incident_type, p.incident_type AS t2
        FROM incidents i JOIN incidents p ON p.id = i.repeat_of""",
    )
    assert repeats
    assert all(
        r["department"] == r["d2"] and r["incident_type"] == r["t2"] and r["earlier"] < r["later"]
        for r in repeats
    )
