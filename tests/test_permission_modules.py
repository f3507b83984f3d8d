"""The rule table, split per stage of the product: every action has exactly one rule.

``datalek.accounts.permissions`` keeps the entry point (``require``, ``allowed``, ``refuse``); the
rules live next to their siblings in one small module per stage (``permission_intake``,
``permission_handling``, ``permission_actions``, ``permission_insight``, ``permission_accounts``).
No action may be left without a rule, and none may have two: a stage's table refuses an action
named twice when it is built, and ``permissions.RULES`` refuses one named by two stages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from datalek.accounts import (
    permission_accounts,
    permission_actions,
    permission_handling,
    permission_insight,
    permission_intake,
    permission_roles,
    permissions,
)
from datalek.accounts.permissions import Action

STAGES = {
    "intake": permission_intake,
    "handling": permission_handling,
    "actions": permission_actions,
    "insight": permission_insight,
    "accounts": permission_accounts,
}
ACCOUNTS = Path(permissions.__file__).parent


def test_every_action_has_exactly_one_rule_across_the_stage_modules():
    counts = Counter(action for module in STAGES.values() for action in module.RULES)
    assert sorted(action.value for action in Action if counts[action] == 0) == []
    assert sorted(action.value for action, n in counts.items() if n > 1) == []


def test_the_entry_point_uses_exactly_the_stage_rules():
    stage_rules = [(action, rule) for module in STAGES.values() for action, rule in module.RULES.items()]
    assert dict(stage_rules) == permissions.RULES
    assert set(permissions.RULES) == set(Action)


def test_a_stage_table_refuses_an_action_named_twice():
    def rule(actor, about):
        return True

    with pytest.raises(ValueError, match="incident.create"):
        permission_roles.rule_table((Action.REPORT, rule), ((Action.SUPPLEMENT, Action.REPORT), rule))


def test_joining_the_stages_refuses_an_action_two_stages_name():
    def rule(actor, about):
        return True

    one = permission_roles.rule_table((Action.REPORT, rule))
    other = permission_roles.rule_table((Action.REPORT, rule), (Action.PURGE, rule))
    with pytest.raises(ValueError, match="incident.create"):
        permission_roles.joined(one, other)


#: The two named groups as they were when the rule table was one module.
HANDLER_ACTIONS = [
    "incident.status",
    "assessment.read",
    "assessment.save",
    "decision.record",
    "decision.read",
    "register.read",
    "authority.concept",
    "authority.read",
    "authority.initial",
    "authority.supplement",
    "authority.withdrawal",
    "subjects.read",
    "subjects.safety_check",
    "subjects.letter",
    "subjects.notice",
    "subjects.public_notice",
    "subjects.households",
    "measure.add",
    "measure.status",
    "measure.read",
    "evidence.attach",
    "evidence.read",
    "lesson.read",
    "incident.parties",
    "incident.merge",
    "incident.link",
]
ADMIN_ACTIONS = [
    "organisation.list_all",
    "organisation.create",
    "user.create",
    "user.list",
    "user.find",
    "user.enable",
    "user.disable",
    "retention.read",
    "retention.set",
    "retention.list",
    "retention.purge",
    "audit.verify",
    "audit.read",
    "invitation.dpo",
    "invitation.reset",
    "organisation.dpo_contact",
]


def test_the_named_groups_keep_their_actions():
    """``HANDLER_ACTIONS`` (the FG of the incident's organisation) and ``ADMIN_ACTIONS`` (the
    beheerder or the operator) are what the permission tests iterate over."""
    assert [action.value for action in permissions.HANDLER_ACTIONS] == HANDLER_ACTIONS
    assert sorted(action.value for action in permissions.ADMIN_ACTIONS) == sorted(ADMIN_ACTIONS)
    handling, actions = permission_handling.HANDLER_ACTIONS, permission_actions.HANDLER_ACTIONS
    assert set(permissions.HANDLER_ACTIONS) == set(handling) | set(actions)
    admin = set(permission_accounts.ADMIN_ACTIONS) | set(permission_handling.RETENTION_ACTIONS)
    assert set(permissions.ADMIN_ACTIONS) == admin
    for action in permissions.HANDLER_ACTIONS:
        assert permissions.RULES[action] is permission_roles.handles, action
    for action in permissions.ADMIN_ACTIONS:
        assert permissions.RULES[action] is permission_roles.administers, action


PERMISSION_FILES = sorted(ACCOUNTS.glob("permission*.py"))


@pytest.mark.parametrize("path", PERMISSION_FILES, ids=[p.stem for p in PERMISSION_FILES])
def test_a_permission_module_stays_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 250
