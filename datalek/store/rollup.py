"""The roll-up behind the dashboard, maintained inside every write that changes its sources.

``stats_cube`` holds counts per (year, organisation, department, dimension, key). Each incident
contributes a fixed set of cells, derived from one row of ``stats_facts`` (its figures) and the
rows of ``stats_measure_facts`` (its measures): ``stats_cells`` lists them. SQLite triggers on
every source table (incidents, decisions, assessments, AP notifications, notices, measures, the
changes of the moments) recompute the touched incident in the same transaction: subtract the
cells of its stored facts, store its facts as they are now, add their cells. The subtraction is
exact because the stored facts are exactly what was added, so a reader never writes and never
waits, and a change made with plain SQL or by another process is followed as well.

What is counted is defined in ``datalek.store.rollup_facts``.

Time: every figure but the measures' is fixed by the stored rows. Whether a measure is open,
overdue, done on time or late is judged on a day (the end of the year, today for the current
year), so its cells are keyed by date (``m:*`` dimensions) and the reader judges them on that
day (``datalek.store.stats.cube``): the roll-up never goes stale when the date moves on.

``rebuild`` recounts everything from the sources (``python -m datalek stats rebuild``);
``verify`` compares the roll-up with a fresh count over the same definitions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from datalek.store import rollup_journal, rollup_parties
from datalek.store.rollup_facts import (
    FACT_CELLS,
    MEASURES_NOW,
    PART,
    UNION,
    cells_sql,
    facts_from,
    facts_now,
    raw_now,
)
from datalek.store.rollup_tally import count_into

FACT_COLUMNS = (
    "id INTEGER PRIMARY KEY, year INTEGER NOT NULL, org_id INTEGER NOT NULL, department TEXT NOT NULL,"
    " month INTEGER, incident_type TEXT, outcome TEXT, notification TEXT, bucket TEXT, late_reason TEXT,"
    " informed INTEGER, late_report INTEGER, is_repeat INTEGER, is_open INTEGER, bad_time INTEGER,"
    " risk TEXT, data TEXT, nature TEXT, people TEXT, people_count INTEGER, minors INTEGER,"
    " special INTEGER, bsn INTEGER, youth_file INTEGER, processor INTEGER, decision_hours REAL,"
    " notify_hours REAL, inform_days REAL, processors TEXT, proc_delay_hours REAL, proc_notice TEXT,"
    " chain INTEGER"
)
MEASURE_COLUMNS = (
    "id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL, year INTEGER NOT NULL,"
    " org_id INTEGER NOT NULL, department TEXT NOT NULL, kind TEXT, status TEXT, due_on TEXT,"
    " done_on TEXT"
)

TABLES = f"""
CREATE TABLE stats_facts ({FACT_COLUMNS});
CREATE TABLE stats_measure_facts ({MEASURE_COLUMNS});
CREATE INDEX stats_measure_facts_incident ON stats_measure_facts (incident_id);
CREATE TABLE stats_cube (
    year INTEGER NOT NULL, org_id INTEGER NOT NULL, department TEXT NOT NULL,
    dimension TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
    UNIQUE (year, org_id, department, dimension, key)
);
"""


#: Per year and organisation, a number the write that changes its cells raises (migration
#: 0029): a reader keeps the rows it read under it (``datalek.insight.rollup_rows``) and reads
#: them again only when it moved. The new number is the largest of the table plus one, so a
#: number never comes back, not even for another year or organisation.
VERSIONS = """
CREATE TABLE stats_versions (
    year INTEGER NOT NULL, org_id INTEGER NOT NULL, v INTEGER NOT NULL,
    PRIMARY KEY (year, org_id)
) WITHOUT ROWID
"""


def _raise_versions(incidents: str) -> str:
    """Trigger statement: raise the versions of the years and organisations of the stored facts
    of the incidents ``incidents`` (an SQL condition on ``id``) selects: their cells and their
    measures' cells are in those parts."""
    return (
        "INSERT INTO stats_versions (year, org_id, v) SELECT DISTINCT year, org_id,"
        f" (SELECT coalesce(max(v), 0) + 1 FROM stats_versions) FROM stats_facts WHERE {incidents}"
        " ON CONFLICT DO UPDATE SET v = excluded.v;"
    )


