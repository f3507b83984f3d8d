"""Which incidents changed while a full recount was counting (``stats rebuild``).

The recount's workers count the database as it stood when they fixed their snapshot
(``rollup_recount``); the writers go on saving reports meanwhile. Every change of an incident's
figures goes through the roll-up's triggers, which write its stored facts again
(``stats_facts``, ``stats_measure_facts``: deleted and inserted, or updated). While a recount
is running (a row in ``stats_recounts``), the triggers below note the incident of every such
write in ``stats_touched``, under the recount's number. When the recount writes its result, it
takes the workers' count for every incident not noted, and counts the incidents noted again
from the sources as they are then (``rollup_recount.rebuild``).

Outside a recount the triggers find ``stats_recounts`` empty and note nothing. A recount that
was killed leaves its row; a later one removes rows older than ``STALE_AFTER`` with their
notes, and a recount whose row was removed so writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from datalek import clock

#: Migration 0031.
TABLES = (
    "CREATE TABLE stats_recounts (token INTEGER PRIMARY KEY, began_at TEXT NOT NULL)",
    "CREATE TABLE stats_touched (token INTEGER NOT NULL, incident_id INTEGER NOT NULL,"
    " PRIMARY KEY (token, incident_id)) WITHOUT ROWID",
)

#: Migration 0032: a recount's number is never given again. Without AUTOINCREMENT a recount
#: that removed a stale one's row and began its own got that one's number back, and the stale
#: one then found "its" row, wrote a count that missed the changes, and ended the other's
#: journal (review finding, session 15).
RECOUNTS = "CREATE TABLE stats_recounts (token INTEGER PRIMARY KEY AUTOINCREMENT, began_at TEXT NOT NULL)"

#: A recount whose row is older than this was killed (one takes less than a minute at 10^6).
STALE_AFTER = timedelta(hours=1)

_RUNNING = "EXISTS (SELECT 1 FROM stats_recounts)"


def triggers() -> dict[str, str]:
    """name -> CREATE TRIGGER: a write of the stored facts of an incident notes the incident
    for every recount that is running."""
    made = {}
    for table, column in (("stats_facts", "id"), ("stats_measure_facts", "incident_id")):
        for event, rows in (("INSERT", ["NEW"]), ("DELETE", ["OLD"]), ("UPDATE", ["OLD", "NEW"])):
            noted = " ".join(
                f"INSERT OR IGNORE INTO stats_touched (token, incident_id)"
                f" SELECT token, {row}.{column} FROM stats_recounts;"
                for row in rows
            )
            name = f"stats_touched_{table.removeprefix('stats_')}_{event.lower()}"
            made[name] = f"CREATE TRIGGER {name} AFTER {event} ON {table} WHEN {_RUNNING} BEGIN {noted} END"
    return made


def begin(db: Database) -> int:
    """Inside a write: note the changes from its commit on, for a recount of its own (its
    number); rows of recounts that were killed are removed first."""
    stale = (clock.now() - STALE_AFTER).isoformat()
    db.execute(
        "DELETE FROM stats_touched WHERE token IN (SELECT token FROM stats_recounts WHERE began_at < ?)",
        [stale],
    )
    db.execute("DELETE FROM stats_recounts WHERE began_at < ?", [stale])
    cursor = db.execute("INSERT INTO stats_recounts (began_at) VALUES (?)", [clock.now().isoformat()])
    return int(cursor.lastrowid)


def touched(token: int) -> str:
    """SQL: the ids of the incidents whose stored facts were written since recount ``token``
    began."""
    return f"(SELECT incident_id FROM stats_touched WHERE token = {int(token)})"


def end(db: Database, token: int) -> None:
    """Inside a write: recount ``token`` is over; its notes go."""
    db.execute("DELETE FROM stats_recounts WHERE token = ?", [int(token)])
    db.execute("DELETE FROM stats_touched WHERE token = ?", [int(token)])
