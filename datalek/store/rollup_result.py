"""The result of a full recount put in place (``stats rebuild``, ``rollup_recount``).

Each worker lists which of its range's counted rows differ from the rows the roll-up stores
(``differing``), so that the rebuild's second write changes only those (``assemble``). The
incidents the journal noted while the workers counted (``rollup_journal``) are counted again in
that write, from the sources as they are then, and their cells move from what the workers
counted to that.
"""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store import StorageError, rollup, rollup_journal
from datalek.store.rollup_facts import MEASURES_NOW, UNION, cells_sql

#: The ids a worker of ``rebuild`` lists for the writer: facts new or changed, facts stored
#: that the count has no more, and the same for the measures' facts.
DIFFERING = ("stats_differ", "stats_gone", "stats_differ_measures", "stats_gone_measures")


def _names(columns: str) -> list[str]:
    """The column names of a table's column definitions (``rollup.FACT_COLUMNS``, ...)."""
    return [column.split()[0] for column in columns.split(",")]


def differing(within: str) -> list[str]:
    """Which of the range's counted rows differ from the rows the roll-up stores in the
    worker's snapshot: the writer writes only those (10^6 incidents, nothing changed: the
    second write took 2.9 s to put every row in place again). Two rows are the same when
    every column IS the same (NULL IS NULL). A join, not ``NOT EXISTS``: its cursor walks
    the stored rows in id order as the counted ones come (10^5 incidents: 0.116 s, 0.134 s)."""

    def same(columns: str) -> str:
        names = _names(columns)
        return f"({', '.join(f'o.{n}' for n in names)}) IS ({', '.join(f'f.{n}' for n in names)})"

    differ, gone, differ_measures, gone_measures = DIFFERING
    return [
        f"INSERT INTO part.{differ} SELECT f.id FROM part.stats_facts f LEFT JOIN main.stats_facts o"
        f" ON o.id = f.id WHERE o.id IS NULL OR NOT {same(rollup.FACT_COLUMNS)}",
        f"INSERT INTO part.{gone} SELECT o.id FROM main.stats_facts o WHERE o.id {within}"
        " AND o.id NOT IN (SELECT id FROM part.stats_facts)",
        f"INSERT INTO part.{differ_measures} SELECT f.id FROM part.stats_measure_facts f"
        f" LEFT JOIN main.stats_measure_facts o ON o.id = f.id"
        f" WHERE o.id IS NULL OR NOT {same(rollup.MEASURE_COLUMNS)}",
        f"INSERT INTO part.{gone_measures} SELECT o.id FROM main.stats_measure_facts o"
        f" WHERE o.incident_id {within} AND o.id NOT IN (SELECT id FROM part.stats_measure_facts)",
    ]


def fact_tables(schema: str) -> list[str]:
    return [
        f"CREATE TABLE {schema}.stats_facts ({rollup.FACT_COLUMNS})",
        f"CREATE TABLE {schema}.stats_measure_facts ({rollup.MEASURE_COLUMNS})",
    ]


#: The rows of the incidents the journal noted: as the workers counted them (``then``) and as
#: counted again in the second write (``now``).
_NOTED = ("stats_then_facts", "stats_then_measures", "stats_now_facts", "stats_now_measures")
#: Their cells: those of ``then`` subtracted, those of ``now`` added.
_MOVED = "stats_moved_cells"


def summed(db: Database, parts: list[str]) -> None:
    """Before the second write of ``rebuild``: the workers' cells (schemas ``parts``) added up
    into ``rollup.NEW_CELLS``. They are final once the workers ended, so the writers need not
    wait while they are added up (10^6: 0.2 s); only the noted incidents' cells move inside
    the write (``assemble``)."""
    db.execute(f"INSERT INTO {rollup.new_cells(db)} {rollup.summed_cells(parts)}")


def assemble(db: Database, parts: list[str], token: int) -> None:
    """Inside the second write of ``rebuild``: the roll-up from the workers' count (schemas
    ``parts``, their cells ``summed`` before), except the incidents the journal noted since
    their snapshot. Those are counted again here, from the sources as they are now, and their
    cells move from what the workers counted to that."""
    if not db.execute("SELECT 1 FROM stats_recounts WHERE token = ?", [int(token)]).fetchone():
        # another recount took this one's journal for a killed one (``rollup_journal.STALE_AFTER``):
        # what changed during the count is not known, so nothing is written
        raise StorageError("the journal of this recount was removed as stale; nothing was changed")
    with rollup.without_journal(db):
        _put_in_place(db, parts, token)
    rollup_journal.end(db, token)


