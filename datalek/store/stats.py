"""SQL for the dashboard and the yearly report: counts only, never rows or free text.

Every figure comes from one roll-up table, ``stats_cube``: counts per year, organisation,
department, dimension and key. ``refresh`` rebuilds it in one ``BEGIN IMMEDIATE``
transaction when the source tables changed since the last build (a new report, a decision,
an AP notification, a measure...): only the partitions (year, organisation, department)
holding a changed incident are recounted. Reading the dashboard is then a single indexed
range query over a few thousand rows, whatever the number of incidents. Whether anything
changed is seen from high-water marks (``max(id)``, ``max(updated_at)``) on indexed columns.

Dimensions (``key`` in brackets):

* ``total`` ('') reports; ``month`` ('01'..'12', Dutch clock); ``type`` (incident type);
* ``breach`` / ``notified`` / ``within72`` / ``informed`` / ``late_report`` / ``open`` /
  ``repeat`` (''): incidents with that property (see ``_FLAGS``);
* ``risk`` (risk level of the latest assessment, '_none' without one); ``data`` (data
  categories of the latest assessment); ``nature`` (confidentiality, integrity, availability);
* ``notify_hours`` / ``decision_hours`` (whole hours, rounded down): distributions;
* ``measures`` / ``measures_open`` / ``measures_overdue`` / ``preventive`` /
  ``preventive_done`` (''): measures of the year's incidents, open and overdue judged at
  the end of that year, or today for the current year (so a finished year's report stays
  the same; ``refresh`` redoes only these rows when just the date moved on).
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from datalek import clock
from datalek.store import write

#: High-water marks of the source tables. Decisions, assessments, notifications and notices
#: are only ever appended; incidents and measures move their ``updated_at`` when changed
#: (also when ``repeat_of`` changes: a new report, or the FG correcting the type). A notice or
#: measure corrected or withdrawn adds a row to ``corrections``, whose ``max(id)`` is a mark
#: too (the clock may not have moved since). A bulk change that does not (demo data) forgets
#: the roll-up instead: ``forget``.
_MARKS = """
SELECT
 (SELECT max(id) FROM incidents), (SELECT max(updated_at) FROM incidents),
 (SELECT count(*) FROM incidents WHERE repeat_of IS NOT NULL),
 (SELECT max(id) FROM decisions), (SELECT max(id) FROM assessments),
 (SELECT max(id) FROM authority_notifications), (SELECT max(id) FROM subject_notices),
 (SELECT max(id) FROM public_notices), (SELECT max(id) FROM measures),
 (SELECT max(updated_at) FROM measures), (SELECT max(id) FROM corrections)
"""

#: Incidents touched since the marks ``?1..?11`` (same order as ``_MARKS``).
_CHANGED = """
SELECT id FROM incidents WHERE id > coalesce(?1, 0) OR updated_at > coalesce(?2, '')
UNION SELECT incident_id FROM decisions WHERE id > coalesce(?4, 0)
UNION SELECT incident_id FROM assessments WHERE id > coalesce(?5, 0)
UNION SELECT incident_id FROM authority_notifications WHERE id > coalesce(?6, 0)
UNION SELECT incident_id FROM subject_notices WHERE id > coalesce(?7, 0)
UNION SELECT incident_id FROM public_notices WHERE id > coalesce(?8, 0)
UNION SELECT incident_id FROM measures WHERE id > coalesce(?9, 0) OR updated_at > coalesce(?10, '')
UNION SELECT incident_id FROM corrections WHERE id > coalesce(?11, 0)
"""

#: One row per incident with everything the figures need; dropped after the build.
_FACTS = """
CREATE TEMP TABLE stats_facts AS
WITH latest_decision AS (
    SELECT incident_id, kind FROM (
        SELECT incident_id, kind, row_number() OVER (
            PARTITION BY incident_id ORDER BY decided_at DESC, id DESC) AS rn
        FROM decisions WHERE incident_id IN temp.stats_scope) WHERE rn = 1
), first_decision AS (
    SELECT incident_id, min(decided_at) AS at FROM decisions
    WHERE incident_id IN temp.stats_scope GROUP BY incident_id
), latest_assessment AS (
    SELECT incident_id, risk, facts FROM (
        SELECT incident_id, risk, facts, row_number() OVER (
            PARTITION BY incident_id ORDER BY version DESC) AS rn
        FROM assessments WHERE incident_id IN temp.stats_scope) WHERE rn = 1
), notified AS (
    SELECT incident_id, min(submitted_at) AS at FROM authority_notifications
    WHERE kind = 'initial' AND incident_id IN temp.stats_scope
      AND incident_id NOT IN (SELECT incident_id FROM authority_notifications
                              WHERE kind = 'withdrawal')
    GROUP BY incident_id
), informed AS (
    SELECT incident_id FROM subject_notices
    WHERE incident_id IN temp.stats_scope AND withdrawn_at IS NULL
    UNION SELECT incident_id FROM public_notices WHERE incident_id IN temp.stats_scope
)
SELECT i.id, i.year, i.org_id, i.department, i.month, i.incident_type, i.status,
    round((julianday(i.reported_at) - julianday(i.discovered_at)) * 24, 3) > 24 AS late_report,
    i.repeat_of IS NOT NULL AS is_repeat,
    i.status IN ('reported', 'in_progress', 'decided') AS is_open,
    coalesce(ld.kind = 'breach', 0) AS breach,
    max(0, round((julianday(fd.at) - julianday(i.reported_at)) * 24, 3)) AS decision_hours,
    n.at IS NOT NULL AS notified,
    -- judged from the awareness as it stood when the AP was notified (a later change of the
    -- moment never makes a late notification timely: datalek.handling.moments.judged_from)
    max(0, round((julianday(n.at) - julianday(coalesce(
        (SELECT c.old_value FROM incident_changes c WHERE c.incident_id = i.id
         AND c.field = 'aware_at' AND c.after_notification ORDER BY c.id LIMIT 1),
        i.aware_at))) * 24, 3)) AS notify_hours,
    inf.incident_id IS NOT NULL AS informed,
    la.risk AS risk, la.facts AS facts
