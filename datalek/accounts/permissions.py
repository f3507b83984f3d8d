"""Who may do what: one entry point, ``require(db, actor, Action.X, on)``, in the domain core.

Pages may hide what a role cannot use, but that is convenience. Every domain function calls
``require`` before it touches a row: it finds what the action is about (the organisation and
reporter of an incident, say), checks the rule for the action in ``RULES``, and on a refusal
writes an audit entry — in its own transaction — before it raises ``PermissionDenied``.
An unknown id is refused exactly like someone else's, so a refusal never tells whether a
thing exists.

The rules live next to their siblings, one module per stage of the product:
``permission_intake`` (the employee's report, and what a guest without an account may do),
``permission_handling``, ``permission_actions``, ``permission_insight`` and
``permission_accounts`` (separation of duties: the beheerder reads no incident and never holds
an FG's credentials). The ``Action`` enum is in ``permission_terms``, what an action is about in
``permission_subjects``, the rules several stages share in ``permission_roles``. Callers import
all of it from here.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlite_utils import Database

from datalek import store
from datalek.accounts import (
    audit,
    permission_accounts,
    permission_actions,
    permission_handling,
    permission_insight,
    permission_intake,
)
from datalek.accounts.guest import GuestActor
from datalek.accounts.permission_roles import Rule, joined
from datalek.accounts.permission_subjects import (
    Account,
    AccountRef,
    IncidentRef,
    MeasureRef,
    OrgRef,
    OrgSelection,
    Owner,
    Subject,
)
from datalek.accounts.permission_terms import Action, PermissionDenied
from datalek.models import Actor, Role
from datalek.store import accounts as account_sql
from datalek.store import ownership

__all__ = [
    "ADMIN_ACTIONS",
    "HANDLER_ACTIONS",
    "RULES",
    "Account",
    "AccountRef",
    "Action",
    "IncidentRef",
    "MeasureRef",
    "OrgRef",
    "OrgSelection",
    "Owner",
    "PermissionDenied",
    "Rule",
    "Subject",
    "allowed",
    "refuse",
    "require",
]

#: The rule for every action, each from its stage; an action with two rules fails at import.
#: A test checks that no action is left without one (``tests/test_permission_modules.py``).
RULES: dict[Action, Rule] = joined(
    permission_intake.RULES,
    permission_handling.RULES,
    permission_actions.RULES,
    permission_insight.RULES,
    permission_accounts.RULES,
)
#: The FG of the incident's organisation only (handling and actions), in the enum's order.
HANDLER_ACTIONS = tuple(
    action
    for action in Action
    if action in {*permission_handling.HANDLER_ACTIONS, *permission_actions.HANDLER_ACTIONS}
)
#: The beheerder or the operator on the server (accounts, audit trail, retention), in the enum's order.
ADMIN_ACTIONS = tuple(
    action
    for action in Action
    if action in {*permission_accounts.ADMIN_ACTIONS, *permission_handling.RETENTION_ACTIONS}
)


def allowed(actor: Actor, action: Action, about: Any = None) -> bool:
    """The rule for ``action``, for an actor and what it is about (an ``Owner`` for incidents)."""
    if isinstance(actor, GuestActor):
        return permission_intake.guest_allowed(actor, action, about)
    return RULES[action](actor, about)


# --- the entry point ---------------------------------------------------------------------------


def _resolve(db: Database, on: Subject) -> tuple[str, int | str | None, Any, bool]:
    """(object type, object id, what the rule looks at, whether it exists)."""
    if isinstance(on, IncidentRef | MeasureRef):
        kind = "incident" if isinstance(on, IncidentRef) else "measure"
        incident_id = on.id if isinstance(on, IncidentRef) else ownership.incident_of_measure(db, on.id)
        row = ownership.incident_owner(db, incident_id) if incident_id is not None else None
        owner = Owner(incident_id, row["org_id"], row["reporter_id"]) if row else None
        return kind, on.id, owner, owner is not None
    if isinstance(on, OrgRef):
        return "organisation", on.id, on, True
    if isinstance(on, AccountRef):
        row = account_sql.user(db, on.id)
        account = Account(row["id"], Role(row["role"])) if row else None
        return "user", on.id, account, account is not None
    return "", None, on, True


def require(
    db: Database, actor: Actor | None, action: Action, on: Subject = None, message: str | None = None
) -> Owner | None:
    """Go on only if ``actor`` may do ``action`` on ``on``; otherwise refuse (audited), with
    ``message`` (Dutch) when the refusal needs more words than "no access".

    Returns the incident's ``Owner`` when ``on`` is an incident or a measure, else None."""
    kind, object_id, about, exists = _resolve(db, on)
    if actor is None or not exists or not allowed(actor, action, about):
        refuse(db, actor, action, kind, object_id, message if exists else None)
    return about if isinstance(about, Owner) else None


def refuse(
    db: Database,
    actor: Actor | None,
    action: Action,
    object_type: str = "",
    object_id: int | str | None = None,
    message: str | None = None,
) -> NoReturn:
    """Audit the refusal in its own transaction, then raise. For refusals that depend on the
    data rather than on a rule (a department too small to show, a setup already done)."""
    if db.conn.in_transaction:
        raise RuntimeError("check permissions before opening a write transaction")
    store.first_in_next_write(db, None)  # a refusal is audited as such, never as a form's submission
    with store.write(db):
        audit.append(db, actor, "refused", object_type, object_id, attempted=action.value)
    raise PermissionDenied(action.value, message) if message else PermissionDenied(action.value)
