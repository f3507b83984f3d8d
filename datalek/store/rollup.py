"""The roll-up behind the dashboard, maintained inside every write that changes its sources.

``stats_cube`` holds counts per (year, organisation, department, dimension, key). Each incident
contributes a fixed set of cells, derived from one row of ``stats_facts`` (its figures) and the
rows of ``stats_measure_facts`` (its measures): ``stats_cells`` lists them. SQLite triggers on
every source table (incidents, decisions, assessments, AP notifications, notices, measures, the
changes of the moments) recompute the touched incident in the same transaction: subtract the
cells of its stored facts, store its facts as they are now, add their cells. The subtraction is
exact because the stored facts are exactly what was added, so a reader never writes and never
waits, and a change made with plain SQL or by another process is followed as well.

Time: every figure but three is fixed by the stored rows. Measures open, overdue and the
preventive ones done are judged on a day (the end of the year, today for the current year), so
their cells are keyed by date (``m:*`` dimensions, see ``_MEASURE_CELLS``) and the reader sums
them up to that day (``datalek.store.stats.cube``): the roll-up never goes stale when the date
moves on.

``rebuild`` recounts everything from the sources (``python -m datalek stats rebuild``);
``verify`` compares the roll-up with a fresh count over the same definitions.
"""

from __future__ import annotations

from sqlite_utils import Database

#: An incident's facts as the sources say now; ``WHERE id = ?`` reads a handful of index rows.
FACTS_NOW = """
SELECT id, year, org_id, department, month, incident_type, status, late_report, is_repeat,
    is_open, breach,
    max(0, round((julianday(first_decided) - julianday(reported_at)) * 24, 3)) AS decision_hours,
    notified_at IS NOT NULL AS notified,
    -- judged from the awareness as it stood when the AP was notified (a later change of the
    -- moment never makes a late notification timely: datalek.handling.moments.judged_from)
    max(0, round((julianday(notified_at) - julianday(coalesce(aware_before, aware_at))) * 24, 3))
        AS notify_hours,
    informed, risk, data, nature
FROM (SELECT i.id, i.year, i.org_id, i.department, i.month, i.incident_type, i.status,
    i.reported_at, i.aware_at,
    round((julianday(i.reported_at) - julianday(i.discovered_at)) * 24, 3) > 24 AS late_report,
    i.repeat_of IS NOT NULL AS is_repeat,
    i.status IN ('reported', 'in_progress', 'decided') AS is_open,
    coalesce((SELECT d.kind = 'breach' FROM decisions d WHERE d.incident_id = i.id
              ORDER BY d.decided_at DESC, d.id DESC LIMIT 1), 0) AS breach,
    (SELECT min(d.decided_at) FROM decisions d WHERE d.incident_id = i.id) AS first_decided,
    CASE WHEN NOT EXISTS (SELECT 1 FROM authority_notifications w
                          WHERE w.incident_id = i.id AND w.kind = 'withdrawal')
         THEN (SELECT min(a.submitted_at) FROM authority_notifications a
               WHERE a.incident_id = i.id AND a.kind = 'initial') END AS notified_at,
    (SELECT c.old_value FROM incident_changes c WHERE c.incident_id = i.id
     AND c.field = 'aware_at' AND c.after_notification ORDER BY c.id LIMIT 1) AS aware_before,
    EXISTS (SELECT 1 FROM subject_notices s WHERE s.incident_id = i.id AND s.withdrawn_at IS NULL)
        OR EXISTS (SELECT 1 FROM public_notices p WHERE p.incident_id = i.id) AS informed,
    (SELECT a.risk FROM assessments a WHERE a.incident_id = i.id
     ORDER BY a.version DESC LIMIT 1) AS risk,
    (SELECT a.facts -> '$.data_categories' FROM assessments a WHERE a.incident_id = i.id
     ORDER BY a.version DESC LIMIT 1) AS data,
    (SELECT a.facts -> '$.natures' FROM assessments a WHERE a.incident_id = i.id
     ORDER BY a.version DESC LIMIT 1) AS nature
    FROM incidents i)
"""

#: The measures that count (not withdrawn), with the partition of their incident.
MEASURES_NOW = """
SELECT m.id, m.incident_id, i.year, i.org_id, i.department, m.kind, m.status,
    substr(m.due_on, 1, 10) AS due_on, substr(m.done_on, 1, 10) AS done_on
FROM measures m JOIN incidents i ON i.id = m.incident_id WHERE m.withdrawn_at IS NULL
"""

#: Distributions of hours stop here: a median of "240" reads "240 hours or more".
HOURS_CAP = 240

