"""SQL for the dashboard and the yearly report: counts only, never rows or free text.

Every figure comes from one roll-up table, ``stats_cube``: counts per year, organisation,
department, dimension and key, kept up to date inside every write that changes an incident
(``datalek.store.rollup``: triggers on the source tables). Reading the dashboard is an indexed
range query over a few thousand rows per year and organisation (``cube_part``), whatever the
number of incidents, and only for the parts whose version moved (``versions``,
``datalek.insight.rollup_rows``); it never writes and never waits for a writer (WAL).

Dimensions (``key`` in brackets):

* ``total`` ('') reports; ``month`` ('01'..'12', Dutch clock); ``outcome`` (breach, the
  kinds of not-a-breach, duplicate, undecided: the latest decision);
* ``notification`` (none, withdrawn, on_time, late, bad: a time that cannot be);
  ``notify_bucket`` (h24 .. more) and ``late_reason`` (a fixed group) of the notified ones;
* ``informed`` / ``late_report`` / ``repeat`` / ``open`` / ``bad_time`` (''): reports with
  that property;
* of the breaches only: ``type``, ``risk`` ('_none' without one), ``people`` (a range),
  ``data`` and ``nature`` (every category of the latest assessment), and the flags
  ``minors`` / ``special`` / ``bsn`` / ``youth_file`` / ``processor`` (a processor caused it:
  the recorded involvement), ``proc`` (party id: per processor that caused it) and ``proc_told``
  (on_time, late: the processors told us within the agreed hours);
* ``chain`` (''): reports in a chain of incidents (issue #16);
* ``notify_hours`` / ``decision_hours`` / ``proc_delay_hours`` (whole hours, rounded down; the
  last from a processor's awareness to ours), ``inform_days`` and
  ``people_n`` (the number of people of each breach): distributions;
* ``measures`` (''): measures of the year's incidents; ``measure`` ('kind|state'): each one
  judged at the end of that year, or today for the current year (so a finished year's report
  stays the same), from cells keyed by date (``rollup_facts.MEASURE_STATE``).
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.store import rollup_facts, rollup_recount

HOURS_CAP = rollup_facts.HOURS_CAP
DAYS_CAP = rollup_facts.DAYS_CAP


def rebuild(db: Database) -> None:
    """Recount the whole roll-up from the sources (``datalek stats rebuild``), the incidents
    counted in ranges on every core while reports are saved (``rollup_recount``)."""
    rollup_recount.rebuild(db)


def differences(db: Database, limit: int = 20) -> tuple[list[tuple], int]:
    """The cells where the roll-up differs from a fresh count (``rollup.differences``), read in
    one snapshot, the fresh count made on every core (``rollup_recount``)."""
    return rollup_recount.differences(db, limit)


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _ints(values: list[int]) -> str:
    """An IN list of integers, written out (ids and years only, never text)."""
    return ",".join(str(int(v)) for v in values) or "NULL"


def _cube_sql(where: str) -> str:
    kind = "CASE substr(dimension, 3, 1) WHEN 'p' THEN 'preventive' ELSE 'other' END"
    state = rollup_facts.MEASURE_STATE.replace(":day", "min(:today, year || '-12-31')")
    return (
        f"SELECT year, org_id, department, dimension, key, n FROM stats_cube WHERE {where}"
        " AND dimension NOT LIKE 'm:%'"
        f" UNION ALL SELECT year, org_id, department, 'measure', {kind} || '|' || {state}, sum(n)"
        f" FROM stats_cube WHERE {where} AND dimension LIKE 'm:%' GROUP BY 1, 2, 3, 4, 5"
    )


def cube(db: Database, org_ids: list[int], years: list[int], today: date | None = None) -> list[tuple]:
    """(year, org_id, department, dimension, key, n) rows for these organisations and years;
    measures as ('measure', 'kind|state') judged at the end of each year, or ``today``
    (default: the Dutch clock's)."""
    where = f"year IN ({_ints(years)}) AND org_id IN ({_ints(org_ids)})"
    return db.execute(_cube_sql(where), {"today": (today or clock.today()).isoformat()}).fetchall()


def cube_part(db: Database, org_id: int, year: int, today: date) -> list[tuple]:
    """``cube``'s rows of one organisation and year, in the same order."""
    where = f"year = {int(year)} AND org_id = {int(org_id)}"
    return db.execute(_cube_sql(where), {"today": today.isoformat()}).fetchall()


def versions(db: Database, org_ids: list[int], years: list[int]) -> dict[tuple[int, int], int]:
    """(year, organisation id) -> the version of that part of the roll-up (``rollup.VERSIONS``);
    a part without facts has none."""
    return {
        (y, o): v
        for y, o, v in db.execute(
            f"SELECT year, org_id, v FROM stats_versions WHERE year IN ({_ints(years)})"
            f" AND org_id IN ({_ints(org_ids)})"
        ).fetchall()
    }


def small_numbers(db: Database, org_ids: list[int]) -> dict[int, int]:
    """organisation id -> its ``small_number`` (the threshold of its figures)."""
    return dict(
        db.execute(f"SELECT id, small_number FROM organisations WHERE id IN ({_ints(org_ids)})").fetchall()
    )


def organisation_names(db: Database, org_ids: list[int]) -> dict[int, str]:
    return dict(db.execute(f"SELECT id, name FROM organisations WHERE id IN ({_ints(org_ids)})").fetchall())


def processor_names(db: Database, org_ids: list[int]) -> dict[str, tuple[int, str]]:
    """party id (as the roll-up keys it) -> (organisation id, name) of the organisations'
    processors, ended ones included (a name of a company, not of a person)."""
    return {
        str(i): (o, name)
        for i, o, name in db.execute(
            f"SELECT id, org_id, name FROM parties WHERE kind = 'processor' AND org_id IN ({_ints(org_ids)})"
        ).fetchall()
    }


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
