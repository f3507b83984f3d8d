"""Issue #17: demo data that tell the truth, whatever the seed. Repeats follow the documented
rule (``handling.repeats.detect_all``); no decision or AP notification is dated before the
report or the awareness, so the yearly figures have no "tijden die niet kunnen"; organisations
with youth tasks have breaches with minors; late notifications carry a reason with its kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from datalek import store
from datalek.demo import dataset
from datalek.handling import delay, repeats
from datalek.store import stats as stats_sql

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SEEDS = sorted([2, 5, 13])
COUNT = 900


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed-{s}" for s in SEEDS])
def demo(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / f"truth-{request.param}.db"
    dataset.generate(str(path), COUNT, 3, request.param, now=NOW, with_accounts=False)
    return path


def _cube(db, dimension: str) -> dict[int, int]:
    rows = db.execute(
        "SELECT org_id, sum(n) FROM stats_cube WHERE dimension = ? GROUP BY org_id", [dimension]
    ).fetchall()
    return {org: n for org, n in rows if n}


def test_repeats_are_what_the_documented_rule_gives(demo):
    with store.unit(demo) as db:
        marked = db.execute("SELECT id, repeat_of FROM incidents ORDER BY id").fetchall()
        db.execute("BEGIN IMMEDIATE")
        repeats.detect_all(db)
        ruled = db.execute("SELECT id, repeat_of FROM incidents ORDER BY id").fetchall()
        db.conn.rollback()
    assert sum(r is not None for _, r in marked) == sum(r is not None for _, r in ruled) > 0
    assert [tuple(r) for r in marked] == [tuple(r) for r in ruled]


def test_the_figures_have_no_impossible_times(demo):
    with store.unit(demo) as db:
        assert _cube(db, "bad_time") == {}
        early = db.execute(
            """SELECT
                (SELECT count(*) FROM decisions d JOIN incidents i ON i.id = d.incident_id
                 WHERE d.decided_at < i.reported_at OR d.decided_at > :now),
                (SELECT count(*) FROM authority_notifications a JOIN incidents i ON i.id = a.incident_id
                 WHERE a.submitted_at < i.aware_at OR a.submitted_at < (SELECT min(d.decided_at)
                     FROM decisions d WHERE d.incident_id = a.incident_id)),
                (SELECT count(*) FROM subject_notices s JOIN decisions d ON d.incident_id = s.incident_id
                 WHERE s.informed_on < substr(d.decided_at, 1, 10) OR s.informed_on > substr(:now, 1, 10))""",
            {"now": NOW.isoformat()},
        ).fetchone()
        assert tuple(early) == (0, 0, 0), "decisions, notifications, notices dated before what they follow"
        assert stats_sql.differences(db) == ([], 0)


def test_every_organisation_with_youth_tasks_has_breaches_with_minors(demo):
    with store.unit(demo) as db:
        minors, breaches = _cube(db, "minors"), _cube(db, "type")
        youth = [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT o.id FROM organisations o JOIN incidents i ON i.org_id = o.id"
                " WHERE o.youth_care OR i.department = 'Jeugd'"
            )
        ]
        kinds = dict(db.execute("SELECT id, youth_care FROM organisations").fetchall())
    assert len(youth) == 3
    for org in youth:
        share = minors.get(org, 0) / breaches[org]
        low, high = (0.4, 0.9) if kinds[org] else (0.04, 0.4)
        assert low <= share <= high, f"organisation {org}: {share:.0%} of breaches with minors"


def test_late_notifications_carry_a_reason_with_its_kind(demo):
    with store.unit(demo) as db:
        reasons = dict(
            db.execute(
                "SELECT key, sum(n) FROM stats_cube WHERE dimension = 'late_reason' GROUP BY key"
            ).fetchall()
        )
        kinds = [k for (k,) in db.execute("SELECT delay_kind FROM incidents WHERE delay_reason != ''")]
    assert reasons and "none" not in reasons
    assert kinds and set(kinds) <= set(delay.KINDS) | {""}
    assert sum(k != "" for k in kinds) > len(kinds) / 2  # most with a kind; a few from before kinds
