"""``benchmarks/recount_phases.py`` puts every statement of a worker's job under the step it
belongs to, so that the figures in docs/benchmarks.md add up to what the workers do."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from benchmarks import recount_phases
from datalek.demo import dataset
from datalek.store import rollup_recount, rollup_result, rollup_tally


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("phases") / "demo.db"
    dataset.generate(
        str(path), 60, years=1, seed=3, now=datetime(2026, 11, 20, 12, tzinfo=UTC), with_accounts=False
    )
    return path


def _job(path, tmp_path) -> dict:
    from datalek import store

    with store.unit(path) as db:
        parts = rollup_recount.ranges(db, 2)
        return rollup_recount.Room(db, str(tmp_path), keep=True).jobs(parts)[0]


def test_every_statement_of_a_job_is_under_its_step(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(rollup_recount, "SMALL", 2)
    statements = [s for s, _ in _job(demo, tmp_path)["statements"]]
    steps = {s: recount_phases.step(s) for s in statements}
    counted = rollup_tally.statements("part.stats_cube", "part.stats_facts", "part.stats_measure_facts")
    assert {steps[s] for s in statements if s in counted} == {"cells"}
    assert sum(step == "what differs" for step in steps.values()) == len(rollup_result.DIFFERING)
    for name in ("raw moments and answers", "facts", "measure facts"):
        assert list(steps.values()).count(name) == 1, name
    rest = [s for s, step in steps.items() if step == "the rest"]
    assert all(s.split()[0] in {"PRAGMA", "ATTACH", "CREATE", "BEGIN", "COMMIT", "SELECT"} for s in rest), (
        rest
    )
    assert not [s for s in rest if s.startswith("INSERT")]


def _stored(path) -> list:
    connection = sqlite3.connect(path)
    try:
        return [
            sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in (
                "stats_facts",
                "stats_measure_facts",
                "stats_cube",
                "stats_versions",
                "stats_recounts",
            )
        ]
    finally:
        connection.close()


def test_the_phases_are_measured_on_the_job_the_rebuild_runs(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(rollup_recount, "SMALL", 2)
    monkeypatch.setattr(rollup_recount, "workers", lambda: 2)
    path = tmp_path / "copy.db"
    source, target = sqlite3.connect(demo), sqlite3.connect(path)
    source.backup(target)
    source.close(), target.close()
    with sqlite3.connect(path) as connection:  # a roll-up gone wrong stays as it is
        connection.execute("UPDATE stats_cube SET n = n + 1 WHERE dimension = 'total'")
    before = _stored(path)
    figures = recount_phases.measure(str(path))
    assert figures["incidents"] == 60 and len(figures["workers"]) == 2
    for worker in figures["workers"]:
        assert worker[recount_phases.BASELINE] > 0
        assert all(worker[step] > 0 for step in recount_phases.STEPS[:5])
    lines = recount_phases.table(figures)
    assert lines[2].startswith(f"| {recount_phases.BASELINE} |") and "60 incidents" in lines[-1]
    assert _stored(path) == before  # nothing was written to the database
