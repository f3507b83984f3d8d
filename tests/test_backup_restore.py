"""Backup while users write, and the restore procedure of the README.

``python -m datalek backup`` copies the live database with SQLite's online backup API while
writer processes keep submitting reports. The copy is a consistent moment: it passes
``integrity_check``, its audit chain verifies, and every row in it is, unchanged, in the live
database. Restoring it (README: stop, move the old files aside, put the copy in place, verify,
start) gives exactly the rows of the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datalek import store
from datalek.accounts import audit_verify
from tests.test_crash import ROOT, confirmed, kill_all, record_figure, start_writers, wait_for

TABLES = ("organisations", "users", "memberships", "incidents", "supplements", "status_changes", "audit_log")


def datalek(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "datalek", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


#: Columns that never change once written (``updated_at`` moves with every supplement).
FIXED = {"incidents": "id, org_id, year, seq, reference, reporter_id, description, reported_at"}


def table_rows(path: Path) -> dict[str, set[tuple]]:
    db = store.connect(path)
    try:
        return {t: set(db.execute(f"SELECT {FIXED.get(t, '*')} FROM {t}").fetchall()) for t in TABLES}
    finally:
        db.close()


@pytest.mark.slow
def test_backup_during_writes_and_restore(world, db_path, tmp_path):
    users = [world[k].user_id for k in ("reporter", "dpo", "other_reporter", "other_dpo")]
    out = tmp_path / "out"
    out.mkdir()
    procs = start_writers(db_path, users, out, "w")
    try:
        wait_for(out, 100)
        copy = tmp_path / "backup" / "datalek-copy.db"
        copy.parent.mkdir()
        made = datalek("backup", "--db", str(db_path), "--to", str(copy))
        assert made.returncode == 0, made.stderr
        assert "integrity_check: ok" in made.stdout
        wait_for(out, len(confirmed(out)) + 100)  # users keep writing after the backup
    finally:
        kill_all(procs)

    backed_up, live = table_rows(copy), table_rows(db_path)
    for table in TABLES:
        assert backed_up[table] <= live[table], table  # a consistent earlier moment
    assert len(backed_up["incidents"]) >= 100
    assert len(live["incidents"]) > len(backed_up["incidents"])
    # the live trail records the backup itself
    assert any(row[4] == "backup" for row in live["audit_log"])

    # --- restore, as the README describes it
    restored = tmp_path / "restored" / "datalek.db"
    restored.parent.mkdir()
    shutil.copy2(copy, restored)
    check = datalek("audit", "verify", "--db", str(restored))
    assert check.returncode == 0 and "intact" in check.stdout, check.stdout + check.stderr
    assert datalek("init", "--db", str(restored)).returncode == 0
    assert table_rows(restored) == backed_up
    db = store.connect(restored)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert audit_verify.verify(db).intact
    finally:
        db.close()
    record_figure(
        "backup_during_writes",
        {
            "incidents_in_copy": len(backed_up["incidents"]),
            "incidents_live_after": len(live["incidents"]),
            "audit_entries_in_copy": len(backed_up["audit_log"]),
        },
    )


def test_backup_refuses_to_overwrite_and_a_quiet_copy_equals_the_live_database(world, db_path, tmp_path):
    target = tmp_path / "copy.db"
    assert datalek("backup", "--db", str(db_path), "--to", str(target)).returncode == 0
    again = datalek("backup", "--db", str(db_path), "--to", str(target))
    assert again.returncode != 0 and "bestaat al" in again.stderr
    live, copy = table_rows(db_path), table_rows(target)
    # the live trail has one more entry: the audit of the backup, written after the copy
    assert {t: v for t, v in live.items() if t != "audit_log"} == {
        t: v for t, v in copy.items() if t != "audit_log"
    }
    assert copy["audit_log"] < live["audit_log"] and len(live["audit_log"] - copy["audit_log"]) == 1
