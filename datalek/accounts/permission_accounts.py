"""Who may do what with accounts and organisations (the accounts stage): the beheerder's work,
one's own account, the FG's team and settings, report links, the audit trail and setup.

Separation of duties: the beheerder manages accounts and organisations but reads no incident,
and never holds or sets an FG's credentials. The FG role is given only through a one-time link
to the FG's own address (``datalek.accounts.invitations``) or by the operator on the server;
the beheerder may switch an FG account off, never set its password or change its role.
"""

from __future__ import annotations

from typing import Any

from datalek.accounts.permission_roles import administers, dpo_of_org, rule_table
from datalek.accounts.permission_subjects import Account
from datalek.accounts.permission_terms import Action
from datalek.models import Actor, Role

#: The beheerder, or the operator on the server (see also ``permission_handling.RETENTION_ACTIONS``).
ADMIN_ACTIONS = (
    Action.SEE_ALL_ORGANISATIONS,
    Action.CREATE_ORGANISATION,
    Action.CREATE_USER,
    Action.LIST_USERS,
    Action.FIND_USER,
    Action.ENABLE_USER,
    Action.DISABLE_USER,
    Action.VERIFY_AUDIT,
    Action.READ_AUDIT,
    Action.INVITE_DPO,
    Action.SEND_RESET_LINK,
    Action.CHANGE_DPO_CONTACT,
)


def _self_or_admin(actor: Actor, account: Account) -> bool:
    return administers(actor) or actor.user_id == account.id


def _on_the_server(actor: Actor, _: Any = None) -> bool:
    """The operator at the command line on the server, never a signed-in account."""
    return actor.system


def _manages(actor: Actor, account: Account) -> bool:
    """Separation of duties: the beheerder manages accounts, but never an FG's credentials or
    role (the beheerder may only disable an FG account). The operator on the server may."""
    return actor.system or (actor.role is Role.ADMIN and account.role is not Role.DPO)


def _own_account(actor: Actor, account: Account) -> bool:
    """One's own account only, or the operator on the server."""
    return actor.system or (actor.user_id is not None and actor.user_id == account.id)


def _sets_password(actor: Actor, account: Account) -> bool:
    """One's own password; the beheerder's for a non-FG account; the operator's on the server."""
    return actor.user_id == account.id or _manages(actor, account)


def _never(actor: Actor, _: Any) -> bool:
    return False


RULES = rule_table(
    (ADMIN_ACTIONS, administers),
    (Action.READ_USER, _self_or_admin),
    (Action.SET_PASSWORD, _sets_password),
    (Action.SET_OWN_CONTACT, _own_account),
    (Action.CHANGE_ROLE, _manages),
    ((Action.GRANT_DPO, Action.PRINT_LINK), _on_the_server),
    ((Action.INVITE_DEPUTY, Action.LIST_DPO_TEAM, Action.REMINDER_SETTINGS), dpo_of_org),
    # Who may report without an account is the FG's call, as the party register is; not the
    # beheerder's, who manages accounts but never what reaches the FG's queue.
    (Action.MANAGE_REPORT_LINKS, dpo_of_org),
    # Setup is refused as soon as any account exists, checked inside its own transaction.
    (Action.SETUP, _never),
)
