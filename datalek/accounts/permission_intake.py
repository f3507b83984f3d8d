"""Who may do what with the employee's report (the intake stage): report for one's own
organisation, list one's own reports, read and add to a report, see who reported it, and write
a report in steps (a draft). And what a guest without an account may do (issue #16): only these
actions, through its one report link or follow-up token.
"""

from __future__ import annotations

from typing import Any

from datalek.accounts.guest import GuestActor
from datalek.accounts.permission_roles import handles, rule_table
from datalek.accounts.permission_subjects import Account, OrgRef, Owner
from datalek.accounts.permission_terms import Action
from datalek.models import Actor, Role


def _reads(actor: Actor, owner: Owner) -> bool:
    """The FG of the incident's organisation, or the employee who reported it."""
    if actor.role is Role.REPORTER:
        return actor.user_id is not None and owner.reporter_id == actor.user_id
    return handles(actor, owner)


def _reports(actor: Actor, org: OrgRef) -> bool:
    return actor.role in (Role.REPORTER, Role.DPO) and org.id in actor.org_ids


def _own_draft(actor: Actor, account: Account) -> bool:
    """A report being written: only by the account that writes it, and only if it may report."""
    may_report = actor.role in (Role.REPORTER, Role.DPO)
    return may_report and actor.user_id is not None and actor.user_id == account.id


def _has_account(actor: Actor, _: Any) -> bool:
    return actor.user_id is not None


RULES = rule_table(
    (Action.REPORT, _reports),
    (Action.LIST_OWN_REPORTS, _has_account),
    (Action.READ_INCIDENT, _reads),
    (Action.READ_REPORTER, handles),
    (Action.SUPPLEMENT, _reads),
    (Action.REPORT_DRAFT, _own_draft),
)


def guest_allowed(guest: GuestActor, action: Action, about: Any) -> bool:
    """A browser without an account (``datalek.accounts.guest``): through a report link only
    REPORT for the link's organisation; through a follow-up token only reading and adding to
    its one incident. Nothing else, whatever its role."""
    if action is Action.REPORT:
        return guest.reports and isinstance(about, OrgRef) and about.id in guest.org_ids
    if action in (Action.READ_INCIDENT, Action.SUPPLEMENT):
        return guest.follows_up and isinstance(about, Owner) and about.incident_id == guest.incident_id
    return False