#: dimension -> (key expression, filter) over one incident's facts.
_FACT_CELLS = {
    "total": ("''", "1"),
    "month": ("printf('%02d', month)", "1"),
    "type": ("incident_type", "1"),
    "status": ("status", "1"),
    "risk": ("coalesce(risk, '_none')", "1"),
    "breach": ("''", "breach"),
    "notified": ("''", "notified"),
    "within72": ("''", "notified AND notify_hours <= 72"),
    "informed": ("''", "informed"),
    "late_report": ("''", "late_report"),
    "open": ("''", "is_open"),
    "repeat": ("''", "is_repeat"),
    "notify_hours": (f"min({HOURS_CAP}, CAST(notify_hours AS INTEGER))", "notified"),
    "decision_hours": (f"min({HOURS_CAP}, CAST(decision_hours AS INTEGER))", "decision_hours IS NOT NULL"),
}
_OPEN, _DONE = "status IN ('planned', 'in_progress')", "status = 'done' AND coalesce(done_on, '') != ''"
_LATE = f"{_DONE} AND due_on < done_on"
#: dimension -> (key expression, filter) over one measure. A measure is open on day D when
#: planned or in progress, or done after D; overdue when open and due before D; a preventive
#: one is done on D when done on or before D (or done without a date). Keyed by date, the
#: reader counts them for any day (``DATED``):
#: open(D) = m:open + #(m:done_on > D); overdue(D) = #(m:open_due < D) + #(m:late_due < D)
#: - #(m:late_done <= D) (a late one done by D was due before D); preventive_done(D) =
#: #(m:prev_done <= D).
_MEASURE_CELLS = {
    "measures": ("''", "1"),
    "preventive": ("''", "kind = 'preventive'"),
    "m:open": ("''", _OPEN),
    "m:open_due": ("due_on", f"{_OPEN} AND due_on IS NOT NULL"),
    "m:done_on": ("done_on", _DONE),
    "m:late_due": ("due_on", _LATE),
    "m:late_done": ("done_on", _LATE),
    "m:prev_done": ("coalesce(done_on, '')", "kind = 'preventive' AND status = 'done'"),
}
#: figure -> [(dimension, comparison of its key with the day, sign)], for ``stats.cube``.
DATED = {
    "measures_open": [("m:open", "1", 1), ("m:done_on", "key > :day", 1)],
    "measures_overdue": [
        ("m:open_due", "key < :day", 1),
        ("m:late_due", "key < :day", 1),
        ("m:late_done", "key <= :day", -1),
    ],
    "preventive_done": [("m:prev_done", "key <= :day", 1)],
}
_PART = "year, org_id, department"


def cells_sql(facts: str, measures: str) -> str:
    """Every cell of every incident in ``facts`` / ``measures``: (id, part, dimension, key)."""
    parts = [
        f"SELECT id, {_PART}, '{dim}' AS dimension, {key} AS key FROM {facts} WHERE {where}"
        for dim, (key, where) in _FACT_CELLS.items()
    ]
    for dim, path in (("data", "data"), ("nature", "nature")):
        parts.append(
            f"SELECT f.id, f.year, f.org_id, f.department, '{dim}', coalesce(j.value, '_none')"
            f" FROM {facts} f LEFT JOIN json_each(f.{path}) j"
        )
    parts += [
        f"SELECT incident_id, {_PART}, '{dim}', {key} FROM {measures} WHERE {where}"
        for dim, (key, where) in _MEASURE_CELLS.items()
    ]
    return "\nUNION ALL ".join(parts)


_COLUMNS = (
    "id INTEGER PRIMARY KEY, year INTEGER NOT NULL, org_id INTEGER NOT NULL, department TEXT NOT NULL,"
    " month INTEGER, incident_type TEXT, status TEXT, late_report INTEGER, is_repeat INTEGER,"
    " is_open INTEGER, breach INTEGER, decision_hours REAL, notified INTEGER, notify_hours REAL,"
    " informed INTEGER, risk TEXT, data TEXT, nature TEXT"
)
_MEASURE_COLUMNS = (
    "id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL, year INTEGER NOT NULL,"
    " org_id INTEGER NOT NULL, department TEXT NOT NULL, kind TEXT, status TEXT, due_on TEXT,"
    " done_on TEXT"
)

TABLES = f"""
CREATE TABLE stats_facts ({_COLUMNS});
CREATE TABLE stats_measure_facts ({_MEASURE_COLUMNS});
CREATE INDEX stats_measure_facts_incident ON stats_measure_facts (incident_id);
CREATE TABLE stats_cube (
    year INTEGER NOT NULL, org_id INTEGER NOT NULL, department TEXT NOT NULL,
    dimension TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
    UNIQUE (year, org_id, department, dimension, key)
);
"""


