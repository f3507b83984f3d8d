"""The whole decision table of ``permissions.allowed``, pinned.

For every ``Action``, every kind of actor the permission tests use (employee, FG, management,
beheerder, the operator on the server, a guest of a report link or of a follow-up token) and
what the action can be about (an incident of one's own organisation or another's, an
organisation, a selection of organisations, an account, nothing), ``tests/data/permission_table.json``
records what ``allowed`` answered when the rule table was one module: per action and actor one
character per subject, "y" allowed, "." refused, or a letter for the exception the rule raised
(a rule asked about the wrong kind of thing; see ``LEGEND``). Moving a rule must change none of it.

The file was written from the code by ``python -m tests.test_permission_table --write``; write it
again only for a deliberate change of a rule, and review its diff.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

from datalek.accounts import permissions
from datalek.accounts.guest import GuestActor
from datalek.accounts.permissions import Account, Action, OrgRef, OrgSelection, Owner
from datalek.models import Actor, Role

TABLE_FILE = Path(__file__).parent / "data" / "permission_table.json"

ORG, OTHER_ORG, ME, COLLEAGUE = 1, 2, 7, 8
REP, DPO, MGT, ADM = Role.REPORTER, Role.DPO, Role.MANAGEMENT, Role.ADMIN
ROLES = (REP, DPO, MGT, ADM)

ACTORS: dict[str, Actor] = {
    "employee": Actor(user_id=ME, role=REP, org_ids=(ORG,)),
    "employee-without-org": Actor(user_id=ME, role=REP, org_ids=()),
    "fg": Actor(user_id=ME, role=DPO, org_ids=(ORG,)),
    "fg-of-two-orgs": Actor(user_id=ME, role=DPO, org_ids=(ORG, OTHER_ORG)),
    "management": Actor(user_id=ME, role=MGT, org_ids=(ORG,)),
    "management-of-two-orgs": Actor(user_id=ME, role=MGT, org_ids=(ORG, OTHER_ORG)),
    "admin": Actor(user_id=ME, role=ADM, org_ids=(ORG,)),
    "operator": Actor.cli(),
    "guest-report-link": GuestActor(user_id=None, org_ids=(ORG,), guest_session_id=1, link_id=5),
    "guest-report-link-as-fg": GuestActor(
        user_id=None, role=DPO, org_ids=(ORG,), guest_session_id=2, link_id=5
    ),
    "guest-follow-up": GuestActor(user_id=None, guest_session_id=3, incident_id=10),
}

#: What the rule looks at once ``require`` has resolved the subject (``None`` for no subject).
ABOUT: dict[str, object] = {
    "none": None,
    "incident-mine": Owner(incident_id=10, org_id=ORG, reporter_id=ME),
    "incident-colleagues": Owner(incident_id=11, org_id=ORG, reporter_id=COLLEAGUE),
    "incident-anonymous": Owner(incident_id=13, org_id=ORG, reporter_id=None),
    "incident-other-org": Owner(incident_id=12, org_id=OTHER_ORG, reporter_id=COLLEAGUE),
    "org-own": OrgRef(ORG),
    "org-other": OrgRef(OTHER_ORG),
    "orgs-own": OrgSelection((ORG,)),
    "orgs-other": OrgSelection((OTHER_ORG,)),
    "orgs-both": OrgSelection((ORG, OTHER_ORG)),
    "orgs-none": OrgSelection(()),
    **{f"account-self-{role.value}": Account(ME, role) for role in ROLES},
    **{f"account-colleague-{role.value}": Account(COLLEAGUE, role) for role in ROLES},
}

ACTIONS = sorted(Action, key=lambda action: action.value)
SUBJECTS = sorted(ABOUT)

#: One character per cell: allowed, refused, or the exception the rule raised.
LEGEND = {"y": "allowed", ".": "refused", "A": "AttributeError", "T": "TypeError", "K": "KeyError"}
_MARK = {name: mark for mark, name in LEGEND.items()}


def decide(actor: Actor, action: Action, about: object) -> str:
    try:
        answer = permissions.allowed(actor, action, about)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is part of the table
        return _MARK.get(type(exc).__name__, "?")
    assert answer in (True, False), answer
    return _MARK["allowed"] if answer else _MARK["refused"]


def decisions(action: Action) -> dict[str, str]:
    """Per actor, one character per subject (in ``SUBJECTS`` order)."""
    return {
        actor_key: "".join(decide(actor, action, ABOUT[subject]) for subject in SUBJECTS)
        for actor_key, actor in sorted(ACTORS.items())
    }


def table() -> dict:
    return {
        "legend": LEGEND,
        "subjects": SUBJECTS,
        "actions": {action.value: decisions(action) for action in ACTIONS},
    }


@functools.cache
def recorded() -> dict:
    return json.loads(TABLE_FILE.read_text(encoding="utf-8"))


def changed_cells(action: Action) -> list[str]:
    """Every cell whose answer differs from the recorded one, in words."""
    was, now = recorded()["actions"][action.value], decisions(action)
    return [
        f"{action.value}: {actor} / {subject}: recorded {LEGEND.get(before, before)}, now {LEGEND.get(after, after)}"
        for actor in sorted(set(was) | set(now))
        for subject, before, after in zip(SUBJECTS, was.get(actor, ""), now.get(actor, ""), strict=False)
        if before != after
    ]


def test_the_recorded_table_has_the_same_grid():
    assert recorded()["subjects"] == SUBJECTS
    assert recorded()["legend"] == LEGEND
    assert sorted(recorded()["actions"]) == [action.value for action in ACTIONS]
    assert all(sorted(rows) == sorted(ACTORS) for rows in recorded()["actions"].values())
    assert "?" not in json.dumps(recorded()), "a rule raised an exception the legend does not name"


@pytest.mark.parametrize("action", ACTIONS, ids=[action.value for action in ACTIONS])
def test_an_action_decides_as_recorded(action):
    assert changed_cells(action) == []


def test_the_grid_has_every_kind_of_actor_and_subject():
    assert len(ACTORS) * len(ABOUT) == 11 * 19
    assert {type(about).__name__ for about in ABOUT.values()} == {
        "NoneType",
        "Owner",
        "OrgRef",
        "OrgSelection",
        "Account",
    }


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    TABLE_FILE.write_text(json.dumps(table(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
