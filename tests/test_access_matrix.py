"""The access-control matrix, completed: every role x every handling function x an incident of
the actor's own organisation, of another organisation, and an unknown id; the beheerder-only
functions; and the session rules (no fixation, a disabled account mid-session).

``tests/test_permissions.py`` holds the first part of the role x domain-function table and
``tests/pages/test_navigation.py`` the role x page table; this file adds the functions they
do not name, generated from one rule per function, and the session attacks.
Each refusal must raise ``PermissionDenied`` and write exactly one 'refused' audit entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

import navigation
from datalek.accounts import audit_trail, sessions
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import find_user, set_active
from datalek.actions import authority, informing, measures
from datalek.handling import assessment, completeness, decisions, incidents, prefill, retention
from datalek.handling.decisions import DecisionInput
from datalek.insight import register_export
from datalek.models import Actor, InvalidInput, Role
from datalek.store import audit_log
from tests.conftest import NOW, make_report
from tests.pages.conftest import (  # noqa: F401 - autouse fixtures for the AppTest cases below
    BROWSER_COOKIES,
    _browser_cookies,
    _navigation_always_runs_app_py,
    _serializable_state_without_apptest_bookkeeping,
    app,
    count_rows,
    fill_valid_report,
    open_db,
    rows,
    seed_session,
    signed_in,
    state_get,
    submit_report_form,
    switch_to,
    titles,
)
from tests.test_permissions import MATRIX as FIRST_MATRIX

WHO = [
    "reporter",
    "reporter2",
    "dpo",
    "management",
    "admin",
    "other_reporter",
    "other_dpo",
    "other_management",
    "cli",
]
OBJECTS = ["own", "foreign", "unknown"]


class Case:
    def __init__(self, db, world):
        self.db, self.world = db, world
        made = incidents.submit_report(db, world["reporter"], make_report(world.org.id), at=NOW)
        other = incidents.submit_report(db, world["other_reporter"], make_report(world.other_org.id), at=NOW)
        self.facts = prefill.facts_from_report(made, world.org)
        self.ids = {"own": made.id, "foreign": other.id, "unknown": 999_999}

    def actor(self, who: str) -> Actor:
        return Actor.cli() if who == "cli" else self.world[who]


@pytest.fixture
def case(fresh_db, world) -> Case:
    return Case(fresh_db, world)


# --- functions on one incident: only the FG of its organisation ----------------------

HANDLER_CALLS: dict[str, tuple[str, Callable]] = {
    "assessment.current": ("assessment.read", lambda c, a, i: assessment.current(c.db, a, i)),
    "assessment.versions": ("assessment.read", lambda c, a, i: assessment.versions(c.db, a, i)),
    "assessment.save": ("assessment.save", lambda c, a, i: assessment.save(c.db, a, i, c.facts, "", "")),
    "decisions.latest": ("decision.read", lambda c, a, i: decisions.latest(c.db, a, i)),
    "decisions.record": (
        "decision.record",
        lambda c, a, i: decisions.record(c.db, a, i, DecisionInput(breach=True, motivation="x")),
    ),
    "register.gaps_for": ("register.read", lambda c, a, i: completeness.gaps_for(c.db, a, i)),
    # the follow-up of issue #5
    "authority.history": ("authority.read", lambda c, a, i: authority.history(c.db, a, i)),
    "informing.overview": ("subjects.read", lambda c, a, i: informing.overview(c.db, a, i)),
    "measures.for_incident": ("measure.read", lambda c, a, i: measures.for_incident(c.db, a, i)),
}


def handler_may(who: str, obj: str) -> bool:
    """The rule: the FG of the incident's own organisation, nobody else, never an unknown id."""
    return (who, obj) in {("dpo", "own"), ("other_dpo", "foreign")}


HANDLER_MATRIX = [(fn, who, obj) for fn in HANDLER_CALLS for who in WHO for obj in OBJECTS]


def _refusals(db) -> list[dict]:
    return audit_log.recent(db, 10_000, "refused")


