"""The role x domain-function matrix: every read and write checks the actor in the domain core;
every refusal raises PermissionDenied and is written to the audit trail."""

from __future__ import annotations

import json

import pytest

from datalek import accounts, assessment, audit, decisions, incidents, permissions, register, stats
from datalek.decisions import DecisionInput, Inform
from datalek.models import Actor, Role, Status
from datalek.permissions import PermissionDenied
from tests.conftest import NOW, PASSWORD, make_report


@pytest.fixture
def case(fresh_db, world):
    """An incident reported by 'reporter' in the first organisation, already assessed."""
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    facts = assessment.prefill(incident, world.org)
    assessment.save(fresh_db, world["dpo"], incident.id, facts, "gevolgen", "maatregelen")
    other = incidents.submit_report(fresh_db, world["other_reporter"], make_report(world.other_org.id), at=NOW)
    return fresh_db, world, incident.id, other.id


CALLS = {
    "submit-own-org": ("incident.create", lambda db, w, a, i, o: incidents.submit_report(
        db, a, make_report(w.org.id), at=NOW)),
    "submit-other-org": ("incident.create", lambda db, w, a, i, o: incidents.submit_report(
        db, a, make_report(w.other_org.id), at=NOW)),
    "read-incident": ("incident.read", lambda db, w, a, i, o: incidents.read_incident(db, a, i)),
    "read-other-org-incident": ("incident.read", lambda db, w, a, i, o: incidents.read_incident(db, a, o)),
    "read-unknown-id": ("incident.read", lambda db, w, a, i, o: incidents.read_incident(db, a, 999_999)),
    "supplement": ("incident.supplement", lambda db, w, a, i, o: incidents.add_supplement(db, a, i, "Meer info.")),
    "change-status": ("incident.status", lambda db, w, a, i, o: incidents.change_status(
        db, a, i, Status.NOT_A_BREACH, "Meldrecht.")),
    "queue": ("incident.queue", lambda db, w, a, i, o: incidents.queue(db, a)),
    "my-reports": ("incident.list_own", lambda db, w, a, i, o: incidents.my_reports(db, a)),
    "assessment-read": ("assessment.read", lambda db, w, a, i, o: assessment.current(db, a, i)),
    "decision-record": ("decision.record", lambda db, w, a, i, o: decisions.record(db, a, i, DecisionInput(
        breach=True, notify_authority=True, inform=Inform.YES, motivation="m", deviation_motivation="d"))),
    "register-gaps": ("register.read", lambda db, w, a, i, o: register.gaps_for(db, a, i)),
    "overview-own-org": ("stats.overview", lambda db, w, a, i, o: stats.overview(db, a, [w.org.id], 2026)),
    "overview-other-org": ("stats.overview", lambda db, w, a, i, o: stats.overview(db, a, [w.other_org.id], 2026)),
    "create-user": ("user.create", lambda db, w, a, i, o: accounts.create_user(
        db, a, "Nieuw", "nieuw@test.invalid", Role.REPORTER, PASSWORD, [w.org.id])),
    "create-organisation": ("organisation.create", lambda db, w, a, i, o: accounts.create_organisation(
        db, a, "Gemeente Nieuw")),
    "list-users": ("user.list", lambda db, w, a, i, o: accounts.list_users(db, a)),
    "disable-user": ("user.disable", lambda db, w, a, i, o: accounts.set_active(db, a, w["reporter2"].user_id, False)),
    "set-other-password": ("user.password", lambda db, w, a, i, o: accounts.set_password(
        db, a, w["reporter2"].user_id, PASSWORD + "!")),
    "audit-verify": ("audit.verify", lambda db, w, a, i, o: audit.check(db, a)),
}
ALLOWED = {
    "reporter": {"submit-own-org", "read-incident", "supplement", "my-reports"},
    "reporter2": {"submit-own-org", "my-reports", "set-other-password"},  # it is their own password
    "dpo": {"submit-own-org", "read-incident", "supplement", "change-status", "queue", "my-reports",
            "assessment-read", "decision-record", "register-gaps", "overview-own-org"},
    "management": {"overview-own-org", "my-reports"},
    "admin": {"create-user", "create-organisation", "list-users", "disable-user", "set-other-password",
              "audit-verify", "my-reports"},
    # the second organisation's FG: "other org" is their own organisation
    "other_dpo": {"queue", "my-reports", "submit-other-org", "read-other-org-incident",
                  "overview-other-org"},
}
MATRIX = [(who, call) for who in ALLOWED for call in CALLS]


@pytest.mark.parametrize(("who", "call"), MATRIX,
                         ids=[f"{w}-{c}-{'allowed' if c in ALLOWED[w] else 'refused'}" for w, c in MATRIX])
def test_role_function_matrix(case, who, call):
    db, world, incident_id, other_id = case
    action, run = CALLS[call]
    before = db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
    if call in ALLOWED[who]:
        run(db, world, world[who], incident_id, other_id)
        after = db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
        assert after == before
        return
    with pytest.raises(PermissionDenied):
        run(db, world, world[who], incident_id, other_id)
    row = db.execute("SELECT actor_id, detail FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert row[0] == world[who].user_id
    assert json.loads(row[1])["attempted"] == action


def test_the_cli_operator_administers_but_never_reads_incidents(case):
    db, world, incident_id, _ = case
    accounts.list_users(db, Actor.cli())
    with pytest.raises(PermissionDenied):
        incidents.read_incident(db, Actor.cli(), incident_id)


def test_management_gets_counts_only(case):
    db, world, _, _ = case
    overview = stats.overview(db, world["management"], [world.org.id], 2026)
    text = repr(overview)
    assert "Verslag naar een verkeerde ouder" not in text and "@" not in text


def test_a_refused_read_does_not_reveal_whether_the_incident_exists(case):
    db, world, _, other_id = case
    messages = []
    for target in (other_id, 999_999):
        with pytest.raises(PermissionDenied) as refused:
            incidents.read_incident(db, world["dpo"], target)
        messages.append(refused.value.message)
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("role", "same_org", "reporter_is_me", "read", "handle"),
    [(Role.REPORTER, True, True, True, False), (Role.REPORTER, True, False, False, False),
     (Role.DPO, True, False, True, True), (Role.DPO, False, False, False, False),
     (Role.MANAGEMENT, True, False, False, False), (Role.ADMIN, True, False, False, False)],
    ids=["reporter-own", "reporter-colleague", "dpo-own-org", "dpo-other-org", "management", "admin"],
)  # fmt: skip
def test_predicates(role, same_org, reporter_is_me, read, handle):
    actor = Actor(user_id=7, role=role, org_ids=(1,))
    org = 1 if same_org else 2
    reporter = 7 if reporter_is_me else 8
    assert permissions.may_read_incident(actor, org, reporter) is read
    assert permissions.may_handle_incident(actor, org) is handle