def raise_all_versions(db: Database) -> None:
    """Every part read before is stale (a rebuild, a bulk load): all versions move past the
    largest, and every part with facts gets one."""
    db.execute(
        "INSERT INTO stats_versions (year, org_id, v) SELECT DISTINCT year, org_id, 0 FROM stats_facts"
        " WHERE 1 ON CONFLICT DO NOTHING"
    )
    top = db.execute("SELECT coalesce(max(v), 0) FROM stats_versions").fetchone()[0]
    db.execute("UPDATE stats_versions SET v = ?", [top + 1])


#: Where a full count puts the cells it counted, before ``put_cells`` makes the roll-up equal.
NEW_CELLS = "temp.stats_new_cells"
_CELL = "year, org_id, department, dimension, key"


def cell_table(name: str) -> str:
    """SQL: a table ``name`` of cells as ``stats_cube`` holds them (a key stored as text), one
    row per cell: the workers' counts, the cells moved, a count put in place or compared."""
    return (
        f"CREATE TABLE {name} (year INTEGER, org_id INTEGER, department TEXT, dimension TEXT,"
        f" key TEXT, n INTEGER, PRIMARY KEY ({_CELL})) WITHOUT ROWID"
    )


def new_cells(db: Database) -> str:
    """An empty ``NEW_CELLS``; its name."""
    db.execute(f"DROP TABLE IF EXISTS {NEW_CELLS}")
    db.execute(cell_table(NEW_CELLS))
    return NEW_CELLS


def _columns(alias: str) -> str:
    return ", ".join(f"{alias}.{column}" for column in _CELL.split(", "))


def put_cells(db: Database) -> None:
    """Inside a write: the roll-up's cells made equal to ``NEW_CELLS`` (then dropped), writing
    only the rows that differ, and the versions raised of only the parts (year, organisation)
    where one differed. A reader keeps every other part in memory: raising them all made the
    first view after a rebuild that changed nothing read every part again (10^6 incidents:
    some 70 ms), and rewriting all 83 000 cells held the writers up longer."""
    changed, gone = "temp.stats_changed_cells", "temp.stats_gone_cells"
    for table in (changed, gone):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    # each side looked up by the other's key (10^6, 83 000 cells: 0.10 s; with EXCEPT 0.14 s)
    db.execute(
        f"CREATE TABLE {changed} AS SELECT c.* FROM {NEW_CELLS} c"
        f" LEFT JOIN main.stats_cube o USING ({_CELL}) WHERE o.n IS NOT c.n"
    )
    db.execute(
        f"CREATE TABLE {gone} AS SELECT {_CELL} FROM main.stats_cube o WHERE NOT EXISTS"
        f" (SELECT 1 FROM {NEW_CELLS} c WHERE ({_columns('c')}) = ({_columns('o')}))"
    )
    db.execute(f"DELETE FROM main.stats_cube WHERE ({_CELL}) IN (SELECT {_CELL} FROM {gone})")
    db.execute(
        f"INSERT INTO main.stats_cube ({_CELL}, n) SELECT {_CELL}, n FROM {changed} WHERE true"
        " ON CONFLICT DO UPDATE SET n = excluded.n"
    )
    if "stats_versions" in rollup_parties.tables(db):
        top = db.execute("SELECT coalesce(max(v), 0) FROM stats_versions").fetchone()[0]
        db.execute(
            "INSERT INTO stats_versions (year, org_id, v) SELECT year, org_id, ? FROM"
            f" (SELECT year, org_id FROM {changed} UNION SELECT year, org_id FROM {gone}) WHERE true"
            " ON CONFLICT DO UPDATE SET v = excluded.v",
            [top + 1],
        )
    for table in (changed, gone, NEW_CELLS):
        db.execute(f"DROP TABLE {table}")


