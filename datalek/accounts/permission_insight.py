"""Who may see what of the figures and the register (the insight stage): the register of an
organisation, the figures (never rows) of one organisation or of all the actor's, the FG's
narrative for the board, and the small-number threshold of the figures.
"""

from __future__ import annotations

from datalek.accounts.permission_roles import dpo_of, dpo_of_org, rule_table
from datalek.accounts.permission_subjects import OrgRef, OrgSelection
from datalek.accounts.permission_terms import Action
from datalek.models import Actor, Role


def _register(actor: Actor, org: OrgRef) -> bool:
    """The register of an organisation: its FG, or the operator on the server."""
    return dpo_of(actor, org.id) or actor.system


def _figures(actor: Actor, selection: OrgSelection) -> bool:
    """Figures of one organisation or of all the actor's, never a subset: a subset would let
    two selections be subtracted from each other (see ``datalek.insight.disclosure``)."""
    ids = set(selection.ids)
    return (
        actor.role in (Role.MANAGEMENT, Role.DPO)
        and bool(ids)
        and ids <= set(actor.org_ids)
        and (len(ids) == 1 or ids == set(actor.org_ids))
    )


def _dpo_or_operator(actor: Actor, org: OrgRef) -> bool:
    """The FG of the organisation, or the operator on the server (not the beheerder: how much
    the figures hide is a judgement about privacy, the FG's, not about accounts)."""
    return dpo_of(actor, org.id) or actor.system


RULES = rule_table(
    ((Action.VIEW_REGISTER, Action.EXPORT_REGISTER), _register),
    ((Action.SEE_OVERVIEW, Action.SEE_DASHBOARD, Action.SEE_DEPARTMENT, Action.MAKE_ANNUAL_REPORT), _figures),
    (Action.WRITE_NARRATIVE, dpo_of_org),
    (Action.SMALL_NUMBER, _dpo_or_operator),
)