def _put_in_place(db: Database, parts: list[str], token: int) -> None:
    noted = rollup_journal.touched(token)
    changed = db.execute(f"SELECT EXISTS {noted}").fetchone()[0]
    if changed:
        _count_again(db, parts, noted)
    _facts_in_place(db, parts, noted if changed else None)
    if changed:
        db.execute(f"DELETE FROM main.stats_facts WHERE id IN {noted}")
        db.execute(f"DELETE FROM main.stats_measure_facts WHERE incident_id IN {noted}")
        db.execute(f"INSERT INTO main.stats_facts SELECT * FROM temp.{_NOTED[2]}")
        db.execute(f"INSERT OR REPLACE INTO main.stats_measure_facts SELECT * FROM temp.{_NOTED[3]}")
        db.execute(
            f"INSERT INTO {rollup.NEW_CELLS} {_cells_moved(db)} WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n"
        )
        db.execute(f"DELETE FROM {rollup.NEW_CELLS} WHERE n = 0")
    rollup.put_cells(db)
    for table in (*_NOTED, _MOVED):
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _count_again(db: Database, parts: list[str], noted: str) -> None:
    """The rows of the incidents ``noted`` into ``_NOTED``: as the workers counted them, and
    counted again from the sources as they are now, as the workers count. A trigger may have
    written one column of a stored row only (a processor's agreed hours), so the stored rows
    are not taken as they are. The new rows go into tables declared as the stored ones, so that
    each value is stored as there."""
    for table in _NOTED:
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    then = UNION.join(f"SELECT * FROM {part}.stats_facts WHERE id IN {noted}" for part in parts)
    then_measures = UNION.join(
        f"SELECT * FROM {part}.stats_measure_facts WHERE incident_id IN {noted}" for part in parts
    )
    db.execute(f"CREATE TEMP TABLE {_NOTED[0]} AS {then}")
    db.execute(f"CREATE TEMP TABLE {_NOTED[1]} AS {then_measures}")
    db.execute(f"CREATE TEMP TABLE {_NOTED[2]} ({rollup.FACT_COLUMNS})")
    db.execute(f"CREATE TEMP TABLE {_NOTED[3]} ({rollup.MEASURE_COLUMNS})")
    rollup.facts_into(db, f"temp.{_NOTED[2]}", f"WHERE i.id IN {noted}")
    db.execute(f"INSERT INTO temp.{_NOTED[3]} {MEASURES_NOW} AND m.incident_id IN {noted}")


def _cells_moved(db: Database) -> str:
    """SQL: the cells of the noted incidents as counted again, less those the workers counted
    (into a table like the workers' own, so that a key is stored as theirs are: as text)."""
    db.execute(rollup.cell_table(f"temp.{_MOVED}"))
    for sign, (facts, measures) in (("-", _NOTED[:2]), ("", _NOTED[2:])):
        db.execute(
            f"INSERT INTO temp.{_MOVED} SELECT year, org_id, department, dimension, key, {sign}count(*)"
            f" FROM ({cells_sql(f'temp.{facts}', f'temp.{measures}')}) GROUP BY 1, 2, 3, 4, 5"
            " ON CONFLICT DO UPDATE SET n = n + excluded.n"
        )
    return f"SELECT * FROM temp.{_MOVED}"


def _facts_in_place(db: Database, parts: list[str], noted: str | None) -> None:
    """The stored facts and measure facts made equal to the workers' count, writing only the
    rows that differ (``differing``); the rows of the incidents ``noted`` (SQL, or None) are
    left to the caller."""
    spare = f" AND id NOT IN {noted}" if noted else ""
    spare_measures = (
        f" AND incident_id NOT IN {noted}"
        f" AND id NOT IN (SELECT id FROM main.stats_measure_facts WHERE incident_id IN {noted})"
        if noted
        else ""
    )
    differ, gone, differ_measures, gone_measures = DIFFERING
    # every range's deletes before any range's inserts: a stored row filed under an incident of
    # another range is gone for that range and new for its own
    for part in parts:
        db.execute(f"DELETE FROM main.stats_facts WHERE id IN (SELECT id FROM {part}.{gone}){spare}")
        db.execute(
            f"DELETE FROM main.stats_measure_facts WHERE id IN (SELECT id FROM {part}.{gone_measures})"
            f"{spare_measures}"
        )
    for part in parts:
        db.execute(
            f"INSERT OR REPLACE INTO main.stats_facts SELECT * FROM {part}.stats_facts"
            f" WHERE id IN (SELECT id FROM {part}.{differ}){spare}"
        )
        db.execute(
            f"INSERT OR REPLACE INTO main.stats_measure_facts SELECT * FROM {part}.stats_measure_facts"
            f" WHERE id IN (SELECT id FROM {part}.{differ_measures}){spare_measures}"
        )
