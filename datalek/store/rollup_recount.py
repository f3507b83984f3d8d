"""The full recount of the roll-up on every core (``stats rebuild`` and ``stats verify``).

The recount is CPU work per incident (its subqueries, its facts, its cells), and one SQLite
connection uses one core. So the incidents are cut into id ranges of equal size, and each
range is counted by a **worker**: a process with a connection of its own, which writes that
range's facts, measure facts and cells into a scratch database file of its own. The writer
then attaches the scratch files and copies their rows into the roll-up, all inside its own
write transaction. The cells of different incidents simply add up, so the sum of the ranges'
cells is the count of the whole.

Every worker reads exactly what the writer reads: the writer holds the write lock
(``BEGIN IMMEDIATE``) before any worker starts, it changes none of the sources itself, and
no other connection can commit while it holds the lock, so each worker's snapshot (WAL) is the
state the writer's transaction began from. That is why ``recount`` begins the write itself and
counts apart only in a write it began (``Room.own``): a caller inside a write of its own (a
migration) may have changed sources that no other connection can see, and counts on its own
connection (``rollup.rebuild`` without ``apart``).

A worker is a process, not a thread: SQLite takes one lock for every memory allocation of
every connection of a process, and two threads counting at once each took 1.4 times as long
as alone (10^6 incidents: 27 s per half against 19 s). A worker is a bare Python that runs
the SQL statements it is given on standard input (``WORKER``): it imports nothing of Datalek
and starts in some 30 ms.

A scratch file holds counts and facts only (no free text: the raw moments and answers, the
reasons for a delay among them, stay in each worker's memory); it lives in a private
directory (mode 0700) that is removed when the count ends, whatever way it ends. A worker
still running then (the writer failed or was interrupted) is stopped first.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from sqlite_utils import Database

from datalek.store import BUSY_TIMEOUT_MS, StorageError, audit_files, rollup, take_first, write
from datalek.store import rollup_tally as tally
from datalek.store.rollup_facts import MEASURES_NOW, facts_from, raw_now

#: Schema names of the scratch files, as the writer attaches them (``stats_part0``, ...).
PREFIX = "stats_part"
#: Fewer incidents than this are counted on the writer's own connection: starting the workers
#: costs more than it saves.
SMALL = 20_000


def workers() -> int:
    """How many ranges: one per core this process may use (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def ranges(db: Database, count: int) -> list[tuple[int, int]]:
    """``count`` id ranges [low, high) of about as many incidents each (fewer when there are
    fewer incidents); none without incidents, one when there are fewer than ``SMALL``."""
    total, low, high = db.execute("SELECT count(*), min(id), max(id) FROM incidents").fetchone()
    if not total:
        return []
    count = max(1, min(count, total)) if total >= SMALL else 1
    bounds = [low]
    for k in range(1, count):
        (start,) = db.execute(
            "SELECT id FROM incidents ORDER BY id LIMIT 1 OFFSET ?", [total * k // count]
        ).fetchone()
        if start > bounds[-1]:
            bounds.append(start)
    bounds.append(high + 1)
    return list(zip(bounds, bounds[1:], strict=False))


#: The program of a worker: run the statements of the job on standard input (JSON: the
#: database's path, the busy timeout, the writer's process id, [statement, arguments] pairs,
#: and the number of the statement after which its read has begun) on a connection of its own,
#: and say "pinned" on standard output once its snapshot is fixed. It ends itself when the
#: writer's process is gone (killed, say): it would otherwise keep a read mark in the WAL until
#: it finished.
WORKER = """
import json, os, sqlite3, sys, threading, time
job = json.load(sys.stdin)
def orphaned():
    while os.getppid() == job["parent"]:
        time.sleep(0.5)
    os._exit(3)
threading.Thread(target=orphaned, daemon=True).start()
conn = sqlite3.connect(job["path"], timeout=job["timeout"], isolation_level=None)
try:
    for number, (statement, arguments) in enumerate(job["statements"]):
        conn.execute(statement, arguments)
        if number == job.get("pinned"):
            print("pinned", flush=True)
finally:
    conn.close()
"""
#: What a worker reads first in its transaction: from then on it reads the database as it was
#: then (its WAL snapshot), whatever is committed meanwhile.
_PIN = "SELECT count(*) FROM main.sqlite_master"
#: A worker's page cache (KiB); its temporary tables are in memory besides.
CACHE_KIB = 64 * 1024


def job(path: str, scratch: str, raw: str, facts: str, low: int, high: int, keep: bool = True) -> dict:
    """What one worker runs: the cells of the incidents with ``low <= id < high`` into the
    scratch file ``scratch``, and with ``keep`` their facts and measure facts too (``verify``
    needs the cells only: then the facts stay in the worker's memory). ``raw``/``facts``: the
    writer's SQL, ``facts`` reading ``temp.stats_raw``."""
    within = f"BETWEEN {int(low)} AND {int(high) - 1}"
    into = "part" if keep else "temp"
    after = [
        "PRAGMA part.journal_mode = OFF",
        "PRAGMA part.synchronous = OFF",
        _cell_table("part"),
        *_fact_tables(into),
        "BEGIN",  # one snapshot for every statement, fixed by the first read
        _PIN,
        f"CREATE TEMP TABLE stats_raw AS {raw} WHERE i.id {within}",
        f"INSERT INTO {into}.stats_facts {facts}",
        f"INSERT INTO {into}.stats_measure_facts {MEASURES_NOW} AND m.incident_id {within}",
        *tally.statements("part.stats_cube", f"{into}.stats_facts", f"{into}.stats_measure_facts"),
        "COMMIT",
    ]
    statements = [
        ["PRAGMA temp_store = MEMORY", []],
        [f"PRAGMA cache_size = -{CACHE_KIB}", []],
        ["ATTACH ? AS part", [scratch]],
        *([q, []] for q in after),
    ]
    return {
        "path": path,
        "timeout": BUSY_TIMEOUT_MS / 1000,
        "parent": os.getpid(),
        "statements": statements,
        "pinned": [q for q, _ in statements].index(_PIN),
    }


def run(jobs: list[dict]) -> None:
    """Run every job in a worker process of its own, all at once; StorageError with the first
    failure's last line once all have ended. A worker still running when this is left (an
    error, an interrupt) is stopped."""
    with started(jobs) as finish:
        finish()


@contextmanager
def started(jobs: list[dict]) -> Iterator[Callable[[], None]]:
    """Start every job in a worker process of its own, all at once, and wait until each has
    fixed its snapshot (or ended); then yield ``finish``, which waits for all of them and raises
    StorageError with the first failure's last line. A worker still running when this is left
    (an error, an interrupt) is stopped."""
    workers: list[subprocess.Popen] = []
    try:
        for one in jobs:
            try:
                worker = subprocess.Popen(
                    [sys.executable, "-I", "-c", WORKER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            except OSError as exc:
                raise StorageError(f"worker could not start: {exc}") from exc
            workers.append(worker)
            with suppress(BrokenPipeError):  # it ended before reading: its status and stderr say why
                worker.stdin.write(json.dumps(one).encode())
                worker.stdin.close()
        for worker in workers:
            worker.stdout.readline()  # "pinned"; nothing when it ended first (``finish`` says why)
        yield lambda: _finish(workers)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            for pipe in (worker.stdin, worker.stdout, worker.stderr):
                with suppress(OSError):
                    pipe.close()


def _finish(workers: list[subprocess.Popen]) -> None:
    failures = []
    for worker in workers:
        errors = worker.stderr.read().decode(errors="replace").strip().splitlines()
        if worker.wait() != 0:
            failures.append(errors[-1] if errors else f"worker ended with {worker.returncode}")
    if failures:
        raise StorageError(failures[0])


def _fact_tables(schema: str) -> list[str]:
    return [
        f"CREATE TABLE {schema}.stats_facts ({rollup.FACT_COLUMNS})",
        f"CREATE TABLE {schema}.stats_measure_facts ({rollup.MEASURE_COLUMNS})",
    ]


def _cell_table(schema: str) -> str:
    return (
        f"CREATE TABLE {schema}.stats_cube (year INTEGER, org_id INTEGER, department TEXT,"
        " dimension TEXT, key TEXT, n INTEGER, PRIMARY KEY (year, org_id, department, dimension, key))"
        " WITHOUT ROWID"
    )


class Room:
    """The scratch files of one recount, attached to the writer's connection once counted.
    ``own``: the write was begun by ``recount`` and nothing in it changed a source yet."""

    def __init__(self, db: Database, directory: str, keep: bool = True) -> None:
        self.db = db
        self.directory = directory
        self.keep = keep
        self.attached: list[str] = []
        self.files: list[str] = []
        self.own = False

    def jobs(self) -> list[dict] | None:
        """The workers' jobs: every incident, in ranges, each counted into a scratch file of
        its own; None when the writer's connection should count alone (not a write begun by
        ``recount`` or ``differences``, a database in memory or without WAL, few incidents,
        one core)."""
        if not self.own:
            return None
        path = audit_files.db_file(self.db)
        if path is None or self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None  # without WAL a reader could block the writer's commit
        parts = ranges(self.db, workers())
        if len(parts) < 2:
            return None
        raw = raw_now(self.db)
        facts = facts_from(self.db, "temp.stats_raw")
        self.files = [str(Path(self.directory) / f"part{k}.db") for k in range(len(parts))]
        return [
            job(str(path), f, raw, facts, low, high, self.keep)
            for f, (low, high) in zip(self.files, parts, strict=True)
        ]

    def attach(self) -> list[str]:
        """Attach the counted scratch files to the writer's connection: their schema names."""
        for k, file in enumerate(self.files):
            self.db.execute(f"ATTACH ? AS {PREFIX}{k}", [file])
            self.attached.append(f"{PREFIX}{k}")
        return list(self.attached)

    def count(self) -> list[str] | None:
        """Count every incident in ranges, in parallel, and attach the results (``jobs``,
        ``attach``); None when the writer's connection should count alone."""
        jobs = self.jobs()
        if jobs is None:
            return None
        run(jobs)
        return self.attach()

    def detach(self) -> None:
        """Detach the scratch files (only possible once the writer's transaction ended)."""
        while self.attached:
            self.db.execute(f"DETACH {self.attached[-1]}")
            self.attached.pop()


@contextmanager
def recount(db: Database, keep: bool = True) -> Iterator[Room]:
    """A write (``BEGIN IMMEDIATE``) begun here, in which ``Room.count`` may count the roll-up
    apart: nothing has changed a source in it when the workers read (a check a form left for
    the next write runs first, and then the count stays on this connection). ``keep=False``:
    the workers keep only the cells. The scratch files are detached and removed after the
    write ends, whatever way it ends."""
    with _room(db, keep) as made:
        first = take_first(db)
        with write(db):
            if first is not None:
                first(db)
            made.own = first is None
            yield made


#: Where ``differences`` keeps the roll-up's cells as they stood when the workers' snapshots
#: were fixed.
STORED = "temp.stats_verify_stored"


def differences(db: Database, limit: int) -> tuple[list[tuple], int]:
    """``stats verify``: the cells where the roll-up differs from a fresh count
    (``rollup.differences``), with the writers held up only until the count has its snapshot.

    A write begun here (``BEGIN IMMEDIATE``: no other connection commits meanwhile) starts the
    workers, waits until each has fixed its snapshot, and copies the stored cells. Then it
    ends, and reports are saved again while the workers count: both sides are the database as
    it stood in that write (10^6 incidents: the writers waited the whole 18 s of the count,
    past their busy timeout, and now wait some tenths of a second). Where ``Room.jobs``
    declines, this connection counts inside the write, as ``recount`` does."""
    with _room(db, keep=False) as made:
        try:
            with ExitStack() as running:
                first = take_first(db)
                with write(db):
                    if first is not None:
                        first(db)
                    made.own = first is None
                    jobs = made.jobs()
                    if jobs is None:
                        return rollup.differences(db, limit)
                    finish = running.enter_context(started(jobs))
                    db.execute(f"DROP TABLE IF EXISTS {STORED}")
                    db.execute(f"CREATE TABLE {STORED} AS SELECT * FROM main.stats_cube")
                made.own = False
                finish()
            parts = made.attach()
            return rollup.differences(db, limit, lambda: parts, stored=STORED)
        finally:
            db.execute(f"DROP TABLE IF EXISTS {STORED}")


@contextmanager
def _room(db: Database, keep: bool) -> Iterator[Room]:
    """A Room whose scratch files are detached and removed when it is left, whatever way."""
    made = Room(db, tempfile.mkdtemp(prefix="datalek-recount-"), keep)
    failed = False
    try:
        yield made
    except BaseException:
        failed = True
        raise
    finally:
        made.own = False
        try:
            made.detach()
        except sqlite3.Error as exc:
            if not failed:  # else the error on its way out is the one to tell
                raise StorageError(str(exc)) from exc
        finally:
            shutil.rmtree(made.directory, ignore_errors=True)
