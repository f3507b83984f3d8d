"""Who may do what in the FG's work on one incident (the handling stage): its status, assessment,
decision and register gaps, its evidence and lessons, the processors and partners it involved,
merged, linked and chain incidents, the partner notification log; the FG's queue; the register
of processors and partners; and retention, which is the beheerder's.
"""

from __future__ import annotations

from datalek.accounts.permission_roles import administers, dpo_lists, dpo_of, dpo_of_org, handles, rule_table
from datalek.accounts.permission_subjects import OrgRef, Owner
from datalek.accounts.permission_terms import Action
from datalek.models import Actor

#: The FG of the incident's organisation, never its reporter (see also ``permission_actions``).
HANDLER_ACTIONS = (
    Action.CHANGE_STATUS,
    Action.READ_ASSESSMENT,
    Action.SAVE_ASSESSMENT,
    Action.RECORD_DECISION,
    Action.READ_DECISION,
    Action.READ_COMPLETENESS,
    Action.ATTACH_EVIDENCE,
    Action.READ_EVIDENCE,
    Action.READ_LESSONS,
    Action.LINK_PARTIES,
    Action.MERGE_INCIDENTS,
    Action.LINK_INCIDENTS,
)
#: The beheerder, or the operator on the server (see also ``permission_accounts.ADMIN_ACTIONS``).
RETENTION_ACTIONS = (Action.READ_RETENTION, Action.SET_RETENTION, Action.LIST_RETENTION_DUE, Action.PURGE)


def _chains(actor: Actor, about: Owner | OrgRef) -> bool:
    """A chain joins incidents of several organisations: the FG of the incident for its side
    (an ``Owner``), and the FG of the organisation for each other side (an ``OrgRef``)."""
    return dpo_of(actor, about.org_id if isinstance(about, Owner) else about.id)


RULES = rule_table(
    (HANDLER_ACTIONS, handles),
    (Action.CHAIN_INCIDENTS, _chains),
    (Action.PARTNER_NOTICES, handles),
    ((Action.SEE_QUEUE, Action.LIST_DEPARTMENTS), dpo_lists),
    ((Action.MANAGE_PARTIES, Action.EXPORT_PARTIES), dpo_of_org),
    (RETENTION_ACTIONS, administers),
)
