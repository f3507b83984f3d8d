"""The full recount of the roll-up on every core (``stats rebuild`` and ``stats verify``).

The recount is CPU work per incident (its subqueries, its facts, its cells), and one SQLite
connection uses one core. So the incidents are cut into id ranges of equal size, and each
range is counted by a **worker**: a process with a connection of its own, which writes that
range's facts, measure facts and cells into a scratch database file of its own. The cells of
different incidents simply add up, so the sum of the ranges' cells is the count of the whole.

The workers count the database as it stood at one moment, and the writers are held up only
around it. A write begun here (``BEGIN IMMEDIATE``: no other connection commits meanwhile)
starts the workers and waits until each has read once: from then on each reads that state
(its WAL snapshot), whatever is committed later. The write then ends, and reports are saved
while the workers count. ``differences`` (``stats verify``) copies the stored cells in that
first write and compares them with the count afterwards; ``rebuild`` notes the incidents
changed meanwhile (``rollup_journal``) and writes the result in a second write. Nothing may
have changed a source in the first write before the workers read (``_first_write``): a check a
form left for the next write, or a caller inside a write of its own (a migration), counts on
its own connection inside one write (``rollup.rebuild``, ``rollup.differences``).

A worker is a process, not a thread: SQLite takes one lock for every memory allocation of
every connection of a process, and two threads counting at once each took 1.4 times as long
as alone (10^6 incidents: 27 s per half against 19 s). A worker is a bare Python that runs
the SQL statements it is given on standard input (``WORKER``): it imports nothing of Datalek
and starts in some 30 ms.

A scratch file holds counts and facts only (no free text: the raw moments and answers, the
reasons for a delay among them, stay in each worker's memory); it lives in a private
directory (mode 0700) that is removed when the count ends, whatever way it ends (killed, its
workers remove their own files: ``WORKER``). A worker
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

from datalek.store import (
    BUSY_TIMEOUT_MS,
    StorageError,
    audit_files,
    first_pending,
    rollup,
    rollup_journal,
    rollup_parties,
    write,
)
from datalek.store import rollup_result as result
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
#: the number of the statement after which its read has begun, its scratch file) on a
#: connection of its own, and say "pinned" on standard output once its snapshot is fixed. It
#: ends itself when the writer's process is gone (killed, say): it would otherwise keep a read
#: mark in the WAL until it finished. Then it removes its scratch file, and the directory once
#: it is empty.
WORKER = """
import contextlib, json, os, sqlite3, sys, threading, time
job = json.load(sys.stdin)
def orphaned():
    while os.getppid() == job["parent"]:
        time.sleep(0.5)
    scratch = job.get("scratch")
    if scratch:  # nobody is left to remove the scratch file and its private directory
        with contextlib.suppress(OSError):  # gone already, or the directory not yet empty
            os.remove(scratch)
            os.rmdir(os.path.dirname(scratch))
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
#: Below and past every id SQLite can store.
_LOWEST, _PAST_HIGHEST = -(2**63), 2**63
#: A worker's page cache (KiB); its temporary tables are in memory besides.
CACHE_KIB = 64 * 1024


def job(path: str, scratch: str, raw: str, facts: str, low: int, high: int, keep: bool = True) -> dict:
    """What one worker runs: the cells of the incidents with ``low <= id < high`` into the
    scratch file ``scratch``, and with ``keep`` their facts and measure facts too, and which
    of those differ from the stored ones (``rollup_result.differing``); ``verify`` needs the cells only:
    then the facts stay in the worker's memory. ``raw``/``facts``: the writer's SQL, ``facts``
    reading ``temp.stats_raw``."""
    within = f"BETWEEN {int(low)} AND {int(high) - 1}"
    into = "part" if keep else "temp"
    differing = result.differing(within) if keep else []
    after = [
        "PRAGMA part.journal_mode = OFF",
        "PRAGMA part.synchronous = OFF",
        rollup.cell_table("part.stats_cube"),
        *result.fact_tables(into),
        *(f"CREATE TABLE part.{table} (id INTEGER PRIMARY KEY)" for table in result.DIFFERING if keep),
        "BEGIN",  # one snapshot for every statement, fixed by the first read
        _PIN,
        f"CREATE TEMP TABLE stats_raw AS {raw} WHERE i.id {within}",
        f"INSERT INTO {into}.stats_facts {facts}",
        f"INSERT INTO {into}.stats_measure_facts {MEASURES_NOW} AND m.incident_id {within}",
        *differing,
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
        "scratch": scratch,
    }


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


