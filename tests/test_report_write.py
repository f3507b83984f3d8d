"""Issue #18: the write of one employee report costs as little as it can without giving up a
guarantee. The roll-up counts a new report once (it is inserted with its repeat already found),
the writer runs few statements per report, the state of an incident is read in one query with
the same values as table by table, and a burst of concurrent reports, some failing, leaves the
audit chain, its checkpoints and the roll-up verified."""

from __future__ import annotations

import json
import threading

import pytest

from datalek import config, store, submissions
from datalek.accounts import audit, audit_anchor, audit_verify
from datalek.demo import dataset
from datalek.handling import incidents
from datalek.models import Actor
from datalek.store import audit_log, group_commit
from datalek.store import stats as stats_sql
from tests.conftest import NOW, make_report


@pytest.fixture
def in_caller(monkeypatch):
    """The report is written on the caller's connection (no group writer): what one report's
    write does can then be watched on that connection."""
    monkeypatch.setattr(group_commit, "enabled", False)


def _submit(db, actor, minutes: int = 0):
    at = NOW.replace(minute=minutes)
    return incidents.submit_report(db, actor, make_report(actor.org_ids[0], now=at), at=at)


def test_a_new_report_is_counted_by_the_roll_up_once(fresh_db, world, in_caller):
    first = _submit(fresh_db, world["reporter"])
    fresh_db.execute("CREATE TEMP TABLE recounts (incident_id INTEGER)")
    fresh_db.execute(  # every recount of an incident stores its facts again
        "CREATE TEMP TRIGGER count_recounts AFTER INSERT ON main.stats_facts"
        " BEGIN INSERT INTO recounts VALUES (NEW.id); END"
    )
    second = _submit(fresh_db, world["reporter"], minutes=5)
    assert second.repeat_of == first.id
    recounts = [r for (r,) in fresh_db.execute("SELECT incident_id FROM recounts")]
    assert recounts == [second.id], f"the roll-up recounted the new report {len(recounts)} times"
    assert stats_sql.differences(fresh_db) == ([], 0)


class _Counting:
    """A connection that counts the statements handed to SQLite."""

    def __init__(self, conn):
        self._conn, self.statements = conn, []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


#: Statements one report's write may take (BEGIN and COMMIT included). The roll-up's triggers
#: run inside the INSERT and are not counted: their cost is measured in docs/benchmarks.md.
STATEMENT_BUDGET = 14


def test_writing_a_report_takes_few_statements(fresh_db, world, in_caller):
    _submit(fresh_db, world["reporter"])  # the audit key and the head exist from here on
    counting = _Counting(fresh_db.conn)
    fresh_db.conn = counting
    try:
        _submit(fresh_db, world["reporter"], minutes=5)
    finally:
        fresh_db.conn = counting._conn
    # the caller reads its incident back after the COMMIT: one more statement
    written = counting.statements[: counting.statements.index("COMMIT") + 1]
    assert len(written) <= STATEMENT_BUDGET, "\n".join([f"{len(written)} statements:", *written])


def _state_table_by_table(db, incident_id: int, version: int) -> dict:
    """The reference: one query per table, as the state was first read."""
    state = {}
    for table, columns in audit_log.STATE_COLUMNS[version].items():
        key = "id" if table == "incidents" else "incident_id"
        rows = db.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ? ORDER BY id", [incident_id]
        )
        state[table] = [list(row) for row in rows]
    return state


def test_the_state_of_an_incident_is_read_in_one_query_with_the_same_values(tmp_path):
    path = tmp_path / "demo.db"
    dataset.generate(str(path), 40, years=1, seed=5, now=NOW, with_accounts=False)
    with store.unit(path) as db:
        ids = [*audit_log.incident_ids(db), 10**9]  # and one that does not exist
        for version in sorted(audit_log.STATE_COLUMNS):
            for incident_id in ids:
                expected = _state_table_by_table(db, incident_id, version)
                state = audit_log.incident_state(db, incident_id, version)
                assert json.dumps(state, sort_keys=True) == json.dumps(expected, sort_keys=True)


# --- a burst of concurrent reports ------------------------------------------------------------


def _fails_after_writing(db_path) -> None:
    def body(db):
        audit.append(db, Actor.cli(), "test.failing")
        db.execute("INSERT INTO organisations (name, created_at) VALUES ('Weg', 'x')")
        raise ValueError("this job fails")

    with store.unit(db_path) as db:
        group_commit.run(db, body)


def test_a_burst_of_reports_leaves_the_audit_trail_and_the_roll_up_verified(world, db_path):
    reporters = [world["reporter"], world["reporter2"], world["other_reporter"]]
    key = submissions.new_key()
    made, failed, repeated = [], [], []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for i in range(6):
            try:
                if (n + i) % 5 == 0 and i != 3:
                    _fails_after_writing(db_path)
                with store.unit(db_path) as db:
                    actor = reporters[(n + i) % 3]
                    if i == 3:  # every thread tries the same form once: it records once
                        with submissions.once(db, actor, key, "r_"):
                            incident = incidents.submit_report(db, actor, make_report(actor.org_ids[0]))
                    else:
                        incident = incidents.submit_report(db, actor, make_report(actor.org_ids[0]))
                with lock:
                    made.append(incident.reference)
            except ValueError:
                with lock:
                    failed.append(n)
            except submissions.Repeated:
                with lock:
                    repeated.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    writer_ = group_commit.writer_for(db_path)
    assert writer_ is not None and writer_.groups < len(made)  # reports shared commits
    group_commit.shutdown()
    with store.unit(db_path) as db:
        stored = {r for (r,) in db.execute("SELECT org_id || ' ' || reference FROM incidents")}
        assert len(stored) == len(made) == 16 * 6 - len(failed) - len(repeated)
        assert len(repeated) == 15
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'test.failing'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM organisations WHERE name = 'Weg'").fetchone()[0] == 0
        result = audit_verify.verify(db)
        assert result.intact, result.message
        last = db.execute("SELECT max(seq), hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
        seq, head = last.fetchone()
        for (incident_id,) in db.execute("SELECT id FROM incidents").fetchall():
            assert audit_log.newest_state(db, incident_id) == audit_anchor.state_hash(db, incident_id)
        assert stats_sql.differences(db) == ([], 0)
    lines = config.audit_checkpoint_path(db_path).read_text().splitlines()
    assert lines[-1].split()[1:3] == [str(seq), head]  # the last checkpoint covers the last entry