def _recount(x: str, versions: bool = True) -> str:
    """Trigger statements: recount incident ``x`` (an SQL expression) in the roll-up; with
    ``versions`` (the table exists), raise the versions of the parts it leaves and enters."""
    upsert = "ON CONFLICT DO UPDATE SET n = n + excluded.n"
    cells = f"SELECT {PART}, dimension, key, {{sign}}count(*) FROM stats_cells WHERE id = {x} GROUP BY 1, 2, 3, 4, 5"
    raised = _raise_versions(f"id = {x}") if versions else ""
    return f"""
    {raised}
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="-")} {upsert};
    DELETE FROM stats_cube WHERE n = 0 AND (year, org_id, department, dimension, key) IN
        (SELECT {PART}, dimension, key FROM stats_cells WHERE id = {x});
    DELETE FROM stats_facts WHERE id = {x};
    DELETE FROM stats_measure_facts WHERE incident_id = {x};
    INSERT INTO stats_facts SELECT * FROM stats_facts_now WHERE id = {x};
    INSERT INTO stats_measure_facts SELECT * FROM stats_measures_now WHERE incident_id = {x};
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="")} {upsert};
    {raised}
"""


def _count_new(x: str, versions: bool = True) -> str:
    """Trigger statements: count incident ``x`` that has no stored facts yet (a new report): its
    facts and cells are added, nothing is subtracted. Half the work of ``_recount`` (0.10 ms
    against 0.22 ms per insert), which every report pays inside the group's transaction."""
    cells = f"SELECT {PART}, dimension, key, count(*) FROM stats_cells WHERE id = {x} GROUP BY 1, 2, 3, 4, 5"
    raised = _raise_versions(f"id = {x}") if versions else ""
    upsert = "ON CONFLICT DO UPDATE SET n = n + excluded.n"
    return f"""
    INSERT INTO stats_facts SELECT * FROM stats_facts_now WHERE id = {x};
    INSERT INTO stats_measure_facts SELECT * FROM stats_measures_now WHERE incident_id = {x};
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells} {upsert};
    {raised}
"""


#: The columns of ``incidents`` the figures read: other updates (``updated_at``) recount nothing.
_INCIDENT_COLUMNS = (
    "year", "org_id", "department", "month", "incident_type", "status", "reported_at",
    "discovered_at", "aware_at", "repeat_of", "delay_reason", "delay_kind",
)  # fmt: skip
#: Source table -> its column naming the incident.
SOURCES = {
    "incidents": "id",
    "decisions": "incident_id",
    "assessments": "incident_id",
    "authority_notifications": "incident_id",
    "subject_notices": "incident_id",
    "public_notices": "incident_id",
    "incident_changes": "incident_id",
    "measures": "incident_id",
    "incident_parties": "incident_id",  # issue #16, from migration 0023
    "chain_members": "incident_id",  # issue #16, from migration 0027
    "incident_merges": "incident_id",  # issue #16, from migration 0026: a merge undone
}


def _party_triggers(versions: bool) -> dict[str, str]:
    """A party's kind decides whether its links count at all: a change of it recounts every
    incident linked to it (each link written again unchanged, so the per-row trigger of
    ``incident_parties`` recounts its incident by its id). Its agreed hours decide one fact
    only, ``proc_notice``: a change of them works out that fact again for the linked incidents
    and moves their ``proc_told`` cells, set-based (a processor with 1 708 links: 6.4 s as a
    full recount of each, which every other writer waited for)."""
    linked = "(SELECT incident_id FROM incident_parties WHERE party_id = NEW.id)"
    key, where = FACT_CELLS["proc_told"]
    parts = f"SELECT DISTINCT {PART} FROM stats_facts WHERE id IN {linked}"
    cells = (
        f"SELECT {PART}, 'proc_told', {key}, {{sign}}count(*) FROM stats_facts"
        f" WHERE id IN {linked} AND {where} GROUP BY 1, 2, 3, 4, 5"
    )
    upsert = "ON CONFLICT DO UPDATE SET n = n + excluded.n"
    raised = _raise_versions(f"id IN {linked}") if versions else ""
    # the fragment reads incident ``i``: here the row of stats_facts being updated (a trigger's
    # UPDATE takes no alias)
    notice = rollup_parties.FRAGMENTS["proc_notice"].replace(
        "l.incident_id = i.id", "l.incident_id = stats_facts.id"
    )
    assert "i.id" not in notice
    hours = f"""
    {raised}
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="-")} {upsert};
    DELETE FROM stats_cube WHERE n = 0 AND dimension = 'proc_told' AND ({PART}) IN ({parts});
    UPDATE stats_facts SET proc_notice = {notice} WHERE id IN {linked};
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="")} {upsert};
    """
    return {
        "stats_parties_kind": "CREATE TRIGGER stats_parties_kind AFTER UPDATE OF kind ON parties"
        " WHEN OLD.kind IS NOT NEW.kind BEGIN UPDATE incident_parties SET roles = roles WHERE party_id = NEW.id; END",
        "stats_parties_hours": "CREATE TRIGGER stats_parties_hours AFTER UPDATE OF notice_hours ON parties"
        f" WHEN OLD.notice_hours IS NOT NEW.notice_hours AND OLD.kind IS NEW.kind BEGIN {hours} END",
    }