def _entries(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def _assert_refused_and_audited(db, actor: Actor, action: str, run: Callable) -> None:
    before = _entries(db)
    with pytest.raises(PermissionDenied) as refused:
        run()
    assert refused.value.action == action
    assert refused.value.message.startswith("Je ")  # Dutch, for the user
    assert _entries(db) == before + 1
    entry = _refusals(db)[0]
    assert entry["seq"] == before + 1 and entry["actor_id"] == actor.user_id
    assert json.loads(entry["detail"])["attempted"] == action


@pytest.mark.parametrize(
    ("fn", "who", "obj"), HANDLER_MATRIX, ids=[f"{f}-{w}-{o}" for f, w, o in HANDLER_MATRIX]
)
def test_handler_function_matrix(case, fn, who, obj):
    action, call = HANDLER_CALLS[fn]
    actor, incident_id = case.actor(who), case.ids[obj]
    if handler_may(who, obj):
        before = len(_refusals(case.db))
        try:
            call(case, actor, incident_id)
        except InvalidInput:  # past the permission check: the (deliberately thin) input is judged
            assert fn == "decisions.record"
        assert len(_refusals(case.db)) == before
        return
    _assert_refused_and_audited(case.db, actor, action, lambda: call(case, actor, incident_id))


# --- functions for the beheerder only (or the operator at the command line) ------------

ADMIN_CALLS: dict[str, tuple[str, Callable]] = {
    "audit.check": ("audit.verify", lambda c, a: audit_trail.check(c.db, a)),
    "audit.recent_entries": ("audit.read", lambda c, a: audit_trail.recent_entries(c.db, a)),
    "find_user": ("user.find", lambda c, a: find_user(c.db, a, "reporter2@test.invalid")),
    "retention.retention_years": ("retention.read", lambda c, a: retention.retention_years(c.db, a)),
    "retention.set_retention_years": (
        "retention.set",
        lambda c, a: retention.set_retention_years(c.db, a, c.world.other_org.id, 7),
    ),
    "retention.due": ("retention.list", lambda c, a: retention.due(c.db, a)),
    "retention.purge(dry run)": ("retention.purge", lambda c, a: retention.purge(c.db, a)),
    "retention.purge(apply)": ("retention.purge", lambda c, a: retention.purge(c.db, a, True)),
}
ADMIN_MATRIX = [(fn, who) for fn in ADMIN_CALLS for who in WHO]


@pytest.mark.parametrize(("fn", "who"), ADMIN_MATRIX, ids=[f"{f}-{w}" for f, w in ADMIN_MATRIX])
def test_beheerder_function_matrix(case, fn, who):
    action, call = ADMIN_CALLS[fn]
    actor = case.actor(who)
    if who in ("admin", "cli"):
        call(case, actor)
        return
    _assert_refused_and_audited(case.db, actor, action, lambda: call(case, actor))


# --- functions on an organisation's register: its FG (and the operator at the command line)

REGISTER_CALLS: dict[str, tuple[str, Callable]] = {
    "register_export.years": ("register.view", lambda c, a, o: register_export.years(c.db, a, o)),
    "register_export.view": ("register.view", lambda c, a, o: register_export.view(c.db, a, o, 2026)),
    "register_export.export": (
        "register.export",
        lambda c, a, o: register_export.export(c.db, a, o, 2026, "csv"),
    ),
}
REGISTER_MATRIX = [(fn, who, org) for fn in REGISTER_CALLS for who in WHO for org in ("own", "other")]


def register_may(who: str, org: str) -> bool:
    return who == "cli" or (who, org) in {("dpo", "own"), ("other_dpo", "other")}


@pytest.mark.parametrize(
    ("fn", "who", "org"), REGISTER_MATRIX, ids=[f"{f}-{w}-{o}" for f, w, o in REGISTER_MATRIX]
)
def test_register_function_matrix(case, fn, who, org):
    action, call = REGISTER_CALLS[fn]
    actor = case.actor(who)
    org_id = case.world.org.id if org == "own" else case.world.other_org.id
    if register_may(who, org):
        call(case, actor, org_id)
        return
    _assert_refused_and_audited(case.db, actor, action, lambda: call(case, actor, org_id))


def test_departments_are_for_the_dpo_only(case):
    assert incidents.departments(case.db, case.actor("dpo")) == ["Sociaal Domein"]
    for who in ("reporter", "management", "admin", "cli"):
        actor = case.actor(who)
        _assert_refused_and_audited(
            case.db, actor, "incident.departments", lambda actor=actor: incidents.departments(case.db, actor)
        )


def test_list_organisations_shows_a_member_only_their_own(case):
    for who in ("reporter", "dpo", "management", "other_dpo"):
        actor = case.actor(who)
        assert [o.id for o in list_organisations(case.db, actor)] == list(actor.org_ids)
    assert len(list_organisations(case.db, case.actor("admin"))) == 2


def refusals_tested() -> int:
    """How many refusal cells the matrices hold (reported in docs/reliability.md)."""
    first = sum(1 for *_, expected in FIRST_MATRIX if expected == "refused")
    handler = sum(1 for _, w, o in HANDLER_MATRIX if not handler_may(w, o))
    admin = sum(1 for _, w in ADMIN_MATRIX if w not in ("admin", "cli"))
    registers = sum(1 for _, w, o in REGISTER_MATRIX if not register_may(w, o))
    return first + handler + admin + registers + 4


def test_the_matrices_cover_every_role_both_outcomes_and_many_refusals():
    roles = {w for w in WHO if w != "cli"}
    assert {Role(r.replace("other_", "").rstrip("2")) for r in roles} == set(Role)
    assert refusals_tested() >= 200


# --- sessions ---------------------------------------------------------------------------


def test_no_session_fixation_a_pre_signin_identity_is_not_carried_over(world):
    """State planted before sign-in (another user's actor and id, half a report) is gone after
    sign-in: only the session behind the browser's cookie says who this is."""
    admin = world["admin"]
    at = app()
    at.session_state["_actor"] = admin.model_dump(mode="json")
    at.session_state["user_id"] = admin.user_id
    at.session_state["r_description"] = "van een vorige gebruiker"
    at.run()
    assert titles(at) == ["Aanmelden bij Datalek"]  # a planted actor without a session is nobody
    assert state_get(at, "r_description") is None
    at.session_state["_actor"] = admin.model_dump(mode="json")
    at.session_state["r_description"] = "van een vorige gebruiker"
    reporter = world["reporter"]
    seed_session(at, reporter)  # the reporter signs in (the route sets the cookie)
    at.run()
    assert not at.exception
    assert at.session_state["user_id"] == reporter.user_id
    assert at.session_state["_actor"]["role"] == Role.REPORTER.value
    assert state_get(at, "r_description") in (None, "")
    with pytest.raises(ValueError):
        switch_to(at, navigation.USERS)


def test_an_account_disabled_mid_form_cannot_submit_one_more_report(world, db_path):
    """The submit callback runs before app.py: it re-checks the account itself."""
    reporter = world["reporter"]
    at = signed_in(reporter, navigation.REPORT)
    fill_valid_report(at)
    db = open_db(db_path)
    try:
        set_active(db, world["admin"], reporter.user_id, False)
    finally:
        db.close()
    submit_report_form(at)
    assert not at.exception
    assert count_rows(db_path, "incidents") == 0
    assert titles(at) == ["Aanmelden bij Datalek"]
    assert state_get(at, "user_id") is None


# --- OIDC: the identity provider proves the address, the local account decides the role ------

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only",
    "client_id": "datalek",
    "client_secret": "test-only",
    "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration",
}


