"""A form records once: a submission key is claimed in the transaction of the record it
makes, so a repeated submission records nothing and a failed one gives the key back."""

from datetime import timedelta

import pytest

from datalek import clock, store, submissions
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import measures
from datalek.handling import incidents
from tests.conftest import NOW, make_report
from tests.test_measures import GOOD, fixed_now  # noqa: F401 - the clock of those tests


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    return incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW).id


def _count(db, incident_id: int) -> int:
    return db.execute("SELECT count(*) FROM measures WHERE incident_id = ?", [incident_id]).fetchone()[0]


def _add_once(db, actor, incident_id, key):
    with submissions.once(db, actor, key, "ms_"):
        return measures.add(db, actor, incident_id, GOOD)


def test_the_same_key_twice_records_one_measure(fresh_db, world, incident_id):
    key = submissions.new_key()
    _add_once(fresh_db, world["dpo"], incident_id, key)
    with pytest.raises(submissions.Repeated):
        _add_once(fresh_db, world["dpo"], incident_id, key)
    assert _count(fresh_db, incident_id) == 1
    _add_once(fresh_db, world["dpo"], incident_id, submissions.new_key())  # a new form: a new record
    assert _count(fresh_db, incident_id) == 2


def test_a_write_that_fails_gives_the_key_back(fresh_db, world, incident_id):
    key = submissions.new_key()
    with (
        pytest.raises(RuntimeError),
        submissions.once(fresh_db, world["dpo"], key, "ms_"),
        store.write(fresh_db),
    ):
        raise RuntimeError("disk full")
    _add_once(fresh_db, world["dpo"], incident_id, key)
    assert _count(fresh_db, incident_id) == 1


def test_refused_input_leaves_the_key_free(fresh_db, world, incident_id):
    key = submissions.new_key()
    with pytest.raises(measures.InvalidInput), submissions.once(fresh_db, world["dpo"], key, "ms_"):
        measures.add(fresh_db, world["dpo"], incident_id, GOOD.model_copy(update={"owner": ""}))
    _add_once(fresh_db, world["dpo"], incident_id, key)
    assert _count(fresh_db, incident_id) == 1


def test_a_refusal_inside_once_is_still_audited(fresh_db, world, incident_id):
    def refused() -> int:
        return fresh_db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]

    before = refused()
    with pytest.raises(PermissionDenied):
        _add_once(fresh_db, world["reporter"], incident_id, submissions.new_key())
    assert refused() == before + 1
    assert fresh_db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0  # not spent on it
    assert _count(fresh_db, incident_id) == 0


def test_a_refusal_after_a_spent_key_is_still_audited(fresh_db, world, incident_id):
    key = submissions.new_key()
    _add_once(fresh_db, world["dpo"], incident_id, key)
    before = fresh_db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
    with pytest.raises(PermissionDenied):
        _add_once(fresh_db, world["reporter"], incident_id, key)
    assert (
        fresh_db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
        == before + 1
    )
    assert _count(fresh_db, incident_id) == 1


@pytest.mark.parametrize("key", ["", "abc", "0" * 31, "g" * 32, "0" * 32 + "'; --"])
def test_a_malformed_key_records_nothing(fresh_db, world, incident_id, key):
    with pytest.raises(submissions.Repeated):
        _add_once(fresh_db, world["dpo"], incident_id, key)
    assert _count(fresh_db, incident_id) == 0


def test_a_claim_outside_a_write_is_a_programming_error(fresh_db, world):
    with pytest.raises(RuntimeError):
        submissions.claim(fresh_db, world["dpo"], submissions.new_key(), "ms_")


def test_keys_older_than_a_week_are_pruned(fresh_db, world, incident_id, monkeypatch):
    old = submissions.new_key()
    _add_once(fresh_db, world["dpo"], incident_id, old)
    later = clock.now() + submissions.KEEP + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _add_once(fresh_db, world["dpo"], incident_id, submissions.new_key())
    keys = {k for (k,) in fresh_db.execute("SELECT key FROM submissions")}
    assert old not in keys and len(keys) == 1
