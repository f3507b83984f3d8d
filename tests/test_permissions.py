"""THE ROLE x DOMAIN FUNCTION MATRIX.

Every domain function checks the acting user in the domain core. A refusal raises
``PermissionDenied`` and appends exactly one audit entry: action 'refused', the actor's id,
and ``detail.attempted`` naming the refused action. An allowed call writes no refusal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from datalek import store
from datalek.accounts import permissions
from datalek.accounts.organisations import create_organisation
from datalek.accounts.permissions import (
    Account,
    Action,
    IncidentRef,
    OrgRef,
    OrgSelection,
    Owner,
    PermissionDenied,
)
from datalek.accounts.users import create_user, get_user, list_users, set_active, set_password
from datalek.handling import incidents, lifecycle
from datalek.insight import figures, stats
from datalek.models import Actor, IncidentType, Role, Status
from datalek.store import audit_log
from tests.conftest import NOW, make_report

UNKNOWN_ID = 999_999
DESCRIPTION = "Verslag naar een verkeerde ouder gestuurd."


@dataclass
class Case:
    db: object
    world: object
    mine: int  # reported by 'reporter' in the first organisation
    foreign: int  # reported by 'other_reporter' in the second organisation

    def actor(self, key: str) -> Actor:
        return Actor.cli() if key == "cli" else self.world[key]


@pytest.fixture
def case(fresh_db, world) -> Case:
    mine = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    foreign = incidents.submit_report(
        fresh_db, world["other_reporter"], make_report(world.other_org.id), at=NOW
    )
    return Case(fresh_db, world, mine.id, foreign.id)


Call = Callable[[Case, Actor], object]

#: name -> (the action a refusal names, the call)
CALLS: dict[str, tuple[str, Call]] = {
    # incidents
    "submit_report(own org)": (
        "incident.create",
        lambda c, a: incidents.submit_report(c.db, a, make_report(c.world.org.id), at=NOW),
    ),
    "submit_report(other org)": (
        "incident.create",
        lambda c, a: incidents.submit_report(c.db, a, make_report(c.world.other_org.id), at=NOW),
    ),
    "read_incident(reporter's)": ("incident.read", lambda c, a: incidents.read_incident(c.db, a, c.mine)),
    "read_incident(other org's)": ("incident.read", lambda c, a: incidents.read_incident(c.db, a, c.foreign)),
    "read_incident(unknown id)": ("incident.read", lambda c, a: incidents.read_incident(c.db, a, UNKNOWN_ID)),
    "add_supplement(reporter's)": (
        "incident.supplement",
        lambda c, a: incidents.add_supplement(c.db, a, c.mine, "De ontvanger heeft teruggebeld."),
    ),
    "add_supplement(other org's)": (
        "incident.supplement",
        lambda c, a: incidents.add_supplement(c.db, a, c.foreign, "De ontvanger heeft teruggebeld."),
    ),
    "change_status(reporter's)": (
        "incident.status",
        lambda c, a: lifecycle.change_status(c.db, a, c.mine, Status.IN_PROGRESS),
    ),
    "change_status(other org's)": (
        "incident.status",
        lambda c, a: lifecycle.change_status(c.db, a, c.foreign, Status.IN_PROGRESS),
    ),
    "queue": ("incident.queue", lambda c, a: incidents.queue(c.db, a)),
    "queue(other org)": (
        "incident.queue",
        lambda c, a: incidents.queue(c.db, a, org_id=c.world.other_org.id),
    ),
    "my_reports": ("incident.list_own", lambda c, a: incidents.my_reports(c.db, a)),
    # aggregates
    "stats.overview(own org)": (
        "stats.overview",
        lambda c, a: stats.overview(c.db, a, [c.world.org.id], 2026),
    ),
    "stats.overview(other org)": (
        "stats.overview",
        lambda c, a: stats.overview(c.db, a, [c.world.other_org.id], 2026),
    ),
    "stats.overview(both orgs)": (
        "stats.overview",
        lambda c, a: stats.overview(c.db, a, [c.world.org.id, c.world.other_org.id], 2026),
    ),
    "stats.overview(no org)": ("stats.overview", lambda c, a: stats.overview(c.db, a, [], 2026)),
    # stats.years refuses under the same action name as the overview it belongs to
    "stats.years(own org)": ("stats.overview", lambda c, a: stats.years(c.db, a, [c.world.org.id])),
    "stats.years(other org)": ("stats.overview", lambda c, a: stats.years(c.db, a, [c.world.other_org.id])),
    # accounts
    "create_user": (
        "user.create",
        lambda c, a: create_user(
            c.db, a, "Nieuwe Collega", "nieuw@test.invalid", Role.REPORTER, None, [c.world.org.id]
        ),
    ),
    "create_organisation": (
        "organisation.create",
        lambda c, a: create_organisation(c.db, a, "Gemeente Nieuw"),
    ),
    "list_users": ("user.list", lambda c, a: list_users(c.db, a)),
    "set_active(reporter2, off)": (
        "user.disable",
        lambda c, a: set_active(c.db, a, c.world["reporter2"].user_id, False),
    ),
    "set_active(reporter2, on)": (
        "user.enable",
        lambda c, a: set_active(c.db, a, c.world["reporter2"].user_id, True),
    ),
    "set_password(reporter2)": (
        "user.password",
        lambda c, a: set_password(c.db, a, c.world["reporter2"].user_id, "een heel nieuw wachtwoord"),
    ),
    "get_user(reporter2)": (
        "user.read",
        lambda c, a: get_user(c.db, a, c.world["reporter2"].user_id),
    ),
}

A, R = "allowed", "refused"

MATRIX = [
    # --- incidents.submit_report: reporters and FGs, only for their own organisation
    ("reporter", "submit_report(own org)", A),
    ("reporter", "submit_report(other org)", R),
    ("dpo", "submit_report(own org)", A),
    ("dpo", "submit_report(other org)", R),
    ("other_reporter", "submit_report(other org)", A),
    ("other_reporter", "submit_report(own org)", R),
    ("management", "submit_report(own org)", R),
    ("admin", "submit_report(own org)", R),
    ("cli", "submit_report(own org)", R),
    # --- incidents.read_incident
    ("reporter", "read_incident(reporter's)", A),  # own report
    ("reporter2", "read_incident(reporter's)", R),  # a colleague's report
    ("dpo", "read_incident(reporter's)", A),  # same organisation
    ("dpo", "read_incident(other org's)", R),
    ("other_dpo", "read_incident(other org's)", A),
    ("other_dpo", "read_incident(reporter's)", R),
    ("other_reporter", "read_incident(reporter's)", R),
    ("management", "read_incident(reporter's)", R),
    ("other_management", "read_incident(other org's)", R),
    ("admin", "read_incident(reporter's)", R),
    ("cli", "read_incident(reporter's)", R),
    ("dpo", "read_incident(unknown id)", R),
    ("reporter", "read_incident(unknown id)", R),
    ("admin", "read_incident(unknown id)", R),
    # --- incidents.add_supplement: whoever may read it
    ("reporter", "add_supplement(reporter's)", A),
    ("reporter2", "add_supplement(reporter's)", R),
    ("dpo", "add_supplement(reporter's)", A),
    ("dpo", "add_supplement(other org's)", R),
    ("other_dpo", "add_supplement(reporter's)", R),
    ("management", "add_supplement(reporter's)", R),
    ("admin", "add_supplement(reporter's)", R),
    # --- lifecycle.change_status: only the FG of the incident's organisation
    ("dpo", "change_status(reporter's)", A),
    ("dpo", "change_status(other org's)", R),
    ("other_dpo", "change_status(other org's)", A),
    ("other_dpo", "change_status(reporter's)", R),
    ("reporter", "change_status(reporter's)", R),
    ("management", "change_status(reporter's)", R),
    ("admin", "change_status(reporter's)", R),
    ("cli", "change_status(reporter's)", R),
    # --- incidents.queue: FGs, for their own organisations
    ("dpo", "queue", A),
    ("other_dpo", "queue", A),
    ("dpo", "queue(other org)", R),
    ("other_dpo", "queue(other org)", A),
    ("reporter", "queue", R),
    ("management", "queue", R),
    ("admin", "queue", R),
    # --- incidents.my_reports: anyone with an account (their own, possibly none)
    ("reporter", "my_reports", A),
    ("reporter2", "my_reports", A),
    ("dpo", "my_reports", A),
    ("management", "my_reports", A),
    ("admin", "my_reports", A),
    ("cli", "my_reports", R),
    # --- stats: management and FG of the organisations asked for, counts only
    ("management", "stats.overview(own org)", A),
    ("dpo", "stats.overview(own org)", A),
    ("other_management", "stats.overview(other org)", A),
    ("management", "stats.overview(other org)", R),
    ("dpo", "stats.overview(other org)", R),
    ("other_management", "stats.overview(own org)", R),
    ("management", "stats.overview(both orgs)", R),
    ("management", "stats.overview(no org)", R),
    ("reporter", "stats.overview(own org)", R),
    ("admin", "stats.overview(own org)", R),
    ("management", "stats.years(own org)", A),
    ("dpo", "stats.years(own org)", A),
    ("management", "stats.years(other org)", R),
    ("dpo", "stats.years(other org)", R),
    ("reporter", "stats.years(own org)", R),
    ("admin", "stats.years(own org)", R),
    # --- accounts: the beheerder (and the CLI operator); a user may set their own password
    ("admin", "create_user", A),
    ("cli", "create_user", A),
    ("reporter", "create_user", R),
    ("dpo", "create_user", R),
    ("management", "create_user", R),
    ("admin", "create_organisation", A),
    ("reporter", "create_organisation", R),
    ("dpo", "create_organisation", R),
    ("management", "create_organisation", R),
    ("admin", "list_users", A),
    ("reporter", "list_users", R),
    ("dpo", "list_users", R),
    ("management", "list_users", R),
    ("admin", "set_active(reporter2, off)", A),
    ("admin", "set_active(reporter2, on)", A),
    ("reporter2", "set_active(reporter2, off)", R),
    ("reporter", "set_active(reporter2, off)", R),
    ("dpo", "set_active(reporter2, off)", R),
    ("dpo", "set_active(reporter2, on)", R),
    ("management", "set_active(reporter2, off)", R),
    ("admin", "set_password(reporter2)", A),
    ("reporter2", "set_password(reporter2)", A),  # their own password
    ("reporter", "set_password(reporter2)", R),
    ("dpo", "set_password(reporter2)", R),
    ("management", "set_password(reporter2)", R),
    ("admin", "get_user(reporter2)", A),
    ("reporter2", "get_user(reporter2)", A),  # their own account
    ("reporter", "get_user(reporter2)", R),
    ("dpo", "get_user(reporter2)", R),
    ("management", "get_user(reporter2)", R),
]


def refusals(db) -> list[dict]:
    return [{**e, "detail": json.loads(e["detail"])} for e in audit_log.recent(db, 10_000, "refused")]


def audit_count(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.mark.parametrize(("who", "call", "expected"), MATRIX, ids=[f"{w}-{c}-{e}" for w, c, e in MATRIX])
def test_role_function_matrix(case, who, call, expected):
    action, run = CALLS[call]
    actor = case.actor(who)
    before_refusals = len(refusals(case.db))
    before_entries = audit_count(case.db)
    if expected == A:
        run(case, actor)
        assert len(refusals(case.db)) == before_refusals
        return
    with pytest.raises(PermissionDenied) as refused:
        run(case, actor)
    assert refused.value.action == action
    assert refused.value.message  # Dutch text for the user
    # exactly one entry was written: the refusal, nothing of the refused action itself
    assert audit_count(case.db) == before_entries + 1
    entry = refusals(case.db)[0]
    assert entry["seq"] == before_entries + 1
    assert entry["action"] == "refused"
    assert entry["actor_id"] == actor.user_id
    assert entry["actor_role"] == ("system" if actor.system else actor.role.value)
    assert entry["detail"]["attempted"] == action


def test_the_matrix_uses_every_call_and_covers_both_outcomes():
    assert {c for _, c, _ in MATRIX} == set(CALLS)
    for call in ("read_incident(reporter's)", "stats.overview(own org)", "set_password(reporter2)"):
        assert {e for _, c, e in MATRIX if c == call} == {A, R}


@pytest.mark.parametrize(
    ("who", "call"),
    [
        ("reporter", "submit_report(other org)"),
        ("management", "create_user"),
        ("dpo", "create_organisation"),
        ("reporter", "set_active(reporter2, off)"),
        ("reporter", "set_password(reporter2)"),
    ],
    ids=["incident", "user", "organisation", "disable", "password"],
)
def test_a_refused_write_changes_nothing(case, who, call):
    tables = ("incidents", "users", "organisations", "status_changes", "supplements")
    before = {t: case.db.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    with pytest.raises(PermissionDenied):
        CALLS[call][1](case, case.actor(who))
    assert {t: case.db.execute(f"SELECT * FROM {t}").fetchall() for t in tables} == before


@pytest.mark.parametrize(
    ("action", "run"),
    [
        ("incident.read", lambda c, a, i: incidents.read_incident(c.db, a, i)),
        ("incident.supplement", lambda c, a, i: incidents.add_supplement(c.db, a, i, "Meer.")),
        ("incident.status", lambda c, a, i: lifecycle.change_status(c.db, a, i, Status.IN_PROGRESS)),
    ],
    ids=["read", "supplement", "status"],
)
def test_an_unknown_id_is_refused_exactly_like_a_foreign_one(case, action, run):
    dpo = case.world["dpo"]
    seen = []
    for target in (case.foreign, UNKNOWN_ID):
        with pytest.raises(PermissionDenied) as refused:
            run(case, dpo, target)
        entry = refusals(case.db)[0]
        seen.append(
            (
                type(refused.value),
                refused.value.action,
                refused.value.message,
                entry["object_type"],
                entry["detail"],
            )
        )
    assert seen[0] == seen[1]
    assert seen[0][1] == action and seen[0][3] == "incident"


def test_management_gets_counts_and_labels_never_rows_or_free_text(case):
    for _ in range(5):  # enough reports that no cell is suppressed
        incidents.submit_report(case.db, case.world["reporter"], make_report(case.world.org.id), at=NOW)
    overview = stats.overview(case.db, case.world["management"], [case.world.org.id], 2026)
    assert overview.total == 6
    labels = {s.label for s in Status} | {t.label for t in IncidentType} | {f"{m:02d}" for m in range(1, 13)}
    labels |= set(figures.OUTCOMES.values())
    for cell in overview.by_status + overview.by_type + overview.by_month:
        assert cell.label in labels
        assert cell.count is None or isinstance(cell.count, int)
    text = repr(overview)
    for secret in (DESCRIPTION, "Sociaal Domein", "DL-2026", "@", "Ontvanger gevraagd"):
        assert secret not in text
    assert [c.count for c in overview.by_status if c.label == figures.OUTCOMES["undecided"]] == [6]
    assert stats.years(case.db, case.world["management"], [case.world.org.id]) == [2026]


def test_management_cannot_reach_an_incident_any_other_way(case):
    boss = case.world["management"]
    assert incidents.my_reports(case.db, boss) == []
    for run in (
        lambda: incidents.read_incident(case.db, boss, case.mine),
        lambda: incidents.queue(case.db, boss),
        lambda: incidents.departments(case.db, boss),
    ):
        with pytest.raises(PermissionDenied):
            run()


def test_permission_checks_refuse_inside_an_open_write_transaction(case):
    with pytest.raises(RuntimeError), store.write(case.db):
        permissions.refuse(case.db, case.world["reporter"], Action.READ_INCIDENT)


# --- the rules, as a table: (action, who, what it is about) -> allowed? -----------------------

ORG, OTHER_ORG, ME, COLLEAGUE = 1, 2, 7, 8
MINE = Owner(incident_id=10, org_id=ORG, reporter_id=ME)
COLLEAGUES = Owner(incident_id=11, org_id=ORG, reporter_id=COLLEAGUE)
FOREIGN = Owner(incident_id=12, org_id=OTHER_ORG, reporter_id=COLLEAGUE)
ANONYMOUS = Owner(incident_id=13, org_id=ORG, reporter_id=None)


def actor(role: Role | str, org_ids=(ORG,)) -> Actor:
    if role == "cli":
        return Actor.cli()
    return Actor(user_id=ME, role=role, org_ids=org_ids)


REP, DPO, MGT, ADM = Role.REPORTER, Role.DPO, Role.MANAGEMENT, Role.ADMIN
RULE_TABLE = [
    # reporting: an employee or FG, for their own organisation
    (Action.REPORT, REP, OrgRef(ORG), True),
    (Action.REPORT, REP, OrgRef(OTHER_ORG), False),
    (Action.REPORT, DPO, OrgRef(ORG), True),
    (Action.REPORT, DPO, OrgRef(OTHER_ORG), False),
    (Action.REPORT, MGT, OrgRef(ORG), False),
    (Action.REPORT, ADM, OrgRef(ORG), False),
    (Action.REPORT, "cli", OrgRef(ORG), False),
    (Action.LIST_OWN_REPORTS, REP, None, True),
    (Action.LIST_OWN_REPORTS, "cli", None, False),
    # a report being written (a draft): only the account writing it, if it may report
    *[(Action.REPORT_DRAFT, role, Account(ME, role), True) for role in (REP, DPO)],
    *[(Action.REPORT_DRAFT, role, Account(COLLEAGUE, REP), False) for role in (REP, DPO, ADM, "cli")],
    *[(Action.REPORT_DRAFT, role, Account(ME, role), False) for role in (MGT, ADM)],
    # reading and adding to an incident: its reporter, or the FG of its organisation
    *[(action, REP, MINE, True) for action in (Action.READ_INCIDENT, Action.SUPPLEMENT)],
    *[(action, REP, COLLEAGUES, False) for action in (Action.READ_INCIDENT, Action.SUPPLEMENT)],
    (Action.READ_INCIDENT, REP, ANONYMOUS, False),
    *[(action, DPO, COLLEAGUES, True) for action in (Action.READ_INCIDENT, Action.SUPPLEMENT)],
    *[(action, DPO, FOREIGN, False) for action in (Action.READ_INCIDENT, Action.SUPPLEMENT)],
    (Action.READ_INCIDENT, MGT, MINE, False),
    (Action.READ_INCIDENT, ADM, MINE, False),
    (Action.READ_INCIDENT, "cli", ANONYMOUS, False),
    # who reported: only the FG of the incident's organisation, never management or the reporter
    (Action.READ_REPORTER, DPO, COLLEAGUES, True),
    (Action.READ_REPORTER, DPO, FOREIGN, False),
    *[(Action.READ_REPORTER, role, MINE, False) for role in (REP, MGT, ADM, "cli")],
    # handling: only the FG of the incident's organisation, never its reporter
    *[(action, DPO, COLLEAGUES, True) for action in permissions.HANDLER_ACTIONS],
    *[(action, DPO, FOREIGN, False) for action in permissions.HANDLER_ACTIONS],
    *[(action, REP, MINE, False) for action in permissions.HANDLER_ACTIONS],
    *[(action, MGT, MINE, False) for action in permissions.HANDLER_ACTIONS],
    *[(action, ADM, MINE, False) for action in permissions.HANDLER_ACTIONS],
    *[(action, "cli", MINE, False) for action in permissions.HANDLER_ACTIONS],
    # evidence files (screenshots, the e-mail, the processor's report): the FG of the incident's
    # organisation only; never its reporter, management, the beheerder or another organisation's FG
    *[(action, DPO, COLLEAGUES, True) for action in (Action.ATTACH_EVIDENCE, Action.READ_EVIDENCE)],
    *[(action, DPO, FOREIGN, False) for action in (Action.ATTACH_EVIDENCE, Action.READ_EVIDENCE)],
    *[
        (action, role, MINE, False)
        for action in (Action.ATTACH_EVIDENCE, Action.READ_EVIDENCE)
        for role in (REP, MGT, ADM, "cli")
    ],
    # the FG's lists: all their organisations, or one of them
    *[
        (action, DPO, None, True)
        for action in (Action.SEE_QUEUE, Action.SEE_REVIEWS, Action.SEE_OVERDUE_MEASURES)
    ],
    (Action.SEE_QUEUE, DPO, OrgRef(ORG), True),
    (Action.SEE_QUEUE, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.SEE_QUEUE, role, None, False) for role in (REP, MGT, ADM, "cli")],
    (Action.LIST_DEPARTMENTS, DPO, None, True),
    (Action.LIST_DEPARTMENTS, MGT, None, False),
    # the register: the organisation's FG, or the operator on the server
    *[(action, DPO, OrgRef(ORG), True) for action in (Action.VIEW_REGISTER, Action.EXPORT_REGISTER)],
    *[(action, DPO, OrgRef(OTHER_ORG), False) for action in (Action.VIEW_REGISTER, Action.EXPORT_REGISTER)],
    (Action.EXPORT_REGISTER, "cli", OrgRef(ORG), True),
    *[(Action.EXPORT_REGISTER, role, OrgRef(ORG), False) for role in (REP, MGT, ADM)],
    # figures: management and the FG, one organisation or all of theirs, never a subset
    (Action.SEE_DASHBOARD, MGT, OrgSelection((ORG,)), True),
    (Action.SEE_DASHBOARD, DPO, OrgSelection((ORG,)), True),
    (Action.SEE_DASHBOARD, MGT, OrgSelection((OTHER_ORG,)), False),
    (Action.SEE_DASHBOARD, MGT, OrgSelection((ORG, OTHER_ORG)), False),
    (Action.SEE_DASHBOARD, MGT, OrgSelection(()), False),
    (Action.SEE_DASHBOARD, REP, OrgSelection((ORG,)), False),
    (Action.SEE_DASHBOARD, ADM, OrgSelection((ORG,)), False),
    (Action.MAKE_ANNUAL_REPORT, MGT, OrgSelection((ORG,)), True),
    (Action.SEE_OVERVIEW, DPO, OrgSelection((ORG,)), True),
    (Action.SEE_DEPARTMENT, MGT, OrgSelection((ORG,)), True),
    # administration: the beheerder, or the operator on the server
    *[(action, ADM, None, True) for action in permissions.ADMIN_ACTIONS],
    *[(action, "cli", None, True) for action in permissions.ADMIN_ACTIONS],
    *[(action, role, None, False) for action in permissions.ADMIN_ACTIONS for role in (REP, DPO, MGT)],
    # one's own account
    *[(action, REP, Account(ME, REP), True) for action in (Action.SET_PASSWORD, Action.READ_USER)],
    *[(action, REP, Account(COLLEAGUE, REP), False) for action in (Action.SET_PASSWORD, Action.READ_USER)],
    (Action.SET_PASSWORD, DPO, Account(COLLEAGUE, REP), False),
    # one's own job title and phone (the notifier of a concept AP-melding): never another's
    (Action.SET_OWN_CONTACT, DPO, Account(ME, DPO), True),
    (Action.SET_OWN_CONTACT, REP, Account(ME, REP), True),
    (Action.SET_OWN_CONTACT, DPO, Account(COLLEAGUE, DPO), False),
    (Action.SET_OWN_CONTACT, ADM, Account(COLLEAGUE, DPO), False),
    (Action.SET_OWN_CONTACT, "cli", Account(COLLEAGUE, DPO), True),
    (Action.SET_PASSWORD, ADM, Account(COLLEAGUE, REP), True),
    (Action.SET_PASSWORD, "cli", Account(COLLEAGUE, REP), True),
    # separation of duties: the beheerder never sets an FG's password or role, nor grants it
    (Action.SET_PASSWORD, DPO, Account(ME, DPO), True),
    (Action.SET_PASSWORD, ADM, Account(COLLEAGUE, DPO), False),
    (Action.SET_PASSWORD, "cli", Account(COLLEAGUE, DPO), True),
    (Action.CHANGE_ROLE, ADM, Account(COLLEAGUE, REP), True),
    (Action.CHANGE_ROLE, ADM, Account(COLLEAGUE, ADM), True),
    (Action.CHANGE_ROLE, ADM, Account(COLLEAGUE, DPO), False),
    (Action.CHANGE_ROLE, "cli", Account(COLLEAGUE, DPO), True),
    *[(Action.CHANGE_ROLE, role, Account(ME, role), False) for role in (REP, DPO, MGT)],
    *[(action, "cli", None, True) for action in (Action.GRANT_DPO, Action.PRINT_LINK)],
    *[
        (action, role, None, False)
        for action in (Action.GRANT_DPO, Action.PRINT_LINK)
        for role in (REP, DPO, MGT, ADM)
    ],
    # an FG invites a deputy for her own organisation; nobody else does
    (Action.LIST_DPO_TEAM, DPO, OrgRef(ORG), True),
    (Action.LIST_DPO_TEAM, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.LIST_DPO_TEAM, role, OrgRef(ORG), False) for role in (REP, MGT, ADM)],
    (Action.INVITE_DEPUTY, DPO, OrgRef(ORG), True),
    (Action.INVITE_DEPUTY, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.INVITE_DEPUTY, role, OrgRef(ORG), False) for role in (REP, MGT, ADM, "cli")],
    # the reminders of the 72 hours (deputy FG, management contact, points): the FG only (#14)
    (Action.REMINDER_SETTINGS, DPO, OrgRef(ORG), True),
    (Action.REMINDER_SETTINGS, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.REMINDER_SETTINGS, role, OrgRef(ORG), False) for role in (REP, MGT, ADM, "cli")],
    (Action.LETTER_TEMPLATES, DPO, OrgRef(ORG), True),
    (Action.LETTER_TEMPLATES, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.LETTER_TEMPLATES, role, OrgRef(ORG), False) for role in (REP, MGT, ADM, "cli")],
    # the year's narrative and theme summaries for the board: the FG of the organisation only (#17)
    (Action.WRITE_NARRATIVE, DPO, OrgRef(ORG), True),
    (Action.WRITE_NARRATIVE, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.WRITE_NARRATIVE, role, OrgRef(ORG), False) for role in (REP, MGT, ADM, "cli")],
    # the processors and partners of an organisation: its FG only (#16)
    *[(a, DPO, OrgRef(ORG), True) for a in (Action.MANAGE_PARTIES, Action.EXPORT_PARTIES)],
    *[(a, DPO, OrgRef(OTHER_ORG), False) for a in (Action.MANAGE_PARTIES, Action.EXPORT_PARTIES)],
    *[
        (a, role, OrgRef(ORG), False)
        for a in (Action.MANAGE_PARTIES, Action.EXPORT_PARTIES)
        for role in (REP, MGT, ADM, "cli")
    ],
    # chain incidents: the FG of the incident, and of each other organisation it reaches (#16)
    *[(Action.CHAIN_INCIDENTS, DPO, about, True) for about in (MINE, OrgRef(ORG))],
    *[(Action.CHAIN_INCIDENTS, DPO, about, False) for about in (FOREIGN, OrgRef(OTHER_ORG))],
    *[(Action.CHAIN_INCIDENTS, role, MINE, False) for role in (REP, MGT, ADM, "cli")],
    # the partner notification log of an incident: its FG only (#16)
    (Action.PARTNER_NOTICES, DPO, MINE, True),
    (Action.PARTNER_NOTICES, DPO, FOREIGN, False),
    *[(Action.PARTNER_NOTICES, role, MINE, False) for role in (REP, MGT, ADM, "cli")],
    # report links (reporting without an account): the FG of the organisation only (#16)
    (Action.MANAGE_REPORT_LINKS, DPO, OrgRef(ORG), True),
    (Action.MANAGE_REPORT_LINKS, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.MANAGE_REPORT_LINKS, role, OrgRef(ORG), False) for role in (REP, MGT, ADM, "cli")],
    # the small-number threshold of the figures: the FG of the organisation, or the operator (#17)
    (Action.SMALL_NUMBER, DPO, OrgRef(ORG), True),
    (Action.SMALL_NUMBER, "cli", OrgRef(ORG), True),
    (Action.SMALL_NUMBER, DPO, OrgRef(OTHER_ORG), False),
    *[(Action.SMALL_NUMBER, role, OrgRef(ORG), False) for role in (REP, MGT, ADM)],
    # setup runs only on an empty installation, checked inside its own transaction
    *[(Action.SETUP, role, None, False) for role in (REP, DPO, MGT, ADM, "cli")],
]


def _rule_id(row) -> str:
    action, role, about, expected = row
    return f"{action.value}-{getattr(role, 'value', role)}-{type(about).__name__}-{expected}"


@pytest.mark.parametrize(
    ("action", "role", "about", "expected"), RULE_TABLE, ids=[_rule_id(r) for r in RULE_TABLE]
)
def test_rule_table(action, role, about, expected):
    assert permissions.allowed(actor(role), action, about) is expected


def test_every_action_has_a_rule_and_the_table_covers_it():
    assert set(permissions.RULES) == set(Action)
    assert {row[0] for row in RULE_TABLE} == set(Action)
    assert len({a.value for a in Action}) == len(Action), "two actions share an audit code"


def test_require_refuses_an_unknown_incident_like_a_foreign_one(case):
    dpo = case.world["dpo"]
    for incident_id in (case.foreign, UNKNOWN_ID):
        with pytest.raises(PermissionDenied) as refused:
            permissions.require(case.db, dpo, Action.READ_INCIDENT, IncidentRef(incident_id))
        assert refused.value.message == PermissionDenied("x").message
    owner = permissions.require(case.db, dpo, Action.READ_INCIDENT, IncidentRef(case.mine))
    assert owner == Owner(case.mine, case.world.org.id, case.world["reporter"].user_id)