class Room:
    """The scratch files of one recount, attached to the writer's connection once counted."""

    def __init__(self, db: Database, directory: str, keep: bool = True) -> None:
        self.db = db
        self.directory = directory
        self.keep = keep
        self.attached: list[str] = []
        self.files: list[str] = []

    def jobs(self, parts: list[tuple[int, int]]) -> list[dict] | None:
        """The workers' jobs: every incident, in the ranges ``parts`` (``ranges``), each counted
        into a scratch file of its own; None when the writer's connection should count alone (a
        database in memory or without WAL, few incidents, one core). Only in a write begun by
        ``_first_write`` in which nothing has changed a source yet."""
        path = audit_files.db_file(self.db)
        if path is None or self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None  # without WAL a reader could block the writer's commit
        if len(parts) < 2:
            return None
        parts = list(parts)
        raw = raw_now(self.db)
        facts = facts_from(self.db, "temp.stats_raw")
        self.files = [str(Path(self.directory) / f"part{k}.db") for k in range(len(parts))]
        # the first and the last range reach past every id: a stored row of no incident is in
        # a range too, and the workers list it as gone (``rollup_result.differing``)
        parts[0], parts[-1] = (_LOWEST, parts[0][1]), (parts[-1][0], _PAST_HIGHEST)
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

    def detach(self) -> None:
        """Detach the scratch files (only possible once the writer's transaction ended)."""
        while self.attached:
            self.db.execute(f"DETACH {self.attached[-1]}")
            self.attached.pop()


def rebuild(db: Database) -> None:
    """``stats rebuild``: the roll-up counted again from the sources, with the writers held up
    only while the count starts and while its result is written.

    1. A write begun here installs this version's triggers, starts the workers, waits until
       each has fixed its snapshot, and begins a journal (``rollup_journal``): from its commit
       on, the triggers note every incident whose stored facts they write.
    2. The workers count while reports are saved.
    3. Their cells are added up (``rollup_result.summed``), outside any write.
    4. A second write takes the workers' facts and cells for every incident not noted, and
       counts the incidents noted again, from the sources as they are now
       (``rollup_result.assemble``). It writes nothing if another recount removed this one's
       journal as stale.

    At 10^6 incidents the writers waited the whole count (about 20 s, past their busy timeout);
    now they wait for the first and the last step. Where ``Room.jobs`` declines, this connection
    counts inside one write (``rollup.rebuild``)."""
    journal = "stats_recounts" in rollup_parties.tables(db)  # migration 0031
    with _room(db, keep=True) as made:
        with ExitStack() as running:
            with _first_write(db, made, running, journal) as finish:
                if finish is None:
                    rollup.rebuild(db)
                    return
                rollup.install(db)
                token = rollup_journal.begin(db)
            try:
                finish()
            except BaseException:
                _forget(db, token)
                raise
        try:
            parts = made.attach()
            result.summed(db, parts)
            with write(db):
                result.assemble(db, parts, token)
        except BaseException:
            _forget(db, token)
            raise


def _forget(db: Database, token: int) -> None:
    """End recount ``token``'s journal after it failed; if even that fails, the next recount
    removes it once it is stale (``rollup_journal.STALE_AFTER``)."""
    with suppress(StorageError, sqlite3.Error), write(db):
        rollup_journal.end(db, token)


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
    past their busy timeout, and now wait 0.1 s). Where ``Room.jobs`` declines, this
    connection counts inside the write."""
    with _room(db, keep=False) as made:
        try:
            with ExitStack() as running:
                with _first_write(db, made, running) as finish:
                    if finish is None:
                        return rollup.differences(db, limit)
                    db.execute(f"DROP TABLE IF EXISTS {STORED}")
                    db.execute(f"CREATE TABLE {STORED} AS SELECT * FROM main.stats_cube")
                finish()
            parts = made.attach()
            return rollup.differences(db, limit, parts, stored=STORED)
        finally:
            db.execute(f"DROP TABLE IF EXISTS {STORED}")


@contextmanager
def _first_write(
    db: Database, made: Room, running: ExitStack, apart: bool = True
) -> Iterator[Callable[[], None] | None]:
    """A write begun here (``BEGIN IMMEDIATE``) in which the workers start (kept in
    ``running``) and fix their snapshots: yields their ``finish``, or None when this connection
    should count inside this write (``Room.jobs`` declines, or not ``apart``). A check a form
    left for the next write runs first."""
    # the ranges are cut before the write: the first and the last reach past every id, so an
    # incident reported meanwhile is in one (10^6: 0.45 s less that the writers wait)
    parts = ranges(db, workers()) if apart else []
    pending = first_pending(db)
    with write(db):  # runs that check first, if there is one: it may have changed a source
        jobs = made.jobs(parts) if not pending else None
        yield None if jobs is None else running.enter_context(started(jobs))


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
        try:
            made.detach()
        except sqlite3.Error as exc:
            if not failed:  # else the error on its way out is the one to tell
                raise StorageError(str(exc)) from exc
        finally:
            shutil.rmtree(made.directory, ignore_errors=True)
