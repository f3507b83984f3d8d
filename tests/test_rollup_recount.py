"""Issue #18: the full recount in id ranges on every core (``rollup_recount``) counts exactly
what one connection counts, and leaves nothing behind when it fails."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import UTC, datetime

import pytest

from datalek import store
from datalek.demo import dataset
from datalek.store import rollup, rollup_recount
from datalek.store import stats as sql

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TABLES = ("stats_facts", "stats_measure_facts", "stats_cube")


def _rows(db) -> dict:
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4, 5").fetchall() for t in TABLES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A register with every kind of source (decisions, notifications, notices, measures,
    parties, chains, merges), made once for the module."""
    path = tmp_path_factory.mktemp("recount") / "demo.db"
    dataset.generate(str(path), 240, years=2, seed=5, now=NOW, with_accounts=False)
    return path


@pytest.fixture
def copy(demo, tmp_path):
    path = tmp_path / "demo.db"
    source = sqlite3.connect(demo)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


@pytest.fixture
def ranges_used(monkeypatch):
    """Count in ranges however few incidents there are; record what each worker counted."""
    monkeypatch.setattr(rollup_recount, "SMALL", 2)
    counted = []
    real = rollup_recount.job

    def recorded(path, scratch, raw, facts, low, high):
        counted.append((low, high))
        return real(path, scratch, raw, facts, low, high)

    monkeypatch.setattr(rollup_recount, "job", recorded)
    return counted


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_counting_in_ranges_equals_counting_on_one_connection(copy, ranges_used, monkeypatch, workers):
    monkeypatch.setattr(rollup_recount, "workers", lambda: workers)
    with store.unit(copy) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {
            r[0] for r in db.execute("SELECT 1 FROM incident_parties UNION SELECT 2 FROM chain_members")
        } == {1, 2}
        with store.write(db):
            rollup.rebuild(db)  # one connection
        alone = _rows(db)
        with store.write(db):
            db.execute("DELETE FROM stats_cube")  # nothing of the old count may survive
        sql.rebuild(db)
        counted = list(ranges_used)
        assert len(counted) == workers
        assert _rows(db) == alone
        assert alone["stats_cube"] and len(alone["stats_facts"]) == 240
        assert sql.differences(db) == ([], 0)
        # the ranges are disjoint and cover every incident
        ids = [r[0] for r in db.execute("SELECT id FROM incidents")]
    covered = sorted(i for i in ids for low, high in counted if low <= i < high)
    assert covered == sorted(ids)


def test_verify_in_ranges_names_the_cells_one_connection_names(copy, ranges_used):
    with store.unit(copy) as db:
        with store.write(db):
            db.execute("UPDATE stats_cube SET n = n + 2 WHERE dimension = 'outcome' AND key = 'breach'")
            db.execute("DELETE FROM stats_cube WHERE dimension = 'month' AND key = '03'")
            alone = rollup.differences(db, 100)
        found = sql.differences(db, 100)
        assert ranges_used
        assert found == alone
        assert found[1] > 0


@pytest.mark.parametrize("count", [1, 2, 3, 7, 240, 500])
def test_the_ranges_cover_every_incident_once(copy, count, monkeypatch):
    monkeypatch.setattr(rollup_recount, "SMALL", 2)
    with store.unit(copy) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        with store.write(db):
            db.execute("DELETE FROM incidents WHERE id % 7 = 3")  # gaps in the ids
        ids = [r[0] for r in db.execute("SELECT id FROM incidents")]
        parts = rollup_recount.ranges(db, count)
    assert len(parts) == min(count, len(ids))
    assert all(low < high for low, high in parts)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert parts[0][0] == min(ids) and parts[-1][1] == max(ids) + 1
    sizes = [sum(low <= i < high for i in ids) for low, high in parts]
    assert max(sizes) - min(sizes) <= 1


def test_a_failing_worker_changes_nothing_and_leaves_no_scratch_file(copy, ranges_used, monkeypatch):
    made = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        made.append(real_mkdtemp(*args, **kwargs))
        return made[-1]

    real = rollup_recount.run

    def broken(jobs):
        # the second worker meets a statement its database refuses; the first one counts
        jobs[1]["statements"].insert(-1, ["INSERT INTO part.stats_facts (id) VALUES (NULL)", []])
        return real(jobs)

    monkeypatch.setattr(rollup_recount.tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr(rollup_recount, "run", broken)
    with store.unit(copy) as db:
        before = _rows(db)
        with pytest.raises(store.StorageError, match="NOT NULL constraint failed"):
            sql.rebuild(db)
        assert _rows(db) == before
        assert not [r[1] for r in db.execute("PRAGMA database_list") if r[1].startswith("stats_part")]
    assert made and not any(os.path.exists(d) for d in made)


def test_a_worker_still_running_when_the_count_ends_is_stopped(tmp_path, monkeypatch):
    endless = {
        "path": str(tmp_path / "x.db"),
        "timeout": 1,
        "statements": [
            ["WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", []]
        ],
    }
    started = []
    real_popen = rollup_recount.subprocess.Popen

    def popen(*args, **kwargs):
        if started:
            raise KeyboardInterrupt  # the count is interrupted while the second worker starts
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(rollup_recount.subprocess, "Popen", popen)
    with pytest.raises(KeyboardInterrupt):
        rollup_recount.run([endless, endless])
    assert len(started) == 1 and started[0].returncode is not None


def test_a_worker_that_fails_names_the_reason_after_the_others_end(tmp_path):
    quiet = {"path": str(tmp_path / "x.db"), "timeout": 1, "statements": [["SELECT 1", []]]}
    broken = dict(quiet, statements=[["SELECT * FROM no_such_table", []]])
    with pytest.raises(store.StorageError, match="no such table: no_such_table"):
        rollup_recount.run([quiet, broken])
    rollup_recount.run([quiet, quiet])


def test_the_scratch_files_are_private_and_gone_after_the_count(copy, ranges_used, monkeypatch):
    seen = {}
    real = rollup_recount.run

    def looked(jobs):
        for one in jobs:
            scratch = next(args[0] for q, args in one["statements"] if q.startswith("ATTACH"))
            seen[scratch] = os.stat(os.path.dirname(scratch)).st_mode & 0o777
        real(jobs)
        assert all(os.path.exists(s) for s in seen)

    monkeypatch.setattr(rollup_recount, "run", looked)
    with store.unit(copy) as db:
        sql.rebuild(db)
        assert "stats_part0" not in {r[1] for r in db.execute("PRAGMA database_list")}
    assert len(seen) == 2 and set(seen.values()) == {0o700}
    assert not any(os.path.exists(s) for s in seen)


def test_a_database_without_wal_is_counted_on_its_own_connection(copy, ranges_used):
    with store.unit(copy) as db:
        db.execute("PRAGMA journal_mode = DELETE")
        sql.rebuild(db)
        assert sql.differences(db) == ([], 0)
    assert ranges_used == []


def test_a_small_register_is_counted_on_its_own_connection(copy, monkeypatch):
    calls = []
    monkeypatch.setattr(rollup_recount, "run", lambda *a: calls.append(a))
    with store.unit(copy) as db:
        sql.rebuild(db)  # 240 incidents, fewer than SMALL
        assert sql.differences(db) == ([], 0)
    assert calls == []
