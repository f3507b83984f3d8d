"""The demo loads in bulk: the roll-up's triggers are off while it writes and the roll-up is
counted once at the end. The database is the same as when every write recounts its incident
through the triggers, the roll-up equals a fresh count, the audit trail verifies, and after the
demo the triggers are back: a later write updates the roll-up."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from datalek import store
from datalek.accounts import audit_verify
from datalek.demo import dataset
from datalek.store import incidents as incident_sql
from datalek.store import rollup
from datalek.store import stats as stats_sql

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
COUNT = 300
SEED = 3
#: Stamped with the time of the run, or keyed with the database's own random audit key.
RUN_COLUMNS = {
    "_sqlite_migrations": {"applied_at"},
    "organisations": {"created_at"},
    "audit_log": {"at", "prev_hash", "hash"},
    "audit_head": {"hash", "key_id", "mac"},
    # a number per part that only has to move when the part changes: the bulk load raises them
    # once, recounting every write raises them at each write (its parts are compared)
    "stats_versions": {"v"},
    # random like the demo passwords: no demo link or follow-up token can be opened (issue #16)
    "report_links": {"token_hash"},
    "report_follow_ups": {"token_hash"},
}


def _triggers(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted: the roll-up's cells carry no meaning in their rowid), without
    the columns of the run's own time and key; and the schema."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        out = {}
        for name in names:
            skip = RUN_COLUMNS.get(name, set())
            cols = [f'"{r[1]}"' for r in conn.execute(f'PRAGMA table_info("{name}")') if r[1] not in skip]
            out[name] = sorted(conn.execute(f'SELECT {", ".join(cols)} FROM "{name}"').fetchall(), key=repr)
        out["sqlite_master"] = sorted(
            conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr
        )
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "bulk.db"
    dataset.generate(str(path), COUNT, 3, SEED, now=NOW, with_accounts=False)
    return path


def test_the_incidents_are_written_without_the_roll_up_triggers(tmp_path, monkeypatch):
    seen = []
    real = incident_sql.insert_incidents

    def spy(db, rows):
        seen.append(_triggers(db))
        return real(db, rows)

    monkeypatch.setattr(incident_sql, "insert_incidents", spy)
    dataset.generate(str(tmp_path / "demo.db"), 20, 3, SEED, now=NOW, with_accounts=False)
    assert seen, "the demo wrote no incidents"
    assert [t for t in seen[0] if t.startswith("stats_")] == [], "roll-up triggers ran during the bulk load"


def test_bulk_gives_the_same_database_as_recounting_every_write(bulk, tmp_path, monkeypatch):
    per_write = tmp_path / "per-write.db"
    # The path before the bulk load: the triggers stay on and recount at every write.
    monkeypatch.setattr(
        dataset,
        "rollup",
        SimpleNamespace(uninstall=lambda db: None, rebuild=lambda db: None),
        raising=False,
    )
    dataset.generate(str(per_write), COUNT, 3, SEED, now=NOW, with_accounts=False)
    ours, theirs = _tables(bulk), _tables(per_write)
    assert sorted(ours) == sorted(theirs)
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert differ == []
    assert len(ours["stats_facts"]) == COUNT and ours["stats_cube"]


def test_the_roll_up_equals_a_fresh_count_and_the_audit_verifies(bulk):
    with store.unit(bulk) as db:
        assert stats_sql.differences(db) == ([], 0)
        result = audit_verify.verify(db)
    assert result.intact, result.message


def test_the_triggers_are_back_and_a_later_write_updates_the_roll_up(bulk, tmp_path):
    path = tmp_path / "after.db"
    target = sqlite3.connect(path)
    sqlite3.connect(bulk).backup(target)  # a copy: the module's database stays as the demo left it
    target.close()
    with store.unit(path) as db:
        assert set(rollup._triggers({c.name for c in db["incidents"].columns})) <= set(_triggers(db))
        moved = "SELECT coalesce(sum(n), 0) FROM stats_cube WHERE dimension = 'total' AND department = ?"
        assert db.execute(moved, ["Nieuwe afdeling"]).fetchone()[0] == 0
        with store.write(db):
            db.execute(
                "UPDATE incidents SET department = 'Nieuwe afdeling' WHERE id = (SELECT max(id) FROM incidents)"
            )
        assert db.execute(moved, ["Nieuwe afdeling"]).fetchone()[0] == 1
        assert stats_sql.differences(db) == ([], 0)


def test_a_failed_demo_leaves_the_triggers_in_place(tmp_path, monkeypatch):
    path = tmp_path / "failed.db"
    store.migrate(path)
    with store.unit(path) as db:
        installed = _triggers(db)

    def broken(*args, **kwargs):
        raise RuntimeError("stop")

    monkeypatch.setattr(dataset.actions, "generate", broken)
    with pytest.raises(RuntimeError):
        dataset.generate(str(path), 20, 3, SEED, now=NOW, with_accounts=False)
    with store.unit(path) as db:
        assert _triggers(db) == installed
        assert db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
