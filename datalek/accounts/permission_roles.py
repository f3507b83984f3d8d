"""Who an actor is to what an action is about, for the rules of several stages: the FG of an
organisation or of an incident's organisation, the beheerder or the operator on the server.
And how a stage writes its rules down: ``rule_table`` rows of (action or actions, rule), where
an action named twice is an error, and ``joined`` to put the stages' tables together.

A rule is a pure predicate over (actor, what the action is about); ``permissions.allowed`` asks
it. The rules that only one stage uses live in that stage's module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datalek.accounts.permission_subjects import OrgRef, Owner
from datalek.accounts.permission_terms import Action
from datalek.models import Actor, Role

Rule = Callable[[Actor, Any], bool]


def rule_table(*rows: tuple[Action | tuple[Action, ...], Rule]) -> dict[Action, Rule]:
    """One stage's rules, from rows of (an action or a tuple of actions, their rule)."""
    table: dict[Action, Rule] = {}
    for actions, rule in rows:
        for action in (actions,) if isinstance(actions, Action) else actions:
            if action in table:
                raise ValueError(f"two rules for {action.value}")
            table[action] = rule
    return table


def joined(*tables: dict[Action, Rule]) -> dict[Action, Rule]:
    """The stages' tables as one; an action with a rule in two stages is an error."""
    return rule_table(*(row for table in tables for row in table.items()))


def dpo_of(actor: Actor, org_id: int) -> bool:
    return actor.role is Role.DPO and org_id in actor.org_ids


def handles(actor: Actor, owner: Owner) -> bool:
    """The FG of the incident's organisation."""
    return dpo_of(actor, owner.org_id)


def dpo_lists(actor: Actor, org: OrgRef | None) -> bool:
    """The FG's own lists, of all their organisations or of one of them."""
    return actor.role is Role.DPO and (org is None or org.id in actor.org_ids)


def dpo_of_org(actor: Actor, org: OrgRef) -> bool:
    """An FG, for one of her own organisations (a deputy FG is invited by the FG)."""
    return dpo_of(actor, org.id)


def administers(actor: Actor, _: Any = None) -> bool:
    return actor.role is Role.ADMIN or actor.system
