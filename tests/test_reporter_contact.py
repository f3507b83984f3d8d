"""The FG may contact the employee who reported (the report form says so): the FG of the
incident's organisation reads the reporter's name, department and e-mail address; nobody else
does, and every read is audited (issue #20)."""

from __future__ import annotations

import pytest

from datalek.accounts.permissions import Action, PermissionDenied
from datalek.accounts.users import set_active
from datalek.handling import incidents
from datalek.models import Actor
from tests.conftest import NOW, make_report


@pytest.fixture
def incident(fresh_db, world):
    return incidents.submit_report(
        fresh_db, world["reporter"], make_report(world.org.id, department="Jeugd"), at=NOW
    )


def _entries(db, action: str) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM audit_log WHERE action = ?", [action])]


def test_the_dpo_of_the_organisation_sees_who_reported(fresh_db, world, incident):
    found = incidents.reporter(fresh_db, world["dpo"], incident.id)
    assert found == incidents.Reporter(
        name="Reporter", email="reporter@test.invalid", department="Jeugd", active=True
    )


def test_reading_the_reporter_is_audited_without_the_name(fresh_db, world, incident):
    incidents.reporter(fresh_db, world["dpo"], incident.id)
    (entry,) = _entries(fresh_db, "incident.reporter")
    assert entry["actor_id"] == world["dpo"].user_id
    assert entry["object_type"] == "incident" and entry["object_id"] == str(incident.id)
    assert "Reporter" not in str(entry) and "reporter@test.invalid" not in str(entry)


@pytest.mark.parametrize(
    "who",
    ["management", "admin", "other_dpo", "reporter2", "other_reporter", "other_management", "cli"],
)
def test_nobody_else_sees_who_reported(fresh_db, world, incident, who):
    actor = Actor.cli() if who == "cli" else world[who]
    before = len(_entries(fresh_db, "refused"))
    with pytest.raises(PermissionDenied):
        incidents.reporter(fresh_db, actor, incident.id)
    refused = _entries(fresh_db, "refused")
    assert len(refused) == before + 1
    assert Action.READ_REPORTER.value in refused[-1]["detail"]
    assert _entries(fresh_db, "incident.reporter") == []


def test_an_unknown_incident_is_refused_like_a_foreign_one(fresh_db, world):
    with pytest.raises(PermissionDenied):
        incidents.reporter(fresh_db, world["dpo"], 999_999)


def test_a_switched_off_reporter_is_no_longer_shown(fresh_db, world, incident):
    set_active(fresh_db, Actor.cli(), world["reporter"].user_id, False)
    found = incidents.reporter(fresh_db, world["dpo"], incident.id)
    assert found == incidents.Reporter(name="", email="", department="Jeugd", active=False)


def test_a_report_whose_reporter_was_removed_shows_no_one(fresh_db, world, incident):
    """After the retention period the reporter is unlinked (``reporter_id`` NULL)."""
    with fresh_db.conn:
        fresh_db.execute("UPDATE incidents SET reporter_id = NULL WHERE id = ?", [incident.id])
    found = incidents.reporter(fresh_db, world["dpo"], incident.id)
    assert found.active is False and found.name == "" and found.email == ""
