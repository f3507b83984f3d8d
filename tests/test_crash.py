"""Crash test: 16 writer processes submit reports; all of them are killed with SIGKILL in the
middle of their work, twice. Every report confirmed to its writer (printed only after its
transaction committed) is in the database afterwards, with its audit entry; the database
passes ``PRAGMA integrity_check`` and the audit chain verifies.

What this proves and what not: see docs/reliability.md. SQLite in WAL mode with
``synchronous=FULL`` is what makes a committed transaction survive the death of the process;
this test checks that Datalek's way of writing (one ``BEGIN IMMEDIATE`` per report with its
status change and audit entry) keeps that promise under concurrency.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from datalek import store
from datalek.accounts import audit_verify
from tests.conftest import eventually

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 16
FIGURES = ROOT / ".cache" / "figures" / "reliability.json"


def record_figure(name: str, value) -> None:
    """Keep a measured figure for docs/reliability.md (.cache/ is gitignored). Tests on other
    workers may record at the same moment: read, change and write under a lock."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with open(FIGURES.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
        data[name] = value
        FIGURES.write_text(json.dumps(data, indent=2, sort_keys=True))


def start_writers(db_path: Path, user_ids: list[int], out_dir: Path, tag: str) -> list:
    procs = []
    for n, user_id in enumerate(user_ids):
        out = open(out_dir / f"{tag}-{n}.out", "w")  # noqa: SIM115 - closed by the caller
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability_writer", str(db_path), str(user_id), "100000"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        procs.append((proc, out))
    return procs


def confirmed(out_dir: Path, kind: str = "R") -> set[tuple[int, str]]:
    found = set()
    for path in out_dir.glob("*.out"):
        for line in path.read_text().splitlines():
            parts = line.split()
            # the last line may be cut off by the kill: only whole "R org DL-yyyy-nnnn" lines
            if len(parts) == 3 and parts[0] == kind and len(parts[2]) >= 12:
                found.add((int(parts[1]), parts[2]))
    return found


def wait_for(out_dir: Path, at_least: int, timeout: float = 60) -> None:
    eventually(lambda: len(confirmed(out_dir)) >= at_least, timeout)


def wait_until_every_writer_confirmed(out_dir: Path, tag: str, timeout: float = 60) -> None:
    """All 16 are busy: each has confirmed at least one report of this round."""
    eventually(lambda: all(confirmed_in(path) for path in out_dir.glob(f"{tag}-*.out")), timeout)


def confirmed_in(path: Path) -> bool:
    return any(line.startswith("R ") for line in path.read_text().splitlines())


def kill_all(procs) -> None:
    for proc, _ in procs:
        os.kill(proc.pid, signal.SIGKILL)
    for proc, out in procs:
        proc.wait(10)
        out.close()
        assert proc.returncode == -signal.SIGKILL  # killed mid-flight, not finished


def test_sigkill_of_16_writers_loses_no_confirmed_report(world, db_path, tmp_path):
    users = [world[k].user_id for k in ("reporter", "reporter2", "dpo", "other_reporter", "other_dpo")]
    user_ids = [users[n % len(users)] for n in range(WRITERS)]
    rounds = []
    for tag in ("first", "second"):  # the second round proves the file is usable after a crash
        before = len(confirmed(tmp_path))
        procs = start_writers(db_path, user_ids, tmp_path, tag)
        wait_for(tmp_path, before + 300)
        wait_until_every_writer_confirmed(tmp_path, tag)  # kill while all 16 are busy
        kill_all(procs)
        rounds.append(len(confirmed(tmp_path)) - before)

    reports, supplements = confirmed(tmp_path, "R"), confirmed(tmp_path, "S")
    assert sum(rounds) == len(reports) and min(rounds) >= 300
    db = store.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {(o, r) for o, r in db.execute("SELECT org_id, reference FROM incidents")}
        assert reports <= present, sorted(reports - present)[:5]
        with_supplement = {
            (o, r)
            for o, r in db.execute(
                "SELECT DISTINCT i.org_id, i.reference FROM supplements s"
                " JOIN incidents i ON i.id = s.incident_id"
            )
        }
        assert supplements <= with_supplement
        # nothing half-written: every stored report has its status row and its audit entry
        orphans = db.execute(
            "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM status_changes s"
            " WHERE s.incident_id = i.id) OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE"
            " a.action = 'incident.create' AND a.object_id = CAST(i.id AS TEXT))"
        ).fetchone()[0]
        assert orphans == 0
        # at most one report per writer can have committed after its last printed line
        assert len(present) - len(reports) <= WRITERS * len(rounds)
        verification = audit_verify.verify(db)
        assert verification.intact, verification.message
    finally:
        db.close()
    record_figure(
        "crash_test",
        {
            "writers": WRITERS,
            "kills": len(rounds) * WRITERS,
            "confirmed": len(reports),
            "present_of_confirmed": len(reports & present),
            "present_total": len(present),
            "supplements_confirmed": len(supplements),
            "audit_entries": verification.entries,
        },
    )