FROM incidents i
LEFT JOIN latest_decision ld ON ld.incident_id = i.id
LEFT JOIN first_decision fd ON fd.incident_id = i.id
LEFT JOIN latest_assessment la ON la.incident_id = i.id
LEFT JOIN notified n ON n.incident_id = i.id
LEFT JOIN informed inf ON inf.incident_id = i.id
WHERE i.id IN temp.stats_scope
"""

_GROUP = "year, org_id, department"
#: Distributions of hours stop here: a median of "240" reads "240 hours or more".
HOURS_CAP = 240

#: dimension -> (key expression, filter) over ``stats_facts``.
_SIMPLE = {
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


def forget(db: Database) -> None:
    """Make the next dashboard view rebuild the roll-up from scratch."""
    db.execute("DELETE FROM stats_state")


def marks(db: Database) -> list:
    return list(db.execute(_MARKS).fetchone())


def _state(db: Database) -> tuple[list, str] | None:
    row = db.execute("SELECT fingerprint FROM stats_state WHERE id = 1").fetchone()
    if row is None:
        return None
    saved, today = row[0].rsplit("@", 1)
    return json.loads(saved), today


def is_current(db: Database, today: str) -> bool:
    return _state(db) == (marks(db), today)


def refresh(db: Database, today: str) -> str:
    """Bring the roll-up up to date for ``today`` (ISO date, Dutch clock). Returns what was
    done: '' (nothing), 'parts' (only the departments whose incidents changed since the
    last build), 'all' (everything), or 'measures' (only the measures: the date moved on)."""
    if is_current(db, today):
        return ""
    with write(db):
        current, state = marks(db), _state(db)
        if state == (current, today):
            return ""  # another session brought it up to date while we waited for the lock
        done = "measures"
        if state is None:
            done = _rebuild(db, None, today)
        elif state[0] != current:  # marks of another shape (an older version): rebuild all
            done = _rebuild(db, state[0] if len(state[0]) == len(current) else None, today)
        if state is not None and state[1] != today:
            _rebuild_measures(db, today, scoped=False)
        db.execute(
            "INSERT OR REPLACE INTO stats_state (id, fingerprint, built_at) VALUES (1, ?, ?)",
            [f"{json.dumps(current)}@{today}", clock.to_iso(clock.now())],
        )
    return done


def _rebuild(db: Database, since: list | None, today: str) -> str:
    """Recompute the partitions (year, organisation, department) with an incident changed
    since the marks ``since`` (None: all). A department can change too, leaving the old
    partition one short: the totals per year and organisation are checked against the
    incidents table, and a mismatch means a full rebuild."""
    for table in ("stats_parts", "stats_scope", "stats_facts"):
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    db.execute(
        "CREATE TEMP TABLE stats_parts (year INTEGER, org_id INTEGER, department TEXT,"
        " PRIMARY KEY (year, org_id, department))"
    )
    db.execute("CREATE TEMP TABLE stats_scope (id INTEGER PRIMARY KEY)")
    if since is None:
        db.execute("DELETE FROM stats_cube")
        db.execute("INSERT INTO temp.stats_scope SELECT id FROM incidents")
    else:
        db.execute(
            "INSERT INTO temp.stats_parts SELECT DISTINCT year, org_id, department"
            f" FROM incidents WHERE id IN ({_CHANGED})",
            since,
        )
        db.execute(
            "DELETE FROM stats_cube WHERE (year, org_id, department) IN"
            " (SELECT year, org_id, department FROM temp.stats_parts)"
        )
        db.execute(
            "INSERT INTO temp.stats_scope SELECT i.id FROM temp.stats_parts p"
            " JOIN incidents i ON i.org_id = p.org_id AND i.year = p.year"
            " AND i.department = p.department"
        )
    _fill(db)
    _rebuild_measures(db, today, scoped=True)
    if since is not None and _mismatch(db):
        return _rebuild(db, None, today)
    return "all" if since is None else "parts"


def _mismatch(db: Database) -> bool:
    rows = db.execute(
        "SELECT (SELECT coalesce(sum(n), 0) FROM stats_cube c WHERE c.year = p.year"
        "  AND c.org_id = p.org_id AND c.dimension = 'total'),"
        " (SELECT count(*) FROM incidents i WHERE i.org_id = p.org_id AND i.year = p.year)"
        " FROM (SELECT DISTINCT year, org_id FROM temp.stats_parts) p"
    ).fetchall()
    return any(a != b for a, b in rows)


def _fill(db: Database) -> None:
    """Count the incidents in ``temp.stats_scope`` into the roll-up."""
    db.execute(_FACTS)
    insert = f"INSERT INTO stats_cube (year, org_id, department, dimension, key, n) SELECT {_GROUP}"
    for dimension, (key, where) in _SIMPLE.items():
        db.execute(
            f"{insert}, '{dimension}', {key}, count(*) FROM temp.stats_facts WHERE {where}"
            f" GROUP BY {_GROUP}, {key}"
        )
    for dimension, path in (("data", "$.data_categories"), ("nature", "$.natures")):
        db.execute(
            f"{insert}, '{dimension}', coalesce(j.value, '_none'), count(*)"
            f" FROM temp.stats_facts f LEFT JOIN json_each(f.facts, '{path}') j"
            f" GROUP BY {_GROUP}, coalesce(j.value, '_none')"
        )
    db.execute("DROP TABLE temp.stats_facts")


_MEASURES = """
INSERT INTO stats_cube (year, org_id, department, dimension, key, n)
SELECT year, org_id, department, code, '', CASE code WHEN 'measures' THEN measures
    WHEN 'measures_open' THEN measures_open WHEN 'measures_overdue' THEN measures_overdue
    WHEN 'preventive' THEN preventive ELSE preventive_done END FROM (
    SELECT year, org_id, department,
        count(*) AS measures,
        sum(is_open) AS measures_open,
        sum(is_open AND due_on < as_of) AS measures_overdue,
        sum(kind = 'preventive') AS preventive,
        sum(kind = 'preventive' AND status = 'done' AND coalesce(done_on, as_of) <= as_of)
            AS preventive_done
    FROM (
        SELECT i.year, i.org_id, i.department, m.kind, m.status, substr(m.due_on, 1, 10) AS due_on,
            substr(m.done_on, 1, 10) AS done_on, min(:today, i.year || '-12-31') AS as_of,
            m.status IN ('planned', 'in_progress') OR (m.status = 'done'
                AND coalesce(substr(m.done_on, 1, 10), '') > min(:today, i.year || '-12-31'))
                AS is_open
        FROM measures m JOIN incidents i ON i.id = m.incident_id AND m.withdrawn_at IS NULL {where}
    )
    GROUP BY year, org_id, department
), (SELECT 'measures' AS code UNION ALL SELECT 'measures_open' UNION ALL
    SELECT 'measures_overdue' UNION ALL SELECT 'preventive' UNION ALL SELECT 'preventive_done')
