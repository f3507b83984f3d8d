"""SQL for the dashboard and the yearly report: counts only, never rows or free text.

Every figure comes from one roll-up table, ``stats_cube``: counts per year, organisation,
department, dimension and key, kept up to date inside every write that changes an incident
(``datalek.store.rollup``: triggers on the source tables). Reading the dashboard is a single
indexed range query over a few thousand rows, whatever the number of incidents; it never
writes and never waits for a writer (WAL).

Dimensions (``key`` in brackets):

* ``total`` ('') reports; ``month`` ('01'..'12', Dutch clock); ``type`` (incident type);
  ``status``;
* ``breach`` / ``notified`` / ``within72`` / ``informed`` / ``late_report`` / ``open`` /
  ``repeat`` (''): incidents with that property;
* ``risk`` (risk level of the latest assessment, '_none' without one); ``data`` (data
  categories of the latest assessment); ``nature`` (confidentiality, integrity, availability);
* ``notify_hours`` / ``decision_hours`` (whole hours, rounded down): distributions;
* ``measures`` / ``preventive`` (''): measures of the year's incidents; ``measures_open`` /
  ``measures_overdue`` / ``preventive_done`` (''): the same judged at the end of that year, or
  today for the current year (so a finished year's report stays the same), summed by ``cube``
  from cells keyed by date (``rollup.DATED``).
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from datalek import clock
from datalek.store import rollup, write

HOURS_CAP = rollup.HOURS_CAP


def rebuild(db: Database) -> None:
    """Recount the whole roll-up from the sources in one write (``datalek stats rebuild``)."""
    with write(db):
        rollup.rebuild(db)


def differences(db: Database, limit: int = 20) -> tuple[list[tuple], int]:
    """The cells where the roll-up differs from a fresh count (``rollup.differences``), read in
    one snapshot."""
    with write(db):  # temp tables only; BEGIN IMMEDIATE keeps writers out while counting
        return rollup.differences(db, limit)


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _ints(values: list[int]) -> str:
    """An IN list of integers, written out (ids and years only, never text)."""
    return ",".join(str(int(v)) for v in values) or "NULL"


def _dated(where: str) -> str:
    """The figures judged on a day: per partition, summed from the date-keyed cells."""
    selects = []
    for figure, terms in rollup.DATED.items():
        total = " + ".join(
            f"{sign} * coalesce(sum(CASE WHEN dimension = '{dim}' AND {cmp} THEN n END), 0)"
            for dim, cmp, sign in terms
        ).replace(":day", "min(:today, year || '-12-31')")
        dims = ", ".join(f"'{dim}'" for dim, _, _ in terms)
        selects.append(
            f"SELECT year, org_id, department, '{figure}', '', {total} FROM stats_cube"
            f" WHERE {where} AND dimension IN ({dims}) GROUP BY year, org_id, department"
        )
    return " UNION ALL ".join(selects)


def cube(db: Database, org_ids: list[int], years: list[int], today: date | None = None) -> list[tuple]:
    """(year, org_id, department, dimension, key, n) rows for these organisations and years;
    measures judged at the end of each year, or ``today`` (default: the Dutch clock's)."""
    where = f"year IN ({_ints(years)}) AND org_id IN ({_ints(org_ids)})"
    return db.execute(
        f"SELECT year, org_id, department, dimension, key, n FROM stats_cube WHERE {where}"
        f" AND dimension NOT LIKE 'm:%' UNION ALL {_dated(where)}",
        {"today": (today or clock.today()).isoformat()},
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