def _recount(x: str) -> str:
    """Trigger statements: recount incident ``x`` (an SQL expression) in the roll-up."""
    upsert = "ON CONFLICT DO UPDATE SET n = n + excluded.n"
    cells = f"SELECT {_PART}, dimension, key, {{sign}}count(*) FROM stats_cells WHERE id = {x} GROUP BY 1, 2, 3, 4, 5"
    return f"""
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="-")} {upsert};
    DELETE FROM stats_cube WHERE n = 0 AND (year, org_id, department, dimension, key) IN
        (SELECT {_PART}, dimension, key FROM stats_cells WHERE id = {x});
    DELETE FROM stats_facts WHERE id = {x};
    DELETE FROM stats_measure_facts WHERE incident_id = {x};
    INSERT INTO stats_facts SELECT * FROM stats_facts_now WHERE id = {x};
    INSERT INTO stats_measure_facts SELECT * FROM stats_measures_now WHERE incident_id = {x};
    INSERT INTO stats_cube (year, org_id, department, dimension, key, n) {cells.format(sign="")} {upsert};
"""


#: The columns of ``incidents`` the figures read: other updates (``updated_at``) recount nothing.
_INCIDENT_COLUMNS = (
    "year", "org_id", "department", "month", "incident_type", "status", "reported_at",
    "discovered_at", "aware_at", "repeat_of",
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
}


def _triggers() -> dict[str, str]:
    """name -> CREATE TRIGGER: every write to a source table recounts its incident."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _INCIDENT_COLUMNS)
    made = {}
    for table, column in SOURCES.items():
        events = {
            "insert": ("INSERT", "", f"NEW.{column}"),
            "delete": ("DELETE", "", f"OLD.{column}"),
            "update": ("UPDATE", f"WHEN {changed}" if table == "incidents" else "", f"NEW.{column}"),
            # a row moved to another incident (never in the app): the old one loses it
            "moved": (f"UPDATE OF {column}", f"WHEN OLD.{column} IS NOT NEW.{column}", f"OLD.{column}"),
        }
        for suffix, (event, when, incident) in events.items():
            name = f"stats_{table}_{suffix}"
            made[name] = (
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {when} BEGIN {_recount(incident)} END"
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
    db.execute(f"CREATE VIEW stats_facts_now AS {FACTS_NOW}")
    db.execute(f"CREATE VIEW stats_measures_now AS {MEASURES_NOW}")
    db.execute(f"CREATE VIEW stats_cells AS {cells_sql('stats_facts', 'stats_measure_facts')}")
    for statement in _triggers().values():
        db.execute(statement)


def rebuild(db: Database) -> None:
    """Recount everything from the sources, inside the caller's write transaction."""
    install(db)
    for table in ("stats_cube", "stats_facts", "stats_measure_facts"):
        db.execute(f"DELETE FROM {table}")
    db.execute("INSERT INTO stats_facts SELECT * FROM stats_facts_now")
    db.execute("INSERT INTO stats_measure_facts SELECT * FROM stats_measures_now")
    db.execute(_GROUPED.format(into="stats_cube", cells="stats_cells"))


_GROUPED = (
    "INSERT INTO {into} (year, org_id, department, dimension, key, n)"
    " SELECT year, org_id, department, dimension, key, count(*) FROM ({cells})"
    " GROUP BY 1, 2, 3, 4, 5"
)


def differences(db: Database, limit: int = 20) -> tuple[list[tuple], int]:
    """Cells where the roll-up differs from a fresh count over the sources: up to ``limit``
    (year, org_id, department, dimension, key, in the roll-up, counted now), and their number."""
    for table in ("stats_verify_facts", "stats_verify_measures", "stats_verify_cube"):
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    db.execute(f"CREATE TEMP TABLE stats_verify_facts AS {FACTS_NOW}")
    db.execute(f"CREATE TEMP TABLE stats_verify_measures AS {MEASURES_NOW}")
    db.execute(
        "CREATE TEMP TABLE stats_verify_cube (year INTEGER, org_id INTEGER, department TEXT,"
        " dimension TEXT, key TEXT, n INTEGER,"
        " PRIMARY KEY (year, org_id, department, dimension, key)) WITHOUT ROWID"
    )
    fresh = cells_sql("temp.stats_verify_facts", "temp.stats_verify_measures")
    db.execute(_GROUPED.format(into="temp.stats_verify_cube", cells=fresh))
    rows = db.execute(
        "SELECT year, org_id, department, dimension, key, sum(stored), sum(fresh) FROM ("
        " SELECT year, org_id, department, dimension, key, n AS stored, 0 AS fresh FROM main.stats_cube"
        " UNION ALL SELECT year, org_id, department, dimension, key, 0, n FROM temp.stats_verify_cube)"
        " GROUP BY 1, 2, 3, 4, 5 HAVING sum(stored) != sum(fresh) ORDER BY 1, 2, 3, 4, 5"
    ).fetchall()
    for table in ("stats_verify_facts", "stats_verify_measures", "stats_verify_cube"):
        db.execute(f"DROP TABLE temp.{table}")
    return rows[:limit], len(rows)
