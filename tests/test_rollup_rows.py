"""Issue #18: the dashboard's first view after a change reads again only the roll-up rows of
the year and organisation that changed; the rows of the others are kept in memory per
database file, year, organisation and day, under a version the same write raises
(``stats_versions``). What is read from memory must always equal a fresh read."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import store
from datalek.insight import rollup_rows
from datalek.models import InvalidInput
from datalek.store import rollup_recount
from datalek.store import stats as stats_sql
from tests.conftest import NOW
from tests.test_rollup import STEPS, _decided, _report, _step, fixed_now  # noqa: F401 - autouse

TODAY = date(2026, 11, 25)


def _cube_reads(db, call) -> list[str]:
    """The statements that read ``stats_cube`` while ``call`` runs."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in seen if "stats_cube" in s]


def _both(db, world):
    orgs = [world.org.id, world.other_org.id]
    return lambda: rollup_rows.cube(db, orgs, [2026, 2025], TODAY)


def _fresh(db, world) -> list[tuple]:
    return stats_sql.cube(db, [world.org.id, world.other_org.id], [2026, 2025], TODAY)


def test_a_view_without_a_change_in_between_reads_no_roll_up_rows(fresh_db, world):
    _decided(fresh_db, world)
    read = _both(fresh_db, world)
    read()
    assert _cube_reads(fresh_db, read) == []


def test_after_a_change_only_the_changed_year_and_organisation_are_read_again(fresh_db, world):
    _decided(fresh_db, world)
    then = NOW - timedelta(days=400)  # a report in 2025 as well
    _report(
        fresh_db,
        world,
        then,
        occurred_from=then - timedelta(hours=5),
        discovered_at=then - timedelta(hours=2),
    )
    read = _both(fresh_db, world)
    assert {r[0] for r in read()} == {2025, 2026}
    _report(fresh_db, world)  # 2026, the first organisation
    statements = _cube_reads(fresh_db, read)
    assert statements, "the changed rows were not read again"
    assert all(f"org_id = {world.org.id}" in s and "year = 2026" in s for s in statements), statements


def test_a_change_made_outside_the_app_is_seen(fresh_db, world, db_path):
    _decided(fresh_db, world)
    read = _both(fresh_db, world)
    before = sorted(read())
    other = sqlite3.connect(db_path)
    with other:
        other.execute("UPDATE incidents SET status = 'closed' WHERE id = (SELECT max(id) FROM incidents)")
    other.close()
    after = sorted(read())
    assert after != before
    assert after == sorted(_fresh(fresh_db, world))


@pytest.fixture(params=["one connection", "in ranges"])
def rebuilt(request, monkeypatch):
    """``stats rebuild`` as it counts few incidents (on the writer's connection) and many (in
    ranges, by worker processes)."""
    if request.param == "in ranges":
        monkeypatch.setattr(rollup_recount, "SMALL", 2)
        monkeypatch.setattr(rollup_recount, "workers", lambda: 2)  # on one core as well
    return stats_sql.rebuild


def _versions(db) -> list[tuple]:
    return db.execute("SELECT year, org_id, v FROM stats_versions ORDER BY 1, 2").fetchall()


def _two_years(db, world) -> None:
    _decided(db, world)
    then = NOW - timedelta(days=400)  # a report in 2025 as well
    _report(db, world, then, occurred_from=then - timedelta(hours=5), discovered_at=then - timedelta(hours=2))


def test_a_rebuild_that_changes_no_cell_keeps_every_part_in_memory(fresh_db, world, rebuilt):
    _two_years(fresh_db, world)
    read = _both(fresh_db, world)
    read()
    versions = _versions(fresh_db)
    rebuilt(fresh_db)
    assert _versions(fresh_db) == versions
    assert _cube_reads(fresh_db, read) == [], "a rebuild that changed nothing emptied the memory"


def test_a_rebuild_reads_again_only_the_part_whose_cells_it_repaired(fresh_db, world, rebuilt):
    _two_years(fresh_db, world)
    read = _both(fresh_db, world)
    assert {r[0] for r in read()} == {2025, 2026}
    before = {(y, o): v for y, o, v in _versions(fresh_db)}
    with store.write(fresh_db):  # a cell gone wrong outside the triggers
        fresh_db.execute(
            "UPDATE stats_cube SET n = n + 5 WHERE year = 2026 AND org_id = ? AND dimension = 'total'",
            [world.org.id],
        )
    rebuilt(fresh_db)
    after = {(y, o): v for y, o, v in _versions(fresh_db)}
    assert after[(2026, world.org.id)] > max(before.values())
    assert {k: v for k, v in after.items() if k != (2026, world.org.id)} == {
        k: v for k, v in before.items() if k != (2026, world.org.id)
    }
    statements = _cube_reads(fresh_db, read)
    assert statements, "the repaired rows were not read again"
    assert all(f"org_id = {world.org.id}" in s and "year = 2026" in s for s in statements), statements
    assert sorted(read()) == sorted(_fresh(fresh_db, world))


def test_another_day_judges_the_measures_again(fresh_db, world):
    _decided(fresh_db, world)
    orgs = [world.org.id]
    rollup_rows.cube(fresh_db, orgs, [2026], TODAY)
    assert _cube_reads(fresh_db, lambda: rollup_rows.cube(fresh_db, orgs, [2026], TODAY + timedelta(days=1)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 1000)), min_size=1, max_size=8))
def test_what_is_read_from_memory_always_equals_a_fresh_read(fresh_db, world, steps):
    if not fresh_db.execute("SELECT 1 FROM incidents").fetchone():
        _decided(fresh_db, world)
    read = _both(fresh_db, world)
    read()
    for name, pick in steps:
        with contextlib.suppress(InvalidInput, ValueError):  # refused: rolled back
            _step(fresh_db, world, name, pick)
        assert sorted(read()) == sorted(_fresh(fresh_db, world))
