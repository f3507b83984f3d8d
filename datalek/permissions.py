"""Who may do what. Every check lives here, in the domain core, next to the data it guards.

Pages may hide what a role cannot use, but that is convenience: each domain function
calls one of these checks, and a refusal is written to the audit trail before the
domain ``PermissionDenied`` is raised.
"""

from __future__ import annotations

from typing import NoReturn

from sqlite_utils import Database

from datalek import audit, store
from datalek.models import Actor, Role


class PermissionDenied(PermissionError):
    """The actor may not do this. ``message`` is Dutch, for the user."""

    def __init__(self, action: str, message: str = "Je hebt geen toegang tot deze gegevens."):
        super().__init__(action)
        self.action = action
        self.message = message


def deny(
    db: Database,
    actor: Actor | None,
    action: str,
    object_type: str = "",
    object_id: int | str | None = None,
    message: str | None = None,
) -> NoReturn:
    """Audit the refusal in its own transaction, then raise."""
    if db.conn.in_transaction:
        raise RuntimeError("check permissions before opening a write transaction")
    with store.write(db):
        audit.append(db, actor, "refused", object_type, object_id, attempted=action)
    if message:
        raise PermissionDenied(action, message)
    raise PermissionDenied(action)


# --- the rules, as pure predicates (tested as a table) -------------------------------


def may_report(actor: Actor, org_id: int) -> bool:
    return actor.role in (Role.REPORTER, Role.DPO) and org_id in actor.org_ids


def may_read_incident(actor: Actor, org_id: int, reporter_id: int | None) -> bool:
    if actor.role is Role.DPO:
        return org_id in actor.org_ids
    if actor.role is Role.REPORTER:
        return actor.user_id is not None and reporter_id == actor.user_id
    return False


def may_supplement(actor: Actor, org_id: int, reporter_id: int | None) -> bool:
    return may_read_incident(actor, org_id, reporter_id)


def may_handle_incident(actor: Actor, org_id: int) -> bool:
    return actor.role is Role.DPO and org_id in actor.org_ids


def may_see_queue(actor: Actor) -> bool:
    return actor.role is Role.DPO


def may_see_aggregates(actor: Actor, org_ids: list[int]) -> bool:
    return actor.role in (Role.MANAGEMENT, Role.DPO) and bool(org_ids) and set(org_ids) <= set(actor.org_ids)


def may_administer(actor: Actor) -> bool:
    return actor.role is Role.ADMIN or actor.system


def may_change_password(actor: Actor, user_id: int) -> bool:
    return may_administer(actor) or actor.user_id == user_id


def may_verify_audit(actor: Actor) -> bool:
    """The trail spans every organisation of the installation, so only the beheerder reads it."""
    return actor.role is Role.ADMIN or actor.system


def may_see_selection(actor: Actor, org_ids: list[int]) -> bool:
    """Aggregates for one organisation or for all the actor may see, never a subset:
    a subset would let two selections be subtracted (see ``datalek.disclosure``)."""
    return may_see_aggregates(actor, org_ids) and (
        len(set(org_ids)) == 1 or set(org_ids) == set(actor.org_ids)
    )
