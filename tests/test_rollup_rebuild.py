"""Issue #18: the full rebuild is set-based (each incident's subqueries read once, the cells
grouped one dimension at a time) and counts exactly what the triggers count."""

from __future__ import annotations

from datalek import store
from datalek.store import rollup_facts
from datalek.store import stats as sql
from tests import dashboard_world as dw


def test_the_rebuild_reads_the_facts_the_triggers_read(fresh_db, world):
    dw.fill(fresh_db, world)
    sql.rebuild(fresh_db)
    rebuilt = fresh_db.execute("SELECT * FROM stats_facts ORDER BY id").fetchall()
    view = fresh_db.execute("SELECT * FROM stats_facts_now ORDER BY id").fetchall()
    assert rebuilt == view
    assert len(rebuilt) > 20


def test_the_facts_over_a_raw_table_are_the_facts_of_the_view(fresh_db, world):
    """``facts_from`` is ``facts_now`` with its raw subquery read from a table."""
    dw.fill(fresh_db, world)
    with store.write(fresh_db):
        fresh_db.execute(f"CREATE TEMP TABLE raw AS {rollup_facts.raw_now(fresh_db)}")
        over_table = fresh_db.execute(
            f"SELECT * FROM ({rollup_facts.facts_from(fresh_db, 'temp.raw')}) ORDER BY id"
        )
        rows = over_table.fetchall()
        fresh_db.execute("DROP TABLE temp.raw")
    assert (
        rows == fresh_db.execute(f"SELECT * FROM ({rollup_facts.facts_now(fresh_db)}) ORDER BY id").fetchall()
    )


def test_the_cube_grouped_per_dimension_equals_one_group_by(fresh_db, world):
    dw.fill(fresh_db, world)
    sql.rebuild(fresh_db)
    cube = fresh_db.execute("SELECT * FROM stats_cube ORDER BY 1, 2, 3, 4, 5").fetchall()
    whole = fresh_db.execute(
        "SELECT year, org_id, department, dimension, CAST(key AS TEXT), count(*) FROM stats_cells"
        " GROUP BY 1, 2, 3, 4, 5"
        " ORDER BY 1, 2, 3, 4, 5"
    ).fetchall()
    assert cube == whole
    assert sql.differences(fresh_db)[1] == 0