def _triggers(columns: set[str], tables: set[str] | None = None) -> dict[str, str]:
    """name -> CREATE TRIGGER: every write to a source table recounts its incident (``columns``:
    those of ``incidents`` in this database; a migration installs before a later one adds some;
    ``tables``: the tables of this database, None for all of ``SOURCES``)."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _INCIDENT_COLUMNS if c in columns)
    versions = tables is None or "stats_versions" in tables
    made = {}
    if tables is None or {"parties", "incident_parties"} <= tables:
        made |= _party_triggers(versions)
    for table, column in SOURCES.items():
        if tables is not None and table not in tables:
            continue
        events = {
            "insert": ("INSERT", "", f"NEW.{column}"),
            "delete": ("DELETE", "", f"OLD.{column}"),
            "update": ("UPDATE", f"WHEN {changed}" if table == "incidents" else "", f"NEW.{column}"),
            # a row moved to another incident (never in the app): the old one loses it
            "moved": (f"UPDATE OF {column}", f"WHEN OLD.{column} IS NOT NEW.{column}", f"OLD.{column}"),
        }
        if table == "incidents":
            # a new incident has no stored facts to subtract (an id that has some, say a row
            # inserted again with the id of one deleted outside the app, is recounted in full).
            # Made before stats_incidents_insert: SQLite fires the newest trigger first, so that
            # one finds no facts for a new id and the lean one counts it, once
            # (tests/test_rollup.py::test_a_new_report_is_counted_once_by_the_lean_trigger_only)
            counted = "EXISTS (SELECT 1 FROM stats_facts WHERE id = NEW.id)"
            events["insert"] = ("INSERT", f"WHEN {counted}", "NEW.id")
            made["stats_incidents_new"] = (
                f"CREATE TRIGGER stats_incidents_new AFTER INSERT ON incidents WHEN NOT {counted}"
                f" BEGIN {_count_new('NEW.id', versions)} END"
            )
        for suffix, (event, when, incident) in events.items():
            name = f"stats_{table}_{suffix}"
            made[name] = (
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {when}"
                f" BEGIN {_recount(incident, versions)} END"
            )
    return made


def uninstall(db: Database) -> None:
    """Drop the views and triggers (a bulk load follows, then ``rebuild``); the tables stay."""
    for name in ("stats_cells", "stats_facts_now", "stats_measures_now"):
        db.execute(f"DROP VIEW IF EXISTS {name}")
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats\\_%' ESCAPE '\\'"
    ).fetchall():
        db.execute(f"DROP TRIGGER {name}")


def install(db: Database) -> None:
    """(Re)create the views and triggers with this version's definitions; the tables stay."""
    uninstall(db)
    db.execute(f"CREATE VIEW stats_facts_now AS {facts_now(db)}")
    db.execute(f"CREATE VIEW stats_measures_now AS {MEASURES_NOW}")
    db.execute(f"CREATE VIEW stats_cells AS {cells_sql('stats_facts', 'stats_measure_facts')}")
    present = rollup_parties.tables(db)
    for statement in _triggers({c.name for c in db["incidents"].columns}, present).values():
        db.execute(statement)
    if "stats_recounts" in present:  # migration 0031
        for statement in rollup_journal.triggers().values():
            db.execute(statement)


@contextmanager
def without_journal(db: Database) -> Iterator[None]:
    """Inside a write that puts whole tables of the roll-up in place: the journal's triggers
    (``rollup_journal``) are dropped until it is done. A table with triggers is emptied row by
    row and copied into row by row; the rows written here are counts, not changes of the
    sources, so no running recount misses anything."""
    made = rollup_journal.triggers() if "stats_recounts" in rollup_parties.tables(db) else {}
    for name in made:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    yield
    for statement in made.values():
        db.execute(statement)


