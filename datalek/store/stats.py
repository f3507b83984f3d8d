"""SQL aggregations for overviews: counts only, never rows or free text."""

from __future__ import annotations

from sqlite_utils import Database


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


def counts_by(db: Database, column: str, org_ids: list[int], year: int) -> dict[str, int]:
    """Incidents per value of ``column`` for reports made in ``year``."""
    if column not in {"status", "incident_type", "situation", "department"}:
        raise ValueError(f"not an aggregatable column: {column}")
    rows = db.query(
        f"SELECT {column} AS k, count(*) AS n FROM incidents"
        f" WHERE org_id IN ({_marks(org_ids)}) AND year = ? GROUP BY {column}",
        [*org_ids, year],
    )
    return {r["k"]: r["n"] for r in rows}


def counts_by_month(db: Database, org_ids: list[int], year: int) -> dict[int, int]:
    rows = db.query(
        "SELECT month AS m, count(*) AS n FROM incidents"
        f" WHERE org_id IN ({_marks(org_ids)}) AND year = ? GROUP BY m",
        [*org_ids, year],
    )
    return {r["m"]: r["n"] for r in rows}


def years(db: Database, org_ids: list[int]) -> list[int]:
    return [
        r["year"]
        for r in db.query(
            f"SELECT DISTINCT year FROM incidents WHERE org_id IN ({_marks(org_ids)})"
            " ORDER BY year DESC",
            org_ids,
        )
    ]
