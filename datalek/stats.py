"""Aggregates for overviews. Management and the FG get counts, never rows or free text.

Small numbers identify colleagues and clients, so any count below the threshold is
shown as "< 5", and totals are computed from the shown cells only, so that a hidden
count cannot be recovered by subtraction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlite_utils import Database

from datalek import permissions
from datalek.models import Actor, IncidentType, Status
from datalek.store import stats as sql


def threshold() -> int:
    try:
        return max(1, int(os.environ.get("DATALEK_SMALL_NUMBER", 5)))
    except ValueError:
        return 5


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None = suppressed

    @property
    def shown(self) -> str:
        return f"< {threshold()}" if self.count is None else str(self.count)


def suppress(counts: dict[str, int], limit: int) -> list[Cell]:
    """Hide counts below ``limit``; if exactly one cell is hidden, hide the next-smallest
    non-zero cell as well, so the hidden one cannot be recomputed from a total."""
    cells = {k: (v if v >= limit or v == 0 else None) for k, v in counts.items()}
    hidden = [k for k, v in cells.items() if v is None]
    if len(hidden) == 1:
        visible = sorted((v, k) for k, v in cells.items() if v)
        if visible:
            cells[visible[0][1]] = None
    return [Cell(k, v) for k, v in cells.items()]


@dataclass(frozen=True)
class Overview:
    year: int
    total: int | None
    by_status: list[Cell]
    by_type: list[Cell]
    by_month: list[Cell]


def _check(db: Database, actor: Actor, org_ids: list[int]) -> None:
    if not permissions.may_see_aggregates(actor, org_ids):
        permissions.deny(db, actor, "stats.overview")


def years(db: Database, actor: Actor, org_ids: list[int]) -> list[int]:
    _check(db, actor, org_ids)
    return sql.years(db, org_ids)


def overview(db: Database, actor: Actor, org_ids: list[int], year: int) -> Overview:
    """Counts of a year's reports per status, incident type and month (suppressed)."""
    _check(db, actor, org_ids)
    limit = threshold()
    status = sql.counts_by(db, "status", org_ids, year)
    types = sql.counts_by(db, "incident_type", org_ids, year)
    months = sql.counts_by_month(db, org_ids, year)
    total = sum(status.values())
    return Overview(
        year=year,
        total=total if total >= limit or total == 0 else None,
        by_status=suppress({Status(k).label: v for k, v in status.items()}, limit),
        by_type=suppress({IncidentType(k).label: v for k, v in types.items()}, limit),
        by_month=suppress({f"{m:02d}": months.get(m, 0) for m in range(1, 13)}, limit),
    )