def rebuild(db: Database) -> None:
    """Recount everything from the sources on this connection, inside the caller's write
    transaction: set-based, each incident's subqueries read once (``facts_into``), and the
    cells of all incidents added up at once (``rollup_tally.count_into``) and put in place
    where they differ (``put_cells``). The migrations count so; ``stats rebuild`` counts on
    every core (``rollup_recount.rebuild``)."""
    install(db)
    with without_journal(db), _roomy_cache(db):
        for table in ("stats_facts", "stats_measure_facts"):
            db.execute(f"DELETE FROM {table}")
        facts_into(db, "main.stats_facts")
        db.execute("INSERT INTO stats_measure_facts SELECT * FROM stats_measures_now")
        count_into(db, new_cells(db), "stats_facts", "stats_measure_facts")
        put_cells(db)


def summed_cells(parts: list[str]) -> str:
    """The cells of the ranges counted apart (schemas ``parts``), added up: an incident is in
    one range only, so the sums are the count of the whole. A cell whose sum is 0 is left out."""
    every = UNION.join(f"SELECT * FROM {part}.stats_cube" for part in parts)
    return (
        f"SELECT year, org_id, department, dimension, key, sum(n) FROM ({every})"
        " GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) != 0"
    )


@contextmanager
def _roomy_cache(db: Database, kib: int = 256 * 1024):
    """A larger page cache for one bulk count (this connection only), restored afterwards."""
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")


def facts_into(db: Database, table: str, where: str = "") -> None:
    """Every incident's facts into ``table`` (``where``: only the incidents ``i`` it selects):
    the raw subqueries once per incident into a temporary table, then the facts over it (the
    view inlines a subquery at every use)."""
    db.execute("DROP TABLE IF EXISTS temp.stats_raw")
    db.execute(f"CREATE TEMP TABLE stats_raw AS {raw_now(db)} {where}")
    db.execute(f"INSERT INTO {table} {facts_from(db, 'temp.stats_raw')}")
    db.execute("DROP TABLE temp.stats_raw")


def differences(
    db: Database, limit: int = 20, parts: list[str] | None = None, stored: str = "main.stats_cube"
) -> tuple[list[tuple], int]:
    """Cells where the roll-up differs from a fresh count over the sources: up to ``limit``
    (year, org_id, department, dimension, key, in the roll-up, counted now), and their number.
    ``parts``: the fresh count made in ranges on other connections (``rollup_recount``), else
    on this one; ``stored``: the roll-up's cells as they stood when that count's snapshot was
    fixed."""
    db.execute("DROP TABLE IF EXISTS temp.stats_verify_cube")
    db.execute(cell_table("temp.stats_verify_cube"))
    if parts:
        db.execute(f"INSERT INTO temp.stats_verify_cube {summed_cells(parts)}")
    else:
        _fresh_count(db)
    # a stored cell of 0 differs too: the roll-up never keeps one (its sum agrees, its row not)
    rows = db.execute(
        "SELECT year, org_id, department, dimension, key, sum(stored), sum(fresh) FROM ("
        f" SELECT year, org_id, department, dimension, key, n AS stored, 0 AS fresh, n = 0 AS zero FROM {stored}"
        " UNION ALL SELECT year, org_id, department, dimension, key, 0, n, 0 FROM temp.stats_verify_cube)"
        " GROUP BY 1, 2, 3, 4, 5 HAVING sum(stored) != sum(fresh) OR max(zero) ORDER BY 1, 2, 3, 4, 5"
    ).fetchall()
    db.execute("DROP TABLE temp.stats_verify_cube")
    return rows[:limit], len(rows)


def _fresh_count(db: Database) -> None:
    """A fresh count of every incident into ``temp.stats_verify_cube``, on this connection."""
    for table in ("stats_verify_facts", "stats_verify_measures"):
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    db.execute("CREATE TEMP TABLE stats_verify_facts AS SELECT * FROM stats_facts WHERE 0")
    facts_into(db, "temp.stats_verify_facts")
    db.execute(f"CREATE TEMP TABLE stats_verify_measures AS {MEASURES_NOW}")
    count_into(db, "temp.stats_verify_cube", "temp.stats_verify_facts", "temp.stats_verify_measures")
    for table in ("stats_verify_facts", "stats_verify_measures"):
        db.execute(f"DROP TABLE temp.{table}")
