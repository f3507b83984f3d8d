"""The slow-disk shim of the writers' benchmark (``benchmarks/slow_disk.py``) slows SQLite's
own fsyncs, COMMIT and checkpoint alike: what its figures claim to measure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from benchmarks import slow_disk

PROBE = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE t (x)")
start = time.perf_counter()
for _ in range(5):
    c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO t VALUES (1)"); c.execute("COMMIT")
commits = (time.perf_counter() - start) / 5
start = time.perf_counter()
c.execute("PRAGMA wal_checkpoint(PASSIVE)")
print(commits, time.perf_counter() - start)
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler")
def test_the_shim_makes_every_commit_and_every_checkpoint_wait_for_the_slow_fsync(tmp_path):
    library = slow_disk.shim(tmp_path)
    env = {**os.environ, "LD_PRELOAD": str(library), "SLOW_FSYNC_MS": "40"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "probe.db")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    commit, checkpoint = (float(x) for x in done.stdout.split())
    assert commit >= 0.040  # one fsync of the WAL per COMMIT
    assert checkpoint >= 0.080  # the WAL and the database file