# --- group commit: a process of many threads killed while its writer commits groups ---------

GROUP_PROCESSES, GROUP_THREADS = 2, 16


def group_rounds(out_dir: Path) -> tuple[int, int]:
    """The last ``G groups reports`` line of every process, summed: transactions and reports."""
    groups = reports = 0
    for path in out_dir.glob("*.out"):
        last = [line.split() for line in path.read_text().splitlines() if line.startswith("G ")]
        whole = [parts for parts in last if len(parts) == 3 and parts[2].isdigit()]
        if whole:
            groups, reports = groups + int(whole[-1][1]), reports + int(whole[-1][2])
    return groups, reports


def stats_verify(db_path: Path) -> None:
    """The roll-up equals a fresh count after the kill (``python -m datalek stats verify``)."""
    verified = subprocess.run(
        [sys.executable, "-m", "datalek", "stats", "verify", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "De cijfers kloppen" in verified.stdout, verified.stdout


def test_sigkill_while_groups_commit_loses_no_confirmed_report(world, db_path, tmp_path):
    users = [world[k].user_id for k in ("reporter", "reporter2", "other_reporter")]
    for tag in ("first", "second"):  # the second round proves the file is usable after a crash
        before = len(confirmed(tmp_path))
        procs = []
        for n in range(GROUP_PROCESSES):
            out = open(tmp_path / f"{tag}-{n}.out", "w")  # noqa: SIM115 - closed by kill_all
            command = [sys.executable, "-m", "tests.group_writer", str(db_path), str(GROUP_THREADS)]
            procs.append(
                (
                    subprocess.Popen(
                        [*command, *map(str, users)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
                    ),
                    out,
                )
            )
        wait_for(tmp_path, before + 300)
        wait_until_every_writer_confirmed(tmp_path, tag)
        kill_all(procs)  # both processes at once, while their writers commit groups
    groups, grouped = group_rounds(tmp_path)
    assert groups and grouped / groups > 1.5, (groups, grouped)  # reports really shared commits

    reports = confirmed(tmp_path)
    db = store.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {(o, r) for o, r in db.execute("SELECT org_id, reference FROM incidents")}
        assert reports <= present, sorted(reports - present)[:5]
        half = db.execute(
            "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM status_changes s"
            " WHERE s.incident_id = i.id) OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE"
            " a.action = 'incident.create' AND a.object_id = CAST(i.id AS TEXT))"
        ).fetchone()[0]
        assert half == 0  # no report half-present
        # committed but not yet confirmed when killed: at most the groups in flight
        assert len(present) - len(reports) <= 2 * GROUP_PROCESSES * GROUP_THREADS
    finally:
        db.close()
    verified = subprocess.run(
        [sys.executable, "-m", "datalek", "audit", "verify", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    stats_verify(db_path)
    record_figure(
        "group_commit_crash_test",
        {
            "processes": GROUP_PROCESSES,
            "threads_each": GROUP_THREADS,
            "kills": 2 * GROUP_PROCESSES,
            "confirmed": len(reports),
            "present_of_confirmed": len(reports & present),
            "present_total": len(present),
            "reports_per_commit": round(grouped / groups, 1),
        },
    )
