"""Issue #18: a rebuild writes only the roll-up's cells that differ from its count
(``rollup.put_cells``) and raises the versions of exactly the parts (year, organisation) they
are in, so that a reader keeps every other part in memory. Proven over generated damage to the
stored cells, for the rebuild on one connection and the one in ranges."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import store
from datalek.demo import dataset
from datalek.store import rollup_recount, rollup_result
from datalek.store import stats as sql

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
_CUBE = "SELECT year, org_id, department, dimension, key, n FROM stats_cube ORDER BY 1, 2, 3, 4, 5"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("put_cells") / "demo.db"
    dataset.generate(str(path), 120, years=2, seed=11, now=NOW, with_accounts=False)
    return path


@pytest.fixture
def assembled(monkeypatch) -> list:
    """Count in two ranges however few incidents and cores there are; record each time the
    rebuild in ranges writes its result (``rollup_result.assemble``)."""
    monkeypatch.setattr(rollup_recount, "SMALL", 2)
    monkeypatch.setattr(rollup_recount, "workers", lambda: 2)
    calls = []
    real = rollup_result.assemble

    def recorded(*args):
        calls.append(args[1])
        return real(*args)

    monkeypatch.setattr(rollup_result, "assemble", recorded)
    return calls


@pytest.fixture
def path(demo, tmp_path):
    copied = tmp_path / "demo.db"
    source, target = sqlite3.connect(demo), sqlite3.connect(copied)
    source.backup(target)
    source.close()
    target.close()
    return copied


@pytest.fixture(params=["one connection", "in ranges"])
def db(request, path):
    assembled = request.getfixturevalue("assembled") if request.param == "in ranges" else None
    with store.unit(path) as opened:
        yield opened
    assert assembled is None or assembled, "the rebuild did not count in ranges"


def _versions(db) -> dict:
    return {(y, o): v for y, o, v in db.execute("SELECT year, org_id, v FROM stats_versions")}


def _damage(db, kind: str, pick: int) -> None:
    """One stored cell damaged outside the triggers."""
    rows = db.execute(f"SELECT rowid, * FROM ({_CUBE})").fetchall()
    _, year, org_id, department, dimension, key, n = rows[pick % len(rows)]
    where = "year = ? AND org_id = ? AND department = ? AND dimension = ? AND key = ?"
    cell = [year, org_id, department, dimension, key]
    with store.write(db):
        if kind == "more":
            db.execute(f"UPDATE stats_cube SET n = n + 1 + ? WHERE {where}", [pick % 3, *cell])
        elif kind == "less":
            db.execute(f"UPDATE stats_cube SET n = n - 1 WHERE {where}", cell)
        elif kind == "gone":
            db.execute(f"DELETE FROM stats_cube WHERE {where}", cell)
        else:  # a cell of a key nothing counts
            db.execute(
                "INSERT INTO stats_cube (year, org_id, department, dimension, key, n)"
                " VALUES (?, ?, ?, 'month', '13', 1) ON CONFLICT DO UPDATE SET n = n + 1",
                [year, org_id, department],
            )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["more", "less", "gone", "new"]), st.integers(0, 10_000)), max_size=4)
)
def test_a_rebuild_writes_only_the_cells_that_differ_and_raises_only_their_parts(db, damage):
    counted = db.execute(_CUBE).fetchall()
    before = _versions(db)
    for kind, pick in damage:
        _damage(db, kind, pick)
    # the parts whose stored cells differ from the count (damage may cancel out)
    damaged = {(y, o) for y, o, *_ in set(db.execute(_CUBE).fetchall()) ^ set(counted)}
    sql.rebuild(db)
    assert db.execute(_CUBE).fetchall() == counted
    after = _versions(db)
    raised = {part for part, v in after.items() if v != before.get(part)}
    assert raised == damaged
    assert all(after[part] > max(before.values()) for part in raised)


def test_a_part_that_gets_its_first_cells_gets_a_version(db):
    with store.write(db):
        db.execute("DELETE FROM stats_versions")
        (year, org_id) = db.execute("SELECT year, org_id FROM stats_facts LIMIT 1").fetchone()
        db.execute("DELETE FROM stats_cube WHERE year = ? AND org_id = ?", [year, org_id])
    sql.rebuild(db)
    assert db.execute("SELECT year, org_id FROM stats_versions").fetchall() == [(year, org_id)]


def test_no_cell_is_written_when_nothing_differs(db):
    db.execute("CREATE TEMP TABLE written (what TEXT)")
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TEMP TRIGGER written_{event.lower()} AFTER {event} ON main.stats_cube"
            f" BEGIN INSERT INTO written VALUES ('{event}'); END"
        )
    sql.rebuild(db)
    assert db.execute("SELECT count(*) FROM written").fetchone()[0] == 0
    with store.write(db):
        db.execute("UPDATE stats_cube SET n = n + 1 WHERE rowid = (SELECT min(rowid) FROM stats_cube)")
    db.execute("DELETE FROM written")
    sql.rebuild(db)
    assert db.execute("SELECT what FROM written").fetchall() == [("UPDATE",)]


def test_a_cell_a_change_during_the_count_empties_is_not_stored(path, assembled, monkeypatch):
    """A report changed after the workers' cells were added up moves its cells in the second
    write; a cell it leaves at 0 is removed, not stored as 0."""
    other = sqlite3.connect(path, isolation_level=None)
    (incident,) = other.execute("SELECT id FROM stats_facts WHERE outcome = 'breach' LIMIT 1").fetchone()
    other.execute("UPDATE incidents SET incident_type = 'only_here' WHERE id = ?", [incident])
    real = rollup_result.summed

    def then_saved(db, parts):
        real(db, parts)
        other.execute("UPDATE incidents SET incident_type = 'elsewhere' WHERE id = ?", [incident])

    monkeypatch.setattr(rollup_result, "summed", then_saved)
    with store.unit(path) as db:
        sql.rebuild(db)
        assert assembled
        assert db.execute("SELECT dimension, key, n FROM stats_cube WHERE n = 0").fetchall() == []
        assert db.execute("SELECT n FROM stats_cube WHERE key = 'elsewhere'").fetchall() == [(1,)]
        assert sql.differences(db) == ([], 0)
    other.close()