def _oidc_app(email: str, verified: bool = True):
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": verified}
    return at.run()


def _activation_link(at) -> str | None:
    for h in at.main.get("html"):
        found = re.search(r'href="(/auth/activate\?code=[^"]+)"', h.proto.body)
        if found:
            return found.group(1)
    return None


@pytest.mark.parametrize(
    "key, first_page",
    [
        ("dpo", "Werkvoorraad"),
        ("reporter", "Datalek melden"),
        ("management", "Overzicht"),
        ("admin", "Accounts"),
    ],
)
def test_oidc_maps_a_verified_address_to_the_local_role(world, db_path, key, first_page):
    """The identity provider's address opens a session under the same rules as a password;
    the browser gets its cookie from /auth/activate with a one-time code."""
    at = _oidc_app(f"{key.upper()}@test.invalid")
    assert not at.exception
    [session] = rows(db_path, "select * from sessions")
    assert (session["user_id"], session["method"]) == (world[key].user_id, "oidc")
    link = _activation_link(at)
    assert link is not None
    token = sessions.redeem_activation(link.split("code=", 1)[1])
    assert sessions.token_hash(token) == session["token_hash"]
    BROWSER_COOKIES[sessions.COOKIE] = token  # what /auth/activate sets
    at.run()
    assert at.session_state["user_id"] == world[key].user_id
    assert at.session_state["_actor"]["role"] == world[key].role.value
    assert titles(at) == [first_page]


@pytest.mark.parametrize("email, verified", [("dpo@test.invalid", False), ("onbekend@test.invalid", True)])
def test_oidc_refuses_an_unverified_or_unknown_address(world, db_path, email, verified):
    at = _oidc_app(email, verified)
    assert not at.exception
    assert state_get(at, "user_id") is None
    assert _activation_link(at) is None
    assert rows(db_path, "select * from sessions") == []
    assert titles(at) == ["Aanmelden bij Datalek"]


def test_oidc_refuses_a_disabled_account(world, db_path):
    db = open_db(db_path)
    try:
        set_active(db, world["admin"], world["dpo"].user_id, False)
    finally:
        db.close()
    at = _oidc_app("dpo@test.invalid")
    assert state_get(at, "user_id") is None
    assert _activation_link(at) is None
    assert titles(at) == ["Aanmelden bij Datalek"]