"""


def _rebuild_measures(db: Database, today: str, scoped: bool) -> None:
    """Measures of each year's incidents (of the partitions in ``temp.stats_scope`` when
    ``scoped``), judged open and overdue at the end of that year, or ``today`` for the
    current year; inside the caller's write transaction."""
    codes = "('measures', 'measures_open', 'measures_overdue', 'preventive', 'preventive_done')"
    if scoped:
        db.execute(
            f"DELETE FROM stats_cube WHERE dimension IN {codes} AND (year, org_id,"
            " department) IN (SELECT year, org_id, department FROM temp.stats_parts)"
        )
        where = "WHERE m.incident_id IN temp.stats_scope"
    else:
        db.execute(f"DELETE FROM stats_cube WHERE dimension IN {codes}")
        where = ""
    db.execute(_MEASURES.replace("{where}", where), {"today": today})


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def cube(db: Database, org_ids: list[int], years: list[int]) -> list[tuple]:
    """(year, org_id, department, dimension, key, n) rows for these organisations and years."""
    return db.execute(
        "SELECT year, org_id, department, dimension, key, n FROM stats_cube"
        f" WHERE year IN ({_marks(years)}) AND org_id IN ({_marks(org_ids)})",
        [*years, *org_ids],
    ).fetchall()


def years(db: Database, org_ids: list[int]) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT year FROM stats_cube WHERE dimension = 'total'"
            f" AND org_id IN ({_marks(org_ids)}) ORDER BY year DESC",
            org_ids,
        )
    ]


def baseline(db: Database, org_ids: list[int], year: int) -> list[tuple]:
    """The plain ``GROUP BY`` on the incidents table the benchmarks compare against."""
    return db.execute(
        "SELECT org_id, department, incident_type, count(*) FROM incidents"
        f" WHERE year = ? AND org_id IN ({_marks(org_ids)}) GROUP BY 1, 2, 3",
        [year, *org_ids],
    ).fetchall()
