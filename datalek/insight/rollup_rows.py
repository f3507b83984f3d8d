"""The roll-up's rows of each year and organisation, kept in memory until that part changes.

Every dashboard view reads the rows of two years of every organisation of the account, and
Streamlit runs the page again at every click. Most writes touch one year of one organisation,
so the rows of the other parts are the same as at the last view. Each part has a version in
the database (``stats_versions``) that the write changing its cells raises in the same
transaction, by the roll-up's triggers, so also after a change made with plain SQL or by
another process. A view reads the versions and, in the same snapshot, only the parts whose
version moved; the others come from memory.

Kept per database file (path, device, inode: a file replaced at the same path is another
file), year, organisation, the day the measures are judged on, and version. A version never
comes back (the triggers and ``rollup.put_cells`` raise it to the largest plus one), so a kept
part whose version is read again is exactly the part in the database; a part without a
version never had cells (``put_cells`` gives a part its first cells with a version), and is
kept as such until its first write. One reading of each part is kept,
at most ``KEEP`` parts, the least recently used dropped first. (A backup restored into the
live file in place, by SQLite's backup API while a server runs, brings its own old numbers:
restart the server after such a restore, as README's restore steps do with the server stopped.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlite_utils import Database

from datalek import store
from datalek.store import stats as sql

#: A part is a few thousand rows (about 3 MB at 10^6 incidents): 64 parts is a shared service's
#: organisations for two years, at most ~200 MB.
KEEP = 64
_KEPT: OrderedDict[tuple, tuple[tuple, ...]] = OrderedDict()
_LOCK = threading.Lock()


def _day(year: int, today: date) -> date:
    """The day the measures of ``year`` are judged on (``stats.as_of_for``)."""
    return min(today, date(year, 12, 31))


def cube(db: Database, org_ids: list[int], years: list[int], today: date) -> list[tuple]:
    """``store.stats.cube(db, org_ids, years, today)``, each part read again only when its
    version moved since it was kept."""
    file = store.identity(db)
    rows: list[tuple] = []
    with store.snapshot(db):
        versions = sql.versions(db, org_ids, years)
        for year in sorted(set(years), reverse=True):
            day = _day(year, today)
            for org_id in sorted(set(org_ids)):
                version = versions.get((year, org_id))
                key = (file, year, org_id, day, version)
                with _LOCK:
                    found = _KEPT.get(key) if file is not None else None
                    if found is not None:
                        _KEPT.move_to_end(key)
                if found is None:
                    found = tuple(sql.cube_part(db, org_id, year, day))
                    if file is not None:
                        _keep(key, found)
                rows.extend(found)
    return rows


def _keep(key: tuple, rows: tuple[tuple, ...]) -> None:
    with _LOCK:
        _KEPT[key] = rows
        # the part as read before (another version, or another day) is of no use any more
        for old in [k for k in _KEPT if k[:3] == key[:3] and k != key]:
            del _KEPT[old]
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)


def forget() -> None:
    """Drop every kept part (tests)."""
    with _LOCK:
        _KEPT.clear()
