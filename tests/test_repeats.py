"""Repeat incidents: the same organisation, incident type (the cause) and department within 90 days
(``datalek.handling.repeats``, docs/domain/rules.md "Herhaalde incidenten")."""

import json
from datetime import timedelta

import pytest

from datalek import store
from datalek.handling import assessment, decisions, incidents, prefill, repeats
from datalek.handling.decisions import DecisionInput, NotBreachReason
from datalek.models import IncidentType, Status
from datalek.store import audit_log
from datalek.triage.facts import LawfulBasis
from tests.conftest import NOW, make_report


def _submit(db, world, at=NOW, who="reporter", org=None, **changes):
    org_id = org if org is not None else world.org.id
    report = make_report(
        org_id,
        now=at,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
        **changes,
    )
    return incidents.submit_report(db, world[who], report, at=at)


def _status(db, incident_id):
    return db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]


def _repeat_of(db, incident_id):
    return db.execute("SELECT repeat_of FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]


def test_the_same_kind_of_incident_in_the_same_department_is_a_repeat(fresh_db, world):
    earlier = _submit(fresh_db, world, NOW - timedelta(days=30))
    later = _submit(fresh_db, world)
    assert later.repeat_of == earlier.id == _repeat_of(fresh_db, later.id)
    assert earlier.repeat_of is None
    entry = audit_log.recent(fresh_db, 1, action="incident.create")[0]
    assert json.loads(entry["detail"])["repeat"] is True


def test_the_most_recent_earlier_incident_is_the_one_repeated(fresh_db, world):
    _submit(fresh_db, world, NOW - timedelta(days=200))
    middle = _submit(fresh_db, world, NOW - timedelta(days=20))
    assert _submit(fresh_db, world).repeat_of == middle.id


@pytest.mark.parametrize(
    ("days", "is_repeat"),
    [(1, True), (89, True), (90, True), (91, False), (180, False), (365, False)],
)
def test_the_period_is_90_days(fresh_db, world, days, is_repeat):
    assert repeats.WINDOW_DAYS == 90
    earlier = _submit(fresh_db, world, NOW - timedelta(days=days))
    assert _submit(fresh_db, world).repeat_of == (earlier.id if is_repeat else None)


def _other_org(db, world):
    return _submit(db, world, NOW - timedelta(days=30), who="other_reporter", org=world.other_org.id)


def _not_a_breach(db, world):
    earlier = _submit(db, world, NOW - timedelta(days=30))
    facts = prefill.facts_from_report(earlier, world.org).model_copy(
        update={"lawful_basis": LawfulBasis.MELDRECHT}
    )
    assessment.save(db, world["dpo"], earlier.id, facts)
    decisions.record(
        db,
        world["dpo"],
        earlier.id,
        DecisionInput(
            breach=False, not_breach_reason=NotBreachReason.MELDRECHT, motivation="Melding Veilig Thuis."
        ),
    )
    assert _status(db, earlier.id) == Status.NOT_A_BREACH.value
    return earlier


def _duplicate(db, world):
    """An earlier report recorded as a duplicate of one before the period: the same incident
    reported twice is no second incident."""
    original = _submit(db, world, NOW - timedelta(days=200))
    duplicate = _submit(db, world, NOW - timedelta(days=30))
    db.execute(
        "INSERT INTO decisions (incident_id, kind, lawful_basis, motivation, advice, decided_at, duplicate_of)"
        " VALUES (?, 'not_a_breach', 'no_incident', 'Dubbel.', '{}', '2026-10-01T00:00:00+00:00', ?)",
        [duplicate.id, original.id],
    )
    db.conn.commit()
    return duplicate


@pytest.mark.parametrize(
    "make_earlier",
    [
        lambda db, w: _submit(db, w, NOW - timedelta(days=30), department="Jeugdteam"),
        lambda db, w: _submit(db, w, NOW - timedelta(days=30), situation="letter_wrong_address"),
        _other_org,
        lambda db, w: _submit(db, w, NOW - timedelta(days=91)),
        _not_a_breach,
        lambda db, w: _duplicate(db, w),
    ],
    ids=[
        "other-department",
        "other-type",
        "other-organisation",
        "more-than-90-days",
        "earlier-not-a-breach",
        "earlier-a-duplicate",
    ],
)
def test_not_a_repeat(fresh_db, world, make_earlier):
    make_earlier(fresh_db, world)
    later = _submit(fresh_db, world)
    assert later.repeat_of is None and _repeat_of(fresh_db, later.id) is None
    assert json.loads(audit_log.recent(fresh_db, 1, action="incident.create")[0]["detail"])["repeat"] is False


def test_a_later_incident_does_not_make_the_earlier_one_a_repeat(fresh_db, world):
    later = _submit(fresh_db, world)
    earlier = _submit(fresh_db, world, NOW - timedelta(days=10))
    assert earlier.repeat_of is None and _repeat_of(fresh_db, later.id) is None


def test_an_empty_department_never_matches(fresh_db, world):
    earlier = _submit(fresh_db, world, NOW - timedelta(days=30))
    later = _submit(fresh_db, world)
    assert later.repeat_of == earlier.id
    fresh_db.execute("UPDATE incidents SET department = '' WHERE id IN (?, ?)", [earlier.id, later.id])
    with store.write(fresh_db):
        assert repeats.detect(fresh_db, later.id) is None
    assert _repeat_of(fresh_db, later.id) is None


def test_incidents_of_undetermined_type_are_never_repeats(fresh_db, world):
    _submit(fresh_db, world, NOW - timedelta(days=30), situation="other")
    assert _submit(fresh_db, world, situation="other").repeat_of is None


def test_correcting_the_type_in_the_assessment_detects_and_clears_a_repeat(fresh_db, world):
    earlier = _submit(fresh_db, world, NOW - timedelta(days=30))
    later = _submit(fresh_db, world, situation="letter_wrong_address")
    assert later.repeat_of is None
    facts = prefill.facts_from_report(later, world.org)
    assessment.save(
        fresh_db,
        world["dpo"],
        later.id,
        facts.model_copy(update={"incident_type": IncidentType.SENT_BY_MISTAKE}),
    )
    assert _repeat_of(fresh_db, later.id) == earlier.id
    assessment.save(
        fresh_db,
        world["dpo"],
        later.id,
        facts.model_copy(update={"incident_type": IncidentType.MAIL_MISDELIVERED}),
    )
    assert _repeat_of(fresh_db, later.id) is None


def test_the_rule_applied_to_every_incident(fresh_db, world):
    """``detect_all`` (demo data, the migration to this rule) gives what detection per report
    gives."""
    made = [_submit(fresh_db, world, NOW - timedelta(days=d)) for d in (300, 250, 100, 40, 0)]
    expected = {i.id: i.repeat_of for i in made}
    fresh_db.execute("UPDATE incidents SET repeat_of = NULL")
    with store.write(fresh_db):
        repeats.detect_all(fresh_db)
    found = dict(fresh_db.execute("SELECT id, repeat_of FROM incidents").fetchall())
    assert found == expected
    assert list(expected.values()) == [None, made[0].id, None, made[2].id, made[3].id]
